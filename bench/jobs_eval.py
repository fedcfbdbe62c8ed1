"""Score the job extractor against a labelled set.

    .venv/bin/python bench/jobs_eval.py                       # tests/data/jobs_labelled.jsonl
    .venv/bin/python bench/jobs_eval.py --data tests/data/jobs_holdout.jsonl
    .venv/bin/python bench/jobs_eval.py --errors              # list the misses
    .venv/bin/python bench/jobs_eval.py --demo                # planted jobs of the demo corpus
    .venv/bin/python bench/jobs_eval.py --real dev            # real text, dev or holdout
    .venv/bin/python bench/jobs_eval.py --real dev --gate default   # with the learned gate
    .venv/bin/python bench/jobs_eval.py --real dev --set parts      # situations and outcomes
    .venv/bin/python bench/jobs_eval.py --real dev --set questions  # questions that imply a job

Prints job detection precision/recall/F1 (lenient: motivations share a token; strict:
motivation token-F1 >= 0.5), document-level detection, token-F1 per part and a
per-family table. See miner/jobs/evaluate.py for the exact definitions.

``--demo`` is the second check: it extracts and clusters the jobs of
data/demo/feedback.csv and reports, for each planted job of data/demo/truth.csv, the
clustered job most of its rows fall into, its rank by customers, and how many of its
example quotes come from rows planted with that job.

``--real dev|holdout`` scores the hand-labelled real-text set of ``bench/jobs_real/``
(texts read from ``../shared/data``; see its GUIDELINE.md), with a table per source;
``--set parts`` its second set, drawn for situations and outcomes, ``--set questions`` its
third, items with a question (a question that asks how, whether or where the customer
can do something states a job there; the first set counts it as none). Each part is also
scored where the gold has it (every labelled job that states it, 0 when the job was
missed). It exits with a message when the shared data is absent.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.jobs_real import SETS  # noqa: E402
from miner.jobs import (  # noqa: E402
    JobExtractor,
    cluster_jobs,
    embed_motivations,
    motivation_texts,
)
from miner.jobs.evaluate import PARTS, evaluate, load_labelled  # noqa: E402


def demo_check(folder: Path, top: int = 20, gate: str | None = None) -> None:
    """Planted jobs of the demo corpus among the top clustered jobs, with true quotes."""
    import numpy as np
    import pandas as pd

    feedback = pd.read_csv(folder / "feedback.csv", keep_default_na=False)
    truth = pd.read_csv(folder / "truth.csv", keep_default_na=False)
    started = time.perf_counter()
    jobs = JobExtractor(gate=gate).extract(feedback["comment"].tolist())
    embeddings = embed_motivations(motivation_texts(jobs))
    result = cluster_jobs(
        jobs,
        embeddings,
        customer_ids=feedback["customer_id"].tolist(),
        row_ids=list(range(len(feedback))),
    )
    seconds = time.perf_counter() - started
    table, per_doc = result.table, result.job_ids_per_doc()
    planted = truth["job_id"].to_numpy()
    print(f"demo: {len(feedback)} rows, {len(table)} clustered jobs ({seconds:.1f} s)")
    print(
        f"rows with a planted job that get any job: "
        f"{np.mean([bool(per_doc[i]) for i in np.flatnonzero(planted != '')]):.3f}"
    )
    hits = 0
    jobs_planted = sorted(set(planted) - {""})
    for planted_id in jobs_planted:
        rows = np.flatnonzero(planted == planted_id)
        counts = pd.Series([j for r in rows for j in set(per_doc[r])]).value_counts()
        if counts.empty:
            print(f"  {planted_id}: no job found")
            continue
        job_id = int(counts.index[0])
        examples = table.loc[job_id, "example_row_ids"]
        true_quotes = sum(planted[e] == planted_id for e in examples)
        ok = job_id < top and true_quotes >= len(examples) / 2
        hits += ok
        print(
            f"  {planted_id} -> job {job_id:3d} {'top' if job_id < top else '   '} "
            f"rows {counts.iloc[0]:3d}/{len(rows):3d}  true quotes {true_quotes}/{len(examples)}"
            f"  {table.loc[job_id, 'job_label']}"
        )
    print(f"planted jobs in the top {top} with true quotes: {hits}/{len(jobs_planted)}")


def source_table(items: list[dict], predictions: list[list[dict]]) -> None:
    """Detection and token-F1 per source of the real-text set."""
    print("\nper source     items jobs    P     R     F1   situ   motiv  outc")
    for source in sorted({item["source"] for item in items}):
        keep = [i for i, item in enumerate(items) if item["source"] == source]
        report = evaluate([items[i] for i in keep], [predictions[i] for i in keep])
        n_jobs = sum(len(items[i]["jobs"]) for i in keep)
        p, r, f = report.detection
        parts = "  ".join(f"{report.part_f1(part):.3f}" for part in PARTS)
        print(f"  {source:<12}{len(keep):5d} {n_jobs:4d}  {p:.3f} {r:.3f} {f:.3f}  {parts}")


def load_real(split: str, name: str = "jobs") -> list[dict]:
    """The real-text set ``name``'s ``split``; exits cleanly when ../shared/data is absent."""
    from bench.jobs_real import DATA, data_available, load_set

    if not data_available():
        sys.exit(f"--real: the shared data is not there ({DATA}); nothing to score")
    return load_set(None if split == "all" else split, path=SETS[name])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "tests/data/jobs_labelled.jsonl"))
    parser.add_argument("--errors", action="store_true", help="print every imperfect item")
    parser.add_argument("--demo", action="store_true", help="check the demo corpus's planted jobs")
    parser.add_argument("--demo-dir", default=str(ROOT / "data/demo"))
    parser.add_argument(
        "--real",
        choices=("dev", "holdout", "all"),
        help="score the hand-labelled real-text set (one split, or both: 'all')",
    )
    parser.add_argument(
        "--set",
        choices=tuple(SETS),
        default="jobs",
        help="with --real: the jobs set, the set drawn for situations and outcomes, the "
        "set of questions (set 3 of GUIDELINE.md), the jobs set with set 3's rule for "
        "questions (set 1q), the fresh draw (set 5), or the fresh draw for situations "
        "and outcomes (set 6)",
    )
    parser.add_argument(
        "--gate", default=None, help="apply the learned job gate: 'default' (shipped) or a folder"
    )
    args = parser.parse_args()
    if args.demo:
        demo_check(Path(args.demo_dir), gate=args.gate)
        return

    items = load_real(args.real, args.set) if args.real else load_labelled(args.data)
    if args.real:
        args.data = f"bench/jobs_real, {args.set} set ({args.real})"
    started = time.perf_counter()
    extracted = JobExtractor(gate=args.gate).extract([item["text"] for item in items])
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
    for part in PARTS:
        scores = lenient.gold_part_scores[part]
        print(
            f"token-F1 {part:<10} where the gold has it: {lenient.gold_part_f1(part):.3f}  "
            f"(n={len(scores)})"
        )
    print("\nper family       tp   fp   fn    F1")
    for family in sorted(lenient.by_family):
        tp, fp, fn = lenient.by_family[family]
        f1 = lenient._prf(tp, fp, fn)[2]
        print(f"  {family:<14}{tp:4d} {fp:4d} {fn:4d}  {f1:.3f}")
    if args.real:
        source_table(items, predictions)
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
