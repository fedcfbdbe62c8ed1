"""miner: feedback mining for product teams.

Public API: :class:`FeedbackMiner`, :func:`load_run`, :func:`save_run`, :data:`__version__`.
"""

from __future__ import annotations

import os

# No model hub at run time: every model comes from an installed package or a local path.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from miner.version import __version__

__all__ = ["FeedbackMiner", "load_run", "save_run", "__version__"]


def __getattr__(name: str):
    # Lazy, so `import miner` (and `miner --help`) stays fast.
    if name == "FeedbackMiner":
        from miner.pipeline import FeedbackMiner

        return FeedbackMiner
    if name in ("load_run", "save_run"):
        from miner import persist

        return getattr(persist, name)
    raise AttributeError(f"module 'miner' has no attribute {name!r}")
