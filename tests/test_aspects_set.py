"""The hand-labelled clothing aspect set (bench/aspects): references only, spans still match."""

from __future__ import annotations

import csv
import re

import pytest

from bench.aspects import ASPECTS, COLUMNS, MIN_WORDS, SET_FILE, load_set, read_reviews
from miner.sentences import sentence_spans

pytestmark = pytest.mark.shared_data


def test_file_holds_references_and_labels_only():
    with open(SET_FILE, newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert tuple(header) == COLUMNS
    assert "text" not in header


def test_aspects_are_the_guideline_list():
    guideline = (SET_FILE.parent / "GUIDELINE.md").read_text(encoding="utf-8")
    table = set(re.findall(r"^\| `([a-z_]+)` \|", guideline, flags=re.MULTILINE))
    assert table == set(ASPECTS)


def test_spans_match_the_shared_text(shared_data):
    reviews = read_reviews(shared_data / "clothing_reviews" / "reviews.csv")
    labelled = load_set(reviews=reviews)  # raises when a span no longer matches its hash
    assert len(labelled) >= 300
    assert set(labelled["aspect"]) <= set(ASPECTS)
    assert not labelled.duplicated(["row_id", "start", "end"]).any()
    for row in labelled.itertuples(index=False):
        review = reviews[row.row_id]
        assert (row.start, row.end) in sentence_spans(review)
        assert len(row.text.split()) >= MIN_WORDS
