"""Outputs appear complete or not at all; a file that was there survives a failure."""

from __future__ import annotations

import json
import os
import stat

import pandas as pd
import pytest

import miner.analysis
import miner.batch
from miner.atomic import atomic_path, atomic_write_bytes, atomic_write_text, partial_name
from miner.batch import _Writer, score_file
from miner.errors import OutputNotWritable


def _leftovers(folder, target) -> list[str]:
    return sorted(path.name for path in folder.glob(partial_name(target)))


def test_atomic_path_renames_when_complete(tmp_path):
    target = tmp_path / "out.csv"
    with atomic_path(target) as partial:
        assert partial.parent == tmp_path
        assert partial.name.startswith(".out.csv.partial-")
        partial.write_text("a,b\n1,2\n")
        assert not target.exists()  # nothing at the target while writing
    assert target.read_text() == "a,b\n1,2\n"
    assert _leftovers(tmp_path, target) == []


@pytest.mark.parametrize("error", [ValueError("boom"), KeyboardInterrupt()])
@pytest.mark.parametrize("existed", [False, True])
def test_atomic_path_failure_leaves_target_as_it_was(tmp_path, error, existed):
    target = tmp_path / "out.jsonl"
    if existed:
        target.write_text("previous\n")
    with pytest.raises(type(error)):
        with atomic_path(target) as partial:
            partial.write_text("half a fi")
            raise error
    assert _leftovers(tmp_path, target) == []
    if existed:
        assert target.read_text() == "previous\n"
    else:
        assert not target.exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_atomic_path_permissions(tmp_path):
    fresh = atomic_write_text(tmp_path / "fresh.txt", "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask  # like open(..., "w")
    kept = tmp_path / "kept.txt"
    kept.write_text("old")
    kept.chmod(0o640)
    atomic_write_bytes(kept, b"new")
    assert kept.read_bytes() == b"new"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


def _chunks():
    return [
        pd.DataFrame({"row_id": [0, 1], "comment": ["=cmd", "fine"], "jobs": [[], ["a"]]}),
        pd.DataFrame({"row_id": [2], "comment": ["more"], "jobs": [["b", "c"]]}),
    ]


def _read(path) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path)
    if path.suffix == ".jsonl":
        return pd.read_json(path, lines=True)
    return pd.read_parquet(path)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_writer_appends_chunks_and_renames_at_the_end(tmp_path, suffix):
    target = tmp_path / f"scored{suffix}"
    with _Writer(target) as writer:
        for chunk in _chunks():
            writer.write(chunk)
            assert not target.exists()
            assert len(_leftovers(tmp_path, target)) == 1
    frame = _read(target)
    assert frame["row_id"].tolist() == [0, 1, 2]
    assert _leftovers(tmp_path, target) == []
    if suffix == ".csv":
        assert frame["comment"].tolist()[0] == "'=cmd"  # still spreadsheet-safe
        assert json.loads(frame["jobs"].iloc[2]) == ["b", "c"]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
@pytest.mark.parametrize("error", [RuntimeError("model broke"), KeyboardInterrupt()])
def test_writer_interrupted_leaves_no_file_and_keeps_an_old_one(tmp_path, suffix, error):
    fresh = tmp_path / f"fresh{suffix}"
    old = tmp_path / f"old{suffix}"
    old.write_bytes(b"the previous, complete output")
    for target in (fresh, old):
        with pytest.raises(type(error)):
            with _Writer(target) as writer:
                writer.write(_chunks()[0])
                raise error
        assert _leftovers(tmp_path, target) == []
    assert not fresh.exists()
    assert old.read_bytes() == b"the previous, complete output"


class _NoAnalyser:
    """Stands in for the sentiment/kind/jobs heads: these tests are about files."""

    def __init__(self, **settings):
        self.settings = settings


def _fake_scoring(monkeypatch, fail_on_chunk: int | None = None, error=None):
    """Scoring without the heads; the chunk ``fail_on_chunk`` raises ``error``."""
    calls = []

    def documents(corpus, seen, offset, analyser):
        calls.append(offset)
        if fail_on_chunk is not None and len(calls) == fail_on_chunk:
            raise error or RuntimeError("scoring failed")
        rows = range(offset, offset + len(corpus.texts))
        # seen_before: texts of this chunk first seen in an earlier one
        return pd.DataFrame(
            {"row_id": rows, "status": "ok", "comment": corpus.texts, "seen_before": len(seen)}
        )

    monkeypatch.setattr(miner.analysis, "DocumentAnalyser", _NoAnalyser)
    monkeypatch.setattr(miner.batch, "_documents_without_model", documents)
    return calls


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_score_file_failing_midway_keeps_the_previous_output(tmp_path, monkeypatch, suffix):
    source = tmp_path / "survey.csv"
    pd.DataFrame({"comment": [f"comment number {i}" for i in range(10)]}).to_csv(
        source, index=False
    )
    target = tmp_path / f"scored{suffix}"
    calls = _fake_scoring(monkeypatch)
    assert score_file(source, target, text_col="comment", chunk_rows=3) == 10
    assert calls == [0, 3, 6, 9]
    first = target.read_bytes()
    assert _read(target)["row_id"].tolist() == list(range(10))

    calls = _fake_scoring(monkeypatch, fail_on_chunk=3)
    with pytest.raises(RuntimeError, match="scoring failed"):
        score_file(source, target, text_col="comment", chunk_rows=3)
    assert calls == [0, 3, 6]  # two chunks were written to the temporary file
    assert target.read_bytes() == first
    assert _leftovers(tmp_path, target) == []


def test_score_file_refuses_unknown_suffix_and_folders(tmp_path):
    with pytest.raises(OutputNotWritable, match="ending in .csv, .parquet, .jsonl"):
        score_file(tmp_path / "in.csv", tmp_path / "out.xlsx")
    (tmp_path / "out.csv").mkdir()
    with pytest.raises(OutputNotWritable, match="it is a folder"):
        score_file(tmp_path / "in.csv", tmp_path / "out.csv")
