"""What the app pages share: which run is open, loaded once per session (UI only)."""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from pathlib import Path

import streamlit as st

from miner.errors import MinerError
from miner.ingest import SUPPORTED
from miner.persist import file_digest, load_run
from miner.report import masked_run
from miner.schema import CURATION_FILE, RUN_FILE

DEFAULT_RUN = Path("runs/demo")
UPLOAD_TYPES = sorted({suffix.lstrip(".") for suffix in SUPPORTED})


def run_from_args(argv: list[str] | None = None) -> Path:
    """The run folder: ``--run`` (after ``streamlit run app.py --``), $MINER_RUN or runs/demo."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--run", default=None)
    known, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    return Path(known.run or os.environ.get("MINER_RUN") or DEFAULT_RUN)


def upload_run_dir(name: str, data: bytes) -> Path:
    """A stable folder for the run of an uploaded file (same bytes, same folder)."""
    digest = hashlib.blake2b(data, digest_size=8).hexdigest()
    return Path(tempfile.gettempdir()) / "miner-uploads" / f"{Path(name).stem}-{digest}"


def run_digest(run_dir: str | Path) -> str:
    """The content key of a run: the digest of its run.json, written last by every fit
    (so a refit into the same folder is a new key, and the same run in another folder
    the same key)."""
    path = Path(run_dir) / RUN_FILE
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


def curation_stamp(run_dir: str | Path) -> str:
    """When the run's curation.json last changed ("" when it has none)."""
    path = Path(run_dir) / CURATION_FILE
    return str(path.stat().st_mtime_ns) if path.exists() else ""


def current_run_dir() -> str:
    """The open run's folder."""
    return st.session_state.get("run_dir") or str(run_from_args())


@st.cache_data(show_spinner="Analysing your file (about a minute per 3,000 rows)…")
def _fit_upload(name: str, data: bytes, text_col: str | None) -> str:
    from miner.batch import fit_run

    folder = upload_run_dir(name, data)
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / Path(name).name
    source.write_bytes(data)
    fit_run(source, folder / "run", text_col=text_col or None)
    return str(folder / "run")


def current_run():
    """The open run (an upload this session, else the configured one), or stop the page."""
    run_dir = current_run_dir()
    try:
        return _load(run_dir, run_digest(run_dir), curation_stamp(run_dir))
    except MinerError as error:
        st.error(str(error))
        st.info("Build the demo run with `make app`, or upload a file on the Themes page.")
        st.stop()


def fit_upload(name: str, data: bytes, text_col: str | None) -> str:
    """Fit an uploaded file once (cached by content) and make it the open run."""
    run_dir = _fit_upload(name, data, text_col)
    st.session_state["run_dir"] = run_dir
    return run_dir


def run_key(run_dir: str | Path | None = None) -> str:
    """What a page's cached figures depend on: the run's folder, content and curation."""
    run_dir = current_run_dir() if run_dir is None else str(run_dir)
    return f"{run_dir}|{run_digest(run_dir)}|{curation_stamp(run_dir)}"


@st.cache_data(show_spinner="Ranking themes and jobs…", max_entries=16)
def roadmap_feed(_run, key: str, since: str | None = None) -> dict:
    """The roadmap feed of the open run (``key``: :func:`run_key`), shared by the
    Overview and Roadmap pages."""
    from miner.roadmap.feed import build_roadmap

    return build_roadmap(_run, since=since)
