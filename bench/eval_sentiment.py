"""Evaluate the shipped sentiment model beside VADER on held-out data it never saw.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/eval_sentiment.py [--model miner/weights/sentiment]

Prints accuracy, macro-F1 and the confusion matrix for
* DynaSent ``test.csv`` (3 classes; the model trained on ``dev.csv`` only),
* the held-out 20% of the clothing reviews (stratified by rating, seed 0; 1-2 negative,
  3 neutral, 4-5 positive),
* the held-out 20% of the UCI sentences (binary: the sign of ``sentiment_score``),
* short real messages labelled by what they say (``bench/sentiment_real``: Garmin Connect
  reviews of 3-30 words, support-forum sentences, Banking77 queries; issue 18's short
  informal text), overall and per source,
* the demo corpus's planted labels, when ``data/demo/truth.csv`` exists.
VADER (compound >= 0.05 positive, <= -0.05 negative, else neutral; binary: compound > 0)
is scored on exactly the same texts. Splits come from ``models/sentiment_data.py``, the
same code the training script uses. The bars from issue 5 are checked at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "models"))

import sentiment_data  # noqa: E402

from bench import sentiment_real  # noqa: E402
from miner.encoder import emoji_as_words  # noqa: E402
from miner.sentiment import SENTIMENT_LABELS, SentimentModel  # noqa: E402

BINARY = ("negative", "positive")


def vader_compound(texts: list[str]) -> np.ndarray:
    """VADER compound score for each text."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return np.array([analyzer.polarity_scores(t)["compound"] for t in texts])


def vader_labels(compound: np.ndarray) -> np.ndarray:
    """The usual VADER 3-class cut-offs."""
    return np.where(
        compound >= 0.05, "positive", np.where(compound <= -0.05, "negative", "neutral")
    )


def report(
    name: str, truth, predictions: dict[str, np.ndarray], labels, f1_labels=None
) -> dict[str, dict]:
    """Print accuracy, macro-F1 (over ``f1_labels``, default ``labels``) and confusion
    matrices side by side; return the figures."""
    print(f"\n=== {name} (n={len(truth)}) ===")
    figures = {}
    for system, predicted in predictions.items():
        figures[system] = {
            "accuracy": accuracy_score(truth, predicted),
            "macro_f1": f1_score(
                truth, predicted, labels=list(f1_labels or labels), average="macro"
            ),
        }
    print(f"{'system':<10} {'accuracy':>9} {'macro-F1':>9}")
    for system, f in figures.items():
        print(f"{system:<10} {f['accuracy']:>9.3f} {f['macro_f1']:>9.3f}")
    for system, predicted in predictions.items():
        matrix = confusion_matrix(truth, predicted, labels=list(labels))
        frame = pd.DataFrame(
            matrix,
            index=[f"true {lab}" for lab in labels],
            columns=[f"pred {lab[:3]}" for lab in labels],
        )
        print(f"-- confusion matrix, {system} (rows: truth)")
        print(frame.to_string())
    return figures


def evaluate_three_class(
    name: str, model: SentimentModel, frame: pd.DataFrame, f1_labels=None
) -> dict:
    """Both systems on ``frame`` (text, label); macro-F1 over ``f1_labels`` (default all
    three)."""
    texts = frame["text"].astype(str).tolist()
    started = time.perf_counter()
    ours = model.predict(texts)["sentiment"].to_numpy()
    elapsed = time.perf_counter() - started
    vader = vader_labels(vader_compound(texts))
    figures = report(
        name,
        frame["label"].to_numpy(),
        {"miner": ours, "VADER": vader},
        SENTIMENT_LABELS,
        f1_labels,
    )
    print(f"(miner scored {len(texts)} texts in {elapsed:.1f}s, {len(texts) / elapsed:.0f}/s)")
    return figures


def evaluate_binary(name: str, model: SentimentModel, frame: pd.DataFrame) -> dict:
    texts = frame["text"].astype(str).tolist()
    scores = model.predict(texts)["sentiment_score"].to_numpy()
    ours = np.where(scores >= 0, "positive", "negative")
    compound = vader_compound(texts)
    vader = np.where(compound > 0, "positive", "negative")
    return report(name, frame["label"].to_numpy(), {"miner": ours, "VADER": vader}, BINARY)


def demo_frame(column: str = "sentiment", labels=SENTIMENT_LABELS) -> pd.DataFrame | None:
    """The demo corpus with a planted ``column`` of truth.csv as ``label`` (rows whose
    value is in ``labels``), or None when the corpus is not built."""
    demo = REPO_ROOT / "data" / "demo"
    truth_file, feedback_file = demo / "truth.csv", demo / "feedback.csv"
    if not truth_file.is_file() or not feedback_file.is_file():
        return None
    truth = pd.read_csv(truth_file)
    feedback = pd.read_csv(feedback_file)
    if column not in truth.columns or "comment" not in feedback.columns:
        return None
    merged = feedback[["response_id", "comment"]].merge(
        truth[["response_id", column]], on="response_id"
    )
    merged = merged[merged[column].isin(labels)]
    return merged.rename(columns={"comment": "text", column: "label"}).fillna({"text": ""})


def main() -> None:
    """Run every evaluation and check the issue-5 bars."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=None, help="sentiment model folder")
    parser.add_argument(
        "--validation",
        action="store_true",
        help="also score the clothing validation sample (part of the training split)",
    )
    parser.add_argument(
        "--app-reviews",
        nargs="*",
        choices=("dev", "holdout"),
        default=["holdout"],
        help="English Mini-BAR app reviews by star rating: the held-out app (default) "
        "and/or the dev apps; none: leave them out",
    )
    args = parser.parse_args()
    if not sentiment_data.shared_data_dir().is_dir():
        sys.exit(f"shared data not found at {sentiment_data.shared_data_dir()}")

    started = time.perf_counter()
    model = SentimentModel.load(args.model)
    print(f"model loaded in {time.perf_counter() - started:.2f}s")

    dyn = evaluate_three_class("DynaSent test.csv", model, sentiment_data.dynasent("test"))
    _, clothing_held_out = sentiment_data.clothing()
    clothing = evaluate_three_class(
        "clothing reviews, held-out 20% (stratified by rating, seed 0)", model, clothing_held_out
    )
    _, uci_held_out = sentiment_data.uci()
    uci = evaluate_binary("UCI sentences, held-out 20% (binary)", model, uci_held_out)
    if args.validation:
        _, validation = sentiment_data.clothing_train_and_validation()
        evaluate_three_class("clothing validation (from the training 80%)", model, validation)

    for split in args.app_reviews:
        reviews = sentiment_data.app_reviews(split)
        apps = ", ".join(sorted(reviews["app"].unique()))
        evaluate_three_class(f"app reviews {split} ({apps}; stars 1-2 / 3 / 4-5)", model, reviews)
        with_emoji = reviews[reviews["text"].map(emoji_as_words) != reviews["text"]]
        evaluate_three_class(f"app reviews {split}, the reviews with emoji", model, with_emoji)

    messages = pd.DataFrame(sentiment_real.load_labelled())
    short = evaluate_three_class(
        "short real messages, labelled by text (bench/sentiment_real)", model, messages
    )
    for source, part in messages.groupby("source"):
        # macro-F1 over the classes the source has (bank queries are never positive)
        present = [label for label in SENTIMENT_LABELS if label in set(part["label"])]
        evaluate_three_class(f"short real messages, {source} only", model, part, present)

    demo = demo_frame()
    if demo is None:
        print("\n(demo corpus: data/demo/truth.csv not found; skipped)")
    else:
        evaluate_three_class("demo corpus, planted sentiment", model, demo)

    checks = [
        ("DynaSent macro-F1 >= 0.68", dyn["miner"]["macro_f1"] >= 0.68),
        (
            "DynaSent macro-F1 >= VADER + 0.13",
            dyn["miner"]["macro_f1"] >= dyn["VADER"]["macro_f1"] + 0.13,
        ),
        ("clothing held-out macro-F1 >= 0.60", clothing["miner"]["macro_f1"] >= 0.60),
        ("UCI held-out accuracy >= 0.90", uci["miner"]["accuracy"] >= 0.90),
        (
            "short real messages macro-F1 >= 0.76 (issue 18)",
            short["miner"]["macro_f1"] >= 0.76,
        ),
    ]
    print("\n=== issue 5 and 18 bars ===")
    for label, ok in checks:
        print(f"[{'PASS' if ok else 'FAIL'}] {label}")


if __name__ == "__main__":
    main()
