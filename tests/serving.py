"""Serve the Streamlit app and drive it in Chromium (Playwright): shared by the browser
tests and docs/screenshots.py.

Needs Chromium (Debian package `chromium`) and Playwright; callers skip when
``CHROMIUM`` is None.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served_app(
    *app_args: str,
    env: dict | None = None,
    startup: float = 60.0,
    script: Path | None = None,
) -> Iterator[str]:
    """The app as ``make app`` serves it (``python -m miner.app_server``, i.e. ``streamlit
    run miner/webapp/app.py`` with miner's settings) with ``-- APP_ARGS`` on a free local
    port; yields its URL. With ``script``: ``streamlit run SCRIPT`` instead (the plain
    server, no preloading)."""
    port = _free_port()
    if script is None:
        command = [sys.executable, "-m", "miner.app_server"]
    else:
        command = [sys.executable, "-m", "streamlit", "run", str(script)]
    server = subprocess.Popen(
        [
            *command,
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--",
            *app_args,
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the Streamlit server did not come up") from None
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@contextmanager
def browser_page(width: int = 1400, height: int = 1200):
    """A Playwright page in Debian's Chromium (``executable_path``), closed at the end.

    Raises RuntimeError when Chromium is not installed (tests skip before: ``CHROMIUM``).
    """
    if CHROMIUM is None:
        raise RuntimeError("Chromium is not installed (Debian package `chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()


# Each page of the app (its link in the sidebar) and a text that shows it has rendered.
PAGE_MARKERS = {
    "Overview": "Largest themes",
    "Roadmap": "Each item: why, in whose words",
    "Themes": "In customers' words",
    "Jobs to be done": "Quotes behind",
    "Trends": "Comments behind a point",
    "Segments & drivers": "Comments behind a driver",
    "Customers": re.compile("customers with comments|--id-col"),
    "Curate themes": "Change log",
    "Share": "Comments: the view you choose",
    "Bring a file": "Feedback export",
    "Runs": re.compile("^Rename$|No runs in this workspace yet"),
}


def screenshot_name(title: str) -> str:
    """``Segments & drivers`` → ``segments.png``, ``Curate themes`` → ``curate.png``."""
    return title.split()[0].lower() + ".png"


def visit(page, title: str, screenshot: Path | None = None, timeout: float = 60_000) -> None:
    """Open the page ``title`` from the sidebar, wait until it has rendered, check that
    it shows no exception, and save a full-page screenshot when asked."""
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title, exact=True).click()
    page.get_by_text(PAGE_MARKERS[title]).first.wait_for(timeout=timeout)
    # The page is drawn top to bottom: wait until the script has finished its run.
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=timeout)
    if page.locator("[data-testid='stException']").count():
        raise AssertionError(f"the {title} page shows an exception")
    if screenshot is not None:
        drawn(page, timeout)
        page.screenshot(path=str(screenshot), full_page=True)


def drawn(page, timeout: float = 60_000) -> None:
    """Wait until the page's tables and charts are drawn: they paint on a canvas (or
    SVG) after the script's run has ended, so a screenshot taken at once shows them
    empty."""
    for selector in ("[data-testid='stDataFrame'] canvas", ".vega-embed svg, .vega-embed canvas"):
        for element in page.locator(selector).all():
            element.scroll_into_view_if_needed(timeout=timeout)
            element.wait_for(state="visible", timeout=timeout)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(1_000)  # the grids' first paint after they are laid out
