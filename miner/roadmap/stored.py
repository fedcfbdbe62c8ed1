"""The run's default roadmap feed, kept in the run folder so the app opens at once.

Ranking a large run takes seconds (4 s for 200,000 rows), and the Overview shows the
top of the roadmap on its first screen. So the default feed (no ``since``, default
weights) is written to ``roadmap_feed.json`` when a large run is saved (or when the app
first shows a smaller one), and the app reads it back instead of ranking again. The
file records what it was built from: the miner version, a digest of the ranking code
and the digests of
``run.json``, ``documents.parquet`` and ``curation.json`` (if any). A feed whose record
does not match the folder (a curation edit, a batch added, another miner) is built
again and, where the folder is writable, rewritten. It is a cache: deleting it loses
nothing.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from miner import schema
from miner.atomic import atomic_write_text
from miner.persist import Run, file_digest
from miner.version import __version__

# Runs of at least this many comments get their feed ranked when saved; a smaller run
# ranks in about a second, so its feed is built (and stored) when the app first asks.
RANK_ON_SAVE_FROM = 20_000


def feed_key(directory: str | Path) -> dict:
    """What the default feed of the run in ``directory`` depends on."""
    directory = Path(directory)

    def digest(name: str) -> str:
        path = directory / name
        return file_digest(path) if path.exists() else ""

    return {
        "miner_version": __version__,
        "code": _code_digest(),
        schema.RUN_FILE: digest(schema.RUN_FILE),
        schema.DOCUMENTS_FILE: digest(schema.DOCUMENTS_FILE),
        schema.CURATION_FILE: digest(schema.CURATION_FILE),
    }


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """The digest of the code that ranks the feed (this package, the insight views and
    tables it reads, how it reads dates, the curation it applies and the masking of
    what it shows), so a feed stored by other code is not reused, even within one
    version."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    package = here.parent
    read = [
        package / "insights" / "views.py",
        package / "insights" / "columns.py",
        package / "tables.py",
        package / "curation.py",
        package / "report.py",
        package / "pii.py",
    ]
    for path in sorted([*here.glob("*.py"), *read]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def read_stored(directory: str | Path) -> dict | None:
    """The stored default feed of the run in ``directory``, or None when there is none
    or it was built from other files."""
    path = Path(directory) / schema.ROADMAP_FEED_FILE
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("key") != feed_key(directory):
        return None
    return stored.get("feed")


def store(directory: str | Path, feed: dict) -> bool:
    """Write ``feed`` as the default feed of the run in ``directory`` (atomically);
    False when the folder cannot be written (the feed is then built on each open)."""
    text = json.dumps({"key": feed_key(directory), "feed": feed}, ensure_ascii=False)
    try:
        atomic_write_text(Path(directory) / schema.ROADMAP_FEED_FILE, text + "\n")
    except OSError:
        return False
    return True


def default_feed(run: Run) -> dict:
    """The default roadmap feed of ``run``: read from its folder when stored for these
    files, else built (:func:`miner.roadmap.feed.build_roadmap`) and stored. Raises as
    ``build_roadmap`` does (a run without themes)."""
    from miner.roadmap.feed import build_roadmap

    directory = run.directory
    if directory is not None:
        feed = read_stored(directory)
        if feed is not None:
            return feed
    # Round-tripped through JSON so a stored and a fresh feed are the same objects.
    feed = json.loads(json.dumps(build_roadmap(run), ensure_ascii=False))
    if directory is not None:
        store(directory, feed)
    return feed


def refresh(directory: str | Path, rows: int | None = None) -> bool:
    """Build and store the default feed of the run saved in ``directory`` (as it loads:
    curated); False when it has nothing to rank, or when ``rows`` (the run's comments)
    is below :data:`RANK_ON_SAVE_FROM`."""
    from miner.errors import MinerError
    from miner.persist import load_run

    if rows is not None and rows < RANK_ON_SAVE_FROM:
        return False
    try:
        run = load_run(directory)
        default_feed(run)
    except MinerError:
        return False
    return True
