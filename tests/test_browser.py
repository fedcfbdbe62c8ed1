"""The app in a real browser on a fitted run: land on the Overview, read themes, open
jobs, click a point of the Trends chart, the Segments & drivers page, and the Roadmap's
JSON download. The whole job from an upload (fit, search, curate, share) is
`tests/test_browser_workspace.py`.

Needs Chromium (Debian package `chromium`; `.ci/run` installs it) and Playwright;
skipped on machines without a browser.
"""

from __future__ import annotations

import re

import pytest

from miner.persist import load_run
from tests.serving import CHROMIUM, browser_page, served_app

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed"),
]


@pytest.fixture(scope="module")
def served(small_run):
    try:
        with served_app("--run", str(small_run[0])) as url:
            yield url
    except RuntimeError as error:
        pytest.fail(str(error))


def test_themes_jobs_and_insight_pages_in_a_browser(served, small_run, tmp_path):
    run = load_run(small_run[0])
    biggest = run.themes.iloc[0]
    analysed = int(run.documents["status"].isin(["ok", "duplicate"]).sum())
    with browser_page() as page:
        page.goto(served)
        expect = playwright.expect
        # The landing page: the run at a glance, each part a link into its page.
        page.get_by_text("Largest themes").wait_for(timeout=90_000)
        # Headline figures (tables are drawn on a canvas: not readable as text).
        expect(page.locator("[data-testid='stMetricValue']").first).to_have_text(f"{analysed:,}")
        page.screenshot(path=str(tmp_path / "overview.png"))
        assert page.locator("[data-testid='stException']").count() == 0
        page.get_by_role("link", name="All themes and their comments").click()
        page.get_by_text("In customers' words").wait_for(timeout=90_000)
        expect(page.get_by_role("heading", name="Themes")).to_be_visible()
        expect(page.get_by_text(f"{analysed:,}", exact=True).first).to_be_visible(timeout=30_000)
        expect(page.get_by_text(f"{biggest['comments']:,} comments match")).to_be_visible(
            timeout=30_000
        )
        page.screenshot(path=str(tmp_path / "themes.png"))
        page.get_by_role("link", name="Jobs to be done").click()
        page.get_by_text("Quotes behind").wait_for(timeout=60_000)
        expect(page.get_by_text("Opportunity = importance")).to_be_visible()
        page.screenshot(path=str(tmp_path / "jobs.png"))
        # The insight pages on the same run (its date, segments and score detected).
        page.get_by_role("link", name="Trends").click()
        page.get_by_text("Comments behind a point").wait_for(timeout=60_000)
        expect(page.locator(".vega-embed").first).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Emerging and fading themes")).to_be_visible()
        # Click a point of the chart: its theme's comments in its period are quoted.
        dots = page.locator(".vega-embed g.mark-symbol.role-mark").last.locator("path")
        point = dots.nth(3)
        facts = dict(part.split(": ", 1) for part in point.get_attribute("aria-label").split("; "))
        share = facts["Share (comments of the period's n)"]
        picked = re.compile(rf"{re.escape(facts['Theme'])} in .*: {re.escape(share)} of")
        expect(page.get_by_text(picked)).to_have_count(0)
        point.click()
        expect(page.get_by_text(picked)).to_be_visible(timeout=30_000)
        page.screenshot(path=str(tmp_path / "trends.png"))
        assert page.locator("[data-testid='stException']").count() == 0
        page.get_by_role("link", name="Segments & drivers").click()
        page.get_by_text("Comments behind a driver").wait_for(timeout=60_000)
        expect(page.locator(".vega-embed")).to_have_count(2, timeout=30_000)
        expect(page.get_by_text("scored comments, not estimated")).to_be_visible()
        page.screenshot(path=str(tmp_path / "segments.png"))
        assert page.locator("[data-testid='stException']").count() == 0


def test_roadmap_page_in_a_browser_downloads_the_json(served, small_run, tmp_path):
    """The Roadmap page: the contribution bars, an item's quotes, and the JSON download
    (valid against the shipped schema, the same feed as `miner roadmap`)."""
    import json

    from miner.report import masked_run
    from miner.roadmap import export
    from miner.roadmap.feed import build_roadmap

    feed = build_roadmap(masked_run(load_run(small_run[0])))
    with browser_page() as page:
        page.goto(served)
        page.get_by_role("link", name="Roadmap", exact=True).click()
        page.get_by_text("Each item: why, in whose words").wait_for(timeout=90_000)
        expect = playwright.expect
        expect(page.locator(".vega-embed").first).to_be_visible(timeout=30_000)
        first = feed["themes"][0]
        page.get_by_text(f"1. {first['label']} · priority").first.click()
        expect(page.get_by_text("Why it ranks here").first).to_be_visible(timeout=30_000)
        page.screenshot(path=str(tmp_path / "roadmap.png"), full_page=True)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="JSON").click()
        saved = tmp_path / "roadmap.json"
        download.value.save_as(saved)
        assert download.value.suggested_filename == "roadmap.json"
        downloaded = json.loads(saved.read_text())
        export.validate(downloaded)
        assert downloaded == json.loads(export.to_json(feed))
        assert page.locator("[data-testid='stException']").count() == 0
