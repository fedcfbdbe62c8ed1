"""The roadmap feed as JSON (validated against the shipped schema), Markdown and CSV.

- JSON: :func:`to_json`; the feed follows ``roadmap.schema.json`` (shipped in the
  package, versioned by its ``$id`` and ``schema_version``; :func:`validate` checks
  a feed against it with ``jsonschema``).
- Markdown: :func:`to_markdown`, one section per list, one sub-section per item,
  readable pasted into a planning document.
- CSV: :func:`items_frame` (one row per item: factors, contributions, quotes) and
  :func:`cocreators_frame` (one row per item x co-creator, with their quotes),
  written formula-safe (:func:`miner.persist.spreadsheet_safe`).
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from importlib import resources

import pandas as pd

from miner.persist import spreadsheet_safe
from miner.roadmap.priority import FACTORS
from miner.schema import TOO_FEW
from miner.tables import row_ref

SCHEMA_FILE = "roadmap.schema.json"
LISTS = {"themes": "Themes", "jobs": "Jobs to be done"}
QUOTE_WIDTH = 300  # a Markdown quote longer than this is cut (the JSON keeps it whole)
# Escaped in customer text so it cannot start markup; the rest reads as written.
_MARKUP = re.compile(r"([\\`*_\[\]<>|])")


def escape_markdown(text: str) -> str:
    """Customer text as one Markdown line that cannot turn into markup (emphasis, links,
    HTML, table cells), light enough to read when pasted into a planning document."""
    text = _MARKUP.sub(r"\\\1", " ".join(str(text).split()))
    if text[:1] and text[0] in "#+->":
        return "\\" + text
    return re.sub(r"^(\d+)\.", r"\1\\.", text)


def _shorten(text: str, width: int = QUOTE_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + " …"


@cache
def schema() -> dict:
    """The feed's JSON Schema, as shipped in the package."""
    return json.loads(resources.files("miner.roadmap").joinpath(SCHEMA_FILE).read_text())


def validate(feed: dict) -> None:
    """Raise ``jsonschema.ValidationError`` when ``feed`` does not follow the schema."""
    import jsonschema

    jsonschema.validate(feed, schema(), cls=jsonschema.Draft202012Validator)


def to_json(feed: dict) -> str:
    return json.dumps(feed, indent=2, ensure_ascii=False) + "\n"


def anonymous(feed: dict) -> dict:
    """``feed`` for an audience that must not single anyone out (an employee or patient
    survey's roadmap): quotes without customer, row id or date, no co-creators (an
    engagement survey's roadmap had quoted each respondent's id with the exact day and
    proposed employees to invite). Marked ``"anonymous": true``."""
    out = copy.deepcopy(feed)
    out["anonymous"] = True
    for key in (*LISTS, "areas"):
        for item in out.get(key) or []:
            for quote in item.get("quotes", []):
                quote.update(customer_id=None, row_id=None, date=None)
                quote.pop("batch", None)
            if "co_creators" in item:
                item["co_creators"] = []
    return out


def _quote_line(quote: dict) -> str:
    who = f"customer {quote['customer_id']}, " if quote.get("customer_id") else ""
    when = f", {quote['date']}" if quote.get("date") else ""
    text = escape_markdown(_shorten(quote["text"]))
    if quote.get("row_id") is None:  # an anonymous feed
        return f"> {text}"
    return f"> {text}\n>\n> — {who}{row_ref(quote)}{when}"


def growth_note(feed: dict) -> str:
    """Why a feed of a run with dates has no growth factor, or "" when it has one."""
    if not feed["run"]["date_col"] or "growth" in feed["factors"]:
        return ""
    since = feed["window"]["since"]
    return (
        "Growth is left out: too few dated comments before the latest periods (or"
        + (f" from {since}" if since else " in them")
        + ") to compare with."
    )


def language_note(feed: dict) -> str:
    """How many of the window's comments are in other languages (no theme or job, so
    in no item), or "" when none."""
    other = feed["window"].get("other_languages")
    if not other:
        return ""
    return (
        f"{other:,} of the {feed['window']['comments']:,} comments are in other languages: "
        "no theme or job (miner reads English), so no item counts them."
    )


def to_markdown(feed: dict) -> str:
    """The feed as Markdown: per list, a ranking table, then each item explained."""
    window = feed["window"]
    since = f" from {window['since']}" if window["since"] else ""
    lines = [
        "# Roadmap feed",
        "",
        f"{window['comments']:,} analysed comments{since}"
        + (f" ({window['first']} to {window['last']})" if window["first"] else "")
        + f"; voices are {feed['voices']}"
        + (f", weighted by `{feed['value_col']}`" if feed.get("value_col") else "")
        + ".",
        "Priority = Σ weight × factor / Σ weight over "
        + ", ".join(f"{f} ({feed['weights'][f]:g})" for f in feed["factors"])
        + "; each factor is 0..1 within its list (see the README, Roadmap priority).",
    ]
    if note := growth_note(feed):
        lines.append(note)
    if note := language_note(feed):
        lines.append(note)
    for gone in window.get("without") or ():
        values = ", ".join(gone["values"])
        lines.append(
            f"Left out: {gone['comments']:,} comments whose {escape_markdown(gone['column'])} "
            f"is {escape_markdown(values)} (--leave-out)."
        )
    if feed.get("value_note"):
        lines.append(f"Value: {escape_markdown(feed['value_note'])}.")
    lines.append("")
    if feed.get("new_topics"):  # no theme yet, so in no list: named first
        lines += [
            "## New topics in added batches (not ranked: no theme of the run yet)",
            "",
            "Comments of a batch added with `score --into` that no theme explains, "
            "clustered; fit the run again to make them themes.",
            "",
        ]
        for topic in feed["new_topics"]:
            example = topic["examples"][0] if topic["examples"] else ""
            lines.append(
                f"- **{escape_markdown(topic['label'])}** (batch "
                f"'{escape_markdown(topic['batch'])}'): {topic['comments']:,} of its "
                f"{topic['batch_comments']:,} analysed comments ({topic['share']:.1%})"
                + (f', such as "{escape_markdown(_shorten(example))}"' if example else "")
            )
        lines.append("")
    if feed.get("areas"):  # a pain cut into several themes, summed up: before the themes
        lines += ["## Areas (groups of themes)", "", *_ranking(feed, feed["areas"])]
        for area in feed["areas"]:
            themes = ", ".join(
                f"{escape_markdown(t['label'])} (rank {t['rank']})"
                if t["rank"]
                else escape_markdown(t["label"])
                for t in area["themes"]
            )
            lines.append(
                f"- **{area['rank']}. {escape_markdown(area['label'])}** (`{area['id']}`): "
                f"{escape_markdown(area['why'])}. Themes: {themes}."
            )
        lines.append("")
    # Whether the run has kinds (a themes-only run has none): its quotes carry them.
    kinds = any(
        quote.get("kind")
        for key in LISTS
        for item in feed.get(key) or []
        for quote in item["quotes"]
    )
    for key, title in LISTS.items():
        items = feed.get(key) or []
        if not items:
            continue
        lines += [f"## {title}", "", *_ranking(feed, items)]
        for item in items:
            lines += _item_markdown(item, kinds)
    return "\n".join(lines).rstrip() + "\n"


def _ranking(feed: dict, items: list[dict]) -> list[str]:
    """A list's ranking table: rank, item, priority, each factor's contribution, voices."""
    heads = ["#", "item", "priority", *feed["factors"], feed["voices"]]
    lines = ["| " + " | ".join(heads) + " |"]
    lines.append("|" + "|".join("---:" if h != "item" else "---" for h in heads) + "|")
    for item in items:
        parts = {f["factor"]: f["contribution"] for f in item["factors"]}
        cells = [str(item["rank"]), escape_markdown(item["label"]), f"{item['priority']:.3f}"]
        cells += [f"{parts.get(f, 0):.3f}" for f in feed["factors"]]
        cells.append(f"{item['voices']:,}")
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _item_markdown(item: dict, kinds: bool) -> list[str]:
    lines = [f"### {item['rank']}. {escape_markdown(item['label'])} (`{item['id']}`)", ""]
    lines.append(f"- **Why it ranks here:** {escape_markdown(item['why'])}.")
    if item["kind_mix"]:
        mix = ", ".join(f"{k} {v:.0%}" for k, v in item["kind_mix"].items())
        lines.append(f"- **Kinds:** {mix}.")
    elif kinds:  # the run has kinds: this item's comments are too few for shares
        lines.append(f"- **Kinds:** {TOO_FEW} ({item['comments']:,}) for shares.")
    if item["linked"]:
        word = "Jobs" if item["level"] == "theme" else "Themes"
        linked = "; ".join(
            f"{escape_markdown(link['label'])} ({link['comments']})" for link in item["linked"]
        )
        lines.append(f"- **{word}:** {linked}.")
    lines.append("")
    for quote in item["quotes"]:
        lines += [_quote_line(quote), ""]
    if item["co_creators"]:
        lines.append("**Co-creators to invite:**")
        lines.append("")
        for person in item["co_creators"]:
            reasons = "; ".join(escape_markdown(r) for r in person["reasons"])
            lines.append(f"- customer {person['customer_id']} ({person['score']:.2f}): {reasons}")
        lines.append("")
    return lines


def items_frame(feed: dict) -> pd.DataFrame:
    """One row per item of the areas and both lists: rank, id, label, priority, every
    factor's value and contribution, voices, kinds, linked items (an area's: its themes),
    quotes and co-creators (as text)."""
    rows = []
    for key in ("areas", *LISTS):
        for item in feed.get(key) or []:
            row = {
                "list": item["level"],
                "rank": item["rank"],
                "id": item["id"],
                "label": item["label"],
                "area": item.get("area"),
                "priority": item["priority"],
            }
            values = {f["factor"]: f for f in item["factors"]}
            for factor in FACTORS:
                found = values.get(factor)
                row[factor] = found["value"] if found else None
                row[f"{factor}_contribution"] = found["contribution"] if found else None
            row.update(
                voices=item["voices"],
                comments=item["comments"],
                top_kind=item.get("top_kind"),
                why=item["why"],
                linked="; ".join(
                    link["label"] for link in item.get("linked", item.get("themes", []))
                ),
                quotes=" | ".join(
                    (f"[{row_ref(q)}] " if q.get("row_id") is not None else "") + q["text"]
                    for q in item.get("quotes", [])
                ),
                co_creators="; ".join(p["customer_id"] for p in item.get("co_creators", [])),
            )
            rows.append(row)
    return pd.DataFrame(rows)


def contributions_frame(items: list[dict]) -> pd.DataFrame:
    """One row per item x factor, for a stacked bar per item: ``rank``, ``id``,
    ``label``, ``priority``, ``factor``, ``value``, ``weight``, ``contribution``,
    ``evidence``."""
    rows = [
        {
            "rank": item["rank"],
            "id": item["id"],
            "label": item["label"],
            "priority": item["priority"],
            **factor,
        }
        for item in items
        for factor in item["factors"]
    ]
    columns = ["rank", "id", "label", "priority", "factor", "value", "weight"]
    return pd.DataFrame(rows, columns=[*columns, "contribution", "evidence"])


def filter_items(
    items: list[dict], areas: list[str] | None = None, kinds: list[str] | None = None
) -> list[dict]:
    """The items in one of ``areas`` (themes' areas) whose most common kind is one of
    ``kinds``; None or empty: no filter on it."""
    return [
        item
        for item in items
        if (not areas or item.get("area") in areas) and (not kinds or item.get("top_kind") in kinds)
    ]


def cocreators_frame(feed: dict, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (item, co-creator): the item, the customer, score, reasons and
    their quotes on the item (``documents``: the masked texts by row id, or by row id
    and question in a survey of several questions: :func:`quote_texts`)."""
    rows = []
    for key in LISTS:
        for item in feed.get(key) or []:
            for person in item["co_creators"]:
                quotes = []
                if documents is not None:
                    # Several questions: each answer by its row and question.
                    ids = person["row_ids"]
                    questions = person.get("questions")
                    keys = list(zip(ids, questions, strict=True)) if questions else ids
                    quotes = [
                        f"[row {row}] {documents[key]}"
                        for row, key in zip(ids, keys, strict=True)
                        if key in documents
                    ]
                rows.append(
                    {
                        "list": item["level"],
                        "item_rank": item["rank"],
                        "item_id": item["id"],
                        "item_label": item["label"],
                        "customer_id": person["customer_id"],
                        "cocreator_score": person["score"],
                        "reasons": "; ".join(person["reasons"]),
                        "row_ids": " ".join(map(str, person["row_ids"])),
                        "quotes": " | ".join(quotes),
                    }
                )
    return pd.DataFrame(rows)


def quote_texts(run) -> dict:
    """Row id -> the comment as quoted (personal data masked), for
    :func:`cocreators_frame`; (row id, question) in a survey of several questions,
    whose answers share the row id."""
    from miner.insights.views import quote_text
    from miner.report import masked_run

    run = masked_run(run)
    texts = quote_text(run, run.documents).map(lambda t: " ".join(str(t).split()))
    rows = run.documents["row_id"].astype(int).tolist()
    if "question" in run.documents.columns:
        rows = list(zip(rows, run.documents["question"].astype(str), strict=True))
    return dict(zip(rows, texts, strict=True))


def to_csv(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text, formula-safe."""
    return spreadsheet_safe(frame).to_csv(index=False)
