"""Input columns the insights need: dates, periods, segments and scores.

Each parser returns the cleaned values and how many cells it could not use, so a
caller can say "12 dates could not be read" instead of silently dropping rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from miner.ingest import nested_values
from miner.schema import PERIODS, SCORE_TYPES

# A period is chosen so that the date span holds at least this many of them.
MIN_PERIODS = 8
# Weeks are chosen only when their median week holds this many comments (five times the
# default --min-n: a theme of a fifth of them can be tested week on week); else months,
# when there are this many months with comments.
MIN_WEEK_COMMENTS = 150
MIN_MONTHS = 4
# pandas frequency of each period; weeks run Monday to Sunday.
PERIOD_FREQ = {"week": "W-SUN", "month": "M", "quarter": "Q"}
AGE_EDGES = (0, 18, 25, 35, 45, 55, 65, 200)
SCORE_RANGES = {"nps": (0, 10), "csat": (1, 5), "rating": (1, 5)}
# Segments: a column with 2..MAX_SEGMENT_VALUES values, each row's value repeated.
MAX_SEGMENT_VALUES = 30
DATE_NAME = re.compile(
    r"date|time|_at$|^at_|created|submitted|timestamp|day|month|(^|[._])ts$", re.I
)
SCORE_NAME = re.compile(r"nps|csat|rating|score|stars?$|satisfaction|recommend", re.I)
# Names a score shares with other numbers ("How satisfied are you? (1-5)", "How would you
# rate ...", "Bewertung", a question giving its scale, but also "Discount rate (%)",
# "Hourly rate"): a score only when its values are a scale's, whole numbers 0-10.
SCALE_NAME = re.compile(
    r"\bsatisf|\bbewertung\b|\brate\b|\bhow (?:easy|hard|difficult|happy|useful|helpful"
    r"|likely|clear|simple|confident)\b|"
    r"\(\s*[01]\s*(?:-|–|to)\s*(?:5|7|10)\s*\)",
    re.I,
)
AGE_NAME = re.compile(r"(^|_)age($|_)", re.I)
# Names that say a score's type, and how each type is scored.
SCORE_TYPE_NAMES = {
    "nps": ("nps", "recommend"),
    "csat": ("csat", "satisf"),
    "rating": ("rating", "star", "rate", "bewertung"),
}
SCORE_TYPE_TEXT = {
    "nps": "NPS (promoters 9-10, detractors 0-6)",
    "csat": "CSAT 1-5, mean",
    "rating": "rating 1-5, mean",
    "good_bad": "Good/Bad, the share rated good",
}
# A rating of two values, as help desks and in-app widgets record it (Zendesk's
# satisfaction "Good"/"Bad", "Good with comment"; thumbs; "Was this helpful?" yes/no):
# scored 100 or 0, so its mean is the share rated good, in %. "Offered" or "Unoffered"
# (the survey sent, or not, and not answered) is no rating: blank, not invalid.
GOOD_VALUES = frozenset(
    "good|good with comment|satisfied|happy|yes|y|thumbs up|thumbsup|👍|positive|helpful"
    "|up|liked|like|recommended".split("|")
)
BAD_VALUES = frozenset(
    "bad|bad with comment|unsatisfied|dissatisfied|not satisfied|unhappy|no|n|thumbs down"
    "|thumbsdown|👎|negative|not helpful|unhelpful|down|disliked|dislike|not recommended"
    "".split("|")
)
UNRATED_VALUES = frozenset(
    "offered|unoffered|not offered|not rated|unrated|no rating|none|n/a|-".split("|")
)
# An id's name: "ticket_id", "Response ID", "ResponseId", "id_hash", "customer email" (a
# survey tool's "Response ID" had been no record id, so shared quotes lost it).
ID_NAME = re.compile(
    r"(^|[_\s.-])(id|uuid|key|e-?mail)$|^id[_.-]|(?-i:[a-z](?:Id|ID|Uuid|UUID|Key|Email))$",
    re.I,
)


@dataclass(frozen=True)
class Parsed:
    """A parsed column: ``values`` (same index as the input), ``invalid`` cells and a note;
    for dates, whether numbers were read day first and what settled it (``order``:
    ``"given"``, or :func:`date_order`'s ``"number"``, ``"span"``, ``"dots"`` or ``""``)."""

    values: pd.Series
    invalid: int
    note: str = ""
    dayfirst: bool = False
    order: str = ""


def latest_date() -> pd.Timestamp:
    """The latest date a comment can have: now (UTC) and a day, for time zones ahead."""
    return pd.Timestamp.now(tz="UTC").tz_localize(None) + FUTURE_SLACK


# A date after latest_date() is a typo or a placeholder (2099-01-01), not feedback from
# the future: it is left out (NaT, counted invalid) instead of stretching every time
# table to it.
FUTURE_SLACK = pd.Timedelta(days=1)
# The dates a system writes for "no date": Unix's epoch, Excel's and databases' zero
# days. Left out as the future's are: three 1970-01-01 of a helper's 240 rows had made
# 228 quarters of trends, every theme "too few".
PLACEHOLDER_DATES = frozenset(
    pd.Timestamp(day) for day in ("1970-01-01", "1900-01-01", "1899-12-30", "1899-12-31")
)
PLACEHOLDER_SLACK = pd.Timedelta(hours=14)  # the time zones furthest from UTC


# A review page's words before its date (Amazon's "Reviewed in the United Kingdom on
# January 01, 2025", "Posted on ..."): a whole column of them had been refused as no dates.
_DATE_PREFIX = re.compile(
    r"(?i)^(?:reviewed|posted|written|rated|asked|answered|submitted|published)\s+"
    r"(?:in\s+[^\d\n]{1,40}?\s+)?on\s+(?=\S)"
)


def parse_dates(values: pd.Series, dayfirst: bool | None = None) -> Parsed:
    """Dates in mixed formats -> datetime64 (naive, UTC when a zone was given); NaT if
    unreadable or after :func:`latest_date`.

    ISO dates, ``03/12/2026`` (day or month first: one order for the whole column,
    :func:`date_order`, unless ``dayfirst`` says), ``3 Dec 2026``, timestamps with or
    without a zone, and datetime values are read. Each distinct text is parsed once,
    so a large column with few distinct dates is fast. ``invalid`` counts non-empty
    cells that could not be read or lie in the future.
    """
    epoch = _epoch_unit(values)
    order = "given" if dayfirst is not None else ""
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = _naive(pd.to_datetime(values))
        present = parsed.notna()
        dayfirst = False
    elif epoch is not None:
        text = values.astype("string").str.strip()
        present = text.notna() & (text != "")
        numbers = pd.to_numeric(text, errors="coerce")
        low, high = EPOCH_RANGE[epoch]
        numbers = numbers.where(numbers.between(low, high))
        if epoch == "excel":
            parsed = (EXCEL_ORIGIN + pd.to_timedelta(numbers, unit="D")).dt.round("s")
        else:
            parsed = pd.to_datetime(numbers, unit=epoch, errors="coerce")
        parsed = parsed.astype("datetime64[ns]")
        dayfirst = False
    else:
        text = values.astype("string").str.strip()
        present = text.notna() & (text != "")
        if text.str.match(_DATE_PREFIX).any():  # "Reviewed in the United Kingdom on ..."
            text = text.str.replace(_DATE_PREFIX, "", regex=True)
        distinct = pd.Series(text[present].unique(), dtype=object).astype(str)
        numeric = distinct.str.match(NUMERIC_DATE.pattern)
        if dayfirst is None:
            dayfirst, order = date_order(distinct[numeric])
        read = pd.Series(pd.NaT, index=distinct.index, dtype="datetime64[ns]")
        for part, first in ((numeric, dayfirst), (~numeric, False)):
            if part.any():  # an ISO date is year-month-day, whatever the column's order
                read[part] = _naive(_to_datetime(distinct[part], first)).to_numpy()
        if order == "given" and numeric.any():
            # A date the order given cannot hold (27/05 read month first) is not read
            # the other way round, cell by cell: it is unreadable, and counted.
            parts = distinct[numeric].str.extract(NUMERIC_DATE.pattern)
            month = parts[2 if dayfirst else 0].astype(int)
            read[month[month > 12].index] = pd.NaT
        mapping = pd.Series(read.to_numpy(), index=distinct.to_numpy())
        parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
        if len(mapping):
            parsed[present] = mapping.reindex(text[present].to_numpy()).to_numpy()
    future = parsed > latest_date()
    # the placeholder as written in another time zone too ("1969-12-31 19:00")
    placeholder = pd.Series(False, index=parsed.index)
    for day in PLACEHOLDER_DATES:
        placeholder |= parsed.between(day - PLACEHOLDER_SLACK, day + PLACEHOLDER_SLACK)
    unread = int((present & parsed.isna()).sum())
    notes = [f"{unread:,} of {int(present.sum()):,} dates could not be read"] if unread else []
    if future.any():
        notes.append(
            f"{int(future.sum()):,} dates are in the future (the latest "
            f"{parsed[future].max():%Y-%m-%d}) and were left out"
        )
    if placeholder.any():
        days = ", ".join(sorted({f"{day:%Y-%m-%d}" for day in parsed[placeholder].dt.round("D")}))
        notes.append(
            f"{int(placeholder.sum()):,} dates are a system's placeholder for no date "
            f"({days}) and were left out"
        )
    left_out = future | placeholder
    parsed = parsed.mask(left_out)
    return Parsed(parsed, unread + int(left_out.sum()), "; ".join(notes), bool(dayfirst), order)


# Amounts as exports and CRMs write them: "18,000", "$18,000.00", "€1.234,50", "1 200",
# "USD 300", "40k".
_CURRENCY = re.compile(
    r"(?i)^[\s$€£¥₹]*(usd|eur|gbp|chf|cad|aud|jpy|inr)?[\s$€£¥₹]*|[\s$€£¥₹]*"
    r"(usd|eur|gbp|chf|cad|aud|jpy|inr)?[\s$€£¥₹]*$"
)
_THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_THOUSANDS_DOT = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d{1,2}$")
_SCALED = {"k": 1e3, "m": 1e6}


def parse_amounts(values: pd.Series) -> Parsed:
    """Numbers written as amounts (see :data:`_THOUSANDS_COMMA`) -> floats; NaN when a
    filled cell holds no amount (no number, infinite or below zero), counted in
    ``invalid`` (a plain number reads as :func:`pandas.to_numeric` reads it). "1.234" is
    a thousand and more only in a column that writes amounts the European way
    somewhere ("1.234,50", "1.234.567", "12,5"); else it is a decimal number."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = pd.to_numeric(values, errors="coerce").astype(float)
        return _amounts_only(numbers, int(values.notna().sum()))
    cells = values.dropna().astype(str).str.strip().str.replace(r"[\s$€£¥₹']", "", regex=True)
    european = cells.str.match(r"^-?\d{1,3}(\.\d{3})+,\d+$|^-?\d{1,3}(\.\d{3}){2,}$").any() or (
        cells.str.match(_DECIMAL_COMMA.pattern).any()
    )

    def amount(cell) -> float:
        if cell is None or (isinstance(cell, float) and np.isnan(cell)):
            return np.nan
        text = _CURRENCY.sub("", str(cell).replace("\u00a0", " ").replace("\u202f", " "))
        text = text.strip().replace(" ", "").replace("'", "")
        scale = 1.0
        if text[-1:].lower() in _SCALED and re.fullmatch(r"-?\d+(\.\d+)?[kKmM]", text):
            scale, text = _SCALED[text[-1].lower()], text[:-1]
        if _THOUSANDS_COMMA.match(text):
            text = text.replace(",", "")
        elif european and _THOUSANDS_DOT.match(text):
            text = text.replace(".", "").replace(",", ".")
        elif _DECIMAL_COMMA.match(text):
            text = text.replace(",", ".")
        try:
            return float(text) * scale
        except ValueError:
            return np.nan

    numbers = values.map(amount).astype(float)
    filled = values.notna() & (values.astype("string").str.strip() != "")
    return _amounts_only(numbers.where(filled), int(filled.sum()))


def _amounts_only(numbers: pd.Series, filled: int) -> Parsed:
    """``numbers`` without infinite or negative values (an "inf" cell had made every
    other value 0 beside it); ``invalid``: the filled cells left without an amount."""
    numbers = numbers.where(np.isfinite(numbers) & (numbers >= 0))
    return Parsed(numbers, filled - int(numbers.notna().sum()))


# Unix time as exports write it (Intercom, Stripe, APIs): seconds or milliseconds since
# 1970, from 2001-09-09 to 2039-09-22.
EPOCH_RANGE = {"s": (1e9, 2.2e9), "ms": (1e12, 2.2e12), "excel": (32874, 54789)}
# Excel's serial dates: days since 1899-12-30, the time of day as a fraction ("45234.5"),
# as a spreadsheet's date column formatted "General" is saved to CSV; 1990-2049 read.
EXCEL_ORIGIN = pd.Timestamp("1899-12-30")


# A share of a column's filled cells that must be Unix time (the rest, "-" or "n/a",
# are unreadable dates like any other).
EPOCH_SHARE = 0.9


def _epoch_unit(values: pd.Series) -> str | None:
    """``"s"`` or ``"ms"`` when :data:`EPOCH_SHARE` of the filled cells are Unix time
    (seconds may carry a fraction, as Slack's ``ts`` does), ``"excel"`` when they are
    Excel's serial days (five digits, a fraction for the time of day)."""
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return None
    text = values.dropna().astype(str).str.strip()
    text = text[text != ""]
    if not len(text):
        return None
    shaped = text.str.fullmatch(r"\d{10}(\.\d+)?|\d{13}(\.0+)?|\d{5}(\.\d+)?")
    if shaped.mean() < EPOCH_SHARE:
        return None
    numbers = pd.to_numeric(text[shaped], errors="coerce")
    for unit, (low, high) in EPOCH_RANGE.items():
        if numbers.between(low, high).mean() >= EPOCH_SHARE * len(text) / len(numbers):
            return unit
    return None


# A date of numbers with the year last: 25/12/2025, 12-25-2025, 25.12.25.
NUMERIC_DATE = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})\b")


def date_order(texts: pd.Series) -> tuple[bool, str]:
    """Whether a column's dates of numbers (``03/04/2026``) put the day first, and what
    settled it: ``"number"`` when one of them has a first number above 12 and none a
    second one above 12 (or the reverse); else ``"span"`` when one reading spans less
    than a quarter of the time the other does (a survey open from the 1st to the 12th of
    March is 01/03 .. 12/03, not a day in each month of a year); else ``"dots"`` when
    they are written with dots (``03.04.2026``, as Europe writes them), or ``"guess"``:
    month first, as the US writes them (``""``: no date of numbers to read). One order
    for the column: read cell by cell, ``12/02/2023`` would be December and
    ``15/01/2023`` January in the same export."""
    parts = texts.astype(str).str.extract(NUMERIC_DATE.pattern).dropna()
    if parts.empty:
        return False, ""
    first, second = parts[0].astype(int), parts[2].astype(int)
    if (first > 12).any() != (second > 12).any():
        return bool((first > 12).any()), "number"
    year = parts[3].astype(int)
    year = year.where(year >= 100, year + 2000)

    def span(month: pd.Series, day: pd.Series) -> pd.Timedelta:
        dates = pd.to_datetime(
            pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce"
        )
        return dates.max() - dates.min()

    as_day_first, as_month_first = span(second, first), span(first, second)
    if pd.notna(as_day_first) and pd.notna(as_month_first):
        if as_day_first * 4 < as_month_first:
            return True, "span"
        if as_month_first * 4 < as_day_first:
            return False, "span"
    if (parts[1] == ".").mean() > 0.5:
        return True, "dots"
    return False, "guess"


def _to_datetime(texts: pd.Series, dayfirst: bool) -> pd.Series:
    with_zone = pd.to_datetime(texts, format="mixed", errors="coerce", dayfirst=dayfirst, utc=True)
    return with_zone


def _naive(parsed: pd.Series) -> pd.Series:
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


def choose_period(dates: pd.Series, period: str | None = None) -> str:
    """The period to bin ``dates`` by: ``period`` when given, else from the date span.

    Rule: of quarter, month and week, those where at least half of the calendar
    periods between the first and last date hold a comment (and two or more do) are
    usable; the coarsest usable one with ``MIN_PERIODS`` (8) periods holding comments,
    else the usable one with the most (the finer on a tie). A year of data gives
    months, two years or more quarters, less than eight months weeks, unless the
    median week holds fewer than ``MIN_WEEK_COMMENTS`` (150) and four months or more
    hold comments: then months (too few a week to test any theme's rise); survey waves
    give the period that holds them without empty ones between (two waves in March
    and September: quarters, where weeks had made 25 empty ones "too few comments"; a
    pulse on one day of each month: months). When none is usable (two dates alone),
    the coarsest whose periods between the first and last date number at least 8,
    else weeks.
    """
    if period is not None:
        if period not in PERIODS:
            raise ValueError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")
        return period
    known = dates.dropna()
    if known.empty:
        return "month"
    first, last = known.min(), known.max()
    usable = {}
    for name in ("quarter", "month", "week"):
        freq = PERIOD_FREQ[name]
        span = len(pd.period_range(first.to_period(freq), last.to_period(freq)))
        held = _naive(known).dt.to_period(freq).nunique()
        if held >= 2 and held >= span / 2:
            usable[name] = held
    enough = [name for name, held in usable.items() if held >= MIN_PERIODS]
    if enough == ["week"] and usable.get("month", 0) >= MIN_MONTHS:
        # Weeks too thin to test a theme's rise in (six months of 100 reviews a week: no
        # week-on-week comparison had enough comments, and a crash after a release went
        # unflagged): months.
        weekly = _naive(known).dt.to_period(PERIOD_FREQ["week"]).value_counts()
        if weekly.median() < MIN_WEEK_COMMENTS:
            return "month"
    if enough:
        return enough[0]
    if usable:
        return max(usable, key=lambda name: (usable[name], list(usable).index(name)))
    for name in ("quarter", "month"):
        freq = PERIOD_FREQ[name]
        count = len(pd.period_range(first.to_period(freq), last.to_period(freq)))
        if count >= MIN_PERIODS:
            return name
    return "week"


def period_labels(dates: pd.Series, period: str) -> tuple[pd.Series, pd.DataFrame]:
    """Each date's period (a label) and the table of every period from the first to the last.

    Labels: ``2026-06`` (month), ``2026Q2`` (quarter), ``2026-06-01`` (the Monday a
    week starts). The table has ``period``, ``period_start``, ``period_end`` (the last
    day) and ``incomplete``: the data end before the period does (only the last
    period can be).
    """
    freq = PERIOD_FREQ[period]
    known = dates.dropna()
    as_periods = dates.dt.to_period(freq)
    if known.empty:
        table = pd.DataFrame(columns=["period", "period_start", "period_end", "incomplete"])
        return pd.Series(pd.NA, index=dates.index, dtype="string"), table
    span = pd.period_range(known.min().to_period(freq), known.max().to_period(freq))
    labels = [_label(p, period) for p in span]
    ends = span.end_time.normalize()
    table = pd.DataFrame(
        {
            "period": labels,
            "period_start": span.start_time,
            "period_end": ends,
            "incomplete": known.max().normalize() < ends,
        }
    )
    lookup = dict(zip(span, labels, strict=True))
    row_labels = as_periods.map(lookup).astype("string")
    return row_labels, table


def _label(p: pd.Period, period: str) -> str:
    if period == "week":
        return f"{p.start_time:%Y-%m-%d}"
    return str(p)


def bin_numeric(
    values: pd.Series, edges: tuple[float, ...] | None = None, unit: str = ""
) -> Parsed:
    """A numeric segment (age by default) as ordered, readable bins: ``18-24``, ``65+``.

    ``edges`` are the bins' lower bounds plus a last upper bound (default: ages
    0, 18, 25, 35, 45, 55, 65); a value outside them or not a number is NaN and
    counted in ``invalid``. The result is an ordered categorical.
    """
    edges = tuple(AGE_EDGES if edges is None else edges)
    numbers = pd.to_numeric(values, errors="coerce")
    labels = []
    for i, (low, high) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
        if i == 0 and low == 0:
            labels.append(f"<{_fmt(high)}{unit}")
        elif i == len(edges) - 2 and high >= 120:
            labels.append(f"{_fmt(low)}+{unit}")
        else:
            labels.append(f"{_fmt(low)}-{_fmt(high - 1)}{unit}")
    binned = pd.cut(numbers, bins=list(edges), right=False, labels=labels)
    present = values.notna() & (values.astype("string").str.strip() != "")
    invalid = int((present & binned.isna()).sum())
    note = f"{invalid:,} values outside {edges[0]}..{edges[-1]} or not numbers" if invalid else ""
    return Parsed(pd.Series(binned, index=values.index), invalid, note)


# A column of several values a cell, as feedback tools export tags ("api;performance",
# "billing | mobile"): each value a segment of its own, a cell in each of its values.
MULTI_VALUE_SEPARATORS = (";", "|", ",")
# ... when this share of its filled cells holds two values or more,
MULTI_VALUE_SHARE = 0.3
# ... each value a few words (a sentence with commas is no list of tags),
MULTI_VALUE_WORDS = 4
# ... and its values repeat: at most this share of the distinct cells.
MULTI_VALUE_DISTINCT = 0.5


def multi_value_separator(values: pd.Series) -> str | None:
    """The separator of a column that holds several values a cell (see
    :data:`MULTI_VALUE_SEPARATORS`: tags "api;performance;integrations", whose 41 orders
    and combinations had been 41 segments of 16 tags), else None."""
    text = values.dropna().astype(str).str.strip()
    text = text[text != ""]
    if len(text) < 10:
        return None
    for separator in MULTI_VALUE_SEPARATORS:
        parts = text.str.split(separator, regex=False)
        several = parts.map(len) >= 2
        if several.mean() < MULTI_VALUE_SHARE:
            continue
        flat = [p.strip() for cell in parts for p in cell if p.strip()]
        if any(len(p.split()) > MULTI_VALUE_WORDS for p in flat):
            continue
        if len(set(flat)) <= MULTI_VALUE_DISTINCT * text.nunique():
            return separator
    return None


def value_parts(value, separator: str) -> list[str]:
    """The values of one cell of a multi-valued column, each once, in their order."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    return list(dict.fromkeys(p.strip() for p in str(value).split(separator) if p.strip()))


def segment_values(
    values: pd.Series, name: str = "", edges: tuple[float, ...] | None = None
) -> tuple[Parsed, tuple[float, ...]]:
    """A segment column's value per row as text (missing or empty: null), and its bins.

    Text and category values are kept as they are (spaces stripped). A numeric column
    with at most ``MAX_SEGMENT_VALUES`` distinct values is read as categories (``3``,
    not ``3.0``); with more it is binned: an age column (named ``age``, 99% of values 0-120)
    into age bands (:func:`bin_numeric`), any other into five bands of about equal
    size (quintiles: ``<= 10``, ``(10, 25]``, ..., ``> 80``). The second value is the
    bins used (``()``: categories); pass it back as ``edges`` to bin another part of
    the same column (a chunk) the same way.
    """
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        text = values.astype("string").str.strip()
        if not edges and not (edges is None and _numbers_as_text(text)):
            return Parsed(text.where(text != ""), 0, ""), ()
        values = pd.to_numeric(text, errors="coerce")
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    known = numbers.dropna()
    if edges is None:
        if known.nunique() <= MAX_SEGMENT_VALUES:
            edges = ()
        elif AGE_NAME.search(str(name)) and known.between(0, 120).mean() >= 0.99:
            edges = AGE_EDGES
        else:
            inner = np.unique(np.quantile(known, [0.2, 0.4, 0.6, 0.8]))
            edges = (-np.inf, *(float(e) for e in inner), np.inf)
    if not edges:
        text = numbers.map(lambda v: f"{v:g}", na_action="ignore").astype("string")
        return Parsed(text, 0, ""), ()
    if tuple(edges) == AGE_EDGES:
        binned = bin_numeric(numbers)
    else:
        labels = [f"<= {edges[1]:g}"]
        labels += [
            f"({low:g}, {high:g}]" for low, high in zip(edges[1:-2], edges[2:-1], strict=True)
        ]
        labels += [f"> {edges[-2]:g}"]
        bands = pd.cut(numbers, bins=list(edges), labels=labels)
        binned = Parsed(pd.Series(bands, index=values.index), 0, "")
    text = binned.values.astype("string")
    return Parsed(text.where(binned.values.notna()), binned.invalid, binned.note), tuple(edges)


def _numbers_as_text(text: pd.Series) -> bool:
    """Whether a text column holds only numbers (a CSV read as text: tenure in months,
    MRR), none written with a leading zero as codes are ("02139", "007")."""
    filled = text.dropna()
    filled = filled[filled != ""]
    if filled.empty or filled.str.match(r"^[+-]?0\d").any():
        return False
    return bool(pd.to_numeric(filled, errors="coerce").notna().all())


def _fmt(number: float) -> str:
    return f"{number:g}"


def customer_ids(values: pd.Series) -> pd.Series:
    """A customer id column as strings, a blank cell (or spaces) none: 85 responses with
    no account id had been counted as one customer with the id "", and listed as a
    co-creator of 20 roadmap items."""
    ids = values.astype("string").str.strip()  # " ACC-1 " is ACC-1
    return ids.mask(ids.eq("").fillna(False))


def parse_score(values: pd.Series, kind: str) -> Parsed:
    """A score column as floats; invalid cells are NaN and counted.

    ``nps``: whole numbers 0-10; ``csat`` and ``rating``: whole numbers 1-5;
    ``numeric``: any number. Text such as ``9/10`` or ``4 stars`` is read by its
    first number; ``9.5`` is invalid for the whole-number kinds.
    """
    if kind not in SCORE_TYPES:
        raise ValueError(f"score type must be one of {', '.join(SCORE_TYPES)}, got {kind!r}")
    if kind == "good_bad":
        return _parse_good_bad(values)
    written = None
    if kind in ("csat", "rating", "numeric") and not pd.api.types.is_numeric_dtype(values):
        written = likert_values(values)
    if written is not None:
        text = values.astype("string").str.strip()
        present = values.notna() & (text != "") & ~text.str.lower().isin(NO_ANSWER).fillna(False)
        invalid = int((present & written.isna()).sum())
        note = f"{invalid:,} {kind} values are not valid" if invalid else ""
        return Parsed(written.rename(values.name), invalid, note)
    if pd.api.types.is_numeric_dtype(values):
        numbers = pd.to_numeric(values, errors="coerce").astype(float)
    else:
        text = values.astype("string").str.strip()
        first = text.str.extract(r"^\s*([-+]?\d+(?:[.,]\d+)?)", expand=False)
        numbers = pd.to_numeric(first.str.replace(",", ".", regex=False), errors="coerce")
        # A whole cell that is a number as written ("1e1", "9.0") is that number.
        whole = pd.to_numeric(text.astype(object), errors="coerce")
        numbers = whole.where(whole.notna(), numbers).astype(float)
    valid = numbers.notna() & np.isfinite(numbers)
    if kind in SCORE_RANGES:
        low, high = SCORE_RANGES[kind]
        valid &= (numbers >= low) & (numbers <= high) & (numbers == np.round(numbers))
    present = values.notna() & (values.astype("string").str.strip() != "")
    cleaned = numbers.where(valid)
    invalid = int((present & ~valid).sum())
    note = f"{invalid:,} {kind} values are not valid" if invalid else ""
    return Parsed(cleaned.rename(values.name), invalid, note)


def _good_bad_words(values: pd.Series) -> pd.Series:
    """Each cell lower-cased and trimmed, a number as written ("1", "0")."""
    return values.astype("string").str.strip().str.lower().str.replace(r"\.0$", "", regex=True)


def _parse_good_bad(values: pd.Series) -> Parsed:
    """A Good/Bad rating as 100 (good) or 0 (bad); 1/0 and true/false read the same
    way, and 100 (a rating read before) is good; an unrated cell ("Offered") is blank,
    anything else invalid and counted."""
    words = _good_bad_words(values)
    good = words.isin(GOOD_VALUES | {"1", "true", "100"}).fillna(False)
    bad = words.isin(BAD_VALUES | {"0", "false"}).fillna(False)
    numbers = pd.Series(np.where(good, 100.0, np.where(bad, 0.0, np.nan)), index=values.index)
    present = words.notna() & (words != "") & ~words.isin(UNRATED_VALUES).fillna(False)
    invalid = int((present & ~(good | bad)).sum())
    note = f"{invalid:,} good_bad values are not valid" if invalid else ""
    return Parsed(numbers.rename(values.name), invalid, note)


def _good_or_bad(filled: pd.Series) -> bool:
    """Whether a column's filled cells are a Good/Bad rating: at least 90% good, bad
    or unrated words (not numbers), both a good and a bad among them."""
    words = _good_bad_words(filled)
    good, bad = words.isin(GOOD_VALUES).fillna(False), words.isin(BAD_VALUES).fillna(False)
    known = good | bad | words.isin(UNRATED_VALUES).fillna(False)
    return bool(good.any() and bad.any() and known.mean() >= 0.9)


# Answers of a five-point scale written out, as survey tools export them: agreement,
# satisfaction, quality and likelihood, each read 1-5 (a Likert item given as the score
# had been 1,200 unreadable cells).
LIKERT_SCALES = (
    ("strongly disagree", "disagree", "neither agree nor disagree", "agree", "strongly agree"),
    ("very dissatisfied", "dissatisfied", "neither satisfied nor dissatisfied", "satisfied",
     "very satisfied"),
    ("very poor", "poor", "fair", "good", "excellent"),
    ("poor", "fair", "good", "very good", "excellent"),
    # the NHS Friends and Family Test's answers ("Very good" had been read 4, as "Good",
    # and "Neither good nor poor" left blank: a hospital survey's mean 2.30 for 2.51)
    ("very poor", "poor", "neither good nor poor", "good", "very good"),
    ("very unlikely", "unlikely", "neither likely nor unlikely", "likely", "very likely"),
)  # fmt: skip
LIKERT_ALSO = {
    "somewhat disagree": 2,
    "somewhat agree": 4,
    "neutral": 3,
    "neither": 3,
    "unsatisfied": 2,
    "very unsatisfied": 1,
    "somewhat dissatisfied": 2,
    "somewhat satisfied": 4,
    "average": 3,
    "very good": 4,
}
# Every scale's words at once (a segment's answers in their order; a column no one scale
# reads): an answer of two scales takes the first's value ("Good" 4, "Fair" 3).
LIKERT: dict[str, float] = {}
for _scale in LIKERT_SCALES:
    for _i, _answer in enumerate(_scale):
        LIKERT.setdefault(_answer, float(_i + 1))
LIKERT.update({answer: float(value) for answer, value in LIKERT_ALSO.items()})


# Written answers that give no point of the scale: blank, not invalid.
NO_ANSWER = frozenset(
    ["n/a", "na", "-", "none", "not applicable", "don't know", "dont know", "prefer not to say"]
)


def _written_answers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each cell lower-cased and trimmed, and which of them hold an answer."""
    text = values.astype("string").str.strip().str.lower().str.rstrip(".")
    return text, text.notna() & (text != "") & ~text.isin(NO_ANSWER).fillna(False)


def likert_scale(values: pd.Series) -> tuple[str, ...]:
    """The one scale of :data:`LIKERT_SCALES` that holds most of a column's answers; on a
    tie ("Very good, Good, Poor" is of two scales) the one whose best answer is among
    them: a survey of "... Very good, Excellent" has some "Excellent" (a checking
    helper's Friends and Family answers without "Very poor" or "Neither good nor poor"
    had been read Very good 4, Good 3)."""
    text, filled = _written_answers(values)
    return _best_scale(text[filled])


def _best_scale(answers: pd.Series) -> tuple[str, ...]:
    """:func:`likert_scale` of answers already read (:func:`_written_answers`)."""
    held = set(answers.unique())
    return max(
        LIKERT_SCALES,
        key=lambda scale: (answers.isin(scale).mean(), scale[-1] in held, scale[0] in held),
    )


def likert_values(values: pd.Series) -> pd.Series | None:
    """A column of written five-point answers ("Strongly agree") as 1-5, when most of its
    filled cells (80%) are such answers; None otherwise.

    The answers are read on the one scale of :data:`LIKERT_SCALES` that holds most of
    them (:func:`likert_scale`), with the other words of :data:`LIKERT_ALSO` it does not
    use itself: "Good" is 4 of "Very poor ... Excellent" and 3 of "Poor, Fair, Good,
    Very good, Excellent"; a column no one scale reads is read with every scale's words.
    """
    text, filled = _written_answers(values)
    if not filled.any():
        return None
    best = _best_scale(text[filled])
    words = {
        **{answer: float(value) for answer, value in LIKERT_ALSO.items() if answer not in best},
        **{answer: float(i + 1) for i, answer in enumerate(best)},
    }
    numbers = text.map(words, na_action="ignore").astype(float)
    if numbers[filled].notna().mean() < 0.8:
        numbers = text.map(LIKERT, na_action="ignore").astype(float)
    if numbers[filled].notna().mean() < 0.8:
        return None
    return numbers


@dataclass
class DetectedColumns:
    """Columns guessed by :func:`detect_columns`, each with the reason."""

    date: str | None = None
    segments: list[str] = field(default_factory=list)
    score: str | None = None
    score_kind: str | None = None
    reasons: dict[str, str] = field(default_factory=dict)
    # A column whose name says nothing of a score but whose values are whole numbers 0-10
    # as a 0-10 question's answers are ("would_return"): suggested, never taken.
    score_hint: str | None = None
    # Columns of a few repeated values with too few rows per value to be detected as
    # segments (a 40-person survey's Department): said, never taken.
    near_segments: dict[str, str] = field(default_factory=dict)


def detect_columns(
    frame: pd.DataFrame, exclude: tuple[str, ...] = (), sample: int = 2000
) -> DetectedColumns:
    """Guess the date, segment and score columns when it is obvious; say why for each.

    - date: a datetime column, or one whose name says date/time and where at least 90%
      of a sample of filled cells read as dates (or, without such a name, 98%), and
      at least 90% carry a year (19xx or 20xx);
    - score: a column named like nps/csat/rating/score whose filled values are whole
      numbers in 0-10 (nps; csat/rating when 1-5 and named so) or numbers in 0-100
      (numeric; a forum post's upvote "score" is none);
    - segments: text or category columns with 2..30 distinct values that repeat
      (distinct values at most 5% of the filled rows), not id-like, and a numeric
      ``age`` column (binned with :func:`bin_numeric`).

    ``exclude`` (the text and customer id columns) is never guessed.
    """
    found = DetectedColumns()
    head = frame.head(sample)
    # A survey tool's question row names what a coded column asks (Qualtrics' "Q1" is
    # "How likely are you to recommend ...?"): a score is read from it too, where "Q1"
    # had been no score and its NPS group a segment.
    titles = frame.attrs.get("column_titles") or {}
    for name in frame.columns:
        if name in exclude:
            continue
        column = head[name]
        # Blank cells (a CSV's empty strings) are not filled: a CSAT column that 20%
        # of respondents left blank is still a score column.
        filled = filled_cells(column)
        if filled.empty:
            continue
        if found.date is None and (reason := _date_reason(name, column)):
            found.date, found.reasons[name] = name, reason
            continue
        asked = f"{name} {titles[name]}" if titles.get(name) else name
        if found.score is None and (guess := _score_guess(asked, filled)):
            found.score, found.score_kind, found.reasons[name] = name, *guess
            continue
        reason, near = _segment_reasons(name, frame[name])
        twin = next((s for s in found.segments if _same_groups(frame[s], frame[name])), None)
        if reason and twin is not None:
            # The same groups under other names (a topic's title and its slug, a country
            # and its code): one segment, not two tables of the same figures.
            continue
        if reason:
            found.segments.append(name)
            found.reasons[name] = reason
        elif found.score_hint is None and _zero_to_ten(name, filled):
            found.score_hint = name
        elif near:
            found.near_segments[name] = near
    if found.score is not None:
        found.score_hint = None
    return found


def _zero_to_ten(name: str, filled: pd.Series) -> bool:
    """Numbers that :func:`score_type` reads as NPS by their values alone (whole numbers
    0-10, one above 5), three values at least, in a column whose name is not an id's or
    an age's: the answers to a 0-10 question."""
    if ID_NAME.search(str(name)) or AGE_NAME.search(str(name)) or not _numeric_like(filled):
        return False
    numbers = parse_score(filled, "numeric").values
    return numbers.nunique() >= 3 and score_type(filled)[0] == "nps"


def _numeric_like(column: pd.Series) -> bool:
    """Numbers, whether typed so or read as text (input cells come as they were written)."""
    if pd.api.types.is_bool_dtype(column):
        return False
    if pd.api.types.is_numeric_dtype(column):
        return True
    filled = column.dropna().astype(str).str.strip()
    filled = filled[filled != ""]
    return bool(len(filled)) and pd.to_numeric(filled, errors="coerce").notna().mean() >= 0.95


_WITH_YEAR = re.compile(
    r"(?:19|20)\d\d|(?i:\b\d{1,2}[/ -](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*[/ -]\d\d\b)"
)


def _date_reason(name: str, column: pd.Series) -> str:
    if pd.api.types.is_datetime64_any_dtype(column):
        return "datetime values"
    if DATE_NAME.search(str(name)) and (unit := _epoch_unit(column)) is not None:
        if unit == "excel":
            return "name and values: Excel's serial dates (days since 1899-12-30)"
        return "name and values: Unix time in " + ("seconds" if unit == "s" else "milliseconds")
    if _numeric_like(column) or pd.api.types.is_bool_dtype(column):
        return ""
    filled = int(column.notna().sum())
    # A date in an export carries its year ("05/Jan/26": Jira's short year beside the
    # month's name); "5/10" or "7" is a score, not a date.
    with_year = column.dropna().astype(str).str.contains(_WITH_YEAR, regex=True)
    if with_year.mean() < 0.9:
        return ""
    parsed = parse_dates(column)
    readable = 1 - parsed.invalid / max(filled, 1)
    named = bool(DATE_NAME.search(str(name)))
    if (named and readable >= 0.9) or readable >= 0.98:
        why = "name and values" if named else "values"
        order = ", day first (31/12)" if parsed.dayfirst else ""
        if parsed.order == "span":
            order = (
                f", {'day' if parsed.dayfirst else 'month'} first: no day is above 12, and "
                "the other order would spread the dates over a far longer time"
            )
        elif parsed.order == "guess":
            # A UK form's January-June had been read as January-December, unsaid.
            order = (
                ", month first: no day is above 12, so the order is a guess (--date-order "
                "day-first reads 05/03 as 5 March)"
            )
        return f"{why}: {readable:.0%} of filled cells read as dates{order}"
    return ""


# Names of a two-valued rating besides a score's ("Was this helpful?", "Thumbs", Steam's
# "voted_up").
GOOD_BAD_NAME = re.compile(r"helpful|useful|thumbs?\b|vote", re.I)
# A thumbs column's names, where 1/0 is up/down ("voted_up", "recommended", "thumbs").
THUMBS_NAME = re.compile(r"voted?_?up|recommend|thumbs?", re.I)
# Numbers about a comment, not the customer's rating of the product: Steam's
# "weighted_vote_score" (how helpful readers found a review), votes, likes. Taken as the
# score, Steam's helpfulness had been a mean score and every driver +0.00.
COUNT_NAME = re.compile(r"vote|helpful|upvote|\blikes?\b|karma|weighted", re.I)


def _true_or_false(filled: pd.Series, numbers: bool = False) -> bool:
    """Whether a column's filled cells are booleans, both values among them (also 1/0
    with ``numbers``: a thumbs column stored as numbers)."""
    words = set(_good_bad_words(filled).dropna().unique())
    return words == {"true", "false"} or (numbers and words == {"1", "0"})


def _score_guess(name: str, filled: pd.Series) -> tuple[str, str] | None:
    named = bool(SCORE_NAME.search(str(name)))
    if (named or GOOD_BAD_NAME.search(str(name))) and (
        _good_or_bad(filled) or _true_or_false(filled, numbers=bool(THUMBS_NAME.search(name)))
    ):
        return "good_bad", f"name and values: {SCORE_TYPE_TEXT['good_bad']}"
    if not named and not SCALE_NAME.search(str(name)):
        return None
    if COUNT_NAME.search(str(name)):
        return None
    numbers = parse_score(filled, "numeric").values
    if numbers.isna().mean() > 0.1:
        return None
    if not named:
        valid = numbers.dropna()
        scale = valid.between(0, 10).all() and (valid == valid.round()).all()
        if not scale or valid.nunique() < 3:
            return None
    kind, why = score_type(filled, name)
    if kind == "numeric" and not numbers.dropna().between(0, 100).all():
        return None  # counts, not a rating: a forum post's "score" is its upvotes
    return kind, f"name and {why}"


def distinct_parts(values: pd.Series, separator: str) -> set[str]:
    """Every value the cells of a multi-valued column hold."""
    return {p for v in values.dropna() for p in value_parts(v, separator)}


def filled_cells(values: pd.Series) -> pd.Series:
    """The cells of ``values`` that hold something: not null, not blank (a CSV's empty
    strings are no answer)."""
    return values[values.notna() & (values.astype("string").str.strip() != "")]


def is_rating(name: str, values: pd.Series) -> bool:
    """Whether a column holds answers on a rating scale, a score of its own (written
    five-point answers, "How satisfied are you ...? (1-5)", a CSAT or stars column):
    an opinion like the score, not an attribute of who gave it."""
    filled = filled_cells(values)
    if filled.empty:
        return False
    return likert_values(filled) is not None or _score_guess(name, filled) is not None


# Names of a 0-10 measure that is not a likelihood to recommend: a customer's health, a
# customer effort score, a lead's or a risk's score.
OTHER_MEASURE = re.compile(
    r"health|effort|\bces\b|quality|risk|priority|severity|urgency|importance|lead|"
    r"engagement|confidence|fit\b|difficulty|complexity",
    re.I,
)
# The share of a score column's numbers that must be valid for the type its name says.
NAMED_SCORE_VALID = 0.8


def score_type(values: pd.Series, name: str = "") -> tuple[str, str]:
    """The type of a score column from its name and values, with the reason.

    A name saying nps/recommend, csat/satisfaction or rating/stars gives that type
    when at least :data:`NAMED_SCORE_VALID` of its numbers are valid for it (the rest
    are then invalid and counted: an "nps_score" column holding a few -1, 11 and 9.5
    is still NPS, not a mean of -1..11). Otherwise by the values: whole numbers 0-10 with one above
    5 are ``nps``, whole numbers 1-5 ``rating``; any other numbers (or none) are
    ``numeric``: their mean is the score.
    """
    filled = filled_cells(values)
    if _good_or_bad(filled):
        return "good_bad", f"values: {SCORE_TYPE_TEXT['good_bad']}"
    if _true_or_false(filled):  # Steam's voted_up: true is good
        return "good_bad", f"values true/false: {SCORE_TYPE_TEXT['good_bad']}"
    if likert_values(filled) is not None:
        scale = likert_scale(filled)
        return (
            "rating",
            f"answers of a five-point scale ({scale[0].capitalize()} ... "
            f"{scale[-1].capitalize()}): 1-5, mean",
        )
    numbers = parse_score(values, "numeric").values.dropna()
    if numbers.empty:
        return "numeric", "no numbers: mean score"
    lowered = str(name).lower()
    for kind, words in SCORE_TYPE_NAMES.items():
        if any(word in lowered for word in words):
            valid = parse_score(numbers, kind).values.notna().mean()
            if valid >= NAMED_SCORE_VALID:
                return kind, f"{SCORE_TYPE_TEXT[kind]} ({valid:.0%} valid)"
    whole = bool((numbers == np.round(numbers)).all())
    low, high = numbers.min(), numbers.max()
    other = OTHER_MEASURE.search(lowered)
    if whole and low >= 0 and high <= 10 and high > 5 and other:
        # A CSM's health score 0-10 had been an NPS ("NPS -42.0").
        return "numeric", f"whole numbers 0-10 named '{other.group(0)}', not NPS: mean score"
    if whole and low >= 0 and high <= 10 and high > 5:
        return "nps", f"whole numbers 0-10: {SCORE_TYPE_TEXT['nps']}"
    if whole and low >= 1 and high <= 5:
        return "rating", f"whole numbers 1-5: {SCORE_TYPE_TEXT['rating']}"
    return "numeric", f"numbers {low:g}..{high:g}: mean score"


# Columns that name a person (a respondent's first or last name, a ticket's reporter or
# assignee, a post's author): never guessed as segments, since a table of scores by
# surname is neither a finding nor something to share. Named with --segment-col, kept.
PERSON_NAME = re.compile(
    r"(?i)^(recipient|respondent|customer|contact|user|client|person)?[\s_]*"
    r"(first|last|full|given|family|middle|sur|nick|display|user)[\s_]*name$|^name$|"
    r"^((account|opportunity|opp|case|ticket|deal|lead|contact|record)[\s_]*)?"
    r"(reporter|assignee|author|creator|owner|agent|requester|submitter|commenter|"
    r"login|username|handle|user|participant|interviewee|interviewer|moderator|speaker|"
    r"reviewer|tester|sender|rep|sales[\s_]*rep|csm|account[\s_]*(manager|executive))"
    r"([\s_]*(name|login))?$"
)


# A text's own title ("review_title", "Subject", "Headline"): the writer's words, short
# and often repeated ("Great kettle"), never a segment (a shop's review titles had been
# one, held fixed in the drivers: the delivery-damage themes' effect +0.04 where their
# reviews averaged 1.65 stars against 2.77).
TITLE_NAME = re.compile(
    r"(?i)^(?:(?:review|post|ticket|comment|question|message|feedback|issue|thread|topic|"
    r"response|answer|e-?mail|mail|case|idea|note)[._ ]?)?(?:title|subject|headline|heading|"
    r"summary)$"
)


def _names_a_person(name: str) -> bool:
    """Whether a column's name says it holds people (:data:`PERSON_NAME`), a nested JSON
    field's too ("source.author.name", "user.login")."""
    parts = name.strip().split(".")
    return any(
        PERSON_NAME.search(candidate)
        for candidate in (name.strip(), parts[-1], "_".join(parts[-2:]))
    )


def _segment_values(name: str, column: pd.Series) -> pd.Series | None:
    """The filled values of a column that could be a segment (text or categories; not
    an id's, a person's, nested records or numbers), else None."""
    if ID_NAME.search(str(name)) or _names_a_person(str(name)) or TITLE_NAME.search(str(name)):
        return None
    filled = column.dropna()
    if nested_values(filled):
        return None  # nested records (a JSON export's user or labels): not one value each
    filled = filled[filled.astype(str).str.strip() != ""]  # a blank cell is no value
    if _numeric_like(column) or _amounts_like(filled):
        return None
    if _sentences(filled):
        return None
    return filled


# A segment's values are names ("Tier 1", "Neither agree nor disagree", "Senior Vice
# President of Sales"); values of more words than this, at the median, are sentences.
SEGMENT_VALUE_WORDS = 6


def _sentences(filled: pd.Series) -> bool:
    """Whether a column's distinct values are sentences, not names: a developer's few
    canned replies to reviews ("Hi, sorry for the trouble, please contact ...") had been
    a segment, 12 of a run's 26 flagged pairs and a driver held fixed."""
    distinct = pd.Series(filled.astype(str).unique())
    return bool(distinct.str.split().str.len().median() > SEGMENT_VALUE_WORDS)


def _amounts_like(filled: pd.Series) -> bool:
    """Amounts as exports write them ("18,000", "$299.00"), which plain numbers' rules
    apply to: no segment of them is detected, as none of plain numbers is."""
    if filled.empty or pd.api.types.is_numeric_dtype(filled):
        return False
    # An amount below zero as accounting writes it, "(1,200)" or "-$40", is an amount too.
    text = filled.astype(str).str.strip().str.replace(r"^-?\((.*)\)$|^-(.*)$", r"\1\2", regex=True)
    if not text.str.contains(r"\d[,.'\s]\d{3}\b|[$€£¥₹]|\d[kKmM]$", regex=True).any():
        return False
    return parse_amounts(text).values.notna().mean() >= 0.95


# A column of a few values repeated this much (distinct values at most this share of the
# filled rows) is named when too few rows per value keep it from being a segment.
NEAR_SEGMENT_SHARE = 0.25


def _same_groups(first: pd.Series, second: pd.Series) -> bool:
    """Whether two columns split the rows into the same groups (one value of each for
    each value of the other)."""
    a = first.astype("string").fillna("")
    b = second.astype("string").fillna("")
    pairs = pd.DataFrame({"a": a, "b": b}).drop_duplicates()
    return len(pairs) == a.nunique() == b.nunique()


def _segment_reasons(name: str, column: pd.Series) -> tuple[str, str]:
    """Why a column is a detected segment ("" when not), and why a column of a few
    repeated values with too few rows per value is not ("7 values over 120 rows: ...";
    "" when it does not look like one): one reading of its values for both."""
    if _numeric_like(column) and not ID_NAME.search(str(name)):
        if str(name).lower() in ("age", "customer_age", "respondent_age"):
            return "numeric age: binned into age bands", ""
        return "", ""
    filled = _segment_values(name, column)
    if filled is None:
        return "", ""
    distinct = filled.astype(str).nunique()
    if not 2 <= distinct <= MAX_SEGMENT_VALUES:
        return "", ""
    if distinct <= 0.05 * len(filled):
        return f"{distinct} repeated values", ""
    if distinct <= NEAR_SEGMENT_SHARE * len(filled):
        return "", (
            f"{distinct} values over {len(filled):,} rows, too few rows per value to "
            f"compare (a detected segment needs 20 rows per value; --segment-col {name} "
            "uses it)"
        )
    return "", ""
