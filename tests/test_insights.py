"""Insights statistics on the demo corpus's planted truth and on simulated flat data.

The documents table here is built from ``truth.csv`` (planted theme and sentiment), so
these tests check the statistics, not the theme model. No model is loaded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from miner.insights import (
    FALSE_ALARM_RATE,
    bh_adjust,
    bin_numeric,
    choose_period,
    detect_columns,
    drivers,
    emerging,
    emerging_tests,
    parse_dates,
    parse_score,
    period_labels,
    segment_summary,
    segments,
    trends,
    views,
)

CRASHES = "Mobile app crashes"
SLOW = "Slow performance"
BEFORE_RELEASE = ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]


@pytest.fixture(scope="module")
def truth_documents(demo_frames):
    """A documents-like table: truth's theme as theme_id (none = -1), truth's sentiment."""
    feedback, truth = demo_frames
    names = sorted(set(truth["theme"]) - {"none"})
    ids = truth["theme"].map({name: i for i, name in enumerate(names)}).fillna(-1).astype(int)
    documents = pd.DataFrame(
        {
            "row_id": np.arange(len(feedback)),
            "status": "ok",
            "theme_id": ids,
            "sentiment": truth["sentiment"],
        }
    )
    documents = documents.join(feedback.drop(columns=["comment"]))
    return documents, {name: i for i, name in enumerate(names)}


@pytest.fixture(scope="module")
def truth_emerging(truth_documents):
    documents, themes = truth_documents
    return emerging(documents, "submitted_at"), themes


def _flags(table, theme_id, comparison="period", direction=None):
    rows = table[(table["theme_id"] == theme_id) & (table["comparison"] == comparison)]
    rows = rows[rows["flagged"]]
    if direction:
        rows = rows[rows["direction"] == direction]
    return rows


def test_crashes_emerge_after_the_release_and_not_before(truth_emerging):
    table, themes = truth_emerging
    flagged = _flags(table, themes[CRASHES], direction="emerging")
    assert {"2026-06", "2026-07"} & set(flagged["period"])
    assert not set(flagged["period"]) & set(BEFORE_RELEASE)
    assert (
        not _flags(table, themes[CRASHES], direction="fading")["period"].isin(BEFORE_RELEASE).any()
    )
    # The flag carries its evidence.
    row = flagged.iloc[0]
    assert row["lift"] >= 1.5 and row["p_adj"] < 0.05 and row["p"] <= row["p_adj"]
    assert row["comments"] >= 30 and row["first_seen"] == "2025-12"
    assert row["period"] in row["shares_by_period"]


def test_latest_three_periods_crashes_emerge_and_slowness_fades(truth_emerging):
    table, themes = truth_emerging
    recent = table[table["comparison"] == "recent"].set_index("theme_id")
    assert recent.loc[themes[CRASHES], "direction"] == "emerging"
    assert recent.loc[themes[SLOW], "direction"] == "fading"
    assert recent.loc[themes[SLOW], "period"] == "2026-09..2026-11"
    assert recent.loc[themes[SLOW], "lift"] < 1 / 1.5


def test_steady_themes_at_most_one_false_flag_each_way(truth_emerging):
    table, themes = truth_emerging
    for name, theme_id in themes.items():
        if name in (CRASHES, SLOW):
            continue
        for direction in ("emerging", "fading"):
            flags = table[(table["theme_id"] == theme_id) & (table["direction"] == direction)]
            assert len(flags) <= 1, (name, direction, flags["period"].tolist())


def test_planted_segment_skews_are_over_indexed(truth_documents):
    documents, themes = truth_documents
    table = segments(documents, ["plan", "region", "channel"]).set_index(
        ["segment_column", "segment", "theme_id"]
    )
    for key in [
        ("plan", "business", themes["Team permissions"]),
        ("channel", "app_review", themes[CRASHES]),
    ]:
        row = table.loc[key]
        assert row["lift"] >= 1.5 and row["p_adj"] < 0.05 and row["direction"] == "over", key
    # Shares within a segment are of the segment's comments; its n is carried.
    row = table.loc[("plan", "business", themes["Team permissions"])]
    business = documents["plan"] == "business"
    assert row["segment_comments"] == business.sum()
    assert row["share"] == pytest.approx(
        (documents.loc[business, "theme_id"] == themes["Team permissions"]).mean()
    )
    summary = segment_summary(documents, ["plan"]).set_index("segment")
    assert summary["comments"].sum() == len(documents)
    assert summary["score"].isna().all()  # no score asked for


def test_each_segment_has_its_score_with_an_interval_and_n():
    plans = np.array(["pro"] * 40 + ["free"] * 40 + ["trial"] * 5)
    nps = np.array([10] * 20 + [7] * 10 + [3] * 10 + [9] * 10 + [0] * 30 + [8] * 5, float)
    nps[3] = np.nan  # a pro answer without a (valid) score
    documents = pd.DataFrame({"status": "ok", "plan": plans, "nps": nps})
    table = segment_summary(documents, ["plan"], min_n=20, score_col="nps", score_type="nps")
    table = table.set_index("segment")
    for plan in ("pro", "free"):
        values = nps[(plans == plan) & ~np.isnan(nps)]
        y = np.where(values >= 9, 100.0, np.where(values <= 6, -100.0, 0.0))
        half = 1.96 * y.std(ddof=1) / np.sqrt(len(y))
        row = table.loc[plan]
        assert row["score_n"] == len(y)
        assert row["score"] == pytest.approx(y.mean())
        assert (row["score_low"], row["score_high"]) == pytest.approx(
            (y.mean() - half, y.mean() + half)
        )
    assert table.loc["pro", "score"] == pytest.approx(100 * 19 / 39 - 100 * 10 / 39)
    # Below the minimum: no score, its n still said.
    assert np.isnan(table.loc["trial", "score"]) and table.loc["trial", "score_n"] == 5
    # A mean score (CSAT) the same way.
    csat = segment_summary(
        documents.assign(nps=np.where(np.isnan(nps), np.nan, 3.0)),
        ["plan"],
        min_n=20,
        score_col="nps",
        score_type="csat",
    ).set_index("segment")
    assert csat.loc["free", "score"] == 3.0 and csat.loc["free", "score_low"] == 3.0


def test_a_segments_net_sentiment_rests_on_its_comments_with_a_sentiment():
    # Belgium: 39 comments, one of them in English (the rest in French: no sentiment);
    # Germany: 40 comments, 35 read, mostly negative.
    sentiment = [None] * 38 + ["negative"] + ["negative"] * 30 + ["positive"] * 5 + [None] * 5
    documents = pd.DataFrame(
        {"status": "ok", "country": ["BE"] * 39 + ["DE"] * 40, "sentiment": sentiment}
    )
    table = segment_summary(documents, ["country"], min_n=30).set_index("segment")
    assert table.loc["BE", "comments"] == 39 and table.loc["BE", "sentiment_n"] == 1
    assert np.isnan(table.loc["BE", "net_sentiment"])  # one comment is no figure
    assert table.loc["DE", "sentiment_n"] == 35
    assert table.loc["DE", "net_sentiment"] == pytest.approx(100 * (5 - 30) / 35)
    shown = {
        row.segment: views.segment_net(row, 30)
        for row in table.reset_index().itertuples(index=False)
    }
    assert shown == {
        "BE": "too few comments (1 of 39 with a sentiment)",
        "DE": "-71 (n = 35 of 40)",
    }


def _reference_impacts(documents, themes) -> pd.Series:
    """Remove and recompute, directly: NPS of all comments - NPS without the theme's."""
    nps = documents["nps"]
    contribution = np.where(nps >= 9, 100, np.where(nps <= 6, -100, 0))
    overall = contribution.mean()
    return pd.Series(
        {
            theme_id: overall - contribution[documents["theme_id"] != theme_id].mean()
            for theme_id in themes.values()
        }
    ).sort_values()


@pytest.fixture(scope="module")
def truth_drivers(truth_documents):
    documents, themes = truth_documents
    table = drivers(documents, "nps", "nps", id_col="customer_id", n_boot=1000, seed=3)
    return table.set_index("theme_id"), _reference_impacts(documents, themes)


def test_drivers_most_negative_themes_match_the_reference(truth_drivers):
    table, reference = truth_drivers
    assert list(table.index[:2]) == list(reference.index[:2])
    for theme_id in reference.index[:2]:
        row = table.loc[theme_id]
        assert row["impact_high"] < 0
        assert abs(row["impact"] - reference[theme_id]) <= 1.5
        assert row["impact_low"] <= reference[theme_id] <= row["impact_high"]
    assert table["rank"].iloc[0] == 1
    weakest = reference.abs().sort_values().index[:2]
    for theme_id in weakest:
        assert table.loc[theme_id, "impact_low"] < 0 < table.loc[theme_id, "impact_high"]


def test_drivers_effect_is_theme_mean_minus_overall_with_one_theme_per_comment(truth_documents):
    documents, _ = truth_documents
    themed = documents[documents["theme_id"] >= 0]
    table = drivers(themed, "nps", "nps", n_boot=0).set_index("theme_id")
    y = np.where(themed["nps"] >= 9, 100, np.where(themed["nps"] <= 6, -100, 0))
    means = pd.Series(y, index=themed.index).groupby(themed["theme_id"]).mean()
    expected = means - y.mean()
    assert np.allclose(table.loc[expected.index, "effect"], expected, atol=1e-6)


def test_drivers_resample_customers_when_an_id_column_is_given(truth_documents):
    documents, themes = truth_documents
    # Every customer says everything twice: comments are not independent evidence.
    doubled = pd.concat([documents, documents], ignore_index=True)
    by_customer = drivers(doubled, "nps", "nps", id_col="customer_id", n_boot=400, seed=1)
    by_comment = drivers(doubled, "nps", "nps", n_boot=400, seed=1)
    theme = themes["Bank sync failures"]

    def width(table):
        row = table.set_index("theme_id").loc[theme]
        return row["impact_high"] - row["impact_low"]

    assert width(by_customer) > 1.25 * width(by_comment)
    again = drivers(doubled, "nps", "nps", id_col="customer_id", n_boot=400, seed=1)
    pd.testing.assert_frame_equal(by_customer, again)


def test_below_min_n_is_too_few_and_never_flagged(truth_documents):
    original, themes = truth_documents
    documents = original.copy()
    # A burst of 12 comments of a new theme in the last month: striking, but too few.
    last_month = documents.index[documents["submitted_at"] >= "2026-11-01"][:12]
    documents.loc[last_month, "theme_id"] = 99
    table = emerging(documents, "submitted_at")
    burst = table[table["theme_id"] == 99]
    assert burst["too_few"].all() and not burst["flagged"].any()
    assert burst["p"].isna().all() and burst["p_adj"].isna().all() and burst["lift"].isna().all()
    assert (burst["comments"] > 0).any()  # the n is still shown
    dark = table[(table["theme_id"] == themes["Dark mode"]) & (table["comparison"] == "period")]
    assert dark["too_few"].all() and not dark["flagged"].any()

    trend = trends(documents, "submitted_at")
    small = trend[trend["theme_id"] == 99]
    assert small["too_few"].all() and small["net_sentiment"].isna().all()
    assert small["share"].notna().all()  # the share's n is the period's comments

    seg = segments(documents, ["plan"])
    assert not seg.loc[seg["too_few"], "flagged"].any()
    assert seg.loc[seg["too_few"], ["p", "lift"]].isna().all().all()
    assert seg.loc[seg["theme_id"] == 99, "too_few"].all()

    table = drivers(original, "nps", "nps", n_boot=50, min_n=150).set_index("theme_id")
    rare = table.loc[themes["Mileage tracking"]]
    assert rare["too_few"] and np.isnan(rare["impact"]) and np.isnan(rare["impact_low"])
    assert pd.isna(rare["rank"]) and rare["comments"] == 48


def test_trends_count_every_theme_a_comment_mentions():
    documents = pd.DataFrame(
        {
            "row_id": range(6),
            "status": ["ok", "ok", "duplicate", "empty", "ok", "ok"],
            "theme_id": [0, 1, 0, -1, -1, 0],
            "theme_ids": [[0, 1], [1], [0], [], [], [0, 2]],
            "sentiment": ["negative", "positive", "negative", None, "neutral", "positive"],
            "date": ["2026-01-05", "2026-01-20", "2026-02-02", "2026-02-03", "bad", "2026-02-10"],
        }
    )
    table = trends(documents, "date", period="month", min_n=1).set_index(["theme_id", "period"])
    assert table.loc[(0, "2026-01"), "comments"] == 1
    assert table.loc[(1, "2026-01"), "comments"] == 2
    assert table.loc[(0, "2026-02"), "comments"] == 2
    assert table.loc[(0, "2026-02"), "period_comments"] == 2  # empty row and bad date left out
    assert table.loc[(0, "2026-02"), "net_sentiment"] == 0  # one negative, one positive
    assert table.loc[(2, "2026-02"), "share"] == 0.5
    assert bool(table.loc[(0, "2026-02"), "incomplete"])  # data end on 10 Feb

    # Areas: a comment counts once per area it mentions (themes 0 and 1 are area 7).
    areas = trends(documents, "date", "month", by="area_id", areas={0: 7, 1: 7, 2: 8}, min_n=1)
    areas = areas.set_index(["area_id", "period"])
    assert areas.loc[(7, "2026-01"), "comments"] == 2
    assert areas.loc[(8, "2026-02"), "comments"] == 1
    jobs = trends(documents.assign(job_id=[3, -1, 3, -1, 3, 4]), "date", "month", by="job_id")
    assert set(jobs["job_id"]) == {3, 4}
    assert jobs.loc[jobs["job_id"] == 3, "comments"].tolist() == [1, 1]


def test_flat_data_false_alarms_and_power_of_a_planted_jump():
    rng = np.random.default_rng(2026)
    runs, themes, periods = 500, 15, 12
    base = np.linspace(0.15, 0.02, themes)
    shares = np.append(base / base.sum() * 0.9, 0.1)  # 10% unassigned
    totals = rng.integers(400, 700, size=(runs, periods))
    flat = np.swapaxes(rng.multinomial(totals, shares)[..., :themes], -1, -2)

    by_period, recent = emerging_tests(flat, totals)
    false_flags = (by_period["direction"] != "").sum(axis=(-1, -2))
    false_flags += (recent["direction"] != "").sum(axis=-1)
    mean, se = false_flags.mean(), false_flags.std(ddof=1) / np.sqrt(runs)
    assert mean <= FALSE_ALARM_RATE + 2 * se, (mean, se)
    # Without the correction about 4 comparisons per run would pass p < 0.05.
    assert (np.nan_to_num(by_period["p"], nan=1) < 0.05).sum(axis=(-1, -2)).mean() > 2

    # One theme at 3% jumps to 9% in period 9.
    theme, period = int(np.argmin(np.abs(shares[:themes] - 0.03))), 9
    jumped = shares.copy()
    jumped[theme] *= 3
    jumped = jumped / jumped.sum()
    planted = flat.copy()
    planted[:, :, period] = rng.multinomial(totals[:, period], jumped)[:, :themes]
    by_period, _ = emerging_tests(planted, totals)
    detected = by_period["direction"][:, theme, period] == "emerging"
    assert detected.mean() >= 0.8


def test_bh_adjust_matches_the_textbook_values():
    p = np.array([0.01, 0.04, 0.03, np.nan, 0.005])
    adjusted = bh_adjust(p)
    assert np.allclose(adjusted[[4, 0, 2, 1]], [0.02, 0.02, 0.04, 0.04])
    assert np.isnan(adjusted[3])


def test_parse_dates_reads_mixed_formats_and_counts_the_rest():
    values = pd.Series(
        ["2026-03-01", "03/02/2026", "1 Mar 2026", "2026-03-01T23:30:00+02:00", "soon", "", None]
    )
    parsed = parse_dates(values)
    assert parsed.invalid == 1 and "1 of 5" in parsed.note
    assert parsed.values.iloc[:4].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-03-01",
        "2026-03-02",
        "2026-03-01",
        "2026-03-01",
    ]
    assert parsed.values.iloc[4:].isna().all()
    assert parse_dates(values, dayfirst=True).values.iloc[1] == pd.Timestamp("2026-02-03")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # One day above 12 settles the column: every date is read day first.
        (["12/02/2023", "15/01/2023", "05/01/2024"], ["2023-02-12", "2023-01-15", "2024-01-05"]),
        # A second number above 12: month first, as the US writes dates.
        (["12/02/2023", "01/15/2023"], ["2023-12-02", "2023-01-15"]),
        # Dots are Europe's: day first; an ISO date stays year-month-day beside them.
        (["02.05.2026", "03.04.2026", "2026-03-01"], ["2026-05-02", "2026-04-03", "2026-03-01"]),
        # No number above 12: the order that keeps the dates close. A UK survey open
        # from 1 to 12 March had been read as a day in each month of the year.
        (
            [f"{d:02d}/03/2026 09:30" for d in (1, 5, 9, 12)],
            ["2026-03-01", "2026-03-05", "2026-03-09", "2026-03-12"],
        ),
        (
            [f"03/{d:02d}/2026" for d in (1, 5, 9, 12)],
            ["2026-03-01", "2026-03-05", "2026-03-09", "2026-03-12"],
        ),
        # Jira's day, month name and short year.
        (["05/Jan/26 01:41 PM", "17/Mar/26 10:02 AM"], ["2026-01-05", "2026-03-17"]),
        # Unix time, in seconds or milliseconds (Intercom, Stripe).
        ([1767225600, 1772000000], ["2026-01-01", "2026-02-25"]),
        (["1767225600000", "1772000000000"], ["2026-01-01", "2026-02-25"]),
        # A placeholder among them is one unreadable date, not a column of them; Slack's
        # fractional seconds are Unix time too.
        (["1767225600"] * 10 + ["-"], ["2026-01-01"] * 10 + [None]),
        (["1767225600.123456"], ["2026-01-01"]),
        # Excel's serial days, as a spreadsheet's "General" date column is saved to CSV.
        ([45234, "45292.75", "46022"], ["2023-11-04", "2024-01-01", "2025-12-31"]),
    ],
)
def test_a_date_column_is_read_in_one_order(values, expected):
    parsed = parse_dates(pd.Series(values))
    read = parsed.values.dt.strftime("%Y-%m-%d").astype(object)
    assert read.where(read.notna(), None).tolist() == expected


def test_excel_serial_dates_are_a_date_column_when_named_so():
    # A CSV saved from a spreadsheet whose date column was formatted "General": every
    # date had been unreadable and the run had no trends.
    days = [45200 + (i * 7) % 200 + 0.25 * (i % 4) for i in range(60)]
    frame = pd.DataFrame({"comment": ["slow export"] * 60, "Date": days, "Amount": days})
    found = detect_columns(frame, exclude=("comment",))
    assert found.date == "Date" and "Excel" in found.reasons["Date"]
    parsed = parse_dates(frame["Date"])
    assert parsed.invalid == 0 and parsed.values.iloc[1] == pd.Timestamp("2023-10-08 06:00")
    # The same numbers under a name that says nothing of dates are no date column.
    assert detect_columns(frame.drop(columns="Date"), exclude=("comment",)).date is None


def test_a_date_order_left_to_a_guess_is_said():
    # A UK form's January-June (no day above 12, spans too close to tell) had been read
    # month first with nothing said; the detection line now names the guess.
    dates = [f"{d:02d}/{m:02d}/2024 10:00:00" for m in range(1, 7) for d in (2, 6, 11)]
    frame = pd.DataFrame({"comment": ["slow export"] * len(dates), "Timestamp": dates})
    assert parse_dates(frame["Timestamp"]).order == "guess"
    found = detect_columns(frame, exclude=("comment",))
    assert found.date == "Timestamp" and "--date-order day-first" in found.reasons["Timestamp"]
    # Settled by a number above 12, nothing is a guess.
    settled = frame.assign(Timestamp=[*dates[:-1], "25/06/2024 10:00:00"])
    found = detect_columns(settled, exclude=("comment",))
    assert "guess" not in found.reasons["Timestamp"]


def test_dates_after_today_are_left_out_and_counted():
    tomorrow = pd.Timestamp.now(tz="UTC").tz_localize(None) + pd.Timedelta(hours=12)
    values = pd.Series(["2026-03-01", "2099-01-05", str(tomorrow), "2200-12-31", "soon"])
    parsed = parse_dates(values)
    # Half a day ahead is a time zone ahead of UTC, kept; the years ahead are not.
    assert parsed.values.isna().tolist() == [False, True, False, True, True]
    assert parsed.invalid == 3
    assert "1 of 5 dates could not be read" in parsed.note
    assert "2 dates are in the future (the latest 2200-12-31)" in parsed.note
    as_datetimes = parse_dates(pd.to_datetime(pd.Series(["2026-03-01", "2099-01-05"])))
    assert as_datetimes.invalid == 1 and as_datetimes.values.isna().tolist() == [False, True]
    # A system's "no date" (Unix's epoch, Excel's zero day): three had made 228 quarters.
    values = pd.Series(["2026-03-01", "1970-01-01", "01/01/1900", "1970-01-02", "1899-12-30"])
    parsed = parse_dates(values)
    assert parsed.values.isna().tolist() == [False, True, True, False, True]
    assert parsed.invalid == 3
    assert "(1899-12-30, 1900-01-01, 1970-01-01) and were left out" in parsed.note
    # ... also as written in another time zone
    parsed = parse_dates(pd.Series(["2026-03-01", "1970-01-01 01:00", "1969-12-31 19:00"]))
    assert parsed.values.isna().tolist() == [False, True, True]


def test_choose_period_from_the_span_and_overridable():
    def span(first, last):
        return pd.Series(pd.to_datetime([first, last]))

    assert choose_period(span("2025-12-01", "2026-11-30")) == "month"
    assert choose_period(span("2024-01-01", "2026-06-30")) == "quarter"
    dense = pd.Series(pd.date_range("2026-01-01", "2026-04-15", 3000))  # 200 a week
    assert choose_period(dense) == "week"
    # 20 a week: too few to test a theme's rise week on week (six months of app reviews
    # had hidden a crash after a release this way); months.
    assert choose_period(pd.Series(pd.date_range("2026-01-01", "2026-04-15", 300))) == "month"
    assert choose_period(span("2026-01-01", "2026-04-15")) == "month"  # two days alone
    assert choose_period(span("2026-01-01", "2026-04-15"), "month") == "month"
    with pytest.raises(ValueError):
        choose_period(span("2026-01-01", "2026-04-15"), "fortnight")
    # Survey waves: the period that holds them without empty ones between (weeks had
    # made 25 empty weeks of two waves "too few comments").
    waves = pd.Series(
        pd.date_range("2026-03-02", "2026-03-20", periods=200).append(
            pd.date_range("2026-09-01", "2026-09-14", periods=200)
        )
    )
    assert choose_period(waves) == "quarter"
    pulse = pd.Series(pd.to_datetime([f"2026-{m:02d}-01" for m in range(1, 8) for _ in "abc"]))
    assert choose_period(pulse) == "month"  # one day a month for 7 months: not weeks
    steady = pd.Series(pd.date_range("2026-01-01", "2026-06-30", periods=5000))
    assert choose_period(steady) == "week"
    assert choose_period(steady.iloc[::10]) == "month"
    assert choose_period(pd.Series(pd.date_range("2025-12-01", "2026-11-30", 900))) == "month"
    assert views.share_with_n(float("nan"), 0, 0) == "no comments"
    labels, table = period_labels(span("2026-01-07", "2026-03-18"), "week")
    assert labels.tolist() == ["2026-01-05", "2026-03-16"]
    assert table["incomplete"].tolist() == [False] * (len(table) - 1) + [True]


def test_bin_numeric_gives_readable_age_bands():
    binned = bin_numeric(pd.Series([17, 18, 24, 25, 64, 65, 90, "x", None, -3]))
    assert binned.values.astype(str).tolist()[:7] == [
        "<18",
        "18-24",
        "18-24",
        "25-34",
        "55-64",
        "65+",
        "65+",
    ]
    assert binned.invalid == 2  # "x" and -3; a missing value is not invalid


def test_parse_score_by_kind():
    values = pd.Series(["9", "10", "0", "9/10", "11", "9.5", "great", None])
    nps = parse_score(values, "nps")
    assert nps.values.tolist()[:4] == [9, 10, 0, 9]
    assert nps.invalid == 3
    assert parse_score(pd.Series([1, 5, 0, 6, 3]), "csat").invalid == 2
    assert parse_score(pd.Series(["4 stars", "2"]), "rating").values.tolist() == [4, 2]
    assert parse_score(pd.Series([-2.5, 300.0]), "numeric").invalid == 0
    # A cell that is a number as written is that number ("1e1" read 1 before).
    assert parse_score(pd.Series(["1e1", "9.0"]), "nps").values.tolist() == [10, 9]


def test_detect_columns_on_the_demo_export(demo_frames):
    feedback, _ = demo_frames
    found = detect_columns(feedback, exclude=("comment", "customer_id"))
    assert found.date == "submitted_at"
    assert found.score == "nps" and found.score_kind == "nps"
    assert found.segments == ["plan", "region", "channel"]
    assert all(found.reasons[name] for name in ["submitted_at", "nps", "plan"])
    # Scores written as text are not dates, even though "5/10" would parse as one.
    text_scores = feedback.assign(nps=feedback["nps"].astype(str).replace({"5": "5/10"}))
    found = detect_columns(text_scores.drop(columns=["submitted_at"]), exclude=("comment",))
    assert found.date is None and found.score == "nps"
    # A score that a fifth of respondents left blank, read from a CSV as empty strings.
    blanks = feedback["nps"].astype(str).where(np.arange(len(feedback)) % 5 != 0, "")
    found = detect_columns(feedback.assign(nps=blanks), exclude=("comment", "customer_id"))
    assert found.score == "nps" and found.score_kind == "nps"


@pytest.mark.parametrize(
    "name, kind",
    [
        ("How satisfied are you with our support? (1-5)", "csat"),  # Google Forms
        ("How would you rate the app overall?", "rating"),  # Microsoft Forms
        ("Bewertung", "rating"),  # a German export
        ("How easy was it to set up? (1-5)", "rating"),
        ("How easy was it to get started?", "rating"),  # Typeform's opinion scale
    ],
)
def test_a_score_named_as_forms_ask_it_is_detected(name, kind):
    # A 1-5 answer under a form's question had been neither a score nor a hint (and
    # "Bewertung" a segment of ten values).
    n = 200
    frame = pd.DataFrame(
        {
            "comment": ["the export is slow"] * n,
            name: np.tile(["1", "2", "3", "4", "5", "4", "5", "3"], n // 8),
            "plan": np.tile(["free", "pro"], n // 2),
        }
    )
    found = detect_columns(frame, exclude=("comment",))
    assert found.score == name and found.score_kind == kind
    assert name not in found.segments
    # Other numbers under such a name, before it in the file, are no score: a discount
    # rate had been taken for the score ("Mean score 11.88").
    others = {
        "Discount rate (%)": np.tile(["5", "10", "15", "20"], n // 4),
        "Hourly rate": np.tile(["18.50", "22", "35"], n // 3 + 1)[:n],
        "Anzahl Bewertungen": np.tile(["12", "40", "7"], n // 3 + 1)[:n],
        "Unsatisfied tickets": np.tile(["0", "3", "1", "2"], n // 4),
    }
    found = detect_columns(pd.DataFrame(others).join(frame), exclude=("comment",))
    assert found.score == name


def test_detected_segments_leave_out_people_nested_records_and_the_score_grouped():
    n = 60
    frame = pd.DataFrame(
        {
            "comment": ["the export is slow"] * n,
            "nps": [str(i % 11) for i in range(n)],
            # Qualtrics' NPS group: the score grouped, which had left every driver's
            # effect at 0 when held fixed beside the themes.
            "Q1_NPS_GROUP": [
                "Promoter" if i % 11 >= 9 else "Passive" if i % 11 >= 7 else "Detractor"
                for i in range(n)
            ],
            "RecipientLastName": ["Kowalski", "Nguyen", "Smith"] * (n // 3),
            "Assignee": ["ana", "tom"] * (n // 2),
            "source.author.name": ["Ana", "Tom", "Lea"] * (n // 3),
            # A research repository's participants (a table of scores by person).
            "Participant": ["Maria Gonzalez", "Priya Nair", "Tom Becker"] * (n // 3),
            # An interview table's speakers, a CRM's owners and reps: people too.
            "speaker": ["Sam Patel", "Maria Gonzalez", "Priya Nair"] * (n // 3),
            "Opportunity Owner": ["Jo Reyes", "Ken Ito"] * (n // 2),
            "Sales Rep": ["Jo Reyes", "Ken Ito", "Al Diaz"] * (n // 3),
            "Tester": ["Lea", "Max", "Ola"] * (n // 3),
            # A review's own title, short and repeated: the writer's words.
            "review_title": ["Great kettle", "Lid broke", "Love it"] * (n // 3),
            # ... but a product's or a job's title is a segment.
            "product_title": ["Aura Kettle"] * (n // 2) + ["Forge Pan"] * (n // 2),
            "user": [{"login": "ana"}, {"login": "tom"}] * (n // 2),
            # A checkbox column: the choice or blank, one value.
            "Boards": ["Boards", ""] * (n // 2),
            "plan": ["Free", "Pro", "Team"] * (n // 3),
            # A developer's canned replies to reviews (Google Play's "Developer Reply
            # Text"): sentences, no segment; a Likert answer's few words are one.
            "Developer Reply Text": [
                "Hi, sorry for the trouble, please contact support@example.com for help.",
                "Thanks for the kind words, we are glad you enjoy the app so much!",
                None,
            ]
            * (n // 3),
            "I feel valued": ["Strongly agree", "Neither agree nor disagree"] * (n // 2),
            # The plan again under its code: the same groups, one segment.
            "plan_code": ["F", "P", "T"] * (n // 3),
        }
    )
    found = detect_columns(frame, exclude=("comment",))
    assert found.score == "nps"
    assert found.segments == ["Q1_NPS_GROUP", "product_title", "plan", "I feel valued"]
    from miner.insights.run import choose_columns

    chosen = choose_columns(frame, text_col="comment", detect=True)
    assert chosen.segment_cols == ("product_title", "plan", "I feel valued")
    assert "follows the score 'nps'" in chosen.left_out["Q1_NPS_GROUP"]
    given = choose_columns(frame, text_col="comment", segment_cols=["Q1_NPS_GROUP"], detect=True)
    assert given.segment_cols == ("Q1_NPS_GROUP",)  # named: kept, and not held fixed


def test_a_column_of_too_few_rows_per_value_is_said_not_silently_dropped():
    # A 40-person survey's Department (7 values) had vanished from the segments unsaid.
    from miner.insights.run import choose_columns

    n = 40
    frame = pd.DataFrame(
        {
            "comment": [f"comment {i}" for i in range(n)],
            "Department": [f"team {i % 7}" for i in range(n)],
            "note": [f"free text {i}" for i in range(n)],  # no repeated values
            "Region": ["EU", "US"] * (n // 2),
        }
    )
    found = detect_columns(frame, exclude=("comment",))
    assert found.segments == ["Region"]
    assert list(found.near_segments) == ["Department"]
    chosen = choose_columns(frame, text_col="comment", detect=True)
    why = chosen.left_out["Department"]
    assert why.startswith("7 values over 40 rows") and "--segment-col Department" in why
    assert any(
        line.startswith("Segment column 'Department' left out: 7") for line in chosen.lines()
    )
    # Named: used, and nothing said.
    given = choose_columns(frame, text_col="comment", segment_cols=["Department"], detect=True)
    assert given.segment_cols == ("Department",) and not given.left_out


def test_fisher_p_is_twice_scipys_one_sided_test():
    from scipy.stats import fisher_exact

    from miner.insights import fisher_p

    # (group's theme comments, group size, all theme comments, all comments)
    for x, group, theme, total in [(34, 284, 81, 1641), (3, 250, 60, 2000), (12, 40, 15, 90)]:
        table = [[x, group - x], [theme - x, total - group - (theme - x)]]
        side = "greater" if x * total >= group * theme else "less"
        expected = min(1.0, 2 * fisher_exact(table, alternative=side).pvalue)
        assert fisher_p(x, total, theme, group) == pytest.approx(expected, rel=1e-9)


def test_drivers_effect_holds_co_mentioned_themes_apart():
    # Theme 0 is what customers hate; theme 1 is neutral but half of its comments also
    # mention theme 0; theme 2 is neutral and alone.
    rng = np.random.default_rng(5)
    sets = [[0]] * 800 + [[1]] * 500 + [[1, 0]] * 500 + [[2]] * 1000 + [[]] * 1200
    hated = np.array([0 in s for s in sets])
    nps = np.where(
        hated,
        rng.choice([2, 7, 10], size=len(sets), p=[0.8, 0.15, 0.05]),
        rng.choice([2, 7, 10], size=len(sets), p=[0.3, 0.4, 0.3]),
    )
    documents = pd.DataFrame(
        {
            "status": "ok",
            "theme_id": [s[0] if s else -1 for s in sets],
            "theme_ids": sets,
            "nps": nps,
        }
    )
    table = drivers(documents, "nps", "nps", n_boot=300, seed=2).set_index("theme_id")
    # Remove-and-recompute blames theme 1 for theme 0's comments...
    assert table.loc[1, "impact_high"] < 0
    assert table.loc[1, "comments"] == 1000
    # ...the multivariable effect does not: theme 1 scores like theme 2.
    assert abs(table.loc[1, "effect"] - table.loc[2, "effect"]) < 8
    assert table.loc[0, "effect"] < table.loc[2, "effect"] - 40
    assert list(table.index[:2]) == [0, 1] and table.loc[0, "rank"] == 1


def test_the_overall_score_carries_a_sign_only_for_nps():
    from miner.insights.views import overall_score

    assert overall_score({"score": {"score": -44.63}, "score_type": "nps"}) == "-44.6"
    assert overall_score({"score": {"score": 12.0}, "score_type": "nps"}) == "+12.0"
    assert overall_score({"score": {"score": 3.517}, "score_type": "csat"}) == "3.52"
    assert overall_score({"score": {"score": None}, "score_type": "rating"}) == "too few comments"


def test_a_review_pages_dates_are_read():
    # Amazon's own review export: "Reviewed in the United Kingdom on January 01, 2025"
    # had been refused as no dates (E108), and a run without trends.
    from miner.insights.columns import parse_dates

    values = pd.Series(
        [
            "Reviewed in the United Kingdom on January 01, 2025",
            "Reviewed in the United States on March 5, 2025",
            "Posted on 2025-02-03",
        ]
    )
    assert parse_dates(values).values.dt.strftime("%Y-%m-%d").tolist() == [
        "2025-01-01",
        "2025-03-05",
        "2025-02-03",
    ]


def test_steams_thumbs_are_the_score_and_its_helpfulness_is_not():
    # Steam's review export: "weighted_vote_score" (how helpful readers found a review,
    # 0-1) had been the score, every driver +0.00; "voted_up" (the thumbs) given as
    # the score had been 2,655 unreadable cells.
    from miner.insights.columns import score_type

    n = 60
    frame = pd.DataFrame(
        {
            "review": ["late game lag"] * n,
            "weighted_vote_score": [f"0.{i:02d}" for i in range(n)],
            "votes_up": list(range(n)),
            "voted_up": [True, False, True] * (n // 3),
        }
    )
    found = detect_columns(frame, exclude=("review",))
    assert found.score == "voted_up" and found.score_kind == "good_bad"
    assert score_type(frame["voted_up"].astype(str), "recommended")[0] == "good_bad"
    assert score_type(pd.Series(["true", "false", "true"]))[0] == "good_bad"
    assert set(parse_score(frame["voted_up"], "good_bad").values) == {0.0, 100.0}
    without = detect_columns(frame.drop(columns="voted_up"), exclude=("review",))
    assert without.score is None
    # Thumbs stored as 1/0, or written as a scraped page shows them.
    ones = frame.assign(voted_up=frame["voted_up"].astype(int))
    assert detect_columns(ones, exclude=("review",)).score_kind == "good_bad"
    written = frame.assign(
        voted_up=frame["voted_up"].map({True: "Recommended", False: "Not Recommended"})
    )
    assert detect_columns(written, exclude=("review",)).score_kind == "good_bad"


def test_a_good_bad_rating_is_a_score_of_the_share_rated_good():
    # Zendesk's ticket export: "Satisfaction Score" Good/Bad had been taken for a segment
    # of six values and the run had no score.
    from miner.insights.drivers import score_summary
    from miner.insights.views import overall_score

    n = 240
    ratings = np.tile(
        ["Good", "Bad", "Offered", "Good with comment", "Unoffered", "Good", "Bad with comment"],
        n // 7 + 1,
    )[:n]
    frame = pd.DataFrame(
        {
            "comment": ["refund is late"] * n,
            "Satisfaction Score": ratings,
            "Group": np.tile(["Tier 1", "Tier 2"], n // 2),
            "Churned": np.tile(["Yes", "No", "No"], n // 3),
        }
    )
    found = detect_columns(frame, exclude=("comment",))
    assert found.score == "Satisfaction Score" and found.score_kind == "good_bad"
    assert "Satisfaction Score" not in found.segments and "Churned" in found.segments
    parsed = parse_score(frame["Satisfaction Score"], "good_bad")
    # Offered / Unoffered: never answered, so no rating and not invalid.
    assert (
        parsed.invalid == 0
        and parsed.values.isna().sum()
        == (ratings == "Offered").sum() + (ratings == "Unoffered").sum()
    )
    assert set(parsed.values.dropna()) == {0.0, 100.0}
    # Read again (the run keeps the parsed values), the same figures.
    again = parse_score(parsed.values, "good_bad").values
    assert again.equals(parsed.values)
    assert parse_score(pd.Series(["Good", "meh", "👎"]), "good_bad").invalid == 1
    from miner.insights.columns import score_type

    assert score_type(pd.Series(["Yes", "No", "Yes"]), "Was this helpful?")[0] == "good_bad"
    # The summary is the share rated good, shown in %.
    documents = frame.assign(status="ok", theme_id=0, language="en", score=parsed.values)
    summary = score_summary(documents, "score", "good_bad")
    good = np.isin(ratings, ["Good", "Good with comment"]).sum()
    assert summary["score"] == pytest.approx(100 * good / parsed.values.notna().sum())
    shown = overall_score({"score": summary, "score_type": "good_bad"})
    assert shown == f"{summary['score']:.1f}%"
    # So is a period's (an engagement survey's waves), an NPS signed, a mean as it is.
    from types import SimpleNamespace

    from miner.insights.views import score_level

    def level(kind):
        return score_level(SimpleNamespace(meta={"score_type": kind}), 61.26, 55.0, 67.44)

    assert level("good_bad") == "61.3% [55.0%, 67.4%]"
    assert level("nps") == "+61.3 [+55.0, +67.4]"
    assert level("csat") == "61.26 [55.00, 67.44]"
    # A 0-1 mean's differences in thousandths: in hundredths every driver of a helper's
    # 0-1 score had read +0.00.
    from miner.insights.views import score_interval

    zero_one = SimpleNamespace(
        meta={"score_type": "numeric", "insights": {"drivers": {"score": {"score": 0.316}}}}
    )
    assert score_interval(zero_one, -0.0042, -0.009, 0.0011) == "-0.004 [-0.009, +0.001]"
    assert score_interval(SimpleNamespace(meta={"score_type": "numeric"}), 0.4) == "+0.40"


def test_written_five_point_answers_are_a_score_and_sort_in_their_order():
    # An engagement survey's Likert item given as the score had been 1,200 unreadable
    # cells; as a segment its answers sorted by the alphabet.
    from miner.insights.columns import score_type
    from miner.insights.segments import _codes

    answers = pd.Series(
        ["Strongly agree", "agree", "Neither agree nor disagree", "Disagree."]
        + ["Strongly disagree", None, "N/A", "banana"]
    )
    parsed = parse_score(answers, "rating")
    assert parsed.values.tolist()[:5] == [5.0, 4.0, 3.0, 2.0, 1.0]
    assert parsed.invalid == 1  # "banana"; "N/A" and the blank are no answer
    kind, why = score_type(answers.iloc[:5], "My workload is manageable")
    assert kind == "rating" and "(Strongly disagree ... Strongly agree)" in why
    fft = pd.Series(["Very good", "Good", "Poor", "Very poor"])
    assert "(Very poor ... Very good)" in score_type(fft, "Rating")[1]
    quality = parse_score(pd.Series(["Excellent", "Good", "Fair", "Poor", "Very poor"]), "csat")
    assert quality.values.tolist() == [5.0, 4.0, 3.0, 2.0, 1.0]
    # Each column on the one scale that holds its answers: the NHS Friends and Family
    # Test's "Very good" had been 4, as "Good", and "Neither good nor poor" blank.
    fft = ["Very good", "Good", "Neither good nor poor", "Poor", "Very poor", "Don't know"]
    assert parse_score(pd.Series(fft), "rating").values.tolist()[:5] == [5, 4, 3, 2, 1]
    # ... also when its lowest answers are missing (a checking helper's)
    fewer = pd.Series(["Very good", "Good", "Poor"])
    assert parse_score(fewer, "rating").values.tolist() == [5.0, 4.0, 2.0]
    graded = pd.Series(["Poor", "Fair", "Good", "Very good", "Excellent"])
    assert parse_score(graded, "rating").values.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    labels = _codes(pd.Series(["Agree", "Disagree", "Strongly agree", "Neutral"]))[1]
    assert labels.tolist() == ["Disagree", "Neutral", "Agree", "Strongly agree"]
    # Numbers stay numbers.
    assert parse_score(pd.Series(["4", "5"]), "rating").values.tolist() == [4.0, 5.0]


def test_net_sentiment_leaves_out_comments_without_one():
    from miner.insights.stats import net_sentiment, sentiment_signs

    # Belgium: two negative comments in English, two in French (no sentiment read).
    rows = pd.DataFrame({"sentiment": ["negative", "negative", None, None, "positive"]})
    signs = sentiment_signs(rows)
    net = net_sentiment(signs, np.array([0, 0, 0, 0, 1]), 3)
    assert net[0] == -100.0  # was -50: the French comments counted as neutral
    assert net[1] == 100.0 and np.isnan(net[2])
    assert np.isnan(net_sentiment(signs[2:4], np.array([0, 0]), 1)[0])


def test_a_numeric_segment_read_as_text_is_binned_and_values_sort_by_number():
    from miner.insights.columns import segment_values
    from miner.insights.segments import _codes

    # A CSV is read as text: tenure in months had 55 values ordered 0, 1, 10, 11, ...
    tenure = pd.Series([str(m) for m in range(60)] * 3 + ["", None])
    parsed, edges = segment_values(tenure, "tenure_months")
    assert len(edges) == 6  # five bands
    _, labels = _codes(parsed.values)
    assert labels.tolist() == ["<= 11.8", "(11.8, 23.6]", "(23.6, 35.4]", "(35.4, 47.2]", "> 47.2"]
    assert parsed.values.isna().sum() == 2
    # Codes with a leading zero stay categories; few numbers sort as numbers.
    assert segment_values(pd.Series(["02139", "10001"] * 20), "zip")[1] == ()
    assert _codes(pd.Series(["10", "2", "1"]))[1].tolist() == ["1", "2", "10"]
    sizes = pd.Series(["51-200", "1000+", "1-50", "201-1000"])
    assert _codes(sizes)[1].tolist() == ["1-50", "51-200", "201-1000", "1000+"]
    assert _codes(pd.Series(["Pro", "Basic"]))[1].tolist() == ["Basic", "Pro"]
    # An app's versions part by part: 3.10.0 had sorted before 3.9.0 (read as 3.1).
    versions = pd.Series(["4.10.0", "4.2.0", "3.9.0", "3.10.1", "4.1.0"])
    assert _codes(versions)[1].tolist() == ["3.9.0", "3.10.1", "4.1.0", "4.2.0", "4.10.0"]


def test_drivers_effect_holds_the_segments_fixed():
    # A 1-10 score: region B rates 2 points lower for reasons of its own, theme 0
    # costs 2 points, themes 1 and 2 nothing; theme 1 is four times as common in B, so
    # unadjusted it reads as a driver.
    rng = np.random.default_rng(11)
    n = 4000
    region = rng.choice(["A", "B"], size=n, p=[0.7, 0.3])
    theme = np.where(
        region == "B",
        rng.choice([0, 1, 2], size=n, p=[0.2, 0.6, 0.2]),
        rng.choice([0, 1, 2], size=n, p=[0.3, 0.15, 0.55]),
    )
    base = np.where(region == "B", 5.0, 7.0) - 2.0 * (theme == 0)
    rating = np.clip(np.round(base + rng.normal(0, 1.5, size=n)), 1, 10)
    documents = pd.DataFrame(
        {"status": "ok", "theme_id": theme, "theme_ids": [[t] for t in theme], "rating": rating}
    )
    documents["region"] = region

    def table(**held):
        found = drivers(documents, "rating", "numeric", n_boot=300, seed=4, **held)
        return found.set_index("theme_id")

    plain, held = table(), table(held=["region"])
    assert plain.loc[1, "effect_high"] < plain.loc[2, "effect_low"]  # blamed for region B
    # Held fixed, themes 1 and 2 rate alike, theme 0 about 2 points below them.
    assert held.loc[1, "effect_low"] < held.loc[2, "effect"] < held.loc[1, "effect_high"]
    assert held.loc[2, "effect"] - held.loc[0, "effect"] == pytest.approx(2.0, abs=0.2)
    # The impact is what it was (remove and recompute is descriptive).
    pd.testing.assert_series_equal(plain["impact"], held["impact"])
    # A missing segment value is a value of its own, not a dropped comment.
    documents.loc[:99, "region"] = None
    gaps = drivers(documents, "rating", "numeric", n_boot=0, held=["region"])
    assert gaps["comments"].sum() == n


def test_theme_shares_leave_out_comments_in_other_languages():
    # Comments in another language have no theme by design; counted in the base, a
    # country (or month) with many of them had looked as if it spoke less of every
    # theme, and every other country was flagged "over" (28 false flags on a worldwide
    # app's reviews); a month of new Spanish reviews had made every theme fade.
    rng = np.random.default_rng(5)
    english = pd.DataFrame(
        {
            "status": "ok",
            "theme_id": rng.permutation(np.repeat([0, 1, 2, -1], 100)),
            "language": "en",
            "country": np.tile(["US", "MX"], 200),
            "date": np.repeat(["2026-01-15", "2026-02-15"], 200),
        }
    )
    spanish = pd.DataFrame(
        {
            "status": "ok",
            "theme_id": -1,
            "language": "es",
            "country": "MX",
            "date": "2026-02-15",
        },
        index=range(300),
    )
    documents = pd.concat([english, spanish], ignore_index=True)
    documents["row_id"] = np.arange(len(documents))
    lifts = segments(documents, ["country"], min_n=10)
    assert not lifts["flagged"].any(), lifts[lifts["flagged"]]
    assert set(lifts["segment_comments"]) == {200}  # each country's English comments
    shares = trends(documents, "date", period="month", min_n=10)
    assert set(shares["period_comments"]) == {200}
    feb = shares[shares["period"] == "2026-02"].set_index("theme_id")["share"]
    jan = shares[shares["period"] == "2026-01"].set_index("theme_id")["share"]
    assert (abs(feb - jan) < 0.1).all()
    # Without a language column every analysed comment counts, as before.
    counted = segments(documents.drop(columns="language"), ["country"], min_n=10)
    assert sorted(set(counted["segment_comments"])) == [200, 500]


def test_drivers_leave_out_comments_in_other_languages():
    # A French review of the wifi has no theme by design: counted "without" the wifi
    # theme, it had diluted every impact (-1.81 where the English reviews give -1.99).
    rng = np.random.default_rng(8)
    wifi = rng.random(400) < 0.2
    english = pd.DataFrame(
        {
            "status": "ok",
            "theme_id": np.where(wifi, 0, 1),
            "language": "en",
            "nps": np.where(wifi, 2, 9),
        }
    )
    french = pd.DataFrame(
        {"status": "ok", "theme_id": -1, "language": "fr", "nps": np.tile([2, 9], 50)}
    )
    documents = pd.concat([english, french], ignore_index=True)
    documents["row_id"] = np.arange(len(documents))
    table = drivers(documents, "nps", "nps", n_boot=0).set_index("theme_id")
    alone = drivers(english.assign(row_id=np.arange(400)), "nps", "nps", n_boot=0)
    assert table.loc[0, "impact"] == pytest.approx(alone.set_index("theme_id").loc[0, "impact"])
    assert set(table["score_comments"]) == {400}
    from miner.insights.drivers import score_summary

    summary = score_summary(documents, "nps", "nps")
    assert summary["n"] == 400 and summary["in_english"]
    assert "in_english" not in score_summary(english, "nps", "nps")


def test_a_period_without_comments_is_no_comparison():
    # Two waves by quarter had counted the empty quarter among the "too few comments"
    # comparisons (40 of 61), and the trend tables had shown it so.
    rng = np.random.default_rng(3)
    documents = pd.DataFrame(
        {
            "row_id": range(400),
            "status": "ok",
            "theme_id": rng.integers(0, 3, 400),
            "date": ["2026-01-15"] * 200 + ["2026-03-15"] * 200,
        }
    )
    table = emerging(documents, "date", period="month", min_n=10)
    tested = table[table["comparison"] == "period"]
    assert set(tested["period"]) == {"2026-03"}  # February has no comment: no row
    shares = trends(documents, "date", period="month", min_n=10)
    february = shares[shares["period"] == "2026-02"]
    assert (february["period_comments"] == 0).all()


def test_amounts_written_as_exports_write_them_are_no_detected_segment():
    # "18,000" and "$1,200.00" had made a detected segment where plain numbers do not.
    n = 240
    frame = pd.DataFrame(
        {
            "comment": ["the export is slow"] * n,
            "mrr": ["18,000", "299", "49", "$1,200.00"] * (n // 4),
            "arr": ["40k", "12k", "1.5M", "900"] * (n // 4),
            "plain_mrr": ["18000", "299", "49", "1200"] * (n // 4),
            # a balance below zero as accounting writes it
            "balance": ["(1,200)", "340.00", "(75.50)", "-$40"] * (n // 4),
            "plan": ["Free", "Pro", "Team"] * (n // 3),
            # bands are values (in another order than the plans: not the same groups)
            "size": ["1-50", "51-200", "1,000+", "51-200"] * (n // 4),
        }
    )
    found = detect_columns(frame, exclude=("comment",))
    assert found.segments == ["plan", "size"]


def test_a_coded_survey_column_is_read_as_the_score_its_question_names(tmp_path):
    # Qualtrics' "Q1" is "How likely are you to recommend ...?" in its question row: it
    # had been no score, and its Q1_NPS_GROUP a segment.
    from miner.ingest import load_corpus
    from miner.insights.run import choose_columns

    rows = [
        "ResponseId,Q1,Q1_NPS_GROUP,Q2,country",
        'Response ID,"How likely are you to recommend Plano to a friend?",Q1 - NPS Group,'
        "Why did you give that score?,Country",
        '{"ImportId":"_recordId"},{"ImportId":"QID1"},{"ImportId":"QID1_NPS_GROUP"},'
        '{"ImportId":"QID2_TEXT"},{"ImportId":"country"}',
    ]
    for i in range(90):
        score = i % 11
        group = "Promoter" if score >= 9 else "Passive" if score >= 7 else "Detractor"
        rows.append(f"R_{i},{score},{group},the export to excel fails on report {i},DE")
    path = tmp_path / "qualtrics.csv"
    path.write_text("\n".join(rows) + "\n")
    corpus = load_corpus(path)
    chosen = choose_columns(corpus.frame, text_col=corpus.text_col, detect=True)
    assert (chosen.score_col, chosen.score_type) == ("Q1", "nps")
    assert "Q1_NPS_GROUP" not in chosen.segment_cols


def test_a_joined_text_columns_parts_are_no_segments_once_joined():
    # A churn survey's "cancel_reason+Anything else?": the frame a fit reads holds the
    # joined column beside its parts, and the coded reason had been a segment again and
    # held fixed in the drivers.
    from miner.ingest import with_joined_texts
    from miner.insights.run import choose_columns

    n = 60
    frame = pd.DataFrame(
        {
            "cancel_reason": ["Too expensive", "Missing features", "Other"] * (n // 3),
            "Anything else?": ["price doubled", "", "moving to xero"] * (n // 3),
            "plan": ["Starter", "Pro"] * (n // 2),
        }
    )
    joined = with_joined_texts(frame, "cancel_reason+Anything else?")
    chosen = choose_columns(joined, text_col="cancel_reason+Anything else?", detect=True)
    assert chosen.segment_cols == ("plan",)


def test_a_zero_to_ten_measure_named_for_something_else_is_no_nps():
    # A CSM's QBR notes: "health_score" 0-10 had been read as an NPS ("NPS -42.0").
    from miner.insights.columns import score_type

    values = pd.Series([0, 3, 9, 10, 7, 6])
    assert score_type(values, "health_score")[0] == "numeric"
    assert score_type(values, "Customer Effort Score")[0] == "numeric"
    assert score_type(values, "score")[0] == "nps"
    assert score_type(values, "How likely are you to recommend us?")[0] == "nps"
