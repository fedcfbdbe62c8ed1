"""Segments & drivers page: which customers say what, and which themes move the score."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from miner import schema
from miner.app_state import current_run
from miner.insights import views
from miner.report import escape_markdown

st.title("Segments & drivers")
run = current_run()
min_n = views.min_n(run)
texts = views.methods(run)


def _quotes(members: pd.DataFrame, extra: str | None = None) -> None:
    """The first comments of ``members`` as quotes (masked text), the rest in a table."""
    members = members.assign(quote=views.quote_text(run, members).to_numpy())
    for row in members.head(5).itertuples():
        st.markdown(f"> {escape_markdown(row.quote)}")
        facts = [f"row {row.row_id}"]
        if extra:
            facts.append(f"{extra} {getattr(row, extra):g}")
        if "sentiment" in members.columns:
            facts += [str(row.sentiment), str(row.kind).replace("_", " ")]
        st.caption(" · ".join(facts))
    if len(members):
        columns = [
            c for c in ["row_id", extra, "sentiment", "kind", "quote"] if c and c in members.columns
        ]
        with st.expander(f"All {len(members):,} comments"):
            st.dataframe(members[columns], hide_index=True, width="stretch")


# ------------------------------------------------------------------ segments
def _lifts_table(flagged: pd.DataFrame, column: str, level: str) -> None:
    """The flagged theme (or area) x segment pairs of ``column``, with their evidence."""
    st.dataframe(
        pd.DataFrame(
            {
                "segment": flagged["segment"],
                level: flagged[f"{level}_label"],
                "flag": flagged["direction"],
                "share": [
                    views.share_with_n(s, c, n)
                    for s, c, n in flagged[["share", "comments", "segment_comments"]].itertuples(
                        index=False
                    )
                ],
                "overall": flagged["overall_share"].map(lambda s: f"{s:.1%}"),
                "lift": flagged["lift"],
                "p_adj": flagged["p_adj"].map(lambda p: f"{p:.2g}"),
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "segment": st.column_config.TextColumn(column),
            level: st.column_config.TextColumn(level.capitalize()),
            "flag": st.column_config.TextColumn("Flag"),
            "share": st.column_config.TextColumn("Share in segment (n)"),
            "overall": st.column_config.TextColumn("Share overall"),
            "lift": st.column_config.NumberColumn("Lift", format="%.2f"),
            "p_adj": st.column_config.TextColumn("Adjusted p"),
        },
        key=f"segments_{level}_flags",
    )


st.header("Segments")
if run.segment_lifts is None or run.segment_summary is None:
    st.info(
        views.missing_insight(
            run,
            "segments",
            "segments",
            "it was fitted without a segment column",
            "the columns that describe each customer, e.g. `miner fit feedback.csv "
            "--segment-col plan --segment-col region`",
        )
    )
else:
    lifts = views.segment_view(run, flagged_only=False)
    lifts["theme_label"] = lifts["theme_id"].map(views.distinct_labels(views.labels(run)))
    summary = run.segment_summary
    columns = list(dict.fromkeys(summary["segment_column"]))
    column = st.selectbox("Segment column", columns, key="segment_column")
    values = summary[summary["segment_column"] == column]
    has_sentiment = "sentiment" in run.documents.columns
    table = pd.DataFrame(
        {
            "segment": values["segment"],
            "comments": values["comments"],
            "share": values["share"],
            "net_sentiment": [
                views.segment_net(row, views.min_n(run)) if has_sentiment else "–"
                for row in values.itertuples(index=False)
            ],
        }
    )
    if views.has_group_scores(values):  # the segment's NPS (or mean score), interval, n
        table["score"] = [views.group_score(run, row) for row in values.itertuples(index=False)]
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "segment": st.column_config.TextColumn(column),
            "comments": st.column_config.NumberColumn("Comments", help="Analysed, with a value"),
            "share": st.column_config.NumberColumn("Share", format="percent"),
            "net_sentiment": st.column_config.TextColumn("Net sentiment"),
            "score": st.column_config.TextColumn(
                views.score_name(run),
                help="Of the segment's comments with a valid score, with its 95% interval "
                "(mean ± 1.96 standard errors) and n",
            ),
        },
    )
    cells = lifts[lifts["segment_column"] == column].copy()
    if cells.empty:
        st.info("No theme in this run to compare across segments.")
    else:
        theme_order = (
            cells.groupby("theme_label", sort=False)["comments"]
            .sum()
            .sort_values(ascending=False, kind="stable")
            .index.tolist()
        )
        # A value whose comments are all in other languages has no theme share (none
        # of its comments has a theme by design): no cell, and no pick.
        held = set(cells["segment"])
        segment_order = [v for v in values["segment"].tolist() if v in held]
        cells["share_text"] = [
            views.share_with_n(s, c, n)
            for s, c, n in cells[["share", "comments", "segment_comments"]].itertuples(index=False)
        ]
        cells["overall_text"] = cells["overall_share"].map(lambda s: f"{s:.1%}")
        cells["lift_text"] = [
            f"{lift:.2f}" + {"over": " ▲", "under": " ▼"}.get(direction, "")
            if pd.notna(lift)
            else "too few"
            for lift, direction in cells[["lift", "direction"]].itertuples(index=False)
        ]
        cells["test_text"] = [
            f"{schema.TOO_FEW} (< {min_n}), not tested"
            if too_few
            else (f"{direction}-indexed" if direction else "not flagged") + f", adjusted p {p:.2g}"
            for too_few, direction, p in cells[["too_few", "direction", "p_adj"]].itertuples(
                index=False
            )
        ]
        cells["log_lift"] = cells["lift"].clip(lower=1 / 4, upper=4)
        tooltip = [
            alt.Tooltip("theme_label:N", title="Theme"),
            alt.Tooltip("segment:N", title=column),
            alt.Tooltip("share_text:N", title="Share in segment (n)"),
            alt.Tooltip("overall_text:N", title="Share overall"),
            alt.Tooltip("lift:Q", title="Lift", format=".2f"),
            alt.Tooltip("test_text:N", title="Test"),
        ]
        x = alt.X("segment:N", title=column, sort=segment_order, axis=alt.Axis(labelAngle=0))
        y = alt.Y("theme_label:N", title=None, sort=theme_order, axis=alt.Axis(labelLimit=260))
        pick = alt.selection_point(name="cell", fields=["theme_id", "segment"], on="click")
        heat = (
            alt.Chart(cells)
            .mark_rect(stroke="white")
            .encode(
                x=x,
                y=y,
                color=alt.condition(
                    "isValid(datum.lift)",
                    alt.Color(
                        "log_lift:Q",
                        title="Lift",
                        scale=alt.Scale(
                            type="log", domain=[0.25, 4], scheme="blueorange", domainMid=1
                        ),
                    ),
                    alt.value("#eeeeee"),
                ),
                tooltip=tooltip,
            )
            .add_params(pick)
        )
        marked = (
            alt.Chart(cells[cells["flagged"]])
            .mark_rect(fill=None, stroke="black", strokeWidth=2.5)
            .encode(x=x, y=y, tooltip=tooltip)
        )
        labels = (
            alt.Chart(cells)
            .mark_text(fontSize=11)
            .encode(
                x=x,
                y=y,
                text="lift_text:N",
                color=alt.condition("datum.flagged", alt.value("black"), alt.value("#555")),
                tooltip=tooltip,
            )
        )
        chart = alt.layer(heat, marked, labels).properties(height=max(220, 26 * len(theme_order)))

        def _cell_picked() -> None:
            picked = st.session_state["segments_chart"]["selection"]["cell"]
            if picked:
                st.session_state["segment_theme"] = int(picked[0]["theme_id"])
                st.session_state["segment_value"] = picked[0]["segment"]

        st.markdown(
            f"**Theme × {escape_markdown(column)}: lift** (share in the segment ÷ share overall)"
        )
        st.altair_chart(
            chart,
            width="stretch",
            on_select=_cell_picked,
            selection_mode="cell",
            key="segments_chart",
        )
        st.caption(
            f"Outlined ▲ over-indexed, ▼ under-indexed (significant). Grey: {schema.TOO_FEW} "
            f"(fewer than {min_n}), never flagged. Hover a cell for its n; click it to read "
            "its comments below. " + texts.get("segments", "")
        )
        flagged = cells[cells["flagged"]]
        if len(flagged):
            _lifts_table(flagged, column, "theme")
        else:
            tested = int((~cells["too_few"]).sum())
            st.info(
                f"No theme is over- or under-indexed in a {column} segment "
                f"({tested:,} of {len(cells):,} pairs tested; the rest have {schema.TOO_FEW})."
            )
        area_lifts = views.segment_view(run, level="area")
        if run.area_segment_lifts is not None and len(run.area_segment_lifts):
            # Where themes are too small to test, their areas often are not.
            area_lifts = area_lifts[area_lifts["segment_column"] == column]
            st.markdown(
                f"**Areas (groups of themes) × {escape_markdown(column)}**: the same test "
                "over each area's comments"
            )
            if len(area_lifts):
                _lifts_table(area_lifts, column, "area")
            else:
                st.caption(f"No area is over- or under-indexed in a {column} segment.")

        st.subheader("Comments of a theme in a segment")
        themes = cells.drop_duplicates("theme_id").set_index("theme_label").loc[theme_order]
        options = themes["theme_id"].astype(int).tolist()
        names = dict(zip(options, theme_order, strict=True))
        if st.session_state.get("segment_theme") not in options:
            st.session_state.pop("segment_theme", None)
        if st.session_state.get("segment_value") not in segment_order:
            st.session_state.pop("segment_value", None)
        left, right = st.columns(2)
        theme = left.selectbox("Theme", options, format_func=names.get, key="segment_theme")
        segment = right.selectbox(column, segment_order, key="segment_value")
        cell = cells[(cells["theme_id"] == theme) & (cells["segment"] == segment)].iloc[0]
        st.markdown(
            f"**{escape_markdown(names[theme])}** in {escape_markdown(column)} = "
            f"{escape_markdown(str(segment))}: {cell['share_text']} of the segment's comments "
            f"(overall {cell['overall_text']}) · {cell['test_text']}"
        )
        _quotes(views.segment_comments(run, column, segment, theme))


# ------------------------------------------------------------------ drivers
st.header("Score drivers")
if run.drivers is None:
    st.info(
        views.missing_insight(
            run,
            "drivers",
            "score drivers",
            "it was fitted without a score column",
            "the column that holds each comment's score, e.g. `miner fit feedback.csv "
            "--score-col nps --score-type nps` (or `csat`, `rating`, `numeric`, `good_bad`)",
        )
    )
    st.stop()

info = views.insight_info(run)["drivers"]
unit = info["resample_unit"]  # customers, respondents (several questions) or comments
st.markdown(f"**{views.score_line(info)}**")
if "drivers" in texts:
    st.caption(texts["drivers"])
table = views.driver_view(run)
if table.empty:
    st.info("No theme in this run to relate to the score.")
    st.stop()
table["theme_label"] = table["theme_id"].map(views.distinct_labels(views.labels(run)))
ranked = table[~table["too_few"]].copy()
few = table[table["too_few"]]
if len(ranked):
    order = ranked["theme_label"].tolist()
    ranked["counts"] = [
        f"{int(c):,} comments" + (f" ({int(v):,} {unit})" if unit != "comments" else "")
        for c, v in ranked[["comments", "voices"]].itertuples(index=False)
    ]
    parts = []
    for measure, title in (
        ("impact", "Impact: score − score without the theme"),
        ("effect", "Effect: multivariable estimate"),
    ):
        frame = pd.DataFrame(
            {
                "theme_id": ranked["theme_id"],
                "theme_label": ranked["theme_label"],
                "counts": ranked["counts"],
                "estimate": ranked[measure],
                "low": ranked[f"{measure}_low"],
                "high": ranked[f"{measure}_high"],
                "measure": title,
            }
        )
        frame["interval"] = [
            f"{e:+.1f} [{lo:+.1f}, {hi:+.1f}]" if pd.notna(lo) else f"{e:+.1f}"
            for e, lo, hi in frame[["estimate", "low", "high"]].itertuples(index=False)
        ]
        parts.append(frame)
    data = pd.concat(parts, ignore_index=True)
    data["side"] = data["estimate"].map(lambda e: "pulls down" if e < 0 else "lifts")
    y = alt.Y("theme_label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    tooltip = [
        alt.Tooltip("theme_label:N", title="Theme"),
        alt.Tooltip("measure:N", title="Measure"),
        alt.Tooltip("interval:N", title="Estimate [95% CI]"),
        alt.Tooltip("counts:N", title="n"),
    ]
    pick = alt.selection_point(name="driver", fields=["theme_id"], on="click")
    base = alt.Chart(data)
    bars = base.mark_rule(strokeWidth=2, color="#888").encode(
        y=y, x=alt.X("low:Q", title="points"), x2="high:Q", tooltip=tooltip
    )
    dots = (
        base.mark_circle(size=110, opacity=1)
        .encode(
            y=y,
            x="estimate:Q",
            color=alt.Color(
                "side:N",
                title=None,
                scale=alt.Scale(domain=["pulls down", "lifts"], range=["#d62728", "#2c7fb8"]),
            ),
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    zero = base.mark_rule(strokeDash=[4, 3], color="black").encode(x=alt.datum(0))
    chart = (
        alt.layer(zero, bars, dots)
        .properties(width=380, height=max(160, 28 * len(order)))
        .facet(column=alt.Column("measure:N", title=None, sort=[p["measure"][0] for p in parts]))
        .resolve_scale(x="independent")
    )

    def _driver_picked() -> None:
        picked = st.session_state["drivers_chart"]["selection"]["driver"]
        if picked:
            st.session_state["driver_theme"] = int(picked[0]["theme_id"])

    st.altair_chart(chart, on_select=_driver_picked, selection_mode="driver", key="drivers_chart")
    st.caption(
        "Most negative impact first; lines are bootstrap 95% intervals; an interval that "
        "crosses the dashed 0 line is not a sure effect. Hover a dot for its n; click it to "
        "read the theme's comments below."
    )
else:
    st.info(f"Every theme has fewer than {min_n} scored comments: {schema.TOO_FEW}.")
if len(few):
    st.markdown(
        f"**{schema.TOO_FEW}** (fewer than {min_n} scored comments, not estimated): "
        + ", ".join(
            f"{escape_markdown(str(label))} ({int(c):,})"
            for label, c in few[["theme_label", "comments"]].itertuples(index=False)
        )
    )
areas = views.driver_view(run, "area")
if len(areas):
    # Where themes are too small to estimate, their areas often are not.
    st.markdown("**Areas (groups of themes)**: the same estimates over each area's comments")
    st.dataframe(
        pd.DataFrame(
            {
                "rank": areas["rank"],
                "area": areas["area_label"],
                "comments": [
                    f"{int(c):,}" + (f" ({int(v):,} {unit})" if unit != "comments" else "")
                    for c, v in areas[["comments", "voices"]].itertuples(index=False)
                ],
                "impact": [
                    views.score_interval(run, *values)
                    for values in areas[
                        ["impact", "impact_low", "impact_high", "too_few"]
                    ].itertuples(index=False)
                ],
                "effect": [
                    views.score_interval(run, *values)
                    for values in areas[
                        ["effect", "effect_low", "effect_high", "too_few"]
                    ].itertuples(index=False)
                ],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "rank": st.column_config.NumberColumn("Rank"),
            "area": st.column_config.TextColumn("Area"),
            "comments": st.column_config.TextColumn("Comments"),
            "impact": st.column_config.TextColumn("Impact [95% CI]"),
            "effect": st.column_config.TextColumn("Effect [95% CI]"),
        },
        key="drivers_areas",
    )


def _interval(value, low, high, too_few: bool) -> str:
    return views.score_interval(run, value, low, high, too_few)


with st.expander(f"Every theme's figures ({len(table):,})"):
    st.dataframe(
        pd.DataFrame(
            {
                "rank": table["rank"],
                "theme": table["theme_label"],
                "comments": table["comments"],
                "voices": table["voices"],
                "impact": [
                    _interval(*r)
                    for r in table[["impact", "impact_low", "impact_high", "too_few"]].itertuples(
                        index=False
                    )
                ],
                "effect": [
                    _interval(*r)
                    for r in table[["effect", "effect_low", "effect_high", "too_few"]].itertuples(
                        index=False
                    )
                ],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "rank": st.column_config.NumberColumn("Rank"),
            "theme": st.column_config.TextColumn("Theme"),
            "comments": st.column_config.NumberColumn("Comments", help="Scored comments"),
            "voices": st.column_config.NumberColumn(unit.capitalize()),
            "impact": st.column_config.TextColumn("Impact [95% CI]"),
            "effect": st.column_config.TextColumn("Effect [95% CI]"),
        },
    )

st.subheader("Comments behind a driver")
options = table["theme_id"].astype(int).tolist()
names = dict(zip(options, table["theme_label"], strict=True))
if st.session_state.get("driver_theme") not in options:
    st.session_state.pop("driver_theme", None)
theme = st.selectbox("Theme", options, format_func=lambda t: names[t], key="driver_theme")
row = table[table["theme_id"] == theme].iloc[0]
members = views.driver_comments(run, theme)
st.markdown(
    f"**{escape_markdown(str(row['theme_label']))}**: {int(row['comments']):,} scored comments; "
    f"impact {_interval(row['impact'], row['impact_low'], row['impact_high'], row['too_few'])}, "
    f"effect {_interval(row['effect'], row['effect_low'], row['effect_high'], row['too_few'])}. "
    "Lowest scores first."
)
_quotes(members, extra="score")
