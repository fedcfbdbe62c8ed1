"""Guided themes: a PM's list of expected themes, used where the data supports them.

A guided theme is a name and a few words ("Invoice export: invoice, export, pdf").
Its embedding (of ``"name: words"``) pulls the comments close to it a little
closer before clustering, so an expected theme is not swallowed by a neighbour.
After clustering, a theme whose comments mostly lean to one guided theme takes
its name; when enough comments lean to a guided theme that no theme matched,
they become a theme of their own. A guided theme that few comments are close
to creates nothing: the data does not support it.

File formats (``miner fit --guided-themes FILE``): JSON, either a list of
``{"name": ..., "words": [...]}`` or an object ``{name: [words]}``; or text with
one theme per line, ``Name: word, word, word`` (``#`` starts a comment line).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from miner.errors import InputNotFound, InvalidConfig
from miner.themes.cluster import l2_normalise

# Cosine similarity (all-MiniLM-L6-v2) above which a comment leans to a guided
# theme: most comments of a matching theme pass it, unrelated ones rarely do.
GUIDE_SIMILARITY = 0.4
# Weight of the guided theme's vector when nudging a close comment (comment: 3).
NUDGE_WEIGHT = 1.0
# Share of a theme's comments that must lean to one guided theme to take its name.
MATCH_SHARE = 0.5


@dataclass(frozen=True)
class GuidedTheme:
    name: str
    words: tuple[str, ...] = field(default_factory=tuple)

    @property
    def query(self) -> str:
        """The text embedded for this guided theme."""
        return f"{self.name}: {', '.join(self.words)}" if self.words else self.name

    def to_dict(self) -> dict:
        return {"name": self.name, "words": list(self.words)}


def guided_themes_from(values: Sequence) -> list[GuidedTheme]:
    """Guided themes from plain values: ``GuidedTheme``s, dicts or ``"Name: w, w"`` strings."""
    themes: list[GuidedTheme] = []
    for value in values:
        if isinstance(value, GuidedTheme):
            theme = value
        elif isinstance(value, dict):
            name = str(value.get("name", "")).strip()
            words = value.get("words", [])
            if isinstance(words, str):
                words = words.split(",")
            theme = GuidedTheme(name, tuple(str(w).strip() for w in words if str(w).strip()))
        elif isinstance(value, str):
            name, _, words = value.partition(":")
            theme = GuidedTheme(
                name.strip(), tuple(w.strip() for w in words.split(",") if w.strip())
            )
        else:
            raise InvalidConfig(
                f"a guided theme must be a name with words, not {type(value).__name__}"
            )
        if not theme.name:
            raise InvalidConfig("every guided theme needs a name, e.g. 'Invoice export: pdf'")
        themes.append(theme)
    names = [t.name.casefold() for t in themes]
    repeated = sorted({t.name for t in themes if names.count(t.name.casefold()) > 1})
    if repeated:
        raise InvalidConfig(f"guided theme names must differ; repeated: {', '.join(repeated)}")
    return themes


def read_guided_themes(path: str | Path) -> list[GuidedTheme]:
    """Read a guided-themes file (JSON or ``Name: words`` lines); clear errors otherwise."""
    path = Path(path)
    if not path.is_file():
        raise InputNotFound(f"guided themes file '{path}' not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidConfig(f"cannot read guided themes from '{path}': {exc}") from exc
    if path.suffix.lower() == ".json":
        try:
            values = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidConfig(f"'{path}' is not valid JSON: {exc}") from exc
        if isinstance(values, dict):
            values = [{"name": k, "words": v} for k, v in values.items()]
        if not isinstance(values, list):
            raise InvalidConfig(
                f'\'{path}\' must hold a list of {{"name": ..., "words": [...]}} objects'
            )
    else:
        values = [
            line.strip()
            for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
    themes = guided_themes_from(values)
    if not themes:
        raise InvalidConfig(f"'{path}' lists no guided themes; write one per line: 'Name: words'")
    return themes


def leanings(embeddings: np.ndarray, guide_vectors: np.ndarray) -> np.ndarray:
    """For each comment, the guided theme it leans to (its nearest one, if close), or -1."""
    if len(guide_vectors) == 0 or len(embeddings) == 0:
        return np.full(len(embeddings), -1, dtype=np.int64)
    similarity = embeddings @ guide_vectors.T
    nearest = similarity.argmax(axis=1)
    close = similarity[np.arange(len(embeddings)), nearest] >= GUIDE_SIMILARITY
    return np.where(close, nearest, -1).astype(np.int64)


def nudge(embeddings: np.ndarray, guide_vectors: np.ndarray, lean: np.ndarray) -> np.ndarray:
    """Comments that lean to a guided theme moved a quarter of the way towards it."""
    nudged = np.array(embeddings, dtype=np.float64, copy=True)
    leaning = lean >= 0
    nudged[leaning] = 3 * nudged[leaning] + NUDGE_WEIGHT * guide_vectors[lean[leaning]]
    return l2_normalise(nudged)


def apply_guides(labels: np.ndarray, lean: np.ndarray, min_size: int) -> dict[int, int]:
    """Match clusters to guided themes; carve out supported guided themes no cluster has.

    ``labels`` (cluster per comment, -1 unassigned) is changed in place when a
    guided theme gets a new cluster. Returns {cluster: guided theme index}; each
    guided theme names at most one cluster (the one with most comments leaning
    to it), and each cluster at most one guided theme.
    """
    matches: dict[int, int] = {}
    n_guides = int(lean.max()) + 1 if len(lean) else 0
    clusters = sorted(set(labels.tolist()) - {-1})
    candidates = []
    for cluster in clusters:
        members = lean[labels == cluster]
        counts = np.bincount(members[members >= 0], minlength=n_guides)
        if counts.sum() == 0:
            continue
        guide = int(counts.argmax())
        if counts[guide] >= MATCH_SHARE * len(members):
            candidates.append((-int(counts[guide]), cluster, guide))
    for _, cluster, guide in sorted(candidates):
        if guide not in matches.values():
            matches[cluster] = guide
    next_id = (max(clusters) + 1) if clusters else 0
    for guide in range(n_guides):
        if guide in matches.values():
            continue
        leaning = np.flatnonzero(lean == guide)
        if len(leaning) >= min_size:
            labels[leaning] = next_id
            matches[next_id] = guide
            next_id += 1
    return matches


class GuidedClusterer:
    """Wraps a cluster model: nudge towards guided themes, cluster, then match and carve.

    ``matches_`` maps each final cluster id to the index of its guided theme.
    """

    def __init__(self, base, guide_vectors: np.ndarray, min_cluster_size: int):
        self.base = base
        self.guide_vectors = guide_vectors
        self.min_cluster_size = min_cluster_size

    def fit(self, X: np.ndarray, y=None) -> GuidedClusterer:
        X = l2_normalise(np.asarray(X, dtype=np.float64))
        lean = leanings(X, self.guide_vectors)
        self.base.fit(nudge(X, self.guide_vectors, lean))
        labels = np.asarray(self.base.labels_, dtype=np.int64).copy()
        self.matches_ = apply_guides(labels, lean, self.min_cluster_size)
        self.labels_ = labels
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.base.predict(X)
