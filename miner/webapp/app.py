"""miner's Streamlit app: `miner app [--run RUN_DIR] [--workspace DIR]` (`make app`, or
`python -m miner.app_server -- --run RUN_DIR`); `--workspace DIR`: where the Bring a
file page keeps uploads and runs."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

st.set_page_config(
    page_title="miner: customer feedback",
    # A file of the package, not a material icon: that favicon was fetched from
    # fonts.gstatic.com on every page load, and the app is meant to work offline.
    page_icon=str(Path(__file__).with_name("favicon.png")),
    layout="wide",
)

pages = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("app_pages/roadmap.py", title="Roadmap", icon=":material/flag:"),
    st.Page("app_pages/themes.py", title="Themes", icon=":material/category:"),
    st.Page("app_pages/jobs.py", title="Jobs to be done", icon=":material/task_alt:"),
    st.Page("app_pages/trends.py", title="Trends", icon=":material/trending_up:"),
    st.Page("app_pages/segments.py", title="Segments & drivers", icon=":material/groups:"),
    st.Page("app_pages/customers.py", title="Customers", icon=":material/person:"),
    st.Page("app_pages/curate.py", title="Curate themes", icon=":material/edit_note:"),
    st.Page("app_pages/share.py", title="Share", icon=":material/ios_share:"),
    st.Page("app_pages/workspace.py", title="Bring a file", icon=":material/upload_file:"),
    st.Page("app_pages/runs.py", title="Runs", icon=":material/folder_open:"),
]
st.navigation(pages).run()
