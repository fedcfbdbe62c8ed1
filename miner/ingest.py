"""Read feedback exports into a :class:`Corpus`: one row per input row, order kept.

Formats: CSV, TSV, TXT (one comment per line), XLSX, JSON (array of records),
JSONL, Parquet. Cells are read as text so nothing is lost (ids keep their
leading zeros); columns that are plainly numeric are converted afterwards.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from miner.errors import ColumnNotFound, InputNotFound, NoUsableText, UnreadableInput

SUPPORTED = {
    ".csv": "CSV",
    ".tsv": "TSV",
    ".tab": "TSV",
    ".txt": "text (one comment per line)",
    ".xlsx": "Excel",
    ".xlsm": "Excel",
    ".json": "JSON",
    ".jsonl": "JSON Lines",
    ".ndjson": "JSON Lines",
    ".parquet": "Parquet",
    ".pq": "Parquet",
}
FORMATS_HINT = "CSV, TSV, TXT, XLSX, JSON, JSONL or Parquet"
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
_LEADING_ZERO = re.compile(r"^0\d")


@dataclass
class Corpus:
    """A table of feedback and the columns that matter.

    ``frame`` holds the input's own columns in input order; ``text_col`` is the
    free-text column; ``id_col`` (optional) the customer/respondent id.
    ``text_col_detected`` says whether the text column was chosen automatically.
    """

    frame: pd.DataFrame
    text_col: str
    id_col: str | None = None
    source: str | None = None
    text_col_detected: bool = False

    @property
    def texts(self) -> list[str]:
        return [_as_text(value) for value in self.frame[self.text_col].tolist()]

    @property
    def customer_ids(self) -> list[str] | None:
        if self.id_col is None:
            return None
        return [_as_text(value) for value in self.frame[self.id_col].tolist()]

    def __len__(self) -> int:
        return len(self.frame)


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return str(value)


def read_table(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Read a whole file into a DataFrame of the input's columns, in input order."""
    path = _check_path(path)
    kind = path.suffix.lower()
    try:
        if kind in (".csv", ".tsv", ".tab", ".txt"):
            frame = _read_delimited(path, kind)
        elif kind in (".xlsx", ".xlsm"):
            frame = _read_excel(path, sheet)
        elif kind == ".json":
            frame = _read_json(path)
        elif kind in (".jsonl", ".ndjson"):
            frame = _read_jsonl(path)
        else:
            frame = pd.read_parquet(path)
    except (UnreadableInput, ColumnNotFound):
        raise
    except Exception as exc:  # any parser failure becomes one clear message
        raise UnreadableInput(
            f"cannot read {path.name} as {SUPPORTED[kind]}: {_first_line(exc)}"
        ) from exc
    frame = frame.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    return _convert_numeric(frame)


def iter_tables(
    path: str | Path, chunk_rows: int = 5000, sheet: str | None = None
) -> Iterator[pd.DataFrame]:
    """Yield the file in chunks of at most ``chunk_rows`` rows, with a global index.

    CSV/TSV and JSONL are streamed; Parquet is read by row group; other formats are
    read whole and then sliced.
    """
    path = _check_path(path)
    kind = path.suffix.lower()
    start = 0
    if kind in (".csv", ".tsv", ".tab", ".jsonl", ".ndjson"):
        encoding = _detect_encoding(path)
        try:
            if kind in (".jsonl", ".ndjson"):
                reader = pd.read_json(
                    path, lines=True, chunksize=chunk_rows, dtype=False, encoding=encoding
                )
            else:
                sep = "\t" if kind in (".tsv", ".tab") else _sniff_delimiter(path, encoding)
                reader = pd.read_csv(
                    path,
                    sep=sep,
                    dtype=str,
                    keep_default_na=False,
                    encoding=encoding,
                    chunksize=chunk_rows,
                )
            for chunk in reader:
                chunk = _convert_numeric(chunk.reset_index(drop=True))
                chunk.columns = [str(c) for c in chunk.columns]
                chunk.index = range(start, start + len(chunk))
                start += len(chunk)
                yield chunk
        except Exception as exc:
            raise UnreadableInput(
                f"cannot read {path.name} as {SUPPORTED[kind]}: {_first_line(exc)}"
            ) from exc
        return
    if kind in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        try:
            parquet = pq.ParquetFile(path)
            for batch in parquet.iter_batches(batch_size=chunk_rows):
                chunk = batch.to_pandas()
                chunk.index = range(start, start + len(chunk))
                start += len(chunk)
                yield chunk
        except Exception as exc:
            raise UnreadableInput(
                f"cannot read {path.name} as Parquet: {_first_line(exc)}"
            ) from exc
        return
    frame = read_table(path, sheet=sheet)
    for begin in range(0, len(frame), chunk_rows):
        yield frame.iloc[begin : begin + chunk_rows]


def load_corpus(
    path: str | Path,
    text_col: str | None = None,
    id_col: str | None = None,
    sheet: str | None = None,
) -> Corpus:
    """Read ``path`` and pick the text column (detected when not given)."""
    frame = read_table(path, sheet=sheet)
    return corpus_from_frame(frame, text_col=text_col, id_col=id_col, source=str(path))


def corpus_from_frame(
    frame: pd.DataFrame,
    text_col: str | None = None,
    id_col: str | None = None,
    source: str | None = None,
) -> Corpus:
    """Wrap an in-memory table, checking the named columns exist."""
    if frame.shape[1] == 0:
        raise NoUsableText(f"{source or 'the input'} has no columns; expected a column of comments")
    frame = frame.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    detected = text_col is None
    text_col = check_column(frame, text_col, "text") if text_col else detect_text_column(frame)
    if id_col is not None:
        id_col = check_column(frame, id_col, "id")
    return Corpus(
        frame=frame, text_col=text_col, id_col=id_col, source=source, text_col_detected=detected
    )


def check_column(frame: pd.DataFrame, name: str, role: str) -> str:
    """Return ``name`` if it is a column of ``frame`` (case-insensitive fallback)."""
    if name in frame.columns:
        return name
    folded = {str(c).casefold(): str(c) for c in frame.columns}
    if name.casefold() in folded:
        return folded[name.casefold()]
    raise ColumnNotFound(
        f"{role} column '{name}' not found; columns are: " + ", ".join(map(str, frame.columns))
    )


def detect_text_column(frame: pd.DataFrame) -> str:
    """The longest free-text column: most letters per row among non-numeric columns."""
    best, best_score = None, 0.0
    sample = frame.head(2000)
    for column in sample.columns:
        values = [_as_text(v).strip() for v in sample[column].tolist()]
        filled = [v for v in values if v]
        if not filled:
            continue
        letters = sum(sum(ch.isalpha() for ch in v) for v in filled) / len(values)
        words = sum(len(v.split()) for v in filled) / len(filled)
        distinct = len(set(filled)) / len(filled)
        # Free text has words, letters and variety; categories (plan, region) do not.
        score = letters * min(words, 8.0) * distinct
        if score > best_score:
            best, best_score = str(column), score
    if best is None:
        raise NoUsableText(
            "no column holds text; columns are: "
            + ", ".join(map(str, frame.columns))
            + ". Name the comment column with --text-col."
        )
    return best


def _check_path(path: str | Path) -> Path:
    path = Path(path)
    if not path.exists():
        raise InputNotFound(f"input file '{path}' not found; check the path")
    if path.is_dir():
        raise UnreadableInput(f"'{path}' is a folder; give a file ({FORMATS_HINT})")
    if path.suffix.lower() not in SUPPORTED:
        raise UnreadableInput(
            f"cannot read '{path.name}': unsupported format '{path.suffix or '(none)'}'; "
            f"use {FORMATS_HINT}"
        )
    if path.stat().st_size == 0:
        raise NoUsableText(f"input file '{path}' is empty")
    return path


def _decode(raw: bytes, cut_tail: bool = False) -> tuple[str, str]:
    """Text and encoding: the first of ``ENCODINGS`` that fits (latin-1 always does).

    ``cut_tail``: ``raw`` is a sample, so a multi-byte character cut at its end is
    not a wrong guess.
    """
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            if cut_tail:
                try:
                    return raw[:-4].decode(encoding), encoding
                except UnicodeDecodeError:
                    pass
    return raw.decode(ENCODINGS[-1], errors="replace"), ENCODINGS[-1]


def _detect_encoding(path: Path) -> str:
    """Encoding of a file read in chunks, judged on its first MiB only."""
    with open(path, "rb") as handle:
        return _decode(handle.read(1 << 20), cut_tail=True)[1]


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise UnreadableInput(f"cannot read {path.name}: it looks like a binary file, not text")
    return _decode(raw)[0]


def _sniff_delimiter(path: Path, encoding: str) -> str:
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        sample = handle.read(64 * 1024)
    return _sniff_text(sample)


def _sniff_text(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _read_delimited(path: Path, kind: str) -> pd.DataFrame:
    text = _read_text(path)
    if kind == ".txt":
        lines = text.splitlines()
        return pd.DataFrame({"text": lines})
    sep = "\t" if kind in (".tsv", ".tab") else _sniff_text(text[: 64 * 1024])
    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)


def _read_excel(path: Path, sheet: str | None) -> pd.DataFrame:
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:
        raise UnreadableInput(f"cannot read {path.name} as Excel: {_first_line(exc)}") from exc
    if sheet is None:
        target: str | int = 0
    elif sheet in book.sheet_names:
        target = sheet
    else:
        raise ColumnNotFound(
            f"sheet '{sheet}' not found in {path.name}; sheets are: " + ", ".join(book.sheet_names)
        )
    return pd.read_excel(book, sheet_name=target, dtype=str, keep_default_na=False)


def _read_json(path: Path) -> pd.DataFrame:
    data = json.loads(_read_text(path))
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise UnreadableInput(
                f"cannot read {path.name}: expected an array of records "
                "(or an object holding one array)"
            )
        data = lists[0]
    if not isinstance(data, list):
        raise UnreadableInput(f"cannot read {path.name}: expected an array of records")
    if data and not all(isinstance(item, dict) for item in data):
        data = [item if isinstance(item, dict) else {"text": item} for item in data]
    return pd.DataFrame.from_records(data)


def _read_jsonl(path: Path) -> pd.DataFrame:
    records = []
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UnreadableInput(
                f"cannot read {path.name}: line {number} is not JSON ({exc.msg})"
            ) from exc
        records.append(item if isinstance(item, dict) else {"text": item})
    return pd.DataFrame.from_records(records)


def _convert_numeric(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn all-number text columns into numbers, keeping ids with leading zeros as text."""
    for column in frame.columns:
        series = frame[column]
        if not (series.dtype == object or pd.api.types.is_string_dtype(series)):
            continue
        values = series.astype(str).str.strip()
        filled = values[values != ""]
        if filled.empty or filled.str.match(_LEADING_ZERO).any():
            continue
        numbers = pd.to_numeric(filled, errors="coerce")
        if numbers.notna().all():
            frame[column] = pd.to_numeric(values.where(values != ""), errors="coerce")
    return frame


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
