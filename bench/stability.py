"""Theme stability: how many themes keep their identity when 5% new rows arrive.

Fits the demo corpus (seed 7), then the same rows plus 5% rows from another
seed's corpus, and matches themes one-to-one on the shared rows (Hungarian on
overlap). A theme is "kept" when its best match shares at least half of its
rows (Jaccard >= 0.5). Also prints the ARI between the two fits on shared rows
and a same-seed refit check (must be identical).

    python bench/stability.py [--rows 3000] [--extra 0.05]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score

ROOT = Path(__file__).resolve().parents[1]


def demo(rows: int, seed: int) -> pd.DataFrame:
    spec = importlib.util.spec_from_file_location("make_demo", ROOT / "data" / "make_demo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_demo"] = module
    spec.loader.exec_module(module)
    return module.make_demo(rows=rows, seed=seed)[0]


def themes_of(frame: pd.DataFrame, seed: int) -> np.ndarray:
    from miner import FeedbackMiner

    miner = FeedbackMiner(seed=seed, per_document=False).fit(frame, text_col="comment")
    return miner.documents_["theme_id"].to_numpy()


def matched_share(first: np.ndarray, second: np.ndarray, min_jaccard: float = 0.5) -> float:
    """Share of the first fit's themes whose one-to-one match keeps half their rows."""
    ids_a = sorted(set(first.tolist()) - {-1})
    ids_b = sorted(set(second.tolist()) - {-1})
    jaccard = np.zeros((len(ids_a), len(ids_b)))
    for i, a in enumerate(ids_a):
        in_a = first == a
        for j, b in enumerate(ids_b):
            in_b = second == b
            jaccard[i, j] = (in_a & in_b).sum() / max((in_a | in_b).sum(), 1)
    rows, cols = linear_sum_assignment(-jaccard)
    kept = sum(jaccard[r, c] >= min_jaccard for r, c in zip(rows, cols, strict=True))
    return kept / max(len(ids_a), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--extra", type=float, default=0.05)
    args = parser.parse_args()
    base = demo(args.rows, 7)
    extra = demo(max(1, int(args.rows * args.extra)), 8)
    grown = pd.concat([base, extra], ignore_index=True)
    started = time.perf_counter()
    first = themes_of(base, 42)
    again = themes_of(base, 42)
    second = themes_of(grown, 42)[: len(base)]
    analysed = first >= -1
    seconds = time.perf_counter() - started
    before, after = len(set(first.tolist()) - {-1}), len(set(second.tolist()) - {-1})
    ari = adjusted_rand_score(first[analysed], second[analysed])
    print(f"rows {len(base):,} + {len(extra):,} new ({args.extra:.0%}); {seconds:.0f}s")
    print(f"same seed, same rows: identical themes = {np.array_equal(first, again)}")
    print(f"themes: {before} before, {after} after")
    print(f"themes kept (Jaccard >= 0.5 on shared rows): {matched_share(first, second):.0%}")
    print(f"ARI between the fits on shared rows: {ari:.3f}")


if __name__ == "__main__":
    main()
