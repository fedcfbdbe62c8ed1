"""Train the feedback-kind head on hand-written examples and save it as .npy + JSON.

    HF_HUB_OFFLINE=1 .venv/bin/python models/train_kind.py

Training data: ``tests/data/kind_train.jsonl`` (written for this project; never the
evaluation set ``tests/data/kind_eval.jsonl``). The regularisation strength ``C`` and the
secondary-kind threshold are chosen by 5-fold cross-validation on the training data only.
Needs the shipped sentiment encoder (``miner/weights/sentiment``): the head reads its features,
so retrain this head whenever the encoder is retrained.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import classification_report, f1_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from miner.kinds import DEFAULT_KIND_PATH, KIND_LABELS, KindModel  # noqa: E402

TRAIN_FILE = REPO_ROOT / "tests" / "data" / "kind_train.jsonl"
C_GRID = (0.3, 1.0, 3.0, 10.0)
THRESHOLD_GRID = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4)


def read_jsonl(path: Path) -> list[dict]:
    """Read one JSON object per line."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def cross_validate(features: np.ndarray, kinds: np.ndarray, seed: int) -> dict[float, np.ndarray]:
    """Out-of-fold probabilities (columns in KIND_LABELS order) for every C in the grid."""
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    out = {}
    for c in C_GRID:
        proba = np.zeros((len(kinds), len(KIND_LABELS)))
        for train_index, test_index in folds.split(features, kinds):
            head = LogisticRegression(
                C=c, class_weight="balanced", max_iter=5000, random_state=seed
            )
            head.fit(features[train_index], kinds[train_index])
            columns = [list(head.classes_).index(k) for k in KIND_LABELS]
            proba[test_index] = head.predict_proba(features[test_index])[:, columns]
        out[c] = proba
    return out


def secondary_f1(proba: np.ndarray, secondary: list, threshold: float) -> float:
    """F1 of the secondary kind: a hit is a predicted secondary equal to the labelled one."""
    order = np.argsort(-proba, axis=1)
    rows = np.arange(len(proba))
    predicted = [
        KIND_LABELS[order[i, 1]] if proba[i, order[i, 1]] >= threshold else None for i in rows
    ]
    hits = sum(p is not None and p == s for p, s in zip(predicted, secondary, strict=True))
    n_predicted = sum(p is not None for p in predicted)
    n_true = sum(s is not None for s in secondary)
    if hits == 0:
        return 0.0
    precision, recall = hits / n_predicted, hits / n_true
    return 2 * precision * recall / (precision + recall)


def main() -> None:
    """Choose C and the secondary threshold by cross-validation, fit on all, save."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", type=Path, default=TRAIN_FILE)
    parser.add_argument("--out", type=Path, default=DEFAULT_KIND_PATH)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rows = read_jsonl(args.train)
    texts = [r["text"] for r in rows]
    kinds = np.array([r["kind"] for r in rows])
    secondary = [r.get("kind_secondary") for r in rows]
    counts = dict(zip(*np.unique(kinds, return_counts=True), strict=True))
    print(f"training examples: {len(rows)}", counts)

    probe = KindModel(seed=args.seed)
    probe._load_encoder()
    features = probe.features(texts)
    results = cross_validate(features, kinds, args.seed)
    scores = {}
    for c, proba in results.items():
        predicted = np.array(KIND_LABELS)[proba.argmax(axis=1)]
        scores[c] = f1_score(kinds, predicted, average="macro")
        print(f"C={c:<5} 5-fold macro-F1 {scores[c]:.3f}")
    best_c = max(scores, key=lambda c: (round(scores[c], 3), -c))
    best_proba = results[best_c]
    print(
        classification_report(
            kinds, np.array(KIND_LABELS)[best_proba.argmax(axis=1)], digits=3, zero_division=0
        )
    )
    thresholds = {t: secondary_f1(best_proba, secondary, t) for t in THRESHOLD_GRID}
    for t, f in thresholds.items():
        print(f"secondary threshold {t:.2f}: secondary-kind F1 {f:.3f}")
    best_threshold = max(thresholds, key=lambda t: (round(thresholds[t], 3), t))
    print(f"chosen: C={best_c}, secondary_threshold={best_threshold}")

    model = KindModel(C=best_c, secondary_threshold=best_threshold, seed=args.seed)
    model.fit(texts, kinds.tolist())
    folder = model.save(args.out)
    print(f"wrote {folder}")


if __name__ == "__main__":
    main()
