"""Draw the items to label and split them (run once; the labelled result is committed).

See ``GUIDELINE.md`` for the sources, the drawing and the split. Writes
``source,key,start,end,text_sha1,split,jobs`` with empty ``jobs`` to ``--out`` and, for
the labeller only, a listing of the texts to ``--listing`` (keep it outside the
repository: the datasets are not copied into it). ``--parts`` draws the second set
(situations and outcomes, ``parts_real.csv``) instead, ``--questions`` the third
(questions that imply a job, ``questions_real.csv``), ``--gate`` the fourth (sentences
where the rules find a job the learned gate reads, ``gate_real.csv``; its pool depends
on the rules, so it is drawn with those of the commit named in ``GATE_RULES``), ``--fresh``
the fifth (a fresh draw for a clean reading, ``fresh_real.csv``), ``--fresh-parts`` the
sixth (set 2's drawing again on rows no earlier set holds, ``fresh_parts_real.csv``),
``--fresh2`` the seventh (set 5's drawing again on rows no earlier set or read sample
holds, ``fresh2_real.csv``).

    python bench/jobs_real/make_sample.py --out /tmp/jobs_todo.csv --listing /tmp/jobs.txt
    python bench/jobs_real/make_sample.py --parts --out /tmp/parts_todo.csv --listing /tmp/parts.txt
    python bench/jobs_real/make_sample.py --questions --out /tmp/q_todo.csv --listing /tmp/q.txt
    python bench/jobs_real/make_sample.py --gate --out /tmp/gate_todo.csv --listing /tmp/gate.txt
    python bench/jobs_real/make_sample.py --fresh --out /tmp/fresh_todo.csv --listing /tmp/fresh.txt
    python bench/jobs_real/make_sample.py --fresh-parts --out /tmp/fp_todo.csv --listing /tmp/fp.txt
    python bench/jobs_real/make_sample.py --fresh2 --out /tmp/f2_todo.csv --listing /tmp/f2.txt
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.drawn import sentence_spans  # noqa: E402
from bench.jobs_real import (  # noqa: E402
    COLUMNS,
    FRESH_FILE,
    FRESH_PARTS_FILE,
    GATE_COLUMNS,
    GATE_FILE,
    PARTS_FILE,
    QUESTIONS_FILE,
    READ_S25_FILE,
    READ_S26_FILE,
    SET_FILE,
    SOURCES,
    read_rows,
    read_source,
    row_keys,
    sha1,
)

SEED = 20261204
COUNTS = {"minibar": 170, "tizard": 110, "banking77": 60, "clothing": 80}
# A second draw from the likely rows only, added while labelling (before anything was
# measured) because the first draw held fewer than 150 jobs.
EXTRA_LIKELY = {"minibar": 50, "tizard": 40, "banking77": 30}
# More development items, drawn after the holdout's second (and, until then, last)
# scoring, so the rules can learn from new errors without reading holdout errors.
# (likely, any) per source; all of them go to dev.
DEV_EXTRA = {"minibar": (40, 20), "tizard": (25, 15), "banking77": (20, 10), "clothing": (15, 15)}
MAX_REVIEW_CHARS = 300  # minibar reviews longer than this are not drawn
MIN_WORDS = 3
CUE = re.compile(
    r"\b(want|need|wish|would like|would love|please|trying to|try to|can'?t|cannot|"
    r"unable|should|option|allow|let (me|us)|able to|feature)",
    re.IGNORECASE,
)

# The second set (situations and outcomes): (outcome cue, situation cue only) per source.
PARTS_SEED = 20261205
PARTS_COUNTS = {"minibar": (40, 80), "tizard": (20, 50), "banking77": (25, 35)}
OUTCOME_CUE = re.compile(
    r"\b(so (?:that )?(?:i|we|you|u|they|it|my|our|people|users|the)\b|in order to"
    r"|to be able to|to make sure|so as to)",
    re.IGNORECASE,
)
SITUATION_CUE = re.compile(
    r"\b(when|whenever|every ?time|each time|while|after|before|during|once|as soon as|if)\b",
    re.IGNORECASE,
)

# The third set (questions that imply a job): items per source.
QUESTIONS_SEED = 20261206
QUESTIONS_COUNTS = {"minibar": 50, "tizard": 40, "banking77": 70}
QUESTION_CUE = re.compile(
    r"\?|(?:^|[.!?]\s+)(?:how|can|could|where|what|why|is|are|does|do|will|would|when|which"
    r"|am)\b",
    re.IGNORECASE,
)

# The fourth set (the gate's sentences): the rules of GATE_RULES run over a shuffled
# pool of up to POOL rows (texts) per source, none in another set; each distinct
# sentence with a gated job (one of miner.jobs.gate.GATED_TRIGGERS) is a candidate,
# and GATE_COUNTS of them are drawn per source.
GATE_RULES = "8343ac3"
GATE_SEEDS = (2026120523, 5, 20261205)  # clothing reviews, the pool's order, the draw
GATE_CLOTHING_REVIEWS = 6000
GATE_POOL = {
    "banking77": 10003,
    "clothing": 40000,
    "dynasent": 4320,
    "minibar": 9000,
    "tizard": 9000,
    "uci": 3000,
}
GATE_COUNTS = {
    "minibar": 400,
    "clothing": 250,
    "tizard": 198,
    "banking77": 200,
    "dynasent": 160,
    "uci": 55,
}

# The fifth set (a fresh draw): (likely, any) per source, none of its keys in sets 1-4.
FRESH_SEED = 20261207
FRESH_COUNTS = {"minibar": (60, 60), "banking77": (0, 80), "tizard": (25, 25), "clothing": (0, 30)}

# The sixth set (set 2's drawing again): (outcome cue, situation cue only) per source,
# none of its keys in sets 1-5, the gate's set or the rows read in session 25.
FRESH_PARTS_SEED = 20261208
FRESH_PARTS_COUNTS = {"minibar": (60, 110), "tizard": (30, 60), "banking77": (30, 50)}
FRESH_PARTS_MAX_REVIEW_CHARS = 800  # minibar reviews longer than this are not drawn
# The seventh set (set 5's drawing again): none of its keys in sets 1-6 or the read samples.
FRESH2_SEED = 20261209
FRESH2_EXCLUDED = (
    SET_FILE,
    PARTS_FILE,
    QUESTIONS_FILE,
    GATE_FILE,
    FRESH_FILE,
    FRESH_PARTS_FILE,
    READ_S25_FILE,
    READ_S26_FILE,
)
CONTEXT_CUE = re.compile(r"\b(as an?|on my)\b", re.IGNORECASE)


def candidates(
    source: str, max_review_chars: int = MAX_REVIEW_CHARS
) -> list[tuple[int, int, int, str, bool]]:
    """``(key, start, end, text, likely)`` of every drawable item of a source."""
    text_column = SOURCES[source][1]
    out = []
    for key, row in read_source(source).items():
        text = row[text_column]
        if source == "minibar" and (row["lang"] != "en" or len(text) > max_review_chars):
            continue
        spans = sentence_spans(text) if source == "clothing" else [(0, len(text))]
        for start, end in spans:
            piece = text[start:end]
            if len(piece.split()) < MIN_WORDS:
                continue
            likely = bool(CUE.search(piece)) or (
                source == "minibar" and "feature_request" in row["label"]
            )
            out.append((key, start, end, piece, likely))
    return out


def draw(pool: list[tuple], n: int, rng: random.Random) -> list[tuple]:
    """Half of ``n`` from the likely items of ``pool``, the rest from all of them."""
    picked = rng.sample([item for item in pool if item[4]], n // 2)
    chosen = {(k, a) for k, a, *_ in picked}
    rest = [item for item in pool if (item[0], item[1]) not in chosen]
    return picked + rng.sample(rest, n - len(picked))


def draw_extra(pool: list[tuple], picked: list[tuple], n: int, rng: random.Random) -> list:
    """``n`` more likely items of ``pool``, none of them in ``picked``."""
    chosen = {(k, a) for k, a, *_ in picked}
    return rng.sample([it for it in pool if it[4] and (it[0], it[1]) not in chosen], n)


def split(source: str, items: list[tuple]) -> list[tuple[tuple, str]]:
    """Alternate dev / holdout in the order of the SHA-1 of each item's key."""
    ordered = sorted(items, key=lambda item: sha1(f"{source}:{item[0]}:{item[1]}"))
    return [(item, "dev" if i % 2 == 0 else "holdout") for i, item in enumerate(ordered)]


def draw_parts() -> list[tuple]:
    """The second set's rows: items with a job cue and a part cue, none in the first set."""
    rng = random.Random(PARTS_SEED)
    taken = {(row["source"], row["key"], row["start"]) for row in read_rows()}
    rows = []
    for source, (n_outcome, n_situation) in PARTS_COUNTS.items():
        pool = [
            item
            for item in candidates(source)
            if (source, item[0], item[1]) not in taken and CUE.search(item[3])
        ]
        picked = pick_by_parts(pool, n_outcome, n_situation, rng, (SITUATION_CUE,))
        for (key, start, end, text, _), part in split(source, picked):
            rows.append((source, key, start, end, text, part))
    return rows


def pick_by_parts(
    pool: list[tuple], n_outcome: int, n_situation: int, rng: random.Random, situation_cues
) -> list[tuple]:
    """Sets 2 and 6: up to ``n_outcome`` items of ``pool`` with an outcome cue, then the
    rest of ``n_outcome + n_situation`` from those with a situation cue only (as many as
    the pool holds)."""
    with_outcome = [item for item in pool if OUTCOME_CUE.search(item[3])]
    picked = rng.sample(with_outcome, min(n_outcome, len(with_outcome)))
    situation_only = [
        item
        for item in pool
        if any(cue.search(item[3]) for cue in situation_cues) and not OUTCOME_CUE.search(item[3])
    ]
    wanted = n_outcome + n_situation - len(picked)
    return picked + rng.sample(situation_only, min(wanted, len(situation_only)))


def draw_questions() -> list[tuple]:
    """The third set's rows: items with a question, none in the first or second set."""
    rng = random.Random(QUESTIONS_SEED)
    taken = {
        (row["source"], row["key"], row["start"])
        for path in (SET_FILE, PARTS_FILE)
        for row in read_rows(path)
    }
    rows = []
    for source, n in QUESTIONS_COUNTS.items():
        pool = [
            item
            for item in candidates(source)
            if (source, item[0], item[1]) not in taken and QUESTION_CUE.search(item[3])
        ]
        for (key, start, end, text, _), part in split(source, rng.sample(pool, n)):
            rows.append((source, key, start, end, text, part))
    return rows


def draw_gate() -> list[tuple]:
    """The fourth set's rows ``(source, key, start, end, sentence)``, in labelling order."""
    from miner.jobs.extract import JobExtractor
    from miner.jobs.gate import GATED_TRIGGERS

    taken = {
        (row["source"], row["key"])
        for path in (SET_FILE, PARTS_FILE, QUESTIONS_FILE)
        for row in read_rows(path)
    }
    clothing_rng, pool_rng, draw_rng = (random.Random(seed) for seed in GATE_SEEDS)
    texts = {source: [] for source in GATE_POOL}
    for source in GATE_POOL:
        rows = read_source(source)
        keys = sorted(rows)
        if source == "clothing":
            keys = clothing_rng.sample(keys, GATE_CLOTHING_REVIEWS)
        for key in keys:
            row = rows[key]
            if (source, key) in taken or (source == "minibar" and row["lang"] != "en"):
                continue
            text = row[SOURCES[source][1]]
            spans = sentence_spans(text) if source == "clothing" else [(0, len(text))]
            for start, end in spans:
                if source != "clothing" or len(text[start:end].split()) >= MIN_WORDS:
                    texts[source].append((key, start, text[start:end]))
    pool = []
    for source in sorted(texts):
        pool_rng.shuffle(texts[source])
        pool += [(source, *item) for item in texts[source][: GATE_POOL[source]]]
    found = JobExtractor(gate=None).extract([text for *_, text in pool])
    by_source, seen = {source: [] for source in GATE_POOL}, set()
    for (source, key, offset, text), jobs in zip(pool, found, strict=True):
        for job in jobs:
            sentence = text[job.start : job.end]
            if job.trigger in GATED_TRIGGERS and (source, sentence.strip().lower()) not in seen:
                seen.add((source, sentence.strip().lower()))
                by_source[source].append(
                    (source, key, offset + job.start, offset + job.end, sentence)
                )
    drawn = []
    for source, n in GATE_COUNTS.items():
        found_here = by_source[source][:]
        draw_rng.shuffle(found_here)
        drawn += found_here[:n]
    draw_rng.shuffle(drawn)
    return drawn


def draw_fresh(seed: int = FRESH_SEED, taken: set | None = None) -> list[tuple]:
    """The fifth set's rows (or, with another ``seed`` and ``taken`` keys, the seventh's):
    likely and any items of rows no earlier set holds."""
    rng = random.Random(seed)
    if taken is None:
        taken = row_keys(SET_FILE, PARTS_FILE, QUESTIONS_FILE, GATE_FILE)
    rows = []
    for source, (n_likely, n_any) in FRESH_COUNTS.items():
        pool = [item for item in candidates(source) if (source, item[0]) not in taken]
        if source == "clothing":  # one piece per review at most
            rng.shuffle(pool)
            pool = list({item[0]: item for item in pool}.values())
        picked = rng.sample([item for item in pool if item[4]], n_likely)
        chosen = {(k, a) for k, a, *_ in picked}
        picked += rng.sample([it for it in pool if (it[0], it[1]) not in chosen], n_any)
        for (key, start, end, text, _), part in split(source, picked):
            rows.append((source, key, start, end, text, part))
    return rows


def draw_fresh_parts() -> list[tuple]:
    """The sixth set's rows: set 2's drawing (with two more context cues) on new rows."""
    rng = random.Random(FRESH_PARTS_SEED)
    taken = row_keys(SET_FILE, PARTS_FILE, QUESTIONS_FILE, GATE_FILE, FRESH_FILE, READ_S25_FILE)
    rows = []
    for source, (n_outcome, n_situation) in FRESH_PARTS_COUNTS.items():
        pool = [
            item
            for item in candidates(source, FRESH_PARTS_MAX_REVIEW_CHARS)
            if (source, item[0]) not in taken and CUE.search(item[3])
        ]
        cues = (SITUATION_CUE, CONTEXT_CUE)
        picked = pick_by_parts(pool, n_outcome, n_situation, rng, cues)
        for (key, start, end, text, _), part in split(source, picked):
            rows.append((source, key, start, end, text, part))
    return rows


def write_gate(rows: list[tuple], out: Path, listing: Path) -> None:
    """The unlabelled fourth set and, for the labeller, each sentence in its text."""
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(GATE_COLUMNS)
        for source, key, start, end, sentence in rows:
            writer.writerow([source, key, start, end, sha1(sentence), "", ""])
    with open(listing, "w", encoding="utf-8") as handle:
        for i, (source, key, start, end, _sentence) in enumerate(rows):
            text = read_source(source)[key][SOURCES[source][1]]
            if source == "clothing":
                text, start, end = text[start:end], 0, end - start
            marked = f"{text[:start]}[[{text[start:end]}]]{text[end:]}"
            handle.write(f"{i}\t{source}\t{key}\t{' '.join(marked.split())}\n")
    print(f"{len(rows)} sentences -> {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--listing", type=Path, required=True)
    parser.add_argument("--parts", action="store_true", help="draw the second set instead")
    parser.add_argument("--questions", action="store_true", help="draw the third set instead")
    parser.add_argument("--gate", action="store_true", help="draw the fourth set instead")
    parser.add_argument("--fresh", action="store_true", help="draw the fifth set instead")
    parser.add_argument("--fresh-parts", action="store_true", help="draw the sixth set instead")
    parser.add_argument("--fresh2", action="store_true", help="draw the seventh set instead")
    args = parser.parse_args()
    if args.fresh2:
        write(draw_fresh(FRESH2_SEED, row_keys(*FRESH2_EXCLUDED)), args.out, args.listing)
        return
    if args.fresh_parts:
        write(draw_fresh_parts(), args.out, args.listing)
        return
    if args.fresh:
        write(draw_fresh(), args.out, args.listing)
        return
    if args.gate:
        write_gate(draw_gate(), args.out, args.listing)
        return
    if args.questions:
        write(draw_questions(), args.out, args.listing)
        return
    if args.parts:
        write(draw_parts(), args.out, args.listing)
        return
    rng = random.Random(SEED)
    pools = {source: candidates(source) for source in COUNTS}
    drawn = {source: draw(pools[source], n, rng) for source, n in COUNTS.items()}
    for source, n in EXTRA_LIKELY.items():
        drawn[source] += draw_extra(pools[source], drawn[source], n, rng)
    rows = []
    for source, items in drawn.items():
        for (key, start, end, text, _), part in split(source, items):
            rows.append((source, key, start, end, text, part))
    for source, (n_likely, n_any) in DEV_EXTRA.items():
        extra = draw_extra(pools[source], drawn[source], n_likely, rng)
        chosen = {(k, a) for k, a, *_ in drawn[source] + extra}
        extra += rng.sample([it for it in pools[source] if (it[0], it[1]) not in chosen], n_any)
        rows += [(source, key, start, end, text, "dev") for key, start, end, text, _ in extra]
    write(rows, args.out, args.listing)


def write(rows: list[tuple], out: Path, listing: Path) -> None:
    """The unlabelled set (``out``) and the texts for the labeller (``listing``)."""
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for source, key, start, end, text, part in rows:
            writer.writerow([source, key, start, end, sha1(text), part, ""])
    with open(listing, "w", encoding="utf-8") as handle:
        for i, (source, key, _start, _end, text, part) in enumerate(rows):
            flat = text.replace("\n", " ").replace("\t", " ")
            handle.write(f"{i}\t{source}\t{key}\t{part}\t{flat}\n")
    print(f"{len(rows)} items -> {out}")


if __name__ == "__main__":
    main()
