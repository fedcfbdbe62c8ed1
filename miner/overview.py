"""The big picture of a run, as the app's Overview page and a report's head show it.

Pure functions of a loaded :class:`~miner.persist.Run`: nothing is recomputed that the
run already holds (themes table, drivers, emerging flags). Every figure carries its n;
a share or net sentiment resting on fewer than the run's ``min_n`` comments is
"too few comments" (``schema.TOO_FEW``) instead of a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from miner import schema
from miner.insights import views
from miner.language import is_default_language
from miner.persist import Run
from miner.tables import net_sentiment


@dataclass(frozen=True)
class Figure:
    """One headline number: its value (None when too few), text, and its n."""

    name: str
    value: float | int | None
    text: str
    n: int
    help: str = ""


@dataclass
class Overview:
    figures: list[Figure]
    kind_mix: pd.DataFrame  # kind, comments, share (share null when too few)
    top_volume: pd.DataFrame  # theme_id, theme_label, comments, share, voices, net_sentiment
    top_impact: pd.DataFrame  # theme_id, theme_label, impact, impact_low, impact_high, comments
    changes: pd.DataFrame  # theme_id, theme_label, direction, comparison, period, share, ...
    notes: list[str] = field(default_factory=list)


def analysed_documents(run: Run) -> pd.DataFrame:
    documents = run.documents
    return documents[documents["status"].isin(schema.ANALYSED)]


def headline(run: Run, min_n: int | None = None) -> list[Figure]:
    """Comments, customers, themes, share with a job and net sentiment, each with its n."""
    min_n = views.min_n(run) if min_n is None else min_n
    documents = run.documents
    analysed = analysed_documents(run)
    n = len(analysed)
    figures = [
        Figure("comments", n, f"{n:,}", len(documents), f"analysed of {len(documents):,} rows"),
    ]
    if run.id_column and run.id_column in analysed.columns:
        customers = int(analysed[run.id_column].dropna().nunique())
        figures.append(Figure("customers", customers, f"{customers:,}", n, "distinct ids"))
    themes = run.themes[run.themes["theme_id"] >= 0]
    assigned = int((analysed["theme_id"] >= 0).sum()) if "theme_id" in analysed else 0
    figures.append(
        Figure("themes", len(themes), f"{len(themes):,}", n, f"{assigned:,} comments in a theme")
    )
    if "job_id" in analysed.columns:
        # Of the comments the job rules read: those in English (miner.language).
        read = analysed
        if "language" in analysed.columns:
            read = analysed[is_default_language(analysed["language"])]
        with_job = int((read["job_id"] >= 0).sum())
        figures.append(
            _share_figure("with a job", with_job, len(read), min_n, "state a job to be done")
        )
    if "sentiment" in analysed.columns:
        # Over the comments with a sentiment: one in another language has none.
        rated = analysed["sentiment"].dropna()
        value = net_sentiment(rated) if len(rated) >= min_n else None
        text = schema.TOO_FEW if value is None else f"{value:+.1f}"
        help = "% positive − % negative"
        if len(rated) < n:
            help += f"; {n - len(rated):,} comments not in English left out"
        figures.append(Figure("net sentiment", value, text, len(rated), help))
    return figures


def _share_figure(name: str, count: int, n: int, min_n: int, help: str) -> Figure:
    if n < min_n:
        return Figure(name, None, schema.TOO_FEW, n, help)
    share = count / n
    return Figure(name, share, f"{share:.0%}", n, f"{count:,} of {n:,}; {help}")


def kind_mix(run: Run, min_n: int | None = None) -> pd.DataFrame:
    """Comments and share of each kind among the analysed comments (empty without kinds)."""
    min_n = views.min_n(run) if min_n is None else min_n
    analysed = analysed_documents(run)
    if "kind" not in analysed.columns:
        return pd.DataFrame(columns=["kind", "comments", "share"])
    counts = analysed["kind"].value_counts().reindex(list(schema.KINDS), fill_value=0)
    n = int(analysed["kind"].notna().sum())  # one in another language has no kind
    share = counts / n if n >= min_n else counts * float("nan")
    table = pd.DataFrame({"kind": counts.index, "comments": counts.to_numpy(), "share": share})
    return table.sort_values("comments", ascending=False, kind="stable").reset_index(drop=True)


def top_by_volume(run: Run, top: int = 5) -> pd.DataFrame:
    """The ``top`` largest themes (unassigned left out)."""
    themes = run.themes[run.themes["theme_id"] >= 0]
    columns = [
        c
        for c in (
            "theme_id",
            "theme_label",
            "comments",
            "share",
            "voices",
            "net_sentiment",
            "mentions",
            "sentiment_n",
        )
        if c in themes.columns
    ]
    themes = themes.sort_values(["comments", "theme_id"], ascending=[False, True], kind="stable")
    return themes[columns].head(top).reset_index(drop=True)


def top_by_negative_impact(run: Run, top: int = 5) -> pd.DataFrame:
    """The themes pulling the score down most (drivers, impact < 0, not too few)."""
    drivers = views.driver_view(run)
    if drivers.empty:
        return drivers
    drivers = drivers[~drivers["too_few"].astype(bool) & (drivers["impact"] < 0)]
    drivers = drivers.sort_values(["impact", "theme_id"], kind="stable")
    columns = ["theme_id", "theme_label", "impact", "impact_low", "impact_high", "comments"]
    return drivers[columns].head(top).reset_index(drop=True)


def latest_changes(run: Run) -> pd.DataFrame:
    """Emerging and fading flags of the latest period and of the recent window, of the
    themes and then of the areas (on a small file every theme is too small to test and
    an area's flag is the only change found: the Overview said nothing had changed);
    an area's row has ``theme_id`` -1 and its label followed by "(area)"."""
    changes = _flags(run.emerging, "theme_id", views.labels(run))
    if run.area_emerging is not None and not run.area_emerging.empty:
        names = {a: f"{label} (area)" for a, label in views.labels(run, "area").items()}
        areas = _flags(run.area_emerging, "area_id", names)
        if not areas.empty:
            areas = areas.drop(columns="area_id").assign(theme_id=-1)
            changes = pd.concat([changes, areas], ignore_index=True) if len(changes) else areas
    if changes.empty:
        return pd.DataFrame()
    columns = [
        "theme_id",
        "theme_label",
        "direction",
        "comparison",
        "period",
        "incomplete",
        "comments",
        "period_comments",
        "share",
        "baseline_comments",
        "baseline_total",
        "baseline_share",
        "lift",
        "p_adj",
    ]
    return changes[columns].reset_index(drop=True)


def _flags(table: pd.DataFrame | None, group: str, names: dict) -> pd.DataFrame:
    """The flagged rows of an emerging ``table`` (of themes or areas: ``group``) in the
    latest period and the recent window, strongest first, with their label."""
    if table is None or table.empty:
        return pd.DataFrame()
    flagged = table[table["flagged"].astype(bool)]
    by_period = table[table["comparison"] == schema.COMPARE_PERIOD]
    if by_period.empty:
        latest = flagged.iloc[:0]
    else:
        last = by_period["period"].max()
        latest = flagged[
            (flagged["comparison"] == schema.COMPARE_PERIOD) & (flagged["period"] == last)
        ]
    recent = flagged[flagged["comparison"] == schema.COMPARE_RECENT]
    changes = pd.concat([recent, latest], ignore_index=True)
    changes.insert(1, "theme_label", changes[group].map(names).fillna(""))
    return changes.sort_values(["comparison", "p_adj"], kind="stable")


def overview(run: Run, top: int = 5) -> Overview:
    """Everything the Overview page shows."""
    notes = []
    if run.drivers is None:
        notes.append("no score column: no score impact")
    if run.emerging is None:
        notes.append("no date column: no trends")
    return Overview(
        figures=headline(run),
        kind_mix=kind_mix(run),
        top_volume=top_by_volume(run, top),
        top_impact=top_by_negative_impact(run, top),
        changes=latest_changes(run),
        notes=notes,
    )
