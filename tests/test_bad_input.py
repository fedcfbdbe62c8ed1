"""Nothing lost (issue 17): every bad input a new user tried, and every malformed row.

Each case checks what a user would notice: one output row per input row, in order,
with a status, and the row's own text exactly as it was in the file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from miner import schema
from miner.atomic import LOCK_NAME, folder_lock, partial_name
from miner.batch import _Writer, fit_run, score_file
from miner.errors import ModelLoadError, OutputNotWritable
from miner.ingest import iter_tables, load_corpus, read

UTF8_ROWS = ["Café prices are too high", "Straße names are cut off", "naïve résumé import"]


def _scored(out) -> pd.DataFrame:
    if out.suffix == ".parquet":
        return pd.read_parquet(out)
    if out.suffix == ".csv":
        return pd.read_csv(out, dtype=str, keep_default_na=False)
    return pd.DataFrame([json.loads(line) for line in out.read_text().splitlines()])


def _score(tmp_path, name: str, content: bytes, out: str = "out.jsonl", **options):
    source = tmp_path / name
    source.write_bytes(content)
    target = tmp_path / out
    written = score_file(source, target, **options)
    scored = _scored(target)
    assert written == len(scored)
    return scored


def _assert_every_row(scored: pd.DataFrame, column: str, texts: list[str]) -> None:
    """One row per input row, in order, each with a status and its text as it came."""
    assert scored["row_id"].tolist() == list(range(len(texts)))
    assert scored["status"].isin(schema.STATUSES).all()
    assert scored[column].tolist() == texts


def _no_leftovers(folder, target) -> bool:
    """No temporary file (atomic_path's) or Parquet parts folder (the writer's) is left."""
    return not list(folder.glob(partial_name(target))) + list(folder.glob(f".{target.name}.*"))


# ---------------------------------------------------- output is never the input
def test_score_refuses_to_write_over_its_input(cli, tmp_path):
    source = tmp_path / "X.csv"
    source.write_text("comment\nsync is broken\nlove the reports\n")
    before = source.read_bytes()
    for out in (source, tmp_path / "." / "X.csv"):
        code, _, err = cli("score", source, "--out", out)
        assert code == 2 and "Traceback" not in err
        assert err.strip().splitlines()[-1].startswith("error: E105 "), err
        assert "it is the input file" in err
    assert source.read_bytes() == before
    assert _no_leftovers(tmp_path, source)


@pytest.mark.parametrize("name", ["jobs.csv", "themes.csv", "run.json", "model/input.csv"])
def test_fit_refuses_a_run_folder_that_would_replace_its_input(cli, tmp_path, name):
    source = tmp_path / name
    source.parent.mkdir(exist_ok=True)
    source.write_text("comment\nsync is broken\nlove the reports\n")
    before = source.read_bytes()
    code, _, err = cli("fit", source, "--out", tmp_path)
    assert code == 2
    assert err.strip().splitlines()[-1].startswith("error: E105 "), err
    assert "would replace the input" in err
    assert source.read_bytes() == before
    assert not (tmp_path / schema.DOCUMENTS_FILE).exists()


def test_fit_refuses_a_folder_of_the_users_own_files_under_a_run_files_name(cli, tmp_path):
    # A PM's own themes.csv in the folder given to --out had been replaced without a
    # word; a folder that is a run (run.json) is fitted again, as ever.
    source = tmp_path / "feedback.csv"
    source.write_text("comment\nsync is broken\nlove the reports\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "themes.csv").write_text("theme,owner\nExport,Ana\n")
    code, _, err = cli("fit", source, "--out", project)
    assert code == 2 and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("error: E105 "), err
    assert "is not a miner run but holds themes.csv" in err
    assert (project / "themes.csv").read_text() == "theme,owner\nExport,Ana\n"
    assert not (project / schema.DOCUMENTS_FILE).exists()


# ---------------------------------------------------------- one-column CSV files
def test_one_column_csv_keeps_blank_answers_and_commas(tmp_path):
    answers = ["Slow, very slow app", "", "exports are fine", "", "Sync, then crash, again", ""]
    answers += [f"answer {i}, about the bank feed" for i in range(6)]
    content = "comment\n" + "\n".join(answers) + "\n"
    scored = _score(tmp_path, "survey.csv", content.encode(), chunk_rows=4)
    _assert_every_row(scored, "comment", answers)
    assert list(scored.columns).count("comment") == 1 and "Unnamed: 1" not in scored
    assert scored["status"].tolist()[:6] == ["ok", "empty", "ok", "empty", "ok", "empty"]


# ----------------------------------------------------------------- broken quoting
def test_a_stray_quote_is_reported_and_never_merges_rows(tmp_path):
    lines = [f"{i},answer {i} about sync" for i in range(10)]
    lines[3] = '3,"answer 3 about sync'  # never closed
    lines[7] = '7,he said "hi" to support'  # a later quote that could close it
    content = "id,comment\n" + "\n".join(lines) + "\n"
    texts = [line.split(",", 1)[1] for line in lines]
    for chunk_rows in (2, 100):
        scored = _score(tmp_path, "survey.csv", content.encode(), chunk_rows=chunk_rows)
        _assert_every_row(scored, "comment", texts)
        broken = scored["status"] == "error"
        assert broken.tolist() == [i == 3 for i in range(10)]
        assert "broken quoting" in scored.loc[3, "error"] and "line 5" in scored.loc[3, "error"]


def test_quoted_multi_line_answers_still_read_as_one_row(tmp_path):
    path = tmp_path / "survey.csv"
    answer = "Good morning,\n\nsecond line, with a comma\nthird line\n\nCheers,"
    path.write_text(f'id,comment\n1,"{answer}"\n2,"said ""hi"""\n')
    table = read(path)
    assert table.frame["comment"].tolist() == [answer, 'said "hi"']
    assert table.problems is None


def test_a_comment_longer_than_what_is_read_says_so(tmp_path):
    from miner.sentences import MAX_CHARS

    long = "The export fails again. " * (MAX_CHARS // 20)
    content = f"id,comment\n1,{long}\n2,short and fine\n".encode()
    scored = _score(tmp_path, "survey.csv", content)
    assert scored["status"].tolist() == ["ok", "ok"]
    assert scored.loc[0, "warning"] == (
        f"themes and sentiment read its first {MAX_CHARS:,} characters (of {len(long) - 1:,})"
    )
    assert pd.isna(scored.loc[1, "warning"])


# ------------------------------------------------------------------------ encoding
def test_one_stray_byte_is_decoded_on_its_own_line_and_flagged(tmp_path):
    content = b"id,comment\n"
    content += "".join(f"{i},{t}\n" for i, t in enumerate(UTF8_ROWS)).encode()
    content += b"3,caf\xe9 au lait is cold\n"  # one cp1252 byte
    content += "4,emoji 👍 still fine\n".encode()
    scored = _score(tmp_path, "survey.csv", content, chunk_rows=2)
    _assert_every_row(
        scored, "comment", [*UTF8_ROWS, "café au lait is cold", "emoji 👍 still fine"]
    )
    assert scored["status"].tolist() == ["ok"] * 5  # the flagged row is analysed
    warned = scored["warning"].notna().tolist()
    assert warned == [False, False, False, True, False]
    assert "cp1252" in scored.loc[3, "warning"]


def test_a_stray_byte_past_the_first_mebibyte_never_fails(tmp_path):
    rows = [f"{i},Crème brûlée number {i} is great" for i in range(40000)]
    content = ("id,comment\n" + "\n".join(rows) + "\n").encode()
    assert len(content) > 1 << 20
    content += b"40000,na\xefve late row\n"
    path = tmp_path / "survey.csv"
    path.write_bytes(content)
    tables = list(iter_tables(path, chunk_rows=10000))
    frame = pd.concat([t.frame for t in tables])
    assert len(frame) == 40001
    assert frame["comment"].iloc[0] == "Crème brûlée number 0 is great"
    assert frame["comment"].iloc[-1] == "naïve late row"
    assert tables[-1].warnings[-1] and not any(tables[0].warnings or [])


# ------------------------------------------------------------- line separators
def test_txt_and_jsonl_keep_u2028_and_form_feed_inside_a_comment(tmp_path):
    texts = ["first part\u2028second part", "page\x0cbreak", "plain"]
    txt = tmp_path / "comments.txt"
    txt.write_text("\n".join(texts) + "\n", encoding="utf-8")
    assert load_corpus(txt).texts == texts
    jsonl = tmp_path / "comments.jsonl"
    lines = [json.dumps({"comment": t}, ensure_ascii=False) for t in texts]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "\u2028" in jsonl.read_text(encoding="utf-8")  # raw, as valid JSON allows
    assert load_corpus(jsonl, text_col="comment").texts == texts  # what `miner fit` reads
    chunks = [t.frame for t in iter_tables(jsonl, chunk_rows=1)]
    assert [text for c in chunks for text in c["comment"]] == texts


# --------------------------------------------------------- pass-through columns
@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_input_columns_come_out_as_they_came(tmp_path, suffix):
    content = (
        "id,nps,version,amount,comment\n"
        "007,8,1.10,1E3,the sync breaks every monday\n"
        "008,,2.0,5,love the new reports\n"
        "009,9,1.10,1e3,exports lose the currency\n"
    )
    expected = {
        "id": ["007", "008", "009"],
        "nps": ["8", "", "9"],
        "version": ["1.10", "2.0", "1.10"],
        "amount": ["1E3", "5", "1e3"],
    }
    for chunk_rows in (1, 10):
        scored = _score(
            tmp_path, "survey.csv", content.encode(), out=f"out{suffix}", chunk_rows=chunk_rows
        )
        for column, values in expected.items():
            assert scored[column].tolist() == values, (column, chunk_rows)


# -------------------------------------------------------------- Parquet output
def _chunks():
    first = pd.DataFrame({"row_id": [0], "kind_secondary": [None], "theme_ids": [[]], "nps": [8]})
    second = pd.DataFrame(
        {"row_id": [1], "kind_secondary": ["question"], "theme_ids": [[3, 1]], "nps": [9.5]}
    )
    return first, second


def test_parquet_chunks_with_null_or_wider_columns_join_into_one_file(tmp_path):
    target = tmp_path / "scored.parquet"
    with _Writer(target) as writer:
        for chunk in _chunks():
            writer.write(chunk)
    table = pd.read_parquet(target)
    assert table["kind_secondary"].tolist()[1] == "question"
    assert [list(v) for v in table["theme_ids"]] == [[], [3, 1]]
    assert table["nps"].tolist() == [8.0, 9.5]
    assert _no_leftovers(tmp_path, target)


def test_a_failed_parquet_join_leaves_no_file(tmp_path, monkeypatch):
    import miner.batch

    target = tmp_path / "scored.parquet"

    def fail(parts, partial):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(miner.batch, "_join_parquet", fail)
    with pytest.raises(OutputNotWritable, match="No space left"):
        with _Writer(target) as writer:
            for chunk in _chunks():
                writer.write(chunk)
    assert not target.exists()
    assert _no_leftovers(tmp_path, target)


def test_chunk_size_changes_no_value_with_a_model(tmp_path, small_run):
    answers = [
        "When I close the month I want to Export Invoices so I can pay my Accountant",
        "",
        "the bank feed stopped syncing again",
        "n/a",
        "when i close the month i want to export invoices so i can pay my accountant",
        "Please add dark mode",
        "THE BANK FEED STOPPED SYNCING AGAIN",
    ]
    content = ("comment\n" + "\n".join(answers) + "\n").encode()
    model = small_run[0] / "model"
    runs = {
        n: _score(tmp_path, "new.csv", content, out=f"out{n}.parquet", model=model, chunk_rows=n)
        for n in (1, 100)
    }
    _assert_every_row(runs[1], "comment", answers)
    pd.testing.assert_frame_equal(runs[1], runs[100], check_exact=False, rtol=1e-5)
    # The duplicate in a later chunk reads as its first occurrence does.
    assert runs[1].loc[4, "status"] == "duplicate"
    assert runs[1].loc[4, "job_motivation"] == runs[1].loc[0, "job_motivation"]


# ------------------------------------------------------ Parquet text cells
def test_parquet_text_cells_holding_lists_structs_or_bytes_are_never_their_repr(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    cases = {
        "list": pa.array([["a", "b"], None]),
        "struct": pa.array([{"x": "sync is broken"}, None]),
        "bytes": pa.array([b"the sync is broken", b"\xff\xfe\x00binary"]),
    }
    for kind, cells in cases.items():
        path = tmp_path / f"{kind}.parquet"
        pq.write_table(pa.table({"id": [1, 2], "comment": cells}), path)
        corpus = load_corpus(path, text_col="comment")
        assert not any("[" in t or "{" in t or "b'" in t for t in corpus.texts), kind
        problems = corpus.row_problems
        if kind == "bytes":
            assert corpus.texts[0] == "the sync is broken" and problems[0] is None
            assert "binary data" in problems[1]
        else:
            assert "not text" in problems[0] and problems[1] is None
    scored = _score(tmp_path, "bytes.parquet", (tmp_path / "bytes.parquet").read_bytes())
    assert scored["status"].tolist() == ["ok", "error"]
    assert "binary data" in scored.loc[1, "error"]


# ------------------------------------------------------------ malformed rows
def test_malformed_rows_are_kept_reported_and_never_fatal(tmp_path):
    big = "a very long comment about exports " * 6000  # ~200 KB: past csv's field limit
    blob = b"\x01\x02\x03\x9d\xfe\xff blob"  # not UTF-8, not even cp1252 (0x9d)
    rows = [
        (b'1,"unclosed quote about sync', '"unclosed quote about sync'),
        (b"2,caf\xe9 is cold", "caf\u00e9 is cold"),
        (f"3,{big}".encode(), big),
        (b"4," + blob, blob.decode("latin-1")),
        (b"5,null\x00byte in the middle", "null\x00byte in the middle"),
        ("6,\U0001f44d\U0001f44d\U0001f389".encode(), "\U0001f44d\U0001f44d\U0001f389"),
        (
            "7,Die Synchronisierung schl\u00e4gt fehl".encode(),
            "Die Synchronisierung schl\u00e4gt fehl",
        ),
        (b"8,=SUM(A1:A9) is what I typed", "=SUM(A1:A9) is what I typed"),
        (b"9,too,many,fields here", "too,many,fields here"),
        (b"10,a normal comment about invoices", "a normal comment about invoices"),
    ]
    content = b"id,comment\n" + b"\n".join(raw for raw, _ in rows) + b"\n"
    for out in ("out.jsonl", "out.parquet"):
        scored = _score(tmp_path, "survey.csv", content, out=out, chunk_rows=3)
        _assert_every_row(scored, "comment", [text for _, text in rows])
        status = scored["status"].tolist()
        assert status[0] == "error" and "broken quoting" in scored.loc[0, "error"]
        assert status[8] == "error" and "4 fields where the header has 2" in scored.loc[8, "error"]
        assert status[1] == "ok" and "cp1252" in scored.loc[1, "warning"]
        assert scored.loc[3, "warning"] and pd.isna(scored.loc[0, "warning"])
        assert status[2] == status[6] == status[7] == status[9] == "ok"


def test_a_one_megabyte_cell_is_one_row(tmp_path):
    big = "x" * (1 << 20)
    path = tmp_path / "survey.csv"
    path.write_text(f"id,comment\n1,before\n2,{big}\n3,after\n")
    assert read(path).frame["comment"].tolist() == ["before", big, "after"]


# ------------------------------------------------------------ damaged models
def _damage_utf8(path):
    path.write_bytes(path.read_bytes()[:-2] + b"\xff\xfe\n")


def _damage_shape(path):
    np.save(path, np.load(path)[..., :5], allow_pickle=False)


def _damage_labels(path):
    np.save(path, np.load(path)[:-3], allow_pickle=False)


DAMAGE = {
    "config.json": _damage_utf8,
    "manifest.json": _damage_utf8,
    "themes/themes.json": _damage_utf8,
    "jobs/jobs.json": _damage_utf8,
    "themes/centroids.npy": _damage_shape,
    "themes/train_embeddings.npy": _damage_shape,
    "themes/train_labels.npy": _damage_labels,
    "jobs/centroids.npy": lambda path: path.unlink(),
    "themes/centroids.npy ": lambda path: path.write_bytes(path.read_bytes()[:100]),
}


@pytest.mark.parametrize("name", list(DAMAGE))
def test_a_damaged_model_folder_is_E107(tmp_path, small_run, name):
    from miner.pipeline import load_model

    model = tmp_path / "model"
    shutil.copytree(small_run[0] / "model", model)
    DAMAGE[name](model / name.strip())
    with pytest.raises(ModelLoadError) as error:
        load_model(model)
    assert str(error.value).startswith("E107 ")


def test_a_damaged_model_through_the_cli_is_one_line_E107(cli, tmp_path, small_run):
    model = tmp_path / "model"
    shutil.copytree(small_run[0] / "model", model)
    (model / "jobs" / "centroids.npy").unlink()
    source = tmp_path / "new.csv"
    source.write_text("comment\nsync is broken\n")
    code, _, err = cli("score", source, "--model", model, "--out", tmp_path / "out.csv")
    assert code == 2 and "Traceback" not in err and "unexpected" not in err
    assert err.strip().splitlines()[-1].startswith("error: E107 "), err
    assert not (tmp_path / "out.csv").exists()


def test_a_run_table_without_its_columns_is_one_line_E107(cli, tmp_path, small_run):
    # A themes.csv of other columns, a documents.parquet without theme_id: "unexpected
    # KeyError" (exit 1), and a roadmap printed without its themes (exit 0).
    import pandas as pd

    for name, damage in [
        ("themes.csv", lambda path: path.write_text("a,b\n1,2\n")),
        (
            "documents.parquet",
            lambda path: pd.read_parquet(path).drop(columns="theme_id").to_parquet(path),
        ),
    ]:
        run = shutil.copytree(small_run[0], tmp_path / name.split(".")[0])
        damage(run / name)
        for command in ("report", "roadmap"):
            code, out, err = cli(command, run)
            assert code == 2 and "unexpected" not in err, err
            assert err.strip().splitlines()[-1].startswith("error: E107 "), err
            assert f"its {name} has no " in err and not out


def test_embeddings_of_another_width_are_E107_not_an_index_error(tmp_path, small_run):
    from miner.pipeline import load_model

    model = tmp_path / "model"
    shutil.copytree(small_run[0] / "model", model)
    for name in ("themes/centroids.npy", "themes/train_embeddings.npy"):
        _damage_shape(model / name)
    shutil.rmtree(model / "jobs")
    config = json.loads((model / "config.json").read_text())
    (model / "config.json").write_text(json.dumps({**config, "per_document": False}))
    with pytest.raises(ModelLoadError, match="5-dimensional"):
        load_model(model).transform(["the bank feed is broken"])


def test_a_model_cannot_point_the_embedding_cache_anywhere(tmp_path, small_run):
    from miner.pipeline import load_model

    model = tmp_path / "model"
    shutil.copytree(small_run[0] / "model", model)
    config = json.loads((model / "config.json").read_text())
    elsewhere = tmp_path / "not-the-cache"
    (model / "config.json").write_text(json.dumps({**config, "cache_dir": str(elsewhere)}))
    miner = load_model(model)
    assert miner.cache_dir is None
    miner.transform(["the bank feed is broken"])
    assert not elsewhere.exists()


# ------------------------------------------------------------ concurrent fits
def test_a_locked_run_folder_refuses_a_second_writer(tmp_path):
    with folder_lock(tmp_path, "miner fit"):
        assert (tmp_path / LOCK_NAME).exists()
        with pytest.raises(OutputNotWritable, match="being written by another process"):
            with folder_lock(tmp_path, "miner fit"):
                pass
    assert not (tmp_path / LOCK_NAME).exists()
    with folder_lock(tmp_path):  # free again
        pass


def test_a_stale_lock_is_taken_over(tmp_path):
    import socket

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], text=True,
                          capture_output=True, check=True)  # fmt: skip
    dead_pid = int(done.stdout)
    (tmp_path / LOCK_NAME).write_text(f"{dead_pid} {socket.gethostname()} 2020-01-01 fit\n")
    with folder_lock(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text().split()[0] == str(os.getpid())
    (tmp_path / LOCK_NAME).write_text(f"{os.getppid()} another-host 2020-01-01 fit\n")
    with pytest.raises(OutputNotWritable):
        with folder_lock(tmp_path):
            pass


def test_a_second_fit_into_a_busy_folder_is_refused_before_fitting(tmp_path):
    source = tmp_path / "survey.csv"
    source.write_text("comment\nsync is broken\nlove the reports\n")
    out = tmp_path / "run"

    class MustNotFit:
        def fit(self, *args, **kwargs):
            raise AssertionError("fitted although the folder is locked")

    out.mkdir()
    with folder_lock(out, "miner fit"):
        with pytest.raises(OutputNotWritable, match="another process"):
            fit_run(source, out, miner=MustNotFit())
    assert sorted(p.name for p in out.iterdir()) == []


def test_json_columns_of_mixed_values_are_written_to_parquet_as_text(tmp_path):
    from miner.persist import write_parquet

    rows = [
        {"id": i, "comment": f"The bank feed disconnects every morning ({i})", "zip": z}
        for i, z in enumerate([1, "A2", 3, None, 5])
    ]
    rows[1]["comment"] = ["a", "b"]
    rows[2]["comment"] = {"x": 1}
    scored = _score(tmp_path, "in.json", json.dumps(rows).encode(), out="out.parquet")
    zips = scored["zip"].tolist()
    assert zips[:3] + zips[4:] == ["1", "A2", "3", "5"] and pd.isna(zips[3])
    assert scored["comment"].tolist()[1:3] == ['["a", "b"]', '{"x": 1}']
    assert scored["status"].tolist() == ["ok", "error", "error", "ok", "ok"]
    frame = pd.DataFrame({"n": [1, 2], "mixed": [1, "x"], "lists": [[1], [2, 3]]})
    write_parquet(frame, tmp_path / "t.parquet")
    back = pd.read_parquet(tmp_path / "t.parquet")
    assert back["mixed"].tolist() == ["1", "x"] and back["n"].tolist() == [1, 2]
    assert [list(v) for v in back["lists"]] == [[1], [2, 3]]  # what Parquet holds stays


def test_csv_exports_keep_a_carriage_return_inside_its_cell(tmp_path):
    import csv
    import io

    from miner.persist import spreadsheet_safe

    frame = pd.DataFrame(
        {
            "=cmd": ["a", "b", "c"],
            "comment": ["Export is slow\r=1+2 and more", "two\r\nlines", "@SUM(A1)"],
            "n": [1, 2, 3],
        }
    )
    text = spreadsheet_safe(frame).to_csv(index=False)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 4 and rows[0][0] == "'=cmd"
    assert [row[1] for row in rows[1:]] == [
        "Export is slow\n=1+2 and more",
        "two\nlines",
        "'@SUM(A1)",
    ]
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert frame.columns[0] == "=cmd"  # the frame itself is untouched


def test_no_output_replaces_a_file_of_a_run(cli, small_run, tmp_path):
    run = shutil.copytree(small_run[0], tmp_path / "run")
    before = {p.name: p.read_bytes() for p in run.iterdir() if p.is_file()}
    attempts = [
        ("roadmap", run, "--out", run / schema.DOCUMENTS_FILE),
        ("compare", run, run, "--out", run / schema.THEMES_FILE),
        ("compare", run, run, "--out", run / schema.MODEL_DIR / "config.json"),
        ("roadmap", run, "--co-creators-csv", run / schema.JOBS_FILE),
    ]
    for args in attempts:
        code, _, err = cli(*args)
        assert code == 2 and "E105" in err and "it is a file of the run" in err, err
    assert {p.name: p.read_bytes() for p in run.iterdir() if p.is_file()} == before
    code, _, err = cli("roadmap", run, "--out", tmp_path)
    assert code == 2 and "it is a folder" in err
    code, _, err = cli("roadmap", run, "--co-creators-csv", tmp_path)
    assert code == 2 and "give a file with --co-creators-csv" in err
    same = tmp_path / "same.csv"  # one file for both: one would replace the other
    code, _, err = cli("roadmap", run, "--out", same, "--co-creators-csv", same)
    assert code == 2 and "E105" in err and "the same file" in err and not same.exists()
    code, _, _ = cli("roadmap", run, "--out", run / "roadmap.md")  # a new file beside it
    assert code == 0 and (run / "roadmap.md").is_file()


def test_a_lone_dash_and_a_negative_number_are_written_as_they_are():
    # A survey's "-" placeholder had been written "'-" (564 of 20,000 rows); a formula
    # that starts with "-" is still defused.
    from miner.persist import spreadsheet_safe

    frame = pd.DataFrame({"c": ["-", "-3.5", "-1+2", "-cmd|' /C calc'!A0", "--"]})
    assert spreadsheet_safe(frame)["c"].tolist() == [
        "-",
        "-3.5",
        "'-1+2",
        "'-cmd|' /C calc'!A0",
        "'--",
    ]
