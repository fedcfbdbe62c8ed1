"""The hand-labelled clothing aspect set: references in the repository, text from ../shared.

``clothing_aspects.csv`` holds only ``row_id, start, end, text_sha1, aspect``: character
offsets into a review's ``review_text`` in ``../shared/data/clothing_reviews/reviews.csv``
and the SHA-1 of the sentence. The text itself is never copied into the repository;
:func:`load_set` reads it back from the shared data and checks every span against its hash.
See ``GUIDELINE.md`` for what each aspect means.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SET_FILE = HERE / "clothing_aspects.csv"
REVIEWS = ROOT.parent / "shared" / "data" / "clothing_reviews" / "reviews.csv"
COLUMNS = ("row_id", "start", "end", "text_sha1", "aspect")
# The guideline's aspects, in its tie-break order, ``other`` last.
ASPECTS = (
    "fit_size",
    "length",
    "fabric",
    "colour",
    "comfort",
    "quality_price",
    "style",
    "other",
)
MIN_WORDS = 3  # shorter pieces are not sampled


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def reviews_available(path: Path | None = None) -> bool:
    return (REVIEWS if path is None else path).is_file()


def read_reviews(path: Path | None = None) -> dict[int, str]:
    """``row_id -> review_text`` of the shared clothing reviews, as written in the file."""
    with open(REVIEWS if path is None else path, newline="", encoding="utf-8") as handle:
        return {int(row["row_id"]): row["review_text"] for row in csv.DictReader(handle)}


def read_labels(path: Path = SET_FILE) -> list[dict]:
    """The committed rows (no text), typed."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path}: columns must be {COLUMNS}, found {reader.fieldnames}")
        return [
            {
                "row_id": int(row["row_id"]),
                "start": int(row["start"]),
                "end": int(row["end"]),
                "text_sha1": row["text_sha1"],
                "aspect": row["aspect"],
            }
            for row in reader
        ]


def load_set(path: Path = SET_FILE, reviews: dict[int, str] | None = None):
    """The labelled set as a DataFrame with the sentence ``text`` read from ../shared.

    Raises ``ValueError`` when a span no longer matches its hash (the shared file
    changed) or an aspect is not one of :data:`ASPECTS`.
    """
    import pandas as pd

    reviews = read_reviews() if reviews is None else reviews
    rows = read_labels(path)
    bad = []
    for row in rows:
        review = reviews.get(row["row_id"])
        text = None if review is None else review[row["start"] : row["end"]]
        if text is None or sha1(text) != row["text_sha1"]:
            bad.append((row["row_id"], row["start"], row["end"]))
        if row["aspect"] not in ASPECTS:
            raise ValueError(f"row {row['row_id']}: unknown aspect {row['aspect']!r}")
        row["text"] = text
    if bad:
        raise ValueError(f"{len(bad)} spans do not match their text hash, e.g. {bad[:3]}")
    return pd.DataFrame(rows, columns=[*COLUMNS, "text"])
