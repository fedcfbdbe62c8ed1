"""The human-readable report (Markdown, HTML, JSON) and the views the app shares with it."""

from __future__ import annotations

import dataclasses
import json
import re

import pandas as pd

from miner.language import DEFAULT_LANGUAGE
from miner.persist import Run
from miner.pii import mask_texts
from miner.schema import ANALYSED, KINDS
from miner.tables import language_counts, status_counts

# Columns that carry customers' words, masked wherever a run is shown (see miner.pii):
# theme labels and keywords are built from comments, so they can hold an address too.
SHOWN_TEXT = {
    "documents": ("theme_label", "job_statement", "job_situation", "job_motivation", "job_outcome"),
    "themes": ("theme_label", "area_label", "keywords", "guided"),
    "jobs": ("job_label", "motivation"),
    "pieces": ("text",),
}


def masked_run(run: Run) -> Run:
    """A copy of ``run`` whose shown text has personal data masked (e-mail addresses,
    phone, card, IBAN and account numbers: :mod:`miner.pii`): the comments, job parts,
    piece texts, theme labels and keywords, job labels. Ids and numbers are untouched."""

    def masked(table: pd.DataFrame | None, columns: tuple[str, ...]) -> pd.DataFrame | None:
        if table is None:
            return None
        table = table.copy()
        for column in columns:
            if column in table.columns and table[column].dtype != bool:
                values = mask_texts(table[column].tolist())
                table[column] = pd.Series(values, index=table.index, dtype=table[column].dtype)
        return table

    text_col = (run.text_col,) if run.text_col in run.documents.columns else ()
    return dataclasses.replace(
        run,
        documents=masked(run.documents, text_col + SHOWN_TEXT["documents"]),
        themes=masked(run.themes, SHOWN_TEXT["themes"]),
        jobs=masked(run.jobs, SHOWN_TEXT["jobs"]),
        pieces=masked(run.pieces, SHOWN_TEXT["pieces"]),
    )


def secondary_mentions(
    documents: pd.DataFrame,
    pieces: pd.DataFrame | None,
    theme_id: int,
    sentiments: list[str] | None = None,
    kinds: list[str] | None = None,
) -> pd.DataFrame:
    """Comments mainly about another theme (or none) that mention ``theme_id`` in a piece.

    One row per comment, closest piece first: ``row_id``, ``status``,
    ``main_theme_id`` and ``main_theme_label`` (the comment's own theme), ``text`` (its
    pieces about the theme, joined), ``sentiment_score`` and ``sentiment`` (of those
    pieces, or of the comment when they were not scored, as in
    :func:`mention_sentiments`). ``sentiments`` filters on that sentiment, ``kinds`` on
    the comment's kind. Empty when the run has no pieces.
    """
    from miner.sentiment import label_from_score

    columns = ["row_id", "status", "main_theme_id", "main_theme_label", "text"]
    columns += ["sentiment_score", "sentiment"]
    if pieces is None or "theme_id" not in documents.columns:
        return pd.DataFrame(columns=columns)
    comments = filter_documents(documents, kinds=kinds).set_index("row_id")
    about = pieces[(pieces["theme_id"] == theme_id) & pieces["row_id"].isin(comments.index)]
    about = about[comments.loc[about["row_id"], "theme_id"].to_numpy() != theme_id]
    if about.empty:
        return pd.DataFrame(columns=columns)
    grouped = about.sort_values(["row_id", "piece"]).groupby("row_id", sort=False)
    found = pd.DataFrame(
        {
            "text": grouped["text"].agg(" … ".join),
            "sentiment_score": grouped["sentiment_score"].mean(),
            "closeness": grouped["theme_confidence"].max(),
        }
    )
    own = comments.loc[found.index]
    found["status"] = own["status"].astype(str).to_numpy()
    found["main_theme_id"] = own["theme_id"].to_numpy()
    label_column = "theme_label" if "theme_label" in own.columns else "theme_id"
    found["main_theme_label"] = own[label_column].astype(str).to_numpy()
    found["sentiment"] = [label_from_score(v) for v in found["sentiment_score"]]
    if "sentiment" in own.columns and "sentiment_score" in own.columns:
        unscored = found["sentiment_score"].isna().to_numpy()
        found.loc[unscored, "sentiment"] = own["sentiment"].to_numpy()[unscored]
        found.loc[unscored, "sentiment_score"] = own["sentiment_score"].to_numpy()[unscored]
    if sentiments:
        found = found[found["sentiment"].isin(sentiments)]
    found = found.reset_index().sort_values(["closeness", "row_id"], ascending=[False, True])
    return found[columns].reset_index(drop=True)


def quotes(run: Run, theme_id: int, limit: int = 3, width: int = 220) -> list[tuple[int, str]]:
    """Example quotes (row id, text) behind a theme, most central first."""
    docs = run.documents
    row = run.themes.loc[run.themes["theme_id"] == theme_id]
    if row.empty:
        return []
    ids = _row_ids(row.iloc[0]["representative_row_ids"])[:limit]
    texts = docs.set_index("row_id").loc[ids, run.text_col] if ids else []
    return [(i, _shorten(str(t), width)) for i, t in zip(ids, texts, strict=False)]


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def to_markdown(run: Run, max_themes: int = 50, mask: bool = True) -> str:
    """A Markdown summary: corpus, themes by size with shares, keywords and quotes.

    ``mask``: personal data in what is shown is masked (:func:`masked_run`)."""
    if mask:
        run = masked_run(run)
    docs = run.documents
    counts = status_counts(docs)
    analysed = sum(counts.get(s, 0) for s in ANALYSED)
    lines = [
        f"# Feedback report: {run.meta.get('source', run.directory.name)}",
        "",
        f"{len(docs):,} rows; {analysed:,} analysed "
        + "("
        + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
        + ").",
        "",
    ]
    languages = language_counts(docs)
    if set(languages) - {DEFAULT_LANGUAGE}:
        # Comments in other languages are kept but get no English theme (theme -1).
        lines += [
            "Languages: "
            + ", ".join(f"{k} {v:,}" for k, v in languages.items())
            + f"; comments not in {DEFAULT_LANGUAGE} are not given a theme.",
            "",
        ]
    lines += ["## Themes", ""]
    has_sentiment = "net_sentiment" in run.themes.columns
    if has_sentiment:
        lines += [
            "| # | theme | comments | share | net sentiment | top kind | keywords |",
            "|---:|---|---:|---:|---:|---|---|",
        ]
    else:
        lines += ["| # | theme | comments | share | keywords |", "|---:|---|---:|---:|---|"]
    shown = run.themes.head(max_themes)
    for theme in shown.itertuples(index=False):
        extra = ""
        if has_sentiment:
            extra = f"{theme.net_sentiment:+.0f} | {top_kind(theme._asdict())} | "
        lines.append(
            f"| {theme.theme_id} | {theme.theme_label} | {theme.comments:,} | {theme.share:.1%} | "
            f"{extra}{_md(str(theme.keywords))} |"
        )
    lines.append("")
    lines += _jobs_markdown(run)
    for theme in shown.itertuples(index=False):
        if theme.theme_id < 0:
            continue
        lines.append(f"### {theme.theme_label} ({theme.comments:,} comments, {theme.share:.1%})")
        lines.append("")
        for row_id, text in quotes(run, int(theme.theme_id)):
            lines.append(f"> {_md(text)} (row {row_id})")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def top_kind(theme: dict) -> str:
    """The most common kind of a theme row, e.g. ``bug 62%``."""
    shares = {k: theme.get(f"kind_{k}", 0) or 0 for k in KINDS}
    kind = max(shares, key=shares.get)
    return f"{kind.replace('_', ' ')} {shares[kind]:.0%}" if shares[kind] else "-"


def _jobs_markdown(run: Run, limit: int = 10) -> list[str]:
    if run.jobs is None or run.jobs.empty:
        return []
    jobs = run.jobs.sort_values(["opportunity", "job_id"], ascending=[False, True]).head(limit)
    lines = [
        "## Jobs to be done (by opportunity)",
        "",
        "Opportunity = importance + max(importance − satisfaction, 0); importance = 10 × voices"
        " ÷ voices of the most-voiced job; satisfaction = 5 × (1 + mean sentiment).",
        "",
        "| job | voices | importance | satisfaction | opportunity |",
        "|---|---:|---:|---:|---:|",
    ]
    for job in jobs.itertuples(index=False):
        lines.append(
            f"| {_md(str(job.job_label))} | {job.voices} | {job.importance:.1f} | "
            f"{job.satisfaction:.1f} | {job.opportunity:.1f} |"
        )
    lines.append("")
    docs = run.documents.set_index("row_id")
    for job in jobs.head(5).itertuples(index=False):
        lines.append(f"### {_md(str(job.job_label))}")
        lines.append("")
        for row_id in _row_ids(job.example_row_ids)[:3]:
            if row_id in docs.index:
                text = _shorten(str(docs.loc[row_id, run.text_col]), 220)
                lines.append(f"> {_md(text)} (row {row_id})")
                lines.append("")
    return lines


def _row_ids(value) -> list[int]:
    """Row ids stored as JSON ("[1, 2]") or space-separated text."""
    if isinstance(value, list):
        return [int(v) for v in value]
    text = str(value).strip().strip("'")
    if text.startswith("["):
        return [int(v) for v in json.loads(text)]
    return [int(v) for v in text.split()]


def to_json(run: Run, mask: bool = True) -> str:
    """The themes (with quotes) and jobs as JSON; ``mask`` as in :func:`to_markdown`."""
    if mask:
        run = masked_run(run)
    payload = {
        "source": run.meta.get("source"),
        "rows": len(run.documents),
        "status": status_counts(run.documents),
        "languages": language_counts(run.documents),
        "themes": [
            {**record, "quotes": [t for _, t in quotes(run, int(record["theme_id"]))]}
            for record in run.themes.to_dict(orient="records")
        ],
    }
    if run.jobs is not None:
        payload["jobs"] = run.jobs.to_dict(orient="records")
    return json.dumps(payload, indent=2, default=str) + "\n"


def to_html(run: Run, mask: bool = True) -> str:
    """The Markdown report in an HTML page; ``mask`` as in :func:`to_markdown`."""
    import html

    body = html.escape(to_markdown(run, mask=mask))
    return (
        "<!doctype html><meta charset='utf-8'><title>miner report</title>"
        f"<pre style='white-space:pre-wrap;font-family:sans-serif'>{body}</pre>\n"
    )


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def escape_markdown(text: str) -> str:
    """Customer text shown as Markdown: every markup character escaped, one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def jobs_table(run: Run) -> pd.DataFrame:
    """The run's jobs with theme labels, voices and parsed row ids, by opportunity."""
    if run.jobs is None or run.jobs.empty:
        return pd.DataFrame(
            columns=["job_id", "job_label", "voices", "opportunity", "theme_ids", "theme_labels"]
        )
    jobs = run.jobs.copy()
    labels = dict(zip(run.themes["theme_id"], run.themes["theme_label"], strict=True))
    jobs["theme_ids"] = jobs["theme_ids"].map(_row_ids)
    jobs["theme_labels"] = jobs["theme_ids"].map(
        lambda ids: ", ".join(str(labels.get(i, i)) for i in ids)
    )
    jobs["example_row_ids"] = jobs["example_row_ids"].map(_row_ids)
    return jobs.sort_values(["opportunity", "job_id"], ascending=[False, True]).reset_index(
        drop=True
    )


def filter_documents(
    documents: pd.DataFrame,
    theme_id: int | None = None,
    job_id: int | None = None,
    sentiments: list[str] | None = None,
    kinds: list[str] | None = None,
) -> pd.DataFrame:
    """Analysed comments matching every filter given (None or empty = no filter)."""
    mask = documents["status"].isin(ANALYSED)
    if theme_id is not None and "theme_id" in documents.columns:
        mask &= documents["theme_id"] == theme_id
    if job_id is not None and "job_id" in documents.columns:
        mask &= documents["job_id"] == job_id
    if sentiments and "sentiment" in documents.columns:
        mask &= documents["sentiment"].isin(sentiments)
    if kinds and "kind" in documents.columns:
        mask &= documents["kind"].isin(kinds)
    return documents[mask]
