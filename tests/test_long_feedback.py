"""Themes of long, multi-point feedback: fitted on the pieces of each comment."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from miner.errors import InvalidConfig
from miner.pieces import LONG_COMMENT_WORDS, is_long_feedback, resolve_theme_unit
from miner.themes.labels import label_problems


@pytest.fixture(scope="module")
def long_demo(demo_frames):
    """Long comments, each joining four demo comments about (mostly) different themes,
    fitted in piece mode (themes only)."""
    from miner import FeedbackMiner

    feedback, truth = demo_frames
    merged = feedback.merge(truth[["response_id", "theme"]], on="response_id")
    planted = merged[merged["theme"].notna() & (merged["theme"] != "")].head(600)
    texts, themes = [], []
    for start in range(0, len(planted) - 3, 4):
        block = planted.iloc[start : start + 4]
        texts.append(" ".join(block["comment"]))
        themes.append(set(block["theme"]))
    frame = pd.DataFrame({"comment": texts})
    miner = FeedbackMiner(seed=42, per_document=False).fit(frame, text_col="comment")
    return miner, frame, themes, planted


def test_long_feedback_is_detected_from_comment_length():
    short = ["The bank sync fails every morning."] * 10
    long = [" ".join(["word"] * LONG_COMMENT_WORDS)] * 10
    assert not is_long_feedback(short) and is_long_feedback(long)
    assert resolve_theme_unit("auto", short) == "comment"
    assert resolve_theme_unit("auto", long) == "piece"
    assert resolve_theme_unit("comment", long) == "comment"
    with pytest.raises(ValueError, match="theme unit"):
        resolve_theme_unit("sentence", short)
    # Under 40 words but three points each (forum posts of 38 words had been themed
    # whole, their topics blended into four themes): pieces.
    posts = [
        "The login token now expires every hour since release 3.2. "
        "Also an official Windows ARM build of the CLI would help our team a lot. "
        "And the new pricing per seat doubled our monthly bill."
    ] * 10
    assert is_long_feedback(posts)
    # One point told in two sentences of the same length: comments, as the demo's are.
    told = [
        "The bank feed stopped syncing again this week and every transaction is missing. "
        "I had to import all of them by hand from CSV files, which took me a whole afternoon."
    ] * 10
    assert not is_long_feedback(told)


def test_long_comments_are_themed_point_by_point(long_demo):
    from miner.pieces import PIECE_PARSIMONY

    miner, frame, themes, planted = long_demo
    assert miner.theme_unit_ == "piece"
    # Piece themes take the best count under their ceiling (comments: the fewest near it).
    assert miner.theme_model_.parsimony == PIECE_PARSIMONY
    docs, pieces = miner.documents_, miner.pieces_
    # Every long comment is cut into pieces, and each piece's theme is one of the
    # themes its comment lists.
    assert set(pieces["row_id"]) == set(docs["row_id"])
    listed = dict(zip(docs["row_id"], docs["theme_ids"], strict=True))
    assigned = pieces[pieces["theme_id"] >= 0]
    assert all(
        t in listed[r] for r, t in zip(assigned["row_id"], assigned["theme_id"], strict=True)
    )
    # The main theme is the theme most of the comment's pieces take.
    counts = assigned.groupby(["row_id", "theme_id"]).size()
    for row_id, main in zip(docs["row_id"], docs["theme_id"], strict=True):
        if main >= 0:
            assert counts.loc[row_id].max() == counts.loc[(row_id, main)]
    # Multi-point comments mention several themes: on average at least two of the
    # (about four) planted themes each comment joins.
    assert np.mean([len(ids) for ids in docs["theme_ids"]]) >= 2.0
    # Whole-comment themes would collapse: pieces keep the planted themes apart.
    assert len(miner.themes_) >= 8


def test_a_whole_fit_tells_its_piece_stages_and_reads_each_piece_alone(long_demo):
    from miner import FeedbackMiner

    _, frame, _, _ = long_demo
    lines: list[str] = []
    miner = FeedbackMiner(seed=42).fit(frame.head(100), text_col="comment", progress=lines.append)
    assert miner.theme_unit_ == "piece"
    heads = [line for line in lines if line.startswith("Sentiment, kind and jobs for 100 ")]
    assert len(heads) == 1 and "a themes-only fit leaves them out" in heads[0]
    told = [line for line in lines if line.startswith("Giving each of ")]
    assert told == [f"Giving each of {len(miner.pieces_):,} pieces its theme"]
    rated = [line for line in lines if line.startswith("Sentiment of ")]
    assert len(rated) == 1 and "each piece read on its own" in rated[0]
    pieces = miner.pieces_.merge(miner.documents_[["row_id", "theme_ids"]], on="row_id")
    several = pieces[(pieces["theme_id"] >= 0) & (pieces["theme_ids"].map(len) >= 2)]
    assert len(several) and several["sentiment_score"].notna().all()
    assert f"Sentiment of {several['text'].nunique():,} pieces" in rated[0]
    # A piece's sentiment is the head's score of its text read alone.
    first = several.iloc[0]
    alone = miner._analyser().sentiment_scores([first["text"]])[0]
    assert first["sentiment_score"] == pytest.approx(alone, abs=1e-6)


def test_a_fit_cuts_each_comment_into_pieces_once(long_demo, monkeypatch):
    # Product nouns and the embedding read the same pieces: one cut per comment.
    import miner.pieces as pieces
    from miner import FeedbackMiner

    _, frame, _, _ = long_demo
    cut: list[str] = []
    plan = pieces.plan_pieces

    def counted(text, *args):
        cut.append(text)
        return plan(text, *args)

    monkeypatch.setattr(pieces, "plan_pieces", counted)
    miner = FeedbackMiner(seed=42, per_document=False).fit(frame.head(60), text_col="comment")
    assert miner.theme_unit_ == "piece" and miner.product_nouns
    assert sorted(cut) == sorted(set(cut)) and len(cut) == 60


def test_piece_themes_follow_planted_themes(long_demo):
    """Planted themes come out as piece themes of their own, inside long comments."""
    miner, frame, themes, planted = long_demo
    pieces = miner.pieces_
    assigned = pieces[pieces["theme_id"] >= 0]
    assert len(assigned) >= 0.8 * len(pieces)
    # Each piece comes from one of the four demo comments its long comment joined
    # (with single spaces); pieces found in none of them are left out.
    sources = []
    for row_id, text in zip(assigned["row_id"], assigned["text"], strict=True):
        block = planted.iloc[4 * row_id : 4 * row_id + 4]
        owner = [
            t
            for comment, t in zip(block["comment"], block["theme"], strict=True)
            if text in comment
        ]
        sources.append(owner[0] if owner else None)
    table = pd.DataFrame({"theme_id": assigned["theme_id"].to_numpy(), "planted": sources})
    table = table[table["planted"].notna()]
    top = table.groupby("theme_id")["planted"].agg(lambda s: s.value_counts().index[0])
    purity = table.groupby("theme_id")["planted"].agg(lambda s: s.value_counts().iloc[0] / len(s))
    # Pieces also carry boilerplate ("I'm on the Starter plan"), counted here under the
    # comment's planted theme; still, several planted themes are a piece theme's 70%.
    assert top[purity >= 0.7].nunique() >= 4


def test_piece_model_scores_like_it_fitted(long_demo, tmp_path):
    from miner import FeedbackMiner

    miner, frame, _, _ = long_demo
    miner.save(tmp_path / "model")
    loaded = FeedbackMiner.load(tmp_path / "model")
    assert loaded.theme_unit_ == "piece"
    scored = loaded.transform(frame, text_col="comment")
    assert scored["theme_id"].tolist() == miner.documents_["theme_id"].tolist()
    with pytest.raises(InvalidConfig, match="precomputed"):
        loaded.transform(frame, text_col="comment", embeddings=np.zeros((len(frame), 384)))


def test_long_feedback_labels_are_clean(long_demo):
    miner = long_demo[0]
    assert all(label_problems(label) == [] for label in miner.themes_["theme_label"])


def theme_and_area_labels(themes: pd.DataFrame) -> list[str]:
    """Every theme label and area label of a run's theme table (not "Unassigned")."""
    themes = themes[themes["theme_id"] >= 0]
    areas = themes.loc[themes["area_id"] >= 0, "area_label"]
    return themes["theme_label"].tolist() + sorted(set(areas))


def test_demo_labels_are_clean(demo_fit):
    """Every theme and area label of the demo passes the label check, grammar included;
    siblings never share a label."""
    miner = demo_fit[0]
    labels = theme_and_area_labels(miner.themes_)
    bad = {label: label_problems(label) for label in labels if label_problems(label)}
    assert not bad
    themes = miner.themes_[miner.themes_["theme_id"] >= 0]["theme_label"].str.casefold()
    assert themes.is_unique
    # Phrases, not single keywords: most labels are two words or more.
    assert np.mean([len(label.split()) >= 2 for label in labels]) >= 0.6, labels


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ("Love dress", "sentiment word as head"),
        ("Xxxx account", "redaction token"),
        ("Fit fits", "word repeated"),
        ("Dress and dresses", "word repeated"),
        ("Blue color & Navy color", "word repeated"),
        ("Love dress, Sizing and 3 more", "sentiment word as head"),  # an area's parts
        ("The and of", "stopwords only"),
        ("Invoices for the", "ends in a function word"),
        ("Phone and lost", "not a phrase"),
        ("Item refunded", "not a phrase"),
        ("Card keeps getting declined", "not a phrase"),
        ("Export of invoices in the currency of the client", "too long"),
        ("Fabric that feels cheap", "not a phrase"),
        ("Azure AD so employees", "not a phrase"),  # a clause cut after its subject
        ("Login because password", "not a phrase"),
        ("Let the AI", "not a phrase"),  # a verb whose clause is cut
        ("Item", "names nothing"),  # a theme of returns and disappointment
        ("Products", "names nothing"),
    ],
)
def test_label_problems_are_named(label, problem):
    assert problem in label_problems(label)


def test_whole_labels_pass_the_check():
    # A verb that needs a clause, with its clause ("Let the AI" alone is cut); a noun
    # that stands for anything beside one that names something.
    for label in [
        "Let users export invoices",
        "Refund for an item",
        "Product quality",
        "Return-to-office policy, Office snacks and 4 more",  # an area of six themes
    ]:
        assert label_problems(label) == [], label


@pytest.mark.parametrize(
    "label",
    [
        "Credit report errors",
        "Lost or stolen phone",
        "Invoices in the client's currency",
        "Export invoices",
        "Add dark mode",
        "Transfer to a beneficiary",
        "Receipt scanning",
        "Top-up limit",
        "Card PIN",
        "Refund",
    ],
)
def test_grammatical_labels_pass(label):
    assert label_problems(label) == []


def test_labels_come_from_the_comments_own_phrases():
    """A clause the comments use becomes a noun phrase; c-TF-IDF word pairs that no
    comment says ("Phone lost") do not."""
    from miner.themes.labels import as_label, label_groups

    assert as_label("phone was stolen", ["NN", "VBD", "VBN"])[0] == "stolen phone"
    assert as_label("card is lost or stolen", ["NN", "VBZ", "VBN", "CC", "VBN"])[0] == (
        "lost or stolen card"
    )
    assert as_label("internet is fast", ["NN", "VBZ", "JJ"]) is None
    comments = [
        "My phone was stolen, what do I do?",
        "I lost my phone yesterday",
        "phone was stolen on the bus",
        "Someone stole my phone. Can I freeze the app?",
        "My phone was stolen and I can't log in",
    ]
    terms = [("phone", 0.9), ("stolen", 0.7), ("lost", 0.5), ("phone lost", 0.4)]
    (label,) = label_groups([comments], [terms])
    assert label == "Stolen phone"


@pytest.fixture(scope="module")
def clothing_fit(shared_data):
    """400 clothing reviews fitted in piece mode (themes only)."""
    from miner import FeedbackMiner

    reviews = pd.read_csv(shared_data / "clothing_reviews" / "reviews.csv", nrows=400)
    miner = FeedbackMiner(seed=42, per_document=False).fit(reviews, text_col="review_text")
    return miner, reviews


def test_clothing_labels_name_aspects_not_feelings(clothing_fit):
    """A small clothing-review fit (piece mode): no label is a feeling, a redaction or a
    repeat, and some themes are about sizing, whatever the garment."""
    miner, _ = clothing_fit
    assert miner.theme_unit_ == "piece"
    assert miner.narrative_ is None  # multi-point reviews: no narrative set aside
    labels = theme_and_area_labels(miner.themes_)
    assert all(label_problems(label) == [] for label in labels), labels
    words = " ".join(labels).casefold()
    assert any(w in words for w in ("size", "small", "fit", "large")), labels
    # Themes say what is said about the garment, not which one it is.
    from miner.themes.labels import names_product

    named = [label for label in labels if names_product(label, miner.product_nouns_)]
    assert len(named) <= 1, named  # 2 of 27 ("Shirt", "Summer dress") before


def test_labels_are_named_after_a_product_only_when_nothing_else_reads_well():
    from miner.themes.labels import make_label, names_product

    assert names_product("Fabric", ["dress"]) == 0
    assert names_product("Purchase dress", ["dress"]) == 1
    assert names_product("Dresses", ["dress"]) == 2
    assert names_product("Dresses", []) == 0
    terms = [("dress", 1.0), ("dresses", 0.9), ("fabric", 0.5)]
    assert make_label(terms) == "Dress"
    assert make_label(terms, products=["dress"]) == "Fabric"
    assert make_label([("dress", 1.0)], products=["dress"]) == "Dress"


def test_words_that_name_a_removal_are_words_not_placeholders():
    from miner.themes.labels import is_content_word, is_redaction

    assert is_redaction("XXXX") and is_redaction("[REDACTED]")
    assert not is_redaction("removed") and is_content_word("removed")
    assert label_problems("Removed export button") == []


def test_piece_themes_follow_what_is_said_not_the_garment(clothing_fit, tmp_path):
    """The garment a review is about is read as "item" when pieces are embedded, so
    "the dress runs small" and "the top runs small" can share a theme; a saved model
    reads new text the same way."""
    from sklearn.metrics import normalized_mutual_info_score

    from miner import FeedbackMiner

    miner, reviews = clothing_fit
    # Found in the reviews, not from a list: garments, never the aspects said of them.
    assert {"dress", "top", "sweater"} <= set(miner.product_nouns_)
    assert not {"fabric", "size", "color", "length", "material"} & set(miner.product_nouns_)
    pieces = miner.pieces_[miner.pieces_["theme_id"] >= 0]
    garment = pd.Series(
        [
            next((n for n in miner.product_nouns_ if re.search(rf"\b{n}s?\b", t.lower())), "")
            for t in pieces["text"]
        ],
        index=pieces.index,
    )
    named = garment != ""
    assert named.sum() >= 300
    # How much the theme of a piece that names a garment tells which garment: 0.08 here,
    # 0.63 when the same pieces are embedded as written (themes "Dress", "Skirt", ...).
    told = normalized_mutual_info_score(garment[named], pieces.loc[named, "theme_id"])
    assert told < 0.25, told
    miner.save(tmp_path / "model")
    loaded = FeedbackMiner.load(tmp_path / "model")
    assert loaded.product_nouns_ == miner.product_nouns_
    some = reviews.head(40)
    scored = loaded.transform(some, text_col="review_text")
    assert scored["theme_id"].tolist() == miner.documents_["theme_id"].head(40).tolist()


def test_product_nouns_are_read_as_item_with_their_case_and_number():
    from miner.pieces import find_product_nouns, without_products

    assert without_products(
        ["Love these Jeans! The dress runs small; both dresses", "Dressy, not a dresser"],
        ["dress", "jeans"],
    ) == ["Love these Items! The item runs small; both items", "Dressy, not a dresser"]
    reviews = [
        f"I love this {g}. The {g} runs small so size up. The fabric is soft and thick."
        for g in ("dress", "skirt", "coat") * 10
    ] + ["This one is great. I ordered one size up. The fabric is thin."] * 10
    assert find_product_nouns(reviews) == ["coat", "dress", "skirt"]
    # A complaint's narrative points at words that are not products: a verb after "this"
    # ("this was", "this has") or a time ("this morning") is never read as "item".
    complaints = [
        f"My {p} was blocked this morning. This was the third time and this has to stop. "
        f"I called about this {p} again this morning. This has taken weeks."
        for p in ("card", "account", "loan") * 10
    ]
    assert find_product_nouns(complaints) == ["account", "card", "loan"]
    # A fit where the product is what themes should tell apart can keep them.
    from miner import FeedbackMiner

    kept = FeedbackMiner(product_nouns=False)
    kept.theme_unit_ = "piece"
    assert kept._product_nouns(reviews) == []
    assert FeedbackMiner.from_config(kept.config).product_nouns is False


def test_a_segments_value_named_in_the_comments_is_read_as_a_product():
    # A helper's B2B reviews of four products: "PipeLoop" and "MailNova" had named 7 of
    # 49 themes, and those themes over their own product were 25 of 27 segment flags.
    from miner import FeedbackMiner
    from miner.pieces import facet_nouns

    products = ["PipeLoop CRM", "MailNova", "SlotWise", "DeskPilot"] * 15
    channels = ["Mobile", "Web", "Web"] * 20
    texts = [
        f"{p.split()[0]} is a game changer for our {i + 2} teams. The Salesforce sync breaks "
        f"weekly. The {'mobile' if c == 'Mobile' else 'web'} app is slow."
        for i, (p, c) in enumerate(zip(products, channels, strict=True))
    ]
    segments = {"product": products, "channel": channels}
    # A name that comes with its value: read as a product. Not a name spread over every
    # value ("Salesforce"), nor a value's word written in lower case ("mobile").
    assert facet_nouns(texts, segments) == ["deskpilot", "mailnova", "pipeloop", "slotwise"]
    assert facet_nouns(texts, {"product": ["PipeLoop CRM"] * 60}) == []  # one value: all
    miner = FeedbackMiner()
    miner.theme_unit_ = "piece"
    assert "pipeloop" in miner._product_nouns(texts, segments=segments)
    # Only a segment given is read: themes never change with what detection picked (a
    # beta export's themes had changed, ARI 0.80, when its detected Device was left out).
    from types import SimpleNamespace

    import pandas as pd

    from miner.insights.run import choose_columns

    frame = pd.DataFrame({"text": texts, "product": products, "channel": channels})
    corpus = SimpleNamespace(frame=frame, texts=texts)
    detected = choose_columns(frame, text_col="text", detect=True)
    assert detected.segment_cols == ("channel",)
    assert FeedbackMiner._segments_of(corpus, detected, range(60)) == {}
    given = choose_columns(frame, text_col="text", segment_cols=["product"], detect=True)
    assert FeedbackMiner._segments_of(corpus, given, range(60)) == {"product": products}
    assert "pipeloop" not in miner._product_nouns(texts)
    # Through a fit: the segment column named, its values' names kept with the model.
    frame = pd.DataFrame({"review": texts, **segments})
    fitted = FeedbackMiner(theme_unit="piece", per_document=False, resamples=0)
    fitted.fit(frame, text_col="review", segment_cols=["product", "channel"])
    assert {"deskpilot", "mailnova", "pipeloop", "slotwise"} <= set(fitted.product_nouns_)
    assert "mobile" not in fitted.product_nouns_


def _units(vectors: np.ndarray, doc: list[int]):
    from miner.pieces import Units

    n = len(doc)
    return Units(
        doc=np.asarray(doc),
        index=np.zeros(n, dtype=np.int64),
        start=np.zeros(n, dtype=np.int64),
        end=np.zeros(n, dtype=np.int64),
        text=[""] * n,
        vectors=np.asarray(vectors, dtype=np.float32),
    )


def test_context_weight_follows_how_comments_stick_to_one_subject():
    from miner.pieces import coherence_gap, context_weight

    rng = np.random.default_rng(0)
    doc = [d for d in range(40) for _ in range(4)]
    # Each comment's pieces scatter around a subject of its own ...
    subjects = rng.normal(size=(40, 32))
    coherent = subjects[doc] + 0.5 * rng.normal(size=(160, 32))
    # ... or are unrelated points.
    scattered = rng.normal(size=(160, 32))
    for vectors in (coherent, scattered):
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert coherence_gap(_units(coherent, doc)) > 0.5
    assert context_weight(_units(coherent, doc)) == 1.0
    assert abs(coherence_gap(_units(scattered, doc))) < 0.05
    assert context_weight(_units(scattered, doc)) == 0.0
    # Comments of one unit say nothing about coherence.
    assert coherence_gap(_units(scattered[:10], list(range(10)))) == 0.0


def test_in_context_moves_pieces_towards_their_comment():
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    units = _units(vectors, [0, 0, 1])
    assert units.in_context(0.0) is units
    moved = units.in_context(1.0).vectors
    assert np.allclose(np.linalg.norm(moved, axis=1), 1.0)
    mean = np.array([1.0, 1.0]) / np.sqrt(2)
    # Each piece of comment 0 is closer to the comment's mean than before; a comment of
    # one piece stays where it was.
    assert (moved[:2] @ mean > vectors[:2] @ mean + 0.1).all()
    assert np.allclose(moved[2], [1.0, 0.0])


@pytest.mark.parametrize("weight", [-0.1, 1.5, "high", True])
def test_piece_context_must_be_a_weight(weight):
    from miner import FeedbackMiner
    from miner.errors import InvalidConfig

    with pytest.raises(InvalidConfig, match="piece_context") as caught:
        FeedbackMiner(piece_context=weight).fit(["The sync fails. The export fails."] * 30)
    assert caught.value.code == "E108"


@pytest.fixture(scope="module")
def single_issue_demo(demo_frames):
    """Long comments each joining four demo comments of one planted theme (tickets
    about one issue), fitted in piece mode (themes only), with the weight from the
    data and with pieces read on their own."""
    from miner import FeedbackMiner

    feedback, truth = demo_frames
    merged = feedback.merge(truth[["response_id", "theme"]], on="response_id")
    merged = merged[merged["theme"].notna() & (merged["theme"] != "")]
    texts, themes = [], []
    for theme, group in merged.groupby("theme", sort=True):
        comments = group["comment"].tolist()
        for start in range(0, min(len(comments), 80) - 3, 4):
            texts.append(" ".join(comments[start : start + 4]))
            themes.append(theme)
    frame = pd.DataFrame({"comment": texts})
    fits = {
        weight: FeedbackMiner(seed=42, per_document=False, piece_context=weight).fit(
            frame, text_col="comment"
        )
        for weight in (None, 0.0)
    }
    return fits, frame, themes


def test_single_issue_comments_are_read_in_context(single_issue_demo, tmp_path):
    from sklearn.metrics import normalized_mutual_info_score

    from miner import FeedbackMiner

    fits, frame, themes = single_issue_demo
    miner = fits[None]
    assert miner.theme_unit_ == "piece" and miner.piece_context_ > 0.3
    assert fits[0.0].piece_context_ == 0.0
    nmi = {
        weight: normalized_mutual_info_score(themes, fit.documents_["theme_id"])
        for weight, fit in fits.items()
    }
    assert nmi[None] >= nmi[0.0] + 0.1
    # A saved model records the weight and reads new comments the same way.
    miner.save(tmp_path / "model")
    loaded = FeedbackMiner.load(tmp_path / "model")
    assert loaded.piece_context_ == miner.piece_context_
    scored = loaded.transform(frame, text_col="comment")
    assert scored["theme_id"].tolist() == miner.documents_["theme_id"].tolist()


def test_multi_point_comments_keep_their_pieces_apart(long_demo):
    """Long comments joining comments about different themes: no context, and nothing
    set aside as narrative (the themes' comments are diverse, but so is the rest)."""
    assert long_demo[0].piece_context_ == 0.0
    assert long_demo[0].narrative_ is None


def test_theme_spread_tells_an_issue_from_the_narrative_around_every_issue():
    from miner.pieces import theme_spread

    rng = np.random.default_rng(1)
    doc = np.repeat(np.arange(60), 4)
    subject = doc % 6  # sixty comments about six issues
    vectors = rng.normal(size=(6, 32))[subject] + 0.5 * rng.normal(size=(240, 32))
    # The last piece of every comment is narrative: unrelated to the comment's issue.
    narrative = np.arange(240) % 4 == 3
    vectors[narrative] = rng.normal(size=(60, 32))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    # Theme 0: the first piece of the comments about issue 0; theme 1: the narrative.
    labels = np.where(narrative, 1, -1)
    labels[(np.arange(240) % 4 == 0) & (subject == 0)] = 0
    spread = theme_spread(_units(vectors, doc.tolist()), labels)
    assert spread[1] < 2.5 < spread[0]


def test_narrative_is_what_no_comment_is_about_however_few_hold_an_issue(monkeypatch):
    """Only the narrative is set aside: not a small issue whose few comments are alike
    (its score is low for want of comments), and nothing that would leave comments with
    no piece (one-line replies made of what is set aside get no theme at all)."""
    import miner.pieces as pieces

    rng = np.random.default_rng(1)
    doc = np.repeat(np.arange(120), 4)  # 120 complaints about six issues
    subject = doc % 6
    vectors = rng.normal(size=(6, 32))[subject] + 0.5 * rng.normal(size=(480, 32))
    narrative = np.arange(480) % 4 == 3  # one piece of each: the narrative, theme 1
    vectors[narrative] = rng.normal(size=(120, 32))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = np.where(narrative, 1, 10 + subject)
    labels[(np.arange(480) % 4 == 0) & (subject == 0) & (doc < 30)] = 2  # small issue
    units = _units(vectors, doc.tolist())
    spread = pieces.theme_spread(units, labels)
    assert max(spread[1], spread[2]) < pieces.NARRATIVE_Z < min(spread[10], spread[15])

    def marked(units, labels):
        found = pieces.narrative_filter(units, labels, 0.0)
        if found is None:
            return None
        return [theme for theme, flag in zip(sorted(spread), found.narrative, strict=True) if flag]

    found = pieces.narrative_filter(units, labels, 0.0)
    assert marked(units, labels) == [1]
    # Twelve one-line replies, each a piece that was set aside: 9% of the comments
    # would have no theme.
    replies = np.flatnonzero(found.aside)[:12]
    with_replies = _units(np.vstack([vectors, vectors[replies]]), [*doc, *range(120, 132)])
    replies_labels = np.concatenate([labels, labels[replies]])
    assert marked(with_replies, replies_labels) is None
    monkeypatch.setattr(pieces, "NARRATIVE_ORPHANS", 1.0)
    assert marked(with_replies, replies_labels) == [1]
    monkeypatch.setattr(pieces, "NARRATIVE_LIKENESS", np.inf)
    assert marked(units, labels) == [1, 2]


def test_block_size_changes_no_figure_of_the_pieces(monkeypatch):
    # Comment sums, coherence gap, theme spread and context vectors work in blocks of
    # units; every figure must be the same, bit for bit, whatever the block size.
    import miner.pieces as pieces

    rng = np.random.default_rng(3)
    doc = np.sort(rng.integers(0, 40, size=150))
    vectors = rng.normal(size=(150, 16))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = rng.integers(-1, 5, size=150)
    aside = rng.random(150) < 0.3

    def figures():
        units = _units(vectors, doc.tolist())
        moved = units.in_context(0.4, aside)
        return (
            pieces.summed_by_comment(doc, vectors, 40).tobytes(),
            pieces.coherence_gap(units),
            pieces.theme_spread(moved, labels),
            moved.vectors.tobytes(),
        )

    whole = figures()
    monkeypatch.setattr(pieces, "_BLOCK_ROWS", 7)
    assert figures() == whole
    # Rows not grouped by comment give the sums of adding each row in turn, too.
    shuffled = rng.permutation(150)
    expected = np.zeros((40, 16))
    np.add.at(expected, doc[shuffled], vectors[shuffled])
    assert pieces.summed_by_comment(doc[shuffled], vectors[shuffled], 40).tobytes() == (
        expected.tobytes()
    )
    assert whole[1] != 0.0 and len(whole[2]) == 5


# The narrative long complaints tell around their issue (written for this test).
NARRATIVE = [
    "I have contacted support four times about this.",
    "Nobody ever replied to my emails.",
    "This has been going on for three weeks now.",
    "I am so frustrated with how this was handled.",
    "Please sort this out as soon as possible.",
    "I have been a customer for many years.",
    "The agent on the phone could not help me at all.",
    "I was promised a call back that never came.",
    "I wasted a whole afternoon on hold.",
    "This is simply unacceptable.",
    "I expect a proper answer this time.",
    "Thanks for reading this.",
]


@pytest.fixture(scope="module")
def narrative_demo(single_issue_demo):
    """The single-issue comments with three narrative sentences shuffled into each,
    fitted as shipped and with the narrative left in (NARRATIVE_Z 0)."""
    import miner.pieces as pieces
    from miner import FeedbackMiner

    _, frame, themes = single_issue_demo
    rng = np.random.default_rng(3)
    texts = []
    for text in frame["comment"]:
        sentences = re.findall(r"[^.?!]+[.?!]", text)
        for pick in rng.choice(len(NARRATIVE), size=3, replace=False):
            sentences.insert(int(rng.integers(len(sentences) + 1)), NARRATIVE[pick])
        texts.append(" ".join(s.strip() for s in sentences))
    told = pd.DataFrame({"comment": texts})
    shipped = pieces.NARRATIVE_Z
    fits = {}
    try:
        for bar in (shipped, 0.0):
            pieces.NARRATIVE_Z = bar
            fits[bar] = FeedbackMiner(seed=42, per_document=False).fit(told, text_col="comment")
    finally:
        pieces.NARRATIVE_Z = shipped
    return fits[shipped], fits[0.0], told, themes


def test_the_narrative_around_single_issues_is_set_aside(narrative_demo, tmp_path):
    from sklearn.metrics import adjusted_rand_score

    from miner import FeedbackMiner

    miner, left_in, told, themes = narrative_demo
    assert left_in.narrative_ is None
    assert miner.narrative_ is not None and miner.narrative_[1].any()
    assert miner.piece_context_ >= left_in.piece_context_ + 0.3
    ari = {
        name: adjusted_rand_score(themes, fit.documents_["theme_id"])
        for name, fit in (("aside", miner), ("left in", left_in))
    }
    assert ari["aside"] >= ari["left in"] + 0.1
    # Narrative pieces get no theme; a piece of the issue keeps one.
    pieces = miner.pieces_
    said = pieces["text"].isin(NARRATIVE)
    # Most of the narrative is set aside: above 0.8 on a CPU with AVX-512 VNNI, 0.75 on
    # an AVX2-only one (the int8 embedder rounds a little differently; models/embedder.md).
    assert (pieces.loc[said, "theme_id"] == -1).mean() > 0.7
    assert (pieces.loc[~said, "theme_id"] >= 0).mean() > 0.8
    before = left_in.pieces_
    assert (before.loc[before["text"].isin(NARRATIVE), "theme_id"] >= 0).mean() > 0.5
    # A saved model sets the same pieces aside when it reads new comments.
    miner.save(tmp_path / "model")
    assert (tmp_path / "model" / "narrative.npz").is_file()
    loaded = FeedbackMiner.load(tmp_path / "model")
    read: list[int] = []  # pieces the theme model compares: not the narrative's
    transform = loaded.theme_model_.transform

    def recorded(vectors, **options):
        read.append(len(vectors))
        return transform(vectors, **options)

    loaded.theme_model_.transform = recorded
    scored = loaded.transform(told, text_col="comment")
    assert scored["theme_id"].tolist() == miner.documents_["theme_id"].tolist()
    assert 0 < sum(read) <= len(pieces) - 0.7 * said.sum()
    # A model without narrative saved in the same folder leaves no stale centres.
    left_in.save(tmp_path / "model")
    assert not (tmp_path / "model" / "narrative.npz").exists()
    assert FeedbackMiner.load(tmp_path / "model").narrative_ is None


# Complaints of six issues, each told in two sentences inside five of a story's (written
# for this test): contact attempts, feelings, the law, and what it cost the writer.
_ISSUE_SENTENCES = {
    "late fee": [
        "They charged me a late fee of {a} although my payment posted on time.",
        "A late fee of {a} appeared on my statement for a payment made early.",
        "The bank added late fees every month even with autopay set up.",
        "My autopay went through but they still billed a late charge of {a}.",
    ],
    "credit report": [
        "My credit report shows an account that is not mine.",
        "The bureau lists a collection I never owed on my credit file.",
        "An old loan I paid off still shows as delinquent on my report.",
        "My report has a wrong address and an account I never opened.",
    ],
    "collector calls": [
        "A debt collector calls my phone ten times a day.",
        "The collection agency keeps calling me at work about a debt.",
        "Collectors phone my relatives about money I do not owe.",
        "They call me before 8 am every day demanding payment.",
    ],
    "card fraud": [
        "Someone used my debit card for purchases I never made.",
        "There are unauthorized charges of {a} on my card.",
        "My card was used overseas while it was in my wallet.",
        "Fraudulent transactions emptied my account and the bank refuses a refund.",
    ],
    "escrow": [
        "My mortgage escrow payment jumped by {a} without notice.",
        "The servicer miscalculated my escrow and raised my monthly payment.",
        "They paid my property tax twice from escrow and now demand a shortage.",
        "The escrow analysis is wrong and my payment went up.",
    ],
    "wire transfer": [
        "My wire transfer of {a} never reached the recipient.",
        "The international transfer was sent to the wrong account.",
        "A money transfer I sent has been pending for three weeks.",
        "They lost my wire and will not trace it.",
    ],
}
_STORY = [
    "I called customer service more times than I can count.",
    "I spent hours on hold and was transferred again and again.",
    "Each representative told me something different.",
    "I wrote letters and never got an answer.",
    "They promised a call back that never came.",
    "I visited the branch in person and they sent me home.",
    "This has caused me a great deal of stress and sleepless nights.",
    "I feel completely ignored and taken advantage of.",
    "I am a loyal customer of many years and this is how I am treated.",
    "My family has suffered because of this mess.",
    "This violates the law and my rights as a consumer.",
    "I am asking the regulator to step in.",
    "I have filed a complaint with the better business bureau.",
    "I want this resolved as soon as possible.",
    "I was denied a loan because of this.",
    "I had to borrow money from family to cover my bills.",
]


def test_a_story_the_first_themes_hold_only_in_part_is_set_aside_on_a_second_look(tmp_path):
    # The first fit's narrative themes hold half the story, the rest sits in themes of
    # issues ("I was denied a loan" beside fees), so without them alone the pieces are
    # no clearer and nothing had been set aside: themes of the story (NMI 0.17 here,
    # 0.28 on a helper's 2,002 complaints). A second look sets the rest aside too.
    import random

    from sklearn.metrics import normalized_mutual_info_score

    from miner import FeedbackMiner

    rng = random.Random(7)
    issues, texts = [], []
    for i in range(900):
        issue = list(_ISSUE_SENTENCES)[i % 6]
        own = rng.sample(_ISSUE_SENTENCES[issue], 2)
        story = rng.sample(_STORY, 5)
        parts = [story[0], own[0], story[1], story[2], own[1], story[3], story[4]]
        texts.append(" ".join(p.format(a=f"${rng.randrange(20, 900)}.00") for p in parts))
        issues.append(issue)
    told = pd.DataFrame({"comment": texts})
    said: list[str] = []
    miner = FeedbackMiner(seed=42, per_document=False).fit(
        told, text_col="comment", progress=said.append
    )
    assert miner.narrative_ is not None and miner.piece_context_ == 1.0
    assert any("themes were the narrative" in line for line in said)
    found = miner.documents_["theme_id"]
    assert normalized_mutual_info_score(issues, found) > 0.6
    pieces = miner.pieces_
    story = pieces["text"].isin(_STORY)
    assert (pieces.loc[story, "theme_id"] == -1).mean() > 0.5
    # A saved model reads new comments as the fit did.
    miner.save(tmp_path / "model")
    scored = FeedbackMiner.load(tmp_path / "model").transform(told.head(200), text_col="comment")
    assert scored["theme_id"].tolist() == found.head(200).tolist()


def test_a_second_look_needs_the_themes_left_to_be_issues():
    # Clothing reviews pass the first look's rules but the weight's too, yet what is left
    # is aspects each review touches in passing, not issues: the second look had set 43%
    # of 2,000 reviews' pieces aside ("thick unpleasant material") and cut 41 themes to 26.
    import miner.pieces as pieces

    rng = np.random.default_rng(5)
    doc = np.repeat(np.arange(200), 4)
    subject = doc % 8
    coherent = rng.normal(size=(8, 32))[subject] + 0.5 * rng.normal(size=(800, 32))
    scattered = rng.normal(size=(8, 32))[rng.integers(8, size=800)] + 0.5 * rng.normal(
        size=(800, 32)
    )
    for vectors, themes, expected in (
        (coherent, subject, True),  # each comment's pieces about its one issue
        (scattered, None, False),  # each piece about an aspect of its own
    ):
        vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        units = _units(vectors, doc.tolist())
        if themes is None:  # the aspect each piece is nearest to
            themes = np.argmax(vectors @ rng.normal(size=(32, 8)), axis=1)
        labels = np.asarray(themes)
        found = pieces.NarrativeFound(
            np.zeros((8, 32), np.float32), np.zeros(8, bool), np.zeros(800, bool), 0.0
        )
        assert pieces.issues_left(units, labels, found) is expected


def test_a_context_weight_asked_for_keeps_the_narrative(narrative_demo):
    from miner import FeedbackMiner

    _, _, told, _ = narrative_demo
    fixed = FeedbackMiner(seed=42, per_document=False, piece_context=0.5).fit(
        told.head(120), text_col="comment"
    )
    assert fixed.narrative_ is None and fixed.piece_context_ == 0.5


def test_piece_context_can_be_set_on_the_command_line(single_issue_demo, cli, tmp_path):
    import json

    _, frame, _ = single_issue_demo
    path = tmp_path / "tickets.csv"
    frame.head(80).to_csv(path, index=False)
    code, out, err = cli("fit", path, "--piece-context", "0.5", "--out", tmp_path / "run")
    assert code == 0, err
    assert "weight 0.50" in out + err
    config = json.loads((tmp_path / "run" / "model" / "config.json").read_text())
    assert config["theme_unit"] == "piece" and config["piece_context"] == 0.5


def test_redaction_placeholders_are_not_embedded_but_stay_in_the_pieces():
    from miner.pieces import encode_units
    from miner.themes.labels import without_redactions

    assert without_redactions("On XX/XX/XXXX, XXXX XXXX told me (account ending XXXX).") == (
        "On, told me (account ending)."
    )
    # Dates as written, sizes, kisses and the word itself are not placeholders; a text of
    # placeholders only is left as it is.
    for kept in (
        "Paid on 12/05/2023 .",
        "Runs xx-large , love it xx",
        "I get a xxsp , not an xs .",
        "Redacted files",
        "XXXX",
    ):
        assert without_redactions(kept) == kept
    seen: list[str] = []

    def encode(texts):
        seen.extend(texts)
        return np.ones((len(texts), 4), dtype=np.float32)

    complaint = "XXXX charged my card twice on XX/XX/2023. I called [REDACTED] about the refund."
    _, units = encode_units([complaint], encode)
    assert not any("XX" in text or "REDACTED" in text for text in seen), seen
    assert any("XXXX" in text for text in units.text)
