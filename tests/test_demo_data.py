"""The demo corpus generator (data/make_demo.py): determinism, shape and planted truth."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "data" / "make_demo.py"
FEEDBACK_COLUMNS = [
    "response_id",
    "customer_id",
    "submitted_at",
    "plan",
    "region",
    "channel",
    "nps",
    "comment",
]
TRUTH_COLUMNS = ["response_id", "theme", "sentiment", "kind", "job_id", "job_motivation"]
KINDS = {"bug", "feature_request", "complaint", "praise", "question", "other"}
SENTIMENTS = {"negative", "neutral", "positive"}


def _load_generator():
    # data/ is not a package; register the module so dataclasses can resolve it.
    spec = importlib.util.spec_from_file_location("make_demo", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_demo"] = module
    spec.loader.exec_module(module)
    return module


make_demo_module = _load_generator()


@pytest.fixture(scope="module")
def demo() -> tuple[pd.DataFrame, pd.DataFrame]:
    return make_demo_module.make_demo()


@pytest.fixture(scope="module")
def joined(demo) -> pd.DataFrame:
    feedback, truth = demo
    return feedback.merge(truth, on="response_id", validate="one_to_one")


def test_every_planted_kind_has_fragments_to_write_it():
    for theme in make_demo_module.THEMES:
        assert set(theme.kinds) <= KINDS, theme.name
        for kind in theme.kinds:
            pool = getattr(theme, make_demo_module.KIND_POOL[kind])
            assert pool, f"{theme.name}: no fragments for kind {kind}"
        assert set(theme.short_generic) <= set(make_demo_module.SHORT_FRAMES), theme.name
        assert theme.subjects and (theme.details or theme.facts), theme.name


def test_same_seed_gives_identical_frames_and_other_seed_differs():
    first = make_demo_module.make_demo(rows=400, seed=3)
    second = make_demo_module.make_demo(rows=400, seed=3)
    other = make_demo_module.make_demo(rows=400, seed=4)
    pd.testing.assert_frame_equal(first[0], second[0])
    pd.testing.assert_frame_equal(first[1], second[1])
    assert not first[0]["comment"].equals(other[0]["comment"])
    assert not first[1]["theme"].equals(other[1]["theme"])


def test_default_row_count_and_rows_argument(demo):
    feedback, truth = demo
    assert len(feedback) == len(truth) == 3000
    small_feedback, small_truth = make_demo_module.make_demo(rows=250)
    assert len(small_feedback) == len(small_truth) == 250


def test_columns_and_value_ranges(demo):
    feedback, truth = demo
    assert list(feedback.columns) == FEEDBACK_COLUMNS
    assert list(truth.columns) == TRUTH_COLUMNS
    assert feedback["response_id"].str.fullmatch(r"R\d{5}").all()
    assert feedback["nps"].between(0, 10).all()
    assert set(feedback["plan"]) == {"free", "starter", "pro", "business"}
    assert set(feedback["channel"]) == {
        "survey",
        "app_review",
        "support_ticket",
        "community",
        "advisory_council",
    }
    dates = pd.to_datetime(feedback["submitted_at"], format="%Y-%m-%d")
    assert dates.min() >= pd.Timestamp("2025-12-01")
    assert dates.max() <= pd.Timestamp("2026-11-30")
    assert dates.dt.to_period("M").nunique() == 12
    assert dates.is_monotonic_increasing


def test_truth_is_aligned_one_to_one_with_feedback(demo):
    feedback, truth = demo
    assert feedback["response_id"].is_unique
    assert feedback["response_id"].tolist() == truth["response_id"].tolist()


def test_customers_answer_several_times_with_a_stable_segment(demo):
    feedback, _ = demo
    n_customers = feedback["customer_id"].nunique()
    assert 0.6 * len(feedback) <= n_customers <= 0.72 * len(feedback)
    per_customer = feedback.groupby("customer_id")
    assert (per_customer["plan"].nunique() == 1).all()
    assert (per_customer["region"].nunique() == 1).all()


def test_many_uneven_themes(demo):
    _, truth = demo
    sizes = truth.loc[truth["theme"] != "none", "theme"].value_counts()
    assert len(sizes) >= 12
    assert sizes.iloc[0] / sizes.iloc[-1] >= 5
    assert 0.13 <= sizes.iloc[0] / len(truth) <= 0.20
    assert (sizes / len(truth) < 0.03).sum() >= 3


def test_noise_rows_and_planted_duplicates(joined):
    noise = joined[joined["theme"] == "none"]
    assert 0.03 <= len(noise) / len(joined) <= 0.07
    assert (noise["comment"] == "").any()
    assert (noise["comment"].str.strip() == "").sum() > (noise["comment"] == "").sum()
    assert noise["comment"].str.fullmatch(r"\d+(/10)?").any()
    assert noise["comment"].str.lower().isin(["n/a", "-", "no comment", "asdf"]).any()

    themed = joined[joined["theme"] != "none"]
    repeated = themed[themed["comment"].duplicated(keep=False)]
    assert 0.01 <= themed["comment"].duplicated().sum() / len(joined) <= 0.05
    # A duplicate is the same words from different customers, always within one theme.
    assert (repeated.groupby("comment")["customer_id"].nunique() > 1).any()
    assert (repeated.groupby("comment")["theme"].nunique() == 1).all()
    # Otherwise the text is varied, not a template dump.
    assert themed["comment"].nunique() / len(themed) >= 0.9


def test_mobile_crashes_grow_after_the_release_and_slowness_fades(joined):
    month = pd.to_datetime(joined["submitted_at"]).dt.to_period("M")
    share = pd.crosstab(month, joined["theme"], normalize="index")
    crashes = share["Mobile app crashes"]
    before = crashes[crashes.index <= pd.Period("2026-05")].mean()
    after = crashes[crashes.index >= pd.Period("2026-07")].mean()
    assert after >= 2 * before
    slow = share["Slow performance"]
    assert slow.iloc[:3].mean() >= 2 * slow.iloc[-3:].mean()


def test_every_kind_and_sentiment_appears(demo):
    _, truth = demo
    assert set(truth["kind"]) == KINDS
    assert set(truth["sentiment"]) == SENTIMENTS
    themed = truth[truth["theme"] != "none"]
    assert (themed["kind"].value_counts() >= 100).all()


def test_jobs_are_planted_with_one_motivation_each(demo):
    _, truth = demo
    with_job = truth[truth["job_id"] != ""]
    assert with_job["job_id"].nunique() >= 10
    assert 0.2 <= len(with_job) / len(truth) <= 0.3
    assert (with_job.groupby("job_id")["job_motivation"].nunique() == 1).all()
    assert (with_job["job_motivation"] != "").all()
    assert (truth.loc[truth["job_id"] == "", "job_motivation"] == "").all()
    assert (with_job["theme"] != "none").all()


def test_job_motivations_are_written_in_many_ways(joined):
    export_job = joined[joined["job_id"] == "J01"]
    canonical = export_job["comment"].str.lower().str.contains("export all invoices at once")
    assert len(export_job) >= 50
    assert 0 < canonical.mean() < 0.5


def test_nps_follows_sentiment(joined):
    mean_nps = joined.groupby("sentiment")["nps"].mean()
    assert mean_nps["negative"] + 2 < mean_nps["neutral"] < mean_nps["positive"] - 1
    negative = joined.loc[joined["sentiment"] == "negative", "nps"]
    positive = joined.loc[joined["sentiment"] == "positive", "nps"]
    assert (negative <= 6).mean() >= 0.8
    assert (positive >= 9).mean() >= 0.7


def test_segments_skew_by_theme(joined):
    business = joined["plan"] == "business"
    permissions = joined["theme"] == "Team permissions"
    assert business[permissions].mean() >= 2 * business.mean()
    app_review = joined["channel"] == "app_review"
    crashes = joined["theme"] == "Mobile app crashes"
    assert app_review[crashes].mean() >= 2 * app_review.mean()


def test_main_writes_both_files(tmp_path, capsys):
    out = tmp_path / "demo"
    assert make_demo_module.main(["--out", str(out), "--rows", "120", "--seed", "5"]) == 0
    printed = capsys.readouterr().out
    assert "120" in printed and "feedback.csv" in printed
    feedback = pd.read_csv(out / "feedback.csv", keep_default_na=False)
    truth = pd.read_csv(out / "truth.csv", keep_default_na=False)
    assert list(feedback.columns) == FEEDBACK_COLUMNS
    assert list(truth.columns) == TRUTH_COLUMNS
    assert len(feedback) == len(truth) == 120
    expected_feedback, expected_truth = make_demo_module.make_demo(rows=120, seed=5)
    assert feedback["comment"].tolist() == expected_feedback["comment"].tolist()
    assert truth["theme"].tolist() == expected_truth["theme"].tolist()

    first_bytes = (out / "feedback.csv").read_bytes()
    make_demo_module.main(["--out", str(out), "--rows", "120", "--seed", "5"])
    assert (out / "feedback.csv").read_bytes() == first_bytes
