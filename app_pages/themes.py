"""Themes page: what customers talk about, how much, and in their own words."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from miner.app_state import UPLOAD_TYPES, run_from_args, upload_run_dir
from miner.errors import MinerError
from miner.persist import load_run
from miner.report import escape_markdown, quotes, status_counts


@st.cache_data(show_spinner="Loading the run…")
def _load(run_dir: str):
    return load_run(run_dir)


@st.cache_data(show_spinner="Finding themes in your file (a minute for a few thousand rows)…")
def _fit_upload(name: str, data: bytes, text_col: str | None) -> str:
    from miner.batch import fit_run

    folder = upload_run_dir(name, data)
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / Path(name).name
    source.write_bytes(data)
    fit_run(source, folder / "run", text_col=text_col or None)
    return str(folder / "run")


st.title("Themes")

with st.sidebar:
    st.subheader("Your own feedback")
    upload = st.file_uploader(
        "Upload a feedback export",
        type=UPLOAD_TYPES,
        help="One comment per row. Accepted: " + ", ".join(UPLOAD_TYPES),
    )
    text_col = st.text_input("Comment column (optional)", help="Detected when left empty.")

run_dir = str(run_from_args())
if upload is not None:
    try:
        run_dir = _fit_upload(upload.name, upload.getvalue(), text_col.strip() or None)
    except MinerError as error:
        st.error(str(error))
        st.stop()
st.session_state["run_dir"] = run_dir

try:
    run = _load(run_dir)
except MinerError as error:
    st.error(str(error))
    st.info("Build the demo run with `make app`, or upload a file in the sidebar.")
    st.stop()

documents, themes = run.documents, run.themes
counts = status_counts(documents)
analysed = counts.get("ok", 0) + counts.get("duplicate", 0)
assigned = themes[themes["theme_id"] >= 0]
unassigned_share = float(themes.loc[themes["theme_id"] == -1, "share"].sum())

st.caption(f"Run: `{run_dir}` · source: {run.meta.get('source', 'unknown')}")
col1, col2, col3, col4 = st.columns(4)
col1.metric("Rows", f"{len(documents):,}")
col2.metric("Analysed comments", f"{analysed:,}")
col3.metric("Themes", f"{len(assigned):,}")
col4.metric("Unassigned", f"{unassigned_share:.1%}")

table = themes[["theme_id", "label", "size", "share", "keywords"]].copy()
if "customers" in themes.columns:
    table.insert(3, "customers", themes["customers"])
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "theme_id": st.column_config.NumberColumn("#", width="small"),
        "label": st.column_config.TextColumn("Theme"),
        "size": st.column_config.NumberColumn("Comments"),
        "share": st.column_config.ProgressColumn(
            "Share",
            format="percent",
            min_value=0.0,
            max_value=float(max(themes["share"].max(), 0.01)),
        ),
        "customers": st.column_config.NumberColumn("Customers"),
        "keywords": st.column_config.TextColumn("Keywords"),
    },
)

st.subheader("In customers' words")
options = assigned["theme_id"].tolist()
if options:
    labels = dict(zip(assigned["theme_id"], assigned["label"], strict=True))
    chosen = st.selectbox(
        "Theme",
        options,
        format_func=lambda t: f"{labels[t]} ({int(themes.set_index('theme_id').loc[t, 'size']):,})",
    )
    for row_id, text in quotes(run, int(chosen), limit=5, width=600):
        st.markdown(f"> {escape_markdown(text)}")
        st.caption(f"row {row_id}")
    members = documents[documents["theme_id"] == chosen]
    with st.expander(f"All {len(members):,} comments in this theme"):
        st.dataframe(members[["row_id", "status", run.text_col]], hide_index=True, width="stretch")
