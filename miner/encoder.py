"""The fine-tuned MiniLM encoder behind the sentiment and kind heads.

The shipped network (``miner/weights/sentiment/model.onnx``) is all-MiniLM-L6-v2
fine-tuned for 3-class sentiment and quantised to int8; it runs with onnxruntime and the
``tokenizers`` library only (no torch, nothing unpickled), through :mod:`miner.runtime`.

:func:`encode_documents` splits each document into sentences and clauses
(:func:`miner.sentences.split_sentences`), packs them into chunks, runs the network once
and returns a :class:`DocumentEncoding`: per-document probabilities and pooled embeddings
(read by both heads) and per-sentence probabilities in context.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from miner.errors import ModelLoadError
from miner.runtime import load_session, load_tokenizer, resolve_threads, run_sharded, weights_path
from miner.sentences import split_sentences, without_addresses

__all__ = [
    "DEFAULT_ENCODER_PATH",
    "DocumentEncoding",
    "OnnxEncoder",
    "as_text",
    "emoji_as_words",
    "network_text",
    "encode_documents",
    "load_encoder",
]

DEFAULT_ENCODER_PATH = weights_path("sentiment")
# Classes of the network's logits, in order.
N_CLASSES = 3
# Chunks of max_length tokens per document (8 x 126 tokens, about 700 words).
MAX_CHUNKS = 8
# Share of the per-sentence view in a document's probabilities (chosen on the clothing
# validation sample, see models/sentiment.md).
SENTENCE_WEIGHT = 0.3


def emoji_as_words(text: str) -> str:
    """``text`` with each emoji replaced by its name ("Loved it ❤️" -> "Loved it red
    heart"), as the network reads it.

    The word-piece vocabulary has no emoji: without this, "😡", "🙏" and "❤️" are all the
    same unknown token, and the tone an emoji carries in short informal text (reviews,
    chat, social posts) is lost. Names are the Unicode CLDR short names of the ``emoji``
    package. Only the network's input changes: sentences, offsets and the stored text
    keep the emoji.
    """
    if text.isascii():
        return text
    import emoji

    return emoji.replace_emoji(text, replace=_emoji_name)


# Praise built from a word of pain: "painless", "effortless", "seamless", "hassle-free",
# "bug free". The word pieces read the pain ("pain" + "##less"): "The return process was
# painless" scored -0.63 and "The app has been glitch-free" -0.80; "smooth" says the
# same and the network reads it, negation included ("not smooth" is negative).
_PRAISE_OF_NO_PAIN = re.compile(
    r"\b(?:(?:pain|effort|seam)less|(?:hassle|trouble|worry|stress|fuss|headache|problem|"
    r"issue|glitch|bug|error|lag|crash|drama)[- ]?free)(ly)?\b",
    re.IGNORECASE,
)


# Praise built from a word of fault: "spotless", "faultless", "stainless" as praise is
# rare. The pieces read the fault ("The ward was spotless" -0.79, "faultless service"
# -0.81, a helper's hospital survey's cleanliness praise read as complaints); read as
# "perfect".
_PRAISE_OF_NO_FAULT = re.compile(r"\b(?:spot|fault|blame)less(ly)?\b", re.IGNORECASE)
# A fault built from a word of praise: "inedible" (pieces "in" + "##ed" + "##ible") read
# as "edible", "The food was inedible." +0.33 (a helper's airline reviews; DynaSent's
# "EVERY SINGLE ITEM WAS INEDIBLE." -0.09): read as "disgusting".
_FAULT_OF_NO_GOOD = re.compile(r"\b(?:inedible|uneatable)\b", re.IGNORECASE)


# A denial a few words before ("hardly call it faultless", "far from spotless"): the
# network reads the fault's word there, and "perfect" it would read as praise.
_DENIED = re.compile(
    r"(?i)(?:\b(?:not|never|hardly|barely|scarcely|far\s+from|anything\s+but)|n't)\W+"
    r"(?:\w+\W+){0,2}$"
)


def _perfect_unless_denied(match: re.Match) -> str:
    if _DENIED.search(match.string[max(0, match.start() - 40) : match.start()]):
        return match.group()
    return "perfectly" if match.group(1) else "perfect"


def network_text(text: str) -> str:
    """``text`` as the network reads it: emoji by name (:func:`emoji_as_words`), praise
    built from a word of pain read as "smooth" ("painless", "hassle-free":
    :data:`_PRAISE_OF_NO_PAIN`) and from a word of fault as "perfect" ("spotless":
    :data:`_PRAISE_OF_NO_FAULT`; "inedible" as "disgusting"), and no @handles or links
    ("@united thanks for the quick reply https://t.co/x" is read as "thanks for the quick
    reply"): whom a message is
    addressed to and where it points are not its tone, and the training texts hold
    almost none of them."""
    text = _PRAISE_OF_NO_PAIN.sub(lambda m: "smoothly" if m.group(1) else "smooth", text)
    text = _PRAISE_OF_NO_FAULT.sub(_perfect_unless_denied, text)
    text = _FAULT_OF_NO_GOOD.sub("disgusting", text)
    return emoji_as_words(without_addresses(text))


_SKIN_TONE = re.compile(r"_(?:(?:medium-)?(?:light|dark)|medium)_skin_tone")


def _emoji_name(_: str, data: dict) -> str:
    """The words read for one emoji, e.g. " thumbs up " for 👍 (without skin tone)."""
    return " " + _SKIN_TONE.sub("", data["en"].strip(":")).replace("_", " ") + " "


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
    """The fine-tuned MiniLM in ONNX Runtime: tokenise, pack, run one sequence per call.

    Shared by :class:`miner.sentiment.SentimentModel` and :class:`miner.kinds.KindModel`
    so a document is encoded once for both heads.
    """

    def __init__(
        self, model_file: Path, tokenizer_file: Path | None, max_length: int, threads: int
    ):
        self.session = load_session(model_file)
        self.tokenizer = load_tokenizer(tokenizer_file, max_length=None)
        self.cls_id = self.tokenizer.token_to_id("[CLS]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")
        self.max_length = max_length
        self.threads = max(1, int(threads))

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids of each text, without [CLS]/[SEP], as the network reads it
        (:func:`network_text`)."""
        if not texts:
            return []
        encodings = self.tokenizer.encode_batch(
            [network_text(t) for t in texts], add_special_tokens=False
        )
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
            "logits": np.zeros((n, N_CLASSES), dtype=np.float32),
            "embedding": np.zeros((n, 384), dtype=np.float32),
            "embedding_mid": np.zeros((n, 384), dtype=np.float32),
            "span_logits": np.zeros((len(spans), N_CLASSES), dtype=np.float32),
        }
        names = ["logits", "embedding", "embedding_mid", "token_logits"]
        # Each sequence's spans, found once (spans are grouped by sequence, in order).
        bounds = np.searchsorted(spans[:, 0], np.arange(n + 1)) if len(spans) else None

        def work(indices: np.ndarray) -> None:
            # Workers write disjoint rows of the shared output arrays.
            for i in indices:
                logits, embedding, embedding_mid, token_logits = self.session.run(
                    names, sequences[i]
                )
                out["logits"][i] = logits[0]
                out["embedding"][i] = embedding[0]
                out["embedding_mid"][i] = embedding_mid[0]
                if bounds is not None and bounds[i + 1] > bounds[i]:
                    mine = spans[bounds[i] : bounds[i + 1]]
                    cumulative = np.vstack([np.zeros((1, 3)), token_logits[0].cumsum(0)])
                    total = cumulative[mine[:, 2]] - cumulative[mine[:, 1]]
                    width = (mine[:, 2] - mine[:, 1])[:, None]
                    out["span_logits"][bounds[i] : bounds[i + 1]] = total / width

        # Longest first: the workers take the next sequence when free and finish together.
        order = np.argsort([-len(s) for s in sequences], kind="stable")
        run_sharded(work, order, self.threads)
        return out


_ENCODERS: dict[tuple[str, int], OnnxEncoder] = {}
_ENCODERS_LOCK = threading.Lock()


def load_encoder(
    path: str | Path | None = None, threads: int | None = None
) -> tuple[OnnxEncoder, dict]:
    """Load (once per process) the ONNX encoder in ``path`` and its ``config.json``.

    ``path`` defaults to the shipped weights, :data:`DEFAULT_ENCODER_PATH`; ``threads`` to
    :func:`miner.runtime.default_threads`.
    """
    folder = Path(path) if path is not None else DEFAULT_ENCODER_PATH
    model_file = folder / "model.onnx"
    config_file = folder / "config.json"
    if not model_file.is_file() or not config_file.is_file():
        raise ModelLoadError(
            f"no sentiment model in {folder} (expected model.onnx and config.json); "
            "retrain it with: python models/train_sentiment.py"
        )
    config = json.loads(config_file.read_text())
    threads = resolve_threads(threads)
    key = (str(model_file.resolve()), threads)
    with _ENCODERS_LOCK:
        if key not in _ENCODERS:
            tokenizer_file = folder / "tokenizer.json"
            try:
                _ENCODERS[key] = OnnxEncoder(
                    model_file,
                    tokenizer_file if tokenizer_file.is_file() else None,
                    int(config.get("max_length", 128)),
                    threads,
                )
            except ModelLoadError:
                raise
            except Exception as exc:
                raise ModelLoadError(
                    f"could not load the sentiment model {model_file}: {exc}"
                ) from exc
        return _ENCODERS[key], config


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def as_text(value: Any) -> str:
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
    docs = [as_text(t) for t in texts]
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
