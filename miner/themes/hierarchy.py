"""Parent areas over themes, so a large corpus reads as a handful of areas.

Theme centres are grouped with Ward linkage (weighted by theme size through
repetition-free centroids); the number of areas, between ``min_areas`` and
``max_areas``, is the one with the best silhouette. A corpus with few themes
gets no parents (``parent_id`` -1): its themes already are the areas.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np

from miner.themes.labels import is_content_word, label_key, make_label, repeats_word


def themes_name(labels: Sequence[str]) -> str:
    """An area named after its themes (largest first): "A & B", or "A, B and 4 more"."""
    if len(labels) <= 2:
        return " & ".join(labels)
    return f"{labels[0]}, {labels[1]} and {len(labels) - 2} more"


def named_after(label: str, names: Sequence[str]) -> tuple[int, int] | None:
    """Which two of an area's themes ``names`` its ``label`` names ("A & B", "A, B and 4
    more"; their positions in ``names``, either order: the fit orders them by its own
    sizes, which need not be the themes' comments), or None for an area named from its
    keywords. A renamed theme had kept its old name in its area's."""
    from itertools import permutations

    names = list(names)
    if len(names) == 1:
        return (0, 0) if names and label == names[0] else None
    more = names[: max(len(names) - 2, 0)]  # only their count shows
    for first, second in permutations(range(len(names)), 2):
        if label == themes_name([names[first], names[second], *more]):
            return first, second
    return None


def renamed_area(label: str, before: Sequence[str], after: Sequence[str]) -> str:
    """An area's ``label`` once its themes' names ``before`` are ``after`` (the same
    themes in the same order): an area named after two of its themes is named after
    their new names; one named from keywords keeps its label."""
    pair = named_after(label, before)
    if pair is None:
        return label
    first, second = pair
    if first == second:
        return after[first]
    return themes_name([after[first], after[second], *list(after)[: max(len(after) - 2, 0)]])


def parent_areas(
    centroids: np.ndarray,
    sizes: Sequence[int],
    terms: Sequence[Sequence[tuple[str, float]]],
    min_areas: int = 6,
    max_areas: int = 12,
    theme_labels: Sequence[str] | None = None,
    label_area: Callable[[np.ndarray, list[tuple[str, float]], set[str]], str] | None = None,
) -> tuple[np.ndarray, list[dict]]:
    """Return each theme's parent id (-1 when there is no hierarchy) and the parents.

    Parents are ``{"parent_id", "label", "size", "theme_ids"}``, largest first. An
    area of one theme takes its label, of two "A & B"; a larger area is labelled
    from its themes' keywords weighted by theme size: by ``label_area(theme ids,
    weighted terms, labels taken)`` when given (the comments' own phrases), else
    :func:`make_label`. Two theme labels that share a word are not joined ("Blue
    colour & Navy colour"): that area is labelled like a larger one.
    """
    n_themes = len(centroids)
    if n_themes <= max_areas:
        return np.full(n_themes, -1, dtype=np.int64), []
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import silhouette_score

    best_labels, best_score = None, -2.0
    for k in range(min_areas, min(max_areas, n_themes - 1) + 1):
        labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(centroids)
        score = silhouette_score(centroids, labels, metric="cosine")
        if score > best_score + 1e-9:
            best_labels, best_score = labels, score
    assert best_labels is not None
    sizes = np.asarray(sizes)
    totals = {g: int(sizes[best_labels == g].sum()) for g in set(best_labels.tolist())}
    order = sorted(totals, key=lambda g: (-totals[g], int(np.argmax(best_labels == g))))
    renumber = {old: new for new, old in enumerate(order)}
    parent_of = np.array([renumber[g] for g in best_labels], dtype=np.int64)
    names = list(theme_labels) if theme_labels is not None else [None] * n_themes
    every_theme = {label_key(name) for name in names if name}
    taken: set[str] = set()
    parents = []
    for parent_id in range(len(order)):
        members = np.flatnonzero(parent_of == parent_id)
        members = members[np.argsort(-sizes[members], kind="stable")]
        joined = [names[t] for t in members]
        if len(members) <= 2 and all(joined) and not repeats_word(_content(joined)):
            label = themes_name(joined)
        else:
            weights: dict[str, float] = defaultdict(float)
            for theme in members:
                for term, score in terms[theme]:
                    weights[term] += score * sizes[theme]
            ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
            if label_area is not None:
                label = label_area(members, ranked, taken)
            else:
                label = make_label(ranked, taken)
            # Not a theme's label: an area named after one of its themes (a demo area
            # of four, "Price and removed features") reads as that theme in every table
            # that lists both; named after a theme of another area (a hotel's wifi area
            # "Location near the station", from a sentence many of its reviews ended
            # with) it reads as that theme's. Its two largest themes name it then.
            if label_key(label) in every_theme:
                # "A, B and 4 more" when it has more: an engagement survey's area of six,
                # its return-to-office themes small, had read "Hours & Office snacks".
                pair = themes_name(joined)
                if (
                    all(joined[:2])
                    and not repeats_word(_content(joined[:2]))
                    and label_key(pair) not in taken
                ):
                    label = pair
                elif label_area is not None:
                    label = label_area(members, ranked, taken | every_theme)
                else:
                    label = make_label(ranked, taken | every_theme)
        taken.add(label_key(label))
        parents.append(
            {
                "parent_id": parent_id,
                "label": label,
                "size": int(sizes[members].sum()),
                "theme_ids": [int(t) for t in members],
            }
        )
    return parent_of, parents


def _content(labels: Sequence[str]) -> list[str]:
    return [w for label in labels for w in label.split() if is_content_word(w)]
