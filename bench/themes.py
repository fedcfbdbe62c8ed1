"""Theme quality, speed and memory: miner next to vanilla BERTopic, same documents.

Datasets: Banking77 test (3,080 customer messages, 77 labelled intents; from
../shared/data), Banking77 train (10,003, with --train) and the demo corpus.
Metrics over rows with status ok/duplicate, document-level theme, unassigned
rows as one cluster: NMI, ARI, clustering accuracy (best one-to-one matching),
outlier share, number of themes, cold/warm wall time and peak RSS.

    python bench/themes.py [--train] [--no-bertopic]
    python bench/themes.py --scale 50000   # demo generator at 50k rows, one run each
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fit_speed import ROOT, compare  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", action="store_true", help="also Banking77 train (slow)")
    parser.add_argument("--no-bertopic", action="store_true", help="miner runs only")
    parser.add_argument(
        "--scale", type=int, metavar="ROWS", help="only a demo corpus of ROWS rows, cold runs"
    )
    args = parser.parse_args()
    if args.scale:
        scale(args.scale, bertopic=not args.no_bertopic)
        return
    runs = [("miner cold", "miner"), ("miner warm", "miner")]
    if not args.no_bertopic:
        runs += [("BERTopic run 1", "bertopic"), ("BERTopic run 2", "bertopic")]
    datasets = [
        ("Banking77 test", SHARED / "banking77/test.csv", "text", None, "category"),
        (
            "demo corpus",
            ROOT / "data/demo/feedback.csv",
            "comment",
            ROOT / "data/demo/truth.csv",
            "theme",
        ),
    ]
    if args.train:
        datasets.insert(
            1, ("Banking77 train", SHARED / "banking77/train.csv", "text", None, "category")
        )
    for name, path, text_col, truth, truth_col in datasets:
        if not path.exists():
            print(f"skipping {name}: {path} not found", file=sys.stderr)
            continue
        print(f"\n## {name}")
        compare(path, text_col, truth or path, truth_col, tuple(runs))


def scale(rows: int, bertopic: bool) -> None:
    """Cold miner (and vanilla BERTopic) on a generated demo corpus of ``rows`` rows."""
    runs = [("miner cold", "miner")] + ([("BERTopic run 1", "bertopic")] if bertopic else [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "data/make_demo.py"),
                "--out",
                str(folder),
                "--rows",
                str(rows),
            ],
            check=True,
        )
        print(f"\n## demo corpus, {rows:,} rows")
        compare(folder / "feedback.csv", "comment", folder / "truth.csv", "theme", tuple(runs))


if __name__ == "__main__":
    main()
