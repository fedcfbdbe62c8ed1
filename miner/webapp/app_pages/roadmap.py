"""Roadmap page: themes and jobs ranked by the documented priority, each explaining itself."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from miner.app_state import current_run, roadmap_feed, roadmap_options, run_key
from miner.errors import MinerError
from miner.report import escape_markdown
from miner.roadmap import export
from miner.roadmap.priority import FACTORS, LEAVE_OUT_VALUES
from miner.search import comment_dates

LISTS = {"themes": "Themes", "jobs": "Jobs to be done"}
FACTOR_COLOURS = alt.Scale(
    domain=list(FACTORS), range=["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b"]
)


st.title("Roadmap")
st.caption(
    "Themes and jobs ranked by priority = Σ weight × factor ÷ Σ weight (default weights "
    "1.0): volume (voices), growth, negative sentiment, score impact and opportunity, "
    "each 0..1 within its list. The bars show each factor's part of the priority."
)
run = current_run()
date_col = run.meta.get("date_col")
left, middle, right = st.columns([1, 1, 2])
level = left.radio("List", list(LISTS), format_func=LISTS.get, horizontal=True, key="roadmap_list")
since = None
if date_col:
    # Read as the fit read them (time zones to UTC, the run's day/month order): a
    # Delighted export's offsets, -0800 in winter and -0700 in summer, had failed the page.
    dates = comment_dates(run)
    dates = dates.dropna() if dates is not None else pd.Series(dtype="datetime64[ns]")
    if not dates.empty:
        chosen = middle.date_input(
            "Since",
            value=None,
            min_value=dates.min().date(),
            max_value=dates.max().date(),
            help="Count only comments from this day; growth compares them with the ones before.",
            key="roadmap_since",
        )
        since = str(chosen) if chosen else None
with st.expander("Leave out, weigh by value"):
    choices, amounts = roadmap_options(run, run_key())
    pairs = [(column, value) for column, values in choices.items() for value in values]
    gone = st.multiselect(
        "Leave out the comments whose",
        pairs,
        format_func=lambda pair: f"{pair[0]} is {pair[1]}",
        help="Ideas already shipped or declined (status is complete), a board or source "
        "that is not feedback: their comments are not counted. Offered: the input's "
        f"columns of at most {LEAVE_OUT_VALUES} values.",
        key="roadmap_leave_out",
    )
    worth = st.selectbox(
        "Voices weighted by",
        [None, *amounts],
        format_func=lambda c: "each voice counts 1" if c is None else c,
        help="An input column of each customer's value (ARR, plan value): a voice counts "
        "its value instead of 1 (a customer's mean; blanks count the median).",
        key="roadmap_value_col",
    )
leave_out = tuple(
    (column, tuple(value for c, value in gone if c == column))
    for column in dict.fromkeys(column for column, _ in gone)
)
hide_people = st.checkbox(
    "Anonymous (employees, patients)",
    key="roadmap_anonymous",
    help="Quotes without customer, row or date, and no co-creators: for a survey whose "
    "respondents must not be singled out (`miner roadmap --anonymous`).",
)
try:
    feed = roadmap_feed(run, run_key(), since, leave_out, worth)
except MinerError as error:
    st.error(str(error))
    st.stop()
if hide_people:
    feed = export.anonymous(feed)
if feed.get("areas") and level == "themes":
    with st.expander(f"Areas: the {len(feed['areas'])} groups of themes, ranked the same way"):
        st.caption(
            "Each area over its comments (a comment once per area): a pain the fit cut "
            "into several themes shows its whole weight here."
        )
        st.dataframe(
            pd.DataFrame(
                {
                    "rank": [a["rank"] for a in feed["areas"]],
                    "area": [a["label"] for a in feed["areas"]],
                    "priority": [a["priority"] for a in feed["areas"]],
                    feed["voices"]: [a["voices"] for a in feed["areas"]],
                    "comments": [a["comments"] for a in feed["areas"]],
                    "themes (their rank)": [
                        ", ".join(
                            f"{t['label']} (rank {t['rank']})" if t["rank"] else t["label"]
                            for t in a["themes"]
                        )
                        for a in feed["areas"]
                    ],
                    "why": [a["why"] for a in feed["areas"]],
                }
            ),
            hide_index=True,
        )
items = feed[level]
areas = sorted({i["area"] for i in items if i.get("area")})
kinds = sorted({i["top_kind"] for i in items if i.get("top_kind")})
with right:
    picked_areas = st.multiselect("Area", areas, key="roadmap_areas") if areas else []
    picked_kinds = st.multiselect(
        "Kind (most common in the item)",
        kinds,
        format_func=lambda k: k.replace("_", " "),
        key="roadmap_kinds",
    )
shown = export.filter_items(items, picked_areas, picked_kinds)
window = feed["window"]
st.caption(
    f"{window['comments']:,} analysed comments"
    + (f" from {window['since']}" if window["since"] else "")
    + f"; factors: {', '.join(feed['factors'])}; voices are {feed['voices']}. "
    + (f"{note} " if (note := export.growth_note(feed)) else "")
    + (f"{note} " if (note := export.language_note(feed)) else "")
    + (
        f"{feed['left_out'][level]} with fewer than 3 distinct comments left out."
        if feed["left_out"][level]
        else ""
    )
    + "".join(
        f" Left out: {g['comments']:,} comments whose {escape_markdown(g['column'])} is "
        + escape_markdown(", ".join(g["values"]))
        + "."
        for g in window.get("without") or ()
    )
    + (f" Value: {escape_markdown(feed['value_note'])}." if feed.get("value_note") else "")
)
if not window["comments"]:
    st.info('Every comment is left out: clear some values under "Leave out, weigh by value".')
    st.stop()
if not shown:
    st.info("No item in this list matches the filters.")
    st.stop()

bars = export.contributions_frame(shown)
order = [f"{i['rank']}. {i['label']}" for i in shown]
bars["item"] = bars["rank"].astype(str) + ". " + bars["label"]
bars["stack"] = bars["factor"].map(list(FACTORS).index)
chart = (
    alt.Chart(bars)
    .mark_bar()
    .encode(
        x=alt.X("sum(contribution):Q", title="Priority (each factor's contribution)"),
        y=alt.Y("item:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
        color=alt.Color("factor:N", scale=FACTOR_COLOURS, title="Factor"),
        order=alt.Order("stack:Q"),
        tooltip=[
            alt.Tooltip("item:N", title="Item"),
            alt.Tooltip("factor:N", title="Factor"),
            alt.Tooltip("value:Q", title="Value (0..1)", format=".2f"),
            alt.Tooltip("contribution:Q", title="Contribution", format=".3f"),
            alt.Tooltip("evidence:N", title="Evidence"),
        ],
    )
    .properties(height=max(160, 28 * len(shown)))
)
st.altair_chart(chart, width="stretch")

st.subheader("Each item: why, in whose words, whom to call")
for item in shown:
    with st.expander(f"{item['rank']}. {item['label']} · priority {item['priority']:.3f}"):
        st.markdown(f"**Why it ranks here:** {escape_markdown(item['why'])}")
        if item["kind_mix"]:
            st.caption(
                "Kinds: "
                + ", ".join(f"{k.replace('_', ' ')} {v:.0%}" for k, v in item["kind_mix"].items())
            )
        if item["linked"]:
            word = "Jobs" if level == "themes" else "Themes"
            st.caption(
                f"{word}: " + "; ".join(f"{x['label']} ({x['comments']})" for x in item["linked"])
            )
        for quote in item["quotes"]:
            st.markdown(f"> {escape_markdown(quote['text'])}")
            if quote["row_id"] is None:  # anonymous
                continue
            who = f"customer {quote['customer_id']} · " if quote["customer_id"] else ""
            st.caption(
                f"{who}row {quote['row_id']}" + (f" · {quote['date']}" if quote["date"] else "")
            )
        if item["co_creators"]:
            st.markdown("**Co-creators to invite**")
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "customer": p["customer_id"],
                            "score": p["score"],
                            "reasons": "; ".join(p["reasons"]),
                        }
                        for p in item["co_creators"]
                    ]
                ),
                hide_index=True,
                width="stretch",
            )

st.subheader("Download")
if picked_areas or picked_kinds:
    # What is on screen: this list's items that match the filters, not the other list.
    other = next(key for key in LISTS if key != level)
    download = {**feed, level: shown, other: []}
    st.caption(
        f"The downloads hold the {len(shown):,} {LISTS[level].lower()} shown (the Area and "
        "Kind filters); clear them for the whole feed."
    )
else:
    download = feed
    st.caption("The downloads hold the whole feed: themes and jobs.")
one, two, three = st.columns(3)
one.download_button(
    "CSV", export.to_csv(export.items_frame(download)), "roadmap.csv", "text/csv", width="stretch"
)
two.download_button(
    "Markdown", export.to_markdown(download), "roadmap.md", "text/markdown", width="stretch"
)
three.download_button(
    "JSON", export.to_json(download), "roadmap.json", "application/json", width="stretch"
)
