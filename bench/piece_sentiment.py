"""How a piece's sentiment is best read: alone, or from its comment's encoder pass.

    .venv/bin/python bench/piece_sentiment.py [--per-comment 4] [--seed 0]

A whole ``miner fit`` scores each comment once (sentiment and kind, sentence by
sentence in context), then scores again, read alone, each piece of a comment about two
or more themes (``miner.pieces.rate_pieces``). Reading a piece from the scores its
sentences got in the comment's own pass would save that second encoder pass. This
script measures what it would cost: pseudo-comments of ``--per-comment`` DynaSent test
sentences (real review sentences labelled negative / neutral / positive; seeded draw),
and for every piece that is exactly one of those sentences, the label of its score
(``label_from_score``) read alone against the length-weighted mean of its sentences'
``sentence_scores`` from the comment's pass. Needs ``../shared/data/dynasent`` (or
``$MINER_SHARED_DATA``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "models"))

import sentiment_data  # noqa: E402

from miner.pieces import plan_pieces  # noqa: E402
from miner.sentences import sentence_spans  # noqa: E402
from miner.sentiment import SentimentModel, label_from_score  # noqa: E402


def pseudo_comments(frame: pd.DataFrame, per_comment: int, seed: int):
    """Comments of ``per_comment`` sentences drawn without replacement, each with the
    character range and label of its sentences."""
    order = np.random.default_rng(seed).permutation(len(frame))
    comments = []
    for begin in range(0, len(order) - per_comment + 1, per_comment):
        text, spans = "", []
        for row in order[begin : begin + per_comment]:
            sentence = str(frame["text"].iloc[row]).strip()
            text += " " if text else ""
            spans.append((len(text), len(text) + len(sentence), frame["label"].iloc[row]))
            text += sentence
        comments.append((text, spans))
    return comments


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-comment", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not (sentiment_data.shared_data_dir() / "dynasent").is_dir():
        print(f"needs {sentiment_data.shared_data_dir()}/dynasent (../shared beside the project)")
        return 2
    frame = sentiment_data.dynasent("test")
    comments = pseudo_comments(frame, args.per_comment, args.seed)
    model = SentimentModel.load()
    scored = model.predict([text for text, _ in comments])["sentence_scores"]
    pieces, gold, from_comment = [], [], []
    for (text, spans), scores in zip(comments, scored, strict=True):
        sentences = sentence_spans(text)
        for start, end, indices in plan_pieces(text):
            inside = [label for a, b, label in spans if a < end and b > start]
            exact = [label for a, b, label in spans if a >= start and b <= end]
            if len(inside) != 1 or len(exact) != 1 or max(indices) >= len(scores):
                continue
            weights = np.sqrt([len(text[slice(*sentences[i])].split()) for i in indices])
            values = [scores[i] for i in indices]
            from_comment.append(float(np.dot(weights, values) / weights.sum()))
            pieces.append(text[start:end])
            gold.append(exact[0])
    alone = model.predict(pieces)["sentiment_score"].tolist()
    print(
        f"{len(comments):,} pseudo-comments of {args.per_comment} DynaSent test sentences, "
        f"{len(pieces):,} pieces that are one sentence"
    )
    print("| piece read | macro-F1 | accuracy |\n|---|---:|---:|")
    for name, values in (("alone (miner)", alone), ("from its comment's pass", from_comment)):
        labels = [label_from_score(v) for v in values]
        print(
            f"| {name} | {f1_score(gold, labels, average='macro'):.3f} "
            f"| {accuracy_score(gold, labels):.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
