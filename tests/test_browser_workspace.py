"""The PM's whole job in one browser session: an empty workspace, upload a 250-row
CSV, keep the detected columns, fit in the background (progress survives a reload),
open the themes, open a theme, search the comments, visit every page (a screenshot of
each), rename a theme and merge another into it, download the comments and the HTML
report, and never an exception.

Needs Chromium (Debian package `chromium`) and Playwright; skipped without a browser.
"""

from __future__ import annotations

import io
import re
import time

import pandas as pd
import pytest

from miner.persist import load_run
from tests.serving import (
    CHROMIUM,
    PAGE_MARKERS,
    browser_page,
    screenshot_name,
    served_app,
    visit,
)

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,  # a real fit in the background (about a minute on 2 cores)
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed"),
]

# The pages after Themes, visited once the run is open.
PAGES = [title for title in PAGE_MARKERS if title not in ("Themes", "Bring a file")]


def _no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


def test_upload_map_fit_and_read_themes_in_a_browser(small_feedback_csv, tmp_path):
    survey = tmp_path / "survey250.csv"
    pd.read_csv(small_feedback_csv).head(250).to_csv(survey, index=False)
    shots = tmp_path / "screenshots"
    shots.mkdir()
    expect = playwright.expect
    args = ("--workspace", str(tmp_path / "workspace"), "--run", str(tmp_path / "no-run"))
    with served_app(*args) as url, browser_page() as page:
        page.goto(url)
        page.get_by_text("No run is open yet").wait_for(timeout=90_000)
        _no_exception(page)
        page.get_by_role("link", name="Bring a file").first.click()
        page.get_by_text("Upload a feedback export").wait_for(timeout=60_000)
        started = time.perf_counter()
        page.locator("input[type='file']").set_input_files(str(survey))
        page.get_by_text("250 rows, 8 columns; the first 20, personal data masked:").wait_for(
            timeout=60_000
        )
        page.get_by_role("button", name="Find themes").wait_for(timeout=60_000)
        form = page.locator("[data-testid='stForm']")
        # The detected columns are preselected: text, customer id, date, score.
        expect(form.get_by_text("comment", exact=True).first).to_be_visible(timeout=30_000)
        for label, value in (("Customer id", "customer_id"), ("Date", "submitted_at")):
            expect(form.get_by_role("combobox", name=label)).to_match_aria_snapshot(
                f'- combobox "{label}": {value}'
            )
        page.screenshot(path=str(shots / "bring_a_file.png"), full_page=True)
        page.get_by_role("button", name="Find themes").click()
        bar = page.locator("[data-testid='stProgress']").first
        bar.wait_for(timeout=60_000)
        bar.scroll_into_view_if_needed()
        expect(page.get_by_text("survey250").first).to_be_visible()
        page.screenshot(path=str(shots / "fitting.png"))
        # The fit runs on in its own process: a reload shows it still going (or done).
        page.reload()
        page.get_by_role("link", name="Bring a file").first.wait_for(timeout=60_000)
        if "workspace" not in page.url:
            page.get_by_role("link", name="Bring a file").first.click()
        opener = page.get_by_role("button", name="Open its themes")
        opener.wait_for(timeout=300_000)
        _no_exception(page)
        opener.click()
        page.get_by_text("In customers' words").wait_for(timeout=90_000)
        seconds = time.perf_counter() - started
        print(f"upload to first themes screen: {seconds:.1f}s")
        (tmp_path / "timing.txt").write_text(f"{seconds:.1f}\n")
        expect(page.get_by_role("heading", name="Themes")).to_be_visible()
        expect(page.get_by_text("survey250.csv").first).to_be_visible()
        _no_exception(page)
        page.screenshot(path=str(shots / "themes.png"), full_page=True)
        (folder,) = [p.parent for p in (tmp_path / "workspace").glob("runs/*/run.json")]
        run = load_run(folder)
        themes = run.themes[run.themes["theme_id"] >= 0]
        first, other = themes.iloc[0], themes.iloc[1]
        # Open a theme: its detail and quotes.
        # Wait for the page's run to end (a rerun would close the list), then type the
        # theme's name: the list draws only the options in view.
        page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60_000)
        chooser = page.get_by_role("combobox", name="Theme", exact=True)
        chooser.click()
        chooser.press_sequentially(str(other["theme_label"]), delay=20)
        page.get_by_role(
            "option", name=re.compile(rf"^{re.escape(other['theme_label'])} \(")
        ).click(timeout=60_000)
        page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60_000)
        expect(page.get_by_role("combobox", name="Theme", exact=True)).to_match_aria_snapshot(
            f'- combobox "Theme": {other["theme_label"]} '
            f"({int(other['comments']):,} comments in all)"
        )
        _no_exception(page)
        # Search the comments by their words.
        word = _common_word(run)
        search = page.get_by_role("textbox", name="Search", exact=True)
        search.fill(word)
        search.press("Enter")
        expect(page.get_by_text(re.compile(r"^\d[\d,]* comments found"))).to_be_visible(
            timeout=60_000
        )
        page.screenshot(path=str(shots / "search.png"), full_page=True)
        _no_exception(page)
        for title in PAGES:
            visit(page, title, shots / screenshot_name(title))
        # The runs list shows the run, and a reload keeps the opened run.
        expect(page.get_by_text("survey250").first).to_be_visible()
        visit(page, "Themes")
        page.reload()
        page.get_by_text("In customers' words").wait_for(timeout=90_000)
        expect(page.get_by_text("survey250.csv").first).to_be_visible()
        _no_exception(page)
        # Curate: rename the first theme, then merge the second into it.
        visit(page, "Curate themes")
        rename = page.get_by_label("New name")
        rename.wait_for(timeout=90_000)
        rename.fill("Renamed in a browser")
        rename.press("Enter")
        page.get_by_role("button", name="Rename", exact=True).click()
        expect(page.get_by_text("Renamed in a browser").first).to_be_visible(timeout=60_000)
        # The rename reruns the page; a dropdown opened during the rerun closes again.
        page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60_000)
        option = page.get_by_role("option", name=f"#{other['theme_id']} {other['theme_label']}")
        for _ in range(3):
            # A rerun still drawing the page (it draws its widgets anew after an edit)
            # puts the tabs back on the first: try again, as a user would.
            page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60_000)
            try:
                page.get_by_role("tab", name="Merge").click()
                page.get_by_label("Merge these themes into it").click(timeout=15_000)
                option.wait_for(timeout=15_000)
                break
            except playwright.TimeoutError:
                page.keyboard.press("Escape")
        option.click()
        page.keyboard.press("Escape")
        page.wait_for_timeout(2_000)  # the choice reruns the page, back on the first tab
        page.get_by_role("tab", name="Merge").click()
        page.get_by_role("button", name="Merge", exact=True).click()
        page.wait_for_timeout(3_000)
        _no_exception(page)
        page.screenshot(path=str(shots / "curated.png"), full_page=True)
        # Share: the comments and the self-contained report as files.
        visit(page, "Share")
        files = {}
        for name in ("documents.csv", "report.html"):
            with page.expect_download(timeout=60_000) as download:
                page.get_by_role("button", name=re.compile(rf"^{re.escape(name)}")).click()
            files[name] = download.value.path().read_text(encoding="utf-8")
        _no_exception(page)
    assert len(list(shots.glob("*.png"))) == 2 + 2 + len(PAGES) + 1
    # The edits reached the run on disk and the downloads carry them.
    curated = load_run(folder)
    labels = dict(zip(curated.themes["theme_id"], curated.themes["theme_label"], strict=True))
    assert labels[int(first["theme_id"])] == "Renamed in a browser"
    assert int(other["theme_id"]) not in set(curated.themes["theme_id"])
    assert "Renamed in a browser" in files["report.html"] and "<script" not in files["report.html"]
    assert "Renamed in a browser" in files["documents.csv"]
    assert len(pd.read_csv(io.StringIO(files["documents.csv"]))) > 0


def _common_word(run) -> str:
    """A word of five letters or more that several of the run's comments use."""
    words = run.documents[run.text_col].dropna().astype(str).str.lower().str.findall(r"[a-z]{5,}")
    counts = words.explode().value_counts()
    return str(counts.index[min(10, len(counts) - 1)])
