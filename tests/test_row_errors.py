"""A stage failing on one row marks that row `error`; every other row is analysed."""

from __future__ import annotations

import pandas as pd
import pytest

from miner import FeedbackMiner
from miner.jobs import JobExtractor

BAD = "BOOM this comment breaks the job extractor"


@pytest.fixture
def broken_extractor(monkeypatch):
    real = JobExtractor.extract

    def extract(self, texts, *args, **kwargs):
        if any("BOOM" in t for t in texts):
            raise RuntimeError("cannot parse this text")
        return real(self, texts, *args, **kwargs)

    monkeypatch.setattr(JobExtractor, "extract", extract)


@pytest.mark.slow
def test_a_failing_row_gets_status_error_and_the_rest_are_analysed(demo_frames, broken_extractor):
    feedback, _ = demo_frames
    texts = feedback["comment"].fillna("").head(80).tolist()
    texts[10] = BAD
    texts[40] = BAD.upper()  # same text once normalised: a duplicate of row 10
    miner = FeedbackMiner(seed=0).fit(texts)
    docs = miner.documents_
    assert docs.loc[10, "status"] == "error"
    assert "analysis failed: RuntimeError: cannot parse this text" in docs.loc[10, "error"]
    assert docs.loc[40, "status"] == "error" and "row 10" in docs.loc[40, "error"]
    others = docs.drop(index=[10, 40])
    assert (others["status"] != "error").all() and others["error"].isna().all()
    analysed = others["status"].isin(["ok", "duplicate"])
    assert others.loc[analysed, "sentiment"].notna().all()
    assert docs.loc[[10, 40], "sentiment"].isna().all()
    assert (docs.loc[[10, 40], "theme_id"] == -1).all()
    # The failed row is not counted as an analysed comment anywhere.
    assert miner.themes_["comments"].sum() == analysed.sum()

    scored = miner.transform(["the bank feed stopped syncing", BAD, "please add dark mode"])
    assert scored["status"].tolist() == ["ok", "error", "ok"]
    assert scored.loc[[0, 2], "kind"].notna().all() and pd.isna(scored.loc[1, "kind"])
    assert scored.loc[1, "error"].startswith("analysis failed")


def test_score_marks_the_failing_row_and_counts_it(broken_extractor, cli, tmp_path):
    source = tmp_path / "answers.csv"
    comments = ["the bank feed stopped syncing", BAD, "", "please add dark mode"]
    pd.DataFrame({"comment": comments}).to_csv(source, index=False)
    code, _, err = cli("score", source, "--out", tmp_path / "scored.csv")
    assert code == 0, err
    scored = pd.read_csv(tmp_path / "scored.csv")
    assert scored["status"].tolist() == ["ok", "error", "empty", "ok"]
    assert scored.loc[1, "comment"] == BAD and scored.loc[1, "error"].startswith("analysis failed")
    assert "analysed 2 (ok 2, empty 1, error 1)" in err
    assert "1 row could not be analysed" in err
