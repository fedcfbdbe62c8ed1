"""Jobs page: what customers are trying to get done, ranked by opportunity."""

from __future__ import annotations

import streamlit as st

from miner.app_state import current_run
from miner.insights.views import quote_text
from miner.report import escape_markdown, filter_documents, jobs_table

st.title("Jobs to be done")
st.caption(
    "Opportunity = importance + max(importance − satisfaction, 0). Importance = 10 × voices "
    "÷ voices of the most-voiced job; satisfaction = 5 × (1 + mean sentiment of its comments)."
)

run = current_run()
jobs = jobs_table(run)
if jobs.empty:
    if "job_id" not in run.documents.columns:
        st.info("This run has no jobs: it was fitted with themes only (no per-comment heads).")
    else:
        st.info("This run has no jobs: no comment states a goal it wants to get done.")
    st.stop()

themes = run.themes[run.themes["theme_id"] >= 0]
theme_ids = dict(zip(themes["theme_label"], themes["theme_id"], strict=True))
theme = st.selectbox("Theme", ["All themes", *theme_ids])
if theme != "All themes":
    jobs = jobs[jobs["theme_ids"].map(lambda ids: theme_ids[theme] in ids)]

st.dataframe(
    jobs[
        [
            "job_id",
            "job_label",
            "voices",
            "importance",
            "satisfaction",
            "opportunity",
            *(["asked"] if "asked" in jobs else []),
            "theme_labels",
        ]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "job_id": st.column_config.NumberColumn("#", width="small"),
        "job_label": st.column_config.TextColumn("Job", width="large"),
        "voices": st.column_config.NumberColumn("Voices"),
        "importance": st.column_config.NumberColumn("Importance", format="%.1f"),
        "satisfaction": st.column_config.NumberColumn("Satisfaction", format="%.1f"),
        "opportunity": st.column_config.ProgressColumn(
            "Opportunity", format="%.1f", min_value=0.0, max_value=20.0
        ),
        "asked": st.column_config.NumberColumn(
            "Asked",
            format="percent",
            help="Share of its mentions asked as a question (How do I ...?): a job customers "
            "ask how to do may need guidance rather than a feature.",
        ),
        "theme_labels": st.column_config.TextColumn("Themes"),
    },
)
if jobs.empty:
    st.info("No job in this theme.")
    st.stop()

labels = dict(zip(jobs["job_id"], jobs["job_label"], strict=True))
chosen = st.selectbox("Quotes behind", jobs["job_id"].tolist(), format_func=labels.get)
quotes = filter_documents(run.documents, job_id=chosen)
st.caption(f"{len(quotes):,} comments voice this job first.")
# The quoted words by position: a text column named "Review Text" or "title+body" is no
# attribute of a row tuple (the page had failed on every Google Play export).
shown = quotes.head(8)
for row, text in zip(shown.itertuples(), quote_text(run, shown), strict=True):
    st.markdown(f"> {escape_markdown(str(text))}")
    parts = [
        f"{name}: {value}"
        for name, value in (
            ("when", row.job_situation),
            ("wants", row.job_motivation),
            ("so that", row.job_outcome),
        )
        if isinstance(value, str) and value
    ]
    st.caption(" · ".join([f"row {row.row_id}", *parts]))
