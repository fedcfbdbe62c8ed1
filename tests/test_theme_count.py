"""The theme count on diffuse text: no collapse to a split by product (issue 19, point 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from miner.embed.onnx import OnnxEmbedder
from miner.themes.cluster import BROAD_STRAYS, FINE_MIN_THEMES, SpectralClusterer, adaptive_min_size


def test_forum_sentences_of_two_products_get_themes_about_what_they_say(shared_data):
    """Support-forum sentences about two products (Firefox, VLC): the best silhouette is
    the split by product, which leaves a fifth of the sentences far from their theme's
    centre; the count is then chosen among finer ones."""
    frame = pd.read_csv(shared_data / "tizard_forum_feedback" / "tizard_forum_feedback.csv")
    texts = frame["text"].dropna().astype(str).drop_duplicates()
    texts = texts.sample(n=1000, random_state=0).tolist()
    vectors = OnnxEmbedder().encode(texts).astype(np.float64)
    model = SpectralClusterer(min_cluster_size=adaptive_min_size(len(texts))).fit(vectors)
    assert model.broad_strays_ > BROAD_STRAYS  # the first count was a product split
    assert model.n_clusters_chosen_ >= FINE_MIN_THEMES
    assert (model.labels_ < 0).mean() <= 0.10
