"""Random bytes, CSV dialects and Unicode into reading and scoring (hypothesis).

Whatever comes in: a file is read or refused with a coded ``MinerError``, never
another exception; a CSV that Python's csv module wrote is scored with one row per
input row, in order, each with a status and its text as it came.
"""

from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import miner.analysis  # noqa: E402
from miner import schema  # noqa: E402
from miner.batch import score_file  # noqa: E402
from miner.errors import MinerError  # noqa: E402
from miner.ingest import SUPPORTED, iter_tables, load_corpus  # noqa: E402

# Bounded and quick: `make test` runs these every time; no deadline on a shared machine.
FEW = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
CODE = re.compile(r"^E1\d\d ")

# Any character a file can hold (no lone surrogates: they cannot be encoded).
unicode_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


def _read_all(path: Path) -> int:
    """Rows read through both readers (whole, and streamed in chunks of 3)."""
    corpus = load_corpus(path)
    streamed = sum(len(table.frame) for table in iter_tables(path, chunk_rows=3))
    assert streamed == len(corpus.frame)
    return len(corpus.frame)


@FEW
@given(data=st.binary(max_size=300), suffix=st.sampled_from(sorted(SUPPORTED)))
def test_random_bytes_are_read_or_refused_with_a_code(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            _read_all(path)
        except MinerError as error:
            assert CODE.match(str(error)), str(error)


@FEW
@given(
    header=st.lists(unicode_text, min_size=1, max_size=3),
    rows=st.lists(st.lists(unicode_text, max_size=4), max_size=6),
    delimiter=st.sampled_from(",;\t|"),
)
def test_random_unicode_tables_are_read_or_refused_with_a_code(header, rows, delimiter):
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            _read_all(path)
        except MinerError as error:
            assert CODE.match(str(error)), str(error)


@pytest.fixture(scope="module")
def one_analyser():
    """The real sentiment/kind/jobs heads, loaded once for every example."""
    analyser = miner.analysis.DocumentAnalyser()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(miner.analysis, "DocumentAnalyser", lambda **settings: analyser)
        yield analyser


@settings(FEW, max_examples=10)
@given(
    texts=st.lists(unicode_text, min_size=1, max_size=5),
    delimiter=st.sampled_from(",;\t|"),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    line_end=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig"]),
    chunk_rows=st.integers(1, 4),
)
def test_random_csv_dialects_score_every_row_with_its_text(
    one_analyser, texts, delimiter, quoting, line_end, encoding, chunk_rows
):
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder) / "survey.csv", Path(folder) / "scored.parquet"
        with open(source, "w", encoding=encoding, newline="") as handle:
            writer = csv.writer(
                handle, delimiter=delimiter, quoting=quoting, lineterminator=line_end
            )
            writer.writerow(["id", "comment"])
            writer.writerows([str(i), text] for i, text in enumerate(texts))
        try:
            written = score_file(source, out, text_col="comment", chunk_rows=chunk_rows)
        except MinerError as error:  # e.g. no usable text at all
            assert CODE.match(str(error)), str(error)
            return
        scored = pd.read_parquet(out)
    assert written == len(scored) == len(texts)
    assert scored["row_id"].tolist() == list(range(len(texts)))
    assert scored["status"].isin(schema.STATUSES).all()
    assert scored["id"].astype(str).tolist() == [str(i) for i in range(len(texts))]
    kept = ["" if pd.isna(v) else v for v in scored["comment"].tolist()]
    assert kept == texts
