"""Draw the sentiment holdout of short real messages (GUIDELINE.md): 200 Garmin Connect
English reviews of 3 to 30 words, 200 forum sentences, 200 Banking77 queries.

    python bench/sentiment_real/make_sample.py [--out bench/sentiment_real/sample.csv]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from bench.jobs_real import read_source, sha1  # noqa: E402

SEED = 20261206
PER_SOURCE = 200
HELD_OUT_APP = "Garmin Connect"


def candidates(source: str) -> list[int]:
    """Keys of the rows of ``source`` the draw may take."""
    rows = read_source(source)
    keys = []
    for key, row in rows.items():
        words = len(row["text"].split())
        if source == "minibar" and not (
            row["app"] == HELD_OUT_APP and row["lang"] == "en" and 3 <= words <= 30
        ):
            continue
        if words < 3:
            continue
        keys.append(key)
    return keys


def draw() -> list[tuple[str, int, str]]:
    """``(source, key, text_sha1)`` of the sample, shuffled, no text twice."""
    rng = random.Random(SEED)
    seen: set[str] = set()
    items = []
    for source in ("minibar", "tizard", "banking77"):
        keys = candidates(source)
        rng.shuffle(keys)
        taken = 0
        for key in keys:
            text = read_source(source)[key]["text"]
            if text.strip().lower() in seen:
                continue
            seen.add(text.strip().lower())
            items.append((source, key, sha1(text)))
            taken += 1
            if taken == PER_SOURCE:
                break
    rng.shuffle(items)
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE / "sample.csv")
    args = parser.parse_args()
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("source", "key", "text_sha1"))
        writer.writerows(draw())
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
