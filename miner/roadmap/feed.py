"""The roadmap feed: the ranked themes and jobs, each explaining itself.

:func:`build_roadmap` turns a run into one plain dict (what ``miner roadmap --format
json`` prints, following ``roadmap.schema.json``): per item a stable id, its rank and
priority, every factor's value and contribution ("why it ranks here"), its kind mix,
its trend, the jobs or themes it is linked to, 3-5 representative quotes and its
co-creators. Personal data is masked in everything it holds (:func:`masked_run`).

Stable ids: a theme is ``theme-<theme_id>`` (``miner fit --previous`` keeps the id of
a theme it matches); job clusters are renumbered by every fit, so a job is
``job-<motivation>``: the slug of its label's motivation (``jobs.csv`` ``motivation``:
the most central statement's; lower case, letters and digits joined by ``-``; a slug
two jobs share gets ``-2``, ``-3`` in order of voices). A run fitted with ``--previous``
keeps the previous run's job ids: a job takes the id of the previous job whose
comments (same text) make up at least half of the smaller of the two, one to one.

An item needs at least :data:`MIN_QUOTES` distinct comments in the window (so it can
be quoted); smaller ones are left out of the lists and counted in ``left_out``.

A run whose themes are grouped into areas also gets ``areas``: each area ranked by
the same factors over its comments (a comment once per area), with its themes and
their ranks, so a pain the fit cut into nine themes shows as one item.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from miner import schema
from miner.errors import MinerError, NoUsableText
from miner.insights import views
from miner.language import is_default_language
from miner.persist import Run
from miner.report import masked_run
from miner.roadmap import priority
from miner.roadmap.cocreators import customer_inputs, item_cocreators
from miner.version import __version__

SCHEMA_VERSION = "1.1"  # 1.1: areas
SCHEMA_ID = "https://github.com/miner/miner/roadmap.schema.json"
MIN_QUOTES, MAX_QUOTES = 3, 5
# Two quotes sharing this share of their words (Jaccard) or more are near-duplicates.
MAX_QUOTE_SIMILARITY = 0.6
TREND_PERIODS = 12  # the trend an item shows: its latest periods
LINKED = 3  # linked jobs (themes) an item lists
_WORD = re.compile(r"[a-z0-9]+")


def job_ids(run: Run, _depth: int = 0) -> dict[int, str]:
    """Job cluster id -> stable item id ``job-<slug of its motivation>``; a run fitted
    with ``--previous`` (whose folder is still there) keeps the previous run's id of the
    job whose comments it shares most (at least half of the smaller job's)."""
    if run.jobs is None or "job_id" not in run.documents.columns:
        return {}
    jobs = run.jobs[run.jobs["job_id"] >= 0].sort_values(
        ["voices", "job_id"], ascending=[False, True], kind="stable"
    )
    ids: dict[int, str] = {}
    taken: dict[str, int] = {}
    inherited = _previous_job_ids(run, _depth)
    for job, motivation in zip(jobs["job_id"].astype(int), jobs["motivation"], strict=True):
        if job in inherited:
            ids[job] = inherited[job]
            continue
        slug = _slug(str(motivation)) or str(job)
        taken[slug] = taken.get(slug, 0) + 1
        stable = f"job-{slug}" + (f"-{taken[slug]}" if taken[slug] > 1 else "")
        while stable in inherited.values():
            taken[slug] += 1
            stable = f"job-{slug}-{taken[slug]}"
        ids[job] = stable
    return ids


MAX_PREVIOUS_DEPTH = 5  # runs fitted with --previous of a run fitted with --previous ...


def _previous_job_ids(run: Run, depth: int) -> dict[int, str]:
    """Current job id -> the previous run's job item id, matched by shared comments."""
    from miner.persist import load_run

    folder = ((run.meta.get("previous") or {}).get("previous")) or None
    if folder is None or depth >= MAX_PREVIOUS_DEPTH or not Path(folder).is_dir():
        return {}
    try:
        previous = load_run(folder)
    except MinerError:
        return {}
    before = job_ids(previous, depth + 1)
    if not before:
        return {}

    def stated(documents: pd.DataFrame) -> pd.DataFrame:
        rows = documents[documents["job_id"] >= 0]
        text = rows[previous.text_col if previous.text_col in rows else rows.columns[0]]
        return pd.DataFrame({"job": rows["job_id"].astype(int), "text": text.astype(str)})

    old, new = stated(previous.documents), stated(run.documents)
    shared = new.merge(old, on="text", suffixes=("", "_old")).drop_duplicates()
    overlap = shared.groupby(["job", "job_old"]).size().rename("shared").reset_index()
    sizes_new, sizes_old = new.groupby("job").size(), old.groupby("job").size()
    smaller = np.minimum(
        sizes_new.loc[overlap["job"]].to_numpy(), sizes_old.loc[overlap["job_old"]].to_numpy()
    )
    overlap = overlap[overlap["shared"] * 2 >= smaller]
    matched: dict[int, str] = {}
    used: set[int] = set()
    for row in overlap.sort_values(
        ["shared", "job", "job_old"], ascending=[False, True, True]
    ).itertuples():
        if row.job in matched or row.job_old in used or row.job_old not in before:
            continue
        matched[int(row.job)] = before[int(row.job_old)]
        used.add(int(row.job_old))
    return matched


def _slug(text: str) -> str:
    return "-".join(_WORD.findall(text.lower())[:10])


def theme_id(theme: int) -> str:
    return f"theme-{int(theme)}"


def pick_quotes(texts: pd.Series, limit: int = MAX_QUOTES) -> list[int]:
    """Positions (in ``texts``' order: most representative first) of up to ``limit``
    quotes, none a near-duplicate of one before it (word Jaccard >= 0.6). When that
    leaves fewer than :data:`MIN_QUOTES`, the next quotes with other words fill up.
    Texts are read in order and only as far as needed (a theme may have 100,000)."""
    tokens: list[frozenset] = []
    source = iter(texts.tolist())

    def words_at(position: int) -> frozenset | None:
        while len(tokens) <= position:
            text = next(source, _END)
            if text is _END:
                return None
            tokens.append(_words(text))
        return tokens[position]

    chosen: list[int] = []
    position = 0
    while (words := words_at(position)) is not None:
        if words and all(
            len(words & tokens[c]) / len(words | tokens[c]) < MAX_QUOTE_SIMILARITY for c in chosen
        ):
            chosen.append(position)
            if len(chosen) == limit:
                return chosen
        position += 1
    for position, words in enumerate(tokens):
        if len(chosen) >= MIN_QUOTES:
            break
        if words and position not in chosen and all(words != tokens[c] for c in chosen):
            chosen.append(position)
    return sorted(chosen)


_END = object()


def _words(text) -> frozenset:
    return frozenset(_WORD.findall(str(text).lower()))


def distinct_comments(texts: pd.Series, enough: int | None = None) -> int:
    """Comments with different words (what :func:`pick_quotes` can quote at most);
    with ``enough``, counting stops there."""
    seen: set[frozenset] = set()
    for text in texts.tolist():
        words = _words(text)
        if words:
            seen.add(words)
            if enough is not None and len(seen) >= enough:
                break
    return len(seen)


def _new_topics(run: Run) -> list[dict]:
    """The new topics of the run's added batches (``score --into``): comments no theme
    explains, clustered; they count for no item, so the feed names them apart (a
    night's duplicate bills, 7.7% of it, had been in no list). Masked."""
    from miner.report import _masked_topics

    found = []
    for batch in run.meta.get("batches") or []:
        topics = batch.get("new_topics")
        if not topics:
            continue
        masked = _masked_topics(topics).get("topics", [])
        for topic in sorted(masked, key=lambda t: -int(t.get("comments", 0))):  # largest first
            found.append(
                {
                    "batch": str(batch.get("name")),
                    "label": str(topic.get("label", "")),
                    "comments": int(topic.get("comments", 0)),
                    "share": _round(topic.get("share", 0.0)),
                    "batch_comments": int(topics.get("analysed", 0)),
                    "examples": [str(e) for e in topic.get("examples", [])][:3],
                }
            )
    return found


def build_roadmap(
    run: Run,
    since: str | date | None = None,
    weights: Mapping[str, float] | None = None,
    value_col: str | None = None,
    top: int | None = None,
    co_creators: int = 5,
    leave_out: dict[str, list[str]] | None = None,
) -> dict:
    """The roadmap feed of ``run`` as a JSON-ready dict (see the module docstring).

    ``since``: count only comments from that date (growth compares them with the
    comments before it); ``weights``: the factors' weights (default all 1.0);
    ``value_col``: an input column of each customer's value, weighting voices;
    ``top``: the first ``top`` items of each list; ``co_creators``: per item;
    ``leave_out``: input column -> values whose comments are not counted (ideas already
    shipped or declined, see :func:`miner.roadmap.priority.window`).
    Same run and settings, same feed.
    """
    if not (run.themes["theme_id"] >= 0).any():
        if (run.meta.get("curation") or {}).get("hidden"):
            raise NoUsableText(
                "every theme of this run is hidden: nothing to rank; undo a hide with "
                "'miner curate undo' or on the Curate themes page"
            )
        raise NoUsableText(
            "this run has no themes to rank (too little usable text); fit it on more comments"
        )
    run = masked_run(run)
    weights = dict(priority.DEFAULT_WEIGHTS if weights is None else weights)
    win = priority.window(run, since, leave_out)
    available = priority.available_factors(run, win)
    jobs = job_ids(run)
    feed = {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "generator": f"miner {__version__}",
        "run": {
            "source": run.meta.get("source"),
            "text_col": run.text_col,
            "id_col": run.id_col,
            "date_col": run.meta.get("date_col"),
            "score_col": run.meta.get("score_col"),
            "score_type": run.meta.get("score_type"),
        },
        "window": _window_info(win),
        "weights": {f: float(weights.get(f, 0.0)) for f in priority.FACTORS},
        "factors": list(available),
        "value_col": value_col,
        "voices": "customers" if run.id_col else "comments",
    }
    if value_col is not None and (note := priority.value_note(run, win, value_col)):
        feed["value_note"] = note
    if found := _new_topics(run):
        feed["new_topics"] = found
    people = None
    if run.id_col:
        themes = priority.members(run, win, "theme").rename(columns={"item": "theme_id"})
        people = customer_inputs(run, win.documents, win.voice, themes)
    ranks: dict[int, int] = {}
    for level, key in (("theme", "themes"), ("job", "jobs")):
        table = priority.factor_table(run, level, weights=weights, value_col=value_col, win=win)
        if level == "job" and not jobs:
            table = table.iloc[:0]
        quotable = _quotable(run, win, level, table["item"])
        # Every item of the run not listed, also one with no comment in the window.
        every = len(jobs) if level == "job" else int((run.themes["theme_id"] >= 0).sum())
        listed = int(quotable.sum())
        feed.setdefault("left_out", {})[key] = max(every, len(table)) - listed
        table = table[quotable.to_numpy()].reset_index(drop=True)
        table["rank"] = np.arange(1, len(table) + 1)
        if level == "theme":
            ranks = dict(zip(table["item"].astype(int), table["rank"].astype(int), strict=True))
        if top is not None:
            table = table.head(top)
        feed[key] = _items(run, win, level, table, weights, available, jobs, co_creators, people)
    areas = _area_list(run, win, weights, value_col, available, ranks)
    if areas:
        feed["areas"] = areas[:top] if top is not None else areas
    return feed


def _area_list(run, win, weights, value_col, available, ranks: dict[int, int]) -> list[dict]:
    """The areas ranked as the themes are, each with its themes and their ranks (none
    when the run has fewer than two areas: its themes are its areas)."""
    from miner.insights.run import theme_areas

    area_of = theme_areas(run.themes)
    if len(set(area_of.values())) < 2:
        return []
    table = priority.factor_table(run, "area", weights=weights, value_col=value_col, win=win)
    table = table[_quotable(run, win, "area", table["item"]).to_numpy()].reset_index(drop=True)
    table["rank"] = np.arange(1, len(table) + 1)
    names = views.labels(run, "area")
    labels = views.labels(run)
    items = []
    for row in table.to_dict("records"):
        area = int(row["item"])
        members = sorted(
            (t for t, a in area_of.items() if a == area), key=lambda t: (ranks.get(t, 10**9), t)
        )
        entry = {
            "id": f"area-{area}",
            "level": "area",
            "rank": int(row["rank"]),
            "label": names.get(area, str(area)),
            "area_id": area,
            "priority": _round(row["priority"]),
            "voices": int(row["voices"]),
            "comments": int(row["comments"]),
            "factors": _factors({**row, "level": "area"}, weights, available, win, run),
            "themes": [
                {"id": theme_id(t), "label": labels.get(t, str(t)), "rank": ranks.get(t)}
                for t in members
            ],
        }
        entry["why"] = _why(entry)
        items.append(entry)
    return items


def _quotable(run: Run, win: priority.Window, level: str, items: pd.Series) -> pd.Series:
    """Items with at least MIN_QUOTES distinct comments in the window."""
    pairs = priority.members(run, win, level)
    pairs = pairs[win.inside[pairs["pos"].to_numpy()]]
    texts = views.quote_text(run, win.documents).to_numpy()
    frame = pd.DataFrame({"item": pairs["item"].to_numpy(), "text": texts[pairs["pos"]]})
    counts = frame.groupby("item")["text"].agg(lambda t: distinct_comments(t, MIN_QUOTES))
    return items.map(counts).fillna(0) >= MIN_QUOTES


def _window_info(win: priority.Window) -> dict:
    dates = win.dates[win.inside].dropna() if win.dates is not None else None
    other = 0  # comments in languages themes do not read: in no item
    if "language" in win.documents.columns:
        other = int((win.inside & ~is_default_language(win.documents["language"])).sum())
    return {
        "since": None if win.since is None else str(win.since.date()),
        "first": None if dates is None or dates.empty else str(dates.min().date()),
        "last": None if dates is None or dates.empty else str(dates.max().date()),
        "comments": int(win.inside.sum()),
        "growth_since": None if win.growth_start is None else str(win.growth_start.date()),
        **({"without": win.without} if win.without else {}),
        **({"other_languages": other} if other else {}),
    }


def _items(run, win, level, table, weights, available, jobs, co_creators, people) -> list[dict]:
    if table.empty:
        return []
    documents = win.documents
    pairs = priority.members(run, win, level)
    inside = pairs[win.inside[pairs["pos"].to_numpy()]]
    inside = inside[inside["item"].isin(set(table["item"]))]
    creators = item_cocreators(
        run, documents, win.voice, inside, level, co_creators, people,
        about=priority.job_themes(run, win),
    )  # fmt: skip
    creators = {item: group for item, group in creators.groupby("item")}
    labels = views.labels(run, level)
    areas = _areas(run)
    links = _links(run, win, level, jobs)
    trends = _trends(run, level)
    items = []
    # What the quotes and the kind mix read: taking every input column of a theme's
    # 20,000 comments to quote five of them was most of a large run's feed.
    slim = documents[_quoted_columns(run, documents)]
    if win.dates is not None:  # read as the run reads its dates (one order per column)
        slim = slim.assign(**{QUOTE_DATE: win.dates.to_numpy()})
    for row in table.to_dict("records"):
        item = int(row["item"])
        rows = slim.iloc[inside.loc[inside["item"] == item, "pos"].to_numpy()]
        stable = theme_id(item) if level == "theme" else jobs.get(item, f"job-{item}")
        entry = {
            "id": stable,
            "level": level,
            "rank": int(row["rank"]),
            "label": labels.get(item, str(item)),
            "area": areas.get(item) if level == "theme" else None,
            f"{level}_id": item,
            "priority": _round(row["priority"]),
            "voices": int(row["voices"]),
            "comments": int(row["comments"]),
            "factors": _factors({**row, "level": level}, weights, available, win, run),
            # shares of fewer than min_n comments are not shown (the Markdown says so)
            "kind_mix": _kind_mix(rows) if len(rows) >= win.min_n else {},
            "trend": {
                "growth_ratio": _round(row.get("growth_ratio")),
                "shares": trends.get(item, []),
            },
            "linked": links.get(item, []),
            "quotes": _quotes(run, level, item, rows),
            "co_creators": _creators(creators.get(item)),
        }
        if "voice_value" in row:
            entry["voice_value"] = _round(row["voice_value"])
        entry["top_kind"] = max(entry["kind_mix"], key=entry["kind_mix"].get, default=None)
        entry["why"] = _why(entry)
        items.append(entry)
    return items


def _quoted_columns(run: Run, documents: pd.DataFrame) -> list[str]:
    wanted = ["batch", "row_id", "theme_id", "theme_confidence", "kind", "sentiment"]
    wanted.append("masked_text")
    wanted.append(run.text_col)
    if run.id_col:
        wanted.append(priority.input_column(run, run.id_col, "id"))
    if run.meta.get("date_col"):
        wanted.append(priority.input_column(run, run.meta["date_col"], "date"))
    return [c for c in dict.fromkeys(wanted) if c in documents.columns]


def _round(value, digits: int = 4):
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return None
    return round(float(value), digits)


def _areas(run: Run) -> dict[int, str]:
    """Theme id -> the label of its area (themes in an area with a label)."""
    from miner.insights.run import theme_areas

    names = views.labels(run, "area")
    return {t: names[a] for t, a in theme_areas(run.themes).items() if names.get(a)}


def _factors(row: dict, weights, available, win: priority.Window, run: Run) -> list[dict]:
    factors = []
    for factor in available:
        factors.append(
            {
                "factor": factor,
                "value": _round(row[factor]),
                "weight": float(weights.get(factor, 0.0)),
                "contribution": _round(row[f"{factor}_contribution"]),
                "evidence": _evidence(factor, row, win, run) + _tested(factor, row, win, run),
            }
        )
    return factors


def _tested(factor: str, row: dict, win: priority.Window, run: Run) -> str:
    """What the run's insight tables say of the item over the whole run (a feed without
    ``since`` covers what they cover): the impact's 95% interval (the drivers'), the
    emerging or fading flag of the recent periods, the segments it is over-indexed in;
    empty when they say nothing or the feed has a window of its own."""
    level = row.get("level")
    if win.since is not None or level not in ("theme", "area"):
        return ""
    item = int(row["item"])
    column = f"{level}_id"
    if factor == "impact":
        drivers = run.drivers if level == "theme" else run.area_drivers
        found = _row_of(drivers, column, item)
        if found is None or found.get("too_few") or not np.isfinite(found["impact_low"]):
            return ""
        digits = views.score_digits(run)
        low, high = found["impact_low"], found["impact_high"]
        return f" (its impact's 95% interval {low:+.{digits}f} to {high:+.{digits}f})"
    if factor == "growth":
        emerging = run.emerging if level == "theme" else run.area_emerging
        if emerging is None or emerging.empty:
            return ""
        recent = emerging[emerging["comparison"] == schema.COMPARE_RECENT]
        found = _row_of(recent, column, item)
        if found is None or not found.get("direction"):  # flagged only: the test's finding
            return ""
        return (
            f"; the recent periods ({found['period']}) test {found['direction']}: lift "
            f"{views.lift_text(found['lift'])}, adjusted p {found['p_adj']:.2g}"
        )
    if factor == "volume":
        lifts = run.segment_lifts if level == "theme" else run.area_segment_lifts
        if lifts is None or lifts.empty:
            return ""
        over = lifts[(lifts[column] == item) & (lifts["direction"] == schema.OVER)]
        over = over.sort_values(["p_adj", "segment_column", "segment"]).head(2)
        parts = [
            f"{r.segment_column} = {r.segment} (lift {r.lift:.2f}, adjusted p {r.p_adj:.2g})"
            for r in over.itertuples(index=False)
        ]
        return f"; over-indexed in {'; '.join(parts)}" if parts else ""
    return ""


def _row_of(table: pd.DataFrame | None, column: str, item: int) -> dict | None:
    if table is None or table.empty or column not in table.columns:
        return None
    found = table[table[column] == item]
    return None if found.empty else found.iloc[0].to_dict()


def _evidence(factor: str, row: dict, win: priority.Window, run: Run) -> str:
    voices = "customers" if run.id_col else "comments"
    if factor == "volume":
        text = f"{int(row['voices']):,} {voices}"
        if voices != "comments":  # without customer ids, voices are the comments
            text += f", {int(row['comments']):,} comments"
        # Every comment that mentions the theme (its mentions), not the comments whose
        # main theme it is: "517 comments" had stood beside the Themes page's 515.
        text += " state it" if row.get("level") == "job" else " mention it"
        if "voice_value" in row:
            text += f"; worth {row['voice_value']:,.0f} (--value-col)"
        return text
    if factor == "growth":
        start = win.growth_start.date() if win.growth_start is not None else "?"
        counts = [int(row[k]) for k in ("window_comments", "window_total")]
        counts += [int(row[k]) for k in ("before_comments", "before_total")]
        # The ratio of the shares shown (24/261 against 47/2,425 is × 4.74); the smoothed
        # one behind the lower end (× 4.78) only where a count is 0 (priority._growth).
        ratio = row["growth_ratio"]
        text = (
            f"{counts[0]:,} of {counts[1]:,} comments from {start} against {counts[2]:,} of "
            f"{counts[3]:,} before: share × {ratio:.2f}"
        )
        if row["growth"] > 0:
            text += f", at least × {row['growth_low']:.2f} (one-sided 95%)"
            if counts[0] < win.min_n:
                # The report's trends flag nothing on fewer (they had said "too few
                # comments" of the rise this factor counts, unexplained).
                text += f"; under the {win.min_n} comments the trends flag on"
            return text
        if row["growth_ratio"] > 1:  # a rise the comments do not show
            return text + f", not a rise at 95% (at least × {row['growth_low']:.2f})"
        return text
    if factor == "negative":
        about = " about it" if row.get("level") == "theme" else ""
        if "negative_of" not in row:
            return f"{row['negative']:.0%} of its comments are negative{about}"
        text = (
            f"{int(row['negative_voices']):,} of {int(row['negative_of']):,} {voices} "
            f"negative{about}, {row['negative_comments']:.0%} of its comments"
        )
        raw = row["negative_voices"] / max(row["negative_of"], 1)
        if abs(raw - row["negative"]) >= 0.05:  # few voices: near the list's share
            text += (
                f"; {row['negative']:.0%} once the list's {row['negative_prior']:.0%} is "
                f"weighed in as {win.min_n} more {voices}"
            )
        return text
    if factor == "impact":
        points = row.get("impact_points")
        name = schema.score_name(run.meta.get("score_type"))
        name = name if name == "NPS" else f"the {name}"
        scored = row.get("impact_n")  # its comments with a score in the window
        few = scored is not None and not (scored >= win.min_n)  # NaN: none scored
        if points is None or not np.isfinite(points) or few:
            n = f"{int(scored):,}, " if few and np.isfinite(scored) else ""
            return f"too few scored comments ({n}fewer than {win.min_n})"
        verb, way = ("pull", "down") if points < 0 else ("lift", "up")
        digits = views.score_digits(run)
        size = f"{abs(points):.{digits}f}"
        if float(size) == 0:
            size = f"less than {10**-digits:.{digits}f}"
        text = f"its comments {verb} {name} {way} {size} points"
        if points > 0:
            # not praise: where other themes pull hard, a theme of average comments lifts
            # the rest when it is removed (an audit's 79%-negative theme "lifted NPS up")
            text += " (they score above the rest, not necessarily well)"
        low = row.get("impact_low")
        if row.get("impact_held"):  # the drivers' effect, its segments held fixed
            effect = views.score_interval(
                run,
                row["impact_effect"],
                row.get("impact_effect_low"),
                row.get("impact_effect_high"),
            )
            held = ", ".join(run.meta.get("segment_cols") or []) or "the other themes"
            if row["impact_effect"] < 0:  # a pull, but too uncertain once they are
                return (
                    f"{text}, but not below 0 at 95% with {held} held fixed (effect "
                    f"{effect}, the score drivers'), so it counts for nothing"
                )
            return (
                f"{text}, but not with {held} held fixed (effect {effect}, the score drivers'): "
                "who writes about it, not the theme, so it counts for nothing"
            )
        if points < 0 and low is not None and np.isfinite(low):
            tested = row.get("impact_tested")
            among = (
                f" over the {int(tested):,} items scored"
                if tested is not None and np.isfinite(tested) and tested > 1
                else ""
            )
            if row.get("impact", 0) > 0:
                text += f", at least {-low:.{digits}f} at one-sided 95%{among}"
            else:  # the pull it counts is nought: its interval holds no pull
                text += f", not a pull at 95%{among}"
        return text
    odi = row.get("opportunity_odi")
    if odi is None or not np.isfinite(odi):
        return "no job stated in its comments"
    if row.get("level") == "job":
        return f"ODI opportunity {odi:.1f} of {priority.ODI_MAX:.0f}"
    text = f"mean ODI opportunity of its jobs {odi:.1f} of {priority.ODI_MAX:.0f}"
    stating = row.get("opportunity_voices")
    if stating is not None and np.isfinite(stating) and stating < win.min_n:
        text += (
            f", stated by {int(stating):,} of its {voices}: weighed {int(stating)}/{win.min_n} "
            f"(fewer than {win.min_n})"
        )
    return text


def _why(entry: dict) -> str:
    parts = [
        f"{f['factor']} {f['contribution']:.3f} ({f['evidence']})"
        for f in sorted(entry["factors"], key=lambda f: -(f["contribution"] or 0))
    ]
    return f"priority {entry['priority']:.3f} = " + " + ".join(parts)


def _kind_mix(rows: pd.DataFrame) -> dict[str, float]:
    if "kind" not in rows.columns or rows.empty:
        return {}
    shares = rows["kind"].value_counts(normalize=True)
    return {kind: _round(shares[kind], 3) for kind in schema.KINDS if kind in shares.index}


def _trends(run: Run, level: str) -> dict[int, list[dict]]:
    if run.trends is None:
        return {}
    rows = run.trends[run.trends["level"] == level]
    out: dict[int, list[dict]] = {}
    for group, part in rows.groupby("group_id"):
        part = part.tail(TREND_PERIODS)
        out[int(group)] = [
            {"period": str(p), "comments": int(c), "share": _round(s)}
            for p, c, s in zip(part["period"], part["comments"], part["share"], strict=True)
        ]
    return out


def _links(run: Run, win: priority.Window, level: str, jobs: dict[int, str]) -> dict:
    """Theme -> the jobs its window's comments state about it; job -> the themes its
    comments state it about (:func:`miner.insights.views.job_themes`: in a ticket on
    three subjects, a job links to the subject whose piece states it, not to all)."""
    if not jobs:
        return {}
    documents = win.documents
    about = priority.job_themes(run, win)
    frame = pd.DataFrame({"theme": about, "job": documents["job_id"].to_numpy()})
    frame = frame[win.inside & (frame["theme"].to_numpy() >= 0)]
    frame = frame[frame["job"].isin(list(jobs))]
    counts = frame.groupby(["theme", "job"]).size().rename("comments").reset_index()
    own, other = ("theme", "job") if level == "theme" else ("job", "theme")
    names = views.labels(run, other)
    links: dict[int, list[dict]] = {}
    counts = counts.sort_values([own, "comments", other], ascending=[True, False, True])
    for item, part in counts.groupby(own):
        links[int(item)] = [
            {
                "id": jobs[int(o)] if other == "job" else theme_id(o),
                "label": names.get(int(o), str(o)),
                "comments": int(n),
            }
            for o, n in zip(part[other].head(LINKED), part["comments"].head(LINKED), strict=True)
        ]
    return links


def _quotes(run, level, item, rows: pd.DataFrame) -> list[dict]:
    """3-5 representative, distinct quotes of the item's comments in the window."""
    if level == "theme":
        # The item's window comments (``rows``: analysed, every theme they mention),
        # mainly about the theme first, then the closest to its centre.
        ordered = views.central_first(rows, rows["theme_id"] == item)
    else:
        central = _job_examples(run, item)
        rank = {row: position for position, row in enumerate(central)}
        order = rows["row_id"].map(lambda r: rank.get(int(r), len(rank)))
        ordered = rows.assign(_order=order.to_numpy()).sort_values(
            ["_order", "row_id"], kind="stable"
        )
    texts = views.quote_text(run, ordered)
    picked = pick_quotes(texts)
    chosen, chosen_texts = ordered.iloc[picked], texts.iloc[picked]
    id_column = priority.input_column(run, run.id_col, "id") if run.id_col else None
    quotes = []
    for (_, row), text in zip(chosen.iterrows(), chosen_texts, strict=True):
        customer = row.get(id_column) if id_column else None
        quotes.append(
            {
                "row_id": int(row["row_id"]),
                "customer_id": None
                if customer is None or pd.isna(customer) or not str(customer).strip()
                else str(customer),
                "text": " ".join(str(text).split()),
                "sentiment": row.get("sentiment")
                if isinstance(row.get("sentiment"), str)
                else None,
                "kind": row.get("kind") if isinstance(row.get("kind"), str) else None,
                "date": _date_text(row.get(QUOTE_DATE)),
            }
        )
        if isinstance(row.get("batch"), str):  # a run of batches: each numbers its rows
            quotes[-1]["batch"] = row["batch"]
    return quotes


# The comment's date as the window parsed it (parse_dates: a day-first column read
# day first), beside the columns a quote reads.
QUOTE_DATE = "_quote_date"


def _date_text(value) -> str | None:
    return None if value is None or pd.isna(value) else str(pd.Timestamp(value).date())


def _job_examples(run: Run, job: int) -> list[int]:
    row = run.jobs.loc[run.jobs["job_id"] == job]
    if row.empty or "example_row_ids" not in row.columns:
        return []
    value = row.iloc[0]["example_row_ids"]
    return [int(v) for v in re.findall(r"\d+", str(value))]


def _creators(table: pd.DataFrame | None) -> list[dict]:
    if table is None:
        return []
    people = []
    for row in table.itertuples(index=False):
        person = {
            "customer_id": str(row.customer_id),
            "score": _round(row.cocreator_score),
            "specific": _round(row.specific),
            "returning": _round(row.returning),
            "connector": _round(row.connector),
            "comments": int(row.comments),
            "reasons": list(row.reasons),
            "row_ids": [int(r) for r in row.row_ids],
        }
        if "questions" in table.columns:  # several questions: which answer each row is
            person["questions"] = [str(q) for q in row.questions]
        people.append(person)
    return people
