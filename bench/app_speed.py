"""How fast the app answers in a real browser: first screen and page switches.

    python bench/app_speed.py --run runs/demo                     # the demo run
    python bench/app_speed.py --tile runs/demo --rows 200000 --out /tmp/big-run
    python bench/app_speed.py --run /tmp/big-run                  # the 200,000-row run

Serves the app (``miner/webapp/app.py``) on the run as ``make app`` does (``python -m
miner.app_server``, which imports the pages' modules and loads the run while Streamlit
starts; ``--plain``: with plain ``streamlit run miner/webapp/app.py``), drives Chromium
with Playwright
(``$(which chromium)``) and times with the browser's own clock (``performance.now()``):

- **server start**: from starting the server until it answers its health check (the
  browser opens the app then);
- **first screen**: from navigation start until the default page (Overview) shows its
  title and Streamlit has stopped running;
- **page switch**: a click on another page's link until that page's last section is
  shown and Streamlit has stopped running; the pages are visited in turn, ``--rounds``
  times (the first visit of each page is a warm-up and is reported apart);
- **baseline**: before each repeat, the first screen of an empty Streamlit app (a
  title only), served and opened the same way: Streamlit's own start and the browser's
  first drawing, which no change to miner can remove. The first screen is printed as
  a ratio to it, with the load average, so runs on a busy machine can be compared.

A 200,000-row run: ``miner score`` writes a scored file, not a run folder, and on this
project's 2 shared cores it scores a few rows per second with the per-document heads
(the first 5,000-row chunk of the 200,000-row demo was not done after 12 minutes). So
``--tile`` builds the large run from a fitted one: its documents, map and embeddings
repeated until ``--rows`` (row ids renumbered, customer ids suffixed per copy, the
map's points jittered), its theme and job counts multiplied, its insight tables kept.
The app does the same work on it as on a scored run of that size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from miner import schema  # noqa: E402
from miner.app_server import APP  # noqa: E402
from miner.persist import load_run, save_run  # noqa: E402
from miner.roadmap.stored import refresh  # noqa: E402

# The text each page shows last (its final section), by link name.
PAGES = {
    "Themes": "matching comments",
    "Jobs to be done": "Quotes behind",
    "Trends": "Comments behind a point",
    "Segments & drivers": "Comments behind a driver",
}


def tile_run(source: Path, rows: int, out: Path) -> Path:
    """A run of ``rows`` rows made of copies of the run at ``source`` (see above)."""
    run = load_run(source, embeddings=True)
    copies = -(-rows // len(run.documents))
    n = len(run.documents)
    documents, maps = [], []
    rng = np.random.default_rng(0)
    for copy in range(copies):
        part = run.documents.copy()
        part["row_id"] = part["row_id"] + copy * n
        if run.id_col and run.id_col in part.columns and copy:
            part[run.id_col] = part[run.id_col].astype(str) + f"-{copy}"
        documents.append(part)
        if run.map is not None:
            points = run.map.copy()
            points["row_id"] = points["row_id"] + copy * n
            if copy:
                jitter = rng.normal(0, 0.01, size=(len(points), 2)).astype(np.float32)
                points[["x", "y"]] = points[["x", "y"]].to_numpy() + jitter
            maps.append(points)
    run.documents = pd.concat(documents, ignore_index=True).head(rows)
    kept = set(run.documents["row_id"])
    if maps:
        big_map = pd.concat(maps, ignore_index=True)
        inside = big_map["row_id"].isin(kept).to_numpy()
        run.map = big_map[inside].reset_index(drop=True)
        run.embeddings = np.tile(np.asarray(run.embeddings), (copies, 1))[inside]
    counted = ("comments", "mentions", "customers", "voices")
    for table in (run.themes, run.jobs):
        for column in counted:
            if table is not None and column in table.columns:
                table[column] = pd.to_numeric(table[column], errors="coerce") * copies
    run.pieces = None  # the pieces of copies would repeat the same rows' pieces
    run.meta = {**run.meta, "rows": rows, "source": f"{source} tiled to {rows:,} rows"}
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(Path(source) / schema.MODEL_DIR, out / schema.MODEL_DIR)
    save_run(run, out)
    refresh(out, rows=len(run.documents))  # the stored roadmap feed, as a fit of its size
    return out


def _settled(page, marker: str | None, timeout_ms: int) -> float:
    """Wait for ``marker`` and for Streamlit to stop running; the browser's clock (ms)."""
    if marker is None:
        page.locator("h1").first.wait_for(timeout=timeout_ms)
    else:
        page.get_by_text(marker).first.wait_for(timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stStatusWidget']\")",
        timeout=timeout_ms,
    )
    return page.evaluate("performance.now()")


@contextmanager
def opened(
    run_dir: Path | None, script: Path | None = None, plain: bool = False
) -> Iterator[tuple[object, float]]:
    """The app served as ``make app`` serves it (``python -m miner.app_server``), or with
    ``plain`` as ``streamlit run miner/webapp/app.py``, or ``streamlit run script``, and opened in
    Chromium: (page at navigation start, seconds until the server answered its health
    check); both closed after."""
    from tests.serving import browser_page, served_app

    app_args = ["--run", str(run_dir)] if run_dir is not None else []
    started = time.perf_counter()
    with served_app(*app_args, startup=120.0, script=script or (APP if plain else None)) as url:
        server_start = time.perf_counter() - started
        with browser_page() as page:
            page.goto(url)
            yield page, server_start


def first_screen(run_dir: Path, timeout_s: int) -> dict:
    """Server start and first screen only (a run whose pages lack the markers above,
    such as one without dates, can still be timed), with the empty app's beside it."""
    baseline = empty_app_first_screen(timeout_s)
    with opened(run_dir) as (page, server_start):
        first = _settled(page, None, timeout_s * 1000) / 1000
        errors = page.locator("[data-testid='stException']").count()
    return {
        "server_start_s": round(server_start, 2),
        "first_screen_s": round(first, 2),
        "empty_app_first_screen_s": round(baseline, 2),
        "exceptions": errors,
        "load_average": round(os.getloadavg()[0], 1),
    }


def empty_app_first_screen(timeout_s: int) -> float:
    """The baseline: the first screen of a Streamlit app that only shows a title, served
    and opened the same way (Streamlit's own start and the browser's first drawing)."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "empty_app.py"
        script.write_text('import streamlit as st\n\nst.title("Overview")\n')
        with opened(None, script) as (page, _):
            return _settled(page, None, timeout_s * 1000) / 1000


def measure(run_dir: Path, rounds: int, timeout_s: int, plain: bool = False) -> dict:
    timeout = timeout_s * 1000
    with opened(run_dir, plain=plain) as (page, server_start):
        first = _settled(page, None, timeout)
        warm, switches = {}, {}
        for round_ in range(rounds + 1):
            for name in PAGES:
                start = page.evaluate("performance.now()")
                link = page.get_by_role("link", name=name, exact=True)
                if not link.is_visible():  # a long navigation is folded
                    page.get_by_text("View more").first.click()
                link.click()
                seconds = (_settled(page, PAGES[name], timeout) - start) / 1000
                target = warm if round_ == 0 else switches
                target.setdefault(name, []).append(seconds)
        errors = page.locator("[data-testid='stException']").count()
    every = [s for values in switches.values() for s in values]
    return {
        "server_start_s": round(server_start, 2),
        "first_screen_s": first / 1000,
        "first_visit_s": {k: round(v[0], 2) for k, v in warm.items()},
        "switch_median_s": statistics.median(every),
        "switch_worst_s": max(every),
        "switch_median_by_page_s": {k: round(statistics.median(v), 2) for k, v in switches.items()},
        "switches": len(every),
        "exceptions": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run", type=Path, help="run folder to serve and time")
    parser.add_argument("--tile", type=Path, help="build a large run from this run folder")
    parser.add_argument("--rows", type=int, default=200_000, help="rows of the tiled run")
    parser.add_argument("--out", type=Path, help="where to write the tiled run")
    parser.add_argument("--rounds", type=int, default=3, help="visits of each page, timed")
    parser.add_argument("--repeats", type=int, default=1, help="fresh servers, each timed")
    parser.add_argument("--timeout", type=int, default=120, help="seconds to wait for a page")
    parser.add_argument(
        "--plain", action="store_true", help="serve with plain `streamlit run miner/webapp/app.py`"
    )
    args = parser.parse_args()
    if args.tile:
        if args.out is None:
            parser.error("--tile needs --out")
        started = time.perf_counter()
        tile_run(args.tile, args.rows, args.out)
        print(f"wrote {args.out} ({args.rows:,} rows) in {time.perf_counter() - started:.1f}s")
        args.run = args.run or args.out
        if not args.rounds:
            return
    if args.run is None:
        parser.error("give --run RUN_DIR (or --tile)")
    results = []
    for _ in range(args.repeats):  # each repeat: the baseline, then the app, back to back
        baseline = empty_app_first_screen(args.timeout)
        result = measure(args.run, args.rounds, args.timeout, plain=args.plain)
        result["empty_app_first_screen_s"] = round(baseline, 2)
        result["load_average"] = round(os.getloadavg()[0], 1)
        results.append(result)
        print(result, flush=True)
    first = statistics.median(r["first_screen_s"] for r in results)
    start = statistics.median(r["server_start_s"] for r in results)
    empty = statistics.median(r["empty_app_first_screen_s"] for r in results)
    print(
        f"median of {len(results)} repeats: server start {start:.2f}s, first screen {first:.2f}s "
        f"(an empty Streamlit app: {empty:.2f}s, ratio {first / empty:.2f}), switch median "
        f"{statistics.median(r['switch_median_s'] for r in results):.2f}s, switch worst "
        f"{statistics.median(r['switch_worst_s'] for r in results):.2f}s"
    )


if __name__ == "__main__":
    main()
