"""models/train_sentiment.py --train-top: only the top layers and the head learn."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "models"))


def _tiny_net():
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    import train_sentiment

    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=50,
        hidden_size=16,
        num_hidden_layers=6,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=32,
    )
    return torch, train_sentiment, train_sentiment.SentimentNet(transformers.BertModel(config))


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
