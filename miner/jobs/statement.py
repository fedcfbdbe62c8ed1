"""Canonical job statements: "When <situation>, I want to <motivation>, so I can <outcome>."

The parts of a job stay verbatim slices of the input; only the statement is tidied:
verbs after "to" go to their base form, a clause gets "to" ("the app remembered my
search" -> "the app to remember my search"), a lone "i" becomes "I".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from spacy.language import Language
from spacy.tokens import Token

# Used only when the pipeline has no lemmatizer tables (e.g. excluded at load time).
_IRREGULAR = {
    "had": "have", "has": "have", "was": "be", "were": "be", "is": "be", "did": "do",
    "does": "do", "came": "come", "went": "go", "made": "make", "got": "get", "gave": "give",
    "took": "take", "saw": "see", "knew": "know", "showed": "show", "let": "let", "put": "put",
    "kept": "keep", "sent": "send", "told": "tell", "found": "find", "said": "say",
    "brought": "bring", "ran": "run", "paid": "pay", "left": "leave", "held": "hold",
    "built": "build", "read": "read", "set": "set", "cut": "cut", "spent": "spend",
}  # fmt: skip


def make_verb_lemmatizer(nlp: Language | None) -> Callable[[str], str]:
    """A verb lemmatizer using the pipeline's lemmatizer tables when available.

    It applies the same table logic as spaCy's rule lemmatizer (exceptions, then
    suffix rules checked against the index) without running the component on
    every token, which costs more than the parser on short texts.
    """
    tables = None
    if nlp is not None and "lemmatizer" in nlp.component_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and all(
            lookups.has_table(name) for name in ("lemma_exc", "lemma_rules", "lemma_index")
        ):
            tables = (
                lookups.get_table("lemma_exc").get("verb", {}),
                lookups.get_table("lemma_rules").get("verb", []),
                set(lookups.get_table("lemma_index").get("verb", [])),
            )
    cache: dict[str, str] = {}

    def lemmatize(word: str) -> str:
        key = word.lower()
        if key in cache:
            return cache[key]
        lemma = _lemma(key, tables)
        cache[key] = lemma
        return lemma

    return lemmatize


def _lemma(word: str, tables) -> str:
    if tables is None:
        if word in _IRREGULAR:
            return _IRREGULAR[word]
        for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""),
                             ("s", "")):  # fmt: skip
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)] + repl
        return word
    exceptions, rules, index = tables
    if word in exceptions:
        return exceptions[word][0]
    if word in index:
        return word
    candidates = [word[: -len(old)] + new for old, new in rules if word.endswith(old)]
    for candidate in candidates:
        if candidate in index:
            return candidate
    return candidates[0] if candidates else word


def _fix_pronouns(text: str) -> str:
    text = re.sub(r"\bi\b", "I", text)
    text = re.sub(r"\bi'(m|ve|ll|d)\b", r"I'\1", text)
    return re.sub(r"\s+", " ", text).strip()


def lower_first(tokens: Sequence[Token], text: str) -> str:
    """Lower-case a capitalised first word unless it is a name or an acronym."""
    first = tokens[0]
    if first.tag_ in ("NNP", "NNPS") or first.text.isupper() and len(first.text) > 1:
        return text
    if first.text == "I":
        return text
    return text[:1].lower() + text[1:]


# "I don't have to ...", "I am ...": keep the clause ("so that I don't ...").
_NO_VERB_PHRASE = frozenset("do does did dont don't am 'm is are was were".split())
_OBJECT_CASE = {"they": "them", "he": "him", "she": "her", "we": "us", "i": "me"}


# What may follow a participle ending a want's object: a place, a time, a manner.
_AFTER_PARTICIPLE = frozenset("IN TO RB RBR RP . , : HYPH".split())


def phrase(
    tokens: Sequence[Token],
    kind: str,
    lemmatize: Callable[[str], str],
    outcome: bool = False,
    added_to: int | None = None,
) -> tuple[str, str]:
    """Phrase a motivation/outcome for the statement; returns (text, kind).

    The kind may change: "I could export ..." is phrased as the verb phrase "export ...".
    An outcome clause stays as written ("so that my team can see it"). ``added_to``: the
    position of the "to" of a thing asked to be added to something ("dark mode added to
    the app").
    """
    tokens = list(tokens)
    if outcome and kind == "clause":
        text = "".join(t.text_with_ws for t in tokens).strip()
        return _fix_pronouns(lower_first(tokens, text)), kind
    if (
        kind == "clause"
        and tokens[0].lower_ in ("i", "we")
        and len(tokens) > 2
        and tokens[1].lower_ not in _NO_VERB_PHRASE
        and not any(t.lower_ in ("not", "n't", "nt", "never") for t in tokens[1:4])
    ):
        # "I could export ..." / "I'd see ..." -> a plain verb phrase.
        rest = tokens[1:]
        while len(rest) > 1 and (rest[0].tag_ == "MD" or rest[0].lower_ in ("to", "'d")):
            rest = rest[1:]
        tokens, kind = rest, "verb"
    words = [t.text_with_ws for t in tokens]
    if added_to is not None:
        words[added_to] = "added " + words[added_to]
    if kind in ("verb", "gerund"):
        words[0] = lemmatize(tokens[0].text) + tokens[0].whitespace_
    elif kind == "clause":
        subject = tokens[0].lower_
        if subject in _OBJECT_CASE:
            words[0] = _OBJECT_CASE[subject] + (tokens[0].whitespace_ or " ")
        for i, tok in enumerate(tokens[1:], start=1):
            if tok.lower_ == "to" or tok.tag_ == "TO":
                break
            if tok.tag_ == "MD":
                words[i] = "to "
                if i + 1 < len(tokens) and tokens[i + 1].tag_ == "VB":
                    break
                continue
            if (
                tok.lower_ in ("needs", "need")
                and i + 1 < len(tokens)
                and tokens[i + 1].lower_ == "to"
            ):
                words[i] = ""  # "my card needs to be activated" -> "my card to be activated"
                break
            if (
                tok.tag_ == "VBD"
                and tok.lower_.endswith("ed")
                and (i + 1 == len(tokens) or tokens[i + 1].tag_ in _AFTER_PARTICIPLE)
            ):
                # what is to be done to it: "I want the overdraft fees refunded", "my
                # money returned to my account" (not "the fees to refund": the tagger
                # reads a participle with nothing after it as a past tense)
                break
            if tok.tag_ in ("VBD", "VBZ", "VBP", "VB"):
                words[i] = "to " + lemmatize(tok.text) + tok.whitespace_
                break
    text = "".join(words).strip()
    return _fix_pronouns(lower_first(tokens, text)), kind


def situation_lead(situation: str, kind: str | None) -> str:
    """The statement's opening for a situation: kept with its marker ("After the update,")
    or introduced by "When" ("When I travel,")."""
    situation = _fix_pronouns(situation)
    if kind == "keep":
        return situation[:1].upper() + situation[1:] + ","
    return f"When {situation},"


def render(
    motivation: str,
    motivation_kind: str,
    situation: str | None = None,
    situation_kind: str | None = None,
    outcome: str | None = None,
    outcome_kind: str | None = None,
    back: bool = False,
    doer: str | None = None,
) -> str:
    """Assemble the canonical statement from phrased parts.

    ``back``: the thing was taken away and is wanted back ("I want the old widget back",
    "I want to track my weight by week again"). ``doer``: who is asked to do it, when
    not the customer ("Do you accept SWIFT transfers?" -> "I want you to accept SWIFT
    transfers"; "can you expand your food database" -> "I want you to expand your food
    database": see :meth:`miner.jobs.rules.SentenceReader.doer`).
    """
    pieces = [situation_lead(situation, situation_kind)] if situation else []
    verb = motivation_kind in ("verb", "gerund")
    if verb and doer:
        want = f"I want {doer} to"
    else:
        want = "I want to" if verb else "I want"
    pieces.append(f"{want} {motivation}" + ((" again" if verb else " back") if back else ""))
    if outcome:
        joiner = "so I can" if outcome_kind == "verb" else "so that"
        pieces[-1] += ","
        pieces.append(f"{joiner} {_fix_pronouns(outcome)}")
    text = " ".join(pieces)
    text = text[:1].upper() + text[1:]
    return text.rstrip(" ,;:") + "."
