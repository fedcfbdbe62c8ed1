"""Overview page: the run at a glance, each part a way into its page."""

from __future__ import annotations

import altair as alt
import streamlit as st

from miner import schema
from miner.app_state import current_run, roadmap_feed, run_key
from miner.errors import MinerError
from miner.insights import views
from miner.overview import overview
from miner.report import changes_markdown
from miner.tables import language_note

st.title("Overview")
run = current_run()
view = overview(run)
source = run.meta.get("source") or ""
st.caption(
    (f"{source} · " if source else "")
    + f"Every share needs {views.min_n(run)} comments, else it says {schema.TOO_FEW}."
)

columns = st.columns(len(view.figures))
for column, figure in zip(columns, view.figures, strict=True):
    column.metric(figure.name.capitalize(), figure.text, help=f"{figure.help} (n = {figure.n:,})")
languages = language_note(run.documents)
if languages:
    st.info(languages)

st.subheader("Top of the roadmap")
try:
    feed = roadmap_feed(run, run_key())
except MinerError as error:
    st.info(f"No roadmap: {error}")
else:
    lists = st.columns(2)
    for column, (key, name) in zip(lists, (("themes", "Themes"), ("jobs", "Jobs")), strict=True):
        with column:
            st.markdown(f"**{name}**")
            if not feed[key] and key == "jobs" and "job_id" not in run.documents.columns:
                st.caption("No jobs: the run was fitted with themes only.")
            elif not feed[key]:
                st.caption(f"No {name.lower()} with enough comments to rank.")
            for item in feed[key][:3]:
                st.markdown(
                    f"{item['rank']}. **{item['label']}** · priority {item['priority']:.2f}"
                )
                st.caption(item["why"])
    st.page_link(
        "app_pages/roadmap.py", label="The whole roadmap, with quotes and co-creators", icon="➡️"
    )

left, right = st.columns(2)
with left:
    st.subheader("Largest themes")
    if view.top_volume.empty:
        st.info("No theme in this run.")
    else:
        table = view.top_volume.rename(columns={"theme_label": "theme"})
        if "net_sentiment" in table.columns:
            table["net_sentiment"] = views.theme_nets(run, table)
        # Each count says what it counts: "comments" beside "mentions" of the same theme
        # in the next table had read as two answers to "how big is it".
        st.dataframe(
            table.drop(columns=["theme_id", "mentions", "sentiment_n"], errors="ignore"),
            hide_index=True,
            column_config={
                "comments": st.column_config.NumberColumn(
                    "comments", help="Comments whose main theme it is"
                ),
                "share": st.column_config.NumberColumn(
                    "share", format="percent", help="Of the analysed comments, by main theme"
                ),
                "voices": st.column_config.NumberColumn(
                    "voices",
                    help="Customers among those comments (comments, without a customer id)",
                ),
                "net_sentiment": st.column_config.TextColumn("net sentiment"),
            },
        )
    st.page_link("app_pages/themes.py", label="All themes and their comments", icon="➡️")
with right:
    st.subheader("Kinds of feedback")
    if view.kind_mix.empty:
        st.info("This run has no kinds (fitted without the per-comment heads).")
    else:
        chart = (
            alt.Chart(view.kind_mix)
            .mark_bar()
            .encode(
                x=alt.X("comments:Q", title="comments"),
                y=alt.Y("kind:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False)),
                tooltip=["kind", "comments", alt.Tooltip("share:Q", format=".1%")],
            )
            .properties(height=26 * len(view.kind_mix))  # a row per kind: every label shows
        )
        st.altair_chart(chart, use_container_width=True)

left, right = st.columns(2)
with left:
    st.subheader("Pulling the score down")
    if view.top_impact.empty:
        st.info(
            "No theme has enough scored comments for its impact."
            if run.drivers is not None
            else "No score impact: the run has no score column (`--score-col`)."
        )
    else:
        table = view.top_impact.rename(columns={"theme_label": "theme"}).assign(
            **{
                "impact [95% CI]": view.top_impact.apply(
                    lambda r: views.score_interval(run, r.impact, r.impact_low, r.impact_high),
                    axis=1,
                )
            }
        )
        st.dataframe(
            table[["theme", "impact [95% CI]", "comments"]].rename(
                columns={"comments": "mentions"}
            ),
            hide_index=True,
            width="stretch",
            column_config={
                "mentions": st.column_config.NumberColumn(
                    "mentions",
                    help="Comments that mention the theme, main theme or not: the drivers' base "
                    "(more than the comments whose main theme it is)",
                )
            },
        )
    st.page_link("app_pages/segments.py", label="Segments and score drivers", icon="➡️")
with right:
    st.subheader("What changed lately")
    if run.emerging is None:
        st.info("No trends: the run has no date column (`--date-col`).")
    elif view.changes.empty:
        st.info("No theme emerged or faded in the latest period or the recent window.")
    else:
        for row in view.changes.itertuples():
            arrow = "▲" if row.direction == schema.EMERGING else "▼"
            when = "recent periods" if row.comparison == schema.COMPARE_RECENT else "latest period"
            st.markdown(
                f"{arrow} **{row.theme_label}** {row.direction} ({when} {row.period}"
                f"{', incomplete' if row.incomplete else ''}): "
                f"{views.share_with_n(row.share, row.comments, row.period_comments)} vs "
                f"{row.baseline_share:.1%} ({int(row.baseline_comments):,} of "
                f"{int(row.baseline_total):,}) before, lift {views.lift_text(row.lift)}, "
                f"adjusted p {row.p_adj:.2g}"
            )
    st.page_link("app_pages/trends.py", label="Trends over time", icon="➡️")

# A refit with --previous, or batches `miner score --into` added: what the themes of
# the earlier model do not explain (the report's sections, as the report words them).
changes = changes_markdown(run)
if changes:
    st.subheader("Since the previous model")
    smaller = {"## ": "##### ", "### ": "###### "}  # the report's headings, under this one
    st.markdown(
        "\n".join(
            next((to + line[len(h) :] for h, to in smaller.items() if line.startswith(h)), line)
            for line in changes
        )
    )
