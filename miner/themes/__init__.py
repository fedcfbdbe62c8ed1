"""Themes: clustering, labels and assignment (BERTopic inside)."""

from miner.themes.cluster import SpectralClusterer, adaptive_min_size
from miner.themes.labels import make_label
from miner.themes.model import ThemeModel

__all__ = ["ThemeModel", "SpectralClusterer", "adaptive_min_size", "make_label"]
