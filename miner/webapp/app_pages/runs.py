"""Runs: the workspace's earlier runs, to reopen, rename or delete."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from miner.app_state import (
    BRING_A_FILE,
    fit_progress_bar,
    forget_run,
    open_run,
    open_run_dir,
    run_from_args,
    workspace,
)
from miner.errors import MinerError
from miner.schema import FIT_DONE, FIT_RUNNING, RUN_FILE

st.title("Runs")
ws = workspace()
entries = ws.runs()
opened = open_run_dir()
shown = f"`{opened}`" if Path(opened).is_dir() else "none yet"
st.caption(f"Open run: {shown} · workspace `{ws.root}`")
# The run the app was started on (`miner app --run`): once another run was opened it
# had been out of reach of every tab until the app restarted, its curation with it.
started_on = run_from_args()
if (started_on / RUN_FILE).is_file() and str(started_on) != open_run_dir():
    if st.button(f"Open the run the app was started on: `{started_on}`", key="open-start"):
        open_run(started_on)
        st.switch_page("app_pages/themes.py")
if not entries:
    st.info("No runs in this workspace yet: bring a file to fit one.")
    st.page_link(BRING_A_FILE, label="Bring a file", icon=":material/upload_file:")
    st.stop()

table = pd.DataFrame(
    [
        {
            "name": e.name,
            "source": e.source,
            "state": e.state,
            "rows": e.rows,
            "themes": e.themes,
            "created": e.created,
            "run_id": e.run_id,
        }
        for e in entries
    ]
)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "name": "Name",
        "source": "Source file",
        "state": "State",
        "rows": st.column_config.NumberColumn("Rows"),
        "themes": st.column_config.NumberColumn("Themes"),
        "created": "Created",
        "run_id": "Folder",
    },
)

by_id = {e.run_id: e for e in entries}
chosen = st.selectbox(
    "Run", list(by_id), format_func=lambda r: f"{by_id[r].name} ({by_id[r].created})"
)
entry = by_id[chosen]
if entry.state != FIT_DONE:
    fit_progress_bar(entry)
left, middle, right = st.columns(3)
if left.button("Open this run", type="primary", disabled=entry.state != FIT_DONE):
    open_run(entry.path)
    st.switch_page("app_pages/themes.py")
with middle:
    new_name = st.text_input("New name", value=entry.name, key=f"name-{chosen}")
    if st.button("Rename", disabled=new_name.strip() == entry.name):
        try:
            ws.rename(chosen, new_name)
        except MinerError as error:
            st.error(str(error))
        else:
            st.rerun()
with right:
    if st.button("Delete…", disabled=entry.state == FIT_RUNNING):
        st.session_state["deleting"] = chosen
    if st.session_state.get("deleting") == chosen:
        st.warning(f"Delete **{entry.name}** and its folder? This cannot be undone.")
        yes, no = st.columns(2)
        if yes.button("Delete", type="primary"):
            ws.delete(chosen)
            forget_run(entry.path)
            st.session_state.pop("deleting", None)
            st.rerun()
        if no.button("Keep it"):
            st.session_state.pop("deleting", None)
            st.rerun()
