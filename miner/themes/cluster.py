"""Clustering of comment embeddings into themes, without numba or per-run JIT.

``WardClusterer`` is a BERTopic-compatible cluster model (``fit`` sets ``labels_``,
``predict`` assigns new points). It links comments bottom-up with Ward's criterion
over a sparse k-nearest-neighbour graph (memory grows with n, not n²) and cuts
the tree at a height that grows with the square root of the corpus size: Ward
heights of two groups of m comments grow with sqrt(m), so the same cut keeps the
same themes as a corpus grows instead of splitting them further.
Clusters smaller than ``min_cluster_size`` are dissolved: their comments join the
nearest theme when close enough, otherwise they stay unassigned (-1).
"""

from __future__ import annotations

import warnings

import numpy as np


def l2_normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def adaptive_min_size(n_documents: int) -> int:
    """Smallest theme worth showing: grows slowly with corpus size (5 .. 40)."""
    return int(max(5, min(40, round(np.sqrt(max(n_documents, 1)) / 4))))


class WardClusterer:
    """Ward linkage over a kNN graph with a size-aware cut; see the module docstring.

    Parameters are plain values (scikit-learn style); fitted attributes end in ``_``.
    """

    def __init__(
        self,
        min_cluster_size: int = 10,
        cut_scale: float = 0.05,
        n_neighbors: int = 15,
        join_similarity: float = 0.35,
        seed: int = 42,
    ):
        self.min_cluster_size = min_cluster_size
        self.cut_scale = cut_scale
        self.n_neighbors = n_neighbors
        self.join_similarity = join_similarity
        self.seed = seed

    def fit(self, X: np.ndarray, y=None) -> WardClusterer:
        from sklearn.cluster import AgglomerativeClustering
        from sklearn.neighbors import kneighbors_graph

        X = l2_normalise(np.asarray(X, dtype=np.float64))
        n = len(X)
        if n < 2 * self.min_cluster_size:
            # Too few comments to split: one theme, if there is enough for one.
            labels = np.zeros(n, dtype=np.int64) if n >= self.min_cluster_size else -np.ones(n)
            self.labels_ = labels.astype(np.int64)
            self._finish(X)
            return self
        neighbours = min(self.n_neighbors, n - 1)
        graph = kneighbors_graph(X, neighbours, include_self=False)
        cut = self.cut_scale * np.sqrt(n)
        with warnings.catch_warnings():
            # A kNN graph may have several components; sklearn links them itself.
            warnings.simplefilter("ignore")
            ward = AgglomerativeClustering(
                n_clusters=None, distance_threshold=cut, linkage="ward", connectivity=graph
            ).fit(X)
        self.labels_ = self._dissolve_small(X, ward.labels_.astype(np.int64))
        self._finish(X)
        return self

    def _dissolve_small(self, X: np.ndarray, labels: np.ndarray) -> np.ndarray:
        ids, counts = np.unique(labels, return_counts=True)
        keep = ids[counts >= self.min_cluster_size]
        if len(keep) == 0:
            return np.zeros(len(X), dtype=np.int64)
        # Renumber kept clusters 0..k-1 by first appearance, for stable ids.
        order = {
            old: new for new, old in enumerate(sorted(keep, key=lambda c: np.argmax(labels == c)))
        }
        centroids = l2_normalise(np.stack([X[labels == old].mean(axis=0) for old in order]))
        result = np.array([order.get(label, -1) for label in labels], dtype=np.int64)
        loose = np.flatnonzero(result == -1)
        if len(loose):
            similarity = X[loose] @ centroids.T
            best = similarity.argmax(axis=1)
            close = similarity[np.arange(len(loose)), best] >= self.join_similarity
            result[loose[close]] = best[close]
        return result

    def _finish(self, X: np.ndarray) -> None:
        ids = sorted(set(self.labels_.tolist()) - {-1})
        if ids:
            self.centroids_ = l2_normalise(
                np.stack([X[self.labels_ == i].mean(axis=0) for i in ids])
            )
        else:
            self.centroids_ = np.zeros((0, X.shape[1]))
        self.cluster_ids_ = np.array(ids, dtype=np.int64)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Nearest centroid, -1 when no theme is close enough."""
        if len(self.cluster_ids_) == 0:
            return -np.ones(len(X), dtype=np.int64)
        similarity = l2_normalise(np.asarray(X, dtype=np.float64)) @ self.centroids_.T
        best = similarity.argmax(axis=1)
        labels = self.cluster_ids_[best]
        labels[similarity[np.arange(len(X)), best] < self.join_similarity] = -1
        return labels
