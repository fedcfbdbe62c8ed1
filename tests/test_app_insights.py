"""The Trends and Segments & drivers pages: charts, flags with evidence, quotes, n, messages.

Three runs: the whole demo fitted with its date, segment and score columns (flags and
significant cells), the small CLI run (its columns detected; most figures rest on too
few comments) and a run written before insights existed (no date, segment, score).
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from miner import schema
from miner.insights import views
from miner.persist import load_run, save_run
from miner.report import escape_markdown, masked_run
from tests.conftest import ROOT, open_page

OLD_RUN = ROOT / "tests" / "data" / "old_runs" / "v0_1_main_11035c6"
TRENDS, SEGMENTS = "app_pages/trends.py", "app_pages/segments.py"


def _page(run_dir, page, monkeypatch) -> AppTest:
    return open_page(run_dir, page, monkeypatch)


def _layers(at, index: int = 0) -> list[tuple[dict, pd.DataFrame | None]]:
    """Each layer of the page's ``index``-th chart (facets unwrapped) with its rows."""
    chart = at.get("vega_lite_chart")[index].proto
    spec = json.loads(chart.spec)
    frames = {
        d.name: dataframe_util.convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.datasets
    }
    top = spec.get("data", {}).get("name")
    layers = spec.get("spec", spec).get("layer", [])
    return [(layer, frames.get(layer.get("data", {}).get("name", top))) for layer in layers]


def _quotes(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("> ")]


def _expected_quotes(run, members: pd.DataFrame) -> list[str]:
    return [f"> {escape_markdown(t)}" for t in views.quote_text(run, members).head(5)]


def test_views_count_the_comments_behind_every_figure(small_run):
    run = masked_run(load_run(small_run[0]))
    assert run.trends is not None and run.segment_lifts is not None and run.drivers is not None
    for level in ("theme", "area", "job"):
        points = views.trend_points(run, level)
        for row in points.iloc[:: max(1, len(points) // 12)].itertuples():
            members = views.group_comments(run, level, row.group_id, row.period)
            assert len(members) == row.comments, (level, row.group_id, row.period)
    for row in run.segment_lifts.iloc[::9].itertuples():
        members = views.segment_comments(run, row.segment_column, row.segment, row.theme_id)
        assert len(members) == row.comments
    for row in run.drivers.itertuples():
        members = views.driver_comments(run, row.theme_id)
        assert len(members) == row.comments
        assert members["score"].is_monotonic_increasing
    assert views.share_with_n(0.1234, 34, 277) == "12.3% (34 of 277)"
    assert views.share_with_n(float("nan"), 3, 20) == f"{schema.TOO_FEW} (3 of 20)"


def test_trends_page_marks_flags_and_lists_their_evidence(demo_run_dir, monkeypatch):
    run = masked_run(load_run(demo_run_dir))
    at = _page(demo_run_dir, TRENDS, monkeypatch)
    flagged = views.emerging_view(run)
    assert len(flagged) >= 2
    tested = run.emerging[run.emerging["comparison"] == "period"]
    assert any(
        m.value.startswith(f"**{len(flagged):,} flags** among {len(tested):,}") for m in at.markdown
    )
    # The NPS of each month, with its interval and n, in an expander.
    assert any(e.label == "NPS by month, with its 95% interval and n" for e in at.expander)
    months = run.meta["insights"]["trends"]["score_by_period"]
    table = next(d.value for d in at.dataframe if "NPS" in d.value.columns)
    assert table["n"].tolist() == [m["n"] for m in months]
    # At the score's scale, as the other pages show it (it had shown -34.6535).
    shown = table["NPS"].dropna()
    assert len(shown) and (shown.round(1) == shown).all()
    # The flags on the chart: a triangle per flagged theme x period that is charted.
    layers = _layers(at)
    shapes = [(layer, rows) for layer, rows in layers if "shape" in layer.get("encoding", {})]
    assert len(shapes) == 1
    marked = shapes[0][1]
    assert set(marked["direction"]) <= {"emerging", "fading"} and len(marked)
    charted = set(at.multiselect[0].value)
    expected = flagged[flagged["theme_id"].isin(charted)]
    assert sorted(zip(marked["group_id"], marked["period"], strict=True)) == sorted(
        zip(expected["theme_id"], expected["period"], strict=True)
    )
    # Every point carries its n for the hover.
    points = next(rows for layer, rows in layers if "fill" in layer["encoding"])
    first = points.iloc[0]
    assert first["share_text"].endswith(
        f"({int(first['comments']):,} of {int(first['period_comments']):,})"
    )
    # The evidence table: one row per flag, shares with their n, lift, adjusted p.
    table = next(d.value for d in at.dataframe if "flag" in d.value.columns)
    assert table["theme"].tolist() == flagged["theme_label"].tolist()
    assert table["flag"].tolist() == flagged["direction"].tolist()
    row = flagged.iloc[0]
    assert table["share"].iloc[0] == views.share_with_n(
        row["share"], row["comments"], row["period_comments"]
    )
    assert table["p_adj"].iloc[0] == f"{row['p_adj']:.2g}"
    assert table["lift"].tolist() == [views.lift_text(v) for v in flagged["lift"]]
    assert table["history"].iloc[0].startswith(next(iter(json.loads(row["shares_by_period"]))))
    # One tick per period, named as the run names it, in order (a time axis put ticks
    # between the periods and, in the browser's time zone, a point before its tick).
    points_layer = next(layer for layer, _ in layers if "fill" in layer["encoding"])
    x = points_layer["encoding"]["x"]
    assert x["field"] == "period" and x["type"] == "ordinal"
    assert x["sort"] == views.period_totals(run)["period"].tolist()
    assert any(
        "Fisher's exact test" in c.value and "Benjamini–Hochberg" in c.value for c in at.caption
    )


def test_trends_page_quotes_a_flagged_theme_in_its_period(demo_run_dir, monkeypatch):
    run = masked_run(load_run(demo_run_dir))
    flag = views.emerging_view(run).iloc[-1]
    at = _page(demo_run_dir, TRENDS, monkeypatch)
    at.selectbox(key="trends_group_theme").set_value(int(flag["theme_id"])).run()
    at.selectbox(key="trends_period").set_value(flag["period"]).run()
    assert not at.exception, at.exception
    summary = next(m.value for m in at.markdown if m.value.startswith("**") and " in " in m.value)
    assert views.share_with_n(flag["share"], flag["comments"], flag["period_comments"]) in summary
    assert f"**{flag['direction']}**" in summary and f"lift {flag['lift']:.2f}" in summary
    members = views.group_comments(run, "theme", int(flag["theme_id"]), flag["period"])
    assert len(members) == flag["comments"]
    assert _quotes(at) == _expected_quotes(run, members)
    assert "masked_text" in members.columns


def test_trends_page_says_too_few_comments_and_marks_the_incomplete_period(small_run, monkeypatch):
    run = load_run(small_run[0])
    at = _page(small_run[0], TRENDS, monkeypatch)
    last = run.trends["period"].iloc[-1]
    assert run.trends["incomplete"].iloc[-1]
    assert any("is incomplete" in c.value for c in at.caption)
    band = [rows for layer, rows in _layers(at) if layer["mark"].get("type") == "rect"]
    assert band and band[0]["period"].tolist() == [last]
    assert any(f"{last} (incomplete)" in m.value for m in at.markdown)
    # Nothing flagged: every comparison rests on too few comments.
    assert any(m.value.startswith("**0 flags**") for m in at.markdown)
    assert any("No theme is significantly" in i.value for i in at.info)
    at.radio[1].set_value("net_sentiment").run()
    assert not at.exception
    assert any(schema.TOO_FEW in i.value and "Every point" in i.value for i in at.info)


def test_segments_page_heat_map_marks_significant_cells_and_quotes_one(demo_run_dir, monkeypatch):
    run = masked_run(load_run(demo_run_dir))
    at = _page(demo_run_dir, SEGMENTS, monkeypatch)
    assert at.selectbox(key="segment_column").value == "plan"
    at.selectbox(key="segment_column").set_value("channel").run()
    assert not at.exception
    lifts = views.segment_view(run, flagged_only=False)
    channel = lifts[lifts["segment_column"] == "channel"]
    layers = _layers(at)
    cells = layers[0][1]
    assert len(cells) == len(channel)
    outlined = next(rows for layer, rows in layers if layer["mark"].get("strokeWidth"))
    flagged = channel[channel["flagged"]]
    assert len(flagged)
    assert sorted(zip(outlined["theme_id"], outlined["segment"], strict=True)) == sorted(
        zip(flagged["theme_id"], flagged["segment"], strict=True)
    )
    few = cells[cells["too_few"]]
    assert (few["lift_text"] == "too few").all() and not few["flagged"].any()
    # The flagged pairs, with their n.
    table = at.dataframe[1].value
    assert len(table) == len(flagged)
    crash = flagged.sort_values("lift", ascending=False).iloc[0]
    assert (
        views.share_with_n(crash["share"], crash["comments"], crash["segment_comments"])
        in table["share"].tolist()
    )
    at.selectbox(key="segment_theme").set_value(int(crash["theme_id"])).run()
    at.selectbox(key="segment_value").set_value(crash["segment"]).run()
    assert not at.exception
    members = views.segment_comments(run, "channel", crash["segment"], int(crash["theme_id"]))
    assert len(members) == crash["comments"]
    assert _quotes(at)[:5] == _expected_quotes(run, members)
    segment = escape_markdown(crash["segment"])
    assert any(
        f"= {segment}: " in m.value and "over-indexed, adjusted p" in m.value for m in at.markdown
    )


def test_drivers_rank_negative_first_with_intervals_and_quote_low_scores(demo_run_dir, monkeypatch):
    run = masked_run(load_run(demo_run_dir))
    at = _page(demo_run_dir, SEGMENTS, monkeypatch)
    drivers = views.driver_view(run)
    ranked = drivers[~drivers["too_few"]]
    chart = _layers(at, 1)
    dots = next(rows for layer, rows in chart if layer["mark"].get("type") == "circle")
    impact = dots[dots["measure"].str.startswith("Impact")]
    assert impact["theme_label"].tolist() == ranked["theme_label"].tolist()
    assert (impact["estimate"].diff().dropna() >= 0).all()
    assert set(dots["measure"].str.split(":").str[0]) == {"Impact", "Effect"}
    first = ranked.iloc[0]
    assert impact["interval"].iloc[0] == (
        f"{first['impact']:+.1f} [{first['impact_low']:+.1f}, {first['impact_high']:+.1f}]"
    )
    assert impact["counts"].iloc[0].startswith(f"{int(first['comments']):,} comments")
    theme = int(ranked.iloc[1]["theme_id"])
    at.selectbox(key="driver_theme").set_value(theme).run()
    assert not at.exception
    members = views.driver_comments(run, theme)
    assert _quotes(at)[-5:] == _expected_quotes(run, members)
    lowest = members["score"].iloc[0]
    assert any(
        c.value.startswith(f"row {members['row_id'].iloc[0]} · score {lowest:g}")
        for c in at.caption
    )


def test_drivers_below_min_n_say_too_few_comments(small_run, monkeypatch):
    run = load_run(small_run[0])
    few = views.driver_view(run)
    few = few[few["too_few"]]
    assert len(few)
    at = _page(small_run[0], SEGMENTS, monkeypatch)
    line = next(m.value for m in at.markdown if m.value.startswith(f"**{schema.TOO_FEW}**"))
    for label, comments in few[["theme_label", "comments"]].itertuples(index=False):
        assert f"{escape_markdown(label)} ({comments:,})" in line
    dots = next(rows for layer, rows in _layers(at, 1) if layer["mark"].get("type") == "circle")
    assert not set(dots["theme_id"]) & set(few["theme_id"])


@pytest.mark.parametrize("page", [TRENDS, SEGMENTS])
def test_pages_without_insights_say_how_to_get_them(page, monkeypatch, tmp_path):
    # A copy: the app stores the run's roadmap feed in its folder, never in tests/data.
    at = _page(shutil.copytree(OLD_RUN, tmp_path / "run"), page, monkeypatch)
    messages = " ".join(i.value for i in at.info)
    if page == TRENDS:
        assert "no trends" in messages and "--date-col" in messages
    else:
        assert "no segments" in messages and "--segment-col" in messages
        assert "no score drivers" in messages and "--score-col" in messages
    assert not at.get("vega_lite_chart")


def test_pages_keep_same_named_themes_apart_and_show_what_the_run_has(
    small_run, tmp_path, monkeypatch
):
    """Two themes with one label stay two rows; a run with a score but no segments
    says so for segments and still charts its drivers."""
    import dataclasses

    run = load_run(small_run[0])
    themes = run.themes.copy()
    first, second = themes["theme_id"].iloc[0], themes["theme_id"].iloc[1]
    themes.loc[themes["theme_id"] == second, "theme_label"] = themes["theme_label"].iloc[0]
    folder = tmp_path / "same-names"
    edited = dataclasses.replace(run, themes=themes, segment_lifts=None, segment_summary=None)
    save_run(edited, folder)
    at = _page(folder, SEGMENTS, monkeypatch)
    assert any("no segments" in i.value and "--segment-col" in i.value for i in at.info)
    dots = next(rows for layer, rows in _layers(at) if layer["mark"].get("type") == "circle")
    label = themes["theme_label"].iloc[0]
    shown = set(dots["theme_label"]) & {f"{label} (#{first})", f"{label} (#{second})"}
    ranked = set(run.drivers.loc[~run.drivers["too_few"], "theme_id"])
    assert len(shown) == len({first, second} & ranked)
    at = _page(folder, TRENDS, monkeypatch)
    points = next(rows for layer, rows in _layers(at) if "fill" in layer["encoding"])
    assert {f"{label} (#{first})", f"{label} (#{second})"} <= set(points["label"])


def test_pages_show_areas_tested_where_themes_are_too_small(small_run, monkeypatch):
    # The small run's themes are mostly under min n; its areas are tested as well.
    run = masked_run(load_run(small_run[0]))
    assert run.area_emerging is not None and run.area_drivers is not None
    at = _page(small_run[0], TRENDS, monkeypatch)
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "**Areas (groups of themes)**: the same tests over each area's comments" in text
    at = _page(small_run[0], SEGMENTS, monkeypatch)
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "the same estimates over each area's comments" in text
    shown = [f.value for f in at.dataframe]
    areas = views.driver_view(run, "area")
    table = next(t for t in shown if "area" in t.columns and "impact" in t.columns)
    assert table["area"].tolist() == areas["area_label"].tolist()
    assert table["comments"].iloc[0].startswith(f"{int(areas['comments'].iloc[0]):,}")


def test_segments_page_leaves_out_a_value_whose_comments_are_all_in_other_languages(
    small_run, tmp_path, monkeypatch
):
    # Theme shares are of comments in English: a country whose comments are all in
    # another language has no cell, and picking it had raised an IndexError.
    import dataclasses

    from miner.insights.run import refresh_insights

    run = load_run(small_run[0])
    documents = run.documents.copy()
    region = documents["region"].value_counts().index[-1]
    rows = documents.index[documents["region"] == region]
    documents.loc[rows, "language"] = "es"
    documents.loc[rows, "theme_id"] = -1
    documents.loc[rows, "theme_ids"] = pd.Series([[] for _ in rows], index=rows)
    folder = tmp_path / "foreign-region"
    save_run(refresh_insights(dataclasses.replace(run, documents=documents)), folder)
    at = _page(folder, SEGMENTS, monkeypatch)
    at.selectbox(key="segment_column").set_value("region").run()
    assert not at.exception, at.exception
    assert region not in at.selectbox(key="segment_value").options
    assert len(at.selectbox(key="segment_value").options) >= 2
