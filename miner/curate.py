"""Making curation edits (:mod:`miner.curation`): the verbs behind ``miner curate`` and
the app's Curate themes page.

Each one checks the edit against the run's current themes (an unknown theme or row is
a :class:`~miner.errors.CurationError`, E110), stamps it with the time and saves it
at once (:func:`miner.curation.write_curation`). The heavy work is done here, once:
a merge's keywords (c-TF-IDF) and a split's sub-themes (embeddings, k-means, labels)
are stored in the edit, so applying edits stays pure and fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from miner import schema
from miner.curation import (
    N_KEYWORDS,
    Curation,
    Labelled,
    check_edit,
    edit_theme_ids,
    next_theme_id,
    now,
    read_curation,
    relabel,
    stored_assignment,
    theme_info,
    write_curation,
)
from miner.errors import CurationError
from miner.persist import load_run
from miner.schema import UNASSIGNED

# A split proposes 2..MAX_SPLIT sub-themes, each of at least MIN_SUB_THEME comments.
MAX_SPLIT = 6
MIN_SUB_THEME = 5


def _an_id(value, what: str = "theme id") -> int:
    """``value`` as a theme or row id: a whole number (0.9 is not theme 0), else E111."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        if not (isinstance(value, float | np.floating) and float(value).is_integer()):
            raise CurationError(f"a {what} is a whole number, not {value!r}")
    return int(value)


def _ids(values, what: str = "theme id") -> list[int]:
    """``values`` as a list of ids: a list of whole numbers ("12" is not themes 1, 2)."""
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        raise CurationError(f"give the {what}s as a list of whole numbers, not {values!r}")
    return [_an_id(v, what) for v in values]


def _label(label) -> str:
    if not isinstance(label, str):
        raise CurationError(f"a theme's name is text, not {label!r}")
    return label.strip()


def current_themes(run_dir: str | Path) -> tuple[object, Curation, dict[int, dict]]:
    """The run as fitted (not curated), its curation and the themes after it."""
    raw = load_run(run_dir, curated=False)
    curation = read_curation(run_dir)
    labelled = Labelled(rows=np.zeros(0, np.int64), main=np.zeros(0, np.int64))
    info, _, _ = relabel(labelled, curation.edits, theme_info(raw.themes), stored_assignment)
    return raw, curation, info


def add_edit(run_dir: str | Path, edit: dict) -> dict:
    """Check ``edit`` against the run's current themes, stamp it and save it."""
    _, curation, info = current_themes(run_dir)
    return _save_edit(run_dir, curation, info, edit)


def _save_edit(run_dir, curation: Curation, info: dict, edit: dict) -> dict:
    problem = check_edit(edit, info) or _name_taken(edit, info)
    if problem:
        raise CurationError(f"cannot {edit['op']}: {problem}")
    edit = {**edit, "at": now()}
    curation.edits.append(edit)
    write_curation(run_dir, curation)
    return edit


def _name_taken(edit: dict, info: dict) -> str | None:
    """Why a new name cannot be given: another theme has it (a merge box that kept the
    last merge's name had named a praise theme "Export problems", like a bug theme)."""
    from miner.themes.labels import label_key

    label = str(edit.get("label") or "").strip()
    if not label or edit["op"] not in ("rename", "merge"):
        return None
    if label.casefold() == "unassigned":
        return "'Unassigned' names the comments of no theme; choose another name"
    mine = set(edit_theme_ids(edit))
    for theme_id, theme in sorted(info.items()):
        # Case and a plural aside, as the fit tells labels apart ("Export problem"
        # beside "Export problems").
        if theme_id not in mine and label_key(str(theme["label"])) == label_key(label):
            return (
                f"'{theme['label']}' already names #{theme_id}; two themes of one name "
                "cannot be told apart (merge them, or choose another name)"
            )
    return None


def rename_theme(run_dir: str | Path, theme_id: int, label: str) -> dict:
    """Give theme ``theme_id`` the name ``label``."""
    theme_id = _an_id(theme_id)
    _, curation, info = current_themes(run_dir)
    was = info.get(theme_id, {}).get("label", "")
    edit = {"op": "rename", "theme_id": theme_id, "label": _label(label), "was": was}
    if theme_id in info and edit["label"] == was:
        raise CurationError(f"theme #{theme_id} is already named '{was}'; nothing to change")
    return _save_edit(run_dir, curation, info, edit)


def hide_theme(run_dir: str | Path, theme_id: int) -> dict:
    """Hide theme ``theme_id`` (noise): its comments become unassigned."""
    theme_id = _an_id(theme_id)
    _, curation, info = current_themes(run_dir)
    was = info.get(theme_id, {}).get("label", "")
    return _save_edit(run_dir, curation, info, {"op": "hide", "theme_id": theme_id, "was": was})


def merge_themes(run_dir: str | Path, theme_ids: Sequence[int], label: str | None = None) -> dict:
    """Merge ``theme_ids[1:]`` into ``theme_ids[0]`` (its id; its name unless ``label``).

    The merged theme's keywords are its comments' c-TF-IDF terms against the other
    themes (as at fit time).
    """
    ids = _ids(theme_ids)
    _, curation, info = current_themes(run_dir)
    edit = {"op": "merge", "theme_ids": ids}
    if label:
        edit["label"] = _label(label)
    problem = check_edit(edit, info)
    if problem:
        raise CurationError(f"cannot merge: {problem}")
    run = load_run(run_dir)
    analysed = run.documents["status"].isin(schema.ANALYSED).to_numpy()
    groups = run.documents["theme_id"].to_numpy(dtype=np.int64).copy()
    groups[np.isin(groups, ids[1:])] = ids[0]
    groups[~analysed] = UNASSIGNED
    edit["keywords"] = _keywords(comment_texts(run), groups).get(ids[0], [])
    return _save_edit(run_dir, curation, info, edit)


def move_comments(run_dir: str | Path, row_ids: Sequence[int], to: int) -> dict:
    """Make theme ``to`` (-1: none) the main theme of the comments ``row_ids``."""
    raw, curation, info = current_themes(run_dir)
    rows = sorted(set(_ids(row_ids, "row id")))
    to = _an_id(to)
    documents = raw.documents
    analysed = set(documents.loc[documents["status"].isin(schema.ANALYSED), "row_id"].tolist())
    unknown = [r for r in rows if r not in analysed]
    if not rows or unknown:
        raise CurationError(
            f"cannot move: rows {unknown or rows} are not analysed comments of this run "
            f"(row ids 0..{int(documents['row_id'].max())}, status ok or duplicate)"
        )
    if "batch" in documents.columns:
        # A row id names a comment in each batch, and a move names row ids only.
        batches = documents[documents["row_id"].isin(rows)].groupby("row_id")["batch"].nunique()
        shared = batches[batches > 1].index.tolist()
        if shared:
            raise CurationError(
                f"cannot move: rows {shared} are in {int(batches.max())} batches of this run "
                "(a row id names a comment in each); move comments in the fitted run before "
                "adding batches, or pick rows that only one batch has"
            )
    shared = answered_twice(documents, rows)
    if shared:
        # A survey of several questions: a row id names each answer of its respondent,
        # and a move names row ids only ("move 1 comment" had moved a respondent's
        # real answer with their "see above").
        raise CurationError(
            f"cannot move: rows {shared} each hold answers to several questions of this "
            "run (a row id names every answer of its respondent, and a move would move "
            "them all); merge, split or hide their themes instead"
        )
    return _save_edit(run_dir, curation, info, {"op": "move", "row_ids": rows, "to": to})


def answered_twice(documents: pd.DataFrame, rows: Sequence[int]) -> list[int]:
    """Those of ``rows`` with two or more analysed answers (a survey of several
    questions), which a move cannot tell apart."""
    if "question" not in documents.columns:
        return []
    chosen = documents[documents["row_id"].isin(rows) & documents["status"].isin(schema.ANALYSED)]
    counts = chosen.groupby("row_id").size()
    return sorted(int(r) for r in counts[counts > 1].index)


def undo(run_dir: str | Path) -> dict:
    """Undo the last edit (kept in the change log as undone); returns it."""
    curation = read_curation(run_dir)
    if not curation.edits:
        raise CurationError(f"nothing to undo: '{run_dir}' has no curation edits")
    edit = curation.edits.pop()
    curation.undone.append({**edit, "undone_at": now()})
    write_curation(run_dir, curation)
    return edit


# ---------------------------------------------------------------------- split
def comment_texts(run) -> list[str]:
    """Each documents row's comment, cleaned as ``miner fit`` read it (what it embedded)."""
    from miner.clean import clean
    from miner.insights.run import input_frame

    frame = input_frame(run.documents, run.meta)
    if frame is not None and run.text_col in frame:
        texts = frame[run.text_col]
    else:
        texts = run.documents["masked_text"]
    return clean(["" if pd.isna(t) else str(t) for t in texts]).texts


def _keywords(texts: Sequence[str], groups: np.ndarray) -> dict[int, list[str]]:
    from miner.themes.labels import class_keywords, is_content_word

    terms = class_keywords(texts, groups.tolist())
    return {
        g: [t for t, _ in words if is_content_word(t.split()[0])][:N_KEYWORDS]
        for g, words in terms.items()
    }


def propose_split(run_dir: str | Path, theme_id: int, k: int | None = None, miner=None) -> dict:
    """A split of theme ``theme_id`` into sub-themes, to show and accept
    (:func:`accept_split`).

    The theme's comments are embedded with the run's model (cached by text) and
    clustered with k-means (seeded by the run's seed) into ``k`` sub-themes, or the
    2..6 that give the best mean cosine silhouette; each sub-theme gets c-TF-IDF
    keywords against the others and a label as at fit time, and a new id after every
    id the run has had. Pieces about the theme go to the nearest sub-theme centre.
    """
    from sklearn.cluster import KMeans

    from miner.pipeline import FeedbackMiner
    from miner.themes.cluster import centroids, cosine_silhouette, l2_normalise
    from miner.themes.labels import PHRASE_SAMPLE, label_groups, label_key, nearest_members

    theme_id = _an_id(theme_id)
    if k is not None:
        k = _an_id(k, "number of sub-themes")
    _, curation, info = current_themes(run_dir)
    problem = check_edit({"op": "hide", "theme_id": theme_id}, info)
    if problem:
        raise CurationError(f"cannot split: {problem}")
    run = load_run(run_dir)
    if run.model_dir is None:
        raise CurationError(f"cannot split: '{run_dir}' has no {schema.MODEL_DIR}/ to embed with")
    documents = run.documents
    mine = (documents["theme_id"] == theme_id) & documents["status"].isin(schema.ANALYSED)
    rows = documents.loc[mine, "row_id"].to_numpy(dtype=np.int64)
    most = len(rows) // MIN_SUB_THEME
    if most < 2 or (k is not None and k > most):
        raise CurationError(
            f"cannot split #{theme_id}: its {len(rows)} comments make at most {max(most, 1)} "
            f"sub-themes of {MIN_SUB_THEME}+ comments"
        )
    if k is not None and k < 2:
        raise CurationError("a split needs k of 2 or more")
    texts = [t for t, m in zip(comment_texts(run), mine.tolist(), strict=True) if m]
    miner = miner or FeedbackMiner.load(run.model_dir)
    encode = miner._embedder().encode
    distinct, inverse = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
    vectors = l2_normalise(np.asarray(encode(distinct.tolist()), dtype=np.float32))[inverse]
    seed = int(run.meta.get("seed", 42))
    best = None
    for n in [k] if k else range(2, min(MAX_SPLIT, most) + 1):
        labels = KMeans(n_clusters=n, n_init=10, random_state=seed).fit_predict(vectors)
        sizes = np.bincount(labels, minlength=n)
        if k is None and sizes.min() < MIN_SUB_THEME:
            continue
        score = float(cosine_silhouette(vectors, labels).mean())
        if best is None or score > best[0] + 1e-9:
            best = (score, n, labels)
    if best is None:
        raise CurationError(
            f"cannot split #{theme_id}: no split gives sub-themes of {MIN_SUB_THEME}+"
        )
    score, n, labels = best
    order = np.argsort(-np.bincount(labels, minlength=n), kind="stable")
    labels = np.argsort(order)[labels]  # largest sub-theme first
    centres = centroids(vectors, labels, range(n))
    keywords = _sub_keywords(texts, labels)
    taken = {label_key(t["label"]) for i, t in info.items() if i != theme_id}
    samples = [
        [texts[i] for i in nearest[:PHRASE_SAMPLE]]
        for nearest in nearest_members(vectors, labels, centres)
    ]
    sub_labels = label_groups(
        samples,
        [keywords[sub] for sub in range(n)],
        centres,
        lambda candidates: l2_normalise(np.asarray(encode(candidates))),
        taken,
        products=getattr(miner, "product_nouns_", []),
    )
    first_id = next_theme_id(info, curation)
    themes = []
    for sub, label in enumerate(sub_labels):
        themes.append(
            {
                "theme_id": first_id + sub,
                "label": label,
                "keywords": [t for t, _ in keywords[sub]][:N_KEYWORDS],
                "comments": int((labels == sub).sum()),
                "centre": [round(float(x), 6) for x in centres[sub]],
                "row_ids": rows[labels == sub].tolist(),
                "pieces": [],
            }
        )
    _split_pieces(run, theme_id, themes, encode, centres)
    return {
        "op": "split",
        "theme_id": theme_id,
        "was": info[theme_id]["label"],
        "silhouette": round(score, 4),
        "themes": themes,
    }


def _sub_keywords(texts: list[str], labels: np.ndarray) -> dict[int, list[tuple[str, float]]]:
    from miner.themes.labels import class_keywords, is_content_word

    terms = class_keywords(texts, labels.tolist())
    return {
        g: [(t, s) for t, s in words if is_content_word(t.split()[0])] for g, words in terms.items()
    }


def _split_pieces(run, theme_id: int, themes: list[dict], encode, centres: np.ndarray) -> None:
    """Each piece about the split theme joins the sub-theme with the nearest centre."""
    from miner.themes.cluster import l2_normalise

    pieces = run.pieces
    if pieces is None:
        return
    about = pieces[pieces["theme_id"] == theme_id]
    if not len(about):
        return
    vectors = l2_normalise(np.asarray(encode(about["text"].astype(str).tolist()), dtype=np.float32))
    nearest = np.argmax(vectors @ centres.T, axis=1)
    for (row, piece), sub in zip(
        about[["row_id", "piece"]].itertuples(index=False), nearest.tolist(), strict=True
    ):
        themes[sub]["pieces"].append([int(row), int(piece)])


def accept_split(run_dir: str | Path, proposal: dict) -> dict:
    """Save a split :func:`propose_split` made (checked against the current themes)."""
    return add_edit(run_dir, proposal)


def split_theme(run_dir: str | Path, theme_id: int, k: int | None = None) -> dict:
    """Propose a split of ``theme_id`` and accept it."""
    return accept_split(run_dir, propose_split(run_dir, theme_id, k))
