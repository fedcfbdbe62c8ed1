"""Write files so that a reader only ever sees nothing or a complete file.

Everything is written under a temporary name in the target's own folder
(``.NAME.partial-XXXXXXXX``) and renamed onto the target with ``os.replace``
when complete. ``os.replace`` within one folder is atomic on POSIX and Windows,
so an interrupted or failed write never leaves a finished-looking file at the
target, and a file that was there before stays untouched until the new one is
complete. The temporary file is removed on any exception, KeyboardInterrupt
included.

    with atomic_path("scored.csv") as tmp:
        frame.to_csv(tmp)              # any writer that takes a path
    atomic_write_text(path, text)      # one-shot helpers
    atomic_write_bytes(path, data)

A new file gets the usual permissions (``0o666`` less the umask); a file that is
replaced keeps its mode.
"""

from __future__ import annotations

import os
import secrets
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PARTIAL_MARK = ".partial-"


def partial_name(target: str | Path) -> str:
    """The glob pattern of temporary files for ``target`` (``.NAME.partial-*``)."""
    return f".{Path(target).name}{PARTIAL_MARK}*"


def _create_partial(target: Path) -> Path:
    """Create an empty, new temporary file next to ``target``; never reuses a name."""
    while True:
        candidate = target.with_name(f".{target.name}{PARTIAL_MARK}{secrets.token_hex(4)}")
        try:
            # O_EXCL: ours alone; mode 0o666 so the umask applies as for any new file.
            descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(descriptor)
        return candidate


def _keep_mode(target: Path, partial: Path) -> None:
    # Best effort: a replaced file keeps its permissions.
    try:
        os.chmod(partial, target.stat().st_mode & 0o7777)
    except OSError:
        pass


def _fsync(path: Path) -> None:
    # The data must be on disk before the rename makes it visible as complete.
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def new_partial(target: str | Path) -> Path:
    """A new, empty temporary file for ``target`` (``.NAME.partial-XXXXXXXX``)."""
    return _create_partial(Path(target))


@contextmanager
def atomic_path(
    path: str | Path,
    partial: str | Path | None = None,
    keep_on: tuple[type[BaseException], ...] = (),
) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` on success.

    The body writes the temporary file (it exists, empty, when the body starts:
    writers that truncate or replace it are fine). On a normal exit the file is
    flushed to disk and renamed onto ``path``; on any exception, KeyboardInterrupt
    included, it is removed and ``path`` is left as it was.

    ``partial``: carry on writing an existing temporary file (of :func:`new_partial`,
    for ``miner score --resume``); ``keep_on``: exceptions after which it is kept.
    """
    target = Path(path)
    partial = Path(partial) if partial is not None else _create_partial(target)
    try:
        yield partial
        _keep_mode(target, partial)
        _fsync(partial)
        os.replace(partial, target)
    except BaseException as exc:
        if not isinstance(exc, keep_on):
            partial.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_path`); returns the path."""
    with atomic_path(path) as partial:
        partial.write_bytes(data)
    return Path(path)


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_path`); returns the path."""
    return atomic_write_bytes(path, text.encode(encoding))


LOCK_NAME = ".miner.lock"


@contextmanager
def folder_lock(folder: str | Path, what: str = "miner") -> Iterator[Path]:
    """Hold ``FOLDER/.miner.lock`` while the body runs; refuse if another process holds it.

    The lock file is created with ``O_EXCL`` (so exactly one process gets it) and
    holds its owner's pid, host and start time; it is removed when the body ends,
    however it ends. A lock whose owner no longer runs (same host, pid gone) is stale
    and taken over. Raises :class:`~miner.errors.OutputNotWritable` (E105) when the
    folder is locked.
    """
    from miner.errors import OutputNotWritable

    lock = Path(folder) / LOCK_NAME
    owner = f"{os.getpid()} {socket.gethostname()} {time.strftime('%Y-%m-%dT%H:%M:%S')} {what}"
    for _ in range(2):
        try:
            descriptor = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            holder = _lock_holder(lock)
            if _is_stale(lock, holder):
                lock.unlink(missing_ok=True)
                continue
            raise OutputNotWritable(
                f"'{folder}' is being written by another process "
                f"({' '.join(holder or ['starting'])}); "
                f"wait for it to finish, or remove {lock} if it is no longer running"
            ) from None
        except OSError as exc:
            raise OutputNotWritable(
                f"cannot lock '{folder}' ({exc.strerror or exc}); choose another folder with --out"
            ) from exc
        with os.fdopen(descriptor, "w") as handle:
            handle.write(owner + "\n")
        break
    else:
        raise OutputNotWritable(f"cannot lock '{folder}': {lock} keeps reappearing; try again")
    try:
        yield lock
    finally:
        if _lock_holder(lock) == owner.split(" "):  # never remove another process's lock
            lock.unlink(missing_ok=True)


def _lock_holder(lock: Path) -> list[str] | None:
    """The lock's owner as [pid, host, time, what...], or None if unreadable or gone."""
    try:
        fields = lock.read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return None
    return fields if len(fields) >= 2 and fields[0].isdigit() else None


def _is_stale(lock: Path, holder: list[str] | None) -> bool:
    """A lock of this host whose process no longer runs (or unreadable for a while)."""
    if holder is None:  # just created and not written yet, or damaged
        try:
            return time.time() - lock.stat().st_mtime > 10
        except OSError:
            return True
    if holder[1] != socket.gethostname():
        return False  # another machine's process: cannot tell, so never steal
    try:
        os.kill(int(holder[0]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, ValueError):
        return False
    return False
