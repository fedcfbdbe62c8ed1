"""Save and load fitted models and run directories, in safe formats only.

A model folder holds ``config.json``, ``manifest.json`` and ``themes/`` (JSON and
NumPy ``.npy`` read with ``allow_pickle=False``). Loading never executes code from
the files. A run folder holds ``documents.parquet``, ``themes.csv``, ``run.json``
and ``model/``, and ``segments.parquet`` when comments were segmented (runs written
before multi-topic comments have none and still load).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from miner import __version__
from miner.config import MinerConfig
from miner.errors import ModelLoadError, OutputNotWritable

MODEL_FORMAT = "miner-model/1"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def ensure_writable_dir(directory: str | Path) -> Path:
    """Create ``directory`` if needed and prove we can write there."""
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise OutputNotWritable(
            f"cannot write to '{directory}' ({exc.strerror or exc}); "
            "choose another folder with --out"
        ) from exc
    return directory


def ensure_writable_file(path: str | Path) -> Path:
    path = Path(path)
    ensure_writable_dir(path.parent)
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputNotWritable(f"cannot write to '{path}'; choose another file with --out")
    return path


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``frame`` for CSV: lists as JSON, no cell can start a formula.

    A text cell beginning with = + - @ (or a tab/CR) gets a leading apostrophe,
    the convention spreadsheets use for literal text; numbers stay numbers.
    """
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            safe[column] = series.map(_safe_cell)
    return safe


def _safe_cell(value):
    if isinstance(value, list | tuple | dict | np.ndarray):
        value = json.dumps(_plain(value), ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _plain(value):
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    spreadsheet_safe(frame).to_csv(path, index=False)


# ------------------------------------------------------------------ model
def save_model(miner, directory: str | Path) -> Path:
    """Write a fitted FeedbackMiner's model folder."""
    directory = ensure_writable_dir(directory)
    miner.config.save(directory / "config.json")
    miner.theme_model_.save(directory / "themes")
    if hasattr(miner, "job_centroids_"):
        jobs_dir = directory / "jobs"
        jobs_dir.mkdir(exist_ok=True)
        np.save(jobs_dir / "centroids.npy", miner.job_centroids_, allow_pickle=False)
        miner.jobs_.to_json(jobs_dir / "jobs.json", orient="records", indent=1)
    manifest = {"format": MODEL_FORMAT, "miner_version": __version__}
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return directory


def load_model(directory: str | Path):
    """Load a model folder written by :func:`save_model`."""
    from miner.pipeline import FeedbackMiner
    from miner.themes import ThemeModel

    directory = Path(directory)
    if (directory / "model" / "manifest.json").exists():
        directory = directory / "model"  # a run folder was given
    manifest_path = directory / "manifest.json"
    if not manifest_path.exists():
        raise ModelLoadError(
            f"no miner model in '{directory}'; point --model at RUN_DIR/model "
            "from a run written by `miner fit`"
        )
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelLoadError(f"cannot read {manifest_path}: {exc}") from exc
    if manifest.get("format") != MODEL_FORMAT:
        raise ModelLoadError(
            f"{manifest_path} has format {manifest.get('format')!r}; "
            f"this miner reads {MODEL_FORMAT!r}"
        )
    config = MinerConfig.load(directory / "config.json")
    miner = FeedbackMiner.from_config(config)
    miner.theme_model_ = ThemeModel.load(directory / "themes")
    jobs_dir = directory / "jobs"
    if (jobs_dir / "centroids.npy").exists():
        try:
            miner.job_centroids_ = np.load(jobs_dir / "centroids.npy", allow_pickle=False)
            miner.jobs_ = pd.read_json(jobs_dir / "jobs.json", orient="records")
        except (OSError, ValueError) as exc:
            raise ModelLoadError(f"cannot load the job clusters from {jobs_dir}: {exc}") from exc
    return miner


# -------------------------------------------------------------------- run
@dataclass
class Run:
    """A run folder read back: the tables the app and reports show."""

    directory: Path
    documents: pd.DataFrame
    themes: pd.DataFrame
    meta: dict = field(default_factory=dict)
    jobs: pd.DataFrame | None = None
    segments: pd.DataFrame | None = None

    @property
    def text_col(self) -> str:
        return self.meta.get("text_col", "text")

    @property
    def id_col(self) -> str | None:
        return self.meta.get("id_col")


def save_run(miner, directory: str | Path, themes: pd.DataFrame, meta: dict) -> Path:
    """Write documents.parquet, themes.csv, run.json and model/ for a fitted miner."""
    directory = ensure_writable_dir(directory)
    miner.documents_.to_parquet(directory / "documents.parquet", index=False)
    if getattr(miner, "segments_", None) is not None:
        miner.segments_.to_parquet(directory / "segments.parquet", index=False)
    else:
        (directory / "segments.parquet").unlink(missing_ok=True)  # not from an older fit
    write_csv(themes, directory / "themes.csv")
    if getattr(miner, "jobs_", None) is not None:
        write_csv(miner.jobs_, directory / "jobs.csv")
    save_model(miner, directory / "model")
    meta = {"miner_version": __version__, **meta}
    (directory / "run.json").write_text(json.dumps(meta, indent=2, default=str) + "\n")
    return directory


def load_run(directory: str | Path) -> Run:
    """Read a run folder written by ``miner fit``."""
    directory = Path(directory)
    documents_path = directory / "documents.parquet"
    if not documents_path.exists():
        raise ModelLoadError(
            f"'{directory}' is not a miner run (no documents.parquet); "
            "create one with: miner fit INPUT --out RUN_DIR"
        )
    documents = pd.read_parquet(documents_path)
    themes = pd.read_csv(directory / "themes.csv", keep_default_na=False)
    meta_path = directory / "run.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    jobs_path = directory / "jobs.csv"
    jobs = pd.read_csv(jobs_path, keep_default_na=False) if jobs_path.exists() else None
    segments_path = directory / "segments.parquet"
    segments = pd.read_parquet(segments_path) if segments_path.exists() else None
    return Run(
        directory=directory,
        documents=documents,
        themes=themes,
        meta=meta,
        jobs=jobs,
        segments=segments,
    )
