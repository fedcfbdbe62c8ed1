"""Emerging and fading themes: a period's share against the periods before it.

The procedure, per theme (or area, or job):

1. **period**: every period t (from the second on) against all periods before it
   pooled; **recent**: the latest ``recent`` periods (default 3) pooled against all
   periods before them.
2. Test: Fisher's exact test of the 2x2 table (theme / not theme) x (this period /
   earlier periods), two-sided (twice the one-sided p in the direction of the change).
3. A comparison is tested only with enough data: at least ``min_n`` comments in the
   period and before it, and at least ``min_n`` for the theme on the side that
   matters: its count in the period, or the count its earlier share predicts when
   that is larger (so a theme that drops towards zero can still be called fading).
   Otherwise it is ``too_few`` and never flagged.
4. Benjamini-Hochberg over every tested comparison of the call (all themes, all
   periods and the recent comparison: one family).
5. Flag ``emerging`` when the adjusted p < ``alpha`` and lift (share / earlier share)
   >= ``min_lift`` (1.5); ``fading`` when lift <= 1 / ``min_lift``.

False alarms on flat data (no real change, shares constant, multinomial noise):
the Benjamini-Hochberg step holds the chance that a call flags anything at all to at
most ``alpha`` (5%) whatever the number of themes and periods (for independent or
positively dependent tests; the overlapping baselines here are assumed, and measured,
to behave), and the lift and minimum-count rules only remove flags. **Documented
rate: 0.05 false flags per call**
(``FALSE_ALARM_RATE``). Measured by the simulation in ``tests/test_insights.py``
(500 flat runs of 15 themes x 12 periods, 400-700 comments a period, shares 1.4-10.6%,
about 110 comparisons tested per run, the rest too few): 0.032 false flags per run
(standard error 0.008), against 4.4 raw p < 0.05 per run before the correction. A
planted 3x jump of one theme (2.7% to ~8%) in one period is flagged in 93% of runs
(a 2x jump in 27%: about 30 comments in the period is the limit ``min_n`` sets).
Where some theme really changes, Benjamini-Hochberg bounds the false discovery rate
(the share of flags that are false), not the number of false flags per call: an audit
measured 0.115 false flags a run beside a real rise, 3.6% of all flags.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pandas as pd

from miner.insights.stats import (
    DEFAULT_ALPHA,
    DEFAULT_MIN_LIFT,
    DEFAULT_MIN_N,
    bh_adjust,
    fisher_p,
    flag_direction,
)
from miner.insights.trends import PeriodCounts, period_counts
from miner.schema import COMPARE_PERIOD, COMPARE_RECENT, EMERGING, EMERGING_COLUMNS, FADING

DEFAULT_RECENT = 3
# The documented false-alarm rate on flat data: expected false flags per call.
FALSE_ALARM_RATE = DEFAULT_ALPHA


def compare_shares(x, n, x0, n0, min_n: int = DEFAULT_MIN_N) -> dict[str, np.ndarray]:
    """A group's share (x of n) against its earlier share (x0 of n0), vectorised.

    Returns ``share`` (NaN when n < min_n), ``baseline_share`` (NaN when n0 < min_n),
    ``expected`` (n x earlier share), ``lift`` (share / earlier share; inf for a first
    appearance), ``p`` (Fisher, two-sided) and ``too_few``; ``lift`` and ``p`` are NaN
    when too few.
    """
    x, n, x0, n0 = (np.asarray(a, dtype=np.float64) for a in (x, n, x0, n0))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, x / n, np.nan)
        baseline = np.where(n0 > 0, x0 / n0, np.nan)
        expected = n * baseline
        lift = np.where(baseline > 0, share / baseline, np.where(x > 0, np.inf, np.nan))
    support = np.fmax(x, np.nan_to_num(expected))
    too_few = (n < min_n) | (n0 < min_n) | (support < min_n)
    p = fisher_p(x, n + n0, x + x0, n, where=~too_few)
    # Figures resting on fewer than min_n comments are not shown (their n is).
    return {
        "share": np.where(n < min_n, np.nan, share),
        "baseline_share": np.where(n0 < min_n, np.nan, baseline),
        "expected": expected,
        "lift": np.where(too_few, np.nan, lift),
        "p": p,
        "too_few": too_few,
    }


def emerging_tests(
    counts: np.ndarray,
    totals: np.ndarray,
    recent: int = DEFAULT_RECENT,
    min_n: int = DEFAULT_MIN_N,
    min_lift: float = DEFAULT_MIN_LIFT,
    alpha: float = DEFAULT_ALPHA,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Every comparison of the procedure above, on arrays; leading axes are separate calls.

    ``counts``: (..., groups, periods); ``totals``: (..., periods). Returns
    (period comparisons, recent comparisons): dicts of arrays shaped (..., groups,
    periods) and (..., groups) with the keys of :func:`compare_shares` plus
    ``x``, ``n``, ``x0``, ``n0``, ``p_adj`` and ``direction``. The first period (no
    earlier one) is never tested; the recent comparison needs more than ``recent``
    periods.
    """
    counts = np.asarray(counts, dtype=np.int64)
    totals = np.broadcast_to(np.asarray(totals, dtype=np.int64)[..., None, :], counts.shape)
    n_periods = counts.shape[-1]
    x0 = np.cumsum(counts, axis=-1) - counts
    n0 = np.cumsum(totals, axis=-1) - totals
    by_period = {"x": counts, "n": totals, "x0": x0, "n0": n0}
    by_period.update(compare_shares(counts, totals, x0, n0, min_n))
    k = min(recent, n_periods - 1) if recent and n_periods > recent else 0
    late = (slice(None),) * (counts.ndim - 1) + (slice(n_periods - k, None),)
    early = (slice(None),) * (counts.ndim - 1) + (slice(0, n_periods - k),)
    latest = {
        "x": counts[late].sum(axis=-1),
        "n": totals[late].sum(axis=-1),
        "x0": counts[early].sum(axis=-1),
        "n0": totals[early].sum(axis=-1),
    }
    latest.update(compare_shares(latest["x"], latest["n"], latest["x0"], latest["n0"], min_n))
    if not k:
        latest["p"] = np.full(latest["p"].shape, np.nan)
        latest["too_few"] = np.ones(latest["too_few"].shape, dtype=bool)
    # One Benjamini-Hochberg family per call: every period and recent comparison.
    lead = counts.shape[:-2]
    family = np.concatenate(
        [by_period["p"].reshape(*lead, -1), latest["p"].reshape(*lead, -1)], axis=-1
    )
    adjusted = bh_adjust(family)
    split = counts.shape[-2] * counts.shape[-1]
    by_period["p_adj"] = adjusted[..., :split].reshape(counts.shape)
    latest["p_adj"] = adjusted[..., split:].reshape(latest["p"].shape)
    for result in (by_period, latest):
        result["direction"] = flag_direction(
            result["p_adj"], result["lift"], alpha, min_lift, EMERGING, FADING
        )
    return by_period, latest


def emerging(
    documents: pd.DataFrame,
    date_col: str,
    period: str | None = None,
    recent: int = DEFAULT_RECENT,
    min_n: int = DEFAULT_MIN_N,
    min_lift: float = DEFAULT_MIN_LIFT,
    alpha: float = DEFAULT_ALPHA,
    by: str = "theme_id",
    areas: Mapping[int, int] | None = None,
    counts: PeriodCounts | None = None,
) -> pd.DataFrame:
    """Emerging and fading flags with their evidence, one row per comparison.

    Rows: every group x period from the second period on (``comparison`` =
    ``period``), then one ``recent`` row per group (``period`` like
    ``2026-09..2026-11``). Columns: ``by``, ``comparison``, ``period``, ``comments``
    (the group's, in the period or window), ``period_comments``, ``share``,
    ``baseline_comments``, ``baseline_total``, ``baseline_share`` (the earlier
    periods pooled), ``expected`` (comments the earlier share predicts), ``lift``,
    ``p`` (Fisher, two-sided), ``p_adj`` (Benjamini-Hochberg over the whole table),
    ``direction`` (``emerging``, ``fading`` or empty), ``flagged``, ``too_few``,
    ``new`` (no comment of the group before), ``incomplete`` (the period, or the
    window's last period, is not over), ``first_seen`` (the group's first period
    with a comment) and ``shares_by_period`` (JSON: the group's share in every
    period up to the one tested). See the module docstring for the procedure.
    """
    if counts is None:
        counts = period_counts(documents, date_col, period, by, areas)
    by_period, latest = emerging_tests(counts.counts, counts.totals, recent, min_n, min_lift, alpha)
    labels = counts.periods["period"].tolist()
    incomplete = counts.periods["incomplete"].to_numpy(dtype=bool)
    n_groups, n_periods = counts.counts.shape
    histories = _share_histories(counts, labels)
    first_seen = [labels[int(np.argmax(row > 0))] if row.any() else None for row in counts.counts]
    tables = []
    # A period without any comment (between two survey waves) is no comparison: not
    # a "too few comments" one.
    held = np.flatnonzero(np.asarray(counts.totals)[1:] > 0) + 1
    if len(held):
        g, t = np.meshgrid(np.arange(n_groups), held, indexing="ij")
        g, t = g.ravel(), t.ravel()
        tables.append(
            _rows(
                by_period,
                (g, t),
                counts,
                COMPARE_PERIOD,
                [labels[i] for i in t],
                incomplete[t],
                [histories[a][: b + 1] for a, b in zip(g, t, strict=True)],
                first_seen,
            )
        )
    k = min(recent, n_periods - 1) if recent and n_periods > recent else 0
    if k:
        g = np.arange(n_groups)
        window = f"{labels[-k]}..{labels[-1]}"
        tables.append(
            _rows(
                latest,
                (g,),
                counts,
                COMPARE_RECENT,
                [window] * n_groups,
                np.full(n_groups, incomplete[-1]),
                [histories[a] for a in g],
                first_seen,
            )
        )
    if not tables:
        return pd.DataFrame(columns=[by, *tuple(EMERGING_COLUMNS)[1:]])
    table = pd.concat(tables, ignore_index=True).rename(columns={"theme_id": counts.by})
    return table


def _share_histories(counts: PeriodCounts, labels: list[str]) -> list[list[tuple[str, float]]]:
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(counts.totals > 0, counts.counts / counts.totals, np.nan)
    return [
        [
            (label, None if np.isnan(v) else round(float(v), 4))
            for label, v in zip(labels, row, strict=True)
        ]
        for row in shares
    ]


def _rows(result, index, counts, comparison, periods, incomplete, histories, first_seen):
    group = index[0]
    pick = {key: np.asarray(value)[index] for key, value in result.items()}
    return pd.DataFrame(
        {
            "theme_id": counts.groups[group],
            "comparison": comparison,
            "period": periods,
            "comments": pick["x"],
            "period_comments": pick["n"],
            "share": pick["share"],
            "baseline_comments": pick["x0"],
            "baseline_total": pick["n0"],
            "baseline_share": pick["baseline_share"],
            "expected": pick["expected"],
            "lift": pick["lift"],
            "p": pick["p"],
            "p_adj": pick["p_adj"],
            "direction": pick["direction"],
            "flagged": pick["direction"] != "",
            "too_few": pick["too_few"],
            "new": (pick["x0"] == 0) & (pick["x"] > 0),
            "incomplete": incomplete,
            "first_seen": [first_seen[i] for i in group],
            "shares_by_period": [json.dumps(dict(h)) for h in histories],
        }
    )
