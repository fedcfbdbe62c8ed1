"""Theme counts and NMI for each way of asking for a granularity (issue 19).

Fits the demo corpus (3,000 rows, 15 planted themes) and Banking77 test (3,080
messages, 77 intents) with ``--granularity coarser``, ``auto`` and ``finer`` and with
``--themes N`` (N = the number of true classes), seed 42, themes only (no sentiment,
kind or jobs: they do not change the themes). NMI over rows with status ok/duplicate
and a true class, unassigned rows as one cluster (as ``bench/themes.py``), with its
two halves: homogeneity (each theme holds one class; finer keeps it) and
completeness (each class lands in one theme; coarser keeps it). Areas are the
groups of themes above them (none with 12 themes or fewer).

    python bench/granularity.py [--demo DIR] [--banking77 CSV] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd
from sklearn.metrics import adjusted_rand_score, homogeneity_completeness_v_measure

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from miner import FeedbackMiner  # noqa: E402
from miner.ingest import load_corpus  # noqa: E402
from miner.schema import ANALYSED  # noqa: E402


def fit(corpus, **count) -> tuple[FeedbackMiner, float]:
    started = time.perf_counter()
    miner = FeedbackMiner(seed=42, per_document=False, comment_pieces=False, **count)
    miner.fit(corpus)
    return miner, time.perf_counter() - started


def table(name: str, path: Path, text_col: str, truth: pd.Series, keep: Path | None) -> None:
    corpus = load_corpus(path, text_col=text_col)
    classes = truth[truth != "none"].nunique()
    print(f"\n## {name} ({len(corpus):,} rows, {classes} true classes)\n")
    print(
        "| asked | automatic | cut | themes | areas | homogeneity | completeness | NMI | ARI "
        "| unassigned | seconds |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for asked in ("coarser", "auto", "finer", classes):
        count = {"n_themes": asked} if isinstance(asked, int) else {"granularity": asked}
        miner, seconds = fit(corpus, **count)
        docs = miner.documents_
        rows = docs["status"].isin(ANALYSED).to_numpy() & (truth != "none").to_numpy()
        predicted, expected = docs.loc[rows, "theme_id"], truth[rows]
        record = miner.run_.meta["theme_count"]
        if keep is not None and asked == "auto":
            keep.mkdir(parents=True, exist_ok=True)
            docs[["row_id", "theme_id"]].to_parquet(keep / f"{path.stem}-auto.parquet")
        cells = [
            f"--themes {asked}" if isinstance(asked, int) else f"--granularity {asked}",
            "-" if record["automatic"] is None else record["automatic"],
            record["cut"],
            record["themes"],
            len(miner.theme_model_.parents_),
            *(f"{v:.3f}" for v in homogeneity_completeness_v_measure(expected, predicted)),
            f"{adjusted_rand_score(expected, predicted):.3f}",
            f"{(predicted == -1).mean():.1%}",
            f"{seconds:.0f}",
        ]
        print("| " + " | ".join(map(str, cells)) + " |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, default=ROOT / "data/demo")
    parser.add_argument(
        "--banking77", type=Path, default=ROOT.parent / "shared/data/banking77/test.csv"
    )
    parser.add_argument(
        "--keep", type=Path, help="write the automatic fits' theme ids here (FILE-auto.parquet)"
    )
    args = parser.parse_args()
    truth = pd.read_csv(args.demo / "truth.csv", keep_default_na=False)["theme"].astype(str)
    table("demo corpus", args.demo / "feedback.csv", "comment", truth, args.keep)
    intents = pd.read_csv(args.banking77, keep_default_na=False)["category"].astype(str)
    table("Banking77 test", args.banking77, "text", intents, args.keep)


if __name__ == "__main__":
    main()
