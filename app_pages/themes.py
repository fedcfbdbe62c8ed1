"""Themes page: what customers talk about, how they feel, in their own words."""

from __future__ import annotations

import streamlit as st

from miner.app_state import current_run
from miner.report import (
    KINDS,
    escape_markdown,
    filter_documents,
    secondary_mentions,
    status_counts,
    top_kind,
)

st.title("Themes")

run = current_run()
documents, themes = run.documents, run.themes
counts = status_counts(documents)
analysed = counts.get("ok", 0) + counts.get("duplicate", 0)
assigned = themes[themes["theme_id"] >= 0]
unassigned_share = float(themes.loc[themes["theme_id"] == -1, "share"].sum())

st.caption(f"Run: `{run.directory}` · source: {run.meta.get('source', 'unknown')}")
col1, col2, col3, col4 = st.columns(4)
col1.metric("Rows", f"{len(documents):,}")
col2.metric("Analysed comments", f"{analysed:,}")
col3.metric("Themes", f"{len(assigned):,}")
col4.metric("Unassigned", f"{unassigned_share:.1%}")

table = themes[["theme_id", "theme_label", "comments", "share"]].copy()
if "mentions" in themes.columns:
    table.insert(4, "mentions", themes["mentions"])
if "guided" in themes.columns:
    table.insert(2, "guided", themes["guided"].fillna("").astype(str).ne(""))
if "area_label" in themes.columns and (themes["area_id"] >= 0).any():
    table.insert(2, "area", themes["area_label"])
if "customers" in themes.columns:
    table["customers"] = themes["customers"]
if "net_sentiment" in themes.columns:
    table["net_sentiment"] = themes["net_sentiment"]
    table["top_kind"] = [top_kind(row) for row in themes.to_dict(orient="records")]
table["keywords"] = themes["keywords"]
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "theme_id": st.column_config.NumberColumn("#", width="small"),
        "theme_label": st.column_config.TextColumn("Theme"),
        "area": st.column_config.TextColumn("Area", help="Group of related themes"),
        "guided": st.column_config.CheckboxColumn(
            "Guided", help="Named after one of the expected themes given at fit time"
        ),
        "comments": st.column_config.NumberColumn(
            "Comments", help="Comments mainly about the theme"
        ),
        "mentions": st.column_config.NumberColumn(
            "Mentions", help="Comments that mention the theme, also beside another main theme"
        ),
        "share": st.column_config.ProgressColumn(
            "Share",
            format="percent",
            min_value=0.0,
            max_value=float(max(themes["share"].max(), 0.01)),
        ),
        "customers": st.column_config.NumberColumn("Customers"),
        "net_sentiment": st.column_config.NumberColumn(
            "Net sentiment",
            format="%+d",
            help="Share positive minus share negative of the comments that mention the theme "
            "(-100..+100); in a comment about several themes, only its part about this one",
        ),
        "top_kind": st.column_config.TextColumn("Most common kind"),
        "keywords": st.column_config.TextColumn("Keywords"),
    },
)

st.subheader("In customers' words")
options = assigned["theme_id"].tolist()
if not options:
    st.info("No themes were found in this run.")
    st.stop()
labels = dict(zip(assigned["theme_id"], assigned["theme_label"], strict=True))
sizes = dict(zip(assigned["theme_id"], assigned["comments"], strict=True))
left, middle, right = st.columns([2, 1, 1])
chosen = left.selectbox("Theme", options, format_func=lambda t: f"{labels[t]} ({sizes[t]:,})")
sentiments = kinds = None
if "sentiment" in documents.columns:
    sentiments = middle.multiselect("Sentiment", ["negative", "neutral", "positive"])
    kinds = right.multiselect("Kind", list(KINDS), format_func=lambda k: k.replace("_", " "))
members = filter_documents(documents, theme_id=chosen, sentiments=sentiments, kinds=kinds)
central = members[members["status"] == "ok"].sort_values(
    ["theme_confidence", "row_id"], ascending=[False, True]
)
st.caption(f"{len(members):,} comments match; the most central first.")
for row in central.head(5).itertuples():
    st.markdown(f"> {escape_markdown(str(getattr(row, run.text_col)))}")
    facts = [f"row {row.row_id}"]
    if "sentiment" in members.columns:
        facts += [f"{row.sentiment} ({row.sentiment_score:+.2f})", row.kind.replace("_", " ")]
    st.caption(" · ".join(facts))
shown = [
    c
    for c in ["row_id", "status", "sentiment", "kind", "job_statement", run.text_col]
    if c in members.columns
]
with st.expander(f"All {len(members):,} matching comments"):
    st.dataframe(members[shown], hide_index=True, width="stretch")

# Comments mainly about another theme that also talk about this one: their words on it.
also = secondary_mentions(documents, run.pieces, chosen, sentiments=sentiments, kinds=kinds)
if len(also):
    with st.expander(f"Also mentioned in {len(also):,} comments mainly about other themes"):
        for row in also[also["status"] == "ok"].head(5).itertuples():
            st.markdown(f"> {escape_markdown(row.text)}")
            facts = [f"row {row.row_id}", f"main theme: {row.main_theme_label}"]
            if isinstance(row.sentiment, str):
                facts.append(f"{row.sentiment} ({row.sentiment_score:+.2f})")
            st.caption(" · ".join(facts))
