"""Scoring new data flags comments far from every theme and says when to refit."""

from __future__ import annotations

import pandas as pd
import pytest

from miner import FeedbackMiner
from miner.batch import score_file

MISSING = ("Bank sync failures", "Invoice export")


@pytest.mark.slow
def test_unseen_themes_are_flagged_and_named(demo_frames, tmp_path):
    feedback, truth = demo_frames
    seen = ~truth["theme"].isin(MISSING)
    miner = FeedbackMiner(seed=1, per_document=False)
    miner.fit(feedback[seen], text_col="comment")
    miner.save(tmp_path / "model")
    source = tmp_path / "new.csv"
    feedback.to_csv(source, index=False)
    said: list[str] = []
    rows = score_file(
        source,
        tmp_path / "scored.parquet",
        model=tmp_path / "model",
        text_col="comment",
        say=said.append,
    )
    assert rows == len(feedback)
    scored = pd.read_parquet(tmp_path / "scored.parquet")
    analysed = scored["status"].isin(["ok", "duplicate"])
    novel_new = scored.loc[analysed & ~seen, "theme_novel"].mean()
    novel_old = scored.loc[analysed & seen & (truth["theme"] != "none"), "theme_novel"].mean()
    assert novel_new > 0.5 > 0.1 > novel_old
    summary = "\n".join(said)
    assert "refit the model" in summary
    new_clusters = summary.split("New topics")[1].lower()
    assert "bank" in new_clusters or "sync" in new_clusters
    assert "export" in new_clusters or "invoice" in new_clusters


@pytest.mark.slow
def test_familiar_data_needs_no_refit(demo_frames, tmp_path):
    feedback, _ = demo_frames
    part = feedback.head(600)
    miner = FeedbackMiner(seed=1, per_document=False).fit(part, text_col="comment")
    miner.save(tmp_path / "model")
    source = tmp_path / "same.csv"
    part.to_csv(source, index=False)
    said: list[str] = []
    score_file(source, tmp_path / "out.csv", model=tmp_path / "model", say=said.append)
    assert "far from every theme" in said[-1]
    assert not any("refit" in line for line in said)


@pytest.mark.slow
def test_new_topics_of_a_large_file_come_from_a_sample_with_sizes_scaled(demo_frames):
    """Beyond ``keep`` novel comments the clustering runs on a seeded sample (bounded
    memory at the end of a large `miner score`); topic sizes are scaled estimates."""
    from miner.novel import NoveltyWatch

    feedback, truth = demo_frames
    seen = ~truth["theme"].isin(MISSING)
    miner = FeedbackMiner(seed=1, per_document=False)
    miner.fit(feedback[seen], text_col="comment")
    documents = miner.transform(feedback, text_col="comment")
    documents["comment"] = feedback["comment"].to_numpy()
    whole, sampled = NoveltyWatch(), NoveltyWatch(keep=60)
    for watch in (whole, sampled):
        watch.add(documents, "comment")
    full, estimated = whole.new_topics(miner), sampled.new_topics(miner)
    assert whole.payload(full)["clustered"] > 60 == sampled.payload(estimated)["clustered"]
    assert full and estimated
    # The largest topic's size from 60 comments is an estimate of the full count.
    assert 0.5 < estimated[0]["comments"] / full[0]["comments"] < 1.5
    assert estimated[0]["share"] == estimated[0]["comments"] / sampled.analysed
    assert any("sample of 60" in line for line in sampled.summary(estimated))
    assert not any("sample of" in line for line in whole.summary(full))


def test_the_summary_says_which_themes_took_comments_far_from_every_theme():
    from miner.novel import NoveltyWatch

    documents = pd.DataFrame(
        {
            "row_id": range(6),
            "status": ["ok"] * 6,
            "theme_id": [0, 0, 1, -1, 0, 1],
            "theme_label": ["Export", "Export", "Billing", None, "Export", "Billing"],
            "theme_novel": [True, True, True, True, False, False],
            "comment": ["ai one", "ai two", "co2 report", "?", "export", "bill"],
        }
    )
    watch = NoveltyWatch()
    watch.add(documents.iloc[:3], "comment")
    watch = NoveltyWatch().restore(watch.state())  # a resumed score carries the counts
    watch.add(documents.iloc[3:], "comment")
    first = watch.summary([])[0]
    assert first.startswith("4 comments (66.7%) are far from every theme; 3 of them still")
    assert "(most: Export 2, Billing 1)" in first and "theme_novel" in first
