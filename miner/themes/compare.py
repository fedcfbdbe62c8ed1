"""Theme identity across runs: match two runs' themes, keep ids on refit.

Two runs' themes are compared by the cosine similarity of their centres (the mean
embedding of each theme's comments, in the same embedding space). Themes are paired
one to one by the assignment that maximises the total similarity
(:func:`scipy.optimize.linear_sum_assignment`); a pair counts as the same theme when
its similarity is at least ``MATCH_SIMILARITY``. What is left is

- **split**: a theme of the later run, unpaired, whose closest earlier theme (at least
  ``MATCH_SIMILARITY``) is paired with another later theme: the earlier theme split;
- **new**: a later theme close to no earlier theme;
- **merged**: an earlier theme, unpaired, whose closest later theme (at least
  ``MATCH_SIMILARITY``) is paired with another earlier theme;
- **gone**: an earlier theme close to no later theme.

On the demo corpus, the same planted theme fitted twice has centres more than 0.95
alike, while different themes are below 0.65 (the closest pairs, e.g. a phone-app
and a web-app theme): 0.7 separates them with room on both sides.

``miner fit --previous RUN_DIR`` uses :func:`identity_mapping` to give each paired
theme its previous id and label; other themes get ids after the previous run's
largest, so an id never changes meaning from one run to the next.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from miner import schema
from miner.errors import InvalidConfig, ModelLoadError

MATCH_SIMILARITY = 0.7
MATCHED, NEW, GONE, MERGED, SPLIT = "matched", "new", "gone", "merged", "split"
STATUSES = (MATCHED, SPLIT, NEW, MERGED, GONE)
COMPARISON_COLUMNS = (
    "status",
    "previous_id",
    "previous_label",
    "previous_comments",
    "previous_share",
    "current_id",
    "current_label",
    "current_comments",
    "current_share",
    "similarity",
)


@dataclass(frozen=True)
class ThemeSet:
    """A run's themes: ids, labels, sizes (comments) and unit-length centres."""

    ids: np.ndarray
    labels: list[str]
    comments: np.ndarray
    centroids: np.ndarray
    name: str = ""
    # The fitted ThemeModel the themes come from (to tell what it does not explain).
    model: object = field(default=None, compare=False, repr=False)
    # Per theme, the unit centres of the fitted themes a curation merged into it (None:
    # each theme is its centroid): a theme is as close to another as its closest part.
    parts: tuple | None = field(default=None, compare=False, repr=False)
    # The run's analysed comments (every theme's and the unassigned), 0 when unknown:
    # a theme's share of them compares runs of different sizes.
    total: int = 0
    # The first id no theme of the run has ever had (gone themes, a curation's split
    # sub-themes, undone edits): a later run's new themes are numbered from it.
    first_free: int = 0

    def centres(self) -> list[np.ndarray]:
        """Each theme's centres, one row each (its parts, or its centroid)."""
        if self.parts is not None:
            return list(self.parts)
        return [row[None, :] for row in self.centroids]

    @classmethod
    def from_model(cls, theme_model, comments: dict[int, int] | None = None, name: str = ""):
        """The themes of a fitted :class:`~miner.themes.ThemeModel`; ``comments`` per
        theme id (the run's themes table) or else the model's training sizes."""
        table = theme_model.themes_
        ids = table["theme_id"].to_numpy(dtype=np.int64)
        sizes = dict(zip(ids.tolist(), table["size"].astype(int).tolist(), strict=True))
        sizes.update(comments or {})
        centroids = np.asarray(theme_model.centroids_, dtype=np.float32)
        return cls(
            ids=ids,
            labels=[str(label) for label in table["label"]],
            comments=np.array([sizes.get(i, 0) for i in ids.tolist()], dtype=np.int64),
            centroids=centroids[ids],
            name=name,
            model=theme_model,
            # centroids_ keeps a row for every id the model has had (gaps are zero)
            first_free=max(len(centroids), int(ids.max()) + 1 if len(ids) else 0),
        )


def load_theme_set(run_dir: str | Path, curated: bool = False, named: bool = False) -> ThemeSet:
    """The themes of the run (or model folder) at ``run_dir``; with ``curated``, as
    the PM's edits left them (:func:`curated_theme_set`); with ``named``, the fitted
    themes under the names the PM gave them (a renamed theme's, a merge's on its
    target; what ``miner fit --previous`` pairs with and keeps).

    Raises :class:`ModelLoadError` (E107) when there is no readable model there.
    """
    from miner.persist import model_directory
    from miner.themes import ThemeModel

    run_dir = Path(run_dir)
    try:
        folder = model_directory(run_dir)
    except ModelLoadError as exc:
        raise ModelLoadError(
            f"no theme model in '{run_dir}': give a run folder written by `miner fit` "
            f"(it holds {schema.MODEL_DIR}/)"
        ) from exc
    model = ThemeModel.load(folder / schema.MODEL_THEMES_DIR)
    comments, total = None, 0
    themes_csv = folder.parent / schema.THEMES_FILE
    if themes_csv.exists():
        # The run's own counts (every row, not the fitting sample); labels as shown.
        try:
            table = pd.read_csv(themes_csv, keep_default_na=False)
            id_col = "theme_id"
            size_col = "comments" if "comments" in table else "size"
            total = int(table[size_col].astype(int).sum())
            table = table[table[id_col] >= 0]
            comments = dict(
                zip(table[id_col].astype(int), table[size_col].astype(int), strict=True)
            )
        except (OSError, ValueError, KeyError) as exc:
            raise ModelLoadError(f"cannot read {themes_csv}: {exc}") from exc
    from miner.curation import ModelCuration, next_theme_id, read_curation

    themes = ThemeSet.from_model(model, comments, name=str(run_dir))
    curation = read_curation(folder)
    # New themes of a later run are numbered after every id the curation has given too
    # (a split's sub-themes, undone edits included).
    first_free = max(themes.first_free, next_theme_id({}, curation))
    themes = replace(themes, total=total, first_free=first_free)
    if curated:
        return curated_theme_set(themes, folder)
    if named and curation.edits:  # the names alone: no curated centres, sizes or run
        names = ModelCuration(curation, model.themes_).labels()
        ids = themes.ids.tolist()
        return replace(
            themes, labels=[names.get(i, x) for i, x in zip(ids, themes.labels, strict=True)]
        )
    return themes


def curated_theme_set(themes: ThemeSet, model_dir: Path) -> ThemeSet:
    """``themes`` (a saved model's, at ``model_dir``) after its curation: renamed
    themes under their new names, hidden ones left out, merged ones as one theme (its
    centroid the size-weighted mean of theirs; its parts their centres, so it is as
    close to another theme as the closest of them), split ones as their sub-themes
    (with the centres the split stored). Sizes are the curated run's comments when the run's
    documents are beside the model (moves count there), else the fitted sizes carried
    through merges; a theme a split made then has no size it can be given (0)."""
    from miner.curation import ModelCuration, read_curation

    curation = read_curation(model_dir)
    if not curation.edits:
        return themes
    curated = ModelCuration(curation, themes.model.themes_)
    labels = curated.labels()
    split_centres = {
        int(sub["theme_id"]): np.asarray(sub["centre"], dtype=np.float32)
        for edit in curation.edits
        if edit["op"] == "split"
        for sub in edit["themes"]
    }
    index = {int(i): k for k, i in enumerate(themes.ids.tolist())}
    members: dict[int, list[int]] = {}
    for original, now in curated.fate.items():
        for theme_id in now:
            members.setdefault(int(theme_id), []).append(int(original))
    ids = np.array(sorted(labels), dtype=np.int64)
    centroids, parts, sizes = [], [], []
    for theme_id in ids.tolist():
        if theme_id in split_centres:
            centre, size = split_centres[theme_id], 0
            centre = centre / max(float(np.linalg.norm(centre)), 1e-12)
            parts.append(centre[None, :])
        else:
            rows = [index[i] for i in members.get(theme_id, [theme_id]) if i in index]
            weights = themes.comments[rows].astype(np.float64) + 1e-9
            centre = (weights[:, None] * themes.centroids[rows]).sum(axis=0)
            size = int(themes.comments[rows].sum())
            parts.append(themes.centroids[rows])
        centroids.append(centre / max(float(np.linalg.norm(centre)), 1e-12))
        sizes.append(size)
    counts = _curated_counts(model_dir.parent)
    if counts is not None:
        sizes = [counts.get(i, 0) for i in ids.tolist()]
    return replace(
        themes,
        ids=ids,
        labels=[labels[i] for i in ids.tolist()],
        comments=np.asarray(sizes, dtype=np.int64),
        centroids=np.asarray(centroids, dtype=np.float32).reshape(len(ids), -1),
        parts=tuple(np.asarray(p, dtype=np.float32) for p in parts),
    )


def _curated_counts(run_dir: Path) -> dict[int, int] | None:
    """Theme id -> comments of the curated run at ``run_dir``; None when no run is
    there (a model folder on its own)."""
    from miner.persist import load_run

    if not (run_dir / schema.DOCUMENTS_FILE).exists():
        return None
    table = load_run(run_dir).themes
    table = table[table["theme_id"] >= 0]
    return dict(zip(table["theme_id"].astype(int), table["comments"].astype(int), strict=True))


@dataclass(frozen=True)
class Comparison:
    """The comparison of a previous (earlier) and a current (later) run's themes.

    ``table`` has one row per theme event (:data:`COMPARISON_COLUMNS`): matched and
    split rows name both themes, new rows only the current one, gone and merged rows
    the previous one (a merged row names the current theme it merged into).
    """

    table: pd.DataFrame
    threshold: float
    previous: str = ""
    current: str = ""
    # Each run's analysed comments (0: unknown), what the shares are of.
    totals: tuple[int, int] = (0, 0)

    def of(self, status: str) -> pd.DataFrame:
        return self.table[self.table["status"] == status]

    def counts(self) -> dict[str, int]:
        return {s: int((self.table["status"] == s).sum()) for s in STATUSES}

    def masked(self) -> Comparison:
        """The comparison with personal data in its theme labels masked (a PM's name
        for a theme may hold a phone number, as the report shows it masked)."""
        from miner.pii import mask_texts

        table = self.table.copy()
        for column in ("previous_label", "current_label"):
            table[column] = mask_texts(table[column].tolist())
        return replace(self, table=table)

    def lines(self) -> list[str]:
        """Human-readable lines: the counts, then every theme that is not matched."""
        counts = self.counts()
        lines = [
            f"Themes compared (centre similarity >= {self.threshold:.2f}): "
            + ", ".join(f"{counts[s]} {s}" for s in STATUSES)
        ]
        for row in self.table.itertuples(index=False):
            lines.append("  " + _describe(row))
        return lines

    def to_dict(self) -> dict:
        records = self.table.astype(object).where(self.table.notna(), None)
        return {
            "previous": self.previous,
            "current": self.current,
            "threshold": self.threshold,
            "analysed": {"previous": self.totals[0], "current": self.totals[1]},
            "counts": self.counts(),
            "themes": [
                {k: _plain(v) for k, v in record.items()}
                for record in records.to_dict(orient="records")
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, allow_nan=False) + "\n"


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _sized(comments, share) -> str:
    """ "(410)", or "(410, 13.7%)" when the run's total is known."""
    return f"({comments:,})" if share is None or share != share else f"({comments:,}, {share:.1%})"


def _describe(row) -> str:
    previous = f"#{row.previous_id} {row.previous_label} "
    previous += _sized(row.previous_comments, row.previous_share)
    current = f"#{row.current_id} {row.current_label} "
    current += _sized(row.current_comments, row.current_share)
    if row.status == MATCHED:
        return f"matched  {previous} -> {current}, similarity {row.similarity:.2f}"
    if row.status == SPLIT:
        return f"split    {previous} -> also {current}, similarity {row.similarity:.2f}"
    if row.status == MERGED:
        return f"merged   {previous} -> into {current}, similarity {row.similarity:.2f}"
    if row.status == NEW:
        return f"new      {current}"
    return f"gone     {previous}"


# Weight of the whole centres' similarity when pairing themes that have parts: it only
# orders pairs whose closest parts are about as alike.
PART_TIE = 0.1


def _similarity(current: ThemeSet, previous: ThemeSet) -> np.ndarray:
    """Current x previous cosine similarity of the themes' centres; a curated theme
    made of merged themes is as close as its closest part."""
    if current.parts is None and previous.parts is None:
        return current.centroids @ previous.centroids.T
    theirs = previous.centres()
    return np.array(
        [[float((ours @ other.T).max()) for other in theirs] for ours in current.centres()],
        dtype=np.float32,
    ).reshape(len(current.ids), len(previous.ids))


def compare_themes(
    previous: ThemeSet, current: ThemeSet, threshold: float = MATCH_SIMILARITY
) -> Comparison:
    """Match ``current``'s themes to ``previous``'s (see the module)."""
    from scipy.optimize import linear_sum_assignment

    if len(previous.ids) and len(current.ids):
        if previous.centroids.shape[1] != current.centroids.shape[1]:
            raise InvalidConfig(
                f"the runs' themes live in different embedding spaces "
                f"({previous.centroids.shape[1]} and {current.centroids.shape[1]} dimensions): "
                "compare runs fitted with the same --embedding-model"
            )
        similarity = _similarity(current, previous)
    else:
        similarity = np.zeros((len(current.ids), len(previous.ids)), dtype=np.float32)
    pair_of_current: dict[int, int] = {}
    if similarity.size:
        preference = similarity
        if current.parts is not None or previous.parts is not None:
            # A merged theme is as close as its closest part, so a 6-comment part alike
            # to a small theme tied with its 96-comment bulk alike to its successor; the
            # whole theme's centre (its parts' size-weighted mean) breaks the tie.
            preference = similarity + PART_TIE * (current.centroids @ previous.centroids.T)
        # Only pairs that can match count: a pair below the threshold, dropped after the
        # assignment, had steered it (a split's 7-comment sub-theme, 0.8 alike to a
        # theme, took that theme's pairing and left a merge paired with its smaller part).
        preference = np.where(similarity >= threshold, preference, 0.0)
        rows, cols = linear_sum_assignment(-preference)
        for c, p in zip(rows.tolist(), cols.tolist(), strict=True):
            if similarity[c, p] >= threshold:
                pair_of_current[c] = p
    paired_previous = set(pair_of_current.values())
    records = []

    def share(themes: ThemeSet, k) -> float | None:
        return round(int(themes.comments[k]) / themes.total, 4) if themes.total else None

    def record(status, p=None, c=None, sim=np.nan):
        records.append(
            {
                "status": status,
                "previous_id": None if p is None else int(previous.ids[p]),
                "previous_label": None if p is None else previous.labels[p],
                "previous_comments": None if p is None else int(previous.comments[p]),
                "previous_share": None if p is None else share(previous, p),
                "current_id": None if c is None else int(current.ids[c]),
                "current_label": None if c is None else current.labels[c],
                "current_comments": None if c is None else int(current.comments[c]),
                "current_share": None if c is None else share(current, c),
                "similarity": None if sim != sim else round(float(sim), 4),
            }
        )

    for c in range(len(current.ids)):
        if c in pair_of_current:
            p = pair_of_current[c]
            record(MATCHED, p, c, similarity[c, p])
            continue
        p = int(similarity[c].argmax()) if similarity.shape[1] else -1
        if p >= 0 and similarity[c, p] >= threshold:
            record(SPLIT, p, c, similarity[c, p])
        else:
            record(NEW, c=c)
    for p in range(len(previous.ids)):
        if p in paired_previous:
            continue
        c = int(similarity[:, p].argmax()) if similarity.shape[0] else -1
        if c >= 0 and similarity[c, p] >= threshold:
            record(MERGED, p, c, similarity[c, p])
        else:
            record(GONE, p=p)
    table = pd.DataFrame(records, columns=list(COMPARISON_COLUMNS))
    for column in ("previous_id", "previous_comments", "current_id", "current_comments"):
        table[column] = table[column].astype("Int64")
    order = {s: i for i, s in enumerate(STATUSES)}
    table = table.sort_values(
        by=["status", "current_id", "previous_id"],
        key=lambda s: s.map(order) if s.name == "status" else s,
        kind="stable",
    ).reset_index(drop=True)
    return Comparison(
        table, threshold, previous.name, current.name, (previous.total, current.total)
    )


def compare_runs(run_a: str | Path, run_b: str | Path, threshold: float = MATCH_SIMILARITY):
    """:func:`compare_themes` of two run folders (``run_a`` the earlier), each as
    its curation left it."""
    return compare_themes(
        load_theme_set(run_a, curated=True), load_theme_set(run_b, curated=True), threshold
    )


def identity_mapping(comparison: Comparison, previous: ThemeSet) -> tuple[dict, dict]:
    """Current theme id -> kept id, and kept id -> label, for ``miner fit --previous``.

    A matched theme takes its previous id and label; every other current theme takes
    an id after every id the previous run has had (``previous.first_free``: its gone
    themes and its curation's split sub-themes too, so an id never changes meaning; in
    its current order), and its own label.
    """
    ids: dict[int, int] = {}
    labels: dict[int, str] = {}
    next_id = max(int(previous.ids.max()) + 1 if len(previous.ids) else 0, previous.first_free)
    taken = set()
    for row in comparison.of(MATCHED).itertuples(index=False):
        ids[int(row.current_id)] = int(row.previous_id)
        labels[int(row.previous_id)] = str(row.previous_label)
        taken.add(str(row.previous_label).casefold())
    others = comparison.table[comparison.table["status"].isin([NEW, SPLIT])]
    for row in others.sort_values("current_id").itertuples(index=False):
        ids[int(row.current_id)] = next_id
        label = str(row.current_label)
        if label.casefold() in taken:  # a kept label already says it: tell them apart
            label = f"{label} (new)"
        labels[next_id] = label
        taken.add(label.casefold())
        next_id += 1
    return ids, labels


def renumber_theme_model(
    theme_model, ids: dict[int, int], labels: dict[int, str], first_free: int = 0
) -> None:
    """Give ``theme_model``'s themes the ``ids`` (old -> new) and ``labels`` (new id ->
    label), in place. Ids may leave gaps (themes of the previous run that are gone):
    ``centroids_`` keeps one row per id up to the largest, or up to ``first_free``
    (the previous run's, so the next run numbers after it too), zero for a gap, so a
    theme's centre stays ``centroids_[theme_id]``."""
    lookup = np.full(max(ids, default=-1) + 2, -1, dtype=np.int64)  # index -1: unassigned
    for old, new in ids.items():
        lookup[old] = new
    from miner.themes.hierarchy import renamed_area

    table = theme_model.themes_.copy()
    fitted = dict(zip(table["theme_id"].astype(int), table["label"].astype(str), strict=True))
    table["theme_id"] = [ids[int(t)] for t in table["theme_id"]]
    table["label"] = [
        labels.get(int(t), label)
        for t, label in zip(table["theme_id"], table["label"], strict=True)
    ]
    centroids = np.asarray(theme_model.centroids_)
    rows = max(max(ids.values(), default=-1) + 1, first_free)
    moved = np.zeros((rows, centroids.shape[1]), centroids.dtype)
    for old, new in ids.items():
        moved[new] = centroids[old]
    theme_model.themes_ = table
    theme_model.centroids_ = moved
    theme_model.train_labels_ = lookup[np.asarray(theme_model.train_labels_)]
    theme_model.labels_ = lookup[np.asarray(theme_model.labels_)]
    # An area named after two of its themes takes the names they keep ("Price without
    # adding features, Small business and 2 more" had stayed after "Small business"
    # was carried over as "Pricing too expensive").
    theme_model.parents_ = [
        {
            **area,
            "theme_ids": [ids[int(t)] for t in area["theme_ids"]],
            "label": renamed_area(
                str(area.get("label", "")),
                [fitted.get(int(t), "") for t in area["theme_ids"]],
                [labels.get(ids[int(t)], fitted.get(int(t), "")) for t in area["theme_ids"]],
            ),
        }
        for area in theme_model.parents_
    ]


def renumber_ids(values: np.ndarray, ids: dict[int, int]) -> np.ndarray:
    """``values`` (theme ids, -1 = unassigned) with ``ids`` (old -> new) applied."""
    values = np.asarray(values, dtype=np.int64)
    lookup = np.full(max(ids, default=-1) + 2, -1, dtype=np.int64)
    for old, new in ids.items():
        lookup[old] = new
    return lookup[values]


def renumber_pieces(pieces, ids: dict[int, int]):
    """:class:`miner.pieces.CommentPieces` with ``ids`` (old -> new) applied."""
    if pieces is None:
        return None
    return replace(
        pieces,
        theme_id=renumber_ids(pieces.theme_id, ids),
        theme_ids=[renumber_ids(t, ids) for t in pieces.theme_ids],
    )
