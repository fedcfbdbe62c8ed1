"""Trends page: what grows and what fades, period by period, with its evidence and quotes."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from miner import schema
from miner.app_state import current_run
from miner.insights import views
from miner.report import escape_markdown
from miner.tables import language_note

LEVELS = {"theme": "Themes", "area": "Areas", "job": "Jobs"}
MEASURES = {
    "share": "Share of the period's comments",
    "comments": "Comments",
    "net_sentiment": "Net sentiment",
}
FLAG_SHAPES = alt.Scale(domain=["emerging", "fading"], range=["triangle-up", "triangle-down"])

st.title("Trends")
run = current_run()
if run.trends is None:
    st.info(
        views.missing_insight(
            run,
            "trends",
            "trends",
            "it was fitted without a date column",
            "the column that holds each comment's date, e.g. `miner fit feedback.csv "
            "--date-col submitted_at` (optionally `--period week`, `month` or `quarter`)",
        )
    )
    st.stop()

info = views.insight_info(run)["trends"]
period_name, min_n = info["period"], views.min_n(run)
totals = views.period_totals(run)
other_languages = language_note(run.documents) is not None
incomplete = set(totals.loc[totals["incomplete"], "period"])
st.caption(
    f"By {period_name}: {info['first']} to {info['last']}, {len(totals):,} {period_name}s, "
    f"{int(totals['period_comments'].sum()):,} analysed comments with a date"
    + (" in English (comments in other languages have no theme)" if other_languages else "")
    + (
        f"; the last {period_name} is incomplete (the data end before it does)"
        if incomplete
        else ""
    )
    + f". Figures resting on fewer than {min_n} comments: {schema.TOO_FEW}, never flagged."
)


def _period_text(period: str) -> str:
    return f"{period} (incomplete)" if period in incomplete else period


# The score of each period (an engagement survey's eNPS wave by wave).
by_period = info.get("score_by_period")
if by_period:
    score_name = schema.score_name(run.meta.get("score_type"), capital=True)
    if run.meta.get("score_type") == "good_bad":
        score_name += " (%)"
    scores = pd.DataFrame(by_period)
    scores["period"] = scores["period"].map(_period_text)
    # At the score's own scale, as every other page shows it (it had shown -34.6535).
    digits = views.score_digits(run)
    for column in ("score", "low", "high"):
        if column in scores:
            scores[column] = pd.to_numeric(scores[column], errors="coerce").round(digits)
    with st.expander(f"{score_name} by {period_name}, with its 95% interval and n"):
        st.dataframe(
            scores.rename(
                columns={"score": score_name, "low": "95% low", "high": "95% high", "n": "n"}
            ),
            hide_index=True,
        )
        st.caption(
            f"Of the analysed comments with a score, each respondent once, in any language "
            f"(the segments' base; the drivers count those in English); fewer than {min_n} "
            "scored comments: no figure (too few)."
        )


# ------------------------------------------------------------------ the chart
levels = [level for level in info.get("levels", ["theme"]) if level in LEVELS]
left, middle, right = st.columns([1, 2, 3])
level = left.radio("Show", levels, format_func=LEVELS.get, horizontal=False)
measures = list(MEASURES)
if "sentiment" not in run.documents.columns:
    measures.remove("net_sentiment")
measure = middle.radio("Measure", measures, format_func=MEASURES.get)
points = views.trend_points(run, level)
if points.empty:
    st.info(f"No {LEVELS[level].lower()} in this run's trends.")
    st.stop()
groups = points.drop_duplicates("group_id")[["group_id", "label", "order"]]
names = dict(zip(groups["group_id"], groups["label"], strict=True))
sizes = points.groupby("group_id")["comments"].sum().to_dict()
flagged_groups = points.loc[points["direction"] != "", "group_id"].unique().tolist()
default = [g for g in groups["group_id"] if groups.set_index("group_id").loc[g, "order"] < 6]
default += [g for g in flagged_groups if g not in default]
shown = right.multiselect(
    f"{LEVELS[level]} in the chart",
    groups["group_id"].tolist(),
    default=[g for g in groups["group_id"] if g in default],
    format_func=lambda g: f"{names[g]} ({sizes[g]:,})",
    key=f"trends_shown_{level}",
)


def _chart_data(points: pd.DataFrame) -> pd.DataFrame:
    data = points.copy()
    data["period_text"] = data["period"].map(_period_text)
    data["share_text"] = [
        views.share_with_n(s, c, n)
        for s, c, n in data[["share", "comments", "period_comments"]].itertuples(index=False)
    ]
    data["net_text"] = [
        views.net_with_n(value, c)
        for value, c in data[["net_sentiment", "comments"]].itertuples(index=False)
    ]
    data["test_text"] = [
        f"{schema.TOO_FEW}: {int(c):,} < {min_n}, not tested"
        if too_few
        else (
            f"{direction}: lift {views.lift_text(lift)}, adjusted p {p:.2g}"
            if direction
            else ("not flagged" if pd.notna(p) else "not tested")
        )
        for c, too_few, direction, lift, p in data[
            ["comments", "too_few", "direction", "lift", "p_adj"]
        ].itertuples(index=False)
    ]
    data["value"] = data[measure]
    return data


data = _chart_data(points[points["group_id"].isin(shown)])
if data.empty:
    st.info(f"Pick {LEVELS[level].lower()} to chart.")
else:
    # The periods as they are named, one tick each, in order: a time axis put ticks
    # between them ("Mar 2026, Mar 2026, Apr ...") and, read in the browser's time
    # zone, drew a month's point before its own tick.
    order = list(dict.fromkeys(data.sort_values("period_start")["period"]))
    x = alt.X(
        "period:O",
        title=period_name.capitalize(),
        sort=order,
        axis=alt.Axis(labelAngle=0, labelOverlap=True),
    )
    y_axis = alt.Axis(format=".1~%") if measure == "share" else alt.Axis()
    y = alt.Y("value:Q", title=MEASURES[measure], axis=y_axis)
    tooltip = [
        alt.Tooltip("label:N", title=LEVELS[level][:-1]),
        alt.Tooltip("period_text:N", title=period_name.capitalize()),
        alt.Tooltip("share_text:N", title="Share (comments of the period's n)"),
        alt.Tooltip("net_text:N", title="Net sentiment"),
        alt.Tooltip("test_text:N", title="Emerging / fading"),
    ]
    color = alt.Color(
        "label:N",
        title=LEVELS[level][:-1],
        sort=list(names.values()),
        scale=alt.Scale(scheme="tableau10"),
        legend=alt.Legend(labelLimit=260),
    )
    pick = alt.selection_point(name="pick", fields=["group_id", "period"], on="click")
    lines = alt.Chart(data).mark_line().encode(x=x, y=y, color=color, detail="group_id:N")
    # Filled: enough comments to test; hollow: too few comments (never flagged).
    dots = (
        alt.Chart(data)
        .mark_point(size=70)
        .encode(
            x=x,
            y=y,
            color=color,
            fill=alt.condition("datum.too_few", alt.value("white"), "label:N"),
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    flags = (
        alt.Chart(data[data["direction"] != ""])
        .mark_point(size=260, filled=True, color="black", opacity=0.9)
        .encode(
            x=x,
            y=y,
            shape=alt.Shape("direction:N", title="Flag", scale=FLAG_SHAPES),
            tooltip=tooltip,
        )
    )
    # The flags under the points, so a click on a flagged point still selects it.
    layers = [lines, flags, dots]
    late = data[data["incomplete"]].drop_duplicates("period")
    if len(late):
        band = alt.Chart(late).mark_rect(color="#888", opacity=0.12).encode(x=x)
        note = (
            alt.Chart(late)
            .mark_text(align="left", baseline="top", dx=3, dy=3, color="#555")
            .encode(x=x, y=alt.value(0), text=alt.value("incomplete"))
        )
        layers = [band, note, *layers]
    chart = alt.layer(*layers).properties(height=380)

    def _picked() -> None:
        picked = st.session_state["trends_chart"]["selection"]["pick"]
        if picked:
            st.session_state[f"trends_group_{level}"] = int(picked[0]["group_id"])
            st.session_state["trends_period"] = picked[0]["period"]

    st.altair_chart(
        chart, width="stretch", on_select=_picked, selection_mode="pick", key="trends_chart"
    )
    missing = data["value"].isna().groupby(data["group_id"]).all()
    if missing.all():
        st.info(
            f"Every point of this measure rests on fewer than {min_n} comments: "
            f"{schema.TOO_FEW}. Try comments or share, or a longer period."
        )
    st.caption(
        f"Hover a point for its n; hollow points rest on fewer than {min_n} of the group's "
        f"comments ({schema.TOO_FEW}, never flagged); ▲ emerging, ▼ fading"
        + (f"; the grey band is the incomplete {period_name}" if len(late) else "")
        + ". Click a point to read its comments below."
    )

# ------------------------------------------------------------------ emerging and fading
st.subheader("Emerging and fading themes")
texts = views.methods(run)
if "emerging" in texts:
    st.caption(texts["emerging"])
if run.emerging is None:
    st.info("This run has no emerging and fading test (its dates were not read).")
elif views.one_period(run):
    st.info(
        f"Every dated comment falls in one {period_name}: there is no earlier {period_name} "
        "to compare with."
    )
else:
    tested = run.emerging[run.emerging["comparison"] == schema.COMPARE_PERIOD]
    flagged = views.emerging_view(run)
    st.markdown(
        f"**{schema.counted(len(flagged), 'flag')}** among "
        f"{schema.counted(len(tested), f'theme × {period_name} comparison')} "
        f"({int(tested['too_few'].sum()):,} of them {schema.TOO_FEW}: fewer than {min_n})."
    )

    def _evidence(table: pd.DataFrame, level: str = "theme") -> pd.DataFrame:
        return pd.DataFrame(
            {
                f"{level}_id": table[f"{level}_id"],
                level: table[f"{level}_label"],
                "flag": table["direction"].replace("", "–"),
                "period": [
                    f"{period} (incomplete)" if late else period
                    for period, late in table[["period", "incomplete"]].itertuples(index=False)
                ],
                "share": [
                    views.share_with_n(s, c, n)
                    for s, c, n in table[["share", "comments", "period_comments"]].itertuples(
                        index=False
                    )
                ],
                "earlier": [
                    views.share_with_n(s, c, n)
                    for s, c, n in table[
                        ["baseline_share", "baseline_comments", "baseline_total"]
                    ].itertuples(index=False)
                ],
                "lift": table["lift"].map(views.lift_text),
                "p_adj": [f"{p:.2g}" if pd.notna(p) else schema.TOO_FEW for p in table["p_adj"]],
                "first_seen": table["first_seen"],
                "history": table["shares_by_period"].map(views.shares_history),
            }
        )

    columns = {
        "theme_id": None,
        "theme": st.column_config.TextColumn("Theme"),
        "flag": st.column_config.TextColumn("Flag"),
        "period": st.column_config.TextColumn(period_name.capitalize()),
        "share": st.column_config.TextColumn(
            "Share (n)", help="The theme's comments of the period's analysed comments"
        ),
        "earlier": st.column_config.TextColumn(
            "Earlier share (n)", help="The theme's share of all comments before it"
        ),
        "lift": st.column_config.TextColumn("Lift"),
        "p_adj": st.column_config.TextColumn(
            "Adjusted p", help="Fisher's exact test, Benjamini–Hochberg corrected"
        ),
        "first_seen": st.column_config.TextColumn("First seen"),
        "history": st.column_config.TextColumn(f"Share by {period_name}", width="large"),
    }
    if len(flagged):
        evidence = _evidence(flagged)

        def _row_picked() -> None:
            rows = st.session_state["trends_flags"]["selection"]["rows"]
            if rows:
                row = flagged.iloc[rows[0]]
                st.session_state["trends_group_theme"] = int(row["theme_id"])
                st.session_state["trends_period"] = row["period"]

        st.dataframe(
            evidence,
            hide_index=True,
            width="stretch",
            column_config=columns,
            on_select=_row_picked,
            selection_mode="single-row",
            key="trends_flags",
        )
    else:
        st.info(f"No theme is significantly above or below its earlier share in any {period_name}.")
    recent = views.emerging_view(run, schema.COMPARE_RECENT)
    if len(recent):
        window = recent["period"].iloc[0]
        moved = recent[recent["flagged"]]
        st.markdown(f"**Latest {period_name}s ({window}) against all before them**")
        if len(moved):
            st.dataframe(_evidence(moved), hide_index=True, width="stretch", column_config=columns)
        else:
            st.caption("No theme is flagged over the latest periods.")
        with st.expander(f"Every theme over {window} ({len(recent):,})"):
            st.dataframe(_evidence(recent), hide_index=True, width="stretch", column_config=columns)
    if run.area_emerging is not None and len(run.area_emerging):
        # Where themes are too small to test, their areas (groups of themes) often are not.
        st.markdown("**Areas (groups of themes)**: the same tests over each area's comments")
        area_recent = views.emerging_view(run, schema.COMPARE_RECENT, level="area")
        area_flags = pd.concat(
            [views.emerging_view(run, level="area"), area_recent[area_recent["flagged"]]]
        )
        if len(area_flags):
            st.dataframe(
                _evidence(area_flags, "area"),
                hide_index=True,
                width="stretch",
                column_config={
                    **columns,
                    "area_id": None,
                    "area": st.column_config.TextColumn("Area"),
                },
                key="trends_area_flags",
            )
        else:
            st.caption("No area is significantly above or below its earlier share.")

# ------------------------------------------------------------------ quotes
st.subheader("Comments behind a point")
group_key = f"trends_group_{level}"
options = groups["group_id"].tolist()
if st.session_state.get(group_key) not in options:
    st.session_state.pop(group_key, None)
periods = totals["period"].tolist()
if st.session_state.get("trends_period") not in periods:
    st.session_state["trends_period"] = periods[-1]
left, right = st.columns(2)
chosen = left.selectbox(
    LEVELS[level][:-1],
    options,
    format_func=lambda g: f"{names[g]} ({sizes[g]:,})",
    key=group_key,
)
cells = points[points["group_id"] == chosen].set_index("period")
period = right.selectbox(
    period_name.capitalize(),
    periods,
    format_func=lambda p: f"{_period_text(p)}: {int(cells.loc[p, 'comments']):,} comments",
    key="trends_period",
)
cell = cells.loc[period]
summary = (
    f"**{escape_markdown(names[chosen])}** in {_period_text(period)}: "
    f"{views.share_with_n(cell['share'], cell['comments'], cell['period_comments'])} "
    "of the period's analysed comments"
)
if cell["direction"]:
    earlier = views.share_with_n(
        cell["baseline_share"], cell["baseline_comments"], cell["baseline_total"]
    )
    summary += (
        f" · **{cell['direction']}**: earlier {earlier}, "
        f"lift {views.lift_text(cell['lift'])}, adjusted p {cell['p_adj']:.2g}"
    )
st.markdown(summary)
members = views.group_comments(run, level, chosen, period)
members = members.assign(quote=views.quote_text(run, members).to_numpy())
for row in members.head(5).itertuples():
    st.markdown(f"> {escape_markdown(row.quote)}")
    facts = [f"row {row.row_id}"]
    if "sentiment" in members.columns:
        facts += [str(row.sentiment), str(row.kind).replace("_", " ")]
    if row.theme_id != chosen and level == "theme":
        facts.append(f"main theme: {row.theme_label}")
    st.caption(" · ".join(facts))
if len(members):
    shown_columns = [c for c in ["row_id", "sentiment", "kind", "quote"] if c in members.columns]
    with st.expander(f"All {len(members):,} comments"):
        st.dataframe(members[shown_columns], hide_index=True, width="stretch")
else:
    st.caption(f"No comment in this {period_name}.")
