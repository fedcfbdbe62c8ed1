"""Curation: the PM's edits of a run's themes, stored in the run and applied everywhere.

Five edits (``schema.CURATION_OPS``), made by :mod:`miner.curate`: **rename** a theme,
**merge** themes into the first one named, **split** a theme into the sub-themes
:func:`miner.curate.propose_split` finds, **move** comments to another theme, **hide**
a theme (noise: its comments become unassigned, ``theme_id`` -1, and it leaves every
table). This module reads, writes and applies them; it imports neither
:mod:`miner.persist` nor the pipeline, which both use it.

``RUN_DIR/curation.json`` is an event log::

    {"version": 1,
     "edits":  [{"op": "rename", "theme_id": 3, "label": "Bank feeds", "was": "Reconnect bank",
                 "at": "2026-12-03T17:02:11+00:00"}, ...],
     "undone": [{...an edit..., "undone_at": "..."}]}

``edits`` are applied in order; ``undo`` moves the last one to ``undone`` (kept for
the change log). The fitted tables on disk are never rewritten, so undo is exact.

Where the edits apply:

- :func:`miner.persist.load_run` returns the curated run (:func:`apply_curation`):
  documents and pieces relabelled, the themes table rebuilt
  (:func:`miner.tables.theme_table`), jobs' theme lists mapped, the insight tables
  computed again (:func:`miner.insights.run.refresh_insights`). The app, ``miner
  report``, exports and the roadmap read runs through it and need nothing else.
- ``RUN_DIR/model/curation.json`` is a copy that ``miner score --model`` follows
  (:class:`ModelCuration`): a merged theme scores as its target, a renamed one under
  its new name, a hidden one as unassigned, a split one as the sub-theme whose centre
  is nearest to the comment (the centres are stored in the split edit). Moves name
  the run's own rows and do not apply to new data.
- ``miner fit --previous OLD_RUN`` carries OLD_RUN's renames, hides and merges over
  to the themes that keep their ids (:func:`carry_over`); splits and moves name the
  old run's comments and are reported as not carried.

An edit that no longer applies (a theme an earlier edit removed) is skipped and
reported in ``run.meta["curation"]["skipped"]``. Heavy work (embeddings, c-TF-IDF)
happens when an edit is made and is stored in it: applying edits is pure and fast.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from miner import schema
from miner.errors import CurationError
from miner.schema import UNASSIGNED
from miner.themes.hierarchy import named_after, themes_name

CURATION_FORMAT = 1
N_KEYWORDS = 8


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# ------------------------------------------------------------------- the file
@dataclass
class Curation:
    """The edits of ``curation.json``, applied in order, and those undone."""

    edits: list[dict] = field(default_factory=list)
    undone: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"version": CURATION_FORMAT, "edits": self.edits, "undone": self.undone}

    @classmethod
    def from_dict(cls, data, source: str = schema.CURATION_FILE) -> Curation:
        if not isinstance(data, dict) or data.get("version") != CURATION_FORMAT:
            found = data.get("version") if isinstance(data, dict) else type(data).__name__
            raise CurationError(
                f"{source} has version {found!r}; this miner reads version {CURATION_FORMAT}"
            )
        edits, undone = data.get("edits", []), data.get("undone", [])
        for edit in [*edits, *undone]:
            if not isinstance(edit, dict) or edit.get("op") not in schema.CURATION_OPS:
                raise CurationError(f"{source} holds an edit miner does not know: {edit!r:.200}")
        return cls(list(edits), list(undone))

    def digest(self) -> str:
        text = json.dumps(self.to_dict(), sort_keys=True)
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()

    def log(self) -> pd.DataFrame:
        """The change log, oldest first: ``at``, ``what`` and ``undone_at`` (or null)."""
        entries = [(e["at"], describe(e), None) for e in self.edits]
        entries += [(e["at"], describe(e), e.get("undone_at")) for e in self.undone]
        log = pd.DataFrame(entries, columns=["at", "what", "undone_at"])
        return log.sort_values("at", kind="stable").reset_index(drop=True)


def describe(edit: dict) -> str:
    """One line saying what ``edit`` does."""
    op = edit["op"]
    if op == "rename":
        was = f" '{edit['was']}'" if edit.get("was") else ""
        return f"rename #{edit['theme_id']}{was} to '{edit['label']}'"
    if op == "merge":
        target, *others = edit["theme_ids"]
        into = f"#{target}" + (f" as '{edit['label']}'" if edit.get("label") else "")
        return f"merge {', '.join(f'#{i}' for i in others)} into {into}"
    if op == "split":
        parts = ", ".join(f"#{s['theme_id']} '{s['label']}'" for s in edit["themes"])
        return f"split #{edit['theme_id']} '{edit.get('was', '')}' into {parts}"
    if op == "move":
        rows = edit["row_ids"]
        shown = ", ".join(str(r) for r in rows[:5]) + (", …" if len(rows) > 5 else "")
        to = "unassigned" if int(edit["to"]) < 0 else f"#{edit['to']}"
        return f"move {schema.counted(len(rows), 'comment')} (rows {shown}) to {to}"
    return f"hide #{edit['theme_id']} '{edit.get('was', '')}'"


def read_curation(directory: str | Path) -> Curation:
    """The curation in ``directory`` (a run or model folder); empty when it has none."""
    path = Path(directory) / schema.CURATION_FILE
    if not path.exists():
        return Curation()
    try:
        data = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CurationError(f"cannot read {path}: {exc}; fix or remove it") from exc
    return Curation.from_dict(data, str(path))


def write_curation(run_dir: str | Path, curation: Curation) -> Path:
    """Write ``curation.json`` into the run and, when the run has one, its model folder
    (whose ``manifest.json`` records the curation's digest)."""
    from miner.atomic import atomic_write_text
    from miner.errors import OutputNotWritable

    run_dir = Path(run_dir)
    text = json.dumps(curation.to_dict(), indent=1) + "\n"
    model_dir = run_dir / schema.MODEL_DIR
    manifest_path = model_dir / schema.MODEL_MANIFEST_FILE
    # The run's file first, then the model's, each written whole; a write that fails puts
    # back what was written before it (an unwritable run folder had left the model
    # curated and the run not, and `miner score --model` naming themes the run did not).
    writes = [(run_dir / schema.CURATION_FILE, text)]
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        manifest["curation"] = {"file": schema.CURATION_FILE, "digest": curation.digest()}
        writes += [
            (model_dir / schema.CURATION_FILE, text),
            (manifest_path, json.dumps(manifest, indent=2) + "\n"),
        ]
    written: list[tuple[Path, str | None]] = []  # each file written, with what it held
    try:
        for path, content in writes:
            held = path.read_text() if path.is_file() else None
            atomic_write_text(path, content)
            written.append((path, held))
    except OSError as error:
        for path, held in reversed(written):
            try:
                if held is None:
                    path.unlink()
                else:
                    atomic_write_text(path, held)
            except OSError:
                pass
        raise OutputNotWritable(
            f"cannot write the curation to '{run_dir}': {error.strerror or error}; the run "
            "and its model are as they were"
        ) from error
    return run_dir / schema.CURATION_FILE


# ------------------------------------------------------------- themes in edits
def _keyword_list(value) -> list[str]:
    if isinstance(value, list | tuple | np.ndarray):
        return [str(v) for v in value]
    return [k.strip() for k in str(value or "").split(";") if k.strip()]


def theme_info(themes: pd.DataFrame, model: bool = False) -> dict[int, dict]:
    """Theme id -> label, area, keywords and guided name, from a run's themes table
    (or, with ``model``, a theme model's ``themes_``)."""
    label, area = ("label", "parent_id") if model else ("theme_label", "area_id")
    info = {}
    for row in themes[themes["theme_id"] >= 0].to_dict(orient="records"):
        info[int(row["theme_id"])] = {
            "label": str(row[label]),
            "area_id": int(row.get(area, UNASSIGNED)),
            "keywords": _keyword_list(row.get("keywords")),
            "guided": str(row.get("guided") or ""),
        }
    return info


def edit_theme_ids(edit: dict) -> list[int]:
    """The themes an edit names (that must exist when it is applied)."""
    op = edit["op"]
    if op == "merge":
        return [int(i) for i in edit["theme_ids"]]
    if op == "move":
        return [] if int(edit["to"]) == UNASSIGNED else [int(edit["to"])]
    return [int(edit["theme_id"])]


def created_ids(edit: dict) -> list[int]:
    return [int(s["theme_id"]) for s in edit["themes"]] if edit["op"] == "split" else []


def next_theme_id(info: dict[int, dict], curation: Curation) -> int:
    """The first id no theme has ever had in this run (undone edits included)."""
    used = set(info)
    for edit in [*curation.edits, *curation.undone]:
        used |= {*edit_theme_ids(edit), *created_ids(edit)}
        used |= {int(edit["theme_id"])} if "theme_id" in edit else set()
    return max(used, default=-1) + 1


# The longest name a PM can give a theme (the fitted labels are a few words).
MAX_LABEL = 80


def check_edit(edit: dict, info: dict[int, dict]) -> str | None:
    """Why ``edit`` cannot apply to themes ``info`` (None: it can)."""
    missing = [i for i in edit_theme_ids(edit) if i not in info]
    if missing:
        known = ", ".join(f"#{i} {info[i]['label']}" for i in sorted(info)[:40])
        names = ", ".join(f"#{i}" for i in missing)
        return f"no theme {names} (themes: {known})"
    if edit["op"] == "merge" and len(set(edit["theme_ids"])) < 2:
        return "a merge needs two different themes or more"
    if edit["op"] == "rename" and not str(edit["label"]).strip():
        return "a theme's name cannot be empty"
    label = str(edit.get("label") or "").strip()
    if len(label) > MAX_LABEL or "\n" in label or "\r" in label:
        return f"a theme's name is one line of at most {MAX_LABEL} characters"
    taken = [i for i in created_ids(edit) if i in info]
    if taken:
        return f"theme ids {taken} are taken"
    return None


def evolve(info: dict[int, dict], edit: dict) -> dict[int, dict]:
    """Themes ``info`` after ``edit`` (a new dict; ``edit`` already checked)."""
    info = {k: dict(v) for k, v in info.items()}
    op = edit["op"]
    if op == "rename":
        info[int(edit["theme_id"])]["label"] = str(edit["label"]).strip()
    elif op == "merge":
        target, *others = (int(i) for i in edit["theme_ids"])
        merged = [info[target]["keywords"], *(info[o]["keywords"] for o in others)]
        for other in others:
            del info[other]
        if edit.get("label"):
            info[target]["label"] = str(edit["label"]).strip()
        info[target]["keywords"] = list(edit.get("keywords") or _interleave(merged))
    elif op == "split":
        parent = info.pop(int(edit["theme_id"]))
        for sub in edit["themes"]:
            info[int(sub["theme_id"])] = {
                "label": sub["label"],
                "area_id": parent["area_id"],
                "keywords": list(sub.get("keywords", [])),
                "guided": "",
            }
    elif op == "hide":
        del info[int(edit["theme_id"])]
    return info


def _interleave(lists: Sequence[list[str]], n: int = N_KEYWORDS) -> list[str]:
    """The first keyword of each list, then the second of each, ... (no repeats)."""
    out: list[str] = []
    for position in range(max((len(x) for x in lists), default=0)):
        for words in lists:
            if position < len(words) and words[position] not in out:
                out.append(words[position])
    return out[:n]


# ------------------------------------------------------- relabelling the comments
# split_assign(edit, row_ids, piece_numbers or None) -> the sub-theme of each position.
SplitAssign = Callable[[dict, np.ndarray, np.ndarray | None], np.ndarray]


@dataclass
class Labelled:
    """Theme ids being curated: each comment's main theme (``main``, by ``rows``),
    the themes each mentions flattened (``list_rows``, ``list_ids``) and each piece's
    (``piece_rows``, ``piece_numbers``, ``piece_ids``)."""

    rows: np.ndarray
    main: np.ndarray
    list_rows: np.ndarray | None = None
    list_ids: np.ndarray | None = None
    # The position in ``rows`` of each flattened list entry: a row id repeats in a run
    # of several questions or batches (a respondent's title and body).
    list_pos: np.ndarray | None = None
    piece_rows: np.ndarray | None = None
    piece_numbers: np.ndarray | None = None
    piece_ids: np.ndarray | None = None


def relabel(
    labelled: Labelled,
    edits: Sequence[dict],
    info: dict[int, dict],
    split_assign: SplitAssign,
    moves: bool = True,
) -> tuple[dict[int, dict], list[str], dict[int, list[int]]]:
    """Apply ``edits`` in order to the ids of ``labelled`` (in place).

    Returns the themes after them, the edits skipped (with why) and the fate of every
    theme of ``info``: the themes it is now (empty: hidden).
    """
    fate = {i: [i] for i in info}
    skipped = []
    for edit in edits:
        if edit["op"] == "move" and not moves:
            continue
        problem = check_edit(edit, info)
        if problem:
            skipped.append(f"{describe(edit)}: {problem}")
            continue
        _relabel_one(labelled, edit, split_assign)
        info = evolve(info, edit)
        fate = {k: _fate(v, edit) for k, v in fate.items()}
    return info, skipped, fate


def _fate(ids: list[int], edit: dict) -> list[int]:
    op, out = edit["op"], []
    for i in ids:
        if op == "merge" and i in edit["theme_ids"]:
            i = int(edit["theme_ids"][0])
        if op == "hide" and i == edit["theme_id"]:
            continue
        if op == "split" and i == edit["theme_id"]:
            out += [t for t in created_ids(edit) if t not in out]
            continue
        if i not in out:
            out.append(i)
    return out


def _relabel_one(labelled: Labelled, edit: dict, split_assign: SplitAssign) -> None:
    op = edit["op"]
    if op == "move":
        to = int(edit["to"])
        moving = np.isin(labelled.rows, np.asarray(edit["row_ids"], dtype=np.int64))
        old = dict(zip(labelled.rows[moving].tolist(), labelled.main[moving].tolist(), strict=True))
        old_main = np.where(moving, labelled.main, -2)
        labelled.main[moving] = to
        if labelled.list_ids is not None:
            was = old_main[labelled.list_pos]
            labelled.list_ids[(was == labelled.list_ids) & (labelled.list_ids >= 0)] = to
        if labelled.piece_rows is not None:
            was = np.array([old.get(r, -2) for r in labelled.piece_rows.tolist()], dtype=np.int64)
            hit = (was == labelled.piece_ids) & (labelled.piece_ids >= 0)
            labelled.piece_ids[hit] = to
        return
    arrays = [
        (labelled.main, labelled.rows, None),
        (labelled.list_ids, labelled.list_rows, None),
        (labelled.piece_ids, labelled.piece_rows, labelled.piece_numbers),
    ]
    for ids, rows, numbers in arrays:
        if ids is None:
            continue
        if op == "merge":
            ids[np.isin(ids, edit["theme_ids"][1:])] = int(edit["theme_ids"][0])
        elif op == "hide":
            ids[ids == int(edit["theme_id"])] = UNASSIGNED
        elif op == "split":
            hit = ids == int(edit["theme_id"])
            if hit.any():
                ids[hit] = split_assign(edit, rows[hit], None if numbers is None else numbers[hit])


def stored_assignment(edit: dict, rows: np.ndarray, pieces: np.ndarray | None) -> np.ndarray:
    """Sub-themes of a split in the run it was made on: as the split put each comment
    (and piece); a comment it did not see takes the largest sub-theme."""
    by_row, by_piece = {}, {}
    for sub in edit["themes"]:
        by_row.update(dict.fromkeys(sub.get("row_ids", []), int(sub["theme_id"])))
        by_piece.update({tuple(p): int(sub["theme_id"]) for p in sub.get("pieces", [])})
    first = int(edit["themes"][0]["theme_id"])
    if pieces is None:
        # A comment mentioning the theme in one of its pieces: that piece's sub-theme.
        for (row, _), sub in sorted(by_piece.items()):
            by_row.setdefault(row, sub)
        return np.array([by_row.get(r, first) for r in rows.tolist()], dtype=np.int64)
    return np.array(
        [
            by_piece.get((r, p), by_row.get(r, first))
            for r, p in zip(rows.tolist(), pieces.tolist(), strict=True)
        ],
        dtype=np.int64,
    )


def _theme_lists(labelled: Labelled) -> list[np.ndarray]:
    """Each comment's themes from the flattened lists: in order, no repeats, no -1."""
    flat = pd.DataFrame({"pos": labelled.list_pos, "theme": labelled.list_ids})
    flat = flat[flat["theme"] >= 0].drop_duplicates()
    grouped = {p: g.to_numpy(dtype=np.int64) for p, g in flat.groupby("pos", sort=False)["theme"]}
    none = np.zeros(0, dtype=np.int64)
    return [grouped.get(p, none) for p in range(len(labelled.rows))]


def _flatten(lists: pd.Series, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    arrays = [np.asarray(x, dtype=np.int64) for x in lists]
    lengths = np.array([len(a) for a in arrays], dtype=np.int64)
    ids = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)
    return np.repeat(rows, lengths), ids.astype(np.int64)


def _labelled_documents(documents: pd.DataFrame, pieces: pd.DataFrame | None) -> Labelled:
    rows = documents["row_id"].to_numpy(dtype=np.int64)
    labelled = Labelled(rows=rows, main=documents["theme_id"].to_numpy(dtype=np.int64).copy())
    if "theme_ids" in documents:
        labelled.list_rows, labelled.list_ids = _flatten(documents["theme_ids"], rows)
        labelled.list_pos, _ = _flatten(documents["theme_ids"], np.arange(len(rows)))
    if pieces is not None:
        labelled.piece_rows = pieces["row_id"].to_numpy(dtype=np.int64)
        labelled.piece_numbers = pieces["piece"].to_numpy(dtype=np.int64)
        labelled.piece_ids = pieces["theme_id"].to_numpy(dtype=np.int64).copy()
    return labelled


def _relabelled_documents(documents, labelled: Labelled, info) -> pd.DataFrame:
    documents = documents.copy()
    documents["theme_id"] = labelled.main
    labels = {i: t["label"] for i, t in info.items()}
    documents["theme_label"] = pd.array([labels.get(int(t)) for t in labelled.main], dtype="string")
    if labelled.list_ids is not None:
        documents["theme_ids"] = _theme_lists(labelled)
    return documents


# --------------------------------------------------------------- apply to a run
def _curated_areas(
    fitted: pd.DataFrame, info: dict[int, dict], sizes: dict[int, int] | None = None
) -> list[dict]:
    """The areas (``parent_id``, ``label``) of the curated themes ``info`` (``sizes``:
    their comments). An area the fit named after its one or two themes ("Screens &
    Loading the dashboard") is named after its themes as curated (renamed, merged
    away, hidden, split), the largest first: "A & B", or "A, B and 4 more" when a
    split left it more; an area named from its keywords keeps its name."""
    if "area_id" not in fitted:
        return []
    areas = []
    sizes = sizes or {}
    fitted = fitted[fitted["area_id"] >= 0].sort_values("comments", ascending=False, kind="stable")
    for area_id, members in fitted.groupby("area_id", sort=False):
        label = str(members["area_label"].iloc[0])
        if named_after(label, members["theme_label"].astype(str).tolist()) is not None:
            order = {int(t): k for k, t in enumerate(members["theme_id"])}
            now = [i for i, t in info.items() if t["area_id"] == area_id]
            now.sort(key=lambda i: (-sizes.get(i, 0), order.get(i, len(order)), i))
            if now:
                label = themes_name([info[i]["label"] for i in now])
        areas.append({"parent_id": int(area_id), "label": label})
    return areas


def apply_curation(run, curation: Curation):
    """``run`` (a :class:`miner.persist.Run`) as its curation shows it (see the module).

    Pure: the run given is not changed. ``meta["curation"]`` records the edits
    applied, the edits skipped (and why) and the hidden themes.
    """
    from miner.insights.run import refresh_insights
    from miner.tables import theme_table

    if not curation.edits:
        return run
    labelled = _labelled_documents(run.documents, run.pieces)
    before = theme_info(run.themes)
    info, skipped, fate = relabel(labelled, curation.edits, before, stored_assignment)
    documents = _relabelled_documents(run.documents, labelled, info)
    pieces = run.pieces
    if pieces is not None:
        pieces = pieces.assign(theme_id=labelled.piece_ids)
    model_table = pd.DataFrame(
        [
            {
                "theme_id": i,
                "label": t["label"],
                "parent_id": t["area_id"],
                "keywords": t["keywords"],
                "guided": t["guided"],
            }
            for i, t in sorted(info.items())
        ],
        columns=["theme_id", "label", "parent_id", "keywords", "guided"],
    )
    if "guided" not in run.themes:
        model_table = model_table.drop(columns="guided")
    main = documents.loc[documents["theme_id"] >= 0, "theme_id"].value_counts()
    areas = _curated_areas(run.themes, info, {int(t): int(n) for t, n in main.items()})
    # theme_table reads these columns; a narrow copy makes its per-theme filters cheap.
    read = ["row_id", "status", "theme_id", "theme_ids", "theme_confidence", "sentiment", "kind"]
    narrow = documents[[c for c in dict.fromkeys([*read, run.id_column]) if c in documents]]
    themes = theme_table(narrow, model_table, id_col=run.id_column, areas=areas, pieces=pieces)
    jobs = run.jobs
    if jobs is not None and "theme_ids" in jobs:
        held = _job_theme_counts(documents)
        jobs = jobs.assign(
            theme_ids=[
                _mapped_list(v, fate, held.get(int(j), {}))
                for j, v in zip(jobs["job_id"], jobs["theme_ids"], strict=True)
            ]
        )
    hidden = {int(i) for i, now in fate.items() if not now}
    # and themes an edit made (a split's sub-theme) that a later edit hid
    hides = [int(e["theme_id"]) for e in curation.edits if e["op"] == "hide"]
    hidden |= {i for i in hides if i not in info}
    hidden = sorted(hidden)
    meta = {
        **run.meta,
        "curation": {
            "edits": len(curation.edits) - len(skipped),
            "skipped": skipped,
            "hidden": hidden,
        },
    }
    curated = dataclasses.replace(
        run, documents=documents, pieces=pieces, themes=themes, jobs=jobs, meta=meta
    )
    return refresh_insights(curated)


def _job_theme_counts(documents: pd.DataFrame) -> dict[int, dict[int, int]]:
    """Job id -> curated theme id -> the comments stating that job (first) in it."""
    if "job_id" not in documents:
        return {}
    stated = documents[(documents["job_id"] >= 0) & (documents["theme_id"] >= 0)]
    counts = stated.groupby(["job_id", "theme_id"]).size()
    held: dict[int, dict[int, int]] = {}
    for (job, theme), n in counts.items():
        held.setdefault(int(job), {})[int(theme)] = int(n)
    return held


def _mapped_list(value, fate: dict[int, list[int]], held: dict | None = None) -> list[int]:
    """A job's themes (most comments first) after the edits: a merged theme as its
    target, a hidden one left out, a split one as those of its sub-themes that hold the
    job's comments (``held``: theme -> comments), most first, not every sub-theme."""
    ids = json.loads(value) if isinstance(value, str) else list(value)
    held = held or {}
    out: list[int] = []
    for i in ids:
        now = fate.get(int(i), [int(i)])
        if len(now) > 1:
            now = sorted((t for t in now if held.get(t)), key=lambda t: (-held[t], t))
        for theme in now:
            if theme not in out:
                out.append(theme)
    return out


def curated_theme_count(themes: pd.DataFrame, curation: Curation) -> int:
    """How many themes a run whose fitted themes table is ``themes`` has after
    ``curation`` (merged away and hidden ones gone, a split's sub-themes counted),
    without reading its comments: what the workspace's runs list shows."""
    labelled = Labelled(rows=np.zeros(0, np.int64), main=np.zeros(0, np.int64))
    info, _, _ = relabel(labelled, curation.edits, theme_info(themes), stored_assignment)
    return len(info)


# ------------------------------------------------------------ apply to new data
class ModelCuration:
    """A run's curation as ``miner score --model`` applies it to new comments.

    ``themes`` is the theme model's table (``ThemeModel.themes_``); moves are left
    out (they name the run's own rows).
    """

    def __init__(self, curation: Curation, themes: pd.DataFrame):
        self.curation = curation
        self.before = theme_info(themes, model=True)
        labelled = Labelled(rows=np.zeros(0, np.int64), main=np.zeros(0, np.int64))
        self.info, self.skipped, self.fate = relabel(
            labelled, curation.edits, self.before, stored_assignment, moves=False
        )

    def labels(self) -> dict[int, str]:
        return {i: t["label"] for i, t in self.info.items()}

    def apply(self, documents: pd.DataFrame, vectors: np.ndarray) -> pd.DataFrame:
        """``documents`` (``FeedbackMiner.transform``'s) with curated ``theme_id``,
        ``theme_label`` and ``theme_ids``; ``vectors[i]`` is row i's unit embedding
        (any value for rows without text), which puts a comment of a split theme in
        the sub-theme with the nearest centre."""
        row_vectors = dict(zip(documents["row_id"].tolist(), range(len(documents)), strict=True))

        def nearest(edit: dict, rows: np.ndarray, _pieces) -> np.ndarray:
            centres = np.asarray([s["centre"] for s in edit["themes"]], dtype=np.float32)
            ids = np.array([s["theme_id"] for s in edit["themes"]], dtype=np.int64)
            picked = vectors[[row_vectors[r] for r in rows.tolist()]]
            return ids[np.argmax(picked @ centres.T, axis=1)]

        labelled = _labelled_documents(documents, None)
        relabel(labelled, self.curation.edits, self.before, nearest, moves=False)
        return _relabelled_documents(documents, labelled, self.info)


def load_model_curation(model_dir: str | Path, themes: pd.DataFrame) -> ModelCuration | None:
    """The curation a model folder carries, or None when it has no edits."""
    curation = read_curation(model_dir)
    return ModelCuration(curation, themes) if curation.edits else None


# -------------------------------------------------------------- --previous
def carry_over(previous_dir: str | Path, kept_ids: set[int]) -> tuple[Curation, list[str]]:
    """The edits of ``previous_dir``'s curation that still apply to a run fitted with
    ``--previous previous_dir``, whose themes ``kept_ids`` kept their previous ids,
    and a line for each edit that does not (and why)."""
    previous = read_curation(previous_dir)
    carried, notes, lost = [], [], set()
    for edit in previous.edits:
        why = None
        names = edit_theme_ids(edit) + ([int(edit["theme_id"])] if edit["op"] == "split" else [])
        if edit["op"] in ("split", "move"):
            why = "it names the previous run's comments"
        elif any(i in lost for i in names):
            why = "it names a theme that an edit not carried over made"
        elif edit["op"] == "merge":
            present = [i for i in edit["theme_ids"] if i in kept_ids]
            if len(present) == 1 and edit.get("label"):
                # The fit found the merged themes as one: it keeps the PM's name for them.
                notes.append(
                    f"Carried over as a rename of #{present[0]}: {describe(edit)} (its themes "
                    "are one theme in this run)"
                )
                edit = {"op": "rename", "theme_id": present[0], "label": edit["label"]}
            elif edit["theme_ids"][0] not in kept_ids or len(present) < 2:
                why = "fewer than two of its themes (or not its target) are in this run"
            else:
                edit = {k: v for k, v in edit.items() if k != "keywords"}
                edit["theme_ids"] = present
        elif any(i not in kept_ids for i in names):
            why = f"theme #{names[0]} has no match in this run"
        lost |= set(created_ids(edit)) if why else set()
        if why:
            notes.append(f"Not carried over: {describe(edit)} ({why})")
        else:
            carried.append({**edit, "carried_from": str(previous_dir)})
    return Curation(carried), notes


def curated_only_themes(run) -> pd.DataFrame:
    """Themes the rows of ``run`` (as fitted) hold that its themes table does not: in a
    curated run, a batch `miner score --into` added is scored as curated, so its rows can
    hold a split's sub-theme; its label, area and keywords as the curation made them
    (themes.csv had left those rows out of every count)."""
    current = run.themes[run.themes["theme_id"] >= 0]
    known = set(current["theme_id"].astype(int))
    ids = set(run.documents["theme_id"].astype(int))
    if "theme_ids" in run.documents:
        ids |= {int(i) for value in run.documents["theme_ids"] for i in value}
    missing = sorted(i for i in ids - known if i >= 0)
    if not missing or run.directory is None:
        return pd.DataFrame()
    none = np.zeros(0, dtype=np.int64)
    info, _, _ = relabel(
        Labelled(rows=none, main=none),
        read_curation(run.directory).edits,
        theme_info(current),
        stored_assignment,
    )
    return pd.DataFrame(
        [
            {
                "theme_id": i,
                "label": info[i]["label"],
                "parent_id": info[i]["area_id"],
                "keywords": info[i]["keywords"],
                "guided": info[i]["guided"],
            }
            for i in missing
            if i in info
        ]
    )
