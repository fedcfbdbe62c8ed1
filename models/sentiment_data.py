"""Train / held-out splits of the public sentiment data, shared by training and evaluation.

Both ``models/train_sentiment.py`` and ``bench/eval_sentiment.py`` import this file, so the
held-out parts can never drift apart: whatever is held out here is never trained on.

Data lives in ``../shared/data`` relative to the repository root (override with the
``MINER_SHARED_DATA`` environment variable). Splits:

* DynaSent: train on ``dev.csv``, evaluate on ``test.csv``.
* UCI sentences: 80/20 split stratified by label x source, seed 0.
* Clothing reviews: 80/20 split stratified by rating, seed 0 (1-2 negative, 3 neutral,
  4-5 positive). From the 80% part a natural-distribution validation sample (2,000 reviews,
  seed 0) is set aside for choosing how sentence scores are combined; the rest is used for
  training, balanced by class.
* App reviews (Mini-BAR, English; star ratings as weak labels, 1-2 negative, 3 neutral,
  4-5 positive): short informal text (median 12 words, emoji, typos). Frozen before any
  measurement: the held-out app is the kind head's (``models/kind_data.py``: Garmin
  Connect), never trained on; the two other apps are the dev part, on which choices
  (such as how emoji are read) were made and which the sentiment model trains on since
  2026-12-04 (at most 600 reviews per class: :func:`balanced`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

REPO_ROOT = Path(__file__).resolve().parents[1]
LABELS = ("negative", "neutral", "positive")
SEED = 0


def shared_data_dir() -> Path:
    """Return the shared data folder (``$MINER_SHARED_DATA`` or ``../shared/data``)."""
    env = os.environ.get("MINER_SHARED_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data"


def rating_to_label(rating: int) -> str:
    """Map a 1-5 star rating to a 3-class sentiment label."""
    return "negative" if rating <= 2 else ("neutral" if rating == 3 else "positive")


def dynasent(split: str, data_dir: Path | None = None) -> pd.DataFrame:
    """DynaSent ``dev`` (training) or ``test`` (evaluation only) as ``text, label``."""
    frame = pd.read_csv((data_dir or shared_data_dir()) / "dynasent" / f"{split}.csv")
    return frame[["text", "label"]].reset_index(drop=True)


def uci(data_dir: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """UCI sentences as (train, held_out), stratified by label x source, seed 0."""
    frame = pd.read_csv((data_dir or shared_data_dir()) / "sentiment" / "sentiment.csv")
    strata = frame["label"] + "/" + frame["source"]
    train, held_out = train_test_split(
        frame, test_size=0.2, stratify=strata, random_state=SEED, shuffle=True
    )
    return train.reset_index(drop=True), held_out.reset_index(drop=True)


def clothing(data_dir: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clothing reviews as (train_part, held_out) with ``row_id, text, rating, label``."""
    frame = pd.read_csv(
        (data_dir or shared_data_dir()) / "clothing_reviews" / "reviews.csv",
        keep_default_na=False,
    )
    frame = frame.rename(columns={"review_text": "text"})[["row_id", "text", "rating"]]
    frame["label"] = frame["rating"].map(rating_to_label)
    train, held_out = train_test_split(
        frame, test_size=0.2, stratify=frame["rating"], random_state=SEED, shuffle=True
    )
    return train.reset_index(drop=True), held_out.reset_index(drop=True)


def clothing_train_and_validation(
    data_dir: Path | None = None, validation_size: int = 2000, per_class: int = 1500
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split the clothing 80% part into a class-balanced training sample and a validation
    sample with the natural class mix (never touching the 20% held-out part)."""
    train_part, _ = clothing(data_dir)
    rest, validation = train_test_split(
        train_part,
        test_size=validation_size,
        stratify=train_part["rating"],
        random_state=SEED,
        shuffle=True,
    )
    # Balance classes: ratings are noisy and 77% positive; without balancing the
    # model would learn to call almost everything positive.
    return balanced(rest, per_class), validation.reset_index(drop=True)


def balanced(frame: pd.DataFrame, per_class: int) -> pd.DataFrame:
    """At most ``per_class`` rows of each label (a seeded sample), in label order."""
    return pd.concat(
        [
            frame[frame["label"] == label].sample(
                n=min(per_class, int((frame["label"] == label).sum())), random_state=SEED
            )
            for label in LABELS
        ],
        ignore_index=True,
    )


APP_REVIEW_HOLDOUT = "Garmin Connect"  # the kind head's held-out app (models/kind_data.py)


def app_reviews(split: str, data_dir: Path | None = None) -> pd.DataFrame:
    """English Mini-BAR app reviews as ``text, rating, app, label`` (label from stars).

    ``split``: ``"dev"`` (Huawei Health, Samsung Health) or ``"holdout"`` (Garmin Connect).
    Texts of the dev apps that also occur in the held-out app are left out of dev.
    """
    if split not in ("dev", "holdout"):
        raise ValueError(f"split must be dev or holdout, not {split!r}")
    folder = (data_dir or shared_data_dir()) / "minibar_app_review_kind"
    frame = pd.read_csv(folder / "minibar_app_review_kind.csv", keep_default_na=False)
    frame = frame[(frame["lang"] == "en") & frame["text"].str.strip().astype(bool)]
    frame = frame.rename(columns={"star_rating": "rating"})[["text", "rating", "app"]]
    frame["label"] = frame["rating"].astype(int).map(rating_to_label)
    held_out = frame["app"] == APP_REVIEW_HOLDOUT
    if split == "holdout":
        return frame[held_out].reset_index(drop=True)
    dev = frame[~held_out & ~frame["text"].isin(set(frame.loc[held_out, "text"]))]
    return dev.reset_index(drop=True)
