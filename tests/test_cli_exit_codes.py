"""`miner` ends with the README's exit codes: 0, 2, 130, n for typer.Exit(n), 1."""

from __future__ import annotations

import pytest
import typer

import miner.persist
from miner.cli import exit_code
from miner.errors import ModelLoadError


def _report_raising(monkeypatch, error: BaseException) -> None:
    """Make `miner report RUN` raise ``error`` where it loads the run."""

    def load_run(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(miner.persist, "load_run", load_run)


def test_success_and_version_exit_0(cli):
    code, out, err = cli("--version")
    assert (code, err) == (0, "")
    assert out.startswith("miner ")


def test_python_dash_m_miner_is_the_same_command(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "miner", "report", str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 2 and done.stderr.startswith("error: E107 "), done.stderr


def test_miner_error_exits_2_with_one_line(cli, tmp_path):
    code, _, err = cli("report", tmp_path)
    assert code == 2
    assert err.strip().splitlines() == [err.strip()]
    assert err.startswith("error: E107 ")


def test_miner_error_with_debug_shows_traceback_and_still_exits_2(cli, monkeypatch):
    _report_raising(monkeypatch, ModelLoadError("broken run"))
    code, _, err = cli("--debug", "report", "somewhere")
    assert code == 2
    assert "Traceback" in err
    assert err.strip().splitlines()[-1] == "error: E107 broken run"
    # --debug does not stick to the next call in the same process
    code, _, err = cli("report", "somewhere")
    assert code == 2 and "Traceback" not in err


def test_usage_errors_exit_2_with_clicks_message(cli):
    code, _, err = cli("score")
    assert code == 2
    assert "Missing argument" in err and "unexpected" not in err
    code, _, err = cli("no-such-command")
    assert code == 2
    assert "No such command" in err
    code, _, err = cli("score", "in.csv", "--out", "out.csv", "--chunk-rows", "0")
    assert code == 2
    assert "--chunk-rows" in err


@pytest.mark.parametrize("n", [0, 3, 42])
def test_typer_exit_in_a_command_keeps_its_code(cli, monkeypatch, n):
    _report_raising(monkeypatch, typer.Exit(n))
    code, _, err = cli("report", "somewhere")
    assert code == n
    assert err == ""


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt(), typer.Abort()])
def test_interrupt_exits_130(cli, monkeypatch, interrupt):
    _report_raising(monkeypatch, interrupt)
    code, out, err = cli("report", "somewhere")
    assert code == 130
    assert err.strip() == "interrupted"
    assert out == ""


def test_unexpected_exception_exits_1_with_one_line(cli, monkeypatch):
    _report_raising(monkeypatch, RuntimeError("disk on fire\nsecond line"))
    code, _, err = cli("report", "somewhere")
    assert code == 1
    assert err.strip() == (
        "error: unexpected RuntimeError: disk on fire "
        "(run with miner --debug COMMAND ... for details)"
    )
    code, _, err = cli("--debug", "report", "somewhere")
    assert code == 1
    assert "Traceback" in err and "RuntimeError: disk on fire" in err


def test_exit_code_mapping(capsys):
    assert exit_code(None) == 0
    assert exit_code(5) == 5
    assert exit_code(True) == 0  # a command's return value, not an exit code
    assert exit_code(typer.Exit(4)) == 4
    assert exit_code(SystemExit(None)) == 0
    assert exit_code(SystemExit(7)) == 7
    assert exit_code(ModelLoadError("x")) == 2
    assert exit_code(ValueError("x")) == 1
    assert capsys.readouterr().err.count("interrupted") == 0
    # Click returns 130 for a Ctrl-C that Typer caught itself
    assert exit_code(130) == 130
    assert exit_code(KeyboardInterrupt()) == 130
    assert capsys.readouterr().err.splitlines() == ["interrupted", "interrupted"]


def test_bad_output_suffix_exits_2_with_e105(cli, tmp_path):
    source = tmp_path / "survey.csv"
    source.write_text("comment\nsync is broken\n")
    code, _, err = cli("score", source, "--out", tmp_path / "scored.txt")
    assert code == 2
    assert err.startswith("error: E105 cannot write 'scored.txt'")
    assert not (tmp_path / "scored.txt").exists()


def test_score_progress_says_how_far_of_about_how_many_rows(tmp_path, capsys):
    # A nightly job's log had said "Scored 25,000 rows" with no total nor share.
    import pandas as pd
    from tqdm import tqdm

    from miner.cli import _progress
    from miner.ingest import estimate_rows

    frame = pd.DataFrame({"comment": [f"export fails on file {i}" for i in range(300)]})
    frame.to_csv(tmp_path / "in.csv", index=False)
    frame.to_parquet(tmp_path / "in.parquet")
    frame.to_json(tmp_path / "in.json")
    assert estimate_rows(tmp_path / "in.csv") == estimate_rows(tmp_path / "in.parquet") == 300
    assert estimate_rows(tmp_path / "in.json") is None
    # A ticket export's cells run over several lines: a record is a row, not a line
    # (600 tickets had been "about 9,546 rows"), compressed or not.
    import gzip

    tickets = pd.DataFrame(
        {"body": [f"Hi,\n\nexport {i} fails.\n\nThanks,\nAna" for i in range(300)]}
    )
    tickets.to_csv(tmp_path / "tickets.csv", index=False)
    (tmp_path / "tickets.csv.gz").write_bytes(
        gzip.compress((tmp_path / "tickets.csv").read_bytes())
    )
    assert (
        estimate_rows(tmp_path / "tickets.csv") == estimate_rows(tmp_path / "tickets.csv.gz") == 300
    )
    with tqdm(disable=True) as bar:
        report = _progress(bar, 0.0, 300)
        report(100)
        report(200)
    err = capsys.readouterr().err
    assert "Scored 100 of about 300 rows (33%)" in err and "Scored 300 of about 300 rows" in err
