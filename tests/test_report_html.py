"""The HTML report: self-contained (no script, nothing fetched), charts with their n,
customer text escaped."""

from __future__ import annotations

import re

from miner import schema
from miner.persist import load_run
from miner.report import to_html


def test_html_report_is_self_contained_with_charts(small_run):
    run = load_run(small_run[0])
    page = to_html(run)
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page.lower()
    # Nothing is fetched: the only address is the SVG namespace.
    assert set(re.findall(r"https?://[^\"' )]+", page)) == {"http://www.w3.org/2000/svg"}
    assert page.count("<figure>") == 3  # themes by sentiment, drivers, shares over time
    # One bar group per theme (20 at most), each bar's hover text with its comments.
    themes = run.themes[run.themes["theme_id"] >= 0].head(20)
    for row in themes.itertuples():
        assert f"{row.theme_label}: {int(row.comments):,} comments" in page
    analysed = int(run.documents["status"].isin(schema.ANALYSED).sum())
    assert f"(n = {analysed:,} analysed comments)" in page
    assert "<h2>Themes</h2>" in page and "<table>" in page


def test_html_report_escapes_customer_text_and_labels(small_run):
    run = load_run(small_run[0])
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(2)>"
    run.themes.loc[run.themes.index[0], "theme_label"] = hostile
    documents = run.documents
    first = documents.index[documents["theme_id"] == run.themes["theme_id"].iloc[0]][0]
    for column in (run.text_col, "masked_text"):
        documents.loc[first, column] = hostile
    page = to_html(run, mask=False)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;" in page


def test_markdown_in_customer_text_fetches_and_links_nothing(small_run):
    from miner.report import to_markdown

    run = load_run(small_run[0])
    pasted = "Broken again ![screenshot](https://tracker.example.net/p.png) see [docs](http://x.io)"
    run.themes.loc[run.themes.index[0], "theme_label"] = "[Click](http://x.io) `rm -rf`"
    documents = run.documents
    first = documents.index[documents["theme_id"] == run.themes["theme_id"].iloc[0]][0]
    for column in (run.text_col, "masked_text"):
        documents.loc[first, column] = pasted
    text = to_markdown(run, mask=False)
    # Neither an image, a link nor code: each made plain text.
    assert "](http" not in text and "| [Click]\\(http://x.io) \\`rm -rf\\` |" in text
    page = to_html(run, mask=False)
    assert 'tracker.example.net/p.png"' not in page and "<img" not in page
    assert "<a href" not in page


def test_json_report_gives_id_lists_as_lists(small_run):
    import json

    from miner.report import to_json

    run = load_run(small_run[0])
    payload = json.loads(to_json(run))
    themes = [t for t in payload["themes"] if t["representative_row_ids"]]
    assert themes and all(
        isinstance(t["representative_row_ids"], list)
        and all(isinstance(i, int) for i in t["representative_row_ids"])
        for t in themes
    )
    assert payload["jobs"]  # they were text: "[10, 15, 24]"
    for job in payload["jobs"]:
        assert isinstance(job["theme_ids"], list) and isinstance(job["example_row_ids"], list)


def test_the_apps_quotes_show_a_url_as_typed_and_link_nothing():
    from miner.report import escape_markdown

    # The app had linked "http://evil" with its escape backslashes inside the link
    # (http://evil%22%5C); then an invisible word joiner kept linkers off, and was copied
    # with the quote. A bare URL is code now: no link, and the characters as typed.
    shown = escape_markdown('=HYPERLINK("http://evil") the *export*')
    assert shown == '`=HYPERLINK("http://evil")` the \\*export\\*'
    assert escape_markdown("see www.example.com/x_y now") == "see `www.example.com/x_y` now"
    assert escape_markdown("(www.a.io) ftp://b") == "`(www.a.io)` `ftp://b`"
    assert escape_markdown("odd`https://x``y`") == "``` odd`https://x``y` ```"
    assert escape_markdown("www is fine, see https") == "www is fine, see https"
    assert escape_markdown("awww.nice") == "awww\\.nice"
    assert "\u2060" not in escape_markdown("http://a www.b")


def test_a_comment_repeated_through_a_theme_is_shown_with_its_count():
    import pandas as pd

    from miner.persist import Run
    from miner.report import repeated_comment, to_markdown

    # The quotes are distinct comments: 60 identical "Keep up the good work!" in a theme
    # of 74 had hidden behind quotes of the 14 others, about a support agent.
    texts = (
        ["Keep up the good  work!"] * 12
        + ["keep up the good work!"] * 3
        + [f"Maria on the help desk sorted my invoice problem, case {i}" for i in range(5)]
    )
    documents = pd.DataFrame(
        {
            "row_id": range(20),
            "status": ["ok"] + ["duplicate"] * 14 + ["ok"] * 5,
            "theme_id": [0] * 20,
            "comment": texts,
        }
    )
    themes = pd.DataFrame(
        {"theme_id": [0], "theme_label": ["Help desk"], "comments": [20], "share": [1.0],
         "keywords": [""], "representative_row_ids": ["[15, 16, 17]"]}
    )  # fmt: skip
    run = Run(documents=documents, themes=themes, meta={"text_col": "comment"})
    assert repeated_comment(run, 0) == ("Keep up the good  work!", 15, 20, 15)
    text = to_markdown(run)
    assert "> Keep up the good work! (the same words 15 times: 75% of the theme's 20" in text
    documents["comment"] = [f"comment {i} about the help desk" for i in range(20)]
    assert repeated_comment(run, 0) is None
    # A template sent with small edits (a consultation's campaign: 152 word for word and
    # 43 edited had read as 152 repeats and 43 voices of their own) counts as one.
    template = (
        "I strongly object to the scheme because it will push traffic onto residential streets"
    )
    documents["comment"] = (
        [template] * 8
        + [template.replace("strongly ", "") + f", resident {i}" for i in range(4)]
        + [f"comment {i} about the help desk" for i in range(8)]
    )
    documents["status"] = ["ok"] + ["duplicate"] * 7 + ["ok"] * 12
    assert repeated_comment(run, 0) == (template, 8, 20, 12)
    text = to_markdown(run)
    assert "(nearly the same words 12 times (8 word for word): 60% of the theme's 20" in text


def test_a_jobs_quote_starts_at_the_sentence_that_states_it():
    # A call note's job said last ("also mentioned: ...") had been cut off its quote at
    # 220 characters, which then read as another request (7 of 30 job quotes).
    from miner.report import _from_sentence_about

    note = (
        "Cork Books feedback. I want a bulk endpoint so we don't hit 429s. Our sync takes "
        "nine hours now and the team waits every morning for the numbers to arrive. Also "
        "mentioned: we need a contractual guarantee that data stays in the CH region."
    )
    label = "I want a contractual guarantee that data stays in the CH region."
    assert _from_sentence_about(note, label, 120) == (
        "… Also mentioned: we need a contractual guarantee that data stays in the CH region."
    )
    assert _from_sentence_about(note, "I want a bulk endpoint.", 120).startswith("… I want a bulk")
    assert _from_sentence_about(note, label, 400) == note  # it fits: the whole comment
    # A note's list items carry no full stop: each is a place to start from.
    items = (
        "Batch edit for tasks. - I need to select 50 rows and update the status in one go - "
        "Would save me hours per week - i need to prove who approved each change - This is "
        "a blocker for our renewal - also mentioned: we need our data stored in switzerland"
    )
    assert _from_sentence_about(items, "I want our data stored in Switzerland.", 120) == (
        "… also mentioned: we need our data stored in switzerland"
    )
