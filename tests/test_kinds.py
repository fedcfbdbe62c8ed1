"""Feedback-kind head: obvious cases, secondary kind, robustness, held-out figures."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score, recall_score

from miner import encoder as encoder_module
from miner import runtime
from miner.errors import NotFitted
from miner.kinds import DEFAULT_KIND_PATH, KIND_LABELS, KindModel, analyse_feedback, kind_mix
from miner.sentiment import SentimentModel

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def kind_model() -> KindModel:
    return KindModel.load()


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("crashes every time I open it", "bug"),
        ("please add dark mode", "feature_request"),
        ("how do I export?", "question"),
        ("love it", "praise"),
        ("Way too expensive for what you get, and support never answers.", "complaint"),
        ("n/a", "other"),
    ],
)
def test_obvious_cases(kind_model, text, kind):
    assert kind_model.predict([text])["kind"].iloc[0] == kind


def test_complaint_with_request_has_both_kinds(kind_model):
    frame = kind_model.predict(["Love the app, but please add a dark mode."])
    kinds = {frame["kind"].iloc[0], frame["kind_secondary"].iloc[0]}
    assert "feature_request" in kinds


def test_columns_probabilities_and_order(kind_model):
    texts = ["How much is shipping?", "The export button is broken.", "", None, "x" * 50_000]
    frame = kind_model.predict(texts)
    assert len(frame) == len(texts)
    assert frame["kind"].isin(KIND_LABELS).all()
    proba = frame[[f"kind_proba_{k}" for k in KIND_LABELS]].to_numpy()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(frame["kind_confidence"], proba.max(axis=1))
    assert frame["kind"].iloc[2] == frame["kind"].iloc[3] == "other"
    assert frame["kind_secondary"].iloc[2] is None
    # Order kept: scoring reversed input gives the reversed answer.
    reversed_kinds = kind_model.predict(texts[::-1])["kind"].tolist()[::-1]
    assert reversed_kinds == frame["kind"].tolist()


def test_shared_encoding_gives_same_answer(kind_model):
    texts = ["Please add CSV export.", "Great support team!", "It freezes on login."]
    sentiment = SentimentModel.load()
    encoding = sentiment.encode(texts)
    shared = kind_model.predict(texts, encoding=encoding)
    own = kind_model.predict(texts)
    assert shared["kind"].tolist() == own["kind"].tolist()
    np.testing.assert_allclose(shared["kind_confidence"], own["kind_confidence"], atol=1e-6)
    both = analyse_feedback(texts, sentiment, kind_model)
    assert {"sentiment", "sentiment_score", "kind", "kind_secondary"} <= set(both.columns)
    assert both["kind"].tolist() == own["kind"].tolist()


def test_shipped_files_are_safe_and_load_without_pickle(monkeypatch):
    files = [p for p in DEFAULT_KIND_PATH.iterdir() if p.is_file()]
    assert {p.suffix for p in files} <= {".json", ".npy"}
    for npy in DEFAULT_KIND_PATH.glob("*.npy"):
        np.load(npy, allow_pickle=False)  # raises if the array holds Python objects

    def refuse(*args, **kwargs):
        raise AssertionError("a model file was unpickled")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    monkeypatch.setattr(encoder_module, "_ENCODERS", {})
    monkeypatch.setattr(runtime, "_SESSIONS", {})
    model = KindModel.load()
    assert model.predict(["please add dark mode"])["kind"].iloc[0] == "feature_request"


def test_is_an_estimator_loaded_by_a_constructor(kind_model):
    from sklearn.base import clone

    assert kind_model.get_params()["path"] is None  # stored as given to load()
    config = json.loads((DEFAULT_KIND_PATH / "config.json").read_text())
    assert kind_model.get_params()["secondary_threshold"] == config["secondary_threshold"]
    fresh = clone(kind_model)
    assert not hasattr(fresh, "coef_")
    with pytest.raises(NotFitted, match="E106"):
        fresh.predict(["please add dark mode"])


def test_kind_mix():
    mix = kind_mix(["bug", "bug", "praise", None])
    assert list(mix) == list(KIND_LABELS)
    assert mix["bug"] == 2 / 3 and mix["praise"] == 1 / 3 and mix["other"] == 0.0


def test_eval_set_is_large_and_disjoint_from_training():
    evaluation = read_jsonl(DATA / "kind_eval.jsonl")
    training = read_jsonl(DATA / "kind_train.jsonl")
    assert len(evaluation) >= 300
    normalise = lambda text: " ".join(text.lower().split())  # noqa: E731
    assert not {normalise(r["text"]) for r in evaluation} & {normalise(r["text"]) for r in training}
    assert {r["kind"] for r in evaluation} == set(KIND_LABELS)


def test_held_out_eval_meets_the_bars(kind_model):
    rows = read_jsonl(DATA / "kind_eval.jsonl")
    truth = [r["kind"] for r in rows]
    predicted = kind_model.predict([r["text"] for r in rows])["kind"].tolist()
    assert f1_score(truth, predicted, average="macro") >= 0.80
    recall = recall_score(truth, predicted, labels=list(KIND_LABELS), average=None)
    assert recall[KIND_LABELS.index("bug")] >= 0.85
    assert recall[KIND_LABELS.index("feature_request")] >= 0.85


def test_fit_on_precomputed_features_matches_fit_on_texts():
    rows = read_jsonl(DATA / "kind_train.jsonl")[::12]
    texts, kinds = [r["text"] for r in rows], [r["kind"] for r in rows]
    own = KindModel(C=1.0).fit(texts, kinds)
    features = own.features(texts)
    cached = KindModel(C=1.0).fit(texts, kinds, features=features)
    np.testing.assert_allclose(cached.coef_, own.coef_, atol=1e-6)
    # The features given are the ones used: other rows' features give another head.
    shuffled = KindModel(C=1.0).fit(texts, kinds, features=features[::-1].copy())
    assert not np.allclose(shuffled.coef_, own.coef_, atol=1e-3)


def test_probabilities_do_not_depend_on_how_the_rows_are_split(demo_frames):
    # A Dask worker scores other chunks than one process: the same text, the same bits
    # (a float32 product differed in its last bit for a third of the values).
    model = KindModel.load()
    texts = demo_frames[0]["comment"].astype(str).tolist()[:300]
    whole = model.predict_proba(texts)
    pieces = np.vstack([model.predict_proba(texts[i : i + 7]) for i in range(0, 300, 7)])
    assert np.array_equal(whole, pieces)
