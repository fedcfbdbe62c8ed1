"""Themes (or areas, or jobs) over time: comments, share and net sentiment per period."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from miner.insights.columns import choose_period, parse_dates, period_labels
from miner.insights.stats import DEFAULT_MIN_N, mentions, net_sentiment, sentiment_signs, themed
from miner.schema import TREND_COLUMNS

# The trends file's columns after its level and group_id (this module names the group
# by its own id column: theme_id, area_id or job_id).
PERIOD_COLUMNS = tuple(TREND_COLUMNS)[2:]


@dataclass(frozen=True)
class PeriodCounts:
    """Comments per group x period, the arrays every time-based insight starts from.

    ``counts[g, t]``: analysed comments of group ``groups[g]`` in period ``t``
    (a comment mentioning two themes counts for both); ``totals[t]``: analysed
    comments with a date in period ``t``; ``net[g, t]``: net sentiment (NaN without
    sentiment); ``periods``: the period table of :func:`period_labels`;
    ``undated``: analysed comments whose date could not be read (left out).
    """

    by: str
    groups: np.ndarray
    counts: np.ndarray
    totals: np.ndarray
    net: np.ndarray
    periods: pd.DataFrame
    period: str
    undated: int


def period_counts(
    documents: pd.DataFrame,
    date_col: str,
    period: str | None = None,
    by: str = "theme_id",
    areas: Mapping[int, int] | None = None,
) -> PeriodCounts:
    """Count analysed comments in the themes' language (:func:`themed`) per group and
    period (see :class:`PeriodCounts`).

    ``by`` is ``theme_id`` (using ``theme_ids`` when present), ``job_id``, or
    ``area_id``: then ``areas`` maps each theme id to its area id (a comment counts
    once per area it mentions). ``period`` is chosen by :func:`choose_period` when None.
    """
    rows = themed(documents)
    dates = parse_dates(rows[date_col]).values
    period = choose_period(dates, period)
    labels, table = period_labels(dates, period)
    dated = labels.notna().to_numpy()
    rows, labels = rows[dated], labels[dated]
    index = pd.Index(table["period"])
    period_of = index.get_indexer(labels.to_numpy())
    pairs = _group_pairs(rows, by, areas)
    groups = np.sort(pairs[by].unique())
    group_of = np.searchsorted(groups, pairs[by].to_numpy())
    cell = group_of * len(index) + period_of[pairs["pos"].to_numpy()]
    size = len(groups) * len(index)
    counts = np.bincount(cell, minlength=size).reshape(len(groups), len(index))
    signs = sentiment_signs(rows)
    net = (
        np.full(counts.shape, np.nan)
        if signs is None
        else net_sentiment(signs[pairs["pos"].to_numpy()], cell, size).reshape(counts.shape)
    )
    totals = np.bincount(period_of, minlength=len(index))
    return PeriodCounts(by, groups, counts, totals, net, table, period, int((~dated).sum()))


def _group_pairs(rows: pd.DataFrame, by: str, areas: Mapping[int, int] | None) -> pd.DataFrame:
    if by != "area_id":
        return mentions(rows, by)
    if areas is None:
        raise ValueError("by='area_id' needs areas: a mapping of theme id to area id")
    pairs = mentions(rows, "theme_id", areas)
    return pairs.rename(columns={"theme_id": "area_id"})


def trends(
    documents: pd.DataFrame,
    date_col: str,
    period: str | None = None,
    by: str = "theme_id",
    areas: Mapping[int, int] | None = None,
    min_n: int = DEFAULT_MIN_N,
) -> pd.DataFrame:
    """One row per group x period, oldest period first within each group.

    Columns: ``by`` (theme_id, area_id or job_id), then ``period``, ``period_start``,
    ``period_end``, ``incomplete`` (the data end before the period does),
    ``comments`` (the group's analysed comments in the period), ``period_comments``
    (all analysed comments in the period in the themes' language, see
    :func:`miner.insights.stats.themed`: the share's n), ``share`` (comments /
    period_comments; NaN when period_comments < min_n), ``net_sentiment`` (share
    positive - share negative of the group's comments, -100..100; NaN when comments
    < min_n) and ``too_few`` (comments < min_n). Periods with no comment are kept.
    """
    counts = period_counts(documents, date_col, period, by, areas)
    return trend_table(counts, min_n)


def trend_table(counts: PeriodCounts, min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
    """The long table of :func:`trends` from precomputed :class:`PeriodCounts`."""
    n_groups, n_periods = counts.counts.shape
    totals = np.broadcast_to(counts.totals, counts.counts.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals >= max(min_n, 1), counts.counts / totals, np.nan)
    too_few = counts.counts < min_n
    table = pd.DataFrame(
        {
            counts.by: np.repeat(counts.groups, n_periods),
            **{
                column: np.tile(counts.periods[column].to_numpy(), n_groups)
                for column in ("period", "period_start", "period_end", "incomplete")
            },
            "comments": counts.counts.ravel(),
            "period_comments": totals.ravel(),
            "share": share.ravel(),
            "net_sentiment": np.where(too_few, np.nan, counts.net).ravel(),
            "too_few": too_few.ravel(),
        }
    )
    return table[[counts.by, *PERIOD_COLUMNS]]
