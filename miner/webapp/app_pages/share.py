"""Share page: the run's tables and the HTML report as downloads, masked and formula-safe."""

from __future__ import annotations

import streamlit as st

from miner import schema
from miner.app_state import current_run
from miner.share import ANONYMOUS_MIN, FEWER, GROUPED, document_view, downloads

st.title("Share")
run = current_run()
st.caption(
    "Downloads for the development team: personal data (e-mail addresses, phone, card, "
    "IBAN, account and identity numbers, birth dates, postcodes, street addresses, names "
    "after a title, @handles, pasted keys) is masked and no CSV cell can start a "
    "spreadsheet formula; names written without a title are not. "
    "The HTML report opens in any browser, offline: charts and quotes, no server."
)

st.subheader("Comments: the view you choose")
themes = run.themes[run.themes["theme_id"] >= 0]
names = dict(zip(themes["theme_id"].astype(int), themes["theme_label"], strict=True))
left, middle, right = st.columns(3)
theme = left.selectbox(
    "Theme", [None, *names], format_func=lambda t: "every theme" if t is None else names[t]
)
sentiments = (
    middle.multiselect("Sentiment", list(schema.SENTIMENTS)) if "sentiment" in run.documents else []
)
kinds = right.multiselect("Kind", list(schema.KINDS)) if "kind" in run.documents else []
anonymous = st.checkbox(
    "Anonymous survey (employees, patients)",
    help=f"No customer, record or row id, no exact date (the period stays), an NPS as its "
    f"group; a segment value held by fewer than {ANONYMOUS_MIN} respondents reads "
    f"'{FEWER}', and so do values until every combination of the segments shown holds "
    f"{ANONYMOUS_MIN} or more, so a small team or ward cannot be singled out.",
)
run_segments = list(run.meta.get("segment_cols") or [])
shown = None
if anonymous and run_segments:
    shown = st.multiselect(
        "Segments to show",
        run_segments,
        default=run_segments,
        help="Each segment shown beside the others narrows the groups: the fewer shown, "
        "the fewer values grouped.",
    )
view = document_view(run, theme, sentiments, kinds, anonymous=anonymous, segments=shown)
if shown:
    grouped = sum(int(view[name].isin([FEWER, GROUPED]).sum()) for name in shown if name in view)
    cells = len(view) * len(shown)
    st.caption(
        f"{grouped:,} of the {cells:,} segment values shown read '{FEWER}' or '{GROUPED}' so "
        f"that every combination of these segments, the period and the language holds "
        f"{ANONYMOUS_MIN} respondents or more."
    )
st.write(f"{len(view):,} comments in this view.")
st.dataframe(view.head(200), hide_index=True)

st.subheader("Downloads")
files = downloads(run, view, anonymous=anonymous)
if anonymous:
    st.caption(
        "Anonymous downloads: the themes' and jobs' row ids are left out, and the report "
        f"quotes without rows and leaves out segment values of fewer than {ANONYMOUS_MIN}."
    )
columns = st.columns(3)
for index, file in enumerate(files):
    rows = f" ({file.rows:,} rows)" if file.rows is not None else ""
    columns[index % 3].download_button(
        f"{file.file_name}{rows}",
        data=file.data,
        file_name=file.file_name,
        mime=file.mime,
        key=f"download-{file.file_name}",
    )
