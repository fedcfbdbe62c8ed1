"""Sentiment head: obvious cases, mixed comments, robustness, safe and fast loading."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from miner import encoder as encoder_module
from miner import runtime, sentences
from miner.errors import NotFitted
from miner.sentences import split_sentences
from miner.sentiment import DEFAULT_SENTIMENT_PATH, SentimentModel, net_sentiment

ROOT = Path(__file__).resolve().parents[1]
SAFE_SUFFIXES = {".onnx", ".json", ".npy", ".safetensors"}


@pytest.fixture(scope="module")
def sentiment_model() -> SentimentModel:
    return SentimentModel.load()


def scores(model: SentimentModel, texts: list[str]) -> np.ndarray:
    return model.predict(texts)["sentiment_score"].to_numpy()


def test_obvious_cases(sentiment_model):
    frame = sentiment_model.predict(
        [
            "crashes every time I open it",
            "love it",
            "This is the worst purchase I have ever made.",
            "Absolutely fantastic, works perfectly.",
        ]
    )
    assert frame["sentiment"].tolist() == ["negative", "positive", "negative", "positive"]


def test_mixed_comment_scores_below_pure_praise(sentiment_model):
    pure, mixed = scores(
        sentiment_model,
        ["I love it, it works great.", "I love it but sync is broken."],
    )
    assert mixed < pure - 0.3
    frame = sentiment_model.predict(["I love it but sync is broken."])
    sentence_scores = frame["sentence_scores"].iloc[0]
    # Two clauses, scored in context: the broken part is the more negative one, and the
    # comment as a whole is not called positive.
    assert len(sentence_scores) == 2
    assert sentence_scores[1] < sentence_scores[0]
    assert frame["sentiment"].iloc[0] != "positive"


def test_an_answer_that_only_names_a_topic_is_no_praise(sentiment_model):
    # "Price" as the reason for a score says what, not how: the network had read 33 of
    # 39 such answers positive, a detractor's "price" among the praise.
    from miner.kinds import analyse_feedback

    bare = ["price", "Price and support", "the price", "customer service", "Features."]
    said = ["Great support", "ease of use", "Price is way too high", "love the app!"]
    from miner.sentiment import is_bare_topic

    assert not is_bare_topic("price :)") and is_bare_topic("UI/UX")
    frame = analyse_feedback(bare + said, sentiment_model=sentiment_model)
    assert frame["sentiment"].tolist()[: len(bare)] == ["neutral"] * len(bare)
    assert (frame["sentiment_proba_positive"].iloc[: len(bare)] == 0).all()
    assert all(scores[0] <= 0.05 for scores in frame["sentence_scores"].iloc[: len(bare)])
    assert frame["sentiment"].tolist()[len(bare) :] == [
        "positive",
        "positive",
        "negative",
        "positive",
    ]
    assert "praise" not in frame["kind"].tolist()[: len(bare)]


def test_an_answer_that_only_names_a_trouble_is_a_complaint(sentiment_model):
    # "very late" as what went wrong: the network had read it +0.47 positive, and "late
    # delivery" and "confusing" neutral (a helper's food-delivery survey).
    from miner.kinds import analyse_feedback
    from miner.sentiment import is_bare_problem

    bare = ["very late", "super late", "late delivery", "Confusing.", "too small", "expensive"]
    said = ["never late", "late night delivery", "not slow", "on time", "Very late? No!"]
    assert not any(is_bare_problem(text) for text in said)
    frame = analyse_feedback(bare + said[:4], sentiment_model=sentiment_model)
    assert frame["sentiment"].tolist()[: len(bare)] == ["negative"] * len(bare)
    assert (frame["sentiment_proba_positive"].iloc[: len(bare)] == 0).all()
    assert all(scores[0] < 0 for scores in frame["sentence_scores"].iloc[: len(bare)])
    assert frame["kind"].tolist()[: len(bare)] == ["complaint"] * len(bare)
    assert frame["sentiment"].tolist()[-1] == "positive"  # "on time", left to the network


def test_praise_by_a_troubles_absence_is_praise(sentiment_model):
    # "No clicking noise at all": the network read the trouble's word (-0.79, and a bug);
    # a helper's theme "Clicking noise" of 168 such praises stood at -97.
    from miner.kinds import analyse_feedback
    from miner.sentiment import is_absent_trouble

    absent = [
        "No clicking noise at all when the heat kicks on.",
        "The camera is silent when it pans, no motor noise.",
        "no lag at all",
        "Not a single glitch in two months",
        # a trouble that never comes (real five-star reviews read negative)
        "Never lets me down.",
        "The driver is never late",
        "My dentist never keeps me waiting",  # a checking helper's
        "it never freezes anymore since 2.1",
    ]
    missing = [
        "There is no noise cancelling",
        "no lag but it crashes",
        "Theres no crash or anything, the video is replaced by an orange cone.",
        "I was under the impression that when I make transfers there is no fee.",
        "You promised no fees",  # a promise broken (Banking77), not praise
        # a feature or a reaction missing (a checking helper's doorbell)
        "no alert at all when someone rang the bell",
        "no bug fixes at all since march",
        "no noise suppression at all",
        "no crash reporting at all",
        "You advertise no fee when paying with a card then my statement shows a fee.",
        "Why is there no noise filter?",
        "I was never late on a payment",  # the writer's own, in a complaint
        "I hope you will never disappoint me",
        "never late fees",
    ]
    assert not any(is_absent_trouble(text) for text in missing)
    frame = analyse_feedback(absent + missing[:2], sentiment_model=sentiment_model)
    assert frame["sentiment"].tolist()[: len(absent)] == ["positive"] * len(absent)
    assert frame["kind"].tolist()[: len(absent)] == ["praise"] * len(absent)
    assert all(scores[0] > 0 for scores in frame["sentence_scores"].iloc[: len(absent)])
    assert frame["sentiment"].tolist()[len(absent) :] == ["negative", "negative"]


def test_words_marked_as_sarcasm_are_read_as_meant(sentiment_model):
    # "/s" ending a line and the eye roll: praise words, meant as the opposite (a helper's
    # thread: 25 of 35 such replies had been read positive, some as praise).
    from miner.kinds import analyse_feedback

    texts = [
        "Great, another update that breaks sync /s",
        "Awesome, the app is a blank screen on the subway. Amazing work 🙄",
        "Great update, sync is fast now",
        "I keep my files in /srv and /s is not a folder",
        "Switched from QuickBooks 🙄 to you and couldn't be happier",
        # The eye roll ending a sentence, another after it; "/s" after praise words
        # (the kind head had still read it as praise, and a secondary praise).
        "My favourite new feature is the token that expires every hour 🙄 Our CI broke.",
        "Love having to log in 14 times a day since 3.2. Really productive. /s 😅",
    ]
    frame = analyse_feedback(texts, sentiment_model=sentiment_model)
    assert frame["sentiment"].tolist()[:3] == ["negative", "negative", "positive"]
    assert frame["sentiment"].iloc[4] == "positive"  # that eye roll is at someone else
    assert frame["sentiment"].tolist()[5:] == ["negative", "negative"]
    kinds = frame["kind"].tolist()
    assert "praise" not in kinds[:2] + kinds[5:]
    assert "praise" not in frame["kind_secondary"].tolist()[5:]
    plain = SentimentModel.predict(sentiment_model, texts[2:])
    assert frame["sentiment_score"].tolist()[2:] == pytest.approx(plain["sentiment_score"].tolist())


def test_emoji_are_read_by_their_names(sentiment_model):
    # The word-piece vocabulary has no emoji: read as unknown tokens, these two would
    # score alike. Read as their names, they carry their tone.
    assert encoder_module.emoji_as_words("Loved it ❤️") == "Loved it  red heart "
    assert encoder_module.emoji_as_words("👍🏽 ok") == " thumbs up  ok"
    assert encoder_module.emoji_as_words("Café, a_b") == "Café, a_b"  # nothing else changes
    angry, loving = scores(sentiment_model, ["😡😡😡", "😍😍😍"])
    assert angry < -0.3 < 0.3 < loving
    frame = sentiment_model.predict(["Great app 👍. Crashes every day 😡"])
    assert frame["sentence_scores"].iloc[0][1] < 0 < frame["sentence_scores"].iloc[0][0]


def test_praise_built_from_a_word_of_pain_is_praise(sentiment_model):
    # The word pieces read the pain in "pain" + "##less": "The return process was
    # painless" had scored -0.63, "The app has been glitch-free" -0.80.
    assert encoder_module.network_text("Hassle-free returns, works seamlessly") == (
        "smooth returns, works smoothly"
    )
    assert encoder_module.network_text("painful, careless, sugar-free") == (
        "painful, careless, sugar-free"
    )
    praise = [
        "The return process was painless and I got a refund within days.",
        "Bluetooth pairing was effortless.",
        "The app has been glitch-free.",
        "Worry-free returns.",
    ]
    assert all(s > 0.3 for s in scores(sentiment_model, praise))
    assert scores(sentiment_model, ["Installation was not painless."])[0] < -0.3
    # ... and from a word of fault: "The ward was spotless" had scored -0.79 (a helper's
    # hospital survey's praise of cleaning read as complaints), "faultless service" -0.81.
    spotless = ["The ward was spotless", "faultless service", "rooms spotless"]
    assert all(s > 0.3 for s in scores(sentiment_model, spotless))
    denied = ["the bathroom was not spotless", "I'd hardly call it faultless"]
    assert all(s < -0.3 for s in scores(sentiment_model, denied))
    # ... and a fault from a word of praise: "The food was inedible." had scored +0.33.
    assert all(s < -0.3 for s in scores(sentiment_model, ["The food was inedible.", "INEDIBLE"]))


def test_handles_and_links_are_not_the_tone(sentiment_model):
    # A message to a company: whom it is addressed to and the link it carries are not
    # what it says, so they are not read (offsets and the text itself keep them).
    plain = "thanks for the quick response"
    addressed = "@AmericanAir thanks for the quick response https://t.co/abc123XyZ"
    assert encoder_module.network_text(addressed).split() == plain.split()
    assert encoder_module.network_text("mail me at ana@example.com") == "mail me at ana@example.com"
    score_plain, score_addressed = scores(sentiment_model, [plain, addressed])
    assert score_addressed == pytest.approx(score_plain, abs=1e-6)


def test_columns_range_and_order(sentiment_model):
    texts = ["Great service.", "Terrible, never again.", "It arrived on Tuesday.", "ok"] * 5
    frame = sentiment_model.predict(texts, batch_size=3)
    assert list(frame.columns[:2]) == ["sentiment", "sentiment_score"]
    assert "sentence_scores" in frame.columns
    assert len(frame) == len(texts)
    assert frame["sentiment_score"].between(-1, 1).all()
    probabilities = frame[[f"sentiment_proba_{c}" for c in ("negative", "neutral", "positive")]]
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    reversed_frame = sentiment_model.predict(texts[::-1], batch_size=7)
    np.testing.assert_allclose(
        reversed_frame["sentiment_score"].to_numpy()[::-1],
        frame["sentiment_score"].to_numpy(),
        atol=1e-5,
    )


def test_empty_garbage_and_very_long_text(sentiment_model):
    texts = ["", "   ", None, float("nan"), 12345, "!!!???", "zxqv blorp", "word " * 20_000]
    frame = sentiment_model.predict(texts)
    assert len(frame) == len(texts)
    assert frame["sentiment"].isin(["negative", "neutral", "positive"]).all()
    assert frame["sentiment_score"].between(-1, 1).all()
    for i in range(4):
        assert frame["sentiment"].iloc[i] == "neutral"
        assert frame["sentiment_score"].iloc[i] == 0.0
        assert frame["sentence_scores"].iloc[i] == []
    assert sentiment_model.predict([]).shape[0] == 0


def test_deterministic(sentiment_model):
    texts = ["Shipping was slow but the product is good.", "Meh."]
    first = sentiment_model.predict(texts)
    second = sentiment_model.predict(texts)
    pd.testing.assert_frame_equal(first, second)


def test_sentence_scores_stay_aligned_with_sentences_longer_than_a_chunk(sentiment_model):
    run_on = " ".join(["the bank feed keeps failing and I reconnect it every single day"] * 20)
    texts = [f"{run_on}. Otherwise a lovely app, thank you!", f"Great app. {run_on}"]
    scores = sentiment_model.predict(texts)["sentence_scores"].tolist()
    # One score per sentence even though the long one is read in several pieces.
    assert [len(s) for s in scores] == [len(split_sentences(t)) for t in texts] == [2, 2]
    assert scores[0][0] < 0 < scores[0][1]
    assert scores[1][1] < 0


def test_split_sentences():
    assert split_sentences("love it but X is broken") == ["love it", "but X is broken"]
    assert split_sentences("Great. Fast!\nWould buy again") == [
        "Great.",
        "Fast!",
        "Would buy again",
    ]
    # "even though" is one marker (a helper's complaints had pieces ending "... even").
    assert split_sentences("a late fee of $108 even though I paid, though late") == [
        "a late fee of $108",
        "even though I paid",
        "though late",
    ]
    assert split_sentences("") == []
    assert split_sentences(None) == []
    assert len(split_sentences("Yes. " * 500)) == sentences.MAX_SEGMENTS


def test_load_is_the_constructor_and_params_are_stored_as_given(sentiment_model):
    assert not hasattr(SentimentModel, "fit")  # weights are trained elsewhere, never here
    assert sentiment_model.get_params() == {"path": None, "batch_size": 256, "threads": None}
    with pytest.raises(NotFitted, match="E106"):
        SentimentModel().predict(["works"])


def test_net_sentiment():
    assert net_sentiment(["positive", "positive", "negative", "neutral"]) == 25.0
    assert net_sentiment(["negative", None, float("nan")]) == -100.0
    assert net_sentiment([]) == 0.0


def test_shipped_files_are_safe_formats():
    files = [p for p in DEFAULT_SENTIMENT_PATH.iterdir() if p.is_file()]
    assert files, "no shipped sentiment model"
    assert {p.suffix for p in files} <= SAFE_SUFFIXES
    model_file = DEFAULT_SENTIMENT_PATH / "model.onnx"
    assert model_file.stat().st_size <= 30_000_000
    # A pickle starts with the PROTO opcode 0x80; an ONNX protobuf never does.
    assert model_file.read_bytes()[:1] != b"\x80"


def test_loading_never_unpickles_and_is_fast(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a model file was unpickled")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    if "torch" in sys.modules:  # loaded by other tests; never needed here
        monkeypatch.setattr(sys.modules["torch"], "load", refuse)
    monkeypatch.setattr(encoder_module, "_ENCODERS", {})
    monkeypatch.setattr(runtime, "_SESSIONS", {})
    # Load time ("well under a second") is measured by bench/score_speed.py, not here.
    model = SentimentModel.load()
    assert model.predict(["works"])["sentiment"].iloc[0] in {"positive", "neutral"}


def test_runtime_needs_no_torch():
    # The shipped heads run on onnxruntime + tokenizers + numpy; torch is for training.
    code = (
        "import sys; from miner.kinds import analyse_feedback; "
        "frame = analyse_feedback(['please add dark mode']); "
        "assert 'torch' not in sys.modules, 'torch was imported'; "
        "print(frame['kind'].iloc[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "feature_request"


@pytest.mark.shared_data
def test_dynasent_sample_beats_chance_by_far(sentiment_model, shared_data):
    from sklearn.metrics import f1_score

    frame = pd.read_csv(shared_data / "dynasent" / "test.csv").sample(n=300, random_state=1)
    predicted = sentiment_model.predict(frame["text"].tolist())["sentiment"]
    assert f1_score(frame["label"], predicted, average="macro") > 0.6


def test_praise_for_one_more_trouble_or_for_waiting_is_sarcasm(sentiment_model):
    # A helper's tweets: 201 of 296 sarcastic ones ("great, another outage 🙃") had been
    # read positive, outage and fee themes at +66 to +74.
    from miner.kinds import analyse_feedback
    from miner.sentiment import SARCASM

    meant = [
        "great, another outage 🙃",
        "Awesome, another app crash today",
        "Nice. Yet another hidden fee on my statement",
        "love waiting 45 mins on hold",
        # a helper's gaming reviews
        "amazing, another server outage",
        "great, another patch that breaks fps",
        "love getting kicked mid match",
    ]
    frame = analyse_feedback(meant, sentiment_model=sentiment_model)
    assert "positive" not in frame["sentiment"].tolist()
    assert "praise" not in frame["kind"].tolist()
    praise = [
        "Thanks, another great update!",
        "Great app, another update soon please",
        "I love the new update",
        "great customer service, another happy year",
        "Super, another fee refunded within minutes",  # a trouble undone
        "one more fee-free month, thanks!",
        "Amazing, another update that fixes the sync",
        "great, another update that adds dark mode",
        "Amazing, one more update that breaks records",
    ]
    assert not any(SARCASM.search(text) for text in praise)
