"""Shared statistics: analysed rows, theme mentions, Fisher's exact test, Benjamini-Hochberg.

Everything here is vectorised over numpy arrays so a whole table of tests (or many
simulated tables at once) runs in one call.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from miner.schema import ANALYSED, STATUS_DUPLICATE, UNASSIGNED

DEFAULT_MIN_N = 30
DEFAULT_ALPHA = 0.05
DEFAULT_MIN_LIFT = 1.5


def respondent_key(rows: pd.DataFrame) -> pd.Series:
    """Who answered each row: its ``row_id``, in a run of batches with its batch (each
    batch numbers its rows from 0: a batch added to a survey of two questions had kept
    10 of its 1,000 respondents' scores, the rest taken for the fit's respondents)."""
    if "batch" not in rows.columns:
        return rows["row_id"]
    return rows["batch"].astype(str) + "\x1f" + rows["row_id"].astype(str)


def analysed(documents: pd.DataFrame) -> pd.DataFrame:
    """The rows whose analysis counts (status ``ok`` or ``duplicate``), all rows without status."""
    if "status" not in documents.columns:
        return documents
    return documents[documents["status"].isin(ANALYSED)]


def customer_repeats(status: pd.Series, ids: pd.Series, texts: pd.Series) -> np.ndarray:
    """Rows that repeat, word for word (case and spacing aside), a comment their own
    customer wrote before (status ``duplicate``, the same id): one voice saying the same
    thing again, counted once in trends, emerging, segments, drivers and the roadmap
    (one account's 31 copies of "pls add dark mode!!!" had made a run's only emerging
    theme, four segment flags and a top driver). A row without an id repeats no one."""
    words = texts.astype("string").str.casefold().str.split().str.join(" ")
    pairs = pd.DataFrame({"id": ids.astype("string").to_numpy(), "text": words.to_numpy()})
    repeated = pairs.duplicated() & pairs["id"].notna() & pairs["text"].notna()
    return (repeated & (status.to_numpy() == STATUS_DUPLICATE)).to_numpy(dtype=bool)


def themed(documents: pd.DataFrame) -> pd.DataFrame:
    """The analysed rows in the language themes read (English, see :mod:`miner.language`;
    all of them without a ``language`` column): the base of every theme share compared
    across segments, periods or windows. A comment in another language has no theme by
    design, so counting it would make a country or a month with more such comments look
    as if it spoke less of every theme (28 false "over-indexed" flags for the
    English-speaking countries of a worldwide app's reviews)."""
    from miner.language import is_default_language

    rows = analysed(documents)
    if "language" not in rows.columns:
        return rows
    return rows[is_default_language(rows["language"])]


def mentions(
    documents: pd.DataFrame, by: str = "theme_id", areas: Mapping[int, int] | None = None
) -> pd.DataFrame:
    """One row per (comment, group it belongs to): ``pos`` (row position) and ``by``.

    For themes, a comment with ``theme_ids`` counts once for every theme it mentions;
    without ``theme_ids`` (or for an empty/missing cell) its ``theme_id`` counts.
    Unassigned (-1) is left out. ``pos`` indexes ``documents`` positionally. With
    ``areas`` (theme id -> area id) the groups are the themes' areas, still in column
    ``by``: a comment counts once per area it mentions, a theme in no area not at all.
    """
    positions = np.arange(len(documents))
    if by == "theme_id" and "theme_ids" in documents.columns:
        lists = documents["theme_ids"].to_numpy()
        lengths = np.fromiter((_length(cell) for cell in lists), dtype=np.int64, count=len(lists))
        has = lengths > 0
        flat = (
            np.concatenate([np.asarray(cell, dtype=np.int64) for cell in lists[has]])
            if has.any()
            else np.empty(0, dtype=np.int64)
        )
        single = documents["theme_id"].to_numpy(dtype=np.int64)[~has]
        pos = np.concatenate([np.repeat(positions[has], lengths[has]), positions[~has]])
        ids = np.concatenate([flat, single])
    else:
        pos = positions
        ids = documents[by].to_numpy(dtype=np.int64)
    if areas is not None:
        ids = pd.Series(ids).map(areas).fillna(UNASSIGNED).to_numpy(dtype=np.int64)
    keep = ids != UNASSIGNED
    pairs = pd.DataFrame({"pos": pos[keep], by: ids[keep]}).drop_duplicates()
    return pairs.sort_values(["pos", by], kind="stable").reset_index(drop=True)


def _length(cell) -> int:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return 0
    return len(cell)


def sentiment_signs(documents: pd.DataFrame) -> np.ndarray | None:
    """+1 positive, -1 negative, 0 neutral, NaN missing (a comment in another language
    has no sentiment) per row; None without sentiment."""
    if "sentiment" not in documents.columns:
        return None
    labels = documents["sentiment"].to_numpy(dtype=object)
    signs = (labels == "positive").astype(np.float64) - (labels == "negative")
    signs[pd.isna(labels)] = np.nan
    return signs


def fisher_p(observed, population, successes, draws, where=None) -> np.ndarray:
    """Fisher's exact test of a 2x2 table, two-sided, vectorised; NaN where not asked.

    The table: ``draws`` comments of a group (a period, a segment) among ``population``
    comments; ``successes`` of all comments are about the theme, ``observed`` of the
    group's. The two-sided p is twice the one-sided p in the direction of the
    difference (the hypergeometric tail at or beyond ``observed``), capped at 1.
    ``where`` (a boolean mask) limits the work to the tables that are tested.
    """
    arrays = np.broadcast_arrays(
        np.asarray(observed, dtype=np.float64),
        np.asarray(population, dtype=np.int64),
        np.asarray(successes, dtype=np.int64),
        np.asarray(draws, dtype=np.int64),
    )
    # Imported here: scipy.stats takes a second to import, and the app's pages only
    # read the tests' results from the run.
    from scipy.stats import hypergeom

    mask = np.ones(arrays[0].shape, dtype=bool) if where is None else np.asarray(where)
    x, total, theme, group = (a[mask] for a in arrays)
    above = x * np.maximum(total, 1) >= group * theme  # observed >= expected
    tail = np.empty(x.shape)
    tail[above] = hypergeom.sf(x[above] - 1, total[above], theme[above], group[above])
    below = ~above
    tail[below] = hypergeom.cdf(x[below], total[below], theme[below], group[below])
    p = np.full(arrays[0].shape, np.nan)
    p[mask] = np.minimum(1.0, 2 * tail)
    return p


def bh_adjust(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p values over the last axis; NaN (no test) stays NaN.

    Leading axes are independent families (e.g. simulated runs). The adjusted p of the
    i-th smallest of m p values is min over j >= i of p_(j) * m / j, capped at 1.
    """
    p = np.asarray(p, dtype=np.float64)
    tested = ~np.isnan(p)
    m = tested.sum(axis=-1, keepdims=True)
    order = np.argsort(np.where(tested, p, np.inf), axis=-1, kind="stable")
    ranked = np.take_along_axis(p, order, axis=-1)
    rank = np.arange(1, p.shape[-1] + 1)
    scaled = ranked * m / rank
    scaled = np.where(np.isnan(scaled), np.inf, scaled)
    # Cumulative minimum from the largest p downwards.
    adjusted = np.minimum.accumulate(scaled[..., ::-1], axis=-1)[..., ::-1]
    adjusted = np.minimum(adjusted, 1.0)
    out = np.empty_like(adjusted)
    np.put_along_axis(out, order, adjusted, axis=-1)
    return np.where(tested, out, np.nan)


def flag_direction(
    p_adj: np.ndarray,
    lift: np.ndarray,
    alpha: float,
    min_lift: float,
    up: str,
    down: str,
) -> np.ndarray:
    """``up`` where significant and lift >= min_lift, ``down`` where lift <= 1/min_lift."""
    significant = np.nan_to_num(p_adj, nan=1.0) < alpha
    lift = np.nan_to_num(np.asarray(lift, dtype=np.float64), nan=1.0)
    out = np.full(np.shape(p_adj), "", dtype=object)
    out[significant & (lift >= min_lift)] = up
    out[significant & (lift <= 1 / min_lift)] = down
    return out


def net_sentiment(signs: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Share positive - share negative (-100..100) per group, over its comments with a
    sentiment (NaN signs left out: they counted as neutral until 2026-12-06, so a
    country whose comments are half in French read twice as mild); NaN for a group
    with none."""
    signs = np.asarray(signs, dtype=np.float64)
    read = ~np.isnan(signs)
    total = np.bincount(groups[read], minlength=n_groups)
    net = np.bincount(groups[read], weights=signs[read], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, 100 * net / total, np.nan)
