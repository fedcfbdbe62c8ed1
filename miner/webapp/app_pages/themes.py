"""Themes page: what customers talk about, how they feel, in their own words.

A map of the comments coloured by theme, search by words or by meaning within
filters, and one theme in detail. Everything heavy is cached by the run's content
(``run_digest``): switching pages recomputes nothing.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from miner import schema, search
from miner.app_state import (
    curation_stamp,
    current_run,
    current_run_dir,
    run_digest,
)
from miner.insights import views
from miner.insights.views import quote_text
from miner.pii import mask_values
from miner.report import (
    KINDS,
    escape_markdown,
    repeated_comment,
    repeated_words,
    secondary_mentions,
    status_counts,
    top_kind,
)
from miner.tables import key_positions

# Points the map draws: a sample by theme when there are more (the browser draws 5,000
# quickly; 20,000 at most).
MAP_POINTS = (2000, 5000, 10000, 20000)
RESULTS = 50
# Rows of the matching comments' table sent to the browser (each rerun sends them all).
TABLE_ROWS = 1000

st.title("Themes")

run = current_run()
run_dir = current_run_dir()
# The content key of every cache below: the run's digest and its curation's stamp (an
# edit on the Curate page renames, merges or hides themes).
digest = f"{run_digest(run_dir)}|{curation_stamp(run_dir)}"


# ------------------------------------------------------------ cached by the run's content
# Resources (shared, read-only), not data: a cache_data hit unpickles a copy, which for a
# large run costs more than the page. Keyed by the run's digest, and the filters' repr.
@st.cache_resource(show_spinner=False, max_entries=64)
def _dates(digest: str, _run):
    return search.comment_dates(_run)


@st.cache_resource(show_spinner=False, max_entries=64)
def _segments(digest: str, _run) -> dict[str, pd.Series]:
    from miner.insights.views import segment_values_of

    return {c: segment_values_of(_run, c) for c in search.segment_columns(_run)}


@st.cache_resource(show_spinner=False, max_entries=64)
def _mask(digest: str, key: str, _run, _filters) -> np.ndarray:
    return search.filter_mask(_run, _filters, _dates(digest, _run), _segments(digest, _run))


@st.cache_resource(show_spinner=False, max_entries=64)
def _text(digest: str, _run) -> pd.Series:
    return search.search_text(_run)


@st.cache_resource(show_spinner=False, max_entries=64)
def _text_hits(digest: str, key: str, query: str, _run, _mask) -> pd.DataFrame:
    return _run.documents[_mask & search.text_mask(_text(digest, _run), query)]


@st.cache_resource(show_spinner=False, max_entries=64)
def _map_points(digest: str, key: str, limit: int, _run, _mask) -> pd.DataFrame:
    return search.map_sample(_run, _mask, limit=limit)


@st.cache_resource(show_spinner=False, max_entries=64)
def _detail(digest: str, theme_id: int, _run) -> search.ThemeDetail:
    return search.theme_detail(_run, theme_id)


@st.cache_resource(show_spinner=False, max_entries=64)
def _also(digest: str, theme_id: int, sentiments: tuple, kinds: tuple, _run) -> pd.DataFrame:
    return secondary_mentions(
        _run.documents, _run.pieces, theme_id, sentiments=list(sentiments), kinds=list(kinds)
    )


@st.cache_resource(show_spinner=False)
def _embeddings(run_dir: str, digest: str):
    from miner.persist import load_run

    return load_run(run_dir, embeddings=True).embeddings


@st.cache_resource(show_spinner="Loading the embedding model…")
def _embedder(model_dir: str):
    return search.query_embedder(model_dir)


@st.cache_data(show_spinner=False)
def _query_vector(model_dir: str, query: str) -> np.ndarray:
    return _embedder(model_dir).encode([query])[0]


def _quote(row, text) -> None:
    st.markdown(f"> {escape_markdown(str(text))}")
    facts = [f"row {row.row_id}"]
    # Who said it and when, as the Roadmap's quotes say (the row alone led nowhere).
    date_col = run.meta.get("date_col")
    for name, column in (
        (run.id_col, run.id_column),
        (date_col, date_col and run.input_column(date_col)),
    ):
        if (
            not column
            or column not in run.documents.columns
            or row.Index not in run.documents.index
        ):
            continue
        value = run.documents.at[row.Index, column]
        if pd.notna(value) and str(value).strip():
            facts.append(f"{name} {value}")
    if isinstance(getattr(row, "sentiment", None), str):
        facts += [f"{row.sentiment} ({row.sentiment_score:+.2f})", row.kind.replace("_", " ")]
    if "similarity" in row._fields:
        facts.append(f"similarity {row.similarity:.2f}")
    st.caption(" · ".join(facts))


# --------------------------------------------------------------------------- overview
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
loose_label = themes.loc[themes["theme_id"] == -1, "theme_label"]
col4.metric(
    "Unassigned",
    f"{unassigned_share:.1%}",
    help=loose_label.iloc[0] if len(loose_label) else None,  # "... in other languages"
)

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
    # Over the comments that mention the theme: "too few" below the run's minimum.
    table["net_sentiment"] = views.theme_nets(run, themes)
    table["top_kind"] = [
        top_kind(row, views.min_n(run)) for row in themes.to_dict(orient="records")
    ]
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
        "net_sentiment": st.column_config.TextColumn(
            "Net sentiment (n)",
            help="Share positive minus share negative of the comments that mention the theme "
            "(-100..+100; n: those comments); in a comment about several themes, only its part "
            f"about this one. Below {views.min_n(run)} comments: {schema.TOO_FEW}",
        ),
        "top_kind": st.column_config.TextColumn("Most common kind"),
        "keywords": st.column_config.TextColumn("Keywords"),
    },
)

options = assigned["theme_id"].tolist()
if not options:
    if (run.meta.get("curation") or {}).get("hidden"):
        st.info("Every theme of this run is hidden: undo a hide on the Curate themes page.")
    else:
        st.info("No themes were found in this run.")
    st.stop()
labels = dict(zip(assigned["theme_id"], assigned["theme_label"], strict=True))
sizes = dict(zip(assigned["theme_id"], assigned["comments"], strict=True))

# ---------------------------------------------------------------------------- filters
with st.sidebar:
    st.subheader("Filter the comments")
    chosen_themes = st.multiselect(
        "Themes", options, format_func=lambda t: labels[t], key="filter_themes"
    )
    sentiments = kinds = None
    if "sentiment" in documents.columns:
        sentiments = st.multiselect(
            "Sentiment", ["negative", "neutral", "positive"], key="filter_sentiment"
        )
        kinds = st.multiselect(
            "Kind", list(KINDS), format_func=lambda k: k.replace("_", " "), key="filter_kind"
        )
    segment_values = _segments(digest, run)
    chosen_segments = {
        column: st.multiselect(
            column, views.segment_options(run, column, values), key=f"filter_segment_{column}"
        )
        for column, values in segment_values.items()
    }
    dates = _dates(digest, run)
    date_range = None
    if dates is not None and dates.notna().any():
        first, last = dates.min().date(), dates.max().date()
        picked = st.date_input(
            f"Dates ({run.meta['date_col']})",
            value=(first, last),
            min_value=first,
            max_value=last,
            key="filter_dates",
        )
        if isinstance(picked, tuple | list) and len(picked) == 2 and picked != (first, last):
            date_range = (pd.Timestamp(picked[0]), pd.Timestamp(picked[1]))
    customers = []
    if run.id_column and run.id_column in documents.columns:
        typed = st.text_input(
            f"Customer ({run.id_col})",
            key="filter_customer",
            help="One or more customer ids, separated by commas; an id that is an e-mail "
            "address or a phone number may be typed as it is (it is shown masked)",
        )
        # Ids that are personal data are masked in the app ("[email #3f9a1c]"): the
        # address as typed finds its customer, as `miner customer` does.
        customers = mask_values(
            [c.strip() for c in typed.split(",") if c.strip()], key=run.meta.get("mask_key")
        )

filters = search.Filters.of(
    theme_ids=chosen_themes,
    sentiments=sentiments,
    kinds=kinds,
    segments=chosen_segments,
    date_range=date_range,
    customers=customers,
)
key = repr(filters)
mask = _mask(digest, key, run, filters)
st.caption(f"{int(mask.sum()):,} of {analysed:,} analysed comments within the filters.")

# --------------------------------------------------------------------------------- map
st.subheader("Map of the comments")
# A click on the map picks the theme shown below (read before its select box is drawn).
clicked = (st.session_state.get("theme_map") or {}).get("selection", {}).get("pick") or []
clicked_theme = int(clicked[0]["theme_id"]) if clicked else None
if clicked_theme in labels and clicked_theme != st.session_state.get("map_clicked"):
    st.session_state["theme_choice"] = clicked_theme
st.session_state["map_clicked"] = clicked_theme
limit = st.session_state.get("map_points", MAP_POINTS[1])
points = _map_points(digest, key, limit, run, mask)
if run.map is None:
    st.info(
        "This run has no comment map (it was fitted before the map, or is `miner score` "
        "output). Fit it again with `miner fit` to see one."
    )
elif points.empty:
    st.info("No comment on the map is within the filters.")
else:
    on_map = key_positions(documents, run.map)
    shown = int(mask[on_map[on_map >= 0]].sum())
    note = (
        f"{len(points):,} of {shown:,} comments drawn (a sample by theme)"
        if len(points) < shown
        else f"{len(points):,} comments"
    )
    st.caption(f"{note}; similar comments sit together. Click a point to open its theme.")
    pick = alt.selection_point(name="pick", fields=["theme_id"])
    chart = (
        alt.Chart(points)
        .mark_circle(size=14)
        .encode(
            x=alt.X("x:Q", axis=None),
            y=alt.Y("y:Q", axis=None),
            color=alt.Color("theme_label:N", title="Theme", legend=alt.Legend(columns=1)),
            opacity=alt.condition(pick, alt.value(0.8), alt.value(0.15)),
            tooltip=[
                alt.Tooltip("theme_label:N", title="Theme"),
                alt.Tooltip("quote:N", title="Comment"),
                alt.Tooltip("row_id:Q", title="Row"),
            ],
        )
        .add_params(pick)
        .properties(height=460)
    )
    st.altair_chart(chart, on_select="rerun", key="theme_map", width="stretch")
    st.select_slider(
        "Points drawn at most", MAP_POINTS, value=MAP_POINTS[1], key="map_points",
        help="A sample by theme when there are more comments; more points draw slower",
    )  # fmt: skip

# ------------------------------------------------------------------------------ search
st.subheader("Search the comments")
left, right = st.columns([3, 1])
query = left.text_input("Search", key="search_query", placeholder="e.g. bank feed stops syncing")
mode = right.radio(
    "Match", ["words", "meaning"], horizontal=True, key="search_mode",
    help="words: every word appears in the comment; meaning: comments closest in meaning "
    "(embeddings), even in other words",
)  # fmt: skip
like_row = st.number_input(
    "Find comments like this one (row id)",
    min_value=-1,
    value=-1,
    step=1,
    key="search_like",
    help="A comment's row id (shown under each quote); -1: off",
)
results = None
if like_row >= 0 or (query.strip() and mode == "meaning"):
    vectors = _embeddings(run_dir, digest) if run.map is not None else None
    if vectors is None:
        st.info("This run has no saved embeddings: fit it again with `miner fit` to search "
                "by meaning.")  # fmt: skip
    else:
        vector = None
        if like_row >= 0:
            vector = search.row_vector(run, vectors, int(like_row))
            if vector is None:
                st.warning(f"Row {like_row} is not a distinct analysed comment of this run.")
        elif run.model_dir is not None:
            vector = _query_vector(str(run.model_dir), query.strip())
        if vector is not None:
            exclude = int(like_row) if like_row >= 0 else None
            results = search.similar_rows(run, vector, vectors, mask, RESULTS, exclude)
elif query.strip():
    results = _text_hits(digest, key, query.strip(), run, mask)
if results is not None:
    st.caption(
        f"{schema.counted(len(results), 'comment')} found"
        + (f"; the first {RESULTS} shown" if len(results) > RESULTS else "")
    )
    for row, text in zip(
        results.head(RESULTS).itertuples(), quote_text(run, results.head(RESULTS)), strict=True
    ):
        _quote(row, text)

# ------------------------------------------------------------------------ theme detail
st.subheader("A theme in detail")
# The themes the sidebar keeps, when it keeps some: the detail had stayed on the
# largest theme while the filter named another, its counts on a third base.
detail_options = [t for t in options if t in chosen_themes] or options
if st.session_state.get("theme_choice") not in detail_options:
    st.session_state.pop("theme_choice", None)
chosen = st.selectbox(
    "Theme",
    detail_options,
    format_func=lambda t: f"{labels[t]} ({sizes[t]:,} comments in all)",
    key="theme_choice",
)
detail = _detail(digest, chosen, run)
st.markdown("**Keywords:** " + escape_markdown(", ".join(detail.keywords) or "-"))
left, middle, right = st.columns(3)
if detail.sentiment:
    split = pd.DataFrame(
        {"sentiment": list(detail.sentiment), "comments": detail.sentiment.values()}
    )
    left.caption("Sentiment split")
    left.altair_chart(
        alt.Chart(split)
        .mark_bar()
        .encode(
            x=alt.X("comments:Q", title="comments"),
            y=alt.Y("sentiment:N", sort=list(detail.sentiment), title=None),
            color=alt.Color(
                "sentiment:N",
                scale=alt.Scale(
                    domain=["negative", "neutral", "positive"],
                    range=["#d62728", "#9e9e9e", "#2ca02c"],
                ),
                legend=None,
            ),
            tooltip=["sentiment", "comments"],
        )
        .properties(height=110),
        width="stretch",
    )
if detail.kinds:
    mix = pd.DataFrame(
        {"kind": [k.replace("_", " ") for k in detail.kinds], "share": detail.kinds.values()}
    )
    middle.caption("Kind mix")
    middle.altair_chart(
        alt.Chart(mix)
        .mark_bar()
        .encode(
            x=alt.X("share:Q", axis=alt.Axis(format="%"), title="share of comments"),
            y=alt.Y("kind:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False)),
            tooltip=["kind", alt.Tooltip("share:Q", format=".0%")],
        )
        .properties(height=22 * len(mix)),  # a row per kind: every label shows
        width="stretch",
    )
if detail.trend is not None:
    right.caption("Share of each period's comments")
    right.altair_chart(
        alt.Chart(detail.trend)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:N", title=None, axis=alt.Axis(labels=False, ticks=False)),
            y=alt.Y("share:Q", axis=alt.Axis(format="%"), title=None),
            tooltip=["period", alt.Tooltip("share:Q", format=".1%"), "comments"],
        )
        .properties(height=110),
        width="stretch",
    )
if detail.jobs is not None and len(detail.jobs):
    st.markdown("**Jobs inside it** (by opportunity)")
    st.dataframe(
        detail.jobs[["job_label", "voices", "opportunity"]],
        hide_index=True,
        width="stretch",
        column_config={
            "job_label": st.column_config.TextColumn("Job"),
            "opportunity": st.column_config.NumberColumn(format="%.1f"),
        },
    )

# Quotes: the theme's comments within the filters, the most central first.
st.markdown("**In customers' words**")
in_theme = search.Filters.of(
    theme_ids=[chosen],
    sentiments=sentiments,
    kinds=kinds,
    segments=chosen_segments,
    date_range=date_range,
    customers=customers,
)
members = documents[_mask(digest, repr(in_theme), run, in_theme)].sort_values(
    ["theme_confidence", "row_id"], ascending=[False, True]
)
central = members[members["status"] == "ok"]
st.caption(
    f"{len(members):,} of its {sizes[chosen]:,} comments match the filters; the most central "
    "first (the charts above count all of them)."
)
for row, text in zip(central.head(5).itertuples(), quote_text(run, central.head(5)), strict=True):
    _quote(row, text)
if chosen >= 0 and (repeated := repeated_comment(run, chosen)):
    words, times, total, near = repeated
    st.markdown(f"> {escape_markdown(words)}")
    said = repeated_words(times, near, total)
    st.caption(said[0].upper() + said[1:])
listed = [
    c
    for c in ["row_id", "status", "sentiment", "kind", "job_statement", "masked_text"]
    if c in members.columns
]
with st.expander(f"All {len(members):,} matching comments"):
    if len(members) > TABLE_ROWS:
        st.caption(f"The {TABLE_ROWS:,} most central; narrow the filters to see others.")
    st.dataframe(members[listed].head(TABLE_ROWS), hide_index=True, width="stretch")

# Comments mainly about another theme that also talk about this one: their words on it.
also = _also(digest, chosen, tuple(sentiments or ()), tuple(kinds or ()), run)
if len(also):
    with st.expander(
        f"Also mentioned in {schema.counted(len(also), 'comment')} mainly about other themes"
    ):
        for row in also[also["status"] == "ok"].head(5).itertuples():
            st.markdown(f"> {escape_markdown(row.text)}")
            facts = [f"row {row.row_id}", f"main theme: {row.main_theme_label}"]
            if isinstance(row.sentiment, str):
                facts.append(f"{row.sentiment} ({row.sentiment_score:+.2f})")
            st.caption(" · ".join(facts))
