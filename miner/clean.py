"""Decide which rows carry analysable text, without ever dropping a row.

Every row gets a ``status``: ``ok``, ``empty`` (blank, a placeholder such as "n/a" or
an answer that there is nothing to say: "Nothing.", "None so far"), ``not_text``
(numbers, punctuation, no words), ``duplicate`` (the same text as an earlier row; it
still counts as a voice and gets that row's theme) or ``error`` (set later by a stage
that failed on it). Rows with text also get their ``language`` (:mod:`miner.language`).
"""

from __future__ import annotations

import hashlib
import re
import struct
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from miner.boilerplate import strip_boilerplate, unescape_entities
from miner.language import detect_languages
from miner.schema import (
    STATUS_DUPLICATE,
    STATUS_EMPTY,
    STATUS_ERROR,
    STATUS_NOT_TEXT,
    STATUS_OK,
)
from miner.sentences import without_addresses

_PLACEHOLDERS = {
    "n/a",
    "na",
    "n.a.",
    "none",
    "null",
    "nil",
    "nan",
    "-",
    "--",
    ".",
    "...",
    "?",
    "x",
    "no",
    # The same in the other languages of a survey program ("keine Angabe", "sans objet",
    # "no aplica", "n.v.t.", "なし"): a helper's eight-language NPS export had 395 of
    # them analysed as comments, "nenhuma" read as English and positive.
    "k.a.",
    "k. a.",
    "keine angabe",
    "keine",
    "sans objet",
    "néant",
    "aucun",
    "aucune",
    "rien à signaler",
    "ras",
    "no aplica",
    "ninguno",
    "ninguna",
    "nenhum",
    "nenhuma",
    "não se aplica",
    "nao se aplica",
    "niente",
    "nessuno",
    "nessuna",
    "non applicabile",
    "niets",
    "geen",
    "n.v.t.",
    "nvt",
    "なし",
    "特になし",
    "特にありません",
    "ありません",
    "無し",
    "无",
    "没有",
    "없음",
    # Reddit's bodies of a deleted or moderated post: no words of the writer's
    "[deleted]",
    "[removed]",
    "[deleted by user]",
    "[removed by reddit]",
    # A feedback widget's tries ("test", "testing 123", "asdf"): 23 of a helper's 1,300
    # widget messages had been analysed and given themes.
    "test",
    "testing",
    "test test",
    "testing testing",
    "test 123",
    "testing 123",
    "test 1 2 3",
    "testing 1 2 3",
    "asdf",
    "asdfg",
    "asdfgh",
    "asdfasdf",
    "qwerty",
    "lorem ipsum",
}
# Answers that say there is nothing to say, the commonest answer to "What do you
# dislike?" or "What could we improve?" ("Nothing.", "None so far", "Nothing really"):
# no feedback to theme or score, so they are ``empty`` like "n/a". "No complaints" and
# "No problems so far" say the customer is content (an app review of its own) and
# "not really" is an answer (to "Would you recommend us?"): those stay.
_NOTHING = re.compile(
    r"(?:(?:i\s+have\s+)?nothing|none|nope|nada|nil|zero|rien|nichts|ninguno|aucun"
    r"|no(?:\s+(?:further|additional|other|more))?\s+comments?|no\s+suggestions?"
    r"|no idea|idk|dunno|i don['’]?t know|not\s+applicable"
    # A survey's pointer to another answer ("See above", "As above", "see my previous
    # answer"): its words are in that answer's column.
    r"|(?:please\s+)?see\s+(?:above|previous|my\s+previous|prior|my\s+prior)"
    r"(?:\s+(?:answers?|comments?|responses?|questions?))?"
    r"|as\s+(?:above|before|previously\s+(?:said|stated|mentioned)"
    r"|(?:said|stated|mentioned)(?:\s+above|\s+before)?)"
    r"|can['’]?t think of any(?:thing)?|nothing comes to mind)"
    r"(?:[\s,.;!-]+(?:really|much|else|at all|so far|yet|to add|to report|to say|in particular"
    r"|further|more(?:\s+to\s+(?:add|say))?|at (?:this|the present) time|at present"
    r"|for now|at the moment|right now|i can think of"
    # "Nothing, all good": nothing to improve, said content (a hospital survey's 76)
    r"|(?:it\s+)?(?:was\s+|is\s+)?all\s+(?:good|fine|great|ok|okay)|(?:everything|it)\s+"
    r"(?:was|is)\s+(?:good|fine|great|perfect|ok|okay)|keep\s+it\s+up|thanks?(?:\s+you)?))*"
    r"[\s.!,;:)(-]*(?:[:;]-?\)|🙂|😊|👍)?[\s.!]*",
    re.IGNORECASE,
)
# A reply that only adds a voice or chases an answer ("+1", "+1 from our team", "Same
# here 😩", "Bump", "Any update on this?", "This!", "Following"), as feature boards and
# forum threads are full of: no words of its own to theme (on a helper's board they
# made the largest theme, "Upvoted bump", and 28 "Any update on this?" an SSO theme),
# an ``empty`` answer like "n/a".
_ME_TOO_PHRASE = (
    r"(?:\+\s?\d+|bump(?:ing|ed)?|up-?vote[sd]?|same(?:\s+(?:here|issue|problem|for me"
    r"|for us|for our team|thing|question|as above))*|me\s+too|us\s+too|ditto|this"
    r"|\^+\s*this|this\s*\^+|following(?:\s+this(?:\s+(?:thread|post|issue|one))?)?"
    r"|subscrib(?:ed|ing)|agreed?|(?:is\s+there\s+|are\s+there\s+)?any\s+(?:updates?|news"
    r"|progress|eta)(?:\s+(?:on|about)\s+this|\s+here|\s+yet)*|eta|yes,?\s+please|please"
    r"|pls|plz|(?:thanks|thank\s+you)(?:\s+(?:so|very)\s+much|\s+a\s+(?:lot|ton|bunch))?"
    r"|many\s+thanks|thx|ty|tysm|(?:we|i)\s+(?:really\s+)?(?:need|want)\s+this(?:\s+too)?"
    r"|need\s+this|want\s+this|would\s+love\s+this|love\s+this\s+idea"
    r"|from\s+(?:me|us|our\s+team|my\s+team|our\s+side)|too|as\s+well|also|guys|team"
    r"|folks|all|everyone|everybody"
    # A chat's greetings and system lines ("gm", "<@U123> has joined the channel" once
    # the mention is cut).
    r"|gm|gn|gg|hi|hey|hello|yo|good\s+morning|(?:has\s+)?(?:joined|left)\s+the\s+"
    r"(?:server|channel)|pinned\s+a\s+message(?:\s+to\s+this\s+channel)?"
    # A chat's acknowledgements to the agent ("ok thanks", "will try", "no that's all"):
    # a helper's Intercom chats had made them the largest theme of the customers' lines.
    r"|ok(?:ay)?|kk|sure|got\s+it|will\s+(?:do|try(?:\s+(?:that|it|this))?)|yep|yeah"
    r"|alright|noted|understood|(?:no,?\s+)?that'?s\s+(?:all|it)(?:\s+for\s+now)?"
    # An interview's back-channels and consent ("mm-hm", "right", "yes, that's fine",
    # "um, let me think"): a helper's transcripts had made them the largest theme.
    r"|m+-?hm+|uh-?huh|h+m+|u+m+|u+h+|erm|ah|oh|yes|right|exactly|i\s+see|of\s+course"
    r"|let\s+me\s+think|that'?s\s+(?:fine|right|true|correct)"
    # ... and its closing and repair lines ("no problem, happy to help. bye!", "sorry,
    # can you repeat that?", "sorry, my connection"): the next largest theme of them.
    r"|(?:good)?bye|see\s+you|talk\s+soon|take\s+care|no\s+problem|you'?re\s+welcome"
    r"|happy\s+to\s+help|sorry|(?:can|could)\s+you\s+repeat\s+(?:that|the\s+question)"
    r"|(?:my|the)\s+connection(?:\s+(?:dropped|is\s+bad|froze))?|you\s+froze)"
)
# Phrases of that kind, one or more ("+1. Any update?", "Same here 😩."), with their
# punctuation and emoji.
_ME_TOO = re.compile(
    rf"[\s.!?,;:)(*—–-]*{_ME_TOO_PHRASE}(?:[\s.!?,;:)(*—–-]+{_ME_TOO_PHRASE})*"
    r"[\s.!?,;:)(*—–\-\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F]*",
    re.IGNORECASE,
)
# A ticket or case reference alone ("Re: Ticket #40123", "Case 00123456", "[INC-4521]"),
# as help-desk subjects and reply lines are: no feedback, an ``empty`` answer. Fifty
# "Re: Ticket #4..." subjects, near-identical, had made one of two themes of 2,000
# ticket subjects and hidden the rest.
_REFERENCE = re.compile(
    r"(?:(?:re|fwd?|fw|aw|wg|tr|sv|vs|antw)\s*:\s*)*\[?\s*(?:(?:ticket|case|request|"
    r"incident|issue|order|ref(?:erence)?|req|inc)\b\s*(?:no\.?|number|id)?\s*)?"
    r"[#:]?\s*[a-z]{0,4}-?\d{3,}\s*\]?[\s.!]*",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]")


def normalise(text: str) -> str:
    """Tidy text for analysis: NFKC, control characters dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


# A line that is a list item: "- ", "* ", "• ", "1. ", "2) " before its words.
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦–—]|\d{1,2}[.)])\s+(?=\S)")
_LINE_END = re.compile(r"[.!?;:…,\-–—(\[]$")


def lines_as_sentences(text: str) -> str:
    """``text`` whose lines end as sentences where the writer meant them to: a list
    item ("- wants SCIM deprovisioning") or a line followed by one that starts as a
    sentence does (a capital or a digit) ends with a full stop when it has no end mark,
    and a list item's marker goes. Notes, bullet lists and forum posts write one point
    a line without a full stop; read as one sentence, four points were one piece and
    one job ran across three lines. A line broken mid-sentence (the next line goes on
    in lower case) is left as it is. A text of one line loses its list marker."""
    if "\n" not in text and "\r" not in text:
        # One list item alone (a notes file read a line a comment): its marker goes too
        # ("- When I close the month I need to ..." had lost its situation, or its job).
        return _BULLET.sub("", text, count=1)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    bullets = [bool(_BULLET.match(line)) for line in lines]
    words = [_BULLET.sub("", line, count=1).strip() for line in lines]
    filled = [k for k, line in enumerate(words) if line]
    for here, after in zip(filled, filled[1:], strict=False):
        line, following = words[here], words[after]
        starts = following[:1].isupper() or following[:1].isdigit()
        if not _LINE_END.search(line) and (bullets[here] or bullets[after] or starts):
            words[here] = line + "."
    if filled and bullets[filled[-1]] and not _LINE_END.search(words[filled[-1]]):
        words[filled[-1]] += "."
    return "\n".join(words)


def analysed_text(raw: str) -> str:
    """What miner analyses of a comment: HTML character references read, e-mail
    furniture cut (:func:`miner.boilerplate.strip_boilerplate`), @handles and links
    left out (:func:`miner.sentences.without_addresses`: left in, they became theme
    keywords and split themes by the company addressed; the input's own column keeps
    them), Unicode and spacing normalised. Offsets of pieces and jobs point into it."""
    text = without_chat_markup(unescape_entities(raw))
    text = without_contact_tail(without_fillers(strip_boilerplate(text)))
    text = _ATTRIBUTION.sub("", text) if " per " in text else text
    text = without_review_furniture(text)
    return normalise(without_tags(without_addresses(lines_as_sentences(text))))


# A hashtag: "#" after a space or a text's start and before a letter (not "#1", "C#",
# "&#39;" or a Markdown heading's "# "). A run of them ending a post after its words
# ("app is down again smh #budgeting #NovaPayDown", emoji and marks between) tags the
# post, as a handle addresses it: left in, tags had named themes ("Budgeting
# novapaydown"), ended 118 of 650 jobs ("I want to sort this out today
# #customerservice.") and split jobs by tag. Inside a sentence the word stays.
_HASHTAG = re.compile(r"(?<![\w&#])#(?=[^\W\d_])")
_TAG = re.compile(r"#[^\W\d_]\w*")
_TAG_WORD = re.compile(r"[^\w\s#]*(?:#[^\W\d_]\w*[^\w\s#]*)+")  # "#fail." "😡#help"
_MARKS = re.compile(r"[^\w\s#]+")  # "!!!", "😤"
_LEADS_ON = frozenset(
    "so and or but the a an my our your is was are were be to of for with in on at by "
    "very too from than as it this that".split()
)


def without_tags(text: str) -> str:
    """``text`` without a closing run of hashtags after two words or more (its emoji
    kept, and a full stop when the words have none), and without the "#" of a hashtag
    inside it (see :data:`_HASHTAG`)."""
    if "#" not in text:
        return text
    words = list(re.finditer(r"\S+", text))
    cut = len(words)  # words from the last back, while each is a tag or marks
    while cut and (_TAG_WORD.fullmatch(words[cut - 1][0]) or _MARKS.fullmatch(words[cut - 1][0])):
        cut -= 1
    while cut < len(words) and _MARKS.fullmatch(words[cut][0]):
        cut += 1  # marks before the first tag stay with the words ("again 😡 #fail")
    before = re.findall(r"[^\W\d_]+", text[: words[cut].start()]) if cut < len(words) else []
    # A lone tag after a word that needs one more ("hoped for more stretch so #returned!")
    # ends the sentence: its word stays.
    needed = len(words) - cut == 1 and before and before[-1].lower() in _LEADS_ON
    if len(before) < 2 or needed:
        return _HASHTAG.sub("", text)
    marks = " ".join(_TAG.sub(" ", " ".join(w[0] for w in words[cut:])).split())
    text = text[: words[cut].start()].rstrip()
    if re.fullmatch(r"[.!?,;:\s]*", marks):  # a full stop after the tags
        text += "" if re.search(r"[.!?,;:]$", text) else marks[:1]
    else:  # emoji after them
        text += f" {marks}"
    return _HASHTAG.sub("", text)


# Whose word a note reports, at its sentence's end ("price was the blocker per Owen
# Brady."): a contact's name, not what was said; left in, a helper's CRM notes had a
# theme for each contact, "Blocker per helen park" and "Blocker per owen brady".
_UNIT = (  # "per Seat Month", "per Active User": what a price is per, not whose word
    r"(?!(?:Seat|User|Month|Year|Day|Hour|Week|License|Account|Invoice|Employee|Unit|Item|"
    r"Order|Transaction|Location|Site|Member|Person)s?\b)"
)
_ATTRIBUTION = re.compile(
    rf"(?<=\w)\s+per\s+{_UNIT}[A-Z][a-z]+\s+{_UNIT}[A-Z][a-z]+(?=\s*[.,;!?]|\s*$)"
)


# A shop's furniture in a review: the "Verified Purchase" badge opening it, a reviewer's
# disclosure of a free or discounted product ("I received this item for free in
# exchange for an unbiased review") and the platform's "[This review was collected as
# part of a promotion.]". Left in, they had named themes ("Verified purchase gorgeous
# retro look", "Disclaimer", "Product at a discount", the last #10 on a roadmap) and
# been keywords of 13 of 74 themes.
_BADGE = re.compile(
    r"(?i)^\s*verified\s+(?:purchase|buyer|owner)\s*[.:!|-]?\s*(?=(?-i:[A-Z0-9\"'“(]))"
)
_DISCLOSURE = re.compile(
    r"(?i)(?:\[\s*)?(?:(?:disclaimer|disclosure|full disclosure)\s*[:-]\s*)?"
    r"(?:i|we)\s+(?:received|got|was\s+(?:sent|given)|were\s+(?:sent|given))\s+"
    r"(?:this|the|a)\s+(?:product|item|sample|unit)[^.!?\n]{0,60}?"
    r"(?:free|discount(?:ed)?|no\s+(?:cost|charge)|reduced\s+price)[^.!?\n]{0,80}?"
    r"(?:exchange|return)\s+for\s+(?:my|an?)\s+[^.!?\n]{0,30}?review\b[.!]?\s*\]?"
    r"(?:\s*[,;]\s*(?:and|but)?\s*)?"  # "..., and honestly the hinge broke": what follows stays
    r"|\[\s*this\s+review\s+was\s+collected\s+as\s+part\s+of\s+a\s+promotion\.?\s*\]"
)


def without_review_furniture(text: str) -> str:
    """``text`` without a shop's badge opening it and a free-product disclosure (see
    :data:`_DISCLOSURE`); a text that is nothing else stays as it is."""
    lowered = text.lower()
    if "verified" not in lowered and "review" not in lowered:
        return text
    kept = _DISCLOSURE.sub(" ", _BADGE.sub("", text))
    if kept == text:
        return text
    kept = re.sub(r"[ \t]{2,}", " ", kept).strip()
    return kept if any(ch.isalpha() for ch in kept) else text


# A comment that ends by giving a way to reach its writer ("Call me on 07700 900123",
# "Email me at ana@x.com", "My number is ..."): contact details, not feedback. Left in,
# such tails had made the first "new topic" of every scored file, whatever the comments
# before them said.
_CONTACT_TAIL = re.compile(
    r"(?i)(?:^|(?<=[.!?,;:])|\s)\s*(?:(?:please|pls|feel free to|you can|u can)\s+)?"
    r"(?:(?:call|ring|phone|text|email|e-mail|mail|contact|reach|message|whatsapp)\s+(?:me|us)"
    r"\b[^.!?\n]{0,30}?|my\s+(?:phone\s+|mobile\s+|cell\s+)?(?:number|phone|mobile|cell|"
    r"e-?mail)(?:\s+(?:number|address))?\s+is\s*:?\s*)"
    r"(?:\+?\d[\d\s().-]{6,}\d|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    # "... if you need more logs", "... for more details", "... any time", "... about
    # PNR X7K2LM" (a helper's airline reviews: 300 such tails had made a theme)
    r"(?:\s*,?\s*(?:if|should|in case|for|any\s*time|anytime|about|regarding|re)\b"
    r"[^.!?\n]{0,50})?"
    # and a thanks with the writer's name after it ("... on ana@x.com. Thanks, Sarah
    # Jenkins": 83 of the helper's signed reviews had kept the name)
    r"(?:\s*[.!?]+\s*(?:many\s+)?(?:thanks|thank\s+you|cheers|regards|kind\s+regards|best"
    r"|best\s+regards|best\s+wishes)[,!.]?"
    r"(?:\s+(?-i:[A-Z][a-z]+)(?:\s+(?-i:[A-Z][A-Za-z'’-]+))?)?)?"
    r"\s*[.!?]*\s*$"
)


def without_contact_tail(text: str) -> str:
    """``text`` without a closing sentence that only gives the writer's phone or e-mail
    (see :data:`_CONTACT_TAIL`); a text that is nothing else stays as it is."""
    if not isinstance(text, str) or ("@" not in text and not any(c.isdigit() for c in text)):
        return text
    found = _CONTACT_TAIL.search(text)
    if found is None or not any(ch.isalpha() for ch in text[: found.start()]):
        return text
    return text[: found.start()].rstrip()


# Speech as transcripts write it: fillers ("um", "uh", ", like,", ", you know,") and the
# transcriber's notes ("[laughs]", "[inaudible]", "(pause)"). They had cut or dropped
# the job of a research highlight ("I want to, um, copy my workspace setup": no job;
# "so I, like, don't have to redo it": "... so that I.").
_TRANSCRIBER_NOTE = re.compile(
    r"\s*[\[(](?:laughs?|laughter|laughing|pause[sd]?|long pause|inaudible|crosstalk|"
    r"cross-talk|unintelligible|indistinct|overlapping|overtalk|silence|sighs?|coughs?|"
    r"chuckles?|background noise|\d{1,2}:\d{2}(?::\d{2})?)[\])]"
    # a call's hold and its music, as a contact centre's speech-to-text marks them
    # ("<hold>", "[music]": 52 and 51 of a helper's 600 calls kept them in their quotes)
    r"|\s*<(?:music|hold|on hold|hold music|ringing|dial tone|beep|silence|crosstalk|"
    r"inaudible)>|\s*[\[(](?-i:music|hold|on hold|hold music|ringing|dial tone|beep)[\])]",
    re.IGNORECASE,
)
# A filler stands between commas or opens a sentence with one ("I want to, um, copy",
# "Um, let me"), in lower case or capitalised: not an acronym (ERM, UM), not German or
# Portuguese "um" ("um 10 Uhr", "um produto").
_FILLER = re.compile(
    r"(?:,\s*|(?:^|(?<=[.!?]))\s*)\b(?:[Uu]h+m*|[Uu]m+|[Ee]rm+|[Hh]m+)\b(?!-)\s*,"
    r"|,\s*(?:like|you know|i mean|sort of|kind of)\s*,",
)


def without_fillers(text: str) -> str:
    """``text`` without a transcript's spoken fillers and transcriber's notes."""
    if not _TRANSCRIBER_NOTE.search(text) and not _FILLER.search(text):
        return text
    return _FILLER.sub(" ", _TRANSCRIBER_NOTE.sub("", text))


# Chat apps' markup. Slack: <https://x|see here>, <mailto:a@b.io|a@b.io>, <#C024|general>,
# <@U123>, <!here>; Discord: <@123>, <@!123>, <@&role>, <#123>, <:kekw:778899>,
# <a:dance:123>, <t:1700000000:R>; both: emoji as codes (":fire:", ":thumbsup:"). Left
# in, they had become keywords ("c024be7lrgeneral", "kekw778899001122", "sob") and the
# end of a job ("... stop clicking around the ui < here.").
_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^|<>\s]+)(?:\|([^<>]*))?>")
_CHAT_TAG = re.compile(r"<(?:[@#!][^<>\s]*|a?:\w+:\d+|t:\d+(?::\w)?)>")
_EMOJI_CODE = re.compile(r"(?<![\w/]):([a-z][a-z0-9_+-]{0,30}|\+1|-1):(?![\w/])")


def without_chat_markup(text: str) -> str:
    """``text`` with a chat app's markup read as its words: a link's label (or the link,
    which :func:`without_addresses` then leaves out), no mention, channel, role, custom
    emoji or timestamp tag, and an emoji code as its emoji ("this is :fire:" -> "this is
    🔥", read by name by the sentiment network) or nothing when it names none (a
    workspace's own ":pepe_sad:")."""
    if "<" in text:
        text = _SLACK_LINK.sub(lambda m: m.group(2) or m.group(1).removeprefix("mailto:"), text)
        text = _CHAT_TAG.sub(" ", text)
    if ":" in text:
        text = _EMOJI_CODE.sub(_emoji_of_code, text)
    return text


def _emoji_of_code(match: re.Match) -> str:
    import emoji

    code = match.group(0)
    found = emoji.emojize(code, language="alias")
    return found if found != code else " "


def duplicate_key(text: str) -> bytes:
    """The key under which a normalised text counts as seen: a 16-byte digest of its
    casefolded form (a large file's map of seen texts holds digests, not a second copy
    of every text)."""
    folded = text.casefold().encode("utf-8", "surrogatepass")
    return hashlib.blake2b(folded, digest_size=16).digest()


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


@dataclass
class CleanResult:
    """Per-row outcome of cleaning, aligned with the input."""

    texts: list[str]
    status: np.ndarray
    duplicate_of: np.ndarray  # position of the first row with the same text, -1 or -2
    errors: list[str | None] = field(default_factory=list)
    # ISO 639 code per row; None for rows without text (empty, not_text).
    languages: list[str | None] = field(default_factory=list)

    def __post_init__(self):
        if not self.errors:
            self.errors = [None] * len(self.texts)
        if not self.languages:
            self.languages = [None] * len(self.texts)

    def fail(self, index: int, reason: str) -> None:
        """Mark row ``index`` (and the duplicates of its text) ``error`` with ``reason``."""
        self.status[index] = STATUS_ERROR
        self.errors[index] = reason
        for duplicate in np.flatnonzero(self.duplicate_of == index).tolist():
            self.status[duplicate] = STATUS_ERROR
            self.errors[duplicate] = f"same text as row {index}, which failed: {reason}"

    @property
    def to_embed(self) -> np.ndarray:
        """Rows whose vectors are needed: ``ok`` rows and duplicates of earlier chunks."""
        return (self.status == STATUS_OK) | (self.duplicate_of == -2)

    @property
    def unique(self) -> np.ndarray:
        """Rows with status ``ok`` (first occurrences of each text)."""
        return self.status == STATUS_OK


# What may follow a placeholder: an end mark, a "thanks" ("na thanks", "N/A!").
_THANKS_END = re.compile(r"[\s,]*(?:thanks?|thank you|thx)?[\s.!,;:)]*$")


_ME_TOO_LENGTH = 60  # longer replies say something of their own


def _placeholder(text: str) -> bool:
    """Whether ``text`` is a placeholder such as "n/a", also with an end mark ("N/A!",
    "n/a.") or a "thanks" ("na thanks")."""
    folded = text.casefold()
    if folded in _PLACEHOLDERS:
        return True
    bare = _THANKS_END.sub("", folded)
    return bool(bare) and bare != folded and bare in _PLACEHOLDERS


# Giveaway spam riding a brand's name ("🚨 GIVEAWAY 🚨 £500 to 5 lucky followers!! RT +
# follow + tag 3 friends"): a prize and a call to spread it, no customer's words (a
# helper's 70 had made the largest theme of its tweets, their senders co-creators).
_GIVEAWAY = re.compile(
    r"(?i)\bgive\s?aways?\b|\blucky\s+(?:followers?|winners?)\b|\bblessing\s+\d+\s+"
    r"(?:followers?|people)\b|\bfirst\s+\d+\s+(?:people|followers?)\s+to\b|\bfree\s+money\b"
)
_SPREAD_IT = re.compile(
    r"(?i)\brt\b|\bretweet|(?:\+|&|\band)\s*follow\b|\bfollow\s+(?:@|us\b|me\b)"
    r"|\btag\s+\d+\s+friends?|\bdrop\s+your\b|\bfirst\s+\d+\s+(?:people|followers?)\s+to\s+dm\b"
)


def _giveaway(text: str) -> bool:
    return bool(_GIVEAWAY.search(text)) and bool(_SPREAD_IT.search(text))


def _classify(raw, problem: str | None) -> tuple[str, str, bytes | None]:
    """One text normalised, its status unless it is text (``error``, ``empty``,
    ``not_text``; else ``ok``) and its duplicate key (None when it is not text)."""
    raw = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    text = analysed_text(raw)
    if problem:
        return text, STATUS_ERROR, None
    reference = _letters(text) >= 2 and _REFERENCE.fullmatch(text)  # digits alone: not_text
    if not text or _placeholder(text) or _NOTHING.fullmatch(text) or reference:
        return text, STATUS_EMPTY, None
    if len(text) <= _ME_TOO_LENGTH and _ME_TOO.fullmatch(text):
        return text, STATUS_EMPTY, None
    if _giveaway(text):
        return text, STATUS_EMPTY, None
    if _letters(text) < 2:
        return text, STATUS_NOT_TEXT, None
    return text, STATUS_OK, duplicate_key(text)


def says_nothing(text: str) -> bool:
    """Whether ``text`` alone would be no comment: empty, a placeholder, an answer that
    there is nothing to say, a "+1" (status ``empty``) or no words (``not_text``). A
    joined answer ("Q2+Q3") leaves such parts out: "N/A. See above." had made a
    survey's largest theme."""
    return _classify(text, None)[1] in (STATUS_EMPTY, STATUS_NOT_TEXT)


class FirstSeen(MutableMapping):
    """The first occurrence of every distinct text of a file: duplicate key -> (global
    row, normalised text), as :func:`clean` reads ``seen``.

    A file of hundreds of thousands of rows has that many entries. Only the key and a
    file position stay in memory; the row and text go to an anonymous temporary file and
    are read back only for a duplicate of a text first seen in an earlier chunk. So the
    memory of a run grows by about a tenth of a kilobyte per distinct text, not by the
    text itself.
    """

    _HEAD = struct.Struct("<qI")  # global row, UTF-8 length

    def __init__(self, directory: str | Path | None = None):
        self.directory = directory  # of the temporary file (None: the system's)
        self._where: dict[bytes, int] = {}
        self._file = None  # made on the first entry
        self._end = 0  # where the next entry goes
        self._at_end = True

    def __setitem__(self, key: bytes, value: tuple[int, str]) -> None:
        row, text = value
        data = text.encode("utf-8", "surrogatepass")
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="miner-seen-", dir=self.directory)
        if not self._at_end:
            self._file.seek(self._end)
            self._at_end = True
        self._file.write(self._HEAD.pack(int(row), len(data)) + data)
        self._where[key] = self._end
        self._end += self._HEAD.size + len(data)

    def __getitem__(self, key: bytes) -> tuple[int, str]:
        self._file.seek(self._where[key])  # writes still buffered are flushed first
        self._at_end = False
        row, size = self._HEAD.unpack(self._file.read(self._HEAD.size))
        return row, self._file.read(size).decode("utf-8", "surrogatepass")

    def __contains__(self, key) -> bool:
        return key in self._where

    def __delitem__(self, key: bytes) -> None:
        del self._where[key]

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def close(self) -> None:
        """Drop the temporary file (also when the store is garbage-collected)."""
        if self._file is not None:
            self._file.close()


def seen_before(
    texts: Sequence[str],
    first_seen: MutableMapping[bytes, tuple[int, str]],
    offset: int = 0,
    problems: Sequence[str | None] | None = None,
) -> tuple[dict[bytes, tuple[int, str]], list[tuple[bytes, int, str]]]:
    """What :func:`clean` needs as ``seen`` to clean ``texts`` alone as it would in a run.

    ``first_seen`` (the first occurrence of every text before ``texts``, updated here;
    a :class:`FirstSeen` for a whole file)
    gives the entries of the texts that occurred before (``offset``: the global row of
    ``texts[0]``), so chunks can be cleaned in any order, on any machine, with the
    same result. Returns those entries and the new ones (key, global row, text).
    """
    earlier: dict[bytes, tuple[int, str]] = {}
    new: list[tuple[bytes, int, str]] = []
    added: set[bytes] = set()  # keys first seen in ``texts``
    for index, raw in enumerate(texts):
        text, _, key = _classify(raw, problems[index] if problems is not None else None)
        if key is None:
            continue
        if key in first_seen:
            if key not in earlier and key not in added:  # read from disk once at most
                first = first_seen[key]
                if first[0] < offset:
                    earlier[key] = first
        else:
            first_seen[key] = (index + offset, text)
            new.append((key, index + offset, text))
            added.add(key)
    return earlier, new


DONE_EVERY = 2000  # rows between two reports of how far clean() is


def clean(
    texts: Sequence[str],
    seen: MutableMapping[bytes, tuple[int, str]] | None = None,
    offset: int = 0,
    problems: Sequence[str | None] | None = None,
    done: Callable[[int, int], None] | None = None,
) -> CleanResult:
    """Normalise each text and give it a status. Never drops or reorders rows.

    E-mail furniture (greeting, quoted replies, signature, legal footer; see
    :mod:`miner.boilerplate`) is stripped first: analysis reads the customer's words.

    ``seen`` (text key -> global row and text of its first occurrence) carries
    duplicate detection across chunks of one file; ``offset`` is the global row
    number of ``texts[0]``. ``duplicate_of`` holds a position within this chunk, or
    -2 when the first occurrence was in an earlier chunk; such a row is analysed
    with its first occurrence's text, so results never depend on the chunk size.
    ``problems`` (per row, from reading it) give those rows status ``error``.
    ``done(rows done, rows)`` is told how far it is every :data:`DONE_EVERY` rows (120,000
    comments take about a minute: the app had shown an empty bar all along).
    """
    normalised: list[str] = []
    status = np.empty(len(texts), dtype=object)
    duplicate_of = np.full(len(texts), -1, dtype=np.int64)
    errors: list[str | None] = [None] * len(texts)
    first_seen: MutableMapping[bytes, tuple[int, str]] = seen if seen is not None else {}
    for index, raw in enumerate(texts):
        if done is not None and index and index % DONE_EVERY == 0:
            done(index, len(texts))
        problem = problems[index] if problems is not None else None
        text, status[index], key = _classify(raw, problem)
        normalised.append(text)
        if status[index] == STATUS_ERROR:
            errors[index] = problem
        if key is None:
            continue
        if key in first_seen:
            status[index] = STATUS_DUPLICATE
            first_row, first_text = first_seen[key]
            local = first_row - offset
            duplicate_of[index] = local if local >= 0 else -2
            if local < 0:
                normalised[index] = first_text
        else:
            first_seen[key] = (index + offset, text)
            status[index] = STATUS_OK
    result = CleanResult(texts=normalised, status=status, duplicate_of=duplicate_of, errors=errors)
    # Each distinct text once; a duplicate takes its first occurrence's language.
    detected = np.flatnonzero(result.to_embed)
    for index, language in zip(
        detected.tolist(), detect_languages([normalised[i] for i in detected]), strict=True
    ):
        result.languages[index] = language
    for index in np.flatnonzero(duplicate_of >= 0).tolist():
        result.languages[index] = result.languages[duplicate_of[index]]
    if done is not None:
        done(len(texts), len(texts))
    return result
