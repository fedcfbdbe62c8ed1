"""The Bring a file and Runs pages: upload, preview, mapped columns, progress, runs list."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from streamlit.testing.v1 import AppTest

from miner import schema, workspace
from miner.app_server import APP
from miner.persist import load_run
from miner.workspace import Workspace

BRING = "app_pages/workspace.py"
RUNS = "app_pages/runs.py"


def _app(root, monkeypatch) -> AppTest:
    monkeypatch.setenv("MINER_WORKSPACE", str(root))
    # No run to fall back on, even in a checkout where `make app` built runs/demo.
    monkeypatch.setenv("MINER_RUN", str(root / "no-run"))
    return AppTest.from_file(str(APP), default_timeout=120)


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label or b.label.startswith(f"{label} ("))


@pytest.fixture
def copied(workspace_fit, tmp_path):
    """A copy of the fitted workspace (the pages rename and delete its run)."""
    ws, run_id, *_ = workspace_fit
    return Workspace(shutil.copytree(ws.root, tmp_path / "ws")), run_id


def test_bring_a_file_without_a_run_is_a_friendly_start(tmp_path, monkeypatch):
    at = _app(tmp_path / "empty", monkeypatch)
    at.run()  # the Themes page, no run yet
    assert not at.exception, at.exception
    assert not at.error
    assert "No run is open yet" in at.info[0].value
    at.switch_page(BRING).run()
    assert not at.exception, at.exception
    assert "Upload a feedback export" in at.info[0].value
    assert "200 MB" in at.caption[0].value and str(tmp_path / "empty") in at.caption[0].value
    # (A file of another type never gets here: the uploader refuses it by extension.)
    three = b"comment\nslow\ngood\nbad app, mail me at pat.doe@example.com\n"
    at.file_uploader[0].upload("three.csv", three, "text/csv").run()
    # The preview masks personal data as every other page does.
    assert at.dataframe[0].value["comment"].tolist()[2] == "bad app, mail me at [email]"
    at.form_submit_button[0].click().run()
    assert not at.exception
    assert any("finding themes needs at least 20" in e.value for e in at.error)
    assert not (tmp_path / "empty" / "runs").exists()


def test_upload_preview_preselected_columns_and_open_the_fitted_run(
    copied, workspace_fit, monkeypatch
):
    ws, run_id = copied
    _, _, upload, mapping, _, _ = workspace_fit
    at = _app(ws.root, monkeypatch)
    at.switch_page(BRING).run()
    at.file_uploader[0].upload("survey.csv", upload.path.read_bytes(), "text/csv").run()
    assert not at.exception, at.exception
    preview = at.dataframe[0].value
    assert len(preview) == 20 and "comment" in preview.columns
    assert at.multiselect[0].value == ["comment"]  # text column(s)
    picked = {s.label: s.value for s in at.selectbox}
    assert picked["Customer id"] == mapping.id_col == "customer_id"
    assert picked["Date"] == mapping.date_col and picked["Score"] == mapping.score_col
    # The same file, columns and seed as the fitted run: reopened, not fitted again.
    at.number_input[0].set_value(3)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    # Said where the PM clicked, since the progress is drawn at the top of the page.
    assert any("Finding themes in **" in i.value for i in at.info)
    ready = next(s.value for s in at.success if "is ready" in s.value)
    # Named with its file and time: two fits of survey.csv and survey.xlsx told apart.
    entry = ws.runs()[0]
    assert ready.startswith(f"**{entry.name}** (") and entry.created[:16] in ready
    assert [e.run_id for e in ws.runs()] == [run_id]
    _button(at, "Open its themes").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Themes"
    assert at.metric[0].value == "60"


def _fit_from_the_form(copied, workspace_fit, monkeypatch, choose):
    """The survey uploaded on Bring a file, seed 3, ``choose(at)`` on the form, submitted;
    the run it started is cancelled and fitted here instead, in this process (models
    loaded once). Returns the new run's folder."""
    ws, run_id = copied
    upload = workspace_fit[2]
    at = _app(ws.root, monkeypatch)
    at.switch_page(BRING).run()
    at.file_uploader[0].upload("survey.csv", upload.path.read_bytes(), "text/csv").run()
    at.number_input[0].set_value(3)
    choose(at)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    (started,) = [e for e in ws.runs() if e.run_id != run_id]
    ws.cancel(started.run_id)
    path = ws.run_dir(started.run_id)
    assert workspace._read_json(path / schema.WORKSPACE_RUN_FILE)["seed"] == 3
    assert workspace.fit_in_workspace(path) == 0
    return path


def _ticking(label: str):
    """A choice on the form: tick the box ``label`` (unticked by default)."""

    def tick(at):
        (box,) = (c for c in at.checkbox if c.label == label)
        assert box.value is False
        box.check()

    return tick


def test_fewer_themes_is_another_run_fitted_coarser(copied, workspace_fit, monkeypatch):
    """The Themes control (default Automatic) reaches the background fit: Fewer is a
    run of its own, fitted with --granularity coarser."""

    def fewer(at):
        (themes,) = (r for r in at.radio if r.label == "Themes")
        assert themes.value == "Automatic"
        themes.set_value("Fewer")

    path = _fit_from_the_form(copied, workspace_fit, monkeypatch, fewer)
    assert workspace._read_json(path / schema.WORKSPACE_RUN_FILE)["granularity"] == "coarser"
    coarser = workspace._read_json(path / schema.RUN_FILE)["theme_count"]
    automatic = workspace._read_json(copied[0].run_dir(copied[1]) / schema.RUN_FILE)
    automatic = automatic["theme_count"]
    assert coarser["granularity"] == "coarser" and coarser["automatic"] == automatic["cut"]
    assert coarser["themes"] < automatic["themes"]


def test_keeping_an_earlier_runs_themes_carries_its_curation(copied, workspace_fit, monkeypatch):
    """Next month's export fitted in the app keeps last month's renames (the app had no
    way to: every rename and merge was lost each month; the CLI's --previous had one)."""
    from miner import curate
    from miner.persist import load_run

    ws, run_id = copied
    earlier = ws.run_dir(run_id)
    themes = load_run(earlier).themes
    largest = int(themes.loc[themes["theme_id"] >= 0, "theme_id"].iloc[0])
    curate.rename_theme(earlier, largest, "Bank feeds we renamed")

    def keep(at):
        (box,) = (s for s in at.selectbox if s.label == "Keep the themes of")
        assert box.value is None
        box.set_value(run_id)

    path = _fit_from_the_form(copied, workspace_fit, monkeypatch, keep)
    assert workspace._read_json(path / schema.WORKSPACE_RUN_FILE)["previous"] == run_id
    assert "Bank feeds we renamed" in set(load_run(path).themes["theme_label"])


def test_themes_only_is_another_run_fitted_without_the_heads(copied, workspace_fit, monkeypatch):
    """The Themes only box reaches the background fit: a run of its own, with the same
    themes and no sentiment, kind or jobs."""

    path = _fit_from_the_form(copied, workspace_fit, monkeypatch, _ticking("Themes only"))
    assert workspace._read_json(path / schema.WORKSPACE_RUN_FILE)["themes_only"] is True
    quick = load_run(path).documents
    full = load_run(copied[0].run_dir(copied[1])).documents
    assert "sentiment" in full.columns and "sentiment" not in quick.columns
    assert quick["theme_id"].tolist() == full["theme_id"].tolist()


def test_check_jobs_is_another_run_fitted_with_the_job_gate(copied, workspace_fit, monkeypatch):
    """The Check jobs box reaches the background fit: a run of its own whose model
    keeps the job gate, with the same themes and no more jobs."""

    path = _fit_from_the_form(copied, workspace_fit, monkeypatch, _ticking("Check jobs (reviews)"))
    assert workspace._read_json(path / schema.WORKSPACE_RUN_FILE)["job_gate"] is True
    assert workspace._read_json(path / "model" / "config.json")["job_gate"] is True
    gated = load_run(path).documents
    full = load_run(copied[0].run_dir(copied[1])).documents
    assert gated["theme_id"].tolist() == full["theme_id"].tolist()
    assert gated["job_statement"].notna().sum() <= full["job_statement"].notna().sum()


def test_a_running_fit_shows_its_stage_rows_and_cancel(tmp_path, monkeypatch):
    ws = Workspace(tmp_path / "ws")
    path = ws.run_dir("survey-0123456789ab")
    path.mkdir(parents=True)
    workspace._write_json(path / schema.WORKSPACE_RUN_FILE, {"name": "Big survey"})
    sleeper = subprocess.Popen(["sleep", "60"], start_new_session=True)
    try:
        workspace._write_json(
            path / schema.PROGRESS_FILE,
            {**workspace._progress(schema.FIT_RUNNING, "Embedding 9,000 distinct comments"),
             "pid": sleeper.pid, "rows_done": 2560, "rows_total": 9000},
        )  # fmt: skip
        at = _app(ws.root, monkeypatch)
        at.switch_page(BRING).run()
        assert not at.exception, at.exception
        (bar,) = at.progress
        assert bar.value == 28
        assert "Big survey" in bar.text and "Embedding 9,000 distinct comments" in bar.text
        assert "2,560 of 9,000 rows" in bar.text
        _button(at, "Cancel").click().run()
        assert not at.exception, at.exception
        assert sleeper.wait(timeout=20) is not None
        assert ws.run("survey-0123456789ab").state == schema.FIT_CANCELLED
    finally:
        sleeper.kill()


def test_runs_page_lists_renames_opens_and_deletes(copied, monkeypatch):
    ws, run_id = copied
    at = _app(ws.root, monkeypatch)
    at.switch_page(RUNS).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert table[["name", "source", "state", "rows"]].values.tolist() == [
        ["Survey", "survey.csv", "done", 60]
    ]
    at.text_input[0].input("Q3 survey").run()
    _button(at, "Rename").click().run()
    assert not at.exception, at.exception
    assert at.dataframe[0].value["name"].tolist() == ["Q3 survey"]
    assert ws.run(run_id).path.name == run_id
    _button(at, "Delete…").click().run()
    assert "Delete **Q3 survey**" in at.warning[0].value
    _button(at, "Keep it").click().run()
    assert ws.runs() and not at.warning
    _button(at, "Open this run").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Themes" and at.metric[0].value == "60"
    at.switch_page(RUNS).run()
    _button(at, "Delete…").click().run()
    _button(at, "Delete").click().run()
    assert not at.exception, at.exception
    assert ws.runs() == []
    assert "No runs in this workspace yet" in at.info[0].value


def test_the_run_last_opened_is_open_again_after_a_restart(copied, monkeypatch, tmp_path):
    # Restarted on the same workspace (no --run), the app had shown "No run is open
    # yet" and named a runs/demo that was not there.
    from miner.app_state import _opened

    ws, run_id = copied
    monkeypatch.chdir(tmp_path)  # no runs/demo here
    at = _app(ws.root, monkeypatch)
    monkeypatch.delenv("MINER_RUN")
    at.switch_page(RUNS).run()
    assert "Open run: none yet" in at.caption[0].value
    _button(at, "Open this run").click().run()
    assert at.metric[0].value == "60"
    _opened.clear()  # the server's memory goes with a restart; the workspace keeps it
    again = AppTest.from_file(str(APP), default_timeout=120)
    again.switch_page(RUNS).run()
    assert not again.exception, again.exception
    assert f"Open run: `{ws.run_dir(run_id)}`" in again.caption[0].value
    again.switch_page("app_pages/themes.py").run()
    assert again.metric[0].value == "60"


def test_the_run_the_app_started_on_can_be_opened_again(copied, small_run, monkeypatch):
    # Once an uploaded run was opened, the run the app had been started on (and its
    # curation) was out of reach of every tab until the app restarted.
    ws, _ = copied
    at = _app(ws.root, monkeypatch)
    monkeypatch.setenv("MINER_RUN", str(small_run[0]))
    at.switch_page(RUNS).run()
    assert not any(b.key == "open-start" for b in at.button)  # it is the open run
    _button(at, "Open this run").click().run()
    assert at.metric[0].value == "60"  # the workspace's run
    at.switch_page(RUNS).run()
    back = next(b for b in at.button if b.key == "open-start")
    assert str(small_run[0]) in back.label
    back.click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Themes"
    assert at.metric[0].value == f"{len(load_run(small_run[0]).documents):,}"
