"""Sentences as the frozen labelled sets were drawn: "even though" cut between its two
words, as :mod:`miner.sentences` read it before session 42 made it one contrast marker
(cut before "even"). The sets' draws and the evaluations that look their sentences up by
their spans read them so, or the committed sets could not be drawn or found again."""

from __future__ import annotations

import re

import miner.sentences

DRAWN_CONTRAST = re.compile(
    r"(?:,|;|:|\s)\s*(?=\b(?:but|however|although|though|except|yet|unfortunately|sadly)\b)",
    re.IGNORECASE,
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """:func:`miner.sentences.sentence_spans` as the sets were drawn with it."""
    shipped = miner.sentences._CONTRAST
    miner.sentences._CONTRAST = DRAWN_CONTRAST
    try:
        return miner.sentences.sentence_spans(text)
    finally:
        miner.sentences._CONTRAST = shipped
