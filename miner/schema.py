"""The run folder's contract, in one place: every file, column, status and kind.

Everything that reads or writes a run (the pipeline, :mod:`miner.persist`, reports,
the app, ``miner score``) takes its names from here, one name per concept:

- a **comment** is one input row's text; a **piece** is a part of a comment (a
  sentence or a contrast clause, ``pieces.parquet``); a customer **segment** (plan,
  region, channel) is a value of an input column and never a piece of text;
- a **theme** has a ``theme_id`` and a ``theme_label``; themes are grouped into
  **areas** (``area_id``, ``area_label``);
- **comments** counts comments (duplicates included), **customers** counts distinct
  customer ids, **voices** is customers when the run has an id column, else comments.

The README's run-folder tables are checked against these definitions by a test
(``tests/test_schema.py``), so a column added here and not documented there fails.

How later work extends the run (settled here so every issue extends it the same way):

- ``question``: when a survey has several open questions, a documents row is one
  respondent × question; its key is (``row_id``, ``question``) and ``question`` holds
  the text column's name. Absent when the run has one text column.
- ``batch``: rows appended to a run later (``miner score --into``) carry the batch
  they came in with; the key becomes (``batch``, ``row_id``[, ``question``]). Absent
  in a run of one batch.
- ``language``: the comment's language (ISO 639-1) once language detection runs.
A column that no stage has produced is absent, never filled with placeholders.
"""

from __future__ import annotations

from types import MappingProxyType

# Version of the run folder layout written by this miner (run.json "run_format").
# 1: written before this module (segments.parquet, themes.csv "label"/"size"/"parent_*",
#    jobs.csv "label"/"count"/"themes"); read and upgraded on load.
RUN_FORMAT = 2

# ----------------------------------------------------------------------------- files
DOCUMENTS_FILE = "documents.parquet"
PIECES_FILE = "pieces.parquet"
THEMES_FILE = "themes.csv"
JOBS_FILE = "jobs.csv"
RUN_FILE = "run.json"
MODEL_DIR = "model"
CURATION_FILE = "curation.json"  # the PM's edits of the themes (miner.curation)
# Inside MODEL_DIR.
MODEL_MANIFEST_FILE = "manifest.json"
MODEL_CONFIG_FILE = "config.json"
MODEL_THEMES_DIR = "themes"
MODEL_JOBS_DIR = "jobs"
# Piece mode (long feedback): the nouns read as "item" when pieces are embedded.
MODEL_PRODUCT_NOUNS_FILE = "product_nouns.json"
# Piece mode, single-issue text told inside a narrative: the centres of the first fit's
# themes and which of them were narrative (set aside; miner.pieces.narrative_filter).
MODEL_NARRATIVE_FILE = "narrative.npz"
# MODEL_DIR also holds a copy of the run's CURATION_FILE, which `miner score` follows.
# Insights (only in runs with the input column they need; run.json "insights" lists them).
TRENDS_FILE = "trends.parquet"
EMERGING_FILE = "emerging.parquet"
SEGMENTS_FILE = "segment_lifts.parquet"  # not "segments.parquet": run format 1 pieces
SEGMENT_SUMMARY_FILE = "segment_summary.parquet"
DRIVERS_FILE = "drivers.parquet"
# The same three tables over areas (groups of themes), with ``area_id`` for ``theme_id``;
# only in runs whose themes are grouped into two or more areas.
AREA_EMERGING_FILE = "area_emerging.parquet"
AREA_SEGMENTS_FILE = "area_segment_lifts.parquet"
AREA_DRIVERS_FILE = "area_drivers.parquet"
INSIGHT_FILES = (TRENDS_FILE, EMERGING_FILE, SEGMENTS_FILE, SEGMENT_SUMMARY_FILE, DRIVERS_FILE)
AREA_INSIGHT_FILES = (AREA_EMERGING_FILE, AREA_SEGMENTS_FILE, AREA_DRIVERS_FILE)
# Insight file -> the miner.persist.Run attribute that holds it.
INSIGHT_TABLES = MappingProxyType(
    {
        TRENDS_FILE: "trends",
        EMERGING_FILE: "emerging",
        SEGMENT_SUMMARY_FILE: "segment_summary",
        SEGMENTS_FILE: "segment_lifts",
        DRIVERS_FILE: "drivers",
        AREA_EMERGING_FILE: "area_emerging",
        AREA_SEGMENTS_FILE: "area_segment_lifts",
        AREA_DRIVERS_FILE: "area_drivers",
    }
)
# The comment map (miner.themes.layout) and the comments' embeddings, written by
# `miner fit` (not by `miner score`); runs without them still open.
MAP_FILE = "map.parquet"
EMBEDDINGS_FILE = "embeddings.npy"
# The default roadmap feed, stored when the run is saved so the app need not rank it
# again (miner.roadmap.stored); a cache, rebuilt when the run's files change.
ROADMAP_FEED_FILE = "roadmap_feed.json"
# New topics (miner.novel) beside a scored file: ``scored.new_topics.json`` for
# ``scored.parquet``. A run fitted with --previous keeps its own in run.json.
NEW_TOPICS_SUFFIX = ".new_topics.json"
# What lets `miner score --resume` go on (miner.resume): ``.scored.csv.resume/`` beside
# ``scored.csv``, holding the manifest of finished chunks and each text's first row.
RESUME_SUFFIX = ".resume"
RESUME_MANIFEST_FILE = "manifest.json"
RESUME_SEEN_FILE = "seen.jsonl"
# Beside the run files of a run fitted in the app's workspace (miner.workspace):
# what was fitted (display name, source file, column mapping, seed, created) and how
# the background fit is going (state, stage, rows done of rows total, pid, error).
WORKSPACE_RUN_FILE = "workspace.json"
PROGRESS_FILE = "progress.json"
FIT_LOG_FILE = "fit.log"
FIT_RUNNING, FIT_DONE, FIT_FAILED, FIT_CANCELLED = "running", "done", "failed", "cancelled"
FIT_STATES = (FIT_RUNNING, FIT_DONE, FIT_FAILED, FIT_CANCELLED)

# ----------------------------------------------------------------- values of columns
STATUS_OK = "ok"
STATUS_EMPTY = "empty"
STATUS_DUPLICATE = "duplicate"
STATUS_NOT_TEXT = "not_text"
STATUS_ERROR = "error"
STATUSES = (STATUS_OK, STATUS_EMPTY, STATUS_DUPLICATE, STATUS_NOT_TEXT, STATUS_ERROR)
# Rows whose analysis counts: distinct comments and their duplicates (still voices).
ANALYSED = (STATUS_OK, STATUS_DUPLICATE)

SENTIMENTS = ("negative", "neutral", "positive")
# |score| above which a score alone reads as positive / negative (see label_from_score).
SCORE_LABEL_THRESHOLD = 0.2
# An anonymous share (employees, patients) shows no group of fewer respondents than this.
ANONYMOUS_MIN = 10


def label_from_score(score: float) -> str | None:
    """Sentiment label of a score in [-1, 1] when only the score is known (a piece's
    mean score; here, not in :mod:`miner.sentiment`, so tables and the roadmap read it
    without loading the model's code).

    The model labels a text by its most probable class; from the score alone,
    ``SCORE_LABEL_THRESHOLD`` reproduces that label for 94% of the demo corpus's
    sentences and 93% of its comments (the best threshold there). NaN gives ``None``.
    """
    if score is None or score != score or score in (float("inf"), float("-inf")):
        return None
    if score > SCORE_LABEL_THRESHOLD:
        return "positive"
    if score < -SCORE_LABEL_THRESHOLD:
        return "negative"
    return "neutral"


KINDS = ("bug", "feature_request", "complaint", "praise", "question", "other")
UNASSIGNED = -1  # theme_id / job_id / area_id of "none"
# Curation edits (curation.json "edits", each with its "op"; see miner.curation).
CURATION_OPS = ("rename", "merge", "split", "move", "hide")

# Types of score column (--score-type) and periods (--period).
SCORE_TYPES = ("nps", "csat", "rating", "numeric", "good_bad")
# What each type's score is called where it is shown; any other is a mean.
SCORE_NAMES = {"nps": "NPS", "good_bad": "share rated good"}


def score_name(kind: str | None, capital: bool = False) -> str:
    """What a run's score is called: "NPS", "share rated good" (a Good/Bad rating, in
    %), else "mean score"."""
    name = SCORE_NAMES.get(kind or "", "mean score")
    return name[0].upper() + name[1:] if capital else name


PERIODS = ("week", "month", "quarter")
# How many themes, relative to the automatic count (--granularity; run.json "theme_count").
GRANULARITIES = ("coarser", "auto", "finer")
# What a trends row counts (its "level") and its group_id.
TREND_LEVELS = MappingProxyType({"theme": "theme_id", "area": "area_id", "job": "job_id"})
# Directions of a flag.
EMERGING = "emerging"
FADING = "fading"
OVER = "over"
UNDER = "under"
# Comparisons in the emerging table.
COMPARE_PERIOD = "period"  # one period against every period before it
COMPARE_RECENT = "recent"  # the latest K periods against every period before them
# Shown instead of a figure resting on fewer than min_n comments.
TOO_FEW = "too few comments"
# The yes/no columns of the insight tables (trends, emerging, segments, drivers).
INSIGHT_FLAGS = ("flagged", "too_few", "new", "incomplete")

# --------------------------------------------------------------------------- columns
# name -> meaning. Order is the order in the file. "Optional" columns appear only when
# the stage or input that makes them is there.
DOCUMENT_KEYS = MappingProxyType(
    {
        "batch": "the batch the row came in with (runs with appended batches only)",
        "row_id": "0-based input row",
        "question": "the text column the row answers (surveys with several open questions)",
    }
)
DOCUMENT_COLUMNS = MappingProxyType(
    {
        "row_id": "0-based input row",
        "status": "ok, empty, not_text, duplicate or error",
        "language": "ISO 639-1 language of the comment (once detected)",
        "theme_id": "main theme, -1 = unassigned",
        "theme_label": "the main theme's label",
        "theme_confidence": "cosine similarity to the theme's centre, 0..1",
        "theme_novel": "far from every comment the model was fitted on (miner score, and the"
        " batches --into adds; the fitted rows False)",
        "theme_ids": "every theme the comment mentions, main theme first",
        "sentiment": "negative, neutral or positive",
        "sentiment_score": "P(positive) - P(negative), -1..1",
        "kind": "bug, feature_request, complaint, praise, question or other",
        "kind_secondary": "a second kind the comment clearly carries, else null",
        "job_statement": "the first job, When ..., I want to ..., so I can ...",
        "job_situation": "its situation",
        "job_motivation": "its motivation",
        "job_outcome": "its outcome",
        "job_id": "the first job's cluster in jobs.csv, -1 when none",
        "error": "why the row could not be analysed (status error)",
        "warning": "what reading the row had to repair (e.g. not UTF-8), else null",
        "kind_confidence": "probability of kind",
        "sentence_scores": "sentiment score of each piece, in the comment's context",
        "jobs": "every job found, with parts and offsets",
        "masked_text": "the comment as quoted: e-mail furniture cut, personal data masked",
        "period": "the period of the comment's date (runs with a date column)",
        "score": "the comment's score as a number, null when missing or invalid",
    }
)
OPTIONAL_DOCUMENT_COLUMNS = frozenset(
    {"batch", "question", "language", "theme_novel", "theme_ids", "masked_text", "period", "score"}
)
# Optional in pieces.parquet and map.parquet: keys of a run of several batches or
# of a survey with several questions.
OPTIONAL_KEY_COLUMNS = frozenset({"batch", "question"})
# A numeric segment column (age) is binned into "<column>_band" (e.g. age_band: 25-34).
SEGMENT_BAND_SUFFIX = "_band"

PIECE_COLUMNS = MappingProxyType(
    {
        "batch": "the comment's batch (runs with appended batches)",
        "row_id": "the comment's row in documents.parquet",
        "question": "the comment's question (surveys with several open questions)",
        "piece": "0-based position of the piece in the comment",
        "text": "the piece's text",
        "start": "character offset into the cleaned comment",
        "end": "character offset of the piece's end",
        "theme_id": "the piece's theme, -1 when none",
        "theme_confidence": "cosine similarity to its theme's centre, 0 when -1",
        "sentiment_score": "the piece read on its own, when its comment mentions 2+ themes",
    }
)

THEME_COLUMNS = MappingProxyType(
    {
        "theme_id": "theme id, -1 for the unassigned row",
        "theme_label": "the theme's label",
        "area_id": "the area the theme belongs to, -1 when themes are the areas",
        "area_label": "the area's label",
        "comments": "comments whose main theme it is, duplicates included",
        "share": "comments / analysed comments",
        "guided": "the guided theme that named it (runs with guided themes only)",
        "mentions": "analysed comments whose theme_ids include it",
        "customers": "distinct customer ids among its comments (runs with an id column)",
        "voices": "customers with an id column, else comments",
        "net_sentiment": "share positive - share negative of the comments mentioning it",
        "sentiment_n": "those comments with a sentiment: net_sentiment's n",
        "kind_bug": "share of its comments of kind bug",
        "kind_feature_request": "share of kind feature_request",
        "kind_complaint": "share of kind complaint",
        "kind_praise": "share of kind praise",
        "kind_question": "share of kind question",
        "kind_other": "share of kind other",
        "keywords": "c-TF-IDF keywords, ; separated",
        "representative_row_ids": "most central distinct comments, space separated",
    }
)
# "sentiment_n": runs written before 2026-12-07 have none.
OPTIONAL_THEME_COLUMNS = frozenset({"guided", "mentions", "customers", "sentiment_n"})

JOB_COLUMNS = MappingProxyType(
    {
        "job_id": "job cluster id, 0 = most voiced",
        "job_label": "the most central job statement",
        "motivation": "its motivation",
        "comments": "comments with a job in the cluster",
        "customers": "distinct customer ids among them (runs with an id column)",
        "voices": "customers with an id column, else comments",
        "share": "comments / analysed comments with a job",
        "theme_ids": "themes of those comments, most frequent first",
        "mean_sentiment": "mean sentiment_score of those comments",
        "importance": "10 x voices / voices of the most voiced job",
        "satisfaction": "5 x (1 + mean_sentiment)",
        "opportunity": "importance + max(importance - satisfaction, 0)",
        "example_row_ids": "rows quoting the job, most central first",
        "mentions": "job mentions (a comment may state the job twice)",
        "asked": "share of the mentions asked as a question (How do I ...?), 0..1",
    }
)
# "asked": runs written before 2026-12-04 have no question jobs and no such column.
OPTIONAL_JOB_COLUMNS = frozenset({"customers", "asked"})

TREND_COLUMNS = MappingProxyType(
    {
        "level": "theme, area or job",
        "group_id": "the theme_id, area_id or job_id",
        "period": "the period's label",
        "period_start": "its first day",
        "period_end": "its last day",
        "incomplete": "the data end before the period does",
        "comments": "the group's analysed comments in the period",
        "period_comments": "analysed comments in English (themes' language) in the period: the n",
        "share": "comments / period_comments, null when period_comments < min_n",
        "net_sentiment": "of the group's comments, null when comments < min_n",
        "too_few": "comments < min_n",
    }
)
EMERGING_COLUMNS = MappingProxyType(
    {
        "theme_id": "the theme",
        "comparison": "period (one period against all before it) or recent",
        "period": "the period, or the recent window first..last",
        "comments": "the theme's comments in the period",
        "period_comments": "analysed comments in English (themes' language) in the period: the n",
        "share": "comments / period_comments",
        "baseline_comments": "the theme's comments in the earlier periods",
        "baseline_total": "analysed comments in the earlier periods",
        "baseline_share": "baseline_comments / baseline_total",
        "expected": "comments the earlier share predicts",
        "lift": "share / baseline_share",
        "p": "Fisher's exact test, two-sided",
        "p_adj": "Benjamini-Hochberg over every test of the table",
        "direction": "emerging, fading or empty",
        "flagged": "direction is not empty",
        "too_few": "not tested: fewer than min_n comments",
        "new": "no comment of the theme before the period",
        "incomplete": "the period (or the window's last) is not over",
        "first_seen": "the theme's first period with a comment",
        "shares_by_period": "JSON: the theme's share in every period up to this one",
    }
)
SEGMENT_COLUMNS = MappingProxyType(
    {
        "segment_column": "the input column",
        "segment": "its value (a band for a numeric column)",
        "theme_id": "the theme",
        "comments": "the segment's comments about the theme",
        "segment_comments": "the segment's analysed comments in English (themes' language): the n",
        "share": "comments / segment_comments",
        "overall_share": "the theme's share of all comments with a value",
        "expected": "segment_comments x overall_share",
        "lift": "share / overall_share",
        "p": "Fisher's exact test, two-sided",
        "p_adj": "Benjamini-Hochberg over every pair of the table",
        "direction": "over, under or empty",
        "flagged": "direction is not empty",
        "too_few": "not tested: fewer than min_n comments",
        "net_sentiment": "of the segment's comments about the theme",
    }
)
SEGMENT_SUMMARY_COLUMNS = MappingProxyType(
    {
        "segment_column": "the input column",
        "segment": "its value",
        "comments": "analysed comments with the value",
        "share": "comments / analysed comments with a value in the column",
        "net_sentiment": "of those comments with a sentiment, null when sentiment_n < min_n",
        "sentiment_n": "those comments with a sentiment (comments in other languages have none)",
        "too_few": "comments < min_n",
        "score": "with a score column: NPS (or the mean score) of those comments, null below"
        " min_n scored comments",
        "score_low": "95% interval of the score, low end",
        "score_high": "95% interval of the score, high end",
        "score_n": "those comments with a valid score",
    }
)
DRIVER_COLUMNS = MappingProxyType(
    {
        "theme_id": "the theme",
        "comments": "analysed comments with a valid score that mention it",
        "voices": "their customers (with an id column), else comments",
        "score": "NPS or mean score of all analysed comments with a valid score",
        "score_comments": "their number (the score's n)",
        "score_without": "the score without the theme's comments",
        "impact": "score - score_without",
        "impact_low": "bootstrap 95% interval, low end",
        "impact_high": "bootstrap 95% interval, high end",
        "effect": "multivariable estimate: the theme's comments against the average theme",
        "effect_low": "bootstrap 95% interval, low end",
        "effect_high": "bootstrap 95% interval, high end",
        "too_few": "comments < min_n: figures null",
        "rank": "1 = most negative impact, null when too few",
    }
)


def for_areas(columns: MappingProxyType) -> MappingProxyType:
    """The columns of a theme table as its area table has them: ``area_id`` first."""
    return MappingProxyType(
        {
            ("area_id" if k == "theme_id" else k): v.replace("theme", "area")
            for k, v in columns.items()
        }
    )


AREA_EMERGING_COLUMNS = for_areas(EMERGING_COLUMNS)
AREA_SEGMENT_COLUMNS = for_areas(SEGMENT_COLUMNS)
AREA_DRIVER_COLUMNS = for_areas(DRIVER_COLUMNS)


# The customer list (miner.customers.customer_list; `miner customer RUN_DIR`, the app's
# Customers page): computed from documents.parquet, not a file of the run.
CUSTOMER_COLUMNS = MappingProxyType(
    {
        "customer_id": "the customer's id (the run's id column)",
        "comments": "their analysed comments, duplicates included",
        "themes": "distinct themes their comments mention",
        "top_themes": "the themes they mention most, most first",
        "first_date": "date of their first comment (runs with a date column)",
        "last_date": "date of their latest comment (runs with a date column)",
        "mean_sentiment": "mean sentiment_score of their comments",
        "last_sentiment": "sentiment_score of their latest comment",
        "sentiment_trend": "slope of sentiment_score per occasion (a day), in date order",
        "at_risk": "sentiment worsening: see miner.customers",
        "sentiment_scores": "sentiment_score of each comment, in date order",
    }
)
OPTIONAL_CUSTOMER_COLUMNS = frozenset({"first_date", "last_date"})
# Orders of the customer list: most comments, at risk first, latest comment first.
CUSTOMER_SORTS = ("volume", "at_risk", "recent", "cocreator")

MAP_COLUMNS = MappingProxyType(
    {
        "batch": "the comment's batch (runs with appended batches)",
        "row_id": "the comment's row in documents.parquet (distinct analysed comments)",
        "question": "the comment's question (surveys with several open questions)",
        "x": "its place on the map, horizontal",
        "y": "its place on the map, vertical",
    }
)

# Renames from run format 1 (before this module) to the names above, per file.
LEGACY_PIECES_FILE = "segments.parquet"
LEGACY_RENAMES = MappingProxyType(
    {
        PIECES_FILE: {"segment": "piece"},
        THEMES_FILE: {
            "label": "theme_label",
            "parent_id": "area_id",
            "parent_label": "area_label",
            "size": "comments",
        },
        JOBS_FILE: {"label": "job_label", "count": "comments", "themes": "theme_ids"},
    }
)


def key_columns(table) -> list[str]:
    """The columns of ``table`` (a documents, pieces or map table) that key a comment:
    ``row_id``, with ``batch`` and ``question`` when the run has them (in that order)."""
    return [name for name in ("batch", "row_id", "question") if name in table.columns]


def typed_flags(table):
    """An insight table whose yes/no columns (:data:`INSIGHT_FLAGS`) are boolean, even
    with no rows: an empty table's columns are ``object``, and ``table[table["flagged"]]``
    then selects columns, not rows (a run whose dates all fall in one period)."""
    for column in INSIGHT_FLAGS:
        if column in table.columns and table[column].dtype == object:
            table[column] = table[column].fillna(False).astype(bool)
    return table


def counted(n: int, noun: str) -> str:
    """``1 comment``, ``2,000 comments``: a count with its noun in the right number."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
