"""Scoring extracted jobs against a labelled set.

Labelled items are JSON lines: ``{"id", "text", "family", "jobs": [{"situation",
"motivation", "outcome"}, ...]}`` (strings or null).

* Detection: predicted and expected jobs of one text are paired greedily by the
  token-F1 of their motivations; a pair counts when they share at least one token
  (``min_overlap`` > 0). Unpaired predictions are false positives, unpaired
  expectations false negatives.
* Part quality: token-F1 per part over the paired jobs, SQuAD-style normalisation
  (lower case, no punctuation, no articles). A part present on one side only
  scores 0; a part absent on both sides is not counted.
* Parts where the gold has them (:meth:`Report.gold_part_f1`): the same token-F1 over
  every expected job that states the part, 0 when the job was not found at all, so a
  missed job and a missed part both count (issue 18's "situation/outcome token-F1 where
  the gold has them").
"""

from __future__ import annotations

import json
import re
import string
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

PARTS = ("situation", "motivation", "outcome")
_PUNCT = re.compile("[" + re.escape(string.punctuation) + "\u2019\u2018\u201c\u201d]")


def tokens(text: str | None) -> list[str]:
    """Normalised tokens: lower case, punctuation and articles removed."""
    if not text:
        return []
    text = _PUNCT.sub(" ", text.lower())
    return [word for word in text.split() if word not in ("a", "an", "the")]


def token_f1(predicted: str | None, expected: str | None) -> float:
    """Bag-of-tokens F1 between two strings (1.0 when both are empty)."""
    pred, gold = tokens(predicted), tokens(expected)
    if not pred and not gold:
        return 1.0
    common = sum((Counter(pred) & Counter(gold)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(gold)
    return 2 * precision * recall / (precision + recall)


def load_labelled(path: str | Path) -> list[dict]:
    """Read a labelled JSONL file."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _pair(predicted: Sequence[dict], expected: Sequence[dict], min_overlap: float):
    scores = sorted(
        (
            (token_f1(p.get("motivation"), e.get("motivation")), i, j)
            for i, p in enumerate(predicted)
            for j, e in enumerate(expected)
        ),
        reverse=True,
    )
    used_p, used_e, pairs = set(), set(), []
    for score, i, j in scores:
        if score <= min_overlap or i in used_p or j in used_e:
            continue
        used_p.add(i)
        used_e.add(j)
        pairs.append((i, j))
    return pairs


@dataclass
class Report:
    """Evaluation figures (see module docstring)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    doc_tp: int = 0
    doc_fp: int = 0
    doc_fn: int = 0
    doc_tn: int = 0
    part_scores: dict = field(default_factory=lambda: {part: [] for part in PARTS})
    gold_part_scores: dict = field(default_factory=lambda: {part: [] for part in PARTS})
    by_family: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    errors: list = field(default_factory=list)

    @staticmethod
    def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    @property
    def detection(self) -> tuple[float, float, float]:
        """Job-level precision, recall, F1."""
        return self._prf(self.tp, self.fp, self.fn)

    @property
    def document_detection(self) -> tuple[float, float, float]:
        """Document-level (has at least one job) precision, recall, F1."""
        return self._prf(self.doc_tp, self.doc_fp, self.doc_fn)

    def part_f1(self, part: str) -> float:
        """Mean token-F1 of one part over the paired jobs."""
        scores = self.part_scores[part]
        return sum(scores) / len(scores) if scores else float("nan")

    def gold_part_f1(self, part: str) -> float:
        """Mean token-F1 of one part over every expected job that states it (0 when the
        job was missed)."""
        scores = self.gold_part_scores[part]
        return sum(scores) / len(scores) if scores else float("nan")


def evaluate(
    items: Sequence[dict], predictions: Sequence[Sequence[dict]], min_overlap: float = 0.0
) -> Report:
    """Score predictions (per item, a list of job dicts) against labelled items."""
    report = Report()
    for item, predicted in zip(items, predictions, strict=True):
        expected = item["jobs"]
        pairs = _pair(predicted, expected, min_overlap)
        tp = len(pairs)
        fp, fn = len(predicted) - tp, len(expected) - tp
        report.tp += tp
        report.fp += fp
        report.fn += fn
        family = report.by_family[item.get("family", "?")]
        family[0] += tp
        family[1] += fp
        family[2] += fn
        if expected and predicted:
            report.doc_tp += 1
        elif predicted:
            report.doc_fp += 1
        elif expected:
            report.doc_fn += 1
        else:
            report.doc_tn += 1
        worst = 1.0
        for i, j in pairs:
            for part in PARTS:
                pred, gold = predicted[i].get(part), expected[j].get(part)
                if pred is None and gold is None:
                    continue
                score = token_f1(pred, gold) if pred and gold else 0.0
                report.part_scores[part].append(score)
                worst = min(worst, score)
        found = {j: i for i, j in pairs}
        for j, job in enumerate(expected):
            for part in PARTS:
                if job.get(part):
                    pred = predicted[found[j]].get(part) if j in found else None
                    report.gold_part_scores[part].append(token_f1(pred, job[part]) if pred else 0.0)
        if fp or fn or worst < 0.75:
            report.errors.append((item, predicted, pairs))
    return report
