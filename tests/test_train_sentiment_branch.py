"""models/train_sentiment.py: --train-top trains only the top layers and the head;
--kind-weight adds the kind rows and their loss."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "models"))


def _tiny_net(vocab_size: int = 50, kind_outputs: int = 0):
    """A six-layer BERT of width 16 in the training script's network (seeded)."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    import train_sentiment

    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=vocab_size,
        hidden_size=16,
        num_hidden_layers=6,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
    )
    model = train_sentiment.SentimentNet(transformers.BertModel(config), kind_outputs=kind_outputs)
    return torch, train_sentiment, model


def test_a_training_step_changes_only_the_top_layers_and_the_head():
    torch, train_sentiment, model = _tiny_net()
    train_sentiment.freeze_lower(model, 2)
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.SGD(trainable, lr=0.5)
    ids = torch.randint(1, 50, (4, 8))
    logits, _, _, _ = model(ids, torch.ones_like(ids), torch.zeros_like(ids))
    torch.nn.functional.cross_entropy(logits, torch.tensor([0, 1, 2, 0])).backward()
    optimiser.step()
    changed = {n for n, p in model.named_parameters() if not torch.equal(p, before[n])}
    assert changed, "nothing learned"
    for name in changed:
        assert name.startswith(("head.", "encoder.encoder.layer.4.", "encoder.encoder.layer.5.")), (
            name
        )
    assert any(name.startswith("encoder.encoder.layer.4.") for name in changed)
    assert any(name.startswith("head.") for name in changed)


def test_train_top_zero_trains_everything_and_out_of_range_is_refused():
    _, train_sentiment, model = _tiny_net()
    train_sentiment.freeze_lower(model, 0)
    assert all(p.requires_grad for p in model.parameters())
    with pytest.raises(SystemExit, match="--train-top"):
        train_sentiment.freeze_lower(model, 7)


def test_kind_rows_join_the_sentiment_rows_and_train_the_kind_head():
    """--kind-weight: rows without a sentiment label train only the kind head's loss."""
    import argparse

    import numpy as np
    import pandas as pd

    torch, train_sentiment, model = _tiny_net(vocab_size=30522, kind_outputs=2)  # real ids

    sentiment = pd.DataFrame(
        {
            "text": ["great app", "it crashes", "fine", "please add maps"],
            "label": ["positive", "negative", "neutral", "neutral"],
            "source": "test",
        }
    )
    kinds = pd.DataFrame(
        {
            "text": ["it crashes", "add a dark mode", "sync fails every time"],
            "bug": [1.0, 0.0, 1.0],
            "feature_request": [0.0, 1.0, 0.0],
        }
    )
    frame = train_sentiment.with_kind_rows(sentiment, kinds)
    assert len(frame) == 6  # "it crashes" is one row with both labels
    crash = frame[frame["text"] == "it crashes"].iloc[0]
    assert (crash["label"], crash["bug"], crash["feature_request"]) == ("negative", 1.0, 0.0)
    assert frame[frame["text"] == "great app"][["bug", "feature_request"]].isna().all(axis=None)
    assert frame[frame["source"] == "kind"]["label"].isna().all()

    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    args = argparse.Namespace(batch_size=3, label_smoothing=0.1, kind_weight=1.0)
    train_sentiment.run_epochs(
        model,
        frame,
        train_sentiment.load_tokenizer(32),
        epochs=1,
        lr=1e-2,
        args=args,
        rng=np.random.default_rng(0),
    )
    changed = {n for n, p in model.named_parameters() if not torch.equal(p, before[n])}
    assert any(name.startswith("kind_head.") for name in changed)
    assert any(name.startswith("head.") for name in changed)
    # without the kind loss, rows with no sentiment label are refused
    args.kind_weight = 0.0
    with pytest.raises(ValueError, match="--kind-weight"):
        train_sentiment.run_epochs(
            model,
            frame,
            train_sentiment.load_tokenizer(32),
            1,
            1e-2,
            args,
            np.random.default_rng(0),
        )


def test_distillation_rows_train_the_head_toward_the_teacher_logits():
    """--distill-weight: rows with only a teacher's logits move the network toward them."""
    import argparse

    import numpy as np
    import pandas as pd

    torch, train_sentiment, model = _tiny_net(vocab_size=30522)
    model.dropout.p = 0.0
    frame = pd.DataFrame(
        {
            "text": ["great app", "it crashes", "the strap", "the box"],
            "label": ["positive", "negative", None, None],
            "source": ["test", "test", "distill", "distill"],
        }
    )
    teacher = np.array([[0, 0, 4], [4, 0, 0], [0, 6, 0], [0, 6, 0]], dtype=np.float32)
    frame["teacher"] = list(teacher)
    tokenizer = train_sentiment.load_tokenizer(32)
    batch = train_sentiment.collate(tokenizer.encode_batch(["the strap"]), np.array([0]))

    def neutral_probability() -> float:
        model.eval()
        with torch.no_grad():
            logits = model(**batch)[0]
        model.train()
        return float(torch.softmax(logits, dim=1)[0, 1])

    before = neutral_probability()
    args = argparse.Namespace(batch_size=4, label_smoothing=0.1, distill_weight=1.0)
    train_sentiment.run_epochs(model, frame, tokenizer, 8, 1e-2, args, np.random.default_rng(0))
    assert neutral_probability() > before + 0.2
    # without a teacher or a kind loss, rows with no sentiment label are refused
    args.distill_weight = 0.0
    with pytest.raises(ValueError, match="--distill-weight"):
        train_sentiment.run_epochs(model, frame, tokenizer, 1, 1e-2, args, np.random.default_rng(0))
