"""The roadmap priority: five factors, each 0..1, combined by documented weights.

These definitions and :data:`DEFAULT_WEIGHTS` were fixed before any ranking test was
written, so they are not tuned to pass the tests. Themes and jobs are ranked in two
lists; every factor is computed within one list (one "level") over the analysed
comments of the window: from ``--since`` to the end of the data, else the whole run.

- ``volume``: the item's voices (distinct customers with an id column, else
  comments) divided by the most voiced item's. With ``--value-col`` each voice
  counts its value instead of 1: a customer's value is the mean of their valid
  numbers in that column, a customer (or comment) without one counts the median of
  the known values.
- ``growth`` (needs a date column): the item's share of the window's comments
  against its share before the window; without ``--since`` the window for this
  factor is the latest 3 periods, as in the emerging test. With additive smoothing
  (``(comments + 0.5) / (total + 1)`` on both sides),
  ``growth = clip(log2(share_window / share_before), 0, 2) / 2``: flat or fading is
  0, a 4x rise or more is 1. It is 0 when the window or the time before it has fewer
  than ``min_n`` analysed comments.
- ``negative``: the share of the item's comments whose sentiment is negative.
- ``impact`` (needs a score column): how much the item's comments pull the score
  down, ``max(0, -(score - score_without_them))`` (remove and recompute, as the score
  drivers), divided by the largest such pull in the list; 0 when the item has fewer
  than ``min_n`` comments with a score.
- ``opportunity``: for a job, its ODI opportunity (``importance + max(importance -
  satisfaction, 0)``, 0..20) divided by 20; for a theme, the voice-weighted mean
  opportunity of the jobs its comments state, divided by 20 (0 when none).

``priority = sum(w_f * x_f) / sum(w_f)`` over the factors the run has (a run without a
date has no growth, without a score no impact: such a factor is "not available" and
left out of both sums), so a priority is 0..1. Each factor's **contribution** is
``w_f * x_f / sum(w_f)``; the contributions add up to the priority ("why it ranks
here"). Ties: more voices first, then the lower id.
"""

from __future__ import annotations

from types import MappingProxyType

FACTORS = ("volume", "growth", "negative", "impact", "opportunity")

# Every factor counts the same by default: no factor is favoured before evidence that
# it should be. Override with ``--weights volume=1,growth=2`` or a TOML file.
DEFAULT_WEIGHTS = MappingProxyType(dict.fromkeys(FACTORS, 1.0))

# Factors that need an input column; the others are always available.
NEEDS = MappingProxyType({"growth": "date", "impact": "score"})

GROWTH_CAP_LOG2 = 2.0  # a 4x rise in share gives the full growth factor
SMOOTHING = 0.5  # added to counts (and twice to totals) before a share is compared
RECENT_PERIODS = 3  # growth window without --since: the latest 3 periods
ODI_MAX = 20.0  # importance (0..10) + max(importance - satisfaction, 0) (0..10)
