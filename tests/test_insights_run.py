"""Insights wired into the product: columns, fit, the run folder, the report, the CLI.

The issue's checks (a)-(f) run here on the *fitted* themes of the session's demo fit
(``demo_fit``: ``--date-col submitted_at --segment-col plan --segment-col region
--segment-col channel --score-col nps --period month``), each fitted theme mapped to
the planted theme holding most of its rows (truth.csv). ``tests/test_insights.py``
has the same checks on the planted labels themselves.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from miner import schema
from miner.errors import ColumnNotFound, InvalidConfig, ModelLoadError
from miner.insights import views
from miner.insights.run import CommentColumns, add_insights, choose_columns, describe_comments
from miner.persist import Run, load_run, save_run
from miner.report import insights_markdown, insights_payload, to_html, to_json, to_markdown

OLD_RUN = Path(__file__).parent / "data" / "old_runs" / "v0_1_main_11035c6"
CRASHES = "Mobile app crashes"
SLOW = "Slow performance"
BEFORE_RELEASE = ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]


# ----------------------------------------------------------------- the fitted demo
@pytest.fixture(scope="module")
def fitted(demo_fit):
    """The demo fit's run and each fitted theme's planted theme (by majority)."""
    miner, _, truth = demo_fit
    run = miner.run_
    documents = run.documents
    analysed = documents["status"].isin(schema.ANALYSED).to_numpy()
    table = pd.crosstab(documents["theme_id"][analysed], truth["theme"][analysed])
    planted = table.idxmax(axis=1).drop(index=schema.UNASSIGNED, errors="ignore")
    return run, planted, truth


def _fitted_theme(planted: pd.Series, run: Run, name: str) -> int:
    """The largest fitted theme mapped to the planted theme ``name``."""
    ids = planted.index[planted == name]
    assert len(ids), f"no fitted theme holds mostly '{name}'"
    sizes = run.themes.set_index("theme_id")["comments"]
    return int(sizes.loc[ids].idxmax())


def _flags(table, theme_id, direction, comparison="period"):
    rows = table[
        (table["theme_id"] == theme_id)
        & (table["comparison"] == comparison)
        & (table["direction"] == direction)
    ]
    return set(rows["period"])


def test_a_crashes_emerge_after_the_release_on_fitted_themes(fitted):
    run, planted, _ = fitted
    crashes = _fitted_theme(planted, run, CRASHES)
    emerging = _flags(run.emerging, crashes, "emerging")
    assert emerging & {"2026-06", "2026-07"}
    assert not emerging & set(BEFORE_RELEASE)
    row = run.emerging[
        (run.emerging["theme_id"] == crashes) & (run.emerging["period"] == "2026-06")
    ].iloc[0]
    # The flag carries its evidence and its n.
    assert row["flagged"] and row["lift"] >= 1.5 and row["p"] <= row["p_adj"] < 0.05
    assert row["comments"] >= 30 and row["period_comments"] > row["comments"]


def test_b_latest_three_months_crashes_emerge_and_slowness_fades(fitted):
    run, planted, _ = fitted
    recent = run.emerging[run.emerging["comparison"] == "recent"].set_index("theme_id")
    assert recent.loc[_fitted_theme(planted, run, CRASHES), "direction"] == "emerging"
    slow = recent.loc[_fitted_theme(planted, run, SLOW)]
    assert slow["direction"] == "fading" and slow["period"] == "2026-09..2026-11"


def test_c_steady_fitted_themes_at_most_one_false_flag_each_way(fitted):
    run, planted, _ = fitted
    for theme_id, name in planted.items():
        if name in (CRASHES, SLOW):
            continue
        for direction in ("emerging", "fading"):
            rows = run.emerging[
                (run.emerging["theme_id"] == theme_id) & (run.emerging["direction"] == direction)
            ]
            assert len(rows) <= 1, (name, direction, rows["period"].tolist())


def test_d_planted_segment_skews_are_over_indexed_on_fitted_themes(fitted):
    run, planted, _ = fitted
    lifts = run.segment_lifts.set_index(["segment_column", "segment", "theme_id"])
    for column, value, name in [
        ("plan", "business", "Team permissions"),
        ("channel", "app_review", CRASHES),
    ]:
        row = lifts.loc[(column, value, _fitted_theme(planted, run, name))]
        assert row["direction"] == "over" and row["lift"] >= 1.5 and row["p_adj"] < 0.05
        assert row["segment_comments"] >= 30  # the share's n travels with it


def test_e_drivers_on_fitted_themes_match_the_planted_reference(fitted):
    run, planted, truth = fitted
    documents = run.documents
    nps = documents["nps"].to_numpy()
    y = np.where(nps >= 9, 100.0, np.where(nps <= 6, -100.0, 0.0))
    analysed = documents["status"].isin(schema.ANALYSED).to_numpy()
    y, themes = y[analysed], truth["theme"].to_numpy()[analysed]
    reference = pd.Series(
        {name: y.mean() - y[themes != name].mean() for name in set(themes) - {"none"}}
    ).sort_values()
    table = run.drivers.set_index("theme_id")
    most_negative = [_fitted_theme(planted, run, name) for name in reference.index[:2]]
    assert table.index[:2].tolist() == most_negative
    for name, theme_id in zip(reference.index[:2], most_negative, strict=True):
        row = table.loc[theme_id]
        assert row["impact_high"] < 0
        assert abs(row["impact"] - reference[name]) <= 1.5
        assert row["impact_low"] <= reference[name] <= row["impact_high"]
    weakest = [n for n in reference.abs().sort_values().index if (planted == n).any()][:2]
    for name in weakest:
        row = table.loc[_fitted_theme(planted, run, name)]
        assert row["impact_low"] < 0 < row["impact_high"], name
    info = run.meta["insights"]["drivers"]
    assert info["resamples"] == 1000 and info["resample_unit"] == "customers"


def test_f_below_min_n_too_few_and_never_flagged_in_the_fitted_run(fitted):
    run, _, _ = fitted
    for table in (run.emerging, run.segment_lifts):
        few = table[table["too_few"]]
        assert len(few) and not few["flagged"].any()
        assert few["lift"].isna().all() and few["p_adj"].isna().all()
    trends = run.trends
    assert (trends.loc[trends["too_few"], "comments"] < 30).all()
    assert (trends.loc[~trends["too_few"], "comments"] >= 30).all()
    drivers = run.drivers
    assert (drivers["too_few"] == (drivers["comments"] < 30)).all()
    assert drivers.loc[drivers["too_few"], "impact"].isna().all()


def test_f_a_higher_min_n_shows_too_few_comments_and_flags_nothing_below_it(fitted, demo_fit):
    run, _, _ = fitted
    _, feedback, _ = demo_fit
    columns = choose_columns(
        feedback, "comment", "customer_id", "submitted_at", ["plan"], "nps", "nps"
    )
    strict = add_insights(run, feedback, columns, "month", min_n=150, resamples=50, seed=1)
    assert list(strict.documents.columns) == list(run.documents.columns)  # read again, once
    drivers = strict.drivers
    few = drivers[drivers["comments"] < 150]
    assert len(few) and few["too_few"].all() and few["impact"].isna().all()
    assert few["rank"].isna().all() and drivers.loc[~drivers["too_few"], "rank"].notna().all()
    for table in (strict.emerging, strict.segment_lifts):
        assert not table.loc[table["too_few"], "flagged"].any()
    plan = run.segment_lifts[run.segment_lifts["segment_column"] == "plan"]
    assert strict.segment_lifts["too_few"].sum() > plan["too_few"].sum()
    text = to_markdown(strict)
    labels = strict.themes.set_index("theme_id")["theme_label"]
    for theme_id in few["theme_id"]:
        rows = [line for line in text.splitlines() if line.startswith(f"|  | {labels[theme_id]} |")]
        assert rows and schema.TOO_FEW in rows[0], labels[theme_id]
    assert "fewer than 150" in text


def test_the_fitted_run_records_its_columns_and_tables(fitted):
    run, _, _ = fitted
    meta = run.meta
    assert meta["date_col"] == "submitted_at" and meta["score_type"] == "nps"
    assert meta["segment_cols"] == ["plan", "region", "channel"]
    assert meta["columns_chosen"]["plan"] == "given"
    info = meta["insights"]
    assert set(info["computed"]) == set(schema.INSIGHT_FILES + schema.AREA_INSIGHT_FILES)
    assert info["trends"]["period"] == "month" and info["trends"]["periods"] == 12
    assert info["without"] == {c: 0 for c in ["submitted_at", "nps", "plan", "region", "channel"]}
    # Trends: every theme and area x 12 months; per period the n is the month's comments.
    trends = run.trends
    assert set(trends["level"]) == {"theme", "area"}  # per_document=False: no jobs
    themes = trends[trends["level"] == "theme"]
    assert len(themes) == 12 * themes["group_id"].nunique()
    # ... but a customer's word-for-word repeat (one in the demo) counts once
    from miner.insights.stats import customer_repeats

    documents = run.documents
    repeats = customer_repeats(
        documents["status"], documents["customer_id"], documents["masked_text"]
    )
    assert repeats.sum() == 1
    per_month = documents[documents["status"].isin(schema.ANALYSED) & ~repeats].groupby("period")
    assert (
        themes.groupby("period")["period_comments"].first().to_dict() == per_month.size().to_dict()
    )
    assert list(run.documents.columns).index("period") < list(run.documents.columns).index("nps")


@pytest.fixture(scope="module")
def saved_demo(fitted, tmp_path_factory):
    run, _, _ = fitted
    folder = save_run(run, tmp_path_factory.mktemp("demo-insights") / "run")
    return run, folder


def test_insight_files_are_written_and_load_back(saved_demo):
    run, folder = saved_demo
    for name in schema.INSIGHT_FILES + schema.AREA_INSIGHT_FILES:
        assert (folder / name).exists(), name
    again = load_run(folder)
    for name, table in run.insight_tables().items():
        pd.testing.assert_frame_equal(again.insight_tables()[name], table, check_dtype=False)
    assert list(again.trends.columns) == list(schema.TREND_COLUMNS)
    assert list(again.emerging.columns) == list(schema.EMERGING_COLUMNS)
    assert list(again.segment_lifts.columns) == list(schema.SEGMENT_COLUMNS)
    assert list(again.segment_summary.columns) == list(schema.SEGMENT_SUMMARY_COLUMNS)
    assert list(again.drivers.columns) == list(schema.DRIVER_COLUMNS)
    assert list(again.area_emerging.columns) == list(schema.AREA_EMERGING_COLUMNS)
    assert list(again.area_segment_lifts.columns) == list(schema.AREA_SEGMENT_COLUMNS)
    assert list(again.area_drivers.columns) == list(schema.AREA_DRIVER_COLUMNS)
    assert json.loads((folder / schema.RUN_FILE).read_text())["insights"]["computed"]


def test_report_sections_state_their_test_uncertainty_and_n(saved_demo):
    _, folder = saved_demo
    run = load_run(folder)
    text = to_markdown(run)
    for heading in (
        "## Trends by month",
        "## Emerging and fading themes",
        "## Segments",
        "## Score drivers (NPS)",
    ):
        assert heading in text
    assert "Fisher's exact test" in text and "Benjamini–Hochberg" in text
    assert "1,000 resamples of customers" in text and "95% intervals" in text
    assert "Analysed comments without a value" in text and "submitted_at 0" in text
    # The crash theme's July flag, with its counts and n, as a table row.
    crashes = run.emerging[
        (run.emerging["period"] == "2026-07") & (run.emerging["direction"] == "emerging")
    ].iloc[0]
    assert f"({int(crashes['comments']):,} of {int(crashes['period_comments']):,})" in text
    # Drivers: ranked rows show an interval; too-few rows say so instead.
    top = run.drivers.iloc[0]
    assert f"{top['impact']:+.1f} [{top['impact_low']:+.1f}, {top['impact_high']:+.1f}]" in text
    few = run.emerging[(run.emerging["comparison"] == "recent") & run.emerging["too_few"]]
    label = run.themes.set_index("theme_id").loc[few["theme_id"].iloc[0], "theme_label"]
    n = f"{schema.TOO_FEW} ({int(few['comments'].iloc[0]):,} of "
    assert any(f"| {label} |" in line and n in line for line in text.splitlines())
    assert "<h2>Trends by month</h2>" in to_html(run)
    # The NPS of each month with its interval and n (a survey's eNPS wave by wave had
    # been found only by fitting each wave on its own).
    months = run.meta["insights"]["trends"]["score_by_period"]
    documents = run.documents[run.documents["status"].isin(schema.ANALYSED)]
    july = documents[documents["period"] == "2026-07"]["nps"].astype(float)
    expected = 100 * ((july >= 9).mean() - (july <= 6).mean())
    found = next(m for m in months if m["period"] == "2026-07")
    assert found["n"] == len(july) and found["score"] == pytest.approx(expected, abs=1e-3)
    assert found["low"] < found["score"] < found["high"]
    assert "### NPS by month [95% interval] (n)" in text
    assert (
        f"{found['score']:+.1f} [{found['low']:+.1f}, {found['high']:+.1f}] (n = {len(july):,})"
        in text
    )

    payload = json.loads(to_json(run))["insights"]
    assert payload["columns"]["date_col"] == "submitted_at"
    assert set(payload["methods"]) == {"trends", "emerging", "segments", "drivers"}
    # The effect holds the segment columns fixed, and the method says so.
    assert run.meta["insights"]["drivers"]["held_fixed"] == ["plan", "region", "channel"]
    assert "other themes, plan, region, channel held fixed" in payload["methods"]["drivers"]
    rows = payload["drivers"]["themes"]
    assert all("comments" in row for row in rows)
    assert all(row["impact_low"] <= row["impact"] <= row["impact_high"] for row in rows)
    few = [row for row in payload["emerging"] if row["too_few"]]
    assert few and all(row["lift"] is None and row["comments"] >= 0 for row in few)  # not NaN


def test_an_old_run_reports_without_insight_sections():
    text = to_markdown(load_run(OLD_RUN))
    assert "## Themes" in text and "## Trends" not in text and "Columns:" not in text


# -------------------------------------------------------------------- unit level
def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 400
    return pd.DataFrame(
        {
            "comment": [f"comment {i}" for i in range(n)],
            "customer_id": [f"C{i % 150}" for i in range(n)],
            "submitted_at": pd.date_range("2025-01-01", periods=n, freq="D").astype(str),
            "plan": rng.choice(["free", "pro", "business"], size=n),
            "age": rng.integers(16, 80, size=n),
            "nps": rng.integers(0, 11, size=n),
        }
    )


def test_choose_columns_given_detected_none_and_unknown():
    frame = _frame()
    found = choose_columns(frame, "comment", "customer_id", detect=True)
    assert found.date_col == "submitted_at" and found.score_col == "nps"
    assert found.score_type == "nps" and found.segment_cols == ("plan", "age")
    assert found.reasons["submitted_at"].startswith("detected: ")
    assert any(line.startswith("Date column 'submitted_at' (detected") for line in found.lines())
    none = choose_columns(
        frame, "comment", None, date_col="none", segment_cols=["none"], detect=True
    )
    assert none.date_col is None and none.segment_cols == () and none.score_col == "nps"
    given = choose_columns(frame, "comment", None, score_col="NPS", score_type="numeric")
    assert given.score_col == "nps" and given.score_type == "numeric"
    assert given.date_col is None and not given.segment_cols  # nothing detected
    with pytest.raises(ColumnNotFound, match="E103 date column 'when' not found; columns are"):
        choose_columns(frame, "comment", None, date_col="when")
    ids = choose_columns(frame, "comment", None, segment_cols=["customer_id", "plan"])
    assert ids.segment_cols == ("plan",) and "150 distinct values" in ids.left_out["customer_id"]
    # A part of a joined text column is text, never a detected segment (a review's
    # title had been one, held fixed in the drivers: every effect 0.00).
    tagged = frame.assign(tag=(["Slow", "Crashes", "Love it", "Fees"] * len(frame))[: len(frame)])
    assert "tag" in choose_columns(tagged, "comment", None, detect=True).segment_cols
    joined = choose_columns(tagged, "tag+comment", None, detect=True)
    assert "tag" not in joined.segment_cols and "plan" in joined.segment_cols
    # A text's own title is never one, joined or not (session 41).
    titled = tagged.rename(columns={"tag": "title"})
    assert "title" not in choose_columns(titled, "comment", None, detect=True).segment_cols


def test_unreadable_dates_and_scores_are_null_and_counted():
    frame = _frame()
    # A date after today (a typo, a placeholder) is left out like one that cannot be read.
    frame.loc[:5, "submitted_at"] = ["soon", "", "31/31/2026", "2026-02-30", None, "2099-01-05"]
    frame["nps"] = frame["nps"].astype(object)
    frame.loc[:2, "nps"] = ["11", "great", "9/10"]
    columns = choose_columns(frame, "comment", None, "submitted_at", ["plan", "age"], "nps", "nps")
    described = describe_comments(frame, columns, "month")
    assert described.unreadable == {"submitted_at": 4, "nps": 2, "age": 0}
    assert described.added["period"].iloc[:6].isna().all()
    assert described.added["period"].iloc[6] == "2025-01"
    assert described.added["period"].dropna().max() == "2026-02"  # not 2099-01
    assert described.added["score"].iloc[:3].tolist()[2] == 9
    assert described.added["score"].iloc[:2].isna().all()
    assert set(described.added["age_band"].dropna()) <= {"<18", "18-24", "25-34", "35-44",
                                                          "45-54", "55-64", "65+"}  # fmt: skip


def _toy_run(frame: pd.DataFrame) -> Run:
    rng = np.random.default_rng(1)
    theme_id = rng.integers(-1, 4, size=len(frame))
    documents = pd.DataFrame(
        {
            "row_id": np.arange(len(frame)),
            "status": ["ok"] * (len(frame) - 10) + ["empty"] * 10,
            "theme_id": theme_id,
            "sentiment": rng.choice(["negative", "neutral", "positive"], size=len(frame)),
        }
    )
    documents = pd.concat([documents, frame], axis=1)
    themes = pd.DataFrame(
        {
            "theme_id": [0, 1, 2, 3],
            "theme_label": ["a", "b", "c", "d"],
            "area_id": [-1] * 4,
            "comments": np.bincount(theme_id[theme_id >= 0], minlength=4),
            "share": 0.2,
            "keywords": "",
            "representative_row_ids": "",
        }
    )
    return Run(documents, themes, meta={"text_col": "comment", "id_col": "customer_id"})


def test_only_tables_whose_column_exists_are_written(tmp_path):
    frame = _frame()
    base = _toy_run(frame)
    columns = choose_columns(frame, "comment", "customer_id", segment_cols=["plan", "age"])
    run = add_insights(base, frame, columns, min_n=20, resamples=50, seed=1)
    assert run.trends is None and run.emerging is None and run.drivers is None
    assert set(run.segment_summary["segment_column"]) == {"plan", "age"}
    assert run.meta["insights"]["computed"] == [
        schema.SEGMENT_SUMMARY_FILE,
        schema.SEGMENTS_FILE,
    ]
    assert run.meta["insights"]["segment_bands"] == {"age": "age_band"}
    folder = save_run(run, tmp_path / "run")
    names = {p.name for p in folder.iterdir()}
    assert schema.TRENDS_FILE not in names and schema.DRIVERS_FILE not in names
    assert schema.SEGMENTS_FILE in names
    # The age band sits before the input's own columns; the input keeps its age.
    columns_order = list(run.documents.columns)
    assert columns_order.index("age_band") < columns_order.index("comment")
    assert run.documents["age"].tolist() == frame["age"].tolist()
    text = to_markdown(load_run(folder))
    assert "## Segments" in text and "## Trends" not in text and "## Score drivers" not in text

    # A later save of the same folder with a date adds trends; without, none is left over.
    dated = choose_columns(frame, "comment", "customer_id", date_col="submitted_at")
    save_run(add_insights(base, frame, dated, min_n=20), folder)
    assert (folder / schema.TRENDS_FILE).exists()
    assert not (folder / schema.SEGMENTS_FILE).exists()
    assert load_run(folder).segment_lifts is None


def test_dates_in_one_period_report_that_nothing_earlier_compares(tmp_path):
    frame = _frame()
    frame["submitted_at"] = "2026-03-04"
    dated = choose_columns(frame, "comment", "customer_id", date_col="submitted_at")
    run = add_insights(_toy_run(frame), frame, dated, min_n=20)
    # No comparison to make: the emerging table is empty, its flags still yes/no.
    assert len(run.emerging) == 0 and run.emerging["flagged"].dtype == bool
    assert views.emerging_view(run).empty and "period" in views.emerging_view(run)
    loaded = load_run(save_run(run, tmp_path / "run"))
    assert loaded.emerging["flagged"].dtype == bool and views.emerging_view(loaded).empty
    text = to_markdown(loaded)
    assert "Every dated comment falls in one week: there is no earlier week" in text


def test_a_theme_with_no_comment_before_is_new_in_every_report(tmp_path):
    frame = _frame()
    run = _toy_run(frame)
    # Theme 3 only in the last 60 days: its lift against the months before is infinite.
    late = np.arange(len(frame)) >= len(frame) - 60
    theme_id = run.documents["theme_id"].to_numpy().copy()
    theme_id[(theme_id == 3) & ~late] = 0
    theme_id[late & (np.arange(len(frame)) % 2 == 0)] = 3
    run.documents["theme_id"] = theme_id
    run.themes["area_label"] = ""  # as a fit writes the table
    dated = choose_columns(frame, "comment", "customer_id", date_col="submitted_at")
    run = load_run(save_run(add_insights(run, frame, dated, min_n=20), tmp_path / "run"))
    new = run.emerging[(run.emerging["theme_id"] == 3) & (run.emerging["baseline_comments"] == 0)]
    assert len(new) and np.isinf(new["lift"]).any()
    payload = json.loads(to_json(run))  # it raised "Out of range float values"
    rows = [r for r in payload["insights"]["emerging"] if r["theme_id"] == 3]
    assert any(r["lift"] is None and r["baseline_comments"] == 0 for r in rows)
    text = to_markdown(run)
    assert "new (none before)" in text and "| inf |" not in text


def test_a_score_type_that_leaves_out_most_values_is_questioned():
    from miner.insights.run import score_type_doubt, summary_lines

    frame = _frame()  # nps 0-10
    for kind, doubted in (("csat", True), ("nps", False)):
        columns = choose_columns(frame, "comment", None, score_col="nps", score_type=kind)
        run = add_insights(_toy_run(frame), frame, columns, min_n=20, resamples=20)
        doubt = score_type_doubt(run.meta)
        assert bool(doubt) == doubted
        if doubted:  # 0 and 6-10 are not CSAT: about 6 in 11 of the answers
            assert "values of 'nps' are not whole numbers 1-5, as csat scores are" in doubt
            assert doubt in summary_lines(run.meta) and "Is the type right?" in doubt


def test_a_score_running_against_the_comments_sentiment_is_said(tmp_path):
    # A hospital survey's 1-5 rating where 1 is "very good": read higher-is-better, its
    # praise themes pulled the score down and A&E was the best ward, unsaid.
    from miner.insights.run import summary_lines

    frame = _frame()
    columns = choose_columns(frame, "comment", None, score_col="nps", score_type="nps")
    rng = np.random.default_rng(3)
    noise = rng.normal(0, 0.2, len(frame))
    for sign, said in ((-1, True), (1, False)):
        run = _toy_run(frame)
        run.documents.insert(4, "sentiment_score", sign * (frame["nps"] - 5) / 5 + noise)
        run = add_insights(run, frame, columns, min_n=20, resamples=20)
        agreement = run.meta["insights"]["drivers"]["sentiment_agreement"]
        assert (agreement["rho"] < -0.5) == said and agreement["n"] == len(frame) - 10
        lines = [line for line in summary_lines(run.meta) if "runs against" in line]
        assert bool(lines) == said
        text = to_markdown(load_run(save_run(run, tmp_path / f"run{sign}")))
        assert ("The score runs against what the comments say" in text) == said
        if said:
            assert "Spearman's rho" in lines[0] and "390 comments" in lines[0]


def test_a_score_whose_lowest_value_is_best_is_read_turned_round():
    # --score-reversed: a hospital survey's 1 = "very good" (read as it was, its praise
    # themes had pulled the score down).
    frame = _frame()
    columns = choose_columns(
        frame, "comment", None, score_col="nps", score_type="nps", score_reversed=True
    )
    assert columns.meta()["score_reversed"] is True
    assert "turned round (0 read as 10" in columns.lines()[-1]
    run = _toy_run(frame)
    run.documents.insert(4, "sentiment_score", -(frame["nps"] - 5) / 5)
    run = add_insights(run, frame, columns, min_n=20, resamples=20)
    assert run.documents["score"].tolist() == (10 - frame["nps"]).astype(float).tolist()
    assert run.meta["insights"]["drivers"]["sentiment_agreement"]["rho"] > 0.9
    assert "score_reversed" not in choose_columns(frame, "comment", None, score_col="nps").meta()
    for given in ({"score_type": "numeric"}, {"score_col": None}):
        with pytest.raises(InvalidConfig, match="--score-reversed turns round a score"):
            choose_columns(
                frame, "comment", None, **{"score_col": "nps", **given}, score_reversed=True
            )


def test_a_customers_word_for_word_repeats_count_once():
    # One account's 31 copies of "pls add dark mode!!!" in a month had made a run's only
    # emerging theme, four segment flags and a top driver.
    rng = np.random.default_rng(5)
    n, spam = 600, 30
    dates = pd.date_range("2025-01-01", periods=n, freq="12h").astype(str).tolist()
    theme = rng.integers(0, 4, size=n)
    theme[rng.random(n) < 0.03] = 4  # dark mode, now and then, from anyone
    texts = [f"comment {i}" for i in range(n)]
    customers = [f"C{i}" for i in range(n)]
    status = ["ok"] * n
    at = 400  # one account's copies, within a few days
    for k in range(spam):
        theme[at + k], texts[at + k], customers[at + k] = 4, "pls add dark mode!!!", "ACC-1"
        status[at + k] = "ok" if k == 0 else "duplicate"
    frame = pd.DataFrame({"comment": texts, "account": customers, "submitted_at": dates})
    documents = pd.DataFrame(
        {"row_id": np.arange(n), "status": status, "theme_id": theme, "masked_text": texts}
    )
    themes = pd.DataFrame(
        {
            "theme_id": range(5),
            "theme_label": list("abcd") + ["Dark mode"],
            "area_id": -1,
            "comments": np.bincount(theme, minlength=5),
            "share": 0.2,
            "keywords": "",
            "representative_row_ids": "",
        }
    )
    columns = choose_columns(frame, "comment", "account", date_col="submitted_at")
    flagged = {}
    for id_col in ("account", None):
        run = Run(pd.concat([documents, frame], axis=1), themes, meta={"text_col": "comment"})
        run.meta["id_col"] = id_col
        run = add_insights(run, frame, columns, period="month", min_n=20)
        rows = run.emerging[(run.emerging["theme_id"] == 4) & run.emerging["flagged"]]
        flagged[id_col] = set(rows["direction"])
        trends = run.trends[run.trends["level"] == "theme"]
        month = trends[(trends["group_id"] == 4) & (trends["period"] == "2025-07")]
        if id_col:  # the account's 30 copies count once in the month's comments
            july = np.array([d.startswith("2025-07") for d in dates]) & (theme == 4)
            copies = np.array(status) == "duplicate"
            assert int(month["comments"].iloc[0]) == int((july & ~copies).sum()) < july.sum()
    assert flagged == {"account": set(), None: {"emerging"}}


def test_the_report_gives_each_segments_score_with_its_interval(tmp_path):
    frame = _frame()
    columns = choose_columns(frame, "comment", "customer_id", None, ["plan"], "nps", "nps")
    run = _toy_run(frame)
    run.themes["area_label"] = ""
    run = load_run(save_run(add_insights(run, frame, columns, min_n=20), tmp_path / "run"))
    summary = run.segment_summary.set_index("segment")
    text = to_markdown(run)
    assert "| plan | comments | share | net sentiment | NPS [95% interval] (n) |" in text
    row = summary.loc["pro"]
    shown = f"{row['score']:.1f} [{row['score_low']:.1f}, {row['score_high']:.1f}] (n = "
    pro = run.documents[run.documents["plan"] == "pro"]
    assert shown in text and row["score_n"] == (pro["status"] == "ok").sum()


def test_an_incomplete_run_folder_is_a_clear_error(tmp_path):
    frame = _frame()
    columns = choose_columns(frame, "comment", "customer_id", segment_cols=["plan"])
    folder = save_run(add_insights(_toy_run(frame), frame, columns, min_n=20), tmp_path / "r")
    (folder / schema.SEGMENTS_FILE).unlink()
    with pytest.raises(ModelLoadError, match=f"missing {schema.SEGMENTS_FILE}, which its"):
        load_run(folder)
    (folder / schema.RUN_FILE).unlink()
    with pytest.raises(ModelLoadError, match="is incomplete .no run.json, which a fit writes last"):
        load_run(folder)


def test_a_score_clashing_with_a_contract_name_is_kept_as_input(tmp_path):
    frame = _frame().rename(columns={"nps": "score"})
    columns = choose_columns(frame, "comment", None, score_col="score", score_type="nps")
    run = add_insights(_toy_run(frame), frame, columns, min_n=20, resamples=20)
    assert "score" in run.documents and "input_score" in run.documents
    assert run.documents["input_score"].tolist() == frame["score"].tolist()
    assert run.drivers is not None and run.meta["insights"]["drivers"]["score"]["n"] > 0


# ---------------------------------------------------------------------------- CLI
def test_fit_detects_and_prints_the_columns(small_run):
    out, done = small_run
    assert "Date column 'submitted_at' (detected: name and values" in done.stderr
    assert "Score column 'nps', type nps (detected" in done.stderr
    assert "Segment columns 'plan' (detected" in done.stderr
    run = load_run(out)
    assert run.meta["date_col"] == "submitted_at" and run.trends is not None
    assert {"period", "score"} <= set(run.documents.columns)


def test_score_adds_period_and_score_columns(small_scored, small_run):
    out, err = small_scored
    scored = pd.read_parquet(out)
    # The model's run detected them; scoring reads the input as that run was fitted,
    # by its period (the run's own input: the same periods, row for row).
    assert "Date column 'submitted_at' (as the model's run was fitted)" in err
    fitted = load_run(small_run[0]).documents
    assert scored["period"].astype(str).tolist() == fitted["period"].astype(str).tolist()
    # Input columns come through as they were written (text); the score is their number.
    assert (scored["score"] == pd.to_numeric(scored["nps"])).all()


def test_an_unknown_insight_column_is_a_clear_error(cli, small_feedback_csv, tmp_path):
    code, _, err = cli(
        "fit", small_feedback_csv, "--text-col", "comment", "--date-col", "when",
        "--out", tmp_path / "run",
    )  # fmt: skip
    assert code == 2 and "E103 date column 'when' not found" in err
    assert "Traceback" not in err
    code, _, err = cli("fit", small_feedback_csv, "--period", "fortnight")
    assert code == 2 and "fortnight" in err and "Traceback" not in err
    code, _, err = cli(
        "fit", small_feedback_csv, "--text-col", "comment", "--score-col", "nps",
        "--score-type", "numeric", "--score-reversed", "--out", tmp_path / "run2",
    )  # fmt: skip
    assert code == 2 and "E108 --score-reversed turns round a score" in err


def test_score_type_follows_the_name_when_the_values_fit_it():
    from miner.insights.columns import score_type

    assert score_type(pd.Series([1, 2, 3, 4, 5]), "satisfaction")[0] == "csat"
    assert score_type(pd.Series([1, 2, 3, 4, 5]), "score")[0] == "rating"
    assert score_type(pd.Series([3, 9, 10, 0]), "likely_to_recommend")[0] == "nps"
    # A "csat" column holding 0-10 is read by its values: NPS, not CSAT with 40% invalid.
    assert score_type(pd.Series([5, 4, 7, 3, 9] * 10), "csat")[0] == "nps"
    assert score_type(pd.Series([1.5, 4.2]), "stars")[0] == "numeric"
    # An NPS column with a few values off the scale (-1, 11, 9.5: 15%) is NPS, its
    # stray values invalid, not a mean score of -1..11.
    answers = pd.Series([0, 3, 6, 7, 8, 9, 10] * 12 + [-1, 11, 9.5] * 5)
    assert score_type(answers, "nps_score")[0] == "nps"
    assert score_type(answers, "answer")[0] == "numeric"


def test_a_segments_score_on_too_few_comments_reads_plainly():
    from types import SimpleNamespace

    from miner.insights import views

    row = SimpleNamespace(score_n=17, score=float("nan"))
    # It read "too few comments scored comments (17)".
    assert views.group_score(None, row) == "too few scored comments (17)"


def test_the_emerging_summary_counts_the_latest_periods_too(tmp_path):
    frame = _frame()
    dated = choose_columns(frame, "comment", "customer_id", date_col="submitted_at")
    run = _toy_run(frame)
    run.themes["area_label"] = ""
    for min_n, hinted in ((5, False), (400, True)):
        saved = save_run(add_insights(run, frame, dated, min_n=min_n), tmp_path / f"r{min_n}")
        loaded = load_run(saved)
        recent = loaded.emerging[loaded.emerging["comparison"] == "recent"]
        assert len(recent)
        text = to_markdown(loaded)
        # It counted only the period-by-period comparisons, above a table of the latest
        # periods that flagged a theme.
        flags = int(recent["flagged"].sum())
        said = f"{flags} flag{'' if flags == 1 else 's'} among {len(recent)} theme"
        assert f"The latest periods against all before them: {said}" in text
        assert ("Nearly every comparison rests on fewer than" in text) == hinted
        # A window whose last period is still open says so (a six-day December had
        # counted in the flags unsaid).
        last = str(recent["period"].iloc[0]).split("..")[-1]
        said = f"{last}, the last of them, is incomplete"
        assert (said in text) == bool(recent["incomplete"].any())
        loaded.emerging.loc[recent.index, "incomplete"] = True
        assert said in to_markdown(loaded)


def test_a_column_of_zero_to_ten_answers_not_named_as_a_score_is_suggested():
    frame = _frame().rename(columns={"nps": "would_return"})
    columns = choose_columns(frame, "comment", "customer_id", detect=True)
    assert columns.score_col is None and columns.score_hint == "would_return"
    assert any("--score-col would_return reads it as a score" in line for line in columns.lines())
    named = choose_columns(_frame(), "comment", "customer_id", detect=True)
    assert named.score_col == "nps" and named.score_hint is None
    given = choose_columns(frame, "comment", "customer_id", score_col="none", detect=True)
    assert given.score_hint is None  # "no score column" was asked for


# ------------------------------------------------- areas: where themes are too small
def _split_topic_run():
    """600 comments over two months in 6 themes and 3 areas. Area 0 ("Billing") is
    themes 0 and 1, 20 comments each, all in the second month, all from Enterprise
    and all detractors: each theme is under min_n (30) and cannot be tested, the
    area holds 40 and can. The other themes are steady, spread over plans, passive."""
    rows = []
    for theme in (0, 1):
        rows += [(theme, "2026-02-10", "Enterprise", 0)] * 20
    for theme in range(2, 6):
        for i in range(140):
            month = "2026-01-10" if i % 2 else "2026-02-10"
            rows.append((theme, month, ["Free", "Pro", "Enterprise"][i % 3], 8))
    frame = pd.DataFrame(rows, columns=["theme_id", "date", "plan", "nps"])
    documents = pd.DataFrame(
        {
            "row_id": np.arange(len(frame)),
            "status": "ok",
            "theme_id": frame["theme_id"],
            "sentiment": np.where(frame["nps"] == 0, "negative", "neutral"),
        }
    )
    themes = pd.DataFrame(
        {
            "theme_id": range(6),
            "theme_label": ["Charged twice", "Card declined", "A", "B", "C", "D"],
            "area_id": [0, 0, 1, 1, 2, 2],
            "area_label": ["Billing", "Billing", "Area one", "Area one", "Area two", "Area two"],
        }
    )
    frame = frame.drop(columns="theme_id")
    # The input's own columns come last in documents, as a fit attaches them.
    documents = pd.concat([documents, frame], axis=1)
    run = Run(documents=documents, themes=themes, meta={"text_col": "comment"})
    columns = CommentColumns(date_col="date", segment_cols=("plan",), score_col="nps",
                             score_type="nps")  # fmt: skip
    return add_insights(run, frame, columns, period="month")


def test_areas_are_tested_where_their_themes_are_too_small():
    run = _split_topic_run()
    # Themes 0 and 1: 20 comments each, every test too few.
    for table in (run.emerging, run.segment_lifts, run.drivers):
        assert table.loc[table["theme_id"].isin([0, 1]), "too_few"].all()
    # Their area: new in February and flagged, over-indexed among Enterprise
    # customers, and the most negative driver.
    february = run.area_emerging[
        (run.area_emerging["area_id"] == 0) & (run.area_emerging["comparison"] == "period")
    ].iloc[0]
    assert february["direction"] == "emerging" and february["comments"] == 40
    lifts = run.area_segment_lifts.set_index(["segment", "area_id"])
    assert lifts.loc[("Enterprise", 0), "direction"] == "over"
    assert run.area_drivers.iloc[0]["area_id"] == 0 and run.area_drivers.iloc[0]["rank"] == 1
    assert list(run.area_drivers.columns) == list(schema.AREA_DRIVER_COLUMNS)
    text = "\n".join(insights_markdown(run))
    assert "| Billing | emerging | 2026-02 | 12.5% (40 of 320)" in text
    assert "| plan = Enterprise | Billing | over |" in text
    assert "| 1 | Billing | 40 |" in text  # comments; no id column: no voices
    payload = insights_payload(run)
    assert payload["area_emerging"][0]["area_label"] == "Billing"
    assert payload["drivers"]["areas"][0]["area_label"] == "Billing"


def test_a_comment_in_two_themes_of_an_area_counts_once_for_it():
    from miner.insights.stats import mentions

    work = pd.DataFrame({"theme_id": [0, 2, -1, 3], "theme_ids": [[0, 1], [2], None, [3]]})
    pairs = mentions(work, "theme_id", {0: 5, 1: 5, 2: 6})  # theme 3: in no area
    assert pairs["pos"].tolist() == [0, 1] and pairs["theme_id"].tolist() == [5, 6]


def test_the_score_counts_every_response_as_the_survey_does_and_says_its_base():
    # 60 analysed comments (30 detractors, 30 passives) and 40 responses with a score
    # but an empty comment (all promoters): the survey's NPS counts all 100.
    n = 100
    status = ["ok"] * 60 + ["empty"] * 40
    nps = [0] * 30 + [7] * 30 + [10] * 40
    documents = pd.DataFrame(
        {"row_id": np.arange(n), "status": status, "theme_id": [0, 1] * 30 + [-1] * 40}
    )
    frame = pd.DataFrame({"nps": nps})
    documents = pd.concat([documents, frame], axis=1)
    themes = pd.DataFrame({"theme_id": [0, 1], "theme_label": ["A", "B"]})
    run = Run(documents=documents, themes=themes, meta={"text_col": "comment"})
    columns = CommentColumns(score_col="nps", score_type="nps")
    run = add_insights(run, frame, columns)
    score = run.meta["insights"]["drivers"]["score"]
    assert score["n"] == 60 and score["score"] == pytest.approx(-50.0)
    assert score["all_n"] == 100 and score["all_score"] == pytest.approx(10.0)
    line = views.score_line(run.meta["insights"]["drivers"])
    assert line == (
        "NPS +10.0 of all 100 responses with a valid score; -50.0 of the 60 analysed "
        "comments (the base of drivers and segments)"
    )
    assert line in "\n".join(insights_markdown(run))


def test_a_segment_that_is_the_score_grouped_is_not_held_fixed(tmp_path):
    # Qualtrics' Q1_NPS_GROUP named as a segment: held fixed beside the themes it had
    # explained the whole score, and every theme's effect read +0.0 [-0.0, +0.0].
    frame = _frame()
    nps = frame["nps"]
    frame["nps_group"] = np.where(nps >= 9, "Promoter", np.where(nps >= 7, "Passive", "Detractor"))
    columns = choose_columns(
        frame, "comment", "customer_id", None, ["plan", "nps_group"], "nps", "nps"
    )
    run = _toy_run(frame)
    run.themes["area_label"] = ""
    run = add_insights(run, frame, columns, min_n=20, resamples=50)
    info = run.meta["insights"]["drivers"]
    assert info["held_fixed"] == ["plan"]
    assert info["not_held"] == {"nps_group": "it follows the score 'nps'"}
    assert (
        "nps_group is not held fixed: it follows the score 'nps'."
        in (views.methods(run)["drivers"])
    )
    # Each theme's interval is its own: the reader is told one in 20 misleads (an
    # audit's pure-noise survey had 6 of 48 themes "significant", nothing said).
    assert "not corrected for the many themes read" in views.methods(run)["drivers"]
    assert (run.drivers["effect"].abs() > 0.5).any()


def test_a_segment_that_is_another_rating_is_not_held_fixed(tmp_path):
    # An engagement survey's Likert items named as segments: held fixed beside the
    # themes, an opinion formed by the same experiences took up the themes' effect.
    frame = _frame()
    noisy = frame["nps"].to_numpy() + np.random.default_rng(1).integers(-2, 3, len(frame))
    scale = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree"]
    frame["I feel valued"] = [scale[min(max(int(v), 0) // 3, 3)] for v in noisy]
    frame["How satisfied are you with support? (1-5)"] = 1 + np.clip(noisy, 0, 12) // 3
    segments = ["plan", "I feel valued", "How satisfied are you with support? (1-5)"]
    columns = choose_columns(frame, "comment", "customer_id", None, segments, "nps", "nps")
    assert columns.segment_cols == tuple(segments)  # still segments: NPS by each answer
    run = _toy_run(frame)
    run.themes["area_label"] = ""
    run = add_insights(run, frame, columns, min_n=20, resamples=50)
    info = run.meta["insights"]["drivers"]
    assert info["held_fixed"] == ["plan"]
    assert set(info["not_held"]) == set(segments[1:])
    assert "I feel valued is not held fixed: it is a rating too" in views.methods(run)["drivers"]
    assert set(run.segment_summary["segment_column"]) == set(segments)


def test_a_column_of_several_values_a_cell_puts_a_comment_in_each(tmp_path):
    # Productboard tags "api;performance;integrations" in any order: 16 tags had been 41
    # segment values, most "too few", each order of the same tags another segment.
    frame = _frame()
    rng = np.random.default_rng(5)
    tags = ["api", "performance", "integrations", "mobile", "billing"]
    frame["tags"] = [
        ";".join(rng.permutation(tags)[: rng.integers(1, 4)]) if i % 9 else "" for i in range(400)
    ]
    columns = choose_columns(frame, "comment", "customer_id", None, ["plan", "tags"], "nps", "nps")
    run = _toy_run(frame)
    run.themes["area_label"] = ""
    run = add_insights(run, frame, columns, min_n=20, resamples=50)
    summary = run.segment_summary[run.segment_summary["segment_column"] == "tags"]
    assert sorted(summary["segment"]) == sorted(tags)
    analysed = run.documents[run.documents["status"] == "ok"]
    held = analysed["tags"].fillna("").str.split(";")
    for row in summary.itertuples():
        assert row.comments == held.map(lambda parts, t=row.segment: t in parts).sum()
    with_tag = int((analysed["tags"].fillna("") != "").sum())
    api = summary.set_index("segment").loc["api"]
    assert api["share"] == pytest.approx(api["comments"] / with_tag)
    # The lifts: each tag against the other tagged comments.
    lifts = run.segment_lifts[run.segment_lifts["segment_column"] == "tags"]
    assert set(lifts["segment"]) == set(tags)
    cell = lifts[(lifts["segment"] == "api") & (lifts["theme_id"] == 0)].iloc[0]
    in_api = held.map(lambda parts: "api" in parts)
    assert cell["comments"] == int((in_api & (analysed["theme_id"] == 0)).sum())
    # Not held fixed in the drivers (one value a row there), and said.
    info = run.meta["insights"]
    assert info["segments"]["multi_valued"] == {"tags": ";"}
    assert info["drivers"]["held_fixed"] == ["plan"]
    assert "several of its values" in info["drivers"]["not_held"]["tags"]
    # The page's quotes of a tag and a theme are its comments.
    quoted = views.segment_comments(run, "tags", "api", 0)
    assert len(quoted) == cell["comments"]
    assert quoted["tags"].str.contains("api").all()
    # The app's filters offer each tag and keep the comments that hold it.
    from miner import search

    values = views.segment_values_of(run, "tags")
    assert views.segment_options(run, "tags", values) == sorted(tags)
    mask = search.filter_mask(run, search.Filters.of(segments={"tags": ["api"]}))
    assert mask.sum() == in_api.sum()


def test_date_order_given_reads_every_ambiguous_date_so_and_later_readers_follow_it(tmp_path):
    # A monthly pulse answered on the 1st of each month (US): no number above 12, and
    # the closer reading is day first (1 to 12 January). --date-order month-first says
    # how the export writes them; the run records it for the roadmap and search.
    frame = _frame().head(120).copy()
    frame["submitted_at"] = [f"{1 + i % 12:02d}/01/2026" for i in range(len(frame))]
    auto = choose_columns(frame, "comment", "customer_id", "submitted_at")
    assert describe_comments(frame, auto).dates.dt.month.nunique() == 1  # 1-12 January
    given = choose_columns(
        frame, "comment", "customer_id", "submitted_at", date_order="month-first"
    )
    assert given.dayfirst is False and given.reasons["submitted_at"] == (
        "given, month first (--date-order)"
    )
    described = describe_comments(frame, given)
    assert described.dates.dt.month.nunique() == 12 and described.dates.dt.day.unique() == [1]
    run = add_insights(_toy_run(frame), frame, given, min_n=5, resamples=0)
    assert run.meta["date_dayfirst"] is False
    from miner.roadmap import priority

    window = priority.window(run)
    assert window.dates.dt.month.nunique() == 12
    # A date the given order cannot hold is unreadable and counted, not read the other
    # way round cell by cell (27/05 had been May 27 beside 05/03 as May 3).
    from miner.insights.columns import parse_dates

    contrary = parse_dates(pd.Series(["01/05/2026", "27/05/2026"]), dayfirst=False)
    assert contrary.values.isna().tolist() == [False, True] and contrary.invalid == 1
    # An order only guessed (no number settles it, nothing given) is not recorded.
    guessed = add_insights(_toy_run(frame), frame, auto, min_n=5, resamples=0)
    assert "date_dayfirst" not in guessed.meta
    undated = choose_columns(frame, "comment", None, "none", date_order="day-first")
    assert "No date column: --date-order has no dates to read" in undated.lines()
    with pytest.raises(InvalidConfig, match="date order 'sideways' is not one of auto"):
        choose_columns(frame, "comment", None, "submitted_at", date_order="sideways")


def test_a_detected_segment_of_one_value_over_the_answers_is_left_out():
    # Qualtrics' Finished: True wherever there is an answer, False only on rows with a
    # score and no comment. It had been a segment of one value, held fixed in drivers.
    frame = _frame().head(120).copy()
    frame["Finished"] = "True"
    run = _toy_run(frame)
    blank = run.documents["status"] != "ok"
    frame.loc[blank.to_numpy(), "Finished"] = "False"
    run.documents["Finished"] = frame["Finished"].to_numpy()
    columns = choose_columns(frame, "comment", "customer_id", detect=True)
    assert "Finished" in columns.segment_cols
    run = add_insights(run, frame, columns, min_n=5, resamples=0)
    assert "Finished" not in run.meta["segment_cols"]
    assert run.meta["columns_left_out"]["Finished"].startswith("one value over the analysed")


def test_score_reads_dates_in_the_order_given(tmp_path):
    # A monthly pulse scored without a model: auto reads it as 1 to 12 January.
    from miner.batch import score_file

    source = tmp_path / "pulse.csv"
    pd.DataFrame(
        {
            "comment": [f"The monthly report {i} loads slowly" for i in range(12)],
            "submitted": [f"{m:02d}/01/2026" for m in range(1, 13)],
        }
    ).to_csv(source, index=False)
    periods = {}
    for order in ("auto", "month-first"):
        out = tmp_path / f"{order}.csv"
        score_file(source, out, text_col="comment", date_col="submitted", date_order=order)
        periods[order] = pd.read_csv(out)["period"].tolist()
    assert set(periods["auto"]) == {"2026-01"}
    assert periods["month-first"] == [f"2026-{m:02d}" for m in range(1, 13)]
