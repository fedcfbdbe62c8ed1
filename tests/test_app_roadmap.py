"""The Roadmap page: the ranked list as stacked contribution bars, filters, each item's
why, quotes and co-creators, and the three downloads (on the small CLI run, which has
the heads, a detected date and score, and customer ids)."""

from __future__ import annotations

import json

import pandas as pd
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from miner.insights.stats import analysed
from miner.persist import load_run
from miner.report import masked_run
from miner.roadmap import export
from miner.roadmap.feed import build_roadmap
from tests.conftest import open_page

ROADMAP = "app_pages/roadmap.py"


def _page(run_dir, monkeypatch) -> AppTest:
    return open_page(run_dir, ROADMAP, monkeypatch)


def _bars(at) -> pd.DataFrame:
    chart = at.get("vega_lite_chart")[0].proto
    (data,) = chart.datasets
    return dataframe_util.convert_arrow_bytes_to_pandas_df(data.data.data)


def test_roadmap_page_draws_each_factor_and_explains_every_item(small_run, monkeypatch):
    run = load_run(small_run[0])
    feed = build_roadmap(masked_run(run))
    at = _page(small_run[0], monkeypatch)
    bars = _bars(at)
    themes = feed["themes"]
    # One bar segment per item x factor; the segments of an item add up to its priority.
    assert len(bars) == len(themes) * len(feed["factors"])
    totals = bars.groupby("id")["contribution"].sum()
    for item in themes:
        assert abs(totals[item["id"]] - item["priority"]) < 1e-3
    # The areas first (groups of themes ranked the same way), then one box per item.
    areas = next(e for e in at.expander if e.label.startswith("Areas:"))
    assert areas.label.startswith(f"Areas: the {len(feed['areas'])} groups of themes")
    assert areas.dataframe[0].value["area"].tolist() == [a["label"] for a in feed["areas"]]
    assert len(_items(at)) == len(themes)
    first = themes[0]
    assert _items(at)[0].label.startswith(f"1. {first['label']}")
    quotes = [m.value for m in _items(at)[0].markdown if m.value.startswith("> ")]
    assert len(quotes) == len(first["quotes"]) >= 3
    assert any("Why it ranks here" in m.value for m in _items(at)[0].markdown)
    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == ["CSV", "Markdown", "JSON"]
    assert any(c.value.startswith("row ") or " · row " in c.value for c in _items(at)[0].caption)
    # Anonymous: the same quotes, no customer, row or date under them, no co-creators.
    at.checkbox(key="roadmap_anonymous").check().run()
    assert not at.exception, at.exception
    box = _items(at)[0]
    assert [m.value for m in box.markdown if m.value.startswith("> ")] == quotes
    assert not any("row " in c.value for c in box.caption)
    assert not any("Co-creators" in m.value for m in box.markdown)
    at.checkbox(key="roadmap_anonymous").uncheck().run()
    # Filter by kind: only items whose most common kind it is stay.
    kind = first["top_kind"]
    at.multiselect(key="roadmap_kinds").set_value([kind]).run()
    assert not at.exception, at.exception
    kept = [i for i in themes if i["top_kind"] == kind]
    assert len(_items(at)) == len(kept) < len(themes)
    # The downloads hold what is shown, and say so.
    said = [c.value for c in at.caption]
    assert f"The downloads hold the {len(kept):,} themes shown (the Area and Kind filters)" in (
        " ".join(said)
    )
    # The jobs list.
    at.radio(key="roadmap_list").set_value("jobs").run()
    at.multiselect(key="roadmap_kinds").set_value([]).run()
    assert len(_items(at)) == len(feed["jobs"])  # (no areas box for the jobs)
    assert _items(at)[0].label.startswith(f"1. {feed['jobs'][0]['label']}")
    # Since: the feed of the comments from that day on.
    span = json.loads(export.to_json(feed))["window"]
    first, last = pd.Timestamp(span["first"]), pd.Timestamp(span["last"])
    since = (first + (last - first) / 2).date()
    at.date_input(key="roadmap_since").set_value(since).run()
    assert not at.exception, at.exception
    window = build_roadmap(masked_run(run), since=str(since))
    assert len(_items(at)) == len(window["jobs"])
    assert any(f"from {since}" in c.value for c in at.caption), [c.value for c in at.caption]


def _items(at):
    """The page's item boxes (not the areas box nor the options)."""
    return [e for e in at.expander if not e.label.startswith(("Areas:", "Leave out"))]


def test_roadmap_page_leaves_out_values_and_weighs_by_a_value_column(small_run, monkeypatch):
    """The page's options are the CLI's --leave-out and --value-col: the feed shown is the
    one they give, and the caption says what was left out."""
    run = load_run(small_run[0])
    at = _page(small_run[0], monkeypatch)
    offered = at.multiselect(key="roadmap_leave_out").options
    # The input's few-valued columns, each value once; not the text, date, score or id.
    assert any(o.startswith("channel is ") for o in offered)
    assert not any(o.startswith(("comment is", "customer_id is", "nps is")) for o in offered)
    channel = run.documents["channel"].value_counts().index[0]
    at.multiselect(key="roadmap_leave_out").set_value([("channel", channel)]).run()
    assert not at.exception, at.exception
    feed = build_roadmap(masked_run(run), leave_out={"channel": [channel]})
    gone = int((analysed(run.documents)["channel"] == channel).sum())  # analysed comments
    assert feed["window"]["without"][0]["comments"] == gone > 0
    assert _items(at)[0].label.startswith(f"1. {feed['themes'][0]['label']}")
    assert len(_items(at)) == len(feed["themes"])
    said = " ".join(c.value for c in at.caption)
    assert f"Left out: {gone:,} comments whose channel is {channel}." in said
    assert f"{feed['window']['comments']:,} analysed comments" in said
    # Every value left out: the page says so (not "no item matches the filters").
    every = [("channel", v) for v in run.documents["channel"].dropna().unique()]
    at.multiselect(key="roadmap_leave_out").set_value(every).run()
    assert not at.exception, at.exception
    assert any(i.value.startswith("Every comment is left out") for i in at.info)
    at.multiselect(key="roadmap_leave_out").set_value([]).run()
    # The demo has no column of amounts: "each voice counts 1" is the only choice.
    assert at.selectbox(key="roadmap_value_col").options == ["each voice counts 1"]


def test_value_and_leave_out_choices_read_the_input_columns(small_run):
    from dataclasses import replace

    from miner.roadmap.priority import leave_out_choices, value_choices

    run = load_run(small_run[0])
    n = len(run.documents)
    customers = run.documents["customer_id"].astype(str)
    arr = customers.map(lambda c: f"${(int(c[-2:]) % 5 + 1) * 1200:,}")  # "$3,600"
    documents = run.documents.assign(
        arr=arr,
        account_number=range(10_000, 10_000 + n),
        seats=[f"{i % 7}" for i in range(n)],
        age=[20 + i % 50 for i in range(n)],
        recommended=[i % 2 for i in range(n)],
        merged_into=[str(1000 + i % 9) if i % 10 == 0 else "" for i in range(n)],
        labels=[["sso", "ui"][: 1 + i % 2] for i in range(n)],
        ratio=[float("nan") if i % 4 else 0.5 * (i % 3) for i in range(n)],
    )
    run = replace(run, documents=documents)
    # Amounts as exports write them; not an identifier (a different number on every
    # row), an age, a 0/1 flag or a column blank on most rows.
    assert value_choices(run) == ["arr", "seats"]
    choices = leave_out_choices(run)
    assert choices["plan"] == run.documents["plan"].value_counts().index.tolist()
    assert "account_number" not in choices and "comment" not in choices
    assert "labels" not in choices  # a list per comment
    assert not {"nan", "<NA>"} & set(choices.get("ratio", []))
    assert "nps" not in choices and "customer_id" not in choices


def test_roadmap_page_reads_dates_with_several_utc_offsets(small_run, monkeypatch, tmp_path):
    # A Delighted export writes each time with its offset, -0800 in winter and -0700 in
    # summer: the page had failed ("Mixed timezones detected").
    import shutil

    run_dir = tmp_path / "offsets"
    shutil.copytree(small_run[0], run_dir)
    run = load_run(run_dir, curated=False)
    column = run.meta["date_col"]
    source = column if column in run.documents.columns else f"input_{column}"
    documents = pd.read_parquet(run_dir / "documents.parquet")
    days = pd.to_datetime(documents[source], errors="coerce")
    offsets = ["-08:00" if i % 2 else "-07:00" for i in range(len(days))]
    documents[source] = [
        f"{d:%Y-%m-%d} 09:30:00 {o}" if pd.notna(d) else None
        for d, o in zip(days, offsets, strict=True)
    ]
    documents.to_parquet(run_dir / "documents.parquet")
    at = _page(run_dir, monkeypatch)
    assert not at.exception, at.exception
    since = at.date_input(key="roadmap_since")
    assert since.min == days.min().date() and since.max == days.max().date()
