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
- ``growth`` (needs a date column): the item's share of the window's comments against
  its share before the window; without ``--since`` the window for this factor is the
  latest 3 periods that hold comments, as in the emerging test (with 3 or fewer, all but
  the first: two survey waves compare the second with the first). With additive
  smoothing (``(comments + 0.5) / (total + 1)`` on both sides), ``ratio = share_window /
  share_before`` and ``low`` the lower end of its one-sided 95% interval (log scale,
  Katz's standard error ``sqrt(1/a - 1/A + 1/b - 1/B)`` of the smoothed counts),
  ``growth = clip(log2(low), 0, 2) / 2``: flat, fading or a rise the comments do not
  show is 0, a rise shown to be 4x or more is 1 (a theme new in the window: "25 of 1,400
  against 0 of 889", at least x3.1; a theme's "14 of 585 against 27 of 1,815", x1.61 but
  at least x0.94, is 0). Before 2026-12-06 growth was the point ratio's, 0 under
  ``min_n`` dated comments unless Fisher's test found the rise: a helper's statistics
  audit found 25 of 54 themes credited with growth from noise. When the window or the
  time before it has fewer than ``min_n`` dated comments (every date in the window:
  nothing before to compare with), growth is not available, as without dates.
- ``negative``: the share of the item's voices negative about it (most of the voice's
  comments about it negative; for a theme, their sentiment about it: the pieces about
  the theme, as the themes table's net sentiment reads them), read with ``min_n`` more
  voices at the list's own share (since 2026-12-06: it was the share of comments, with
  no minimum n).
- ``impact`` (needs a score column): how much the item's comments pull the score
  down, ``-(score - score_without_them)`` (remove and recompute, as the score drivers;
  in a survey of several questions each respondent's score counts once, as the drivers
  count it), read at its one-sided lower end at 95% over the list's m items scored
  (the pull minus z standard errors of the difference of the two means, Welch, z the
  1 - 0.05/m normal quantile, 1.645 for one item; 0 when that is not a pull: since
  2026-12-07, as growth is read; Bonferroni since session 43), divided by the largest
  such pull in the list or by 1% of the score's standard deviation when that is larger
  (a small pull is not the full weight because it is the list's only one); 0 when
  the item has fewer than ``min_n`` comments (respondents) with a score, and for a theme
  or area whose pull is gone once the segments are held fixed (the score drivers'
  effect not below 0 at its 95% interval's upper end: :func:`_held_fixed`).
- ``opportunity``: for a job, its ODI opportunity (``importance + max(importance -
  satisfaction, 0)``, 0..20) divided by 20; for a theme, the voice-weighted mean
  opportunity of the jobs its comments state, divided by 20 (0 when none), times
  ``min(1, voices stating a job / min_n)`` (since 2026-12-06).

``priority = sum(w_f * x_f) / sum(w_f)`` over the factors the run has (a run without a
date has no growth, without a score no impact: such a factor is "not available" and
left out of both sums), so a priority is 0..1. Each factor's **contribution** is
``w_f * x_f / sum(w_f)``; the contributions add up to the priority ("why it ranks
here"). Ties: more voices first, then the lower id.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from miner import schema
from miner.errors import ColumnNotFound, InvalidConfig
from miner.insights.columns import (
    AGE_NAME,
    ID_NAME,
    NUMERIC_DATE,
    customer_ids,
    parse_amounts,
    parse_dates,
    period_labels,
)
from miner.insights.drivers import contributions
from miner.insights.stats import DEFAULT_MIN_N, analysed, customer_repeats, mentions
from miner.jobs.cluster import importance_scores, opportunity_scores, satisfaction_scores
from miner.language import is_default_language
from miner.persist import Run

FACTORS = ("volume", "growth", "negative", "impact", "opportunity")
# The one-sided 95% normal quantile the impact's pull is read at (its lower end), for one
# item; a list of m items scored reads each at 1 - 0.05 / m (Bonferroni): at 95% for one
# item each, 80% of an audit's pure-noise surveys (no theme moves the score) had given
# some theme of ~50 an impact, and the list's first place ("a 0.6-point pull").
IMPACT_Z = 1.6449
IMPACT_ALPHA = 0.05
# A pull counts in full from this share of the score's standard deviation (about 0.8
# NPS points, 0.01 stars of a 1-5 rating of spread 1.2), in proportion below it: the
# factor had been each pull / the list's largest, so a list's only pull, however small,
# took the full weight a survey's real driver takes.
IMPACT_FULL_SD = 0.01

# Every factor counts the same by default: no factor is favoured before evidence that
# it should be. Override with ``--weights volume=1,growth=2`` or a TOML file.
DEFAULT_WEIGHTS = MappingProxyType(dict.fromkeys(FACTORS, 1.0))

# Factors that need an input column; the others are always available.
NEEDS = MappingProxyType({"growth": "date", "impact": "score"})

GROWTH_CAP_LOG2 = 2.0  # a 4x rise in share gives the full growth factor
SMOOTHING = 0.5  # added to counts (and twice to totals) before a share is compared
GROWTH_Z = 1.645  # growth counts the rise shown at one-sided 95% (its interval's lower end)
RECENT_PERIODS = 3  # growth window without --since: the latest 3 periods with comments
ODI_MAX = 20.0  # importance (0..10) + max(importance - satisfaction, 0) (0..10)


# ------------------------------------------------------------------ the computation
# The rest of this module computes the definition above from a loaded run; nothing
# below changes a weight or a formula.

LEVELS = ("theme", "job", "area")
# The column that names an item's group in documents.parquet, per list.
GROUP_COLUMNS = MappingProxyType({"theme": "theme_id", "job": "job_id"})


def parse_weights(spec: str | Path | None) -> dict[str, float]:
    """:data:`DEFAULT_WEIGHTS` updated by ``volume=1,growth=2`` or a TOML file.

    The TOML file holds ``factor = weight`` lines, at the top or under ``[weights]``.
    An unknown factor, a weight that is not a number >= 0: ``InvalidConfig`` (E108).
    """
    weights = dict(DEFAULT_WEIGHTS)
    if spec is None or str(spec).strip() == "":
        return weights
    given: dict = {}
    path = Path(str(spec))
    if str(spec).endswith(".toml") or (path.suffix and path.is_file()):
        try:
            data = tomllib.loads(path.read_text())
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InvalidConfig(f"cannot read the weights file '{spec}': {exc}") from exc
        given = data.get("weights", data)
    else:
        for part in str(spec).split(","):
            name, sep, value = part.partition("=")
            if not sep:
                raise InvalidConfig(
                    f"weights: '{part.strip()}' is not factor=number; e.g. volume=1,growth=2"
                )
            given[name.strip()] = value.strip()
    for name, value in given.items():
        if name not in FACTORS:
            raise InvalidConfig(f"unknown weight '{name}'; the factors are: {', '.join(FACTORS)}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InvalidConfig(f"weight of '{name}' must be a number, got '{value}'") from None
        if not np.isfinite(number) or number < 0:
            raise InvalidConfig(f"weight of '{name}' must be 0 or more, got {value}")
        weights[name] = number
    return weights


def parse_since(
    since: str | date | None, dayfirst: bool = False, order_known: bool = True
) -> pd.Timestamp | None:
    """``--since`` as a day (``2026-09-01``; ``01/03/2026`` day first when ``dayfirst``,
    as the run's own dates are written); an unreadable date: ``InvalidConfig``, and so
    is a date of numbers whose order nothing settles (``01/10/2026`` when the run's dates
    are ISO, or ``order_known`` is False: 1 October or 10 January)."""
    if since is None or (isinstance(since, str) and not since.strip()):
        return None
    numeric = NUMERIC_DATE.match(since.strip()) if isinstance(since, str) else None
    if numeric and not order_known:
        first, second = int(numeric.group(1)), int(numeric.group(3))
        if first != second and max(first, second) <= 12:
            year = numeric.group(4)
            raise InvalidConfig(
                f"--since '{since}' could be {year}-{second:02d}-{first:02d} or "
                f"{year}-{first:02d}-{second:02d}, and the run's dates do not say which "
                "order it writes: give it as YYYY-MM-DD"
            )
    try:
        if dayfirst and isinstance(since, str) and NUMERIC_DATE.match(since.strip()):
            since = pd.to_datetime(since.strip(), dayfirst=True)
        stamp = pd.Timestamp(since)
    except (TypeError, ValueError) as exc:
        raise InvalidConfig(f"--since '{since}' is not a date; write it as 2026-09-01") from exc
    if pd.isna(stamp):
        raise InvalidConfig(f"--since '{since}' is not a date; write it as 2026-09-01")
    return stamp.tz_localize(None) if stamp.tzinfo else stamp


def input_column(run: Run, name: str, role: str) -> str:
    """The documents column holding the input column ``name`` (kept as ``input_<name>``
    when its name clashes with a contract column); ``ColumnNotFound`` when absent."""
    column = run.input_column(name)
    if column in run.documents.columns:
        return column
    inputs = [c for c in run.documents.columns if c not in schema.DOCUMENT_COLUMNS]
    raise ColumnNotFound(
        f"{role} column '{name}' is not in this run's documents; its input columns are: "
        + ", ".join(inputs)
    )


@dataclass(frozen=True)
class Window:
    """The analysed comments and the window the factors are computed over.

    ``documents``: analysed comments (positions 0..n-1); ``dates``: their dates (None
    without a date column); ``inside``: in the window (from ``since``, else all);
    ``growth_start``: the first day of growth's window (``since``, else the first day of
    the latest :data:`RECENT_PERIODS` periods); ``voice``: each comment's voice (its
    customer id, else itself); ``min_n``: the run's.
    """

    documents: pd.DataFrame
    dates: pd.Series | None
    inside: np.ndarray
    since: pd.Timestamp | None
    growth_start: pd.Timestamp | None
    voice: np.ndarray
    min_n: int
    # members() by level, job_themes() and the value column's amounts, worked out once
    # per window (a feed asks for them often).
    _members: dict = field(default_factory=dict, repr=False, compare=False)
    # The comments left out by --leave-out: column, values and how many.
    without: list = field(default_factory=list)


def parse_leave_out(specs) -> dict[str, list[str]]:
    """``--leave-out COLUMN=VALUE[,VALUE...]`` (repeatable) as column -> values (E108
    when malformed)."""
    found: dict[str, list[str]] = {}
    for spec in specs or ():
        column, sep, values = str(spec).partition("=")
        # A comma before three digits is a thousands separator: "arr=18,000" is one value.
        names = [v.strip() for v in re.split(r",(?!\d{3}(?:[^\d]|$))", values) if v.strip()]
        if not sep or not column.strip() or not names:
            raise InvalidConfig(
                f"--leave-out '{spec}' is not COLUMN=VALUE[,VALUE...] (e.g. status=complete,closed)"
            )
        found.setdefault(column.strip(), []).extend(names)
    return found


# The app offers a column's values to leave out when it has at most this many.
LEAVE_OUT_VALUES = 30


def _own_columns(run: Run) -> pd.DataFrame:
    """The run's input columns under their input names, without the columns the fit
    read as text, date, score or customer id."""
    from miner.insights.run import input_frame

    frame = input_frame(run.documents, run.meta)
    roles = {run.text_col, run.id_col, run.meta.get("date_col"), run.meta.get("score_col")}
    return frame[[c for c in frame.columns if c not in roles]]


def leave_out_choices(run: Run, most: int = LEAVE_OUT_VALUES) -> dict[str, list[str]]:
    """The input columns whose comments the roadmap can leave out by value (a board's
    status, a source) -> their values, most common first: columns of 2 to ``most``
    distinct filled values, as :func:`window` compares them (case and spaces aside)."""
    choices = {}
    for name, column in _own_columns(run).items():
        nested = column.map(lambda v: isinstance(v, (list, tuple, dict, np.ndarray)))
        if nested.any():  # a list per comment (labels): no one value to leave out
            continue
        values = column.astype("string").str.strip()
        values = values[values.fillna("").ne("") & ~values.str.lower().isin(["nan", "inf", "-inf"])]
        counts = values.groupby(values.str.casefold()).agg(["size", "first"])
        if 2 <= len(counts) <= most:
            counts = counts.sort_values("size", ascending=False, kind="stable")
            choices[str(name)] = counts["first"].tolist()
    return choices


def value_choices(run: Run) -> list[str]:
    """The input columns that can weight voices (``value_col``): filled on half the rows
    at least, 90% of their filled cells amounts, of three values or more (not a 0/1
    flag), not an identifier (named as one, or a different number on every row) nor an
    age."""
    chosen = []
    for name, column in _own_columns(run).items():
        parsed = parse_amounts(column)
        read, distinct = int(parsed.values.notna().sum()), parsed.values.nunique()
        if ID_NAME.search(str(name)) or AGE_NAME.search(str(name)):
            continue
        if distinct < 3 or distinct == read or read < len(column) / 2:
            continue
        if parsed.invalid <= 0.1 * (read + parsed.invalid):
            chosen.append(str(name))
    return chosen


def window(
    run: Run, since: str | date | None = None, leave_out: dict[str, list[str]] | None = None
) -> Window:
    """The comments of ``run`` the roadmap counts, from ``since`` (a date) when given,
    without those whose input column holds a value of ``leave_out`` (a board's ideas
    already shipped: ``{"status": ["complete", "closed"]}``; case and spaces ignored)."""
    documents = analysed(run.documents).reset_index(drop=True)
    if run.id_col and "masked_text" in documents.columns:
        ids = customer_ids(documents[input_column(run, run.id_col, "id")])
        repeats = customer_repeats(documents["status"], ids, documents["masked_text"])
        documents = documents[~repeats].reset_index(drop=True)
    without = []
    for name, values in (leave_out or {}).items():
        column = input_column(run, name, "--leave-out")
        folded = documents[column].astype("string").str.strip().str.casefold()
        gone = folded.isin({v.casefold() for v in values}).fillna(False).to_numpy()
        without.append({"column": name, "values": list(values), "comments": int(gone.sum())})
        documents = documents[~gone].reset_index(drop=True)
    date_col = run.meta.get("date_col")
    dates, dayfirst, order_known = None, False, True
    if date_col:
        written = documents[input_column(run, date_col, "date")]
        parsed = parse_dates(written, dayfirst=run.meta.get("date_dayfirst"))
        dates, dayfirst = parsed.values, parsed.dayfirst
        dates = dates.dt.tz_localize(None) if dates.dt.tz is not None else dates
        # Only dates of numbers (03/04/2026) say in which order a --since is written.
        order_known = bool(written.astype("string").str.match(NUMERIC_DATE.pattern).any())
    since = parse_since(since, dayfirst, order_known)
    if since is not None and (dates is None or dates.isna().all()):
        raise InvalidConfig(
            "--since needs a run with dates; fit it with --date-col (the column of each "
            "comment's date)"
        )
    inside = np.ones(len(documents), dtype=bool)
    growth_start = since
    if since is not None:
        inside = (dates >= since).fillna(False).to_numpy()
        if not inside.any():
            last = dates.max().date()
            raise InvalidConfig(f"no comment from --since {since.date()}; the last is {last}")
    elif dates is not None and dates.notna().any():
        period = (run.meta.get("insights") or {}).get("trends", {}).get("period") or "month"
        labels, table = period_labels(dates, period)
        # The latest periods that hold comments, leaving one at least before them: two
        # survey waves by quarter (Q1, an empty Q2, Q3) compare Q3 with Q1.
        held = table[table["period"].isin(set(labels.dropna()))]
        recent = min(RECENT_PERIODS, len(held) - 1) if len(held) > 1 else len(held)
        growth_start = held["period_start"].iloc[len(held) - recent] if recent else None
    min_n = int((run.meta.get("insights") or {}).get("min_n", DEFAULT_MIN_N))
    return Window(
        documents,
        dates,
        inside,
        since,
        growth_start,
        _voices(run, documents),
        min_n,
        without=without,
    )


def _voices(run: Run, documents: pd.DataFrame) -> np.ndarray:
    """Each comment's voice: ``c:<customer id>``, or ``r:<row id>`` without one."""
    rows = "r:" + documents["row_id"].astype(str)
    if not run.id_col:
        return rows.to_numpy(dtype=object)
    ids = customer_ids(documents[input_column(run, run.id_col, "id")])
    return ("c:" + ids).fillna(rows).to_numpy(dtype=object)


def voice_values(run: Run, win: Window, value_col: str) -> pd.Series:
    """Each voice's value (``--value-col``): the mean of its valid numbers; a voice
    without one counts the median of the known values. Index: the voice."""
    numbers = _amounts(run, win, value_col).values
    values = numbers.groupby(win.voice).mean()
    known = values.dropna()
    if known.empty:
        raise InvalidConfig(f"--value-col '{value_col}' holds no number")
    return values.fillna(float(known.median()))


def _amounts(run: Run, win: Window, value_col: str):
    """The window's ``value_col`` read as amounts (:func:`parse_amounts`), once per
    window: each list's ranking and the feed's note read them."""
    key = ("amounts", value_col)
    if key not in win._members:
        column = input_column(run, value_col, "value")
        win._members[key] = parse_amounts(win.documents[column])
    return win._members[key]


def value_note(run: Run, win: Window, value_col: str) -> str | None:
    """What a reader of a value-weighted ranking should know: filled cells that hold no
    number (they count as the median), and voices whose rows give different values
    (each counts their mean). None when neither."""
    column = input_column(run, value_col, "value")
    parsed = _amounts(run, win, value_col)
    notes = []
    filled = int(win.documents[column].astype("string").str.strip().fillna("").ne("").sum())
    if filled < len(win.documents):
        notes.append(
            f"{len(win.documents) - filled:,} of {len(win.documents):,} comments have no "
            f"'{value_col}' (a voice with none counts as the median value)"
        )
    if parsed.invalid:
        notes.append(
            f"{parsed.invalid:,} of {filled:,} filled '{value_col}' cells hold no amount "
            "(no number, infinite or below zero) and count as the median value"
        )
    spread = parsed.values.groupby(win.voice).nunique()
    if run.id_col and (spread > 1).any():
        notes.append(
            f"{int((spread > 1).sum()):,} customers have rows of different '{value_col}'; "
            "each counts the mean of theirs (a value per comment, such as votes, needs one "
            "voice per comment: fit without --id-col)"
        )
    return "; ".join(notes) or None


def members(run: Run, win: Window, level: str) -> pd.DataFrame:
    """One row per (analysed comment, item): ``pos`` (into ``win.documents``) and
    ``item`` (theme, job or area id). A comment counts for every theme it mentions, once
    for every area those themes are in, and for the job it states first (``job_id``),
    as the trends count them."""
    if level not in win._members and level == "area":  # a comment once per area
        from miner.insights.run import theme_areas

        pairs = mentions(win.documents, "theme_id", theme_areas(run.themes))
        win._members[level] = pairs.rename(columns={"theme_id": "item"})[["pos", "item"]]
    if level not in win._members:
        column = GROUP_COLUMNS[level]
        if column not in win.documents.columns:
            pairs = pd.DataFrame({"pos": np.empty(0, np.int64), "item": np.empty(0, np.int64)})
        else:
            pairs = mentions(win.documents, column).rename(columns={column: "item"})
        win._members[level] = pairs[["pos", "item"]]
    return win._members[level]


def job_themes(run: Run, win: Window) -> np.ndarray:
    """The theme each window comment's first job is about
    (:func:`miner.insights.views.job_themes`), worked out once per window: the links
    and the co-creators of both lists read it."""
    if "job_themes" not in win._members:
        from miner.insights.views import job_themes as about

        win._members["job_themes"] = about(run, win.documents)
    return win._members["job_themes"]


def available_factors(run: Run, win: Window) -> tuple[str, ...]:
    """The factors this run has: growth needs dates, impact a score, negative the
    sentiment head and opportunity the jobs (a run fitted without the per-document
    heads has neither)."""
    documents = win.documents
    have = {
        "volume": True,
        "growth": _growth_comparable(win),
        "negative": "sentiment" in documents.columns,
        "impact": "score" in documents.columns and documents["score"].notna().any(),
        "opportunity": run.jobs is not None and "job_id" in documents.columns,
    }
    return tuple(f for f in FACTORS if have[f])


def factor_table(
    run: Run,
    level: str,
    since: str | date | None = None,
    weights: Mapping[str, float] | None = None,
    value_col: str | None = None,
    win: Window | None = None,
) -> pd.DataFrame:
    """The ranked list of ``level`` (``theme`` or ``job``) with every factor.

    One row per item with a comment in the window, best first: ``item`` (theme or
    job id), ``comments``, ``voices``, ``voice_value`` (with ``value_col``),
    ``opportunity_odi`` (0..20), the growth and impact evidence (``window_comments``,
    ``window_total``, ``before_comments``, ``before_total``, ``growth_ratio``,
    ``growth_low``: the ratio's one-sided 95% lower end, ``impact_points``), then ``<factor>``
    (0..1, NaN when not available), ``<factor>_contribution``, ``priority`` and
    ``rank`` (1 = first).
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    win = win if win is not None else window(run, since)
    weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
    pairs = members(run, win, level)
    inside = pairs[win.inside[pairs["pos"].to_numpy()]]
    table = _volume(run, win, inside, value_col)
    available = available_factors(run, win)
    if "growth" in available:
        table = table.join(_growth(win, pairs))
    if "negative" in available:
        table = table.join(_negative(run, win, inside, level))
    if "impact" in available:
        table = table.join(_impact(run, win, inside))
        if level in ("theme", "area"):
            table = _held_fixed(run, level, table)
        table = _scaled_impact(table)
    if "opportunity" in available:
        table = table.join(_opportunity(run, win, inside, level))
    for factor in FACTORS:
        if factor not in available:
            table[factor] = np.nan
    table[list(available)] = table[list(available)].fillna(0.0)
    total = sum(weights.get(f, 0.0) for f in available)
    if total <= 0:
        raise InvalidConfig(
            "the weights of this run's factors (" + ", ".join(available) + ") add up to 0; "
            "give at least one a weight above 0"
        )
    table["priority"] = 0.0
    for factor in FACTORS:
        part = table[factor] * weights.get(factor, 0.0) / total
        table[f"{factor}_contribution"] = part if factor in available else np.nan
        if factor in available:
            table["priority"] += part
    table = table.reset_index(names="item")
    table = table.sort_values(
        ["priority", "voices", "item"], ascending=[False, False, True], kind="stable"
    )
    table["rank"] = np.arange(1, len(table) + 1)
    return table.reset_index(drop=True)


def _volume(run: Run, win: Window, inside: pd.DataFrame, value_col: str | None) -> pd.DataFrame:
    voices = pd.DataFrame({"item": inside["item"].to_numpy(), "voice": win.voice[inside["pos"]]})
    grouped = voices.groupby("item")
    table = pd.DataFrame({"comments": grouped.size(), "voices": grouped["voice"].nunique()})
    if value_col is None:
        weight = table["voices"].astype(float)
    else:
        values = voice_values(run, win, value_col)
        distinct = voices.drop_duplicates()
        weight = (
            pd.Series(values.loc[distinct["voice"]].to_numpy())
            .groupby(distinct["item"].to_numpy())
            .sum()
        )
        table["voice_value"] = weight
    top = weight.max() if len(weight) else 0.0
    table["volume"] = weight / top if top > 0 else 0.0
    return table


def _sentiments(run: Run, win: Window, inside: pd.DataFrame, level: str) -> np.ndarray:
    """The sentiment of each (comment, item) pair of ``inside``: for a theme, what the
    comment says about it (its pieces about the theme, as the themes table counts it:
    :func:`miner.tables.mention_sentiments`), so a ticket that thanks support and
    complains of a double charge is not negative about support; for a job, the
    comment's."""
    documents = win.documents
    pos = inside["pos"].to_numpy()
    own = documents["sentiment"].to_numpy(dtype=object)[pos]
    if level != "theme" or "theme_ids" not in documents.columns or run.pieces is None:
        return own
    from miner.tables import mention_sentiments

    mentioned = mention_sentiments(documents.iloc[np.unique(pos)], run.pieces)
    lookup = mentioned.set_index(["row_id", "theme_id"])["sentiment"]
    lookup = lookup[~lookup.index.duplicated()]
    keys = pd.MultiIndex.from_arrays(
        [documents["row_id"].to_numpy()[pos], inside["item"].to_numpy()]
    )
    found = lookup.reindex(keys).to_numpy(dtype=object)
    return np.where(pd.isna(found), own, found)


def _negative(run: Run, win: Window, inside: pd.DataFrame, level: str) -> pd.DataFrame:
    """``negative``: the share of the item's voices negative about it (most of a voice's
    comments about it negative: six customers ranting 47 times are six voices), read
    with ``min_n`` voices at the list's own share (empirical-Bayes shrinkage: an item of
    6 voices, 4 negative, reads mostly as the list does, one of 300 as itself); and its
    evidence, ``negative_voices`` of ``negative_of`` and ``negative_comments`` (the
    share of its comments)."""
    negative = _sentiments(run, win, inside, level) == "negative"
    frame = pd.DataFrame(
        {"item": inside["item"].to_numpy(), "voice": win.voice[inside["pos"]], "neg": negative}
    )
    voices = frame.groupby(["item", "voice"])["neg"].mean() > 0.5
    counts = voices.groupby(level="item").agg(["sum", "size"])
    prior = float(voices.mean()) if len(voices) else 0.0
    weight = max(win.min_n, 1)
    return pd.DataFrame(
        {
            "negative": (counts["sum"] + weight * prior) / (counts["size"] + weight),
            "negative_voices": counts["sum"].astype(int),
            "negative_of": counts["size"].astype(int),
            "negative_comments": frame.groupby("item")["neg"].mean(),
            "negative_prior": prior,
        }
    )


def _growth_sides(win: Window) -> tuple[np.ndarray, np.ndarray]:
    """Which comments are dated in growth's window (``after``) and before it: of those
    in the themes' language (a share of comments in other languages, which have no
    theme, would fall as they rise; see :func:`miner.insights.stats.themed`)."""
    dated = win.dates.notna().to_numpy()
    if "language" in win.documents.columns:
        dated = dated & is_default_language(win.documents["language"])
    after = (win.dates >= win.growth_start).to_numpy() & dated
    return after, dated & ~after


def _growth_comparable(win: Window) -> bool:
    """Whether growth can be measured: dates, and at least ``min_n`` dated comments
    both in growth's window and before it (all dates in the window, "112 of 2,400
    against 0 of 0 before", is no growth to weigh: the factor is left out)."""
    if win.dates is None or win.growth_start is None or not win.dates.notna().any():
        return False
    after, before = _growth_sides(win)
    return min(int(after.sum()), int(before.sum())) >= win.min_n


def _growth(win: Window, pairs: pd.DataFrame) -> pd.DataFrame:
    """Growth and its evidence (comments and totals in the window and before it)."""
    after, before = _growth_sides(win)
    pos = pairs["pos"].to_numpy()
    frame = pd.DataFrame({"item": pairs["item"], "after": after[pos], "before": before[pos]})
    counts = frame.groupby("item")[["after", "before"]].sum()
    total_after, total_before = int(after.sum()), int(before.sum())
    inside = counts["after"] + SMOOTHING
    earlier = counts["before"] + SMOOTHING
    ratio = (inside / (total_after + 2 * SMOOTHING)) / (earlier / (total_before + 2 * SMOOTHING))
    # The rise the comments show at least: the lower end of a one-sided 95% interval of
    # the share ratio (log scale, Katz's standard error). An item's few comments say
    # little ("14 of 585 against 27 of 1,815" is x1.61 and no rise at 95%, at least
    # x0.94); a new theme's many do (25 of 1,400 against 0 of 889: at least x3.1).
    spread = np.sqrt(
        1 / inside - 1 / (total_after + 2 * SMOOTHING) + 1 / earlier
        - 1 / (total_before + 2 * SMOOTHING)
    )  # fmt: skip
    low = np.exp(np.log(ratio) - GROWTH_Z * spread)
    growth = np.clip(np.log2(low), 0.0, GROWTH_CAP_LOG2) / GROWTH_CAP_LOG2
    # The ratio of the shares as counted (11.06, as the emerging test's lift), the
    # smoothed one only where a count is 0 (the feed's JSON had said 10.815 beside
    # evidence of "share x 11.06").
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = (counts["after"] / total_after) / (counts["before"] / total_before)
    counted = (counts["after"] > 0) & (counts["before"] > 0) & (total_after > 0)
    return pd.DataFrame(
        {
            "window_comments": counts["after"].astype(int),
            "window_total": total_after,
            "before_comments": counts["before"].astype(int),
            "before_total": total_before,
            "growth_ratio": raw.where(counted, ratio),
            "growth_low": low,
            "growth": growth,
        }
    )


def _impact(run: Run, win: Window, inside: pd.DataFrame) -> pd.DataFrame:
    """How far each item's comments pull the window's score down (remove and recompute).

    In a survey of several questions (a ``question`` column) a respondent's score counts
    once, as the drivers count it: the item's respondents (any of their answers in it)
    are removed, and ``impact_n`` counts respondents. Only comments in the themes'
    language count, as in the drivers (:func:`miner.insights.drivers.drivers`)."""
    kind = run.meta.get("score_type") or "numeric"
    y = contributions(win.documents["score"].to_numpy(dtype=np.float64), kind)
    valid = ~np.isnan(y) & win.inside
    if "language" in win.documents.columns:
        valid &= is_default_language(win.documents["language"])
    several = "question" in win.documents.columns
    unit = win.documents["row_id"].to_numpy() if several else np.arange(len(y))
    counted = np.flatnonzero(valid)
    counted = counted[~pd.Series(unit[counted]).duplicated().to_numpy()]  # first answer
    total_n, total_sum = len(counted), float(y[counted].sum())
    unit_y = pd.Series(y[counted], index=unit[counted])
    pos = inside["pos"].to_numpy()
    scored = valid[pos]
    frame = pd.DataFrame(
        {"item": inside["item"].to_numpy()[scored], "unit": unit[pos[scored]]}
    ).drop_duplicates()
    frame["y"] = unit_y.loc[frame["unit"].to_numpy()].to_numpy()
    grouped = frame.groupby("item")["y"]
    n, sums, squares = grouped.size(), grouped.sum(), (frame["y"] ** 2).groupby(frame["item"]).sum()
    total_squares = float((y[counted] ** 2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        without = (total_sum - sums) / (total_n - n)
        points = total_sum / total_n - without if total_n else without * np.nan
        # The pull's standard error: points = n/N x (mean of the item's - mean of the
        # rest), two independent means (Welch), or as large as it is when the item's
        # scores are the survey's (its spread pooled), if that is larger: an item's own
        # spread is small exactly when its scores lean one way by chance (34 detractors of
        # 40), which had made 12 of 40 pure-noise surveys show a pull at 95%.
        inner = sums / n
        inner_var = (squares / n - inner**2) * n / (n - 1)
        rest_n = total_n - n
        rest_var = ((total_squares - squares) / rest_n - without**2) * rest_n / (rest_n - 1)
        pooled_var = (
            (total_squares / total_n - (total_sum / total_n) ** 2) * total_n / (total_n - 1)
        )
        error = (n / total_n) * np.sqrt(
            np.maximum(inner_var / n + rest_var / rest_n, pooled_var * (1 / n + 1 / rest_n))
        )
    enough = (n >= win.min_n) & (total_n - n > 1)
    # Read at its one-sided lower end, as growth is: a pull whose interval holds no pull
    # at all counts for nothing (the top item of a forum's roadmap had taken the largest
    # impact on a pull whose 95% interval ran from -0.64 to +0.09); 95% over the items
    # scored (IMPACT_ALPHA / m each).
    tested = int(enough.sum())
    z = impact_z(tested)
    pull_low = np.maximum(0.0, -points - z * error).where(enough, 0.0).fillna(0.0)
    spread = float(np.std(y[counted], ddof=1)) if total_n > 1 else 0.0
    return pd.DataFrame(
        {
            "impact_points": points,
            "impact_low": (-pull_low).where(enough),
            "impact": pull_low,  # in points until _scaled_impact
            "impact_n": n,
            "impact_tested": tested,
            "impact_full": IMPACT_FULL_SD * spread,
        }
    )


def _scaled_impact(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with each counted pull (points) as a share of the largest, or of the
    pull that counts in full (IMPACT_FULL_SD of the score's spread) when that is larger."""
    full = max(float(table["impact"].max()) if len(table) else 0.0, table["impact_full"].max())
    table["impact"] = table["impact"] / full if full > 0 else table["impact"] * 0.0
    return table.drop(columns="impact_full")


def impact_z(tested: int) -> float:
    """The normal quantile a pull is read at when ``tested`` items are scored: one-sided
    1 - IMPACT_ALPHA / tested (Bonferroni; IMPACT_Z for one)."""
    if tested <= 1:
        return IMPACT_Z
    from scipy.stats import norm

    return float(norm.ppf(1.0 - IMPACT_ALPHA / tested))


def _held_fixed(run: Run, level: str, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with no impact for a theme (or area) whose pull is gone once the run's
    segments are held fixed: the score drivers' effect (least squares, every theme and
    segment together) is not below 0 at its 95% interval's upper end (at its estimate
    without resamples). A pull that only says who writes about the theme (a pricing
    theme common on a low-scoring plan) had made an audit's roadmap's first item, its
    held-fixed effect +1.1 [-4.5, +6.3]. ``impact_effect``, ``impact_effect_low`` and
    ``impact_effect_high`` carry the drivers' figures, ``impact_held`` whether the pull
    was set to 0 so."""
    drivers = run.drivers if level == "theme" else run.area_drivers
    column = f"{level}_id"
    if drivers is None or drivers.empty or "effect" not in drivers or column not in drivers:
        return table
    found = drivers.drop_duplicates(column).set_index(column)
    index = pd.Index(pd.to_numeric(table.index, errors="coerce"))
    for name in ("effect", "effect_low", "effect_high"):
        values = found[name] if name in found else pd.Series(np.nan, index=found.index)
        table[f"impact_{name}"] = values.reindex(index).to_numpy(dtype=np.float64)
    high = table["impact_effect_high"].where(
        np.isfinite(table["impact_effect_high"]), table["impact_effect"]
    )
    held = (table["impact"] > 0) & (high >= 0)
    table["impact_held"] = held
    table["impact"] = table["impact"].where(~held, 0.0)
    return table


def job_opportunity(win: Window, run: Run | None = None) -> pd.Series:
    """Each job's ODI opportunity (0..20): importance from voices, satisfaction from
    mean sentiment. Over the whole run it is ``jobs.csv``'s (every job a comment
    states counts there), so the Jobs page and the roadmap give one figure; from
    ``--since`` it is computed again over the window's comments, each counted for the
    job it states first (``job_id``: what the documents keep)."""
    if run is not None and win.since is None and run.jobs is not None:
        if "opportunity" in run.jobs.columns:
            table = run.jobs.set_index("job_id")["opportunity"].astype(float)
            return table[table.notna()]
    documents = win.documents
    stated = win.inside & (documents["job_id"].to_numpy() >= 0)
    frame = pd.DataFrame(
        {
            "job": documents["job_id"].to_numpy()[stated],
            "voice": win.voice[stated],
            "sentiment": pd.to_numeric(documents["sentiment_score"], errors="coerce").to_numpy()[
                stated
            ]
            if "sentiment_score" in documents.columns
            else np.nan,
        }
    )
    grouped = frame.groupby("job")
    importance = importance_scores(grouped["voice"].nunique().to_numpy())
    satisfaction = satisfaction_scores(grouped["sentiment"].mean().to_numpy())
    return pd.Series(opportunity_scores(importance, satisfaction), index=grouped.size().index)


def _opportunity(run: Run, win: Window, inside: pd.DataFrame, level: str) -> pd.DataFrame:
    odi = job_opportunity(win, run)
    if level == "job":
        return pd.DataFrame({"opportunity_odi": odi, "opportunity": odi / ODI_MAX})
    jobs = win.documents["job_id"].to_numpy()[inside["pos"]]
    stated = pd.DataFrame(
        {
            "item": inside["item"].to_numpy(),
            "job": jobs,
            "voice": win.voice[inside["pos"]],
        }
    )
    stated = stated[stated["job"].isin(odi.index)]
    weights = stated.groupby(["item", "job"])["voice"].nunique().rename("weight").reset_index()
    weights["odi"] = odi.loc[weights["job"]].to_numpy()
    weights["weighted"] = weights["weight"] * weights["odi"]
    sums = weights.groupby("item")[["weighted", "weight"]].sum()
    mean = sums["weighted"] / sums["weight"]
    # Full weight once min_n of its voices state a job, less below: a praise theme three
    # of whose 49 customers ask for dark mode does not take dark mode's opportunity.
    stating = stated.groupby("item")["voice"].nunique()
    evidence = np.minimum(1.0, stating / max(win.min_n, 1))
    return pd.DataFrame(
        {
            "opportunity_odi": mean,
            "opportunity": mean * evidence / ODI_MAX,
            "opportunity_voices": stating,
        }
    )
