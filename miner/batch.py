"""File-to-file work behind the CLI: fit a run folder, score a file in chunks."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path

import pandas as pd

from miner import schema
from miner.atomic import atomic_path, atomic_write_text, folder_lock
from miner.errors import NoUsableText, OutputNotWritable
from miner.ingest import (
    check_column,
    corpus_from_frame,
    detect_text_column,
    iter_tables,
    load_corpus,
)
from miner.insights.run import (
    choose_columns,
    describe_comments,
    summary_lines,
    with_comment_columns,
)
from miner.novel import NoveltyWatch, new_topic_lines
from miner.persist import ensure_writable_dir, ensure_writable_file, spreadsheet_safe
from miner.pipeline import FeedbackMiner, RowsDone, analyse_rows, build_documents, load_model
from miner.schema import ANALYSED, STATUSES

Say = Callable[[str], None]
OUTPUT_FORMATS = (".csv", ".parquet", ".jsonl")


def _silent(_: str) -> None:
    return None


def fit_run(
    input_path: str | Path,
    out: str | Path,
    text_col: str | None = None,
    id_col: str | None = None,
    sheet: str | None = None,
    miner: FeedbackMiner | None = None,
    say: Say = _silent,
    date_col: str | None = None,
    segment_cols: Sequence[str] | None = None,
    score_col: str | None = None,
    score_type: str | None = None,
    detect_columns: bool = True,
    rows_done: RowsDone | None = None,
) -> Path:
    """Fit on ``input_path`` and write a run folder to ``out``; returns the folder.

    The date, segment and score columns not given are detected when obvious (unless
    ``detect_columns`` is False; ``"none"`` means no such column), and the run gets
    the insights they allow (:func:`miner.insights.run.add_insights`). ``say`` gets a
    line as each stage starts, ``rows_done`` the rows done of the long stages (see
    :meth:`FeedbackMiner.fit`).
    """
    started = time.perf_counter()
    refuse_run_over_input(input_path, out)
    corpus = load_corpus(input_path, text_col=text_col, id_col=id_col, sheet=sheet)
    out = ensure_writable_dir(out)  # before the long part, so a bad --out fails fast
    how = "detected" if corpus.text_col_detected else "given"
    name = Path(input_path).name
    say(f"Read {len(corpus):,} rows from {name}; text column '{corpus.text_col}' ({how})")
    say_warnings(corpus.warnings, say)
    miner = miner or FeedbackMiner()
    # One fit at a time writes a run folder: a second one is refused, not interleaved.
    with folder_lock(out, "miner fit"):
        miner.fit(
            corpus,
            progress=say,
            date_col=date_col,
            segment_cols=segment_cols,
            score_col=score_col,
            score_type=score_type,
            detect_columns=detect_columns,
            rows_done=rows_done,
        )
        seconds = round(time.perf_counter() - started, 1)
        say(f"Saving the run to {out}")
        miner.save_run(out, source=str(input_path), seconds=seconds)
    themes = miner.themes_
    n_themes = int((themes["theme_id"] >= 0).sum())
    unassigned = themes.loc[themes["theme_id"] == -1, "share"].sum()
    errors = int((miner.documents_["status"] == "error").sum())
    say(
        f"Found {n_themes} themes ({unassigned:.1%} unassigned) in "
        f"{time.perf_counter() - started:.1f}s; wrote {out}"
        + (f"; {errors:,} rows could not be analysed (status error)" if errors else "")
    )
    for line in summary_lines(miner.run_.meta):
        say(line)
    carried = miner.run_.meta.get("curation_carried")
    if carried:
        say(f"Curation carried over from the previous run: {carried['edits']} edits")
        for line in carried["not_carried"]:
            say(line)
    if miner.run_.meta.get("new_topics"):
        for line in new_topic_lines(miner.run_.meta["new_topics"]["topics"]):
            say(line)
    return out


# Names `miner fit` writes (or removes) in a run folder.
RUN_NAMES = (
    schema.DOCUMENTS_FILE,
    schema.PIECES_FILE,
    schema.LEGACY_PIECES_FILE,
    schema.THEMES_FILE,
    schema.JOBS_FILE,
    schema.RUN_FILE,
    schema.MODEL_DIR,
)


def refuse_run_over_input(input_path: str | Path, out: str | Path) -> None:
    """E105 when writing a run to ``out`` would replace or remove the input file."""
    source, folder = Path(input_path).absolute(), Path(out).absolute()
    for name in RUN_NAMES:
        target = folder / name
        if source == target or target in source.parents or _same_file(source, target):
            raise OutputNotWritable(
                f"cannot write the run to '{out}': it would replace the input "
                f"'{input_path}' ({name} is a run file); choose another folder with --out"
            )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist
        return False


def say_warnings(warnings: list[str | None] | None, say: Say) -> None:
    """Tell the user how many rows needed a repair to be read (see miner.ingest)."""
    count = sum(1 for w in warnings or [] if w)
    if count:
        first = next(w for w in warnings if w)
        say(f"{count:,} rows needed a repair to be read ({first}); see their 'warning' column")


def score_file(
    input_path: str | Path,
    out: str | Path,
    model: str | Path | None = None,
    text_col: str | None = None,
    chunk_rows: int = 5000,
    sheet: str | None = None,
    say: Say = _silent,
    progress: Callable[[int], None] | None = None,
    date_col: str | None = None,
    segment_cols: Sequence[str] | None = None,
    score_col: str | None = None,
    score_type: str | None = None,
    period: str | None = None,
    detect_columns: bool = True,
) -> int:
    """Score ``input_path`` chunk by chunk into ``out`` (.csv, .parquet or .jsonl).

    Never drops a row: every input row gives one output row, in order. Without a
    model only the per-document analysis runs. Returns the number of rows written.
    The date, segment and score columns (given, or detected on the first chunk as in
    :func:`fit_run`) add ``period`` (by ``period``, default month: a stream has no
    date span to choose from), ``score`` and ``<column>_band`` to every row; cells
    that cannot be read are null and counted in the summary.
    """
    out = Path(out)
    if Path(input_path).resolve() == out.resolve() or _same_file(Path(input_path), out):
        raise OutputNotWritable(
            f"cannot write to '{out}': it is the input file; choose another file with --out"
        )
    if out.suffix.lower() not in OUTPUT_FORMATS:
        raise OutputNotWritable(
            f"cannot write '{out.name}': use an output file ending in " + ", ".join(OUTPUT_FORMATS)
        )
    if out.is_dir():
        raise OutputNotWritable(f"cannot write to '{out}': it is a folder; give a file with --out")
    ensure_writable_file(out)
    miner = load_model(model) if model is not None else None
    analyser = None
    if miner is None:
        from miner.analysis import DocumentAnalyser

        analyser = DocumentAnalyser()
    seen: dict[str, tuple[int, str]] = {}
    novelty = NoveltyWatch()
    written = repaired = 0
    by_status: Counter[str] = Counter()
    chosen_col = text_col
    columns = None
    bins: dict[str, tuple] | None = None
    unreadable: Counter[str] = Counter()
    # Written under a temporary name and renamed when complete (miner.atomic):
    # a failed or interrupted run leaves no file, or the previous one, at ``out``.
    with _Writer(out) as writer:
        for table in iter_tables(input_path, chunk_rows=chunk_rows, sheet=sheet):
            chunk = table.frame
            if chosen_col is None:
                chosen_col = detect_text_column(chunk)
                say(f"Text column '{chosen_col}' (detected)")
            else:
                chosen_col = check_column(chunk, chosen_col, "text")
            corpus = corpus_from_frame(
                chunk, text_col=chosen_col, problems=table.problems, warnings=table.warnings
            )
            if columns is None:
                columns = choose_columns(
                    corpus.frame, chosen_col, None, date_col, segment_cols, score_col,
                    score_type, detect=detect_columns,
                )  # fmt: skip
                for line in columns.lines():
                    say(line)
            if miner is not None:
                documents = miner.transform(corpus, seen=seen, row_offset=written)
                novelty.add(documents, chosen_col)
            else:
                documents = _documents_without_model(corpus, seen, written, analyser)
            described = describe_comments(corpus.frame, columns, period or "month", bins=bins)
            bins = described.bins
            unreadable.update(described.unreadable)
            documents = with_comment_columns(documents, corpus.frame, described.added)
            writer.write(documents)
            written += len(documents)
            if "warning" in documents:
                repaired += int(documents["warning"].notna().sum())
            by_status.update(documents["status"].astype(str))
            if progress is not None:
                progress(len(documents))
        if written == 0:
            raise NoUsableText(f"'{input_path}' has no rows to score")
    counts = ", ".join(f"{s} {by_status[s]:,}" for s in STATUSES if by_status[s])
    analysed = sum(by_status[s] for s in ANALYSED)
    say(f"Rows in {written:,}, written {written:,}, analysed {analysed:,} ({counts})")
    if by_status["error"]:
        say(f"{by_status['error']:,} rows could not be analysed: see their 'error' column")
    if any(unreadable.values()):
        say(
            "Cells that could not be read (null for their row): "
            + ", ".join(f"{c} {n:,}" for c, n in unreadable.items() if n)
        )
    if repaired:
        say(f"{repaired:,} rows needed a repair to be read: see their 'warning' column")
    if miner is not None:
        topics = novelty.new_topics(miner)
        sidecar = new_topics_path(out)
        write_json(novelty.payload(topics), sidecar)
        say(f"Wrote the novelty counts and any new topics to {sidecar}")
        for line in novelty.summary(topics):
            say(line)
    return written


def new_topics_path(out: str | Path) -> Path:
    """The sidecar ``miner score --model`` writes beside ``out``: ``<name>.new_topics.json``."""
    out = Path(out)
    return out.with_name(out.name.rsplit(".", 1)[0] + schema.NEW_TOPICS_SUFFIX)


def write_json(payload: dict, path: Path) -> None:
    """``payload`` as JSON at ``path``, written under a temporary name and renamed."""
    import json

    try:
        atomic_write_text(path, json.dumps(payload, indent=2, allow_nan=False) + "\n")
    except OSError as exc:
        raise OutputNotWritable(
            f"cannot write '{path}' ({exc.strerror or exc}); choose another file with --out"
        ) from exc


def _documents_without_model(corpus, seen: dict, offset: int, analyser) -> pd.DataFrame:
    """Per-document analysis only (sentiment, kind, jobs): no themes, no job clusters."""
    import numpy as np

    from miner.clean import clean

    cleaned = clean(corpus.texts, seen=seen, offset=offset, problems=corpus.row_problems)
    rows, analysis, _ = analyse_rows(analyser, cleaned, np.flatnonzero(cleaned.to_embed))
    return build_documents(corpus, cleaned, rows, analysis=analysis, row_offset=offset)


class _Writer:
    """Appends chunks to CSV, JSON Lines or Parquet without holding the whole file.

    A context manager: chunks go to a temporary file next to ``path``, which
    replaces ``path`` only when the ``with`` block ends without an exception
    (see :func:`miner.atomic.atomic_path`); otherwise it is removed.

    Parquet needs one schema for the whole file, and a chunk may not tell a column's
    type (all null in that chunk) or may tell another one (JSON input): each chunk is
    written as a part in a temporary folder, and the parts are joined under their
    common schema when the block ends (see :func:`_join_parquet`).
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.suffix = self.path.suffix.lower()
        self._partial: Path | None = None
        self._parts: list[Path] = []
        self._parts_dir: Path | None = None
        self._first = True
        self._stack = ExitStack()

    def __enter__(self) -> _Writer:
        try:
            self._partial = self._stack.enter_context(atomic_path(self.path))
        except OSError as exc:
            raise self._not_writable(exc) from exc
        # Pushed after atomic_path, so it runs first: the Parquet parts are joined
        # into the temporary file (or dropped) before it is renamed or removed.
        self._stack.push(self._finish_parquet)
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            self._stack.__exit__(*exc_info)
        except OSError as exc:  # the final flush or rename
            raise self._not_writable(exc) from exc

    def write(self, frame: pd.DataFrame) -> None:
        """Append ``frame`` (one chunk of output rows) to the temporary file."""
        if self._partial is None:
            raise RuntimeError("_Writer.write outside its `with` block")
        try:
            self._append(frame, self._partial)
        except OSError as exc:  # a full disk, a vanished folder
            raise self._not_writable(exc) from exc
        self._first = False

    def _not_writable(self, exc: OSError) -> OutputNotWritable:
        return OutputNotWritable(
            f"cannot write to '{self.path}' ({exc.strerror or exc}); choose another file with --out"
        )

    def _append(self, frame: pd.DataFrame, target: Path) -> None:
        if self.suffix in (".csv", ".jsonl"):
            frame = _bytes_as_text(frame)
        if self.suffix == ".csv":
            spreadsheet_safe(frame).to_csv(
                target, mode="w" if self._first else "a", header=self._first, index=False
            )
        elif self.suffix == ".jsonl":
            text = frame.to_json(orient="records", lines=True, force_ascii=False)
            with open(target, "w" if self._first else "a", encoding="utf-8") as handle:
                handle.write(text if text.endswith("\n") else text + "\n")
        else:
            if self._parts_dir is None:
                self._parts_dir = Path(
                    tempfile.mkdtemp(dir=self.path.parent, prefix=f".{self.path.name}.parts-")
                )
            part = self._parts_dir / f"{len(self._parts):08d}.parquet"
            frame.to_parquet(part, index=False)
            self._parts.append(part)

    def _finish_parquet(self, exc_type, exc, traceback) -> bool:
        try:
            if exc_type is None and self._parts:
                _join_parquet(self._parts, self._partial)
        finally:
            if self._parts_dir is not None:
                shutil.rmtree(self._parts_dir, ignore_errors=True)
                self._parts_dir, self._parts = None, []
        return False  # an exception goes on to atomic_path, which removes the file


def _bytes_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Binary cells (a Parquet input's bytes column) as text for CSV and JSON Lines:
    UTF-8 as it is, other bytes with backslash escapes (never the Python repr)."""
    binary = [
        column
        for column in frame.columns
        if frame[column].dtype == object
        and any(isinstance(v, bytes | bytearray) for v in frame[column].tolist())
    ]
    if not binary:
        return frame
    frame = frame.copy()
    for column in binary:
        frame[column] = [
            bytes(v).decode("utf-8", errors="backslashreplace")
            if isinstance(v, bytes | bytearray)
            else v
            for v in frame[column].tolist()
        ]
    return frame


def _join_parquet(parts: list[Path], target: Path) -> None:
    """Write ``parts`` (Parquet files, in order) as one file under their common schema."""
    import pyarrow.parquet as pq

    schemas = [pq.read_schema(part) for part in parts]
    schema = _common_schema(schemas)
    with pq.ParquetWriter(target, schema) as writer:
        for part in parts:
            writer.write_table(_conform(pq.read_table(part), schema))


def _common_schema(schemas: list):
    """One schema for every chunk: a column's type where chunks agree, the wider type
    where they differ (int and float: float), text where no type holds them all; a
    column null in some chunks takes its type from the others."""
    import pyarrow as pa

    if all(s.equals(schemas[0], check_metadata=False) for s in schemas):
        return schemas[0]  # the usual case
    names = list(dict.fromkeys(name for s in schemas for name in s.names))
    fields = []
    for name in names:
        types = [s.field(name).type for s in schemas if name in s.names]
        known = [t for t in dict.fromkeys(types) if t != pa.null()]
        if not known:
            fields.append(pa.field(name, pa.null()))
            continue
        try:
            single = [pa.schema([pa.field(name, t)]) for t in known]
            common = pa.unify_schemas(single, promote_options="permissive").field(name).type
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            common = pa.large_string()
        fields.append(pa.field(name, common))
    # pandas' metadata (which columns are pandas strings) as one chunk wrote it, so the
    # file reads back the same however it was chunked.
    return pa.schema(fields, metadata=schemas[0].metadata)


def _conform(table, schema):
    """``table`` with ``schema``'s columns and types (missing columns are null)."""
    import pyarrow as pa

    columns = []
    for field in schema:
        if field.name not in table.column_names:
            columns.append(pa.nulls(len(table), field.type))
            continue
        column = table[field.name]
        if column.type != field.type:
            try:
                column = column.cast(field.type)
            except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
                values = [None if v is None else _as_cell_text(v) for v in column.to_pylist()]
                column = pa.array(values, type=field.type)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)


def _as_cell_text(value) -> str:
    import json

    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)
