"""End to end with the real embedding model on a slice of the demo corpus."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from miner import FeedbackMiner
from miner.errors import NotFitted
from miner.persist import load_run


def test_run_folder_has_one_row_per_input_row(small_run, small_feedback_csv):
    out, done = small_run
    source = pd.read_csv(small_feedback_csv, dtype=str, keep_default_na=False)
    run = load_run(out)
    docs = run.documents
    assert len(docs) == len(source)
    assert docs["row_id"].tolist() == list(range(len(source)))
    assert docs["comment"].tolist() == source["comment"].tolist()
    assert set(docs["status"]) <= {"ok", "empty", "duplicate", "not_text", "error"}
    assert (docs.columns[:4] == ["row_id", "status", "language", "theme_id"]).all()
    analysed = docs["status"].isin(["ok", "duplicate"])
    assert (docs.loc[~analysed, "theme_id"] == -1).all()
    assert docs.loc[analysed, "theme_id"].ge(0).mean() > 0.9
    assert "text column 'comment' (given)" in done.stderr
    for name in ("themes.csv", "run.json", "model/config.json", "model/manifest.json"):
        assert (out / name).exists(), name
    assert not list(out.rglob("*.pkl")) and not list(out.rglob("*.pickle"))


def test_duplicates_count_and_share_their_theme(small_run):
    docs = load_run(small_run[0]).documents
    dups = docs[docs["status"] == "duplicate"]
    if dups.empty:
        pytest.skip("this slice of the demo corpus has no duplicate rows")
    firsts = docs[docs["status"] == "ok"]
    keys = firsts["comment"].map(lambda text: " ".join(text.split()).casefold())
    theme_of = dict(zip(keys, firsts["theme_id"], strict=True))
    for row in dups.itertuples():
        key = " ".join(row.comment.split()).casefold()
        assert key in theme_of, "a duplicate points back to an earlier ok row"
        assert theme_of[key] == row.theme_id


def test_themes_csv_sizes_add_up(small_run):
    run = load_run(small_run[0])
    analysed = run.documents["status"].isin(["ok", "duplicate"]).sum()
    assert run.themes["comments"].sum() == analysed
    assert abs(run.themes["share"].sum() - 1) < 0.01
    assert "customers" in run.themes.columns
    assert (run.themes["theme_label"].str.len() > 0).all()


def test_report_markdown_lists_themes_with_quotes(cli, small_run):
    code, out, _ = cli("report", small_run[0])
    assert code == 0
    run = load_run(small_run[0])
    assert out.startswith("# Feedback report")
    for label in run.themes["theme_label"].head(3):
        assert label in out
    assert out.count("\n> ") >= 3
    # The first line's bracket adds up to the analysed rows it follows (it had listed
    # the empty rows in it too).
    first = re.search(r"([\d,]+) rows; ([\d,]+) analysed \(([^)]*)\)", out)
    analysed = int(first.group(2).replace(",", ""))
    parts = [int(p.split()[-1].replace(",", "")) for p in first.group(3).split(", ")]
    assert sum(parts) == analysed and "empty" not in first.group(3)
    # "duplicate" is said to be the same words, not a resubmission (a PM had read 795
    # repeated answers as 795 resubmissions).
    assert "duplicate" in first.group(3) and "A duplicate has the same words" in out
    code, out, _ = cli("report", small_run[0], "--format", "json")
    assert code == 0 and '"themes"' in out


def test_score_with_saved_model_reproduces_fit_themes(small_run, small_scored):
    out, err = small_scored
    scored = pd.read_parquet(out)
    fitted = load_run(small_run[0]).documents
    assert len(scored) == len(fitted)
    assert f"Rows in {len(fitted):,}, written {len(fitted):,}" in err
    # Not a terminal (a log, a nightly job): a progress line per chunk of 150 rows, of
    # about how many the file holds.
    progress = re.findall(
        r"^Scored ([\d,]+) of about ([\d,]+) rows \(\d+%\) in [\d.]+s$", err, flags=re.M
    )
    assert [done for done, _ in progress] == ["150", "300", f"{len(fitted):,}"]
    # An estimate from the file's size: its cells run over several lines, so above.
    totals = {int(total.replace(",", "")) for _, total in progress}
    assert len(totals) == 1 and len(fitted) <= totals.pop() <= 1.5 * len(fitted)
    assert scored["row_id"].tolist() == fitted["row_id"].tolist()
    assert scored["status"].tolist() == fitted["status"].tolist()
    same = (scored["theme_id"].to_numpy() == fitted["theme_id"].to_numpy()).mean()
    assert same >= 0.95


def test_fit_themes_only_skips_the_heads_and_its_model_scores_themes(
    cli, small_run, small_feedback_csv, tmp_path
):
    code, _, err = cli(
        "fit", small_feedback_csv, "--text-col", "comment", "--out", tmp_path / "run",
        "--seed", "3", "--themes-only",
    )  # fmt: skip
    assert code == 0, err
    assert "Sentiment, kind and jobs" not in err
    run = load_run(tmp_path / "run")
    docs = run.documents
    heads = ("sentiment", "sentiment_score", "kind", "job_statement")
    assert not set(heads) & set(docs.columns), docs.columns
    assert set(heads) <= set(load_run(small_run[0]).documents.columns)
    # The themes are the ones a fit with the heads finds: they do not depend on them.
    full = load_run(small_run[0]).documents
    assert docs["theme_id"].tolist() == full["theme_id"].tolist()
    code, _, err = cli(
        "score", small_feedback_csv, "--model", tmp_path / "run" / "model",
        "--text-col", "comment", "--out", tmp_path / "scored.parquet",
    )  # fmt: skip
    assert code == 0, err
    scored = pd.read_parquet(tmp_path / "scored.parquet")
    assert scored["theme_id"].tolist() == docs["theme_id"].tolist()
    assert not set(heads) & set(scored.columns)


def test_score_without_model_keeps_every_row(cli, small_feedback_csv, tmp_path):
    out = tmp_path / "scored.csv"
    code, _, err = cli("score", small_feedback_csv, "--out", out)
    assert code == 0, err
    assert "Text column 'comment' (detected)" in err
    scored = pd.read_csv(out, keep_default_na=False)
    assert len(scored) == len(pd.read_csv(small_feedback_csv))
    assert not any(str(v).startswith(("=", "+", "@")) for v in scored["comment"])


@pytest.mark.slow
def test_same_seed_same_themes_and_api_conventions():
    texts = [
        "bank feed stopped syncing",
        "the bank sync fails every day",
        "bank transactions are not importing",
        "my bank connection keeps breaking",
        "bank feed missing transactions",
        "please add a dark mode",
        "dark theme would be easier on my eyes",
        "need a night mode for the app",
        "the white screen is too bright, add dark mode",
        "would love a dark colour scheme",
    ] * 3
    texts = [f"{t} ({i // 10})" for i, t in enumerate(texts)]
    miner = FeedbackMiner(seed=5, min_theme_size=4)
    with pytest.raises(NotFitted):
        miner.transform(["anything"])
    assert miner.fit(texts) is miner
    first = miner.documents_["theme_id"].to_numpy()
    second = FeedbackMiner(seed=5, min_theme_size=4).fit(texts).documents_["theme_id"].to_numpy()
    assert np.array_equal(first, second)
    assert len(set(first.tolist())) == 2
    bank = {first[i] for i, t in enumerate(texts) if "bank" in t}
    assert len(bank) == 1
    # Saving a model where a file is: E105, as saving a run there is.
    import tempfile

    from miner.errors import OutputNotWritable

    with tempfile.NamedTemporaryFile() as taken, pytest.raises(OutputNotWritable, match="E105"):
        miner.save(taken.name)


def test_fit_is_reproducible_across_processes(small_run, small_feedback_csv):
    """The CLI run (another process) and an in-process fit with the same seed agree."""
    frame = pd.read_csv(small_feedback_csv, dtype=str, keep_default_na=False)
    # Themes do not depend on the per-document heads, so they can stay off here.
    again = FeedbackMiner(seed=3, per_document=False).fit(
        frame, text_col="comment", id_col="customer_id"
    )
    fitted = load_run(small_run[0]).documents
    assert np.array_equal(again.documents_["theme_id"].to_numpy(), fitted["theme_id"].to_numpy())
    assert again.documents_["theme_label"].tolist() == fitted["theme_label"].tolist()


@pytest.mark.parametrize(
    ("settings", "data", "message"),
    [
        ({}, None, "pass a list of texts"),
        ({}, 5, "pass a list of texts"),
        ({}, {"comment": ["slow sync"]}, "not dict"),
        ({}, "slow sync", "not str"),
        ({"seed": "abc"}, ["slow sync"], "seed must be a whole number"),
        ({"seed": -1}, ["slow sync"], "seed must be a whole number from 0 to 2"),
        ({"min_n": "30"}, ["slow sync"], "min_n must be a whole number"),
        ({"min_theme_size": -3}, ["slow sync"], "min_theme_size must be a whole number of 2"),
        ({"theme_unit": "bogus"}, ["slow sync"], "theme_unit must be one of auto, comment"),
    ],
)
def test_fit_settings_and_data_of_the_wrong_kind_are_e108_before_any_work(settings, data, message):
    from miner.errors import InvalidConfig

    with pytest.raises(InvalidConfig, match=message):
        FeedbackMiner(**settings).fit(data)


def test_embeddings_of_the_wrong_shape_and_repeated_column_names():
    from miner.errors import InvalidConfig

    texts = ["slow sync", "love the reports", "export fails"]
    for bad in (np.zeros(3), np.zeros((2, 8))):
        with pytest.raises(InvalidConfig, match="one row per input row .3 rows.; got an array"):
            FeedbackMiner(per_document=False).fit(texts, embeddings=bad)
    # NaN vectors had fitted, every comment unassigned and the NaNs saved in the model.
    holes = np.ones((3, 384), dtype=np.float32)
    holes[1, 5] = np.nan
    with pytest.raises(InvalidConfig, match=r"embeddings of 1 row hold NaN .* \(rows 1\)"):
        FeedbackMiner(per_document=False).fit(texts, embeddings=holes)
    frame = pd.DataFrame([["a", "b"], ["c", "d"]], columns=["comment", "comment"])
    from miner.ingest import corpus_from_frame

    corpus = corpus_from_frame(frame, text_col="comment")
    assert corpus.frame.columns.tolist() == ["comment", "comment.1"] and corpus.texts == ["a", "c"]
    assert frame.columns.tolist() == ["comment", "comment"]  # the caller's frame untouched


def test_a_model_fitted_on_other_embedding_weights_is_refused(small_run, tmp_path):
    import json
    import shutil

    from miner.errors import ModelLoadError

    model = shutil.copytree(small_run[0] / "model", tmp_path / "model")
    FeedbackMiner.load(model)  # as written: its weights are this miner's
    manifest = json.loads((model / "manifest.json").read_text())
    manifest["model_files"]["embedder"] = "sha256:" + "0" * 64
    manifest["miner_version"] = "9.9.0"
    (model / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelLoadError, match=r"fitted \(miner 9.9.0\) with other embedding"):
        FeedbackMiner.load(model)
    # A manifest that records no digest (a model written before them) is not checked.
    del manifest["model_files"]
    (model / "manifest.json").write_text(json.dumps(manifest))
    FeedbackMiner.load(model)


def test_a_fit_reads_the_heads_block_by_block_and_says_so(
    small_run, small_feedback_csv, monkeypatch
):
    # A fit of 5,000 tickets had sat silent for minutes on "Sentiment, kind and jobs";
    # blocks are said as they are done, and read each comment as one batch would.
    import miner.pipeline as pipeline

    monkeypatch.setattr(pipeline, "ANALYSE_BLOCK", 150)
    frame = pd.read_csv(small_feedback_csv, dtype=str, keep_default_na=False)
    said = []
    again = FeedbackMiner(seed=3).fit(
        frame, text_col="comment", id_col="customer_id", progress=said.append
    )
    blocks = [line.strip().split() for line in said if line.endswith("comments read")]
    assert len(blocks) >= 2 and int(blocks[0][0]) <= 150 and blocks[-1][0] == blocks[-1][2]
    fitted = load_run(small_run[0]).documents  # the CLI's fit: one block
    for column in ("sentiment", "sentiment_score", "kind", "kind_secondary", "job_statement"):
        pd.testing.assert_series_equal(
            again.documents_[column].reset_index(drop=True),
            fitted[column].reset_index(drop=True),
            check_dtype=False,
        )


def test_an_empty_transform_has_the_columns_of_any_other(small_run):
    # Chunks scored and joined (pd.concat, Parquet) share one schema: the empty one had
    # no language column.
    model = FeedbackMiner.load(small_run[0] / "model")
    some = model.transform(["the bank feed stopped syncing again"])
    none = model.transform([])
    assert list(none.columns) == list(some.columns) and len(none) == 0
