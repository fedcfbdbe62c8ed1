"""Customers: the customer list, one customer's feedback over time, forgetting a customer.

Pure functions over a loaded :class:`~miner.persist.Run` with a customer id column
(``miner fit --id-col``), except :func:`forget_customer`, which rewrites a run folder:

- :func:`customer_list`: one row per customer (``schema.CUSTOMER_COLUMNS``): volume
  (comments, themes), first and last date, sentiment trajectory and whether their
  sentiment is worsening (``at_risk``); ``extra`` merges more columns by customer id
  (the roadmap's co-creator score is wired there);
- :func:`customer_view`: one customer's comments in date order with theme, kind,
  sentiment and job, and the themes they care about;
- :func:`forget_customer`: removes a customer from a run (documents, pieces, the
  tables computed from them, the model's vectors of their texts, the embedding
  cache's entries of their texts) and records that it happened, not whom.

**At risk** (worsening sentiment): with analysed comments on at least
``RISK_MIN_COMMENTS`` (3) occasions, ``sentiment_trend`` is the least-squares slope of
``sentiment_score`` (−1..1) against the comment's occasion in date order (0, 1, 2, …;
the comments of one day, or one respondent's answers to several questions, are one
occasion): the change per occasion. A customer is at risk when the slope is at most
``RISK_SLOPE`` (−0.2: from neutral to clearly negative within three occasions) and their
latest comment is negative (``sentiment_score`` < 0). Fewer occasions: no trend, never
at risk. Comments
without a date keep their input order after the dated ones.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from miner import schema
from miner.curation import curated_only_themes
from miner.errors import CustomerNotFound
from miner.insights.columns import customer_ids
from miner.persist import Run, load_run, save_run
from miner.tables import key_positions, themes_again

RISK_MIN_COMMENTS = 3
RISK_SLOPE = -0.2
TOP_THEMES = 3
CLOSE_IDS = 5
# A training vector this similar to one of a forgotten customer's texts is that text.
SAME_VECTOR = 0.999

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


# ------------------------------------------------------------------ reading
def id_column(run: Run) -> str:
    """The documents column holding customer ids; E110 when the run has none."""
    column = run.id_column  # input_row_id for an input column named row_id
    if not column:
        raise CustomerNotFound(
            "this run has no customer id column; fit it again with "
            "`miner fit INPUT --id-col COL` (the column holding each customer's id)"
        )
    return column


def customer_rows(run: Run, customer_id: str) -> np.ndarray:
    """Mask of the documents rows of ``customer_id`` (every status); E110 when none,
    naming the closest ids in the run."""
    column = id_column(run)
    ids = customer_ids(run.documents[column])
    mask = (ids == str(customer_id)).fillna(False).to_numpy(dtype=bool)
    if not mask.any():
        known = [str(i) for i in ids.dropna().unique()]
        from miner.pii import mask_values

        # Other customers' ids, masked as everywhere miner shows them (`miner forget`
        # reads the run as it is, unmasked).
        close = mask_values(_close_ids(str(customer_id), known), key=run.meta.get("mask_key"))
        hint = f"; close ids: {', '.join(close)}" if close else ""
        raise CustomerNotFound(
            f"customer '{customer_id}' is not in this run ({len(known):,} customers in "
            f"column '{column}'){hint}; `miner customer RUN_DIR` lists them"
        )
    return mask


def _close_ids(wanted: str, known: list[str]) -> list[str]:
    """Up to ``CLOSE_IDS`` ids like ``wanted``: the same but for case and spacing first,
    then the most similar spellings (difflib)."""
    folded: dict[str, list[str]] = {}
    for name in known:
        folded.setdefault(name.strip().casefold(), []).append(name)
    key = wanted.strip().casefold()
    same = folded.get(key, [])
    similar = difflib.get_close_matches(key, list(folded), n=CLOSE_IDS, cutoff=0.6)
    close = [*same, *(n for k in similar if k != key for n in folded[k])]
    return close[:CLOSE_IDS]


def _dates(run: Run) -> pd.Series | None:
    """Each documents row's date (NaT when missing or unreadable), None without a date column."""
    from miner.insights.columns import parse_dates
    from miner.insights.run import input_frame

    date_col = run.meta.get("date_col")
    if not date_col:
        return None
    frame = input_frame(run.documents, run.meta)
    if date_col not in frame.columns:
        return None
    dates = parse_dates(frame[date_col], dayfirst=run.meta.get("date_dayfirst")).values
    return pd.Series(dates.to_numpy(), index=run.documents.index)


def _comments(run: Run, mask: np.ndarray | None = None) -> pd.DataFrame:
    """Analysed comments (of ``mask``'s rows) in customer, then date, then input order,
    with ``customer_id``, ``date`` and ``position`` (0, 1, … per customer)."""
    documents = run.documents
    column = id_column(run)
    keep = documents["status"].isin(schema.ANALYSED).to_numpy()
    if mask is not None:
        keep = keep & mask
    dates = _dates(run)
    comments = documents[keep].copy()
    comments["customer_id"] = customer_ids(comments[column])
    comments = comments[comments["customer_id"].notna()]
    comments["date"] = dates[comments.index] if dates is not None else pd.NaT
    comments = comments.sort_values(
        ["customer_id", "date", "row_id"], na_position="last", kind="stable"
    )
    comments["position"] = comments.groupby("customer_id", sort=False).cumcount()
    comments["occasion"] = _occasions(comments)
    return comments


def _occasions(comments: pd.DataFrame) -> pd.Series:
    """Each comment's occasion, 0, 1, … per customer in date order (``comments`` sorted
    as :func:`_comments` sorts them): the comments of one day, or one respondent's
    answers to several questions, are one occasion; an undated comment is its own."""
    key = "r" + comments["row_id"].astype(str)  # a respondent's answers share it
    if comments["date"].notna().any():
        day = pd.to_datetime(comments["date"]).dt.strftime("%Y-%m-%d")  # not the time
        key = day.where(comments["date"].notna(), key)
    customer = comments["customer_id"]
    new = (key != key.shift()) | (customer != customer.shift())
    return new.astype(int).groupby(customer, sort=False).cumsum() - 1


def _theme_labels(run: Run) -> dict[int, str]:
    themes = run.themes
    return dict(zip(themes["theme_id"].astype(int), themes["theme_label"].astype(str), strict=True))


def _mentioned(comments: pd.DataFrame) -> pd.Series:
    """Themes each comment mentions: ``theme_ids`` (main first), else its ``theme_id``."""
    if "theme_ids" in comments.columns:
        return comments["theme_ids"].map(lambda ids: [int(t) for t in ids])
    if "theme_id" in comments.columns:
        return comments["theme_id"].map(lambda t: [int(t)] if t >= 0 else [])
    return pd.Series([[] for _ in range(len(comments))], index=comments.index)


def _trend(comments: pd.DataFrame) -> pd.Series:
    """Least-squares slope of ``sentiment_score`` on the occasion (:func:`_occasions`,
    counting only occasions with a scored comment), per customer; NaN when fewer than
    ``RISK_MIN_COMMENTS`` occasions: three answers given together are no change over
    time (a survey's "stop doing" answer, negative by nature, had made 123 of 396
    respondents "at risk")."""
    scored = comments[comments["sentiment_score"].notna()]
    group = scored["customer_id"]
    x = scored["occasion"].groupby(group).rank(method="dense").astype(float) - 1
    y = scored["sentiment_score"].astype(float)
    dx = x - x.groupby(group).transform("mean")
    dy = y - y.groupby(group).transform("mean")
    sums = pd.DataFrame({"xy": dx * dy, "xx": dx * dx, "customer_id": group})
    sums = sums.groupby("customer_id").sum()
    occasions = x.groupby(group).max() + 1
    slope = (sums["xy"] / sums["xx"].where(sums["xx"] > 0)).astype(float)
    return slope.where(occasions.reindex(slope.index) >= RISK_MIN_COMMENTS)


def customer_list(
    run: Run, extra: pd.DataFrame | None = None, sort: str = "volume"
) -> pd.DataFrame:
    """One row per customer with analysed comments (``schema.CUSTOMER_COLUMNS``).

    ``extra`` (a table with a ``customer_id`` column) adds its other columns, merged by
    customer id (e.g. the roadmap's co-creator score); ``sort`` orders the list (see
    :func:`sort_customers`).
    """
    comments = _comments(run)
    labels = _theme_labels(run)
    has_sentiment = "sentiment_score" in comments.columns
    if not has_sentiment:
        comments["sentiment_score"] = np.nan
    comments["mentioned"] = _mentioned(comments)
    grouped = comments.groupby("customer_id", sort=True)
    table = pd.DataFrame({"comments": grouped.size()})
    themes_of = grouped["mentioned"].apply(lambda lists: [t for ts in lists for t in ts])
    table["themes"] = [int(pd.Series(t).nunique()) if len(t) else 0 for t in themes_of]
    top = [pd.Series(ts).value_counts().index[:TOP_THEMES] if len(ts) else [] for ts in themes_of]
    table["top_themes"] = ["; ".join(labels.get(int(t), str(t)) for t in ts) for ts in top]
    dated = run.meta.get("date_col") and comments["date"].notna().any()
    if dated:
        table["first_date"] = grouped["date"].min().dt.strftime("%Y-%m-%d")
        table["last_date"] = grouped["date"].max().dt.strftime("%Y-%m-%d")
    table["mean_sentiment"] = grouped["sentiment_score"].mean().round(3)
    table["last_sentiment"] = grouped["sentiment_score"].last().round(3)
    table["sentiment_trend"] = _trend(comments).reindex(table.index).round(3)
    table["at_risk"] = (table["sentiment_trend"] <= RISK_SLOPE) & (table["last_sentiment"] < 0)
    table["sentiment_scores"] = grouped["sentiment_score"].agg(
        lambda s: [round(float(v), 3) for v in s if pd.notna(v)]
    )
    table = table.rename_axis("customer_id").reset_index()
    table["customer_id"] = table["customer_id"].astype(str)
    if extra is not None:
        extra = extra.assign(customer_id=extra["customer_id"].astype(str))
        table = table.merge(extra, on="customer_id", how="left")
    return sort_customers(table, sort)


def cocreator_columns(run: Run) -> pd.DataFrame:
    """Each customer's co-creator score and its reasons (``miner.roadmap.cocreators``),
    for ``customer_list(run, extra=...)``."""
    from miner.roadmap.cocreators import customer_scores

    scores = customer_scores(run)
    reasons = scores["reasons"].map(lambda r: "; ".join(r) if isinstance(r, list | tuple) else r)
    return pd.DataFrame(
        {
            "customer_id": scores["customer_id"],
            "cocreator_score": scores["cocreator_score"],
            "cocreator_reasons": reasons,
        }
    )


def sort_customers(table: pd.DataFrame, by: str = "volume") -> pd.DataFrame:
    """The customer list ordered by ``volume`` (most comments, then most themes),
    ``at_risk`` (at risk first, then the most negative trend), ``recent`` (latest
    comment first) or any column of the table (largest first); ties by id."""
    if by == "volume":
        keys, ascending = ["comments", "themes"], [False, False]
    elif by == "at_risk":
        keys, ascending = ["at_risk", "sentiment_trend", "comments"], [False, True, False]
    elif by == "recent" and "last_date" in table.columns:
        keys, ascending = ["last_date", "comments"], [False, False]
    elif by == "cocreator" and "cocreator_score" in table.columns:
        keys, ascending = ["cocreator_score", "comments"], [False, False]
    elif by in table.columns:
        keys, ascending = [by], [False]
    else:
        raise CustomerNotFound(
            f"cannot sort customers by '{by}'; use one of {', '.join(schema.CUSTOMER_SORTS)}"
            + (f" or a column: {', '.join(table.columns)}" if len(table.columns) else "")
        )
    ordered = table.sort_values(
        [*keys, "customer_id"], ascending=[*ascending, True], na_position="last", kind="stable"
    )
    return ordered.reset_index(drop=True)


@dataclass
class CustomerView:
    """One customer: their summary (a :func:`customer_list` row), their comments in
    date order and the themes they mention, most mentioned first."""

    customer_id: str
    summary: dict
    comments: pd.DataFrame
    themes: pd.DataFrame
    rows: int = 0  # documents rows of the customer, analysed or not

    def to_dict(self) -> dict:
        """JSON-ready: summary, comments and themes as lists of records."""
        return {
            "customer_id": self.customer_id,
            "rows": self.rows,
            "summary": _plain(self.summary),
            "comments": [_plain(r) for r in self.comments.to_dict(orient="records")],
            "themes": [_plain(r) for r in self.themes.to_dict(orient="records")],
        }


VIEW_COLUMNS = (
    "row_id",
    "date",
    "score",
    "theme_id",
    "theme_label",
    "other_themes",
    "kind",
    "sentiment",
    "sentiment_score",
    "job_statement",
    "text",
)


def customer_view(run: Run, customer_id: str, mask: bool = True) -> CustomerView:
    """``customer_id``'s comments over time (text masked unless ``mask`` is False)."""
    rows = customer_rows(run, customer_id)
    comments = _comments(run, rows)
    labels = _theme_labels(run)
    mentioned = _mentioned(comments)
    main = comments["theme_id"] if "theme_id" in comments else pd.Series(-1, comments.index)
    shown = comments.assign(
        date=comments["date"].dt.strftime("%Y-%m-%d") if comments["date"].notna().any() else None,
        other_themes=[
            "; ".join(labels.get(t, str(t)) for t in ts if t != first)
            for ts, first in zip(mentioned, main, strict=True)
        ],
        text=_quotes(run, comments, mask),
    )
    if mask and "job_statement" in shown.columns:
        from miner.pii import mask_texts

        shown["job_statement"] = mask_texts(shown["job_statement"].tolist())
    shown = shown[[c for c in VIEW_COLUMNS if c in shown.columns]].reset_index(drop=True)
    pairs = comments.assign(theme_id=mentioned).explode("theme_id").dropna(subset=["theme_id"])
    if "sentiment_score" not in pairs.columns:
        pairs["sentiment_score"] = np.nan
    themes = (
        pairs.groupby("theme_id")
        .agg(comments=("row_id", "size"), mean_sentiment=("sentiment_score", "mean"))
        .reset_index()
    )
    themes["theme_id"] = themes["theme_id"].astype(int)
    themes.insert(1, "theme_label", themes["theme_id"].map(lambda t: labels.get(t, str(t))))
    themes["mean_sentiment"] = themes["mean_sentiment"].round(3)
    themes = themes.sort_values(["comments", "theme_id"], ascending=[False, True])
    summary_table = customer_list(dataclasses.replace(run, documents=run.documents[rows]))
    summary = summary_table.iloc[0].to_dict() if len(summary_table) else {}
    return CustomerView(
        str(customer_id), summary, shown, themes.reset_index(drop=True), int(rows.sum())
    )


def _quotes(run: Run, comments: pd.DataFrame, mask: bool) -> pd.Series:
    if mask and "masked_text" in comments.columns:
        return comments["masked_text"].astype("string").fillna("")
    if mask:
        from miner.pii import mask_texts

        return pd.Series(mask_texts(comments[run.text_col].tolist()), index=comments.index)
    return comments[run.text_col].astype("string").fillna("")


def _plain(record: dict) -> dict:
    plain = {}
    for key, value in record.items():
        if isinstance(value, np.ndarray):
            value = value.tolist()
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, float) and np.isnan(value):
            value = None
        if value is pd.NA or value is pd.NaT:
            value = None
        plain[key] = value
    return plain


def view_markdown(view: CustomerView) -> str:
    """The customer view as Markdown: summary line, comments table, themes table."""
    summary = view.summary
    lines = [f"# Customer {_cell(view.customer_id)}", ""]
    facts = [f"{summary.get('comments', 0)} comments", f"{summary.get('themes', 0)} themes"]
    if summary.get("first_date"):
        facts.append(f"{summary['first_date']} to {summary['last_date']}")
    if summary.get("mean_sentiment") is not None and pd.notna(summary.get("mean_sentiment")):
        facts.append(f"mean sentiment {summary['mean_sentiment']:+.2f}")
    trend = summary.get("sentiment_trend")
    if trend is not None and pd.notna(trend):
        facts.append(f"trend {trend:+.2f} per occasion")
    if summary.get("at_risk"):
        facts.append("**at risk** (sentiment worsening)")
    lines += ["; ".join(facts) + ".", "", "## Comments", ""]
    scored = "score" in view.comments.columns and view.comments["score"].notna().any()
    heads = ["date", *(["score"] if scored else []), "theme", "kind", "sentiment", "job"]
    lines += [
        "| " + " | ".join([*heads, "comment"]) + " |",
        "|---|" + ("---:|" if scored else "") + "---|---|---:|---|---|",
    ]
    for row in view.comments.to_dict(orient="records"):
        theme = str(row.get("theme_label") or "")
        if row.get("other_themes"):
            theme += f" (also: {row['other_themes']})"
        score = row.get("sentiment_score")
        sentiment = f"{row.get('sentiment', '')} {score:+.2f}" if pd.notna(score) else ""
        given = row.get("score")
        cells = [
            row.get("date"),
            *([f"{given:g}" if pd.notna(given) else ""] if scored else []),
            theme,
            row.get("kind"),
            sentiment,
            row.get("job_statement"),
            row.get("text"),
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines += ["", "## Themes they care about", "", "| theme | comments | mean sentiment |"]
    lines.append("|---|---:|---:|")
    for row in view.themes.itertuples(index=False):
        mean = f"{row.mean_sentiment:+.2f}" if pd.notna(row.mean_sentiment) else ""
        lines.append(f"| {_cell(str(row.theme_label))} | {row.comments} | {mean} |")
    return "\n".join(lines) + "\n"


def list_markdown(table: pd.DataFrame, limit: int | None = 50) -> str:
    """The customer list as a Markdown table (the first ``limit`` rows)."""
    shown = table.drop(columns=["sentiment_scores"], errors="ignore")
    if limit is not None:
        shown = shown.head(limit)
    lines = ["| " + " | ".join(shown.columns) + " |", "|" + "---|" * len(shown.columns)]
    for record in shown.to_dict(orient="records"):
        cells = list(record.values())
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    more = len(table) - len(shown)
    tail = ["", f"{more:,} more customers (--limit 0 shows all)"] if more > 0 else []
    return "\n".join([*lines, *tail]) + "\n"


def _cell(value) -> str:
    """A Markdown table cell: empty for null, one line, pipes escaped."""
    if value is None or (not isinstance(value, list | np.ndarray) and pd.isna(value)):
        return ""
    return " ".join(str(value).split()).replace("|", "\\|")


def to_json(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n"


# ---------------------------------------------------------------- forgetting
@dataclass
class Forgotten:
    """What :func:`forget_customer` removed (counts only: nothing that names them)."""

    rows: int
    pieces: int
    training_vectors: int = 0
    cache_entries: int = 0
    jobs_before: int | None = None
    jobs_after: int | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def forget_customer(
    run_dir: str | Path,
    customer_id: str,
    cache_dir: str | Path | None = None,
    progress: Progress = _quiet,
) -> Forgotten:
    """Remove ``customer_id`` from the run in ``run_dir`` and recompute what used them.

    Removed: their documents and pieces rows; their texts' vectors from the model's
    training set (``model/themes``; theme centres, sizes and the novelty threshold are
    computed again) and the embedding cache (``cache_dir``, default
    ``$MINER_CACHE_DIR``); their rows and quotes from ``run.json``'s new topics. Computed
    again without them: ``themes.csv``, the jobs (clustered again, as at fit: ``jobs.csv``,
    ``model/jobs``, each row's ``job_id``) and the insight tables. ``run.json`` records
    ``forgotten``: when and how many rows, never who. A text another customer also wrote
    stays in the run (it is theirs too). The input file is not touched. The folder is
    locked while it is rewritten, and every file is replaced atomically.
    """
    from miner.atomic import folder_lock
    from miner.pieces import embedded_texts, load_product_nouns

    started = time.perf_counter()
    run_dir = Path(run_dir)
    load_run(run_dir, curated=False)  # E107 before taking a lock in a folder that is not a run
    with folder_lock(run_dir, "miner forget"):
        # The tables as fitted: the run's curation.json stays and applies on top.
        run = load_run(run_dir, curated=False)
        gone = customer_rows(run, customer_id)
        config = _model_config(run)
        texts = _their_texts(run, gone, unit=config.theme_unit)
        nouns = load_product_nouns(run.model_dir)
        texts["cached"] = sorted({*texts["cached"], *embedded_texts(texts["cached"], nouns)})
        embedder = _embedder(config)
        documents = run.documents[~gone].reset_index(drop=True)
        gone_ids = set(run.documents.loc[gone, "row_id"].tolist())
        pieces = run.pieces
        removed_pieces = 0
        if pieces is not None:
            # By the comment's key: a row id repeats across questions and batches.
            position = key_positions(run.documents, pieces)
            leaving = (position >= 0) & np.asarray(gone)[np.maximum(position, 0)]
            removed_pieces = int(leaving.sum())
            pieces = pieces[~leaving].reset_index(drop=True)
        result = Forgotten(rows=int(gone.sum()), pieces=removed_pieces)
        model = _ForgettingModel(run.model_dir)
        if model.themes is not None and embedder is not None and texts["trained"]:
            progress("Removing their texts from the theme model")
            # As the fit embedded them: no redaction placeholders; in piece mode the
            # product nouns read as "item".
            vectors = embedder.encode(embedded_texts(list(texts["trained"]), nouns))
            counts = list(texts["trained"].values())
            remove = _training_rows(model.themes.train_embeddings_, vectors, counts)
            result.training_vectors = model.themes.forget(remove)
        updated = dataclasses.replace(run, documents=documents, pieces=pieces)
        if "jobs" in documents.columns and run.jobs is not None and embedder is not None:
            progress("Clustering the jobs again")
            from miner.jobs.cluster import cluster_document_jobs

            clustered, job_ids = cluster_document_jobs(
                documents, embedder.encode, id_col=run.id_column, seed=run.meta.get("seed", 42)
            )
            documents["job_id"] = job_ids
            model.jobs = (clustered.centroids, clustered.table, clustered.seen)
            result.jobs_before, result.jobs_after = len(run.jobs), len(clustered.table)
            updated = dataclasses.replace(updated, documents=documents, jobs=clustered.table)
        elif run.jobs is not None:
            result.notes.append("jobs.csv kept as it was (no model to cluster the jobs again)")
        updated.themes = themes_again(updated, curated_only_themes(updated))
        progress("Computing the insights again")
        from miner.insights.run import refresh_insights

        updated = refresh_insights(updated)
        updated.meta = _forget_meta(updated.meta, gone_ids, set(texts["quotes"]), result.rows)
        save_run(updated, run_dir, model=model if model.folder is not None else None)
        from miner.roadmap.stored import refresh

        refresh(run_dir, rows=len(updated.documents))
    if embedder is not None:
        from miner.embed import EmbeddingCache

        cache = EmbeddingCache(cache_dir)
        result.cache_entries = cache.delete(embedder.model_id, texts["cached"])
        cache.close()
    result.seconds = round(time.perf_counter() - started, 2)
    return result


def _their_texts(run: Run, gone: np.ndarray, unit: str = "comment") -> dict:
    """A customer's texts in the forms miner stored or embedded them.

    ``cached``: every text the embedding cache may hold for them (the comment as read,
    cleaned, its pieces, its jobs' motivations); ``trained``: the texts the theme model
    was fitted on (``unit`` comment: their distinct comments, cleaned; piece: the
    pieces of those comments, a comment not split being one piece), each with how many
    training rows are theirs (None: every row of that text, no remaining customer
    wrote it); ``quotes``: their masked comments.
    """
    from collections import Counter

    from miner.boilerplate import strip_boilerplate
    from miner.clean import normalise
    from miner.jobs.cluster import motivation_texts
    from miner.jobs.record import Job

    documents = run.documents
    distinct = (documents["status"] == schema.STATUS_OK).to_numpy()
    has_text = run.text_col in documents.columns

    def cleaned(rows) -> list[str]:
        raw = documents.loc[rows, run.text_col] if has_text else []
        return [normalise(strip_boilerplate(t)) for t in raw if isinstance(t, str)]

    def piece_texts(rows) -> list[str]:
        if run.pieces is None:
            return []
        position = key_positions(documents, run.pieces)
        theirs = (position >= 0) & np.asarray(rows)[np.maximum(position, 0)]
        return run.pieces.loc[theirs, "text"].astype(str).tolist()

    def motivations(rows) -> list[str]:
        if "jobs" not in documents.columns:
            return []
        found = documents.loc[rows, "jobs"]
        return motivation_texts([[Job(**j) for j in jobs] for jobs in found if jobs is not None])

    def units(rows) -> list[str]:
        if unit != "piece":
            return cleaned(rows & distinct)
        split = np.zeros(len(documents), dtype=bool)
        position = key_positions(documents, run.pieces)
        split[position[position >= 0]] = True
        return cleaned(rows & distinct & ~split) + piece_texts(rows & distinct)

    theirs = Counter(units(gone))
    others = {t.casefold() for t in units(~gone)}
    trained = {t: n if t.casefold() in others else None for t, n in theirs.items() if t}
    raw = documents.loc[gone, run.text_col].dropna().astype(str) if has_text else []
    quotes = documents.loc[gone, "masked_text"] if "masked_text" in documents else pd.Series()
    cached = [*raw, *cleaned(gone), *piece_texts(gone), *motivations(gone)]
    return {
        "cached": sorted(set(cached)),
        "trained": dict(sorted(trained.items())),
        "quotes": [str(q) for q in quotes.dropna()],
    }


def _training_rows(train: np.ndarray, vectors: np.ndarray, counts: list[int | None]):
    """Mask of the training rows that are a forgotten customer's texts: rows whose vector
    is one of ``vectors`` (cosine >= ``SAME_VECTOR``; stored as float16), every such
    row for a text only they wrote (count None), else as many rows as they wrote it."""
    similar = train.astype(np.float32) @ vectors.T >= SAME_VECTOR
    remove = np.zeros(len(train), dtype=bool)
    for column, count in enumerate(counts):
        matches = np.flatnonzero(similar[:, column] & ~remove)
        remove[matches if count is None else matches[-count:] if count else []] = True
    return remove


def _model_config(run: Run):
    """The run's model configuration (the default one for a run saved without a model)."""
    from miner.config import MinerConfig

    if run.model_dir is not None and (run.model_dir / schema.MODEL_CONFIG_FILE).exists():
        return MinerConfig.load(run.model_dir / schema.MODEL_CONFIG_FILE)
    return MinerConfig()


def _embedder(config):
    """The embedder of a model configuration (the embedding cache: $MINER_CACHE_DIR)."""
    from miner.embed import make_embedder

    return make_embedder(
        config.embedding_model, config.embedding_batch_size, None, backend=config.embedding_backend
    )


class _ForgettingModel:
    """The run's ``model/`` with the forgotten customer's vectors removed.

    ``save`` (called by :func:`save_run` with a temporary folder) copies the model and
    writes the theme model and the job clusters again; everything else (configuration,
    manifest) is kept as it was.
    """

    def __init__(self, folder: Path | None):
        from miner.themes import ThemeModel

        self.folder = folder
        self.jobs: tuple[np.ndarray, pd.DataFrame, dict[str, int]] | None = None
        themes_dir = None if folder is None else folder / schema.MODEL_THEMES_DIR
        exists = themes_dir is not None and themes_dir.exists()
        self.themes = ThemeModel.load(themes_dir) if exists else None

    def save(self, directory: str | Path) -> Path:
        from miner.persist import save_job_model

        directory = Path(directory)
        shutil.copytree(self.folder, directory)
        if self.themes is not None:
            self.themes.save(directory / schema.MODEL_THEMES_DIR)
        if self.jobs is not None:
            save_job_model(directory, *self.jobs)
        return directory


def _forget_meta(meta: dict, gone_ids: set, quotes: set[str], rows: int) -> dict:
    """run.json without the customer: rows counted again, new topics without their rows
    and quotes, and a ``forgotten`` record (when, how many rows; never who)."""
    meta = json.loads(json.dumps(meta, default=str))  # a deep copy
    if isinstance(meta.get("rows"), int):
        meta["rows"] = meta["rows"] - rows
    for topic in (meta.get("new_topics") or {}).get("topics", []):
        topic["row_ids"] = [r for r in topic.get("row_ids", []) if r not in gone_ids]
        topic["examples"] = [q for q in topic.get("examples", []) if q not in quotes]
    at = datetime.now(UTC).isoformat(timespec="seconds")
    meta["forgotten"] = [*meta.get("forgotten", []), {"at": at, "customers": 1, "rows": rows}]
    return meta
