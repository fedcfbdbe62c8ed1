"""The run's summary tables, computed from its documents (and pieces) tables.

Also :func:`attach_input`, the contract's rule for the input's own columns in the
documents table (shared by the pipeline and the insights' columns).

``themes.csv`` (:func:`theme_table`) and the sentiment figures shared by the report,
the app and later insights. Column names come from :mod:`miner.schema`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from miner.schema import (
    ANALYSED,
    KINDS,
    OPTIONAL_THEME_COLUMNS,
    STATUS_OK,
    THEME_COLUMNS,
    UNASSIGNED,
)


def theme_table(
    documents: pd.DataFrame,
    themes: pd.DataFrame,
    id_col: str | None = None,
    n_representatives: int = 5,
    areas: list[dict] | None = None,
    pieces: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``themes.csv``: one row per theme, largest first, the unassigned row last.

    ``themes`` is the theme model's table (``theme_id, label, parent_id, keywords``
    and ``guided``); ``areas`` its parent areas (``parent_id, label``). Representative
    rows are the most central comments (highest ``theme_confidence``), taken from
    distinct texts. When ``documents`` has ``theme_ids`` (multi-topic comments),
    ``mentions`` counts the comments that mention each theme and ``net_sentiment`` is
    taken over them, from the ``pieces`` about the theme (see :func:`mention_sentiments`).
    """
    analysed = documents[documents["status"].isin(ANALYSED)]
    total = max(len(analysed), 1)
    sizes = analysed.groupby("theme_id").size()
    mentions = mention_sentiments(analysed, pieces) if "theme_ids" in analysed else None
    distinct = analysed[analysed["status"] == STATUS_OK].sort_values(
        ["theme_id", "theme_confidence", "row_id"], ascending=[True, False, True]
    )
    area_labels = {a["parent_id"]: a["label"] for a in areas or []}
    has_ids = id_col is not None and id_col in analysed.columns
    # Runs fitted with guided themes say which theme each one named.
    guided = "guided" in themes.columns and themes["guided"].fillna("").astype(bool).any()
    rows = []
    for theme in themes.itertuples(index=False):
        size = int(sizes.get(theme.theme_id, 0))
        members = distinct[distinct["theme_id"] == theme.theme_id]
        area_id = int(getattr(theme, "parent_id", UNASSIGNED))
        row = {
            "theme_id": int(theme.theme_id),
            "theme_label": theme.label,
            "area_id": area_id,
            "area_label": area_labels.get(area_id, ""),
            "comments": size,
            "share": round(size / total, 4),
        }
        if guided:
            row["guided"] = theme.guided or ""
        in_theme = analysed[analysed["theme_id"] == theme.theme_id]
        mentioned = None
        if mentions is not None:
            mentioned = mentions[mentions["theme_id"] == theme.theme_id]
            row["mentions"] = len(mentioned)
        _add_voices(row, in_theme, id_col if has_ids else None)
        row.update(sentiment_mix(in_theme))
        if mentioned is not None and "net_sentiment" in row:
            row["net_sentiment"] = net_sentiment(mentioned["sentiment"])
        if "net_sentiment" in row:
            read = in_theme if mentioned is None else mentioned
            row["sentiment_n"] = int(read["sentiment"].notna().sum())
        row["keywords"] = "; ".join(list(theme.keywords))
        representatives = members["row_id"].head(n_representatives).tolist()
        if len(representatives) < n_representatives and mentioned is not None:
            # A theme few comments have as their main one but many mention (a point
            # long answers make in passing: 255 mentions, 0 comments and no quote had
            # been a consultation's air quality): quoted from those that mention it,
            # its most central pieces first.
            more = _mentioning(mentioned, distinct, pieces, int(theme.theme_id))
            representatives += [r for r in more if r not in representatives][
                : n_representatives - len(representatives)
            ]
        row["representative_row_ids"] = " ".join(str(r) for r in representatives)
        rows.append(row)
    unassigned = int(sizes.get(UNASSIGNED, 0))
    if unassigned:
        loose = analysed[analysed["theme_id"] == UNASSIGNED]
        other = other_languages(loose)
        row = {
            "theme_id": UNASSIGNED,
            # Comments in other languages get no theme: say so, or the row reads as
            # comments the themes failed on (22% "unassigned" in a European inbox).
            "theme_label": f"Unassigned ({other:,} in other languages)" if other else "Unassigned",
            "area_id": UNASSIGNED,
            "area_label": "",
            "comments": unassigned,
            "share": round(unassigned / total, 4),
        }
        if guided:
            row["guided"] = ""
        if mentions is not None:
            # Comments that mention no theme at all, not even in one piece.
            row["mentions"] = int((analysed["theme_ids"].map(len) == 0).sum())
        _add_voices(row, loose, id_col if has_ids else None)
        row.update(sentiment_mix(loose))
        if "net_sentiment" in row:  # comments in other languages have none
            row["sentiment_n"] = int(loose["sentiment"].notna().sum())
        row.update({"keywords": "", "representative_row_ids": ""})
        rows.append(row)
    columns = [c for c in THEME_COLUMNS if any(c in r for r in rows)] or [
        c for c in THEME_COLUMNS if c not in OPTIONAL_THEME_COLUMNS
    ]
    table = pd.DataFrame(rows, columns=columns)
    # Largest theme first (duplicates count as voices); unassigned last.
    order = table.assign(_last=table["theme_id"] < 0).sort_values(
        ["_last", "comments", "theme_id"], ascending=[True, False, True], kind="stable"
    )
    return order.drop(columns="_last").reset_index(drop=True)


def _add_voices(row: dict, documents: pd.DataFrame, id_col: str | None) -> None:
    """``customers`` (with an id column) and ``voices`` of the comments given."""
    if id_col is None:
        row["voices"] = row["comments"]
        return
    row["customers"] = int(documents[id_col].nunique())
    row["voices"] = row["customers"]


def sentiment_mix(documents: pd.DataFrame) -> dict[str, float]:
    """``net_sentiment`` (share positive − share negative, −100..+100) and kind shares.

    Empty when the sentiment and kind stages did not run.
    """
    mix: dict[str, float] = {}
    if "sentiment" in documents.columns:
        mix["net_sentiment"] = net_sentiment(documents["sentiment"])
    if "kind" in documents.columns:
        # Over the comments with a kind (one in another language has none); null when
        # none has one.
        total = int(documents["kind"].notna().sum())
        for kind in KINDS:
            share = (documents["kind"] == kind).sum() / total if total else np.nan
            mix[f"kind_{kind}"] = round(float(share), 4)
    return mix


def net_sentiment(sentiments: pd.Series) -> float:
    """Share positive − share negative of the labels given (missing ones left out: a
    comment in another language has none), −100..+100, one decimal; NaN when none has
    a label (not 0: nothing was read)."""
    sentiments = sentiments.dropna()
    if not len(sentiments):
        return float("nan")
    total = len(sentiments)
    positive = (sentiments == "positive").sum() / total
    negative = (sentiments == "negative").sum() / total
    return round(float(100 * (positive - negative)), 1)


def _mentioning(
    mentioned: pd.DataFrame, distinct: pd.DataFrame, pieces: pd.DataFrame | None, theme_id: int
) -> list[int]:
    """Row ids of the distinct comments that mention ``theme_id`` (``mentioned``: its
    rows of :func:`mention_sentiments`), those with the most central piece about it
    first."""
    rows = mentioned["row_id"][mentioned["row_id"].isin(distinct["row_id"])].drop_duplicates()
    if pieces is not None and len(pieces):
        about = pieces[pieces["theme_id"] == theme_id]
        best = about.groupby("row_id")["theme_confidence"].max()
        order = pd.DataFrame({"row_id": rows, "best": best.reindex(rows).fillna(0).to_numpy()})
        rows = order.sort_values(["best", "row_id"], ascending=[False, True])["row_id"]
    return [int(r) for r in rows]


def mention_sentiments(documents: pd.DataFrame, pieces: pd.DataFrame | None) -> pd.DataFrame:
    """One row per (comment, theme it mentions): ``row_id, theme_id, sentiment``.

    ``documents`` are analysed comments with ``theme_ids``. A comment's sentiment
    about a theme is the mean ``sentiment_score`` of its pieces about that theme,
    labelled as the sentiment head would label that score
    (:func:`miner.schema.label_from_score`); a comment without such pieces (not
    split, or only its whole text is about the theme) keeps its own ``sentiment``.
    ``sentiment`` is null when the sentiment stage did not run.
    """
    from miner.schema import label_from_score

    has_sentiment = "sentiment" in documents.columns
    pairs = documents[["row_id", "theme_ids"]].assign(
        sentiment=documents["sentiment"] if has_sentiment else None
    )
    pairs = pairs.explode("theme_ids").dropna(subset=["theme_ids"])
    pairs = pairs.rename(columns={"theme_ids": "theme_id"}).astype({"theme_id": "int64"})
    if pieces is not None and has_sentiment and len(pieces):
        about = pieces[(pieces["theme_id"] >= 0) & pieces["sentiment_score"].notna()]
        scores = about.groupby(["row_id", "theme_id"])["sentiment_score"].mean()
        scored = pd.MultiIndex.from_frame(pairs[["row_id", "theme_id"]]).isin(scores.index)
        if scored.any():
            keys = pd.MultiIndex.from_frame(pairs.loc[scored, ["row_id", "theme_id"]])
            pairs.loc[scored, "sentiment"] = [label_from_score(v) for v in scores.loc[keys]]
    return pairs.reset_index(drop=True)


def status_counts(documents: pd.DataFrame) -> dict[str, int]:
    """Rows per status."""
    counts = documents["status"].value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def attach_input(frame: pd.DataFrame, source: pd.DataFrame) -> pd.DataFrame:
    """Append the input's own columns, renaming clashes with contract names."""
    taken = set(frame.columns)
    extra = {}
    for column in source.columns:
        name = str(column)
        while name in taken:
            name = f"input_{name}"
        taken.add(name)
        extra[name] = source[column].array  # its own dtype: nullable ids stay integers
    if not extra:
        return frame
    return pd.concat([frame, pd.DataFrame(extra, index=frame.index)], axis=1)


def language_counts(documents: pd.DataFrame) -> dict[str, int]:
    """Analysed comments per language, most frequent first ({} for runs without languages)."""
    if "language" not in documents.columns:
        return {}
    analysed = documents[documents["status"].isin(ANALYSED)]
    counts = analysed["language"].dropna().value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def other_languages(documents: pd.DataFrame) -> int:
    """How many of ``documents`` are comments in another language than English."""
    from miner.language import DEFAULT_LANGUAGE

    if "language" not in documents.columns:
        return 0
    language = documents["language"]
    return int((language.notna() & (language != DEFAULT_LANGUAGE)).sum())


def language_note(documents: pd.DataFrame) -> str | None:
    """What a run says of its comments in other languages than English, or None."""
    from miner.language import DEFAULT_LANGUAGE

    languages = language_counts(documents)
    if not set(languages) - {DEFAULT_LANGUAGE}:
        return None
    return (
        "Languages: "
        + ", ".join(f"{k} {v:,}" for k, v in languages.items())
        + f"; comments not in {DEFAULT_LANGUAGE} are kept but given no theme, sentiment, "
        "kind or job (miner reads English), and left out of those figures (the shares of "
        "themes by segment and period are of the comments in English)."
    )


def row_ref(row) -> str:
    """Where a comment is, as a PM finds it in their file: "row 16", or "row 16 of batch
    'march'" when the run holds several batches, each numbered from 0 (a batch's
    quotes had cited the fitted file's row 16, another respondent)."""
    batch = row.get("batch") if hasattr(row, "get") else None
    where = f"row {int(row['row_id'])}"
    if isinstance(batch, str) and batch:  # the column is there in runs of batches only
        return f"{where} of batch '{batch}'"
    return where


def referenced(
    documents: pd.DataFrame, row_ids: list[int], among: pd.Series | None = None
) -> pd.DataFrame:
    """The documents rows that ``row_ids`` (a theme's representative comments, a job's
    examples) point at, in their order; ids not in the run are left out.

    In a survey with several questions (or a run of several batches) a row id names a
    respondent, who has a row per question: ``among`` (a mask of ``documents``: the
    theme's or the job's comments) picks the one meant, else their first row.
    """
    wanted = documents["row_id"].isin(row_ids)
    if among is not None:
        wanted &= among.reindex(documents.index, fill_value=False).astype(bool)
    rows = documents[wanted]
    missing = set(row_ids) - set(rows["row_id"].tolist())
    if missing:  # none of the respondent's rows matches: their first row
        rows = pd.concat([rows, documents[documents["row_id"].isin(missing)]])
    rows = rows.drop_duplicates("row_id")
    order = {row_id: k for k, row_id in enumerate(row_ids)}
    return rows.iloc[sorted(range(len(rows)), key=lambda k: order[rows["row_id"].iloc[k]])]


def themes_again(run, more: pd.DataFrame | None = None) -> pd.DataFrame:
    """``themes.csv`` computed again from the run's documents, with its themes' ids,
    labels, areas and keywords as they are (:func:`theme_table`): after rows left the run
    (``miner forget``) or joined it (``miner score --into``). ``more``: themes the
    fitted table lacks that rows hold (:func:`miner.curation.curated_only_themes`)."""
    current = run.themes[run.themes["theme_id"] >= 0]
    themes = pd.DataFrame(
        {
            "theme_id": current["theme_id"].astype(int),
            "label": current["theme_label"],
            "parent_id": current.get("area_id", pd.Series(-1, index=current.index)).astype(int),
            "keywords": current["keywords"].map(lambda k: [w for w in str(k).split("; ") if w]),
            "guided": current["guided"] if "guided" in current else "",
        }
    )
    areas = []
    if "area_id" in current.columns:
        pairs = current[current["area_id"] >= 0][["area_id", "area_label"]].drop_duplicates()
        areas = [{"parent_id": int(a), "label": str(b)} for a, b in pairs.itertuples(index=False)]
    if more is not None and len(more):
        themes = pd.concat([themes, more], ignore_index=True)
    return theme_table(run.documents, themes, id_col=run.id_column, areas=areas, pieces=run.pieces)


def key_positions(documents: pd.DataFrame, table: pd.DataFrame) -> np.ndarray:
    """For each row of ``table`` (pieces, the map), the position of its comment in
    ``documents`` (-1: none), by the key columns both have (``row_id``, and ``batch``
    and ``question`` in runs with them: a row id alone repeats there)."""
    from miner.schema import key_columns

    keys = [k for k in key_columns(documents) if k in table.columns]

    def index(frame: pd.DataFrame) -> pd.Index:
        if len(keys) == 1:
            return pd.Index(frame[keys[0]])
        return pd.MultiIndex.from_frame(frame[keys].astype(object))

    return index(documents).get_indexer(index(table))
