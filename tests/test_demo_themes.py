"""Themes on the whole demo corpus recover the planted ones (NMI against truth.csv)."""

from __future__ import annotations

import re

import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from miner import FeedbackMiner


def test_planted_themes_are_recovered(demo_fit):
    miner, feedback, truth = demo_fit
    docs = miner.documents_
    assert len(docs) == len(feedback)
    analysed = docs["status"].isin(["ok", "duplicate"]) & (truth["theme"] != "none")
    nmi = normalized_mutual_info_score(truth.loc[analysed, "theme"], docs.loc[analysed, "theme_id"])
    ari = adjusted_rand_score(truth.loc[analysed, "theme"], docs.loc[analysed, "theme_id"])
    print(f"demo corpus: NMI {nmi:.3f}, ARI {ari:.3f}, themes {docs['theme_id'].max() + 1}")
    assert nmi >= 0.85


def test_noise_rows_get_a_status_not_a_theme(demo_fit):
    miner, feedback, truth = demo_fit
    docs = miner.documents_
    blank = feedback["comment"].fillna("").str.strip() == ""
    assert (docs.loc[blank, "status"] == "empty").all()
    assert (docs.loc[blank, "theme_id"] == -1).all()
    assert (docs["status"] == "duplicate").sum() > 0


def test_saved_model_scores_fit_documents_the_same(demo_fit, tmp_path):
    miner, feedback, _ = demo_fit
    miner.save(tmp_path / "model")
    # Themes only: the per-document heads do not change them (set_params, as in sklearn).
    loaded = FeedbackMiner.load(tmp_path / "model").set_params(per_document=False)
    scored = loaded.transform(feedback, text_col="comment")
    assert "sentiment" not in scored.columns
    same = (scored["theme_id"].to_numpy() == miner.documents_["theme_id"].to_numpy()).mean()
    assert same >= 0.98


def test_labels_share_words_with_planted_theme_names(demo_fit):
    """Most planted themes map to a theme whose label uses the customers' words."""
    from miner.themes.labels import STOPWORDS

    miner, _, truth = demo_fit
    docs = miner.documents_
    planted = truth["theme"][docs["theme_id"] >= 0]
    found = docs.loc[docs["theme_id"] >= 0, "theme_label"]
    majority = pd.crosstab(planted, found).idxmax(axis=1) if len(planted) else pd.Series(dtype=str)
    majority = majority.drop("none", errors="ignore")

    def stems(text: str) -> set[str]:
        # A word's first five letters once its ending is cut ("pricing" and "price" are
        # one word; five letters alone had read them as two).
        words = text.lower().replace("-", " ").split()
        return {re.sub(r"(ing|ed|es|er|s|e)$", "", w)[:5] for w in words if w not in STOPWORDS}

    overlap = [bool(stems(name) & stems(label)) for name, label in majority.items()]
    print(dict(zip(majority.index, majority.values, strict=True)))
    assert sum(overlap) / len(overlap) >= 0.6
    labels = miner.theme_model_.themes_["label"]
    assert not any(set(label.lower().split()) <= STOPWORDS for label in labels)


def test_off_topic_comments_stay_unassigned_and_few_others_do(demo_fit):
    miner, _, truth = demo_fit
    docs = miner.documents_
    analysed = docs["status"].isin(["ok", "duplicate"])
    noise = analysed & (truth["theme"] == "none")
    assert noise.sum() >= 5
    assert (docs.loc[noise, "theme_id"] == -1).mean() >= 0.9
    assert (docs.loc[analysed, "theme_id"] == -1).mean() <= 0.05
