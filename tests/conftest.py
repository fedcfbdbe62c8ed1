"""Shared fixtures. Heavy objects (the embedding model, a fitted run) are built once."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from miner.app_server import APP

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"

# Keep the user's embedding cache out of tests; offline always.
os.environ["HF_HUB_OFFLINE"] = "1"

# Fixtures that fit themes with the real embedding model: tests using them are `slow`
# (still part of `make test`; `pytest -m "not slow"` is the quick loop).
SLOW_FIXTURES = {
    "small_run",
    "small_scored",
    "demo_fit",
    "guided_fit",
    "mixed_run",
    "demo_heads_run",
    "workspace_fit",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (public datasets beside the repository), or skip the test.

    Users clone the repository alone, so the few tests that read it (marked
    ``shared_data``) skip with this message when it is absent.
    """
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is not there (the datasets beside the repository)")
    return SHARED_DATA


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory):
    os.environ["MINER_CACHE_DIR"] = str(tmp_path_factory.mktemp("embedding-cache"))
    # The app's workspace (uploads and runs): never the user's own.
    os.environ["MINER_WORKSPACE"] = str(tmp_path_factory.mktemp("workspace"))


def load_demo_module():
    """Import data/make_demo.py (data/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_demo", ROOT / "data" / "make_demo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_demo"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def demo_frames():
    """The default demo corpus (feedback, truth), generated in memory."""
    if not (ROOT / "data" / "make_demo.py").exists():
        pytest.skip("data/make_demo.py is not there yet")
    return load_demo_module().make_demo(rows=3000, seed=7)


# The columns for the demo's insights (trends, segments, drivers).
DEMO_INSIGHT_COLUMNS = {
    "date_col": "submitted_at",
    "segment_cols": ["plan", "region", "channel"],
    "score_col": "nps",
    "score_type": "nps",
}


@pytest.fixture(scope="session")
def demo_fit(demo_frames):
    """The whole demo corpus fitted once per session (themes only, seed 42), with its
    insights by month (``--date-col submitted_at --segment-col plan --segment-col
    region --segment-col channel --score-col nps --period month``).

    The per-document heads are left out: themes do not depend on them, and the heads
    have their own tests.
    """
    from miner import FeedbackMiner

    feedback, truth = demo_frames
    miner = FeedbackMiner(seed=42, per_document=False, period="month")
    miner.fit(feedback, text_col="comment", id_col="customer_id", **DEMO_INSIGHT_COLUMNS)
    return miner, feedback, truth


@pytest.fixture(scope="session")
def demo_heads_run(demo_frames, tmp_path_factory):
    """Every other row of the demo (1,500 rows spanning the whole year) fitted once per
    session with the per-document heads (sentiment, kind, jobs) and its insight
    columns, as a run folder with its model (no bootstrap: the roadmap recomputes its
    impact).

    Returns (run folder, feedback, truth) of those rows.
    """
    from miner import FeedbackMiner
    from miner.persist import save_run

    feedback, truth = (frame.iloc[::2].reset_index(drop=True) for frame in demo_frames)
    miner = FeedbackMiner(seed=42, period="month", resamples=0)
    miner.fit(feedback, text_col="comment", id_col="customer_id", **DEMO_INSIGHT_COLUMNS)
    folder = tmp_path_factory.mktemp("runs") / "demo-heads"
    save_run(miner.run_, folder, model=miner)
    return folder, feedback, truth


@pytest.fixture(scope="session")
def demo_run_dir(demo_fit, tmp_path_factory):
    """The session's demo fit (date, plan/region/channel, NPS; by month) as a run folder,
    for the app's pages (read only: copy it before changing it)."""
    from miner.persist import save_run

    miner, _, _ = demo_fit
    folder = tmp_path_factory.mktemp("runs") / "demo-insights"
    save_run(miner.run_, folder)
    return folder


@pytest.fixture(scope="session")
def small_feedback_csv(tmp_path_factory, demo_frames) -> Path:
    """A 400-row slice of the demo corpus as CSV, with noise rows kept."""
    feedback, _ = demo_frames
    path = tmp_path_factory.mktemp("small") / "survey.csv"
    feedback.head(400).to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def workspace_survey(small_feedback_csv) -> bytes:
    """60 rows of the small demo slice as CSV bytes: enough comments for themes."""
    import pandas as pd

    return pd.read_csv(small_feedback_csv).head(60).to_csv(index=False).encode()


@pytest.fixture(scope="session")
def workspace_fit(tmp_path_factory, workspace_survey):
    """A run fitted in an app workspace by the background fit's own code
    (:func:`miner.workspace.fit_in_workspace`, in this process so the models load once),
    its detected columns, seed 3, the row stages in chunks of 25 rows, and every
    progress update recorded (none skipped for time).

    Returns (workspace, run id, upload, mapping, progress updates, exit code).
    """
    from miner import pipeline, schema, workspace

    ws = workspace.Workspace(tmp_path_factory.mktemp("fitted") / "ws")
    upload = ws.save_upload("survey.csv", workspace_survey)
    mapping = workspace.suggest_mapping(workspace.read_upload(upload))
    run_id = ws.run_id(upload, mapping, seed=3)
    path = ws.run_dir(run_id)
    path.mkdir(parents=True)
    workspace._write_json(
        path / schema.WORKSPACE_RUN_FILE,
        {"name": "Survey", "source": upload.name, "upload": upload.path.name,
         "mapping": mapping.to_dict(), "seed": 3, "created": "2026-01-01 10:00:00"},
    )  # fmt: skip
    updates = []
    original = workspace.update_progress
    patch = pytest.MonkeyPatch()
    patch.setattr(pipeline, "COUNT_CHUNK_ROWS", 25)
    # Every count reported, however fast the machine (the app's file is written at most
    # every half second, which a quick chunk of 25 rows can fall inside).
    patch.setattr(workspace.ProgressFile, "EVERY", 0.0)
    patch.setattr(
        workspace, "update_progress", lambda p, **v: updates.append(v) or original(p, **v)
    )
    try:
        code = workspace.fit_in_workspace(path)
    finally:
        patch.undo()
    return ws, run_id, upload, mapping, updates, code


def miner_subprocess(*args) -> subprocess.CompletedProcess:
    """`python -m miner.cli ARGS` in a new process; fails the test on a non-zero exit."""
    done = subprocess.run(
        [sys.executable, "-m", "miner.cli", *map(str, args)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="session")
def small_run(tmp_path_factory, small_feedback_csv):
    """`miner fit` through the CLI entry point, once per session."""
    out = tmp_path_factory.mktemp("runs") / "small"
    done = miner_subprocess(
        "fit", small_feedback_csv, "--text-col", "comment", "--id-col", "customer_id",
        "--out", out, "--seed", "3",
    )  # fmt: skip
    return out, done


@pytest.fixture(scope="session")
def small_scored(tmp_path_factory, small_run, small_feedback_csv):
    """`miner score` of the small run's own input with its model, in chunks of 150 rows.

    Returns (output parquet, stderr).
    """
    out = tmp_path_factory.mktemp("scored") / "scored.parquet"
    done = miner_subprocess(
        "score", small_feedback_csv, "--model", small_run[0] / "model", "--out", out,
        "--text-col", "comment", "--chunk-rows", "150",
    )  # fmt: skip
    return out, done.stderr


def run_cli(args: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    """Run `miner ARGS` in-process; returns (exit code, stdout, stderr)."""
    from miner.cli import main

    monkeypatch.setattr(sys, "argv", ["miner", *map(str, args)])
    code = 0
    try:
        main()
    except SystemExit as done:
        code = int(done.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def cli(monkeypatch, capsys):
    return lambda *args: run_cli(list(args), monkeypatch, capsys)


def open_page(run_dir, page: str, monkeypatch):
    """The app on ``run_dir`` with ``page`` rendered (an AppTest); fails on an exception."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("MINER_RUN", str(run_dir))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at
