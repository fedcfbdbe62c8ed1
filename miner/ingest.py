"""Read feedback exports into a :class:`Corpus`: one row per input row, order kept.

Formats: CSV, TSV, TXT (one comment per line; a tab-separated table with a header is
read as TSV), XLSX, JSON (array of records),
JSONL, Parquet. Text formats are read line by line, so nothing is lost or bent:

- every cell of a CSV/TSV/TXT/XLSX is kept as the text it was (``8`` stays ``8``,
  ``1.10`` stays ``1.10``, ``007`` stays ``007``); JSON keeps its own types;
- each line is decoded on its own: UTF-8, or cp1252 for a line that is not valid
  UTF-8, and that row gets a ``warning`` (one stray byte never garbles the file);
- lines end at ``\n`` (or ``\r\n``) only: U+2028 or a form feed inside a comment
  does not split it;
- a CSV whose header has no delimiter is one column (answers may hold commas), and
  its blank lines are rows (blank answers);
- a row whose quoting is broken (a quote never closed) is read as it stands, without
  quote processing, and gets a ``problem``: it never swallows the rows after it; a
  row with more fields than the header is kept with a ``problem`` too.

A row with a ``problem`` gets status ``error`` with that reason; a ``warning`` is
kept beside an analysed row (see :class:`Table`).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import math
import re
import sys
import zipfile
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from miner import schema
from miner.boilerplate import (
    FOLLOW_UP_NAMES,
    SPEAKER,
    SPEAKER_STAMP,
    holds_html,
    interviewer_turn,
    strip_boilerplate,
)
from miner.clean import says_nothing
from miner.errors import (
    ColumnNotFound,
    InputNotFound,
    InvalidConfig,
    NoUsableText,
    UnreadableInput,
)

SUPPORTED = {
    ".csv": "CSV",
    ".tsv": "TSV",
    ".tab": "TSV",
    ".txt": "text (one comment per line)",
    ".md": "Markdown notes (one comment per line)",
    ".xlsx": "Excel",
    ".xlsm": "Excel",
    ".json": "JSON",
    ".jsonl": "JSON Lines",
    ".ndjson": "JSON Lines",
    ".parquet": "Parquet",
    ".pq": "Parquet",
}
FORMATS_HINT = "CSV, TSV, TXT, Markdown (.md), XLSX, JSON, JSONL or Parquet"
# Text formats read through :class:`_LineSource`; each may come gzip-compressed
# ("feedback.csv.gz"), as warehouse and help-desk exports often do.
TEXT_FORMATS = (".csv", ".tsv", ".tab", ".txt", ".md", ".json", ".jsonl", ".ndjson")
GZIP = ".gz"
# Archives read when they hold a Slack export (see :func:`_slack_day_names`).
ARCHIVES = {".zip": "a Slack export (.zip)"}
DELIMITERS = ",;\t|"
FALLBACK_ENCODING = "cp1252"
# A quoted field may span lines; past this many lines an open quote is a broken one.
MAX_RECORD_LINES = 1000
BINARY_MAGIC = (b"PK\x03\x04", b"%PDF", b"\x89PNG", b"PAR1", b"\x7fELF", b"\xd0\xcf\x11\xe0")
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a 1 MB comment is still one cell


@dataclass
class Table:
    """Rows read from a file, and per row what reading it found.

    ``problems[i]`` says why row ``i`` could not be read as it should (broken
    quoting, more fields than the header): the row is kept as it stands and gets
    status ``error``. ``warnings[i]`` says what reading it had to repair (a line
    that is not valid UTF-8, decoded as cp1252): the row is analysed and the warning
    kept. ``None`` (the lists or an item) means nothing to report.
    """

    frame: pd.DataFrame
    problems: list[str | None] | None = None
    warnings: list[str | None] | None = None
    # What reading the whole file found and did (a survey tool's header rows read as
    # the header, its preview responses left out, a repeated column name).
    notes: list[str] = field(default_factory=list)


@dataclass
class Corpus:
    """A table of feedback and the columns that matter.

    ``frame`` holds the input's own columns in input order; ``text_col`` is the
    free-text column; ``id_col`` (optional) the customer/respondent id.
    ``text_col_detected`` says whether the text column was chosen automatically.

    A survey with several open questions (``questions``: their columns, 2+) is one
    row per respondent × question, in input order (respondent 0's answers to each
    question, then respondent 1's ...): ``frame`` holds the other columns, repeated
    for each answer, and the answer in ``text_col`` (:data:`ANSWER_COLUMN`); see
    :func:`survey_frame`.
    """

    frame: pd.DataFrame
    text_col: str
    id_col: str | None = None
    source: str | None = None
    text_col_detected: bool = False
    problems: list[str | None] | None = None
    warnings: list[str | None] | None = None
    questions: tuple[str, ...] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [_as_text(value) for value in self.frame[self.text_col].tolist()]

    @property
    def row_problems(self) -> list[str | None]:
        """Per row, why it cannot be analysed: what reading it found, or a text cell
        that holds no text (a list, a struct, bytes that are not UTF-8)."""
        found = list(self.problems) if self.problems else [None] * len(self.frame)
        for index, value in enumerate(self.frame[self.text_col].tolist()):
            if found[index] is None:
                found[index] = _not_text_cell(value, self.text_col)
        return found

    @property
    def customer_ids(self) -> list[str] | None:
        if self.id_col is None:
            return None
        return [_as_text(value) for value in self.frame[self.id_col].tolist()]

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def text_cols(self) -> tuple[str, ...]:
        """The input's text columns: the questions, or the one text column."""
        return self.questions or (self.text_col,)

    def keys(self, offset: int = 0) -> dict[str, np.ndarray]:
        """Each row's key in the documents table (``row_id``, and ``question`` with
        several questions); ``offset`` is the global position of row 0."""
        position = np.arange(offset, offset + len(self.frame), dtype=np.int64)
        if not self.questions:
            return {"row_id": position}
        count = len(self.questions)
        names = np.asarray(self.questions, dtype=object)
        return {"row_id": position // count, "question": names[position % count]}


# The column of a survey corpus that holds each answer (see Corpus.questions).
ANSWER_COLUMN = "answer"


def survey_frame(
    frame: pd.DataFrame,
    questions: Sequence[str],
    problems: list[str | None] | None = None,
    warnings: list[str | None] | None = None,
):
    """One row per respondent × question, in input order: the columns that are not
    questions (repeated for each answer) and the answer in :data:`ANSWER_COLUMN`
    (``answer_1`` ... when the input has a column of that name). Returns the frame,
    its text column and the per-row ``problems`` and ``warnings`` (a respondent's,
    for each of their answers)."""
    count = len(questions)
    others = [c for c in frame.columns if c not in questions]
    answer, suffix = ANSWER_COLUMN, 0
    while answer in others:
        suffix += 1
        answer = f"{ANSWER_COLUMN}_{suffix}"
    long = frame[others].loc[frame.index.repeat(count)].reset_index(drop=True)
    answers = frame[list(questions)].to_numpy(dtype=object).reshape(-1)
    long[answer] = pd.Series(answers, dtype=object)

    def repeated(notes):
        return None if notes is None else [note for note in notes for _ in range(count)]

    return long, answer, repeated(problems), repeated(warnings)


def _as_text(value: object) -> str:
    if value is None or value is pd.NA or value is pd.NaT:  # a nullable column's missing
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    if isinstance(value, bytes | bytearray):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return ""
    if _not_text_cell(value, ""):
        return ""  # never the Python repr of a list or a struct
    return str(value)


def _not_text_cell(value: object, column: str) -> str | None:
    """Why a text cell holds no text (a list, a struct, binary data), or None."""
    if isinstance(value, list | tuple | dict | set | np.ndarray):
        what = "a struct" if isinstance(value, dict) else "a list"
        return f"the text column '{column}' holds {what}, not text"
    if isinstance(value, bytes | bytearray):
        try:
            bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return f"the text column '{column}' holds binary data that is not UTF-8 text"
    return None


def read_table(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Read a whole file into a DataFrame of the input's columns, in input order."""
    return read(path, sheet=sheet).frame


def read(
    path: str | Path,
    sheet: str | None = None,
    leave_out: Mapping[str, Sequence[str]] | None = None,
) -> Table:
    """Read a whole file: its rows and what reading each of them found (``leave_out``:
    see :func:`iter_tables`)."""
    tables = list(iter_tables(path, chunk_rows=1 << 40, sheet=sheet, leave_out=leave_out))
    joined = _joined_tables(tables)  # Parquet row groups: one table
    key = _record_key(joined.frame) if len(joined.frame) > 1 else None
    copies = _repeated_records(joined.frame, key)
    if copies.any():
        joined = _rows_of(joined, ~copies)
        joined.notes = [
            *joined.notes,
            f"{schema.counted(int(copies.sum()), 'row')} left out: the same record again, "
            f"every cell the same ('{key}' included); counted once",
        ]
    joined.frame.index = range(len(joined.frame))
    return joined


def _record_key(frame: pd.DataFrame) -> str | None:
    """A column that names each record (a response or ticket id): filled on most rows and
    one value a row, but for rows repeated whole."""
    filled_min = 0.9 * len(frame)
    for name in frame.columns:
        if not _ID_LIKE.search(str(name)):
            continue
        text = frame[name].map(_cell_text)
        filled = text[text.notna() & (text != "")]
        if len(filled) >= filled_min and filled.nunique() >= 0.8 * len(filled):
            return str(name)
    return None


def _cell_text(value) -> str | None:
    """A cell as text to compare (a number, bytes or a record by its repr), None blank."""
    if isinstance(value, str):
        return value.strip()
    if value is None or (np.ndim(value) == 0 and not isinstance(value, bytes) and pd.isna(value)):
        return None
    return repr(value)


_ID_LIKE = re.compile(r"(?i)(?:^|[ _.-])(?:id|uuid|key|number|no|#)$|^id$|response ?id|ticket")


def _repeated_records(frame: pd.DataFrame, key: str | None) -> np.ndarray:
    """Rows that repeat an earlier row in every cell, in a file whose records carry an id
    (``key``, :func:`_record_key`: a survey export's "Response ID"): the same response
    twice, exported twice, had been counted twice in the NPS. Without an id column, two
    equal rows may be two people: kept."""
    if key is None:
        return np.zeros(len(frame), dtype=bool)
    return frame.map(_cell_text).duplicated(keep="first").to_numpy()


def iter_tables(
    path: str | Path,
    chunk_rows: int = 5000,
    sheet: str | None = None,
    leave_out: Mapping[str, Sequence[str]] | None = None,
) -> Iterator[Table]:
    """Yield the file in :class:`Table` chunks of at most ``chunk_rows`` rows.

    Each chunk's frame has the global row numbers as its index. CSV/TSV/TXT and
    JSONL are streamed line by line; Parquet is read by row group; Excel and JSON
    are read whole and then sliced. A file that cannot be read at all raises
    :class:`UnreadableInput` (E102); a row that cannot be read as it should is kept
    with a problem (see :class:`Table`). ``leave_out`` (column -> values, ``--leave-out
    plan=Internal``): rows whose column holds one of the values (case and spacing aside)
    are left out and said, as a survey tool's previews are (E103 for an unknown column).
    """
    path = _check_path(path)
    kind = format_suffix(path)
    if sheet is not None and kind not in (".xlsx", ".xlsm"):
        raise InvalidConfig(
            f"--sheet names a sheet of an Excel file; {path.name} is {SUPPORTED.get(kind, kind)}"
        )
    try:
        if _slack_day_names(path):
            slack = _read_slack(path)
            frame = slack.frame.reset_index(drop=True)
            tables = (
                Table(
                    frame.iloc[begin : begin + chunk_rows], notes=slack.notes if not begin else []
                )
                for begin in range(0, max(len(frame), 1), chunk_rows)
            )
        elif kind in (".csv", ".tsv", ".tab", ".txt", ".md", ".jsonl", ".ndjson"):
            lines = _LineSource(path)
            if kind in (".jsonl", ".ndjson"):
                tables = _jsonl_tables(lines, chunk_rows)
            else:
                tables = _delimited_tables(lines, kind, chunk_rows)
        elif kind in (".parquet", ".pq"):
            tables = _parquet_tables(path, chunk_rows)
        else:
            notes: list[str] = []
            if kind in (".xlsx", ".xlsm"):
                frame, notes = _read_excel(path, sheet)
            else:
                frame, notes = _read_json(path)
            frame = frame.reset_index(drop=True)
            frame.columns = [str(c) for c in frame.columns]
            tables = (
                Table(frame.iloc[begin : begin + chunk_rows], notes=notes if not begin else [])
                for begin in range(0, max(len(frame), 1), chunk_rows)
            )
        start = 0
        tables = _as_answers(tables, chunk_rows)
        if leave_out:
            tables = _without_values(tables, leave_out, chunk_rows)
        for table in tables:
            table.frame.index = range(start, start + len(table.frame))
            start += len(table.frame)
            yield table
    except (UnreadableInput, ColumnNotFound, NoUsableText):
        raise
    except Exception as exc:  # any parser failure becomes one clear message
        what = SUPPORTED.get(kind, "a Slack export")
        raise UnreadableInput(f"cannot read {path.name} as {what}: {_first_line(exc)}") from exc


def estimate_rows(path: str | Path) -> int | None:
    """About how many rows ``path`` holds, for a progress bar: a Parquet file's own
    count; a text file's size times the records of its first megabyte per byte (a CSV's
    quoted cell over several lines is one record); None for other formats."""
    path = Path(path)
    kind = format_suffix(path)
    try:
        if kind in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        if kind not in (".csv", ".tsv", ".tab", ".txt", ".md", ".jsonl", ".ndjson"):
            return None
        size = _unpacked_size(path)
        with _open(path) as handle:
            head = handle.read(1 << 20)
        whole = len(head) == size
        if not whole:  # up to the last whole line
            head = head[: head.rfind(b"\n") + 1] or head
        lines = head.count(b"\n") + (0 if head.endswith(b"\n") else 1)
        if not head or lines <= 0:
            return None
        header = 1 if kind in (".csv", ".tsv", ".tab") else 0
        if header:
            text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
            delimiter = "," if kind == ".csv" else "\t"
            if kind == ".csv":
                delimiter = _choose_delimiter(text.splitlines()[:200]) or ","
            lines = sum(1 for _ in csv.reader(io.StringIO(text), delimiter=delimiter)) or lines
        rows = lines if whole else round(size * lines / len(head))
        return max(rows - header, 0)
    except Exception:  # noqa: BLE001 - an estimate: a file reading fails on says why later
        return None


def load_corpus(
    path: str | Path,
    text_col: str | Sequence[str] | None = None,
    id_col: str | None = None,
    sheet: str | None = None,
    leave_out: Mapping[str, Sequence[str]] | None = None,
) -> Corpus:
    """Read ``path`` and pick the text column (detected when not given; several make a
    survey corpus, see :class:`Corpus`); ``leave_out``: see :func:`iter_tables`."""
    table = read(path, sheet=sheet, leave_out=leave_out)
    if table.frame.empty and table.notes:  # every row a survey tool's header or preview
        raise NoUsableText(
            f"{Path(path).name} has no responses left to analyse: " + "; ".join(table.notes)
        )
    corpus = corpus_from_frame(
        table.frame,
        text_col=text_col,
        id_col=id_col,
        source=str(path),
        problems=table.problems,
        warnings=table.warnings,
    )
    corpus.notes = [*table.notes, *_replies_joined(table.frame, text_col)]
    return corpus


def _replies_joined(frame: pd.DataFrame, text_col) -> list[str]:
    """A note for each company's reply column joined to the customers' text
    (``--text-col review+developer_response``): its words are then read as theirs (a
    studio's replies joined to Steam reviews had made themes "Stay tuned", unsaid)."""
    notes = []
    for name in [text_col] if isinstance(text_col, str) else list(text_col or ()):
        parts = text_parts(name, frame.columns)
        replies = [part for part in parts if _REPLY_NAME.search(part)]
        if len(parts) > 1 and replies and len(replies) < len(parts):
            notes.append(
                f"'{replies[0]}' holds the company's replies: joined in '{name}', its words "
                "are read as the customers' (their themes, jobs and sentiment)"
            )
    return notes


def corpus_from_frame(
    frame: pd.DataFrame,
    text_col: str | Sequence[str] | None = None,
    id_col: str | None = None,
    source: str | None = None,
    problems: list[str | None] | None = None,
    warnings: list[str | None] | None = None,
) -> Corpus:
    """Wrap an in-memory table, checking the named columns exist.

    ``problems`` and ``warnings`` are per row, as read (see :class:`Table`). Several
    text columns (the open questions of a survey) give one row per respondent ×
    question (see :class:`Corpus`).
    """
    if frame.shape[1] == 0:
        raise NoUsableText(f"{source or 'the input'} has no columns; expected a column of comments")
    frame = frame.reset_index(drop=True)
    # Names as a file's header gives them: text, and a repeated name "comment.1".
    frame.columns = _column_names([str(c) for c in frame.columns])
    detected = not text_col
    frame = with_joined_texts(frame, text_col)
    questions = text_columns(frame, text_col)
    if id_col is not None:
        id_col = check_column(frame, id_col, "id")
        if len(questions) > 1 and id_col in questions:
            raise InvalidConfig(f"'{id_col}' is a text column; it cannot also be the id column")
    text_col = questions[0]
    if len(questions) > 1:
        frame, text_col, problems, warnings = survey_frame(frame, questions, problems, warnings)
    return Corpus(
        frame=frame,
        text_col=text_col,
        id_col=id_col,
        source=source,
        text_col_detected=detected,
        problems=problems,
        warnings=warnings,
        questions=questions if len(questions) > 1 else None,
    )


JOIN = "+"
_END_MARK = re.compile(r"[.!?…:;]\s*$")


def with_joined_texts(frame: pd.DataFrame, text_col: str | Sequence[str] | None) -> pd.DataFrame:
    """``frame`` with a column for each text column given as parts joined by ``+``
    ("title+body": a review's title and body read as one comment), named as given.

    Each row's parts are joined in order, blank ones and those that say nothing ("n/a",
    "Nothing", "See above": :func:`miner.clean.says_nothing`) left out, each ending with a full
    stop unless it ends with a mark already ("Love it" + "Syncs fine" -> "Love it.
    Syncs fine"), so the title reads as the comment's first sentence. A name that is a
    column as it stands is that column."""
    given = [text_col] if isinstance(text_col, str) else list(text_col or ())
    joined = {}
    for name in given:
        parts = text_parts(name, frame.columns)
        if len(parts) < 2:
            continue
        parts = [check_column(frame, part, "text") for part in parts]
        cells = [[_as_text(value).strip() for value in frame[part].tolist()] for part in parts]
        context = _thread_parts(cells)
        joined[name] = [_join_parts(values, context) for values in zip(*cells, strict=True)]
    if not joined:
        return frame
    return frame.assign(**joined)


def text_parts(name: str, columns) -> list[str]:
    """The columns a text column name stands for: its parts when it joins them with
    ``+`` ("title+body") and is not itself one of ``columns``, else the name."""
    if JOIN not in name or name in set(map(str, columns)):
        return [name]
    return [part.strip() for part in name.split(JOIN)]


def _thread_parts(cells: list[list[str]]) -> set[int]:
    """The parts that are a thread's, not the row's: a value of a few words that
    runs on consecutive rows whose other parts differ, as a forum export's title on
    each of its thread's replies. Half the rows holding it must be in such runs, so a
    review's title ("Great app") that many reviews share stays the review's own."""
    threads = set()
    for index, values in enumerate(cells):
        others = list(zip(*(c for i, c in enumerate(cells) if i != index), strict=True))
        held = [row for row, value in enumerate(values) if value]
        if len(held) < 4 or sum(len(values[row].split()) for row in held) < 3 * len(held):
            continue
        repeated = {
            row
            for row in held[1:]
            if values[row] == values[row - 1] and others[row] != others[row - 1]
        }
        runs = repeated | {row - 1 for row in repeated}
        if len(runs) * 2 >= len(held):
            threads.add(index)
    return threads if len(threads) < len(cells) else set()


def _join_parts(values, context: set[int] = frozenset()) -> str:
    texts = []
    own = False  # a part of the row's own said something
    for index, value in enumerate(values):
        # Each part's own furniture first: a note's "Hi Rachel," after its title had
        # stayed in 65 of 65 joined notes (a greeting is only read at a text's start).
        text = strip_boilerplate(value).strip() if value else value
        if text and not says_nothing(text):
            texts.append(text if _END_MARK.search(text) else text + ".")
            own = own or index not in context
    # A reply that says nothing ("[deleted]", "+1") is no comment, not its thread's
    # title: 104 deleted Reddit comments had each been one more voice for their title.
    return " ".join(texts) if own else ""


def text_columns(frame: pd.DataFrame, text_col: str | Sequence[str] | None) -> tuple[str, ...]:
    """The text column(s) of ``frame``: those given (checked, each once) or the one
    detected (:func:`detect_text_column`)."""
    if not text_col:
        return (detect_text_column(frame),)
    given = [text_col] if isinstance(text_col, str) else list(text_col)
    found = tuple(dict.fromkeys(check_column(frame, name, "text") for name in given))
    for name in found:
        _refuse_a_repeated_name_of_no_text(frame, name)
        _refuse_a_column_of_addresses(frame, name)
    return found


def _refuse_a_column_of_addresses(frame: pd.DataFrame, name: str) -> None:
    """E104 for a text column given whose filled cells are e-mail addresses, links or
    @handles, one each (80% of them): `--text-col 'Tester Email'` had made one theme,
    "[email]", of 741 comments and 184 addresses "in other languages"."""
    filled = [v for v in (_as_text(x).strip() for x in frame[name].head(2000).tolist()) if v]
    if len(filled) < 5 or sum(bool(_ADDRESS.fullmatch(v)) for v in filled) < 0.8 * len(filled):
        return
    others = [c for c in _text_scores(frame) if c != name]
    hint = f"; the comments are probably in '{detect_text_column(frame)}'" if others else ""
    raise NoUsableText(
        f"text column '{name}' holds e-mail addresses, links or @handles, one a cell, not "
        f"comments{hint}"
    )


def _refuse_a_repeated_name_of_no_text(frame: pd.DataFrame, name: str) -> None:
    """E103 when ``name`` heads several columns of the file (read as ``name``,
    ``name.1``, ...) and the one it reads holds next to no free text while another does
    (ten times its score, a few words a cell): a
    survey's first 'comment' of plan names had been scored as the comments, exit 0."""
    copies = _renamed_copies(name, frame.columns)
    if not copies:
        return
    scores = _text_scores(frame[[name, *copies]])
    score = scores.get(name, (0.0, 0.0))[0]
    texts = [
        c
        for c, (other, words) in scores.items()
        if c != name and words >= OTHER_TEXT_WORDS and other >= max(10 * score, MIN_TEXT_SCORE)
    ]
    if texts:
        raise ColumnNotFound(
            f"'{name}' heads {len(copies) + 1} columns of this file (read as "
            + ", ".join(f"'{c}'" for c in [name, *copies])
            + f"); the first holds next to no free text, '{texts[0]}' does: give --text-col "
            f"{texts[0]} (or rename the other column)"
        )


def check_column(frame: pd.DataFrame, name: str, role: str) -> str:
    """Return ``name`` if it is a column of ``frame`` (case-insensitive fallback)."""
    if name in frame.columns:
        return name
    folded = {str(c).casefold(): str(c) for c in frame.columns}
    if name.casefold() in folded:
        return folded[name.casefold()]
    # A column named by its question, as the survey tool's question row gives it.
    titles = {" ".join(t.split()).casefold(): c for c, t in column_titles(frame).items()}
    if (column := titles.get(" ".join(name.split()).casefold())) in frame.columns:
        return column
    raise ColumnNotFound(
        f"{role} column '{name}' not found; columns are: " + ", ".join(map(str, frame.columns))
    )


def column_titles(frame: pd.DataFrame) -> dict[str, str]:
    """The question text of each column, as a survey tool's question row gives it
    (Qualtrics: ``Q3`` is "What one thing should we improve?"); empty otherwise."""
    return dict(frame.attrs.get(COLUMN_TITLES, {}))


COLUMN_TITLES = "column_titles"  # where a frame keeps them (DataFrame.attrs)


# A column scoring under this is a category, not free text: "A"/"B" (0.02), yes/no
# (0.05), plan or country names (0.02); one-word survey answers score above 1.
MIN_TEXT_SCORE = 0.5


# One address a cell: an e-mail, a link or a @handle (never a comment).
_ADDRESS = re.compile(r"[^\s@]+@[^\s@]+\.\w+|(?:https?://|www\.)\S+|@\w+")


def _text_scores(frame: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Each column's free-text score (letters per row x words, up to 8, x variety) and
    words per filled cell; codes and addresses left out."""
    scores = {}
    sample = frame.head(2000)
    for column in sample.columns:
        values = [_as_text(v).strip() for v in sample[column].tolist()]
        filled = [v for v in values if v]
        if not filled:
            continue
        letters = sum(sum(ch.isalpha() for ch in v) for v in filled) / len(values)
        words = sum(len(v.split()) for v in filled) / len(filled)
        distinct = len(set(filled)) / len(filled)
        # Free text has words, letters and variety; categories (plan, region) do not,
        # nor do codes of a word with a letter or two ("R00017", "B2").
        score = letters * min(words, 8.0) * distinct
        code = words < 1.5 and letters * len(values) / len(filled) < 3
        # nor addresses: a requester's e-mail, a link, a @handle, one per row
        code = code or sum(bool(_ADDRESS.fullmatch(v)) for v in filled) >= 0.8 * len(filled)
        if not code:
            scores[str(column)] = (score, words)
    return scores


# Another column is free text too (a survey's other open question) when its answers run
# to a few words and it scores at least this much (a plan or country column scores
# about 0.02, one-word answers under 1.5, an open question's answers tens or hundreds).
OTHER_TEXT_SCORE = 2.0
OTHER_TEXT_WORDS = 3.0


def other_text_columns(frame: pd.DataFrame, chosen: Sequence[str]) -> list[str]:
    """Columns besides ``chosen`` that hold free text as well (see
    :data:`OTHER_TEXT_SCORE`), best first."""
    others = [
        (score, name)
        for name, (score, words) in _text_scores(frame).items()
        if name not in chosen
        # not the company's replies beside the customers' words (Steam's
        # "developer_response": joined as suggested, it had made themes "Stay tuned")
        and not (_REPLY_NAME.search(str(name)) and not any(map(_REPLY_NAME.search, chosen)))
        and score >= OTHER_TEXT_SCORE
        and words >= OTHER_TEXT_WORDS
        and _words_per_cell(frame[name]) >= OTHER_TEXT_WORDS  # not "05/Jan/26 01:41 PM"
    ]
    return [name for _, name in sorted(others, key=lambda pair: -pair[0])]


def _words_per_cell(column: pd.Series) -> float:
    """Words of letters alone per filled cell of a sample (dates and codes have few)."""
    filled = [text for v in column.head(2000).tolist() if (text := _as_text(v).strip())]
    return sum(len(_LETTER_WORD.findall(text)) for text in filled) / max(len(filled), 1)


_LETTER_WORD = re.compile(r"\b[^\W\d_]{2,}\b")


def detect_text_column(frame: pd.DataFrame) -> str:
    """The longest free-text column: most letters per row among non-numeric columns;
    none (E104) when the best is a category ("A"/"B", plan names)."""
    best, best_score = None, 0.0
    scores = _text_scores(frame)
    # The company's replies ("Reply Content", "Developer Reply Text") are not the
    # customers' words: another free-text column is the text when there is one (a
    # review site's canned reply, longer than the reviews, had been read as them).
    customers = {c: v for c, v in scores.items() if not _REPLY_NAME.search(c)}
    if any(score >= MIN_TEXT_SCORE for score, _ in customers.values()):
        scores = customers
    for column, (score, _) in scores.items():
        if score > best_score:
            best, best_score = column, score
    if best is not None and _mostly_html(frame[best]):
        # A forum's post as HTML beside its markdown (Discourse's "cooked" and "raw"):
        # the markdown, whose quotes and code are marked as such; the HTML's tags and
        # attributes ("aside class quote") had made themes.
        plain = [
            (score, column)
            for column, (score, _) in scores.items()
            if column != best and score >= 0.5 * best_score and not _mostly_html(frame[column])
        ]
        if plain:
            best, best_score = max(plain)[1], max(plain)[0]
    if best is None and (frame.empty or not len(frame.columns)):
        raise NoUsableText(
            "the file has no rows"
            + (
                f" (only the header: {', '.join(map(str, frame.columns))})"
                if len(frame.columns)
                else ""
            )
            + "; nothing to analyse"
        )
    if best is None or best_score < MIN_TEXT_SCORE:
        category = f" (the wordiest, '{best}', holds categories)" if best is not None else ""
        raise NoUsableText(
            f"no column holds text{category}; columns are: "
            + ", ".join(map(str, frame.columns))
            + ". Name the comment column with --text-col."
        )
    return best


_REPLY_NAME = re.compile(
    r"(?i)\b(?:developer|company|merchant|business|owner|seller|agent|staff|support|admin"
    r"|moderator)?[ _.-]?repl(?:y|ies|ied)\b|^reply|repl(?:y|ies)[ _.-]?(?:content|text|body)"
    r"|(?:developer|dev|company|merchant|business|owner|seller|staff|brand|official|management)"
    r"[ _.-]?respon(?:se|ses|ded)\b"
)


def _mostly_html(column: pd.Series) -> bool:
    """Whether most filled cells of a column (of its first 200) hold HTML tags."""
    filled = [v for v in (_as_text(x).strip() for x in column.head(200).tolist()) if v]
    return bool(filled) and sum(holds_html(v) for v in filled) > len(filled) / 2


# Names of customer/respondent id columns ("customer_id", "Respondent ID", "user"); a
# bare "id" or a product's id ("Clothing ID") is a row or item id, never a customer.
_ID_NAME = re.compile(
    r"^(customer|respondent|user|client|account|member|reviewer|author|contact)"
    r"([ _-]?(id|no|number|key|email))?$",
    re.IGNORECASE,
)


def detect_id_column(frame: pd.DataFrame, exclude: tuple[str, ...] = ()) -> str | None:
    """The customer/respondent id column when its name says so (``customer_id``,
    ``Respondent ID``), filled in at least half of the rows; None otherwise. An id is
    preferred to an e-mail address (``customer_email`` before ``customer_id`` had keyed
    a run by e-mail, not the CRM's id a PM follows up with)."""
    named = [c for c in frame.columns if str(c).strip() not in exclude]
    named = [c for c in named if _ID_NAME.match(str(c).strip())]
    named.sort(key=lambda c: str(c).strip().lower().endswith("email"))  # stable
    for column in named:
        values = frame[column].head(2000)
        filled = values.dropna().map(lambda v: _as_text(v).strip()).astype(bool)
        if len(values) and filled.sum() >= len(values) / 2:
            return str(column)
    return None


def _check_path(path: str | Path) -> Path:
    path = Path(path)
    if not path.exists():
        raise InputNotFound(f"input file '{path}' not found; check the path")
    if _slack_day_names(path):
        return path
    if path.is_dir():
        raise UnreadableInput(
            f"'{path}' is a folder; give a file ({FORMATS_HINT}), or a Slack export (its "
            "folder or .zip: a folder per channel of YYYY-MM-DD.json files)"
        )
    if path.suffix.lower() in ARCHIVES:
        raise UnreadableInput(
            f"cannot read '{path.name}': a .zip is read when it holds a Slack export (a "
            f"folder per channel of YYYY-MM-DD.json files); else use {FORMATS_HINT}"
        )
    if path.suffix.lower() == GZIP:
        if format_suffix(path) not in TEXT_FORMATS:
            raise UnreadableInput(
                f"cannot read '{path.name}': a .gz file is read when it holds CSV, TSV, TXT, "
                "JSON or JSONL and says so in its name (feedback.csv.gz); else unpack it "
                f"and use {FORMATS_HINT}"
            )
        with open(path, "rb") as handle:
            if handle.read(2) != b"\x1f\x8b" and path.stat().st_size:
                raise UnreadableInput(
                    f"cannot read '{path.name}': it is named .gz but is not gzip-compressed; "
                    "rename it without .gz or compress it with gzip"
                )
    elif path.suffix.lower() not in SUPPORTED:
        raise UnreadableInput(
            f"cannot read '{path.name}': unsupported format '{path.suffix or '(none)'}'; "
            f"use {FORMATS_HINT}"
        )
    if path.stat().st_size == 0:
        raise NoUsableText(f"input file '{path}' is empty")
    return path


def format_suffix(path: str | Path) -> str:
    """The suffix that names a file's format: '.csv' for both 'a.csv' and 'a.csv.gz'."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == GZIP:
        return Path(path.stem).suffix.lower() or GZIP
    return suffix


def _open(path: Path, mode: str = "rb", **text):
    """``path`` opened for reading, unpacked on the fly when it is gzip-compressed."""
    if path.suffix.lower() == GZIP:
        return gzip.open(path, mode, **text)
    return open(path, mode, **text)


def _unpacked_size(path: Path) -> int:
    """A file's size in bytes once unpacked: a gzip file's trailer gives it (modulo
    4 GiB, so never below what was compressed)."""
    size = path.stat().st_size
    if path.suffix.lower() != GZIP or size < 4:
        return size
    with open(path, "rb") as handle:
        handle.seek(-4, 2)
        unpacked = int.from_bytes(handle.read(4), "little")
    return unpacked if unpacked >= size else size


class _LineSource:
    """The lines of a text file, each decoded on its own, with look-ahead and push-back.

    Lines end at ``\n`` (``\r\n`` and, for a file without any ``\n``, ``\r``); no
    other character ends a line. ``next()`` gives ``(line number, text, warning)``
    with ``warning`` set when the line is not valid UTF-8 and was read as cp1252.
    """

    def __init__(self, path: Path):
        self.path = path
        with _open(path) as handle:
            head = handle.read(1 << 16)
        # Excel's "Unicode Text" and some exports are UTF-16, marked by a byte order mark.
        self._utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        if not self._utf16 and (
            head.startswith(BINARY_MAGIC)
            or head[:4096].count(b"\x00") > 64
            or _control_bytes(head) > max(10, len(head) // 100)
        ):
            raise UnreadableInput(f"cannot read {path.name}: it looks like a binary file, not text")
        self._carriage_only = not self._utf16 and b"\n" not in head and b"\r" in head
        self._raw = self._raw_lines()
        self._back: deque[tuple[int, str, str | None]] = deque()
        self._number = 0

    def _raw_lines(self) -> Iterator[bytes]:
        if self._utf16:  # read as text, each line given on as UTF-8
            try:
                with _open(self.path, "rt", encoding="utf-16", newline="\n") as text:
                    for line in text:
                        line = line[:-2] if line.endswith("\r\n") else line.rstrip("\n")
                        yield line.encode("utf-8")
            except UnicodeDecodeError as exc:
                raise UnreadableInput(
                    f"cannot read {self.path.name}: it starts as UTF-16 text but is not "
                    f"({exc.reason}); save it as UTF-8 CSV"
                ) from exc
            return
        with _open(self.path) as handle:
            if self._carriage_only:  # old Mac line ends: the whole file, split on \r
                parts = handle.read().split(b"\r")
                yield from parts[:-1] if parts and parts[-1] == b"" else parts
                return
            for raw in handle:
                yield raw[:-2] if raw.endswith(b"\r\n") else raw.rstrip(b"\n")

    def next(self) -> tuple[int, str, str | None] | None:
        if self._back:
            return self._back.popleft()
        raw = next(self._raw, None)
        if raw is None:
            return None
        self._number += 1
        text, warning = _decode_line(raw)
        if self._number == 1:
            text = text.removeprefix("\ufeff")
        return self._number, text, warning

    def push_back(self, lines: Iterable[tuple[int, str, str | None]]) -> None:
        self._back.extendleft(reversed(list(lines)))

    def peek(self, count: int) -> list[tuple[int, str, str | None]]:
        ahead = []
        while len(ahead) < count and (line := self.next()) is not None:
            ahead.append(line)
        self.push_back(ahead)
        return ahead


# Bytes no text holds (control characters but tab, line feed, carriage return, form feed).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def _control_bytes(data: bytes) -> int:
    """How many bytes of ``data`` are control characters: random or binary data has
    about one in nine, text almost none."""
    return len(data) - len(data.translate(None, _CONTROL))


def _decode_line(raw: bytes) -> tuple[str, str | None]:
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode(FALLBACK_ENCODING)
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        text = raw.decode("latin-1")
    return text, f"not valid UTF-8: read as {FALLBACK_ENCODING}"


def _joined(*notes: str | None) -> str | None:
    kept = list(dict.fromkeys(n for n in notes if n))
    return "; ".join(kept) if kept else None


# The first line Excel writes (and reads) to name a CSV's delimiter: "sep=;", "sep=,".
# Read as the header, it had made a one-column file of raw lines, ids, dates and scores
# lost without a word.
_SEP_HINT = re.compile(r'\s*"?sep=([;,\t|])"?\s*')


def _delimited_tables(lines: _LineSource, kind: str, chunk_rows: int) -> Iterator[Table]:
    """CSV, TSV and TXT, record by record (see the module docstring for the rules)."""
    if kind == ".md" or (kind == ".txt" and not _tab_table(lines)):
        yield from _markdown_tables(lines, chunk_rows)  # a line a comment
        return
    sample = [text for _, text, _ in lines.peek(200)]
    if not sample:
        raise NoUsableText(f"input file '{lines.path}' is empty")
    hint = _SEP_HINT.fullmatch(sample[0])
    if hint:  # Excel's "sep=;" line: the delimiter, then the header
        lines.next()
        sample = sample[1:]
        if not sample:
            raise NoUsableText(f"input file '{lines.path}' holds only a 'sep=' line")
    tabbed = kind in (".tsv", ".tab", ".txt")
    # A header cell with a line break in its quotes ("Plan\nType", as survey tools write
    # long questions) spans lines: the header is read whole to choose the delimiter (its
    # first line alone had made the file one column of raw CSV lines).
    taken = 1
    while sample[0].count('"') % 2 and taken < min(len(sample), 10):
        sample = [sample[0] + "\n" + sample[1], *sample[2:]]
        taken += 1
    delimiter = hint.group(1) if hint else "\t" if tabbed else _choose_delimiter(sample)
    first = _next_record(lines, delimiter, width=None)
    header = _column_names(first[0] if first else [])
    records = iter(lambda: _next_record(lines, delimiter, len(header)), None)
    yield from _chunked(header, records, chunk_rows)


# Sections of meeting notes that hold the team's own words, not the customers': their
# lines are left out ("## Agenda", "## Action items", "## Attendees").
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+(.+?)\s*#*\s*$")
_TEAM_SECTION = re.compile(
    rf"(?i)^(?:\*\*|__)?(?:{FOLLOW_UP_NAMES}|agenda|attendees|participants|parking\s+lot|"
    r"logistics|housekeeping)\b"
)


# "Facilitator: Rachel Green (OurCo)." names the team's organisation; a turn of anyone
# of it ("Rachel Green (OurCo): Would you be open to ...?") is the team's own words.
_HOST_LINE = re.compile(r"(?i)^\W*(?:facilitat(?:or|ed by)|hosts?|moderator|interviewer)s?\W*:(.+)")
_ORG = re.compile(r"\(([^()]{1,40})\)")
# A turn under a person's name ("Sam Patel: So what do you do then?", "**Sam:**").
_NAMED_TURN = re.compile(
    r"^\s*(?:\*\*|__)?([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})\s*(?:\*\*|__)?:"
)
# The time of a transcript's speaker line ("Sam Patel  01:42" -> "Sam Patel").
_STAMP_TIME = re.compile(r"\s*[|–-]?\s*\[?\(?\d{1,2}:\d{2}(?::\d{2})?\)?\]?\s*$")


def _markdown_tables(lines: _LineSource, chunk_rows: int) -> Iterator[Table]:
    """A text or Markdown file a line a comment, without the lines of its team's own
    sections under a Markdown heading
    (:data:`_TEAM_SECTION`: a council's agenda and action items had made the roadmap's
    first item), said with the last table."""
    left_out: Counter[str] = Counter()
    team: set[str] = set()  # the facilitator's organisation ("Facilitator: Ana (OurCo)")
    hosts: set[str] = set()  # the facilitator's or interviewer's name ("Sam Patel")
    host_turns = ["the facilitator's turns"]

    # An interview transcript ("I: ..." then "Tom: ..."): the participant's name before
    # their words is who spoke (it had kept "Tom:" in every quote and theme).
    transcript = sum(interviewer_turn(text) for _, text, _ in lines.peek(200)) >= 2

    def records():
        section = None
        speaker = None  # whose turn a transcript's lines are ("Sam Patel  01:42" above)
        for _, text, warning in iter(lines.next, None):
            heading = _MD_HEADING.match(text)
            host = _HOST_LINE.match(text)
            if host:  # the facilitator's own part, not the attendees' after it
                named = re.split(r"(?i)[.;]\s|\b(?:attendees|participants)\b", host.group(1))[0]
                team.update(org.strip().casefold() for org in _ORG.findall(named))
                if re.match(r"(?i)\W*interviewer", text):
                    host_turns[0] = "the interviewer's turns"
                hosts.update(
                    name.strip(" *_").casefold()
                    for name in re.split(r",|&|\band\b", _ORG.sub("", named))
                    if name.strip(" *_")
                )
            turn = SPEAKER.match(text)
            named_turn = _NAMED_TURN.match(text)
            if SPEAKER_STAMP.match(text):
                speaker = _STAMP_TIME.sub("", text).strip(" *_").casefold()
            elif not text.strip():
                speaker = None
            if heading:
                section = heading.group(1) if _TEAM_SECTION.match(heading.group(1)) else None
            elif section is not None and text.strip():
                left_out[section.strip("*_ ").title()] += 1
                continue
            elif (
                (turn and turn.group("org").strip().casefold() in team)
                or (named_turn and named_turn.group(1).casefold() in hosts)
                or (speaker in hosts and text.strip() and not SPEAKER_STAMP.match(text))
            ):
                left_out[host_turns[0]] += 1
                continue
            if transcript and named_turn and not interviewer_turn(text):
                text = text[named_turn.end() :].lstrip(" *_")
            yield [text], None, warning

    previous = None
    for table in _chunked(["text"], records(), chunk_rows):
        if previous is not None:
            yield previous
        previous = table
    if left_out:
        which = ", ".join(f"'{name}' {n:,}" for name, n in left_out.items())
        previous.notes = [
            *previous.notes,
            f"{schema.counted(sum(left_out.values()), 'line')} left out: the team's own words, "
            f"its notes' agenda, attendees and follow-ups and its facilitator's or "
            f"interviewer's turns ({which})",
        ]
    yield previous


def _tab_table(lines: _LineSource) -> bool:
    """Whether a .txt file is a tab-separated table with a header (Excel's "Unicode
    Text" export, UTF-16 with a .txt name), not one comment per line: its first line
    holds tabs between short names, and another of its first lines as many tabs."""
    sample = [text.rstrip("\r\n") for _, text, _ in lines.peek(200)]
    if len(sample) < 2 or "\t" not in sample[0]:
        return False
    names = sample[0].split("\t")
    if not all(0 < len(name.strip()) <= 60 for name in names):
        return False
    return any(line.count("\t") == len(names) - 1 for line in sample[1:])


def _chunked(header: list[str], records: Iterator, chunk_rows: int) -> Iterator[Table]:
    rows: list[list] = []
    problems: list[str | None] = []
    warnings: list[str | None] = []

    def table() -> Table:
        frame = pd.DataFrame(rows, columns=header, dtype=object)
        return Table(
            frame,
            problems if any(problems) else None,
            warnings if any(warnings) else None,
        )

    yielded = False
    for fields, problem, warning in records:
        rows.append(fields)
        problems.append(problem)
        warnings.append(warning)
        if len(rows) >= chunk_rows:
            yield table()
            yielded = True
            rows, problems, warnings = [], [], []
    if rows or not yielded:
        yield table()


def _column_names(fields: list[str]) -> list[str]:
    """Header cells as column names: blanks named ``Unnamed: i``, repeats ``name.1``, a
    line break in a cell read as a space ("Plan\nType" is ``Plan Type``)."""
    names: list[str] = []
    for index, cell in enumerate(fields):
        name = (" ".join(cell.split()) if "\n" in cell else cell.strip()) or f"Unnamed: {index}"
        base, repeat = name, 0
        while name in names:
            repeat += 1
            name = f"{base}.{repeat}"
        names.append(name)
    return names


def _fields(line: str, delimiter: str | None, strict: bool = False) -> list[str]:
    if delimiter is None:
        delimiter = "\x1f"  # one column: only quoting matters
    fields = next(csv.reader([line], delimiter=delimiter, strict=strict), [])
    return ["\x1f".join(fields)] if delimiter == "\x1f" and len(fields) > 1 else fields


def _choose_delimiter(sample: list[str]) -> str | None:
    """The delimiter of a CSV, or None when the header has none (one column).

    A candidate must split the header into 2+ columns and give that many fields on
    at least half of the sample lines, or of its records (quoted cells may hold line
    breaks: a ticket of ten lines is one record); so a one-column file whose answers
    hold commas stays one column.
    """
    header, rest = sample[0], [line for line in sample[1:] if line]
    best, best_score = None, 0.5
    for delimiter in DELIMITERS:
        if delimiter not in header:
            continue
        width = len(_fields(header, delimiter))
        if width < 2:
            continue
        fits = [_width(line, delimiter) == width for line in rest]
        score = sum(fits) / len(fits) if fits else 1.0
        score = max(score, _record_fit(sample, delimiter, width))
        if score > best_score or (best is None and score == best_score):
            best, best_score = delimiter, score
    return best


def _record_fit(sample: list[str], delimiter: str, width: int) -> float:
    """The share of the sample's records after the header (the last left out: the
    sample may cut it) that have ``width`` fields, reading quoted line breaks."""
    if not any('"' in line for line in sample):
        return 0.0
    try:
        records = list(csv.reader(sample, delimiter=delimiter))[1:-1]
    except csv.Error:
        return 0.0
    records = [record for record in records if record]
    return sum(len(record) == width for record in records) / len(records) if records else 0.0


def _width(line: str, delimiter: str) -> int:
    try:
        return len(_fields(line, delimiter))
    except csv.Error:  # a stray carriage return: that line does not fit
        return -1


def _next_record(lines: _LineSource, delimiter: str | None, width: int | None):
    """``(fields, problem, warning)`` of the next record, or None at the end.

    ``width`` is the header's number of columns (None while reading the header).
    A multi-column file skips blank lines; in a one-column file they are blank rows.
    """
    while True:
        line = lines.next()
        if line is None:
            return None
        number, text, warning = line
        if text or delimiter is None:
            break
    if '"' not in text:
        fields = text.split(delimiter) if delimiter else [text]
        problem = None
    else:
        fields, problem, warning = _quoted_record(lines, line, delimiter, width)
    if width is not None:
        fields, extra = _fit_width(fields, width, delimiter)
        problem = problem or extra
    return fields, problem, warning


def _quoted_record(lines: _LineSource, first, delimiter: str | None, width: int | None):
    """Parse a line with quotes, taking more lines while a quoted field is open.

    A quote that is never closed, or closed in a way that is not CSV (text right
    after the closing quote), or a multi-line record of the wrong width is broken
    quoting: the first line is read as it stands and the lines after it are read
    again as rows of their own.
    """
    number, text, warning = first
    taken: list = []
    while True:
        try:
            fields = _fields(text, delimiter, strict=True)
        except csv.Error as exc:
            if "unexpected end of data" not in str(exc):
                break
            before = len(taken)
            if not _take_until_quote(lines, taken):
                break
            text = "\n".join([text, *(line for _, line, _ in taken[before:])])
            continue
        if not taken or width is None or len(fields) == width or delimiter is None:
            return fields, None, _joined(warning, *(w for _, _, w in taken))
        break
    lines.push_back(taken)
    plain = first[1].split(delimiter) if delimiter else [first[1]]
    if delimiter is None:
        # One column: the line is the answer, quotes and all; nothing is mis-split.
        return plain, None, _joined(warning, f"line {number}: unbalanced quotes, read as is")
    return (
        plain,
        f"broken quoting: a quote in line {number} is not closed as CSV expects; "
        "the line was read as it stands, without quote processing",
        warning,
    )


def _take_until_quote(lines: _LineSource, taken: list) -> bool:
    """Take lines into ``taken`` up to one holding a quote; False at the end or limit."""
    while len(taken) < MAX_RECORD_LINES:
        line = lines.next()
        if line is None:
            return False
        taken.append(line)
        if '"' in line[1]:
            return True
    return False


def _fit_width(
    fields: list[str], width: int, delimiter: str | None
) -> tuple[list[str], str | None]:
    """Pad a short row with empty cells; keep a long one whole, with a problem."""
    while len(fields) > width and fields[-1] == "":
        fields = fields[:-1]  # trailing delimiters hold nothing
    if len(fields) <= width:
        return fields + [""] * (width - len(fields)), None
    extra = len(fields) - width
    # Nothing is dropped: the extra fields stay in the last column, delimiters and all.
    kept = fields[: width - 1] + [(delimiter or "").join(fields[width - 1 :])]
    return kept, (
        f"the row has {len(fields)} fields where the header has {width}; "
        f"the last {extra + 1} were kept together in the last column"
    )


def _jsonl_tables(lines: _LineSource, chunk_rows: int) -> Iterator[Table]:
    """JSON Lines, record by record. A line that is not JSON is a row of its own with a
    problem (status ``error``), as a CSV row with broken quoting is; a file whose first
    record is not JSON is not JSON Lines (E102)."""
    records: list[dict] = []
    problems: list[str | None] = []
    warnings: list[str | None] = []
    yielded = seen = False
    layout: dict = {}  # the nested keys and columns of the chunks read so far

    def table() -> Table:
        # A line a page of an API's answer (Steam's reviews, 100 a page, in "reviews"):
        # its nested records are the rows, as in a JSON file holding the pages in an
        # array (300 reviews had been 3 rows, the pages' summary read as the text).
        if records and not any(problems):
            rows, notes = _inner_records(records, "records")
            if rows is not records:
                said = [] if layout.get("inner_said") else notes
                layout["inner_said"] = True
                return Table(_records_frame(rows, layout), notes=said)
        return Table(
            _records_frame(records, layout),
            problems if any(problems) else None,
            warnings if any(warnings) else None,
        )

    for number, text, warning in iter(lines.next, None):
        if not text.strip():
            continue
        try:
            item = json.loads(text)
            problem = None
        except json.JSONDecodeError as exc:
            reason = f"line {number} is not JSON ({exc.msg}: column {exc.colno})"
            if not seen:
                raise UnreadableInput(f"cannot read {lines.path.name}: {reason}") from exc
            item, problem = {}, reason
        if isinstance(item, str):
            item = {"text": item}  # a file of one JSON string per line: the comments
        elif problem is None and not isinstance(item, dict):
            problem = f"line {number} is JSON but not a record or a text ({json.dumps(item)[:40]})"
            item = {}
        seen = True
        records.append(item)
        problems.append(problem)
        warnings.append(warning)
        if len(records) >= chunk_rows:
            yield table()
            yielded = True
            records, problems, warnings = [], [], []
    if records or not yielded:
        yield table()


def _records_frame(records: list, layout: dict | None = None) -> pd.DataFrame:
    """JSON records as a frame of object columns: values keep their JSON types in every
    chunk (an integer column with a null stays integers). ``layout`` (filled here)
    carries the nested keys and the columns of earlier chunks of the same file, so a
    later chunk has every column an earlier one had (null where its records lack it)."""
    layout = {} if layout is None else layout
    records = _flattened(records, layout.setdefault("nested", set()))
    seen = layout.setdefault("columns", [])
    columns = list(dict.fromkeys([*seen, *(key for record in records for key in record)]))
    seen[:] = columns
    return pd.DataFrame(
        {c: pd.Series([_cell(r.get(c)) for r in records], dtype=object) for c in columns},
        index=range(len(records)),
    )


_INT64 = (-(2**63), 2**63 - 1)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _cell(value):
    """A JSON value as a cell every later stage can hold: a text cut inside an emoji (a
    lone surrogate, "\\ud83d") with U+FFFD in its place, a whole number too large for 64
    bits as its digits (either had failed the save after the whole fit)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _SURROGATE.sub("\ufffd", value)
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value if _INT64[0] <= value <= _INT64[1] else str(value)
    return value


# Nested JSON objects (an Intercom conversation's "source": {"body": ...}) are read as
# columns named with dots ("source.body"), this many levels deep, when every value of
# the key is an object; lists, and a key whose values mix objects and text, stay as
# they are.
MAX_NESTING = 4


def _flattened(records: list[dict], nested: set[str] | None = None) -> list[dict]:
    """``records`` with their nested objects as dotted keys (see :data:`MAX_NESTING`).

    ``nested`` (filled here): the keys flattened so far, by an earlier chunk of the same
    file; they are flattened in this one too, whatever its values, so every chunk of a
    JSON Lines file has the same columns for the same keys."""
    nested = set() if nested is None else nested
    for _ in range(MAX_NESTING):
        values: dict[str, list] = {}
        for record in records:
            for key, value in record.items():
                if value is not None:
                    values.setdefault(key, []).append(value)
        found = {
            key
            for key, seen in values.items()
            if all(isinstance(v, dict) for v in seen) and any(seen)
        }
        present = {key for record in records for key in record}
        here = (present & nested) | found
        if not here:
            break
        nested |= found
        flat = []
        for record in records:
            out: dict = {}
            for key, value in record.items():
                if key in here and (value is None or isinstance(value, dict)):
                    out.update({f"{key}.{sub}": v for sub, v in (value or {}).items()})
                else:
                    out[key] = value
            flat.append(out)
        records = flat
    return records


def _parquet_tables(path: Path, chunk_rows: int) -> Iterator[Table]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    yielded = False
    for batch in parquet.iter_batches(batch_size=min(chunk_rows, 1 << 30)):
        yield Table(batch.to_pandas())
        yielded = True
    if not yielded:
        yield Table(parquet.schema_arrow.empty_table().to_pandas())


# A workbook's first sheet is read unless it holds fewer rows than this and another
# sheet many times more (a summary sheet before the responses had been read as the
# feedback: "Read 2 rows", one theme named "Responses").
SUMMARY_SHEET_ROWS = 20
# How far down a sheet its header is looked for when a title stands above it.
HEADER_SEARCH_ROWS = 30
# The first cell of a totals row that hand-kept sheets end with ("Total | | 4.1 | 220");
# not "Average" or "Overall", a rating word or a one-word comment a last row can hold.
_TOTALS = re.compile(r"(?i)(?:grand\s+|sub\s?)?(?:total|totals|sum):?")


def _read_excel(path: Path, sheet: str | None) -> tuple[pd.DataFrame, list[str]]:
    """The sheet (``sheet``, else the first, or the data sheet after a short summary
    sheet) read under its header row (below a title when one stands above it), without
    a totals row closing it; what was chosen or left out is said in the notes."""
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:
        raise UnreadableInput(f"cannot read {path.name} as Excel: {_first_line(exc)}") from exc
    notes: list[str] = []
    if sheet is None:
        target = book.sheet_names[0]
        if len(book.sheet_names) > 1:
            target, note = data_sheet(book)
            notes.append(note)
    elif sheet in book.sheet_names:
        target = sheet
    else:
        raise ColumnNotFound(
            f"sheet '{sheet}' not found in {path.name}; sheets are: " + ", ".join(book.sheet_names)
        )
    top = pd.read_excel(book, sheet_name=target, header=None, nrows=HEADER_SEARCH_ROWS, dtype=str)
    header = _header_row(top)
    if header:
        notes.append(
            f"sheet '{target}': the header is row {header + 1}; the {header} row"
            f"{'s' if header > 1 else ''} above it (a title) not read"
        )
    frame = pd.read_excel(book, sheet_name=target, header=header, dtype=str, keep_default_na=False)
    xml = _sheet_xml(path, target)
    filled = _fill_merged(frame, _merged_ranges(xml), header)
    if filled:
        notes.append(
            f"sheet '{target}': {schema.counted(filled, 'merged cell')} read with the value "
            "shown across them"
        )
    notes.extend(_unsaved_formulas(xml, frame, target, header))
    return _without_totals(frame, notes), notes


_CELL = rb"([A-Z]{1,3})(\d+)"
_MERGED = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="' + _CELL + rb":" + _CELL + rb'"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="' + _CELL)
_SHEET_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _sheet_xml(path: Path, sheet: str) -> bytes | None:
    """The XML of ``sheet`` in the workbook, None when the workbook does not say where
    it is (a file not as Excel writes it)."""
    import xml.etree.ElementTree as ET

    try:
        with zipfile.ZipFile(path) as archive:
            book = ET.fromstring(archive.read("xl/workbook.xml"))
            rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            rid = next(
                (
                    item.get(f"{{{_OFFICE_RELS}}}id")
                    for item in book.iter(f"{{{_SHEET_MAIN}}}sheet")
                    if item.get("name") == sheet
                ),
                None,
            )
            target = next((r.get("Target") for r in rels if rid and r.get("Id") == rid), None)
            if not target:
                return None
            name = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return archive.read(name)
    except (KeyError, OSError, zipfile.BadZipFile, ET.ParseError):
        return None


def _merged_ranges(xml: bytes | None) -> tuple[list[tuple[int, int, int, int]], int, int]:
    """The merged ranges of a sheet's XML as (first row, first column, last row, last
    column), 0-based, and the row and column its cells start at; none without the XML."""
    if xml is None:
        return [], 0, 0
    start = _DIMENSION.search(xml)
    row0, col0 = (int(start.group(2)) - 1, _column(start.group(1))) if start else (0, 0)
    ranges = [
        (int(m.group(2)) - 1, _column(m.group(1)), int(m.group(4)) - 1, _column(m.group(3)))
        for m in _MERGED.finditer(xml)
    ]
    return ranges, row0, col0


# A formula cell with no saved result: a workbook written by a program and never
# opened and saved in Excel holds the formula alone, which reads as a blank.
_UNSAVED_FORMULA = re.compile(
    rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]{1,3})(\d+)"[^>]*>\s*'
    rb"<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?"
    rb"\s*</(?:\w+:)?c>"
)


def _unsaved_formulas(xml: bytes | None, frame: pd.DataFrame, sheet: str, header: int) -> list[str]:
    """A note naming the columns whose formula cells hold no saved result and were read
    as blanks (a comment built by =A2&" "&B2 in a generated workbook), none else."""
    if xml is None:
        return []
    _, row0, col0 = _merged_ranges(xml)
    first_data = row0 + header + 1
    by_column: Counter[str] = Counter()
    for match in _UNSAVED_FORMULA.finditer(xml):
        row, column = int(match.group(2)) - 1, _column(match.group(1)) - col0
        if row >= first_data and 0 <= column < len(frame.columns):
            by_column[str(frame.columns[column])] += 1
    if not by_column:
        return []
    cells = ", ".join(f"'{name}' {count:,}" for name, count in by_column.most_common())
    return [
        f"sheet '{sheet}': {schema.counted(by_column.total(), 'formula cell')} hold no saved "
        f"result and read as blank ({cells}); open the file in Excel and save it, or export "
        "it as CSV, to read their values"
    ]


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters.decode("ascii"):
        number = number * 26 + ord(letter) - ord("A") + 1
    return number - 1


def _fill_merged(frame: pd.DataFrame, merged, header: int) -> int:
    """Give every cell of a merged range of the data the value Excel shows across it
    (its first cell's: a hand-kept tracker's Region merged over each block of rows had
    been read as blanks, and no segment). Returns the cells filled. A range whose first
    cell holds no value there, or whose other cells do, is left as read."""
    ranges, row0, col0 = merged
    filled = 0
    first_data = row0 + header + 1  # the sheet row of the frame's first row
    for top, left, bottom, right in ranges:
        rows = range(top - first_data, bottom - first_data + 1)
        columns = range(left - col0, right - col0 + 1)
        if rows.start < 0 or rows.stop > len(frame):
            continue
        if columns.start < 0 or columns.stop > frame.shape[1]:
            continue
        block = frame.iloc[rows.start : rows.stop, columns.start : columns.stop]
        value = block.iat[0, 0]
        others = block.to_numpy().ravel()[1:]
        if not str(value).strip() or any(str(v).strip() for v in others):
            continue
        frame.iloc[rows.start : rows.stop, columns.start : columns.stop] = value
        filled += len(others)
    return filled


def data_sheet(book: pd.ExcelFile) -> tuple[str, str]:
    """The sheet to read when none is named: the first, unless it holds fewer than
    :data:`SUMMARY_SHEET_ROWS` rows and another five times more whose cells hold longer
    text (the largest such: a summary's "Responses | 220" before the comments, not a
    short sheet of comments before a product list); and the note naming the sheets."""
    rows, words = {}, {}
    for name in book.sheet_names:
        sheet = pd.read_excel(book, sheet_name=name, header=None, dtype=str)
        rows[name] = int(sheet.notna().any(axis=1).sum())
        words[name] = _longest_text(sheet)
    first = book.sheet_names[0]
    richer = [n for n in book.sheet_names if words[n] > words[first]]
    largest = max(richer, key=lambda name: rows[name], default=first)
    target = first
    if rows[first] < SUMMARY_SHEET_ROWS and rows[largest] >= 5 * max(rows[first], 1):
        target = largest
    listed = ", ".join(f"'{name}' ({rows[name]:,} rows)" for name in book.sheet_names)
    return target, f"sheets {listed}: read '{target}' (--sheet reads another)"


def _longest_text(sheet: pd.DataFrame) -> float:
    """The mean words per filled cell of the sheet's wordiest column."""
    best = 0.0
    for column in sheet.columns:
        cells = sheet[column].dropna().astype(str).str.strip()
        cells = cells[cells != ""]
        if len(cells):
            best = max(best, float(cells.str.split().str.len().mean()))
    return best


def _header_row(top: pd.DataFrame) -> int:
    """The row of ``top`` (a sheet's first rows, no header) that is the header: 0,
    unless the first row fills under half the widest row's cells (a title) and a later
    row fills most of them with distinct words, none a number."""
    filled = _filled_cells(top)
    counts = filled.sum(axis=1).to_numpy()
    if not len(counts) or counts.max() < 2 or counts[0] * 2 >= counts.max():
        return 0
    for row in range(1, len(counts)):
        if counts[row] < 0.8 * counts.max():
            continue
        cells = [str(v).strip() for v in top.iloc[row][filled.iloc[row]]]
        words = all(not _NUMBER_CELL.fullmatch(c) for c in cells)
        if words and len(set(cells)) == len(cells):
            return row
        return 0  # the first full row is data: no header found below a title
    return 0


def _filled_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Whether each cell of a sheet holds more than blanks."""
    return frame.astype("string").apply(lambda c: c.str.strip()).fillna("") != ""


_NUMBER_CELL = re.compile(r"[-+]?[\d.,\s%$€£]+|\d{4}-\d{2}-\d{2}.*")


def _without_totals(frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """``frame`` without a totals row closing it: its last filled row, whose first
    filled cell is "Total", "Grand total", "Subtotal" or "Sum" alone (said in
    ``notes``)."""
    filled = _filled_cells(frame)
    rows = np.flatnonzero(filled.any(axis=1).to_numpy())[-1:]
    for row in rows.tolist():
        first = frame.iloc[row][filled.iloc[row]].astype(str).str.strip()
        if len(first) and _TOTALS.fullmatch(first.iloc[0]):
            notes.append(f"a totals row closing the sheet left out ('{first.iloc[0]}' ...)")
            return frame.drop(index=frame.index[row])
    return frame


# A Slack export, its folder or its .zip as Slack delivers it: a folder per channel of
# one JSON file per day, each a list of messages (had been "a folder; give a file").
_SLACK_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\.json")


def _slack_day_names(path: Path) -> list[str]:
    """The day files of a Slack export at ``path`` ("general/2026-06-01.json"), sorted;
    empty when ``path`` is none."""
    if path.is_dir():
        files = (f for f in path.glob("*/*.json") if _SLACK_DAY.fullmatch(f.name))
        return sorted(f"{f.parent.name}/{f.name}" for f in files)
    if path.suffix.lower() == ".zip" and path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [n.split("/")[-2:] for n in archive.namelist() if n.count("/") >= 1]
        return sorted("/".join(n) for n in names if _SLACK_DAY.fullmatch(n[-1]) and n[0])
    return []


def _read_slack(path: Path) -> Table:
    """A Slack export's messages, oldest channel file first, each with its ``channel``."""
    names = _slack_day_names(path)
    archive = zipfile.ZipFile(path) if path.is_file() else None
    members = {"/".join(m.split("/")[-2:]): m for m in archive.namelist()} if archive else {}
    records, unread = [], []
    try:
        for name in names:
            data = archive.read(members[name]) if archive else (path / name).read_bytes()
            try:
                messages = json.loads(data.decode("utf-8", errors="replace"))
            except ValueError:
                messages = None
            if not isinstance(messages, list):  # empty, cut short, or no messages
                unread.append(name)
                continue
            channel = name.split("/")[0]
            for message in messages:
                if isinstance(message, dict):
                    records.append({**message, "channel": channel})
    finally:
        if archive is not None:
            archive.close()
    channels = len({name.split("/")[0] for name in names})
    notes = [
        f"A Slack export: {len(records):,} messages of {channels:,} channels "
        f"({len(names):,} day files), each with its channel"
    ]
    if unread:
        notes.append(
            f"{schema.counted(len(unread), 'day file')} not read (not a list of messages): "
            + ", ".join(unread[:5])
            + (", ..." if len(unread) > 5 else "")
        )
    return Table(_records_frame(records), notes=notes)


def _read_json(path: Path) -> tuple[pd.DataFrame, list[str]]:
    # Decoded line by line too: one stray byte does not garble the rest.
    text = "\n".join(line for _, line, _ in iter(_LineSource(path).next, None))
    data = json.loads(text)
    container = "parent"
    if isinstance(data, dict):
        lists = [(k, v) for k, v in data.items() if isinstance(v, list)]
        if len(lists) != 1:
            raise UnreadableInput(
                f"cannot read {path.name}: expected an array of records "
                "(or an object holding one array)"
            )
        container, data = lists[0]
    if not isinstance(data, list):
        raise UnreadableInput(f"cannot read {path.name}: expected an array of records")
    records = [item if isinstance(item, dict) else {"text": item} for item in data]
    rows, notes = _inner_records(records, str(container))
    return _records_frame(rows), notes


def _text_size(value) -> int:
    """Characters of text in a JSON value (records and lists included)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_text_size(v) for v in value.values())
    if isinstance(value, list):
        return sum(_text_size(v) for v in value)
    return 0


def _inner_path(record: dict) -> tuple[str, ...] | None:
    """The key path (one or two keys deep) of the list of records in ``record`` that
    holds the most text (an Intercom conversation's ``contacts.contacts`` come before
    its ``conversation_parts.conversation_parts``, which hold the messages)."""
    found: list[tuple[int, tuple[str, ...]]] = []
    for key, value in record.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            found.append((_text_size(value), (key,)))
        if isinstance(value, dict):
            for inner, deeper in value.items():
                if isinstance(deeper, list) and deeper and isinstance(deeper[0], dict):
                    found.append((_text_size(deeper), (key, inner)))
    # The first of the wordiest (max keeps the first of equals).
    return max(found, key=lambda pair: pair[0])[1] if found else None


def _opening_message(record: dict, path: tuple[str, ...], items: list) -> dict | None:
    """A conversation's first message when the parent keeps it apart from the rest (an
    Intercom conversation's ``source``: its body and author, the replies in
    ``conversation_parts``), as one more record with the keys the replies use; else
    None."""
    keys = {k for item in items if isinstance(item, dict) for k, v in item.items()}
    for name, value in record.items():
        if name == path[0] or not isinstance(value, dict):
            continue
        shared = [k for k, v in value.items() if k in keys and isinstance(v, str) and v.strip()]
        if "body" in shared or "text" in shared or "message" in shared:
            message = _flat(value)
            for key in keys - set(message):  # its date as the conversation's
                if key in record and not isinstance(record[key], (dict, list)):
                    message[key] = record[key]
            return message
    return None


def _flat(record: dict) -> dict:
    """``record`` with its nested records' values as dotted keys (``author.type``)."""
    flat = {}
    for key, value in record.items():
        if isinstance(value, dict):
            flat |= {f"{key}.{k}": v for k, v in _flat(value).items()}
        elif not isinstance(value, list):
            flat[key] = value
    return flat


# A parent record whose wordiest field runs to this many words on average (a ticket's
# description) is the feedback itself; a topic's title is shorter.
INNER_PARENT_WORDS = 15


def _longest_words(records: list[dict]) -> float:
    """The mean words of the parent records' wordiest text field."""
    words: dict[str, list[int]] = {}
    for record in records[:200]:
        for key, value in record.items():
            if isinstance(value, str):
                words.setdefault(key, []).append(len(value.split()))
    return max((sum(w) / len(records[:200]) for w in words.values()), default=0.0)


def _inner_records(records: list[dict], container: str) -> tuple[list[dict], list[str]]:
    """``records``, or the records nested in them when those hold most of the text: a
    forum export's topics, each with its posts in ``post_stream.posts``, are read as the
    posts (each with its topic's fields as ``topic.title`` ...), where the 230 topic
    titles had been read and the 818 posts left unsaid. Said in the notes."""
    paths = [_inner_path(r) for r in records[:200]]
    found = [p for p in paths if p]
    if not found or len(found) < len(paths) / 2:
        return records, []
    path = max(set(found), key=found.count)

    def inner(record):
        value = record
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return value if isinstance(value, list) else []

    prefix = container[:-1] if container.endswith("s") and len(container) > 3 else container
    # A forum's threads: each comment and reply is someone's words, however long the post.
    forum = _forum_rows(records, path, inner, prefix)
    if forum is not None:
        return forum
    nested = sum(_text_size(inner(r)) for r in records)
    if nested <= _text_size(records) - nested:
        return records, []
    # Posts under topics, not a message's rich-text blocks (one per message, Slack's) nor
    # a ticket's comments under its own description (the ticket is the feedback).
    if sum(len(inner(r)) for r in records) < 1.5 * len(records):
        return records, []
    if _longest_words(records) >= INNER_PARENT_WORDS:
        # Said: a Zendesk export's 3,820 comments had been left out unsaid.
        count = sum(len(inner(r)) for r in records)
        return records, [
            f"the {count:,} records nested in '{'.'.join(path)}' are not read: each record's "
            "own text is its row (a ticket's description beside its comments); to read "
            "them, export one row per message"
        ]
    # Each record's messages, and its first one when it keeps it apart (Intercom's source).
    threads = [(inner(r), _opening_message(r, path, inner(r))) for r in records]
    conversations = _conversation_rows(records, path, threads, prefix)
    if conversations is not None:
        return conversations
    rows = []
    openings = 0
    for record, (items, opening) in zip(records, threads, strict=True):
        # Not its records' values: a conversation's rating would be counted once a
        # message.
        parent = {
            f"{prefix}.{k}": v
            for k, v in record.items()
            if k != path[0] and not isinstance(v, (dict, list))
        }
        # The post's own fields first: its date and author are the ones detected, not
        # its topic's (73 of 784 posts had been dated by their topic).
        if opening is not None:  # a chat's first message, kept apart (Intercom's source)
            rows.append({**opening, **parent})
            openings += 1
        rows += [{**item, **parent} for item in items if isinstance(item, dict)]
    if not rows:
        return records, []
    where = ".".join(path)
    first = (
        f" (and each {prefix}'s first message, kept apart from them: {openings:,})"
        if openings
        else ""
    )
    parents = container if container.endswith("s") else f"{container} records"
    return rows, [
        f"read the {len(rows) - openings:,} records nested in '{where}' of its {len(records):,} "
        f"{parents}{first}, each with its {prefix}'s fields ('{prefix}.…'): they hold "
        "most of the file's text"
    ]


# A forum's comment holds its replies under one of these keys (Reddit's "replies").
_REPLIES = ("replies", "children", "responses")


def _forum_rows(records, path, inner, prefix) -> tuple[list[dict], list[str]] | None:
    """A forum's threads (Reddit's post with its ``comments``, each with its ``replies``):
    the post and every comment and reply one row each, the thread's fields beside them
    (``post.title`` ...), each one's text under the comments' text key; None when the
    nested records hold no replies of their own (a ticket's comments). The 60 posts of a
    helper's subreddit export had been read and its 785 comments and replies left out."""

    def walk(items):
        for item in items:
            if isinstance(item, dict):
                yield item
                for key in _REPLIES:
                    if isinstance(item.get(key), list):
                        yield from walk(item[key])

    sample = [item for r in records[:200] for item in inner(r)[:20] if isinstance(item, dict)]
    comment_key = _wordiest_key(sample)
    post_key = _wordiest_key(records[:200])
    if not sample or comment_key is None or post_key is None:
        return None
    threaded = any(isinstance(i.get(k), list) for i in sample for k in _REPLIES)
    # A shop's questions with their answers: the question is a customer's words too (a
    # Q&A export had been read as its answers, the questions a repeated parent field,
    # those without a customer's answer dropped unsaid).
    asked = [str(r.get(post_key) or "").strip() for r in records[:200]]
    questions = sum(text.endswith("?") for text in asked) >= 0.6 * max(len(asked), 1)
    if not threaded and not questions:
        return None
    rows, comments = [], 0
    prefix = "post" if prefix == "parent" else prefix  # a file that is a list of posts
    for record in records:
        # Not the post's own text beside each comment: it is the post's row.
        parent = {
            f"{prefix}.{k}": v
            for k, v in record.items()
            if k not in (path[0], post_key) and not isinstance(v, (dict, list))
        }
        post = {k: v for k, v in record.items() if k not in (path[0], post_key)}
        rows.append({**post, comment_key: record.get(post_key), **parent})
        for item in walk(inner(record)):
            rows.append({**{k: v for k, v in item.items() if k not in _REPLIES}, **parent})
            comments += 1
    return rows, [
        f"read the {len(records):,} {prefix}s of the file and the {comments:,} comments and "
        f"replies nested in '{'.'.join(path)}', each a row with its {prefix}'s fields "
        f"('{prefix}.…'; the {prefix}'s own text in '{comment_key}' too)"
    ]


def _wordiest_key(records: list[dict]) -> str | None:
    """The text field with the most words over ``records``."""
    words: Counter[str] = Counter()
    for record in records:
        for key, value in record.items():
            if isinstance(value, str):
                words[key] += len(value.split())
    return max(words, key=words.get) if words else None


def _conversation_rows(records, path, threads, prefix) -> tuple[list[dict], list[str]] | None:
    """A chat tool's conversations, each with its messages nested (Intercom's
    ``conversation_parts``, its first message in ``source``), whose messages come from
    both sides (an author's type names a customer and an admin or a bot): each
    conversation one row, its customer's messages joined in order, the company's left
    out (:func:`_staff_messages`), with the conversation's own fields (its rating a
    score, its date) and its customer's. Read a message a row, "still not working" and
    "it times out" had lost what they were about and made a theme of their own. None when
    the messages are not a conversation of both sides (a forum's posts). ``threads``:
    each record's nested messages and its first message kept apart (or None)."""
    threads = [
        ([opening] if opening is not None else [])
        + [_flat(item) for item in items if isinstance(item, dict)]
        for items, opening in threads
    ]
    every = [message for thread in threads for message in thread]
    if not every:
        return None
    frame = pd.DataFrame(every)
    key = next((k for k in ("body", "text", "message") if k in frame.columns), None)
    staff, why = _staff_messages(frame)
    if key is None or staff is None:
        return None
    staff = staff.to_numpy()
    rows, position, kept = [], 0, 0
    for record, thread in zip(records, threads, strict=True):
        mine = [m for m, theirs in zip(thread, staff[position:], strict=False) if not theirs]
        position += len(thread)
        kept += len(mine)
        said = [m[key].strip() for m in mine if isinstance(m.get(key), str) and m[key].strip()]
        said = [text for text in said if not says_nothing(text)] or said[:1]  # "ok thanks"
        row = _flat({k: v for k, v in record.items() if k != path[0] and k != "source"})
        author = {k: v for k, v in (mine[0] if mine else {}).items() if k.startswith("author.")}
        rows.append({**row, **author, key: "\n".join(said)})
    noun = "record" if prefix == "parent" else prefix
    return rows, [
        f"read each of the {len(records):,} {noun}s as one comment: its customer's "
        f"{kept:,} messages joined in order, the company's {int(staff.sum()):,} left out "
        f"(agents', bots' and internal notes: {why})"
    ]


# Survey tools' exports. Qualtrics writes two more header rows under the column ids: the
# question texts, then {"ImportId":"QID2_TEXT"} cells; SurveyMonkey one, naming each
# column's answer ("Response", "Open-Ended Response", or a choice of a question whose
# choices take a column each, their header cells blank).
_IMPORT_ID = re.compile(r'^\s*\{\s*"ImportId"\s*:')
_ANSWER_HEADER = {"response", "open-ended response"}
# Qualtrics' own columns and the titles its question-text row gives them: an export
# without its import-id row (older or "legacy" exports) is known by them.
_QUALTRICS_TITLES = {
    "startdate": "start date",
    "enddate": "end date",
    "status": "response type",
    "ipaddress": "ip address",
    "recordeddate": "recorded date",
    "responseid": "response id",
    "distributionchannel": "distribution channel",
    "userlanguage": "user language",
    "externalreference": "external data reference",
    "locationlatitude": "location latitude",
    "locationlongitude": "location longitude",
}
# A share of a header row's filled cells that must be import ids.
_HEADER_ROW_SHARE = 0.3
# Qualtrics' Status of a response nobody gave ("Survey Preview", "Survey Test", "Spam").
_NOT_A_RESPONSE = {"survey preview", "survey test", "spam"}
# Its Status codes ("Use numeric values"): 1 preview, 2 test, 8 spam, 9 preview spam,
# 12 imported spam, 17 offline preview.
_STATUS_CODES = {
    "1": "survey preview",
    "2": "survey test",
    "8": "spam",
    "9": "spam",
    "12": "spam",
    "17": "survey preview",
}


def _as_answers(tables: Iterator[Table], chunk_rows: int | None = None) -> Iterator[Table]:
    """``tables`` with a survey tool's extra header rows read as the header and its
    preview and test responses left out, each said in the first table's notes; a
    repeated column name is said too; a chat export's bot and system messages left out,
    said once (``chunk_rows``: the chunks' size, to say that later ones may hold more)."""
    renamed: dict[str, str] = {}
    qualtrics = machines_said = staff_said = False
    for number, table in enumerate(_first_rows_together(tables, _HEADER_ROWS + 1)):
        keep = np.ones(len(table.frame), dtype=bool)
        notes = []
        if number == 0:
            header_rows, renamed, notes, tool = _tool_header(table.frame)
            qualtrics = tool == "Qualtrics"
            keep[header_rows] = False
            notes += _repeated_names(table.frame.columns)
        frame = table.frame.rename(columns=renamed) if renamed else table.frame
        responses = _responses(frame, qualtrics)
        if responses is not None:
            left_out = ~responses & keep
            status = frame.loc[left_out, "Status"].astype(str).replace(_STATUS_CODES)
            status = status.str.title().value_counts()
            what = ", ".join(f"{n} '{value}'" for value, n in status.items())
            notes.append(
                f"{schema.counted(int(left_out.sum()), 'row')} left out: the survey tool's "
                f"previews, tests or spam, not responses (Status {what})"
            )
            keep &= responses
        headers = _repeated_headers(frame)
        if headers.any() and (headers & keep).any():
            notes.append(
                f"{schema.counted(int((headers & keep).sum()), 'row')} left out: the header "
                "again (files joined one after another, each with its header)"
            )
            keep &= ~headers
        machine, why = _machine_messages(frame)
        if machine is not None and (machine & keep).any():
            if not machines_said:  # once: a streamed file's every chunk had said it
                later = "; later chunks' are left out too" if len(frame) == chunk_rows else ""
                notes.append(
                    f"{schema.counted(int((machine & keep).sum()), 'row')} left out: bot or "
                    f"system messages, not people's words ({why}){later}"
                )
                machines_said = True
            keep &= ~machine
        staff, why = _staff_messages(frame)
        if staff is not None and (staff & keep).any():
            if not staff_said:
                later = "; later chunks' are left out too" if len(frame) == chunk_rows else ""
                notes.append(
                    f"{schema.counted(int((staff & keep).sum()), 'row')} left out: the "
                    f"company's side of the conversation, agents' and bots' replies, "
                    f"interviewers' questions and internal notes, not the customers' words "
                    f"({why}){later}"
                )
                staff_said = True
            keep &= ~staff
        table = Table(frame, table.problems, table.warnings, table.notes + notes)
        yield table if keep.all() else _rows_of(table, keep)


def _without_values(
    tables: Iterator[Table], leave_out: Mapping[str, Sequence[str]], chunk_rows: int | None
) -> Iterator[Table]:
    """``tables`` without the rows whose column holds a value of ``leave_out`` (a team's
    own staff, test accounts: ``--leave-out plan=Internal``), said with the first table
    that has columns."""
    said = False
    for table in tables:
        frame = table.frame
        if not len(frame.columns):
            yield table
            continue
        keep = np.ones(len(frame), dtype=bool)
        counts = []
        for name, values in leave_out.items():
            column = check_column(frame, name, "--leave-out")
            wanted = {" ".join(str(v).split()).casefold() for v in values}
            cells = frame[column].map(lambda v: " ".join(_as_text(v).split()).casefold())
            hit = cells.isin(wanted).to_numpy() & keep
            counts.append(f"{column}={','.join(values)} {int(hit.sum()):,}")
            if not said and not hit.any():  # a value mistyped leaves out nothing: say so
                held = frame[column].map(_as_text).str.strip()
                common = held[held != ""].value_counts().head(5).index.tolist()
                counts[-1] += f": no row holds it (its values include {', '.join(common)})"
            keep &= ~hit
        notes = []
        if not said:
            later = "; later chunks' too" if len(frame) == chunk_rows else ""
            notes.append(
                f"{schema.counted(int((~keep).sum()), 'row')} left out as asked "
                f"(--leave-out {'; '.join(counts)}){later}"
            )
            said = True
        table = Table(frame, table.problems, table.warnings, table.notes + notes)
        yield table if keep.all() else _rows_of(table, keep)


_HEADER_ROWS = 2  # the most rows a survey tool writes under the header


def _first_rows_together(tables: Iterator[Table], rows: int) -> Iterator[Table]:
    """``tables`` with the first ones joined until they hold ``rows`` rows: a survey
    tool's header rows are found in the first chunk, however small the chunks."""
    first: list[Table] = []
    for table in tables:
        if first is None:
            yield table
            continue
        first.append(table)
        if sum(len(t.frame) for t in first) >= rows:
            yield _joined_tables(first)
            first = None
    if first:
        yield _joined_tables(first)


def _joined_tables(tables: list[Table]) -> Table:
    if len(tables) == 1:
        return tables[0]

    def notes(name: str) -> list[str | None] | None:
        if not any(getattr(t, name) for t in tables):
            return None
        return [x for t in tables for x in getattr(t, name) or [None] * len(t.frame)]

    frame = pd.concat([t.frame for t in tables], ignore_index=True)
    said = list(dict.fromkeys(note for t in tables for note in t.notes))
    return Table(frame, notes("problems"), notes("warnings"), said)


def _rows_of(table: Table, keep: np.ndarray) -> Table:
    """``table`` with the rows ``keep`` marks."""
    picked = [i for i, kept in enumerate(keep) if kept]

    def pick(values):
        return None if values is None else [values[i] for i in picked] or None

    return Table(table.frame[keep], pick(table.problems), pick(table.warnings), table.notes)


def _tool_header(frame: pd.DataFrame) -> tuple[list[int], dict[str, str], list[str], str]:
    """The positions of a survey tool's extra header rows in the first chunk, the new
    name of each column renamed, what was done, and the tool ("" when none)."""
    head = frame.head(2).map(lambda value: value if isinstance(value, str) else "")
    rows, tool, titles = [], "", {}
    for index in range(len(head)):
        cells = head.iloc[index].str.strip()
        cells = cells[cells != ""]
        if not len(cells):
            continue
        # Qualtrics' question row, then its import-id row; or the question row alone,
        # without import ids under it (an older export).
        ids = _import_ids(head.iloc[index:])
        if ids or index == 0 and _qualtrics_titles(head.iloc[0]) and not _import_ids(head[1:]):
            rows, tool = list(range(index + 1)), "Qualtrics"
            if index == 1 or not ids:
                titles = {c: t for c, t in head.iloc[0].str.strip().items() if t and t != c}
            break
        answers = cells.str.lower().isin(_ANSWER_HEADER)
        if index == 0 and answers.any() and _answers_row(frame, head.iloc[0], answers):
            rows, tool = [0], "SurveyMonkey"
            break
    if not rows:
        return [], {}, [], ""
    frame.attrs[COLUMN_TITLES] = titles
    renamed: dict[str, str] = {}
    if tool == "SurveyMonkey":
        question = None
        for name, cell in zip(frame.columns, head.iloc[0].str.strip(), strict=True):
            if not str(name).startswith("Unnamed: "):
                question = name
            new = name
            if question is not None and cell and cell.lower() not in _ANSWER_HEADER:
                new = f"{question} - {cell}"  # a choice: the question's name and its own
            if new != name and new not in frame.columns and new not in renamed.values():
                renamed[name] = new
    what = {
        "Qualtrics": "Qualtrics: the question texts" + (" and import ids" if len(rows) > 1 else ""),
        "SurveyMonkey": "SurveyMonkey: each column's answer",
    }[tool]
    note = (
        f"The {schema.counted(len(rows), 'row')} under the header "
        f"{'are' if len(rows) > 1 else 'is'} the survey tool's ({what}), read as the "
        "header, not as answers"
    )
    if renamed:
        first = next(iter(renamed.values()))
        note += f"; {len(renamed)} columns named by their choice ('{first}', ...)"
    return rows, renamed, [note], tool


def _import_ids(rows: pd.DataFrame) -> bool:
    """Whether the first of ``rows`` is Qualtrics' row of {"ImportId": ...} cells."""
    if rows.empty:
        return False
    cells = rows.iloc[0].str.strip()
    cells = cells[cells != ""]
    return bool(len(cells)) and cells.str.match(_IMPORT_ID).mean() >= _HEADER_ROW_SHARE


def _qualtrics_titles(row: pd.Series) -> bool:
    """Whether ``row`` is Qualtrics' question-text row: two of its own columns at least
    (StartDate, ResponseId, ...) titled as it titles them ("Start Date", "Response ID")."""
    titled = [
        str(cell).strip().lower() == _QUALTRICS_TITLES[str(name).strip().lower()]
        for name, cell in row.items()
        if str(name).strip().lower() in _QUALTRICS_TITLES
    ]
    return len(titled) >= 2 and all(titled)


def _answers_row(frame: pd.DataFrame, row: pd.Series, answers: pd.Series) -> bool:
    """Whether the first row is SurveyMonkey's row of answer names: blank under its own
    first column (Respondent ID), every other filled cell a choice of a question that
    takes several columns (under a blank header, or the first of such a group), and no
    "Response" cell repeated in its column below (a ticket export's ``type`` column
    holds "Response" row after row)."""
    if row.iloc[0].strip():
        return False
    names = [str(c) for c in frame.columns]
    grouped = {
        name
        for position, name in enumerate(names)
        if name.startswith("Unnamed: ")
        or (position + 1 < len(names) and names[position + 1].startswith("Unnamed: "))
    }
    choices = row.str.strip().ne("") & ~row.str.strip().str.lower().isin(_ANSWER_HEADER)
    if not all(name in grouped for name in row.index[choices.to_numpy()]):
        return False
    below = frame.iloc[1:51]
    for column in answers.index[answers.to_numpy()]:
        said = row[column].strip().lower()
        if below[column].astype("string").str.strip().str.lower().eq(said).any():
            return False
    return True


def _renamed_copies(name: str, columns) -> list[str]:
    """The columns a header's repeated ``name`` was read as after the first (``name.1``
    ...)."""
    return [str(c) for c in columns if re.fullmatch(re.escape(name) + r"\.\d+", str(c))]


def _repeated_names(columns) -> list[str]:
    """A note per column name the header repeats (read as ``name``, ``name.1`` ...)."""
    names = [str(c) for c in columns]
    notes = []
    for name in names:
        copies = _renamed_copies(name, names)
        if copies and "." not in name[-3:]:
            notes.append(
                f"'{name}' heads {len(copies) + 1} columns: read as "
                + ", ".join(f"'{n}'" for n in [name, *copies])
            )
    return notes


# Chat exports mark the messages no person wrote: a bot's (Slack's is_bot or subtype
# bot_message, Discord's author.isBot) or the system's (a member joined, a message
# pinned). Their words had made themes of their own ("GG, you just advanced to level
# 7!" first in a report) and filled real ones (welcome posts in a login theme).
_BOT_FLAG = re.compile(r"(?:^|[._])is_?bot$|\.bot$", re.IGNORECASE)  # not a survey's "Used_Bot"
_BOT_ID = re.compile(r"^bot_id$")  # Slack's own field
_TRUE = {"true", "1", "yes", "y", "t"}
_SLACK_SYSTEM = frozenset(
    "channel_join channel_leave bot_message channel_topic channel_purpose channel_name "
    "channel_archive channel_unarchive group_join group_leave group_topic group_purpose "
    "pinned_item unpinned_item bot_add bot_remove reminder_add tombstone".split()
)
_DISCORD_SYSTEM = frozenset(
    "GuildMemberJoin ChannelPinnedMessage ThreadCreated RecipientAdd RecipientRemove "
    "ChannelNameChange ChannelIconChange GuildBoost GuildBoostTier1 GuildBoostTier2 "
    "GuildBoostTier3 ChannelFollowAdd AutoModerationAction GuildInviteReminder".split()
)


# An author column and the accounts of bots and systems, as forums and chats name them:
# Discourse's "system" and "discobot", Reddit's AutoModerator, Discord's MEE6, Carl-bot,
# Dyno and a webhook's "#0000", GitHub apps' "[bot]", any "...-bot" / "... Bot".
_AUTHOR_NAME = re.compile(
    r"(?:^|[._])(?:author|username|user_?name|user|poster|sender|from|screen_name|"
    r"author_?name|display_?name|login)$",
    re.IGNORECASE,
)
_BOT_ACCOUNTS = frozenset(
    "system automoderator discobot mee6 carl-bot dyno github dependabot renovate zapier "
    "ifttt webhook tatsu arcane probot".split()
)
# ... and a name that ends in a capital "Bot" ("DealAlertsBot", "StatusWatchBot"; not
# "Talbot", "Abbot").
_BOT_NAME = re.compile(r"\[bot\]$|(?:^|[\s_\-.])bot$|#0000$|(?-i:(?<=[a-z0-9])Bot)$", re.IGNORECASE)
_DISCRIMINATOR = re.compile(r"#\d{4}$")
# Discourse's post_type: 3 a moderator's action, 4 a small action ("closed", "pinned").
_DISCOURSE_ACTIONS = frozenset({"3", "4"})
# A bot's own footer in its message (Reddit's AutoModerator and the bots it inspired).
_BOT_FOOTER = re.compile(r"I am a bot,? and this action was performed automatically", re.IGNORECASE)


def _repeated_headers(frame: pd.DataFrame) -> pd.Series:
    """Which rows repeat the header: most of their filled cells (two or more) are their
    columns' names, as when monthly exports are joined with ``cat`` (the second file's
    header had been analysed as a review)."""
    found = pd.Series(False, index=frame.index)
    if len(frame.columns) < 2 or frame.empty:
        return found

    def folded(value) -> str:
        return value.strip().lstrip("\ufeff").casefold() if isinstance(value, str) else ""

    names = [folded(str(c)) for c in frame.columns]
    # Rows whose first or second cell is its column's name, then each of those in full.
    first = [frame.iloc[:, i].map(folded) == names[i] for i in range(2)]
    for position in np.flatnonzero((first[0] | first[1]).to_numpy()):
        cells = [folded(v) for v in frame.iloc[position].tolist()]
        same = sum(c == n and c != "" for c, n in zip(cells, names, strict=True))
        if same >= 2 and same >= 0.6 * sum(c != "" for c in cells):
            found.iloc[position] = True
    return found


def nested_values(values: pd.Series) -> bool:
    """Whether a column holds records or lists (a JSON export's ``user``, a ticket's
    ``comments``), not text or one value each (its first 50 filled cells)."""
    sample = values.dropna().head(50)
    kinds = (dict, list, tuple, set, np.ndarray)
    return bool(sample.map(lambda v: isinstance(v, kinds)).any())


def _bot_authors(values: pd.Series) -> pd.Series:
    """Which author names are a bot's or a system's account."""

    def bot(value) -> bool:
        if not isinstance(value, str):
            return False
        name = value.strip()
        plain = _DISCRIMINATOR.sub("", name).lower()
        return plain in _BOT_ACCOUNTS or bool(_BOT_NAME.search(name))

    return values.map(bot).astype(bool)


def _machine_messages(frame: pd.DataFrame) -> tuple[pd.Series | None, str]:
    """Which rows are a chat export's bot or system messages (None: none is), and what
    said so ("is_bot true 150, subtype channel_join 124")."""
    found = pd.Series(False, index=frame.index)
    why = []
    for name in frame.columns:
        values = frame[name]
        if _BOT_FLAG.search(str(name)):
            text = values.astype("string").str.strip().str.lower()
            hit = text.isin(_TRUE).fillna(False).astype(bool) & ~found
            if hit.any():
                why.append(f"{name} true {int(hit.sum()):,}")
        elif _BOT_ID.search(str(name)):  # Slack: a bot's message carries its bot_id
            hit = values.astype("string").str.strip().fillna("").ne("") & ~found
            if hit.any():
                why.append(f"{name} given {int(hit.sum()):,}")
        elif str(name).rsplit(".", 1)[-1].lower() in ("subtype", "type"):
            text = values.astype("string").str.strip()
            system = _SLACK_SYSTEM if str(name).lower().endswith("subtype") else _DISCORD_SYSTEM
            hit = text.isin(system).fillna(False).astype(bool) & ~found
            for value, n in text[hit].value_counts().items():
                why.append(f"{name} {value} {int(n):,}")
        elif _AUTHOR_NAME.search(str(name)) and not nested_values(values):
            hit = _bot_authors(values) & ~found
            for value, n in values[hit].astype(str).value_counts().head(5).items():
                why.append(f"{name} {value} {int(n):,}")
        elif str(name).rsplit(".", 1)[-1].lower() in ("post_type", "action_code"):
            text = values.astype("string").str.strip().fillna("")
            if str(name).lower().endswith("post_type"):
                hit = text.isin(_DISCOURSE_ACTIONS) & ~found
            else:
                hit = text.ne("") & ~found
            if hit.any():
                why.append(f"{name} {int(hit.sum()):,}")
        elif (values.dtype == object or pd.api.types.is_string_dtype(values)) and not nested_values(
            values
        ):
            # Cell by cell: a column may hold bytes or numbers beside its text.
            signed = values.map(lambda v: isinstance(v, str) and bool(_BOT_FOOTER.search(v)))
            hit = signed.astype(bool) & ~found
            if hit.any():
                why.append(f"'{name}' signed by a bot {int(hit.sum()):,}")
        else:
            continue
        found |= hit
    return (found, ", ".join(why)) if found.any() else (None, "")


# Whose message a row is, as help desks and chat tools export it: Intercom's
# ``author.type`` (user / admin / bot), a ``sender_type``, ``author_role``, ``role``.
_ROLE_NAME = re.compile(
    r"(?:^|[._])(?:author|sender|from|creator|speaker|actor|poster|answerer|responder|"
    r"replier|participant)[._]?(?:type|role|kind)$",
    re.IGNORECASE,
)
# A column naming a message export's author or thread: only such a file's ``public``
# / ``private`` flags mark internal notes (a survey's TRUE/FALSE "may we quote you"
# consent is no note; a survey's ``role`` "Agent" is a respondent).
_MESSAGE_EXPORT = re.compile(
    r"(?:^|[._])(?:author|sender)(?:[._]?(?:id|type|name|email))?$|"
    r"(?:^|[._])(?:ticket|conversation|thread|call|chat)[._]?id$|(?:^|[._])part_type$",
    re.IGNORECASE,
)
_CUSTOMER_SIDE = frozenset(
    "user users customer customers contact contacts lead leads end-user end_user enduser "
    "end user requester visitor member client respondent participant guest buyer buyers "
    "shopper purchaser reviewer caller".split()
) | {"end user", "verified buyer", "verified purchaser"}
_STAFF_SIDE = frozenset(
    "admin admins agent agents bot bots operator teammate staff employee support "
    "system assistant facilitator interviewer moderator vendor company internal seller "
    "merchant brand manufacturer store shop ivr".split()
)
# A column named only for who wrote or spoke ("sender", "speaker": a chat export's
# messages, a call's turns a row) is a role column when its values are roles, not
# names: a helper's chat export had its 1,200 agent messages in the top two themes, a
# call centre's 4,624 agent and 575 IVR turns had been read as the callers'.
_BARE_ROLE_NAME = frozenset("sender speaker from author party who".split())
_BARE_ROLE_SHARE = 0.9  # of a column's filled cells, role words
# A research transcript exported a turn a row: its "role" (or "speaker_type") column.
_RESEARCH_ROLE_NAME = re.compile(r"(?i)(?:speaker[ _]?)?(?:role|type|side)")
_INTERVIEWER_SIDE = frozenset("interviewer moderator researcher facilitator host".split())
_INTERVIEWEE_SIDE = frozenset("participant interviewee respondent customer user".split())
# An internal note: Zendesk's ``public`` false, Freshdesk's ``private`` true, Intercom's
# ``part_type`` note.
_PUBLIC_FLAG = re.compile(r"(?:^|[._])(?:is_?)?public$", re.IGNORECASE)
_PRIVATE_FLAG = re.compile(r"(?:^|[._])(?:is_?)?(?:private|internal)(?:_note)?$", re.IGNORECASE)


# An author named with the company's tag, as game and community forums mark their team
# ("EmberColony_Dev [DEV]", "Maya [Staff]", "Tom (Developer)"): 13 of a helper's Steam
# thread's posts had been a customer's, the first of its co-creators.
_STAFF_TAG = re.compile(
    r"(?i)[\[(](?:[\w .'-]{0,30}\s)?(?:dev|devs|developers?|dev\s+team|staff|official|mod|mods"
    r"|moderator|admin|community\s+manager|cm)[\])]"
)


def _staff_messages(frame: pd.DataFrame) -> tuple[pd.Series | None, str]:
    """Which rows of a message-level export are the company's side (an agent's reply, a
    bot's, an internal note), not the customer's words (None: none is), and what said
    so ("author.type admin 1,249, bot 648; public false 342"). A role column counts only
    when it names customers too: a file of only agents' rows is what it is."""
    found = pd.Series(False, index=frame.index)
    why = []
    messages = any(_MESSAGE_EXPORT.search(str(name)) for name in frame.columns)
    for name in frame.columns:
        values = frame[name]
        last = str(name).rsplit(".", 1)[-1].lower()
        role = bool(_ROLE_NAME.search(str(name)))
        # named only for who wrote or spoke, or a plain "role" in a file of conversations
        # (a call's turns a row: call_id): a role column when its cells are roles
        bare = last in _BARE_ROLE_NAME or (messages and last == "role")
        research = bool(_RESEARCH_ROLE_NAME.fullmatch(last))
        flag = messages and (_PUBLIC_FLAG.search(str(name)) or _PRIVATE_FLAG.search(str(name)))
        named = role or bare or research or flag or last in ("part_type", "distinguished")
        if not named or nested_values(values):
            continue
        # Cell by cell: a column may hold bytes or numbers beside its text.
        text = values.map(lambda v: " ".join(_as_text(v).split()).lower()).astype("string")
        role = role or (bare and _roles_only(text))
        if not (role or research or flag or last in ("part_type", "distinguished")):
            continue  # a "sender" of people's names
        if last == "distinguished":  # Reddit: a moderator's or an admin's comment
            hit = text.isin({"moderator", "admin"}).fillna(False).astype(bool) & ~found
            why += _values_said(name, text, hit)
        elif research and not role:
            # An interview's turns a row: a plain "role" column counts only with both
            # research sides in it (a contact centre survey's role "Agent" is a respondent).
            if not (text.isin(_INTERVIEWEE_SIDE).any() and text.isin(_INTERVIEWER_SIDE).any()):
                continue
            hit = text.isin(_INTERVIEWER_SIDE).fillna(False).astype(bool) & ~found
            why += _values_said(name, text, hit)
        elif role:
            if not text.isin(_CUSTOMER_SIDE).any():
                continue
            hit = text.isin(_STAFF_SIDE).fillna(False).astype(bool) & ~found
            why += _values_said(name, text, hit)
        elif _PUBLIC_FLAG.search(str(name)):
            # The boolean a help desk writes, not a survey's consent "No" (still feedback).
            hit = text.isin({"false"}).fillna(False).astype(bool) & ~found
            if hit.any():
                why.append(f"{name} false {int(hit.sum()):,}")
        elif _PRIVATE_FLAG.search(str(name)):
            hit = text.isin({"true"}).fillna(False).astype(bool) & ~found
            if hit.any():
                why.append(f"{name} true {int(hit.sum()):,}")
        elif last == "part_type":
            hit = text.isin({"note", "note_and_reopen"}).fillna(False).astype(bool) & ~found
            if hit.any():
                why.append(f"{name} note {int(hit.sum()):,}")
        found |= hit
    for name in frame.columns:
        if _AUTHOR_NAME.search(str(name)) and not nested_values(frame[name]):
            text = frame[name].map(lambda v: _as_text(v).strip()).astype("string")
            hit = text.str.contains(_STAFF_TAG, na=False).astype(bool) & ~found
            for value, n in text[hit].value_counts().head(5).items():
                why.append(f"{name} {value} {int(n):,}")
            found |= hit
    agents, said = _agents_by_reach(frame, found)
    if agents is not None:
        found |= agents
        why.append(said)
    if found.all():
        return None, ""  # nothing would be left: the file is not a thread of both sides
    return (found, "; ".join(why)) if found.any() else (None, "")


def _roles_only(text: pd.Series) -> bool:
    """Whether a column's filled cells (``text``: each one's words, lower case) are nearly
    all roles ("customer", "agent", "bot"), not people's names (_BARE_ROLE_SHARE)."""
    filled = text[text.fillna("") != ""]
    roles = filled.isin(_CUSTOMER_SIDE | _STAFF_SIDE).fillna(False)
    return bool(len(filled)) and float(roles.mean()) >= _BARE_ROLE_SHARE


def _values_said(name, text: pd.Series, hit: pd.Series) -> list[str]:
    """What a column's values of the rows ``hit`` say ("author.type admin 1,249, bot
    648"), none when no row is."""
    if not hit.any():
        return []
    counts = text[hit].value_counts()
    return [f"{name} " + ", ".join(f"{v} {int(n):,}" for v, n in counts.items())]


_TICKET_ID = re.compile(r"(?:^|[._])(?:ticket|conversation)[._]?id$", re.IGNORECASE)
_AUTHOR_ID = re.compile(r"(?:^|[._])author[._]?id$", re.IGNORECASE)
# A help desk's agent answers many tickets, a customer writes in one or two: an author
# in this many tickets (and a twentieth of them) is the company's.
AGENT_TICKETS = 10
# A social export's replies say who answers whom (X's ``in_reply_to_user_id``): threads
# of both sides, like a help desk's, in which the brand's account answers in many.
_REPLY_TO = re.compile(r"(?:^|[._])in_reply_to(?:_[a-z]+)*(?:[._]?id)?$", re.IGNORECASE)
AGENT_REPLY_SHARE = 0.8  # of a brand's rows in a social export, replies


def _agents_by_reach(frame: pd.DataFrame, found: pd.Series) -> tuple[pd.Series | None, str]:
    """A help desk's comment export that names authors by id only (Zendesk's
    ``author_id``): the rows of authors who write in many of its tickets when most write
    in one or two, as agents do (990 agent replies had made the top theme of such an
    export); only in a file with a ticket id and a ``public`` / ``private`` flag, or a
    social export's reply column (a brand's 489 replies to its customers' tweets had
    made 7 themes, the top emerging one its own holding reply, and it the top
    co-creator)."""
    ticket = next((c for c in frame.columns if _TICKET_ID.search(str(c))), None)
    author = next((c for c in frame.columns if _AUTHOR_ID.search(str(c))), None)
    help_desk = any(
        _PUBLIC_FLAG.search(str(c)) or _PRIVATE_FLAG.search(str(c)) for c in frame.columns
    )
    reply = next((c for c in frame.columns if _REPLY_TO.search(str(c))), None)
    if ticket is None or author is None or not (help_desk or reply is not None):
        return None, ""
    pairs = frame[[author, ticket]].astype("string").dropna()
    reach = pairs.groupby(author)[ticket].nunique()
    tickets = pairs[ticket].nunique()
    if tickets < 2 * AGENT_TICKETS or reach.median() > 2:
        return None, ""
    bar = max(AGENT_TICKETS, math.ceil(0.05 * tickets))
    agents = reach.index[reach >= bar]
    if not help_desk:
        # A social export: a brand answers, its rows replies; a vocal customer who
        # posts in many threads of a small export does not (11 complaints of one had
        # been left out as the company's).
        replied = frame[reply].astype("string").str.strip().fillna("") != ""
        share = replied.groupby(frame[author].astype("string")).mean()
        agents = agents[share.reindex(agents).fillna(0.0).to_numpy() >= AGENT_REPLY_SHARE]
    hit = frame[author].astype("string").isin(agents).fillna(False).astype(bool) & ~found
    if not hit.any():
        return None, ""
    where = "conversations" if "conversation" in str(ticket).lower() else "tickets"
    return hit, (
        f"{author}: {schema.counted(len(agents), 'author')} writing in {bar:,} "
        f"{where} or more, as agents do, {int(hit.sum()):,}"
    )


def _responses(frame: pd.DataFrame, qualtrics: bool) -> pd.Series | None:
    """Which rows are responses, when a Qualtrics Status column marks some as previews,
    tests or spam (None: every row is). Only in a file Qualtrics wrote (its header rows
    were found) or whose Status says "Survey Preview" or "Survey Test", its own words:
    a help desk's Status "Spam" is the help desk's."""
    if "Status" not in frame.columns:
        return None
    status = frame["Status"].astype("string").str.strip().str.lower()
    if qualtrics:  # its export with numeric values writes the Status as a code
        status = status.replace(_STATUS_CODES)
    if not qualtrics and not status.isin(_NOT_A_RESPONSE - {"spam"}).any():
        return None
    keep = ~status.isin(_NOT_A_RESPONSE).fillna(False)
    return None if keep.all() else keep.astype(bool)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
