"""Themes by customer segment: share and net sentiment per segment value, over/under-indexing.

For each segment column (plan, region, channel, an age band) and each value of it:
the share of the value's comments about each theme, against the theme's share over
all comments. ``lift`` = share within the segment / overall share. The test is
Fisher's exact test of the 2x2 table (in the segment / not) x (theme / not),
two-sided; Benjamini-Hochberg over every theme x segment value of the call (all
columns together). A pair is tested only when the segment has ``min_n`` comments
and the theme ``min_n`` in it, or its overall share predicts ``min_n`` there
(whichever is larger); otherwise it is ``too_few`` and never flagged. Flags: ``over``
(adjusted p < alpha, lift >= min_lift) and ``under`` (lift <= 1 / min_lift).

A column of several values a cell (tags "api;performance": ``multi``, column ->
separator) puts a comment in each of its values: a value's comments are those whose
cell holds it, and "not in the segment" the other comments with a value in the column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from miner.insights.columns import LIKERT, value_parts
from miner.insights.stats import (
    DEFAULT_ALPHA,
    DEFAULT_MIN_LIFT,
    DEFAULT_MIN_N,
    analysed,
    bh_adjust,
    fisher_p,
    flag_direction,
    mentions,
    net_sentiment,
    sentiment_signs,
    themed,
)
from miner.schema import OVER, SEGMENT_COLUMNS, SEGMENT_SUMMARY_COLUMNS, UNDER


def segment_summary(
    documents: pd.DataFrame,
    segment_cols: Sequence[str],
    min_n: int = DEFAULT_MIN_N,
    score_col: str | None = None,
    score_type: str = "nps",
    multi: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One row per segment column x value: ``comments``, ``share`` of all analysed
    comments with a value in that column (a comment in each value of a ``multi``
    column's cell), ``net_sentiment`` over the ``sentiment_n``
    of them with a sentiment (NaN below min_n of those) and ``too_few``; with
    ``score_col`` (parsed scores), the segment's score (NPS, else the mean) with its
    95% interval and ``score_n`` (NaN below min_n scored comments; see
    :func:`score_with_interval`). Missing values are left out.
    """
    from miner.insights.drivers import contributions

    rows = analysed(documents)
    signs = sentiment_signs(rows)
    y = None
    if score_col is not None and score_col in rows.columns:
        y = contributions(pd.to_numeric(rows[score_col], errors="coerce"), score_type)
        y = np.asarray(y, dtype=float)
    tables = []
    for column in segment_cols:
        members, codes, values = _memberships(rows[column], (multi or {}).get(column))
        comments = np.bincount(codes, minlength=len(values))
        if signs is None:
            net, read = np.full(len(values), np.nan), np.zeros(len(values), dtype=np.int64)
        else:
            net = net_sentiment(signs[members], codes, len(values))
            rated = ~np.isnan(signs[members])
            read = np.bincount(codes[rated], minlength=len(values))
        too_few = comments < min_n
        scores = score_with_interval(None if y is None else y[members], codes, len(values), min_n)
        known = np.unique(members)
        tables.append(
            pd.DataFrame(
                {
                    "segment_column": column,
                    "segment": values,
                    "comments": comments,
                    "share": comments / max(len(known), 1),
                    # Over the comments with a sentiment: a country whose comments are
                    # mostly in French reads its few English ones, and says how few.
                    "net_sentiment": np.where(read < max(min_n, 1), np.nan, net),
                    "sentiment_n": read,
                    "too_few": too_few,
                    **scores,
                }
            )
        )
    if not tables:
        return pd.DataFrame(columns=list(SEGMENT_SUMMARY_COLUMNS))
    return pd.concat(tables, ignore_index=True)[list(SEGMENT_SUMMARY_COLUMNS)]


def score_with_interval(y: np.ndarray | None, codes: np.ndarray, groups: int, min_n: int) -> dict:
    """Per group (``codes``, -1: none): ``score`` (the mean of ``y``, each comment's
    contribution: NPS +100/0/-100, else its score), ``score_low`` and ``score_high``
    (95% normal interval, mean ± 1.96 standard errors: for NPS the usual interval of
    a difference of two shares) and ``score_n`` (comments with a score); the score
    and interval NaN below ``min_n`` scored comments, every value NaN without ``y``."""
    if y is None:
        nan = np.full(groups, np.nan)
        return {"score": nan, "score_low": nan, "score_high": nan, "score_n": nan}
    scored = (codes >= 0) & ~np.isnan(y)
    n = np.bincount(codes[scored], minlength=groups).astype(float)
    sums = np.bincount(codes[scored], weights=y[scored], minlength=groups)
    squares = np.bincount(codes[scored], weights=y[scored] ** 2, minlength=groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = sums / n
        variance = np.maximum(squares / n - mean**2, 0.0) * n / (n - 1)
        half = 1.96 * np.sqrt(variance / n)
    enough = n >= max(min_n, 2)
    return {
        "score": np.where(enough, mean, np.nan),
        "score_low": np.where(enough, mean - half, np.nan),
        "score_high": np.where(enough, mean + half, np.nan),
        "score_n": n,
    }


def segments(
    documents: pd.DataFrame,
    segment_cols: Sequence[str],
    min_n: int = DEFAULT_MIN_N,
    min_lift: float = DEFAULT_MIN_LIFT,
    alpha: float = DEFAULT_ALPHA,
    areas: Mapping[int, int] | None = None,
    multi: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One row per segment column x value x theme, with the test described above
    (``areas``, theme id -> area id: x area, in column ``theme_id``; ``multi``: the
    columns of several values a cell, see the module).

    Columns: ``segment_column``, ``segment`` (the value, as text), ``theme_id``,
    ``comments`` (the segment's comments about the theme), ``segment_comments`` (the
    segment's analysed comments in the themes' language, :func:`themed`: the share's
    n), ``share`` (NaN when the segment has fewer than min_n comments),
    ``overall_share`` (over comments with a value in the column), ``expected``
    (segment_comments x overall_share), ``lift``, ``p``,
    ``p_adj`` (the three NaN when too few), ``direction`` (``over``, ``under`` or
    empty), ``flagged``, ``too_few`` and ``net_sentiment`` of the segment's comments
    about the theme (NaN when comments < min_n). Themes come from ``theme_ids`` when
    present (a comment counts for every theme it mentions).
    """
    rows = themed(documents)
    pairs = mentions(rows, "theme_id", areas)
    themes = np.sort(pairs["theme_id"].unique())
    theme_of = np.searchsorted(themes, pairs["theme_id"].to_numpy())
    pos = pairs["pos"].to_numpy()
    signs = sentiment_signs(rows)
    tables = [
        _column_table(
            _memberships(rows[column], (multi or {}).get(column)),
            column, pos, theme_of, themes, signs, min_n,
        )
        for column in segment_cols
    ]  # fmt: skip
    if not tables:
        return pd.DataFrame(columns=list(SEGMENT_COLUMNS))
    table = pd.concat(tables, ignore_index=True)
    table["p_adj"] = bh_adjust(table["p"].to_numpy())
    direction = flag_direction(
        table["p_adj"].to_numpy(), table["lift"].to_numpy(), alpha, min_lift, OVER, UNDER
    )
    table["direction"] = direction
    table["flagged"] = direction != ""
    return table[list(SEGMENT_COLUMNS)]


def _memberships(
    values: pd.Series, separator: str | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each comment's membership of the column's values: positions of the comments,
    the value's code of each, and the values (sorted as :func:`_codes` sorts them); a
    comment with no value has none, one of a multi-valued cell (``separator``) one per
    value."""
    if separator is None:
        codes, labels = _codes(values)
        members = np.flatnonzero(codes >= 0)
        return members, codes[members], labels
    parts = [value_parts(v, separator) for v in values.tolist()]
    members = np.repeat(np.arange(len(parts)), [len(p) for p in parts])
    flat = pd.Series([v for p in parts for v in p], dtype="string")
    codes, labels = _codes(flat)
    return members.astype(np.int64), codes.astype(np.int64), labels


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer code per row (-1 missing) and the distinct values as text, sorted: by
    their numbers when every value holds one (see :func:`value_order`), else as text."""
    text = values.astype("string")
    codes, uniques = pd.factorize(text, sort=True)
    labels = np.asarray(uniques.astype(str), dtype=object)
    order = value_order(labels)
    if order is None:
        return codes, labels
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return np.where(codes >= 0, rank[np.maximum(codes, 0)], -1), labels[order]


_FIRST_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
# An app's version: 4.2.0, v3.10 (read 3.1 as a number, it had sorted before 3.9).
_VERSION = re.compile(r"\d+(?:\.\d+)+")
_THREE_PARTS = re.compile(r"\d+\.\d+\.\d+")


def _by_keys(keys: list) -> np.ndarray:
    """The positions of ``keys`` in their sorted order."""
    return np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64)


def value_order(labels) -> np.ndarray | None:
    """The order of segment values that all hold a number, by that number: 2 before 10,
    bands as binned (``<= 10``, ``(10, 25]``, ``> 80``; ``<18``, ``18-24``, ``65+``) and
    company sizes (``1-50``, ``51-200``, ``1000+``); versions part by part (``3.9.0``
    before ``3.10.0``, when some value has three parts); None when a value holds none."""
    scale = [LIKERT.get(str(label).strip().lower().rstrip(".")) for label in labels]
    if len(labels) > 1 and all(value is not None for value in scale):
        # A five-point scale's answers in its order ("Strongly disagree" first), not
        # the alphabet's ("Agree, Disagree, Neither ...").
        keys = list(zip(scale, map(str, labels), strict=True))
        return _by_keys(keys)
    if any(_THREE_PARTS.search(str(label)) for label in labels):
        versions = [_VERSION.search(str(label)) for label in labels]
        if all(versions):
            keys = [
                (tuple(int(part) for part in found.group(0).split(".")), str(label))
                for found, label in zip(versions, labels, strict=True)
            ]
            return _by_keys(keys)
    keys = []
    for label in labels:
        found = _FIRST_NUMBER.search(str(label))
        if found is None:
            return None
        number = float(found.group(0))
        lead = str(label).lstrip()
        if lead.startswith("<"):
            number -= 0.5
        elif lead.startswith(">"):
            number += 0.5
        keys.append((number, str(label)))
    return _by_keys(keys)


def _column_table(membership, column, pos, theme_of, themes, signs, min_n) -> pd.DataFrame:
    members, codes, labels = membership
    n_values, n_themes = len(labels), len(themes)
    # Each (comment, theme) pair in each value its comment holds.
    order = np.argsort(members, kind="stable")
    sorted_members, sorted_codes = members[order], codes[order]
    start = np.searchsorted(sorted_members, pos, "left")
    held = np.searchsorted(sorted_members, pos, "right") - start
    pair = np.repeat(np.arange(len(pos)), held)
    offset = np.arange(int(held.sum())) - np.repeat(np.cumsum(held) - held, held)
    cell = sorted_codes[start[pair] + offset] * n_themes + theme_of[pair]
    size = n_values * n_themes
    counts = np.bincount(cell, minlength=size).reshape(n_values, n_themes)
    segment_totals = np.bincount(codes, minlength=n_values)
    with_value = np.unique(members)
    population = len(with_value)  # comments with a value: each once
    theme_totals = np.bincount(theme_of[np.isin(pos, with_value)], minlength=n_themes)
    n = np.broadcast_to(segment_totals[:, None], counts.shape)
    theme_n = np.broadcast_to(theme_totals[None, :], counts.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, counts / n, np.nan)
        overall = theme_n / max(population, 1)
        expected = n * overall
        lift = np.where(overall > 0, share / overall, np.nan)
    too_few = (n < min_n) | (np.fmax(counts, expected) < min_n)
    p = fisher_p(counts, population, theme_n, n, where=~too_few)
    net = np.full(size, np.nan) if signs is None else net_sentiment(signs[pos][pair], cell, size)
    return pd.DataFrame(
        {
            "segment_column": column,
            "segment": np.repeat(labels, n_themes),
            "theme_id": np.tile(themes, n_values),
            "comments": counts.ravel(),
            "segment_comments": n.ravel(),
            "share": np.where(n < min_n, np.nan, share).ravel(),
            "overall_share": overall.ravel(),
            "expected": expected.ravel(),
            "lift": np.where(too_few, np.nan, lift).ravel(),
            "p": p.ravel(),
            "too_few": too_few.ravel(),
            "net_sentiment": np.where(counts.ravel() < min_n, np.nan, net),
        }
    )
