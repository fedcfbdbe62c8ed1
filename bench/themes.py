"""Theme quality, speed and memory: miner next to vanilla BERTopic, same documents.

Datasets: Banking77 test (3,080 customer messages, 77 labelled intents; from
../shared/data), Banking77 train (10,003, with --train) and the demo corpus.
Metrics over rows with status ok/duplicate, document-level theme, unassigned
rows as one cluster: NMI, ARI, clustering accuracy (best one-to-one matching),
outlier share, number of themes, cold/warm wall time and peak RSS.

    python bench/themes.py [--train] [--no-bertopic]
    python bench/themes.py --scale 50000   # demo generator at 50k rows, one run each
    python bench/themes.py --addressed     # Banking77 test as messages to three banks

``--addressed`` measures messages to a company (tweets, chats): each Banking77 test
query is addressed to one of three made-up banks ("@AcmeBank How do I ...?", seeded)
and 30% of them end with a short link; the intents are the same, so the figures should
be Banking77 test's.
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
    parser.add_argument(
        "--addressed", action="store_true", help="only Banking77 test addressed to three banks"
    )
    args = parser.parse_args()
    if args.scale:
        scale(args.scale, bertopic=not args.no_bertopic)
        return
    if args.addressed:
        addressed(bertopic=not args.no_bertopic)
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


HANDLES = ("@AcmeBank", "@ZetaBank", "@NovaMoney")


def addressed(bertopic: bool, seed: int = 7) -> None:
    """Banking77 test with each query addressed to a bank and 30% ending with a link."""
    import random
    import string

    import pandas as pd

    source = SHARED / "banking77/test.csv"
    if not source.exists():
        print(f"skipping: {source} not found", file=sys.stderr)
        return
    rng = random.Random(seed)
    frame = pd.read_csv(source)
    letters = string.ascii_letters + string.digits
    frame["text"] = [
        f"{rng.choice(HANDLES)} {text}"
        + (" https://t.co/" + "".join(rng.choices(letters, k=10)) if rng.random() < 0.3 else "")
        for text in frame["text"]
    ]
    runs = [("miner cold", "miner"), ("miner warm", "miner")]
    runs += [("BERTopic run 1", "bertopic")] if bertopic else []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "banking77_addressed.csv"
        frame.to_csv(path, index=False)
        print("\n## Banking77 test, addressed to three banks")
        compare(path, "text", path, "category", tuple(runs))


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
