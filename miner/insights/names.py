"""Names of the insight tables' columns and files, until they move into :mod:`miner.schema`.

The pipeline does not write these tables yet; when it does, the file names below and
the column lists become part of the run folder contract (``miner/schema.py`` and the
README's tables), and this module imports them from there.
"""

from __future__ import annotations

# Files the run folder will hold (not written yet).
TRENDS_FILE = "trends.parquet"
EMERGING_FILE = "emerging.parquet"
SEGMENTS_FILE = "segment_lifts.parquet"  # not "segments.parquet": run format 1 pieces
SEGMENT_SUMMARY_FILE = "segment_summary.parquet"
DRIVERS_FILE = "drivers.parquet"

# Kinds of score column (parse_score) and periods (choose_period).
SCORE_KINDS = ("nps", "csat", "rating", "numeric")
PERIODS = ("week", "month", "quarter")

# Directions of a flag.
EMERGING = "emerging"
FADING = "fading"
OVER = "over"
UNDER = "under"

# Comparisons in the emerging table.
COMPARE_PERIOD = "period"  # one period against every period before it
COMPARE_RECENT = "recent"  # the latest K periods against every period before them

TREND_COLUMNS = (
    "period",
    "period_start",
    "period_end",
    "incomplete",
    "comments",
    "period_comments",
    "share",
    "net_sentiment",
    "too_few",
)
EMERGING_COLUMNS = (
    "theme_id",
    "comparison",
    "period",
    "comments",
    "period_comments",
    "share",
    "baseline_comments",
    "baseline_total",
    "baseline_share",
    "expected",
    "lift",
    "p",
    "p_adj",
    "direction",
    "flagged",
    "too_few",
    "new",
    "incomplete",
    "first_seen",
    "shares_by_period",
)
SEGMENT_COLUMNS = (
    "segment_column",
    "segment",
    "theme_id",
    "comments",
    "segment_comments",
    "share",
    "overall_share",
    "expected",
    "lift",
    "p",
    "p_adj",
    "direction",
    "flagged",
    "too_few",
    "net_sentiment",
)
SEGMENT_SUMMARY_COLUMNS = (
    "segment_column",
    "segment",
    "comments",
    "share",
    "net_sentiment",
    "too_few",
)
DRIVER_COLUMNS = (
    "theme_id",
    "comments",
    "voices",
    "score",
    "score_comments",
    "score_without",
    "impact",
    "impact_low",
    "impact_high",
    "effect",
    "effect_low",
    "effect_high",
    "too_few",
    "rank",
)
