"""Regenerate the README's screenshots from the real app.

    python docs/screenshots.py [--run runs/demo] [--out docs/screenshots]

Serves the app as ``miner app --run RUN`` does (an empty temporary workspace, so the
Runs page shows its empty state), opens every page in Debian's Chromium (Playwright)
and saves one full-page PNG per page (overview.png, themes.png, jobs.png, …, bring.png,
runs.png). Fails if a page shows an exception.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.serving import (  # noqa: E402 - after the path above
    CHROMIUM,
    PAGE_MARKERS,
    browser_page,
    drawn,
    screenshot_name,
    served_app,
    visit,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", default=str(ROOT / "runs" / "demo"), help="Run folder to show.")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"), help="PNG folder.")
    args = parser.parse_args()
    if CHROMIUM is None:
        print("Chromium is not installed (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    if not (Path(args.run) / "documents.parquet").exists():
        print(f"{args.run} is not a run folder; make one with `make demo-run`", file=sys.stderr)
        return 2
    from playwright.sync_api import TimeoutError as playwright_timeout

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="miner-screenshots-") as workspace:
        served = served_app("--run", str(args.run), "--workspace", workspace)
        with served as url, browser_page() as page:
            page.goto(url)
            page.get_by_text(PAGE_MARKERS["Overview"]).wait_for(timeout=120_000)
            for title in PAGE_MARKERS:
                try:
                    visit(page, title, out / screenshot_name(title))
                except playwright_timeout:
                    # A run without the column a page needs (dates for Trends): the page
                    # shows how to get it instead of its last section.
                    if page.locator("[data-testid='stException']").count():
                        raise
                    drawn(page)
                    page.screenshot(path=str(out / screenshot_name(title)), full_page=True)
                print(out / screenshot_name(title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
