"""Write and read run folders and model folders, in safe formats only.

:func:`save_run` and :func:`load_run` are symmetric: a :class:`Run` (plain tables and
a dict) goes in, the same :class:`Run` comes out. File and column names come from
:mod:`miner.schema`. Run folders written before the schema module (run format 1:
``segments.parquet``, ``themes.csv`` with ``label``/``size``/``parent_*``, ``jobs.csv``
with ``label``/``count``/``themes``) are upgraded as they are read.

Every file is first written under a temporary name in the same folder and renamed
when the whole run is written (``run.json`` last), so an interrupted or failed save
never leaves a file that looks finished. Models are JSON and NumPy ``.npy`` read with
``allow_pickle=False``: loading never executes code from the files. This module knows
nothing of the estimators: a model is saved by the object passed to :func:`save_run`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from miner import schema
from miner.errors import ModelLoadError, OutputNotWritable
from miner.version import __version__

MODEL_FORMAT = "miner-model/1"
# Insight file -> Run attribute.
INSIGHT_TABLES = schema.INSIGHT_TABLES
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The files a run folder holds (besides model/), which no other output may replace.
RUN_FILES = frozenset(
    {
        schema.DOCUMENTS_FILE,
        schema.PIECES_FILE,
        schema.LEGACY_PIECES_FILE,
        schema.THEMES_FILE,
        schema.JOBS_FILE,
        schema.RUN_FILE,
        schema.CURATION_FILE,
        schema.MAP_FILE,
        schema.EMBEDDINGS_FILE,
        schema.ROADMAP_FEED_FILE,
        *INSIGHT_TABLES,
    }
)


def write_parquet(frame: pd.DataFrame, path: str | Path) -> None:
    """``frame`` as Parquet at ``path``. An input column Parquet cannot hold as it is
    (a JSON input's column of numbers and text, a cell holding a list or an object) is
    written as text: each value as written (lists and objects as JSON), nulls null."""
    import pyarrow as pa

    try:
        frame.to_parquet(path, index=False)
        return
    except (pa.ArrowException, TypeError, ValueError):
        pass
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype != object:
            continue
        try:
            pa.array(frame[column], from_pandas=True)
        except (pa.ArrowException, TypeError, ValueError):
            frame[column] = frame[column].map(_cell_text).astype(object)
    frame.to_parquet(path, index=False)


def _cell_text(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple | dict | np.ndarray):  # as spreadsheet_safe writes them
        return json.dumps(_plain(value), ensure_ascii=False, default=str)
    return str(value)


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


def ensure_writable_file(path: str | Path, option: str = "--out") -> Path:
    """``path`` as an output file that can be written: not a folder, not a file of a
    run (``RUN/documents.parquet``, ``RUN/model/config.json``: writing there would
    destroy the run), in a folder that can be written; else E105 naming ``option``."""
    path = Path(path)
    if path.is_dir():
        raise OutputNotWritable(
            f"cannot write to '{path}': it is a folder; give a file with {option}"
        )
    run = next((folder for folder in (path.parent, path.parent.parent) if _holds_run(folder)), None)
    if (
        run is not None
        and path.exists()
        and (path.parent != run or path.name in RUN_FILES or path.name.startswith("."))
    ):
        raise OutputNotWritable(
            f"cannot write to '{path}': it is a file of the run in '{run}', which it would "
            f"replace; choose another file with {option}"
        )
    ensure_writable_dir(path.parent)
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputNotWritable(f"cannot write to '{path}'; choose another file with {option}")
    return path


def _holds_run(folder: Path) -> bool:
    return (folder / schema.DOCUMENTS_FILE).is_file() and (folder / schema.RUN_FILE).is_file()


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``frame`` for CSV: lists as JSON, no cell can start a formula.

    A text cell beginning with = + - @ (or a tab/CR) gets a leading apostrophe,
    the convention spreadsheets use for literal text, but a lone "-" and a negative
    number; numbers stay numbers. A carriage
    return inside a cell becomes a line feed, which the CSV writer quotes (a bare CR
    is not quoted, and a reader would start a new row, and maybe a formula, after it).
    Column names get the same apostrophe.
    """
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            safe[column] = series.map(_safe_cell)
    names = [_safe_cell(name) if isinstance(name, str) else name for name in safe.columns]
    if names != list(safe.columns):
        safe.columns = names
    return safe


def _safe_cell(value):
    if isinstance(value, list | tuple | dict | np.ndarray):
        value = json.dumps(_plain(value), ensure_ascii=False)
    if isinstance(value, str):
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        if value.startswith(FORMULA_START) and not _LITERAL.fullmatch(value):
            return "'" + value
    return value


# Cells a spreadsheet reads as they are, never as a formula: a lone "-" (a placeholder:
# 564 of 20,000 had been written "'-"), a negative number.
_LITERAL = re.compile(r"-|-\d+(?:\.\d+)?")


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


def file_digest(path: str | Path) -> str:
    """``sha256:`` hex digest of a file's bytes.

    Remembered per file version (path, size, modification time): a run records the
    digests of its weights twice (run.json and the model manifest), and the weights,
    tens of MB, are read once.
    """
    info = Path(path).stat()
    return _digest(str(Path(path).resolve()), info.st_size, info.st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


class _Staging:
    """Files written under temporary names in ``directory``, renamed together at the end.

    ``path(name)`` gives the temporary path to write ``name`` to; ``commit()`` renames
    every staged file (and folder) to its real name, in the order staged; ``discard()``
    removes what was staged. Nothing at a real name changes before ``commit``.
    """

    def __init__(self, directory: Path):
        self.directory = directory
        self.token = f".partial-{os.getpid()}-{secrets.token_hex(4)}"
        self.staged: list[tuple[Path, Path]] = []

    def path(self, name: str) -> Path:
        temporary = self.directory / f".{name}{self.token}"
        self.staged.append((temporary, self.directory / name))
        return temporary

    def commit(self) -> None:
        for temporary, final in self.staged:
            if temporary.is_dir():
                old = final.with_name(f".{final.name}{self.token}.old")
                if final.exists():
                    final.rename(old)
                temporary.rename(final)
                shutil.rmtree(old, ignore_errors=True)
            elif temporary.exists():
                os.replace(temporary, final)
        self.staged = []

    def discard(self) -> None:
        for temporary, _ in self.staged:
            if temporary.is_dir():
                shutil.rmtree(temporary, ignore_errors=True)
            else:
                temporary.unlink(missing_ok=True)
        self.staged = []


# -------------------------------------------------------------------- model
class SavableModel(Protocol):
    def save(self, directory: str | Path) -> Path: ...


def write_model_manifest(directory: Path, model_files: dict[str, str] | None = None) -> None:
    """``manifest.json``: the model format, the miner version and the weights used."""
    manifest: dict[str, Any] = {"format": MODEL_FORMAT, "miner_version": __version__}
    if model_files:
        manifest["model_files"] = model_files
    text = json.dumps(manifest, indent=2) + "\n"
    (directory / schema.MODEL_MANIFEST_FILE).write_text(text)


def model_directory(directory: str | Path) -> Path:
    """The model folder at ``directory`` (a model folder or a run folder holding one).

    Raises :class:`ModelLoadError` (E107) when there is no readable miner model there.
    """
    directory = Path(directory)
    nested = directory / schema.MODEL_DIR / schema.MODEL_MANIFEST_FILE
    if nested.exists():
        directory = directory / schema.MODEL_DIR  # a run folder was given
    manifest_path = directory / schema.MODEL_MANIFEST_FILE
    if not manifest_path.exists():
        raise ModelLoadError(
            f"no miner model in '{directory}'; point --model at RUN_DIR/model "
            "from a run written by `miner fit`"
        )
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelLoadError(f"cannot read {manifest_path}: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != MODEL_FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else manifest
        raise ModelLoadError(
            f"{manifest_path} has format {found!r}; this miner reads {MODEL_FORMAT!r}"
        )
    return directory


def save_job_model(
    directory: Path, centroids: np.ndarray, jobs: pd.DataFrame, seen: dict[str, int] | None = None
) -> None:
    """``jobs/``: the job clusters' centres and table, and the job of each motivation the
    jobs were clustered on, by digest (``seen.json``; see ``ClusteredJobs.seen``)."""
    jobs_dir = directory / schema.MODEL_JOBS_DIR
    jobs_dir.mkdir(exist_ok=True)
    np.save(jobs_dir / "centroids.npy", centroids, allow_pickle=False)
    jobs.to_json(jobs_dir / "jobs.json", orient="records", indent=1)
    (jobs_dir / "seen.json").write_text(
        json.dumps(seen or {}, separators=(",", ":")), encoding="utf-8"
    )


def load_job_model(
    directory: Path, required: bool = False
) -> tuple[np.ndarray, pd.DataFrame, dict[str, int]] | None:
    """The job clusters saved by :func:`save_job_model` (centres, table, seen
    motivations), or None when the model has none.

    With ``required`` (a model fitted with the per-document heads) or a ``jobs/``
    folder present, missing files are an error, never silently no job columns. A model
    saved before ``seen.json`` existed has none (new and old texts alike go to the
    nearest centre).
    """
    jobs_dir = directory / schema.MODEL_JOBS_DIR
    if not required and not jobs_dir.exists():
        return None
    for name in ("centroids.npy", "jobs.json"):
        if not (jobs_dir / name).is_file():
            raise ModelLoadError(
                f"the model in '{directory}' has lost {schema.MODEL_JOBS_DIR}/{name}; "
                "fit it again with `miner fit`"
            )
    try:
        centroids = np.load(jobs_dir / "centroids.npy", allow_pickle=False)
        jobs = pd.read_json(jobs_dir / "jobs.json", orient="records")
        seen_file = jobs_dir / "seen.json"
        seen = json.loads(seen_file.read_text(encoding="utf-8")) if seen_file.is_file() else {}
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"cannot load the job clusters from {jobs_dir}: {exc}") from exc
    if not isinstance(seen, dict) or not all(
        isinstance(k, str) and type(v) is int for k, v in seen.items()
    ):
        raise ModelLoadError(f"{jobs_dir / 'seen.json'} is not a map of digests to job ids")
    return centroids, _upgrade(jobs, schema.JOBS_FILE), seen


# -------------------------------------------------------------------- run
@dataclass
class Run:
    """A run: the tables the app, reports and exports show, and what made them.

    ``meta`` is ``run.json`` (source, text, id, date, segment and score columns,
    seed, timing, miner version, model file digests, what insights were computed).
    The insight tables (:mod:`miner.insights.run`) are None when the run has no
    input column for them (and in runs written before them). ``map`` holds each
    distinct analysed comment's place on the comment map (``row_id``, ``x``, ``y``:
    :mod:`miner.themes.layout`) and ``embeddings`` its embedding (float16, row i is
    the comment of ``map`` row i); both are None in runs without them (``miner score``
    output, older runs), and ``embeddings`` is read only when asked for
    (``load_run(..., embeddings=True)``). ``directory`` is where it was read from or
    written to; ``masked`` says its shown text has personal data masked.
    """

    documents: pd.DataFrame
    themes: pd.DataFrame
    meta: dict = field(default_factory=dict)
    jobs: pd.DataFrame | None = None
    pieces: pd.DataFrame | None = None
    trends: pd.DataFrame | None = None
    emerging: pd.DataFrame | None = None
    segment_summary: pd.DataFrame | None = None
    segment_lifts: pd.DataFrame | None = None
    drivers: pd.DataFrame | None = None
    area_emerging: pd.DataFrame | None = None
    area_segment_lifts: pd.DataFrame | None = None
    area_drivers: pd.DataFrame | None = None
    map: pd.DataFrame | None = None
    embeddings: np.ndarray | None = None
    directory: Path | None = None
    # True once :func:`miner.report.masked_run` made it (masking again changes nothing).
    masked: bool = False

    def insight_tables(self) -> dict[str, pd.DataFrame | None]:
        """The insight tables by file name (None: not in this run)."""
        return {name: getattr(self, attribute) for name, attribute in INSIGHT_TABLES.items()}

    @property
    def text_col(self) -> str:
        return self.meta.get("text_col", "text")

    @property
    def id_col(self) -> str | None:
        """The input's name of the customer id column (run.json's ``id_col``)."""
        return self.meta.get("id_col")

    @property
    def id_column(self) -> str | None:
        """The documents column holding the customer ids (None without one)."""
        column = self.input_column(self.id_col) if self.id_col else None
        return column if column in self.documents.columns else None

    def input_column(self, name: str) -> str:
        """The documents column of the input's column ``name``: ``input_<name>`` when
        the name is a contract column's (an input column ``row_id`` is kept as
        ``input_row_id``; :func:`miner.tables.attach_input`), else ``name``."""
        contract = {*schema.DOCUMENT_KEYS, *schema.DOCUMENT_COLUMNS}
        column = name
        while column in contract and f"input_{column}" in self.documents.columns:
            column = f"input_{column}"
        return column

    @property
    def model_dir(self) -> Path | None:
        if self.directory is None:
            return None
        folder = self.directory / schema.MODEL_DIR
        return folder if folder.exists() else None


def save_run(run: Run, directory: str | Path, model: SavableModel | None = None) -> Path:
    """Write ``run`` (and ``model`` into ``model/``) to ``directory``; returns the folder.

    Writes documents.parquet, pieces.parquet (when the run has pieces), themes.csv,
    jobs.csv (when it has jobs), the insight tables it has (trends.parquet, ...),
    model/ and run.json, each under a temporary name first; a file of an earlier run
    that this run does not have is removed (``curation.json`` stays: a run rewritten
    in place, e.g. by ``miner forget``, keeps its curation), and so is the stored
    roadmap feed (``roadmap_feed.json``; the callers that finish a run rank it again:
    :func:`miner.roadmap.stored.refresh`).
    """
    directory = ensure_writable_dir(directory)
    staging = _Staging(directory)
    try:
        write_parquet(run.documents, staging.path(schema.DOCUMENTS_FILE))
        if run.pieces is not None:
            run.pieces.to_parquet(staging.path(schema.PIECES_FILE), index=False)
        write_csv(run.themes, staging.path(schema.THEMES_FILE))
        if run.jobs is not None:
            write_csv(run.jobs, staging.path(schema.JOBS_FILE))
        for name, table in run.insight_tables().items():
            if table is not None:
                write_parquet(table, staging.path(name))
        if run.map is not None:
            run.map.to_parquet(staging.path(schema.MAP_FILE), index=False)
        if run.embeddings is not None:
            with open(staging.path(schema.EMBEDDINGS_FILE), "wb") as handle:
                np.save(handle, run.embeddings, allow_pickle=False)
        if model is not None:
            model.save(staging.path(schema.MODEL_DIR))
        meta = {"miner_version": __version__, "run_format": schema.RUN_FORMAT, **run.meta}
        meta["miner_version"], meta["run_format"] = __version__, schema.RUN_FORMAT
        insights = meta.get("insights")
        if isinstance(insights, dict) and insights.get("computed"):
            # What this folder holds (a run whose tables were taken away lists none).
            written = {name for name, table in run.insight_tables().items() if table is not None}
            computed = [name for name in insights["computed"] if name in written]
            meta["insights"] = {**insights, "computed": computed}
        text = json.dumps(meta, indent=2, default=str) + "\n"
        staging.path(schema.RUN_FILE).write_text(text)
        staging.commit()
    except BaseException:
        staging.discard()
        raise
    # Files an earlier run left here that this one does not have.
    # The stored roadmap feed quotes the old files (and a customer `miner forget` removed).
    stale = [schema.LEGACY_PIECES_FILE, schema.ROADMAP_FEED_FILE]
    stale += [schema.PIECES_FILE] if run.pieces is None else []
    stale += [schema.JOBS_FILE] if run.jobs is None else []
    stale += [name for name, table in run.insight_tables().items() if table is None]
    stale += [schema.MAP_FILE] if run.map is None else []
    stale += [schema.EMBEDDINGS_FILE] if run.embeddings is None else []
    for name in stale:
        (directory / name).unlink(missing_ok=True)
    run.directory = directory
    return directory


def require_run(directory: str | Path) -> Path:
    """``directory`` as a Path when it holds a run (its documents), else E107."""
    directory = Path(directory)
    if not (directory / schema.DOCUMENTS_FILE).exists():
        raise ModelLoadError(
            f"'{directory}' is not a miner run (no {schema.DOCUMENTS_FILE}); "
            "create one with: miner fit INPUT --out RUN_DIR"
        )
    return directory


# The columns every command reads in a run's tables, in every format miner has written.
REQUIRED_COLUMNS = {
    schema.DOCUMENTS_FILE: ("row_id", "status", "theme_id"),
    schema.THEMES_FILE: ("theme_id", "theme_label", "comments"),
}


def load_run(directory: str | Path, curated: bool = True, embeddings: bool = False) -> Run:
    """Read a run folder written by :func:`save_run` (or by an older miner).

    The run comes as its ``curation.json`` shows it (:func:`miner.curation.apply_curation`:
    renamed, merged, split and hidden themes in every table), unless ``curated`` is
    False: then as it was fitted. With ``embeddings`` the comments' embeddings are read
    too (memory-mapped, read-only).
    """
    directory = require_run(directory)
    documents_path = directory / schema.DOCUMENTS_FILE
    try:
        documents = pd.read_parquet(documents_path)
        themes = _numbers_read(
            pd.read_csv(directory / schema.THEMES_FILE, keep_default_na=False),
            ("net_sentiment", *(c for c in schema.THEME_COLUMNS if c.startswith("kind_"))),
        )
        meta_path = directory / schema.RUN_FILE
        if not meta_path.exists():
            raise ModelLoadError(
                f"the run in '{directory}' is incomplete (no {schema.RUN_FILE}, which a fit "
                "writes last: it was interrupted or the file was removed); fit it again "
                "with: miner fit INPUT --out RUN_DIR"
            )
        meta = json.loads(meta_path.read_text())
        jobs_path = directory / schema.JOBS_FILE
        jobs = pd.read_csv(jobs_path, keep_default_na=False) if jobs_path.exists() else None
        pieces_path = directory / schema.PIECES_FILE
        if not pieces_path.exists():
            pieces_path = directory / schema.LEGACY_PIECES_FILE
        pieces = pd.read_parquet(pieces_path) if pieces_path.exists() else None
        computed = (meta.get("insights") or {}).get("computed") or []
        missing = [name for name in computed if not (directory / name).exists()]
        if missing:
            raise ModelLoadError(
                f"the run in '{directory}' is missing {', '.join(missing)}, which its "
                f"{schema.RUN_FILE} lists; fit it again with: miner fit INPUT --out RUN_DIR"
            )
        insights = {
            attribute: schema.typed_flags(pd.read_parquet(directory / name))
            for name, attribute in INSIGHT_TABLES.items()
            if (directory / name).exists()
        }
        map_path = directory / schema.MAP_FILE
        comment_map = pd.read_parquet(map_path) if map_path.exists() else None
        vectors_path = directory / schema.EMBEDDINGS_FILE
        vectors = None
        if embeddings and vectors_path.exists():
            vectors = np.load(vectors_path, mmap_mode="r", allow_pickle=False)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ModelLoadError(f"cannot read the run in '{directory}': {exc}") from exc
    themes = _upgrade(themes, schema.THEMES_FILE, meta)
    for name, table in ((schema.DOCUMENTS_FILE, documents), (schema.THEMES_FILE, themes)):
        lacking = [c for c in REQUIRED_COLUMNS[name] if c not in table.columns]
        if lacking:  # a damaged table: every page and command would fail on it
            raise ModelLoadError(
                f"the run in '{directory}' is damaged: its {name} has no "
                f"{', '.join(lacking)} column; fit it again with: miner fit INPUT --out RUN_DIR"
            )
    if jobs is not None:
        jobs = _upgrade(jobs, schema.JOBS_FILE, meta)
    if pieces is not None:
        pieces = _upgrade(pieces, schema.PIECES_FILE)
    run = Run(
        documents=documents,
        themes=themes,
        meta=meta,
        jobs=jobs,
        pieces=pieces,
        map=comment_map,
        embeddings=vectors,
        directory=directory,
        **insights,
    )
    if curated and (directory / schema.CURATION_FILE).exists():
        from miner.curation import apply_curation, read_curation

        run = apply_curation(run, read_curation(directory))
    return run


def _numbers_read(table: pd.DataFrame, columns) -> pd.DataFrame:
    """``table`` with ``columns`` as numbers: a figure nothing was read for (no comment
    of the unassigned row has a sentiment) is an empty cell, null again."""
    for column in columns:
        if column in table and not pd.api.types.is_numeric_dtype(table[column]):
            table[column] = pd.to_numeric(table[column].replace("", np.nan), errors="coerce")
    return table


def _upgrade(table: pd.DataFrame, name: str, meta: dict | None = None) -> pd.DataFrame:
    """A table of an older run format with today's column names (see schema.LEGACY_RENAMES).

    Old themes and jobs tables also get ``voices`` (customers when the run had an id
    column, else comments) and lose an empty ``customers`` column.
    """
    renames = schema.LEGACY_RENAMES.get(name, {})
    table = table.rename(columns={o: n for o, n in renames.items() if n not in table})
    if name not in (schema.THEMES_FILE, schema.JOBS_FILE) or "voices" in table:
        return table
    if "comments" not in table:  # damaged: load_run says which columns are missing
        return table
    if (meta or {}).get("id_col") and "customers" in table:
        customers = pd.to_numeric(table["customers"], errors="coerce")
        table["voices"] = customers.fillna(table["comments"]).astype("int64")
    else:
        table = table.drop(columns="customers", errors="ignore")
        table["voices"] = table["comments"]
    columns = schema.THEME_COLUMNS if name == schema.THEMES_FILE else schema.JOB_COLUMNS
    return table[[c for c in columns if c in table] + [c for c in table if c not in columns]]
