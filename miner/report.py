"""Theme metrics and the human-readable report, computed from the documents table."""

from __future__ import annotations

import json
import re

import pandas as pd

from miner.persist import Run

ANALYSED = ("ok", "duplicate")


def theme_table(
    documents: pd.DataFrame,
    themes: pd.DataFrame,
    id_col: str | None = None,
    n_representatives: int = 5,
) -> pd.DataFrame:
    """One row per theme, largest first: size (comments, duplicates included), share,
    keywords, quotes.

    ``themes`` is the theme model's table (``theme_id, label, keywords``).
    Representative rows are the most central comments (highest ``theme_confidence``),
    taken from distinct texts.
    """
    analysed = documents[documents["status"].isin(ANALYSED)]
    total = max(len(analysed), 1)
    sizes = analysed.groupby("theme_id").size()
    distinct = analysed[analysed["status"] == "ok"].sort_values(
        ["theme_id", "theme_confidence", "row_id"], ascending=[True, False, True]
    )
    rows = []
    for theme in themes.itertuples(index=False):
        size = int(sizes.get(theme.theme_id, 0))
        members = distinct[distinct["theme_id"] == theme.theme_id]
        row = {
            "theme_id": int(theme.theme_id),
            "label": theme.label,
            "size": size,
            "share": round(size / total, 4),
        }
        if id_col is not None and id_col in analysed.columns:
            in_theme = analysed[analysed["theme_id"] == theme.theme_id]
            row["customers"] = int(in_theme[id_col].nunique())
        row["keywords"] = "; ".join(list(theme.keywords))
        row["representative_row_ids"] = " ".join(
            str(r) for r in members["row_id"].head(n_representatives).tolist()
        )
        rows.append(row)
    unassigned = int(sizes.get(-1, 0))
    if unassigned:
        row = {"theme_id": -1, "label": "Unassigned", "size": unassigned}
        row["share"] = round(unassigned / total, 4)
        if id_col is not None and id_col in analysed.columns:
            row["customers"] = int(analysed.loc[analysed["theme_id"] == -1, id_col].nunique())
        row.update({"keywords": "", "representative_row_ids": ""})
        rows.append(row)
    table = pd.DataFrame(rows)
    # Largest theme first (duplicates count as voices); unassigned last.
    order = table.assign(_last=table["theme_id"] < 0).sort_values(
        ["_last", "size", "theme_id"], ascending=[True, False, True], kind="stable"
    )
    return order.drop(columns="_last").reset_index(drop=True)


def status_counts(documents: pd.DataFrame) -> dict[str, int]:
    counts = documents["status"].value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def quotes(run: Run, theme_id: int, limit: int = 3, width: int = 220) -> list[tuple[int, str]]:
    """Example quotes (row id, text) behind a theme, most central first."""
    docs = run.documents
    row = run.themes.loc[run.themes["theme_id"] == theme_id]
    if row.empty:
        return []
    ids = [int(x) for x in str(row.iloc[0]["representative_row_ids"]).split()][:limit]
    texts = docs.set_index("row_id").loc[ids, run.text_col] if ids else []
    return [(i, _shorten(str(t), width)) for i, t in zip(ids, texts, strict=False)]


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def to_markdown(run: Run, max_themes: int = 50) -> str:
    """A Markdown summary: corpus, themes by size with shares, keywords and quotes."""
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
        "## Themes",
        "",
        "| # | theme | comments | share | keywords |",
        "|---:|---|---:|---:|---|",
    ]
    shown = run.themes.head(max_themes)
    for theme in shown.itertuples(index=False):
        lines.append(
            f"| {theme.theme_id} | {theme.label} | {theme.size:,} | {theme.share:.1%} "
            f"| {_md(str(theme.keywords))} |"
        )
    lines.append("")
    for theme in shown.itertuples(index=False):
        if theme.theme_id < 0:
            continue
        lines.append(f"### {theme.label} ({theme.size:,} comments, {theme.share:.1%})")
        lines.append("")
        for row_id, text in quotes(run, int(theme.theme_id)):
            lines.append(f"> {_md(text)} (row {row_id})")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_json(run: Run) -> str:
    payload = {
        "source": run.meta.get("source"),
        "rows": len(run.documents),
        "status": status_counts(run.documents),
        "themes": [
            {**record, "quotes": [t for _, t in quotes(run, int(record["theme_id"]))]}
            for record in run.themes.to_dict(orient="records")
        ],
    }
    return json.dumps(payload, indent=2, default=str) + "\n"


def to_html(run: Run) -> str:
    import html

    body = html.escape(to_markdown(run))
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
