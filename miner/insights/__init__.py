"""Insights over a run's documents: trends, emerging and fading themes, segments, drivers.

Pure functions of a documents table (``row_id``, ``status``, ``theme_id``, optional
``theme_ids``, ``sentiment``, ``sentiment_score`` and the input's date, segment,
score and customer id columns). Nothing here loads a model; every result is
deterministic (the bootstrap is seeded). Every figure carries its n, and a figure
resting on fewer than ``min_n`` comments is reported as too few (NaN and
``too_few=True``) and never flagged.
"""

from __future__ import annotations

from miner.insights.columns import (
    DetectedColumns,
    Parsed,
    bin_numeric,
    choose_period,
    detect_columns,
    parse_dates,
    parse_score,
    period_labels,
)
from miner.insights.drivers import contributions, drivers, score_summary
from miner.insights.emerging import FALSE_ALARM_RATE, compare_shares, emerging, emerging_tests
from miner.insights.segments import segment_summary, segments
from miner.insights.stats import bh_adjust, fisher_p
from miner.insights.trends import PeriodCounts, period_counts, trend_table, trends

__all__ = [
    "FALSE_ALARM_RATE",
    "DetectedColumns",
    "Parsed",
    "PeriodCounts",
    "bh_adjust",
    "bin_numeric",
    "choose_period",
    "compare_shares",
    "contributions",
    "detect_columns",
    "drivers",
    "emerging",
    "emerging_tests",
    "fisher_p",
    "parse_dates",
    "parse_score",
    "period_counts",
    "period_labels",
    "score_summary",
    "segment_summary",
    "segments",
    "trend_table",
    "trends",
]
