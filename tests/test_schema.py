"""The run contract: README tables = miner.schema, old runs load, estimators clone."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from sklearn.base import clone

from miner import schema
from miner.persist import Run, load_run, save_run

ROOT = Path(__file__).resolve().parents[1]
OLD_RUN = ROOT / "tests" / "data" / "old_runs" / "v0_1_main_11035c6"


def readme_table(heading: str) -> list[str]:
    """Backticked column names in the first cells of the table under ``#### heading``."""
    text = (ROOT / "README.md").read_text()
    section = text.split(f"\n#### {heading}\n", 1)[1].split("\n#### ", 1)[0]
    names = []
    for line in section.splitlines():
        cells = line.split("|")
        if line.startswith("| `") and len(cells) > 2:
            names += re.findall(r"`([a-z_]+)`", cells[1])
    return names


@pytest.mark.parametrize(
    ("heading", "columns"),
    [
        ("documents.parquet", {**schema.DOCUMENT_KEYS, **schema.DOCUMENT_COLUMNS}),
        ("pieces.parquet", schema.PIECE_COLUMNS),
        ("themes.csv", schema.THEME_COLUMNS),
        ("jobs.csv", schema.JOB_COLUMNS),
        (schema.TRENDS_FILE, schema.TREND_COLUMNS),
        (schema.EMERGING_FILE, schema.EMERGING_COLUMNS),
        (schema.SEGMENT_SUMMARY_FILE, schema.SEGMENT_SUMMARY_COLUMNS),
        (schema.SEGMENTS_FILE, schema.SEGMENT_COLUMNS),
        (schema.DRIVERS_FILE, schema.DRIVER_COLUMNS),
        (", ".join(schema.AREA_INSIGHT_FILES), {"area_id": "the area"}),
        ("customer list", schema.CUSTOMER_COLUMNS),
        (schema.MAP_FILE, schema.MAP_COLUMNS),
    ],
)
def test_readme_tables_match_the_schema(heading, columns):
    documented = readme_table(heading)
    assert len(documented) == len(set(documented)), f"a column is listed twice: {documented}"
    assert set(documented) == set(columns)


def test_the_readme_parser_sees_a_missing_column():
    assert "masked_text" in readme_table("documents.parquet")
    assert "voices" in readme_table("jobs.csv") and "label" not in readme_table("jobs.csv")


def test_a_fitted_run_has_exactly_the_schema_columns(small_run):
    run = load_run(small_run[0])
    assert run.meta["run_format"] == schema.RUN_FORMAT
    contract = [c for c in run.documents.columns if c in schema.DOCUMENT_COLUMNS]
    assert contract == [c for c in schema.DOCUMENT_COLUMNS if c in contract]
    missing = set(schema.DOCUMENT_COLUMNS) - set(contract) - schema.OPTIONAL_DOCUMENT_COLUMNS
    assert not missing
    keys = schema.OPTIONAL_KEY_COLUMNS  # one text column: no question
    assert list(run.pieces.columns) == [c for c in schema.PIECE_COLUMNS if c not in keys]
    optional = schema.OPTIONAL_THEME_COLUMNS - {"customers", "mentions", "sentiment_n"}
    assert list(run.themes.columns) == [c for c in schema.THEME_COLUMNS if c not in optional]
    assert list(run.jobs.columns) == list(schema.JOB_COLUMNS)
    assert (run.themes["voices"] == run.themes["customers"]).all()
    assert set(run.documents["status"]) <= set(schema.STATUSES)
    assert set(run.documents["kind"].dropna()) <= set(schema.KINDS)
    assert set(run.documents["sentiment"].dropna()) <= set(schema.SENTIMENTS)
    digests = run.meta["model_files"]
    assert set(digests) == {"embedder", "sentiment", "kind"}
    assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", d) for d in digests.values())


def test_a_run_written_by_the_previous_format_still_loads_and_scores(tmp_path, cli):
    run = load_run(OLD_RUN)
    assert "run_format" not in run.meta  # written before the schema module
    assert list(run.themes.columns[:5]) == [
        "theme_id",
        "theme_label",
        "area_id",
        "area_label",
        "comments",
    ]
    assert (run.themes["voices"] == run.themes["customers"]).all()
    assert {"job_label", "comments", "theme_ids", "voices"} <= set(run.jobs.columns)
    assert "piece" in run.pieces.columns and "segment" not in run.pieces.columns
    assert all(table is None for table in run.insight_tables().values())
    code, out, err = cli("report", OLD_RUN)
    assert code == 0, err
    assert run.themes["theme_label"].iloc[0] in out
    source = tmp_path / "new.csv"
    pd.DataFrame({"comment": ["the bank feed stopped syncing", "please add dark mode"]}).to_csv(
        source, index=False
    )
    code, _, err = cli("score", source, "--model", OLD_RUN / "model", "--out", tmp_path / "s.csv")
    assert code == 0, err
    scored = pd.read_csv(tmp_path / "s.csv")
    assert len(scored) == 2 and (scored["theme_id"] >= 0).all()


def test_save_run_and_load_run_are_symmetric(tmp_path):
    run = load_run(OLD_RUN)
    again = load_run(save_run(run, tmp_path / "copy"))
    pd.testing.assert_frame_equal(again.documents, run.documents)
    pd.testing.assert_frame_equal(again.themes, run.themes)
    pd.testing.assert_frame_equal(again.jobs, run.jobs)
    pd.testing.assert_frame_equal(again.pieces, run.pieces)
    assert again.meta["run_format"] == schema.RUN_FORMAT
    assert not (tmp_path / "copy" / schema.MODEL_DIR).exists()  # no model given


def test_save_run_replaces_an_older_run_in_place(tmp_path):
    folder = tmp_path / "run"
    shutil.copytree(OLD_RUN, folder)
    run = load_run(folder)
    save_run(Run(documents=run.documents, themes=run.themes, meta=run.meta), folder)
    names = sorted(p.name for p in folder.iterdir())
    # Old pieces and jobs are gone with the run that had them; no temporary file is left.
    assert schema.LEGACY_PIECES_FILE not in names and schema.JOBS_FILE not in names
    assert not [n for n in names if n.startswith(".")]


def test_an_interrupted_save_leaves_the_previous_run_untouched(tmp_path, monkeypatch):
    folder = tmp_path / "run"
    shutil.copytree(OLD_RUN, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    run = load_run(folder)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("miner.persist.write_csv", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_run(run, folder)
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert after == before


def test_estimators_follow_scikit_learn():
    from miner import FeedbackMiner
    from miner.errors import NotFitted
    from miner.themes import ThemeModel

    guides = [{"name": "Dark mode", "words": ["dark", "theme"]}]
    miner = FeedbackMiner(seed=3, guided_themes=guides)
    assert clone(FeedbackMiner(seed=3)).get_params()["seed"] == 3
    assert clone(miner).get_params()["guided_themes"] == guides  # stored as given
    assert "seed=3" in repr(miner)
    assert clone(ThemeModel(n_neighbors=7)).get_params()["n_neighbors"] == 7
    with pytest.raises(NotFitted, match="E106|not fitted"):
        miner.transform(["anything"])
    with pytest.raises(NotFitted):
        ThemeModel().transform([[0.0, 1.0]])


def test_counts_read_in_the_right_number():
    from miner.curation import describe

    assert schema.counted(1, "comment") == "1 comment"
    assert schema.counted(0, "theme") == "0 themes" and schema.counted(2000, "row") == "2,000 rows"
    move = {"op": "move", "row_ids": [3], "to": -1}
    assert describe(move) == "move 1 comment (rows 3) to unassigned"
    assert describe({**move, "row_ids": [3, 4], "to": 2}) == "move 2 comments (rows 3, 4) to #2"
