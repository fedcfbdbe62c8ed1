"""Bring a file: upload an export, preview it, map its columns, fit it in the background."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from miner.app_state import UPLOAD_TYPES, fit_progress_bar, workspace
from miner.errors import MinerError, NoUsableText
from miner.ingest import JOIN
from miner.pii import mask_texts
from miner.schema import FIT_DONE, FIT_RUNNING, SCORE_TYPES
from miner.workspace import (
    MAX_UPLOAD_MB,
    ColumnMapping,
    Upload,
    check_mapping,
    read_upload,
    sheet_names,
    suggest_mapping,
)

NONE = "(none)"
# The Themes control: what it shows -> the fit's granularity (miner.themes.count).
THEME_COUNTS = {"Fewer": "coarser", "Automatic": "auto", "More": "finer"}

st.title("Bring a file")
ws = workspace()
st.caption(
    f"One comment per row; {', '.join(UPLOAD_TYPES)} (zip: a Slack export); up to "
    f"{MAX_UPLOAD_MB} MB. "
    f"Uploads and runs are kept in the workspace `{ws.root}`."
)
fits_slot = st.container()


@st.cache_data(show_spinner="Reading the file…", max_entries=4)
def _table(path: str, name: str, digest: str, sheet: str | None):
    return read_upload(Upload(Path(path), name, digest), sheet)


def _pick(label: str, columns: list[str], chosen: str | None, where, help: str):
    options = [NONE, *columns]
    index = options.index(chosen) if chosen in options else 0
    picked = where.selectbox(label, options, index=index, help=help)
    return None if picked == NONE else picked


def _mapping_form(stored: Upload) -> None:
    sheets = sheet_names(stored)
    sheet = st.selectbox("Sheet", sheets) if len(sheets) > 1 else (sheets or [None])[0]
    frame = _table(str(stored.path), stored.name, stored.digest, sheet)
    st.caption(
        f"{len(frame):,} rows, {frame.shape[1]} columns; the first 20, personal data masked:"
    )
    # Masked as every other page shows the run (it had been the one screen showing
    # e-mail addresses and phone numbers in clear, as when screen-sharing).
    preview = frame.head(20)
    st.dataframe(
        preview.apply(lambda column: mask_texts(column.tolist()), result_type="broadcast"),
        hide_index=True,
        width="stretch",
    )
    try:
        suggested = suggest_mapping(frame, sheet)
    except NoUsableText as error:
        st.warning(f"{error.message.split('. Name')[0]}. Choose the comment column below.")
        suggested = ColumnMapping(text_cols=(), sheet=sheet)
    columns = [str(c) for c in frame.columns]
    with st.form("columns"):
        st.subheader("Columns")
        text_cols = st.multiselect(
            "Text column(s)", columns, list(suggested.text_cols), help="The comments: --text-col"
        )
        joined = st.checkbox(
            "One comment per row",
            help="With two or more text columns: read them as one comment (a review's title "
            "and body; --text-col title+body) rather than one comment per column (a "
            "survey's open questions)",
        )
        left, right = st.columns(2)
        id_col = _pick("Customer id", columns, suggested.id_col, left, "--id-col")
        date_col = _pick("Date", columns, suggested.date_col, right, "--date-col: trends")
        segment_cols = st.multiselect(
            "Segments", columns, list(suggested.segment_cols), help="--segment-col: plan, age…"
        )
        left, right = st.columns(2)
        score_col = _pick("Score", columns, suggested.score_col, left, "--score-col: drivers")
        types = [NONE, *SCORE_TYPES]
        chosen_type = right.selectbox(
            "Score type",
            types,
            index=types.index(suggested.score_type) if suggested.score_type in types else 0,
            help="--score-type; read from the column's name and values when (none)",
        )
        left, right = st.columns(2)
        name = left.text_input("Run name", value=Path(stored.name).stem)
        seed = right.number_input("Seed", value=42, step=1, help="Same file + seed, same themes.")
        granularity = st.radio(
            "Themes",
            list(THEME_COUNTS),
            index=1,
            horizontal=True,
            help="How many themes: the count the data chooses (automatic), about half as "
            "many (fewer, broader themes) or about twice as many (more, narrower ones); "
            "--granularity",
        )
        themes_only = st.checkbox(
            "Themes only",
            help="Leave out sentiment, kind and jobs per comment: about a third of the time "
            "on long feedback (tickets, complaints); --themes-only",
        )
        job_gate = st.checkbox(
            "Check jobs (reviews)",
            help="Check each want or failure the job rules find with a learned classifier: "
            "far fewer false jobs in product or service reviews, where most are stories "
            '("I wanted to love it"), a few true ones lost, slower jobs; --job-gate',
        )
        earlier = [e for e in ws.runs() if e.state == FIT_DONE]
        previous = st.selectbox(
            "Keep the themes of",
            [None, *[e.run_id for e in earlier]],
            format_func=lambda r: (
                "(no earlier run)"
                if r is None
                else next(f"{e.name} ({e.created})" for e in earlier if e.run_id == r)
            ),
            help="An earlier run of the same kind of feedback (last month's export): its "
            "theme numbers, names and curation (renames, merges, hides) are kept where the "
            "new themes match; what could not be carried over is said. --previous",
        )
        submitted = st.form_submit_button("Find themes", type="primary")
    if not submitted:
        return
    mapping = ColumnMapping(
        text_cols=(JOIN.join(text_cols),) if joined and len(text_cols) > 1 else tuple(text_cols),
        id_col=id_col,
        date_col=date_col,
        segment_cols=tuple(segment_cols),
        score_col=score_col,
        score_type=None if chosen_type == NONE else chosen_type,
        sheet=sheet,
    )
    notes = check_mapping(frame, mapping)
    entry = ws.start_fit(
        stored,
        mapping,
        seed=int(seed),
        name=name,
        granularity=THEME_COUNTS[granularity],
        themes_only=themes_only,
        job_gate=job_gate,
        previous=previous,
    )
    st.session_state.setdefault("fits", []).append(entry.run_id)
    st.session_state["fit_notes"] = notes
    # Said where the PM clicked: the progress is drawn at the top of the page, out of
    # view (a click had seemed to do nothing).
    st.info(
        f"Finding themes in **{entry.name}**: its progress, then its **Open its themes** "
        "button, are at the top of this page."
    )


upload = st.file_uploader(
    "Feedback export", type=UPLOAD_TYPES, help="CSV, TSV, XLSX (choose the sheet), JSON, …"
)
if upload is None:
    st.info("Upload a feedback export to preview it and choose its columns.")
else:
    try:
        _mapping_form(ws.save_upload(upload.name, upload.getvalue()))
    except MinerError as error:
        st.error(str(error))


def _fits() -> None:
    # Fits started here, running, or just ended: the state is on disk, so a page change
    # or a browser reload shows them as they are.
    started = st.session_state.get("fits", [])
    recent = ws.recent_fits()
    shown = {e.run_id for e in recent}
    entries = recent + [e for e in ws.runs() if e.run_id in started and e.run_id not in shown]
    # This session's fits first, the latest on top: an earlier fit's "Open its themes"
    # had stood first and been opened for the file just brought.
    mine = {run_id: k for k, run_id in enumerate(started)}
    entries.sort(key=lambda e: -mine[e.run_id] if e.run_id in mine else 1)
    for note in st.session_state.get("fit_notes", []):
        st.info(note)
    for entry in entries:
        fit_progress_bar(entry)
    if polling and not any(e.state == FIT_RUNNING for e in entries):
        st.rerun()  # every fit finished: redraw the page once, and stop polling


polling = any(e.state == FIT_RUNNING for e in ws.runs())
with fits_slot:
    st.fragment(_fits, run_every=1.0 if polling else None)()
