"""Per-document analysis: sentiment, feedback kind and jobs-to-be-done for each text.

These stages need no fitted corpus model, so ``miner score`` runs them on any
file; the fitted model adds themes and job clusters on top.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from miner.jobs import JOB_COLUMNS, Job, JobExtractor, to_frame

# Per-document columns, in the order they appear in documents.parquet.
ANALYSIS_COLUMNS = (
    "sentiment",
    "sentiment_score",
    "kind",
    "kind_secondary",
    *JOB_COLUMNS,
)
# Detail columns kept after the contract ones: every job and every sentence's score.
DETAIL_COLUMNS = ("kind_confidence", "sentence_scores", "jobs")
FLOAT_COLUMNS = ("sentiment_score", "kind_confidence")


class DocumentAnalyser:
    """Run the sentiment, kind and job heads over many texts in batches.

    Models load on first use (the shipped ones in ``miner/weights/``); one encoder pass
    serves both sentiment and kind. ``job_gate`` applies the learned job gate
    (:mod:`miner.jobs.gate`): fewer false jobs in narrative text such as product
    reviews, for an encoder pass over each sentence with a want or failure and a few
    true jobs lost (``models/jobs.md``).
    """

    def __init__(self, batch_size: int = 256, job_gate: bool = False):
        self.batch_size = batch_size
        self.job_gate = job_gate

    def _load(self):
        if not hasattr(self, "sentiment_model_"):
            from miner.kinds import KindModel
            from miner.sentiment import SentimentModel

            self.sentiment_model_ = SentimentModel.load(batch_size=self.batch_size)
            self.kind_model_ = KindModel.load()
            self.job_extractor_ = JobExtractor(gate="default" if self.job_gate else None)
        return self

    def model_files(self) -> dict[str, Path]:
        """The weight files of the heads, once loaded (for the run's record)."""
        if not hasattr(self, "sentiment_model_"):
            return {}
        from miner.kinds import DEFAULT_KIND_PATH
        from miner.sentiment import DEFAULT_SENTIMENT_PATH

        sentiment = Path(self.sentiment_model_.path or DEFAULT_SENTIMENT_PATH)
        kind = Path(self.kind_model_.path or DEFAULT_KIND_PATH)
        files = {"sentiment": sentiment / "model.onnx", "kind": kind / "coef.npy"}
        if self.job_gate:
            from miner.jobs.gate import DEFAULT_GATE_PATH

            files["jobs_gate"] = DEFAULT_GATE_PATH / "coef.npy"
        return files

    def sentiment_scores(self, texts: Sequence[str]) -> np.ndarray:
        """``sentiment_score`` of each text read on its own (sentiment head only)."""
        self._load()
        return self.sentiment_model_.predict(list(texts))["sentiment_score"].to_numpy()

    def analyse(self, texts: Sequence[str]) -> tuple[pd.DataFrame, list[list[Job]]]:
        """One row per text (``ANALYSIS_COLUMNS`` + ``DETAIL_COLUMNS``) and the jobs found."""
        from miner.kinds import analyse_feedback

        texts = list(texts)
        self._load()
        heads = analyse_feedback(
            texts,
            sentiment_model=self.sentiment_model_,
            kind_model=self.kind_model_,
            batch_size=self.batch_size,
        )
        jobs = self.job_extractor_.extract(texts)
        frame = pd.concat(
            [
                heads[["sentiment", "sentiment_score", "kind", "kind_secondary"]],
                to_frame(jobs, index=heads.index),
            ],
            axis=1,
        )
        frame["kind_confidence"] = heads["kind_confidence"].to_numpy()
        frame["sentence_scores"] = heads["sentence_scores"].to_numpy()
        columns = [*ANALYSIS_COLUMNS, *DETAIL_COLUMNS]
        return frame[columns].reset_index(drop=True), jobs
