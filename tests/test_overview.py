"""The Overview: headline figures with their n, top themes, score drags, latest changes."""

from __future__ import annotations

import dataclasses
import shutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from miner import schema
from miner.app_server import APP
from miner.overview import headline, kind_mix, latest_changes, overview, top_by_negative_impact
from miner.persist import load_run
from miner.report import masked_run
from miner.roadmap.feed import build_roadmap
from tests.conftest import ROOT

OLD_RUN = ROOT / "tests" / "data" / "old_runs" / "v0_1_main_11035c6"
CRASHES = "Mobile app crashes"


def _figures(run, **kwargs) -> dict:
    return {figure.name: figure for figure in headline(run, **kwargs)}


def test_headline_figures_count_the_analysed_comments(small_run):
    run = load_run(small_run[0])
    analysed = run.documents[run.documents["status"].isin(schema.ANALYSED)]
    figures = _figures(run, min_n=30)
    assert figures["comments"].value == len(analysed) < len(run.documents)
    assert figures["customers"].value == analysed["customer_id"].nunique() < len(analysed)
    assert figures["themes"].value == int((run.themes["theme_id"] >= 0).sum())
    jobs = figures["with a job"]
    assert jobs.n == len(analysed)
    assert jobs.value == pytest.approx((analysed["job_id"] >= 0).mean())
    negative, positive = (analysed["sentiment"] == s for s in ("negative", "positive"))
    expected = 100 * (positive.mean() - negative.mean())
    assert figures["net sentiment"].value == pytest.approx(expected, abs=0.05)
    mix = kind_mix(run, min_n=30).set_index("kind")
    assert mix["comments"].sum() == len(analysed)
    assert mix["share"].sum() == pytest.approx(1.0)


def test_below_min_n_shares_say_too_few(small_run):
    run = load_run(small_run[0])
    n = int(run.documents["status"].isin(schema.ANALYSED).sum())
    figures = _figures(run, min_n=n + 1)
    for name in ("with a job", "net sentiment"):
        assert figures[name].value is None and figures[name].text == schema.TOO_FEW
    assert kind_mix(run, min_n=n + 1)["share"].isna().all()


def test_a_themes_net_sentiment_on_too_few_comments_says_so(small_run):
    from miner.insights import views
    from miner.report import to_markdown

    assert views.net_with_n(12.4, 45, 30) == "+12 (n = 45)"
    assert views.net_with_n(-58.3, 24, 30) == f"{schema.TOO_FEW} (24)"
    assert views.net_with_n(float("nan"), 3, 30) == f"{schema.TOO_FEW} (3)"
    # None of 52 comments has a sentiment (all in another language): not "+0".
    assert views.net_with_n(float("nan"), 52, 30) == "no sentiment read (52)"
    run = load_run(small_run[0])
    min_n = views.min_n(run)
    text = to_markdown(run)
    for theme in run.themes.itertuples(index=False):
        row = next(line for line in text.splitlines() if line.startswith(f"| {theme.theme_id} |"))
        if theme.mentions < min_n:
            assert f"| {schema.TOO_FEW} ({theme.mentions}) |" in row
        else:
            assert f"| {theme.net_sentiment:+.0f} (n = {theme.mentions}) |" in row
    # A report that shows fewer themes than the run has names the rest.
    cut = to_markdown(run, max_themes=2)
    # Listed largest by mentions (the roadmap's count), so the rest are the smaller.
    themes = run.themes.assign(last=run.themes["theme_id"] < 0)  # Unassigned last
    ordered = themes.sort_values(
        ["last", "mentions", "comments"], ascending=[True, False, False], kind="stable"
    )
    rest = ordered.iloc[2:]
    assert f"{len(rest)} more themes, smaller: {rest['theme_label'].iloc[0]} (" in cut


def test_score_drags_and_changes_follow_the_insight_tables(demo_fit):
    miner, _, truth = demo_fit
    run = miner.run_
    drags = top_by_negative_impact(run, top=5)
    drivers = run.drivers[~run.drivers["too_few"]].sort_values("impact")
    assert drags["theme_id"].tolist() == drivers["theme_id"].head(len(drags)).tolist()
    assert len(drags) and (drags["impact"] < 0).all()
    assert (drags["impact_low"] <= drags["impact"]).all()
    # The planted post-release crash theme emerges over the latest periods.
    documents = run.documents
    analysed = documents["status"].isin(schema.ANALYSED)
    owner = pd.crosstab(documents["theme_id"][analysed], truth["theme"][analysed]).idxmax(axis=1)
    changes = latest_changes(run)
    recent = changes[changes["comparison"] == schema.COMPARE_RECENT]
    emerging = recent.loc[recent["direction"] == schema.EMERGING, "theme_id"]
    assert CRASHES in set(owner.reindex(emerging))
    assert changes["p_adj"].lt(0.05).all()


def test_an_areas_change_is_shown_when_no_theme_can_be_tested(demo_fit):
    import dataclasses

    # A small file: every theme too small to test, one area flagged (the only change
    # found; the Overview said nothing had changed).
    run = demo_fit[0].run_
    quiet = run.emerging.assign(flagged=False, direction="")
    areas = run.themes.loc[run.themes["theme_id"] >= 0, ["area_id", "area_label"]]
    area, label = int(areas["area_id"].iloc[0]), str(areas["area_label"].iloc[0])
    flagged = (
        quiet.iloc[:1]
        .drop(columns="theme_id")
        .assign(
            area_id=area, flagged=True, direction=schema.EMERGING, comparison=schema.COMPARE_RECENT
        )
    )
    small = dataclasses.replace(run, emerging=quiet, area_emerging=flagged)
    changes = latest_changes(small)
    assert changes["theme_label"].tolist() == [f"{label} (area)"]
    assert changes["theme_id"].tolist() == [-1]


def test_overview_page_on_the_demo_run(demo_run_dir, monkeypatch):
    monkeypatch.setenv("MINER_RUN", str(demo_run_dir))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Overview"
    run = load_run(demo_run_dir)
    expected = overview(run)
    shown = {metric.label: metric.value for metric in at.metric}
    for figure in expected.figures:
        assert shown[figure.name.capitalize()] == figure.text
    largest = at.dataframe[0].value
    assert largest["theme"].tolist() == expected.top_volume["theme_label"].tolist()
    drags = at.dataframe[1].value
    assert drags["theme"].tolist() == expected.top_impact["theme_label"].tolist()
    # The drivers count mentions, not main-theme comments: said as such (169 "comments"
    # in one table and 217 in the other had been two answers to "how big is it").
    assert "mentions" in drags.columns and "comments" not in drags.columns
    assert drags["mentions"].tolist() == expected.top_impact["comments"].tolist()
    # The top of the roadmap: the first three themes and jobs, each with its why.
    feed = build_roadmap(masked_run(run))
    for key in ("themes", "jobs"):
        for item in feed[key][:3]:
            line = f"{item['rank']}. **{item['label']}** · priority {item['priority']:.2f}"
            assert any(m.value == line for m in at.markdown), line
            assert any(c.value == item["why"] for c in at.caption)
    changes = [m.value for m in at.markdown if m.value.startswith(("▲", "▼"))]
    assert len(changes) == len(expected.changes) > 0
    assert all("adjusted p" in line and " of " in line for line in changes)
    # Both shares carry their n ("vs 17.3% before" had none).
    first = expected.changes.iloc[0]
    before = f"({int(first['baseline_comments']):,} of {int(first['baseline_total']):,}) before"
    assert before in changes[0]


def test_overview_page_of_a_run_without_insights_says_what_is_missing(monkeypatch, tmp_path):
    # A copy: the app stores the run's roadmap feed in its folder, never in tests/data.
    monkeypatch.setenv("MINER_RUN", str(shutil.copytree(OLD_RUN, tmp_path / "run")))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception, at.exception
    infos = " ".join(info.value for info in at.info)
    assert "--score-col" in infos and "--date-col" in infos
    assert dataclasses.asdict(overview(load_run(OLD_RUN)).figures[0])["n"] > 0


def test_a_theme_none_of_whose_comments_was_read_has_no_net_sentiment_or_kinds():
    import pandas as pd

    from miner.tables import sentiment_mix

    german = pd.DataFrame({"sentiment": [None, None], "kind": [None, None]})
    mix = sentiment_mix(german)  # was a net sentiment of 0.0 and kind shares of 0.0
    assert all(pd.isna(value) for value in mix.values()) and "kind_bug" in mix
    read = sentiment_mix(pd.DataFrame({"sentiment": ["positive", None], "kind": ["bug", None]}))
    assert read["net_sentiment"] == 100.0 and read["kind_bug"] == 1.0


def test_a_saved_run_with_a_theme_none_of_whose_comments_was_read_reports(small_run, tmp_path):
    import shutil

    import pandas as pd

    from miner.report import to_markdown

    folder = shutil.copytree(small_run[0], tmp_path / "run")
    themes = pd.read_csv(folder / "themes.csv", keep_default_na=False, dtype=str)
    unread = ["net_sentiment", *(c for c in themes.columns if c.startswith("kind_"))]
    themes.loc[0, unread] = ""  # as a fit writes a theme of comments in other languages
    themes.to_csv(folder / "themes.csv", index=False)
    run = load_run(folder)
    assert pd.api.types.is_numeric_dtype(run.themes["net_sentiment"])
    text = to_markdown(run)  # it failed: "Unknown format code 'f' for object of type 'str'"
    assert "no sentiment read (" in text and "nan%" not in text
