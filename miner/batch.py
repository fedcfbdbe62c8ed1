"""File-to-file work behind the CLI: fit a run folder, score a file in chunks."""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path

import pandas as pd

from miner.atomic import atomic_path
from miner.errors import ColumnNotFound, NoUsableText, OutputNotWritable
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
from miner.persist import ensure_writable_dir, ensure_writable_file, spreadsheet_safe
from miner.pipeline import FeedbackMiner, analyse_rows, build_documents, load_model
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
) -> Path:
    """Fit on ``input_path`` and write a run folder to ``out``; returns the folder.

    The date, segment and score columns not given are detected when obvious (unless
    ``detect_columns`` is False; ``"none"`` means no such column), and the run gets
    the insights they allow (:func:`miner.insights.run.add_insights`).
    """
    started = time.perf_counter()
    corpus = load_corpus(input_path, text_col=text_col, id_col=id_col, sheet=sheet)
    out = ensure_writable_dir(out)  # before the long part, so a bad --out fails fast
    how = "detected" if corpus.text_col_detected else "given"
    name = Path(input_path).name
    say(f"Read {len(corpus):,} rows from {name}; text column '{corpus.text_col}' ({how})")
    miner = miner or FeedbackMiner()
    miner.fit(
        corpus,
        progress=say,
        date_col=date_col,
        segment_cols=segment_cols,
        score_col=score_col,
        score_type=score_type,
        detect_columns=detect_columns,
    )
    miner.save_run(out, source=str(input_path), seconds=round(time.perf_counter() - started, 1))
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
    return out


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
    seen: dict[str, int] = {}
    novelty = NoveltyWatch()
    written = 0
    by_status: Counter[str] = Counter()
    chosen_col = text_col
    columns = None
    bins: dict[str, tuple] | None = None
    unreadable: Counter[str] = Counter()
    # Written under a temporary name and renamed when complete (miner.atomic):
    # a failed or interrupted run leaves no file, or the previous one, at ``out``.
    with _Writer(out) as writer:
        for chunk in iter_tables(input_path, chunk_rows=chunk_rows, sheet=sheet):
            if chosen_col is None:
                chosen_col = detect_text_column(chunk)
                say(f"Text column '{chosen_col}' (detected)")
            else:
                chosen_col = check_column(chunk, chosen_col, "text")
            corpus = corpus_from_frame(chunk, text_col=chosen_col)
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
    if miner is not None:
        for line in novelty.summary(miner):
            say(line)
    return written


class NoveltyWatch:
    """Counts comments far from every theme while scoring; summarises what is new.

    Keeps at most ``keep`` of their texts (a seeded reservoir) to describe them.
    """

    def __init__(self, refit_share: float = 0.15, keep: int = 20000, seed: int = 0):
        self.refit_share = refit_share
        self.keep = keep
        self.analysed = 0
        self.novel = 0
        self.texts: list[str] = []
        self._offered = 0
        self._rng = random.Random(seed)

    def add(self, documents: pd.DataFrame, text_col: str) -> None:
        analysed = documents["status"].isin(["ok", "duplicate"])
        self.analysed += int(analysed.sum())
        if "theme_novel" not in documents.columns:
            return
        novel = analysed & documents["theme_novel"].astype(bool)
        self.novel += int(novel.sum())
        distinct = novel & (documents["status"] == "ok")
        for text in documents.loc[distinct, text_col].astype(str):
            self._offered += 1
            if len(self.texts) < self.keep:
                self.texts.append(text)
            else:
                slot = self._rng.randrange(self._offered)
                if slot < self.keep:
                    self.texts[slot] = text

    @property
    def share(self) -> float:
        return self.novel / self.analysed if self.analysed else 0.0

    def summary(self, miner, top: int = 5) -> list[str]:
        """Lines for the user: the share far from every theme and, if high, what is new."""
        lines = [f"{self.novel:,} comments ({self.share:.1%}) are far from every theme"]
        if self.share <= self.refit_share:
            return lines
        lines.append(
            f"That is more than {self.refit_share:.0%}: the data has moved on; refit the model "
            "with `miner fit` on recent data."
        )
        if len(self.texts) >= 10:
            from miner.themes import ThemeModel

            vectors = miner._embedder().encode(self.texts)
            themes = ThemeModel(seed=miner.seed).fit(self.texts, vectors).themes_
            lines.append("Largest new clusters among them:")
            for row in themes.head(top).itertuples():
                lines.append(f"  - {row.label} ({row.size:,} comments)")
        return lines


def _documents_without_model(corpus, seen: dict[str, int], offset: int, analyser) -> pd.DataFrame:
    """Per-document analysis only (sentiment, kind, jobs): no themes, no job clusters."""
    import numpy as np

    from miner.clean import clean

    cleaned = clean(corpus.texts, seen=seen, offset=offset)
    rows, analysis, _ = analyse_rows(analyser, cleaned, np.flatnonzero(cleaned.to_embed))
    return build_documents(corpus, cleaned, rows, analysis=analysis, row_offset=offset)


class _Writer:
    """Appends chunks to CSV, JSON Lines or Parquet without holding the whole file.

    A context manager: chunks go to a temporary file next to ``path``, which
    replaces ``path`` only when the ``with`` block ends without an exception
    (see :func:`miner.atomic.atomic_path`); otherwise it is removed.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.suffix = self.path.suffix.lower()
        self._partial: Path | None = None
        self._parquet = None
        self._first = True
        self._schema = None
        self._stack = ExitStack()

    def __enter__(self) -> _Writer:
        try:
            self._partial = self._stack.enter_context(atomic_path(self.path))
        except OSError as exc:
            raise self._not_writable(exc) from exc
        # Registered after atomic_path, so it runs first: the Parquet footer is
        # written (or the handle released) before the file is renamed or removed.
        self._stack.callback(self._close_parquet)
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
        if self.suffix == ".csv":
            spreadsheet_safe(frame).to_csv(
                target, mode="w" if self._first else "a", header=self._first, index=False
            )
        elif self.suffix == ".jsonl":
            text = frame.to_json(orient="records", lines=True, force_ascii=False)
            with open(target, "w" if self._first else "a", encoding="utf-8") as handle:
                handle.write(text if text.endswith("\n") else text + "\n")
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(frame, preserve_index=False)
            if self._parquet is None:
                self._schema = table.schema
                self._parquet = pq.ParquetWriter(target, self._schema)
            else:
                try:
                    table = table.cast(self._schema)
                except (pa.ArrowInvalid, ValueError) as exc:
                    raise ColumnNotFound(
                        f"chunk starting at row {frame['row_id'].iloc[0]} has columns of "
                        f"another type ({exc}); write CSV or JSONL instead"
                    ) from exc
            self._parquet.write_table(table)

    def _close_parquet(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None
