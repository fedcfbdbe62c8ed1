"""Draw the sentences to label (run once; the labelled result is committed, frozen).

Reviews are drawn with a fixed seed; each is cut with ``miner.sentences.sentence_spans``
(its defaults: sentences, cut at contrast words); pieces of fewer than 3 words are
skipped and up to ``--per-review`` of the others are drawn from each review. Writes
``row_id,start,end,text_sha1,aspect`` with an empty aspect to ``--out`` and, for the
labeller only, a text listing to ``--listing`` (keep it outside the repository: the
dataset is not copied into it).

    python bench/aspects/make_sample.py --out /tmp/aspects_todo.csv --listing /tmp/aspects.txt
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.aspects import COLUMNS, MIN_WORDS, read_reviews, sha1  # noqa: E402
from bench.drawn import sentence_spans  # noqa: E402


def draw(reviews: dict[int, str], n_reviews: int, per_review: int, seed: int) -> list[tuple]:
    rng = random.Random(seed)
    picked = rng.sample(sorted(reviews), n_reviews)
    out = []
    for row_id in sorted(picked):
        text = reviews[row_id]
        spans = [(a, b) for a, b in sentence_spans(text) if len(text[a:b].split()) >= MIN_WORDS]
        for a, b in sorted(rng.sample(spans, min(per_review, len(spans)))):
            out.append((row_id, a, b, text[a:b]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=180)
    parser.add_argument("--per-review", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--listing", type=Path, required=True)
    args = parser.parse_args()
    reviews = read_reviews()
    rows = draw(reviews, args.reviews, args.per_review, args.seed)
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row_id, a, b, text in rows:
            writer.writerow([row_id, a, b, sha1(text), ""])
    with open(args.listing, "w", encoding="utf-8") as handle:
        for k, (row_id, _a, _b, text) in enumerate(rows):
            handle.write(f"{k}\t{row_id}\t{text}\n")
    print(f"{len(rows)} sentences from {args.reviews} reviews -> {args.out}")


if __name__ == "__main__":
    main()
