"""The learned job gate: drops rule jobs found in sentences unlikely to hold a job.

The rules (:mod:`miner.jobs.rules`) find a job wherever a trigger construction holds; on
real feedback many of those sentences are narrative ("I wanted to love it"), helpers'
advice or questions in statement form. The gate is a logistic regression that reads
each sentence the rules found a job in and gives ``P(the sentence holds a job)``; the
sentence's jobs are kept when it reaches ``threshold``. Explicit requests (trigger
``request``: "please add", "can you add", "it would be great if") are never gated: they
are the least ambiguous construction, and the gate is weakest on them.

Features: those of the feedback-kind head (:func:`miner.kinds.kind_features`) computed
on the sentence alone - the shared fine-tuned MiniLM encoder's pooled embeddings (middle
and last layer), its sentiment probabilities and the kind head's cheap cues. Only
sentences with a rule job are encoded, once each.

Weights ship as ``.npy`` + JSON in ``miner/weights/jobs_gate/`` (trained by
``models/train_jobs_gate.py``, model card ``models/jobs.md``); loading reads arrays only
(``allow_pickle=False``) and checks the encoder the gate was trained on.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from miner.encoder import DEFAULT_ENCODER_PATH, encode_documents, load_encoder
from miner.errors import ModelLoadError
from miner.jobs.record import Job
from miner.kinds import CUE_NAMES, kind_features
from miner.persist import file_digest
from miner.runtime import weights_path

DEFAULT_GATE_PATH = weights_path("jobs_gate")
RETRAIN = "retrain it with: python models/train_jobs_gate.py"
# Trigger families whose jobs the gate reads (every family but explicit requests).
GATED_TRIGGERS = ("want", "purpose", "failure", "enable")


def encoder_digest(path: str | Path | None = None) -> str:
    """Hex SHA-256 of the encoder's ``model.onnx`` (as stored in the gate's config)."""
    folder = Path(path) if path is not None else DEFAULT_ENCODER_PATH
    return file_digest(folder / "model.onnx").removeprefix("sha256:")


def sentence_features(sentences: Sequence[str], encoder, batch_size: int = 256) -> np.ndarray:
    """The gate's features of each sentence, read on its own."""
    sentences = list(sentences)
    return kind_features(sentences, encode_documents(encoder, sentences, batch_size))


class JobGate:
    """Keeps the rule jobs of sentences with ``P(job) >= threshold``.

    ``JobGate.load()`` reads the shipped gate (or the folder ``path``); ``encoder_path``
    names the encoder (default: the shipped one, which the gate must have been trained
    on); ``threads``: encoder threads
    (default: one per CPU, :func:`miner.runtime.default_threads`).
    """

    def __init__(
        self,
        coef: np.ndarray,
        intercept: float,
        threshold: float,
        encoder_path: str | Path | None = None,
        threads: int | None = None,
        batch_size: int = 256,
    ):
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = float(intercept)
        self.threshold = float(threshold)
        self.encoder_path = encoder_path
        self.threads = threads
        self.batch_size = batch_size
        self._encoder = None

    @classmethod
    def load(cls, path: str | Path | None = None, **params) -> JobGate:
        """Read ``coef.npy`` and ``config.json`` from ``path`` (default: the shipped gate)."""
        folder = Path(path) if path is not None else DEFAULT_GATE_PATH
        try:
            config = json.loads((folder / "config.json").read_text())
            # allow_pickle=False: a weights file can never execute code on load.
            coef = np.load(folder / "coef.npy", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise ModelLoadError(
                f"could not read the job gate in {folder} (expected coef.npy and "
                f"config.json): {exc}; {RETRAIN}"
            ) from exc
        n_features = 2 * 384 + 3 + len(CUE_NAMES)
        if tuple(config.get("cue_names", ())) != CUE_NAMES or coef.shape != (n_features,):
            raise ModelLoadError(
                f"the job gate in {folder} does not match this code (features changed); " + RETRAIN
            )
        gate = cls(coef, config["intercept"], config["threshold"], **params)
        expected = config.get("sentiment_model_sha256")
        if expected and expected != encoder_digest(gate.encoder_path):
            raise ModelLoadError(
                f"the job gate in {folder} was trained on another sentiment encoder; " + RETRAIN
            )
        return gate

    @property
    def encoder(self):
        """The shared ONNX encoder (loaded on first use, once per process)."""
        if self._encoder is None:
            self._encoder, _ = load_encoder(self.encoder_path, threads=self.threads)
        return self._encoder

    def probability(self, sentences: Sequence[str]) -> np.ndarray:
        """``P(job)`` of each sentence."""
        if not len(sentences):
            return np.zeros(0)
        features = sentence_features(sentences, self.encoder, self.batch_size)
        # Row by row (not a matrix product, whose BLAS kernel may round a row differently
        # by its place in the batch): a sentence's score never depends on its neighbours.
        logits = (features.astype(np.float64) * self.coef.astype(np.float64)).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-(logits + self.intercept)))

    def filter(self, texts: Sequence[str], jobs_per_doc: Sequence[list[Job]]) -> list[list[Job]]:
        """``jobs_per_doc`` without the gated jobs of sentences below the threshold.

        A job's sentence is ``text[job.start:job.end]``; each distinct sentence holding a
        job of a ``GATED_TRIGGERS`` family is scored once.
        """
        sentences = sorted(
            {
                text[job.start : job.end]
                for text, jobs in zip(texts, jobs_per_doc, strict=True)
                for job in jobs
                if job.trigger in GATED_TRIGGERS
            }
        )
        kept = dict(zip(sentences, self.probability(sentences) >= self.threshold, strict=True))
        return [
            [job for job in jobs if kept.get(text[job.start : job.end], True)]
            for text, jobs in zip(texts, jobs_per_doc, strict=True)
        ]
