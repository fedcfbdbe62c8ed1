"""Share: downloads of the run's tables and the HTML report, masked and formula-safe."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from miner import schema
from miner.app_server import APP
from miner.persist import load_run
from miner.pii import mask_pii
from miner.share import document_view, downloads

EMAIL = "pat.doe@example.com"
FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture(scope="module")
def run_with_traps(small_run):
    """The small run with an e-mail address and a formula planted in one comment."""
    run = load_run(small_run[0])
    documents = run.documents
    row = documents.index[documents["status"] == "ok"][0]
    planted = f"{FORMULA} mail me at {EMAIL} about the export"
    documents.loc[row, run.text_col] = planted
    documents.loc[row, "masked_text"] = mask_pii(planted)  # as fit writes it
    if "job_statement" in documents:
        documents.loc[row, "job_statement"] = FORMULA
    return run, row


def test_downloads_are_masked_and_formula_safe(run_with_traps):
    run, row = run_with_traps
    files = {file.file_name: file for file in downloads(run)}
    assert set(files) == {
        f"{name}.{ext}" for name in ("themes", "jobs", "documents") for ext in ("csv", "json")
    } | {"report.html"}
    for file in files.values():
        assert EMAIL not in file.data.decode("utf-8")
    documents = pd.read_csv(io.BytesIO(files["documents.csv"].data), keep_default_na=False)
    analysed = run.documents["status"].isin(schema.ANALYSED)
    assert len(documents) == int(analysed.sum()) == files["documents.csv"].rows
    planted = documents.loc[documents["row_id"] == row].iloc[0]
    assert planted["text"].startswith("'=HYPERLINK") and "[email]" in planted["text"]
    # No cell of any CSV starts a formula.
    for name in ("themes.csv", "jobs.csv", "documents.csv"):
        table = pd.read_csv(io.BytesIO(files[name].data), dtype=str, keep_default_na=False)
        cells = table.to_numpy().ravel()
        assert not any(c.startswith(("=", "+", "@")) for c in cells), name
    records = json.loads(files["documents.json"].data)
    assert len(records) == len(documents) and "customer_id" in records[0]
    # The input's own record id (a ticket or response id) leads back to the record.
    assert "response_id" in run.documents and "response_id" in records[0]
    assert "theme_id" in records[0] and list(records[0]).count("customer_id") == 1
    assert run.text_col not in records[0]  # only the masked text leaves


def test_a_record_id_written_as_a_survey_tool_names_it_is_shared(run_with_traps):
    # "Response ID" (Qualtrics, Typeform), "Ticket ID", "ResponseId": the download had
    # left them out, so a quote could not be traced back to its response.
    import dataclasses

    run, _ = run_with_traps
    documents = run.documents.rename(columns={"response_id": "Response ID"})
    documents["Ticket ID"] = "T-" + documents["row_id"].astype(str)
    documents["ResponseId"] = documents["row_id"]
    renamed = dataclasses.replace(run, documents=documents)
    files = {file.file_name: file for file in downloads(renamed)}
    records = json.loads(files["documents.json"].data)
    assert {"Response ID", "Ticket ID", "ResponseId"} <= set(records[0])
    from miner.insights.columns import ID_NAME

    assert not any(
        ID_NAME.search(name) for name in ("Valid", "Paid", "Android", "idea", "ID Verified")
    )


def test_document_view_follows_the_filters(small_run):
    run = load_run(small_run[0])
    theme = int(run.themes.loc[run.themes["theme_id"] >= 0, "theme_id"].iloc[0])
    view = document_view(run, theme, ["negative"], None)
    documents = run.documents
    expected = documents[
        documents["status"].isin(schema.ANALYSED)
        & (documents["theme_id"] == theme)
        & (documents["sentiment"] == "negative")
    ]
    assert view["row_id"].tolist() == expected["row_id"].tolist()
    assert set(view["theme_id"]) == {theme} and set(view["sentiment"]) == {"negative"}


def test_share_page_offers_every_download(small_run, monkeypatch):
    monkeypatch.setenv("MINER_RUN", str(small_run[0]))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.switch_page("app_pages/share.py").run()
    assert not at.exception, at.exception
    buttons = at.get("download_button")
    assert len(buttons) == 7
    count = at.markdown[0].value if at.markdown else ""
    run = load_run(small_run[0])
    analysed = int(run.documents["status"].isin(schema.ANALYSED).sum())
    assert any(f"{analysed:,} comments in this view" in m.value for m in at.markdown), count
    at.selectbox[0].select_index(1).run()
    assert not at.exception
    theme = int(run.themes.loc[run.themes["theme_id"] >= 0, "comments"].iloc[0])
    assert any(f"{theme:,} comments in this view" in m.value for m in at.markdown)
    # Anonymous: the segments shown are picked, and the values grouped are counted.
    at.checkbox[0].check().run()
    assert not at.exception, at.exception
    segments = run.meta["segment_cols"]
    assert at.multiselect[-1].value == segments
    assert any("combination of these segments" in c.value for c in at.caption)
    at.multiselect[-1].set_value(segments[:1]).run()
    assert not at.exception, at.exception
    assert any(f"of the {theme:,} segment values shown" in c.value for c in at.caption)


def test_an_input_column_named_like_a_contract_column_is_shared_as_the_input_gave_it(
    small_run,
):
    # A feature board's "status" (planned, complete) is stored as input_status beside
    # miner's row status; the documents download had given miner's under its name.
    from miner.insights.run import input_start

    run = load_run(small_run[0])
    documents = run.documents
    start = input_start(documents, run.meta)
    board = ["planned", "complete"] * (len(documents) // 2) + ["planned"] * (len(documents) % 2)
    documents.insert(start, "input_status", board)
    run.meta = {**run.meta, "segment_cols": ["status"]}
    view = document_view(run)
    analysed = documents[documents["status"].isin(schema.ANALYSED)]
    assert view["status"].tolist() == analysed["input_status"].tolist()
    # One named like an exported column (a board's "kind") comes beside miner's.
    documents.insert(start, "input_kind", ["idea"] * len(documents))
    run.meta = {**run.meta, "segment_cols": ["status", "kind"]}
    view = document_view(run)
    assert (
        view["input_kind"].eq("idea").all() and view["kind"].tolist() == analysed["kind"].tolist()
    )


def test_an_anonymous_view_has_no_ids_no_dates_and_no_small_groups(small_run):
    # An engagement survey's Share download had listed a team of three, each answer
    # with its date and score: each person could be singled out.
    from miner.share import ANONYMOUS_MIN, FEWER, GROUPED

    run = load_run(small_run[0])
    segments = run.meta.get("segment_cols") or []
    assert segments, run.meta
    column = run.input_column(segments[0])
    documents = run.documents
    analysed = documents.index[documents["status"].isin(schema.ANALYSED)]
    documents.loc[analysed[:3], column] = "Team of three"
    plain = document_view(run)
    assert (plain[segments[0]] == "Team of three").sum() == 3
    view = document_view(run, anonymous=True)
    assert len(view) == len(plain) and view["text"].tolist() == plain["text"].tolist()
    assert "Team of three" not in set(view[segments[0]])
    # Hidden: "(fewer than 10)", or "(grouped)" when even that group is too small.
    assert view[segments[0]].isin([FEWER, GROUPED]).sum() >= 3
    counts = plain[segments[0]].value_counts()
    kept = counts[counts >= ANONYMOUS_MIN].index
    assert set(view[segments[0]]) <= set(kept) | {FEWER, GROUPED}
    for gone in [run.id_column, run.meta.get("date_col"), "response_id", "row_id"]:
        assert gone and gone in plain.columns and gone not in view.columns
    assert "period" in view.columns


def test_anonymous_downloads_name_no_row_and_no_small_group(small_run):
    # The Share page's anonymous downloads had kept the report's "(row 76)" quotes, a
    # region of 6 and a plan of 9 in its segment tables, and the themes' and jobs' row
    # ids: only the documents had been anonymous.
    import re

    from miner.insights.run import refresh_insights

    run = load_run(small_run[0])
    segment = run.meta["segment_cols"][0]
    analysed = run.documents.index[run.documents["status"].isin(schema.ANALYSED)]
    run.documents.loc[analysed[:3], run.input_column(segment)] = "Team of three"
    run = refresh_insights(run)
    assert "Team of three" in set(run.segment_summary["segment"])
    plain = {file.file_name: file.data for file in downloads(run)}
    view = document_view(run, anonymous=True)
    anonymous = {file.file_name: file.data for file in downloads(run, view, anonymous=True)}
    assert b"Team of three" in plain["report.html"]
    assert re.search(rb"\(row \d+\)", plain["report.html"])
    report = anonymous["report.html"]
    assert b"Team of three" not in report and not re.search(rb"\(row \d+\)", report)
    assert b"Anonymous: quotes without their row" in report
    for name in ("themes.csv", "jobs.csv", "themes.json"):
        assert b"row_id" in plain[name] and b"row_id" not in anonymous[name], name
    assert anonymous["documents.csv"] == downloads(run, view)[2].data  # the view as given


def test_an_anonymous_view_groups_combinations_of_too_few_respondents(small_run):
    # Each value held by 10 or more, but together a handful: an engagement survey's one
    # senior leader of Legal in London had been shown with their score and words.
    from miner.share import ANONYMOUS_MIN, FEWER, GROUPED

    run = load_run(small_run[0])
    first, second = (run.input_column(s) for s in run.meta["segment_cols"][:2])
    documents = run.documents
    rows = documents.loc[documents["status"] == "ok", "row_id"].drop_duplicates().tolist()
    assert len(rows) >= 40
    where = documents["row_id"].isin
    documents.loc[where(rows[:12]), second] = "Zone"  # 12 hold it
    documents.loc[where(rows[:3] + rows[12:22]), first] = "Quay"  # 13 hold it
    documents.loc[where(rows[3:12]), first] = "Pier"  # and 9 hold this
    plain = document_view(run)
    view = document_view(run, anonymous=True)
    names = run.meta["segment_cols"]
    respondents = view.assign(row_id=plain["row_id"]).drop_duplicates("row_id")
    # Every combination of what the view shows of a respondent (segments, period,
    # language) holds 10 or more, but the one whose every value is grouped.
    shown = [*names, *(c for c in ("period", "language") if c in view.columns)]
    sizes = respondents.groupby(shown, dropna=False).size()
    hidden = {FEWER, GROUPED}
    assert all(n >= ANONYMOUS_MIN or set(key) <= hidden for key, n in sizes.items())
    pairs = respondents[respondents["row_id"].isin(rows[:12])][names[:2]]
    assert ("Quay", "Zone") not in set(map(tuple, pairs.to_numpy()))
    assert (view[names[1]] == "Zone").sum() < (plain[names[1]] == "Zone").sum()
    # Shown alone, the second segment's 12 keep their value.
    alone = document_view(run, anonymous=True, segments=[names[1]])
    assert list(alone.columns).count(names[1]) == 1 and names[0] not in alone.columns
    assert (alone[names[1]] == "Zone").sum() == (plain[names[1]] == "Zone").sum()
    # An NPS answer is shown as its group.
    if run.meta.get("score_type") == "nps":
        assert set(view["score"].dropna()) <= {"promoter", "passive", "detractor"}
