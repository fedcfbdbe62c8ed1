"""Each user mistake gives one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import pandas as pd
import pytest


def _assert_clean_failure(code: int, err: str, error_code: str, *phrases: str) -> None:
    assert code != 0
    assert "Traceback" not in err
    line = err.strip().splitlines()[-1]
    assert line.startswith(f"error: {error_code} "), err
    for phrase in phrases:
        assert phrase in line, line


def test_missing_file(cli, tmp_path):
    code, _, err = cli("fit", tmp_path / "nope.csv", "--out", tmp_path / "run")
    _assert_clean_failure(code, err, "E101", "nope.csv", "not found")


def test_unreadable_format(cli, tmp_path):
    broken = tmp_path / "survey.xlsx"
    broken.write_bytes(b"PK\x03\x04 truncated zip, not a workbook")
    code, _, err = cli("fit", broken, "--out", tmp_path / "run")
    _assert_clean_failure(code, err, "E102", "survey.xlsx")
    odd = tmp_path / "survey.pdf"
    odd.write_bytes(b"%PDF-1.4")
    code, _, err = cli("fit", odd, "--out", tmp_path / "run")
    _assert_clean_failure(code, err, "E102", "unsupported format '.pdf'")


def test_unknown_column_lists_available_ones(cli, tmp_path):
    path = tmp_path / "survey.csv"
    pd.DataFrame({"id": [1, 2], "text": ["a b c", "d e f"], "score": [1, 2]}).to_csv(
        path, index=False
    )
    code, _, err = cli("fit", path, "--text-col", "comment", "--out", tmp_path / "run")
    _assert_clean_failure(code, err, "E103", "'comment' not found", "columns are: id, text, score")


def test_no_usable_text_rows(cli, tmp_path):
    path = tmp_path / "scores.csv"
    pd.DataFrame({"id": [1, 2, 3], "answer": ["10", "", "n/a"]}).to_csv(path, index=False)
    code, _, err = cli("fit", path, "--text-col", "answer", "--out", tmp_path / "run")
    _assert_clean_failure(code, err, "E104", "no usable text")
    assert not (tmp_path / "run" / "documents.parquet").exists()


def test_a_bad_thread_count_is_a_clear_error_that_writes_nothing(cli, tmp_path, monkeypatch):
    path = tmp_path / "survey.csv"
    path.write_text("comment\nsync is broken after the update\nplease add a dark mode\n")
    monkeypatch.setenv("MINER_THREADS", "zero")
    code, _, err = cli("score", path, "--out", tmp_path / "scored.csv")
    _assert_clean_failure(code, err, "E108", "MINER_THREADS", "'zero'")
    assert not (tmp_path / "scored.csv").exists()


def test_an_option_of_one_value_given_twice_is_refused(cli, tmp_path):
    # "--score-col A --score-col B" had kept B and dropped A without a word.
    path = tmp_path / "survey.csv"
    path.write_text("comment,csat,ease\nexport fails,2,3\nlove it,5,4\n")
    args = ("fit", path, "--out", tmp_path / "run", "--score-col", "csat", "--score-col=ease")
    code, _, err = cli(*args)
    assert code == 2 and "E108 --score-col takes one value and was given 2 ('csat', 'ease')" in err
    assert not (tmp_path / "run").exists()
    # Options that take several stay repeatable.
    code, _, err = cli("score", path, "--out", tmp_path / "a.csv", "--segment-col", "csat",
                       "--segment-col", "ease")  # fmt: skip
    assert code == 0, err


def test_output_directory_not_writable(cli, tmp_path):
    path = tmp_path / "survey.csv"
    pd.DataFrame({"comment": ["sync is broken", "love it"]}).to_csv(path, index=False)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, _, err = cli("fit", path, "--out", blocker / "run")
    _assert_clean_failure(code, err, "E105", "cannot write")


def test_score_refuses_unknown_output_format_and_missing_model(cli, tmp_path):
    path = tmp_path / "survey.csv"
    pd.DataFrame({"comment": ["sync is broken"]}).to_csv(path, index=False)
    for name in ("out.docx", "out.txt"):
        code, _, err = cli("score", path, "--out", tmp_path / name)
        assert code == 2
        _assert_clean_failure(code, err, "E105", name, ".csv, .parquet, .jsonl")
        assert not (tmp_path / name).exists()
    folder = tmp_path / "scored.csv"
    folder.mkdir()
    code, _, err = cli("score", path, "--out", folder)
    _assert_clean_failure(code, err, "E105", "it is a folder")
    code, _, err = cli("score", path, "--model", tmp_path, "--out", tmp_path / "out.csv")
    _assert_clean_failure(code, err, "E107", "no miner model")


def test_report_on_a_folder_that_is_not_a_run(cli, tmp_path):
    code, _, err = cli("report", tmp_path)
    _assert_clean_failure(code, err, "E107", "not a miner run")


def test_help_and_version(cli):
    code, out, _ = cli("--help")
    assert code == 0
    for command in ("fit", "score", "report"):
        assert command in out
    code, out, _ = cli("--version")
    assert code == 0 and out.startswith("miner ")


@pytest.mark.parametrize(("value", "shown"), [("high", "'high'"), ("1.5", "'1.5'")])
def test_a_bad_piece_context_is_a_clear_error_that_writes_nothing(cli, tmp_path, value, shown):
    path = tmp_path / "survey.csv"
    path.write_text("comment\nsync is broken after the update\nplease add a dark mode\n")
    code, _, err = cli("fit", path, "--piece-context", value, "--out", tmp_path / "run")
    _assert_clean_failure(code, err, "E108", "--piece-context", shown)
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("value", ["-5", "0", "1"])
def test_a_min_theme_size_below_two_is_refused_before_any_work(cli, tmp_path, value):
    path = tmp_path / "survey.csv"
    path.write_text("comment\nsync is broken after the update\nplease add a dark mode\n")
    code, _, err = cli("fit", path, "--min-theme-size", value, "--out", tmp_path / "run")
    assert code == 2 and "--min-theme-size" in err and "greater than or equal to 2" in err
    assert "Traceback" not in err and not (tmp_path / "run").exists()


def test_a_sheet_for_a_csv_and_an_empty_batch_name_are_refused(cli, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("comment\nsync is broken after the update\nplease add a dark mode\n")
    code, _, err = cli("fit", path, "--sheet", "Sheet1", "--out", tmp_path / "run")
    assert code == 2 and "E108 --sheet names a sheet of an Excel file; survey.csv is CSV" in err
    assert not (tmp_path / "run").exists()
    code, _, err = cli("score", path, "--into", tmp_path, "--model", tmp_path, "--batch", " ")
    assert code == 2 and "E108 --batch names the batch" in err


@pytest.mark.parametrize("role", ["--date-col", "--score-col", "--segment-col"])
def test_the_text_column_in_a_second_role_is_refused(cli, tmp_path, role):
    # It had been fitted, its every cell "could not be read" as a date or a score.
    path = tmp_path / "survey.csv"
    path.write_text("comment\nsync is broken after the update\nplease add a dark mode\n")
    code, _, err = cli(
        "fit", path, "--text-col", "comment", role, "comment", "--out", tmp_path / "run"
    )
    assert code == 2 and "E108 'comment' is the text column; it cannot also be the " in err
    assert not (tmp_path / "run").exists()


def test_a_date_column_without_dates_is_refused(cli, tmp_path):
    # `--date-col Q3` (a free-text answer) had been taken: every cell "could not be
    # read", exit 0 and a run without trends.
    path = tmp_path / "survey.csv"
    rows = [
        f'{i},"the export fails on report {i}","pricing is too high for us {i}"' for i in range(30)
    ]
    path.write_text("id,comment,q3\n" + "\n".join(rows) + "\n")
    code, _, err = cli(
        "fit", path, "--text-col", "comment", "--date-col", "q3", "--out", tmp_path / "run"
    )
    assert code == 2 and "E108 date column 'q3' holds no dates" in err
    assert not (tmp_path / "run").exists()


def test_a_score_column_without_scores_is_refused(cli, tmp_path):
    # `--score-col plan` had run a whole fit, then said "No drivers: no valid numeric
    # score in 'plan'", exit 0.
    path = tmp_path / "survey.csv"
    rows = [f'{i},"the export fails on report {i}",{("Starter", "Pro")[i % 2]}' for i in range(30)]
    path.write_text("id,comment,plan\n" + "\n".join(rows) + "\n")
    code, _, err = cli(
        "fit", path, "--text-col", "comment", "--score-col", "plan", "--out", tmp_path / "run"
    )
    assert code == 2 and "E108 score column 'plan' holds no numeric scores" in err
    assert not (tmp_path / "run").exists()
