"""Job clustering: grouping, per-job figures, the opportunity formula, determinism."""

from __future__ import annotations

import dataclasses
import shutil

import numpy as np
import pandas as pd
import pytest

from miner.errors import InvalidConfig
from miner.jobs import (
    JOB_TABLE_COLUMNS,
    Job,
    assign_jobs,
    cluster_jobs,
    embed_motivations,
    importance_scores,
    load_default_embedder,
    motivation_key,
    motivation_texts,
    opportunity_scores,
    satisfaction_scores,
)


def job(motivation: str, outcome: str | None = None, trigger: str = "want") -> Job:
    statement = f"I want to {motivation}" + (f", so I can {outcome}." if outcome else ".")
    return Job(
        statement=statement,
        motivation=motivation,
        motivation_start=0,
        motivation_end=len(motivation),
        trigger=trigger,
        start=0,
        end=len(statement),
        outcome=outcome,
    )


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


# Two obvious groups in 3-d: around x (export) and around y (dark mode).
EXPORT = [unit(1, 0.05, 0), unit(1, 0, 0.1), unit(0.95, 0.1, 0)]
DARK = [unit(0, 1, 0.05), unit(0.1, 1, 0)]


def corpus():
    jobs_per_doc = [
        [job("export all invoices at once")],
        [job("export every invoice in one go"), job("use the app at night")],
        [],
        [job("download all invoices together", "pay my taxes")],
        [job("switch to a dark theme")],
    ]
    embeddings = np.stack([EXPORT[0], EXPORT[1], DARK[0], EXPORT[2], DARK[1]])
    return jobs_per_doc, embeddings


# --- the formula ---------------------------------------------------------------------


def test_importance_is_relative_to_the_most_voiced_job():
    assert importance_scores([20, 10, 0]).tolist() == [10.0, 5.0, 0.0]
    assert importance_scores([0, 0]).tolist() == [0.0, 0.0]


def test_satisfaction_from_mean_sentiment():
    assert satisfaction_scores([-1.0, 0.0, 0.5, 1.0, None]).tolist() == [0, 5, 7.5, 10, 5]


def test_opportunity_adds_unmet_importance():
    assert opportunity_scores([10, 10, 4], [2, 10, 9]).tolist() == [18, 10, 4]


# --- clustering with given embeddings -----------------------------------------------


def test_groups_and_figures():
    jobs_per_doc, embeddings = corpus()
    result = cluster_jobs(
        jobs_per_doc,
        embeddings,
        customer_ids=["a", "b", "c", "a", "d"],
        theme_ids=[3, 3, 1, 5, 7],
        sentiment_scores=[-0.5, -1.0, 0.0, 0.0, 0.5],
        row_ids=[100, 101, 102, 103, 104],
        min_similarity=0.7,
    )
    table = result.table
    assert list(table.columns) == list(JOB_TABLE_COLUMNS)
    assert table["job_id"].tolist() == [0, 1]
    export, dark = table.iloc[0], table.iloc[1]
    assert export["comments"] == 3 and export["customers"] == 2  # customer "a" twice
    assert dark["comments"] == 2 and dark["customers"] == 2
    assert export["share"] == pytest.approx(3 / 5)
    assert export["theme_ids"] == [3, 5]
    assert sorted(export["example_row_ids"]) == [100, 101, 103]
    assert export["mean_sentiment"] == pytest.approx(-0.5)  # docs 0, 1, 3
    assert dark["mean_sentiment"] == pytest.approx(-0.25)  # docs 1, 4
    # Both jobs are voiced by 2 customers: equal importance.
    assert table["importance"].tolist() == [10.0, 10.0]
    assert export["satisfaction"] == pytest.approx(2.5)
    assert export["opportunity"] == pytest.approx(17.5)
    assert export["job_label"].startswith("I want to")
    assert result.doc_job_ids.tolist() == [0, 0, -1, 0, 1]
    assert result.job_ids_per_doc() == [[0], [0, 1], [], [0], [1]]


def test_jobs_only_asked_about_join_stated_jobs_without_reshaping_them():
    # Clustered like stated jobs, the bridges between the two stated groups pull them
    # into one job; asked about ("How do I ...?") each joins the nearest stated job.
    bridges = [unit(1, 1, 0), unit(1, 0.9, 0.1), unit(0.9, 1, 0.1)]
    far = [unit(0, 0.05, 1), unit(0.05, 0, 1)]
    jobs_per_doc = [
        [job("export all invoices")],
        [job("export every invoice")],
        [job("use a dark theme")],
        [job("switch to dark mode")],
        *[[job(f"export invoices in dark mode {i}", trigger="question")] for i in range(3)],
        [job("print a receipt", trigger="question")],
        [job("print receipts", trigger="question")],
    ]
    vectors = np.stack([EXPORT[0], EXPORT[1], DARK[0], DARK[1], *bridges, *far])
    asked_like_stated = [[job(j.motivation) for j in jobs] for jobs in jobs_per_doc]
    merged = cluster_jobs(asked_like_stated, vectors, min_similarity=0.3)
    assert len(set(merged.mention_job_ids[:4].tolist())) == 1  # the bridges merge them
    result = cluster_jobs(jobs_per_doc, vectors, min_similarity=0.3)
    ids = [i[0] for i in result.job_ids_per_doc()]
    assert ids[0] == ids[1] != ids[2] == ids[3]  # the stated jobs stay apart
    assert set(ids[4:7]) <= {ids[0], ids[2]}  # each bridge joins one of them
    assert ids[7] == ids[8] and ids[7] not in (ids[0], ids[2])  # far: a job of their own
    assert len(result.table) == 3
    table = result.table.set_index("job_id")
    assert table.loc[ids[7], "asked"] == 1.0  # only ever asked
    joined = sum(table.loc[i, "asked"] * table.loc[i, "mentions"] for i in (ids[0], ids[2]))
    assert joined == pytest.approx(3)  # the three bridges, asked, in the stated jobs
    assert merged.table["asked"].eq(0.0).all()  # the same texts, stated


def test_comments_count_when_there_are_no_customer_ids():
    jobs_per_doc, embeddings = corpus()
    table = cluster_jobs(jobs_per_doc, embeddings, min_similarity=0.7).table
    assert table["importance"].tolist() == [10.0, pytest.approx(10 * 2 / 3)]
    assert "customers" not in table.columns  # without ids, voices are comments
    assert table["voices"].tolist() == table["comments"].tolist() == [3, 2]
    assert table["mean_sentiment"].isna().all()
    assert (table["satisfaction"] == 5.0).all()  # neutral until sentiment exists
    assert sorted(table["example_row_ids"].iloc[0]) == [0, 1, 3]  # closest first


def test_missing_ids_are_not_customers_or_themes():
    jobs_per_doc, embeddings = corpus()
    table = cluster_jobs(
        jobs_per_doc,
        embeddings,
        customer_ids=pd.Series(["a", pd.NA, "c", None, "d"], dtype=object),
        theme_ids=[np.int64(3), float("nan"), 1, -1, 7],
        min_similarity=0.7,
    ).table
    assert table.loc[0, "customers"] == 1  # docs 0, 1, 3: only "a" is an id
    assert table.loc[0, "theme_ids"] == [3] and isinstance(table.loc[0, "theme_ids"][0], int)


def test_deterministic():
    jobs_per_doc, embeddings = corpus()
    first = cluster_jobs(jobs_per_doc, embeddings, seed=3)
    second = cluster_jobs(jobs_per_doc, embeddings.copy(), seed=3)
    pd.testing.assert_frame_equal(first.table, second.table)
    assert np.array_equal(first.doc_job_ids, second.doc_job_ids)


def test_greedy_path_for_large_inputs_agrees():
    jobs_per_doc, embeddings = corpus()
    exact = cluster_jobs(jobs_per_doc, embeddings, min_similarity=0.7)
    greedy = cluster_jobs(jobs_per_doc, embeddings, min_similarity=0.7, max_exact=1)
    assert greedy.doc_job_ids.tolist() == exact.doc_job_ids.tolist()


def test_no_jobs_at_all():
    result = cluster_jobs([[], []], np.zeros((0, 384), dtype=np.float32))
    no_ids = [c for c in JOB_TABLE_COLUMNS if c != "customers"]
    assert result.table.empty and list(result.table.columns) == no_ids
    with_ids = cluster_jobs([[], []], np.zeros((0, 384)), customer_ids=["a", "b"])
    assert list(with_ids.table.columns) == list(JOB_TABLE_COLUMNS)
    assert result.doc_job_ids.tolist() == [-1, -1]


def test_bad_inputs_say_what_to_do():
    jobs_per_doc, embeddings = corpus()
    with pytest.raises(InvalidConfig, match="one embedding row per job mention"):
        cluster_jobs(jobs_per_doc, embeddings[:2])
    with pytest.raises(InvalidConfig, match="one value per document"):
        cluster_jobs(jobs_per_doc, embeddings, customer_ids=["a"])


def test_assign_new_jobs_to_fitted_centroids():
    jobs_per_doc, embeddings = corpus()
    result = cluster_jobs(jobs_per_doc, embeddings, min_similarity=0.7)
    new = np.stack([unit(1, 0.02, 0.02), unit(0, 0.02, 1)])
    assert assign_jobs(new, result.centroids, min_similarity=0.7).tolist() == [0, -1]


def test_motivation_texts_include_the_outcome():
    jobs_per_doc, _ = corpus()
    texts = motivation_texts(jobs_per_doc)
    assert texts[3] == "download all invoices together, so pay my taxes"
    assert motivation_texts(jobs_per_doc, with_outcome=False)[3] == "download all invoices together"


def test_redaction_placeholders_are_neither_embedded_nor_shown():
    """Published complaints redact names and numbers as XXXX: a job's text to embed
    leaves them out, and its label shows a wording without them (or, when every
    mention has one, the wording with it and a preposition it left dangling taken out)."""
    jobs_per_doc = [
        [job("use my card at XXXX")],
        [job("use my card at XXXX XXXX")],
        [job("use my card at the shop")],
        [job("pay by XXXX")],
        [job("pay by XXXX XXXX")],
    ]
    texts = motivation_texts(jobs_per_doc)
    assert texts[:2] == ["use my card at", "use my card at"]
    assert texts[2:4] == ["use my card at the shop", "pay by"]
    # The first two mentions are the centre of their job; the third is its only plain wording.
    embeddings = np.stack(
        [unit(1, 0, 0), unit(1, 0, 0), unit(0.9, 0.2, 0), unit(0, 1, 0), unit(0, 1, 0)]
    )
    table = cluster_jobs(jobs_per_doc, embeddings, min_similarity=0.8).table
    labels = sorted(table["job_label"])
    assert labels == ["I want to pay.", "I want to use my card at the shop."]
    assert table.loc[table["job_label"] == "I want to pay.", "comments"].item() == 2
    dated = [[dataclasses.replace(job("pay by XXXX"), statement="On XX/XX/XXXX, I want to pay.")]]
    label = cluster_jobs(dated, np.stack([unit(1, 0, 0)])).table["job_label"].item()
    assert label == "I want to pay."


# --- with the real embedding model ----------------------------------------------------


@pytest.fixture(scope="module")
def embedder():
    return load_default_embedder()


def test_paraphrases_cluster_together(embedder):
    motivations = [
        "export all invoices at once",
        "export every invoice in one go",
        "download all my invoices at once",
        "use the app in dark mode",
        "switch the app to a dark theme",
        "reset my password from my phone",
    ]
    jobs_per_doc = [[job(m)] for m in motivations]
    embeddings = embed_motivations(motivation_texts(jobs_per_doc), embedder)
    assert embeddings.shape == (6, 384)
    assert np.allclose(np.linalg.norm(embeddings, axis=1), 1.0, atol=1e-4)
    ids = cluster_jobs(jobs_per_doc, embeddings).doc_job_ids.tolist()
    assert ids[0] == ids[1] == ids[2]
    assert ids[3] == ids[4]
    assert len({ids[0], ids[3], ids[5]}) == 3
    again = cluster_jobs(jobs_per_doc, embed_motivations(motivation_texts(jobs_per_doc), embedder))
    assert again.doc_job_ids.tolist() == ids


def test_a_motivation_the_jobs_were_clustered_on_keeps_its_job():
    jobs_per_doc, embeddings = corpus()
    result = cluster_jobs(jobs_per_doc, embeddings, min_similarity=0.7)
    texts = motivation_texts(jobs_per_doc)
    assert len(result.seen) == len(set(texts))
    assert [result.seen[motivation_key(t)] for t in texts] == result.mention_job_ids.tolist()
    # A text seen at fit keeps its job even where the nearest centre says another.
    other = int((result.mention_job_ids[0] + 1) % len(result.centroids))
    seen = {motivation_key(texts[0]): other}
    assigned = assign_jobs(embeddings[:1], result.centroids, 0.7, texts=texts[:1], seen=seen)
    assert assigned.tolist() == [other]
    assert assign_jobs(embeddings[:1], result.centroids, 0.7).tolist() == [
        result.mention_job_ids[0]
    ]


def test_the_saved_model_gives_fitted_motivations_their_fitted_job(demo_heads_run, tmp_path):
    """Jobs are average-linkage groups, and a few members lie nearer another job's centre
    than their own (6 of 594 demo rows here): the reloaded model still gives each the
    job the fit gave it, so scoring the fitted file again reproduces its job ids."""
    from miner import FeedbackMiner
    from miner.persist import load_run

    folder, _, _ = demo_heads_run
    documents = load_run(folder).documents
    rows = documents[documents["job_id"] >= 0]
    jobs = [[Job(**found) for found in row_jobs] for row_jobs in rows["jobs"]]
    model = FeedbackMiner.load(folder / "model")
    assert model._assign_jobs(jobs).tolist() == rows["job_id"].tolist()
    # A model saved before it kept the seen motivations loads, and takes nearest centres
    # alone, which disagree on some rows: the check above is not idle.
    shutil.copytree(folder / "model", tmp_path / "model")
    (tmp_path / "model" / "jobs" / "seen.json").unlink()
    older = FeedbackMiner.load(tmp_path / "model")
    assert older.job_seen_ == {}
    assert older._assign_jobs(jobs).tolist() != rows["job_id"].tolist()


def test_a_jobs_label_is_a_wording_without_typos_when_one_is_as_central():
    # "I want Nigt mode." had labelled a job whose mentions also said "night mode".
    e1, e2 = np.eye(8, dtype=np.float32)[:2]
    vectors = np.stack([e1, e1 + 0.1 * e2, e1 - 0.1 * e2])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    jobs_per_doc = [[job("use nigt mode")], [job("use night mode")], [job("use a dark mode")]]
    table = cluster_jobs(jobs_per_doc, vectors, min_similarity=0.5).table
    assert table["job_label"].tolist() == ["I want to use night mode."]
    # Far from the centre, a well-spelt wording does not win.
    far = np.stack([e1, e1 + 0.6 * e2, e1 - 0.6 * e2])
    far /= np.linalg.norm(far, axis=1, keepdims=True)
    table = cluster_jobs(jobs_per_doc, far, min_similarity=0.5).table
    assert table["job_label"].tolist() == ["I want to use nigt mode."]
