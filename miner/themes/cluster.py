"""Clustering of comment embeddings into themes, without numba or per-run JIT.

``SpectralClusterer`` is a BERTopic-compatible cluster model (``fit`` sets
``labels_``, ``predict`` assigns new points). It works on centred embeddings
(the component every comment shares, "this is feedback about the product", is
removed). It links each comment to its nearest neighbours and cuts that graph
spectrally: the leading eigenvectors of the normalised neighbour graph place
comments that are reachable from each other through many short paths close
together, and a pivoted QR of those vectors (Damle, Minden and Ying's
``cluster_qr``, no random restarts) turns them into themes. On paraphrase-heavy
feedback this separates near-neighbouring requests better than linkage on the
embeddings themselves.

The number of themes is chosen by silhouette, measured on the embeddings
smoothed by their nearest neighbours: the count whose themes are most cohesive
and separated, and among counts scoring within ``parsimony`` of the best, the
fewest. Comments in clusters smaller than ``min_cluster_size`` score zero, so a
cut that shatters the corpus into crumbs never wins. A caller can ask for another
granularity: ``n_clusters`` cuts that many themes (no choice), ``count_scale`` cuts
the automatic count times the scale (0.5: about half as many themes).

Large corpora are clustered on a sample of ``sample_size`` comments (chosen by
a hash of each embedding, so adding rows keeps most of the sample); every other
comment takes the theme its nearest sampled neighbours vote for. Clusters
smaller than ``min_cluster_size`` are then dissolved: their comments join the
nearest theme when close enough, otherwise they stay unassigned (-1), as do
comments far from their theme's centre.
"""

from __future__ import annotations

import numpy as np


def l2_normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def adaptive_min_size(n_documents: int) -> int:
    """Smallest theme worth showing: grows slowly with corpus size (5 .. 40)."""
    return int(max(5, min(40, round(np.sqrt(max(n_documents, 1)) / 4))))


def most_clusters(n_documents: int, min_cluster_size: int, sample_size: int = 4000) -> int:
    """The most themes ``n_documents`` comments can be cut into, each of at least
    ``min_cluster_size`` (a sample of ``sample_size`` is cut with a smaller minimum,
    see :meth:`SpectralClusterer._cluster_sample`)."""
    most = n_documents // max(min_cluster_size, 1)
    if n_documents > sample_size:
        sample_min = max(2, min(min_cluster_size, adaptive_min_size(sample_size)))
        most = min(most, sample_size // sample_min)
    return int(most)


def centroids(X: np.ndarray, labels: np.ndarray, ids) -> np.ndarray:
    """Unit-length mean of the rows of each cluster in ``ids`` (in that order)."""
    return l2_normalise(np.stack([X[labels == i].mean(axis=0) for i in ids]))


def centre_similarity(X: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Cosine of each row of ``X`` (unit length) to the centre of its cluster
    (``labels``, every one a cluster id)."""
    ids = np.unique(labels)
    own = centroids(X, labels, ids)[np.searchsorted(ids, labels)]
    return np.einsum("ij,ij->i", X, own)


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


def cluster_qr(vectors: np.ndarray) -> np.ndarray:
    """Cluster ids from the rows of ``k`` spectral vectors (column-pivoted QR).

    The pivots pick ``k`` rows that are as far from one another as possible; the
    vectors are rotated so those rows become the coordinate axes, and each row
    goes to its largest coordinate. Deterministic, no restarts (Damle, Minden
    and Ying, 2019).
    """
    from scipy.linalg import qr, svd

    k = vectors.shape[1]
    # Single precision is plenty to rank rows, and the pivoting is the costly step.
    _, pivots = qr(vectors.T.astype(np.float32), pivoting=True, mode="r", check_finite=False)
    left, _, right = svd(vectors[pivots[:k], :].T)
    return np.abs(vectors @ (left @ right)).argmax(axis=1)


def nearest_neighbours(Z: np.ndarray, k: int) -> np.ndarray:
    """Indices of each row's ``k`` nearest other rows (nearest first)."""
    from sklearn.neighbors import NearestNeighbors

    k = min(k, len(Z) - 1)
    return NearestNeighbors(n_neighbors=k).fit(Z).kneighbors(return_distance=False)


def neighbour_graph(nearest: np.ndarray):
    """Symmetric k-nearest-neighbour graph (1 both ways, 0.5 one way), sparse."""
    from scipy.sparse import csr_matrix

    n, k = nearest.shape
    one_way = csr_matrix((np.ones(n * k), (np.repeat(np.arange(n), k), nearest.ravel())), (n, n))
    return (0.5 * (one_way + one_way.T)).tocsr()


def smooth(Z: np.ndarray, nearest: np.ndarray) -> np.ndarray:
    """Each row replaced by the normalised mean of itself and the rows in ``nearest``."""
    return l2_normalise((Z + Z[nearest].sum(axis=1)) / (nearest.shape[1] + 1))


def spectral_vectors(graph, count: int, seed: int = 42) -> np.ndarray:
    """The ``count`` leading eigenvectors of the normalised graph, rescaled by degree.

    Columns are ordered by eigenvalue, largest first; rows are comments. Small
    graphs use a dense solver, larger ones Lanczos (ARPACK) from a seeded start.
    """
    from scipy import sparse

    n = graph.shape[0]
    degree = np.asarray(graph.sum(axis=1)).ravel()
    scale = 1.0 / np.sqrt(np.maximum(degree, 1e-12))
    normalised = sparse.diags(scale) @ graph @ sparse.diags(scale)
    count = min(count, n - 1)
    if n <= 1500 or count >= n // 3:
        values, vectors = np.linalg.eigh(normalised.toarray())
    else:
        from scipy.sparse.linalg import ArpackNoConvergence, eigsh

        start = np.random.default_rng(seed).standard_normal(n)
        try:
            values, vectors = eigsh(normalised, k=count, which="LA", v0=start, tol=1e-4)
        except ArpackNoConvergence as stalled:
            # Keep the eigenvectors that converged: fewer candidate theme counts.
            values, vectors = stalled.eigenvalues, stalled.eigenvectors
            if len(values) < 2:
                raise
    order = np.argsort(-values, kind="stable")[:count]
    return vectors[:, order] * scale[:, None]


def row_priority(X: np.ndarray, seed: int) -> np.ndarray:
    """A pseudo-random number per row that depends only on the row and the seed."""
    import hashlib

    key = str(seed).encode()
    rows = np.ascontiguousarray(X, dtype=np.float32)
    return np.array(
        [
            int.from_bytes(hashlib.blake2b(row.tobytes(), digest_size=8, key=key).digest())
            for row in rows
        ],
        dtype=np.uint64,
    )


def top_k(values: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the ``k`` largest values of each row, largest first (equal
    values: lower column first); ``k`` at most the number of columns.

    Exact, and several times faster than a partition of every row when rows are long:
    the ``k``-th largest of a strided sample of about ``4·sqrt(k·n)`` columns is a floor
    that the row's true ``k`` largest all reach, so only the few values at or above it
    are sorted. A row whose floor is not a number (NaN) is sorted in full.
    """
    n_rows, n_cols = values.shape
    k = int(k)
    if k <= 0 or n_rows == 0:
        return np.zeros((n_rows, max(k, 0)), dtype=np.int64)
    stride = max(1, n_cols // max(k, int(4 * np.sqrt(k * n_cols))))
    sample = values[:, ::stride]
    floor = np.partition(sample, sample.shape[1] - k, axis=1)[:, sample.shape[1] - k]
    rows, cols = np.nonzero(values >= floor[:, None])
    kept = values[rows, cols]
    order = np.lexsort((cols, -kept, rows))
    rows, cols = rows[order], cols[order]
    counts = np.bincount(rows, minlength=n_rows)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    short = counts < k
    picked = np.zeros((n_rows, k), dtype=np.int64)
    if len(cols):
        picked = cols[np.minimum(starts[:, None] + np.arange(k), len(cols) - 1)]
    if short.any():
        columns = np.broadcast_to(np.arange(n_cols), (int(short.sum()), n_cols))
        full = np.lexsort((columns, -values[short]), axis=1)
        picked[short] = full[:, :k]
    return picked.astype(np.int64)


def neighbour_vote(
    queries: np.ndarray,
    references: np.ndarray,
    labels: np.ndarray,
    k: int = 10,
    batch_size: int = 2048,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Label of each query row: the similarity-weighted vote of its ``k`` most similar
    reference rows (unit vectors; a label of -1 votes for "unassigned").

    Returns the labels, the index of each query's most similar reference and that
    similarity. Works in blocks of ``batch_size`` queries, so memory stays flat.
    """
    k = min(k, len(references))
    n_labels = int(labels.max()) + 2 if len(labels) else 1
    chosen = np.empty(len(queries), dtype=np.int64)
    best_index = np.empty(len(queries), dtype=np.int64)
    best_similarity = np.empty(len(queries), dtype=np.float32)
    for begin in range(0, len(queries), batch_size):
        block = queries[begin : begin + batch_size]
        rows = np.arange(len(block))
        similarity = block @ references.T
        nearest = top_k(similarity, k)
        near_sim = np.take_along_axis(similarity, nearest, axis=1)
        # Each row's similarities summed per label, column by column (one bincount, the
        # same sums in the same order as adding each column in turn).
        bins = rows[:, None] * n_labels + labels[nearest] + 1
        votes = np.bincount(
            bins.ravel(),
            weights=np.clip(near_sim, 0, None).astype(np.float64).ravel(),
            minlength=len(block) * n_labels,
        ).reshape(len(block), n_labels)
        top = near_sim.argmax(axis=1)
        chosen[begin : begin + len(block)] = votes.argmax(axis=1) - 1
        best_index[begin : begin + len(block)] = nearest[rows, top]
        best_similarity[begin : begin + len(block)] = near_sim[rows, top]
    return chosen, best_index, best_similarity


# A handful of themes for this many comments that leaves more than BROAD_STRAYS of them
# far from their theme's centre (``stray_similarity``) is a split by product or forum,
# not by what is said: the count is then chosen among FINE_MIN_THEMES or more.
FINE_MIN_THEMES = 10
FINE_MIN_ROWS = 1000
BROAD_STRAYS = 0.10


def cut(vectors: np.ndarray, k: int) -> np.ndarray:
    """Themes 0.. of the rows from the first ``k`` spectral vectors (at most ``k``)."""
    return np.unique(cluster_qr(vectors[:, :k]), return_inverse=True)[1]


def merge_clusters(Z: np.ndarray, labels: np.ndarray, target: int) -> np.ndarray:
    """``labels`` (clusters 0..k-1) merged into ``target`` clusters: Ward linkage of the
    clusters' centres weighted by their sizes (a large theme weighs as much as its
    comments), numbered 0..target-1."""
    ids = np.unique(labels)
    if len(ids) <= target:
        return np.unique(labels, return_inverse=True)[1]
    centres = centroids(Z, labels, ids)
    sizes = np.array([np.sum(labels == i) for i in ids], dtype=np.float64)
    # Ward's cost of merging two groups: the squared distance of their means times
    # n_a * n_b / (n_a + n_b); scipy's linkage takes no weights.
    groups = {i: ([i], centres[i] * sizes[i], sizes[i]) for i in range(len(ids))}
    while len(groups) > target:
        keys = sorted(groups)
        means = np.stack([groups[k][1] / groups[k][2] for k in keys])
        weights = np.array([groups[k][2] for k in keys])
        square = np.einsum("ij,ij->i", means, means)
        distance = np.maximum(square[:, None] + square[None, :] - 2 * means @ means.T, 0.0)
        cost = (
            distance * (weights[:, None] * weights[None, :]) / (weights[:, None] + weights[None, :])
        )
        np.fill_diagonal(cost, np.inf)
        a, b = np.unravel_index(np.argmin(cost), cost.shape)
        ka, kb = keys[min(a, b)], keys[max(a, b)]
        members_a, total_a, size_a = groups[ka]
        members_b, total_b, size_b = groups.pop(kb)
        groups[ka] = (members_a + members_b, total_a + total_b, size_a + size_b)
    merged = np.empty(len(ids), dtype=np.int64)
    for new, key in enumerate(sorted(groups)):
        merged[groups[key][0]] = new
    return np.unique(merged[np.searchsorted(ids, labels)], return_inverse=True)[1]


def choose_count(score, k_max: int, parsimony: float, grid_size: int = 20, k_min: int = 2) -> int:
    """The theme count to keep, given ``score(k)`` for counts ``k_min``..``k_max``.

    Scores a geometric grid of counts, then every count (about 6 of them)
    between the best grid point's neighbours; among counts scoring within
    ``parsimony`` (a share of the best score) of the best, the fewest themes,
    refined the same way towards smaller counts.
    """
    k_max = max(2, int(k_max))
    k_min = int(np.clip(k_min, 2, k_max))
    grid = sorted(set(np.geomspace(k_min, k_max, grid_size).astype(int).tolist()))
    scores: dict[int, float] = {}

    def scored(k: int) -> float:
        if k not in scores:
            scores[k] = score(k)
        return scores[k]

    def refine(low: int, high: int) -> None:
        for candidate in range(low, high + 1, max(1, (high - low) // 6)):
            scored(candidate)

    best = max(grid, key=lambda k: (scored(k), -k))
    position = grid.index(best)
    refine(grid[max(position - 1, 0)], grid[min(position + 1, len(grid) - 1)])

    def good_enough() -> float:
        top = max(scores.values())
        return top - parsimony * abs(top)

    threshold = good_enough()
    fewest = min(k for k, value in scores.items() if value >= threshold)
    refine(max((k for k in grid if k < fewest), default=fewest), fewest)
    threshold = good_enough()
    return min(k for k, value in scores.items() if value >= threshold)


class SpectralClusterer:
    """Spectral themes on a k-nearest-neighbour graph; see the module.

    Parameters are plain values (scikit-learn style); fitted attributes end in ``_``.
    """

    def __init__(
        self,
        min_cluster_size: int = 10,
        n_neighbors: int = 20,
        join_similarity: float = 0.35,
        max_clusters: int = 250,
        min_clusters: int = 2,
        sample_size: int = 4000,
        smooth_neighbors: int = 5,
        stray_similarity: float = 0.3,
        parsimony: float = 0.035,
        seed: int = 42,
        n_clusters: int | None = None,
        count_scale: float = 1.0,
    ):
        self.min_cluster_size = min_cluster_size
        self.n_neighbors = n_neighbors
        self.join_similarity = join_similarity
        self.max_clusters = max_clusters
        self.min_clusters = min_clusters
        self.sample_size = sample_size
        self.smooth_neighbors = smooth_neighbors
        self.stray_similarity = stray_similarity
        self.parsimony = parsimony
        self.seed = seed
        self.n_clusters = n_clusters
        self.count_scale = count_scale

    def fit(self, X: np.ndarray, y=None) -> SpectralClusterer:
        X = l2_normalise(np.asarray(X, dtype=np.float64))
        n = len(X)
        if n < 2 * self.min_cluster_size:
            # Too few comments to split: one theme, if there is enough for one.
            labels = np.zeros(n, dtype=np.int64) if n >= self.min_cluster_size else -np.ones(n)
            self.labels_ = labels.astype(np.int64)
            self._finish(X)
            return self
        Z = l2_normalise(X - X.mean(axis=0))
        sample = self._sample(X)
        labels = -np.ones(n, dtype=np.int64)
        labels[sample] = self._cluster_sample(Z[sample], n, X[sample])
        rest = np.setdiff1d(np.arange(n), sample, assume_unique=True)
        if len(rest):
            known = sample[labels[sample] >= 0]
            if len(known):
                labels[rest] = neighbour_vote(Z[rest], Z[known], labels[known])[0]
        self.labels_ = self._drop_strays(X, self._dissolve_small(X, labels))
        self._finish(X)
        return self

    def _sample(self, X: np.ndarray) -> np.ndarray:
        """All rows, or the ``sample_size`` rows with the lowest hash priority."""
        if len(X) <= self.sample_size:
            return np.arange(len(X))
        priority = row_priority(X, self.seed)
        return np.sort(np.argsort(priority, kind="stable")[: self.sample_size])

    def _cluster_sample(self, Z: np.ndarray, n_total: int, X: np.ndarray) -> np.ndarray:
        """Spectral clusters of the (sampled) rows; rows of tiny graph islands get -1.

        ``Z``: the rows centred and normalised; ``X``: the same rows normalised.
        """
        from scipy.sparse.csgraph import connected_components
        from threadpoolctl import threadpool_limits

        m = len(Z)
        min_size = self.min_cluster_size
        if m < n_total:
            # A sample holds fewer comments per theme than the corpus.
            min_size = max(2, min(min_size, adaptive_min_size(m)))
        self.sample_min_size_ = min_size
        # Denser graphs for more comments: a theme smaller than the neighbour count
        # would be absorbed by its neighbours, and small corpora have small themes.
        k = int(np.clip(round(np.sqrt(m) / 3), 10, self.n_neighbors))
        nearest = nearest_neighbours(Z, max(k, self.smooth_neighbors))
        graph = neighbour_graph(nearest[:, :k])
        _, island = connected_components(graph, directed=False)
        sizes = np.bincount(island)
        linked = np.flatnonzero(sizes[island] >= min_size)
        labels = -np.ones(m, dtype=np.int64)
        self.n_clusters_auto_ = None
        self.broad_strays_ = None  # share of strays at the first automatic count
        if len(linked) < 2 * min_size:
            labels[linked] = 0
            self.n_clusters_chosen_, self.cut_scores_ = 1, {}
            return labels
        # More themes than this could not all reach the minimum size.
        most = int(max(2, len(linked) // min_size))
        linked_graph = graph[linked][:, linked]
        # Neighbours are linked in the graph, so a linked row's neighbours are linked.
        smoothed = smooth(Z, nearest[:, : self.smooth_neighbors])[linked]
        # The automatic count: always, since fewer themes than it are made by merging
        # its themes (below).
        k_max = min(self.max_clusters, most)
        vectors = spectral_vectors(linked_graph, k_max, self.seed)
        # The pivoted QRs are matrix-vector work on a thin matrix: OpenBLAS threads
        # cost more in synchronisation than they gain (3-4x slower on 2 cores).
        with threadpool_limits(1, user_api="blas"):
            labels[linked] = self._best_count(vectors, smoothed, min_size)
            self.broad_strays_ = self._stray_share(X[linked], labels[linked])
            if (
                self.n_clusters_chosen_ < FINE_MIN_THEMES
                and len(linked) >= FINE_MIN_ROWS
                and k_max >= 2 * FINE_MIN_THEMES
                and self.broad_strays_ > BROAD_STRAYS
            ):
                labels[linked] = self._best_count(
                    vectors, smoothed, min_size, k_min=FINE_MIN_THEMES
                )
        automatic = self.n_clusters_chosen_
        if self.n_clusters is None:
            self.n_clusters_auto_ = automatic
            if self.count_scale == 1:
                return labels
            target = round(automatic * self.count_scale)
        else:
            self.cut_scores_ = {}
            target = self.n_clusters
        target = int(np.clip(target, 2, most))
        if target == automatic:
            return labels
        if target < automatic:
            # Fewer themes: the automatic themes merged, nearest first. A spectral cut
            # into fewer pieces had made one theme of 75-89% of a helper's long reviews
            # (its leading vectors split off product talk and left the rest whole).
            labels[linked] = merge_clusters(Z[linked], labels[linked], target)
        else:
            if vectors.shape[1] < target:
                vectors = spectral_vectors(linked_graph, target, self.seed)
            with threadpool_limits(1, user_api="blas"):
                labels[linked] = cut(vectors, target)
        self.n_clusters_chosen_ = target
        return labels

    def _stray_share(self, X: np.ndarray, labels: np.ndarray) -> float:
        """Share of the rows less similar to their cluster's centre than
        ``stray_similarity`` (the comments :meth:`_drop_strays` would unassign)."""
        return float(np.mean(centre_similarity(X, labels) < self.stray_similarity))

    def _best_count(
        self, vectors: np.ndarray, Z: np.ndarray, min_size: int, k_min: int | None = None
    ) -> np.ndarray:
        """The partition, over theme counts (from ``k_min``, default ``min_clusters``),
        with the best size-aware silhouette."""
        partitions: dict[int, np.ndarray] = {}
        scores: dict[int, float] = {}

        def score(k: int) -> float:
            # choose_count asks for each count once.
            labels = cut(vectors, k)
            partitions[k] = labels
            if labels.max() < 1:
                scores[k] = -1.0
            else:
                values = cosine_silhouette(Z, labels)
                values[np.bincount(labels)[labels] < min_size] = 0.0
                scores[k] = float(values.mean())
            return scores[k]

        k_min = self.min_clusters if k_min is None else k_min
        best = choose_count(score, vectors.shape[1], self.parsimony, k_min=k_min)
        self.n_clusters_chosen_ = best
        self.cut_scores_ = dict(sorted(scores.items()))
        return partitions[best]

    def _drop_strays(self, X: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Unassign comments less similar to their theme's centre than ``stray_similarity``.

        The graph puts every comment somewhere; "ok", "asdf" or "nothing to add"
        end up at the edge of some theme, far from its centre.
        """
        labels = labels.copy()
        assigned = np.flatnonzero(labels >= 0)
        if not len(assigned):
            return labels
        similarity = centre_similarity(X[assigned], labels[assigned])
        labels[assigned[similarity < self.stray_similarity]] = -1
        return labels

    def _dissolve_small(self, X: np.ndarray, labels: np.ndarray) -> np.ndarray:
        ids, counts = np.unique(labels[labels >= 0], return_counts=True)
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
