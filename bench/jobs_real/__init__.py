"""The hand-labelled real-text jobs set: references in the repository, text from ../shared.

``jobs_real.csv`` holds, per item, ``source, key, start, end, text_sha1, split, jobs``:
where the item's text is in ``../shared/data`` (see ``GUIDELINE.md``), the SHA-1 of that
text, ``dev`` or ``holdout``, and the labelled jobs as JSON, each part a ``[start, end]``
character range into the item's text (or null). No text is copied into the repository:
:func:`load_set` reads it back and checks every item against its hash, and returns
items in the format of :mod:`miner.jobs.evaluate` (parts as strings).
"""

from __future__ import annotations

import csv
import hashlib
import json
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SET_FILE = HERE / "jobs_real.csv"
# The second set: items drawn for their situations and outcomes (GUIDELINE.md, set 2).
PARTS_FILE = HERE / "parts_real.csv"
# The third set: items with a question, labelled with questions that imply a job (set 3).
QUESTIONS_FILE = HERE / "questions_real.csv"
# Set 1q: the first set with the third set's rule for questions (GUIDELINE.md, set 1q).
JOBS_Q_FILE = HERE / "jobs_real_q.csv"
# Set 5: a fresh draw from rows no earlier set holds, for a clean reading (GUIDELINE.md).
FRESH_FILE = HERE / "fresh_real.csv"
# Set 6: set 2's drawing again, on rows no earlier set holds (GUIDELINE.md).
FRESH_PARTS_FILE = HERE / "fresh_parts_real.csv"
# Set 7: set 5's drawing again, on rows no earlier set or read sample holds (session 28).
FRESH2_FILE = HERE / "fresh2_real.csv"
# Rows (source, key) that AI helpers read in session 25 to find what the rules missed;
# set 6 is drawn without them.
READ_S25_FILE = HERE / "read_s25.csv"
# Rows (source, key) of the two samples of 300 long Mini-BAR reviews that helpers read in
# session 26 (the first for rules, the second for one reading); a later set is drawn
# without them.
READ_S26_FILE = HERE / "read_s26.csv"
SETS = {
    "jobs": SET_FILE,
    "parts": PARTS_FILE,
    "questions": QUESTIONS_FILE,
    "jobs-q": JOBS_Q_FILE,
    "fresh": FRESH_FILE,
    "fresh-parts": FRESH_PARTS_FILE,
    "fresh2": FRESH2_FILE,
}
# The fourth set: sentences where the rules found a job the learned gate reads, each
# labelled job / no job (GUIDELINE.md, set 4); the gate's training examples.
GATE_FILE = HERE / "gate_real.csv"
GATE_COLUMNS = ("source", "key", "start", "end", "text_sha1", "job", "why")
DATA = ROOT.parent / "shared" / "data"
COLUMNS = ("source", "key", "start", "end", "text_sha1", "split", "jobs")
SPLITS = ("dev", "holdout")
PARTS = ("situation", "motivation", "outcome")
# source -> (file under DATA, text column); the key is the 0-based CSV row, except
# for clothing where it is the file's own ``row_id``.
SOURCES = {
    "minibar": ("minibar_app_review_kind/minibar_app_review_kind.csv", "text"),
    "tizard": ("tizard_forum_feedback/tizard_forum_feedback.csv", "text"),
    "banking77": ("banking77/train.csv", "text"),
    "clothing": ("clothing_reviews/reviews.csv", "review_text"),
    # review sentences, only in the fourth set
    "dynasent": ("dynasent/dev.csv", "text"),
    "uci": ("sentiment/sentiment.csv", "text"),
}


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def data_available(data: Path = DATA) -> bool:
    """Whether every source file is present (the set cannot be read otherwise)."""
    return all((data / file).is_file() for file, _ in SOURCES.values())


@cache
def read_source(source: str, data: Path = DATA) -> dict[int, dict]:
    """``key -> row`` (a dict of the CSV's columns, as written) of one source."""
    file, _ = SOURCES[source]
    with open(data / file, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if source == "clothing":
        return {int(row["row_id"]): row for row in rows}
    return dict(enumerate(rows))


def source_text(source: str, key: int, data: Path = DATA) -> str:
    """The full text of one row of a source."""
    return read_source(source, data)[key][SOURCES[source][1]]


def row_keys(*paths: Path) -> set[tuple[str, int]]:
    """``(source, key)`` of every row of the given set files (any of the sets' layouts)."""
    keys: set[tuple[str, int]] = set()
    for path in paths:
        with open(path, newline="", encoding="utf-8") as handle:
            keys |= {(row["source"], int(row["key"])) for row in csv.DictReader(handle)}
    return keys


def read_rows(path: Path = SET_FILE) -> list[dict]:
    """The committed rows (no text), typed."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path}: columns must be {COLUMNS}, found {reader.fieldnames}")
        rows = []
        for row in reader:
            for name in ("key", "start", "end"):
                row[name] = int(row[name])
            if row["split"] not in SPLITS:
                raise ValueError(f"{path}: unknown split {row['split']!r}")
            row["jobs"] = json.loads(row["jobs"]) if row["jobs"] else None
            rows.append(row)
        return rows


def load_set(split: str | None = None, path: Path = SET_FILE, data: Path = DATA) -> list[dict]:
    """Labelled items of ``split`` (all when None) with their text read from ``data``.

    Each item: ``id, source, split, text, family (= source), jobs`` with the parts as
    strings, as :func:`miner.jobs.evaluate.evaluate` expects. Raises ``ValueError`` when
    a text no longer matches its hash (the shared file changed) or an item is unlabelled.
    """
    items, bad = [], []
    for row in read_rows(path):
        if split is not None and row["split"] != split:
            continue
        text = source_text(row["source"], row["key"], data)[row["start"] : row["end"]]
        if sha1(text) != row["text_sha1"]:
            bad.append((row["source"], row["key"], row["start"]))
            continue
        if row["jobs"] is None:
            raise ValueError(f"{row['source']}:{row['key']}: not labelled")
        jobs = [
            {part: (text[job[part][0] : job[part][1]] if job.get(part) else None) for part in PARTS}
            for job in row["jobs"]
        ]
        items.append(
            {
                "id": f"{row['source']}:{row['key']}:{row['start']}",
                "source": row["source"],
                "split": row["split"],
                "family": row["source"],
                "text": text,
                "jobs": jobs,
            }
        )
    if bad:
        raise ValueError(f"{len(bad)} items do not match their text hash, e.g. {bad[:3]}")
    return items


def load_gate_set(path: Path = GATE_FILE, data: Path = DATA) -> list[dict]:
    """The fourth set's sentences: ``source, key, text`` (the sentence), ``job`` (0/1), ``why``.

    Raises ``ValueError`` when a sentence no longer matches its hash or is unlabelled.
    """
    sentences, bad = [], []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != GATE_COLUMNS:
            raise ValueError(f"{path}: columns must be {GATE_COLUMNS}, found {reader.fieldnames}")
        for row in reader:
            key, start, end = int(row["key"]), int(row["start"]), int(row["end"])
            text = source_text(row["source"], key, data)[start:end]
            if sha1(text) != row["text_sha1"]:
                bad.append((row["source"], key, start))
                continue
            if row["job"] not in ("0", "1"):
                raise ValueError(f"{row['source']}:{key}:{start}: not labelled")
            sentences.append(
                {
                    "source": row["source"],
                    "key": key,
                    "text": text,
                    "job": int(row["job"]),
                    "why": row["why"],
                }
            )
    if bad:
        raise ValueError(f"{len(bad)} sentences do not match their text hash, e.g. {bad[:3]}")
    return sentences
