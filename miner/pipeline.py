"""FeedbackMiner: wires ingest → clean → embed → themes (and the per-document heads).

scikit-learn conventions: the constructor stores parameters only, ``fit`` learns
and returns ``self``, fitted attributes end in ``_``, ``transform`` refuses to run
before ``fit``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from miner.clean import clean
from miner.config import DEFAULT_EMBEDDING_MODEL, MinerConfig
from miner.embed import make_embedder
from miner.errors import NotFitted, NoUsableText
from miner.ingest import Corpus, corpus_from_frame
from miner.themes import ThemeModel

# Columns miner writes, in order; an input column with one of these names is kept
# as input_<name>.
CONTRACT_COLUMNS = (
    "row_id",
    "status",
    "theme_id",
    "theme_label",
    "theme_confidence",
    "error",
)

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


class FeedbackMiner:
    """Fit themes on feedback and analyse new feedback with the fitted model.

    >>> miner = FeedbackMiner(seed=42).fit(["sync is broken", ...])  # doctest: +SKIP
    >>> miner.transform(["the bank feed stopped syncing"])  # doctest: +SKIP
    """

    def __init__(
        self,
        seed: int = 42,
        embedding_model: str = DEFAULT_EMBEDDING_MODEL,
        min_theme_size: int | None = None,
        embedding_batch_size: int = 64,
        cache_dir: str | None = None,
        max_fit_documents: int = 20000,
        show_progress: bool = False,
    ):
        self.seed = seed
        self.embedding_model = embedding_model
        self.min_theme_size = min_theme_size
        self.embedding_batch_size = embedding_batch_size
        self.cache_dir = cache_dir
        self.max_fit_documents = max_fit_documents
        self.show_progress = show_progress

    # ----------------------------------------------------------- helpers
    @property
    def config(self) -> MinerConfig:
        return MinerConfig(
            seed=self.seed,
            embedding_model=self.embedding_model,
            embedding_batch_size=self.embedding_batch_size,
            cache_dir=self.cache_dir,
            min_theme_size=self.min_theme_size,
            max_fit_documents=self.max_fit_documents,
        )

    @classmethod
    def from_config(cls, config: MinerConfig, **overrides) -> FeedbackMiner:
        values = {
            "seed": config.seed,
            "embedding_model": config.embedding_model,
            "min_theme_size": config.min_theme_size,
            "embedding_batch_size": config.embedding_batch_size,
            "cache_dir": config.cache_dir,
            "max_fit_documents": config.max_fit_documents,
        }
        values.update(overrides)
        return cls(**values)

    def _embedder(self):
        if getattr(self, "_embedder_instance", None) is None:
            self._embedder_instance = make_embedder(
                self.embedding_model, self.embedding_batch_size, self.cache_dir
            )
        return self._embedder_instance

    @staticmethod
    def _as_corpus(data, text_col: str | None, id_col: str | None) -> Corpus:
        if isinstance(data, Corpus):
            return data
        if isinstance(data, pd.DataFrame):
            return corpus_from_frame(data, text_col=text_col, id_col=id_col)
        if isinstance(data, str | bytes):
            raise TypeError("pass a list of texts, a DataFrame or a Corpus, not a single string")
        return corpus_from_frame(pd.DataFrame({"text": list(data)}), text_col="text")

    # ---------------------------------------------------------------- fit
    def fit(
        self,
        data: Sequence[str] | pd.DataFrame | Corpus,
        text_col: str | None = None,
        id_col: str | None = None,
        embeddings: np.ndarray | None = None,
        progress: Progress = _quiet,
    ) -> FeedbackMiner:
        """Learn themes from ``data`` (texts, a DataFrame or a :class:`Corpus`).

        ``embeddings`` (one row per input row) skips the embedding stage.
        """
        corpus = self._as_corpus(data, text_col, id_col)
        cleaned = clean(corpus.texts)
        unique = np.flatnonzero(cleaned.unique)
        if len(unique) == 0:
            raise NoUsableText(
                f"no usable text rows in column '{corpus.text_col}' "
                f"({len(corpus)} rows: all empty, placeholders or numbers); "
                "pick another column with --text-col"
            )
        fit_rows = self._fit_sample(unique)
        progress(f"Embedding {len(unique):,} distinct comments")
        vectors = self._vectors(cleaned.texts, unique, embeddings)
        sample_pos = np.searchsorted(unique, fit_rows)
        progress(f"Finding themes in {len(fit_rows):,} comments")
        theme_model = ThemeModel(seed=self.seed, min_theme_size=self.min_theme_size)
        theme_model.fit([cleaned.texts[i] for i in fit_rows], vectors[sample_pos])
        self.theme_model_ = theme_model
        self.corpus_ = corpus
        self.cleaned_ = cleaned
        self.unique_rows_ = unique
        self.unique_embeddings_ = vectors
        self.documents_ = self._documents(corpus, cleaned, unique, vectors)
        return self

    def _fit_sample(self, unique: np.ndarray) -> np.ndarray:
        """Themes are fitted on a seeded sample of at most ``max_fit_documents`` rows."""
        if len(unique) <= self.max_fit_documents:
            return unique
        rng = np.random.default_rng(self.seed)
        return np.sort(rng.choice(unique, size=self.max_fit_documents, replace=False))

    def _vectors(self, texts: list[str], rows: np.ndarray, embeddings: np.ndarray | None):
        if embeddings is not None:
            embeddings = np.asarray(embeddings, dtype=np.float32)
            if len(embeddings) != len(texts):
                raise ValueError(
                    f"embeddings has {len(embeddings)} rows but the input has {len(texts)}"
                )
            return embeddings[rows]
        return self._embedder().encode([texts[i] for i in rows], show_progress=self.show_progress)

    def _check_fitted(self) -> None:
        if not hasattr(self, "theme_model_"):
            raise NotFitted("this FeedbackMiner is not fitted yet; call fit() or load() first")

    # ---------------------------------------------------------- transform
    def transform(
        self,
        data: Sequence[str] | pd.DataFrame | Corpus,
        text_col: str | None = None,
        id_col: str | None = None,
        embeddings: np.ndarray | None = None,
        seen: dict[str, int] | None = None,
        row_offset: int = 0,
    ) -> pd.DataFrame:
        """Analyse new feedback with the fitted model: one output row per input row.

        When scoring a file in chunks, pass one ``seen`` dict for the whole file and
        each chunk's first global row as ``row_offset`` so duplicates and row ids
        span chunks.
        """
        self._check_fitted()
        corpus = self._as_corpus(data, text_col, id_col)
        cleaned = clean(corpus.texts, seen=seen, offset=row_offset)
        rows = np.flatnonzero(cleaned.to_embed)
        vectors = self._vectors(cleaned.texts, rows, embeddings)
        documents = self._documents(corpus, cleaned, rows, vectors)
        documents["row_id"] += row_offset
        return documents

    def _documents(self, corpus: Corpus, cleaned, unique: np.ndarray, vectors) -> pd.DataFrame:
        """The documents table of the contract, input columns after miner's own."""
        n = len(corpus)
        theme_id = np.full(n, -1, dtype=np.int64)
        confidence = np.full(n, np.nan, dtype=np.float32)
        if len(unique):
            labels, conf = self.theme_model_.transform(vectors)
            theme_id[unique] = labels
            confidence[unique] = conf
        duplicates = np.flatnonzero(cleaned.duplicate_of >= 0)
        theme_id[duplicates] = theme_id[cleaned.duplicate_of[duplicates]]
        confidence[duplicates] = confidence[cleaned.duplicate_of[duplicates]]
        labels = dict(
            zip(
                self.theme_model_.themes_["theme_id"],
                self.theme_model_.themes_["label"],
                strict=True,
            )
        )
        frame = pd.DataFrame(
            {
                "row_id": np.arange(n, dtype=np.int64),
                "status": pd.array(cleaned.status, dtype="string"),
                "theme_id": theme_id,
                "theme_label": pd.array([labels.get(t) for t in theme_id], dtype="string"),
                "theme_confidence": confidence,
                "error": pd.array([None] * n, dtype="string"),
            }
        )
        return attach_input(frame, corpus.frame)

    # ------------------------------------------------------------ persist
    def save(self, directory: str | Path) -> Path:
        """Write the fitted model (JSON + NumPy, no pickle) to ``directory``."""
        from miner.persist import save_model

        self._check_fitted()
        return save_model(self, directory)

    @classmethod
    def load(cls, directory: str | Path) -> FeedbackMiner:
        """Load a model written by :meth:`save` (``RUN_DIR/model``)."""
        from miner.persist import load_model

        return load_model(directory)


def attach_input(frame: pd.DataFrame, source: pd.DataFrame) -> pd.DataFrame:
    """Append the input's own columns, renaming clashes with contract names."""
    taken = set(frame.columns)
    extra = {}
    for column in source.columns:
        name = str(column)
        while name in taken:
            name = f"input_{name}"
        taken.add(name)
        extra[name] = source[column].to_numpy()
    if not extra:
        return frame
    return pd.concat([frame, pd.DataFrame(extra, index=frame.index)], axis=1)
