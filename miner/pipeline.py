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
from miner.themes.guided import guided_themes_from

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
        embedding_backend: str = "auto",
        min_theme_size: int | None = None,
        embedding_batch_size: int = 64,
        cache_dir: str | None = None,
        max_fit_documents: int = 20000,
        per_document: bool = True,
        guided_themes: Sequence | None = None,
        show_progress: bool = False,
        segment_comments: bool = True,
    ):
        self.seed = seed
        self.embedding_model = embedding_model
        self.embedding_backend = embedding_backend
        self.min_theme_size = min_theme_size
        self.embedding_batch_size = embedding_batch_size
        self.cache_dir = cache_dir
        self.max_fit_documents = max_fit_documents
        self.per_document = per_document
        self.guided_themes = guided_themes
        self.show_progress = show_progress
        self.segment_comments = segment_comments

    # ----------------------------------------------------------- helpers
    @property
    def config(self) -> MinerConfig:
        return MinerConfig(
            seed=self.seed,
            embedding_model=self.embedding_model,
            embedding_backend=self.embedding_backend,
            embedding_batch_size=self.embedding_batch_size,
            cache_dir=self.cache_dir,
            min_theme_size=self.min_theme_size,
            max_fit_documents=self.max_fit_documents,
            per_document=self.per_document,
            guided_themes=[g.to_dict() for g in guided_themes_from(self.guided_themes or [])]
            or None,
            segment_comments=self.segment_comments,
        )

    @classmethod
    def from_config(cls, config: MinerConfig, **overrides) -> FeedbackMiner:
        values = {
            "seed": config.seed,
            "embedding_model": config.embedding_model,
            "embedding_backend": config.embedding_backend,
            "min_theme_size": config.min_theme_size,
            "embedding_batch_size": config.embedding_batch_size,
            "cache_dir": config.cache_dir,
            "max_fit_documents": config.max_fit_documents,
            "per_document": config.per_document,
            "guided_themes": config.guided_themes,
            "segment_comments": config.segment_comments,
        }
        values.update(overrides)
        return cls(**values)

    def _embedder(self):
        if getattr(self, "_embedder_instance", None) is None:
            self._embedder_instance = make_embedder(
                self.embedding_model,
                self.embedding_batch_size,
                self.cache_dir,
                backend=self.embedding_backend,
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
        guides = guided_themes_from(self.guided_themes or [])
        theme_model = ThemeModel(
            seed=self.seed,
            min_theme_size=self.min_theme_size,
            guided_themes=[g.to_dict() for g in guides],
        )
        guide_vectors = self._embedder().encode([g.query for g in guides]) if guides else None
        theme_model.fit(
            [cleaned.texts[i] for i in fit_rows],
            vectors[sample_pos],
            guide_vectors,
            embed=self._embedder().encode,
        )
        self.theme_model_ = theme_model
        if guides:
            found = set(theme_model.themes_["guided"]) - {""}
            missing = [g.name for g in guides if g.name not in found]
            progress(
                f"Guided themes found: {len(found)} of {len(guides)}"
                + (f" (too few comments for: {', '.join(missing)})" if missing else "")
            )
        themes = theme_model.transform(vectors)
        analysis = jobs = None
        texts = [cleaned.texts[i] for i in unique]
        if self.per_document:
            progress(f"Sentiment, kind and jobs for {len(unique):,} comments")
            analysis, jobs = self._analyser().analyse(texts)
        segmentation = self._segment(texts, themes[0], progress, rate=analysis is not None)
        documents = build_documents(
            corpus,
            cleaned,
            unique,
            themes=themes,
            theme_labels=self._theme_labels(),
            analysis=analysis,
            theme_ids=None if segmentation is None else segmentation.theme_ids,
        )
        self.segments_ = (
            None
            if segmentation is None
            else segmentation.table(source_positions(cleaned, unique), texts=cleaned.texts)
        )
        if jobs is not None:
            progress("Grouping jobs")
            documents = self._fit_jobs(documents, cleaned, unique, jobs, corpus)
        self.documents_ = documents
        return self

    def _segment(self, texts, main_theme_ids, progress: Progress = _quiet, rate: bool = False):
        """Segments of the multi-sentence comments among ``texts`` and their themes.

        With ``rate`` the segments of comments about several themes get a sentiment.
        """
        if not self.segment_comments:
            return None
        from miner.segments import segment_comments

        progress("Finding every theme of multi-sentence comments")
        return segment_comments(
            texts,
            main_theme_ids,
            self.theme_model_,
            self._embedder().encode,
            score=self._analyser().sentiment_scores if rate else None,
        )

    def _analyser(self):
        from miner.analysis import DocumentAnalyser

        if getattr(self, "_analyser_instance", None) is None:
            self._analyser_instance = DocumentAnalyser()
        return self._analyser_instance

    def _theme_labels(self) -> dict[int, str]:
        table = self.theme_model_.themes_
        return dict(zip(table["theme_id"].astype(int), table["label"], strict=True))

    def _fit_jobs(self, documents, cleaned, unique, jobs, corpus) -> pd.DataFrame:
        """Cluster the jobs of every analysed row (duplicates are voices too)."""
        from miner.jobs.cluster import cluster_jobs, motivation_texts

        position = source_positions(cleaned, unique)
        analysed = np.flatnonzero(position >= 0)
        jobs_per_doc = [jobs[position[row]] for row in analysed]
        mention_texts = motivation_texts(jobs_per_doc)
        vectors = self._embedder().encode(mention_texts) if mention_texts else np.zeros((0, 1))
        customers = corpus.customer_ids
        result = cluster_jobs(
            jobs_per_doc,
            vectors,
            customer_ids=[customers[r] for r in analysed] if customers else None,
            theme_ids=documents["theme_id"].to_numpy()[analysed].tolist(),
            sentiment_scores=documents["sentiment_score"].to_numpy()[analysed].tolist(),
            row_ids=analysed.tolist(),
            seed=self.seed,
        )
        job_id = np.full(len(documents), -1, dtype=np.int64)
        job_id[analysed] = result.doc_job_ids
        documents.insert(documents.columns.get_loc("error"), "job_id", job_id)
        self.jobs_ = result.table
        self.job_centroids_ = result.centroids.astype(np.float32)
        return documents

    def _assign_jobs(self, jobs) -> np.ndarray | None:
        """Fitted job cluster of each text's first job (-1 when none or too far)."""
        if not hasattr(self, "job_centroids_"):
            return None
        from miner.jobs.cluster import assign_jobs, motivation_texts

        firsts = [[doc_jobs[0]] if doc_jobs else [] for doc_jobs in jobs]
        texts = motivation_texts(firsts)
        job_ids = np.full(len(jobs), -1, dtype=np.int64)
        if texts:
            owners = [i for i, doc_jobs in enumerate(firsts) if doc_jobs]
            job_ids[owners] = assign_jobs(self._embedder().encode(texts), self.job_centroids_)
        return job_ids

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
        themes = self.theme_model_.transform(vectors, return_nearest=True) if len(rows) else None
        analysis = job_ids = None
        texts = [cleaned.texts[i] for i in rows]
        if self.per_document:
            analysis, jobs = self._analyser().analyse(texts)
            job_ids = self._assign_jobs(jobs)
        # A chunk without text still gets every column, so chunks share one schema.
        main_theme_ids = themes[0] if themes is not None else np.zeros(0, dtype=np.int64)
        segmentation = self._segment(texts, main_theme_ids)
        return build_documents(
            corpus,
            cleaned,
            rows,
            themes=themes,
            theme_labels=self._theme_labels(),
            novelty_threshold=self.theme_model_.novelty_threshold_,
            analysis=analysis,
            job_ids=job_ids,
            row_offset=row_offset,
            theme_ids=None if segmentation is None else segmentation.theme_ids,
        )

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


def source_positions(cleaned, rows: np.ndarray) -> np.ndarray:
    """For every input row, the position in ``rows`` whose results it takes (-1: none).

    Rows analysed themselves map to their own position; duplicates map to the
    position of their first occurrence; empty and non-text rows map to -1.
    """
    position = np.full(len(cleaned.status), -1, dtype=np.int64)
    position[rows] = np.arange(len(rows))
    duplicates = np.flatnonzero(cleaned.duplicate_of >= 0)
    position[duplicates] = position[cleaned.duplicate_of[duplicates]]
    return position


def build_documents(
    corpus: Corpus,
    cleaned,
    rows: np.ndarray,
    themes: tuple[np.ndarray, ...] | None = None,
    theme_labels: dict[int, str] | None = None,
    novelty_threshold: float | None = None,
    analysis: pd.DataFrame | None = None,
    job_ids: np.ndarray | None = None,
    row_offset: int = 0,
    theme_ids: Sequence[np.ndarray] | None = None,
) -> pd.DataFrame:
    """The documents table of the contract, one row per input row, in input order.

    ``rows`` are the rows that were analysed (results in ``themes``, ``analysis``,
    ``job_ids`` and ``theme_ids`` are aligned with them); duplicates take their first
    occurrence's results. Stages that did not run add no columns. Input columns come
    last.
    """
    n = len(corpus)
    position = source_positions(cleaned, rows)
    taken = position >= 0
    frame = pd.DataFrame(
        {
            "row_id": np.arange(row_offset, row_offset + n, dtype=np.int64),
            "status": pd.array(cleaned.status, dtype="string"),
        }
    )
    if themes is not None or theme_labels is not None:
        theme_id = np.full(n, -1, dtype=np.int64)
        confidence = np.full(n, np.nan, dtype=np.float32)
        if themes is not None:
            theme_id[taken] = themes[0][position[taken]]
            confidence[taken] = themes[1][position[taken]]
        labels = theme_labels or {}
        frame["theme_id"] = theme_id
        frame["theme_label"] = pd.array([labels.get(int(t)) for t in theme_id], dtype="string")
        frame["theme_confidence"] = confidence
        if novelty_threshold is not None:
            # Rows far from every training comment: new topics when scoring new data.
            nearest = np.full(n, np.inf, dtype=np.float32)
            if themes is not None:
                nearest[taken] = themes[2][position[taken]]
            frame["theme_novel"] = taken & ((theme_id < 0) | (nearest < novelty_threshold))
        if theme_ids is not None:
            # Every theme the comment mentions, main theme first (see miner.segments).
            none = np.zeros(0, dtype=np.int64)
            frame["theme_ids"] = [theme_ids[p] if p >= 0 else none for p in position.tolist()]
    details = {}
    if analysis is not None:
        from miner.analysis import ANALYSIS_COLUMNS, DETAIL_COLUMNS, FLOAT_COLUMNS

        picked = analysis.iloc[position[taken]]
        for column in (*ANALYSIS_COLUMNS, *DETAIL_COLUMNS):
            is_float = column in FLOAT_COLUMNS
            values = np.full(n, np.nan if is_float else None, dtype=float if is_float else object)
            values[taken] = picked[column].to_numpy()
            if column in ANALYSIS_COLUMNS:
                frame[column] = values
            else:
                details[column] = values
    if job_ids is not None:
        job_id = np.full(n, -1, dtype=np.int64)
        job_id[taken] = np.asarray(job_ids)[position[taken]]
        frame["job_id"] = job_id
    frame["error"] = pd.array([None] * n, dtype="string")
    for column, values in details.items():
        frame[column] = values
    return attach_input(frame, corpus.frame.reset_index(drop=True))


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
