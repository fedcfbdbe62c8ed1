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
    # A topic's size counts comments, its texts' duplicates too (a subject said in 4,331
    # rows in 111 wordings had been "111 comments (0.1%)"): each of its texts said twice
    # more adds two comments each.
    novel = documents[documents["theme_novel"] & (documents["status"] == "ok")]
    again = pd.concat([documents, *[novel.assign(status="duplicate")] * 2], ignore_index=True)
    thrice = NoveltyWatch()
    thrice.add(again, "comment")
    tripled = thrice.new_topics(miner)
    assert [t["label"] for t in tripled] == [t["label"] for t in full]
    assert [t["comments"] for t in tripled] == [t["comments"] + 2 * len(t["row_ids"]) for t in full]
    assert all(t["comments"] >= len(t["row_ids"]) for t in full)
    assert tripled[0]["share"] == tripled[0]["comments"] / thrice.read


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


def test_the_summary_says_how_many_comments_are_in_other_languages():
    # A month of 140 of 180 comments in other languages had said only "0 comments
    # (0.0%) are far from every theme", which reads as "everything fits".
    from miner.novel import NoveltyWatch

    documents = pd.DataFrame(
        {
            "row_id": range(8),
            "status": ["ok"] * 8,
            "language": ["en", "en", "en", "en", "tr", "tr", "pl", "en"],
            "theme_id": [0, 0, -1, 0, -1, -1, -1, 0],
            "theme_label": ["Export", "Export", None, "Export", None, None, None, "Export"],
            "theme_novel": [False, False, True, False, False, False, False, False],
            "comment": ["a", "b", "c", "d", "e", "f", "g", "h"],
        }
    )
    watch = NoveltyWatch()
    watch.add(documents.iloc[:5], "comment")
    watch = NoveltyWatch().restore(watch.state())  # a resumed score carries the counts
    watch.add(documents.iloc[5:], "comment")
    lines = watch.summary([])
    assert lines[0].startswith("3 of 8 analysed comments are in other languages (tr 2, pl 1)")
    assert lines[1].startswith("1 comment (20.0% of the 5 in English) is far from every theme")
    payload = watch.payload([])
    assert payload["other_languages"] == {"tr": 2, "pl": 1}
    assert payload["analysed"] == 8 and payload["novel_share"] == pytest.approx(0.2)
    assert payload["english"] == 5
    # A batch all in other languages compares nothing with the themes, and says so.
    foreign = NoveltyWatch()
    foreign.add(documents.iloc[4:7], "comment")
    assert foreign.summary([])[1] == "No comment is in English: none is compared with the themes"


@pytest.fixture(scope="module")
def without_missing(demo_frames):
    """A model fitted on the demo without its bank-sync and invoice-export comments."""
    feedback, truth = demo_frames
    seen = ~truth["theme"].isin(MISSING)
    miner = FeedbackMiner(seed=1, per_document=False)
    miner.fit(feedback[seen].head(1200), text_col="comment")
    return miner, feedback, truth


def test_a_comment_combining_known_themes_is_no_new_topic(without_missing):
    from miner.novel import explained_by_sentences
    from miner.sentences import split_sentences

    miner, feedback, truth = without_missing

    def short(theme: str) -> list[str]:  # comments of one sentence about the theme
        texts = feedback.loc[truth["theme"].eq(theme), "comment"].tolist()
        return [t for t in texts if len(split_sentences(t)) == 1][:5]

    known, other = short("Mobile app crashes"), short("Pricing and plans")
    encode, model = miner._embedder().encode, miner.theme_model_
    bank = feedback.loc[truth["theme"].eq(MISSING[0]), "comment"].tolist()[:60]
    _, _, nearest = model.transform(encode(bank), return_nearest=True)
    # Clearly far from every training comment: what no known theme says.
    new = [t for t, n in zip(bank, nearest, strict=True) if n < model.novelty_threshold_ - 0.1]
    new = [t for t in new if len(split_sentences(t)) == 1][:5]
    texts = [f"{a.rstrip('.!')}. Also, {b}" for a, b in zip(known, other, strict=True)]
    texts += [f"{a.rstrip('.!')}. Also, {b}" for a, b in zip(known, new, strict=True)]
    texts += ["Ugh. " + known[0]]  # one sentence with a topic: not a combination
    explained = explained_by_sentences(texts, model, encode)
    assert explained[:5].sum() >= 4  # two known themes (one may hold a far filler)
    assert not explained[5:10].any()  # a known theme and a new one
    assert not explained[10]

    # The same joined in a lower-case run-on line by "also" (a night's false new topic
    # had been 18 such lines of two known issues); "it also ..." joins nothing.
    def run_on(a: str, b: str) -> str:
        return f"{a.rstrip('.!').lower()} also {b[0].lower()}{b[1:].rstrip('.!')}"

    lines = [run_on(a, b) for a, b in zip(known, other, strict=True)]
    lines += [run_on(a, b) for a, b in zip(known, new, strict=True)]
    explained = explained_by_sentences(lines, model, encode)
    assert explained[:5].sum() >= 4 and not explained[5:10].any(), lines
    # Narrative sentences ("I'm a freelance translator.") are far from every comment:
    # a comment holding one is not called a combination of known themes (never hides
    # a new topic; may leave a combination in).
