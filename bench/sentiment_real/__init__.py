"""A sentiment holdout of short real messages, labelled by what the text says (issue 18).

``labels.csv`` holds, per item, ``source, key, text_sha1, label``: where the text is in
``../shared/data`` (the sources of :mod:`bench.jobs_real`), its SHA-1 and the label of
``GUIDELINE.md``. No text is copied into the repository; :func:`load_labelled` reads it
back and checks it against its hash.
"""

from __future__ import annotations

import csv
from pathlib import Path

from bench.jobs_real import DATA, read_source, sha1
from miner.schema import SENTIMENTS as LABELS  # the run schema's sentiments

HERE = Path(__file__).resolve().parent
SAMPLE_FILE = HERE / "sample.csv"
LABELS_FILE = HERE / "labels.csv"
COLUMNS = ("source", "key", "text_sha1", "label")


def load_labelled(path: Path = LABELS_FILE, data: Path = DATA) -> list[dict]:
    """Items ``{source, key, text, label}``; raises ``ValueError`` when a text no longer
    matches its hash or a label is not one of :data:`LABELS`."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path}: columns must be {COLUMNS}, found {reader.fieldnames}")
        rows = list(reader)
    items = []
    for row in rows:
        text = read_source(row["source"], data)[int(row["key"])]["text"]
        if sha1(text) != row["text_sha1"]:
            raise ValueError(f"{path}: {row['source']}:{row['key']} no longer matches its hash")
        if row["label"] not in LABELS:
            raise ValueError(f"{path}: {row['source']}:{row['key']}: label {row['label']!r}")
        items.append(
            {"source": row["source"], "key": int(row["key"]), "text": text, "label": row["label"]}
        )
    return items
