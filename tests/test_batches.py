"""Monthly batches join a run (issue 17, point 4): `miner score NEW --model RUN/model
--into RUN` adds the scored rows as a batch; trends span every batch; re-adding a batch
replaces it; a refused --into leaves the run as it was."""

from __future__ import annotations

import hashlib
import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest

from miner import schema
from miner.persist import load_run


@pytest.fixture(scope="module")
def months(tmp_path_factory, small_feedback_csv):
    """December (150 rows, fitted) and January (100 rows) of the demo slice."""
    demo = pd.read_csv(small_feedback_csv, dtype=str, keep_default_na=False)
    month = demo["submitted_at"].str[:7]
    folder = tmp_path_factory.mktemp("months")
    december, january = folder / "2025-12.csv", folder / "january.csv"
    demo[month == "2025-12"].head(150).to_csv(december, index=False)
    demo[month == "2026-01"].head(100).to_csv(january, index=False)
    return december, january


@pytest.fixture(scope="module")
def december_run(tmp_path_factory, months):
    from miner import FeedbackMiner
    from miner.batch import fit_run

    out = tmp_path_factory.mktemp("runs") / "december"
    miner = FeedbackMiner(seed=3, per_document=False, resamples=0, period="month")
    fit_run(months[0], out, text_col="comment", id_col="customer_id", miner=miner,
            date_col="submitted_at", segment_cols=["plan"], score_col="nps")  # fmt: skip
    return out


def _copy(run_dir, tmp_path):
    return shutil.copytree(run_dir, tmp_path / "run")


def _digests(folder) -> dict:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_months_make_one_run_whose_trends_span_both(december_run, months, tmp_path, cli):
    run_dir = _copy(december_run, tmp_path)
    assert load_run(run_dir).trends["period"].unique().tolist() == ["2025-12"]
    args = ("score", months[1], "--model", run_dir / "model", "--into", run_dir)
    code, _, err = cli(*args, "--batch", "2026-01", "--chunk-rows", "40")
    assert code == 0, err
    assert "Added batch '2026-01' (100 rows) to" in err
    # The run's own columns, said as such: not "(given)" for columns nobody gave.
    fitted = "as the model's run was fitted"
    assert f"Text column 'comment' ({fitted})" in err
    assert f"Date column 'submitted_at' ({fitted})" in err and "(given)" not in err
    run = load_run(run_dir)
    assert run.documents.columns[0] == "batch"
    assert run.documents["batch"].value_counts().to_dict() == {"2025-12": 150, "2026-01": 100}
    assert sorted(run.trends["period"].unique()) == ["2025-12", "2026-01"]
    assert [b["name"] for b in run.meta["batches"]] == ["2025-12", "2026-01"]
    assert int(run.themes.loc[run.themes["theme_id"] >= 0, "comments"].sum()) > 150
    # documents.parquet alone holds every batch, for any reader of it.
    assert len(pd.read_parquet(run_dir / schema.DOCUMENTS_FILE)) == 250
    code, report, _ = cli("report", run_dir)
    assert code == 0 and "250 rows" in report
    assert "Batches (rows): 2025-12 (150); 2026-01 (100)." in report
    assert report.startswith("# Feedback report: 2025-12.csv and 1 batch added\n")
    # Each batch numbers its rows from 0: a quote names its batch (a batch's quotes had
    # cited the fitted file's row of another respondent), in the report and the feed.
    cited = re.findall(r"^> .*\((row \d+[^)]*)\)$", report, flags=re.M)
    assert cited and all(re.fullmatch(r"row \d+ of batch '(?:2025-12|2026-01)'", c) for c in cited)
    code, feed, _ = cli("roadmap", run_dir, "--format", "json")
    from miner.roadmap.export import validate

    validate(json.loads(feed))
    items = json.loads(feed)["themes"] + json.loads(feed)["jobs"]
    quoted = [q for item in items for q in item["quotes"]]
    assert {q["batch"] for q in quoted} <= {"2025-12", "2026-01"} and len(quoted) > 3
    # A co-creator's reason names the batch of the comment it cites, too.
    from miner.roadmap.cocreators import _specific_reason

    comment = pd.Series({"batch": "2026-01", "row_id": 9, "job_statement": "I want SSO."})
    assert (
        _specific_reason(comment, 1.0) == "stated a job: \"I want SSO.\" (row 9 of batch '2026-01')"
    )
    code, feed, _ = cli("roadmap", run_dir)
    assert re.search(r"— customer \S+, row \d+ of batch '2026-01'", feed)

    # The same batch again replaces it: never doubled.
    code, _, err = cli(*args, "--batch", "2026-01")
    assert code == 0, err
    assert "Replaced batch '2026-01' (100 rows) in" in err
    again = load_run(run_dir)
    assert again.documents["batch"].value_counts().to_dict() == {"2025-12": 150, "2026-01": 100}
    assert [b["name"] for b in again.meta["batches"]] == ["2025-12", "2026-01"]
    pd.testing.assert_frame_equal(again.trends, run.trends)

    # A row id names a comment in each batch: moving it by row id is refused, not
    # applied to both; a row only December has moves.
    from miner import curate
    from miner.errors import CurationError

    with pytest.raises(CurationError, match=r"rows \[7\] are in 2 batches of this run"):
        curate.move_comments(run_dir, [7], -1)
    curate.move_comments(run_dir, [140], -1)
    moved = load_run(run_dir).documents.set_index(["batch", "row_id"])["theme_id"]
    assert moved[("2025-12", 140)] == -1


def test_a_batch_keeps_its_new_topics_and_the_same_rows_are_not_added_twice(
    december_run, months, tmp_path, cli
):
    run_dir = _copy(december_run, tmp_path)
    args = ("score", months[1], "--model", run_dir / "model", "--into", run_dir)
    code, _, err = cli(*args, "--batch", "2026-01")
    assert code == 0, err
    run = load_run(run_dir)
    # Comments no theme explains stay marked in the run (the fitted rows: False), among
    # the contract's columns: the input's own columns are still the input's.
    from miner.insights.run import input_frame

    before = load_run(december_run, curated=False)
    assert list(input_frame(run.documents, run.meta).columns) == list(
        input_frame(before.documents, before.meta).columns
    )
    novel = run.documents.groupby("batch")["theme_novel"].sum().to_dict()
    assert novel["2025-12"] == 0
    found = run.meta["batches"][1]["new_topics"]
    january = run.documents[run.documents["batch"] == "2026-01"]
    assert found["analysed"] == january["status"].isin(schema.ANALYSED).sum()
    assert found["novel"] == novel["2026-01"]
    # They count for no theme of the run (a new topic's comments had been counted in
    # their nearest themes and made one "emerging").
    far = january[january["theme_novel"].astype(bool)]
    assert len(far) and (far["theme_id"] == -1).all()
    assert all(len(ids) == 0 for ids in far["theme_ids"])
    code, report, _ = cli("report", run_dir)
    assert code == 0
    assert "## New topics in batch '2026-01'" in report
    assert f"{found['novel']:,} of {found['analysed']:,} analysed comments" in report

    # January again under another name (another export of the same month): refused.
    before = _digests(run_dir)
    again = tmp_path / "january-export.csv"
    shutil.copy(months[1], again)
    code, _, err = cli("score", again, "--model", run_dir / "model", "--into", run_dir)
    assert code == 2
    assert "100 of the 100 rows" in err and "are rows of batch '2026-01'" in err
    assert "give --batch 2026-01" in err
    assert "Rows in" not in err  # refused as read, before a row was scored
    # The rows the run was fitted on, under a new name: refused too.
    december = tmp_path / "december-again.csv"
    shutil.copy(months[0], december)
    code, _, err = cli("score", december, "--model", run_dir / "model", "--into", run_dir)
    assert code == 2 and "the rows the run was fitted on" in err
    assert _digests(run_dir) == before


def test_a_batchs_new_topic_is_named_in_the_roadmap(december_run, months, tmp_path, cli):
    # A night's new topic (duplicate bills, 7.7% of it) counts for no theme of the run:
    # the roadmap had named it nowhere.
    run_dir = _copy(december_run, tmp_path)
    january = pd.read_csv(months[1], dtype=str, keep_default_na=False)
    months_named = ["January", "February", "March", "April", "May", "June"]
    new = [
        f"the parking garage gate at your {months_named[i % 6]} conference venue would not "
        f"open and we missed the keynote ({i})"
        for i in range(45)
    ]
    january.loc[january.index[:45], "comment"] = new
    night = tmp_path / "night.csv"
    january.to_csv(night, index=False)
    code, _, err = cli("score", night, "--model", run_dir / "model", "--into", run_dir)
    assert code == 0, err
    topics = load_run(run_dir).meta["batches"][1]["new_topics"]["topics"]
    assert topics and max(t["comments"] for t in topics) >= 20
    code, out, _ = cli("roadmap", run_dir, "--format", "json")
    assert code == 0
    feed = json.loads(out)
    assert [t["batch"] for t in feed["new_topics"]] == ["night"] * len(topics)
    assert sum(t["comments"] for t in feed["new_topics"]) == sum(t["comments"] for t in topics)
    assert any("garage" in e for t in feed["new_topics"] for e in t["examples"])
    code, markdown, _ = cli("roadmap", run_dir)
    assert "## New topics in added batches (not ranked: no theme of the run yet)" in markdown


def test_a_refused_or_interrupted_into_leaves_the_run_as_it_was(
    december_run, months, tmp_path, cli, monkeypatch
):
    from miner import persist

    run_dir = _copy(december_run, tmp_path)
    other = shutil.copytree(run_dir / "model", tmp_path / "other" / "model")
    before = _digests(run_dir)
    refused = [
        ("score", months[1], "--into", run_dir),  # no --model
        ("score", months[1], "--model", other, "--into", run_dir),  # another run's model
        ("score", months[0], "--model", run_dir / "model", "--into", run_dir),  # fitted batch
        ("score", months[1], "--model", run_dir / "model", "--into", run_dir, "--batch", "../x"),
    ]
    for args in refused:
        code, _, err = cli(*args)
        assert code == 2 and "E108" in err, err
        assert _digests(run_dir) == before

    # Interrupted while the run is written (after documents.parquet): nothing changes.
    def interrupted(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr(persist, "write_csv", interrupted)
    code, _, _ = cli("score", months[1], "--model", run_dir / "model", "--into", run_dir)
    assert code == 130
    assert _digests(run_dir) == before


def test_score_with_a_model_reads_the_input_as_its_run_was_fitted(
    small_run, small_feedback_csv, tmp_path
):
    # A longer free-text column beside the fitted one: detection would take it.
    import json

    from miner.batch import score_file

    frame = pd.read_csv(small_feedback_csv, dtype=str, keep_default_na=False).head(60)
    frame["agent_notes"] = "Customer called about the account and we talked it through " * 3
    path = tmp_path / "march.csv"
    frame.to_csv(path, index=False)
    run_dir = shutil.copytree(small_run[0], tmp_path / "run")
    meta = json.loads((run_dir / schema.RUN_FILE).read_text())
    meta["insights"]["trends"]["period"] = "quarter"  # as if fitted --period quarter
    (run_dir / schema.RUN_FILE).write_text(json.dumps(meta))
    said: list[str] = []
    out = tmp_path / "scored.csv"
    score_file(path, out, model=run_dir / "model", say=said.append, new_topics_file=False)
    assert "Text column 'comment' (as the model's run was fitted)" in said
    date_line = next(line for line in said if line.startswith("Date column"))
    assert f"'{meta['date_col']}' (as the model's run was fitted)" in date_line
    scored = pd.read_csv(out)
    assert scored["period"].dropna().str.fullmatch(r"\d{4}Q[1-4]").all()
    # Without the fitted column in the input, the text column is detected as before.
    renamed = tmp_path / "renamed.csv"
    frame.drop(columns="agent_notes").rename(columns={"comment": "feedback"}).to_csv(
        renamed, index=False
    )
    said.clear()
    score_file(renamed, tmp_path / "again.csv", model=run_dir / "model", say=said.append,
               new_topics_file=False)  # fmt: skip
    assert "Text column 'feedback' (detected)" in said


def test_a_batch_from_another_tool_names_its_own_columns_for_the_runs(
    december_run, months, tmp_path, cli
):
    # The next quarter from another survey tool ("Response Date", "Likelihood"): its
    # --date-col, --score-col and --segment-col had been ignored, and the batch refused
    # for lacking the run's "submitted_at".
    run_dir = _copy(december_run, tmp_path)
    january = pd.read_csv(months[1], dtype=str, keep_default_na=False)
    other = tmp_path / "other_tool.csv"
    names = {"submitted_at": "Response Date", "nps": "Likelihood", "plan": "Plan Type"}
    january.rename(columns=names).to_csv(other, index=False)
    args = ("score", other, "--model", run_dir / "model", "--into", run_dir)
    code, _, err = cli(*args, "--batch", "2026-01")
    assert code == 2 and "E103" in err and "submitted_at" in err
    assert "names its own columns for the run's with --text-col, --date-col" in err
    given = ("--date-col", "Response Date", "--score-col", "Likelihood")
    code, _, err = cli(*args, "--batch", "2026-01", *given, "--segment-col", "Plan Type",
                       "--segment-col", "region")  # fmt: skip
    assert code == 2 and "give 1" in err and "'plan'" in err
    code, _, err = cli(*args, "--batch", "2026-01", *given, "--segment-col", "Plan Type")
    assert code == 0, err
    run = load_run(run_dir)
    assert sorted(run.trends["period"].unique()) == ["2025-12", "2026-01"]
    batch = run.documents[run.documents["batch"] == "2026-01"]
    assert batch[run.input_column("plan")].tolist() == january["plan"].tolist()
    assert batch["score"].notna().all()
    assert not {"Response Date", "Likelihood", "Plan Type"} & set(run.documents.columns)
    # Its text column under another name: read as the run's text (the report's quotes
    # of such a batch had been "nan").
    worded = tmp_path / "worded.csv"
    january.rename(columns={**names, "comment": "Your feedback"}).to_csv(worded, index=False)
    code, _, err = cli("score", worded, "--model", run_dir / "model", "--into", run_dir,
                       "--batch", "2026-01", "--text-col", "Your feedback", *given,
                       "--segment-col", "Plan Type")  # fmt: skip
    assert code == 0, err
    run = load_run(run_dir)
    batch = run.documents[run.documents["batch"] == "2026-01"]
    assert batch[run.text_col].tolist() == january["comment"].tolist()
    assert "Your feedback" not in run.documents.columns
    code, report, _ = cli("report", run_dir)
    assert code == 0 and "> nan" not in report


def test_a_batch_of_dates_written_day_first_is_read_in_the_order_given(
    december_run, months, tmp_path, cli
):
    # A UK night's "03/12/2026" had gone into March, unsaid ("as the model's run was
    # fitted"), and --date-order day-first was not taken with --into: the trends, redone
    # over every batch, read it month first again.
    run_dir = _copy(december_run, tmp_path)
    january = pd.read_csv(months[1], dtype=str, keep_default_na=False)
    january["submitted_at"] = "03/01/2026"  # one night: which order is a guess
    uk = tmp_path / "uk.csv"
    january.to_csv(uk, index=False)
    args = ("score", uk, "--model", run_dir / "model", "--into", run_dir, "--batch", "uk")
    code, _, err = cli(*args)
    assert code == 0, err
    assert "so the order is a guess (--date-order day-first" in err
    assert load_run(run_dir).meta.get("date_dayfirst") is None  # a guess settles nothing
    code, _, err = cli(*args, "--date-order", "day-first")
    assert code == 0, err
    run = load_run(run_dir)
    assert run.meta["date_dayfirst"] is True
    assert sorted(run.trends["period"].unique()) == ["2025-12", "2026-01"]
    batch = run.documents[run.documents["batch"] == "uk"]
    assert set(batch["period"]) == {"2026-01"}
    # The run now reads its dates day first: a batch is read so, unasked, and the other
    # order is refused.
    code, _, err = cli(*args)
    assert code == 0 and set(load_run(run_dir).documents["period"]) == {"2025-12", "2026-01"}
    assert "read day first, as the model's run reads its dates" in err
    code, _, err = cli(*args, "--date-order", "month-first")
    assert code == 2 and "E108" in err and "reads its dates day first" in err


def test_a_batch_reads_a_turned_round_score_as_its_run_does(december_run, months, tmp_path, cli):
    # A run fitted with --score-reversed reads each batch's score turned round too.
    run_dir = _copy(december_run, tmp_path)
    meta_file = run_dir / "run.json"
    meta = json.loads(meta_file.read_text())
    meta["score_reversed"] = True
    meta_file.write_text(json.dumps(meta))
    args = ("score", months[1], "--model", run_dir / "model", "--into", run_dir, "--batch", "jan")
    code, _, err = cli(*args)
    assert code == 0 and "turned round" in err, err
    january = pd.read_csv(months[1])
    batch = load_run(run_dir).documents.query("batch == 'jan'")
    assert batch["score"].tolist() == (10 - january["nps"]).astype(float).tolist()


def test_a_batch_names_its_own_customer_id_column(december_run, months, tmp_path, cli):
    # A night's "Contact ID" for the run's "contact_id": every row of it had been left
    # without a customer, unsaid (score had no --id-col).
    run_dir = _copy(december_run, tmp_path)
    january = pd.read_csv(months[1], dtype=str, keep_default_na=False)
    other = tmp_path / "other_ids.csv"
    january.rename(columns={"customer_id": "Customer ID"}).to_csv(other, index=False)
    args = ("score", other, "--model", run_dir / "model", "--into", run_dir, "--batch", "jan")
    code, _, err = cli(*args)
    assert code == 0 and "The batch has no 'customer_id' column" in err
    code, _, err = cli(*args, "--id-col", "Client")
    assert code == 2 and "E103" in err and "Customer ID" in err
    assert "Text column" not in err  # refused before the batch is scored
    code, _, err = cli(*args, "--id-col", "Customer ID")
    assert code == 0, err
    batch = load_run(run_dir).documents.query("batch == 'jan'")
    assert batch["customer_id"].tolist() == january["customer_id"].tolist()
    code, _, err = cli("score", other, "--model", run_dir / "model", "--out",
                       tmp_path / "o.csv", "--id-col", "Customer ID")  # fmt: skip
    assert code == 2 and "with --into" in err


def test_rows_left_out_at_the_fit_stay_out_of_its_batches(months, tmp_path, cli):
    # A team's own staff ("plan=Internal") had made themes, quotes and co-creators:
    # `miner fit --leave-out` reads the file without them, says so and records it, and
    # a batch added to the run later leaves out the same rows.
    from miner import FeedbackMiner
    from miner.batch import fit_run

    december, january = months
    said: list[str] = []
    out = tmp_path / "run"
    miner = FeedbackMiner(seed=3, per_document=False, resamples=0, period="month")
    fit_run(december, out, text_col="comment", miner=miner, say=said.append,
            leave_out={"Plan": ["business", "FREE"]})  # fmt: skip
    plans = pd.read_csv(december)["plan"]
    gone = int(plans.isin(["business", "free"]).sum())
    assert 0 < gone < len(plans)
    assert f"{gone} rows left out as asked (--leave-out plan=business,FREE {gone})" in said
    # The rows read are said with those kept: not only the kept ones.
    kept = len(plans) - gone
    assert said[0].startswith(
        f"Read {len(plans)} rows from 2025-12.csv ({kept} kept, {gone} left out"
    )
    run = load_run(out)
    assert len(run.documents) == len(plans) - gone
    assert run.meta["leave_out"] == {"Plan": ["business", "FREE"]}
    code, _, err = cli("score", january, "--model", out / "model", "--into", out)
    assert code == 0, err
    expected = int((~pd.read_csv(january)["plan"].isin(["business", "free"])).sum())
    assert f"Added batch 'january' ({expected} rows)" in err
    # An unknown column is said before any work (E103), in `score` too.
    code, _, err = cli("score", january, "--out", tmp_path / "s.csv", "--leave-out", "tier=x")
    assert code == 2 and "E103 --leave-out column 'tier' not found" in err


def test_a_batch_of_a_survey_of_two_questions_keeps_each_respondents_score(tmp_path, cli):
    # Each batch numbers its rows from 0: a batch's respondents had been taken for the
    # fit's (row 0 of each the same respondent), and 990 of 1,000 scores were lost.
    from miner import FeedbackMiner
    from miner.batch import fit_run

    rng = np.random.default_rng(0)
    why = ["the export to excel fails", "support answered within minutes", "prices went up"]
    better = ["a dark mode please", "faster sync with the bank", "a mobile app for receipts"]

    def survey(path, month, n):
        pd.DataFrame(
            {
                "submitted": [f"2026-{month:02d}-{1 + i % 27:02d}" for i in range(n)],
                "nps": rng.integers(0, 11, n),
                "why": [f"{why[i % 3]} ({month}-{i})" for i in range(n)],
                "improve": [f"{better[i % 3]} ({month}-{i})" for i in range(n)],
            }
        ).to_csv(path, index=False)

    survey(tmp_path / "march.csv", 3, 90)
    survey(tmp_path / "april.csv", 4, 60)
    run_dir = tmp_path / "run"
    miner = FeedbackMiner(seed=3, per_document=False, resamples=0, period="month")
    fit_run(tmp_path / "march.csv", run_dir, text_col=["why", "improve"], miner=miner,
            date_col="submitted", score_col="nps")  # fmt: skip
    assert load_run(run_dir).meta["insights"]["drivers"]["score"]["n"] == 90
    code, _, err = cli("score", tmp_path / "april.csv", "--model", run_dir / "model",
                       "--into", run_dir)  # fmt: skip
    assert code == 0, err
    assert load_run(run_dir).meta["insights"]["drivers"]["score"]["n"] == 150
