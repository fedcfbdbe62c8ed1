"""Co-creators: the customers worth inviting to an interview, a beta or an advisory council.

For one theme or job (an "item") and one customer (an id in the data: a run without
``--id-col`` has no co-creators, and nothing is ever invented about a customer), over
the customer's analysed comments on the item in the roadmap's window:

- ``specific`` (0..1), the best of those comments: **1** it states a job (the jobs
  head found one: ``job_statement`` or ``job_id``) and is not a bug report; **0.75** a
  concrete request (kind ``feature_request``) of at least :data:`MIN_WORDS` words;
  **0.5** a precise problem: a bug report of at least :data:`MIN_WORDS` words, or a
  job read in a bug report ("when I try to switch companies, everything freezes" is
  a failing attempt, not a goal); else **0**: only a rating, a rant, praise, a
  question (also one that asks how to get a job done: "How do I export my invoices?")
  or a terse line. A customer with ``specific`` 0 is not a co-creator of the
  item. A stated job ranks first because it says what the customer is trying to get
  done, a request says what they want, a bug report what is broken.
- ``returning`` (0..1), over all their analysed comments in the run:
  ``min(periods - 1, 3) / 3`` where ``periods`` is the number of distinct periods
  (the run's trend period) they wrote in; without a date column, their comments
  stand in for periods. Someone who comes back over time is worth talking to.
- ``connector`` (0..1): ``min(themes - 1, 3) / 3`` where ``themes`` is the number of
  distinct themes their analysed comments mention: the community's connectors.

``cocreator_score = specific * (2 + returning + connector) / 4`` (0..1): what they
said about the item decides (a customer who only reports problems never outranks
one who states a job and returns as often), and returning and connecting weigh it
up to double. Ties: more specific comments on the item, then the lower customer id.
Each co-creator comes with the reasons that make the score ("stated a job: …", "5
comments over 4 months", "also wrote about 2 other themes: …"), and the rows behind
them.

History: the first definition (fixed before any truth-based test) added the parts,
``(2 * specific + returning + connector) / 4``, and counted every job read by the
jobs head as a job. On the even rows of the demo (the test fixture) 0.60 of the top
co-creators of the 5 largest themes carried a planted job or request (base rate
0.29): frequent customers who only reported problems ranked first, and failing
attempts read as jobs. This second definition was written from that reading and
then measured on the odd rows, which no one had looked at
(``python bench/cocreators_eval.py``; figures in the README).

:func:`customer_scores` scores every customer the same way over all their comments
(``specific``: their best comment on any item), for the customer pages.

This definition was fixed before the truth-based co-creator test was written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from miner.insights import views
from miner.insights.stats import mentions
from miner.persist import Run
from miner.pii import mask_pii
from miner.tables import row_ref

MIN_WORDS = 8  # a request or a bug report shorter than this is not specific enough
CAP = 3  # returning and connector saturate at 3 more periods / 3 more themes
SPECIFIC_WEIGHT = 2.0
SPECIFIC = {"job": 1.0, "feature_request": 0.75, "bug": 0.5}
CO_CREATOR_COLUMNS = (
    "customer_id",
    "cocreator_score",
    "specific",
    "returning",
    "connector",
    "comments",
    "periods",
    "themes",
    "specific_comments",
    "reasons",
)


def specificity(run: Run, documents: pd.DataFrame, jobs: bool = True) -> np.ndarray:
    """Each comment's ``specific`` value: 1 a job (not in a bug report, and not only
    asked about), 0.75 a request, 0.5 a bug report, else 0; without ``jobs``, what
    its kind alone says."""
    values = np.zeros(len(documents))
    if "kind" in documents.columns:
        text = documents.get("masked_text", documents.get(run.text_col))
        words = word_counts(text) if text is not None else np.zeros(len(documents))
        kinds = documents["kind"].to_numpy(dtype=object)
        long_enough = words >= MIN_WORDS
        values[(kinds == "bug") & long_enough] = SPECIFIC["bug"]
        values[(kinds == "feature_request") & long_enough] = SPECIFIC["feature_request"]
    stated = np.zeros(len(documents), dtype=bool)
    if not jobs:
        return values
    if "job_statement" in documents.columns:
        stated |= documents["job_statement"].notna().to_numpy()
    if "job_id" in documents.columns:
        stated |= documents["job_id"].to_numpy() >= 0
    if "jobs" in documents.columns:
        # Jobs only asked about ("How do I export my invoices?") ask for help: the comment
        # counts as what its kind says, as a question without a job would.
        stated &= ~np.array([asked_only(jobs) for jobs in documents["jobs"]], dtype=bool)
    values[stated] = SPECIFIC["job"]
    if "kind" in documents.columns:
        # A job read in a bug report is a failing attempt: a precise problem.
        values[stated & (documents["kind"].to_numpy(dtype=object) == "bug")] = SPECIFIC["bug"]
    return values


def asked_only(jobs) -> bool:
    """Whether a comment's ``jobs`` (the documents column) are all questions."""
    if jobs is None or isinstance(jobs, float) or len(jobs) == 0:
        return False
    return all(job.get("trigger") == "question" for job in jobs)


def word_counts(texts: pd.Series) -> np.ndarray:
    """Words of each text (runs of non-space; 0 for a missing or empty text), in C."""
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = texts.astype("string")
    array = pa.array(texts.astype(object).where(texts.notna(), None).tolist(), type=pa.string())
    trimmed = pc.utf8_trim_whitespace(array)
    counts = pc.list_value_length(pc.utf8_split_whitespace(trimmed))
    blank = pc.equal(pc.utf8_length(trimmed), 0)
    counts = pc.if_else(blank, 0, counts)
    return counts.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)


def history(
    run: Run,
    documents: pd.DataFrame,
    voice: np.ndarray,
    themes: pd.DataFrame | None = None,
    lists: bool = True,
) -> pd.DataFrame:
    """Per customer (voice ``c:<id>``) over ``documents`` (analysed comments, positions
    0..n-1): ``comments``, ``periods``, ``theme_count``, ``themes`` (ids, list; left
    out with ``lists=False``: :func:`theme_lists` gives them for the customers shown),
    ``returning``, ``connector``. ``themes``: :func:`customer_themes` when known."""
    customer = np.array([v.startswith("c:") for v in voice], dtype=bool)
    frame = pd.DataFrame({"voice": voice, "row": np.arange(len(voice))})[customer]
    if "period" in documents.columns:
        frame["period"] = documents["period"].astype("string").to_numpy()[customer]
    else:  # no dates: each comment stands in for a period
        frame["period"] = frame["row"].astype(str)
    grouped = frame.groupby("voice")
    table = pd.DataFrame({"comments": grouped.size(), "periods": grouped["period"].nunique()})
    themes = customer_themes(documents, voice) if themes is None else themes
    counts = themes.groupby("voice")["theme_id"].nunique()
    table["theme_count"] = counts.reindex(table.index).fillna(0).astype(int)
    if lists:
        table["themes"] = theme_lists(themes, table.index)
    table["returning"] = np.minimum(table["periods"] - 1, CAP) / CAP
    table["connector"] = np.minimum(table["theme_count"] - 1, CAP).clip(lower=0) / CAP
    return table


def customer_themes(
    documents: pd.DataFrame, voice: np.ndarray, pairs: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per (customer voice, theme) mentioned in ``documents``: ``voice``, ``theme_id``."""
    pairs = mentions(documents, "theme_id") if pairs is None else pairs
    voices = voice[pairs["pos"].to_numpy()]
    customer = np.char.startswith(voices.astype(str), "c:") if len(voices) else np.zeros(0, bool)
    frame = pd.DataFrame(
        {"voice": voices[customer], "theme_id": pairs["theme_id"].to_numpy()[customer]}
    )
    return frame.drop_duplicates()


def theme_lists(themes: pd.DataFrame, voices) -> list[list[int]]:
    """For each of ``voices``, the ids of the themes it wrote about (sorted), from
    :func:`customer_themes` (vectorised: a customer base may be 100,000 strong)."""
    voices = list(voices)
    frame = themes[themes["voice"].isin(set(voices))].sort_values(["voice", "theme_id"])
    if frame.empty:
        return [[] for _ in voices]
    keys = frame["voice"].to_numpy()
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    parts = np.split(frame["theme_id"].to_numpy(), starts[1:])
    found = {keys[start]: part.tolist() for start, part in zip(starts, parts, strict=True)}
    return [found.get(voice, []) for voice in voices]


def customer_inputs(
    run: Run, documents: pd.DataFrame, voice: np.ndarray, pairs: pd.DataFrame | None = None
) -> tuple[np.ndarray, pd.DataFrame, pd.DataFrame]:
    """What every item's co-creators are scored from, computed once for a feed: each
    comment's :func:`specificity`, each customer's :func:`history` (without theme
    lists) and :func:`customer_themes`."""
    themes = customer_themes(documents, voice, pairs)
    past = history(run, documents, voice, themes, lists=False)
    return specificity(run, documents), past, themes


def score(specific, returning, connector):
    """``specific * (2 + returning + connector) / 4``."""
    return specific * (SPECIFIC_WEIGHT + returning + connector) / (SPECIFIC_WEIGHT + 2)


def item_cocreators(
    run: Run,
    documents: pd.DataFrame,
    voice: np.ndarray,
    pairs: pd.DataFrame,
    level: str,
    limit: int = 5,
    people: tuple[np.ndarray, pd.DataFrame, pd.DataFrame] | None = None,
    about: np.ndarray | None = None,
) -> pd.DataFrame:
    """The top ``limit`` co-creators of every item in ``pairs`` (``pos``, ``item``:
    the window's comments on each item). One row per (item, customer), best first:
    ``item``, the :data:`CO_CREATOR_COLUMNS` (``themes``: other themes' count),
    ``row_ids`` (their specific comments on the item, most specific first) and, in a
    survey of several questions, ``questions`` (the question of each).
    ``about``: each comment's job theme (:func:`miner.insights.views.job_themes`),
    worked out here when not given."""
    columns = ["item", *CO_CREATOR_COLUMNS, "row_ids"]
    if not run.id_col or pairs.empty:
        return pd.DataFrame(columns=columns)
    specific, past, themes = (
        people if people is not None else customer_inputs(run, documents, voice)
    )
    pos = pairs["pos"].to_numpy()
    frame = pd.DataFrame(
        {
            "item": pairs["item"].to_numpy(),
            "voice": voice[pos],
            "pos": pos,
            "specific": specific[pos],
            "row_id": documents["row_id"].to_numpy()[pos],
        }
    )
    # Several questions: a respondent's answers share the row id; the question says
    # which answer (a co-creator's "n/a" to another question had been quoted).
    asked = "question" in documents.columns
    if asked:
        frame["question"] = documents["question"].astype(str).to_numpy()[pos]
    if level == "theme":
        # A job stated about another of the comment's themes is not specific about
        # this one: there the comment counts as its kind says.
        about = (views.job_themes(run, documents) if about is None else about)[pos]
        elsewhere = (about >= 0) & (about != frame["item"].to_numpy())
        if elsewhere.any():
            kind_only = specificity(run, documents, jobs=False)[pos]
            frame["specific"] = np.where(elsewhere, kind_only, frame["specific"].to_numpy())
    frame = frame[frame["voice"].str.startswith("c:") & (frame["specific"] > 0)]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame = frame.sort_values(["item", "voice", "specific", "row_id"], ascending=[1, 1, 0, 1])
    grouped = frame.groupby(["item", "voice"], sort=False)
    best = grouped.head(1).set_index(["item", "voice"])
    table = pd.DataFrame(
        {
            "specific": best["specific"],
            "best_pos": best["pos"],
            "specific_comments": grouped.size(),
        }
    ).reset_index()
    table = table.join(past, on="voice")
    table["cocreator_score"] = score(table["specific"], table["returning"], table["connector"])
    table["customer_id"] = table["voice"].str.slice(2)
    table = table.sort_values(
        ["item", "cocreator_score", "specific_comments", "customer_id"],
        ascending=[True, False, False, True],
        kind="stable",
    )
    table = table.groupby("item", sort=False).head(limit)
    # Their specific comments on the item, most specific first (``frame``'s order).
    chosen = frame.merge(table[["item", "voice"]], on=["item", "voice"])
    keys = list(zip(table["item"], table["voice"], strict=True))
    row_ids = chosen.groupby(["item", "voice"], sort=False)["row_id"].agg(list)
    table["row_ids"] = [row_ids[key] for key in keys]
    if asked:
        questions = chosen.groupby(["item", "voice"], sort=False)["question"].agg(list)
        table["questions"] = [questions[key] for key in keys]
        columns.append("questions")
    table["themes"] = theme_lists(themes, table["voice"])
    names = _theme_labels(run)
    table["reasons"] = [
        _reasons(run, documents, row, names, level) for row in table.itertuples(index=False)
    ]
    table["themes"] = table["theme_count"]
    return table[columns].reset_index(drop=True)


def _theme_labels(run: Run) -> dict[int, str]:
    themes = run.themes
    return dict(zip(themes["theme_id"].astype(int), themes["theme_label"].astype(str), strict=True))


def _reasons(run: Run, documents: pd.DataFrame, row, names: dict[int, str], level: str):
    comment = documents.iloc[int(row.best_pos)]
    reasons = [_specific_reason(comment, row.specific)]
    if row.specific_comments > 1:
        reasons.append(f"{row.specific_comments} specific comments on it")
    period = (run.meta.get("insights") or {}).get("trends", {}).get("period")
    if row.periods > 1 and "period" in documents.columns:
        reasons.append(f"{row.comments} comments over {row.periods} {period or 'period'}s")
    elif row.comments > 1:
        reasons.append(f"{row.comments} comments in all")
    # The item's own theme is not "another" theme (their best comment on it may have a
    # different main theme and mention the item's in a piece).
    own = {int(row.item)} if level == "theme" else set()
    others = [names.get(t, str(t)) for t in row.themes if t not in own]
    if len(others) > (0 if level == "theme" else 1):
        shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
        word = "theme" if len(others) == 1 else "themes"
        word = f"other {word}" if level == "theme" else word
        reasons.append(f"also wrote about {len(others)} {word}: {shown}")
    return reasons


def _specific_reason(comment: pd.Series, specific: float) -> str:
    where = row_ref(comment)  # "row 9", or "row 9 of batch 'march'" in a run of batches
    if specific >= SPECIFIC["job"]:
        job = comment.get("job_motivation")
        if not isinstance(job, str) or not job:
            job = comment.get("job_statement")
        if isinstance(job, str) and job:
            return f'stated a job: "{mask_pii(job)}" ({where})'
        return f"stated a job ({where})"
    if specific >= SPECIFIC["feature_request"]:
        return f"asked for something concrete (feature request, {where})"
    return f"described a precise problem (bug report, {where})"


def customer_scores(run: Run) -> pd.DataFrame:
    """Every customer's co-creator score over all their analysed comments, best first.

    Columns: :data:`CO_CREATOR_COLUMNS` (``themes``: distinct themes; ``reasons``: a
    list of text). ``specific`` is their most specific comment on any item. Empty
    without an id column.
    """
    from miner.roadmap.priority import window

    if not run.id_col:
        return pd.DataFrame(columns=list(CO_CREATOR_COLUMNS))
    win = window(run)
    documents = win.documents
    specific = specificity(run, documents)
    frame = pd.DataFrame(
        {"voice": win.voice, "specific": specific, "pos": np.arange(len(specific))}
    )
    frame = frame[frame["voice"].str.startswith("c:")]
    frame = frame.sort_values(["voice", "specific", "pos"], ascending=[True, False, True])
    grouped = frame.groupby("voice", sort=False)
    best = grouped.head(1).set_index("voice")
    table = pd.DataFrame(
        {
            "specific": best["specific"],
            "best_pos": best["pos"],
            "specific_comments": grouped["specific"].agg(lambda s: int((s > 0).sum())),
        }
    )
    table = table.join(history(run, documents, win.voice))
    table["cocreator_score"] = score(table["specific"], table["returning"], table["connector"])
    table["customer_id"] = table.index.str.slice(2)
    names = _theme_labels(run)
    reasons = []
    for row in table.itertuples():
        found = (
            [_specific_reason(documents.iloc[int(row.best_pos)], row.specific)]
            if row.specific
            else []
        )
        if row.periods > 1 and "period" in documents.columns:
            found.append(f"{row.comments} comments over {row.periods} periods")
        if len(row.themes) > 1:
            shown = ", ".join(names.get(t, str(t)) for t in row.themes[:3])
            found.append(
                f"wrote about {len(row.themes)} themes: {shown}"
                + (", …" if len(row.themes) > 3 else "")
            )
        reasons.append(found)
    table["reasons"] = reasons
    table["themes"] = table["theme_count"]
    table = table.sort_values(
        ["cocreator_score", "specific_comments", "customer_id"],
        ascending=[False, False, True],
        kind="stable",
    )
    return table[list(CO_CREATOR_COLUMNS)].reset_index(drop=True)
