"""Real labelled feedback for the kind head: splits and label mapping, defined once.

Both ``models/train_kind.py`` and ``bench/eval_kind.py`` import this file, so the held-out
part can never drift into training. Data lives in ``../shared/data`` (override with
``MINER_SHARED_DATA``); nothing is copied into the repository.

Frozen before any training or tuning (issue 18):

* **Held-out app**: ``HOLDOUT_APP`` = "Garmin Connect", picked as
  ``sorted(apps)[random.Random(18).randrange(3)]`` over the three apps of the Mini-BAR
  app-review set. Its rows (English and French) are never trained or tuned on. The head
  is trained on the English rows of the two other apps (Huawei Health, Samsung Health).
* **Held-out figures**: on the held-out app's English rows (the head reads English; French
  rows are reported separately, for information), per-label binary F1 where the gold is
  the source's flag (``problem_report`` for bug, ``feature_request`` for feature request;
  a review with both flags is gold for both) and the prediction is the primary ``kind``.
  Rows labelled ``unlabelled`` are dropped.
* Tuning (``C``, secondary threshold, calibration) uses grouped cross-validation on the
  training part only: folds by app x text hash, so equal texts stay in one fold.

Label mapping onto miner's kinds (``miner.schema.KINDS``):

* Mini-BAR (bug / feature request / other): ``bug_report`` -> ``bug``; ``feature_request`` ->
  ``feature_request``; ``bug_report+feature_request`` -> ``bug`` with secondary
  ``feature_request``; ``other`` ("irrelevant": praise, complaints, ratings, questions
  mixed) is *not* mapped to ``other``: it only says "neither bug nor feature request".
  Those rows get a pseudo-label among complaint, praise, question and other (see
  ``models/train_kind.py``).
* Tizard forum sentences: the set's six labels map one to one (``bug_report`` -> ``bug``,
  ``feature_request``, ``question``, ``praise``, ``complaint``, ``other``).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[1]
APPS = ("Garmin Connect", "Huawei Health", "Samsung Health")
# Written for this project; the training part (never the evaluation file kind_eval.jsonl).
HAND_WRITTEN_TRAIN = REPO_ROOT / "tests" / "data" / "kind_train.jsonl"
HOLDOUT_APP = "Garmin Connect"  # sorted(APPS)[random.Random(18).randrange(3)]
APP_REVIEW_KINDS = {
    "bug_report": "bug",
    "feature_request": "feature_request",
    "bug_report+feature_request": "bug",
    "other": None,  # neither bug nor feature request: pseudo-labelled for training
}
TIZARD_KINDS = {
    "bug_report": "bug",
    "feature_request": "feature_request",
    "question": "question",
    "praise": "praise",
    "complaint": "complaint",
    "other": "other",
}


def shared_data_dir() -> Path:
    """Return the shared data folder (``$MINER_SHARED_DATA`` or ``../shared/data``)."""
    env = os.environ.get("MINER_SHARED_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data"


def read_jsonl(path: Path = HAND_WRITTEN_TRAIN) -> list[dict]:
    """One JSON object per line of ``path`` (by default the hand-written training file)."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def text_bucket(text: str, buckets: int = 10) -> int:
    """A stable bucket of a text (equal texts share it), for grouped splits."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % buckets


def app_reviews(data_dir: Path | None = None) -> pd.DataFrame:
    """Mini-BAR app reviews with ``is_bug``, ``is_feature_request`` and ``kind`` columns.

    ``kind`` is the mapped primary kind (None for the source's ``other``);
    ``kind_secondary`` is ``feature_request`` for reviews flagged both.
    """
    folder = (data_dir or shared_data_dir()) / "minibar_app_review_kind"
    frame = pd.read_csv(folder / "minibar_app_review_kind.csv", keep_default_na=False)
    frame = frame[frame["label"] != "unlabelled"].reset_index(drop=True)
    frame["is_bug"] = frame["problem_report"].astype(int) == 1
    frame["is_feature_request"] = frame["feature_request"].astype(int) == 1
    frame["kind"] = frame["label"].map(APP_REVIEW_KINDS)
    frame["kind_secondary"] = frame["label"].map({"bug_report+feature_request": "feature_request"})
    return frame


def app_review_split(data_dir: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(training part: English rows of the other apps, held-out app: all its rows)."""
    frame = app_reviews(data_dir)
    held_out = frame[frame["app"] == HOLDOUT_APP].reset_index(drop=True)
    train = frame[(frame["app"] != HOLDOUT_APP) & (frame["lang"] == "en")]
    return train.reset_index(drop=True), held_out


def tizard(data_dir: Path | None = None) -> pd.DataFrame:
    """Tizard forum sentences with ``kind`` mapped onto miner's kinds (all used for training)."""
    folder = (data_dir or shared_data_dir()) / "tizard_forum_feedback"
    frame = pd.read_csv(folder / "tizard_forum_feedback.csv", keep_default_na=False)
    frame["kind"] = frame["label"].map(TIZARD_KINDS)
    return frame[frame["kind"].notna()].reset_index(drop=True)
