"""Multi-topic comments: pieces, every theme a comment mentions, per-theme sentiment."""

from __future__ import annotations

import itertools
import shutil

import numpy as np
import pandas as pd
import pytest

from miner.batch import fit_run, score_file
from miner.clean import clean, normalise
from miner.persist import load_run
from miner.pieces import PIECE_COLUMNS, plan_pieces
from miner.report import secondary_mentions, to_markdown
from miner.sentences import sentence_spans, split_sentences
from miner.sentiment import label_from_score
from miner.tables import mention_sentiments, theme_table

MIXED = "I love the new dashboard design. But the bank sync keeps failing every morning."


def _combine(openers, endings) -> list[str]:
    return [f"{a} {s} {p}." for (a, s), p in itertools.product(openers, endings)]


UI = _combine(
    [
        ("The", "new dashboard design"),
        ("I love how the", "dashboard layout"),
        ("The", "redesigned home screen"),
        ("Honestly the", "dashboard colours"),
        ("The", "fresh dashboard look"),
    ],
    ["looks clean and modern", "is so much easier to read", "is beautiful, well done"],
)
SYNC = _combine(
    [
        ("The", "bank sync"),
        ("My", "bank feed"),
        ("The", "connection to my bank"),
        ("The", "automatic transaction import"),
        ("The", "card feed from my bank"),
    ],
    ["keeps failing every morning", "stopped working again", "drops half of my transactions"],
)
EXPORT = _combine(
    [
        ("The", "invoice export"),
        ("The", "CSV export of invoices"),
        ("Exporting invoices", "to Excel"),
        ("The", "PDF export of my invoices"),
    ],
    ["is missing the VAT column", "takes forever to finish", "produces a broken file"],
)


# ------------------------------------------------------------------ pieces
def test_spans_slice_the_text_and_align_with_split_sentences():
    text = "Great app overall!  But the export is broken, however support helped. Thanks"
    pieces, spans = split_sentences(text), sentence_spans(text)
    assert len(pieces) == len(spans) == 4
    assert [text[a:b] for a, b in spans] == pieces
    assert sentence_spans("") == [] and sentence_spans(None) == []


def test_short_pieces_join_a_neighbour_and_single_topics_are_not_split():
    text = "Thanks! The bank feed fails every single day. Also the invoice export lacks VAT. Cheers"
    plan = plan_pieces(text)
    assert [text[a:b] for a, b, _ in plan] == [
        "Thanks! The bank feed fails every single day.",
        "Also the invoice export lacks VAT. Cheers",
    ]
    assert [sentences for _, _, sentences in plan] == [[0, 1], [2, 3]]
    assert plan_pieces("The bank feed fails every single day.") == []
    # A second sentence without a topic of its own does not make two pieces.
    assert plan_pieces("The bank feed fails every single day. Thanks so much!") == []
    assert plan_pieces("") == [] and plan_pieces(None) == []


def test_a_conceding_clause_stays_in_the_piece_of_its_point():
    # "even though my wifi is fine", cut off, had made a theme "Wifi" of praise from
    # 101 "device offline" complaints (a helper's smart-home reviews).
    from miner.sentences import split_sentences

    text = (
        "The app constantly says the device is offline even though my wifi is fine. "
        "Night vision is crisp and clear at night."
    )
    assert len(split_sentences(text)) == 3  # the sentiment still reads the clause alone
    assert [text[a:b] for a, b, _ in plan_pieces(text)] == [
        "The app constantly says the device is offline even though my wifi is fine.",
        "Night vision is crisp and clear at night.",
    ]
    # A contrast is a point of its own.
    both = "The picture quality is sharp and bright, but the subscription price is a ripoff."
    assert len(plan_pieces(both)) == 2


def test_label_from_score_follows_the_heads_labels():
    assert [label_from_score(s) for s in (0.9, 0.1, -0.1, -0.9)] == [
        "positive",
        "neutral",
        "neutral",
        "negative",
    ]
    assert label_from_score(float("nan")) is None


def test_net_sentiment_counts_each_comment_by_its_part_about_the_theme():
    documents = pd.DataFrame(
        {
            "row_id": [0, 1, 2, 3],
            "status": ["ok", "ok", "ok", "empty"],
            "theme_id": [0, 0, 1, -1],
            "theme_label": ["Sync", "Sync", "Design", None],
            "theme_confidence": [0.9, 0.8, 0.9, np.nan],
            "theme_ids": [np.array([0, 1]), np.array([0]), np.array([1]), np.array([], int)],
            "sentiment": ["negative", "negative", "positive", None],
            "kind": ["bug", "bug", "praise", None],
        }
    )
    pieces = pd.DataFrame(
        {
            "row_id": [0, 0],
            "piece": [0, 1],
            "text": ["Love the design.", "Sync is broken."],
            "start": [0, 17],
            "end": [16, 32],
            "theme_id": [1, 0],
            "theme_confidence": [0.7, 0.8],
            "sentiment_score": [0.8, -0.9],
        }
    )
    themes = pd.DataFrame(
        {"theme_id": [0, 1], "label": ["Sync", "Design"], "keywords": [["sync"], ["design"]]}
    )
    table = theme_table(documents, themes, pieces=pieces).set_index("theme_id")
    assert table.loc[0, "comments"] == 2 and table.loc[0, "mentions"] == 2
    assert table.loc[1, "comments"] == 1 and table.loc[1, "mentions"] == 2
    # Row 0 is negative as a whole, but its words about the design are positive.
    assert table.loc[1, "net_sentiment"] == 100.0
    assert table.loc[0, "net_sentiment"] == -100.0
    assert table.loc[1, "kind_praise"] == 1.0  # kinds stay those of the main-theme comments
    mentions = mention_sentiments(documents[documents["status"] == "ok"], pieces)
    assert mentions.values.tolist() == [
        [0, 0, "negative"],
        [0, 1, "positive"],
        [1, 0, "negative"],
        [2, 1, "positive"],
    ]
    also = secondary_mentions(documents, pieces, theme_id=1)
    assert also["row_id"].tolist() == [0]
    assert also.loc[0, "text"] == "Love the design."
    assert also.loc[0, "main_theme_label"] == "Sync"
    assert also.loc[0, "sentiment"] == "positive"
    assert secondary_mentions(documents, pieces, 1, sentiments=["negative"]).empty
    assert secondary_mentions(documents, None, 1).empty
    # Without theme_ids (runs written before multi-topic comments): the old table.
    old = theme_table(documents.drop(columns="theme_ids"), themes, pieces=pieces)
    assert "mentions" not in old.columns
    assert old.set_index("theme_id").loc[1, "net_sentiment"] == 100.0


def test_a_theme_only_mentioned_in_passing_is_quoted_by_its_pieces():
    # A consultation's air quality was the main theme of no response but in 255 of
    # their pieces: "0 comments" and no quote had been all the report said of it.
    from miner.persist import Run
    from miner.report import quotes

    documents = pd.DataFrame(
        {
            "row_id": [0, 1, 2],
            "status": ["ok", "ok", "ok"],
            "comment": [
                "The bus lane is welcome. The air near the school is foul.",
                "More buses please. Fumes at the school gate every morning.",
                "Buses are late.",
            ],
            "theme_id": [0, 0, 0],
            "theme_confidence": [0.9, 0.8, 0.7],
            "theme_ids": [np.array([0, 1]), np.array([0, 1]), np.array([0])],
        }
    )
    pieces = pd.DataFrame(
        {
            "row_id": [0, 0, 1, 1],
            "piece": [0, 1, 0, 1],
            "text": [
                "The bus lane is welcome.",
                "The air near the school is foul.",
                "More buses please.",
                "Fumes at the school gate every morning.",
            ],
            "start": [0, 25, 0, 19],
            "end": [24, 57, 18, 58],
            "theme_id": [0, 1, 0, 1],
            "theme_confidence": [0.9, 0.6, 0.8, 0.7],
            "sentiment_score": [0.5, -0.8, 0.2, -0.7],
        }
    )
    themes = pd.DataFrame(
        {"theme_id": [0, 1], "label": ["Buses", "Air quality"], "keywords": [["bus"], ["air"]]}
    )
    table = theme_table(documents, themes, pieces=pieces).set_index("theme_id")
    assert table.loc[1, "comments"] == 0 and table.loc[1, "mentions"] == 2
    assert table.loc[1, "representative_row_ids"] == "1 0"  # the most central piece first
    run = Run(
        documents=documents,
        themes=table.reset_index(),
        meta={"text_col": "comment"},
        pieces=pieces,
    )
    assert quotes(run, 1) == [
        (1, "Fumes at the school gate every morning."),
        (0, "The air near the school is foul."),
    ]
    # Each quote has words of its own: a piece repeated word for word is quoted once.
    pieces.loc[3, "text"] = "the air near the school is foul."
    assert [text for _, text in quotes(run, 1)] == ["the air near the school is foul."]
    assert [text for _, text in quotes(run, 0)][0] == documents["comment"][0]


# ------------------------------------------------------- a fit with two themes
@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    """A run on comments about design, bank sync and export, plus one about two themes
    (written twice: the second is a duplicate)."""
    folder = tmp_path_factory.mktemp("mixed")
    comments = [*UI, *SYNC, *EXPORT, MIXED, MIXED.lower()]
    pd.DataFrame({"comment": comments}).to_csv(folder / "mixed.csv", index=False)
    fit_run(folder / "mixed.csv", folder / "run", text_col="comment")
    return load_run(folder / "run")


def test_a_comment_about_two_themes_counts_in_both_with_its_own_tone(mixed_run):
    docs = mixed_run.documents
    ui_theme = int(docs["theme_id"].iloc[: len(UI)].mode()[0])
    sync_theme = int(docs["theme_id"].iloc[len(UI) : len(UI) + len(SYNC)].mode()[0])
    assert ui_theme != sync_theme
    mixed = docs.iloc[-2]
    assert list(mixed["theme_ids"]) in ([ui_theme, sync_theme], [sync_theme, ui_theme])
    assert mixed["theme_ids"][0] == mixed["theme_id"]
    assert mixed["sentiment"] != "positive"  # as a whole the comment is not happy

    pieces = mixed_run.pieces
    about = pieces[pieces["row_id"] == mixed["row_id"]].set_index("theme_id")
    assert about.loc[ui_theme, "text"] == "I love the new dashboard design."
    assert about.loc[ui_theme, "sentiment_score"] > 0.2
    assert about.loc[sync_theme, "sentiment_score"] < -0.2

    # The design theme's own comments, and the two mixed ones for their design part.
    themes = mixed_run.themes.set_index("theme_id")
    members = docs.iloc[:-2][docs["theme_id"].iloc[:-2] == ui_theme]
    assert themes.loc[ui_theme, "mentions"] == len(members) + 2
    positive = (members["sentiment"] == "positive").sum() + 2
    negative = (members["sentiment"] == "negative").sum()
    expected = round(100 * (positive - negative) / (len(members) + 2), 1)
    assert themes.loc[ui_theme, "net_sentiment"] == expected
    analysed = docs[docs["status"].isin(["ok", "duplicate"])]
    mentions = mention_sentiments(analysed, pieces)
    of_mixed = mentions[mentions["row_id"] == mixed["row_id"]].set_index("theme_id")
    assert of_mixed.loc[sync_theme, "sentiment"] == "negative"
    assert of_mixed.loc[ui_theme, "sentiment"] == "positive"


def test_single_topic_comments_list_only_their_theme(mixed_run):
    single = mixed_run.documents.iloc[:-2]
    pairs = zip(single["theme_ids"], single["theme_id"], strict=True)
    assert all(list(ids) == [t] for ids, t in pairs)


def test_a_duplicate_repeats_its_first_comments_pieces(mixed_run):
    docs, pieces = mixed_run.documents, mixed_run.pieces
    first, duplicate = docs.iloc[-2], docs.iloc[-1]
    assert duplicate["status"] == "duplicate"
    assert list(duplicate["theme_ids"]) == list(first["theme_ids"])
    mine = pieces[pieces["row_id"] == duplicate["row_id"]].reset_index(drop=True)
    theirs = pieces[pieces["row_id"] == first["row_id"]].reset_index(drop=True)
    assert len(mine) == 2
    same = ["piece", "start", "end", "theme_id", "theme_confidence", "sentiment_score"]
    pd.testing.assert_frame_equal(mine[same], theirs[same])
    # Each row's text is its own comment's, at the same offsets.
    assert mine["text"].tolist() == [t.lower() for t in theirs["text"]]
    cleaned = normalise(duplicate["comment"])
    assert [cleaned[a:b] for a, b in zip(mine["start"], mine["end"], strict=True)] == mine[
        "text"
    ].tolist()


# ------------------------------------------------------- the demo slice run
def test_segments_parquet_offsets_slice_the_cleaned_comment(small_run):
    run = load_run(small_run[0])
    pieces, docs = run.pieces, run.documents.set_index("row_id")
    assert pieces is not None and len(pieces) > 0
    assert list(pieces.columns) == list(PIECE_COLUMNS)
    for row in pieces.itertuples():
        # Offsets point into the text analysis reads: normalised, e-mail furniture cut.
        cleaned = clean([str(docs.loc[row.row_id, "comment"])]).texts[0]
        assert cleaned[row.start : row.end] == row.text
    # Rows are grouped by comment, pieces numbered from 0 in text order.
    for _, group in pieces.groupby("row_id"):
        assert group["piece"].tolist() == list(range(len(group)))
        assert group["start"].is_monotonic_increasing and len(group) >= 2
    analysed = docs[docs["status"].isin(["ok", "duplicate"])]
    assert set(pieces["row_id"]) <= set(analysed.index)
    # Only multi-sentence comments are split.
    for row_id in pieces["row_id"].unique()[:50]:
        assert len(split_sentences(normalise(docs.loc[row_id, "comment"]))) >= 2


def test_theme_ids_start_with_the_main_theme_and_match_the_pieces(small_run):
    run = load_run(small_run[0])
    docs, pieces = run.documents, run.pieces
    assert docs.columns.get_loc("theme_ids") < docs.columns.get_loc("sentiment")
    with_theme = docs[docs["theme_id"] >= 0]
    pairs = zip(with_theme["theme_ids"], with_theme["theme_id"], strict=True)
    assert all(ids[0] == t for ids, t in pairs)
    analysed = docs["status"].isin(["ok", "duplicate"])
    assert all(len(ids) == 0 for ids in docs.loc[~analysed, "theme_ids"])
    piece_themes = pieces[pieces["theme_id"] >= 0].groupby("row_id")["theme_id"].agg(set)
    for row in docs.itertuples():
        expected = {row.theme_id} - {-1} | piece_themes.get(row.row_id, set())
        assert set(row.theme_ids) == expected and len(row.theme_ids) == len(expected)
    # Mentions count every comment that names the theme, so never fewer than its size.
    themes = run.themes[run.themes["theme_id"] >= 0]
    counts = docs.loc[analysed, "theme_ids"].explode().value_counts()
    assert (themes["mentions"] >= themes["comments"]).all()
    assert themes["mentions"].tolist() == [int(counts.get(t, 0)) for t in themes["theme_id"]]


def test_runs_without_pieces_still_load_and_report(small_run, tmp_path, cli):
    old = tmp_path / "old"
    shutil.copytree(small_run[0], old)
    (old / "pieces.parquet").unlink()
    documents = pd.read_parquet(old / "documents.parquet").drop(columns="theme_ids")
    documents.to_parquet(old / "documents.parquet", index=False)
    run = load_run(old)
    assert run.pieces is None and "theme_ids" not in run.documents.columns
    assert to_markdown(run).startswith("# Feedback report")
    assert secondary_mentions(run.documents, run.pieces, 0).empty
    code, out, _ = cli("report", old, "--format", "json")
    assert code == 0 and '"themes"' in out


def test_scoring_in_chunks_gives_the_fitted_theme_ids(small_run, small_scored, tmp_path):
    scored = pd.read_parquet(small_scored[0])  # scored in chunks of 150 rows
    fitted = load_run(small_run[0]).documents
    assert scored["row_id"].tolist() == list(range(len(fitted)))
    assert [list(ids) for ids in scored["theme_ids"]] == [list(ids) for ids in fitted["theme_ids"]]
    assert (scored["theme_ids"].map(len) >= 2).any()
    # CSV output writes each list as JSON.
    head = tmp_path / "head.csv"
    source = pd.read_parquet(small_run[0] / "documents.parquet")
    several = source.index[source["theme_ids"].map(len) >= 2][:3].tolist()
    rows = sorted({*range(40), *several})
    inputs = source.loc[rows, ["comment"]]
    inputs.to_csv(head, index=False)
    csv_out = tmp_path / "scored.csv"
    score_file(head, csv_out, model=small_run[0] / "model", text_col="comment")
    as_csv = pd.read_csv(csv_out, keep_default_na=False)
    assert as_csv["theme_ids"].tolist() == [
        "[" + ", ".join(str(t) for t in ids) + "]" for ids in fitted.loc[rows, "theme_ids"]
    ]


def test_the_report_table_gives_each_themes_mentions_beside_its_comments(small_run):
    # A theme that is the main one of few comments and a point of many had been
    # listed last with "13 comments, 0.7%" (97 mentions, first on the roadmap).
    run = load_run(small_run[0])
    text = to_markdown(run)
    header = "| # | theme | comments | mentions | share | net sentiment (n) | top kind | keywords |"
    assert header in text
    table = text.split(header)[1].split("\n\n")[0].splitlines()[2:]
    rows = {line.split(" | ")[1]: line for line in table}
    assert len(rows) >= 3
    for theme in run.themes.itertuples():
        if theme.theme_label in rows:
            assert f"| {theme.comments:,} | {int(theme.mentions):,} | " in rows[theme.theme_label]
    assert "mentions: those that make a point about it" in text


def test_a_net_sentiment_gives_the_n_of_comments_with_a_sentiment():
    # The unassigned row of a worldwide app's reviews had shown "-8 (n = 930)" where 53
    # of its 930 comments had a sentiment (the others in other languages).
    from types import SimpleNamespace

    from miner.insights import views

    n = 40
    documents = pd.DataFrame(
        {
            "row_id": range(n),
            "status": "ok",
            "theme_id": [0] * 10 + [-1] * 30,
            "theme_ids": [np.array([0])] * 10 + [np.array([], int)] * 30,
            "sentiment": ["negative"] * 10 + ["positive"] * 6 + [None] * 24,
            "kind": ["bug"] * 10 + ["praise"] * 6 + [None] * 24,
            "theme_confidence": 0.5,
        }
    )
    themes = pd.DataFrame({"theme_id": [0], "label": ["Sync"], "keywords": [["sync"]]})
    table = theme_table(documents, themes)
    table = table.set_index("theme_id", drop=False)
    assert table.loc[-1, "comments"] == 30 and table.loc[-1, "sentiment_n"] == 6
    assert table.loc[0, "sentiment_n"] == 10
    run = SimpleNamespace(meta={"insights": {"min_n": 5}})
    assert views.theme_nets(run, table) == ["-100 (n = 10)", "+100 (n = 6 of 30)"]
    run.meta["insights"]["min_n"] = 8
    assert views.theme_nets(run, table)[1] == "too few comments (6 of 30 with a sentiment)"
    # The top kind, the same: not "praise 100%" of 6 comments below the minimum.
    from miner.report import top_kind

    rows = table.to_dict(orient="records")
    assert [top_kind(r, 5) for r in rows] == ["bug 100%", "praise 100%"]
    assert [top_kind(r, 8) for r in rows] == ["bug 100%", "too few comments (6 of 30 with a kind)"]
    assert top_kind(rows[0], 11) == "too few comments (10)"
    # Mentioned by more comments than are mainly about it: said, as "(15)" beside 275
    # mentions had read as a contradiction.
    assert top_kind({**rows[0], "mentions": 275}, 11) == (
        "too few comments (10 mainly about it; 275 mention it)"
    )
    # A run written before sentiment_n: the n of the comments, as then.
    older = table.drop(columns="sentiment_n")
    assert views.theme_nets(run, older) == ["-100 (n = 10)", "+100 (n = 30)"]
