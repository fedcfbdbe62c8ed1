"""Evaluate the shipped feedback-kind head on the held-out, hand-labelled evaluation set.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/eval_kind.py

Prints accuracy, macro-F1, per-kind precision/recall/F1, the confusion matrix and how
often the secondary kind is right, for ``tests/data/kind_eval.jsonl`` (never used in
training or tuning) and, when ``data/demo/truth.csv`` exists, for the demo corpus's planted
kinds. A keyword-rule baseline is printed beside the model. The issue-5 bars are checked
at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import (  # noqa: E402
    accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
    recall_score,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from miner.kinds import KIND_LABELS, KindModel  # noqa: E402

sys.path.insert(0, str(REPO_ROOT / "models"))
from kind_data import HOLDOUT_APP, app_review_split, read_jsonl, shared_data_dir  # noqa: E402

sys.path.insert(0, str(REPO_ROOT / "bench"))
from eval_sentiment import demo_frame  # noqa: E402

EVAL_FILE = REPO_ROOT / "tests" / "data" / "kind_eval.jsonl"


def keyword_baseline(texts: list[str]) -> np.ndarray:
    """A few hand rules, to show what the learned head adds."""
    rules = [
        ("question", r"\?\s*$"),
        ("bug", r"\b(crash|error|bug|broken|freez|doesn't work|not working|fails?)\b"),
        ("feature_request", r"\b(please add|add|wish|would be (nice|great)|would love|feature)\b"),
        ("complaint", r"\b(too|terrible|worst|disappoint|expensive|rude|slow|poor)\b"),
        ("praise", r"\b(love|great|excellent|amazing|perfect|best|thank)\b"),
    ]
    out = []
    for text in texts:
        kind = "other"
        for label, pattern in rules:
            if re.search(pattern, text, re.IGNORECASE):
                kind = label
                break
        out.append(kind)
    return np.array(out)


def report(name: str, frame: pd.DataFrame, model: KindModel) -> dict[str, float]:
    """Print every figure for one labelled set; return the model's figures."""
    texts = frame["text"].astype(str).tolist()
    truth = frame["kind"].to_numpy()
    predicted = model.predict(texts)
    ours = predicted["kind"].to_numpy()
    baseline = keyword_baseline(texts)
    labels = list(KIND_LABELS)
    print(f"\n=== {name} (n={len(frame)}) ===")
    print(f"{'system':<16} {'accuracy':>9} {'macro-F1':>9}")
    for system, values in (("miner", ours), ("keyword rules", baseline)):
        print(
            f"{system:<16} {accuracy_score(truth, values):>9.3f} "
            f"{f1_score(truth, values, labels=labels, average='macro'):>9.3f}"
        )
    print("-- miner, per kind")
    print(classification_report(truth, ours, labels=labels, digits=3, zero_division=0))
    matrix = confusion_matrix(truth, ours, labels=labels)
    print("-- confusion matrix, miner (rows: truth)")
    print(
        pd.DataFrame(
            matrix, index=[f"true {k}" for k in labels], columns=[k[:8] for k in labels]
        ).to_string()
    )
    if "kind_secondary" in frame.columns:
        has_secondary = frame["kind_secondary"].notna().to_numpy()
        predicted_secondary = predicted["kind_secondary"].to_numpy()
        hits = sum(
            p == t
            for p, t, h in zip(
                predicted_secondary, frame["kind_secondary"], has_secondary, strict=True
            )
            if h
        )
        n_predicted = int(pd.notna(predicted_secondary).sum())
        print(
            f"-- secondary kind: labelled on {int(has_secondary.sum())} items, "
            f"predicted on {n_predicted}, right on {hits} of the labelled ones; "
            f"primary or secondary matches the labelled kind on "
            f"{np.mean((ours == truth) | (predicted_secondary == truth)):.3f} of items"
        )
    wrong = frame.assign(predicted=ours)[ours != truth]
    if len(wrong):
        print(f"-- {len(wrong)} errors (first 25)")
        for _, row in wrong.head(25).iterrows():
            print(f"   {row['kind']:>15} -> {row['predicted']:<15} {row['text'][:90]}")
    return {
        "accuracy": accuracy_score(truth, ours),
        "macro_f1": f1_score(truth, ours, labels=labels, average="macro"),
        "recall_bug": recall_score(truth, ours, labels=["bug"], average="macro"),
        "recall_feature_request": recall_score(
            truth, ours, labels=["feature_request"], average="macro"
        ),
    }


def reliability(proba: np.ndarray, truth: np.ndarray, bins: int = 10) -> tuple[float, str]:
    """Expected calibration error of one kind's probability and its bins (mean p / rate / n)."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(proba, edges) - 1, 0, bins - 1)
    ece, cells = 0.0, []
    for b in range(bins):
        inside = which == b
        if inside.any():
            gap = abs(proba[inside].mean() - truth[inside].mean())
            ece += inside.mean() * gap
            cells.append(f"{proba[inside].mean():.2f}/{truth[inside].mean():.2f}/{inside.sum()}")
    return ece, " ".join(cells)


def held_out_app(model: KindModel) -> dict[str, float]:
    """Bug and feature-request F1 on the frozen held-out app (models/kind_data.py)."""
    _, held = app_review_split()
    figures = {}
    for lang in ("en", "fr"):
        part = held[held["lang"] == lang]
        predicted = model.predict(part["text"].tolist())
        print(f"\n=== held-out app {HOLDOUT_APP}, {lang} reviews (n={len(part)}) ===")
        for label, column in (("bug", "is_bug"), ("feature_request", "is_feature_request")):
            truth = part[column].to_numpy()
            guess = predicted["kind"].to_numpy() == label
            either = guess | (predicted["kind_secondary"].to_numpy() == label)
            tp = int((truth & guess).sum())
            precision, recall = tp / max(guess.sum(), 1), tp / max(truth.sum(), 1)
            f1 = f1_score(truth, guess)
            ece, cells = reliability(predicted[f"kind_proba_{label}"].to_numpy(), truth)
            print(
                f"{label:<16} gold {int(truth.sum()):>4}  P {precision:.3f} R {recall:.3f} "
                f"F1 {f1:.3f}  (kind or kind_secondary: F1 {f1_score(truth, either):.3f})  "
                f"ECE {ece:.3f}"
            )
            print(f"   reliability (mean p / observed rate / n per bin): {cells}")
            figures[f"{lang}_{label}_f1"] = f1
            figures[f"{lang}_{label}_either_f1"] = f1_score(truth, either)
        print("predicted kinds:", predicted["kind"].value_counts().to_dict())
    return figures


def main() -> None:
    """Evaluate on the held-out set (and the demo corpus) and check the bars."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval", type=Path, default=EVAL_FILE)
    parser.add_argument("--model", type=Path, default=None, help="kind model folder")
    args = parser.parse_args()
    rows = read_jsonl(args.eval)
    frame = pd.DataFrame(rows)
    model = KindModel.load(args.model)
    figures = report(f"kind evaluation set {args.eval.name}", frame, model)
    demo = demo_frame("kind", KIND_LABELS)
    if demo is None:
        print("\n(demo corpus: data/demo/truth.csv not found; skipped)")
    else:
        report("demo corpus, planted kinds", demo.rename(columns={"label": "kind"}), model)
    held = held_out_app(model) if shared_data_dir().is_dir() else None
    print("\n=== issue 5 bars ===")
    for label, ok in (
        ("kind macro-F1 >= 0.80", figures["macro_f1"] >= 0.80),
        ("bug recall >= 0.85", figures["recall_bug"] >= 0.85),
        ("feature_request recall >= 0.85", figures["recall_feature_request"] >= 0.85),
    ):
        print(f"[{'PASS' if ok else 'FAIL'}] {label}")
    if held is not None:
        print("=== issue 18 bars (held-out app, English reviews) ===")
        for label, ok in (
            ("bug F1 >= 0.80 (kind)", held["en_bug_f1"] >= 0.80),
            ("feature_request F1 >= 0.75 (kind)", held["en_feature_request_f1"] >= 0.75),
            (
                "feature_request F1 >= 0.75 (kind or kind_secondary)",
                held["en_feature_request_either_f1"] >= 0.75,
            ),
        ):
            print(f"[{'PASS' if ok else 'FAIL'}] {label}")


if __name__ == "__main__":
    main()
