"""FeedbackMiner: wires ingest → clean → embed → heads → themes → pieces → jobs.

scikit-learn conventions (:class:`sklearn.base.BaseEstimator`): the constructor stores
parameters only, ``fit`` learns and returns ``self``, fitted attributes end in ``_``,
``transform`` refuses to run before ``fit``. ``fit`` builds the whole run in one forward
pass: ``run_`` holds the documents, pieces, themes and jobs tables (see
:mod:`miner.schema`), which :func:`miner.persist.save_run` writes.

A stage that fails on some rows never aborts the others: the batch is retried row by
row, and the rows that still fail get ``status`` ``error`` with the reason in ``error``.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from miner import persist, schema
from miner.boilerplate import quoted_texts
from miner.clean import CleanResult, clean
from miner.config import DEFAULT_EMBEDDING_MODEL, MinerConfig
from miner.embed import make_embedder
from miner.errors import InvalidConfig, MinerError, ModelLoadError, NoUsableText
from miner.estimator import BaseEstimator, require_fitted
from miner.ingest import Corpus, corpus_from_frame, nested_values
from miner.language import is_default_language
from miner.pieces import THEME_UNITS
from miner.pii import mask_texts, run_mask_key
from miner.schema import UNASSIGNED
from miner.sentences import MAX_CHARS
from miner.tables import attach_input, theme_table
from miner.themes import ThemeModel
from miner.themes.count import check_enough_texts, check_theme_count
from miner.themes.guided import guided_themes_from
from miner.version import __version__

Progress = Callable[[str], None]
# Rows done of the current stage (done, total): the app's progress bar. With it, the
# long per-row stages run in chunks of COUNT_CHUNK_ROWS rows. Vectors are per text, and
# the analyser encodes 256 documents per block (DocumentAnalyser.batch_size), so the
# chunks change no result.
RowsDone = Callable[[int, int], None]
COUNT_CHUNK_ROWS = 256


def _quiet(_: str) -> None:
    return None


# What a theme count is checked against: a comment repeated word for word is fitted once.
_DISTINCT = "distinct comments (a repeated comment counts once)"


class FeedbackMiner(BaseEstimator):
    """Fit themes on feedback and analyse new feedback with the fitted model.

    >>> miner = FeedbackMiner(seed=42).fit(["sync is broken", ...])  # doctest: +SKIP
    >>> miner.run_.themes  # doctest: +SKIP
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
        comment_pieces: bool = True,
        theme_unit: str = "auto",
        product_nouns: bool = True,
        piece_context: float | None = None,
        period: str | None = None,
        min_n: int = 30,
        resamples: int = 1000,
        previous: str | Path | None = None,
        n_themes: int | None = None,
        granularity: str = "auto",
        job_gate: bool = False,
        date_order: str = "auto",
    ):
        self.seed = seed
        self.embedding_model = embedding_model
        self.embedding_backend = embedding_backend
        self.min_theme_size = min_theme_size
        # The theme count: about n_themes, or coarser/finer than the data's own choice.
        self.n_themes = n_themes
        self.granularity = granularity
        self.embedding_batch_size = embedding_batch_size
        self.cache_dir = cache_dir
        self.max_fit_documents = max_fit_documents
        self.per_document = per_document
        self.guided_themes = guided_themes
        self.show_progress = show_progress
        self.comment_pieces = comment_pieces
        self.theme_unit = theme_unit
        self.product_nouns = product_nouns
        # Piece themes: the weight of a piece's comment in its vector (None: from the
        # data, see miner.pieces.context_weight).
        self.piece_context = piece_context
        # The learned job gate on the jobs found (miner.jobs.gate).
        self.job_gate = job_gate
        # Insights (miner.insights.run): they shape the run's tables, not the model.
        self.period = period
        self.min_n = min_n
        self.resamples = resamples
        # Dates of numbers: "day-first", "month-first", or "auto" (from the values).
        self.date_order = date_order
        # A previous run folder whose theme ids and labels the fit keeps (see
        # miner.themes.compare); it shapes the ids, not the themes.
        self.previous = previous

    # ----------------------------------------------------------- helpers
    @property
    def config(self) -> MinerConfig:
        """The settings that shape a fit, as saved with the model."""
        return MinerConfig(
            seed=self.seed,
            embedding_model=self.embedding_model,
            embedding_backend=self.embedding_backend,
            embedding_batch_size=self.embedding_batch_size,
            cache_dir=self.cache_dir,
            min_theme_size=self.min_theme_size,
            n_themes=None if self.n_themes is None else int(self.n_themes),
            granularity=self.granularity,
            max_fit_documents=self.max_fit_documents,
            per_document=self.per_document,
            guided_themes=[g.to_dict() for g in guided_themes_from(self.guided_themes or [])]
            or None,
            comment_pieces=self.comment_pieces,
            theme_unit=getattr(self, "theme_unit_", self.theme_unit),
            product_nouns=self.product_nouns,
            piece_context=getattr(self, "piece_context_", self.piece_context),
            job_gate=bool(self.job_gate),
        )

    @classmethod
    def from_config(cls, config: MinerConfig, **overrides) -> FeedbackMiner:
        values = {
            "seed": config.seed,
            "embedding_model": config.embedding_model,
            "embedding_backend": config.embedding_backend,
            "min_theme_size": config.min_theme_size,
            "n_themes": config.n_themes,
            "granularity": config.granularity,
            "embedding_batch_size": config.embedding_batch_size,
            "cache_dir": config.cache_dir,
            "max_fit_documents": config.max_fit_documents,
            "per_document": config.per_document,
            "guided_themes": config.guided_themes,
            "comment_pieces": config.comment_pieces,
            "theme_unit": config.theme_unit,
            "product_nouns": config.product_nouns,
            "piece_context": config.piece_context,
            "job_gate": config.job_gate,
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

    def _analyser(self):
        from miner.analysis import DocumentAnalyser

        if getattr(self, "_analyser_instance", None) is None:
            self._analyser_instance = DocumentAnalyser(job_gate=bool(self.job_gate))
        return self._analyser_instance

    @staticmethod
    def _as_corpus(data, text_col: str | None, id_col: str | None) -> Corpus:
        if isinstance(data, Corpus):
            return data
        if isinstance(data, pd.DataFrame):
            return corpus_from_frame(data, text_col=text_col, id_col=id_col)
        if isinstance(data, str | bytes | Mapping) or not isinstance(data, Iterable):
            raise InvalidConfig(
                "pass a list of texts, a pandas Series or DataFrame, or a Corpus; "
                f"not {type(data).__name__}"
            )
        return corpus_from_frame(pd.DataFrame({"text": list(data)}), text_col="text")

    # ---------------------------------------------------------------- fit
    def fit(
        self,
        data: Sequence[str] | pd.DataFrame | Corpus,
        text_col: str | None = None,
        id_col: str | None = None,
        embeddings: np.ndarray | None = None,
        progress: Progress = _quiet,
        date_col: str | None = None,
        segment_cols: Sequence[str] | None = None,
        score_col: str | None = None,
        score_type: str | None = None,
        detect_columns: bool = False,
        rows_done: RowsDone | None = None,
        score_reversed: bool = False,
    ) -> FeedbackMiner:
        """Learn themes from ``data`` (texts, a DataFrame or a :class:`Corpus`).

        ``embeddings`` (one row per input row) skips the embedding stage. Sets
        ``documents_``, ``pieces_``, ``themes_``, ``jobs_`` and ``run_`` (all of them
        as one :class:`miner.persist.Run`). With a ``date_col``, ``segment_cols`` or
        ``score_col`` (of type nps, csat, rating or numeric; read from the values
        when not given) the run also gets its insight tables (trends, emerging,
        segments, drivers: :func:`miner.insights.run.add_insights`, using
        ``period``, ``min_n``, ``resamples`` and ``seed``; ``score_reversed``: the
        score's lowest value is its best); ``detect_columns`` detects those not given
        when obvious. ``progress`` gets a line as each stage
        starts; ``rows_done(done, total)``, if given, the rows done of the embedding and
        per-comment analysis stages.
        """
        from miner.insights.run import add_insights, check_settings, choose_columns

        self._check_settings()
        corpus = self._as_corpus(data, text_col, id_col)
        check_settings(self.period, self.min_n, self.resamples)
        check_theme_count(self.n_themes, self.granularity)
        from miner.pieces import check_piece_context

        check_piece_context(self.piece_context)
        self.curation_ = None  # a loaded model's curation names its own themes
        previous = self._previous_themes()
        columns = choose_columns(
            corpus.frame,
            corpus.text_col,
            corpus.id_col,
            date_col,
            segment_cols,
            score_col,
            score_type,
            detect=detect_columns,
            date_order=getattr(self, "date_order", "auto"),
            score_reversed=score_reversed,
        )
        for line in columns.lines():
            progress(line)
        progress(
            f"Reading {len(corpus.texts):,} comments: greetings, signatures and quoted "
            "replies out, duplicates and languages found"
        )
        cleaned = clean(corpus.texts, problems=corpus.row_problems, done=rows_done)
        rows = self._usable(corpus, cleaned)
        self.theme_unit_ = self._resolve_unit([cleaned.texts[i] for i in rows], embeddings)
        if self.theme_unit_ == "comment":
            # Before the long part: the comments can only give fewer themes from here on.
            n_fit = min(len(rows), self.max_fit_documents)
            check_enough_texts(self.n_themes, n_fit, self.min_theme_size, _DISTINCT)
        plans: dict = {}  # each comment's pieces, cut once for nouns and embedding
        self.product_nouns_ = self._product_nouns(
            [cleaned.texts[i] for i in rows], plans, self._segments_of(corpus, columns, rows)
        )
        self.piece_context_ = self.piece_context if self.theme_unit_ == "piece" else None
        self.narrative_ = None
        what = "comments" if self.theme_unit_ == "comment" else "comments, piece by piece"
        progress(f"Embedding {len(rows):,} distinct {what}")
        rows, vectors, units = self._vectors(cleaned, rows, embeddings, rows_done, plans)
        if self.piece_context_:
            progress(
                "The comments each stick to one subject: each piece is read in its comment's "
                f"context (weight {self.piece_context_:.2f})"
            )
        analysis = jobs = None
        if self.per_document:
            line = f"Sentiment, kind and jobs for {len(rows):,} comments"
            if self.theme_unit_ == "piece":
                line += (
                    " (long feedback: they read every sentence, two to three times the time the "
                    "themes take; a themes-only fit leaves them out)"
                )
            progress(line)
            rows, vectors, units, analysis, jobs = self._analyse(
                cleaned, rows, vectors, units, rows_done, progress
            )
        if len(rows) == 0:
            raise NoUsableText(f"every row failed to be analysed: {_first_error(cleaned)}")
        english = english_rows(cleaned, rows)
        if not english.any():
            raise NoUsableText(
                "no comment is in English, the language miner's themes read "
                f"(languages found: {_language_counts(cleaned, rows)})"
            )
        texts = [cleaned.texts[i] for i in rows]
        rate = analysis is not None
        if units is not None:
            # Comments in another language give no piece to the (English) themes.
            themes, pieces = self._fit_themes(
                cleaned, rows, vectors, progress, units.only(english), rate
            )
            if previous is not None:
                themes, pieces = self._keep_identity(previous, themes, pieces)
        else:
            themes, _ = self._fit_themes(cleaned, rows[english], vectors[english], progress)
            themes = _own_language_only(themes, english)
            if previous is not None:
                themes, _ = self._keep_identity(previous, themes, None)
            pieces = self._pieces(
                _blank_other_languages(texts, english), themes[0], progress, rate=rate
            )
        position = source_positions(cleaned, rows)
        job_ids = None
        if jobs is not None:
            progress("Grouping jobs")
            job_ids = self._fit_jobs(jobs, analysis, themes[0], position, corpus)
        self.documents_ = build_documents(
            corpus,
            cleaned,
            rows,
            themes=themes,
            theme_labels=self._theme_labels(),
            analysis=analysis,
            job_ids=job_ids,
            theme_ids=None if pieces is None else pieces.theme_ids,
        )
        self.pieces_ = None
        if pieces is not None:
            self.pieces_ = keyed(pieces.table(position, texts=cleaned.texts), corpus)
        self.themes_ = theme_table(
            self.documents_,
            self.theme_model_.themes_,
            id_col=corpus.id_col,
            areas=self.theme_model_.parents_,
            pieces=self.pieces_,
        )
        progress("Laying out the comment map")
        comment_map, map_seconds = self._comment_map(rows, vectors, themes[0])
        comment_map = keyed(comment_map, corpus)
        self.run_ = persist.Run(
            documents=self.documents_,
            themes=self.themes_,
            jobs=getattr(self, "jobs_", None),
            pieces=self.pieces_,
            map=comment_map,
            embeddings=vectors.astype(np.float16),
            meta={
                "source": corpus.source,
                "text_col": corpus.text_col,
                "id_col": corpus.id_col,
                "rows": len(corpus),
                **({"text_cols": list(corpus.questions)} if corpus.questions else {}),
                "seed": self.seed,
                # the key of masked ids' digests ("[email #3f9a1c]"): from the data itself
                "mask_key": run_mask_key(corpus.texts, corpus.customer_ids or (), self.seed),
                "theme_count": self.theme_model_.theme_count_,
                "map": {"method": "theme-centre MDS + softmax", "seconds": map_seconds},
            },
        )
        if previous is not None:
            self._tell_identity(previous, progress)
            self.run_.meta["previous"] = self.identity_.to_dict()
            self.run_.meta["new_topics"] = self._new_topics_since(
                previous,
                rows[english],
                [t for t, e in zip(texts, english, strict=True) if e],
                vectors[english],
            )
        self.run_ = add_insights(
            self.run_,
            corpus.frame,
            columns,
            period=self.period,
            min_n=self.min_n,
            resamples=self.resamples,
            seed=self.seed,
            progress=progress,
        )
        self.documents_ = self.run_.documents
        return self

    def _comment_map(self, rows: np.ndarray, vectors: np.ndarray, theme_ids: np.ndarray):
        """The map of the distinct analysed comments (:mod:`miner.themes.layout`) and
        the seconds it took."""
        from miner.themes.layout import comment_map

        started = time.perf_counter()
        x, y = comment_map(vectors, theme_ids, seed=self.seed)
        table = pd.DataFrame({"row_id": rows.astype(np.int64), "x": x, "y": y})
        return table, round(time.perf_counter() - started, 3)

    def _previous_themes(self):
        """The previous run's themes (``previous``), read before the long part of fit."""
        if self.previous is None:
            return None
        from miner.themes.compare import load_theme_set

        # Fitted themes (their ids are what the curation's edits name), under the names
        # the PM gave them: a matched theme keeps "Pricing too high", not the fit's label.
        return load_theme_set(self.previous, named=True)

    def _keep_identity(self, previous, themes, pieces):
        """Give the fitted themes the ids and labels of the ``previous`` run's themes
        they match (:mod:`miner.themes.compare`)."""
        from miner.themes import compare

        current = compare.ThemeSet.from_model(self.theme_model_)
        ids, labels = compare.identity_mapping(compare.compare_themes(previous, current), previous)
        compare.renumber_theme_model(self.theme_model_, ids, labels, previous.first_free)
        theme_ids = compare.renumber_ids(themes[0], ids)
        return (theme_ids, *themes[1:]), compare.renumber_pieces(pieces, ids)

    def _tell_identity(self, previous, progress: Progress) -> None:
        """Sets ``identity_``: the comparison with the ``previous`` run, with the ids and
        labels the themes keep and their comments in this run; prints it."""
        from miner.themes.compare import ThemeSet, compare_themes

        table = self.themes_[self.themes_["theme_id"] >= 0]
        comments = dict(
            zip(table["theme_id"].astype(int), table["comments"].astype(int), strict=True)
        )
        current = ThemeSet.from_model(self.theme_model_, comments, name="this fit")
        self.identity_ = compare_themes(previous, current)
        for line in self.identity_.lines():
            progress(line)

    def _new_topics_since(self, previous, rows: np.ndarray, texts, vectors) -> dict:
        """The new data's comments the previous run's model does not explain, clustered
        (:func:`miner.novel.new_topics_since`)."""
        from miner.novel import new_topics_since

        documents = self.documents_  # rows are positions in it (row_id repeats in a survey)
        quotes = documents["masked_text"].iloc[rows].fillna("").astype(str).tolist()
        analysed = int(documents["status"].isin(schema.ANALYSED).sum())
        return new_topics_since(
            previous.model,
            texts,
            quotes,
            documents["row_id"].to_numpy()[rows].tolist(),
            vectors,
            analysed,
            seed=self.seed,
            embed=self._embedder().encode,
        )

    @staticmethod
    def _usable(corpus: Corpus, cleaned: CleanResult) -> np.ndarray:
        rows = np.flatnonzero(cleaned.unique)
        if len(rows) == 0:
            values = corpus.frame[corpus.text_col] if corpus.text_col in corpus.frame else None
            if values is not None and nested_values(values):
                # A ticket's list of comments had been said to be "all empty".
                raise NoUsableText(
                    f"column '{corpus.text_col}' holds lists or records (a thread's "
                    "messages, a JSON export's nested objects), not text; pick a column of "
                    "text with --text-col, or export one row per message"
                )
            raise NoUsableText(
                f"no usable text rows in column '{corpus.text_col}' "
                f"({len(corpus)} rows: all empty, placeholders, numbers or symbols such as emoji); "
                "pick another column with --text-col"
            )
        return rows

    def _check_settings(self) -> None:
        """E108 for a setting of the wrong type or out of range, before any work."""

        def whole(value) -> bool:
            return isinstance(value, int | np.integer) and not isinstance(value, bool)

        for name in ("seed", "min_n", "resamples"):
            if not whole(getattr(self, name)):
                raise InvalidConfig(f"{name} must be a whole number, got {getattr(self, name)!r}")
        if not 0 <= self.seed < 2**32:  # a negative seed had failed at the fit's very end
            raise InvalidConfig(f"seed must be a whole number from 0 to 2**32 - 1, got {self.seed}")
        size = self.min_theme_size
        if size is not None and not (whole(size) and size >= 2):
            raise InvalidConfig(f"min_theme_size must be a whole number of 2 or more, got {size!r}")
        if self.theme_unit not in THEME_UNITS:
            raise InvalidConfig(
                f"theme_unit must be one of {', '.join(THEME_UNITS)}, got {self.theme_unit!r}"
            )

    def _resolve_unit(self, texts: list[str], embeddings) -> str:
        """What themes are fitted on: ``"comment"`` or ``"piece"`` (long feedback)."""
        from miner.pieces import resolve_theme_unit

        unit = resolve_theme_unit(self.theme_unit, texts)
        if unit == "piece" and embeddings is not None:
            if self.theme_unit == "piece":
                raise InvalidConfig(
                    "theme_unit='piece' embeds each piece of a comment; "
                    "it cannot use precomputed comment embeddings"
                )
            return "comment"
        return unit

    def _product_nouns(self, texts: list[str], plans=None, segments=None) -> list[str]:
        """In piece mode, the nouns that say which product a comment is about
        (:func:`miner.pieces.find_product_nouns`, ``plans`` as there), and the names of
        a segment's values in the comments (``segments``: column -> a value per text;
        :func:`miner.pieces.facet_nouns`); pieces are embedded without them."""
        if self.theme_unit_ != "piece" or not self.product_nouns:
            return []
        from miner.pieces import facet_nouns, find_product_nouns

        found = find_product_nouns(texts, plans=plans)
        return sorted({*found, *facet_nouns(texts, segments or {})})

    @staticmethod
    def _segments_of(corpus, columns, rows) -> dict[str, list]:
        """The values of ``rows`` in the segment columns given (``--segment-col``; a row
        a text; none when the texts are several questions' answers a row). A column only
        detected is left out: themes do not change with what detection picked, where a
        beta export's themes had changed (ARI 0.80 between the runs) when the segments
        named left its detected Device column out."""
        frame = corpus.frame
        if len(frame) != len(corpus.texts) or not columns.segment_cols:
            return {}
        return {
            column: frame[column].iloc[list(rows)].tolist()
            for column in columns.segment_cols
            if column in frame.columns and columns.reasons.get(column) == "given"
        }

    def _fit_themes(self, cleaned, rows, vectors, progress: Progress, units=None, rate=False):
        """Fit the theme model on (a sample of) ``rows``, or of their pieces when
        ``units`` are given (long feedback); the themes of every row, and in piece mode
        the pieces of the multi-piece comments."""
        if units is not None:
            fit_rows = self._fit_sample(np.arange(len(units.text)))
            texts = [units.text[i] for i in fit_rows]
            fit_vectors = units.vectors[fit_rows]
            progress(f"Finding themes in {len(fit_rows):,} pieces of {len(rows):,} comments")
        else:
            fit_rows = self._fit_sample(rows)
            texts = [cleaned.texts[i] for i in fit_rows]
            fit_vectors = vectors[np.searchsorted(rows, fit_rows)]
            progress(f"Finding themes in {len(fit_rows):,} comments")
        what = _DISTINCT if units is None else f"pieces of {len(rows):,} comments"
        check_enough_texts(self.n_themes, len(texts), self.min_theme_size, what)
        guides = guided_themes_from(self.guided_themes or [])
        guide_vectors = self._embedder().encode([g.query for g in guides]) if guides else None
        # Not with a context weight asked for, nor with guided themes (a guide may name
        # what the narrative says).
        narrative = units is not None and self.piece_context is None and not guides
        # Labels, areas and novelty wait until the narrative rule has kept this fit.
        self.theme_model_ = self._new_theme_model(
            texts, fit_vectors, len(rows), units, guides, guide_vectors, describe=not narrative
        )
        if narrative:
            units = self._set_narrative_aside(units, len(rows), fit_rows, progress)
        if guides:
            found = set(self.theme_model_.themes_["guided"]) - {""}
            missing = [g.name for g in guides if g.name not in found]
            progress(
                f"Guided themes found: {len(found)} of {len(guides)}"
                + (f" (too few comments for: {', '.join(missing)})" if missing else "")
            )
        if units is not None:
            score = None
            if rate:
                sentiment_scores = self._analyser().sentiment_scores

                def score(texts):
                    progress(
                        f"Sentiment of {len(texts):,} pieces of comments about two or more "
                        "themes, each piece read on its own"
                    )
                    return sentiment_scores(texts)

            told = len(units.doc) if units.aside is None else int((~units.aside).sum())
            progress(f"Giving each of {told:,} pieces its theme")
            themes, pieces = self._unit_themes(units, len(rows), score)
            return themes[:2], pieces
        return self.theme_model_.transform(vectors), None

    def _new_theme_model(
        self, texts, vectors, n_rows: int, units, guides, guide_vectors=None, describe=True
    ):
        """A theme model fitted on ``texts`` and their ``vectors`` (pieces of ``n_rows``
        comments when ``units`` are given); see :meth:`ThemeModel.fit` for ``describe``."""
        from miner.pieces import MIN_PIECE_THEMES, PIECE_PARSIMONY, max_piece_themes

        theme_model = ThemeModel(
            seed=self.seed,
            min_theme_size=self.min_theme_size,
            guided_themes=[g.to_dict() for g in guides],
            max_themes=max_piece_themes(n_rows) if units is not None else None,
            min_themes=MIN_PIECE_THEMES if units is not None else None,
            parsimony=PIECE_PARSIMONY if units is not None else None,
            n_themes=self.n_themes,
            granularity=self.granularity,
        )
        theme_model.fit(
            texts,
            vectors,
            guide_vectors,
            embed=self._embedder().encode,
            products=getattr(self, "product_nouns_", []),  # none in comment mode
            describe=describe,
        )
        return theme_model

    def _set_narrative_aside(self, units, n_rows: int, fitted: np.ndarray, progress: Progress):
        """Single-issue text told inside a narrative (long complaints): when themes of the
        narrative are found (:func:`miner.pieces.narrative_filter`) among the themes of
        the units the model was ``fitted`` on, set their pieces aside and fit the themes
        again on the rest, read in context. Returns the units as themed."""
        from miner.pieces import clears_context, narrative_filter

        labels = np.full(len(units.doc), -1, dtype=np.int64)
        labels[fitted] = self.theme_model_.labels_
        weight = self.piece_context_ or 0.0
        # What every rule but the context weight's keeps, read once: kept as it is when
        # it clears the weight too, else the start of a second look.
        found = narrative_filter(units, labels, weight, partial=True)
        if found is not None and not clears_context(found, weight):
            found = self._second_narrative_look(units, labels, weight, n_rows, found)
        if found is None:
            self.theme_model_.describe()
            return units
        fit_rows = self._fit_sample(np.flatnonzero(~found.aside))
        try:
            check_enough_texts(self.n_themes, len(fit_rows), self.min_theme_size)
        except InvalidConfig:
            self.theme_model_.describe()
            return units  # the count asked for needs the narrative's pieces too
        progress(
            f"{int(found.narrative.sum())} of {len(found.narrative)} themes were the narrative "
            f"around each comment's subject ({found.aside.mean():.0%} of pieces: contact "
            f"attempts, time lost, feelings); those pieces are set aside and the themes found "
            f"again, each piece read in its comment's context (weight {found.weight:.2f})"
        )
        self.narrative_ = (found.centroids, found.narrative)
        self.piece_context_ = found.weight
        units = units.in_context(found.weight, found.aside)
        self.theme_model_ = self._new_theme_model(
            [units.text[i] for i in fit_rows], units.vectors[fit_rows], n_rows, units, []
        )
        return units

    def _second_narrative_look(self, units, labels, weight: float, n_rows: int, first):
        """Long complaints whose narrative the first fit's themes hold only in part (its
        pieces also sat in themes of issues, so the rest is no clearer without the
        narrative themes alone): the themes fitted again without those pieces, whose
        narrative themes join them (:func:`miner.pieces.narrative_filter` with
        ``before``), and the pieces left read in their comment's context at full weight
        (NARRATIVE_SECOND_CONTEXT). ``first``: what the first look found, every rule
        but the weight's kept. None when the pieces already read in context, the themes
        left are not mostly issues (:func:`miner.pieces.issues_left`), or no narrative is
        found that the rules keep."""
        from miner.pieces import (
            NARRATIVE_CONTEXT,
            NARRATIVE_SECOND_CONTEXT,
            issues_left,
            narrative_filter,
        )

        if weight >= NARRATIVE_CONTEXT:
            return None  # each comment's pieces already stick to one subject
        if not issues_left(units, labels, first):
            return None  # multi-point reviews: what is left is no set of issues
        fit_rows = self._fit_sample(np.flatnonzero(~first.aside))
        try:
            check_enough_texts(self.n_themes, len(fit_rows), self.min_theme_size)
        except InvalidConfig:
            return None
        model = self._new_theme_model(
            [units.text[i] for i in fit_rows], units.vectors[fit_rows], n_rows, units, [],
            describe=False,
        )  # fmt: skip
        again = np.full(len(units.doc), -1, dtype=np.int64)
        again[fit_rows] = model.labels_
        found = narrative_filter(units, again, weight, before=first, partial=True)
        if found is None:
            return None
        return dataclasses.replace(found, weight=NARRATIVE_SECOND_CONTEXT)

    def _unit_themes(self, units, n_docs: int, score=None):
        from miner.pieces import unit_themes

        themes, pieces = unit_themes(units, n_docs, self.theme_model_, score)
        return themes, pieces if self.comment_pieces else None

    def _pieces(self, texts, main_theme_ids, progress: Progress = _quiet, rate: bool = False):
        """Pieces of the multi-sentence comments among ``texts`` and their themes.

        With ``rate`` the pieces of comments about several themes get a sentiment.
        """
        if not self.comment_pieces:
            return None
        from miner.pieces import find_pieces

        progress("Finding every theme of multi-sentence comments")
        return find_pieces(
            texts,
            main_theme_ids,
            self.theme_model_,
            self._embedder().encode,
            score=self._analyser().sentiment_scores if rate else None,
        )

    def _analyse(
        self,
        cleaned: CleanResult,
        rows: np.ndarray,
        vectors: np.ndarray,
        units=None,
        rows_done: RowsDone | None = None,
        progress=None,
    ):
        """Sentiment, kind and jobs of ``rows``: the rows analysed, their vectors and
        units, analysis and jobs (rows the heads fail on are marked and left out).

        With ``progress`` (and no ``rows_done``, which counts the rows itself: the app's
        progress bar), the rows are read :data:`ANALYSE_BLOCK` at a time and each block
        done is said (the heads read each comment on its own: same results)."""
        blocks = [rows]
        if progress is not None and rows_done is None and len(rows) > ANALYSE_BLOCK:
            blocks = np.array_split(rows, -(-len(rows) // ANALYSE_BLOCK))
        parts, done = [], 0
        for block in blocks:
            parts.append(analyse_rows(self._analyser(), cleaned, block, rows_done))
            done += len(block)
            if len(blocks) > 1:
                progress(f"  {done:,} of {len(rows):,} comments read")
        analysed = np.concatenate([part[0] for part in parts])
        tables = [part[1] for part in parts]
        analysis = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
        jobs = [found for part in parts for found in part[2]]
        kept = np.isin(rows, analysed)
        if units is not None and not kept.all():
            units = units.take(np.flatnonzero(kept))
        return analysed, vectors[kept], units, analysis, jobs

    def _theme_labels(self) -> dict[int, str]:
        if getattr(self, "curation_", None) is not None:
            return self.curation_.labels()
        table = self.theme_model_.themes_
        return dict(zip(table["theme_id"].astype(int), table["label"], strict=True))

    def _fit_jobs(self, jobs, analysis, theme_of_row, position, corpus) -> np.ndarray:
        """Cluster the jobs of every analysed row (duplicates are voices too).

        Sets ``jobs_`` and ``job_centroids_``; returns the job id of each analysed
        distinct comment (aligned with ``jobs``).
        """
        from miner.jobs.cluster import cluster_jobs, motivation_texts

        analysed = np.flatnonzero(position >= 0)
        source = position[analysed]
        jobs_per_doc = [jobs[p] for p in source.tolist()]
        mention_texts = motivation_texts(jobs_per_doc)
        vectors = self._embedder().encode(mention_texts) if mention_texts else np.zeros((0, 1))
        customers = corpus.customer_ids
        result = cluster_jobs(
            jobs_per_doc,
            vectors,
            customer_ids=[customers[r] for r in analysed] if customers else None,
            theme_ids=theme_of_row[source].tolist(),
            sentiment_scores=analysis["sentiment_score"].to_numpy()[source].tolist(),
            row_ids=corpus.keys()["row_id"][analysed].tolist(),
            seed=self.seed,
        )
        # Duplicates hold the same jobs as their first occurrence, so the same cluster.
        job_ids = np.full(len(jobs), -1, dtype=np.int64)
        job_ids[source] = result.doc_job_ids
        self.jobs_ = result.table
        self.job_centroids_ = result.centroids.astype(np.float32)
        self.job_seen_ = result.seen
        return job_ids

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
            job_ids[owners] = assign_jobs(
                self._embedder().encode(texts),
                self.job_centroids_,
                texts=texts,
                seen=getattr(self, "job_seen_", None),
            )
        return job_ids

    def _narrative_aside(self, units) -> np.ndarray | None:
        """Which ``units`` are the narrative the fit set aside (None: nothing is)."""
        if getattr(self, "narrative_", None) is None:
            return None
        from miner.pieces import narrative_units

        return narrative_units(units.own_vectors, *self.narrative_)

    def _fit_sample(self, rows: np.ndarray) -> np.ndarray:
        """Themes are fitted on a seeded sample of at most ``max_fit_documents`` rows."""
        if len(rows) <= self.max_fit_documents:
            return rows
        rng = np.random.default_rng(self.seed)
        return np.sort(rng.choice(rows, size=self.max_fit_documents, replace=False))

    def _vectors(
        self,
        cleaned: CleanResult,
        rows: np.ndarray,
        embeddings: np.ndarray | None,
        rows_done: RowsDone | None = None,
        plans=None,
    ):
        """``rows`` that could be embedded, their embeddings and, in piece mode, their
        embedded pieces (:class:`miner.pieces.Units`; else None). Rows the encoder fails
        on are marked and left out. ``plans``: see :func:`miner.pieces.cut_pieces`."""
        if embeddings is not None:
            embeddings = np.asarray(embeddings, dtype=np.float32)
            if embeddings.ndim != 2 or len(embeddings) != len(cleaned.texts):
                raise InvalidConfig(
                    f"embeddings must be one row per input row ({len(cleaned.texts)} rows); "
                    f"got an array of shape {embeddings.shape}"
                )
            bad = np.flatnonzero(~np.isfinite(embeddings[rows]).all(axis=1))
            if len(bad):  # NaN vectors had left every comment unassigned, saved in the model
                shown = ", ".join(str(int(rows[i])) for i in bad[:5])
                raise InvalidConfig(
                    f"embeddings of {schema.counted(len(bad), 'row')} hold NaN or infinite values "
                    f"(rows {shown}{', ...' if len(bad) > 5 else ''}); embed them again"
                )
            return rows, embeddings[rows], None
        texts = [cleaned.texts[i] for i in rows]
        embedder = self._embedder()

        def encode(batch):
            return embedder.encode(batch, show_progress=self.show_progress and len(batch) > 1)

        def encode_comments(batch):  # pieces are read the same way in encode_units
            from miner.pieces import embedded_texts

            return encode(embedded_texts(batch))

        if getattr(self, "theme_unit_", "comment") == "piece":
            from miner.pieces import Units, encode_units

            results, kept = per_row(
                lambda batch: encode_units(
                    batch, encode, product_nouns=getattr(self, "product_nouns_", []), plans=plans
                ),
                texts,
                cleaned,
                rows,
                stage="embedding",
                rows_done=rows_done,
            )
            if not results:
                return rows[kept], np.zeros((0, 1), dtype=np.float32), None
            units = Units.concat([u for _, u in results], [len(v) for v, _ in results])
            if getattr(self, "piece_context_", None) is None:  # fitting: from the data
                from miner.pieces import context_weight

                self.piece_context_ = context_weight(units)
            return (
                rows[kept],
                np.vstack([v for v, _ in results]),
                units.in_context(self.piece_context_, self._narrative_aside(units)),
            )
        results, kept = per_row(encode_comments, texts, cleaned, rows, "embedding", rows_done)
        if not results:
            return rows[kept], np.zeros((0, 1), dtype=np.float32), None
        return rows[kept], results[0] if len(results) == 1 else np.vstack(results), None

    def _check_fitted(self) -> None:
        require_fitted(
            self, "theme_model_", "this FeedbackMiner is not fitted yet; call fit() or load() first"
        )

    # ---------------------------------------------------------- transform
    def transform(
        self,
        data: Sequence[str] | pd.DataFrame | Corpus,
        text_col: str | None = None,
        id_col: str | None = None,
        embeddings: np.ndarray | None = None,
        seen: dict[bytes, tuple[int, str]] | None = None,
        row_offset: int = 0,
    ) -> pd.DataFrame:
        """Analyse new feedback with the fitted model: one output row per input row.

        When scoring a file in chunks, pass one ``seen`` dict for the whole file and
        each chunk's first global row as ``row_offset`` so duplicates and row ids
        span chunks.
        """
        self._check_fitted()
        corpus = self._as_corpus(data, text_col, id_col)
        cleaned = clean(corpus.texts, seen=seen, offset=row_offset, problems=corpus.row_problems)
        if self.theme_unit_ == "piece" and embeddings is not None:
            raise InvalidConfig(
                "this model themes each piece of a comment; it cannot use precomputed "
                "comment embeddings"
            )
        rows, vectors, units = self._vectors(cleaned, np.flatnonzero(cleaned.to_embed), embeddings)
        fitted_width = self.theme_model_.train_embeddings_.shape[1]
        if len(rows) and vectors.shape[1] != fitted_width:
            raise ModelLoadError(
                f"the model's themes were fitted on {fitted_width}-dimensional embeddings, "
                f"but '{self.embedding_model}' gives {vectors.shape[1]}; the model is damaged "
                "or its embedding model changed: fit it again"
            )
        analysis = job_ids = None
        if self.per_document:
            # A chunk without text still gets every column, so chunks share one schema.
            rows, vectors, units, analysis, jobs = self._analyse(cleaned, rows, vectors, units)
            job_ids = self._assign_jobs(jobs)
        texts = [cleaned.texts[i] for i in rows]
        english = english_rows(cleaned, rows)
        themes = pieces = None
        if units is not None and len(rows):
            themes, pieces = self._unit_themes(units.only(english), len(rows))
        elif len(rows):
            themes = self.theme_model_.transform(vectors, return_nearest=True)
            themes = _own_language_only(themes, english)
        if units is None:
            main_theme_ids = themes[0] if themes is not None else np.zeros(0, dtype=np.int64)
            pieces = self._pieces(_blank_other_languages(texts, english), main_theme_ids)
        documents = build_documents(
            corpus,
            cleaned,
            rows,
            themes=themes,
            theme_labels=self._theme_labels(),
            novelty_threshold=self.theme_model_.novelty_threshold_,
            analysis=analysis,
            job_ids=job_ids,
            row_offset=row_offset,
            theme_ids=None if pieces is None else pieces.theme_ids,
        )
        curation = getattr(self, "curation_", None)
        if curation is not None and len(rows):
            # The run's curation (miner.curation): each row's vector picks its sub-theme.
            position = source_positions(cleaned, rows)
            documents = curation.apply(documents, vectors[np.maximum(position, 0)])
        return documents

    # ------------------------------------------------------------ persist
    def model_files(self) -> dict[str, str]:
        """Digest of every shipped model file this miner used, by name."""
        files = {}
        embedder = getattr(self, "_embedder_instance", None)
        folder = getattr(embedder, "folder", None)
        if folder is not None:
            files["embedder"] = Path(folder) / "model.onnx"
        analyser = getattr(self, "_analyser_instance", None)
        if analyser is not None:
            files.update(analyser.model_files())
        return {
            name: persist.file_digest(path) for name, path in files.items() if Path(path).is_file()
        }

    def save(self, directory: str | Path) -> Path:
        """Write the fitted model (JSON + NumPy, no pickle) to ``directory``."""
        self._check_fitted()
        directory = persist.ensure_writable_dir(directory)  # E105: a file, or read-only
        self.config.save(directory / schema.MODEL_CONFIG_FILE)
        self.theme_model_.save(directory / schema.MODEL_THEMES_DIR)
        if self.theme_unit_ == "piece":
            from miner.pieces import save_narrative, save_product_nouns

            save_product_nouns(directory, getattr(self, "product_nouns_", []))
            save_narrative(directory, getattr(self, "narrative_", None))
        if hasattr(self, "job_centroids_"):
            persist.save_job_model(
                directory, self.job_centroids_, self.jobs_, getattr(self, "job_seen_", None)
            )
        persist.write_model_manifest(directory, self.model_files())
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> FeedbackMiner:
        """Load a model written by :meth:`save` (``RUN_DIR/model`` or ``RUN_DIR``)."""
        directory = persist.model_directory(directory)
        try:
            config = MinerConfig.load(directory / schema.MODEL_CONFIG_FILE)
            # The embedding cache is this machine's (MINER_CACHE_DIR), never a path
            # that a model folder names.
            miner = cls.from_config(config, cache_dir=None)
            # Models saved before piece mode themed whole comments.
            miner.theme_unit_ = "piece" if config.theme_unit == "piece" else "comment"
            miner.theme_model_ = ThemeModel.load(directory / schema.MODEL_THEMES_DIR)
            from miner.pieces import load_narrative, load_product_nouns

            miner.product_nouns_ = load_product_nouns(directory)
            miner.narrative_ = load_narrative(directory)
            # Models saved before pieces were read in context: none.
            miner.piece_context_ = config.piece_context or 0.0
            jobs = persist.load_job_model(directory, required=config.per_document)
            if jobs is not None:
                miner.job_centroids_, miner.jobs_, miner.job_seen_ = jobs
            _check_model_arrays(miner)
            _check_model_weights(miner, directory)
            from miner.curation import load_model_curation

            # The run's curation, which transform follows (None: no edits).
            miner.curation_ = load_model_curation(directory, miner.theme_model_.themes_)
        except ModelLoadError:
            raise
        except Exception as exc:  # noqa: BLE001 - any damage in the files is one clear error
            raise ModelLoadError(
                f"cannot load the model in '{directory}': {type(exc).__name__}: {exc}; "
                "it is damaged or not written by `miner fit`; fit it again"
            ) from exc
        return miner

    def save_run(self, directory: str | Path, **meta) -> Path:
        """Write the fitted run and this model to ``directory`` (see :func:`save_run`)."""
        self._check_fitted()
        self.run_.meta.update(meta)
        self.run_.meta["model_files"] = self.model_files()
        carried = self._carried_curation()
        directory = persist.save_run(self.run_, directory, model=self)
        # A curation names the themes of the fit it was made on: a new fit in this
        # folder drops it, keeping what ``previous``'s still applies to.
        (directory / schema.CURATION_FILE).unlink(missing_ok=True)
        if carried is not None and carried.edits:
            from miner.curation import write_curation

            write_curation(directory, carried)
        from miner.roadmap.stored import refresh

        refresh(directory, rows=len(self.run_.documents))
        return directory

    def _carried_curation(self):
        """The previous run's curation edits that still apply (``previous``); what does
        not is recorded in run.json ``curation_carried``."""
        if self.previous is None or not hasattr(self, "identity_"):
            return None
        from miner.curation import carry_over
        from miner.themes.compare import MATCHED

        kept = {int(i) for i in self.identity_.of(MATCHED)["previous_id"]}
        carried, notes = carry_over(self.previous, kept)
        self.run_.meta["curation_carried"] = {"edits": len(carried.edits), "not_carried": notes}
        return carried


def _check_model_arrays(miner: FeedbackMiner) -> None:
    """Raise ValueError when the loaded arrays do not fit together (a damaged model)."""
    themes = miner.theme_model_
    centroids = np.asarray(themes.centroids_)
    train = np.asarray(themes.train_embeddings_)
    labels = np.asarray(themes.train_labels_)
    if centroids.ndim != 2 or train.ndim != 2 or labels.ndim != 1:
        raise ValueError("theme arrays have the wrong number of dimensions")
    if len(train) == 0 or train.shape[1] != centroids.shape[1]:
        raise ValueError(
            f"training embeddings {train.shape} do not match theme centres {centroids.shape}"
        )
    if len(labels) != len(train) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{len(labels)} training labels for {len(train)} embeddings")
    if len(labels) and (labels.min() < -1 or labels.max() >= len(centroids)):
        raise ValueError(f"training labels refer to themes beyond the {len(centroids)} centres")
    if hasattr(miner, "job_centroids_"):
        jobs = np.asarray(miner.job_centroids_)
        if jobs.ndim != 2 or (len(jobs) and jobs.shape[1] != centroids.shape[1]):
            raise ValueError(f"job centres {jobs.shape} do not match theme centres")
        if len(jobs) != len(miner.jobs_):
            raise ValueError(f"{len(jobs)} job centres for {len(miner.jobs_)} jobs")


def _check_model_weights(miner: FeedbackMiner, directory: Path) -> None:
    """E107 when the model's themes were fitted on other embedding weights than the
    ones this miner would embed new text with (another miner version, or weights
    changed by hand): new comments' vectors would not be comparable with the themes'.
    Models whose manifest records no digest (older ones) are not checked."""
    manifest = json.loads((directory / schema.MODEL_MANIFEST_FILE).read_text())
    expected = (manifest.get("model_files") or {}).get("embedder")
    folder = getattr(miner._embedder(), "folder", None)
    if not expected or folder is None or not (Path(folder) / "model.onnx").is_file():
        return
    if persist.file_digest(Path(folder) / "model.onnx") != expected:
        fitted = manifest.get("miner_version", "another version")
        raise ModelLoadError(
            f"the model in '{directory}' was fitted (miner {fitted}) with other embedding "
            f"weights than this miner {__version__} ships: its themes cannot place new "
            "comments; fit the run again with this miner"
        )


def load_model(directory: str | Path) -> FeedbackMiner:
    """The fitted miner saved in ``directory`` (a model folder or a run folder)."""
    return FeedbackMiner.load(directory)


# A fit reads the heads this many comments at a time, saying each block done.
ANALYSE_BLOCK = 1000


def analyse_rows(analyser, cleaned: CleanResult, rows: np.ndarray, rows_done=None):
    """Per-document analysis (sentiment, kind, jobs) of ``rows`` of ``cleaned``.

    Returns the rows analysed, their analysis table and their jobs, aligned. A row the
    heads fail on is marked ``error`` in ``cleaned`` and left out. With no rows the
    table is empty but has every column. ``rows_done``: see :func:`per_row`.
    """
    from miner.analysis import ANALYSIS_COLUMNS, DETAIL_COLUMNS

    # The heads read English (miner.language): a comment in another language is not
    # read by them (an empty text, quick) and gets no sentiment, kind or job.
    english = english_rows(cleaned, rows) if cleaned.languages else np.ones(len(rows), bool)
    texts = [cleaned.texts[i] if own else "" for i, own in zip(rows, english, strict=True)]
    results, kept = per_row(analyser.analyse, texts, cleaned, rows, "analysis", rows_done)
    if not results:
        return rows[kept], pd.DataFrame(columns=[*ANALYSIS_COLUMNS, *DETAIL_COLUMNS]), []
    frames = [frame for frame, _ in results]
    analysis = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    jobs = [job for _, batch_jobs in results for job in batch_jobs]
    other = ~english[kept]
    if other.any():
        analysis = analysis.copy()
        for column in analysis.columns:
            if column in ("sentence_scores", "jobs"):
                analysis[column] = [
                    [] if no else value for value, no in zip(analysis[column], other, strict=True)
                ]
            else:
                analysis.loc[other, column] = None
        jobs = [[] if no else found for found, no in zip(jobs, other, strict=True)]
    return rows[kept], analysis, jobs


def per_row(
    run,
    items: list,
    cleaned: CleanResult,
    rows: np.ndarray,
    stage: str,
    rows_done: RowsDone | None = None,
):
    """``run(items)`` in one batch; if it fails, one call per item.

    ``items[i]`` is the text of row ``rows[i]`` of ``cleaned``. Returns the results
    (the whole batch's, or each good item's, in order) and a mask of the items they
    cover; an item that fails on its own marks its row ``error`` in ``cleaned`` with the
    reason. A :class:`MinerError` the user must fix (a model that cannot load) and
    interrupts are not per-row failures: they propagate. With ``rows_done`` the items
    go in batches of ``COUNT_CHUNK_ROWS``, each reported as done when finished.
    """
    if rows_done is not None:
        results, kept = [], np.ones(len(items), dtype=bool)
        rows_done(0, len(items))
        for start in range(0, len(items), COUNT_CHUNK_ROWS):
            end = start + COUNT_CHUNK_ROWS
            part, kept[start:end] = per_row(run, items[start:end], cleaned, rows[start:end], stage)
            results += part
            rows_done(min(end, len(items)), len(items))
        return results, kept
    kept = np.ones(len(items), dtype=bool)
    if not items:
        return [], kept
    try:
        return [run(items)], kept
    except (MinerError, KeyboardInterrupt, MemoryError):
        raise
    except Exception:
        pass
    results = []
    for position, item in enumerate(items):
        try:
            results.append(run([item]))
        except (MinerError, KeyboardInterrupt, MemoryError):
            raise
        except Exception as exc:  # noqa: BLE001 - the row is reported, the rest go on
            kept[position] = False
            reason = f"{stage} failed: {type(exc).__name__}: {exc}"[:500]
            cleaned.fail(int(rows[position]), reason)
    return results, kept


def _first_error(cleaned: CleanResult) -> str:
    return next((e for e in cleaned.errors if e), "unknown error")


def english_rows(cleaned: CleanResult, rows: np.ndarray) -> np.ndarray:
    """Mask of ``rows`` in English, the language miner's themes read (see miner.language)."""
    return is_default_language(cleaned.languages[i] for i in rows)


def _own_language_only(themes: tuple[np.ndarray, ...], english: np.ndarray):
    """Themes of every row from those of the English ones: other languages get -1.

    ``themes`` holds the theme model's arrays either for the English rows only or for
    every row; a comment in another language is kept but never joins an English theme.
    """
    out = []
    for values, fill in zip(themes, (UNASSIGNED, 0.0, np.inf), strict=False):
        full = np.full(len(english), fill, dtype=values.dtype)
        full[english] = values if len(values) == english.sum() else values[english]
        out.append(full)
    return tuple(out)


def _blank_other_languages(texts: list[str], english: np.ndarray) -> list[str]:
    """No pieces (so no piece themes) for comments not in English."""
    return [text if own else "" for text, own in zip(texts, english.tolist(), strict=True)]


def _language_counts(cleaned: CleanResult, rows: np.ndarray) -> str:
    counts = pd.Series([cleaned.languages[i] for i in rows]).value_counts()
    return ", ".join(f"{lang} {n}" for lang, n in counts.head(5).items())


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


def keyed(table: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """``table`` (whose ``row_id`` is a position in ``corpus``) keyed as the documents
    are: the respondent's ``row_id`` and the ``question`` in a survey corpus."""
    if not corpus.questions:
        return table
    keys = corpus.keys()
    position = table["row_id"].to_numpy(dtype=np.int64)
    table = table.assign(row_id=keys["row_id"][position])
    table.insert(1, "question", pd.array(keys["question"][position], dtype="string"))
    return table


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
    """The documents table of the contract, one row per input row (per respondent ×
    question in a survey corpus), in input order.

    ``rows`` are the rows that were analysed (results in ``themes``, ``analysis``,
    ``job_ids`` and ``theme_ids`` are aligned with them); duplicates take their first
    occurrence's results. Stages that did not run add no columns. Input columns come
    last.
    """
    n = len(corpus)
    position = source_positions(cleaned, rows)
    taken = position >= 0
    # row_id, and with several questions the question (``row_offset``: global position).
    frame = pd.DataFrame(corpus.keys(row_offset))
    if "question" in frame:
        frame["question"] = pd.array(frame["question"], dtype="string")
    frame["status"] = pd.array(cleaned.status, dtype="string")
    languages = getattr(cleaned, "languages", None)
    if languages is not None:  # also none of them: an empty chunk keeps the column
        frame["language"] = pd.array(languages, dtype="string")
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
            novel = taken & ((theme_id < 0) | (nearest < novelty_threshold))
            if languages:
                # Another language is not a new topic; `language` tells those rows.
                novel &= is_default_language(languages)
            frame["theme_novel"] = novel
        if theme_ids is not None:
            # Every theme the comment mentions, main theme first (see miner.pieces).
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
    errors = getattr(cleaned, "errors", None) or [None] * n
    frame["error"] = pd.array(errors, dtype="string")
    # What reading the row had to repair (see miner.ingest); the row is analysed.
    warnings = list(corpus.warnings or [None] * n)
    for row, text in enumerate(cleaned.texts):
        if isinstance(text, str) and len(text) > MAX_CHARS:
            long = (
                f"themes and sentiment read its first {MAX_CHARS:,} characters (of {len(text):,})"
            )
            warnings[row] = f"{warnings[row]}; {long}" if warnings[row] else long
    frame["warning"] = pd.array(warnings, dtype="string")
    for column, values in details.items():
        frame[column] = values
    # What miner shares quotes from: the comment without its e-mail furniture (greeting,
    # quoted replies, signature, footer: not the customer's words, and a signature is a
    # name, a title and a phone) and with personal data masked.
    frame["masked_text"] = pd.array(mask_texts(quoted_texts(corpus.texts)), dtype="string")
    _mask_jobs(frame)
    return attach_input(frame, corpus.frame.reset_index(drop=True))


# The words of a job a row's columns quote (its statement and parts).
_JOB_TEXTS = ("statement", "situation", "motivation", "outcome")


def _mask_jobs(frame: pd.DataFrame) -> None:
    """The job columns with personal data masked, as ``masked_text`` is: a job read
    from "Email me at ana@x.com" had kept the address in ``job_statement`` and ``jobs``
    (25 of 20,000 scored rows) beside a masked comment."""
    columns = [f"job_{part}" for part in _JOB_TEXTS if f"job_{part}" in frame.columns]
    lists = frame["jobs"] if "jobs" in frame.columns else pd.Series([], dtype=object)
    # Every distinct text once (the first job's parts are in its row's list too).
    texts = {v for c in columns for v in frame[c] if isinstance(v, str)}
    texts |= {
        job.get(part)
        for jobs in lists
        if isinstance(jobs, list)
        for job in jobs
        for part in _JOB_TEXTS
        if isinstance(job.get(part), str)
    }
    masked = dict(zip(texts, mask_texts(list(texts)), strict=True))
    for column in columns:
        frame[column] = frame[column].map(lambda v: masked.get(v, v)).astype(object)

    def masked_job(job: dict) -> dict:
        return {k: masked.get(v, v) if k in _JOB_TEXTS else v for k, v in job.items()}

    if "jobs" in frame.columns:
        frame["jobs"] = [
            [masked_job(job) for job in jobs] if isinstance(jobs, list) else jobs for jobs in lists
        ]
