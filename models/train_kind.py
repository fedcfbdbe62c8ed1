"""Train the feedback-kind head on real labelled feedback and save it as .npy + JSON.

    HF_HUB_OFFLINE=1 .venv/bin/python models/train_kind.py

Training data (see ``models/kind_data.py`` and ``models/kind.md``):

* the English app reviews of the Mini-BAR set, **except the held-out app** (Garmin
  Connect): reviews labelled bug or feature request keep that label; the source's
  "other" reviews (neither) get a pseudo-label among complaint, praise, question and
  other from a first head trained on the hand-written set alone;
* the Tizard forum sentences (VLC, Firefox), six kinds mapped one to one;
* ``tests/data/kind_train.jsonl`` (written for this project; never the evaluation set
  ``tests/data/kind_eval.jsonl``).

``C`` is chosen by leave-one-training-app-out validation (train on one training app plus
the forum and hand-written sets, score bug and feature-request F1 on the other training
app); the secondary-kind threshold by 5-fold cross-validation over the hand-written set
(the only one with secondary labels). The held-out app is never read here.
``--feature-cache DIR`` keeps the encoder features of the training texts in ``.npy`` files
(named after the encoder's SHA-256), so a second run skips the encoder (about 12 of the
run's minutes on a busy 2-core machine).
Needs the shipped sentiment encoder (``miner/weights/sentiment``): the head reads its features,
so retrain this head whenever the encoder is retrained.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import classification_report, f1_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from miner.kinds import CUES, DEFAULT_KIND_PATH, KIND_LABELS, KindModel  # noqa: E402

sys.path.insert(0, str(REPO_ROOT / "models"))
from kind_data import HAND_WRITTEN_TRAIN, app_review_split, read_jsonl, tizard  # noqa: E402

C_GRID = (0.3, 1.0, 3.0, 10.0)
FIRST_STAGE_C = 3.0  # the hand-written-only head that pseudo-labels "neither" reviews
NEITHER = ("complaint", "praise", "question", "other")
THRESHOLD_GRID = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4)


def fit_head(features: np.ndarray, kinds: np.ndarray, c: float, seed: int) -> LogisticRegression:
    """The head as KindModel.fit trains it, on precomputed features."""
    head = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=seed)
    return head.fit(features, kinds)


def cached_features(probe: KindModel, name: str, texts: list, cache: Path | None) -> np.ndarray:
    """``probe.features(texts)``, read from / written to the folder ``cache`` when given."""
    if cache is None:
        return probe.features(texts)
    cache.mkdir(parents=True, exist_ok=True)
    # The cues are part of the features: a new or changed cue is a new file.
    # In order: the cues are columns, so a reordering is a new file too.
    cues = hashlib.sha256(json.dumps(list(CUES.items())).encode()).hexdigest()[:8]
    file = cache / f"kind_{name}_{probe.encoder_digest_[:16]}_{cues}_{len(texts)}.npy"
    if file.is_file():
        return np.load(file, allow_pickle=False)
    features = probe.features(texts)
    np.save(file, features, allow_pickle=False)
    return features


def proba_in_kind_order(head: LogisticRegression, features: np.ndarray) -> np.ndarray:
    """Probabilities with columns in KIND_LABELS order."""
    columns = [list(head.classes_).index(k) for k in KIND_LABELS]
    return head.predict_proba(features)[:, columns]


def pseudo_label(first_head: LogisticRegression, features: np.ndarray) -> np.ndarray:
    """The most likely of complaint, praise, question, other (reviews that are neither
    a bug report nor a feature request)."""
    proba = proba_in_kind_order(first_head, features)
    allowed = np.array([k in NEITHER for k in KIND_LABELS])
    proba[:, ~allowed] = -1.0
    return np.array(KIND_LABELS)[proba.argmax(axis=1)]


def choose_c(apps, app_x, app_y, app_truth, extra_x, extra_y, seed: int) -> float:
    """C with the best mean bug / feature-request F1 over the training apps, each
    validated by a head trained on the other training app plus the extra sets."""
    scores = {}
    for c in C_GRID:
        figures = []
        for app in sorted(set(apps)):
            train = apps != app
            head = fit_head(
                np.vstack([app_x[train], extra_x]), np.concatenate([app_y[train], extra_y]), c, seed
            )
            predicted = head.predict(app_x[~train])
            for label in ("bug", "feature_request"):
                figures.append(f1_score(app_truth[label][~train], predicted == label))
        scores[c] = float(np.mean(figures))
        print(f"C={c:<5} leave-one-training-app-out bug/feature-request F1 {scores[c]:.3f}")
    return max(scores, key=lambda c: (round(scores[c], 3), -c))


def hand_written_oof(hw_x, hw_y, extra_x, extra_y, c: float, seed: int) -> np.ndarray:
    """Out-of-fold probabilities of the hand-written rows (the other sets always train)."""
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    proba = np.zeros((len(hw_y), len(KIND_LABELS)))
    for train_index, test_index in folds.split(hw_x, hw_y):
        head = fit_head(
            np.vstack([hw_x[train_index], extra_x]),
            np.concatenate([hw_y[train_index], extra_y]),
            c,
            seed,
        )
        proba[test_index] = proba_in_kind_order(head, hw_x[test_index])
    return proba


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
    """Pseudo-label, choose C and the secondary threshold, fit on all training data, save."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", type=Path, default=HAND_WRITTEN_TRAIN)
    parser.add_argument("--out", type=Path, default=DEFAULT_KIND_PATH)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--feature-cache", type=Path, default=None, help="folder for cached encoder features"
    )
    args = parser.parse_args()

    hand = read_jsonl(args.train)
    hw_texts = [r["text"] for r in hand]
    hw_y = np.array([r["kind"] for r in hand])
    secondary = [r.get("kind_secondary") for r in hand]
    reviews, _ = app_review_split()  # the held-out app is dropped here
    forum = tizard()
    print(
        f"training examples: hand-written {len(hand)}, app reviews {len(reviews)} "
        f"({', '.join(sorted(set(reviews['app'])))}), forum sentences {len(forum)}"
    )

    probe = KindModel(seed=args.seed)
    probe._load_encoder()
    hw_x = cached_features(probe, "hand_written", hw_texts, args.feature_cache)
    app_x = cached_features(probe, "app_reviews", reviews["text"].tolist(), args.feature_cache)
    forum_x = cached_features(probe, "forum", forum["text"].tolist(), args.feature_cache)

    first = fit_head(hw_x, hw_y, FIRST_STAGE_C, args.seed)
    app_y = reviews["kind"].to_numpy(dtype=object)
    neither = pd.isna(app_y)
    app_y[neither] = pseudo_label(first, app_x[neither])
    app_y = app_y.astype(str)
    print("app-review pseudo-labels:", pd.Series(app_y[neither]).value_counts().to_dict())
    everything = pd.Series(np.concatenate([hw_y, app_y, forum["kind"]]))
    print("all training kinds:", everything.value_counts().to_dict())

    truth = {
        "bug": reviews["is_bug"].to_numpy(),
        "feature_request": reviews["is_feature_request"].to_numpy(),
    }
    forum_y = forum["kind"].to_numpy(dtype=str)
    best_c = choose_c(
        reviews["app"].to_numpy(),
        app_x,
        app_y,
        truth,
        np.vstack([forum_x, hw_x]),
        np.concatenate([forum_y, hw_y]),
        args.seed,
    )
    proba = hand_written_oof(
        hw_x, hw_y, np.vstack([app_x, forum_x]), np.concatenate([app_y, forum_y]), best_c, args.seed
    )
    predicted = np.array(KIND_LABELS)[proba.argmax(axis=1)]
    print(f"hand-written set, 5-fold: macro-F1 {f1_score(hw_y, predicted, average='macro'):.3f}")
    print(classification_report(hw_y, predicted, digits=3, zero_division=0))
    thresholds = {t: secondary_f1(proba, secondary, t) for t in THRESHOLD_GRID}
    for t, f in thresholds.items():
        print(f"secondary threshold {t:.2f}: secondary-kind F1 {f:.3f}")
    best_threshold = max(thresholds, key=lambda t: (round(thresholds[t], 3), t))
    print(f"chosen: C={best_c}, secondary_threshold={best_threshold}")

    model = KindModel(C=best_c, secondary_threshold=best_threshold, seed=args.seed)
    model.fit(
        [*hw_texts, *reviews["text"], *forum["text"]],
        [*hw_y.tolist(), *app_y.tolist(), *forum_y.tolist()],
        features=np.vstack([hw_x, app_x, forum_x]),
    )
    folder = model.save(args.out)
    print(f"wrote {folder}")


if __name__ == "__main__":
    main()
