"""Sentence splitting: the one splitter behind sentiment, segments and jobs.

A comment is cut into sentences (terminal punctuation followed by space, a line break, or
a full stop glued to the next capitalised word), then - for the sentiment head - into
clauses at contrast words ("but", "however", ...), because what follows them usually
carries a different polarity. Every piece comes with its character range in the text.

Callers choose with parameters, not with different splitters:

- sentiment and multi-topic segments use the defaults: clauses on, the text read up to
  ``MAX_CHARS`` characters, at most ``MAX_SEGMENTS`` pieces;
- the job extractor asks for whole sentences (``clauses=False``) of the whole text
  (``max_text_chars=None``, ``max_segments=None``), none longer than ``max_chars``.
"""

from __future__ import annotations

import re

__all__ = [
    "HANDLE_OR_LINK",
    "LINK",
    "without_addresses",
    "MAX_CHARS",
    "MAX_SEGMENTS",
    "MIN_CLAUSE_WORDS",
    "sentence_spans",
    "split_sentences",
]

# Longer input is cut: a feedback comment is rarely longer, and the cap bounds time and
# memory for pathological rows (a pasted log file, a whole e-mail thread).
MAX_CHARS = 20_000
MAX_SEGMENTS = 48
MIN_CLAUSE_WORDS = 2

# A web link, and an @handle or a link: who a message is addressed to and where it points
# say nothing about what the customer says (the job rules and the sentiment network read
# the text without them).
LINK = re.compile(r"(?i:https?://\S*|(?<![\w.])www\.\w[\w-]*\.\S*)")  # "HTTPS://X.IO" too
HANDLE_OR_LINK = re.compile(r"(?<![\w@])@\w+|" + LINK.pattern)


def without_addresses(text: str, keep_offsets: bool = False) -> str:
    """``text`` without @handles and links: "@AcmeBank where is my card? https://t.co/x"
    reads "where is my card?". Whom a message is addressed to and where it points are not
    what it says. Each is replaced by one space, or with ``keep_offsets`` by as many
    spaces as it had characters, so offsets into the result are offsets into ``text``."""
    if "@" not in text and "http" not in text and "www." not in text:
        lowered = text.lower()
        if "http" not in lowered and "www." not in lowered:
            return text
    if keep_offsets:
        return HANDLE_OR_LINK.sub(lambda match: " " * len(match.group(0)), text)
    return HANDLE_OR_LINK.sub(" ", text)


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+|\s*[\r\n]+\s*|(?<=[.!?])(?=[A-Z][a-z])")
# Contrast markers: what follows them usually carries a different polarity.
# "even though" is one marker: cut before "even", never between the two words (a
# helper's complaints had 81 pieces ending "... a late fee of {$108.12} even").
_CONTRAST = re.compile(
    r"(?<!\beven)(?:,|;|:|\s)\s*(?=\b(?:but|however|although|(?:even\s+)?though|except|yet|"
    r"unfortunately|sadly)\b)",
    re.IGNORECASE,
)


def split_sentences(
    text: str,
    *,
    clauses: bool = True,
    max_chars: int | None = None,
    max_text_chars: int | None = MAX_CHARS,
    max_segments: int | None = MAX_SEGMENTS,
) -> list[str]:
    """Split a comment into sentences, then into clauses at contrast words ("but", ...).

    Empty pieces are dropped; a clause of fewer than two words stays attached to its
    neighbour. Only the first ``max_text_chars`` characters are read and at most
    ``max_segments`` pieces are returned (the rest is joined into the last one), so a very
    long text costs a bounded amount of work. ``clauses=False`` keeps whole sentences;
    ``max_chars`` cuts a longer piece at a space (a run-on paste without full stops).
    Non-text gives ``[]``.
    """
    return [
        segment
        for segment, _, _ in _split_with_spans(
            text, clauses, max_chars, max_text_chars, max_segments
        )
    ]


def sentence_spans(
    text: str,
    *,
    clauses: bool = True,
    max_chars: int | None = None,
    max_text_chars: int | None = MAX_CHARS,
    max_segments: int | None = MAX_SEGMENTS,
) -> list[tuple[int, int]]:
    """Character ranges ``(start, end)`` in ``text`` of the :func:`split_sentences` pieces.

    Aligned one to one with ``split_sentences(text)`` given the same parameters (and so,
    with the defaults, with the ``sentence_scores`` of
    :meth:`miner.sentiment.SentimentModel.predict`); ``text[start:end]`` is the piece as
    written (a piece merged from two clauses keeps the text between them).
    """
    return [
        (start, end)
        for _, start, end in _split_with_spans(
            text, clauses, max_chars, max_text_chars, max_segments
        )
    ]


def _ranges(pattern: re.Pattern, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The ranges ``pattern.split(text[start:end])`` returns, as offsets into ``text``.

    Each range is stripped of surrounding whitespace; empty ones are dropped.
    """
    part = text[start:end]
    ranges, begin = [], 0
    for match in pattern.finditer(part):
        ranges.append((begin, match.start()))
        begin = match.end()
    ranges.append((begin, len(part)))
    out = []
    for a, b in ranges:
        piece = part[a:b]
        a += len(piece) - len(piece.lstrip())
        b -= len(piece) - len(piece.rstrip())
        if b > a:
            out.append((start + a, start + b))
    return out


def _cut(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """``text[start:end]`` in pieces of at most ``max_chars``, cut at a space if possible."""
    out = []
    while end - start > max_chars:
        cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
        cut = cut if cut > start else start + max_chars
        out.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append((start, end))
    return out


def _clauses(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """``(clause, start, end)`` of the sentence ``text[start:end]``, cut at contrast words.

    A clause of fewer than ``MIN_CLAUSE_WORDS`` words joins its neighbour.
    """
    merged: list[tuple[str, int, int]] = []
    for a, b in _ranges(_CONTRAST, text, start, end):
        piece = text[a:b]
        if merged and (
            len(piece.split()) < MIN_CLAUSE_WORDS or len(merged[-1][0].split()) < MIN_CLAUSE_WORDS
        ):
            previous, previous_start, _ = merged[-1]
            merged[-1] = (f"{previous} {piece}", previous_start, b)
        else:
            merged.append((piece, a, b))
    return merged


def _split_with_spans(
    text: str,
    clauses: bool = True,
    max_chars: int | None = None,
    max_text_chars: int | None = MAX_CHARS,
    max_segments: int | None = MAX_SEGMENTS,
) -> list[tuple[str, int, int]]:
    """``(segment, start, end)`` of each piece of :func:`split_sentences`."""
    if not isinstance(text, str):
        return []
    head = text[:max_text_chars] if max_text_chars is not None else text
    first = len(head) - len(head.lstrip())
    last = len(head.rstrip())
    segments: list[tuple[str, int, int]] = []
    for start, end in _ranges(_SENTENCE_END, text, first, max(first, last)):
        pieces = _clauses(text, start, end) if clauses else [(text[start:end], start, end)]
        if max_chars is not None:
            pieces = [
                (piece, a, b) if (a, b) == (piece_start, piece_end) else (text[a:b], a, b)
                for piece, piece_start, piece_end in pieces
                for a, b in _cut(text, piece_start, piece_end, max_chars)
            ]
        segments.extend(pieces)
    if max_segments is not None and len(segments) > max_segments:
        rest = segments[max_segments - 1 :]
        joined = (" ".join(s for s, _, _ in rest), rest[0][1], rest[-1][2])
        segments = segments[: max_segments - 1] + [joined]
    return segments
