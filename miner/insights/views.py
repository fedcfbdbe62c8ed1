"""The insight tables of a run as people read them: labels joined, sorted, with the method.

Shared by ``miner report`` (Markdown, HTML, JSON) and the app, so they show the same
figures: every share, lift and impact with its n, and a figure resting on fewer than
``min_n`` comments as "too few comments" (``schema.TOO_FEW``), never flagged.
"""

from __future__ import annotations

import pandas as pd

from miner import schema
from miner.persist import Run


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


def emerging_view(run: Run, comparison: str = schema.COMPARE_PERIOD) -> pd.DataFrame:
    """The emerging table with ``theme_label``: flagged rows of ``comparison`` (period)
    by period, or every theme's row (``recent``), strongest change first."""
    if run.emerging is None:
        return pd.DataFrame()
    table = run.emerging[run.emerging["comparison"] == comparison].copy()
    table.insert(1, "theme_label", table["theme_id"].map(labels(run)).fillna(""))
    if comparison == schema.COMPARE_PERIOD:
        table = table[table["flagged"]].sort_values(["period", "p_adj", "theme_id"])
    else:
        table = table.sort_values(["too_few", "p_adj", "theme_id"], na_position="last")
    return table.reset_index(drop=True)


def segment_view(run: Run, flagged_only: bool = True) -> pd.DataFrame:
    """The segment lifts with ``theme_label``; flagged pairs, strongest first."""
    if run.segment_lifts is None:
        return pd.DataFrame()
    table = run.segment_lifts.copy()
    table.insert(3, "theme_label", table["theme_id"].map(labels(run)).fillna(""))
    if flagged_only:
        table = table[table["flagged"]]
    return table.sort_values(["segment_column", "p_adj", "segment"]).reset_index(drop=True)


def driver_view(run: Run) -> pd.DataFrame:
    """The drivers with ``theme_label``, most negative impact first, too few last."""
    if run.drivers is None:
        return pd.DataFrame()
    table = run.drivers.copy()
    table.insert(1, "theme_label", table["theme_id"].map(labels(run)).fillna(""))
    return table


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
            f"Fisher's exact test (two-sided) of a theme's share of a {period}'s comments "
            f"against its share in all earlier {period}s pooled, and of the latest "
            f"{trends['recent']} {period}s against all before them; Benjamini–Hochberg "
            f"correction over the {trends['tests']:,} comparisons tested. Flagged when the "
            f"adjusted p < {trends['alpha']:g} and the share is at least "
            f"{trends['min_lift']:g}× the earlier share (emerging) or at most "
            f"1/{trends['min_lift']:g} of it (fading). "
            f"A comparison resting on fewer than {n} comments is not tested ({schema.TOO_FEW})"
            " and never flagged."
        )
    segments = info.get("segments")
    if segments:
        texts["segments"] = (
            "Fisher's exact test (two-sided) of a theme's share within a segment against "
            "its share over all comments with a value; Benjamini–Hochberg correction over "
            f"every theme × segment pair; over-indexed when the adjusted p < "
            f"{segments['alpha']:g} and lift ≥ {segments['min_lift']:g}, under-indexed "
            f"when lift ≤ 1/{segments['min_lift']:g}. Pairs resting on fewer than {n} "
            f"comments are not tested ({schema.TOO_FEW}) and never flagged."
        )
    drivers = info.get("drivers")
    if drivers:
        name = "NPS" if drivers["score_type"] == "nps" else "mean score"
        texts["drivers"] = (
            f"Impact = {name} of all comments − {name} without the theme's comments "
            "(remove and recompute); effect = least squares of each comment's score on "
            "its themes, relative to the average theme (separates themes mentioned "
            f"together). 95% intervals: percentile bootstrap, {drivers['resamples']:,} "
            f"resamples of {drivers['resample_unit']} (seed {drivers['seed']}). A theme "
            f"with fewer than {n} scored comments: {schema.TOO_FEW}."
        )
    return texts
