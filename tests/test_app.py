"""The Streamlit app renders a real run without exceptions."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from miner.persist import load_run
from tests.conftest import ROOT


@pytest.fixture
def app(small_run, monkeypatch):
    monkeypatch.setenv("MINER_RUN", str(small_run[0]))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def test_themes_page_shows_theme_rows_and_quotes(app, small_run):
    app.run()
    assert not app.exception, app.exception
    run = load_run(small_run[0])
    table = app.dataframe[0].value
    assert len(table) == len(run.themes)
    assert table["label"].tolist() == run.themes["label"].tolist()
    assert app.metric[0].value == f"{len(run.documents):,}"
    quotes = [m.value for m in app.markdown if m.value.startswith("> ")]
    assert quotes, "example quotes are shown for the first theme"
    app.selectbox[0].select_index(1).run()
    assert not app.exception
    assert app.selectbox[0].value == run.themes["theme_id"].iloc[1]
    second_quotes = [m.value for m in app.markdown if m.value.startswith("> ")]
    assert second_quotes and second_quotes != quotes


def test_missing_run_gives_guidance(monkeypatch, tmp_path):
    monkeypatch.setenv("MINER_RUN", str(tmp_path / "nothing"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert any("E107" in e.value for e in at.error)
    assert any("make app" in i.value for i in at.info)
