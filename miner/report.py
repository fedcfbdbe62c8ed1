"""The human-readable report (Markdown, HTML, JSON) and the views the app shares with it."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from miner import schema
from miner.insights import views
from miner.insights.drivers import against_sentiment_line
from miner.insights.run import score_type_doubt, unreadable_line
from miner.persist import Run
from miner.pii import mask_texts, mask_values
from miner.schema import ANALYSED, KINDS, TOO_FEW
from miner.sentences import sentence_spans
from miner.tables import language_counts, language_note, referenced, row_ref, status_counts

# Columns that carry customers' words, masked wherever a run is shown (see miner.pii):
# theme labels and keywords are built from comments, so they can hold an address too.
SHOWN_TEXT = {
    "documents": ("theme_label", "job_statement", "job_situation", "job_motivation", "job_outcome"),
    "themes": ("theme_label", "area_label", "keywords", "guided"),
    "jobs": ("job_label", "motivation"),
    "pieces": ("text",),
}
# Columns of values (ids, categories), masked by :func:`miner.pii.mask_values`: a value
# that is an e-mail address or a phone number as a whole keeps a digest, so two stay two.
# Segment values come from the input's own columns, which can hold anything.
SHOWN_VALUES = {
    "segment_summary": ("segment",),
    "segment_lifts": ("segment",),
    "area_segment_lifts": ("segment",),
}


def masked_run(run: Run) -> Run:
    """A copy of ``run`` whose shown text has personal data masked (e-mail addresses,
    phone, card, IBAN, account and identity numbers, birth dates, addresses, titled
    names: :mod:`miner.pii`): the comments, job parts,
    piece texts, theme labels and keywords, job labels, and the input's own columns
    (customer id, segments, any other): an id that is an e-mail address becomes
    "[email #3f9a1c]" (:func:`miner.pii.mask_values`), so customers stay distinct.
    Numbers are untouched. A run masked already is returned as it is."""
    if run.masked:
        return run

    def masked(
        table: pd.DataFrame | None, columns: tuple[str, ...], values: tuple[str, ...] = ()
    ) -> pd.DataFrame | None:
        if table is None:
            return None
        table = table.copy()
        for column in columns + values:
            if column not in table.columns or not (
                pd.api.types.is_string_dtype(table[column]) or table[column].dtype == object
            ):
                continue  # numbers, dates and yes/no hold nothing to mask
            # Each distinct value masked once (a label repeats on thousands of rows).
            try:
                codes, uniques = pd.factorize(table[column], use_na_sentinel=True)
            except TypeError:  # lists or dicts (a JSON input): their text, as it is
                continue
            distinct = list(uniques)
            shown = (
                mask_values(distinct, key=run.meta.get("mask_key"))
                if column in values
                else mask_texts(distinct)
            )
            if shown == distinct:
                continue  # nothing to mask in this column
            shown = np.array(shown + [None], dtype=object)
            column_shown = pd.Series(shown[codes], index=table.index)
            missing = codes < 0
            if missing.any():
                column_shown[missing] = table[column][missing]
            table[column] = column_shown.astype(table[column].dtype)
        return table

    documents = run.documents
    text_col = (run.text_col,) if run.text_col in documents.columns else ()
    if text_col and "masked_text" in documents.columns:
        # The fit masked every comment already (``masked_text``, from the same text):
        # reuse it rather than masking 200,000 comments again on every open.
        values, masked_text = documents[run.text_col], documents["masked_text"]
        if values.dtype == object:  # cells of other types stay as they are
            texts = values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        else:
            texts = values.notna().to_numpy()
        filled = texts & masked_text.notna().to_numpy()
        changed = filled & (values.to_numpy(dtype=object) != masked_text.to_numpy(dtype=object))
        if changed.any():
            shown = values.where(~changed, masked_text.astype(values.dtype))
            documents = documents.assign(**{run.text_col: shown})
        text_col = ()
    # The input's own columns (id, segments, others), after the contract's.
    contract = {*schema.DOCUMENT_KEYS, *schema.DOCUMENT_COLUMNS, run.text_col}
    own = tuple(c for c in documents.columns if c not in contract)
    return dataclasses.replace(
        run,
        meta=_masked_meta(run.meta),
        documents=masked(documents, text_col + SHOWN_TEXT["documents"], own),
        themes=masked(run.themes, SHOWN_TEXT["themes"]),
        jobs=masked(run.jobs, SHOWN_TEXT["jobs"]),
        pieces=masked(run.pieces, SHOWN_TEXT["pieces"]),
        segment_summary=masked(run.segment_summary, (), SHOWN_VALUES["segment_summary"]),
        segment_lifts=masked(run.segment_lifts, (), SHOWN_VALUES["segment_lifts"]),
        area_segment_lifts=masked(run.area_segment_lifts, (), SHOWN_VALUES["area_segment_lifts"]),
        masked=True,
    )


def secondary_mentions(
    documents: pd.DataFrame,
    pieces: pd.DataFrame | None,
    theme_id: int,
    sentiments: list[str] | None = None,
    kinds: list[str] | None = None,
) -> pd.DataFrame:
    """Comments mainly about another theme (or none) that mention ``theme_id`` in a piece.

    One row per comment, closest piece first: ``row_id``, ``status``,
    ``main_theme_id`` and ``main_theme_label`` (the comment's own theme), ``text`` (its
    pieces about the theme, joined), ``sentiment_score`` and ``sentiment`` (of those
    pieces, or of the comment when they were not scored, as in
    :func:`mention_sentiments`). ``sentiments`` filters on that sentiment, ``kinds`` on
    the comment's kind. Empty when the run has no pieces.
    """
    from miner.schema import label_from_score

    # A comment's key: row_id, and question / batch in runs with several of them.
    keys = [k for k in schema.key_columns(documents) if pieces is None or k in pieces]
    columns = [*keys, "status", "main_theme_id", "main_theme_label", "text"]
    columns += ["sentiment_score", "sentiment"]
    if pieces is None or "theme_id" not in documents.columns:
        return pd.DataFrame(columns=columns)
    comments = filter_documents(documents, kinds=kinds).set_index(keys)
    about = pieces[pieces["theme_id"] == theme_id]
    index = _index(about, keys)
    about, index = about[index.isin(comments.index)], index[index.isin(comments.index)]
    about = about[comments.loc[index, "theme_id"].to_numpy() != theme_id]
    if about.empty:
        return pd.DataFrame(columns=columns)
    grouped = about.sort_values([*keys, "piece"]).groupby(keys, sort=False)
    found = pd.DataFrame(
        {
            "text": grouped["text"].agg(" … ".join),
            "sentiment_score": grouped["sentiment_score"].mean(),
            "closeness": grouped["theme_confidence"].max(),
        }
    )
    own = comments.loc[found.index]
    found["status"] = own["status"].astype(str).to_numpy()
    found["main_theme_id"] = own["theme_id"].to_numpy()
    label_column = "theme_label" if "theme_label" in own.columns else "theme_id"
    labels = own[label_column].astype(object).where(own["theme_id"].to_numpy() >= 0, "unassigned")
    found["main_theme_label"] = labels.fillna("unassigned").astype(str).to_numpy()
    found["sentiment"] = [label_from_score(v) for v in found["sentiment_score"]]
    if "sentiment" in own.columns and "sentiment_score" in own.columns:
        unscored = found["sentiment_score"].isna().to_numpy()
        found.loc[unscored, "sentiment"] = own["sentiment"].to_numpy()[unscored]
        found.loc[unscored, "sentiment_score"] = own["sentiment_score"].to_numpy()[unscored]
    if sentiments:
        found = found[found["sentiment"].isin(sentiments)]
    found = found.reset_index().sort_values(
        ["closeness", *keys], ascending=[False, *[True] * len(keys)]
    )
    return found[columns].reset_index(drop=True)


def _index(table: pd.DataFrame, keys: list[str]) -> pd.Index:
    return pd.MultiIndex.from_frame(table[keys]) if len(keys) > 1 else pd.Index(table[keys[0]])


def quotes(
    run: Run, theme_id: int, limit: int = 3, width: int = 220, cite: bool = False
) -> list[tuple]:
    """Example quotes (row id, text) behind a theme, most central first, each words of
    their own (pieces quoted for a theme mentioned in passing had repeated one sentence
    three times). ``cite``: (where, text), where "row 16", or "row 16 of batch
    'march'" in a run of several batches, whose rows each batch numbers from 0."""
    docs = run.documents
    row = run.themes.loc[run.themes["theme_id"] == theme_id]
    if row.empty:
        return []
    ids = _row_ids(row.iloc[0]["representative_row_ids"])
    rows = referenced(docs, ids, docs["theme_id"] == theme_id)
    texts = rows[run.text_col].astype(object).tolist()
    pieces = run.pieces
    if pieces is not None and len(pieces) and "theme_id" in rows.columns:
        # A comment that mentions the theme in passing: the piece about it is the quote.
        about = pieces[pieces["theme_id"] == theme_id].sort_values(
            "theme_confidence", ascending=False, kind="stable"
        )
        first = about.drop_duplicates("row_id").set_index("row_id")["text"]
        for k, (row_id, main) in enumerate(zip(rows["row_id"], rows["theme_id"], strict=True)):
            if main != theme_id and row_id in first.index:
                texts[k] = first.loc[row_id]
    found, seen = [], set()
    refs = [row_ref(row) for _, row in rows.iterrows()] if cite else rows["row_id"].tolist()
    for ref, text in zip(refs, texts, strict=True):
        key = " ".join(str(text).split()).casefold()
        if key not in seen and len(found) < limit:
            seen.add(key)
            found.append((ref, _shorten(str(text), width)))
    return found


# A comment that makes up this share of its theme (and at least REPEATED_MIN of its
# comments) word for word is shown beside the quotes: the quotes are distinct comments,
# and 60 identical "Keep up the good work!" had hidden behind quotes of 14 others.
REPEATED_SHARE = 0.2
REPEATED_MIN = 5


# A comment of this many words or more, repeated with small edits (a name added, a
# sentence reworded), is a template: the comments whose words are nearly its own
# (:data:`TEMPLATE_OVERLAP` of their distinct words shared) count with its copies. A
# consultation's 195 campaign responses had read as 152 repeats and 43 voices of their own.
TEMPLATE_WORDS = 8
TEMPLATE_OVERLAP = 0.8
_WORDS = re.compile(r"\w+")


def repeated_comment(run: Run, theme_id: int) -> tuple[str, int, int, int] | None:
    """The theme's most repeated comment: its text, times word for word, the theme's
    comments, and the times with nearly its words too (a template edited a little,
    :data:`TEMPLATE_WORDS`); when those are :data:`REPEATED_SHARE` of the theme's
    comments or more; else None."""
    docs = run.documents
    members = docs[(docs["theme_id"] == theme_id) & docs["status"].isin(ANALYSED)]
    if members.empty or run.text_col not in members.columns:
        return None
    texts = members[run.text_col].astype("string").fillna("")
    keys = texts.str.split().str.join(" ").str.casefold()  # spacing and case ignored
    counts = keys.value_counts()
    times = int(counts.iloc[0])
    text = str(texts[keys == counts.index[0]].iloc[0])
    near = times
    words = set(_WORDS.findall(text.casefold()))
    if len(words) >= TEMPLATE_WORDS:
        near = 0
        for key in keys.tolist():
            other = set(_WORDS.findall(key))
            near += len(words & other) >= TEMPLATE_OVERLAP * len(words | other)
    if near < max(REPEATED_MIN, REPEATED_SHARE * len(members)):
        return None
    return text, times, len(members), near


def repeated_words(times: int, near: int, total: int) -> str:
    """How a theme's repeated comment is counted: "the same words 15 times: 75% of the
    theme's 20 comments", or for a template "nearly the same words 195 times (152 word
    for word): 22% of ...: one template, sent many times"."""
    if near > times:
        return (
            f"nearly the same words {near:,} times ({times:,} word for word): "
            f"{near / total:.0%} of the theme's {total:,} comments; one template, sent many times"
        )
    return f"the same words {times:,} times: {times / total:.0%} of the theme's {total:,} comments"


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def to_markdown(run: Run, max_themes: int = 50, mask: bool = True, anonymous: bool = False) -> str:
    """A Markdown summary: corpus, themes by size with shares, keywords and quotes.

    ``mask``: personal data in what is shown is masked (:func:`masked_run`).
    ``anonymous``: quotes without their row (an anonymous share,
    :func:`miner.share.downloads`, also leaves small segment values out of ``run``)."""
    if mask:
        run = masked_run(run)
    docs = run.documents
    counts = status_counts(docs)
    analysed = sum(counts.get(s, 0) for s in ANALYSED)
    lines = [
        f"# Feedback report: {_source(run)}",
        "",
        # The analysed rows' statuses in brackets, the others after: the bracket adds
        # up to the figure before it (it had held every status).
        f"{len(docs):,} rows; {analysed:,} analysed ("
        + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()) if k in ANALYSED)
        + ")"
        + "".join(f"; {k} {v:,}" for k, v in sorted(counts.items()) if k not in ANALYSED)
        + ".",
        "",
    ]
    if counts.get("duplicate"):
        # "duplicate 795" had read as 795 resubmissions where 25 were
        lines[-1:-1] = [
            "A duplicate has the same words as an earlier comment (a common answer or a "
            "resubmission): counted as any comment, its words read once.",
        ]
    batches = run.meta.get("batches") or []
    if batches:  # a run that `miner score --into` added to
        named = "; ".join(f"{_md(str(b.get('name')))} ({int(b.get('rows', 0)):,})" for b in batches)
        lines += [f"Batches (rows): {named}.", ""]
    if anonymous:
        lines += [ANONYMOUS_NOTE, ""]
    lines += _columns_markdown(run)
    note = language_note(docs)
    if note:
        lines += [note, ""]
    lines += ["## Themes", ""]
    lines += curation_markdown(run)
    has_sentiment = "net_sentiment" in run.themes.columns
    # Multi-topic comments: a theme can be the main one of few comments and a point of
    # many (a planted defect "13 comments, 0.7%", last in the table, had 97 mentions
    # and ranked first on the roadmap).
    has_mentions = "mentions" in run.themes.columns
    counts = "| comments | mentions | share |" if has_mentions else "| comments | share |"
    rule = "|---:|---:|---:|" if has_mentions else "|---:|---:|"
    if has_sentiment:
        lines += [
            f"| # | theme {counts} net sentiment (n) | top kind | keywords |",
            f"|---:|---{rule}---:|---|---|",
        ]
    else:
        lines += [f"| # | theme {counts} keywords |", f"|---:|---{rule}---|"]
    ordered = run.themes
    if has_mentions:
        # Largest by mentions: a review's aspect that many make a point about but few
        # make their main one ("Sync", 511 mentions in 5 comments of 2,500 B2B reviews)
        # had been listed last of 49 (Unassigned stays last).
        ordered = (
            ordered.assign(_unassigned=ordered["theme_id"] < 0)
            .sort_values(
                ["_unassigned", "mentions", "comments"],
                ascending=[True, False, False],
                kind="stable",
            )
            .drop(columns="_unassigned")
        )
    shown = ordered.head(max_themes)
    left_out = ordered.iloc[max_themes:]
    nets = views.theme_nets(run, shown) if has_sentiment else []
    for position, theme in enumerate(shown.itertuples(index=False)):
        extra = ""
        if has_sentiment:
            extra = f"{nets[position]} | {top_kind(theme._asdict(), views.min_n(run))} | "
        mentioned = f"{int(theme.mentions):,} | " if has_mentions else ""
        lines.append(
            f"| {theme.theme_id} | {_md(str(theme.theme_label))} | {theme.comments:,} | "
            f"{mentioned}{theme.share:.1%} | "
            f"{extra}{_md(str(theme.keywords))} |"
        )
    if has_mentions:
        lines += [
            "",
            "Largest by mentions first. Comments: those mainly about the theme (share: of "
            "the analysed comments); mentions: those that make a point about it, also "
            "beside another main theme (the roadmap's and the score drivers' count"
            + ("; the n of net sentiment)." if has_sentiment else ")."),
        ]
    if len(left_out):
        names = "; ".join(
            f"{_md(str(t.theme_label))} ({t.comments:,}"
            + (f", {int(t.mentions):,} mentions)" if has_mentions else ")")
            for t in left_out.itertuples()
        )
        lines += ["", f"{schema.counted(len(left_out), 'more theme')}, smaller: {names}."]
    lines.append("")
    lines += _questions_markdown(run)
    lines += _jobs_markdown(run, anonymous=anonymous)
    for theme in shown.itertuples(index=False):
        if theme.theme_id < 0:
            continue
        label = _md(str(theme.theme_label))
        mentioned = getattr(theme, "mentions", 0)
        mentioned = int(mentioned) if pd.notna(mentioned) else 0
        also = f", {mentioned:,} mentions" if mentioned > theme.comments else ""
        counted = schema.counted(int(theme.comments), "comment")
        lines.append(f"### {label} ({counted}{also}, {theme.share:.1%})")
        lines.append("")
        for where, text in quotes(run, int(theme.theme_id), cite=True):
            lines.append(f"> {_md(text)}{_where(where, anonymous)}")
            lines.append("")
        if repeated := repeated_comment(run, int(theme.theme_id)):
            text, times, total, near = repeated
            lines += [f"> {_md(_shorten(text, 220))} ({repeated_words(times, near, total)})", ""]
    lines += changes_markdown(run)
    lines += insights_markdown(run)
    return "\n".join(lines).rstrip() + "\n"


def questions(run: Run, top: int = 3) -> list[dict]:
    """Per open question of a survey run (none with one text column): its answers
    (analysed rows), blank ones and its ``top`` themes by comments, largest first."""
    docs = run.documents
    if "question" not in docs.columns:
        return []
    order = run.meta.get("text_cols") or list(dict.fromkeys(docs["question"].dropna()))
    found = []
    for question in order:
        rows = docs[docs["question"] == question]
        analysed = rows[rows["status"].isin(ANALYSED)]
        themed = analysed[analysed["theme_id"] >= 0] if "theme_id" in analysed else analysed[:0]
        counts = themed.groupby(["theme_id", "theme_label"]).size().reset_index(name="comments")
        counts = counts.sort_values(["comments", "theme_id"], ascending=[False, True]).head(top)
        found.append(
            {
                "question": str(question),
                "answers": len(analysed),
                "empty": int((rows["status"] == "empty").sum()),
                "top_themes": [
                    {"theme_id": int(t.theme_id), "theme_label": str(t.theme_label),
                     "comments": int(t.comments)}
                    for t in counts.itertuples(index=False)
                ],
            }
        )  # fmt: skip
    return found


def _questions_markdown(run: Run) -> list[str]:
    found = questions(run)
    if not found:
        return []
    lines = [
        "## Questions",
        "",
        "| question | answers | empty | top themes |",
        "|---|---:|---:|---|",
    ]
    for item in found:
        tops = "; ".join(f"{t['theme_label']} ({t['comments']})" for t in item["top_themes"])
        lines.append(
            f"| {_md(item['question'])} | {item['answers']:,} | {item['empty']:,} | {_md(tops)} |"
        )
    return [*lines, ""]


def curation_markdown(run: Run) -> list[str]:
    """What the run's curation changed (``miner curate``), when it has one."""
    info = run.meta.get("curation")
    if not info:
        return []
    hidden = ", ".join(f"#{i}" for i in info["hidden"]) or "none"
    lines = [
        f"Curated: {info['edits']} edits (`miner curate RUN_DIR log`); hidden themes: {hidden}."
    ]
    lines += [f"Edit not applied: {_md(line)}" for line in info["skipped"]]
    return [*lines, ""]


def _source(run: Run) -> str:
    """What the run was fitted on: its input file, else its folder (an unsaved run:
    "run"); with the batches `miner score --into` added ("2026-09.csv and 2 batches
    added")."""
    if run.meta.get("source"):
        name = str(run.meta["source"])
    else:
        name = run.directory.name if run.directory is not None else "run"
    added = len(run.meta.get("batches") or []) - 1
    return f"{name} and {added} batch{'es' if added > 1 else ''} added" if added > 0 else name


def top_kind(theme: dict, minimum: int = 0) -> str:
    """The most common kind of a theme row, e.g. ``bug 62%``; "too few comments (2 of
    183 with a kind)" when fewer than ``minimum`` comments have one (the unassigned row
    of comments in other languages had shown "feature request 50%" of 2)."""
    shares = {k: theme.get(f"kind_{k}", 0) for k in KINDS}
    shares = {k: 0 if v is None or pd.isna(v) else v for k, v in shares.items()}
    kind = max(shares, key=shares.get)
    if not shares[kind]:
        return "-"
    comments = int(theme.get("comments", 0) or 0)
    read = theme.get("sentiment_n") if theme.get("theme_id", 0) < 0 else None
    read = comments if read is None or pd.isna(read) else int(read)
    if read < minimum:
        counts = f"{read:,} of {comments:,} with a kind" if read != comments else f"{read:,}"
        mentions = theme.get("mentions")
        if mentions is not None and not pd.isna(mentions) and int(mentions) > comments:
            # its kind is read from the comments mainly about it, not from those that
            # mention it beside their own subject ("too few (15)" beside 275 mentions)
            counts += f" mainly about it; {int(mentions):,} mention it"
        return f"{schema.TOO_FEW} ({counts})"
    return f"{kind.replace('_', ' ')} {shares[kind]:.0%}"


# What an anonymous report says of itself (its tables lose what could single one out).
ANONYMOUS_NOTE = (
    f"Anonymous: quotes without their row; segment values of fewer than "
    f"{schema.ANONYMOUS_MIN} comments are left out of the segment tables."
)


def _where(where: str, anonymous: bool) -> str:
    """A quote's source as the report shows it (``where``: "row 16", see
    :func:`miner.tables.row_ref`), none when anonymous."""
    return "" if anonymous else f" ({where})"


def _jobs_markdown(run: Run, limit: int = 10, anonymous: bool = False) -> list[str]:
    if run.jobs is None or run.jobs.empty:
        return []
    jobs = run.jobs.sort_values(["opportunity", "job_id"], ascending=[False, True]).head(limit)
    lines = [
        "## Jobs to be done (by opportunity)",
        "",
        "Opportunity = importance + max(importance − satisfaction, 0); importance = 10 × voices"
        " ÷ voices of the most-voiced job; satisfaction = 5 × (1 + mean sentiment).",
        "",
        "| job | voices | importance | satisfaction | opportunity |",
        "|---|---:|---:|---:|---:|",
    ]
    for job in jobs.itertuples(index=False):
        lines.append(
            f"| {_md(str(job.job_label))} | {job.voices} | {job.importance:.1f} | "
            f"{job.satisfaction:.1f} | {job.opportunity:.1f} |"
        )
    lines.append("")
    docs = run.documents
    for job in jobs.head(5).itertuples(index=False):
        lines.append(f"### {_md(str(job.job_label))}")
        lines.append("")
        among = docs["job_id"] == job.job_id if "job_id" in docs else None
        examples = referenced(docs, _row_ids(job.example_row_ids)[:3], among)
        for _, example in examples.iterrows():
            said = str(example[run.text_col])
            quote = _shorten(_from_sentence_about(said, str(job.job_label), 220), 220)
            lines.append(f"> {_md(quote)}{_where(row_ref(example), anonymous)}")
            lines.append("")
    return lines


_WORD = re.compile(r"[a-z0-9]{4,}")
_ITEM_BREAK = re.compile(r"\s*\n\s*(?:[-*•]\s+)?|\s+-\s+(?=\w)")


def _pieces(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``, each cut again at its list items (" • ")."""
    spans = []
    for start, end in sentence_spans(text, clauses=False):
        cuts = [start] + [start + m.end() for m in re.finditer(r" • ", text[start:end])]
        spans += list(zip(cuts, [*cuts[1:], end], strict=True))
    return spans


def _from_sentence_about(text: str, label: str, width: int) -> str:
    """``text`` from the sentence that shares the most words with ``label`` (a job's),
    "… " before it, when the whole does not fit ``width``: a call note's job said last
    ("also mentioned: ...") had been cut off its quote, which read as another request."""
    if len(" ".join(text.split())) <= width:
        return " ".join(text.split())
    # Sentences, and a note's lines and list items ("- also mentioned: ..."), which
    # carry no full stop.
    text = " ".join(_ITEM_BREAK.sub(" • ", text).split())
    wanted = set(_WORD.findall(label.lower()))
    spans = _pieces(text)
    if not wanted or len(spans) < 2:
        return text
    shared = [len(wanted & set(_WORD.findall(text[a:b].lower()))) for a, b in spans]
    best = max(range(len(spans)), key=lambda k: (shared[k], -k))
    if best == 0 or shared[best] == 0:
        return text
    return "… " + text[spans[best][0] :]


def _row_ids(value) -> list[int]:
    """Row ids stored as JSON ("[1, 2]") or space-separated text."""
    if isinstance(value, list):
        return [int(v) for v in value]
    text = str(value).strip().strip("'")
    if text.startswith("["):
        return [int(v) for v in json.loads(text)]
    return [int(v) for v in text.split()]


def _with_lists(record: dict, keys: tuple[str, ...]) -> dict:
    """``record`` with the id lists its table stores as text ("[1, 2]", "1 2") as lists."""
    return {
        key: _row_ids(value) if key in keys and isinstance(value, str | list) else value
        for key, value in record.items()
    }


def to_json(run: Run, mask: bool = True) -> str:
    """The themes (with quotes) and jobs as JSON; ``mask`` as in :func:`to_markdown`."""
    if mask:
        run = masked_run(run)
    payload = {
        "source": run.meta.get("source"),
        "rows": len(run.documents),
        "status": status_counts(run.documents),
        "languages": language_counts(run.documents),
        "themes": [
            {
                **_with_lists(record, ("representative_row_ids",)),
                "quotes": [t for _, t in quotes(run, int(record["theme_id"]))],
            }
            for record in run.themes.to_dict(orient="records")
        ],
    }
    if "question" in run.documents.columns:
        payload["questions"] = questions(run)
    if run.jobs is not None:
        payload["jobs"] = [
            _with_lists(record, ("theme_ids", "example_row_ids"))
            for record in run.jobs.to_dict(orient="records")
        ]
    if run.meta.get("insights"):
        payload["insights"] = insights_payload(run)
    # --previous; curation.json; batches (miner score --into) with their new topics
    for key in ("previous", "new_topics", "curation", "batches"):
        if run.meta.get(key):
            payload[key] = run.meta[key]
    return json.dumps(_no_nan(payload), indent=2, default=str, allow_nan=False) + "\n"


def _no_nan(value):
    """NaN (a figure resting on too few comments, or none) as JSON null."""
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_no_nan(v) for v in value]
    if isinstance(value, float) and (value != value or value in (np.inf, -np.inf)):
        return None  # a lift with nothing before (inf) too: its earlier share says 0
    if value is pd.NA or value is pd.NaT:
        return None
    return value


HTML_STYLE = (
    "body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0;font-size:13px}"
    "th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}"
    "th{background:#f4f4f4}blockquote{color:#444;border-left:3px solid #ccc;margin:.5em 0;"
    "padding-left:1em}figure{margin:1.5em 0}figcaption{font-size:13px;color:#555}"
)


def to_html(run: Run, mask: bool = True, anonymous: bool = False) -> str:
    """A self-contained HTML report: charts (inline SVG) above the Markdown report.

    Opens in any browser without a server, a script or a download; every customer
    text is escaped (raw HTML in the Markdown is not rendered). ``mask`` and
    ``anonymous`` as in :func:`to_markdown`.
    """
    import html

    from markdown_it import MarkdownIt

    if mask:
        run = masked_run(run)
    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
    markdown = to_markdown(run, mask=False, anonymous=anonymous)
    # The title and summary lines first, then the charts, then the sections.
    cut = markdown.find("\n## ")
    head, rest = (markdown[:cut], markdown[cut:]) if cut >= 0 else (markdown, "")
    charts = "".join(html_charts(run))
    title = html.escape(f"miner report: {_source(run)}")
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{HTML_STYLE}</style></head><body>{renderer.render(head)}{charts}"
        f"{renderer.render(rest)}</body></html>\n"
    )


def html_charts(run: Run, top: int = 20) -> list[str]:
    """The report's charts as ``<figure>`` elements: themes by sentiment, score drivers
    with their intervals, and each large theme's share over time."""
    from miner import svg

    figures = []
    documents = run.documents[run.documents["status"].isin(ANALYSED)]
    themes = run.themes[run.themes["theme_id"] >= 0].head(top)
    if len(themes):
        counts = (
            documents.groupby(["theme_id", "sentiment"]).size().unstack(fill_value=0)
            if "sentiment" in documents.columns
            else documents.groupby("theme_id").size().to_frame("neutral")
        )
        bars = [
            svg.StackedBar(
                label=str(row.theme_label),
                parts={k: float(v) for k, v in counts.loc[row.theme_id].items()}
                if row.theme_id in counts.index
                else {},
                title=f"{row.theme_label}: {int(row.comments):,} comments",
            )
            for row in themes.itertuples()
        ]
        figures.append(
            _figure(
                svg.stacked_bars(bars, "Themes by comments"),
                f"The {len(bars)} largest themes: comments whose main theme it is, by sentiment "
                f"(n = {len(documents):,} analysed comments).",
            )
        )
    drivers = run.drivers
    if drivers is not None and len(drivers):
        names = dict(zip(run.themes["theme_id"], run.themes["theme_label"], strict=True))
        shown = drivers[~drivers["too_few"].astype(bool)].sort_values("impact").head(top)
        rows = [
            svg.Interval(
                label=str(names.get(row.theme_id, row.theme_id)),
                value=float(row.impact),
                low=float(row.impact_low),
                high=float(row.impact_high),
                title="impact "
                + views.score_interval(run, row.impact, row.impact_low, row.impact_high)
                + f", {int(row.comments):,} comments",
            )
            for row in shown.itertuples()
        ]
        figures.append(
            _figure(
                svg.intervals(rows, "Score impact by theme"),
                "Score impact (score minus score without the theme's comments) with its "
                "bootstrap 95% interval; themes with too few scored comments left out.",
            )
        )
    if run.trends is not None and len(run.trends):
        trends = run.trends[run.trends["level"] == "theme"]
        periods = sorted(trends["period"].unique())
        cells = []
        for row in themes.head(10).itertuples():
            series = trends[trends["group_id"] == row.theme_id].set_index("period")["share"]
            values = [series.get(period) for period in periods]
            line = svg.sparkline(values, f"{row.theme_label}: share per period")
            if line:
                cells.append(f"<tr><td>{_escape(row.theme_label)}</td><td>{line}</td></tr>")
        if cells:
            table = "<table><tr><th>theme</th><th>share of each period</th></tr>"
            figures.append(
                _figure(
                    table + "".join(cells) + "</table>",
                    f"Share of each period's comments, {periods[0]} to {periods[-1]} "
                    "(gaps: too few comments).",
                )
            )
    return figures


def _escape(text) -> str:
    import html

    return html.escape(str(text))


def _figure(content: str, caption: str) -> str:
    if not content:
        return ""
    return f"<figure>{content}<figcaption>{_escape(caption)}</figcaption></figure>"


def _md(text: str) -> str:
    """Customer text (or a label made of it) in a Markdown line or table cell, kept
    readable: a table's ``|`` escaped, and what would make a viewer fetch or render
    something the customer wrote (an image ``![x](url)``, a link ``[x](url)``, raw HTML
    ``<img …>``, code) made plain text; ``[email]`` and ``*`` stay as written."""
    text = text.replace("|", "\\|").replace("\n", " ")
    return text.replace("<", "\\<").replace("`", "\\`").replace("](", "]\\(")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


# What a viewer turns into a link by itself (GFM's autolinks): a word with "http://"
# (any scheme) or starting "www.".
_LINKABLE = re.compile(r"(?i)[a-z]://|(?:^|[^\w.])www\.")


def escape_markdown(text: str) -> str:
    """Customer text shown as Markdown: one line, every markup character escaped, and a
    word a viewer would link by itself (a bare URL) shown as code, exactly as typed: the
    app had linked "http://evil" with the escape backslashes inside the link, and an
    invisible joiner that kept linkers off was copied with the quote."""
    return " ".join(
        _as_code(word) if _LINKABLE.search(word) else _MARKDOWN_SPECIAL.sub(r"\\\1", word)
        for word in text.split()
    )


def _as_code(word: str) -> str:
    """``word`` as a Markdown code span (no link, no markup, read as typed)."""
    fence = "`" * (max((len(run) for run in re.findall("`+", word)), default=0) + 1)
    pad = " " if word.startswith("`") or word.endswith("`") else ""
    return f"{fence}{pad}{word}{pad}{fence}"


def jobs_table(run: Run) -> pd.DataFrame:
    """The run's jobs with theme labels, voices and parsed row ids, by opportunity."""
    if run.jobs is None or run.jobs.empty:
        return pd.DataFrame(
            columns=["job_id", "job_label", "voices", "opportunity", "theme_ids", "theme_labels"]
        )
    jobs = run.jobs.copy()
    labels = dict(zip(run.themes["theme_id"], run.themes["theme_label"], strict=True))
    jobs["theme_ids"] = jobs["theme_ids"].map(_row_ids)
    jobs["theme_labels"] = jobs["theme_ids"].map(
        lambda ids: ", ".join(str(labels.get(i, i)) for i in ids)
    )
    jobs["example_row_ids"] = jobs["example_row_ids"].map(_row_ids)
    return jobs.sort_values(["opportunity", "job_id"], ascending=[False, True]).reset_index(
        drop=True
    )


def filter_documents(
    documents: pd.DataFrame,
    theme_id: int | None = None,
    job_id: int | None = None,
    sentiments: list[str] | None = None,
    kinds: list[str] | None = None,
) -> pd.DataFrame:
    """Analysed comments matching every filter given (None or empty = no filter)."""
    mask = documents["status"].isin(ANALYSED)
    if theme_id is not None and "theme_id" in documents.columns:
        mask &= documents["theme_id"] == theme_id
    if job_id is not None and "job_id" in documents.columns:
        mask &= documents["job_id"] == job_id
    if sentiments and "sentiment" in documents.columns:
        mask &= documents["sentiment"].isin(sentiments)
    if kinds and "kind" in documents.columns:
        mask &= documents["kind"].isin(kinds)
    return documents[mask]


# ------------------------------------------------------------------ insights
def _columns_markdown(run: Run) -> list[str]:
    """Which columns describe the comments, and how many analysed comments lack a value."""
    info = views.insight_info(run)
    meta = run.meta
    if not info:
        return []
    parts = []
    if meta.get("date_col"):
        period = (info.get("trends") or {}).get("period")
        parts.append(f"date `{meta['date_col']}`" + (f" (by {period})" if period else ""))
    if meta.get("segment_cols"):
        parts.append("segments " + ", ".join(f"`{c}`" for c in meta["segment_cols"]))
    if meta.get("score_col"):
        turned = ", turned round: its lowest value the best" if meta.get("score_reversed") else ""
        parts.append(f"score `{meta['score_col']}` ({meta.get('score_type')}{turned})")
    if not parts:
        return []
    lines = ["Columns: " + "; ".join(parts) + "."]
    without = info.get("without", {})
    if without:
        lines.append(
            "Analysed comments without a value (left out of what needs it): "
            + ", ".join(f"{column} {n:,}" for column, n in without.items())
            + "."
        )
    unreadable = unreadable_line(info.get("unreadable", {}))
    if unreadable:
        lines.append(unreadable + ".")
    doubt = score_type_doubt(meta)
    if doubt:
        lines.append(f"**{doubt}**")
    for what, why in info.get("not_computed", {}).items():
        lines.append(f"No {what}: {why}.")
    return [" ".join(lines), ""]


def _masked_meta(meta: dict) -> dict:
    """``meta`` with the labels, keywords and quotes of its new topics and previous-run
    comparison masked (they are built from comments)."""
    meta = dict(meta)
    if meta.get("source"):
        meta["source"] = shared_source(meta["source"])
    if meta.get("new_topics"):
        meta["new_topics"] = _masked_topics(meta["new_topics"])
    if meta.get("batches"):  # each batch's name, file and new topics (miner score --into)
        names = mask_values(
            [str(batch.get("name")) for batch in meta["batches"]], key=meta.get("mask_key")
        )
        meta["batches"] = [
            {
                **batch,
                "name": name,
                **({"source": shared_source(batch["source"])} if batch.get("source") else {}),
                **(
                    {"new_topics": _masked_topics(batch["new_topics"])}
                    if batch.get("new_topics")
                    else {}
                ),
            }
            for batch, name in zip(meta["batches"], names, strict=True)
        ]
    if meta.get("previous"):
        themes = [
            {
                **row,
                **{
                    key: mask_texts([row[key]])[0]
                    for key in ("previous_label", "current_label")
                    if row.get(key)
                },
            }
            for row in meta["previous"].get("themes", [])
        ]
        meta["previous"] = {**meta["previous"], "themes": themes}
        if meta["previous"].get("previous"):  # the earlier run's folder: its name alone
            meta["previous"]["previous"] = shared_source(meta["previous"]["previous"])
    return meta


def shared_source(path) -> str:
    """An input file as shared reports name it: its file name alone (the folders above it
    are the user's own: "/home/ellen.ripley/Exports/..."), personal data in it masked
    ("ellen.ripley@weyland.com.csv" -> "[email].csv")."""
    name = Path(str(path)).name
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        return mask_texts([name])[0]
    return f"{mask_texts([stem])[0]}.{suffix}"


def _masked_topics(new_topics: dict) -> dict:
    topics = [
        {
            **topic,
            "label": mask_texts([topic["label"]])[0],
            "keywords": mask_texts(list(topic.get("keywords", []))),
            "examples": mask_texts(list(topic.get("examples", []))),
        }
        for topic in new_topics.get("topics", [])
    ]
    return {**new_topics, "topics": topics}


def changes_markdown(run: Run) -> list[str]:
    """ "Since the previous run" (a run fitted with ``--previous``) and its new topics."""
    lines: list[str] = []
    previous = run.meta.get("previous")
    if previous:
        counts = previous.get("counts", {})
        lines += [
            "## Since the previous run",
            "",
            f"Compared with {_md(str(previous.get('previous', '')))} (themes paired by the "
            f"similarity of their centres, at least {previous.get('threshold', 0):.2f}): "
            + ", ".join(f"{counts.get(s, 0)} {s}" for s in counts)
            + ".",
            "",
        ]
        changed = [row for row in previous.get("themes", []) if row["status"] != "matched"]
        now = views.labels(run)
        if changed:
            lines += ["| change | previous theme | comments | theme now | comments |"]
            lines += ["|---|---|---:|---|---:|"]
            for row in changed:
                lines.append(
                    f"| {row['status']} | {_theme_cell(row, 'previous')} | "
                    f"{_count(row['previous_comments'])} | {_theme_cell(row, 'current', now)} | "
                    f"{_count(row['current_comments'])} |"
                )
            lines.append("")
    new_topics = run.meta.get("new_topics")
    if new_topics:
        lines += new_topics_markdown(new_topics)
    for batch in run.meta.get("batches") or []:
        if batch.get("new_topics"):
            lines += new_topics_markdown(
                batch["new_topics"],
                f"New topics in batch '{batch['name']}'",
                "the run's model (they count for no theme of the run: `theme_novel` marks "
                "them in documents.parquet)",
            )
    return lines


def new_topics_markdown(
    new_topics: dict, title: str = "New topics", model: str = "the previous model"
) -> list[str]:
    """The "New topics" section: comments no theme of the previous ``model`` (or of
    the run's own, for a batch) explains."""
    topics = new_topics.get("topics", [])
    lines = [
        f"## {_md(title)}",
        "",
        f"{new_topics.get('novel', 0):,} of {new_topics.get('analysed', 0):,} analysed comments "
        f"({new_topics.get('novel_share', 0):.1%}) are far from every theme of {model}; "
        f"clusters of {new_topics.get('min_comments', 0)}+ of them:" + ("" if topics else " none."),
        "",
    ]
    for topic in topics:
        lines.append(
            f"### {_md(topic['label'])} ({topic['comments']:,} comments, {topic['share']:.1%})"
        )
        lines.append("")
        if topic.get("keywords"):
            lines += [_md("; ".join(topic["keywords"])), ""]
        for quote in topic.get("examples", []):
            lines += [f"> {_md(_shorten(quote, 220))}", ""]
    return lines


def _theme_cell(row: dict, side: str, now: dict | None = None) -> str:
    """A theme of the comparison; ``now``: this run's labels (as its curation names
    them, which the comparison made at fit time predates)."""
    theme = row.get(f"{side}_id")
    if theme is None:
        return ""
    label = (now or {}).get(int(theme), row[f"{side}_label"])
    return f"#{theme} {_md(str(label))}"


def _count(value) -> str:
    return "" if value is None else f"{int(value):,}"


def insights_markdown(run: Run) -> list[str]:
    """The trends, emerging/fading, segments and drivers sections (those the run has)."""
    texts = views.methods(run)
    lines: list[str] = []
    if run.trends is not None and "trends" in texts:
        lines += _trends_markdown(run, texts["trends"])
    if run.emerging is not None and "emerging" in texts:
        lines += _emerging_markdown(run, texts["emerging"])
    if run.segment_summary is not None and "segments" in texts:
        lines += _segments_markdown(run, texts["segments"])
    if run.drivers is not None and "drivers" in texts:
        lines += _drivers_markdown(run, texts["drivers"])
    return lines


NO_COMMENTS = "no comments"


def _share(value, n=None) -> str:
    if value is None or pd.isna(value):
        return TOO_FEW
    return f"{value:.1%}" + (f" ({int(n):,})" if n is not None else "")


def _signed(value, digits: int = 1) -> str:
    return TOO_FEW if value is None or pd.isna(value) else f"{value:+.{digits}f}"


def _p(value) -> str:
    return "" if value is None or pd.isna(value) else f"{value:.2g}"


def _trends_markdown(run: Run, method: str) -> list[str]:
    period = views.insight_info(run)["trends"]["period"]
    totals = views.period_totals(run)
    heads = [
        p + ("*" if incomplete else "")
        for p, incomplete in totals[["period", "incomplete"]].itertuples(index=False)
    ]
    # A period without a comment (between two survey waves) has no share to read: not
    # "too few comments", which says some were there.
    idle = (totals["period_comments"] == 0).tolist()
    # Shares are of the comments in English when the run holds others (no theme).
    english = " in English" if language_note(run.documents) else ""
    lines = [f"## Trends by {period}", "", method, ""]
    lines += _score_by_period_markdown(run, period, heads)
    sections = [
        ("Themes", "theme", 50),
        ("Areas", "area", 50),
        ("Jobs (the 10 most voiced)", "job", 10),
    ]
    for title, level, limit in sections:
        shares = views.trend_view(run, level, "share").head(limit)
        if shares.empty:
            continue
        counts = views.trend_view(run, level, "comments").loc[shares.index]
        lines += [f"### {title}: share of comments", "", _header(level, heads)]
        for label in shares.index:
            cells = [
                NO_COMMENTS if empty else _share(s, c)
                for s, c, empty in zip(shares.loc[label], counts.loc[label], idle, strict=True)
            ]
            lines.append(f"| {_md(str(label))} | " + " | ".join(cells) + " |")
        lines.append(
            f"| n (analysed comments{english}) | "
            + " | ".join(f"{int(n):,}" for n in totals["period_comments"])
            + " |"
        )
        lines.append("")
    has_sentiment = "sentiment" in run.documents.columns
    net = views.trend_view(run, "theme", "net_sentiment")
    if has_sentiment and not net.empty:
        lines += [f"### Themes: net sentiment by {period}", ""]
        shown = net[net.notna().any(axis=1)]
        if len(shown):
            lines.append(_header("theme", heads))
            for label in shown.index:
                cells = [
                    NO_COMMENTS if empty else _signed(v, 0)
                    for v, empty in zip(shown.loc[label], idle, strict=True)
                ]
                lines.append(f"| {_md(str(label))} | " + " | ".join(cells) + " |")
        hidden = len(net) - len(shown)
        if hidden:
            lines.append(
                f"{hidden:,} themes have fewer than {views.min_n(run)} comments in every "
                f"{period}: their net sentiment by {period} is {TOO_FEW}."
            )
        lines.append("")
    return lines


def _score_by_period_markdown(run: Run, period: str, heads: list[str]) -> list[str]:
    """The score of each period with its 95% interval and n (each respondent once), or
    nothing without a score."""
    found = views.insight_info(run)["trends"].get("score_by_period")
    if not found:
        return []
    name = schema.score_name(run.meta.get("score_type"), capital=True)
    cells = []
    for row in found:
        if not row["n"]:
            cells.append(NO_COMMENTS)
        elif row["score"] is None:
            cells.append(f"{TOO_FEW} (n = {row['n']:,})")
        else:
            level = views.score_level(run, row["score"], row["low"], row["high"])
            cells.append(f"{level} (n = {row['n']:,})")
    if len(cells) != len(heads):
        return []
    return [
        f"### {name} by {period} [95% interval] (n)",
        "",
        "Of the analysed comments with a score, each respondent once, in any language: the "
        "base of the segments' scores (the drivers count those in English).",
        "",
        "| | " + " | ".join(heads) + " |",
        "|---|" + "---:|" * len(heads),
        f"| {name} | " + " | ".join(cells) + " |",
        "",
    ]


def _header(first: str, heads: list[str]) -> str:
    return f"| {first} | " + " | ".join(heads) + " |\n|---|" + "---:|" * len(heads)


def emerging_head(group: str = "theme") -> tuple[str, str]:
    return (
        f"| {group} | flag | period | share (n) | earlier share (n) | lift | adjusted p "
        "| first seen |",
        "|---|---|---|---:|---:|---:|---:|---|",
    )


def _emerging_counts(table: pd.DataFrame, group: str) -> str:
    """How many flags among how many comparisons, period by period and latest."""
    tested = table[table["comparison"] == schema.COMPARE_PERIOD]
    recent = table[table["comparison"] == schema.COMPARE_RECENT]
    summary = (
        f"Period by period: {schema.counted(int(tested['flagged'].sum()), 'flag')} among "
        f"{schema.counted(len(tested), f'{group} × period comparison')} "
        f"({int(tested['too_few'].sum()):,} of them {TOO_FEW})."
    )
    if len(recent):
        summary += (
            f" The latest periods against all before them: "
            f"{schema.counted(int(recent['flagged'].sum()), 'flag')} among "
            f"{schema.counted(len(recent), group)} "
            f"({int(recent['too_few'].sum()):,} of them {TOO_FEW})."
        )
    return summary


def _emerging_markdown(run: Run, method: str) -> list[str]:
    lines = ["## Emerging and fading themes", ""]
    if views.one_period(run):
        period = views.insight_info(run)["trends"]["period"]
        lines.append(
            f"Every dated comment falls in one {period}: there is no earlier {period} to "
            "compare with."
        )
        return [*lines, ""]
    lines += [method, "", _emerging_counts(run.emerging, "theme"), ""]
    min_n = views.min_n(run)
    if len(run.emerging) and run.emerging["too_few"].mean() >= 0.9 and min_n > 10:
        areas = " The areas below group themes and are tested too." if _has_areas(run) else ""
        lines += [
            f"Nearly every comparison rests on fewer than {min_n} comments, so "
            "few themes can be tested: fit again with a lower `--min-n` (such as 10: "
            "smaller themes tested, with wider uncertainty) or fewer themes "
            f"(`--granularity coarser`).{areas}",
            "",
        ]
    lines += _emerging_tables(run, "theme")
    if _has_areas(run):
        lines += [
            "### Areas (groups of themes)",
            "",
            "The same tests over each area's comments (a comment about two themes of one "
            "area counts once for it).",
            "",
            _emerging_counts(run.area_emerging, "area"),
            "",
            *_emerging_tables(run, "area"),
        ]
    return lines


def _has_areas(run: Run) -> bool:
    return run.area_emerging is not None and len(run.area_emerging) > 0


def _emerging_tables(run: Run, level: str) -> list[str]:
    """The flagged comparisons of themes (or areas) period by period, then every
    group's latest periods against all before them."""
    lines: list[str] = []
    flagged = views.emerging_view(run, level=level)
    if len(flagged):
        lines += list(emerging_head(level))
        for row in flagged.itertuples(index=False):
            lines.append(_emerging_row(row, getattr(row, f"{level}_label")))
        lines.append("")
    recent = views.emerging_view(run, "recent", level=level)
    if len(recent):
        window = recent["period"].iloc[0]
        heading = "### Latest periods" if level == "theme" else "#### Areas: latest periods"
        lines += [f"{heading} ({window}) against all before them", ""]
        if "incomplete" in recent.columns and recent["incomplete"].fillna(False).any():
            # The window's last period is still open (a six-day December had counted
            # in the window's flags unsaid).
            last = str(window).split("..")[-1]
            lines += [f"{last}, the last of them, is incomplete: its days so far count.", ""]
        lines += [*emerging_head(level)]
        for row in recent.itertuples(index=False):
            lines.append(_emerging_row(row, getattr(row, f"{level}_label")))
        lines.append("")
    return lines


def _emerging_row(row, label: str) -> str:
    if row.too_few:
        share = f"{TOO_FEW} ({int(row.comments):,} of {int(row.period_comments):,})"
        earlier = f"({int(row.baseline_comments):,} of {int(row.baseline_total):,})"
        figures = f"{share} | {earlier} | {TOO_FEW} | "
    else:
        share = f"{row.share:.1%} ({int(row.comments):,} of {int(row.period_comments):,})"
        earlier = (
            f"{row.baseline_share:.1%} ({int(row.baseline_comments):,} of "
            f"{int(row.baseline_total):,})"
        )
        figures = f"{share} | {earlier} | {views.lift_text(row.lift)} | "
    flag = row.direction or ""
    return (
        f"| {_md(str(label))} | {flag} | {row.period} | {figures}"
        f"{_p(row.p_adj)} | {row.first_seen or ''} |"
    )


def _segments_markdown(run: Run, method: str) -> list[str]:
    lines = ["## Segments", ""]
    summary = run.segment_summary
    scored = views.has_group_scores(summary)
    score_head = f" {views.score_name(run)} [95% interval] (n) |" if scored else ""
    for column, rows in summary.groupby("segment_column", sort=False):
        lines += [
            f"### {_md(str(column))}",
            "",
            f"| {_md(str(column))} | comments | share | net sentiment |{score_head}",
            "|---|---:|---:|---:|" + ("---:|" if scored else ""),
        ]
        has_sentiment = "sentiment" in run.documents.columns
        for row in rows.itertuples(index=False):
            net = views.segment_net(row, views.min_n(run)) if has_sentiment else "-"
            score = f" {views.group_score(run, row)} |" if scored else ""
            lines.append(
                f"| {_md(str(row.segment))} | {int(row.comments):,} | {row.share:.1%} | {net} |"
                + score
            )
        lines.append("")
    lines += ["### Over- and under-indexed themes", "", method, ""]
    lines += _lifts_markdown(run, "theme")
    if run.area_segment_lifts is not None and len(run.area_segment_lifts):
        lines += _areas_part(
            "Over- and under-indexed areas (groups of themes)", "test", _lifts_markdown(run, "area")
        )
    return lines


def _areas_part(title: str, what: str, body: list[str]) -> list[str]:
    """A section's part about areas: its heading, what it repeats, its lines."""
    return [f"### {title}", "", f"The same {what} over each area's comments.", "", *body]


def _lifts_markdown(run: Run, level: str) -> list[str]:
    lifts = run.segment_lifts if level == "theme" else run.area_segment_lifts
    flagged = views.segment_view(run, level=level)
    lines = [
        f"{len(flagged):,} flagged of {len(lifts):,} {level} × segment pairs "
        f"({int(lifts['too_few'].sum()):,} of them {TOO_FEW}).",
        "",
    ]
    if len(flagged):
        lines += [
            f"| segment | {level} | flag | share in segment (n) | share overall | lift "
            "| adjusted p |",
            "|---|---|---|---:|---:|---:|---:|",
        ]
        for row in flagged.itertuples(index=False):
            lines.append(
                f"| {_md(str(row.segment_column))} = {_md(str(row.segment))} | "
                f"{_md(str(getattr(row, f'{level}_label')))} | {row.direction} | "
                f"{row.share:.1%} ({int(row.comments):,} of {int(row.segment_comments):,}) | "
                f"{row.overall_share:.1%} | {row.lift:.2f} | {_p(row.p_adj)} |"
            )
        lines.append("")
    return lines


def _drivers_markdown(run: Run, method: str) -> list[str]:
    info = views.insight_info(run)["drivers"]
    score = info["score"]
    name = schema.score_name(info["score_type"], capital=True)
    overall = views.score_line(info)
    if "promoters" in score:
        overall += (
            f"; of the analysed: promoters {score['promoters']:.1%}, passives "
            f"{score['passives']:.1%}, detractors {score['detractors']:.1%}"
        )
    lines = [f"## Score drivers ({name})", "", overall + ".", ""]
    if against := against_sentiment_line(info):
        lines += [f"**{against}.**", ""]
    lines += [method, ""]
    lines += _drivers_table(run, "theme", info)
    if run.area_drivers is not None and len(run.area_drivers):
        lines += _areas_part(
            "Areas (groups of themes)", "estimates", _drivers_table(run, "area", info)
        )
    return lines


def _drivers_table(run: Run, level: str, info: dict) -> list[str]:
    unit = info["resample_unit"]  # customers, respondents (several questions) or comments
    counted = "comments" if unit == "comments" else f"comments ({unit})"
    ci = " [95% CI]" if run.meta.get("insights", {}).get("drivers", {}).get("resamples") else ""
    lines = [
        f"| rank | {level} | {counted} | impact{ci} | effect{ci} |",
        "|---:|---|---:|---:|---:|",
    ]
    for row in views.driver_view(run, level).itertuples(index=False):
        rank = "" if pd.isna(row.rank) else str(int(row.rank))
        counts = f"{int(row.comments):,}"
        if unit != "comments":
            counts += f" ({int(row.voices):,})"
        lines.append(
            f"| {rank} | {_md(str(getattr(row, f'{level}_label')))} | {counts} | "
            + " | ".join(
                views.score_interval(run, value, low, high, row.too_few)
                for value, low, high in (
                    (row.impact, row.impact_low, row.impact_high),
                    (row.effect, row.effect_low, row.effect_high),
                )
            )
            + " |"
        )
    lines.append("")
    return lines


def insights_payload(run: Run) -> dict:
    """The insights for ``miner report --format json``: columns, methods and tables.

    Every figure carries its n; a figure resting on too few comments is null with
    ``too_few`` true.
    """
    info = views.insight_info(run)
    payload: dict = {
        "columns": {
            key: run.meta.get(key)
            for key in ("date_col", "segment_cols", "score_col", "score_type")
        },
        "min_n": info.get("min_n"),
        "analysed": info.get("analysed"),
        "without_value": info.get("without", {}),
        "unreadable": info.get("unreadable", {}),
        "not_computed": info.get("not_computed", {}),
        "methods": views.methods(run),
    }
    if run.trends is not None:
        trends = run.trends.copy()
        for level in ("theme", "area", "job"):
            names = views.labels(run, level)
            at = trends["level"] == level
            trends.loc[at, "label"] = trends.loc[at, "group_id"].map(names)
        payload["trends"] = {**info.get("trends", {}), "rows": _records(trends)}
    if run.emerging is not None:
        payload["emerging"] = _records(views.emerging_view(run)) + _records(
            views.emerging_view(run, "recent")
        )
    if run.area_emerging is not None:
        payload["area_emerging"] = _records(views.emerging_view(run, level="area")) + _records(
            views.emerging_view(run, "recent", level="area")
        )
    if run.segment_summary is not None:
        payload["segments"] = {
            **info.get("segments", {}),
            "summary": _records(run.segment_summary),
            "flagged": _records(views.segment_view(run)),
        }
        if run.area_segment_lifts is not None:
            payload["segments"]["flagged_areas"] = _records(views.segment_view(run, level="area"))
    if run.drivers is not None:
        payload["drivers"] = {**info.get("drivers", {}), "themes": _records(views.driver_view(run))}
        if run.area_drivers is not None:
            payload["drivers"]["areas"] = _records(views.driver_view(run, "area"))
    return payload


def _records(table: pd.DataFrame) -> list[dict]:
    table = table.astype(object).where(table.notna(), None)
    return table.to_dict(orient="records")
