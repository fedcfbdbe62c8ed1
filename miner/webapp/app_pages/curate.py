"""Curate page: rename, merge, split, move comments, hide themes; undo; change log.

Every edit is saved at once in the run's curation.json (miner.curation) and shows on
every page, in `miner report` and in `miner score --model`.
"""

from __future__ import annotations

import streamlit as st

from miner import curate, curation, schema
from miner.app_state import current_run, current_run_dir
from miner.errors import MinerError
from miner.report import escape_markdown

st.title("Curate themes")
st.caption(
    "Edits are saved at once in the run's `curation.json` (and its model) and apply "
    "everywhere: every page, `miner report`, exports and `miner score --model`. "
    "The fitted tables stay as they were, so Undo is exact."
)

run_dir = current_run_dir()
run = current_run()
if run.directory is None or run.model_dir is None:
    st.info("This run has no model folder; curation needs a run written by `miner fit`.")
    st.stop()


@st.cache_resource(show_spinner="Loading the run's model…")
def _model(model_dir: str):
    from miner.pipeline import FeedbackMiner

    return FeedbackMiner.load(model_dir)


def _snippet(text: str, width: int = 90) -> str:
    """A comment's first words, on one line."""
    line = " ".join(str(text).split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def _edit(make, *args, done: str = "Saved") -> None:
    """Make an edit (or undo one), say what it did, and show the run as it is now."""
    try:
        edit = make(run_dir, *args)
    except MinerError as error:
        st.session_state["curation_error"] = str(error)
    else:
        st.session_state["curation_done"] = f"{done}: {curation.describe(edit)}"
        st.session_state.pop("split_proposal", None)
        # The picker stays on the theme the edit was about (a split's first sub-theme, a
        # merge's target), drawn again so it shows its name as it is now.
        made = curation.created_ids(edit) or curation.edit_theme_ids(edit)
        picked = made[0] if made else None
        if make is curate.hide_theme:  # gone from the list: the theme after it, in its place
            order = st.session_state.get("curate_order", [])
            if picked in order:
                at = order.index(picked)
                picked = next(iter(order[at + 1 :] + order[:at][::-1]), None)
        st.session_state["curate_picked"] = picked
        st.session_state["curate_version"] = st.session_state.get("curate_version", 0) + 1
    st.rerun()


if "curation_done" in st.session_state:
    st.success(st.session_state.pop("curation_done"))
if "curation_error" in st.session_state:
    st.error(st.session_state.pop("curation_error"))

themes = run.themes[run.themes["theme_id"] >= 0]
labels = dict(zip(themes["theme_id"].astype(int), themes["theme_label"], strict=True))
sizes = dict(zip(themes["theme_id"].astype(int), themes["comments"].astype(int), strict=True))
if not labels:
    st.info("This run has no themes left to curate.")
else:
    options = list(labels)
    st.session_state["curate_order"] = options
    picked = st.session_state.get("curate_picked")
    version = st.session_state.get("curate_version", 0)
    theme_id = st.selectbox(
        "Theme",
        options,
        index=options.index(picked) if picked in labels else 0,
        format_func=lambda i: f"#{i} {labels[i]} ({sizes[i]:,} comments)",
        key=f"curate_theme_{version}",  # a new widget after each edit: current names
    )
    st.session_state["curate_picked"] = theme_id
    documents = run.documents
    in_theme = documents[
        (documents["theme_id"] == theme_id) & documents["status"].isin(["ok", "duplicate"])
    ]
    st.caption(f"Keywords: {themes.loc[themes['theme_id'] == theme_id, 'keywords'].iloc[0] or '-'}")
    for text in in_theme["masked_text"].dropna().head(3):
        st.markdown(f"> {escape_markdown(str(text))}")

    rename, merge, split, move, hide = st.tabs(
        ["Rename", "Merge", "Split", "Move comments", "Hide"]
    )
    with rename:
        label = st.text_input(
            "New name", value=labels[theme_id], key=f"rename_{theme_id}_{version}"
        )
        if st.button("Rename", key="rename"):
            _edit(curate.rename_theme, theme_id, label)
    with merge:
        others = st.multiselect(
            "Merge these themes into it",
            [i for i in labels if i != theme_id],
            format_func=lambda i: f"#{i} {labels[i]}",
            key=f"merge_{theme_id}_{version}",
        )
        # A new box after each edit: the last merge's name had stayed in it and named the
        # next merge the same, unseen.
        merged_name = st.text_input(
            "Name of the merged theme (optional)", key=f"merge_label_{theme_id}_{version}"
        )
        if st.button("Merge", key="merge", disabled=not others):
            _edit(curate.merge_themes, [theme_id, *others], merged_name.strip() or None)
    with split:
        k = st.number_input(
            "Sub-themes (0: the best separated of 2-6)", min_value=0, max_value=6, key="split_k"
        )
        if st.button("Propose a split", key="propose_split"):
            try:
                st.session_state["split_proposal"] = curate.propose_split(
                    run_dir, theme_id, int(k) or None, miner=_model(str(run.model_dir))
                )
            except MinerError as error:
                st.error(str(error))
        proposal = st.session_state.get("split_proposal")
        if proposal is not None and proposal["theme_id"] == theme_id:
            st.write(f"Proposed split of #{theme_id} {labels[theme_id]}:")
            st.dataframe(
                [
                    {
                        "theme_id": sub["theme_id"],
                        "label": sub["label"],
                        "comments": sub["comments"],
                        "keywords": "; ".join(sub["keywords"]),
                    }
                    for sub in proposal["themes"]
                ],
                hide_index=True,
            )
            quotes = documents.set_index("row_id")["masked_text"]
            for sub in proposal["themes"]:
                st.markdown(f"**#{sub['theme_id']} {escape_markdown(sub['label'])}**")
                for row in sub["row_ids"][:2]:
                    st.markdown(f"> {escape_markdown(str(quotes.get(row, '')))}")
            if st.button("Accept the split", key="accept_split"):
                _edit(curate.accept_split, proposal)
    with move:
        # Each comment by its row and its words (bare row ids had been all a PM could
        # pick from).
        words = dict(
            zip(in_theme["row_id"].astype(int), in_theme["masked_text"].fillna(""), strict=True)
        )
        # A survey's respondent answers several questions under one row id: a move
        # would move every answer, so those rows are not offered.
        several = set(curate.answered_twice(documents, list(words)))
        if several:
            st.caption(
                f"{schema.counted(len(several), 'comment')} of this theme are not offered: "
                "their respondents answered several questions, and a move names a row, "
                "so it would move every answer."
            )
            words = {r: t for r, t in words.items() if r not in several}
        rows = st.multiselect(
            "Comments to move",
            list(words),
            format_func=lambda r: f"row {r}: {_snippet(words[r])}",
            key=f"move_rows_{theme_id}_{version}",
        )
        target = st.selectbox(
            "Move them to",
            [i for i in labels if i != theme_id] + [-1],
            format_func=lambda i: "Unassigned" if i == -1 else f"#{i} {labels[i]}",
            key=f"move_to_{theme_id}",
        )
        if st.button("Move", key="move", disabled=not rows):
            _edit(curate.move_comments, rows, target)
    with hide:
        st.write("Hide a theme that is noise: its comments become unassigned.")
        if st.button(f"Hide #{theme_id} {labels[theme_id]}", key="hide"):
            _edit(curate.hide_theme, theme_id)

st.subheader("Change log")
log = curation.read_curation(run_dir).log()
if len(log):
    # An edit not undone shows an empty cell (Streamlit's "None" had read as a value).
    shown = log.assign(undone_at=log["undone_at"].fillna(""))
    st.dataframe(
        shown,
        hide_index=True,
        column_config={"at": "Made", "what": "Edit", "undone_at": "Undone"},
    )
    if st.button("Undo the last edit", key="undo", disabled=log["undone_at"].notna().all()):
        _edit(curate.undo, done="Undone")
else:
    st.caption("No edits yet.")
skipped = run.meta.get("curation", {}).get("skipped", [])
for line in skipped:
    st.warning(f"Edit not applied: {line}")
