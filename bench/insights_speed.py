"""Insights speed and memory on a synthetic 200,000-row documents table.

    .venv/bin/python bench/insights_speed.py [--rows 200000] [--themes 20] [--n-boot 1000]

The table: ``--themes`` themes (sizes 1-15%, 5% unassigned, 15% of comments mention a
second theme in ``theme_ids``), a year of dates (so monthly periods), plan / region /
channel segments and a binned age, NPS that depends on sentiment, and customer ids
(about 2/3 as many customers as rows). Timed: trends, emerging, segments (4 segment
columns) and drivers with ``--n-boot`` customer resamples, with BLAS limited to
``--threads`` (2). Peak memory is the process's peak RSS (getrusage), also reported
before the insights run (the table itself).
Target: all four in <= 30 s and <= 1.5 GB peak on 2 cores.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from miner.insights import (  # noqa: E402
    bin_numeric,
    drivers,
    emerging,
    period_counts,
    segments,
    trend_table,
)

SENTIMENTS = np.array(["negative", "neutral", "positive"])
NPS_BY_SENTIMENT = {0: (2.5, 2.0), 1: (6.7, 1.5), 2: (9.0, 1.0)}


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_documents(rows: int, themes: int, seed: int = 0) -> pd.DataFrame:
    """A documents-like table with the columns the insights read."""
    rng = np.random.default_rng(seed)
    weights = rng.uniform(1, 15, size=themes)
    weights = np.append(weights / weights.sum() * 0.95, 0.05)
    theme_id = rng.choice(np.append(np.arange(themes), -1), size=rows, p=weights)
    second = rng.integers(0, themes, size=rows)
    has_second = (rng.random(rows) < 0.15) & (theme_id >= 0) & (second != theme_id)
    theme_ids = [
        [int(a), int(b)] if two else ([int(a)] if a >= 0 else [])
        for a, b, two in zip(theme_id, second, has_second, strict=True)
    ]
    sentiment = rng.choice(3, size=rows, p=(0.5, 0.35, 0.15))
    mean = np.array([NPS_BY_SENTIMENT[s][0] for s in range(3)])[sentiment]
    spread = np.array([NPS_BY_SENTIMENT[s][1] for s in range(3)])[sentiment]
    nps = np.clip(np.round(rng.normal(mean, spread)), 0, 10).astype(int)
    days = np.sort(rng.integers(0, 365, size=rows))
    customers = rng.integers(0, rows * 2 // 3, size=rows)
    return pd.DataFrame(
        {
            "row_id": np.arange(rows),
            "status": np.where(rng.random(rows) < 0.97, "ok", "duplicate"),
            "theme_id": theme_id,
            "theme_ids": theme_ids,
            "sentiment": SENTIMENTS[sentiment],
            "sentiment_score": rng.uniform(-1, 1, size=rows),
            "submitted_at": (pd.Timestamp("2025-12-01") + pd.to_timedelta(days, "D")).strftime(
                "%Y-%m-%d"
            ),
            "plan": rng.choice(["free", "starter", "pro", "business"], size=rows),
            "region": rng.choice(["NA", "EU", "UK", "APAC", "LATAM"], size=rows),
            "channel": rng.choice(["survey", "app_review", "ticket", "community"], size=rows),
            "age": rng.integers(16, 80, size=rows),
            "nps": nps,
            "customer_id": [f"C{c:07d}" for c in customers],
        }
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--themes", type=int, default=20)
    parser.add_argument("--n-boot", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--no-customers", action="store_true", help="resample comments, not customers"
    )
    args = parser.parse_args()

    from threadpoolctl import threadpool_limits

    documents = synthetic_documents(args.rows, args.themes)
    documents["age_band"] = bin_numeric(documents["age"]).values
    table_mb = peak_rss_mb()
    print(f"{len(documents):,} rows, {args.themes} themes; peak RSS {table_mb:.0f} MB")
    timings = {}
    with threadpool_limits(args.threads):
        started = time.perf_counter()
        counts = period_counts(documents, "submitted_at")
        trend = trend_table(counts)
        timings["trends"] = time.perf_counter() - started

        started = time.perf_counter()
        flags = emerging(documents, "submitted_at", counts=counts)
        timings["emerging"] = time.perf_counter() - started

        started = time.perf_counter()
        seg = segments(documents, ["plan", "region", "channel", "age_band"])
        timings["segments"] = time.perf_counter() - started

        started = time.perf_counter()
        id_col = None if args.no_customers else "customer_id"
        drive = drivers(documents, "nps", "nps", id_col=id_col, n_boot=args.n_boot)
        unit = "comment" if args.no_customers else "customer"
        timings[f"drivers ({args.n_boot} {unit} resamples)"] = time.perf_counter() - started

    for name, seconds in timings.items():
        print(f"{name:<36} {seconds:6.2f} s")
    total = sum(timings.values())
    peak = peak_rss_mb()
    print(f"{'total':<36} {total:6.2f} s   (target <= 30 s)")
    print(f"peak RSS {peak:.0f} MB (target <= 1536 MB); the table alone {table_mb:.0f} MB")
    print(
        f"rows out: trends {len(trend)}, emerging {len(flags)} ({int(flags['flagged'].sum())} "
        f"flagged), segments {len(seg)} ({int(seg['flagged'].sum())} flagged), drivers {len(drive)}"
    )
    return 0 if total <= 30 and peak <= 1536 else 1


if __name__ == "__main__":
    sys.exit(main())
