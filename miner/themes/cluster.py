"""Clustering of comment embeddings into themes, without numba or per-run JIT.

``WardClusterer`` is a BERTopic-compatible cluster model (``fit`` sets ``labels_``,
``predict`` assigns new points). It works on centred embeddings (the component
every comment shares, "this is feedback about the product", is removed) and
smoothed: each comment is replaced by the mean of itself and its few nearest
neighbours, which pulls paraphrases of one request together before any linking.
It links comments bottom-up with Ward's criterion over a sparse
k-nearest-neighbour graph (memory grows with n, not n²) and chooses where to
cut the tree by silhouette measured on the unsmoothed embeddings: the number of
themes is the one whose themes are most cohesive and separated, and among cuts
scoring within ``parsimony`` of the best, the one with the fewest themes.
Comments in clusters smaller than ``min_cluster_size`` score zero, so a cut that
shatters the corpus into crumbs never wins. Clusters that small are then
dissolved: their comments join the nearest theme when close enough, otherwise
they stay unassigned (-1).
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


def centroids(X: np.ndarray, labels: np.ndarray, ids) -> np.ndarray:
    """Unit-length mean of the rows of each cluster in ``ids`` (in that order)."""
    return l2_normalise(np.stack([X[labels == i].mean(axis=0) for i in ids]))


def smooth(Z: np.ndarray, n_neighbors: int) -> np.ndarray:
    """Each row replaced by the normalised mean of itself and its nearest neighbours."""
    if n_neighbors < 1 or len(Z) < 2:
        return Z
    from sklearn.neighbors import NearestNeighbors

    k = min(n_neighbors + 1, len(Z))
    _, neighbours = NearestNeighbors(n_neighbors=k).fit(Z).kneighbors(Z)
    return l2_normalise(Z[neighbours].mean(axis=1))


def cosine_silhouette(Z: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Silhouette of each row of unit vectors ``Z`` under cosine distance.

    Equal to scikit-learn's ``silhouette_samples(..., metric="cosine")`` but in
    O(n·d·k) instead of O(n²): the mean distance from a row to a cluster is one
    minus its dot product with the cluster's vector sum, over the cluster size.
    """
    from scipy.sparse import csr_matrix

    _, labels = np.unique(labels, return_inverse=True)
    k, n = int(labels.max()) + 1, len(labels)
    counts = np.bincount(labels, minlength=k).astype(np.float64)
    members = csr_matrix((np.ones(n), (labels, np.arange(n))), shape=(k, n))
    similarity = np.asarray(Z @ (members @ Z).T)  # row · sum of each cluster
    rows = np.arange(n)
    own = counts[labels]
    # Mean distance to the other members of one's own cluster (self excluded).
    a = 1.0 - (similarity[rows, labels] - 1.0) / np.maximum(own - 1.0, 1.0)
    to_others = 1.0 - similarity / counts
    to_others[rows, labels] = np.inf
    b = to_others.min(axis=1)
    values = (b - a) / np.maximum(np.maximum(a, b), 1e-12)
    values[own == 1] = 0.0
    return values


def cut_tree(children: np.ndarray, n: int, k: int) -> np.ndarray:
    """Labels 0..k-1 for the first ``n - k`` merges of an agglomerative tree."""
    parent = np.arange(2 * n - 1)

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for step, (left, right) in enumerate(children[: n - k]):
        parent[root(int(left))] = n + step
        parent[root(int(right))] = n + step
    roots = np.array([root(i) for i in range(n)])
    _, labels = np.unique(roots, return_inverse=True)
    return labels.astype(np.int64)


class WardClusterer:
    """Ward linkage over a kNN graph, cut where the themes are clearest; see the module.

    Parameters are plain values (scikit-learn style); fitted attributes end in ``_``.
    """

    def __init__(
        self,
        min_cluster_size: int = 10,
        n_neighbors: int = 15,
        join_similarity: float = 0.35,
        max_clusters: int = 250,
        silhouette_sample: int = 4000,
        smooth_neighbors: int = 5,
        stray_similarity: float = 0.3,
        parsimony: float = 0.05,
        seed: int = 42,
    ):
        self.min_cluster_size = min_cluster_size
        self.n_neighbors = n_neighbors
        self.max_clusters = max_clusters
        self.silhouette_sample = silhouette_sample
        self.join_similarity = join_similarity
        self.smooth_neighbors = smooth_neighbors
        self.stray_similarity = stray_similarity
        self.parsimony = parsimony
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
        Z = l2_normalise(X - X.mean(axis=0))
        S = smooth(Z, self.smooth_neighbors)
        graph = kneighbors_graph(S, min(self.n_neighbors, n - 1), include_self=False)
        with warnings.catch_warnings():
            # A kNN graph may have several components; sklearn links them itself.
            warnings.simplefilter("ignore")
            tree = AgglomerativeClustering(
                n_clusters=1, linkage="ward", connectivity=graph, compute_full_tree=True
            ).fit(S)
        labels = self._best_cut(Z, tree.children_)
        self.labels_ = self._drop_strays(X, self._dissolve_small(X, labels))
        self._finish(X)
        return self

    def _drop_strays(self, X: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Unassign comments less similar to their theme's centre than ``stray_similarity``.

        Smoothing and linking put every comment somewhere; "ok", "asdf" or "nothing
        to add" end up at the edge of some theme, far from its centre.
        """
        labels = labels.copy()
        ids = np.unique(labels[labels >= 0])
        if not len(ids):
            return labels
        assigned = np.flatnonzero(labels >= 0)
        own = centroids(X, labels, ids)[np.searchsorted(ids, labels[assigned])]
        similarity = np.einsum("ij,ij->i", X[assigned], own)
        labels[assigned[similarity < self.stray_similarity]] = -1
        return labels

    def _best_cut(self, Z: np.ndarray, children: np.ndarray) -> np.ndarray:
        """The cut of the Ward tree with the best size-aware silhouette."""
        n = len(Z)
        rng = np.random.default_rng(self.seed)
        sample = np.sort(rng.choice(n, size=min(n, self.silhouette_sample), replace=False))
        Zs = Z[sample]
        scores: dict[int, float] = {}

        def score(k: int) -> float:
            if k not in scores:
                labels = cut_tree(children, n, k)
                sizes = np.bincount(labels)
                if len(np.unique(labels[sample])) < 2:
                    scores[k] = -1.0
                    return scores[k]
                values = cosine_silhouette(Zs, labels[sample])
                values[sizes[labels[sample]] < self.min_cluster_size] = 0.0
                scores[k] = float(values.mean())
            return scores[k]

        k_max = int(max(2, min(self.max_clusters, 2 * n // self.min_cluster_size)))
        grid = sorted(set(np.geomspace(2, k_max, 30).astype(int).tolist()))

        def refine(low: int, high: int) -> None:
            """Score every cut between two candidate counts (at most ~20 of them)."""
            for candidate in range(low, high + 1, max(1, (high - low) // 20)):
                score(candidate)

        best = max(grid, key=lambda k: (score(k), -k))
        position = grid.index(best)
        refine(grid[max(position - 1, 0)], grid[min(position + 1, len(grid) - 1)])
        top = max(scores.values())
        good_enough = top - self.parsimony * abs(top)
        # The fewest themes that score about as well as the best cut.
        fewest = min(k for k, value in scores.items() if value >= good_enough)
        refine(max((k for k in grid if k < fewest), default=fewest), fewest)
        best = min(k for k, value in scores.items() if value >= good_enough)
        self.n_clusters_chosen_ = best
        self.cut_scores_ = dict(sorted(scores.items()))
        return cut_tree(children, n, best)

    def _dissolve_small(self, X: np.ndarray, labels: np.ndarray) -> np.ndarray:
        ids, counts = np.unique(labels, return_counts=True)
        keep = ids[counts >= self.min_cluster_size]
        if len(keep) == 0:
            return np.zeros(len(X), dtype=np.int64)
        # Renumber kept clusters 0..k-1 by first appearance, for stable ids.
        order = {
            old: new for new, old in enumerate(sorted(keep, key=lambda c: np.argmax(labels == c)))
        }
        result = np.array([order.get(label, -1) for label in labels], dtype=np.int64)
        loose = np.flatnonzero(result == -1)
        if len(loose):
            similarity = X[loose] @ centroids(X, labels, order).T
            best = similarity.argmax(axis=1)
            close = similarity[np.arange(len(loose)), best] >= self.join_similarity
            result[loose[close]] = best[close]
        return result

    def _finish(self, X: np.ndarray) -> None:
        ids = sorted(set(self.labels_.tolist()) - {-1})
        if ids:
            self.centroids_ = centroids(X, self.labels_, ids)
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
