"""ThemeModel: BERTopic with miner's clustering, labels and a reproducible assignment."""

from __future__ import annotations

import importlib.abc
import json
import logging
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from miner.errors import ModelLoadError
from miner.estimator import BaseEstimator, require_fitted
from miner.pii import titled_names, without_names, without_pii
from miner.themes.cluster import (
    SpectralClusterer,
    adaptive_min_size,
    l2_normalise,
    neighbour_vote,
)
from miner.themes.cluster import centroids as cluster_centroids
from miner.themes.count import GRANULARITY_SCALE, check_theme_count
from miner.themes.guided import GuidedClusterer, guided_themes_from
from miner.themes.hierarchy import parent_areas
from miner.themes.labels import (
    PHRASE_SAMPLE,
    is_content_word,
    keyword_vectorizer,
    label_groups,
    nearest_members,
)

FORMAT_VERSION = 1
NOVELTY_QUANTILE = 0.05
# A stored training comment this similar to a new one is the same text.
SAME_TEXT_SIMILARITY = 0.995


# BERTopic imports these when installed, for features miner does not use (its own
# embedding backends, text generation, UMAP, HDBSCAN); together they cost seconds
# of start-up (transformers and torch alone take three).
_UNUSED_BY_BERTOPIC = ("sentence_transformers", "transformers", "torch", "umap", "hdbscan")


class _Absent(importlib.abc.MetaPathFinder):
    """Makes ``import name`` raise ModuleNotFoundError, as if not installed."""

    def __init__(self, names: Sequence[str]):
        self.names = tuple(names)

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named '{fullname}'", name=fullname)
        return None


@contextmanager
def lean_bertopic() -> Iterator[None]:
    """Import BERTopic without its optional heavy imports.

    BERTopic treats each of ``_UNUSED_BY_BERTOPIC`` as optional (it catches
    ModuleNotFoundError); hiding the ones not already loaded saves a cold
    ``miner fit`` several seconds. Later imports elsewhere are unaffected.
    """
    hidden = [name for name in _UNUSED_BY_BERTOPIC if name not in sys.modules]
    finder = _Absent(hidden)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


class ThemeModel(BaseEstimator):
    """Find themes in comment embeddings and assign new comments to them.

    Constructor stores parameters only. ``fit(texts, embeddings)`` clusters with
    :class:`SpectralClusterer` inside BERTopic (which supplies c-TF-IDF keywords) and
    keeps the training embeddings, so ``transform`` reproduces fit-time themes by
    nearest neighbours instead of BERTopic's centroid-only safe loading.

    The count is chosen between ``min_themes`` and ``max_themes`` (2 and 250 when
    None); ``n_themes`` cuts about that many instead (at most what the comments
    allow), ``granularity`` ``"coarser"`` or ``"finer"`` about half or twice the
    automatic count (:mod:`miner.themes.count`). ``theme_count_`` records how.
    ``parsimony`` (None: the clusterer's) is how far below the best silhouette the
    automatic rule may go to keep fewer themes.
    """

    def __init__(
        self,
        seed: int = 42,
        min_theme_size: int | None = None,
        n_keywords: int = 8,
        n_representatives: int = 5,
        n_neighbors: int = 10,
        guided_themes: Sequence | None = None,
        max_themes: int | None = None,
        min_themes: int | None = None,
        n_themes: int | None = None,
        granularity: str = "auto",
        parsimony: float | None = None,
    ):
        self.seed = seed
        self.parsimony = parsimony
        self.max_themes = max_themes
        self.min_themes = min_themes
        self.n_themes = n_themes
        self.granularity = granularity
        self.guided_themes = guided_themes
        self.min_theme_size = min_theme_size
        self.n_keywords = n_keywords
        self.n_representatives = n_representatives
        self.n_neighbors = n_neighbors

    # ------------------------------------------------------------------ fit
    def fit(
        self,
        texts: Sequence[str],
        embeddings: np.ndarray,
        guide_vectors: np.ndarray | None = None,
        embed: Callable[[list[str]], np.ndarray] | None = None,
        products: Sequence[str] = (),
        describe: bool = True,
    ) -> ThemeModel:
        """Learn themes from ``texts`` and their precomputed ``embeddings``.

        ``guide_vectors`` are the embeddings of ``guided_themes`` (their
        ``GuidedTheme.query`` texts, same order); see :mod:`miner.themes.guided`.
        ``embed`` (texts -> unit vectors, the same encoder) lets labels be chosen by
        how well they sum up each theme's comments. ``products`` are nouns that say
        which product a text is about (piece themes: :func:`miner.pieces.find_product_nouns`);
        a label is named after one only when nothing else reads well. ``describe=False``
        finds the themes (``labels_``) but leaves labels, keywords, areas and the novelty
        threshold to :meth:`describe` (a fit that may be replaced by another one).
        """
        # Labels and keywords read the comments without the names they give a title to,
        # also where a comment writes one alone: "Bridget on ward" had named a theme of
        # noise complaints beside "Sister Bridget" (the embeddings keep every word).
        texts = list(texts)
        texts = without_names(texts, titled_names(texts))
        guides = guided_themes_from(self.guided_themes or [])
        if guides and (guide_vectors is None or len(guide_vectors) != len(guides)):
            raise ValueError("pass one guide vector per guided theme")
        embeddings = l2_normalise(np.asarray(embeddings, dtype=np.float32))
        if len(texts) != len(embeddings):
            raise ValueError("texts and embeddings must have the same length")
        if not texts:
            raise ValueError("cannot fit themes on no documents")
        min_size = self.min_theme_size or adaptive_min_size(len(texts))
        self.min_theme_size_ = min_size
        names: dict[int, str] = {}
        check_theme_count(self.n_themes, self.granularity)
        clusterer = None
        if len(texts) < max(10, 2 * min_size):
            labels = np.zeros(len(texts), dtype=np.int64)
            keywords = {0: _frequent_terms(texts, self.n_keywords)}
        else:
            clusterer = SpectralClusterer(
                min_cluster_size=min_size,
                seed=self.seed,
                max_clusters=self.max_themes or 250,
                min_clusters=self.min_themes or 2,
                n_clusters=self.n_themes,
                count_scale=GRANULARITY_SCALE[self.granularity],
                **({} if self.parsimony is None else {"parsimony": self.parsimony}),
            )
            if guides:
                vectors = l2_normalise(np.asarray(guide_vectors, dtype=np.float64))
                clusterer = GuidedClusterer(clusterer, vectors, min_size)
            with lean_bertopic():
                import bertopic  # noqa: F401  (imported lean once; later imports reuse it)
            labels, keywords = self._run_bertopic(texts, embeddings, clusterer)
            if guides:
                names = _guided_names(labels, clusterer, guides)
        self.labels_, order = self._by_size(labels)
        # What describe() needs: the arguments of _store and the clusterer that chose the count.
        self._pending = (
            (texts, embeddings, self.labels_, order, keywords, names, embed, products),
            getattr(clusterer, "base", clusterer),
        )
        if describe:
            self.describe()
        return self

    def describe(self) -> ThemeModel:
        """Labels, keywords, areas and the novelty threshold of the themes :meth:`fit`
        found with ``describe=False`` (nothing to do otherwise)."""
        pending = getattr(self, "_pending", None)
        if pending is not None:
            stored, clusterer = pending
            self._store(*stored)
            self.theme_count_ = self._count_record(clusterer)
            self._pending = None
        return self

    @staticmethod
    def _by_size(labels: np.ndarray) -> tuple[np.ndarray, list[int]]:
        """Themes renumbered by size (largest = 0), ties by first appearance (stable ids),
        and the old ids in their new order."""
        ids = sorted(set(labels.tolist()) - {-1})
        first = {i: int(np.argmax(labels == i)) for i in ids}
        sizes = Counter(labels.tolist())
        order = sorted(ids, key=lambda i: (-sizes[i], first[i]))
        remap = {old: new for new, old in enumerate(order)}
        remap[-1] = -1
        return np.array([remap[x] for x in labels.tolist()], dtype=np.int64), order

    def _count_record(self, clusterer) -> dict:
        """How the theme count was chosen: ``granularity``, ``n_themes`` (the count asked
        for, or None), ``range`` (the counts the automatic rule chose between, or None),
        ``automatic`` (its choice, None when a count was asked for), ``cut`` (the count
        the comments were cut into) and ``themes`` (the themes kept)."""
        cut = int(getattr(clusterer, "n_clusters_chosen_", 1))
        automatic = getattr(clusterer, "n_clusters_auto_", None)
        if automatic is None and self.n_themes is None:
            automatic = cut  # too few comments to choose: one theme
        return {
            "granularity": self.granularity,
            "n_themes": None if self.n_themes is None else int(self.n_themes),
            "range": None
            if self.n_themes is not None
            else [self.min_themes or 2, self.max_themes or 250],
            "automatic": None if automatic is None else int(automatic),
            "cut": cut,
            "themes": len(self.themes_),
        }

    def _run_bertopic(self, texts, embeddings, clusterer):
        logging.getLogger("BERTopic").setLevel(logging.WARNING)
        from bertopic import BERTopic
        from bertopic.dimensionality import BaseDimensionalityReduction
        from bertopic.vectorizers import ClassTfidfTransformer

        topic_model = BERTopic(
            embedding_model=None,
            umap_model=BaseDimensionalityReduction(),
            hdbscan_model=clusterer,
            vectorizer_model=keyword_vectorizer(),
            ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
            top_n_words=max(30, self.n_keywords),
            calculate_probabilities=False,
            verbose=False,
        )
        from miner.pii import without_pii

        # BERTopic strips punctuation from each theme's joined text before the keyword
        # counter reads it ("sarah.connor@gmail.com" -> "sarahconnorgmailcom", which no
        # mask finds), so personal data is cut out before BERTopic sees the texts (it
        # reads them for keywords only: the embeddings are given).
        try:
            topics, _ = topic_model.fit_transform(
                [without_pii(t) for t in texts], embeddings=embeddings
            )
        except ValueError as exc:
            if "vocabulary" not in str(exc):
                raise
            # Every word is a stopword: one theme, honestly labelled.
            return np.zeros(len(texts), dtype=np.int64), {0: _frequent_terms(texts, 30)}
        labels = np.asarray(topics, dtype=np.int64)
        keywords = {
            int(topic): [(w, float(s)) for w, s in words if w]
            for topic, words in topic_model.get_topics().items()
            if topic != -1
        }
        return labels, keywords

    def _store(
        self, texts, embeddings, labels, order, keywords, names=None, embed=None, products=()
    ) -> None:
        """Labels, keywords, areas and novelty of the themes ``labels`` (numbered by size;
        ``order``: the clusterer's id of each, as ``keywords`` and ``names`` know them)."""
        names = names or {}
        centroids = (
            cluster_centroids(embeddings, labels, range(len(order)))
            if order
            else np.zeros((0, embeddings.shape[1]), dtype=np.float32)
        )
        theme_terms = [keywords.get(old, []) for old in order]
        members_of = nearest_members(embeddings, labels, centroids)
        # Labels are phrases of these comments, read with their personal data cut out (as
        # keywords are): "Nurse Kelly on ward 7" had named a theme "Nurse kelly on ward".
        samples = [
            [without_pii(texts[i]) for i in members[:PHRASE_SAMPLE]] for members in members_of
        ]
        theme_labels = label_groups(
            samples,
            theme_terms,
            centroids if embed is not None else None,
            embed,
            fixed=[names.get(old, "") for old in order],
            products=products,
        )
        rows = []
        for new, old in enumerate(order):
            terms = theme_terms[new]
            members = members_of[new]
            rows.append(
                {
                    "theme_id": new,
                    "label": theme_labels[new],
                    "keywords": [t for t, _ in terms if is_content_word(t.split()[0])][
                        : self.n_keywords
                    ],
                    "size": int(len(members)),
                    "representatives": [int(i) for i in members[: self.n_representatives]],
                    "guided": names.get(old, ""),
                }
            )

        def label_area(members, ranked, taken):
            """An area's label: its themes' comments' own phrase that best sums them up."""
            weights = np.asarray([rows[t]["size"] for t in members], dtype=np.float64)
            centre = (weights[:, None] * centroids[members]).sum(axis=0)
            centre = centre / (np.linalg.norm(centre) or 1.0)
            share = max(5, PHRASE_SAMPLE // len(members))
            sample = [text for t in members for text in samples[t][:share]]
            return label_groups(
                [sample],
                [ranked],
                centre[None, :] if embed is not None else None,
                embed,
                taken,
                products=products,
            )[0]

        parent_of, self.parents_ = parent_areas(
            centroids,
            [row["size"] for row in rows],
            theme_terms,
            theme_labels=[row["label"] for row in rows],
            label_area=label_area,
        )
        for row, parent in zip(rows, parent_of.tolist(), strict=True):
            row["parent_id"] = parent
        self.labels_ = labels
        self.centroids_ = centroids.astype(np.float32)
        self.train_embeddings_ = embeddings.astype(np.float16)
        self.train_labels_ = labels.copy()
        self.themes_ = pd.DataFrame(
            rows,
            columns=[
                "theme_id",
                "label",
                "parent_id",
                "keywords",
                "size",
                "representatives",
                "guided",
            ],
        )
        # New text is "far from every theme" when its nearest training comment is
        # less similar than that of 95% of the training comments (leave-one-out).
        nearest = _nearest_other_similarity(embeddings)
        self.novelty_threshold_ = (
            float(np.quantile(nearest, NOVELTY_QUANTILE)) if len(nearest) else 0.0
        )

    # ------------------------------------------------------------ transform
    def _check_fitted(self) -> None:
        require_fitted(
            self, "labels_", "the theme model is not fitted yet; call fit() or load a saved model"
        )

    def _confidence(self, embeddings: np.ndarray, labels: np.ndarray) -> np.ndarray:
        confidence = np.zeros(len(labels), dtype=np.float32)
        assigned = labels >= 0
        if assigned.any():
            sims = np.einsum(
                "ij,ij->i",
                embeddings[assigned],
                self.centroids_[labels[assigned]].astype(np.float32),
            )
            confidence[assigned] = np.clip(sims, 0.0, 1.0)
        return confidence

    def transform(
        self, embeddings: np.ndarray, batch_size: int = 2048, return_nearest: bool = False
    ):
        """Theme id and confidence (cosine to the theme's centre) for each embedding.

        A comment that matches a training comment takes that comment's theme; others
        take the similarity-weighted vote of their nearest training comments. With
        ``return_nearest`` also the similarity to the nearest training comment, which
        is below ``novelty_threshold_`` for comments far from every theme.
        """
        self._check_fitted()
        embeddings = l2_normalise(np.asarray(embeddings, dtype=np.float32))
        train = self.train_embeddings_.astype(np.float32)
        labels, nearest, nearest_similarity = neighbour_vote(
            embeddings, train, self.train_labels_, self.n_neighbors, batch_size
        )
        exact = nearest_similarity >= SAME_TEXT_SIMILARITY
        labels[exact] = self.train_labels_[nearest[exact]]
        if return_nearest:
            return labels, self._confidence(embeddings, labels), nearest_similarity
        return labels, self._confidence(embeddings, labels)

    def forget(self, remove: np.ndarray) -> int:
        """Drop the training rows where ``remove`` is True (a forgotten customer's texts).

        Theme centres, sizes, representatives and the novelty threshold are computed
        again from the rows left, as :meth:`fit` computes them; a theme left without
        training rows gets a zero centre (nothing is assigned to it). Labels and keywords
        (words shared by a theme's comments) are kept. Returns the rows dropped.
        """
        self._check_fitted()
        remove = np.asarray(remove, dtype=bool)
        if not remove.any():
            return 0
        kept = np.flatnonzero(~remove)
        position = np.full(len(remove), -1, dtype=np.int64)
        position[kept] = np.arange(len(kept))
        train = self.train_embeddings_[kept]
        labels = self.train_labels_[kept]
        vectors = train.astype(np.float32)
        centroids = np.zeros_like(self.centroids_)
        for theme in range(len(centroids)):
            if (labels == theme).any():
                centroids[theme] = cluster_centroids(vectors, labels, [theme])[0]
        self.centroids_ = centroids.astype(np.float32)
        self.train_embeddings_, self.train_labels_ = train, labels
        self.labels_ = labels.copy()
        themes = self.themes_.copy()
        themes["size"] = [int((labels == t).sum()) for t in themes["theme_id"]]
        themes["representatives"] = [
            [int(position[i]) for i in members if position[i] >= 0]
            for members in themes["representatives"]
        ]
        self.themes_ = themes
        nearest = _nearest_other_similarity(vectors)
        self.novelty_threshold_ = (
            float(np.quantile(nearest, NOVELTY_QUANTILE)) if len(nearest) else 0.0
        )
        return int(remove.sum())

    # ---------------------------------------------------------------- persist
    def save(self, directory: str | Path) -> None:
        """Write JSON + NumPy arrays (no pickle) to ``directory``."""
        self._check_fitted()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        meta = {
            "format_version": FORMAT_VERSION,
            "params": {
                "seed": self.seed,
                "min_theme_size": self.min_theme_size,
                "n_keywords": self.n_keywords,
                "n_representatives": self.n_representatives,
                "n_neighbors": self.n_neighbors,
                "max_themes": self.max_themes,
                "min_themes": self.min_themes,
                "n_themes": None if self.n_themes is None else int(self.n_themes),
                "granularity": self.granularity,
                "guided_themes": [
                    g.to_dict() for g in guided_themes_from(self.guided_themes or [])
                ],
            },
            "min_theme_size_": int(self.min_theme_size_),
            "novelty_threshold_": self.novelty_threshold_,
            "theme_count_": getattr(self, "theme_count_", None),
            "themes": self.themes_.to_dict(orient="records"),
            "parents": self.parents_,
        }
        (directory / "themes.json").write_text(json.dumps(meta, indent=1) + "\n")
        np.save(directory / "centroids.npy", self.centroids_, allow_pickle=False)
        np.save(directory / "train_embeddings.npy", self.train_embeddings_, allow_pickle=False)
        np.save(directory / "train_labels.npy", self.train_labels_, allow_pickle=False)

    @classmethod
    def load(cls, directory: str | Path) -> ThemeModel:
        """Read a model written by :meth:`save`; never executes code from the files."""
        directory = Path(directory)
        try:
            meta = json.loads((directory / "themes.json").read_text())
            model = cls(**meta["params"])
            model.min_theme_size_ = meta["min_theme_size_"]
            model.novelty_threshold_ = float(meta.get("novelty_threshold_", 0.0))
            model.themes_ = pd.DataFrame(meta["themes"])
            model.parents_ = meta.get("parents", [])
            # Models saved before the count could be asked for chose it automatically.
            model.theme_count_ = meta.get("theme_count_")
            if "parent_id" not in model.themes_.columns:
                model.themes_["parent_id"] = -1
            if "guided" not in model.themes_.columns:
                model.themes_["guided"] = ""
            model.centroids_ = np.load(directory / "centroids.npy", allow_pickle=False)
            model.train_embeddings_ = np.load(
                directory / "train_embeddings.npy", allow_pickle=False
            )
            model.train_labels_ = np.load(directory / "train_labels.npy", allow_pickle=False)
        except (OSError, KeyError, ValueError, TypeError) as exc:
            raise ModelLoadError(
                f"cannot load the theme model from {directory}: {exc}; "
                "point --model at the model/ folder of a run written by `miner fit`"
            ) from exc
        model.labels_ = model.train_labels_.copy()
        return model


def _guided_names(labels: np.ndarray, clusterer, guides: list) -> dict[int, str]:
    """Guided theme name of each BERTopic topic whose cluster matched one.

    BERTopic renumbers clusters by size, so each topic is traced back to the
    cluster its comments came from.
    """
    clusters = np.asarray(clusterer.labels_)
    names = {}
    for topic in sorted(set(labels.tolist()) - {-1}):
        source = np.bincount(clusters[labels == topic] + 1).argmax() - 1
        if source in clusterer.matches_:
            names[topic] = guides[clusterer.matches_[source]].name
    return names


def _nearest_other_similarity(embeddings: np.ndarray, batch_size: int = 2048) -> np.ndarray:
    """Each row's cosine similarity to its nearest other row (chunked, bounded memory)."""
    nearest = np.full(len(embeddings), -1.0, dtype=np.float32)
    if len(embeddings) < 2:
        return np.zeros(0, dtype=np.float32)
    for begin in range(0, len(embeddings), batch_size):
        block = embeddings[begin : begin + batch_size] @ embeddings.T
        block[np.arange(len(block)), np.arange(begin, begin + len(block))] = -1.0
        nearest[begin : begin + len(block)] = block.max(axis=1)
    return nearest


def _frequent_terms(texts: Sequence[str], n: int) -> list[tuple[str, float]]:
    """Keywords for tiny inputs: the most frequent content words."""
    counts: Counter[str] = Counter()
    for text in texts:
        for word in text.lower().split():
            word = word.strip(".,;:!?\"'()[]")
            if is_content_word(word):
                counts[word] += 1
    total = sum(counts.values()) or 1
    return [(w, c / total) for w, c in counts.most_common(n)]
