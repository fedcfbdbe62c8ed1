"""The sentiment holdout of short real messages (bench/sentiment_real): references only,
drawn as its guideline says, every label readable."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from bench.jobs_real import data_available, read_source
from bench.sentiment_real import COLUMNS, LABELS, LABELS_FILE, SAMPLE_FILE, load_labelled


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_labels_are_references_to_the_drawn_sample_in_its_order():
    labels, sample = _rows(LABELS_FILE), _rows(SAMPLE_FILE)
    assert tuple(labels[0]) == COLUMNS
    assert [(r["source"], r["key"], r["text_sha1"]) for r in labels] == [
        (r["source"], r["key"], r["text_sha1"]) for r in sample
    ]
    assert {r["label"] for r in labels} == set(LABELS)
    assert Counter(r["source"] for r in labels) == {"minibar": 200, "tizard": 200, "banking77": 200}


@pytest.mark.skipif(not data_available(), reason="../shared/data is not there")
def test_the_draw_is_reproduced_and_keeps_to_the_held_out_app():
    from bench.sentiment_real.make_sample import HELD_OUT_APP, draw

    drawn = draw()
    assert [(s, str(k), h) for s, k, h in drawn] == [
        (r["source"], r["key"], r["text_sha1"]) for r in _rows(SAMPLE_FILE)
    ]
    items = load_labelled()
    assert len(items) == 600
    assert len({item["text"].strip().lower() for item in items}) == 600
    reviews = read_source("minibar")
    for item in items:
        if item["source"] == "minibar":
            row = reviews[item["key"]]
            assert (row["app"], row["lang"]) == (HELD_OUT_APP, "en")
            assert 3 <= len(item["text"].split()) <= 30


@pytest.mark.skipif(not data_available(), reason="../shared/data is not there")
def test_a_changed_text_or_an_unknown_label_is_refused(tmp_path):
    rows = _rows(LABELS_FILE)
    bad = tmp_path / "labels.csv"
    for change in ({"text_sha1": "0" * 40}, {"label": "mixed"}):
        with open(bad, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerow({**rows[0], **change})
        with pytest.raises(ValueError):
            load_labelled(bad)
