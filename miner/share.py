"""What a PM sends to the development team: the run's tables as CSV and JSON, and the
self-contained HTML report, with personal data masked and every CSV cell formula-safe.

The app's Share page offers these as downloads; they are the same tables the run
folder holds (``themes.csv``, ``jobs.csv``, ``documents.parquet``), masked
(:func:`miner.report.masked_run`) and, for the documents, limited to the view the PM
filtered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from miner import schema
from miner.insights.drivers import DETRACTOR_MAX, PROMOTER_MIN
from miner.insights.stats import analysed, respondent_key
from miner.persist import Run, spreadsheet_safe
from miner.report import _no_nan, filter_documents, masked_run, to_html

# The documents export: what a reader needs beside each comment (input columns such as
# the id, date and segments are added when the run has them).
DOCUMENT_EXPORT_COLUMNS = (
    "batch",
    "row_id",
    "question",  # a survey of several questions: its key is (row_id, question)
    "masked_text",
    "theme_id",
    "theme_label",
    "sentiment",
    "sentiment_score",
    "kind",
    "job_statement",
    "job_id",
    "language",
    "period",
    "score",
)


def _record_ids(documents: pd.DataFrame, meta: dict) -> list[str]:
    """The input's own id columns (``ticket_id``, ``response_id``: named like an id),
    so a shared comment leads back to its record."""
    from miner.insights.columns import ID_NAME
    from miner.insights.run import input_start

    names = list(documents.columns)[input_start(documents, meta) :]
    return [name for name in names if ID_NAME.search(str(name))]


@dataclass(frozen=True)
class Download:
    file_name: str
    data: bytes
    mime: str
    rows: int | None = None


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV; lists as JSON; no cell can start a spreadsheet formula."""
    return spreadsheet_safe(frame).to_csv(index=False).encode("utf-8")


def json_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as a JSON list of records (NaN as null)."""
    records = json.loads(frame.to_json(orient="records", date_format="iso", default_handler=str))
    return (json.dumps(_no_nan(records), indent=1, ensure_ascii=False) + "\n").encode("utf-8")


# An anonymous view groups a segment value held by fewer respondents than this.
ANONYMOUS_MIN = schema.ANONYMOUS_MIN
FEWER = f"(fewer than {ANONYMOUS_MIN})"
# A value grouped because, beside the others shown, it would single out a few.
GROUPED = "(grouped)"


def document_view(
    run: Run,
    theme_id: int | None = None,
    sentiments: list[str] | None = None,
    kinds: list[str] | None = None,
    anonymous: bool = False,
    segments: list[str] | None = None,
) -> pd.DataFrame:
    """The analysed comments matching the filters, masked, with the run's input columns
    that describe them (customer id, date, segments); never the unmasked text.

    ``anonymous`` (an employee or patient survey shared beyond its owners): no customer
    or record id, no row id and no exact date (the ``period`` stays), an NPS as its
    group (promoter, passive, detractor), and a segment value held by fewer than
    :data:`ANONYMOUS_MIN` respondents of the run reads :data:`FEWER`, alone and in
    combination: where the segments shown together hold fewer respondents than that,
    values are grouped until none does (a team of three, its dates, scores and words,
    had singled out each of them; then the one senior leader of Legal in London).
    ``segments``: the segment columns shown (default: every one of the run's); the
    fewer shown together, the fewer values grouped."""
    return _document_view(masked_run(run), theme_id, sentiments, kinds, anonymous, segments)


def _document_view(
    run: Run, theme_id=None, sentiments=None, kinds=None, anonymous=False, shown=None
) -> pd.DataFrame:
    # ``run`` is already masked (masked_run).
    documents = filter_documents(run.documents, theme_id, None, sentiments, kinds)
    meta = run.meta
    segments = list(meta.get("segment_cols") or [])
    if shown is not None:
        segments = [name for name in segments if name in shown]
    extra = [run.id_column, meta.get("date_col"), *segments, *_record_ids(documents, meta)]
    columns = [c for c in DOCUMENT_EXPORT_COLUMNS if c in documents.columns]
    if anonymous:
        extra = segments
        documents = _grouped_small_values(run, documents, segments)
        # The row id leads back to the export's line and links a respondent's answers.
        columns = [c for c in columns if c not in ("row_id", "batch")]
        if meta.get("score_type") == "nps" and "score" in documents.columns:
            documents = documents.assign(score=_nps_group(documents["score"]))
    # The input's columns under their own names: a board's "status" is stored as
    # "input_status" beside miner's row status, which it had been exported as.
    # An input column named like an exported one (a segment "kind") keeps its
    # documents name, "input_kind", beside miner's.
    picked = {}
    for name in dict.fromkeys(c for c in extra if c):
        source = run.input_column(name)
        if source in documents.columns and source not in columns:
            picked[source] = name if name not in columns else source
    view = documents[columns + list(picked)].rename(columns=picked)
    if "masked_text" not in view.columns and run.text_col in documents.columns:
        view = view.assign(masked_text=documents[run.text_col])  # masked by masked_run
    return view.rename(columns={"masked_text": "text"}).reset_index(drop=True)


def _grouped_small_values(run: Run, documents: pd.DataFrame, segments: list[str]):
    """``documents`` with each segment value held by fewer than :data:`ANONYMOUS_MIN`
    respondents of the whole run (its analysed comments' rows) read as :data:`FEWER`,
    then, where the segments, the period and the language together still hold fewer,
    each such respondent's rarest value read as :data:`GROUPED`, and so on, until every
    combination holds :data:`ANONYMOUS_MIN` respondents or more (each respondent as
    grouped in all their rows)."""
    rows = analysed(run.documents)
    # Each respondent once (a run of batches numbers each batch's rows from 0).
    respondents = rows[~respondent_key(rows).duplicated()]
    respondents = respondents.set_axis(respondent_key(respondents), axis=0)
    sources = [run.input_column(name) for name in segments]
    # The view's period and language single out too: counted in the combinations.
    sources += [c for c in ("period", "language") if c in documents.columns]
    sources = [s for s in dict.fromkeys(sources) if s in documents.columns]
    if not sources:
        return documents
    table = pd.DataFrame(
        {s: respondents[s].astype("string").fillna("") for s in sources}, index=respondents.index
    )
    for source in sources:
        counts = table[source].value_counts()
        table.loc[table[source].isin(counts.index[counts < ANONYMOUS_MIN]), source] = FEWER
    for _ in range(2 * len(sources)):  # each value at most twice: "(fewer …)", "(grouped)"
        size = table.groupby(sources)[sources[0]].transform("size").to_numpy()
        small = size < ANONYMOUS_MIN
        if not small.any():
            break
        # In each combination too small, the rarest value of the row is grouped first.
        frequency = np.column_stack(
            [
                np.where(
                    (table[s] != GROUPED).to_numpy(),  # a small group of FEWER goes too
                    table[s].map(table[s].value_counts()).to_numpy(dtype=float),
                    np.inf,
                )
                for s in sources
            ]
        ).astype(float)
        rarest = frequency.argmin(axis=1)
        small &= np.isfinite(frequency.min(axis=1))  # a row with a value left to group
        if not small.any():
            break
        for position, source in enumerate(sources):
            table.loc[small & (rarest == position), source] = GROUPED
    documents = documents.copy()
    who = respondent_key(documents)
    for source in sources:
        grouped = who.map(table[source])
        hidden = grouped.isin([FEWER, GROUPED]).fillna(False)
        values = documents[source].astype("string")
        documents[source] = values.where(~hidden, grouped).astype(object)
    return documents


def _nps_group(scores: pd.Series) -> pd.Series:
    """An NPS answer as its group: an exact 0-10 beside the segments is a fingerprint."""
    numbers = pd.to_numeric(scores, errors="coerce")
    groups = np.where(
        numbers >= PROMOTER_MIN,
        "promoter",
        np.where(numbers <= DETRACTOR_MAX, "detractor", "passive"),
    )
    return pd.Series(groups, index=scores.index, dtype=object).where(numbers.notna(), None)


def downloads(
    run: Run, documents: pd.DataFrame | None = None, anonymous: bool = False
) -> list[Download]:
    """Every export of ``run``: themes, jobs, the documents (``documents``: a filtered
    view from :func:`document_view`, else all analysed comments) as CSV and JSON, and
    the HTML report. ``anonymous`` (with an anonymous ``documents`` view): the themes'
    and jobs' row ids left out, and the report's quotes without their row and its
    segment tables without a value held by fewer than :data:`ANONYMOUS_MIN` (the
    Share page's anonymous downloads had kept them all but the documents')."""
    masked = masked_run(run)  # once: the tables, the view and the report share it
    if anonymous:
        masked = _without_small_segments(masked)
    documents = _document_view(masked, anonymous=anonymous) if documents is None else documents
    tables = {"themes": masked.themes, "documents": documents}
    if masked.jobs is not None:
        tables["jobs"] = masked.jobs
    files = []
    for name, table in tables.items():
        if anonymous and name != "documents":
            table = table[[c for c in table.columns if "row_id" not in str(c)]]
        files.append(Download(f"{name}.csv", csv_bytes(table), "text/csv", len(table)))
        files.append(Download(f"{name}.json", json_bytes(table), "application/json", len(table)))
    report = to_html(masked, mask=False, anonymous=anonymous).encode("utf-8")
    files.append(Download("report.html", report, "text/html"))
    return files


def _without_small_segments(run: Run) -> Run:
    """``run`` with its segment tables holding no value of fewer than
    :data:`ANONYMOUS_MIN` comments (nor a flag resting on one)."""
    import copy

    out = copy.copy(run)
    if run.segment_summary is not None:
        out.segment_summary = run.segment_summary[run.segment_summary["comments"] >= ANONYMOUS_MIN]
    for name in ("segment_lifts", "area_segment_lifts"):
        table = getattr(run, name)
        if table is not None and "segment_comments" in table.columns:
            setattr(out, name, table[table["segment_comments"] >= ANONYMOUS_MIN])
    return out
