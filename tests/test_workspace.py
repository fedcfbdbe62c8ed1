"""The app's workspace: safe names, one run per file + mapping + seed, friendly refusals,
a background fit that reports its stage and rows and can be cancelled, the runs list."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from miner import schema, workspace
from miner.errors import NoUsableText, UnreadableInput, UnsafeName
from miner.persist import load_run
from miner.workspace import (
    ColumnMapping,
    Workspace,
    check_mapping,
    read_upload,
    safe_name,
    suggest_mapping,
)

HOSTILE = ["..", ".", "../outside", "/etc/passwd", "a/b", "a\\b", "", "x\x00y", "runs/../.."]


@pytest.fixture
def ws(tmp_path):
    return Workspace(tmp_path / "ws")


def test_hostile_names_never_leave_the_workspace(ws, tmp_path):
    for name in HOSTILE:
        with pytest.raises(UnsafeName):
            ws.run_dir(name)
        with pytest.raises(UnsafeName):
            ws.rename(name, "x")
        with pytest.raises(UnsafeName):
            ws.delete(name)
    outside = tmp_path / "outside"
    outside.mkdir()
    (ws.root / "runs").mkdir(parents=True)
    (ws.root / "runs" / "escape").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafeName, match="outside the workspace"):
        ws.run_dir("escape")
    # A typed file name only ever names a file in uploads/.
    upload = ws.save_upload("../../etc/passwd.csv", b"comment\nhello there\n")
    assert upload.path.parent == (ws.root / "uploads").resolve()
    assert upload.path.name.endswith("-passwd.csv") and upload.name == "passwd.csv"
    assert safe_name("../../ètc/pass wd") == "etc-pass-wd"
    assert safe_name("..") == "file" and safe_name(".hidden") == "hidden"
    assert sorted(p.name for p in outside.iterdir()) == []


def test_same_bytes_with_another_mapping_or_seed_is_another_run(ws, workspace_survey):
    upload = ws.save_upload("survey.csv", workspace_survey)
    assert ws.save_upload("renamed.csv", workspace_survey).digest == upload.digest
    by_comment = ColumnMapping(text_cols=("comment",))
    by_plan = ColumnMapping(text_cols=("plan",))
    assert ws.run_id(upload, by_comment, 42) == ws.run_id(upload, by_comment, 42)
    assert ws.run_id(upload, by_comment, 42) != ws.run_id(upload, by_plan, 42)
    assert ws.run_id(upload, by_comment, 42) != ws.run_id(upload, by_comment, 7)
    other = ws.save_upload("survey.csv", workspace_survey + b"one more comment here,,,,,,,\n")
    assert ws.run_id(other, by_comment, 42) != ws.run_id(upload, by_comment, 42)


def test_a_gzip_compressed_export_is_taken_and_read(ws):
    import gzip

    from miner.ingest import load_corpus

    packed = ws.save_upload("survey.csv.gz", gzip.compress(b"comment\nexport fails\n"))
    assert packed.name == "survey.csv.gz"
    assert load_corpus(packed.path).texts == ["export fails"]


def test_a_workbook_offers_its_data_sheet_first(ws):
    # A README sheet of 3 rows before 500 responses had been the sheet offered, and the
    # fit refused ("'note' has 3 comments"), where `miner fit` reads the responses.
    import io

    import pandas as pd

    from miner.workspace import sheet_names

    data = io.BytesIO()
    with pd.ExcelWriter(data, engine="openpyxl") as writer:
        pd.DataFrame({"note": ["Exported 2026-11-30", "Do not edit", "Owner: CX"]}).to_excel(
            writer, sheet_name="README", index=False
        )
        answers = [f"the export to excel fails on report {i} every monday" for i in range(60)]
        pd.DataFrame({"comment": answers}).to_excel(writer, sheet_name="Responses", index=False)
    upload = ws.save_upload("survey.xlsx", data.getvalue())
    assert sheet_names(upload) == ["Responses", "README"]


def test_empty_wrong_type_and_too_large_files_are_refused_with_a_message(ws, monkeypatch):
    with pytest.raises(NoUsableText, match="'feedback.csv' is empty") as empty:
        ws.save_upload("feedback.csv", b"")
    assert str(ws.root) not in str(empty.value) and "/tmp" not in str(empty.value)
    with pytest.raises(UnreadableInput, match="unsupported format '.pdf'"):
        ws.save_upload("report.pdf", b"%PDF-1.4")
    with pytest.raises(UnreadableInput, match="unsupported format '.gz'"):
        ws.save_upload("report.gz", b"\x1f\x8b")
    # Streamlit's own limit is the same number.
    from miner.app_server import settings

    given = settings()
    assert given[given.index("--server.maxUploadSize") + 1] == str(workspace.MAX_UPLOAD_MB)
    monkeypatch.setattr(workspace, "MAX_UPLOAD_MB", 1)
    with pytest.raises(UnreadableInput, match="up to 1 MB"):
        ws.save_upload("big.csv", b"comment\n" + b"x" * (1024 * 1024 + 1))
    assert not (ws.root / "uploads").exists() or not any((ws.root / "uploads").iterdir())


def test_a_file_of_three_rows_or_without_text_gets_a_friendly_message(ws):
    three = ws.save_upload("three.csv", b"comment\nslow sync\ngreat app\nbad login\n")
    frame = read_upload(three)
    with pytest.raises(NoUsableText, match="has 3 comments; finding themes needs at least 20"):
        check_mapping(frame, suggest_mapping(frame))
    numbers = ws.save_upload("numbers.csv", b"a,b\n1,2\n3,4\n")
    with pytest.raises(NoUsableText, match="no column holds text"):
        suggest_mapping(read_upload(numbers))
    broken = ws.save_upload("broken.json", b"{not json")
    with pytest.raises(UnreadableInput) as error:
        read_upload(broken)
    assert "broken.json" in str(error.value) and str(ws.root) not in str(error.value)


def test_detected_columns_are_suggested_and_several_text_columns_noted(ws, small_feedback_csv):
    frame = read_upload(ws.save_upload("survey.csv", small_feedback_csv.read_bytes()))
    mapping = suggest_mapping(frame)
    assert mapping.text_cols == ("comment",) and mapping.id_col == "customer_id"
    assert mapping.date_col == "submitted_at" and mapping.score_col == "nps"
    assert set(mapping.segment_cols) == {"plan", "region", "channel"}
    notes = check_mapping(frame, ColumnMapping(text_cols=("comment", "plan")))
    assert "2 open questions (comment, plan)" in notes[0]
    with pytest.raises(UnsafeName, match="cannot also be another role"):
        check_mapping(frame, ColumnMapping(text_cols=("comment",), segment_cols=("comment",)))
    # "One comment per row": the columns joined (title+body), each checked.
    notes = check_mapping(frame, ColumnMapping(text_cols=("plan+comment",)))
    assert notes == ["plan + comment read as one comment per row, each part a sentence."]
    with pytest.raises(UnsafeName, match="'plan' is a text column"):
        check_mapping(frame, ColumnMapping(text_cols=("plan+comment",), segment_cols=("plan",)))


def test_the_fit_reports_its_stages_and_rows_done(workspace_fit):
    ws, run_id, upload, mapping, updates, code = workspace_fit
    assert code == 0
    stages = [u["stage"] for u in updates if "stage" in u]
    assert stages[0] == "Reading survey.csv"
    assert any(s.startswith("Read 60 rows from survey.csv") for s in stages)
    embedding = stages.index(next(s for s in stages if s.startswith("Embedding")))
    assert any(s.startswith("Finding themes") for s in stages[embedding:])
    counts = [(u["rows_done"], u["rows_total"]) for u in updates if u.get("rows_total")]
    # Reading (cleaning) the 60 rows is counted first, then the later stages in steps.
    assert counts[0] == (60, 60) and any(done == 25 for done, _ in counts)
    assert counts[-1][0] == counts[-1][1]
    assert any(s.startswith("Reading 60 comments: greetings, signatures") for s in stages)
    # Each counted stage ends at its total; the sentiment/kind/jobs stage counts in steps
    # (25 of 56 above). Embedding adds steps only for texts the session's cache lacks.
    assert len(counts) >= 3 and all(done <= total for done, total in counts)
    entry = ws.run(run_id)
    assert entry.state == schema.FIT_DONE and entry.rows == 60 and entry.themes >= 1
    run = load_run(entry.path)
    assert run.meta["text_col"] == "comment" and run.meta["id_col"] == "customer_id"
    assert run.meta["segment_cols"] == list(mapping.segment_cols)
    # The run names the PM's file, not where the workspace stored the upload (that
    # path went into shared reports and roadmaps).
    assert run.meta["source"] == "survey.csv" != upload.path.name
    assert not list(entry.path.glob(".*partial-*"))


def test_cancel_stops_the_fit_and_leaves_no_run(ws, workspace_survey):
    upload = ws.save_upload("survey.csv", workspace_survey)
    entry = ws.start_fit(upload, ColumnMapping(text_cols=("comment",)), seed=1, name="Stop me")
    pid = workspace.read_progress(entry.path)["pid"]
    assert entry.state == schema.FIT_RUNNING and pid
    deadline = time.monotonic() + 60
    while workspace.read_progress(entry.path)["stage"] == "Starting":
        assert time.monotonic() < deadline, "the worker never started"
        time.sleep(0.1)
    cancelled = ws.cancel(entry.run_id)
    assert cancelled.state == schema.FIT_CANCELLED
    assert not workspace._alive(pid)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    left = {p.name for p in entry.path.iterdir()}
    assert left <= {schema.WORKSPACE_RUN_FILE, schema.PROGRESS_FILE, schema.FIT_LOG_FILE}
    # Fitting it again starts afresh.
    again = ws.start_fit(upload, ColumnMapping(text_cols=("comment",)), seed=1)
    assert again.run_id == entry.run_id and again.state == schema.FIT_RUNNING
    ws.delete(again.run_id)
    assert not entry.path.exists()


def test_a_fit_whose_process_vanished_is_reported_failed(ws):
    path = ws.run_dir("gone")
    path.mkdir(parents=True)
    workspace._write_json(path / schema.PROGRESS_FILE, workspace._progress("running", "Embedding"))
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    workspace.update_progress(path, pid=gone.pid)
    entry = ws.run("gone")
    assert entry.state == schema.FIT_FAILED and "start it again" in entry.error


def test_runs_list_rename_and_delete(workspace_fit, tmp_path):
    fitted, run_id, *_ = workspace_fit
    ws = Workspace(shutil.copytree(fitted.root, tmp_path / "ws"))  # the session's stays
    upload = ws.upload(fitted.runs()[0].mapping["upload"])
    (entry,) = ws.runs()
    assert (entry.name, entry.source, entry.state) == ("Survey", "survey.csv", schema.FIT_DONE)
    renamed = ws.rename(run_id, "  Q3   survey  ")
    assert renamed.name == "Q3 survey" and renamed.path == entry.path
    assert ws.runs()[0].name == "Q3 survey"
    with pytest.raises(UnsafeName):
        ws.rename(run_id, "   ")
    # An upload no run uses is pruned once old; one a run uses is kept.
    spare = ws.save_upload("spare.csv", b"comment\nan unused upload\n")
    os.utime(spare.path, (0, 0))
    assert ws.prune_uploads() == [spare.path] and upload.path.exists()
    ws.delete(run_id)
    assert ws.runs() == [] and not entry.path.exists() and not upload.path.exists()


def test_a_failed_fits_message_speaks_of_the_apps_controls(tmp_path):
    from types import SimpleNamespace

    from miner.workspace import _as_uploaded

    upload = SimpleNamespace(path=tmp_path / "uploads" / "a1b2.csv", name="survey.csv")
    error = NoUsableText(
        f"no usable text rows in column 'plan' in {upload.path}; pick another column with "
        "--text-col"
    )
    shown = _as_uploaded(error, upload).message
    assert "survey.csv" in shown and str(tmp_path) not in shown
    assert shown.endswith("pick another column as the comment column")  # not a CLI flag


def test_a_slack_export_zip_can_be_uploaded(ws, tmp_path):
    # The app's upload had taken no .zip: a Slack export as Slack delivers it.
    import io
    import json
    import zipfile

    from miner.workspace import read_upload

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zipped:
        messages = [
            {"type": "message", "user": "U1", "ts": "1780290000.0001", "text": "sync fails"}
        ]
        zipped.writestr("export/help/2026-06-01.json", json.dumps(messages))
    upload = ws.save_upload("slack.zip", data.getvalue())
    frame = read_upload(upload)
    assert frame["text"].tolist() == ["sync fails"] and frame["channel"].tolist() == ["help"]
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as zipped:
        zipped.writestr("notes.txt", "hello")
    with pytest.raises(UnreadableInput, match="a .zip is read when it holds a Slack export"):
        read_upload(ws.save_upload("notes.zip", other.getvalue()))
