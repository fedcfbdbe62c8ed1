"""The app's workspace: uploaded files and the runs fitted from them, in one folder.

::

    WORKSPACE/                     $MINER_WORKSPACE, the app's --workspace, or a user folder
      uploads/<hash>-<name>.<ext>  an upload, by the SHA-256 of its bytes + its cleaned name
      runs/<name>-<id>/            a run folder (the run contract) plus
        workspace.json             display name, source file, column mapping, seed,
                                   granularity, created
        progress.json              the background fit: state, stage, rows done/total, pid
        fit.log                    the fit's own output (what the CLI would print)

A run's id comes from the upload's hash, the column mapping, the seed and the
granularity asked for (fewer or more themes than automatic): the same
file fitted with another text column is another run, the same file and mapping the
same run (reopened, not fitted again). Every path is built by :meth:`Workspace.inside`,
which refuses a name that would reach outside the folder (``..``, an absolute path, a
separator, a symlink pointing out).

The fit runs in another process (``python -m miner.workspace RUN_DIR``, started by
:meth:`Workspace.start_fit`) that writes ``progress.json`` as it goes; the app reads that
file, so the progress survives a page change or a browser reload. :meth:`Workspace.cancel`
stops the process; the run files are renamed into place only at the very end of a fit
(:func:`miner.persist.save_run`), so a cancelled fit leaves no run behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from miner import schema
from miner.atomic import LOCK_NAME, PARTIAL_MARK, atomic_write_bytes, atomic_write_text
from miner.errors import MinerError, NoUsableText, UnreadableInput, UnsafeName
from miner.ingest import (
    ARCHIVES,
    FORMATS_HINT,
    GZIP,
    SUPPORTED,
    _as_text,
    detect_id_column,
    detect_text_column,
    format_suffix,
    text_parts,
)

WORKSPACE_ENV = "MINER_WORKSPACE"
UPLOADS_DIR = "uploads"
RUNS_DIR = "runs"
# The largest upload the app takes (Streamlit's server.maxUploadSize, set by
# miner.app_server.settings); `miner fit` on the command line has no limit.
MAX_UPLOAD_MB = 200
# Fewer comments than this give no themes worth reading: the app refuses to fit them.
MIN_COMMENTS = 20
# An upload no run uses is removed after this long (it was previewed, never fitted).
UNUSED_UPLOAD_SECONDS = 24 * 3600
# A fit that ended this recently is still shown (with its outcome) on the Bring a file page.
RECENT_SECONDS = 15 * 60
# How long a cancelled fit gets to stop by itself before it is killed.
CANCEL_WAIT_SECONDS = 10.0
_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
# Fits this process started: polled so that a finished one is reaped, not left a zombie.
_CHILDREN: dict[int, subprocess.Popen] = {}


def default_root() -> Path:
    """``$MINER_WORKSPACE``, else the user's data folder: ``~/.local/share/miner``
    (``$XDG_DATA_HOME/miner``) on Linux, ``~/Library/Application Support/miner`` on
    macOS, ``%LOCALAPPDATA%\\miner`` on Windows. Never the system temp folder."""
    if os.environ.get(WORKSPACE_ENV):
        return Path(os.environ[WORKSPACE_ENV]).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "miner"


def safe_name(name: str, fallback: str = "file", max_length: int = 60) -> str:
    """``name`` as a plain file name: ASCII letters, digits, ``.``, ``_``, ``-``; no
    leading dot, never empty, ``.`` or ``..`` (``"../../etc/passwd"`` → ``"etc-passwd"``)."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = _NAME_CHARS.sub("-", text).strip(".-_ ")
    text = re.sub(r"\.{2,}", ".", text)[:max_length].strip(".-_ ")
    return text or fallback


@dataclass(frozen=True)
class Upload:
    """A file in ``uploads/``: its path, the name it was uploaded as, its content hash."""

    path: Path
    name: str
    digest: str

    @property
    def size(self) -> int:
        return self.path.stat().st_size


@dataclass(frozen=True)
class ColumnMapping:
    """The roles of the input's columns, named as in ``miner fit`` (``--text-col``,
    ``--id-col``, ``--date-col``, ``--segment-col``, ``--score-col``, ``--score-type``,
    ``--sheet``). Several ``text_cols`` are a survey's open questions: the fit reads
    every one (one documents row per respondent × question)."""

    text_cols: tuple[str, ...]
    id_col: str | None = None
    date_col: str | None = None
    segment_cols: tuple[str, ...] = ()
    score_col: str | None = None
    score_type: str | None = None
    sheet: str | None = None

    def to_dict(self) -> dict:
        values = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}

    @classmethod
    def from_dict(cls, values: dict) -> ColumnMapping:
        known = {k: values.get(k) for k in cls.__dataclass_fields__}
        known["text_cols"] = tuple(known["text_cols"] or ())
        known["segment_cols"] = tuple(known["segment_cols"] or ())
        return cls(**known)

    @property
    def text_col(self) -> str | list[str]:
        """The text column(s) as ``miner fit`` takes them: one name, or the list."""
        return self.text_cols[0] if len(self.text_cols) == 1 else list(self.text_cols)


@dataclass
class RunEntry:
    """A run of the workspace as the runs list shows it."""

    run_id: str
    path: Path
    name: str
    source: str
    created: str
    state: str
    stage: str = ""
    rows_done: int = 0
    rows_total: int = 0
    error: str | None = None
    updated: float = 0.0
    rows: int | None = None
    themes: int | None = None
    mapping: dict = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.state != schema.FIT_RUNNING


class Workspace:
    """The workspace folder at ``root`` (created on first use)."""

    def __init__(self, root: str | Path | None = None):
        self.root = Path(root).expanduser() if root is not None else default_root()

    def __repr__(self) -> str:
        return f"Workspace({str(self.root)!r})"

    # ------------------------------------------------------------------ paths
    def inside(self, *parts: str) -> Path:
        """``root/part/...``, refused (:class:`UnsafeName`, E110) unless every part is a
        plain name and the resolved path (symlinks followed) stays inside the root."""
        for part in parts:
            text = str(part)
            if (
                not text
                or text in (".", "..")
                or "/" in text
                or "\\" in text
                or "\x00" in text
                or Path(text).is_absolute()
                or Path(text).drive
            ):
                raise UnsafeName(f"'{text}' is not a plain name inside the workspace")
        self.root.mkdir(parents=True, exist_ok=True)
        root = self.root.resolve()
        path = root.joinpath(*parts)
        if not path.resolve().is_relative_to(root):
            raise UnsafeName(f"'{'/'.join(parts)}' leads outside the workspace {root}")
        return path

    def _folder(self, name: str) -> Path:
        folder = self.inside(name)
        folder.mkdir(exist_ok=True)
        return folder

    # ---------------------------------------------------------------- uploads
    def save_upload(self, name: str, data: bytes) -> Upload:
        """Keep an uploaded file as ``uploads/<hash>-<name>``; the same bytes uploaded
        again are the same file. Refuses an unsupported type, an empty file or one over
        ``MAX_UPLOAD_MB`` with a message for the user."""
        shown = Path(str(name).replace("\\", "/")).name or "upload"
        suffix = format_suffix(shown)
        if suffix not in SUPPORTED and suffix not in ARCHIVES:  # a Slack export's .zip
            raise UnreadableInput(
                f"cannot read '{shown}': unsupported format '{suffix or '(none)'}'; "
                f"use {FORMATS_HINT}"
            )
        if not data:
            raise NoUsableText(f"'{shown}' is empty; export the feedback again and upload it")
        if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
            raise UnreadableInput(
                f"'{shown}' is {len(data) / 1024 / 1024:,.0f} MB; the app takes files up to "
                f"{MAX_UPLOAD_MB} MB. Fit a larger file from the command line: "
                "miner fit FILE --out RUN_DIR (then open it with --run RUN_DIR)"
            )
        digest = hashlib.sha256(data).hexdigest()[:16]
        ending = suffix + (GZIP if Path(shown).suffix.lower() == GZIP else "")
        stem = safe_name(shown[: len(shown) - len(ending)], fallback="upload", max_length=48)
        path = self.inside(UPLOADS_DIR, f"{digest}-{stem}{ending}")
        self._folder(UPLOADS_DIR)
        if not path.exists():
            atomic_write_bytes(path, data)
        return Upload(path=path, name=shown, digest=digest)

    def upload(self, stored_name: str, shown: str | None = None) -> Upload:
        """An upload already in ``uploads/``, by its stored file name."""
        path = self.inside(UPLOADS_DIR, stored_name)
        if not path.is_file():
            raise UnreadableInput(f"the uploaded file '{shown or stored_name}' is gone; upload it")
        return Upload(path=path, name=shown or stored_name, digest=stored_name.split("-")[0])

    def prune_uploads(self, keep_seconds: float = UNUSED_UPLOAD_SECONDS) -> list[Path]:
        """Remove uploads that no run uses and that are older than ``keep_seconds``."""
        folder = self.root / UPLOADS_DIR
        if not folder.is_dir():
            return []
        used = {entry.mapping.get("upload") for entry in self.runs()}
        now, removed = time.time(), []
        for path in folder.iterdir():
            if path.name in used or not path.is_file():
                continue
            if now - path.stat().st_mtime > keep_seconds:
                path.unlink(missing_ok=True)
                removed.append(path)
        return removed

    # ---------------------------------------------------------------- mapping
    def run_id(
        self,
        upload: Upload,
        mapping: ColumnMapping,
        seed: int,
        granularity: str = "auto",
        themes_only: bool = False,
        job_gate: bool = False,
        previous: str | None = None,
    ) -> str:
        """``<name>-<hash of upload hash, mapping, seed, granularity, themes only, job
        gate and previous run>``: one run per fit asked for (the defaults leave the hash
        as it was before they could be asked)."""
        asked = {"upload": upload.digest, "mapping": mapping.to_dict(), "seed": int(seed)}
        if granularity != "auto":
            asked["granularity"] = granularity
        if themes_only:
            asked["themes_only"] = True
        if job_gate:
            asked["job_gate"] = True
        if previous:
            asked["previous"] = previous
        key = json.dumps(asked, sort_keys=True)
        digest = hashlib.blake2b(key.encode(), digest_size=6).hexdigest()
        return f"{safe_name(Path(upload.name).stem, 'run', 40)}-{digest}"

    # ------------------------------------------------------------------- runs
    def run_dir(self, run_id: str) -> Path:
        """The folder of run ``run_id`` (checked to be inside the workspace)."""
        return self.inside(RUNS_DIR, run_id)

    def runs(self) -> list[RunEntry]:
        """Every run folder in ``runs/``, newest first."""
        folder = self.root / RUNS_DIR
        if not folder.is_dir():
            return []
        entries = [run_entry(path) for path in folder.iterdir() if path.is_dir()]
        return sorted(entries, key=lambda e: (e.created, e.run_id), reverse=True)

    def recent_fits(self, seconds: float = RECENT_SECONDS) -> list[RunEntry]:
        """The runs being fitted, and those whose fit ended in the last ``seconds``."""
        since = time.time() - seconds
        return [e for e in self.runs() if e.state == schema.FIT_RUNNING or e.updated >= since]

    def run(self, run_id: str) -> RunEntry:
        path = self.run_dir(run_id)
        if not path.is_dir():
            raise UnreadableInput(f"there is no run '{run_id}' in the workspace")
        return run_entry(path)

    def start_fit(
        self,
        upload: Upload,
        mapping: ColumnMapping,
        seed: int = 42,
        name: str | None = None,
        granularity: str = "auto",
        themes_only: bool = False,
        job_gate: bool = False,
        previous: str | None = None,
    ) -> RunEntry:
        """Fit ``upload`` with ``mapping`` in a background process; returns its run.

        ``granularity`` asks for fewer (``"coarser"``) or more (``"finer"``) themes
        than the automatic count (:mod:`miner.themes.count`); ``themes_only`` leaves out
        the per-comment heads (`miner fit --themes-only`); ``job_gate`` checks the jobs
        found with the learned job gate (`miner fit --job-gate`); ``previous`` (a run of
        the workspace) keeps its theme ids, names and curation where the new themes
        match (`miner fit --previous`: last month's renames and merges carried over to
        this month's export). A run of the same file,
        mapping, seed and options that is running or done is returned as it is
        (nothing is fitted twice); a failed or cancelled one is fitted again.
        """
        from miner.themes.count import check_theme_count  # imports the theme model

        check_theme_count(None, granularity)
        if previous:
            self.run(previous)  # a run of this workspace, or a message
        run_id = self.run_id(upload, mapping, seed, granularity, themes_only, job_gate, previous)
        path = self.run_dir(run_id)
        if path.is_dir():
            entry = run_entry(path)
            if entry.state in (schema.FIT_RUNNING, schema.FIT_DONE):
                return entry
        self._folder(RUNS_DIR)
        path.mkdir(exist_ok=True)
        request = {
            "name": (name or "").strip()[:100] or Path(upload.name).stem,
            "source": upload.name,
            "upload": upload.path.name,
            "mapping": mapping.to_dict(),
            "seed": int(seed),
            "granularity": granularity,
            "themes_only": bool(themes_only),
            "job_gate": bool(job_gate),
            **({"previous": previous} if previous else {}),
            "created": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        _write_json(path / schema.WORKSPACE_RUN_FILE, request)
        _write_json(path / schema.PROGRESS_FILE, _progress(schema.FIT_RUNNING, "Starting"))
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        with open(path / schema.FIT_LOG_FILE, "wb") as log:
            child = subprocess.Popen(
                [sys.executable, "-m", "miner.workspace", str(path)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # its own process group: cancel stops it all
            )
        _CHILDREN[child.pid] = child
        update_progress(path, pid=child.pid)
        return run_entry(path)

    def cancel(self, run_id: str) -> RunEntry:
        """Stop a running fit; its run is marked cancelled and no run file is left."""
        path = self.run_dir(run_id)
        progress = read_progress(path)
        pid = progress.get("pid")
        if progress.get("state") == schema.FIT_RUNNING and pid:
            _stop(int(pid))
        progress = read_progress(path)
        if progress.get("state") == schema.FIT_RUNNING:
            update_progress(path, state=schema.FIT_CANCELLED, stage="Cancelled")
        if read_progress(path).get("state") == schema.FIT_CANCELLED:
            _remove_partial_files(path)
        return run_entry(path)

    def rename(self, run_id: str, name: str) -> RunEntry:
        """Give a run another display name (its folder keeps its name)."""
        path = self.run_dir(run_id)
        name = " ".join(str(name).split())[:100]
        if not name:
            raise UnsafeName("a run's name cannot be empty")
        request = _read_json(path / schema.WORKSPACE_RUN_FILE)
        request["name"] = name
        _write_json(path / schema.WORKSPACE_RUN_FILE, request)
        return run_entry(path)

    def delete(self, run_id: str) -> None:
        """Remove a run folder (a running fit is stopped first) and its upload when no
        other run uses it."""
        path = self.run_dir(run_id)
        if not path.is_dir():
            return
        entry = run_entry(path)
        if entry.state == schema.FIT_RUNNING:
            self.cancel(run_id)
        upload = entry.mapping.get("upload")
        shutil.rmtree(path)
        if upload and all(e.mapping.get("upload") != upload for e in self.runs()):
            self.inside(UPLOADS_DIR, upload).unlink(missing_ok=True)


# --------------------------------------------------------------------- reading
def read_upload(upload: Upload, sheet: str | None = None) -> pd.DataFrame:
    """The upload's table (see :func:`miner.ingest.read`); an error names the file as
    the user uploaded it, never the workspace path."""
    from miner.ingest import read

    try:
        return read(upload.path, sheet=sheet).frame
    except MinerError as error:
        raise _as_uploaded(error, upload) from None


def sheet_names(upload: Upload) -> list[str]:
    """The sheets of an Excel upload (empty for other formats), the one ``miner fit``
    reads without ``--sheet`` first (a short "README" sheet before the 500 responses
    had been offered first, and fitted into a refusal)."""
    if upload.path.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    try:
        book = pd.ExcelFile(upload.path, engine="openpyxl")
        names = [str(s) for s in book.sheet_names]
        if len(names) > 1:
            from miner.ingest import data_sheet

            chosen = str(data_sheet(book)[0])
            names = [chosen, *(name for name in names if name != chosen)]
        return names
    except Exception as exc:  # noqa: BLE001 - any parser failure is one message
        raise UnreadableInput(f"cannot read {upload.name} as Excel: {exc}") from None


def suggest_mapping(frame: pd.DataFrame, sheet: str | None = None) -> ColumnMapping:
    """The columns ``miner fit`` would choose: the text column (the longest free text),
    a customer id named so, and the date, segment and score columns when obvious."""
    from miner.insights.run import choose_columns

    text_col = detect_text_column(frame)
    id_col = detect_id_column(frame, exclude=(text_col,))
    columns = choose_columns(frame, text_col, id_col, detect=True)
    return ColumnMapping(
        text_cols=(text_col,),
        id_col=id_col,
        date_col=columns.date_col,
        segment_cols=columns.segment_cols,
        score_col=columns.score_col,
        score_type=columns.score_type,
        sheet=sheet,
    )


def check_mapping(frame: pd.DataFrame, mapping: ColumnMapping) -> list[str]:
    """Refuse a mapping the fit cannot use (no text column, too few comments, one
    column in two roles); returns notes for the user."""
    from miner.ingest import check_column
    from miner.insights.run import choose_columns

    if not mapping.text_cols:
        raise NoUsableText("choose the column that holds the comments")
    if len(set(mapping.text_cols)) < len(mapping.text_cols):
        raise UnsafeName("a text column is chosen twice")
    # A name joined by "+" (title+body: one comment per row) is its parts' columns.
    text_cols = [
        check_column(frame, part, "text")
        for c in mapping.text_cols
        for part in text_parts(c, frame.columns)
    ]
    roles = [mapping.id_col, mapping.date_col, mapping.score_col, *mapping.segment_cols]
    for text_col in text_cols:
        if text_col in roles:
            raise UnsafeName(f"'{text_col}' is a text column; it cannot also be another role")
    if mapping.id_col:
        check_column(frame, mapping.id_col, "id")
    choose_columns(
        frame,
        text_cols[0],
        mapping.id_col,
        mapping.date_col,
        list(mapping.segment_cols),
        mapping.score_col,
        mapping.score_type,
    )
    comments = sum(1 for c in text_cols for v in frame[c].tolist() if _as_text(v).strip())
    if comments < MIN_COMMENTS:
        named = " and ".join(f"'{c}'" for c in text_cols)
        raise NoUsableText(
            f"{named} {'has' if len(text_cols) == 1 else 'have'} {comments:,} "
            f"comment{'s' if comments != 1 else ''}; finding themes needs at least "
            f"{MIN_COMMENTS}. Add more rows, or choose another column"
        )
    notes = []
    if len(mapping.text_cols) > 1:
        notes.append(
            f"{len(text_cols)} open questions ({', '.join(text_cols)}): the themes are "
            "found across every answer, one row per respondent and question."
        )
    elif len(text_cols) > 1:
        notes.append(f"{' + '.join(text_cols)} read as one comment per row, each part a sentence.")
    return notes


def run_entry(path: Path) -> RunEntry:
    """What the runs list shows of the run folder ``path`` (any run folder, also one
    copied in or written by an older miner)."""
    request = _read_json(path / schema.WORKSPACE_RUN_FILE)
    progress = fit_progress(path)
    meta = _read_json(path / schema.RUN_FILE)
    themes = None
    themes_path = path / schema.THEMES_FILE
    if themes_path.exists():
        from miner.curation import curated_theme_count, read_curation
        from miner.errors import CurationError

        try:
            table = pd.read_csv(themes_path, keep_default_na=False)
            themes = int((table["theme_id"] >= 0).sum())
            curation = read_curation(path)
            if curation.edits:  # as the run's pages show it: after the PM's edits
                themes = curated_theme_count(table, curation)
        except (OSError, ValueError, KeyError, CurationError):
            themes = None
    created = request.get("created") or time.strftime(
        "%Y-%m-%d %H:%M:%S", time.localtime(path.stat().st_mtime)
    )
    return RunEntry(
        run_id=path.name,
        path=path,
        name=request.get("name") or path.name,
        source=request.get("source") or Path(str(meta.get("source") or "")).name,
        created=created,
        state=progress["state"],
        stage=progress.get("stage") or "",
        rows_done=int(progress.get("rows_done") or 0),
        rows_total=int(progress.get("rows_total") or 0),
        error=progress.get("error"),
        updated=float(progress.get("updated") or 0.0),
        rows=meta.get("rows"),
        themes=themes,
        mapping={**request.get("mapping", {}), "upload": request.get("upload")},
    )


def fit_progress(path: Path) -> dict:
    """The fit's progress: ``progress.json`` with the state as it really is (a fit
    whose process is gone without saying so failed; a run folder without the file is
    done when it holds a run)."""
    progress = read_progress(path)
    if not progress:
        done = (path / schema.DOCUMENTS_FILE).exists()
        return _progress(schema.FIT_DONE if done else schema.FIT_FAILED, "")
    if progress.get("state") == schema.FIT_RUNNING and not _alive(progress.get("pid")):
        started = progress.get("started") or 0
        if progress.get("pid") or time.time() - started > 30:
            progress = {
                **progress,
                "state": schema.FIT_FAILED,
                "error": "the fit stopped without finishing (the app was closed or the "
                "process was killed); start it again",
            }
    return progress


def read_progress(path: Path) -> dict:
    return _read_json(path / schema.PROGRESS_FILE)


def update_progress(path: Path, **values) -> dict:
    """Merge ``values`` into the run's ``progress.json`` (written atomically)."""
    progress = {**read_progress(path), **values, "updated": time.time()}
    _write_json(path / schema.PROGRESS_FILE, progress)
    return progress


def _progress(state: str, stage: str) -> dict:
    now = time.time()
    return {
        "state": state,
        "stage": stage,
        "rows_done": 0,
        "rows_total": 0,
        "started": now,
        "updated": now,
        "pid": None,
        "error": None,
    }


def _read_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _write_json(path: Path, value: dict) -> None:
    atomic_write_text(path, json.dumps(value, indent=2, default=str) + "\n")


# The command line's words in an error, as the app's controls say them.
_APP_WORDS = (
    ("pick another column with --text-col", "pick another column as the comment column"),
    ("Name the comment column with --text-col.", "Choose the comment column."),
)


def _as_uploaded(error: MinerError, upload: Upload) -> MinerError:
    """``error`` with the workspace path of ``upload`` replaced by the name it came as,
    and the command line's advice in the app's words."""
    message = error.message.replace(str(upload.path), upload.name)
    message = message.replace(upload.path.name, upload.name)
    for cli, app in _APP_WORDS:
        message = message.replace(cli, app)
    copy = type(error)(message)
    return copy


# ------------------------------------------------------------------ processes
def _alive(pid) -> bool:
    if not pid:
        return False
    pid = int(pid)
    child = _CHILDREN.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        _CHILDREN.pop(pid, None)
        return False
    try:  # a child of this process that ended: reap it (a zombie still answers kill 0)
        if os.waitpid(pid, os.WNOHANG)[0]:
            return False
    except ChildProcessError:
        pass  # not a child of this process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop(pid: int) -> None:
    """SIGTERM the fit's process group (the worker stops cleanly), SIGKILL if it lingers."""
    for sig, wait in ((signal.SIGTERM, CANCEL_WAIT_SECONDS), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not _alive(pid):
                return
            time.sleep(0.1)


def _remove_partial_files(path: Path) -> None:
    """What a stopped fit may leave: staged files (``.NAME.partial-…``) and its lock."""
    for leftover in path.glob(f".*{PARTIAL_MARK}*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    (path / LOCK_NAME).unlink(missing_ok=True)


# ---------------------------------------------------------------------- worker
class ProgressFile:
    """Writes a fit's progress to ``progress.json``: ``say`` for each stage line,
    ``rows_done`` for the rows done of the stage (at most every ``every`` seconds,
    ``EVERY`` by default; the last count of a stage always)."""

    EVERY = 0.5

    def __init__(self, path: Path, upload: Upload, every: float | None = None):
        self.path = path
        self.upload = upload
        self.every = self.EVERY if every is None else every
        self._last = 0.0

    def say(self, line: str) -> None:
        print(line, flush=True)  # the fit's log, as the CLI prints it
        line = line.replace(str(self.path), "the workspace")
        line = line.replace(self.upload.path.name, self.upload.name)
        update_progress(self.path, stage=line, rows_done=0, rows_total=0)
        self._last = time.monotonic()

    def rows_done(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < self.every:
            return
        self._last = now
        update_progress(self.path, rows_done=int(done), rows_total=int(total))


def fit_in_workspace(path: Path) -> int:
    """Fit the run folder ``path`` as its ``workspace.json`` asks, writing its progress;
    returns 0 (done), 2 (failed: a problem with the input) or 130 (cancelled)."""
    path = Path(path)
    request = _read_json(path / schema.WORKSPACE_RUN_FILE)
    mapping = ColumnMapping.from_dict(request.get("mapping") or {})
    upload = Workspace(path.parent.parent).upload(request["upload"], request.get("source"))
    update_progress(path, pid=os.getpid(), state=schema.FIT_RUNNING, error=None)
    writer = ProgressFile(path, upload)
    writer.say(f"Reading {upload.name}")
    try:
        from miner.batch import fit_run
        from miner.pipeline import FeedbackMiner

        fit_run(
            upload.path,
            path,
            text_col=mapping.text_col,
            id_col=mapping.id_col,
            sheet=mapping.sheet,
            miner=FeedbackMiner(
                seed=int(request.get("seed", 42)),
                granularity=request.get("granularity", "auto"),
                per_document=not request.get("themes_only", False),
                job_gate=bool(request.get("job_gate", False)),
                previous=(
                    Workspace(path.parent.parent).run_dir(request["previous"])
                    if request.get("previous")
                    else None
                ),
            ),
            say=writer.say,
            date_col=mapping.date_col,
            segment_cols=list(mapping.segment_cols),
            score_col=mapping.score_col,
            score_type=mapping.score_type,
            detect_columns=False,
            rows_done=writer.rows_done,
            source_name=upload.name,  # the PM's file name, not the upload's stored path
        )
    except KeyboardInterrupt:
        update_progress(path, state=schema.FIT_CANCELLED, stage="Cancelled")
        _remove_partial_files(path)
        return 130
    except MinerError as error:
        update_progress(path, state=schema.FIT_FAILED, error=str(_as_uploaded(error, upload)))
        return 2
    except Exception as error:  # noqa: BLE001 - reported to the user, traceback in fit.log
        import traceback

        traceback.print_exc()
        update_progress(
            path,
            state=schema.FIT_FAILED,
            error=f"unexpected error: {type(error).__name__}: {error} (details in fit.log)",
        )
        return 1
    update_progress(path, state=schema.FIT_DONE, stage="Done", finished=time.time())
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """``python -m miner.workspace RUN_DIR``: the background fit the app starts."""
    args = sys.argv[1:] if argv is None else argv
    signal.signal(signal.SIGTERM, _interrupt)  # cancel: unwind, so nothing half-written
    return fit_in_workspace(Path(args[0]))


if __name__ == "__main__":
    sys.exit(main())
