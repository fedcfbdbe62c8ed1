"""The sentiment model's training data: what it reads, and that the holdouts stay out."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "models"))

import sentiment_data  # noqa: E402

from miner.encoder import network_text  # noqa: E402

pytestmark = pytest.mark.shared_data
EMOJI = "\u2764|\U0001f44d"  # heavy black heart (red heart), thumbs up


def test_app_reviews_train_on_the_dev_apps_only_balanced_with_emoji_by_name(shared_data):
    pytest.importorskip("torch")  # the training script's own dependency
    import train_sentiment

    frame = train_sentiment.training_frame(app_reviews_per_class=50)
    apps = frame[frame["source"] == "app_reviews"]
    assert apps["label"].value_counts().to_dict() == {label: 50 for label in sentiment_data.LABELS}
    # Compared as read (emoji by name); UCI has "Works great." too: not a leak.
    held_out = {network_text(t) for t in sentiment_data.app_reviews("holdout")["text"]}
    assert not held_out & set(apps["text"])
    # Read as the encoder reads them at run time: no emoji left, their names instead.
    assert not frame["text"].str.contains(EMOJI, regex=True).any()
    assert apps["text"].str.contains("red heart|thumbs up", regex=True).any()
    without = train_sentiment.training_frame(app_reviews_per_class=0)
    assert "app_reviews" not in set(without["source"])
    assert len(without) == len(frame) - len(apps)


def test_balanced_takes_at_most_so_many_of_each_label_and_is_seeded(shared_data):
    dev = sentiment_data.app_reviews("dev")
    first = sentiment_data.balanced(dev, 300)
    counts = first["label"].value_counts().to_dict()
    assert counts == {label: 300 for label in sentiment_data.LABELS}
    assert first.equals(sentiment_data.balanced(dev, 300))
    everything = sentiment_data.balanced(dev, 10**6)
    assert len(everything) == len(dev)


def test_distillation_texts_are_neither_trained_nor_held_out(shared_data):
    """--distill-extra: unlabelled clothing reviews of the training part outside the
    balanced sample and the validation sample; dev-app reviews outside the per-class
    sample; never a held-out text."""
    pytest.importorskip("torch")
    import train_sentiment

    extra = set(
        train_sentiment.extra_texts(200, clothing_per_class=1500, app_reviews_per_class=600)
    )
    assert 300 <= len(extra) <= 400
    sample, validation = sentiment_data.clothing_train_and_validation(per_class=1500)
    _, clothing_held_out = sentiment_data.clothing()
    apps = sentiment_data.app_reviews("dev")
    for frame in (sample, validation, clothing_held_out, sentiment_data.balanced(apps, 600)):
        assert not extra & {network_text(text) for text in frame["text"]}
    held_out_apps = {network_text(t) for t in sentiment_data.app_reviews("holdout")["text"]}
    assert not extra & held_out_apps
