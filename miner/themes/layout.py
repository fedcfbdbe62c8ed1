"""A 2-D map of the comments, computed at fit time from their embeddings.

Fast and deterministic, so it adds little to a fit and the same fit gives the same map:

1. every theme's centre (the unit-length mean of its comments' vectors) gets a place on
   the plane by classical multidimensional scaling of the centres' cosine distances
   (themes that read alike sit close);
2. a comment sits at the similarity-weighted mean of the centres' places (softmax of
   its cosine to each centre): a comment between two themes lands between them, an
   unassigned one near what it resembles most;
3. within its theme, a comment is spread by the two main directions (PCA) of the
   comments' distances from their centres, so near-identical comments stay together.

O(comments x themes x dimensions); UMAP and t-SNE gave a map of the same themes but
cost minutes on 2 cores for 3,000 comments (numba compilation, gradient descent).
"""

from __future__ import annotations

import numpy as np

from miner.schema import UNASSIGNED

# Softmax temperature over cosine similarities: low, so a comment stays by its theme.
TEMPERATURE = 0.03
# Radius of a theme's cloud, as a share of the distance to the nearest other theme.
SPREAD = 0.3
# Comments the within-theme directions are learned from (seeded sample when more).
SAMPLE = 20000


def theme_centres(vectors: np.ndarray, theme_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ids of the themes present (not unassigned) and their unit-length centres."""
    ids = np.unique(theme_ids[theme_ids != UNASSIGNED])
    centres = np.stack([vectors[theme_ids == t].mean(axis=0) for t in ids]) if len(ids) else None
    if centres is None:
        return ids, np.zeros((0, vectors.shape[1]), dtype=np.float32)
    norms = np.linalg.norm(centres, axis=1, keepdims=True)
    return ids, (centres / np.maximum(norms, 1e-12)).astype(np.float32)


def _fixed_signs(matrix: np.ndarray) -> np.ndarray:
    """Columns flipped so each one's largest-magnitude entry is positive (SVD and eigen
    decompositions choose signs arbitrarily; the map must not)."""
    biggest = matrix[np.abs(matrix).argmax(axis=0), np.arange(matrix.shape[1])]
    return matrix * np.where(biggest < 0, -1.0, 1.0)


def _centre_places(centres: np.ndarray) -> np.ndarray:
    """Classical MDS of the centres' cosine distances, scaled to a unit-ish square."""
    k = len(centres)
    if k == 1:
        return np.zeros((1, 2))
    distances = np.clip(1.0 - centres @ centres.T, 0.0, 2.0).astype(np.float64)
    centring = np.eye(k) - 1.0 / k
    gram = -0.5 * centring @ (distances**2) @ centring
    values, vectors = np.linalg.eigh(gram)
    order = np.argsort(values)[::-1][:2]
    places = vectors[:, order] * np.sqrt(np.maximum(values[order], 0.0))
    if places.shape[1] < 2:
        places = np.hstack([places, np.zeros((k, 2 - places.shape[1]))])
    places = _fixed_signs(places)
    scale = np.abs(places).max()
    return places / scale if scale > 0 else places


def comment_map(
    vectors: np.ndarray, theme_ids: np.ndarray, seed: int = 42
) -> tuple[np.ndarray, np.ndarray]:
    """``x`` and ``y`` of each comment (``vectors``: unit-length embeddings, one row per
    comment; ``theme_ids``: its main theme, -1 when none). Same input, same map."""
    from threadpoolctl import threadpool_limits

    # One BLAS thread: these products are small, and threads fight on a busy machine
    # (an eigen decomposition took 10 s instead of 0.2 s with OpenBLAS's threads).
    with threadpool_limits(1, user_api="blas"):
        return _comment_map(vectors, theme_ids, seed)


def _comment_map(vectors, theme_ids, seed: int) -> tuple[np.ndarray, np.ndarray]:
    vectors = np.asarray(vectors, dtype=np.float32)
    theme_ids = np.asarray(theme_ids)
    n = len(vectors)
    if n == 0:
        return np.zeros(0), np.zeros(0)
    ids, centres = theme_centres(vectors, theme_ids)
    if len(ids) == 0:  # no theme: the two main directions of the embeddings
        centres = vectors.mean(axis=0, keepdims=True)
        places = np.zeros((1, 2))
        nearest_gap = 1.0
    else:
        places = _centre_places(centres)
        gaps = np.linalg.norm(places[:, None] - places[None], axis=2)
        gaps[np.diag_indices(len(places))] = np.inf
        nearest_gap = float(gaps.min()) if len(places) > 1 else 1.0
    similarity = vectors @ centres.T
    weights = np.exp((similarity - similarity.max(axis=1, keepdims=True)) / TEMPERATURE)
    weights /= weights.sum(axis=1, keepdims=True)
    position = weights @ places
    # Spread within a theme: the main directions of comments' offsets from their centre.
    nearest = similarity.argmax(axis=1)
    offsets = vectors - centres[nearest]
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(n, SAMPLE, replace=False)) if n > SAMPLE else np.arange(n)
    learn = (offsets[sample] - offsets[sample].mean(axis=0)).astype(np.float64)
    values, vectors_ = np.linalg.eigh(learn.T @ learn)
    directions = _fixed_signs(vectors_[:, np.argsort(values)[::-1][:2]])
    spread = offsets @ directions
    if spread.shape[1] < 2:
        spread = np.hstack([spread, np.zeros((n, 2 - spread.shape[1]))])
    size = np.abs(spread).max()
    spread = spread / size * SPREAD * min(nearest_gap, 1.0) if size > 0 else spread
    xy = position + spread
    return xy[:, 0].astype(np.float32), xy[:, 1].astype(np.float32)
