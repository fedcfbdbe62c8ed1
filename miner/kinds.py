"""Feedback kind head: bug, feature_request, complaint, praise, question, other.

A multinomial logistic regression over features that cost almost nothing once the
sentiment encoder has run: the fine-tuned MiniLM's pooled embeddings (last layer and a
middle layer, which keeps more of what the text is *about*), the document's sentiment
probabilities and a handful of cheap lexical cues ("?", "crash", "please add", ...).
Weights are stored as ``.npy`` + JSON in the package (``miner/weights/kind/``); label
definitions are in ``models/kind.md``.

Typical use (one encoder pass for both heads)::

    sentiment = SentimentModel.load()
    kinds = KindModel.load()
    encoding = sentiment.encode(texts)
    frame = sentiment.predict(texts, encoding=encoding).join(
        kinds.predict(texts, encoding=encoding)
    )

or simply :func:`analyse_feedback`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from miner.encoder import (
    DEFAULT_ENCODER_PATH,
    DocumentEncoding,
    as_text,
    encode_documents,
    load_encoder,
)
from miner.errors import ModelLoadError
from miner.estimator import require_fitted
from miner.persist import file_digest
from miner.runtime import weights_path
from miner.schema import KINDS
from miner.sentiment import (
    SARCASM,
    SentimentModel,
    frame_from_encoding,
    is_bare_problem,
    is_bare_topic,
    praises_by_absence,
)

__all__ = [
    "KIND_LABELS",
    "DEFAULT_KIND_PATH",
    "KindModel",
    "analyse_feedback",
    "cue_features",
    "kind_mix",
]

KIND_LABELS = KINDS  # the run schema's kinds
DEFAULT_KIND_PATH = weights_path("kind")

_NEG = r"(?:n't|not|never|no longer)"
# Cheap cues, each a regular expression matched case-insensitively on the whole comment.
# They sharpen what the embeddings only hint at; the logistic regression learns how much
# to trust each one.
CUES: dict[str, str] = {
    "question_mark": r"\?",
    "starts_like_question": (
        r"^\W*(?:hi|hello|hey|quick question)?\W*(?:how|what|where|when|why|which|who|"
        r"is|are|can|could|does|do|did|will|would|should|am|any|anyone|has|have)\b"
    ),
    "help_request": r"\b(?:how (?:do|can|to)|is there (?:a|an|any)|is it possible|"
    r"any way to|anyone know|where (?:can|do|is)|what happens)\b",
    "request_phrase": r"\b(?:please|pls|plz|kindly)\b.{0,40}\b(?:add|make|let|allow|give|"
    r"support|bring|offer|include|show|open)\b|\b(?:add|make|let|allow|give)\b.{0,30}\bplease\b",
    "wish_phrase": r"\b(?:i wish|wish (?:it|there|they|you)|would (?:love|like|be (?:nice|great|"
    r"cool|awesome|helpful|useful|amazing|handy|perfect))|it'?d be (?:nice|great|cool|helpful|"
    r"useful|amazing)|would appreciate|would make|feature (?:request|idea)|suggestion|"
    r"(?:can|could) (?:you|u|we) (?:add|get|have|make)|we need|i need|really need|"
    r"should (?:have|let|allow|be able)|next (?:version|model)|only thing missing|"
    r"in a future update|wish list)\b",
    # A question that is really a request ("Can you add ...?") is a feature request.
    "request_question": r"\b(?:(?:can|could|would|will) (?:you|u|we|ya)(?: guys| please| ever)? "
    r"(?:add|make|get|give|let|support|bring|include|consider|offer|allow)|would it be possible"
    r"|any chance (?:you|of)|why not add|(?:will|would) (?:there|you) ever)\b",
    "benefit_or_missing": r"\b(?:would (?:save|make|help|be a game changer)|game changer|"
    r"(?:only|one) thing (?:missing|it lacks|lacking|i'?d change)|just needs|is missing|lacks)\b"
    r"|\b(?:please|pls|plz)\W*$",
    "option_word": r"\b(?:option|setting|mode|integration|support for|feature|ability to|"
    r"a way to|toggle|filter|shortcut|widget)\b",
    "crash_word": r"\b(?:crash\w*|freez\w*|froze|hang(?:s|ing)?|stuck|force clos\w*|"
    r"reboot\w*|restarts?)\b",
    "error_word": r"\b(?:error|bug|glitch\w*|broken|exception|segfault|404|500|503|"
    r"corrupt\w*|out of sync|blank|greyed out|grayed out|nothing happens|does nothing)\b",
    "not_working": rf"\b(?:(?:does|did|is|was|are|were|wo|ca|can){_NEG} (?:work|load|open|"
    r"respond|sync|save|play|show|display|connect|update|register|arrive)\w*|"
    r"not (?:work|load|respond|sync)\w*|stopped (?:work|load|sync|show)\w*|fails?\b|failed|"
    r"keeps? (?:crash|log|say|show|reset|reload|freez|disconnect)\w*|"
    r"(?:disappear|vanish|reset)\w*|wrong|twice|randomly|every time|since (?:the )?update)",
    "price_word": r"\b(?:price|pric(?:ey|ing)|expensive|overpriced|fees?|cost\w*|"
    r"subscription|refund|charged?)\b",
    "service_word": r"\b(?:support|service|staff|agent|waiter|driver|courier|rude|on hold|"
    r"customer care)\b",
    "praise_word": r"\b(?:love\w*|great|excellent|amazing|awesome|perfect\w*|fantastic|"
    r"brilliant|superb|best|beautiful|gorgeous|impressed|thank\w*|recommend\w*|"
    r"comfortable|comfy|flattering|5 stars|10/10)\b",
    "complaint_word": r"\b(?:too|way too|terrible|awful|worst|disappoint\w*|poor|cheap|"
    r"waste|annoying|frustrat\w*|ridiculous|useless|unhappy|not happy|horrible|hate|"
    r"uncomfortable|itchy|scratchy|tight|thin|small|large|late|slow|noisy|loud|dirty)\b",
}
_CUE_PATTERNS = {name: re.compile(p, re.IGNORECASE) for name, p in CUES.items()}
CUE_NAMES = (*CUES, "short_text", "very_short_text")
# Cues that are explicit evidence of a second intent (see KindModel._secondary).
REQUEST_CUES = ("request_phrase", "wish_phrase", "request_question", "benefit_or_missing")
DEFECT_CUES = ("crash_word", "error_word")
SECONDARY_SENTENCE_SCORE = 0.5


def cue_features(texts: Sequence[Any]) -> np.ndarray:
    """Binary cue features (one column per name in ``CUE_NAMES``) for each text."""
    docs = [as_text(t)[:5000] for t in texts]
    out = np.zeros((len(docs), len(CUE_NAMES)), dtype=np.float32)
    for col, pattern in enumerate(_CUE_PATTERNS.values()):
        out[:, col] = [1.0 if pattern.search(d) else 0.0 for d in docs]
    words = np.array([len(d.split()) for d in docs])
    out[:, len(CUES)] = words <= 6
    out[:, len(CUES) + 1] = words <= 2
    return out


def _normalise(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-9)


def kind_features(texts: Sequence[Any], encoding: DocumentEncoding) -> np.ndarray:
    """Feature matrix of the kind head: embeddings, sentiment probabilities, cues."""
    return np.hstack(
        [
            _normalise(encoding.doc_embedding_mid),
            _normalise(encoding.doc_embedding),
            encoding.doc_proba.astype(np.float32),
            cue_features(texts),
        ]
    ).astype(np.float32)


class KindModel(BaseEstimator):
    """Feedback kind with probabilities and an optional secondary kind.

    A scikit-learn estimator: parameters are stored as given, ``fit(texts, kinds)`` trains
    the head (used by ``models/train_kind.py``) and ``load()`` reads a saved one (default:
    the shipped weights). ``kind_secondary`` is the second most probable kind when its
    probability reaches ``secondary_threshold``, else ``None``.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        sentiment_path: str | Path | None = None,
        C: float = 1.0,
        secondary_threshold: float = 0.25,
        batch_size: int = 256,
        threads: int | None = None,
        seed: int = 0,
    ):
        self.path = path
        self.sentiment_path = sentiment_path
        self.C = C
        self.secondary_threshold = secondary_threshold
        self.batch_size = batch_size
        self.threads = threads
        self.seed = seed

    # ---- loading and saving -------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path | None = None, **params: Any) -> KindModel:
        """Load a saved head (default: the shipped ``miner/weights/kind``) and its encoder."""
        folder = Path(path) if path is not None else DEFAULT_KIND_PATH
        config_file = folder / "config.json"
        if not config_file.is_file():
            raise ModelLoadError(
                f"no kind model in {folder} (expected config.json, coef.npy, intercept.npy); "
                "retrain it with: python models/train_kind.py"
            )
        config = json.loads(config_file.read_text())
        params.setdefault("secondary_threshold", config["secondary_threshold"])
        params.setdefault("C", config["C"])
        model = cls(path=path, **params)
        model._load_encoder()
        try:
            # allow_pickle=False: a weights file can never execute code on load.
            model.coef_ = np.load(folder / "coef.npy", allow_pickle=False)
            model.intercept_ = np.load(folder / "intercept.npy", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise ModelLoadError(f"could not read the kind weights in {folder}: {exc}") from exc
        model.classes_ = tuple(config["labels"])
        model.cue_names_ = tuple(config["cue_names"])
        if model.cue_names_ != CUE_NAMES or model.coef_.shape[0] != len(model.classes_):
            raise ModelLoadError(
                f"the kind model in {folder} does not match this code (cues or labels "
                "changed); retrain it with: python models/train_kind.py"
            )
        expected = config.get("sentiment_model_sha256")
        if expected and expected != model.encoder_digest_:
            raise ModelLoadError(
                f"the kind model in {folder} was trained on another sentiment encoder; "
                "retrain it with: python models/train_kind.py"
            )
        return model

    def _load_encoder(self) -> None:
        self.encoder_, _ = load_encoder(self.sentiment_path, threads=self.threads)
        model_file = Path(self.sentiment_path or DEFAULT_ENCODER_PATH) / "model.onnx"
        # Hex SHA-256, as stored in config.json (persist.file_digest remembers it).
        self.encoder_digest_ = file_digest(model_file).removeprefix("sha256:")

    def save(self, path: str | Path) -> Path:
        """Write ``coef.npy``, ``intercept.npy`` and ``config.json`` to ``path``."""
        self._check_fitted()
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / "coef.npy", self.coef_.astype(np.float32), allow_pickle=False)
        np.save(folder / "intercept.npy", self.intercept_.astype(np.float32), allow_pickle=False)
        config = {
            "format": "logistic-regression-npy",
            "labels": list(self.classes_),
            "cue_names": list(self.cue_names_),
            "features": "mid-layer embedding (384, L2) + last-layer embedding (384, L2) + "
            "sentiment probabilities (3) + cues",
            "C": self.C,
            "secondary_threshold": self.secondary_threshold,
            "seed": self.seed,
            "sentiment_model_sha256": self.encoder_digest_,
        }
        (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n")
        return folder

    # ---- training -----------------------------------------------------------------
    def fit(
        self, texts: Sequence[Any], kinds: Sequence[str], features: np.ndarray | None = None
    ) -> KindModel:
        """Train the head on labelled ``texts`` (scikit-learn is needed only here);
        ``features``: :meth:`features` of ``texts`` computed beforehand (the training
        script caches them)."""
        from sklearn.linear_model import LogisticRegression

        unknown = sorted(set(kinds) - set(KIND_LABELS))
        if unknown:
            raise ValueError(f"unknown kinds {unknown}; expected {KIND_LABELS}")
        self._load_encoder()
        if features is None:
            features = self.features(texts)
        head = LogisticRegression(
            C=self.C, class_weight="balanced", max_iter=5000, random_state=self.seed
        )
        head.fit(features, list(kinds))
        order = [list(head.classes_).index(k) for k in KIND_LABELS if k in head.classes_]
        self.classes_ = tuple(head.classes_[i] for i in order)
        self.coef_ = head.coef_[order].astype(np.float32)
        self.intercept_ = head.intercept_[order].astype(np.float32)
        self.cue_names_ = CUE_NAMES
        return self

    # ---- prediction ---------------------------------------------------------------
    def _check_fitted(self) -> None:
        require_fitted(self, ["coef_", "encoder_"], "KindModel is not fitted; use KindModel.load()")

    def features(
        self, texts: Sequence[Any], encoding: DocumentEncoding | None = None
    ) -> np.ndarray:
        """The head's input features for ``texts`` (encoding computed when not given)."""
        if encoding is None:
            encoding = encode_documents(self.encoder_, list(texts), self.batch_size)
        return kind_features(texts, encoding)

    def predict_proba(
        self, texts: Sequence[Any], encoding: DocumentEncoding | None = None
    ) -> np.ndarray:
        """Class probabilities, shape (n_texts, n_kinds), columns in ``classes_`` order."""
        self._check_fitted()
        texts = list(texts)
        if encoding is not None and encoding.n_docs != len(texts):
            raise ValueError("encoding was computed for a different number of texts")
        # In float64, then back to float32: a float32 product's last bit depends on how
        # the BLAS splits it (threads, chunk sizes), and a Dask worker's split differs
        # from one process's; rounded from float64 the probabilities are the same.
        features = self.features(texts, encoding).astype(np.float64)
        logits = features @ self.coef_.T.astype(np.float64) + self.intercept_.astype(np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        proba = np.exp(logits)
        proba = (proba / proba.sum(axis=1, keepdims=True)).astype(np.float32)
        # Rules read as the sentiment head reads the same texts (miner.sentiment): which
        # texts, the kinds whose probability moves, and the kind it moves to.
        rules = (
            # Marked sarcasm ("Really productive. /s") is no praise: what its words
            # praise, it complains of.
            (lambda t: isinstance(t, str) and bool(SARCASM.search(t)), ("praise",), "complaint"),
            # A bare topic ("Price and support") praises nothing.
            (is_bare_topic, ("praise",), "other"),
            # A bare trouble ("very late", "confusing") complains (a bug stays a bug).
            (is_bare_problem, ("praise", "other"), "complaint"),
            # A trouble's absence praised ("no lag at all", "Never lets me down.") is
            # praise, not the trouble (the head had read "No clicking noise at all ..."
            # as a bug, "Never lets me down." as nothing).
            (praises_by_absence, ("bug", "complaint", "other"), "praise"),
        )
        for applies, moved, target in rules:
            rows = [i for i, t in enumerate(texts) if applies(t)]
            if rows and {*moved, target} <= set(self.classes_):
                to = self.classes_.index(target)
                for name in moved:
                    column = self.classes_.index(name)
                    proba[rows, to] += proba[rows, column]
                    proba[rows, column] = 0.0
        # Empty text says nothing: it is "other" whatever the weights would make of it.
        empty = np.array([not as_text(t).strip() for t in texts], dtype=bool)
        if empty.any():
            proba[empty] = 0.0
            proba[empty, self.classes_.index("other")] = 1.0
        return proba

    def _secondary(
        self,
        texts: list,
        encoding: DocumentEncoding,
        proba: np.ndarray,
        order: np.ndarray,
    ) -> list[str | None]:
        """A second kind per text, or None.

        First choice: the runner-up kind when it is likely enough. Otherwise explicit
        evidence of a second intent: a request phrase outside a feature request, a
        crash/error word outside a bug report, or a clearly positive (negative) sentence
        in a comment that is mainly something else (praise).
        """
        labels = self.classes_
        cues = cue_features(texts)
        column = {name: i for i, name in enumerate(CUE_NAMES)}
        requested = cues[:, [column[c] for c in REQUEST_CUES]].max(axis=1) > 0
        defect = cues[:, [column[c] for c in DEFECT_CUES]].max(axis=1) > 0
        high, low = _sentence_extremes(encoding)
        # Sentence evidence needs two sentences at least: in one sentence the whole-comment
        # kind already speaks for it ("Would love a dark mode" is not praise).
        several = np.bincount(encoding.segment_doc, minlength=len(texts)) >= 2
        out: list[str | None] = []
        for i in range(len(texts)):
            primary, runner_up = labels[order[i, 0]], labels[order[i, 1]]
            if not as_text(texts[i]).strip():
                out.append(None)
            elif proba[i, order[i, 1]] >= self.secondary_threshold:
                out.append(runner_up)
            elif requested[i] and primary not in ("feature_request", "other"):
                out.append("feature_request")
            elif defect[i] and primary in ("complaint", "feature_request"):
                out.append("bug")
            elif several[i] and primary == "praise" and low[i] <= -SECONDARY_SENTENCE_SCORE:
                out.append("complaint")
            elif (
                several[i]
                and primary in ("feature_request", "bug", "complaint")
                and (high[i] >= SECONDARY_SENTENCE_SCORE)
                and not SARCASM.search(as_text(texts[i]))  # "Really productive. /s"
            ):
                out.append("praise")
            else:
                out.append(None)
        return out

    def predict(
        self,
        texts: Sequence[Any],
        encoding: DocumentEncoding | None = None,
    ) -> pd.DataFrame:
        """Kind of each text; one row per text, in input order.

        Columns: ``kind``, ``kind_secondary`` (``None`` when no second kind is likely),
        ``kind_confidence`` (probability of ``kind``) and ``kind_proba_<label>`` for every
        label. Pass ``encoding`` (from :meth:`SentimentModel.encode`) to reuse the
        sentiment encoder pass; otherwise the texts are encoded here.
        """
        self._check_fitted()
        texts = list(texts)
        if encoding is None:
            encoding = encode_documents(self.encoder_, texts, self.batch_size)
        proba = self.predict_proba(texts, encoding)
        order = np.argsort(-proba, axis=1, kind="stable")
        labels = np.asarray(self.classes_, dtype=object)
        rows = np.arange(len(proba))
        secondary = self._secondary(texts, encoding, proba, order)
        frame = pd.DataFrame(
            {
                "kind": labels[order[:, 0]],
                "kind_secondary": pd.Series(secondary, dtype=object),
                "kind_confidence": proba[rows, order[:, 0]].astype(float),
            }
        )
        for col, label in enumerate(self.classes_):
            frame[f"kind_proba_{label}"] = proba[:, col].astype(float)
        return frame


def _sentence_extremes(encoding: DocumentEncoding) -> tuple[np.ndarray, np.ndarray]:
    """Most positive and most negative sentence score of each document (0 when none)."""
    scores = encoding.segment_proba[:, 2] - encoding.segment_proba[:, 0]
    high = np.zeros(encoding.n_docs)
    low = np.zeros(encoding.n_docs)
    if len(scores):
        np.maximum.at(high, encoding.segment_doc, scores)
        np.minimum.at(low, encoding.segment_doc, scores)
    return high, low


def analyse_feedback(
    texts: Sequence[Any],
    sentiment_model: SentimentModel | None = None,
    kind_model: KindModel | None = None,
    batch_size: int = 256,
) -> pd.DataFrame:
    """Sentiment and kind for every text from one encoder pass; one row per text.

    Columns: ``sentiment``, ``sentiment_score``, ``sentiment_proba_*``,
    ``sentence_scores``, ``kind``, ``kind_secondary``, ``kind_confidence``, ``kind_proba_*``.
    Models are loaded (shipped defaults) when not given.
    """
    texts = list(texts)
    sentiment_model = sentiment_model or SentimentModel.load()
    kind_model = kind_model or KindModel.load()
    encoding = sentiment_model.encode(texts, batch_size=batch_size)
    return frame_from_encoding(encoding).join(kind_model.predict(texts, encoding=encoding))


def kind_mix(kinds: Sequence[Any]) -> dict[str, float]:
    """Share of each kind (0..1, every label present, in ``KIND_LABELS`` order).

    Missing values are not counted; all shares are 0.0 when nothing is left.
    """
    labels = [k for k in kinds if isinstance(k, str) and k in KIND_LABELS]
    total = len(labels)
    return {k: (sum(x == k for x in labels) / total if total else 0.0) for k in KIND_LABELS}
