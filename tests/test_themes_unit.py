"""ThemeModel and its parts on synthetic embeddings (fast, no language model)."""

from __future__ import annotations

import numpy as np
import pytest

from miner.errors import NotFitted
from miner.themes import SpectralClusterer, ThemeModel, make_label
from miner.themes.labels import STOPWORDS


def _blobs(sizes, dim=32, spread=0.15, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(sizes), dim))
    points, labels = [], []
    for index, size in enumerate(sizes):
        points.append(centres[index] + spread * rng.normal(size=(size, dim)))
        labels += [index] * size
    return np.vstack(points).astype(np.float32), np.array(labels)


WORDS = {
    0: "bank sync fails feed",
    1: "invoice export csv",
    2: "dark mode theme night",
    3: "support slow reply",
}


def _texts(labels):
    return [f"{WORDS[int(label) % 4]} comment {i}" for i, label in enumerate(labels)]


def test_recovers_uneven_blobs_deterministically():
    X, truth = _blobs([120, 60, 25, 12])
    first = SpectralClusterer(min_cluster_size=8).fit(X).labels_
    second = SpectralClusterer(min_cluster_size=8).fit(X).labels_
    assert np.array_equal(first, second)
    from sklearn.metrics import adjusted_rand_score

    assert adjusted_rand_score(truth, first) > 0.95


def test_small_clusters_are_dissolved():
    X, _ = _blobs([100, 100, 3])
    labels = SpectralClusterer(min_cluster_size=10).fit(X).labels_
    ids, counts = np.unique(labels[labels >= 0], return_counts=True)
    assert counts.min() >= 10


def test_theme_model_fit_transform_roundtrip(tmp_path):
    X, truth = _blobs([80, 50, 30])
    model = ThemeModel(seed=1).fit(_texts(truth), X)
    assert len(model.themes_) == 3
    assert model.themes_["size"].tolist() == sorted(model.themes_["size"], reverse=True)
    model.save(tmp_path / "themes")
    loaded = ThemeModel.load(tmp_path / "themes")
    labels, confidence = loaded.transform(X)
    assert np.array_equal(labels, model.labels_)
    assert ((confidence > 0) & (confidence <= 1)).all()
    assert loaded.themes_["label"].tolist() == model.themes_["label"].tolist()


def test_a_fit_described_later_is_the_same_fit():
    X, truth = _blobs([80, 50, 30])
    whole = ThemeModel(seed=1).fit(_texts(truth), X)
    later = ThemeModel(seed=1).fit(_texts(truth), X, describe=False)
    assert np.array_equal(later.labels_, whole.labels_)  # numbered by size already
    assert not hasattr(later, "themes_")
    later.describe()
    assert later.themes_.equals(whole.themes_)
    assert later.theme_count_ == whole.theme_count_
    assert later.novelty_threshold_ == whole.novelty_threshold_
    assert later.describe().themes_ is later.themes_  # once only


def test_tiny_inputs_give_one_theme():
    X, _ = _blobs([1])
    model = ThemeModel().fit(["The bank feed is broken again"], X)
    assert model.labels_.tolist() == [0]
    assert model.themes_.loc[0, "label"] not in ("", "Miscellaneous")
    X5, _ = _blobs([5])
    model5 = ThemeModel().fit([f"invoice export fails {i}" for i in range(5)], X5)
    assert set(model5.labels_.tolist()) == {0}


def test_transform_before_fit_is_a_clear_error():
    with pytest.raises(NotFitted):
        ThemeModel().transform(np.zeros((1, 4), dtype=np.float32))


def test_labels_are_phrases_not_stopwords():
    terms = [("the", 0.9), ("and", 0.8), ("sync", 0.7), ("bank sync", 0.6), ("feed", 0.5)]
    label = make_label(terms)
    assert label == "Bank sync"
    assert not all(word in STOPWORDS for word in label.lower().split())
    assert make_label([("the", 1.0), ("it", 0.5)]) == "Miscellaneous"
    taken = {"bank sync"}
    assert make_label(terms, taken).casefold() not in taken
    # Only phrases, no single word among the terms: the best phrase is used.
    assert make_label([("card delivery", 0.9), ("delivery time", 0.5)]) == "Card delivery"
    # Taken, and nothing else to say: numbered rather than the same label twice.
    assert make_label([("card delivery", 0.9)], {"card delivery"}) == "Card delivery 2"
    # Chat fillers are no topic: "Tbh syncing" was a label of a helper's survey.
    assert make_label([("tbh", 0.9), ("tbh syncing", 0.8), ("syncing", 0.7)]) == "Syncing"
    assert make_label([("pls", 0.9), ("dark mode", 0.8)]) == "Dark mode"


def test_sibling_labels_differ_by_more_than_a_plural():
    from miner.themes.labels import label_groups, label_key

    assert label_key("Disposable Cards") == label_key("disposable card") == "disposable card"
    assert label_key("Glass") == "glass" and label_key("Bus") == "bus"
    terms = [("disposable card", 0.9), ("virtual", 0.7), ("top", 0.5)]
    assert make_label(terms, {label_key("Disposable cards")}) != "Disposable card"
    samples = [["What are disposable cards for?"], ["How do I get a virtual disposable card?"]]
    labels = label_groups(
        samples,
        [[("disposable cards", 0.9)], [("disposable card", 0.9), ("virtual", 0.5)]],
    )
    assert labels[0] == "Disposable cards" and label_key(labels[1]) != "disposable card", labels
    # Nothing else to tell them by: numbered rather than one label twice.
    labels = label_groups(samples, [[("disposable cards", 0.9)], [("disposable card", 0.9)]])
    assert len({label_key(label) for label in labels}) == 2, labels


def test_a_theme_of_feelings_is_named_as_praise_or_complaints():
    from miner.themes.labels import feeling_label, label_groups, label_key, label_problems

    def terms(words):
        return [(w, 1.0 - i / 20) for i, w in enumerate(words.split())]

    praise = terms("nice love awesome best easy application excellent apps")
    assert feeling_label(praise, set()) == "General praise"
    # a second such theme is qualified by its first topic word that reads well
    second = feeling_label(terms("experience love far awesome excellent nice"), {"general praise"})
    assert second == "Praise for the experience" and not label_problems(second)
    assert feeling_label(terms("worst terrible app useless hate update"), set()) == (
        "General complaints"
    )
    # a theme saying the product is easy to use is about ease of use
    ease = terms("easy useful simple helpful interface friendly intuitive information")
    assert feeling_label(ease, set()) == "Ease of use"
    # a theme recommending the product is named so (it took a side detail, "Price")
    recommend = terms("highly recommend recommended purchase keeper price")
    assert feeling_label(recommend, set()) == "Recommending to others"
    assert not label_problems("Recommending to others")
    taken = {label_key("Recommending to others")}
    assert feeling_label(recommend, taken) == "Recommendations"
    # "Love this dress!" in reviews of many garments: feelings about a product, in phrases
    phrases = "love dress;dress love;love love;love;wanted love;love sweater;dress;lovely"
    loved = [(t, 1.0 - i / 20) for i, t in enumerate(phrases.split(";"))]
    assert feeling_label(loved, set()) is None  # no product named: a topic
    assert feeling_label(loved, set(), products=["dress", "sweater"]) == "General praise"
    taken = {label_key("General praise")}
    assert feeling_label(loved, taken, products=["dress", "sweater"]) == "Praise for the dress"
    # one "recommend" among the strongest words is advice, not a recommendation
    assert feeling_label(terms("size recommend sizing petite small large"), set()) is None
    # a topic with a few feelings keeps a topic label
    assert (
        feeling_label(terms("fitness track workout best exercise tracking health love"), set())
        is None
    )
    labels = label_groups(
        [["Nice app, love it", "Awesome, best app"], ["The bank sync fails", "Bank sync is down"]],
        [praise, [("bank sync", 1.0), ("sync", 0.9), ("bank", 0.8)]],
    )
    assert labels[0] == "General praise" and labels[1] != "General praise"


def test_many_themes_get_six_to_twelve_parent_areas():
    from miner.themes.hierarchy import parent_areas

    rng = np.random.default_rng(4)
    groups = rng.normal(size=(8, 24))
    centroids = np.vstack([g + 0.1 * rng.normal(size=(5, 24)) for g in groups])
    terms = [[(f"word{i // 5}", 1.0), (f"detail{i}", 0.5)] for i in range(40)]
    parent_of, parents = parent_areas(centroids, [10] * 40, terms)
    assert 6 <= len(parents) <= 12
    assert sorted(t for p in parents for t in p["theme_ids"]) == list(range(40))
    # Themes made from the same group share a parent.
    assert all(len(set(parent_of[g * 5 : g * 5 + 5].tolist())) == 1 for g in range(8))
    assert len({p["label"] for p in parents}) == len(parents)
    few, none = parent_areas(centroids[:5], [10] * 5, terms[:5])
    assert few.tolist() == [-1] * 5 and none == []


def test_an_area_of_several_themes_is_never_named_after_one_of_them():
    from miner.themes.hierarchy import parent_areas

    # The demo's area of four themes had been "Price and removed features", the label
    # of its largest theme: every table listing both read as one.
    rng = np.random.default_rng(4)
    groups = rng.normal(size=(8, 24))
    centroids = np.vstack([g + 0.1 * rng.normal(size=(5, 24)) for g in groups])
    terms = [[(f"word{i // 5}", 1.0)] for i in range(40)]
    firsts = "bank export invoice mileage receipt price support crash".split()
    seconds = "sync fails slow missing wrong late broken lost".split()
    names = [f"{firsts[i % 8].title()} {seconds[i % 5]} {i}" for i in range(40)]
    sizes = [50 - i for i in range(40)]

    def largest_members_label(members, ranked, taken):
        # A phrase that is one of its themes' labels (the first not taken), as the
        # comments' own phrases can be.
        from miner.themes.labels import label_key

        free = [names[t] for t in members if label_key(names[t]) not in taken]
        return free[0] if free else "Other topics"

    _, parents = parent_areas(
        centroids, sizes, terms, theme_labels=names, label_area=largest_members_label
    )
    for parent in parents:
        own = [names[t] for t in parent["theme_ids"]]
        assert parent["label"] not in own or len(own) == 1
        if len(own) > 2:
            # Named after its two largest themes, and it says it has more (an
            # engagement survey's area of six had read "Hours & Office snacks").
            assert parent["label"] == f"{own[0]}, {own[1]} and {len(own) - 2} more"
    assert any(len(parent["theme_ids"]) > 2 for parent in parents)

    # Nor after a theme of another area: a phrase naming the first theme of the
    # largest other area (a hotel's wifi area had been "Location near the station", a
    # location theme's label elsewhere).
    def elsewhere_label(members, ranked, taken):
        from miner.themes.labels import label_key

        free = [n for t, n in enumerate(names) if t not in members]
        free = [n for n in free if label_key(n) not in taken]
        return free[0] if free else "Other topics"

    _, parents = parent_areas(
        centroids, sizes, terms, theme_labels=names, label_area=elsewhere_label
    )
    for parent in parents:
        if len(parent["theme_ids"]) > 2:
            assert parent["label"] not in names


def test_label_phrases_must_read_like_labels():
    from miner.themes.labels import reads_as_label, tag_phrases

    tags = tag_phrases(["export invoices", "code arrives", "honestly best", "bank feed"])
    assert reads_as_label(tags["export invoices"], ["export", "invoices"])
    assert reads_as_label(tags["bank feed"], ["bank", "feed"])
    assert not reads_as_label(tags["code arrives"], ["code", "arrives"])
    assert not reads_as_label(tags["honestly best"], ["honestly", "best"])
    assert not reads_as_label(["NN", "NN"], ["verification", "verify"])
    terms = [("sync", 1.0), ("code arrives", 0.9), ("bank sync", 0.8)]
    assert make_label(terms, tags=tag_phrases(["code arrives", "bank sync"])) == "Bank sync"


def test_cosine_silhouette_matches_scikit_learn():
    from sklearn.metrics import silhouette_samples

    from miner.themes.cluster import cosine_silhouette, l2_normalise

    X, truth = _blobs([30, 20, 10], spread=0.8)
    X = l2_normalise(X.astype(np.float64))
    labels = truth.copy()
    labels[:5] = 7  # a cluster with a gap in the ids
    labels[40] = 9  # a singleton scores 0
    expected = silhouette_samples(X, labels, metric="cosine")
    assert np.allclose(cosine_silhouette(X, labels), expected, atol=1e-9)


def test_cut_choice_takes_the_fewest_themes_near_the_best():
    X, _ = _blobs([40, 40, 30, 30, 20], spread=0.6)
    clusterer = SpectralClusterer(min_cluster_size=8, parsimony=0.035).fit(X)
    scores = clusterer.cut_scores_
    top = max(scores.values())
    near = [k for k, v in scores.items() if v >= top - 0.035 * abs(top)]
    assert clusterer.n_clusters_chosen_ == min(near)


def test_cluster_qr_recovers_blocks_from_rotated_indicators():
    from miner.themes.cluster import cluster_qr

    rng = np.random.default_rng(3)
    truth = rng.integers(0, 5, size=200)
    indicators = np.eye(5)[truth] + 0.05 * rng.normal(size=(200, 5))
    rotation, _ = np.linalg.qr(rng.normal(size=(5, 5)))
    labels = cluster_qr(indicators @ rotation)
    from sklearn.metrics import adjusted_rand_score

    assert adjusted_rand_score(truth, labels) == 1.0


def test_large_inputs_cluster_a_sample_and_vote_for_the_rest():
    from sklearn.metrics import adjusted_rand_score

    X, truth = _blobs([300, 200, 150, 100], spread=0.3)
    clusterer = SpectralClusterer(min_cluster_size=10, sample_size=200).fit(X)
    assert clusterer.n_clusters_chosen_ == 4
    assert (clusterer.labels_ >= 0).mean() > 0.99
    assert adjusted_rand_score(truth, clusterer.labels_) > 0.95


def test_sample_depends_on_rows_not_their_order_or_count():
    X, _ = _blobs([300, 300], spread=0.3)
    clusterer = SpectralClusterer(sample_size=200)
    first = {X[i].tobytes() for i in clusterer._sample(X)}
    shuffled = X[np.random.default_rng(1).permutation(len(X))]
    assert {shuffled[i].tobytes() for i in clusterer._sample(shuffled)} == first
    extra, _ = _blobs([30], spread=0.3, seed=9)  # 5% more rows
    grown = {
        row.tobytes() for row in np.vstack([X, extra])[clusterer._sample(np.vstack([X, extra]))]
    }
    assert len(first & grown) >= 0.9 * len(first)


def test_a_far_island_below_the_minimum_size_stays_unassigned():
    X, _ = _blobs([100, 100], spread=0.3)
    island = np.full((3, X.shape[1]), -50.0, dtype=np.float32)
    island[:, 0] = 50.0
    island += np.random.default_rng(4).normal(size=island.shape).astype(np.float32)
    labels = SpectralClusterer(min_cluster_size=10).fit(np.vstack([X, island])).labels_
    assert (labels[-3:] == -1).all()
    assert len(set(labels[:-3].tolist()) - {-1}) == 2


def test_top_k_is_an_exact_ordered_top_k_with_ties_and_nan_rows():
    from miner.themes.cluster import top_k

    rng = np.random.default_rng(3)
    for n_rows, n_cols, k in [(40, 6000, 10), (30, 37, 10), (5, 3, 3), (4, 1, 1)]:
        values = rng.standard_normal((n_rows, n_cols)).astype(np.float32)
        values[:, n_cols // 2 :] = np.round(values[:, n_cols // 2 :], 1)  # many equal values
        values[0] = 0.5  # a row of one value: every column ties
        if n_rows > 10:
            values[1] = np.nan
        got = top_k(values, k)
        columns = np.broadcast_to(np.arange(n_cols), values.shape)
        expected = np.lexsort((columns, -values), axis=1)[:, :k]  # largest first, then column
        assert got.shape == (n_rows, k)
        assert (got == expected).all()


def test_theme_model_passes_its_parsimony_to_the_count_rule():
    """A larger parsimony may keep fewer themes than the best silhouette has; None keeps
    the clusterer's own (the comment rule), 0 takes the best count (piece themes)."""
    X, labels = _blobs([40, 40, 30, 30, 20, 20], spread=0.8, seed=0)
    texts = _texts(labels)
    best = ThemeModel(seed=1, parsimony=0.0).fit(texts, X).theme_count_["automatic"]
    shipped = ThemeModel(seed=1).fit(texts, X).theme_count_["automatic"]
    loose = ThemeModel(seed=1, parsimony=0.3).fit(texts, X).theme_count_["automatic"]
    assert best == 6 and shipped <= best
    assert loose < best


def test_keywords_keep_letters_of_any_script():
    from miner.themes.labels import keyword_vectorizer

    vectorizer = keyword_vectorizer().fit(["Der Export bricht bei Müller ab", "Kündigung"])
    terms = set(vectorizer.vocabulary_)
    # A word with a letter outside a-z ("Müller", "Kündigung") was no keyword at all.
    assert {"müller", "kündigung", "export"} <= terms and not {"mller", "ndigung"} & terms


def test_theme_keywords_hold_no_personal_data():
    from miner.themes.labels import class_keywords

    # Keywords lose punctuation: "anna.dubois@gmail.com" became "annaduboisgmailcom",
    # which no mask finds, in every report.
    texts = [
        "Missing a proper API, write to anna.dubois@gmail.com",
        "No API to automate, mail sofia.jones@gmail.com or call +44 20 7946 0958",
        "The API is missing",
        "Export is slow",
    ] * 5
    keywords = class_keywords(texts, [0, 0, 0, 1] * 5)
    words = " ".join(term for terms in keywords.values() for term, _ in terms)
    assert "api" in words.split()
    for leaked in ("gmail", "anna", "dubois", "sofia", "7946", "0958"):
        assert leaked not in words


def test_fitted_theme_keywords_hold_no_personal_data():
    # The fit's keywords come from BERTopic, which strips punctuation before its term
    # counter reads a theme's text: an address twelve refund requests ended with was
    # the keyword "sarahconnorgmailcom" in every report.
    X, labels = _blobs([30, 30], seed=2)
    asks = ["Send the refund confirmation to", "Email my refund receipt to"]
    texts = [
        f"{asks[i % 2]} sarah.connor@gmail.com or +44 20 7946 0958" if label == 0 else
        "The dashboard is slow in the morning"
        for i, label in enumerate(labels)
    ]  # fmt: skip
    model = ThemeModel(seed=1).fit(texts, X)
    words = " ".join(" ".join(k) for k in model.themes_["keywords"])
    assert "refund" in words.split()
    for leaked in ("gmail", "sarah", "connor", "7946", "0958"):
        assert leaked not in words


def test_section_headings_of_a_review_are_no_topic():
    from miner.pieces import embedded_texts
    from miner.themes.labels import class_keywords

    # A review export's "Pros: ... Cons: ..." gave a theme named "Cons" and an area "Pros".
    assert embedded_texts(["Pros: Easy to set up. Cons: Slow on big projects"]) == [
        "Easy to set up. Slow on big projects"
    ]
    assert embedded_texts(["Pros:-Good camera", "pro-rated billing is wrong"]) == [
        "Good camera",
        "pro-rated billing is wrong",
    ]
    texts = ["Cons: slow sync", "Cons: sync breaks", "Pros: nice reports", "Pros: reports"] * 3
    words = {
        term for terms in class_keywords(texts, [0, 0, 1, 1] * 3).values() for term, _ in terms
    }
    assert "sync" in words and not any(w in ("pros", "cons") for t in words for w in t.split())


def test_a_label_never_holds_a_name_its_comments_give_a_title():
    # A nurse's name had labelled a theme of noise complaints ("Bridget on ward",
    # "Nurse tomasz"): labels are read from the comments with personal data cut out.
    X, truth = _blobs([80, 50, 30])
    staff = ["Bridget"]
    tails = "noise late food cold bed lights doors trolleys phones alarms".split()
    texts = [
        # named with her title once, alone the other times
        f"{'Sister ' if i % 8 == 0 else ''}Bridget on ward {i % 9}, {tails[i % 10]}"
        if label == 0
        else f"{WORDS[int(label)]} comment {i}"
        for i, label in enumerate(truth)
    ]
    model = ThemeModel(seed=1).fit(texts, X)
    words = " ".join(model.themes_["label"]).lower()
    assert not any(name.lower() in words for name in staff), model.themes_["label"].tolist()
    keywords = " ".join(" ".join(k) for k in model.themes_["keywords"]).lower()
    assert "bridget" not in keywords
    # A word also written in lower case is no name ("Will", "Hope").
    from miner.pii import titled_names

    assert titled_names(["Dr Will said", "it will rain", "Nurse Kelly"]) == {"Kelly"}


def test_a_label_never_holds_the_name_of_staff_its_comments_thank():
    # A utility's praise themes had been named after one of eight agents ("Kwame in
    # customer services": 5,852 comments, 3% of them about Kwame).
    from miner.pii import staff_names

    agents = ["Priya", "Kwame", "Marek", "Aoife"]
    openings = [
        "{} in customer services was so kind and called me back",
        "{} was brilliant, sorted out my account in one call",
        "huge thanks to {} who was patient and explained my bill",
        "the lady I spoke to, {}, was fantastic",
    ]
    X, truth = _blobs([80, 50, 30])
    texts = [
        openings[i % 4].format(agents[(i // 4) % 4] if i % 15 else agents[0].lower())
        if label == 0
        else f"{WORDS[int(label)]} comment {i}"
        for i, label in enumerate(truth)
    ]
    assert set(staff_names(texts)) == {*agents, *(name.lower() for name in agents)}
    model = ThemeModel(seed=1).fit(texts, X)
    words = " ".join(model.themes_["label"]).lower()
    assert not any(name.lower() in words for name in agents), model.themes_["label"].tolist()
    # Not a team, a sign-off, a product or a word also written in lower case (a checking
    # helper's "Xero is great", "thanks to Slack our team sees alerts" had cut Xero and
    # Slack out of 7 of 12 labels).
    said = ["Thanks to Support for the fix", "support was great", "Thanks\nFiona Walsh"] * 3
    said += ["Xero is great", "thanks to Slack our team sees alerts", "Setup was brilliant"] * 3
    said += ["Alexa on the phone app keeps crashing"] * 3
    assert staff_names(said + ["Will was great", "it will work", "will do"]) == frozenset()
    # A name typed in lower case as often as not is still one when said so.
    lazy = ["huge thanks to shona who was patient"] * 3 + ["Shona was so kind", "shona rang"]
    assert staff_names(lazy) == {"Shona", "shona"}
