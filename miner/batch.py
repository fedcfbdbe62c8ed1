"""File-to-file work behind the CLI: fit a run folder, score a file in chunks."""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from miner import schema
from miner.atomic import atomic_path, atomic_write_text, folder_lock
from miner.clean import seen_before
from miner.errors import (
    ColumnNotFound,
    InvalidConfig,
    MinerError,
    NoUsableText,
    OutputNotWritable,
)
from miner.ingest import (
    JOIN,
    Corpus,
    column_titles,
    corpus_from_frame,
    detect_text_column,
    iter_tables,
    load_corpus,
    other_text_columns,
    text_parts,
)
from miner.insights.columns import date_order as column_date_order
from miner.insights.run import (
    check_date_order,
    choose_columns,
    describe_comments,
    input_start,
    summary_lines,
    unreadable_line,
    with_comment_columns,
)
from miner.novel import NoveltyWatch, new_topic_lines
from miner.persist import (
    RUN_FILES,
    ensure_writable_dir,
    ensure_writable_file,
    spreadsheet_safe,
    write_parquet,
)
from miner.pipeline import FeedbackMiner, RowsDone, analyse_rows, build_documents
from miner.schema import ANALYSED, STATUSES
from miner.themes.count import check_theme_count, count_note

if TYPE_CHECKING:
    from miner.resume import Checkpoint

Say = Callable[[str], None]
OUTPUT_FORMATS = (".csv", ".parquet", ".jsonl")


def _silent(_: str) -> None:
    return None


def fit_run(
    input_path: str | Path,
    out: str | Path,
    text_col: str | Sequence[str] | None = None,
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
    n_themes: int | None = None,
    score_reversed: bool = False,
    granularity: str | None = None,
    source_name: str | None = None,
    leave_out: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """Fit on ``input_path`` and write a run folder to ``out``; returns the folder.

    ``leave_out`` (column -> values, ``--leave-out plan=Internal``): rows holding one of
    the values are not read (said; ``run.json`` records it as ``leave_out``).

    ``source_name``: what the run calls its input (``run.json``'s ``source``, shown in
    reports and shared files) when not ``input_path``: the app's uploads are stored
    under a digest, and a shared report should name the PM's file, not that path.

    ``n_themes`` (about that many themes) and ``granularity`` (``"coarser"``,
    ``"auto"``, ``"finer"``) set the ``miner``'s own when given (see
    :mod:`miner.themes.count`); they are checked before the file is read.

    Several ``text_col`` (a survey's open questions) fit the themes across every
    answer: the run has one documents row per respondent × question (see
    :class:`miner.ingest.Corpus`).

    The date, segment and score columns not given are detected when obvious (unless
    ``detect_columns`` is False; ``"none"`` means no such column), and the run gets
    the insights they allow (:func:`miner.insights.run.add_insights`). ``say`` gets a
    line as each stage starts, ``rows_done`` the rows done of the long stages (see
    :meth:`FeedbackMiner.fit`).
    """
    started = time.perf_counter()
    miner = miner or FeedbackMiner()
    asked = {"n_themes": n_themes, "granularity": granularity}
    asked = {name: value for name, value in asked.items() if value is not None}
    if asked:
        miner.set_params(**asked)
    check_theme_count(getattr(miner, "n_themes", None), getattr(miner, "granularity", "auto"))
    refuse_run_over_input(input_path, out)
    refuse_foreign_files(out)
    refuse_dropping_curation(out, getattr(miner, "previous", None))
    corpus = load_corpus(
        input_path, text_col=text_col, id_col=id_col, sheet=sheet, leave_out=leave_out
    )
    created = not Path(out).exists()
    out = ensure_writable_dir(out)  # before the long part, so a bad --out fails fast
    name = Path(input_path).name
    # Rows the notes below leave out are rows read too (interviewers' turns, a brand's
    # replies, bots): "Read 145 rows" of a file of 300 had read as if 145 were read.
    left = sum(
        int(found.group(1).replace(",", ""))
        for note in corpus.notes
        if (found := re.match(r"([\d,]+) (?:rows?|lines?) left out", note))
    )
    kept = f" ({len(corpus):,} kept, {left:,} left out below)" if left else ""
    say(
        f"Read {schema.counted(len(corpus) + left, 'row')} from {name}{kept}; "
        f"{_text_columns_line(corpus)}"
    )
    for note in corpus.notes:
        say(note)
    say_warnings(corpus.warnings, say)
    # One fit at a time writes a run folder: a second one is refused, not interleaved.
    try:
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
                score_reversed=score_reversed,
            )
            seconds = round(time.perf_counter() - started, 1)
            say(f"Saving the run to {out}")
            kept = {"leave_out": {k: list(v) for k, v in leave_out.items()}} if leave_out else {}
            miner.save_run(out, source=source_name or str(input_path), seconds=seconds, **kept)
    except BaseException:
        # A refused, failed or interrupted fit leaves no empty folder it made.
        if created and out.is_dir() and not any(out.iterdir()):
            out.rmdir()
        raise
    themes = miner.themes_
    found = int((themes["theme_id"] >= 0).sum())
    unassigned = themes.loc[themes["theme_id"] == -1, "share"].sum()
    from miner.tables import other_languages

    documents = miner.documents_
    loose = documents[documents["status"].isin(schema.ANALYSED) & (documents["theme_id"] == -1)]
    other = other_languages(loose)  # no theme for them: not themes that failed
    languages = f": {other:,} of them in other languages" if other else ""
    errors = int((documents["status"] == "error").sum())
    note = count_note(miner.run_.meta.get("theme_count"))
    say(
        f"Found {schema.counted(found, 'theme')} ({note}{unassigned:.1%} unassigned"
        f"{languages}) in "
        f"{time.perf_counter() - started:.1f}s; wrote {out}"
        + (
            f"; {schema.counted(errors, 'row')} could not be analysed (status error)"
            if errors
            else ""
        )
    )
    for hint in (job_gate_hint(miner), few_themes_hint(miner.run_.meta, documents)):
        if hint:
            say(hint)
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


def _text_columns_line(corpus: Corpus) -> str:
    """What was read as the comments, and whether it was detected or given (said by
    the columns, not after a hint: "... give --text-col A+B (given)" had read as if
    that option had been given)."""
    how = "detected" if corpus.text_col_detected else "given"
    if not corpus.questions:
        line = f"text column '{corpus.text_col}'"
        if title := column_titles(corpus.frame).get(corpus.text_col):
            line += f' ("{title}")'  # the survey tool's question
        line += f" ({how})"
        others = other_text_columns(corpus.frame, [corpus.text_col])
        if corpus.text_col_detected and others:
            shown = ", ".join(f"'{c}'" for c in others[:4]) + (", ..." if len(others) > 4 else "")
            line += (
                f" (other columns of free text: {shown}; --text-col for each reads each as a "
                "comment of its own, --text-col A+B joins them into one)"
            )
            line += _blank_elsewhere(corpus, others[:4])
        return line
    respondents = len(corpus) // len(corpus.questions)
    names = ", ".join(f"'{q}'" for q in corpus.questions)
    joined = JOIN.join(corpus.questions)
    return (
        f"{respondents:,} respondents × {len(corpus.questions)} questions ({names}; {how}), "
        f"each answer a comment of its own; for one comment per row (a review's title and "
        f"body) give --text-col {joined}"
    )


def _blank_elsewhere(corpus: Corpus, others: list[str]) -> str:
    """A note when many rows are blank in the text column but hold words in the other
    text columns (a Reddit dump's submissions, "title" and "selftext", beside its
    comments' "body": 260 posts had been read as empty, unsaid), else ""."""
    frame = corpus.frame

    def filled(name) -> pd.Series:
        return frame[name].map(lambda v: isinstance(v, str) and bool(v.strip()))

    blank = ~filled(corpus.text_col)
    elsewhere = blank & pd.concat([filled(name) for name in others], axis=1).any(axis=1)
    n = int(elsewhere.sum())
    if n < max(10, 0.05 * len(frame)):
        return ""
    # In the file's column order: a title before its post ("title+selftext+body").
    order = {name: i for i, name in enumerate(frame.columns)}
    joined = JOIN.join(sorted([*others, corpus.text_col], key=lambda c: order.get(c, 0)))
    joined = f'"{joined}"' if " " in joined else joined
    return (
        f"; {n:,} rows have no '{corpus.text_col}' but words in another of these "
        f"columns: --text-col {joined} reads every row's words"
    )


# Names `miner fit` writes (or removes) in a run folder.
RUN_NAMES = (*sorted(RUN_FILES), schema.MODEL_DIR)


# So few themes for this many comments may be topics run together (a helper's 59
# council notes of six topics gave two, "Billing per location" holding 44% of the notes
# where three were about billing; --themes 6 found the topics): the fit says how to ask
# for more.
FEW_THEMES = 3
FEW_THEMES_COMMENTS = 40


def few_themes_hint(meta: dict, documents: pd.DataFrame) -> str | None:
    """A line for an automatic count of FEW_THEMES themes or fewer in FEW_THEMES_COMMENTS
    analysed comments or more."""
    count = meta.get("theme_count") or {}
    if count.get("n_themes") is not None or count.get("granularity", "auto") != "auto":
        return None
    themes = count.get("themes")
    analysed = int(documents["status"].isin(schema.ANALYSED).sum())
    if themes is None or themes > FEW_THEMES or analysed < FEW_THEMES_COMMENTS:
        return None
    more = max(FEW_THEMES + 1, min(12, round(0.8 * analysed**0.5)))
    return (
        f"Only {themes} themes in {analysed:,} comments: if a theme holds topics that differ, "
        f"ask for more with --themes {more} or --granularity finer"
    )


def job_gate_hint(miner) -> str | None:
    """A line for a fit of long comments with the job rules ungated: long reviews tell
    stories ("I wanted to love it"), which the rules read as wants, and the learned gate
    keeps those that are jobs (models/jobs.md)."""
    if miner.per_document and not miner.job_gate and miner.theme_unit_ == "piece":
        return (
            "Long comments: if they are product or service reviews, --job-gate keeps the "
            "jobs customers ask for and drops the stories they tell"
        )
    return None


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


def refuse_foreign_files(out: str | Path) -> None:
    """E105 when ``out`` is a folder that is not a run (no run.json) but holds files
    under a run file's name, which the fit would replace (a PM's own themes.csv had been
    overwritten without a word)."""
    folder = Path(out)
    if not folder.is_dir() or (folder / schema.RUN_FILE).is_file():
        return
    taken = sorted(name for name in RUN_NAMES if (folder / name).exists())
    if taken:
        raise OutputNotWritable(
            f"'{out}' is not a miner run but holds {', '.join(taken)}, which a fit there "
            f"would replace; choose a new or empty folder with --out"
        )


def refuse_dropping_curation(out: str | Path, previous: str | Path | None) -> None:
    """E105 when ``out`` holds a run the PM curated and a new fit there would drop the
    edits (a fit keeps what still applies only when ``previous`` is that run)."""
    from miner.curation import read_curation

    folder = Path(out)
    if not (folder / schema.CURATION_FILE).is_file():
        return
    if previous is not None and _same_file(Path(previous), folder):
        return
    try:
        edits = len(read_curation(folder).edits)
    except MinerError:
        return  # a damaged curation.json: the fit replaces it
    if edits:
        raise OutputNotWritable(
            f"'{out}' holds a curated run ({edits} theme edits in {schema.CURATION_FILE}) "
            f"that a new fit there would drop; fit into another folder with --out, or keep "
            f"the edits that still apply with --previous {out}"
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
    text_col: str | Sequence[str] | None = None,
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
    resume: bool = False,
    date_order: str | None = None,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    new_topics_file: bool = True,
    job_gate: bool = False,
    on_new_topics: Callable[[dict], None] | None = None,
    leave_out: Mapping[str, Sequence[str]] | None = None,
    run_columns: bool = False,
) -> int:
    """Score ``input_path`` chunk by chunk into ``out`` (.csv, .parquet or .jsonl).

    Never drops a row: every input row gives one output row (one per question with
    several ``text_col``, keyed by ``row_id`` and ``question``), in order; a survey
    tool's header rows and previews are not rows (:func:`miner.ingest.iter_tables`). Without a
    model only the per-document analysis runs. Returns the number of rows written.
    The date, segment and score columns (given, or detected on the first chunk as in
    :func:`fit_run`) add ``period`` (by ``period``, default month: a stream has no
    date span to choose from), ``score`` and ``<column>_band`` to every row; cells
    that cannot be read are null and counted in the summary.

    Each finished chunk is recorded beside the output (:mod:`miner.resume`): after a
    kill, ``resume=True`` goes on from the last finished chunk and writes the same
    file as an uninterrupted run; with it, a Ctrl-C keeps the finished chunks too.
    ``engine="dask"`` scores the chunks on a Dask cluster (``scheduler`` address, or
    a local one of ``workers`` processes; :mod:`miner.engines`), with the same output.
    ``new_topics_file=False`` writes no ``<name>.new_topics.json`` beside ``out``;
    ``on_new_topics`` is given its content (a batch joining a run keeps it there).
    ``job_gate`` applies the learned job gate to the jobs found (a model fitted with it
    applies it anyway). ``leave_out`` (column -> values): rows holding one are not read,
    as in :func:`fit_run` (said). ``run_columns``: the date, segment and score columns
    given are the model's run's own (``score --into``), said as the run was fitted.
    """
    from miner.engines import open_engine
    from miner.resume import Checkpoint, input_fingerprint

    out = Path(out)
    if Path(input_path).resolve() == out.resolve() or _same_file(Path(input_path), out):
        raise OutputNotWritable(
            f"cannot write to '{out}': it is the input file; choose another file with --out"
        )
    if out.suffix.lower() not in OUTPUT_FORMATS:
        raise OutputNotWritable(
            f"cannot write '{out.name}': use an output file ending in " + ", ".join(OUTPUT_FORMATS)
        )
    ensure_writable_file(out)  # E105 for a folder, a file of a run, or no write access
    source = Path(input_path)
    run = {
        "input": input_fingerprint(source) if source.is_file() else str(source),
        "model": str(Path(model).absolute()) if model is not None else None,
        "options": {"text_col": _options_text_col(text_col), "chunk_rows": chunk_rows,
                    "sheet": sheet, "date_col": date_col, "segment_col": list(segment_cols or []),
                    "score_col": score_col, "score_type": score_type, "period": period,
                    "detect_columns": detect_columns, "job_gate": job_gate,
                    "leave_out": {k: list(v) for k, v in (leave_out or {}).items()}},
    }  # fmt: skip
    # With --resume the chunks done stay after a Ctrl-C and after a failure of the
    # machine (a full disk, a closed pipe, memory), which the same command goes on from.
    keep_on = (KeyboardInterrupt, OSError, MemoryError) if resume else ()
    with ExitStack() as stack:
        scorer = stack.enter_context(
            open_engine(score_chunk, engine, model, workers, scheduler, say, job_gate)
        )
        checkpoint = stack.enter_context(Checkpoint(out, run, resume, keep_on, say))
        carried = checkpoint.carried
        novelty = NoveltyWatch()
        if carried.novelty is not None:
            novelty.restore(carried.novelty)
        if progress is not None and carried.written:
            progress(carried.written)
        # Written under a temporary name and renamed when complete (miner.atomic):
        # a failed or interrupted run leaves no file, or the previous one, at ``out``.
        writer = stack.enter_context(_Writer(out, checkpoint=checkpoint))

        def choose(frame: pd.DataFrame, chosen_col: str):
            # Roles not given take the column the model's run was fitted with, when
            # the input has it (a monthly export scored like the fit that made it).
            as_fitted = {
                role: fitted[role]
                for role, mine in (("date_col", date_col), ("score_col", score_col),
                                   ("segment_cols", segment_cols))
                if mine is None and fitted.get(role) and _has_columns(frame, fitted[role])
            }  # fmt: skip
            kind = score_type or (fitted.get("score_type") if "score_col" in as_fitted else None)
            # The day/month order given, else the fit's for the column it read them from
            # (named by the run, --into, or by the fit's own name).
            own_date = "date_col" in as_fitted or (
                isinstance(date_col, str)
                and isinstance(fitted.get("date_col"), str)
                and date_col.casefold() == fitted["date_col"].casefold()
            )
            order = fitted.get("date_dayfirst") if own_date else None
            fitted_order = None if order is None else ("day-first" if order else "month-first")
            given_order = None if date_order in (None, "auto") else date_order
            # The run's score read as the run reads it (turned round with --score-reversed).
            turned = fitted.get("score_reversed", False) and (
                "score_col" in as_fitted or run_columns
            )
            columns = choose_columns(
                frame, chosen_col, None, as_fitted.get("date_col", date_col),
                as_fitted.get("segment_cols", segment_cols), as_fitted.get("score_col", score_col),
                kind, detect=detect_columns, date_order=given_order or fitted_order,
                score_reversed=turned,
            )  # fmt: skip
            names = [v for role in as_fitted.values() for v in _names(role)]
            if run_columns:
                names += [v for role in (date_col, segment_cols, score_col) for v in _names(role)]
            reasons = {
                c: AS_FITTED if c.casefold() in {n.casefold() for n in names} else why
                for c, why in columns.reasons.items()
            }
            dayfirst = columns.dayfirst
            date = columns.date_col
            if date and date in frame.columns:
                settled, how = column_date_order(
                    frame[date].dropna().astype(str).str.strip().drop_duplicates()
                )
                if dayfirst is None:
                    # One order for every chunk, the first's; said when it is a guess (a
                    # UK night's 03/12/2026 had gone into March, unsaid, under "as
                    # fitted").
                    dayfirst = settled if how else None
                    if how == "guess":
                        reasons[date] = reasons.get(date, "") + GUESSED_ORDER
                elif how:
                    # The order taken is said when its dates are numbers ("03/12/2026"):
                    # a night added to a day-first run had said only "as the model's run
                    # was fitted".
                    source = (
                        "as the model's run reads its dates"
                        if given_order in (None, fitted_order)
                        else "--date-order"
                    )
                    reasons[date] = reasons.get(date, "") + (
                        f"; read {'day' if dayfirst else 'month'} first, {source}"
                    )
            return dataclasses.replace(columns, reasons=reasons, dayfirst=dayfirst)

        fitted = fitted_settings(model)
        if text_col is None and fitted.get("text_col"):
            text_col = _FittedText(fitted["text_col"])

        chunks = _Chunks(input_path, chunk_rows, sheet, text_col, say, checkpoint, choose)
        chunks.leave_out = leave_out
        for job, documents in scorer.map(chunks.jobs()):
            if scorer.has_model:
                novelty.add(documents, job.corpus.text_col)
            described = describe_comments(
                job.corpus.frame,
                chunks.columns,
                period or fitted.get("period") or "month",
                bins=carried.bins,
            )
            documents = with_comment_columns(documents, job.corpus.frame, described.added)
            writer.write(documents)
            carried = _carry(carried, documents, described, novelty)
            checkpoint.save(carried, writer.position, job.new_seen)
            if progress is not None:
                progress(len(documents))
        if carried.written == 0:
            raise NoUsableText(f"'{input_path}' has no rows to score")
        # The output is complete: close it (rename) before the last, slow step.
        stack.pop_all().close()
    by_status, written = Counter(carried.by_status), carried.written
    counts = ", ".join(f"{s} {by_status[s]:,}" for s in STATUSES if by_status[s])
    analysed = sum(by_status[s] for s in ANALYSED)
    say(f"Rows in {written:,}, written {written:,}, analysed {analysed:,} ({counts})")
    if by_status["error"]:
        failed = schema.counted(by_status["error"], "row")
        say(f"{failed} could not be analysed: see their 'error' column")
    if any(carried.unreadable.values()):
        say(unreadable_line(carried.unreadable))
    if carried.repaired:
        say(f"{carried.repaired:,} rows needed a repair to be read: see their 'warning' column")
    if model is not None:
        miner = scorer.model()
        topics = novelty.new_topics(miner)
        if new_topics_file:  # beside the output (not for a batch joining a run)
            sidecar = new_topics_path(out)
            write_json(novelty.payload(topics), sidecar)
            say(f"Wrote the novelty counts and any new topics to {sidecar}")
        if on_new_topics is not None:
            on_new_topics(novelty.payload(topics))
        for line in novelty.summary(topics):
            say(line)
    return written


@dataclass
class ChunkJob:
    """One chunk to score: its corpus, first global row, the earlier first occurrences
    of its texts (``seen``, see :func:`miner.clean.seen_before`) and those it adds."""

    corpus: Corpus
    offset: int
    seen: dict[bytes, tuple[int, str]]
    new_seen: list[tuple[bytes, int, str]]


class _Chunks:
    """The input's chunks as :class:`ChunkJob`s, after those a checkpoint has done.

    The text column (given, or detected) is checked on every chunk; the comment
    columns are chosen on the first (``columns``), as :func:`fit_run` does.
    """

    def __init__(self, input_path, chunk_rows, sheet, text_col, say, checkpoint, choose):
        self.input_path, self.chunk_rows, self.sheet = input_path, chunk_rows, sheet
        self.text_col, self.say, self.checkpoint = text_col, say, checkpoint
        self.choose = choose  # first chunk's frame and text column -> CommentColumns
        self.columns = None
        self.leave_out: Mapping[str, Sequence[str]] | None = None  # rows not read

    def jobs(self) -> Iterator[ChunkJob]:
        first_seen = self.checkpoint.first_seen
        done = self.checkpoint.carried.chunks
        tables = iter_tables(
            self.input_path, chunk_rows=self.chunk_rows, sheet=self.sheet, leave_out=self.leave_out
        )
        for index, table in enumerate(tables):
            chunk = table.frame
            for note in table.notes if index >= done else ():
                self.say(note)
            if isinstance(self.text_col, _FittedText):
                names = self.text_col.names
                kept = self.text_col.required or _has_columns(chunk, names)
                self.text_col = list(names) if kept else None
                if self.text_col:
                    shown = ", ".join(f"'{n}'" for n in names)
                    self.say(f"Text column {shown} ({AS_FITTED})")
            if not self.text_col:
                self.text_col = detect_text_column(chunk)
                self.say(f"Text column '{self.text_col}' (detected)")
            corpus = corpus_from_frame(
                chunk, text_col=self.text_col, problems=table.problems, warnings=table.warnings
            )
            self.text_col = corpus.text_cols if corpus.questions else corpus.text_col
            if self.columns is None:
                self.columns = self.choose(corpus.frame, corpus.text_col)
                for line in self.columns.lines():
                    self.say(line)
            if index < done:  # scored before the interruption
                continue
            # The global position of the chunk's first row (respondent × question).
            offset = int(chunk.index[0]) * len(corpus.text_cols) if len(chunk) else 0
            seen, new_seen = seen_before(corpus.texts, first_seen, offset, corpus.row_problems)
            yield ChunkJob(corpus, offset, seen, new_seen)


AS_FITTED = "as the model's run was fitted"
GUESSED_ORDER = (
    "; month first: no day is above 12, so the order is a guess (--date-order day-first "
    "reads 05/03 as 5 March)"
)


@dataclass(frozen=True)
class _FittedText:
    """The text column(s) of the model's run: used when the input has them (always,
    ``required``: a batch joining the run)."""

    names: tuple[str, ...]
    required: bool = False


def fitted_settings(model: str | Path | None) -> dict:
    """What the run a model belongs to (``RUN_DIR/model``) was fitted with: its text
    column(s), date, segment and score columns, score type and period; {} for a model
    outside a run folder or without a readable run.json."""
    if model is None:
        return {}
    path = Path(model).parent / schema.RUN_FILE
    try:
        meta = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(meta, dict):
        return {}
    texts = meta.get("text_cols") or ([meta["text_col"]] if meta.get("text_col") else [])
    trends = (meta.get("insights") or {}).get("trends") or {}
    return {
        "text_col": tuple(texts),
        "date_col": meta.get("date_col"),
        "segment_cols": list(meta.get("segment_cols") or []) or None,
        "score_col": meta.get("score_col"),
        "score_type": meta.get("score_type"),
        "score_reversed": bool(meta.get("score_reversed")),
        "date_dayfirst": meta.get("date_dayfirst"),
        "period": trends.get("period"),
    }


def _names(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _has_columns(frame: pd.DataFrame, names) -> bool:
    """Whether ``frame`` has every column named (parts of a joined "a+b" too),
    matched as :func:`check_column` does."""
    folded = {str(c).casefold() for c in frame.columns}
    for name in _names(names):
        parts = [name] if name.casefold() in folded else text_parts(name, frame.columns)
        if not all(part.casefold() in folded for part in parts):
            return False
    return True


def _options_text_col(text_col):
    """``text_col`` as the resume manifest records it (one name, as before, or a list)."""
    if text_col is None or isinstance(text_col, str):
        return text_col
    names = list(text_col.names if isinstance(text_col, _FittedText) else text_col)
    return (names[0] if len(names) == 1 else names) if names else None


def _carry(carried, documents: pd.DataFrame, described, novelty: NoveltyWatch):
    """What the next chunk starts from, after ``documents`` were written."""
    from miner.resume import Carried

    by_status = Counter(carried.by_status)
    by_status.update(documents["status"].astype(str))
    unreadable = Counter(carried.unreadable)
    unreadable.update(described.unreadable)
    repaired = int(documents["warning"].notna().sum()) if "warning" in documents else 0
    return Carried(
        chunks=carried.chunks + 1,
        written=carried.written + len(documents),
        repaired=carried.repaired + repaired,
        by_status=dict(by_status),
        unreadable={k: int(v) for k, v in unreadable.items()},
        bins=described.bins,
        novelty=novelty.state(),
    )


def score_chunk(miner: FeedbackMiner | None, analyser, job: ChunkJob) -> pd.DataFrame:
    """The documents table of one chunk: with ``miner`` (a fitted model) or, without
    one, the per-document analysis of ``analyser``. Runs where the engine puts it."""
    if miner is not None:
        return miner.transform(job.corpus, seen=dict(job.seen), row_offset=job.offset)
    return _documents_without_model(job.corpus, dict(job.seen), job.offset, analyser)


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

    def __init__(self, path: Path, checkpoint: Checkpoint | None = None):
        self.path = Path(path)
        self.suffix = self.path.suffix.lower()
        self.checkpoint = checkpoint
        self._partial: Path | None = None
        self._parts: list[Path] = []
        self._parts_dir: Path | None = None
        self._first = True
        self._keep_on: tuple[type[BaseException], ...] = ()
        self._stack = ExitStack()

    def __enter__(self) -> _Writer:
        partial = None
        if self.checkpoint is not None:
            partial, self._keep_on = self.checkpoint.partial, self.checkpoint.keep_on
        try:
            self._partial = self._stack.enter_context(
                atomic_path(self.path, partial=partial, keep_on=self._keep_on)
            )
            if self.checkpoint is not None:
                self._go_on_from(self.checkpoint.position, self.checkpoint.parts_dir)
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

    def _go_on_from(self, position: int, parts_dir: Path | None) -> None:
        """Keep what the checkpoint recorded as written (``position``: bytes, or Parquet
        parts) and drop anything after it (a chunk cut short by a kill)."""
        if self.suffix == ".parquet":
            self._parts_dir = parts_dir
            parts = sorted(parts_dir.glob("*.parquet"))
            for extra in parts[position:]:
                extra.unlink()
            self._parts = parts[:position]
        else:
            with open(self._partial, "r+b") as handle:
                handle.truncate(position)
        self._first = position == 0

    @property
    def position(self) -> int:
        """How much is written: bytes of the temporary file, or Parquet parts."""
        if self.suffix == ".parquet":
            return len(self._parts)
        return self._partial.stat().st_size

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
            write_parquet(frame, part)
            self._parts.append(part)

    def _finish_parquet(self, exc_type, exc, traceback) -> bool:
        try:
            if exc_type is None and self._parts:
                _join_parquet(self._parts, self._partial)
        finally:
            if self._parts_dir is not None and not (exc and isinstance(exc, self._keep_on)):
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


# A batch's name (``--batch``): letters, digits, ``.``, ``_`` and ``-``, as in 2026-03.
_BATCH_NAME = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"


def score_into(
    input_path: str | Path,
    run_dir: str | Path,
    model: str | Path | None,
    batch: str | None = None,
    text_col: str | Sequence[str] | None = None,
    chunk_rows: int = 5000,
    sheet: str | None = None,
    say: Say = _silent,
    progress: Callable[[int], None] | None = None,
    date_col: str | None = None,
    score_col: str | None = None,
    segment_cols: Sequence[str] | None = None,
    date_order: str | None = None,
    id_col: str | None = None,
) -> int:
    """Score ``input_path`` with the run's own model and add its rows to ``run_dir`` as
    the batch ``batch`` (default: the input file's name without its extension).

    ``date_col``, ``score_col`` and ``segment_cols`` name the batch's own columns for
    the run's date, score and segments (in the run's order), when another tool named
    them otherwise ("Response Date" for the run's "StartDate"): read under the batch's
    names, stored under the run's. By default the batch is read with the run's names.

    The run keeps one ``documents.parquet`` holding every batch, with a ``batch``
    column once it has two (the fitted rows are the first batch, named after the
    fit's input file); themes.csv and the insight tables (trends over every batch,
    by the run's date column and period) are computed again, and run.json
    ``batches`` records each batch's name, rows and when it was added. Adding a
    batch name again replaces that batch. Everything is written under temporary
    names and renamed at the end (:func:`miner.persist.save_run`): a failed or
    interrupted ``--into`` leaves the run as it was. Returns the rows added.
    """

    from miner.atomic import folder_lock
    from miner.curation import curated_only_themes
    from miner.insights.run import refresh_insights
    from miner.persist import load_run, model_directory, save_run
    from miner.tables import themes_again

    run_dir = Path(run_dir)
    if model is None:
        raise InvalidConfig(
            f"--into adds rows to a run with its own model: add --model {run_dir}/model"
        )
    if batch is not None and not batch.strip():
        raise InvalidConfig("--batch names the batch: give a name, or leave it out")
    run = load_run(run_dir, curated=False)  # E107 when run_dir is not a run
    own = run_dir / schema.MODEL_DIR
    if not own.exists() or model_directory(model).resolve() != own.resolve():
        raise InvalidConfig(
            f"--model '{model}' is not the model of the run '{run_dir}'; a batch joins "
            f"the run it is scored with: use --model {own}"
        )
    name = batch or Path(input_path).stem
    if not re.fullmatch(_BATCH_NAME, name):
        raise InvalidConfig(
            f"batch name '{name}' is not usable: use letters, digits, '.', '_' and '-' "
            "(e.g. --batch 2026-03)"
        )
    batches = list(run.meta.get("batches") or [_first_batch(run)])
    if name == batches[0]["name"]:
        raise InvalidConfig(
            f"'{name}' is the run's fitted batch; it cannot be replaced: choose another --batch"
        )
    meta = run.meta
    renamed = _batch_columns(meta, date_col, score_col, segment_cols, id_col)
    # The run reads every batch's dates in one day/month order (its trends are computed
    # again over all of them): the fit's when it read numbers (03/12/2026), else the
    # first batch's that does. --date-order against the run's is refused.
    run_first = meta.get("date_dayfirst")
    given_first = check_date_order(date_order)
    if run_first is not None and given_first is not None and given_first != run_first:
        raise InvalidConfig(
            f"the run reads its dates {'day' if run_first else 'month'} first; a batch's "
            "are read the same way: leave --date-order out, or write the batch's dates as "
            "2026-12-03"
        )
    if run_first is not None:
        date_order = "day-first" if run_first else "month-first"
    # The same export again, or an --id-col the batch lacks, is refused before it is
    # scored (read, not scored; the check after scoring below sees the rows as the run
    # stores them). A wrong --id-col had been said after a night's 60k rows were scored.
    tables = (
        table.frame
        for table in iter_tables(
            input_path, chunk_rows=chunk_rows, sheet=sheet, leave_out=meta.get("leave_out")
        )
    )
    first = next(tables, None)
    if id_col is not None and first is not None and id_col not in first.columns:
        raise ColumnNotFound(
            f"id column '{id_col}' (--id-col) not found in {Path(input_path).name}; its "
            "columns are: " + ", ".join(str(c) for c in first.columns)
        )
    chunks = tables if first is None else itertools.chain([first], tables)
    _refuse_a_batch_twice(run.documents, chunks, name, input_path, batches[0]["name"], meta)
    found: list[dict] = []
    with (
        folder_lock(run_dir, "miner score --into"),
        tempfile.TemporaryDirectory(dir=run_dir, prefix=".into-") as scratch,
    ):
        scored = Path(scratch) / "batch.parquet"
        trends = (meta.get("insights") or {}).get("trends") or {}
        # The run's own columns, required (a batch without them is refused), and said
        # as the run was fitted, not "(given)".
        fitted_text = meta.get("text_cols") or meta.get("text_col")
        fitted_text = fitted_text and _FittedText(tuple(_names(fitted_text)), True)
        with _hint_batch_columns():
            rows = score_file(
                input_path, scored, model=model,
                text_col=text_col or fitted_text,
                chunk_rows=chunk_rows, sheet=sheet, say=say, progress=progress,
                date_col=date_col or meta.get("date_col"),
                segment_cols=segment_cols or meta.get("segment_cols") or None,
                score_col=score_col or meta.get("score_col"), score_type=meta.get("score_type"),
                date_order=date_order,
                period=trends.get("period"), detect_columns=False, new_topics_file=False,
                on_new_topics=found.append, leave_out=meta.get("leave_out"), run_columns=True,
            )  # fmt: skip
        # theme_novel stays with the batch's rows (the fitted rows are what the model
        # knows: False). In the run they count for no theme: a new topic's 44 comments,
        # far from every theme, had been counted in their nearest two themes and made
        # one of them "emerging" (the scored file keeps the nearest theme for a PM).
        added = _novel_unassigned(pd.read_parquet(scored))
        input_columns = [str(c) for c in added.columns[input_start(added, meta) :]]
        own_id = meta.get("id_col")
        if id_col is None and own_id and own_id not in input_columns:
            say(
                f"The batch has no '{own_id}' column, the run's customer id: its rows count "
                "no customer (name the batch's id column with --id-col)"
            )
        added = added.rename(columns=renamed)
        added = _text_as_the_runs(added, text_col, meta)
        if run_first is None and meta.get("date_col") in added.columns:
            # the run's dates so far were ISO or none: this batch's order becomes the run's
            # (a UK night's 03/12/2026 had gone into March when the trends were redone)
            values = added[meta["date_col"]].dropna().astype(str).str.strip().drop_duplicates()
            first, how = column_date_order(values)
            if given_first is not None or how not in ("", "guess"):  # a guess settles nothing
                meta = {**meta, "date_dayfirst": first if given_first is None else given_first}
        # Raw as fitted, with every batch (the curation applies on load, to all of them).
        run = load_run(run_dir, curated=False, embeddings=True)
        documents = run.documents
        if "batch" not in documents.columns:
            documents = documents.assign(batch=batches[0]["name"])
        if "theme_novel" not in documents.columns:  # a contract column: before the input's
            documents = documents.copy()
            documents.insert(input_start(documents, meta), "theme_novel", False)
        replaced = any(b["name"] == name for b in batches)
        _refuse_a_batch_twice(documents, added, name, input_path, batches[0]["name"], meta)
        documents = pd.concat(
            [documents[documents["batch"] != name], added.assign(batch=name)], ignore_index=True
        )
        keys = schema.key_columns(documents)
        documents = documents[keys + [c for c in documents.columns if c not in keys]]
        entry = {
            "name": name,
            "rows": len(added),
            "source": str(input_path),
            "added": time.strftime("%Y-%m-%d %H:%M:%S"),
            # comments no theme of the model explains, and their clusters (the report's
            # "New topics in batch ...")
            **({"new_topics": found[0]} if found else {}),
        }
        batches = [b for b in batches if b["name"] != name] + [entry]
        # The fitted batch's pieces and map rows are keyed as its documents are.
        first = batches[0]["name"]
        for attribute in ("pieces", "map"):
            table = getattr(run, attribute)
            if table is not None and "batch" not in table.columns:
                setattr(run, attribute, table.assign(batch=first)[["batch", *table.columns]])
        run.documents = documents
        run.meta = {**meta, "batches": batches}
        run.themes = themes_again(run, curated_only_themes(run))
        run = refresh_insights(run)
        save_run(run, run_dir)
        from miner.roadmap.stored import refresh

        refresh(run_dir, rows=len(run.documents))
    how = "Replaced batch '{}' ({:,} rows) in" if replaced else "Added batch '{}' ({:,} rows) to"
    say(
        f"{how.format(name, rows)} {run_dir}: {len(batches)} batches, "
        f"{len(documents):,} rows in all"
    )
    return rows


@contextmanager
def _hint_batch_columns():
    """A run's column the batch lacks (E103) says how a batch names its own."""
    try:
        yield
    except ColumnNotFound as error:
        raise ColumnNotFound(
            f"{error.message}; a batch from another tool names its own columns for the "
            "run's with --text-col, --date-col, --score-col and --segment-col (one for "
            "each of the run's segments, in their order; none for one it lacks)"
        ) from None


def _text_as_the_runs(added: pd.DataFrame, text_col, meta: dict) -> pd.DataFrame:
    """A batch's text column given under another name (``--text-col comment`` for a run
    fitted on ``feedback``) under the run's, where the run's reports read it: its quotes
    had been "nan". Not for a survey of several questions, nor when the batch also has
    a column of the run's text name."""
    fitted = _names(meta.get("text_cols") or meta.get("text_col") or [])
    given = _names(text_col) if text_col else []
    if len(fitted) != 1 or len(given) != 1 or given[0] == fitted[0]:
        return added
    if given[0] not in added.columns or fitted[0] in added.columns:
        return added
    return added.rename(columns={given[0]: fitted[0]})


def _batch_columns(
    meta: dict,
    date_col: str | None,
    score_col: str | None,
    segment_cols: Sequence[str] | None,
    id_col: str | None = None,
) -> dict[str, str]:
    """The batch's columns named for the run's roles -> the run's names (and their
    ``_band`` columns); E108 for a role the run does not have, or segments that are not
    one for each of the run's. ``id_col``: the batch's customer id column (a night's
    "Contact ID" for the run's "contact_id" had left every row of it without a customer)."""
    renamed: dict[str, str] = {}
    for option, given, role in (("--date-col", date_col, "date_col"),
                                ("--score-col", score_col, "score_col"),
                                ("--id-col", id_col, "id_col")):  # fmt: skip
        if given is None:
            continue
        if not meta.get(role):
            raise InvalidConfig(
                f"{option} names the batch's column for the run's, and the run has none: "
                f"a batch is read as its run was fitted (fit again with {option})"
            )
        renamed[given] = meta[role]
    if segment_cols:
        ours = list(meta.get("segment_cols") or [])
        if len(segment_cols) != len(ours):
            shown = ", ".join(f"'{c}'" for c in ours) or "none"
            raise InvalidConfig(
                "--segment-col with --into names the batch's column for each of the run's "
                f"segments, in their order ({shown}): give {len(ours)} (none for one the "
                "batch lacks)"
            )
        renamed.update(zip(segment_cols, ours, strict=True))
    renamed.update({f"{theirs}_band": f"{ours}_band" for theirs, ours in renamed.items()})
    return {theirs: ours for theirs, ours in renamed.items() if theirs != ours}


def _novel_unassigned(added: pd.DataFrame) -> pd.DataFrame:
    """The batch's rows far from every theme (``theme_novel``) with no theme."""
    if "theme_novel" not in added.columns:
        return added
    novel = added["theme_novel"].fillna(False).astype(bool).to_numpy()
    if not novel.any():
        return added
    added = added.copy()
    added.loc[novel, "theme_id"] = schema.UNASSIGNED
    if "theme_label" in added.columns:
        added.loc[novel, "theme_label"] = pd.NA
    if "theme_confidence" in added.columns:
        added.loc[novel, "theme_confidence"] = 0.0
    if "theme_ids" in added.columns:
        added["theme_ids"] = [
            [] if flag else ids for flag, ids in zip(novel, added["theme_ids"], strict=True)
        ]
    return added


# A batch whose rows are this much another batch's (every input column the same) is
# that batch again under another name: refused, it would count its comments twice.
SAME_BATCH_SHARE = 0.5


def _refuse_a_batch_twice(
    documents: pd.DataFrame,
    added: pd.DataFrame | Iterator[pd.DataFrame],
    name: str,
    source,
    fitted: str,
    meta: dict,
) -> None:
    """E108 when most of the rows ``added`` as batch ``name`` are rows of another batch
    of the run (the same values in every input column: id, date, segments, text), as
    when the same month's export is added again under another file name; ``fitted``
    names the batch the run was fitted on (it cannot be replaced). ``added`` is a frame
    or the input's chunks as read (checked before scoring, so a repeated export is
    refused without scoring it first)."""
    inputs = list(documents.columns)[input_start(documents, meta) :]
    if "batch" in documents.columns:
        documents = documents[documents["batch"] != name]
    else:  # one batch yet: the fitted rows
        documents = documents.assign(batch=fitted)
    if not inputs or not len(documents):
        return
    frames = [added] if isinstance(added, pd.DataFrame) else added
    hashes, own = [], None
    for frame in frames:
        if own is None:
            own = [c for c in inputs if c in frame.columns]
            if not own:
                return
        hashes.append(_row_hashes(frame, own))
    new = pd.concat(hashes, ignore_index=True) if hashes else pd.Series([], dtype="uint64")
    if not len(new):
        return
    old = pd.DataFrame(
        {"batch": documents["batch"].to_numpy(), "row": _row_hashes(documents, own).to_numpy()}
    )
    found = old[old["row"].isin(set(new))].drop_duplicates()
    if not len(found):
        return
    batch = found["batch"].value_counts().index[0]
    repeated = int(new.isin(set(found.loc[found["batch"] == batch, "row"])).sum())
    if repeated >= SAME_BATCH_SHARE * len(new):
        raise InvalidConfig(
            f"{repeated:,} of the {len(new):,} rows of '{source}' are rows of batch "
            f"'{batch}' already in the run (the same {', '.join(own[:4])}"
            f"{', ...' if len(own) > 4 else ''}): added as '{name}' they would count twice. "
            + (
                "They are the rows the run was fitted on"
                if batch == fitted
                else f"To replace that batch give --batch {batch}"
            )
            + "; the run is unchanged"
        )


def _row_hashes(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """One hash per row of ``frame``'s ``columns``, read as text (empty cells as "")."""
    values = frame[columns].astype(object).where(frame[columns].notna(), "")
    return pd.util.hash_pandas_object(values.astype(str), index=False)


def _first_batch(run) -> dict:
    """The fitted rows as the run's first batch, named after the fit's input file."""
    source = run.meta.get("source")
    fitted = (run.directory / schema.RUN_FILE).stat().st_mtime
    return {
        "name": Path(source).stem if source else "fit",
        "rows": len(run.documents),
        "source": source,
        "added": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(fitted)),
    }
