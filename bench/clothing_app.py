"""A real export through the app's own machinery: the 22,641 clothing reviews.

    python bench/clothing_app.py --workspace /tmp/clothing-ws        # fit, then summary
    python bench/clothing_app.py --workspace /tmp/clothing-ws --screen  # + first screen

Stores ``../shared/data/clothing_reviews/reviews.csv`` as an upload of a workspace
(:class:`miner.workspace.Workspace`, what the Bring a file page does), maps the columns
as a PM would on that page (review text; rating as the score; department and age as
segments: the detected mapping, narrowed to those two segments) and starts the same
background fit the page's "Find themes" button starts. It prints the fit's stage and
rows while it runs and its wall time at the end (a run that is done already is reused),
then what a PM sees first: the largest themes, a job, the theme pulling the rating down
most, a segment difference. With ``--screen`` it serves the app on the run and times the
first screen in Chromium three times (``bench/app_speed.py``'s first_screen, with an
empty Streamlit app's beside it). Needs ``../shared``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from miner import schema  # noqa: E402
from miner.persist import load_run  # noqa: E402
from miner.workspace import ColumnMapping, Workspace, read_upload, suggest_mapping  # noqa: E402

SOURCE = ROOT.parent / "shared" / "data" / "clothing_reviews" / "reviews.csv"


def fit(workspace: Workspace) -> Path:
    upload = workspace.save_upload(SOURCE.name, SOURCE.read_bytes())
    detected = suggest_mapping(read_upload(upload))
    mapping = ColumnMapping(
        text_cols=("review_text",),
        segment_cols=("department_name", "age"),
        score_col=detected.score_col,
        score_type=detected.score_type,
    )
    print(f"detected: {detected}\nmapping:  {mapping}", flush=True)
    started = time.perf_counter()
    entry = workspace.start_fit(upload, mapping, name="clothing reviews")
    last = None
    while entry.state == schema.FIT_RUNNING:
        time.sleep(10)
        entry = workspace.run(entry.run_id)
        line = f"{entry.stage} {entry.rows_done:,}/{entry.rows_total:,}"
        if line != last:
            print(f"{time.perf_counter() - started:7.0f}s  {line}", flush=True)
            last = line
    print(f"fit: {entry.state} in {time.perf_counter() - started:.0f}s ({entry.path})")
    if entry.state != schema.FIT_DONE:
        raise SystemExit(f"the fit did not finish: {entry.error}")
    return entry.path


def summary(path: Path) -> None:
    run = load_run(path)
    meta = run.meta
    print(f"\n{len(run.documents):,} rows, {int((run.themes['theme_id'] >= 0).sum())} themes")
    print(f"fit seconds: {meta.get('seconds') or meta.get('timing')}")
    print("\nlargest themes:")
    for row in run.themes.sort_values("comments", ascending=False).head(8).itertuples():
        print(f"  {row.theme_label} ({row.comments:,} comments, net {row.net_sentiment:+.2f})")
    if run.jobs is not None and len(run.jobs):
        top = run.jobs.sort_values("comments", ascending=False).iloc[0]
        print(f"\ntop job: {top['job_label']} ({top['comments']} comments)")
    if run.drivers is not None and len(run.drivers):
        drivers = run.drivers.dropna(subset=["impact"]).sort_values("impact")
        if len(drivers):
            low = drivers.iloc[0]
            names = dict(zip(run.themes["theme_id"], run.themes["theme_label"], strict=True))
            print(
                f"\nmost negative driver: {names.get(low['theme_id'], low['theme_id'])} "
                f"{low['impact']:+.3f} [{low['impact_low']:+.3f}, {low['impact_high']:+.3f}]"
            )
    if run.segment_lifts is not None and len(run.segment_lifts):
        lifts = run.segment_lifts.sort_values("lift", ascending=False)
        flagged = (
            lifts[lifts.get("flag", lifts.get("direction", "")) != ""] if len(lifts) else lifts
        )
        for row in (flagged if len(flagged) else lifts).head(3).to_dict("records"):
            print(f"segment: {row}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workspace", type=Path, required=True, help="workspace folder")
    parser.add_argument("--screen", action="store_true", help="time the first screen")
    args = parser.parse_args()
    if not SOURCE.exists():
        raise SystemExit(f"needs {SOURCE}")
    path = fit(Workspace(args.workspace))
    summary(path)
    if args.screen:
        from app_speed import first_screen

        for _ in range(3):
            print(first_screen(path, timeout_s=300), flush=True)


if __name__ == "__main__":
    main()
