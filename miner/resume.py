"""Resume an interrupted `miner score` from its last finished chunk.

While ``miner score`` writes ``OUT``, the folder ``.OUT.resume/`` beside it holds:

- ``manifest.json``: what the run is (input file, model, options), the names of its
  temporary output (``.OUT.partial-*``, see :mod:`miner.atomic`) and Parquet parts,
  the chunks finished, the output's length after them, and what carries from one
  chunk to the next (counts, segment bins, the novelty reservoir);
- ``seen.jsonl``: the first occurrence of each distinct text (duplicates span chunks);
- ``.miner.lock``: the process writing (:func:`miner.atomic.folder_lock`).

The manifest is replaced atomically after each chunk is on disk, so it never names
more than was written; a resumed run cuts the output back to the length it records
and goes on from the next chunk. The folder is removed when the output is complete,
and on an error; it stays after a kill (and, with ``keep_on``, a Ctrl-C).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from miner.atomic import atomic_write_text, folder_lock, new_partial
from miner.clean import FirstSeen, duplicate_key
from miner.errors import InvalidConfig, OutputNotWritable
from miner.schema import RESUME_MANIFEST_FILE as MANIFEST_FILE
from miner.schema import RESUME_SEEN_FILE as SEEN_FILE
from miner.schema import RESUME_SUFFIX

MANIFEST_VERSION = 1


def resume_folder(out: str | Path) -> Path:
    """The folder that lets ``miner score --resume`` continue ``out`` (``.OUT.resume``)."""
    out = Path(out)
    return out.with_name(f".{out.name}{RESUME_SUFFIX}")


def input_fingerprint(path: str | Path) -> dict:
    """A file as a resumed run must find it again: absolute path, size, modified time."""
    path = Path(path)
    stat = path.stat()
    return {"path": str(path.absolute()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


@dataclass
class Carried:
    """What one chunk passes to the next in ``score_file``; JSON in the manifest."""

    chunks: int = 0  # chunks finished
    written: int = 0  # rows written
    repaired: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, int] = field(default_factory=dict)
    bins: dict[str, tuple] | None = None
    novelty: dict | None = None  # NoveltyWatch.state()

    def as_json(self) -> dict:
        return {
            "chunks": self.chunks,
            "written": self.written,
            "repaired": self.repaired,
            "by_status": dict(self.by_status),
            "unreadable": dict(self.unreadable),
            "bins": None if self.bins is None else {k: list(v) for k, v in self.bins.items()},
            "novelty": self.novelty,
        }

    @classmethod
    def from_json(cls, data: dict) -> Carried:
        bins = data.get("bins")
        return cls(
            chunks=int(data["chunks"]),
            written=int(data["written"]),
            repaired=int(data["repaired"]),
            by_status={k: int(v) for k, v in data["by_status"].items()},
            unreadable={k: int(v) for k, v in data["unreadable"].items()},
            bins=None if bins is None else {k: tuple(v) for k, v in bins.items()},
            novelty=data.get("novelty"),
        )


class Checkpoint:
    """The resume folder of one ``miner score`` output; a context manager.

    On entry it locks the folder and either picks up the manifest (``resume=True``
    and the same input, model and options) or starts afresh, discarding an earlier
    unfinished run's files. ``carried``, ``first_seen``, ``partial``, ``parts_dir``
    and ``position`` tell the writer and the scorer where to go on from; ``save``
    records a finished chunk. On a clean exit or an error the folder is removed;
    after an exception in ``keep_on`` (or a kill) it stays for ``--resume``.
    """

    def __init__(
        self,
        out: str | Path,
        run: dict,
        resume: bool = False,
        keep_on: tuple[type[BaseException], ...] = (),
        say: Callable[[str], None] | None = None,
    ):
        self.out = Path(out)
        self.run = run
        self.resume = resume
        self.keep_on = keep_on
        self.say = say or (lambda _: None)
        self.folder = resume_folder(self.out)
        self.carried = Carried()
        self.first_seen = FirstSeen(self.folder)  # texts on disk beside the output
        self.partial: Path | None = None
        self.parts_dir: Path | None = None
        self.position = 0  # bytes of the partial output, or Parquet parts
        self._lock = None

    # ------------------------------------------------------------ enter / exit
    def __enter__(self) -> Checkpoint:
        try:
            self.folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise OutputNotWritable(
                f"cannot write beside '{self.out}' ({exc.strerror or exc}); "
                "choose another file with --out"
            ) from exc
        self._lock = folder_lock(self.folder, "miner score")
        self._lock.__enter__()
        try:
            manifest = self._read_manifest()
            if manifest is not None and self.resume and self._can_resume(manifest):
                self._pick_up(manifest)
            else:
                if manifest is not None:
                    self._discard(manifest)
                elif self.resume:
                    self.say("Nothing to resume: scoring from the first row")
                self._start()
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, exc_type, exc, traceback) -> bool:
        self._lock.__exit__(None, None, None)
        self.first_seen.close()
        if exc is not None and isinstance(exc, self.keep_on):
            self.say(
                f"{self.carried.written:,} rows are scored and kept; the same command "
                "with --resume goes on from there"
            )
            return False
        # Complete (the output was renamed) or failed: nothing is left to resume.
        if self.partial is not None:
            self.partial.unlink(missing_ok=True)
        if self.parts_dir is not None:
            shutil.rmtree(self.parts_dir, ignore_errors=True)
        shutil.rmtree(self.folder, ignore_errors=True)
        return False

    # ------------------------------------------------------------ a chunk done
    def save(self, carried: Carried, position: int, new_seen: list[tuple[bytes, int, str]]) -> None:
        """Record a chunk written to the output (now ``position`` long) and the texts
        it saw first."""
        if new_seen:
            with open(self.folder / SEEN_FILE, "a", encoding="utf-8") as handle:
                handle.writelines(
                    json.dumps([key.hex(), row, text], ensure_ascii=False) + "\n"
                    for key, row, text in new_seen
                )
                handle.flush()
                os.fsync(handle.fileno())
        _fsync_path(self.partial)
        self.carried, self.position = carried, position
        self._write_manifest()

    # ------------------------------------------------------------ internals
    def _manifest(self) -> dict:
        return {
            "version": MANIFEST_VERSION,
            "run": self.run,
            "partial": self.partial.name,
            "parts_dir": self.parts_dir.name if self.parts_dir else None,
            "position": self.position,
            "seen_bytes": _size(self.folder / SEEN_FILE),
            "carried": self.carried.as_json(),
        }

    def _write_manifest(self) -> None:
        atomic_write_text(self.folder / MANIFEST_FILE, json.dumps(self._manifest()) + "\n")

    def _read_manifest(self) -> dict | None:
        try:
            manifest = json.loads((self.folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION:
            return None
        return manifest

    def _can_resume(self, manifest: dict) -> bool:
        before = manifest.get("run", {})
        changed = sorted(k for k in set(before) | set(self.run) if before.get(k) != self.run.get(k))
        if changed:
            used = {k: before.get(k) for k in changed}
            old, new = before.get("options"), self.run.get("options")
            if "options" in used and isinstance(old, dict) and isinstance(new, dict):
                # Name the options that differ, as the interrupted run had them.
                used["options"] = {k: old.get(k) for k in sorted(old) if old.get(k) != new.get(k)}
            raise InvalidConfig(
                f"cannot resume '{self.out}': {', '.join(changed)} changed since the "
                f"interrupted run (it used {json.dumps(used)}); give what it used to go on, "
                "or leave out --resume to start afresh"
            )
        partial = self.folder.parent / str(manifest.get("partial"))
        position = int(manifest["position"])
        if manifest.get("parts_dir"):
            parts = self.folder.parent / str(manifest["parts_dir"])
            whole = parts.is_dir() and len(list(parts.glob("*.parquet"))) >= position
        else:
            whole = partial.is_file() and partial.stat().st_size >= position
        if not partial.is_file() or not whole:
            self.say(f"Cannot resume: {partial.name} is gone or shorter than recorded")
            return False
        return True

    def _pick_up(self, manifest: dict) -> None:
        self.partial = self.folder.parent / manifest["partial"]
        if manifest.get("parts_dir"):
            self.parts_dir = self.folder.parent / manifest["parts_dir"]
        self.position = int(manifest["position"])
        self.carried = Carried.from_json(manifest["carried"])
        seen = self.folder / SEEN_FILE
        if seen.exists():
            with open(seen, "r+b") as handle:  # drop what a killed chunk appended
                handle.truncate(int(manifest["seen_bytes"]))
            with open(seen, encoding="utf-8") as handle:
                for line in handle:
                    _, row, text = json.loads(line)  # the key again from the text
                    self.first_seen[duplicate_key(text)] = (int(row), text)
        self.say(
            f"Resuming: {self.carried.written:,} rows in {self.carried.chunks:,} chunks "
            "were scored before"
        )

    def _discard(self, manifest: dict) -> None:
        written = manifest.get("carried", {}).get("written", 0)
        self.say(
            f"Discarded an unfinished run of {written:,} rows to '{self.out.name}' "
            "(--resume goes on from one instead)"
        )
        partial = manifest.get("partial")
        if partial and partial.startswith(f".{self.out.name}.partial-"):
            (self.folder.parent / partial).unlink(missing_ok=True)
        parts = manifest.get("parts_dir")
        if parts and parts.startswith(f".{self.out.name}.parts-"):
            shutil.rmtree(self.folder.parent / parts, ignore_errors=True)
        (self.folder / SEEN_FILE).unlink(missing_ok=True)

    def _start(self) -> None:
        self.first_seen.close()
        self.carried, self.first_seen, self.position = Carried(), FirstSeen(self.folder), 0
        (self.folder / SEEN_FILE).unlink(missing_ok=True)
        self.partial = new_partial(self.out)
        if self.out.suffix.lower() == ".parquet":
            self.parts_dir = Path(
                tempfile.mkdtemp(dir=self.out.parent, prefix=f".{self.out.name}.parts-")
            )
        self._write_manifest()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _fsync_path(path: Path | None) -> None:
    # The chunk must be on disk before the manifest says it is.
    if path is None or not path.is_file():
        return
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())
