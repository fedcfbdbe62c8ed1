"""The insight tables of a run as people read them: labels joined, sorted, with the method.

Shared by ``miner report`` (Markdown, HTML, JSON) and the app, so they show the same
figures: every share, lift and impact with its n, and a figure resting on fewer than
``min_n`` comments as "too few comments" (``schema.TOO_FEW``), never flagged.
"""

from __future__ import annotations

import dataclasses
import json
from types import SimpleNamespace

import numpy as np
import pandas as pd

from miner import schema
from miner.insights.columns import distinct_parts, segment_values, value_parts
from miner.insights.drivers import overall_score, score_line  # noqa: F401 - shown here too
from miner.insights.stats import analysed, mentions
from miner.persist import Run
from miner.pii import mask_texts


def labels(run: Run, level: str = "theme") -> dict[int, str]:
    """Id -> label of the run's themes, areas or jobs."""
    if level == "job":
        if run.jobs is None:
            return {}
        return dict(zip(run.jobs["job_id"].astype(int), run.jobs["job_label"], strict=True))
    themes = run.themes
    if level == "area":
        areas = themes[themes["area_id"] >= 0] if "area_id" in themes else themes.iloc[:0]
        return dict(zip(areas["area_id"].astype(int), areas["area_label"], strict=False))
    return dict(zip(themes["theme_id"].astype(int), themes["theme_label"], strict=True))


def insight_info(run: Run) -> dict:
    """run.json's record of the insights (empty for a run without them)."""
    return run.meta.get("insights") or {}


def missing_insight(run: Run, table: str, what: str, fallback: str, how: str) -> str:
    """Why ``run`` has no ``table`` (run.json's reason, else ``fallback``) and how to get it."""
    reason = (insight_info(run).get("not_computed") or {}).get(table) or fallback
    return f"This run has no {what}: {reason}. Fit it again with {how}, then open that run here."


def min_n(run: Run) -> int:
    return int(insight_info(run).get("min_n", 30))


def trend_view(run: Run, level: str = "theme", value: str = "share") -> pd.DataFrame:
    """One row per theme (area, job) x one column per period: ``value`` (share,
    comments or net_sentiment); NaN where it rests on too few comments. Rows in the
    order of their comments over all periods, largest first; the index is the label.
    """
    if run.trends is None:
        return pd.DataFrame()
    rows = run.trends[run.trends["level"] == level]
    if rows.empty:
        return pd.DataFrame()
    table = rows.pivot(index="group_id", columns="period", values=value)
    table = table[list(dict.fromkeys(rows["period"]))]
    order = rows.groupby("group_id")["comments"].sum().sort_values(ascending=False, kind="stable")
    table = table.loc[order.index]
    names = labels(run, level)
    table.index = [names.get(int(i), str(i)) for i in table.index]
    return table


def period_totals(run: Run) -> pd.DataFrame:
    """The periods of the trends: ``period``, ``incomplete``, ``period_comments`` (n)."""
    if run.trends is None:
        return pd.DataFrame(columns=["period", "incomplete", "period_comments"])
    rows = run.trends[run.trends["level"] == "theme"]
    return rows.drop_duplicates("period")[["period", "incomplete", "period_comments"]]


# Per level, the run attribute of each insight table and its group column.
_TABLES = {
    "theme": {"emerging": "emerging", "segments": "segment_lifts", "drivers": "drivers"},
    "area": {
        "emerging": "area_emerging",
        "segments": "area_segment_lifts",
        "drivers": "area_drivers",
    },
}


def _labelled(run: Run, table: str, level: str, position: int) -> pd.DataFrame | None:
    """A copy of the ``table`` insight of ``level`` (themes or areas) with its groups'
    labels (``theme_label`` / ``area_label``) inserted at ``position``; None when the
    run has no such table."""
    found = getattr(run, _TABLES[level][table])
    if found is None:
        return None
    found = found.copy()
    names = labels(run, level)
    found.insert(position, f"{level}_label", found[f"{level}_id"].map(names).fillna(""))
    return found


def emerging_view(
    run: Run, comparison: str = schema.COMPARE_PERIOD, level: str = "theme"
) -> pd.DataFrame:
    """The emerging table of themes (or areas) with ``theme_label`` (``area_label``):
    flagged rows of ``comparison`` (period) period by period, or every group's row
    (``recent``), strongest change first."""
    table = _labelled(run, "emerging", level, 1)
    if table is None:
        return pd.DataFrame()
    group = f"{level}_id"
    table = table[table["comparison"] == comparison]
    if comparison == schema.COMPARE_PERIOD:
        table = table[table["flagged"]].sort_values(["period", "p_adj", group])
    else:
        table = table.sort_values(["too_few", "p_adj", group], na_position="last")
    return table.reset_index(drop=True)


def segment_view(run: Run, flagged_only: bool = True, level: str = "theme") -> pd.DataFrame:
    """The segment lifts of themes (or areas) with their label; flagged pairs, strongest
    first."""
    table = _labelled(run, "segments", level, 3)
    if table is None:
        return pd.DataFrame()
    if flagged_only:
        table = table[table["flagged"]]
    return table.sort_values(["segment_column", "p_adj", "segment"]).reset_index(drop=True)


def driver_view(run: Run, level: str = "theme") -> pd.DataFrame:
    """The drivers of themes (or areas) with their label, most negative impact first,
    too few last."""
    table = _labelled(run, "drivers", level, 1)
    return pd.DataFrame() if table is None else table


def methods(run: Run) -> dict[str, str]:
    """How each insight was computed, its test and uncertainty, in one sentence or two."""
    info = insight_info(run)
    n = min_n(run)
    texts = {}
    trends = info.get("trends")
    if trends:
        period = trends["period"]
        texts["trends"] = (
            f"Share of each {period}'s analysed comments (its n: the {period}'s analysed "
            f"comments, last row); counts in brackets. Net sentiment (% positive − % "
            f"negative) of a theme in a {period} needs {n} of its comments. "
            f"{trends['first']}..{trends['last']}; * marks an incomplete {period}."
        )
        texts["emerging"] = (
            "Fisher's exact test (two-sided: twice the smaller one-sided p) of a theme's "
            f"share of a {period}'s comments against its share in all earlier {period}s "
            "pooled, and of the latest "
            f"{trends['recent']} {period}s against all before them; Benjamini–Hochberg "
            f"correction over the {schema.counted(trends['tests'], 'comparison')} tested. "
            "Flagged when the "
            f"adjusted p < {trends['alpha']:g} and the share is at least "
            f"{trends['min_lift']:g}× the earlier share (emerging) or at most "
            f"1/{trends['min_lift']:g} of it (fading). "
            f"A comparison resting on fewer than {n} comments is not tested ({schema.TOO_FEW})"
            " and never flagged."
        )
    segments = info.get("segments")
    if segments:
        texts["segments"] = (
            "Fisher's exact test (two-sided: twice the smaller one-sided p) of a theme's share "
            "within a segment against "
            "its share over all comments with a value; Benjamini–Hochberg correction over "
            f"every theme × segment pair; over-indexed when the adjusted p < "
            f"{segments['alpha']:g} and lift ≥ {segments['min_lift']:g}, under-indexed "
            f"when lift ≤ 1/{segments['min_lift']:g}. Pairs resting on fewer than {n} "
            f"comments are not tested ({schema.TOO_FEW}) and never flagged."
        )
    drivers = info.get("drivers")
    if drivers:
        name = schema.score_name(drivers["score_type"])
        held = drivers.get("held_fixed") or []
        held_text = f" and its {', '.join(held)}" if held else ""
        fixed = f", {', '.join(held)} held fixed" if held else ""
        # Several questions: one row per respondent, with the themes of all their answers.
        unit = "respondent" if drivers.get("score_unit") == "respondents" else "comment"
        texts["drivers"] = (
            f"Impact = {name} of all {unit}s − {name} without the theme's {unit}s "
            f"(remove and recompute); effect = least squares of each {unit}'s score on "
            f"its themes{held_text}: the points a {unit} about the theme scores above or "
            f"below one about an average theme, other themes{fixed} (0 is the average "
            "theme, not no effect: when one theme pulls the score hard, the others read "
            "above 0; so does impact: without a theme of average comments, the rest hold "
            "more of the hard pull's, and the score rises). "
            + (
                f"95% intervals: percentile bootstrap, {drivers['resamples']:,} resamples of "
                f"{drivers['resample_unit']} (seed {drivers['seed']}), each theme's on its "
                "own, not corrected for the many themes read: about one theme in 20 that "
                "moves nothing shows an interval without 0 by chance (the roadmap's impact "
                "asks for 95% over all the items it scores)."
                if drivers.get("resamples")
                else "No intervals: fitted without resamples (--resamples 0), the figures "
                "are estimates alone."
            )
            + f" A theme with fewer than {n} scored comments: {schema.TOO_FEW}."
        )
        for column, why in (drivers.get("not_held") or {}).items():
            texts["drivers"] += f" {column} is not held fixed: {why}."
    return texts


# ------------------------------------------------------------------ the app's pages
# The Trends and Segments & drivers pages chart these long tables and quote the
# comments behind a point; the figures are the run's own (nothing recomputed).


def distinct_labels(names: dict[int, str]) -> dict[int, str]:
    """``names`` with a label shared by several ids suffixed ``(#id)``, so a chart
    keeps them apart."""
    counts = pd.Series(list(names.values()), dtype=object).value_counts()
    return {
        key: f"{label} (#{key})" if counts.get(label, 0) > 1 else label
        for key, label in names.items()
    }


def score_digits(run: Run) -> int:
    """Decimals a score's points are shown with: NPS and a share rated good (%) in
    tenths of a point, a 1-5 or 1-10 mean (CSAT, a rating) in hundredths, a mean below 1
    (a 0-1 score) in thousandths, where hundredths had shown every driver as +0.00."""
    kind = run.meta.get("score_type")
    if kind in ("nps", "good_bad"):
        return 1
    drivers = (run.meta.get("insights") or {}).get("drivers") or {}
    level = (drivers.get("score") or {}).get("score")
    if kind == "numeric" and level is not None and abs(level) < 1:
        return 3
    return 2


def score_interval(run: Run, value, low=None, high=None, too_few: bool = False) -> str:
    """``+1.2 [-0.3, +2.6]`` at the run's score scale (:func:`score_digits`), or
    "too few" for a figure on too few comments."""
    if too_few or pd.isna(value):
        return schema.TOO_FEW
    d = score_digits(run)
    if low is None or pd.isna(low):
        return f"{value:+.{d}f}"
    return f"{value:+.{d}f} [{low:+.{d}f}, {high:+.{d}f}]"


def score_level(run: Run, value, low, high) -> str:
    """A score itself (not a difference) with its interval: NPS signed, a share rated
    good in %, a mean as it is (``+12.5 [+4.0, +21.0]``, ``61.3% [55.0%, 67.4%]``,
    ``4.21 [4.10, 4.32]``)."""
    kind = run.meta.get("score_type")
    sign = "+" if kind == "nps" else ""
    unit = "%" if kind == "good_bad" else ""
    value, low, high = (f"{x:{sign}.{score_digits(run)}f}{unit}" for x in (value, low, high))
    return f"{value} [{low}, {high}]"


def score_name(run: Run) -> str:
    """What the run's score is called (:func:`miner.schema.score_name`)."""
    return schema.score_name(run.meta.get("score_type"))


def has_group_scores(summary: pd.DataFrame) -> bool:
    """Whether a segment summary holds scores (a run with a score column, written
    since segments have one)."""
    return "score_n" in summary and bool(summary["score_n"].notna().any())


def group_score(run: Run, row) -> str:
    """A segment's score as shown: ``-12.4 [-20.1, -4.7] (n = 310)``; "too few scored
    comments (12)" below the run's minimum; "" when the run has no score (or the
    table was written before segments had one)."""
    n = getattr(row, "score_n", None)
    if n is None or pd.isna(n):
        return ""
    value = getattr(row, "score", None)
    if value is None or pd.isna(value):
        return f"too few scored comments ({int(n):,})"
    d = score_digits(run)
    return f"{value:.{d}f} [{row.score_low:.{d}f}, {row.score_high:.{d}f}] (n = {int(n):,})"


def net_with_n(value, comments, min_n: int = 0) -> str:
    """``+12 (n = 45)``; ``too few comments (24)`` when it rests on fewer than ``min_n``
    comments; ``no sentiment read (52)`` when none of them has one (comments in another
    language: the unassigned row of a run with many)."""
    if comments < min_n:
        return f"{schema.TOO_FEW} ({int(comments):,})"
    if value is None or pd.isna(value):
        return f"no sentiment read ({int(comments):,})"
    return f"{value:+.0f} (n = {int(comments):,})"


def segment_net(row, min_n: int) -> str:
    """A segment's net sentiment with its n, the segment's comments with a sentiment
    (``sentiment_n``; a run saved before 2026-12-06 has only ``comments``): ``-47 (n =
    141 of 164)`` when comments in other languages have none, ``too few comments (1 of
    39 with a sentiment)``, ``no sentiment read (35)``."""
    comments = int(row.comments)
    read = getattr(row, "sentiment_n", comments)
    read = comments if read is None or pd.isna(read) else int(read)
    if read == comments:
        return net_with_n(row.net_sentiment, comments, min_n)
    if read == 0:
        return f"no sentiment read ({comments:,})"
    if read < min_n or pd.isna(row.net_sentiment):
        return f"{schema.TOO_FEW} ({read:,} of {comments:,} with a sentiment)"
    return f"{row.net_sentiment:+.0f} (n = {read:,} of {comments:,})"


def theme_nets(run: Run, themes: pd.DataFrame) -> list[str]:
    """Each theme's net sentiment with its n: the comments that mention it (its
    ``comments`` in a run without ``mentions``, and for the unassigned row, whose net is
    of its own comments), "n = 53 of 930" when only some have a sentiment
    (``sentiment_n``: comments in other languages have none), as :func:`segment_net`."""
    base = themes["mentions"] if "mentions" in themes.columns else themes["comments"]
    base = base.where(themes["theme_id"] >= 0, themes["comments"])
    read = themes["sentiment_n"] if "sentiment_n" in themes.columns else base
    return [
        segment_net(SimpleNamespace(comments=n, sentiment_n=r, net_sentiment=v), min_n(run))
        for v, n, r in zip(themes["net_sentiment"], base, read, strict=True)
    ]


def one_period(run: Run) -> bool:
    """Whether every dated comment falls in one period (nothing earlier to compare)."""
    return period_totals(run)["period"].nunique() < 2


def lift_text(lift: float) -> str:
    """A lift as shown: ``1.83``; a theme with no comment before is "new (none before)"
    (its lift is infinite), never "inf"."""
    if lift != lift:
        return "-"
    return "new (none before)" if lift == float("inf") else f"{lift:.2f}"


def share_with_n(share, comments, n) -> str:
    """``12.3% (34 of 277)``; ``too few comments (3 of 20)`` when the share is null;
    ``no comments`` for a period without any (between two survey waves)."""
    if not n:
        return "no comments"
    counts = f"({int(comments):,} of {int(n):,})"
    if share is None or pd.isna(share):
        return f"{schema.TOO_FEW} {counts}"
    return f"{share:.1%} {counts}"


def shares_history(value) -> str:
    """``shares_by_period`` (JSON) as ``2026-01 3.1% · 2026-02 4.0%``; "" when unreadable."""
    try:
        history = json.loads(value) if isinstance(value, str) else dict(value or {})
    except (TypeError, ValueError):
        return ""
    return " · ".join(
        f"{period} {'–' if share is None else f'{share:.1%}'}" for period, share in history.items()
    )


def trend_points(run: Run, level: str = "theme") -> pd.DataFrame:
    """The trends of ``level`` as one row per group x period, ready to chart.

    The columns of ``trends.parquet`` (without ``level``) plus ``label``, ``order``
    (0 = the group with most comments over all periods) and, for themes, the flag of
    the period against all earlier ones from ``emerging.parquet``: ``direction``
    (``emerging``, ``fading`` or empty), ``lift``, ``p_adj``, ``baseline_share``,
    ``baseline_comments``, ``baseline_total`` (NaN elsewhere). Empty without trends.
    """
    if run.trends is None:
        return pd.DataFrame()
    rows = run.trends[run.trends["level"] == level].drop(columns="level")
    if rows.empty:
        return pd.DataFrame()
    totals = rows.groupby("group_id")["comments"].sum().sort_values(ascending=False, kind="stable")
    order = {group: position for position, group in enumerate(totals.index)}
    names = distinct_labels(labels(run, level))
    rows = rows.assign(
        label=rows["group_id"].map(lambda g: names.get(int(g), str(g))),
        order=rows["group_id"].map(order),
    )
    evidence = ["lift", "p_adj", "baseline_share", "baseline_comments", "baseline_total"]
    if level == "theme" and run.emerging is not None:
        flags = run.emerging[run.emerging["comparison"] == schema.COMPARE_PERIOD]
        flags = flags[["theme_id", "period", "direction", *evidence]].rename(
            columns={"theme_id": "group_id"}
        )
        rows = rows.merge(flags, on=["group_id", "period"], how="left")
        rows["direction"] = rows["direction"].fillna("")
    else:
        rows = rows.assign(direction="", **{column: float("nan") for column in evidence})
    rows = rows.sort_values(["order", "period_start"], kind="stable")
    return rows.reset_index(drop=True)


def quote_text(run: Run, documents: pd.DataFrame) -> pd.Series:
    """What to quote of ``documents``: ``masked_text`` (personal data masked) when the
    run has it, else the text column (which the app masks on load); HTML character
    references read as the analysis reads them ("wasn&#39;t" is quoted "wasn't")."""
    from miner.clean import unescape_entities

    column = "masked_text" if "masked_text" in documents.columns else run.text_col
    return documents[column].astype("string").fillna("").map(unescape_entities)


def group_comments(run: Run, level: str, group_id: int, period: str | None = None) -> pd.DataFrame:
    """The analysed comments a trend counts for the theme (area, job) ``group_id``,
    in ``period`` when given: a comment counts for every theme it mentions
    (``theme_ids``), as in ``trends.parquet``. The comments mainly about the group
    first, then the closest to its centre, then by row."""
    documents = analysed(run.documents)
    if period is not None:
        if "period" not in documents.columns:
            return documents.iloc[:0]
        documents = documents[documents["period"] == period]
    if level == "job":
        if "job_id" not in documents.columns:
            return documents.iloc[:0]
        return central_first(documents[documents["job_id"] == group_id], None)
    pairs = mentions(documents, "theme_id")
    if level == "area":
        themes = run.themes
        members = themes.loc[themes.get("area_id", pd.Series(dtype=int)) == group_id, "theme_id"]
        chosen = pairs["theme_id"].isin(set(members.astype(int)))
        main = documents["theme_id"].isin(set(members.astype(int)))
    else:
        chosen = pairs["theme_id"] == group_id
        main = documents["theme_id"] == group_id
    positions = np.unique(pairs.loc[chosen, "pos"].to_numpy())
    return central_first(documents.iloc[positions], main.iloc[positions])


def segment_values_of(run: Run, column: str) -> pd.Series:
    """Each document's value of the segment ``column`` as ``segment_lifts.parquet``
    names it (text; a band for a binned numeric column); null without a value."""
    documents = run.documents
    band = (insight_info(run).get("segment_bands") or {}).get(column)
    if band and band in documents.columns:
        return documents[band].astype("string")
    source = column if column in documents.columns else f"input_{column}"
    if source not in documents.columns:
        return pd.Series(pd.NA, index=documents.index, dtype="string")
    return segment_values(documents[source], column, ())[0].values


def multi_separator(run: Run, column: str) -> str | None:
    """The separator of a segment column of several values a cell (tags), else None."""
    return (insight_info(run).get("segments") or {}).get("multi_valued", {}).get(column)


def segment_options(run: Run, column: str, values: pd.Series) -> list[str]:
    """The values a filter of ``column`` offers: each tag of a multi-valued column once,
    else each distinct value, sorted."""
    separator = multi_separator(run, column)
    if separator:
        return sorted(distinct_parts(values, separator))
    return sorted(values.dropna().unique().tolist())


def in_segments(run: Run, column: str, values: pd.Series, kept) -> np.ndarray:
    """Which rows hold one of ``kept`` in ``column`` (a tag among a cell's, for a
    multi-valued column)."""
    separator = multi_separator(run, column)
    if separator:
        wanted = set(kept)
        held = values.astype(object).map(lambda v: bool(wanted & set(value_parts(v, separator))))
        return held.to_numpy(dtype=bool)
    return values.isin(kept).fillna(False).to_numpy(dtype=bool)


def segment_comments(run: Run, column: str, segment: str, theme_id: int) -> pd.DataFrame:
    """The analysed comments with ``segment`` in ``column`` that mention ``theme_id``
    (the ``comments`` of that pair in ``segment_lifts.parquet``), as
    :func:`group_comments` orders them. The segment may be given masked (as the app
    shows it)."""
    values = segment_values_of(run, column)
    distinct = segment_options(run, column, values)  # each tag of a multi-valued column
    shown = mask_texts(distinct)
    wanted = [v for v, m in zip(distinct, shown, strict=True) if segment in (v, m)]
    inside = in_segments(run, column, values, wanted)
    return group_comments(_with_documents(run, run.documents[inside]), "theme", theme_id)


def driver_comments(run: Run, theme_id: int) -> pd.DataFrame:
    """The analysed comments with a valid score that mention ``theme_id`` (the
    ``comments`` of its row in ``drivers.parquet``), lowest score first."""
    if "score" not in run.documents.columns:
        return run.documents.iloc[:0]
    members = group_comments(run, "theme", theme_id)
    members = members[members["score"].notna()]
    return members.sort_values(["score", "row_id"], kind="stable")


def _with_documents(run: Run, documents: pd.DataFrame) -> Run:
    return dataclasses.replace(run, documents=documents)


def central_first(documents: pd.DataFrame, main: pd.Series | None) -> pd.DataFrame:
    """``documents`` ordered: those mainly about the group (``main``) first, then the
    closest to their theme's centre, then by row."""
    keys = pd.DataFrame(
        {
            "main": main.to_numpy() if main is not None else True,
            "closeness": documents["theme_confidence"].to_numpy()
            if "theme_confidence" in documents.columns
            else 0.0,
            "row_id": documents["row_id"].to_numpy(),
        }
    )
    order = keys.sort_values(
        ["main", "closeness", "row_id"], ascending=[False, False, True], kind="stable"
    ).index
    return documents.iloc[order.to_numpy()]


def job_themes(run: Run, documents: pd.DataFrame) -> np.ndarray:
    """The theme each of ``documents``' first job is about: the theme of the piece
    its goal (else its sentence) starts in, else the comment's main theme; -1 for a
    comment without a job. A ticket that asks for dark mode in a complaint about a
    double charge states its job about dark mode, not about the charge."""
    theme_id = documents["theme_id"].to_numpy(dtype=np.int64) if "theme_id" in documents else None
    out = np.full(len(documents), -1, dtype=np.int64)
    if theme_id is None or "job_id" not in documents.columns:
        return out
    has_job = documents["job_id"].to_numpy() >= 0
    out[has_job] = theme_id[has_job]
    if "jobs" not in documents.columns or run.pieces is None or run.pieces.empty:
        return out
    starts = np.full(len(documents), -1, dtype=np.int64)
    for k, jobs in enumerate(documents["jobs"].to_numpy(dtype=object)):
        if has_job[k] and jobs is not None and len(jobs):
            first = jobs[0]
            start = first.get("motivation_start")
            start = first.get("start") if start is None else start
            starts[k] = -1 if start is None else int(start)
    # A row is its row id, and its batch in a run with batches (each numbers its rows).
    pieces, rows = run.pieces, documents["row_id"].to_numpy(np.int64)
    piece_rows = pieces["row_id"].to_numpy(np.int64)
    if "batch" in pieces.columns and "batch" in documents.columns:
        codes, _ = pd.factorize(pd.concat([documents["batch"], pieces["batch"]]).astype(str))
        rows = rows + codes[: len(documents)].astype(np.int64) * (np.int64(1) << 31)
        piece_rows = piece_rows + codes[len(documents) :].astype(np.int64) * (np.int64(1) << 31)
    order = np.lexsort((pieces["start"].to_numpy(np.int64), piece_rows))
    pieces, piece_rows = pieces.iloc[order], piece_rows[order]
    shift = np.int64(1) << 24  # a piece starts within the 20,000 characters read
    keys = piece_rows * shift + pieces["start"].to_numpy(np.int64)
    asked = np.flatnonzero(starts >= 0)
    wanted = rows[asked] * shift + np.minimum(starts[asked], shift - 1)
    at = np.searchsorted(keys, wanted, side="right") - 1
    found = (at >= 0) & (piece_rows[np.maximum(at, 0)] == rows[asked])
    piece_theme = pieces["theme_id"].to_numpy(np.int64)[np.maximum(at, 0)]
    use = found & (piece_theme >= 0)
    out[asked[use]] = piece_theme[use]
    return out
