"""What the app pages share: the workspace, which run is open, loaded once per version
of the run (UI only; the workspace's logic is :mod:`miner.workspace`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import streamlit as st

from miner import schema
from miner.atomic import atomic_write_text
from miner.errors import MinerError
from miner.ingest import ARCHIVES, GZIP, SUPPORTED
from miner.persist import file_digest, load_run
from miner.report import masked_run
from miner.workspace import Workspace

DEFAULT_RUN = Path("runs/demo")
UPLOAD_TYPES = sorted({suffix.lstrip(".") for suffix in {**SUPPORTED, **ARCHIVES, GZIP: ""}})
BRING_A_FILE = "app_pages/workspace.py"
RUNS_PAGE = "app_pages/runs.py"


def _args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--run", default=None)
    parser.add_argument("--workspace", default=None)
    known, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    return known


def run_from_args(argv: list[str] | None = None) -> Path:
    """The run folder: ``--run`` (given to ``miner app``), $MINER_RUN or runs/demo."""
    return Path(_args(argv).run or os.environ.get("MINER_RUN") or DEFAULT_RUN)


def workspace(argv: list[str] | None = None) -> Workspace:
    """The workspace: ``--workspace``, $MINER_WORKSPACE or the user's data folder."""
    return Workspace(_args(argv).workspace)


@st.cache_resource
def _opened() -> dict[str, str]:
    # The run last opened in each workspace, kept by the server: a browser reload (a
    # new session) shows the same run.
    return {}


# The run last opened in a workspace, kept in it: after the app restarts, the run a PM
# was working on is open again (it had been "No run is open yet", and the Runs page had
# named a runs/demo that was not there).
LAST_OPENED_FILE = "last_opened.json"


def open_run(run_dir: str | Path) -> None:
    """Make ``run_dir`` the open run of every page (and of a reloaded page, and of the
    app started again on this workspace)."""
    st.session_state["run_dir"] = str(run_dir)
    root = workspace().root
    _opened()[str(root)] = str(run_dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
        atomic_write_text(root / LAST_OPENED_FILE, json.dumps({"run_dir": str(run_dir)}))
    except OSError:  # a read-only workspace: the run stays open until a restart
        pass


def _last_opened(root: Path) -> str | None:
    """The run last opened in the workspace ``root``, when it is still there."""
    try:
        run_dir = json.loads((root / LAST_OPENED_FILE).read_text())["run_dir"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return str(run_dir) if isinstance(run_dir, str) and Path(run_dir).is_dir() else None


def forget_run(run_dir: str | Path) -> None:
    """``run_dir`` is gone (deleted): no page opens it any more."""
    if st.session_state.get("run_dir") == str(run_dir):
        del st.session_state["run_dir"]
    opened = _opened()
    if opened.get(str(workspace().root)) == str(run_dir):
        del opened[str(workspace().root)]


def open_run_dir() -> str:
    """The open run: opened this session, else last opened in this workspace while the
    app ran, else ``--run`` / $MINER_RUN, else the run last opened in this workspace
    before the app started, else runs/demo."""
    chosen = st.session_state.get("run_dir") or _opened().get(str(workspace().root))
    if chosen:
        return chosen
    given = _args().run or os.environ.get("MINER_RUN")
    if given:
        return str(given)
    return _last_opened(workspace().root) or str(DEFAULT_RUN)


def current_run_dir() -> str:
    """The open run's folder."""
    return open_run_dir()


def curation_stamp(run_dir: str | Path) -> str:
    """When the run's curation.json last changed ("" when it has none)."""
    path = Path(run_dir) / schema.CURATION_FILE
    return str(path.stat().st_mtime_ns) if path.exists() else ""


def run_digest(run_dir: str | Path) -> str:
    """The content key of a run: the digest of its run.json, written last by every fit
    (so a refit into the same folder is a new key, and the same run in another folder
    the same key)."""
    path = Path(run_dir) / schema.RUN_FILE
    return file_digest(path) if path.exists() else f"no-run:{run_dir}"


@st.cache_resource(show_spinner="Loading the run…", max_entries=4)
def _load(run_dir: str, digest: str, curation_stamp: str = ""):
    # Every page shows the run with personal data masked (miner.pii). Keyed by the
    # run's content (``digest``) as well as its folder, so a refit is seen, and by the
    # stamp of curation.json, so an edit (here or `miner curate`) reloads it. A
    # resource, not data: every rerun shares the one object (st.cache_data would
    # unpickle a copy on every page switch, 0.3 s for the demo run, seconds for
    # 200,000 rows); pages read it and never change it in place (pandas copies on write).
    return masked_run(load_run(run_dir))


def current_run():
    """The open run, loaded once per version of its files, or stop the page."""
    run_dir = open_run_dir()
    if not Path(run_dir).exists():
        st.info(
            "No run is open yet: bring a feedback export to analyse, open an earlier run, "
            "or build the demo run with `make app`."
        )
        st.page_link(BRING_A_FILE, label="Bring a file", icon=":material/upload_file:")
        st.page_link(RUNS_PAGE, label="Runs", icon=":material/folder_open:")
        st.stop()
    try:
        return _load(run_dir, run_digest(run_dir), curation_stamp(run_dir))
    except MinerError as error:
        st.error(str(error))
        st.info("Bring a file to analyse, or open an earlier run from the runs list.")
        st.page_link(RUNS_PAGE, label="Runs", icon=":material/folder_open:")
        st.page_link(BRING_A_FILE, label="Bring a file", icon=":material/upload_file:")
        st.stop()


def run_title(entry) -> str:
    """How a fit is named on the page: its name, its file when the name is not the file's,
    and when it was started ("**survey** (survey.xlsx, 2026-12-06 16:41)"), so two fits
    of survey.csv and survey.xlsx are told apart."""
    source = entry.source if entry.source and Path(entry.source).stem != entry.name else ""
    if not source and entry.source:
        source = Path(entry.source).suffix.lstrip(".").upper()  # survey: CSV or XLSX
    when = str(entry.created or "")[:16]
    detail = ", ".join(part for part in (source, when) if part)
    return f"**{entry.name}**" + (f" ({detail})" if detail else "")


def fit_progress_bar(entry) -> None:
    """A running fit: its stage, rows done, and a cancel button; a finished one: its
    outcome and a button that opens it."""
    title = run_title(entry)
    if entry.state == schema.FIT_RUNNING:
        share = entry.rows_done / entry.rows_total if entry.rows_total else 0.0
        rows = f" · {entry.rows_done:,} of {entry.rows_total:,} rows" if entry.rows_total else ""
        st.progress(min(share, 1.0), text=f"{title}: {entry.stage}{rows}")
        if st.button("Cancel", key=f"cancel-{entry.run_id}", icon=":material/stop_circle:"):
            workspace().cancel(entry.run_id)
            st.rerun()
    elif entry.state == schema.FIT_DONE:
        st.success(f"{title} is ready: {entry.themes or 0:,} themes in {entry.rows or 0:,} rows.")
        when = str(entry.created or "")[:16]
        opens = f"Open its themes ({entry.name}{', ' + when if when else ''})"
        if st.button(opens, key=f"open-{entry.run_id}", type="primary"):
            open_run(entry.path)
            st.switch_page("app_pages/themes.py")
    elif entry.state == schema.FIT_CANCELLED:
        st.warning(f"{title}: cancelled; nothing was saved.")
    else:
        st.error(f"{title} could not be fitted: {entry.error or 'unknown error'}")


def run_key(run_dir: str | Path | None = None) -> str:
    """What a page's cached figures depend on: the run's folder, content and curation."""
    run_dir = current_run_dir() if run_dir is None else str(run_dir)
    return f"{run_dir}|{run_digest(run_dir)}|{curation_stamp(run_dir)}"


@st.cache_data(show_spinner=False, max_entries=16)
def roadmap_options(_run, key: str) -> tuple[dict[str, list[str]], list[str]]:
    """The open run's (``key``: :func:`run_key`) columns to leave out by value and to
    weigh voices by, read once per run rather than on every rerun of the page."""
    from miner.roadmap.priority import leave_out_choices, value_choices

    return leave_out_choices(_run), value_choices(_run)


@st.cache_data(show_spinner="Ranking themes and jobs…", max_entries=16)
def roadmap_feed(
    _run,
    key: str,
    since: str | None = None,
    leave_out: tuple[tuple[str, tuple[str, ...]], ...] = (),
    value_col: str | None = None,
) -> dict:
    """The roadmap feed of the open run (``key``: :func:`run_key`), shared by the
    Overview and Roadmap pages: from ``since``, without the comments of ``leave_out``
    ((column, values) pairs) and with voices weighted by ``value_col`` when given."""
    if since is None and not leave_out and value_col is None:
        from miner.roadmap.stored import default_feed

        return default_feed(_run)
    from miner.roadmap.feed import build_roadmap

    return build_roadmap(
        _run,
        since=since,
        leave_out={column: list(values) for column, values in leave_out},
        value_col=value_col,
    )
