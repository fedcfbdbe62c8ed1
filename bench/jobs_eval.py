"""Score the job extractor against a labelled set.

    .venv/bin/python bench/jobs_eval.py                       # tests/data/jobs_labelled.jsonl
    .venv/bin/python bench/jobs_eval.py --data tests/data/jobs_holdout.jsonl
    .venv/bin/python bench/jobs_eval.py --errors              # list the misses

Prints job detection precision/recall/F1 (lenient: motivations share a token; strict:
motivation token-F1 >= 0.5), document-level detection, token-F1 per part and a
per-family table. See miner/jobs/evaluate.py for the exact definitions.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from miner.jobs import JobExtractor  # noqa: E402
from miner.jobs.evaluate import PARTS, evaluate, load_labelled  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "tests/data/jobs_labelled.jsonl"))
    parser.add_argument("--errors", action="store_true", help="print every imperfect item")
    args = parser.parse_args()

    items = load_labelled(args.data)
    started = time.perf_counter()
    extracted = JobExtractor().extract([item["text"] for item in items])
    seconds = time.perf_counter() - started
    predictions = [[job.to_dict() for job in jobs] for jobs in extracted]
    n_jobs = sum(len(item["jobs"]) for item in items)
    print(f"data: {args.data}  items: {len(items)}  expected jobs: {n_jobs}  ({seconds:.1f} s)")

    lenient = evaluate(items, predictions, min_overlap=0.0)
    strict = evaluate(items, predictions, min_overlap=0.4999)
    for name, report in (("lenient", lenient), ("strict ", strict)):
        p, r, f = report.detection
        print(
            f"job detection ({name}): P={p:.3f} R={r:.3f} F1={f:.3f}  "
            f"(tp={report.tp} fp={report.fp} fn={report.fn})"
        )
    p, r, f = lenient.document_detection
    print(f"document detection: P={p:.3f} R={r:.3f} F1={f:.3f}")
    for part in PARTS:
        scores = lenient.part_scores[part]
        print(f"token-F1 {part:<10} {lenient.part_f1(part):.3f}  (n={len(scores)})")
    print("\nper family       tp   fp   fn    F1")
    for family in sorted(lenient.by_family):
        tp, fp, fn = lenient.by_family[family]
        f1 = lenient._prf(tp, fp, fn)[2]
        print(f"  {family:<14}{tp:4d} {fp:4d} {fn:4d}  {f1:.3f}")
    if args.errors:
        print(f"\n{len(lenient.errors)} imperfect items:")
        for item, predicted, _ in lenient.errors:
            print(f"\n[{item['id']} {item['family']}] {item['text']}")
            for job in item["jobs"]:
                print(
                    f"   gold: S={job['situation']!r} M={job['motivation']!r} O={job['outcome']!r}"
                )
            for job in predicted:
                print(
                    f"   pred: S={job['situation']!r} M={job['motivation']!r} "
                    f"O={job['outcome']!r} [{job['trigger']}]"
                )


if __name__ == "__main__":
    main()
