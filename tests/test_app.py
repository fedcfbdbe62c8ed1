"""The Streamlit app renders a real run: every page, filters, quotes, no exceptions."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from miner.app_server import APP
from miner.persist import load_run
from miner.report import escape_markdown, jobs_table, secondary_mentions


@pytest.fixture
def app(small_run, monkeypatch):
    monkeypatch.setenv("MINER_RUN", str(small_run[0]))
    # Overview is the landing page; these tests are about the Themes page.
    return AppTest.from_file(str(APP), default_timeout=120).switch_page("app_pages/themes.py")


def _quotes(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("> ")]


def test_themes_page_shows_theme_rows_and_quotes(app, small_run):
    app.run()
    assert not app.exception, app.exception
    run = load_run(small_run[0])
    table = app.dataframe[0].value
    assert len(table) == len(run.themes)
    assert table["theme_label"].tolist() == run.themes["theme_label"].tolist()
    assert "net_sentiment" in table.columns and "top_kind" in table.columns
    assert app.metric[0].value == f"{len(run.documents):,}"
    quotes = _quotes(app)
    assert quotes, "example quotes are shown for the first theme"
    app.selectbox[0].select_index(1).run()
    assert not app.exception
    assert app.selectbox[0].value == run.themes["theme_id"].iloc[1]
    second = _quotes(app)
    assert second and second != quotes
    # Each quote says who said it, as the Roadmap's quotes do (the row alone led nowhere).
    facts = [c.value for c in app.caption if c.value.startswith("row ")]
    rows = run.documents.set_index("row_id")["customer_id"]
    first = facts[0].split(" · ")
    row_id = int(first[0].split()[1])
    assert f"customer_id {rows.loc[row_id]}" in first


def test_themes_page_quotes_comments_that_mention_the_theme_beside_another(app, small_run):
    run = load_run(small_run[0])
    options = run.themes.loc[run.themes["theme_id"] >= 0, "theme_id"].tolist()
    mentioned = [
        (index, secondary_mentions(run.documents, run.pieces, theme))
        for index, theme in enumerate(options)
    ]
    index, expected = next((i, m) for i, m in mentioned if (m["status"] == "ok").any())
    app.run()
    app.selectbox[0].select_index(index).run()
    assert not app.exception
    label = f"Also mentioned in {len(expected):,} comments mainly about other themes"
    assert any(e.label == label for e in app.expander)
    first = expected[expected["status"] == "ok"].iloc[0]
    assert f"> {escape_markdown(first['text'])}" in _quotes(app)
    facts = f"row {first['row_id']} · main theme: {first['main_theme_label']}"
    assert any(c.value.startswith(facts) for c in app.caption)


def test_sentiment_filter_narrows_the_comments(app, small_run):
    app.run()
    docs = load_run(small_run[0]).documents
    first_theme = app.selectbox[0].value
    in_theme = docs[(docs["theme_id"] == first_theme) & docs["status"].isin(["ok", "duplicate"])]
    negative = int((in_theme["sentiment"] == "negative").sum())
    app.multiselect(key="filter_sentiment").select("negative").run()
    assert not app.exception
    assert any(
        c.value.startswith(f"{negative:,} of its ") and "comments match the filters" in c.value
        for c in app.caption
    )
    assert all("negative" in c.value for c in app.caption if c.value.startswith("row "))


def test_the_theme_in_detail_follows_the_theme_filter(app, small_run):
    # The filter on one theme had left the detail on the largest, quoting its comments.
    app.run()
    box = app.selectbox(key="theme_choice")
    first, other = box.value, box.options[1]
    app.multiselect(key="filter_themes").select(app.multiselect(key="filter_themes").options[1])
    app.run()
    assert not app.exception, app.exception
    box = app.selectbox(key="theme_choice")
    assert box.options == [other] and box.value != first


def _map_points(at):
    chart = at.get("vega_lite_chart")[0].proto
    return {d.name: convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.datasets}


def test_themes_page_maps_searches_and_details_a_theme(app, small_run):
    run = load_run(small_run[0])
    app.run()
    assert not app.exception, app.exception
    # The map: every distinct comment, coloured by theme, hover text masked.
    (points,) = _map_points(app).values()
    assert set(points["row_id"]) == set(run.map["row_id"])
    assert {"x", "y", "theme_label", "quote"} <= set(points.columns)
    # A theme in detail: its keywords and its central quotes.
    chosen = app.selectbox(key="theme_choice").value
    keywords = run.themes.set_index("theme_id").loc[chosen, "keywords"].split(";")
    shown = next(m.value for m in app.markdown if m.value.startswith("**Keywords:**"))
    assert all(k.strip() in shown.replace("\\", "") for k in keywords[:3])
    assert _quotes(app)
    # Search by words, then by meaning, within a filter.
    app.text_input(key="search_query").input("slow").run()
    found = next(c.value for c in app.caption if "comments found" in c.value)
    texts = run.documents["masked_text"].str.lower()
    expected = int(
        (run.documents["status"].isin(["ok", "duplicate"]) & texts.str.contains("slow")).sum()
    )
    assert found.startswith(f"{expected:,} comments found")
    app.radio(key="search_mode").set_value("meaning").run()
    assert not app.exception, app.exception
    similar = [c.value for c in app.caption if "similarity" in c.value]
    assert len(similar) == 50
    app.multiselect(key="filter_sentiment").select("positive").run()
    similar = [c.value for c in app.caption if "similarity" in c.value]
    assert similar and all("positive" in c for c in similar)


def test_themes_page_without_a_map_says_so(small_run, tmp_path, monkeypatch):
    import shutil

    from miner import schema

    old = tmp_path / "old"
    shutil.copytree(small_run[0], old)
    (old / schema.MAP_FILE).unlink()
    (old / schema.EMBEDDINGS_FILE).unlink()
    monkeypatch.setenv("MINER_RUN", str(old))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.switch_page("app_pages/themes.py").run()
    assert not at.exception, at.exception
    assert any("no comment map" in i.value for i in at.info)
    assert _quotes(at)


def test_jobs_page_lists_jobs_by_opportunity_with_quotes(app, small_run):
    app.switch_page("app_pages/jobs.py").run()
    assert not app.exception, app.exception
    expected = jobs_table(load_run(small_run[0]))
    table = app.dataframe[0].value
    assert table["job_label"].tolist() == expected["job_label"].tolist()
    assert table["opportunity"].is_monotonic_decreasing
    assert _quotes(app), "quotes behind the top job are shown"
    theme_box = app.selectbox[0]
    theme_box.select_index(1).run()
    assert not app.exception


def test_jobs_page_quotes_a_text_column_whose_name_is_no_attribute(
    small_run, tmp_path, monkeypatch
):
    # A Google Play export's "Review Text" (or a joined "title+body"): the page had read
    # each quote as a row tuple's attribute and failed on every such run.
    import json
    import shutil

    import pandas as pd

    run_dir = tmp_path / "play"
    shutil.copytree(small_run[0], run_dir)
    documents = pd.read_parquet(run_dir / "documents.parquet")
    documents.rename(columns={"comment": "Review Text"}).to_parquet(run_dir / "documents.parquet")
    meta = json.loads((run_dir / "run.json").read_text())
    meta["text_col"] = "Review Text"
    (run_dir / "run.json").write_text(json.dumps(meta))
    monkeypatch.setenv("MINER_RUN", str(run_dir))
    at = AppTest.from_file(str(APP), default_timeout=120).switch_page("app_pages/jobs.py")
    at.run()
    assert not at.exception, at.exception
    assert _quotes(at), "quotes behind the top job are shown"


def test_missing_run_gives_guidance(monkeypatch, tmp_path):
    monkeypatch.setenv("MINER_RUN", str(tmp_path / "nothing"))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception and not at.error
    assert any("No run is open yet" in i.value and "make app" in i.value for i in at.info)
    # A folder that is not a run (or a damaged one) says what is wrong.
    (tmp_path / "nothing").mkdir()
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert any("E107" in e.value for e in at.error)
    assert any("Bring a file" in i.value for i in at.info)


def test_the_app_ships_in_the_package_and_miner_app_serves_it(cli, monkeypatch, tmp_path):
    # A wheel installed anywhere had no app (app.py and app_pages/ were beside the
    # package): the app is package data of miner.webapp, every page it names is there.
    import re
    from importlib import resources

    from miner import app_server

    webapp = resources.files("miner.webapp")
    pages = re.findall(r'st\.Page\("([^"]+)"', webapp.joinpath("app.py").read_text())
    assert len(pages) == 11 and all(webapp.joinpath(page).is_file() for page in pages)
    assert APP == Path(str(webapp.joinpath("app.py")))
    # `miner app` hands the server its options and the app's after "--".
    given = []
    monkeypatch.setattr(app_server, "main", lambda argv: given.append(argv) or 0)
    code, _, err = cli("app", "--run", tmp_path / "run", "--workspace", tmp_path, "--port", "8599")
    assert code == 0, err
    run, folder = str(tmp_path / "run"), str(tmp_path)
    assert given == [["--server.port", "8599", "--", "--run", run, "--workspace", folder]]
    # The server's settings travel as options, not as a .streamlit folder of a checkout.
    assert "--server.fileWatcherType" in app_server.settings()
    # The page icon is the package's own file: a material icon's favicon had been
    # fetched from fonts.gstatic.com on every page load (the app works offline).
    icon = re.search(r"page_icon=([^,\n]+)", webapp.joinpath("app.py").read_text()).group(1)
    assert "favicon.png" in icon and webapp.joinpath("favicon.png").is_file()


def test_the_app_server_takes_port_as_miner_app_does(monkeypatch, tmp_path):
    # `python -m miner.app_server --port N` had been refused, naming a module that does
    # not exist; it is Streamlit's --server.port, as `miner app --port` gives it.
    import sys
    import threading

    from streamlit.web import cli as streamlit_cli

    from miner import app_server

    started = []
    monkeypatch.setattr(app_server, "preload", lambda: None)
    monkeypatch.setattr(threading.Thread, "start", lambda self: None)
    monkeypatch.setattr(streamlit_cli, "main", lambda: started.append(list(sys.argv)) or 0)
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    assert app_server.main(["--port", "8611", "--", "--run", str(tmp_path)]) == 0
    argv = started[0]
    assert argv[argv.index("--server.port") + 1] == "8611" and "--port" not in argv
    assert argv[-3:] == ["--", "--run", str(tmp_path)]
