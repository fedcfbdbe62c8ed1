"""Precision, recall and F1 of miner.pii on the frozen labelled set, and its speed.

    python bench/eval_pii.py [--set tests/data/pii_labelled.jsonl] [--errors 20]

Scores per type and overall (micro), two ways:

* span: a predicted span counts only when start, end and type equal a gold span;
* char: characters inside predicted spans of a type that are inside gold spans of that
  type (precision), and the reverse (recall).

Also: look-alikes ("decoys": order numbers, dates, versions, ...) touched by any
prediction, by kind, and the speed of ``mask_texts`` on 10,000 demo feedback texts
(data/make_demo.py: mostly without personal data, like real feedback) and on 10,000
texts drawn from the labelled set (every other one holds personal data).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from miner.pii import find_pii, mask_pii, mask_texts  # noqa: E402

SET = ROOT / "tests" / "data" / "pii_labelled.jsonl"
TYPES = ("email", "phone", "card", "iban", "account")


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(items: list[dict]) -> dict:
    """Span and character counts per type, decoys hit, and the errors."""
    span = {t: Counter() for t in TYPES}
    char = {t: Counter() for t in TYPES}
    decoys_hit, decoys_all = Counter(), Counter()
    errors = []
    for item in items:
        gold = {(s["start"], s["end"], s["type"]) for s in item["spans"]}
        pred = {(s.start, s.end, s.type) for s in find_pii(item["text"])}
        for t in TYPES:
            g = {s for s in gold if s[2] == t}
            p = {s for s in pred if s[2] == t}
            span[t]["tp"] += len(g & p)
            span[t]["fp"] += len(p - g)
            span[t]["fn"] += len(g - p)
            gchars = {i for s in g for i in range(s[0], s[1])}
            pchars = {i for s in p for i in range(s[0], s[1])}
            char[t]["tp"] += len(gchars & pchars)
            char[t]["fp"] += len(pchars - gchars)
            char[t]["fn"] += len(gchars - pchars)
        for decoy in item["decoys"]:
            decoys_all[decoy["kind"]] += 1
            if any(s[0] < decoy["end"] and decoy["start"] < s[1] for s in pred):
                decoys_hit[decoy["kind"]] += 1
        if gold != pred:
            errors.append((item, sorted(gold - pred), sorted(pred - gold)))
    return {"span": span, "char": char, "decoys": (decoys_hit, decoys_all), "errors": errors}


def print_table(name: str, counts: dict, gold_n: Counter) -> None:
    print(f"\n{name}-level")
    print(f"{'type':<9} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6}")
    total = Counter()
    for t in TYPES:
        total.update(counts[t])
        p, r, f = prf(counts[t]["tp"], counts[t]["fp"], counts[t]["fn"])
        print(f"{t:<9} {gold_n[t]:>5} {p:>6.3f} {r:>6.3f} {f:>6.3f}")
    p, r, f = prf(total["tp"], total["fp"], total["fn"])
    print(f"{'overall':<9} {sum(gold_n.values()):>5} {p:>6.3f} {r:>6.3f} {f:>6.3f}")


def demo_texts(n: int) -> list[str]:
    spec = importlib.util.spec_from_file_location("make_demo", ROOT / "data" / "make_demo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_demo"] = module
    spec.loader.exec_module(module)
    feedback, _ = module.make_demo(rows=n, seed=11)
    return feedback["comment"].tolist()


def _letters(n: int) -> str:
    word = ""
    while True:
        n, r = divmod(n, 26)
        word += chr(97 + r)
        if not n:
            return word


def speed(texts: list[str], repeats: int = 3) -> float:
    """Texts per second of mask_texts (best of ``repeats``); every text treated as new."""
    best = float("inf")
    for i in range(repeats):
        # A letter suffix (no digit, no @) makes each text distinct, so mask_texts'
        # de-duplication does not help and the cheap pre-test is not defeated.
        batch = [f"{t} {_letters(i * len(texts) + j)}" for j, t in enumerate(texts)]
        started = time.perf_counter()
        mask_texts(batch)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=SET)
    parser.add_argument("--errors", type=int, default=20, help="Errors to print.")
    args = parser.parse_args()
    items = load(args.set)
    gold_n = Counter(s["type"] for item in items for s in item["spans"])
    result = score(items)
    with_pii = sum(bool(item["spans"]) for item in items)
    print(
        f"{len(items)} items ({with_pii} with personal data, {len(items) - with_pii} without); "
        f"{sum(gold_n.values())} gold spans"
    )
    print_table("span", result["span"], gold_n)
    print_table("char", result["char"], gold_n)
    hit, total = result["decoys"]
    print(f"\nlook-alikes touched by a prediction: {sum(hit.values())} of {sum(total.values())}")
    for kind in sorted(total):
        if hit[kind]:
            print(f"  {kind}: {hit[kind]} of {total[kind]}")
    for item, missed, extra in result["errors"][: args.errors]:
        print(f"\n{item['id']}: {item['text']}")
        for s in missed:
            print(f"  missed {s[2]}: {item['text'][s[0] : s[1]]!r}")
        for s in extra:
            print(f"  extra  {s[2]}: {item['text'][s[0] : s[1]]!r}")
    print(f"\n{len(result['errors'])} items with an error")

    demo = demo_texts(10_000)
    labelled = [item["text"] for item in items] * (10_000 // len(items) + 1)
    print(f"\nspeed (mask_texts, {len(demo):,} demo feedback texts): {speed(demo):,.0f} texts/s")
    print(f"speed (mask_texts, 10,000 labelled-set texts): {speed(labelled[:10_000]):,.0f} texts/s")
    assert mask_pii(mask_pii(items[0]["text"])) == mask_pii(items[0]["text"])


if __name__ == "__main__":
    main()
