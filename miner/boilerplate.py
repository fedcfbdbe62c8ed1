"""Strip what e-mails and tickets carry besides the customer's words.

Support tickets and e-mailed feedback arrive with a greeting ("Hi team,"), quoted
earlier messages ("On Mon, 3 May, Ana wrote:", lines starting with ">"), a sign-off and
signature ("Kind regards, / Ana / Head of Ops / +44 ..."), "Sent from my iPhone" and
legal footers ("This e-mail is confidential ..."). Themes and the per-comment heads
should read only what the customer says; the input's own text column is kept as it came.

Rules work on lines, so they apply before whitespace is collapsed, and only where the
text has lines to cut: a one-line survey answer that says "Thanks!" is left alone. When
stripping would leave no words, the text is kept whole.
"""

from __future__ import annotations

import re

_GREETING = re.compile(
    r"(?i)^\s*(hi|hello|hey|dear|greetings|good (morning|afternoon|evening))\b"
    r"[^.!?\n]{0,40}[,!:]?\s*$"
)
_QUOTE_HEADER = re.compile(
    r"(?i)^\s*(on\b.{4,200}\bwrote:\s*$|-{2,}\s*(original|forwarded) message\s*-{2,}|"
    r"_{10,}\s*$|from:\s.+$)"
)
_QUOTED = re.compile(r"^\s*>")
_SIGNATURE_MARK = re.compile(
    r"(?i)^\s*(--\s*|sent from my \w+.*|get outlook for \w+.*|sent from (yahoo|mail) .*)$"
)
_SIGN_OFF = re.compile(
    r"(?i)^\s*((best|kind|warm|many)\s+)?(regards|wishes|thanks|thank you)\b"
    r"[^.!?\n]{0,20}[,!.]?\s*$"
    r"|^\s*(cheers|sincerely|best|thx|br|yours( truly| sincerely)?)[,!.]?\s*$"
)
_FOOTER = re.compile(
    r"(?i)(this (e-?mail|message)( and any (attachments?|files))?( transmitted with it)? "
    r"(is|are|may be) (strictly )?(confidential|privileged|intended)|"
    r"if you (have )?received this (e-?mail|message) in error|"
    r"intended (solely|only) for the (use of the )?(individual|addressee|recipient)|"
    r"please consider the environment before printing|"
    r"to unsubscribe\b|unsubscribe from (these|this) (e-?mails?|list))"
)
# A sign-off is followed by at most this many short lines (name, title, phone).
_SIGNATURE_LINES = 5
_SHORT_LINE = 60


def strip_boilerplate(text: str) -> str:
    """``text`` without greeting, quoted replies, sign-off, signature and legal footer."""
    if "\n" not in text and "\r" not in text:
        return text
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = _cut_at(lines, lambda line: bool(_QUOTE_HEADER.match(line) or _FOOTER.search(line)))
    kept = _cut_at(kept, lambda line: bool(_SIGNATURE_MARK.match(line)))
    kept = [line for line in kept if not _QUOTED.match(line)]
    kept = _drop_sign_off(kept)
    while kept and not kept[0].strip():
        kept.pop(0)
    if kept and _GREETING.match(kept[0]) and any(line.strip() for line in kept[1:]):
        kept.pop(0)
    stripped = "\n".join(kept).strip()
    return stripped if any(ch.isalpha() for ch in stripped) else text


def _cut_at(lines: list[str], starts) -> list[str]:
    """The lines before the first one (after the first line) that ``starts`` a block."""
    for index, line in enumerate(lines):
        if index > 0 and starts(line):
            return lines[:index]
    return lines


def _drop_sign_off(lines: list[str]) -> list[str]:
    """Cut a sign-off line followed only by a few short lines (the signature)."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    if len(content) < 2:
        return lines
    for index in content[-(_SIGNATURE_LINES + 1) :]:
        if index == content[0] or not _SIGN_OFF.match(lines[index]):
            continue
        after = [lines[i] for i in content if i > index]
        if len(after) <= _SIGNATURE_LINES and all(len(line) <= _SHORT_LINE for line in after):
            return lines[:index]
    return lines
