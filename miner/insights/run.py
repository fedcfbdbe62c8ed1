"""A run's insights: the columns that describe each comment, and the tables they give.

- :func:`choose_columns`: the date, segment and score columns, each given (and checked:
  E103 for an unknown name) or detected when obvious (:func:`detect_columns`), with
  the reason, so ``miner fit`` can print the choice;
- :func:`describe_comments`: those columns read per row: each comment's ``period``,
  its ``score`` as a number, the value of each segment (a numeric one binned into
  ``<column>_band``). A date or score that cannot be read is null for its row and
  counted, never a failure;
- :func:`add_insights`: a fitted run with its insight tables (trends per theme, area
  and job; emerging and fading themes; segment summary and lifts; score drivers) and
  run.json's record of what was computed from which columns, and how.

Only tables whose input column exists are computed: no date, no trends. Pure
functions of tables: nothing here loads a model, and the bootstrap is seeded.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from miner import schema
from miner.errors import InvalidConfig
from miner.ingest import check_column, text_parts
from miner.insights.columns import (
    SCORE_RANGES,
    choose_period,
    customer_ids,
    detect_columns,
    distinct_parts,
    filled_cells,
    is_rating,
    multi_value_separator,
    parse_dates,
    parse_score,
    period_labels,
    segment_values,
)
from miner.insights.columns import (
    score_type as guess_score_type,
)
from miner.insights.drivers import (
    against_sentiment_line,
    contributions,
    drivers,
    score_line,
    score_summary,
    sentiment_agreement,
)
from miner.insights.emerging import DEFAULT_RECENT, emerging
from miner.insights.segments import score_with_interval, segment_summary, segments
from miner.insights.stats import (
    DEFAULT_ALPHA,
    DEFAULT_MIN_LIFT,
    DEFAULT_MIN_N,
    customer_repeats,
    respondent_key,
    themed,
)
from miner.insights.trends import period_counts, trend_table
from miner.tables import attach_input

DEFAULT_RESAMPLES = 1000
# ``--date-col none`` (and the same for segments and score): no such column, none detected.
NONE = "none"
# A segment column with more distinct values than this is left out (an id, free text).
MAX_GIVEN_SEGMENT_VALUES = 100
# Keys of the working table the insight functions read (spaces: never an input name).
_DATE, _SCORE, _CUSTOMER = "comment date", "comment score", "customer id"

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class CommentColumns:
    """The input columns that describe a comment, and why each was chosen.

    ``reasons`` maps each chosen column to ``given`` or ``detected: <why>``;
    ``left_out`` maps a segment column that cannot be one (too many values) to why.
    """

    date_col: str | None = None
    segment_cols: tuple[str, ...] = ()
    score_col: str | None = None
    score_type: str | None = None
    reasons: Mapping[str, str] = field(default_factory=dict)
    left_out: Mapping[str, str] = field(default_factory=dict)
    # No score column, and one that looks like a 0-10 question's answers: suggested.
    score_hint: str | None = None
    # Dates of numbers read day first (True), month first (False), or as the column's
    # values say (None: :func:`miner.insights.columns.date_order`); ``--date-order``.
    dayfirst: bool | None = None
    # The score's scale read the other way round (``--score-reversed``: its lowest value
    # is the best answer, as the NHS Friends and Family Test's 1 = "very good").
    score_reversed: bool = False

    def meta(self) -> dict:
        """What run.json records about the columns."""
        return {
            "date_col": self.date_col,
            "segment_cols": list(self.segment_cols),
            "score_col": self.score_col,
            "score_type": self.score_type,
            **({"score_reversed": True} if self.score_reversed else {}),
            "columns_chosen": dict(self.reasons),
            **({"columns_left_out": dict(self.left_out)} if self.left_out else {}),
        }

    def lines(self) -> list[str]:
        """The choice, for the user: one line per role that has a column."""
        lines = []
        if self.date_col:
            lines.append(f"Date column '{self.date_col}' ({self.reasons[self.date_col]})")
        elif self.dayfirst is not None:
            lines.append("No date column: --date-order has no dates to read")
        if self.segment_cols:
            names = ", ".join(f"'{c}' ({self.reasons[c]})" for c in self.segment_cols)
            lines.append(f"Segment columns {names}")
        for column, why in self.left_out.items():
            lines.append(f"Segment column '{column}' left out: {why}")
        if self.score_col:
            low, high = SCORE_RANGES.get(self.score_type, (0, 0))
            turned = (
                f", turned round ({low:g} read as {high:g}: its lowest value is the best)"
                if self.score_reversed
                else ""
            )
            lines.append(
                f"Score column '{self.score_col}', type {self.score_type}{turned} "
                f"({self.reasons[self.score_col]})"
            )
        elif self.score_hint:
            lines.append(
                f"No score column: '{self.score_hint}' holds whole numbers 0-10, as the "
                f"answers to a 0-10 question do; --score-col {self.score_hint} reads it as "
                "a score (NPS; --score-type numeric for its mean)"
            )
        return lines


# A given date column with this many filled cells, none of them a date, is refused.
NO_DATES_MIN_CELLS = 20


def _refuse_a_score_column_without_scores(
    values: pd.Series, scores: pd.Series, name: str, kind: str | None
) -> None:
    """E108 for a score column given that holds no score of its type (20 filled cells
    at least): `--score-col plan` had run a whole fit to say "No drivers: no valid
    numeric score in 'plan'" and 1,500 unreadable cells."""
    filled = filled_cells(values)
    if len(filled) < NO_DATES_MIN_CELLS or scores.notna().any():
        return
    raise InvalidConfig(
        f"score column '{name}' holds no {kind or 'numeric'} scores (none of its "
        f"{len(filled):,} filled cells reads as one, e.g. '{str(filled.iloc[0])[:40]}'): "
        "give the column of scores with --score-col (--score-type good_bad reads two "
        "values such as Good/Bad, yes/no), or --score-col none"
    )


def _refuse_a_date_column_without_dates(values: pd.Series, name: str, dayfirst) -> None:
    """E108 for a date column given whose first 2,000 filled cells (20 at least) hold
    no date: a free-text column given as the date (`--date-col Q3`) had been taken,
    every cell "could not be read", and the run had no trends."""
    filled = filled_cells(values.head(2000))
    if len(filled) < NO_DATES_MIN_CELLS:
        return
    if parse_dates(filled, dayfirst=dayfirst).values.notna().any():
        return
    raise InvalidConfig(
        f"date column '{name}' holds no dates (none of its {len(filled):,} first filled "
        f"cells reads as one, e.g. '{str(filled.iloc[0])[:40]}'): give the column of dates "
        "with --date-col, or --date-col none"
    )


def choose_columns(
    frame: pd.DataFrame,
    text_col: str | None = None,
    id_col: str | None = None,
    date_col: str | None = None,
    segment_cols: Sequence[str] | None = None,
    score_col: str | None = None,
    score_type: str | None = None,
    detect: bool = False,
    date_order: str | None = None,
    score_reversed: bool = False,
) -> CommentColumns:
    """The date, segment and score columns of ``frame``.

    A given name is checked (case-insensitive fallback; unknown: ``ColumnNotFound``,
    E103); ``"none"`` means no such column. With ``detect``, a role not given is
    detected when obvious (:func:`detect_columns`; the text and id columns never
    are). A score column's type is ``score_type`` when given, else read from its name
    and values (:func:`score_type`); ``score_reversed`` reads a scale of known ends
    (nps, csat, rating) the other way round. A segment column with more than
    ``MAX_GIVEN_SEGMENT_VALUES`` distinct values is left out (and said so).
    """
    if score_type is not None and score_type not in schema.SCORE_TYPES:
        raise InvalidConfig(
            f"score type '{score_type}' is not one of {', '.join(schema.SCORE_TYPES)}"
        )
    dayfirst = check_date_order(date_order)
    reasons: dict[str, str] = {}

    def given(name: str | None, role: str) -> str | None:
        if name is None or name.casefold() == NONE:
            return None
        column = check_column(frame, name, role)
        reasons[column] = "given"
        return column

    date = given(date_col, "date")
    if date is not None:
        _refuse_a_date_column_without_dates(frame[date], date, dayfirst)
    score = given(score_col, "score")
    wanted = [c for c in segment_cols or () if c.casefold() != NONE]
    segment_list = [given(c, "segment") for c in dict.fromkeys(wanted)]
    for role, column in (("date", date), ("score", score), *(("segment", c) for c in segment_list)):
        if text_col is not None and column == text_col:  # its cells would be "unreadable"
            raise InvalidConfig(
                f"'{column}' is the text column; it cannot also be the {role} column"
            )
    # A joined text column's parts are text too ("Review Title+Review Content": its
    # title had been detected as a segment and held fixed, every driver's effect 0).
    # Read before the join too: once joined, the frame holds a column of the joined name
    # and its parts had been segments again ("cancel_reason+Anything else?").
    columns = [c for c in frame.columns if c != text_col]
    parts = text_parts(text_col, columns) if text_col else []
    names = set(map(str, frame.columns))
    parts = [part for part in parts if part in names]
    taken = tuple(c for c in (text_col, *parts, id_col, date, score, *segment_list) if c)
    found = detect_columns(frame, exclude=taken) if detect else None
    if found is not None:
        if date_col is None and found.date:
            date = found.date
            reasons[date] = f"detected: {found.reasons[date]}"
        if score_col is None and found.score:
            score, score_type = found.score, score_type or found.score_kind
            reasons[score] = f"detected: {found.reasons[score]}"
        if segment_cols is None:
            for column in found.segments:
                if column not in (date, score):
                    segment_list.append(column)
                    reasons[column] = f"detected: {found.reasons[column]}"
            near = {c: why for c, why in found.near_segments.items() if c not in (date, score)}
    if score is not None and score_type is None:
        score_type, why = guess_score_type(frame[score], score)
        reasons[score] = f"{reasons[score]}; {why}"
    kept, left_out = [], dict(near) if found is not None and segment_cols is None else {}
    scores = parse_score(frame[score], score_type or "numeric").values if score else None
    if score is not None and reasons[score].startswith("given"):
        _refuse_a_score_column_without_scores(frame[score], scores, score, score_type)
    for column in segment_list:
        values = segment_values(frame[column], column)[0].values
        distinct = values.nunique()
        if separator := multi_value_separator(values):  # tags: each value once
            distinct = len(distinct_parts(values, separator))
        # A detected column that is the score grouped (Qualtrics' Q1_NPS_GROUP): held
        # fixed beside the themes it would leave every driver's effect at 0.
        grouped = scores is not None and score_determines(scores, values)
        if reasons[column] != "given" and grouped:
            left_out[column] = (
                f"it follows the score '{score}' (one value for each score, as promoters, "
                "passives and detractors do), so it says nothing the score does not"
            )
        elif distinct > MAX_GIVEN_SEGMENT_VALUES:
            left_out[column] = (
                f"{distinct:,} distinct values; a segment has at most {MAX_GIVEN_SEGMENT_VALUES}"
            )
        else:
            kept.append(column)
    hint = found.score_hint if found is not None and score is None and score_col is None else None
    if date is not None and dayfirst is not None:
        order = re.split(r", (?:day|month) first", reasons[date])[0]
        reasons[date] = f"{order}, {'day' if dayfirst else 'month'} first (--date-order)"
    if score_reversed and (score is None or score_type not in SCORE_RANGES):
        raise InvalidConfig(
            "--score-reversed turns round a score of known ends (nps 0-10, csat and rating "
            "1-5): "
            + (
                "give the score column with --score-col"
                if score is None
                else f"'{score}' is read as {score_type}; turn its values round in the file"
            )
        )
    return CommentColumns(
        date, tuple(kept), score, score_type, reasons, left_out, hint, dayfirst, score_reversed
    )


DATE_ORDERS = {"auto": None, "day-first": True, "month-first": False}


def check_date_order(date_order: str | None) -> bool | None:
    """``--date-order`` as :attr:`CommentColumns.dayfirst` (E108 when unknown)."""
    if date_order is None:
        return None
    if date_order not in DATE_ORDERS:
        raise InvalidConfig(f"date order '{date_order}' is not one of {', '.join(DATE_ORDERS)}")
    return DATE_ORDERS[date_order]


def score_determines(scores: pd.Series, values: pd.Series) -> bool:
    """Whether each score has one value of ``values`` (the score grouped, as Qualtrics'
    ``Q1_NPS_GROUP`` is), over at least three scores and two values."""
    pairs = pd.DataFrame({"score": scores.to_numpy(), "value": values.to_numpy()}).dropna()
    if pairs["score"].nunique() < 3 or pairs["value"].nunique() < 2:
        return False
    return bool(pairs.groupby("score")["value"].nunique().max() == 1)


@dataclass(frozen=True)
class Described:
    """The comment columns read per row (index: the frame's), see :func:`describe_comments`.

    ``added``: the documents columns (``period``, ``score``, ``<column>_band``);
    ``dates``: parsed dates (NaT when missing or unreadable); ``scores``: floats
    (NaN when missing or invalid); ``segments``: each segment column's value as
    text (null when missing); ``unreadable``: per column, filled cells that could
    not be read; ``bands``: numeric segment column -> its band column; ``bins``: per
    segment column, the bins of :func:`segment_values` (to read the next chunk alike).
    """

    added: pd.DataFrame
    dates: pd.Series | None
    scores: pd.Series | None
    segments: dict[str, pd.Series]
    period: str | None
    unreadable: dict[str, int]
    bands: dict[str, str]
    bins: dict[str, tuple]
    dayfirst: bool | None = None  # how the dates of numbers were read


def describe_comments(
    frame: pd.DataFrame,
    columns: CommentColumns,
    period: str | None = None,
    rows: np.ndarray | None = None,
    bins: Mapping[str, tuple] | None = None,
) -> Described:
    """Read the comment columns of ``frame``; ``period`` is chosen from the dates of
    ``rows`` (default: all rows) when not given (:func:`choose_period`); ``bins``
    (``Described.bins`` of an earlier chunk) bins numeric segments as that chunk was."""
    check_settings(period, DEFAULT_MIN_N, 0)
    added = pd.DataFrame(index=frame.index)
    unreadable: dict[str, int] = {}
    dates = scores = None
    dayfirst = None
    if columns.date_col:
        parsed = parse_dates(frame[columns.date_col], dayfirst=columns.dayfirst)
        dates, unreadable[columns.date_col] = parsed.values, parsed.invalid
        # The order later readings follow: one given, or one a number above 12 settled
        # (an order guessed from ambiguous dates is guessed again on each reading).
        dayfirst = parsed.dayfirst if parsed.order in ("given", "number") else None
        period = choose_period(dates if rows is None else dates.iloc[rows], period)
        added["period"] = period_labels(dates, period)[0]
    if columns.score_col:
        parsed = parse_score(frame[columns.score_col], columns.score_type or "numeric")
        scores, unreadable[columns.score_col] = parsed.values, parsed.invalid
        if columns.score_reversed:  # its lowest value the best: 1 of 1-5 read as 5
            low, high = SCORE_RANGES[columns.score_type]
            scores = low + high - scores
        added["score"] = scores.astype("float64")
    values, bands, used = {}, {}, {}
    for column in columns.segment_cols:
        parsed, used[column] = segment_values(frame[column], column, (bins or {}).get(column))
        values[column] = parsed.values
        if used[column]:
            bands[column] = f"{column}{schema.SEGMENT_BAND_SUFFIX}"
            added[bands[column]] = parsed.values
            unreadable[column] = parsed.invalid
    return Described(
        added,
        dates,
        scores,
        values,
        period if columns.date_col else None,
        unreadable,
        bands,
        used,
        dayfirst,
    )


def with_comment_columns(documents: pd.DataFrame, frame: pd.DataFrame, added: pd.DataFrame):
    """``documents`` with ``added`` after the contract columns, before the input's own.

    The input's columns are the last ``len(frame.columns)`` of ``documents`` (see
    :func:`miner.tables.attach_input`); they are attached again so a name clashing
    with an added column is kept as ``input_<name>``.
    """
    if not len(added.columns):
        return documents
    own = documents.iloc[:, : documents.shape[1] - frame.shape[1]]
    own = own.drop(columns=[c for c in added.columns if c in own.columns])  # read again
    added = added.set_axis(own.index)
    return attach_input(pd.concat([own, added], axis=1), frame.reset_index(drop=True))


def check_settings(period: str | None, min_n: int, resamples: int) -> None:
    """Raise :class:`InvalidConfig` (E108) for a period, min_n or resamples out of range."""
    if period is not None and period not in schema.PERIODS:
        raise InvalidConfig(f"period '{period}' is not one of {', '.join(schema.PERIODS)}")
    if min_n < 1:
        raise InvalidConfig(f"min_n must be at least 1, got {min_n}")
    if resamples < 0:
        raise InvalidConfig(f"resamples must be 0 or more, got {resamples}")


def add_insights(
    run,
    frame: pd.DataFrame,
    columns: CommentColumns,
    period: str | None = None,
    min_n: int = DEFAULT_MIN_N,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 42,
    progress: Progress = _quiet,
):
    """``run`` (a :class:`miner.persist.Run`) with its insight tables and run.json record.

    ``frame`` is the input (one row per documents row, in order). Adds the documents
    columns of :func:`describe_comments`; computes trends (themes, areas, jobs) and
    emerging/fading themes with a date column, segment summary and lifts with
    segment columns, drivers with a score column; records in ``meta`` the columns
    (:meth:`CommentColumns.meta`) and ``insights``: the files computed, the
    settings, the score, and per column the analysed comments without a value.
    """
    check_settings(period, min_n, resamples)
    documents = run.documents
    analysed = documents["status"].isin(schema.ANALYSED).to_numpy()
    columns = _without_one_value_segments(columns, frame, analysed)
    described = describe_comments(frame, columns, period, np.flatnonzero(analysed))
    documents = with_comment_columns(documents, frame, described.added)
    work = _work_table(documents, frame, described, run.id_col)
    # Several questions: a respondent's score is on each of their answers; scores are
    # counted (NPS, a segment's score and its n) once per respondent.
    once = _score_once(work) if "question" in documents.columns else work
    info: dict = {
        "computed": [],
        "min_n": min_n,
        "analysed": int(analysed.sum()),
        "without": _without(described, columns, analysed),
        "unreadable": described.unreadable,
    }
    if described.bands:
        info["segment_bands"] = described.bands
    tables: dict[str, pd.DataFrame | None] = {}
    areas = theme_areas(run.themes)
    # The same tests over areas (each a group of themes): where themes are too small to
    # test, their area often is not.
    by_area = len(set(areas.values())) > 1
    dated = described.dates is not None and described.dates[analysed].notna().any()
    if dated:
        progress(f"Trends by {described.period}")
        tables["trends"], tables["emerging"], info["trends"], area_flags = _over_time(
            work, areas, described.period, min_n
        )
        info["computed"] += [schema.TRENDS_FILE, schema.EMERGING_FILE]
        if by_area:
            tables["area_emerging"] = area_flags
            info["computed"].append(schema.AREA_EMERGING_FILE)
        if columns.score_col and described.scores is not None:
            info["trends"]["score_by_period"] = _score_by_period(
                once, described.period, columns.score_type or "numeric", min_n
            )
    elif columns.date_col:
        info["not_computed"] = {"trends": f"no readable date in '{columns.date_col}'"}
    # The segment columns as the work table names them (also what drivers hold fixed).
    keys = [_segment_key(c) for c in columns.segment_cols]
    # Columns of several values a cell (tags "api;performance"): a comment in each.
    separators = {c: multi_value_separator(described.segments[c]) for c in columns.segment_cols}
    separators = {c: sep for c, sep in separators.items() if sep}
    multi = {_segment_key(c): sep for c, sep in separators.items()}
    if columns.segment_cols:
        names = dict(zip(keys, columns.segment_cols, strict=True))
        lifts = segments(work, keys, min_n=min_n, multi=multi)
        score = dict(score_col=_SCORE, score_type=columns.score_type or "numeric")
        summary = segment_summary(
            once, keys, min_n=min_n, multi=multi, **(score if columns.score_col else {})
        )
        found = [lifts, summary]
        if by_area:
            found.append(_by_area(segments(work, keys, min_n=min_n, areas=areas, multi=multi)))
            tables["area_segment_lifts"] = found[-1]
            info["computed"].append(schema.AREA_SEGMENTS_FILE)
        for table in found:
            table["segment_column"] = table["segment_column"].map(names)
        tables["segment_lifts"], tables["segment_summary"] = lifts, summary
        info["segments"] = {"alpha": DEFAULT_ALPHA, "min_lift": DEFAULT_MIN_LIFT}
        if separators:
            info["segments"]["multi_valued"] = separators
        info["computed"] += [schema.SEGMENT_SUMMARY_FILE, schema.SEGMENTS_FILE]
    if columns.score_col:
        scored = int(work.loc[analysed, _SCORE].notna().sum())
        if scored:
            kind = columns.score_type or "numeric"
            respondents = run.id_col is None and "question" in documents.columns
            unit = "customers" if run.id_col else "respondents" if respondents else "comments"
            progress(f"Score drivers ({resamples:,} bootstrap resamples of {unit})")
            # The effect holds the segments fixed: a theme common where customers score
            # lower for other reasons is not blamed for their score. Not a segment that
            # is the score grouped (promoters/detractors): it would explain it all.
            grouped = [
                c
                for c in columns.segment_cols
                if score_determines(described.scores, described.segments[c])
            ]
            # Nor another rating ("I feel valued": Strongly agree ... ; a CSAT beside the
            # NPS): an opinion formed by the same experiences the themes tell, it would
            # take up their effect (an engagement survey's Likert items had).
            rated = [
                c
                for c in columns.segment_cols
                if c not in grouped and is_rating(c, described.segments[c])
            ]
            left = set(grouped) | set(rated) | set(separators)
            held = [k for k, c in zip(keys, columns.segment_cols, strict=True) if c not in left]
            settings = dict(
                id_col=_CUSTOMER if run.id_col else None,
                n_boot=resamples,
                seed=seed,
                min_n=min_n,
                held=held,
            )
            # Several questions: one row per respondent, with the themes of all their
            # answers (a respondent's score is theirs, not each answer's).
            scored = _by_respondent(work) if "question" in documents.columns else work
            tables["drivers"] = drivers(scored, _SCORE, kind, **settings)
            if by_area:
                tables["area_drivers"] = _by_area(
                    drivers(scored, _SCORE, kind, areas=areas, **settings)
                )
                info["computed"].append(schema.AREA_DRIVERS_FILE)
            # The drivers' base: each respondent once, on an answer in English (their
            # first answer in Polish had left 38 of them out of the figure said to be
            # the drivers').
            summary = score_summary(
                _score_once(work, themed_only=True) if once is not work else work,
                _SCORE,
                kind,
                min_n=min_n,
            )
            summary["invalid"] = described.unreadable[columns.score_col]
            every = score_summary(
                _score_once(work, every_row=True) if once is not work else work,
                _SCORE,
                kind,
                min_n=min_n,
                every_row=True,
            )
            if every["n"] > summary["n"]:
                # Rows with a score but no comment analysed (blank, "n/a", another
                # language): the survey's own score counts them.
                summary["all_score"], summary["all_n"] = every["score"], every["n"]
            info["drivers"] = {
                "score": _plain(summary),
                "score_type": kind,
                "resamples": resamples,
                "resample_unit": unit,
                "seed": seed,
                "level": 0.95,
                "held_fixed": [c for c in columns.segment_cols if c not in left],
            }
            if "question" in documents.columns:
                info["drivers"]["score_unit"] = "respondents"
            if "sentiment_score" in documents.columns:
                analysed_rows = work["status"].isin(schema.ANALYSED).to_numpy()
                agreement = sentiment_agreement(
                    work[_SCORE][analysed_rows], documents["sentiment_score"][analysed_rows]
                )
                if agreement:
                    info["drivers"]["sentiment_agreement"] = agreement
            not_held = {c: f"it follows the score '{columns.score_col}'" for c in grouped}
            not_held |= {
                c: "it is a rating too, formed by the experiences the themes tell: held "
                "fixed it would take up their effect"
                for c in rated
            }
            not_held |= {
                c: f"a cell holds several of its values ('{sep}')"
                for c, sep in separators.items()
                if c not in not_held
            }
            if not_held:
                info["drivers"]["not_held"] = not_held
            info["computed"].append(schema.DRIVERS_FILE)
        else:
            info.setdefault("not_computed", {})["drivers"] = (
                f"no valid {columns.score_type} score in '{columns.score_col}'"
            )
    meta = {**run.meta, **columns.meta(), "insights": info}
    if described.dayfirst is not None:
        # The order every later reading of the dates follows (roadmap, search, the
        # customers page, scoring with this run's model).
        meta["date_dayfirst"] = described.dayfirst
    tables = {name: schema.typed_flags(table) for name, table in tables.items()}
    return dataclasses.replace(run, documents=documents, meta=meta, **tables)


def input_start(documents: pd.DataFrame, meta: Mapping) -> int:
    """Where the input's own columns start in a run's ``documents``: after the
    contract's (and the segment bands'), see :func:`miner.tables.attach_input`."""
    bands = set((meta.get("insights") or {}).get("segment_bands", {}).values())
    contract = {*schema.DOCUMENT_KEYS, *schema.DOCUMENT_COLUMNS, *bands}
    names = list(documents.columns)
    return next((i for i, name in enumerate(names) if name not in contract), len(names))


def input_frame(documents: pd.DataFrame, meta: Mapping) -> pd.DataFrame:
    """The input's own columns of a run's ``documents``, under their input names.

    They are the columns after the contract's (:func:`miner.tables.attach_input`); a
    name that clashed with a contract column (kept as ``input_<name>``) gets its own
    name back, so ``meta``'s column names (``date_col``...) find them.
    """
    names = list(documents.columns)
    start = input_start(documents, meta)
    own, renamed = set(names[:start]), []
    for name in names[start:]:
        original = name
        while original.startswith("input_") and original[len("input_") :] in own | set(renamed):
            original = original[len("input_") :]
        renamed.append(original)
    frame = documents.iloc[:, start:].reset_index(drop=True)
    return frame.set_axis(renamed, axis=1)


def refresh_insights(run):
    """``run`` with its insight tables computed again from its documents, with the
    columns and settings its ``meta`` records (after rows left it: ``miner forget``).
    A run without insights is returned as it is."""
    meta = run.meta
    info = meta.get("insights")
    if not info:
        return run
    columns = CommentColumns(
        date_col=meta.get("date_col"),
        segment_cols=tuple(meta.get("segment_cols") or ()),
        score_col=meta.get("score_col"),
        score_type=meta.get("score_type"),
        reasons=meta.get("columns_chosen") or {},
        left_out=meta.get("columns_left_out") or {},
        dayfirst=meta.get("date_dayfirst"),  # the fit's order, given or settled
        score_reversed=bool(meta.get("score_reversed")),
    )
    documents = run.documents.reset_index(drop=True)
    empty = dict.fromkeys(schema.INSIGHT_TABLES.values())
    return add_insights(
        dataclasses.replace(run, documents=documents, **empty),
        input_frame(documents, meta),
        columns,
        period=(info.get("trends") or {}).get("period"),
        min_n=info.get("min_n", DEFAULT_MIN_N),
        resamples=(info.get("drivers") or {}).get("resamples", DEFAULT_RESAMPLES),
        seed=meta.get("seed", 42),
    )


def _work_table(documents, frame, described: Described, id_col: str | None) -> pd.DataFrame:
    """What the insight functions read: status, themes, sentiment, jobs and the values."""
    keep = [
        "batch", "row_id", "status", "language", "theme_id", "theme_ids", "sentiment", "job_id"
    ]  # fmt: skip
    work = documents[[c for c in keep if c in documents.columns]].copy()
    values = {}
    if described.dates is not None:
        values[_DATE] = described.dates
    if described.scores is not None:
        values[_SCORE] = described.scores
    for column, series in described.segments.items():
        values[_segment_key(column)] = series
    if id_col is not None and id_col in frame.columns:
        values[_CUSTOMER] = customer_ids(frame[id_col])
    for key, series in values.items():
        work[key] = series.to_numpy()
    if _CUSTOMER in values and "masked_text" in documents.columns and "status" in work:
        # A customer's word-for-word repeat counts once (:func:`customer_repeats`).
        repeats = customer_repeats(work["status"], values[_CUSTOMER], documents["masked_text"])
        work.loc[repeats, "status"] = REPEAT
    return work


# The work table's status of a customer's repeat: not analysed again.
REPEAT = "repeat"


def _without_one_value_segments(
    columns: CommentColumns, frame: pd.DataFrame, analysed: np.ndarray
) -> CommentColumns:
    """``columns`` without a detected segment column that holds one value over the
    analysed comments (a survey's ``Finished``, True wherever there is an answer): it
    compares nothing. Left out and said so (``columns_left_out``); a given one stays."""
    single = [
        column
        for column in columns.segment_cols
        if columns.reasons.get(column, "").startswith("detected")
        and segment_values(frame[column], column)[0].values[analysed].nunique() < 2
    ]
    if not single:
        return columns
    why = "one value over the analysed comments: it compares nothing"
    return dataclasses.replace(
        columns,
        segment_cols=tuple(c for c in columns.segment_cols if c not in single),
        left_out={**columns.left_out, **{c: why for c in single}},
    )


def _score_by_period(once: pd.DataFrame, period: str, kind: str, min_n: int) -> list[dict]:
    """The score of each period (NPS, else the mean) of the analysed comments with a
    score, each respondent once (``once``), with its 95% interval and n; None below
    ``min_n`` scored comments. An engagement survey's eNPS wave by wave had been found
    only by fitting each wave on its own."""
    rows = once[once["status"].isin(schema.ANALYSED)]
    labels, table = period_labels(rows[_DATE], period)
    codes = pd.Categorical(labels, categories=table["period"]).codes.astype(np.int64)
    y = contributions(pd.to_numeric(rows[_SCORE], errors="coerce").to_numpy(), kind)
    found = score_with_interval(y, codes, len(table), min_n)
    out = []
    for i, name in enumerate(table["period"]):
        value = found["score"][i]
        out.append(
            {
                "period": str(name),
                "score": None if np.isnan(value) else round(float(value), 4),
                "low": None if np.isnan(value) else round(float(found["score_low"][i]), 4),
                "high": None if np.isnan(value) else round(float(found["score_high"][i]), 4),
                "n": int(found["score_n"][i]),
            }
        )
    return out


def _score_once(
    work: pd.DataFrame, every_row: bool = False, themed_only: bool = False
) -> pd.DataFrame:
    """``work`` with each respondent's (``row_id``) score kept on one row only: their
    first analysed answer (``every_row``: their first row; ``themed_only``: their first
    answer in the language themes read, as the drivers count respondents), NaN on the
    others."""
    if _SCORE not in work.columns:
        return work
    if every_row:
        rows = work
    else:
        rows = themed(work) if themed_only else work[work["status"].isin(schema.ANALYSED)]
    first = ~respondent_key(rows).duplicated()
    keep = pd.Series(False, index=work.index)
    keep[rows.index[first.to_numpy()]] = True
    once = work.copy()
    once.loc[~keep, _SCORE] = np.nan
    return once


def _by_respondent(work: pd.DataFrame) -> pd.DataFrame:
    """The analysed rows of a survey of several questions as one row per respondent
    (``row_id``): their first answer's values, and in ``theme_ids`` every theme their
    answers mention (first answer's first); answers in the language themes read only
    (:func:`miner.insights.stats.themed`), as the drivers count them."""
    rows = themed(work)
    if rows.empty:
        return rows
    themes: dict = {}
    lists = rows["theme_ids"] if "theme_ids" in rows.columns else [None] * len(rows)
    who = respondent_key(rows)
    for respondent, main, cell in zip(who, rows["theme_id"], lists, strict=True):
        mentioned = themes.setdefault(respondent, [])
        blank = cell is None or isinstance(cell, float) or not len(cell)
        listed = [] if blank else [int(t) for t in cell]
        for theme in listed or ([int(main)] if main >= 0 else []):
            if theme not in mentioned:
                mentioned.append(theme)
    first = rows[~who.duplicated()].copy()
    first["theme_ids"] = [themes[r] for r in who[~who.duplicated()]]
    return first.reset_index(drop=True)


def _segment_key(column: str) -> str:
    return f"segment {column}"


def _without(described: Described, columns: CommentColumns, analysed: np.ndarray) -> dict:
    """Analysed comments without a value, per column (unreadable ones included)."""
    missing = {}
    if described.dates is not None:
        missing[columns.date_col] = int(described.dates[analysed].isna().sum())
    if described.scores is not None:
        missing[columns.score_col] = int(described.scores[analysed].isna().sum())
    for column, series in described.segments.items():
        missing[column] = int(series[analysed].isna().sum())
    return missing


def theme_areas(themes: pd.DataFrame) -> dict[int, int]:
    """Theme id -> area id of the themes in an area (empty when themes are the areas)."""
    return {
        int(t): int(a)
        for t, a in zip(themes["theme_id"], themes.get("area_id", []), strict=False)
        if t >= 0 and a >= 0
    }


def _by_area(table: pd.DataFrame) -> pd.DataFrame:
    """A table computed with ``areas``, its group column named ``area_id``."""
    return table.rename(columns={"theme_id": "area_id"})


def _over_time(work: pd.DataFrame, areas: Mapping[int, int], period: str, min_n: int):
    """Trends of themes, areas and jobs (one long table), the emerging table of themes,
    its record, and the emerging table of areas (None without areas)."""
    levels = {"theme": {}}
    if areas:
        levels["area"] = {"areas": areas}
    if "job_id" in work.columns:
        levels["job"] = {}
    parts, found = [], {}
    for level, extra in levels.items():
        by = schema.TREND_LEVELS[level]
        counts = found[level] = period_counts(work, _DATE, period, by=by, **extra)
        table = trend_table(counts, min_n).rename(columns={by: "group_id"})
        table.insert(0, "level", level)
        parts.append(table)
    trends = pd.concat(parts, ignore_index=True)[list(schema.TREND_COLUMNS)]
    theme_counts = found["theme"]
    flags = emerging(work, _DATE, period, min_n=min_n, counts=theme_counts)
    area_flags = (
        emerging(work, _DATE, period, min_n=min_n, counts=found["area"])
        if "area" in found
        else None
    )
    periods = theme_counts.periods
    info = {
        "period": period,
        "periods": len(periods),
        "first": periods["period"].iloc[0] if len(periods) else None,
        "last": periods["period"].iloc[-1] if len(periods) else None,
        "last_incomplete": bool(periods["incomplete"].iloc[-1]) if len(periods) else False,
        "levels": list(levels),
        "test": "Fisher's exact test, two-sided; Benjamini-Hochberg over every test",
        "alpha": DEFAULT_ALPHA,
        "min_lift": DEFAULT_MIN_LIFT,
        "recent": DEFAULT_RECENT,
        "tests": int(flags["p"].notna().sum()),
    }
    if area_flags is not None:
        info["area_tests"] = int(area_flags["p"].notna().sum())
    return trends, flags, info, area_flags


def _plain(values: dict) -> dict:
    """JSON-ready: NumPy scalars as Python numbers, NaN as None."""
    plain = {}
    for key, value in values.items():
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, float) and np.isnan(value):
            value = None
        plain[key] = value
    return plain


def summary_lines(meta: dict) -> list[str]:
    """What ``miner fit`` says about the insights it computed (and what it could not read)."""
    info = meta.get("insights")
    if not info:
        return []
    lines = []
    trends = info.get("trends")
    if trends:
        last = " (last incomplete)" if trends["last_incomplete"] else ""
        lines.append(
            f"Trends by {trends['period']}: {schema.counted(trends['periods'], 'period')}, "
            f"{trends['first']}..{trends['last']}{last}"
        )
    for what, why in info.get("not_computed", {}).items():
        lines.append(f"No {what}: {why}")
    drivers_info = info.get("drivers")
    if drivers_info:
        lines.append(score_line(drivers_info))
        if against := against_sentiment_line(drivers_info):
            lines.append(against)
    missing = {c: n for c, n in info.get("without", {}).items() if n}
    if missing:
        lines.append(
            "Analysed comments without a value (left out of what needs it): "
            + ", ".join(f"{c} {n:,}" for c, n in missing.items())
        )
    unreadable = unreadable_line(info.get("unreadable", {}))
    if unreadable:
        lines.append(unreadable)
    doubt = score_type_doubt(meta)
    if doubt:
        lines.append(doubt)
    return lines


# When more than this share of a score column's filled cells are not valid for its
# type, the type is more likely wrong than the data.
SCORE_DOUBT_SHARE = 0.2


def score_type_doubt(meta: Mapping) -> str:
    """A warning when most of the score's figures rest on a few of its values: more
    than :data:`SCORE_DOUBT_SHARE` of its filled cells are not valid for its type
    ("--score-type csat" on 0-10 answers keeps the unhappy 1-5), else ""."""
    drivers_info = (meta.get("insights") or {}).get("drivers")
    if not drivers_info:
        return ""
    score, kind = drivers_info["score"], drivers_info["score_type"]
    invalid = int(score.get("invalid") or 0)
    filled = invalid + int(score.get("n") or 0)
    if kind not in SCORE_RANGES or not filled or invalid <= SCORE_DOUBT_SHARE * filled:
        return ""
    low, high = SCORE_RANGES[kind]
    return (
        f"{invalid:,} of {filled:,} values of '{meta.get('score_col')}' are not whole "
        f"numbers {low}-{high}, as {kind} scores are: the score rests on the other "
        f"{filled - invalid:,}. Is the type right? (--score-type nps|csat|rating|numeric|good_bad)"
    )


def unreadable_line(unreadable: Mapping[str, int]) -> str:
    """ "Cells that could not be read or were out of range ...: date 3, nps 1" (a score
    outside its scale, a date after today), or "" when every cell was read."""
    counts = {c: int(n) for c, n in unreadable.items() if n}
    if not counts:
        return ""
    return "Cells that could not be read or were out of range (null for their row): " + ", ".join(
        f"{c} {n:,}" for c, n in counts.items()
    )
