"""`miner score --resume` after a kill, and `--engine dask`: the same output as one
uninterrupted run in this process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from miner.atomic import partial_name
from miner.batch import new_topics_path, score_file
from miner.errors import InvalidConfig
from miner.resume import MANIFEST_FILE, resume_folder
from tests.test_atomic import _fake_scoring as fake_scoring


def _read(path) -> pd.DataFrame:
    if path.suffix == ".jsonl":
        return pd.read_json(path, lines=True)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path)


def _leftovers(folder, target) -> list[str]:
    return sorted(path.name for path in folder.glob(f".{target.name}.*"))


# ------------------------------------------- no model: every format, in-process
def _fake_scoring(monkeypatch, interrupt_on_chunk: int | None = None):
    return fake_scoring(monkeypatch, interrupt_on_chunk, KeyboardInterrupt())


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_resume_after_ctrl_c_goes_on_from_the_last_chunk(tmp_path, monkeypatch, suffix):
    source = tmp_path / "survey.csv"
    pd.DataFrame({"comment": [f"comment number {i % 7}" for i in range(11)]}).to_csv(
        source, index=False
    )
    whole, target = tmp_path / f"whole{suffix}", tmp_path / f"scored{suffix}"
    _fake_scoring(monkeypatch)
    assert score_file(source, whole, text_col="comment", chunk_rows=3) == 11

    calls = _fake_scoring(monkeypatch, interrupt_on_chunk=3)
    with pytest.raises(KeyboardInterrupt):
        score_file(source, target, text_col="comment", chunk_rows=3, resume=True)
    assert not target.exists()
    assert len(_leftovers(tmp_path, target)) >= 2  # the partial output and .resume

    calls = _fake_scoring(monkeypatch)
    said = []
    assert score_file(source, target, text_col="comment", chunk_rows=3, resume=True,
                      say=said.append) == 11  # fmt: skip
    assert calls == [6, 9]  # only the chunks not finished before
    assert "Resuming: 6 rows in 2 chunks were scored before" in said
    if suffix == ".parquet":
        pd.testing.assert_frame_equal(_read(target), _read(whole))
    else:
        assert target.read_bytes() == whole.read_bytes()
    assert _read(target)["seen_before"].tolist()[6:] == [2, 2, 2, 2, 2]  # seen restored
    assert _leftovers(tmp_path, target) == []


def test_resume_refuses_other_options_and_a_plain_rerun_starts_afresh(tmp_path, monkeypatch):
    source = tmp_path / "survey.csv"
    pd.DataFrame({"comment": [f"comment {i}" for i in range(9)]}).to_csv(source, index=False)
    target = tmp_path / "scored.csv"
    _fake_scoring(monkeypatch, interrupt_on_chunk=2)
    with pytest.raises(KeyboardInterrupt):
        score_file(source, target, text_col="comment", chunk_rows=3, resume=True)
    _fake_scoring(monkeypatch)
    with pytest.raises(
        InvalidConfig, match=r'options changed .* \(it used {"options": {"chunk_rows": 3}}\)'
    ):
        score_file(source, target, text_col="comment", chunk_rows=4, resume=True)
    assert resume_folder(target).is_dir()  # kept for the right command

    calls = _fake_scoring(monkeypatch)
    said = []
    assert score_file(source, target, text_col="comment", chunk_rows=3, say=said.append) == 9
    assert calls == [0, 3, 6]
    assert any("Discarded an unfinished run of 3 rows" in line for line in said)
    assert _leftovers(tmp_path, target) == []


# ------------------------------------------------ the real thing: model, SIGKILL
@pytest.fixture(scope="module")
def head_csv(tmp_path_factory, small_feedback_csv):
    """The first 100 rows of the small survey."""
    path = tmp_path_factory.mktemp("resume") / "head.csv"
    pd.read_csv(small_feedback_csv).head(100).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory, head_csv, small_run):
    """`miner score --model` of head.csv in this process, in chunks of 20 rows."""
    out = tmp_path_factory.mktemp("whole") / "scored.csv"
    score_file(head_csv, out, model=small_run[0] / "model", text_col="comment", chunk_rows=20)
    return out


def _wait_for_chunks(proc, folder, chunks: int, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"miner score ended early: {proc.communicate()}"
        try:
            manifest = json.loads((folder / MANIFEST_FILE).read_text())
            if manifest["carried"]["chunks"] >= chunks:
                return
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.02)
    proc.kill()
    pytest.fail(f"fewer than {chunks} chunks in {folder} after {timeout:.0f}s")


@pytest.mark.skipif(os.name != "posix", reason="sends SIGKILL")
def test_sigkill_then_resume_writes_the_uninterrupted_output(
    tmp_path, head_csv, small_run, uninterrupted, cli
):
    out = tmp_path / "scored.csv"
    args = ["score", str(head_csv), "--model", str(small_run[0] / "model"), "--out", str(out),
            "--text-col", "comment", "--chunk-rows", "20"]  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "miner.cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_chunks(proc, resume_folder(out), 2)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists()
    assert list(tmp_path.glob(partial_name(out)))  # what the killed run wrote is kept

    code, _, err = cli(*args, "--resume")
    assert code == 0, err
    resumed = [line for line in err.splitlines() if line.startswith("Resuming: ")]
    assert resumed and "Resuming: 0 rows" not in resumed[0], err
    assert out.read_bytes() == uninterrupted.read_bytes()
    assert json.loads(new_topics_path(out).read_text()) == json.loads(
        new_topics_path(uninterrupted).read_text()
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "scored.csv",
        new_topics_path(out).name,
    ]


# ------------------------------------------------------------------ Dask
def test_dask_local_cluster_writes_the_single_process_output(
    tmp_path, head_csv, small_run, uninterrupted, cli
):
    pytest.importorskip("distributed")
    out = tmp_path / "scored.csv"
    code, _, err = cli(
        "score", head_csv, "--model", small_run[0] / "model", "--out", out,
        "--text-col", "comment", "--chunk-rows", "20", "--engine", "dask", "--workers", "2",
    )  # fmt: skip
    assert code == 0, err
    assert "Scoring on Dask: tcp://" in err and "2 workers" in err
    assert out.read_bytes() == uninterrupted.read_bytes()
    pd.testing.assert_frame_equal(_read(out), _read(uninterrupted))
    assert new_topics_path(out).read_text() == new_topics_path(uninterrupted).read_text()


def test_local_cluster_workers_share_the_cpus_between_them(monkeypatch):
    """Each of N local workers runs its networks on 1/N of the CPUs (MINER_THREADS), so
    the workers do not crowd the cores with N times the threads."""
    pytest.importorskip("distributed")
    from miner.batch import score_chunk
    from miner.engines import DaskEngine

    monkeypatch.setenv("MINER_THREADS", "4")  # this machine's share, as a user may set it
    engine = DaskEngine(score_chunk, None, workers=2, scheduler=None, say=lambda _: None)
    try:
        seen = engine.client.run(lambda: os.environ.get("MINER_THREADS"))
    finally:
        engine.close()
    assert sorted(seen.values()) == ["2", "2"]


def test_dask_engine_without_dask_says_how_to_install_it(tmp_path, cli, monkeypatch):
    source = tmp_path / "survey.csv"
    source.write_text("comment\nsync is broken\n")
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if absent
    code, _, err = cli("score", source, "--out", tmp_path / "out.csv", "--engine", "dask")
    assert code == 2 and "Traceback" not in err
    assert "E109" in err and "pip install 'miner[dask]'" in err
    assert _leftovers(tmp_path, tmp_path / "out.csv") == []


def test_dask_options_without_the_dask_engine_are_refused(tmp_path, cli):
    source = tmp_path / "survey.csv"
    source.write_text("comment\nsync is broken\n")
    for option in (["--workers", "2"], ["--scheduler", "tcp://127.0.0.1:8786"]):
        code, _, err = cli("score", source, "--out", tmp_path / "out.csv", *option)
        assert code == 2 and "Traceback" not in err
        assert "E108" in err and "--engine dask" in err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["survey.csv"]


def test_a_full_disk_keeps_the_finished_chunks_for_resume(tmp_path, monkeypatch):
    import errno

    source = tmp_path / "survey.csv"
    pd.DataFrame({"comment": [f"comment number {i % 7}" for i in range(11)]}).to_csv(
        source, index=False
    )
    whole, target = tmp_path / "whole.csv", tmp_path / "scored.csv"
    _fake_scoring(monkeypatch)
    score_file(source, whole, text_col="comment", chunk_rows=3)
    full = OSError(errno.ENOSPC, "No space left on device")
    fake_scoring(monkeypatch, 3, full)
    with pytest.raises(OSError):
        score_file(source, target, text_col="comment", chunk_rows=3, resume=True)
    assert len(_leftovers(tmp_path, target)) >= 2  # kept: the partial output and .resume
    calls = _fake_scoring(monkeypatch)
    assert score_file(source, target, text_col="comment", chunk_rows=3, resume=True) == 11
    assert calls == [6, 9] and target.read_bytes() == whole.read_bytes()
