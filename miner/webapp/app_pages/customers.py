"""Customers page: every customer, and one customer's feedback over time."""

from __future__ import annotations

import altair as alt
import streamlit as st

from miner import customers
from miner.app_state import current_run
from miner.errors import CustomerNotFound
from miner.pii import mask_values

st.title("Customers")
st.caption(
    "Customers are co-creators: what each one told you, in their words, over time. "
    f"At risk: comments on at least {customers.RISK_MIN_COMMENTS} occasions (days; a "
    "survey's answers are one) whose sentiment falls by "
    f"{-customers.RISK_SLOPE:.1f} or more per occasion (least-squares slope, date order) "
    "and a negative latest comment."
)

run = current_run()
try:
    customers.id_column(run)
except CustomerNotFound:
    st.info(
        "This run has no customer id column, so comments cannot be grouped by customer. "
        "Fit it again with `miner fit INPUT --id-col COL` (the column holding each "
        "customer's id)."
    )
    st.stop()


def show_table(frame, columns: dict) -> None:
    st.dataframe(frame, hide_index=True, width="stretch", column_config=columns)


SORTS = {
    "volume": "Most comments",
    "at_risk": "At risk first (worsening sentiment)",
    "recent": "Latest comment first",
    "cocreator": "Co-creator score (worth inviting to co-design)",
}
sort = st.selectbox("Order", list(SORTS), format_func=SORTS.get)
table = customers.customer_list(run, extra=customers.cocreator_columns(run), sort=sort)
at_risk = int(table["at_risk"].sum())
st.caption(f"{len(table):,} customers with comments; {at_risk:,} at risk.")
show_table(
    table,
    {
        "customer_id": st.column_config.TextColumn("Customer"),
        "comments": st.column_config.NumberColumn("Comments"),
        "themes": st.column_config.NumberColumn("Themes"),
        "top_themes": st.column_config.TextColumn("Themes they mention most", width="large"),
        "first_date": st.column_config.TextColumn("First"),
        "last_date": st.column_config.TextColumn("Latest"),
        "mean_sentiment": st.column_config.NumberColumn("Mean sentiment", format="%+.2f"),
        "last_sentiment": st.column_config.NumberColumn("Latest sentiment", format="%+.2f"),
        "sentiment_trend": st.column_config.NumberColumn(
            "Trend per occasion",
            format="%+.2f",
            help="Slope of sentiment over their comments, per occasion (a day)",
        ),
        "at_risk": st.column_config.CheckboxColumn("At risk"),
        "cocreator_score": st.column_config.NumberColumn(
            "Co-creator", format="%.2f", help="Specific, returning, across themes (Roadmap)"
        ),
        "cocreator_reasons": st.column_config.TextColumn("Why invite them", width="large"),
        "sentiment_scores": st.column_config.LineChartColumn(
            "Sentiment over time", y_min=-1.0, y_max=1.0
        ),
    },
)

if table.empty:
    st.info("No customer has an analysed comment in this run.")
    st.stop()
ids = table["customer_id"].tolist()
found = st.text_input(
    "Find a customer",
    key="find_customer",
    help="Their id, or the e-mail address or phone number their id is (shown masked)",
).strip()
if found:
    wanted = mask_values([found], key=run.meta.get("mask_key"))[0]
    matches = [i for i in ids if str(i) == wanted or found.casefold() in str(i).casefold()]
    if not matches:
        st.info(f"No customer with an analysed comment has the id '{found}'.")
        st.stop()
    ids = matches
chosen = st.selectbox("Customer", ids)
view = customers.customer_view(run, chosen)
summary = view.summary
facts = [f"{summary['comments']} comments", f"{summary['themes']} themes"]
if summary.get("first_date"):
    facts.append(f"{summary['first_date']} to {summary['last_date']}")
if summary.get("at_risk"):
    facts.append("at risk: sentiment worsening")
st.subheader(f"Customer {chosen}")
st.caption(" · ".join(facts))

comments = view.comments.assign(number=range(1, len(view.comments) + 1))
x = (
    alt.X("date:T", title="Date")
    if comments["date"].notna().any()
    else alt.X("number:O", title="Comment")
)
tooltip = [
    c for c in ("date", "theme_label", "kind", "sentiment", "sentiment_score") if c in comments
]
if "sentiment_score" in comments and comments["sentiment_score"].notna().any():
    line = (
        alt.Chart(comments)
        .mark_line(color="#999")
        .encode(
            x=x, y=alt.Y("sentiment_score:Q", title="Sentiment", scale=alt.Scale(domain=[-1, 1]))
        )
    )
    points = (
        alt.Chart(comments)
        .mark_circle(size=90)
        .encode(
            x=x,
            y="sentiment_score:Q",
            color=alt.Color(
                "sentiment:N",
                scale=alt.Scale(
                    domain=["negative", "neutral", "positive"], range=["#d62728", "#999", "#2ca02c"]
                ),
            ),
            tooltip=tooltip,
        )
    )
    st.altair_chart((line + points).properties(height=220), width="stretch")
else:
    # A run fitted without the per-comment heads: when they wrote about what.
    st.caption("This run has no sentiment (fitted without the per-comment heads).")
    timeline = (
        alt.Chart(comments)
        .mark_circle(size=90)
        .encode(x=x, y=alt.Y("theme_label:N", title=None), tooltip=tooltip)
    )
    st.altair_chart(timeline.properties(height=220), width="stretch")

st.markdown("**Their comments, oldest first**")
show_table(
    view.comments.drop(columns=["theme_id"], errors="ignore"),
    {
        "row_id": st.column_config.NumberColumn("Row", width="small"),
        "date": st.column_config.TextColumn("Date"),
        "theme_label": st.column_config.TextColumn("Theme"),
        "other_themes": st.column_config.TextColumn("Also about"),
        "kind": st.column_config.TextColumn("Kind"),
        "sentiment": st.column_config.TextColumn("Sentiment"),
        "sentiment_score": st.column_config.NumberColumn("Score", format="%+.2f"),
        "job_statement": st.column_config.TextColumn("Job", width="medium"),
        "text": st.column_config.TextColumn("Comment", width="large"),
    },
)
st.markdown("**Themes they care about**")
show_table(
    view.themes,
    {
        "theme_id": st.column_config.NumberColumn("#", width="small"),
        "theme_label": st.column_config.TextColumn("Theme"),
        "comments": st.column_config.NumberColumn("Comments"),
        "mean_sentiment": st.column_config.NumberColumn("Mean sentiment", format="%+.2f"),
    },
)
