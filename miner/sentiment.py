"""Sentiment head: three classes (negative, neutral, positive) and a score in [-1, 1].

The network is the shipped encoder (:mod:`miner.encoder`, weights in
``miner/weights/sentiment/``): all-MiniLM-L6-v2 fine-tuned for 3-class sentiment and
quantised to int8, run with onnxruntime (no torch, nothing unpickled).

A comment is scored sentence by sentence (and clause by clause around "but", "however",
..., see :func:`miner.sentences.split_sentences`), then the segment probabilities are
averaged, weighted by segment length, so "love it but sync is broken" comes out mixed
rather than simply positive. The per-segment scores are returned too (``sentence_scores``).

Typical use::

    model = SentimentModel.load()
    frame = model.predict(["Love it", "Crashes every time I open it"])
    frame[["sentiment", "sentiment_score"]]
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from miner.encoder import DEFAULT_ENCODER_PATH, DocumentEncoding, encode_documents, load_encoder
from miner.errors import ModelLoadError, NotFitted
from miner.schema import SENTIMENTS, label_from_score
from miner.sentences import split_sentences

__all__ = [
    "SENTIMENT_LABELS",
    "DEFAULT_SENTIMENT_PATH",
    "SentimentModel",
    "frame_from_encoding",
    "label_from_score",
    "net_sentiment",
]

SENTIMENT_LABELS = SENTIMENTS  # the run schema's sentiments
DEFAULT_SENTIMENT_PATH = DEFAULT_ENCODER_PATH


class SentimentModel(BaseEstimator):
    """Three-class sentiment with a continuous score, scored sentence by sentence.

    Parameters are stored as given (scikit-learn style, so ``get_params`` and ``clone``
    work); :meth:`load` returns a ready model. There is no ``fit``: the weights are
    trained by ``models/train_sentiment.py``, never here. ``threads``: sequences run side
    by side (default: one per CPU, :func:`miner.runtime.default_threads`).
    ``sentiment_score = P(positive) - P(negative)`` of the combined document
    probabilities, so it lies in [-1, 1]; ``sentiment`` is the most probable class.
    """

    def __init__(
        self, path: str | Path | None = None, batch_size: int = 256, threads: int | None = None
    ):
        self.path = path
        self.batch_size = batch_size
        self.threads = threads

    @classmethod
    def load(cls, path: str | Path | None = None, **params: Any) -> SentimentModel:
        """Load the model in ``path`` (default: the shipped ``miner/weights/sentiment``)."""
        model = cls(path=path, **params)
        encoder, config = load_encoder(path, threads=model.threads)
        labels = tuple(config.get("labels", SENTIMENT_LABELS))
        if labels != SENTIMENT_LABELS:
            raise ModelLoadError(f"sentiment model labels {labels} != {SENTIMENT_LABELS}")
        model.encoder_, model.config_, model.labels_ = encoder, config, labels
        return model

    def encode(self, texts: Sequence[Any], batch_size: int | None = None) -> DocumentEncoding:
        """Run the encoder once over ``texts`` (reusable by :class:`miner.kinds.KindModel`)."""
        # Not check_is_fitted: this model is loaded, never fitted (it has no ``fit``).
        if not hasattr(self, "encoder_"):
            raise NotFitted("SentimentModel is not loaded; use SentimentModel.load()")
        texts = list(texts)
        encoding = encode_documents(self.encoder_, texts, batch_size or self.batch_size)
        encoding = read_sarcasm(texts, encoding)
        encoding = read_bare_topics(texts, encoding)
        return read_absent_troubles(read_bare_problems(texts, encoding))

    def predict(
        self,
        texts: Sequence[Any],
        batch_size: int | None = None,
        encoding: DocumentEncoding | None = None,
    ) -> pd.DataFrame:
        """Score ``texts``; one row per text, in input order.

        Columns: ``sentiment`` (negative/neutral/positive), ``sentiment_score`` (float in
        [-1, 1]), ``sentiment_proba_negative/_neutral/_positive`` and ``sentence_scores``
        (list of per-segment scores, see :func:`miner.sentences.split_sentences`; empty
        for empty text).
        Never raises on empty, non-string or very long text (empty -> neutral, 0.0).
        ``batch_size`` documents are processed per step (bounds memory). Pass
        ``encoding`` from :meth:`encode` to reuse an encoder pass.
        """
        if encoding is None:
            encoding = self.encode(texts, batch_size)
        elif encoding.n_docs != len(texts):
            raise ValueError("encoding was computed for a different number of texts")
        return frame_from_encoding(encoding)


# A writer who marks their words as sarcasm: "/s" ending a line, "#sarcasm", the eye
# roll "🙄" ending a line. The words say the opposite of what is meant ("Great, another update that
# breaks sync /s" had been positive, and praise).
SARCASM = re.compile(
    r"(?i)(?:^|\s)/s(?:arcasm)?(?=[\s.!?)\"'\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F]*(?:$|\n))"
    r"|#sarcasm\b|"
    # the eye roll ending a line or a sentence (the next one opens with a capital):
    # mid-sentence it rolls at something else ("Switched from QuickBooks 🙄 to you and
    # couldn't be happier")
    r"\U0001F644(?=[\s.!?\U0001F644]*(?:$|\n|(?-i:[A-Z])))"
    # praise opening a sentence about one more of a trouble ("great, another outage",
    # "Fantastic. Yet another update that logs me out"), or loving what nobody loves
    # ("love waiting 45 mins on hold"): a helper's tweets, 201 of 296 sarcastic ones
    # read as praise
    r"|(?:^|[.!?]\s+)(?:oh\s+)?(?:great|awesome|fantastic|wonderful|brilliant|perfect"
    r"|lovely|nice|super|amazing|incredible|excellent|thanks|thank\s+you)\W{0,4}\s*"
    r"(?:another|yet\s+another|one\s+more|more)\s+"
    r"(?:(?!great|good|nice|new|awesome|amazing|helpful|useful|cool)\w+\s+)?"
    r"(?:outages?|crash(?:es)?|bugs?|glitch(?:es)?|fees?|charges?|errors?|logouts?"
    r"|log\s?outs?|price\s+hikes?|hidden\s+fees?|disconnects?"
    # one more update that breaks something ("great, another patch that breaks fps": a
    # helper's gaming reviews)
    r"|(?:update|patch|hotfix|release)\s+that\s+(?:breaks?|broke|ruins?|ruined|kills?"
    r"|killed|bricks?|bricked|wipes?|wiped)\b(?!\s+(?:the\s+)?(?:records?|new\s+ground"
    r"|barriers?|the\s+mou?ld)\b))\b"
    # not a trouble undone: "another fee refunded within minutes", "one more fee-free month"
    r"(?![-\s]*(?:free|refunded|waived|fixed|gone|removed|reversed|cancelled|canceled))"
    r"|\b(?:just\s+|gotta\s+|i\s+|really\s+)?lov(?:e|ing)\s+(?:waiting|being\s+(?:on\s+hold"
    r"|charged|logged\s+out|ignored|kicked)|paying\s+(?:extra|more|fees?|twice)"
    r"|getting\s+(?:charged|logged\s+out|ignored|kicked|disconnected)"
    r"|how\s+(?:the\s+app|it)\s+(?:crashes|logs\s+me\s+out|freezes))\b"
)


def read_sarcasm(texts: Sequence[Any], encoding: DocumentEncoding) -> DocumentEncoding:
    """``encoding`` with the positive probability of each text marked as sarcasm
    (:data:`SARCASM`) moved to negative, so the sentiment and the kind read from it
    (:class:`miner.kinds.KindModel`) take the words as meant."""
    marked = [i for i, text in enumerate(texts) if isinstance(text, str) and SARCASM.search(text)]
    if marked:
        proba = encoding.doc_proba.copy()
        proba[marked, 0] += proba[marked, 2]
        proba[marked, 2] = 0.0
        encoding = dataclasses.replace(encoding, doc_proba=proba)
    return encoding


# A comment that only names a topic ("Price", "customer service", "Price and support",
# "the app"): the answer to "what is the main reason for your score?" or "what should we
# improve?", which says what the reason is about, not how it went. The network had read
# 33 of 39 such answers positive ("Price and support" +0.88, "the price" +0.81, "cost"
# +0.44), so a detractor's "price" counted as praise. The words that name a part of an
# offering, none of them a feeling:
TOPIC_WORDS = frozenset(
    """
    price prices pricing cost costs money plan plans subscription subscriptions billing
    invoice invoices invoicing payment payments checkout refund refunds returns delivery
    shipping packaging support service services customer customers staff team help
    helpdesk communication communications response responses app apps application website
    site platform product products software tool tools system feature features
    functionality function functions option options setting settings integration
    integrations interface ui ux design layout navigation dashboard dashboards report
    reports reporting analytics search notifications login signup sign-up onboarding setup
    installation account accounts security privacy speed performance reliability
    stability sync syncing quality quantity selection variety range size sizes sizing fit
    fabric material materials colour colours color colors length style food menu location
    parking cleanliness room rooms wifi battery camera screen sound documentation docs
    training content updates update mobile desktop web version user bank feeds
    """.split()
)
_TOPIC_GLUE = frozenset("the a an and of for or my your our their its with".split())
_TOPIC_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)?")


def _answer_words(text: Any, max_chars: int, exclamation: bool) -> list[str] | None:
    """The words of a short answer (at most ``max_chars``) without glue words, or None
    for no text, a longer one, a question, a number, an exclamation (unless
    ``exclamation``) or an emoji or emoticon ("price :)"): the words
    :func:`is_bare_topic` and :func:`is_bare_problem` read."""
    marks = r"[?\d]" if exclamation else r"[!?\d]"
    if not isinstance(text, str) or len(text) > max_chars or re.search(marks, text):
        return None
    allowed = r"[^\w\s.,;:!/&'()-]" if exclamation else r"[^\w\s.,;:/&'()-]"
    if re.search(allowed + r"|[:;=]-?[()\[\]DPp]", text):  # an emoji, a ":)"
        return None
    return [w for w in _TOPIC_WORD.findall(text.casefold()) if w not in _TOPIC_GLUE]


def is_bare_topic(text: Any) -> bool:
    """``text`` only names one to three topics of :data:`TOPIC_WORDS` ("Price", "the
    price and support"): no feeling, question, exclamation, number or emoji."""
    words = _answer_words(text, 60, exclamation=False)
    return words is not None and 0 < len(words) <= 3 and all(w in TOPIC_WORDS for w in words)


def _reread(encoding: DocumentEncoding, marked: list[int], move) -> DocumentEncoding:
    """``encoding`` with ``move(probabilities, rows)`` applied to the documents
    ``marked`` and to their sentences (each on a copy)."""
    rows = np.isin(encoding.segment_doc, marked)
    return dataclasses.replace(
        encoding,
        doc_proba=move(encoding.doc_proba.copy(), marked),
        segment_proba=move(encoding.segment_proba.copy(), rows),
    )


def read_bare_topics(texts: Sequence[Any], encoding: DocumentEncoding) -> DocumentEncoding:
    """``encoding`` with the positive probability of each bare topic (:func:`is_bare_topic`)
    moved to neutral, in the document and its sentences: a named topic is never praise
    (a negative reading stays: "the price" from a detractor)."""
    marked = [i for i, text in enumerate(texts) if is_bare_topic(text)]
    if not marked:
        return encoding

    def move(proba: np.ndarray, rows) -> np.ndarray:
        proba[rows, 1] += proba[rows, 2]
        proba[rows, 2] = 0.0
        return proba

    return _reread(encoding, marked, move)


# A comment that only names a trouble ("very late", "late delivery", "expensive", "too
# small", "confusing menu"): the answer to "what went wrong?" or "what should we
# improve?". The network reads such two-word answers poorly ("very late" +0.47 positive,
# "super late" +0.40, "late delivery" and "confusing" neutral, a helper's food-delivery
# survey). The words that say something went wrong, with the words that may sit beside
# them: an intensifier, "again", the topic (:data:`TOPIC_WORDS` and a few more), "too"
# with a size or amount. A word outside these ("never late", "not slow", "late night")
# leaves the text to the network.
PROBLEM_WORDS = frozenset(
    """
    late slow slower expensive overpriced pricey costly confusing buggy laggy glitchy
    unreliable unresponsive unhelpful useless rude broken missing wrong dirty noisy damaged
    delayed clunky complicated unusable outdated poor bad terrible awful horrible crappy
    lousy unclear unfriendly incompetent inaccurate incorrect disorganized disorganised
    frustrating annoying
    """.split()
)
_TOO_WORDS = frozenset(
    "small big large long short high hard heavy tight loose much many hot cold salty".split()
)
_INTENSIFIERS = frozenset(
    "very too so really super extremely always quite way far pretty kinda bit little rather "
    "incredibly ridiculously terribly again".split()
)
_PROBLEM_NOUNS = TOPIC_WORDS | frozenset(
    """
    fee fees deliveries order orders driver drivers courier item items portion portions
    meal meals agent agents wait waiting time times experience process instructions
    connection loading
    """.split()
)


def is_bare_problem(text: Any) -> bool:
    """``text`` only names a trouble (:data:`PROBLEM_WORDS`, or "too" and a size), with
    at most an intensifier and a topic beside it, in one to four words: "very late",
    "late delivery", "too small", "login broken again!". No number, question or emoji."""
    words = _answer_words(text, 50, exclamation=True)
    if words is None or not 0 < len(words) <= 4:
        return False
    trouble = any(w in PROBLEM_WORDS for w in words) or any(
        a == "too" and b in _TOO_WORDS for a, b in zip(words, words[1:], strict=False)
    )
    allowed = PROBLEM_WORDS | _INTENSIFIERS | _PROBLEM_NOUNS | _TOO_WORDS
    return trouble and all(w in allowed for w in words)


def read_bare_problems(texts: Sequence[Any], encoding: DocumentEncoding) -> DocumentEncoding:
    """``encoding`` with each bare trouble (:func:`is_bare_problem`) read negative, in the
    document and its sentences: the positive probability and half the neutral move to
    negative ("late delivery" from neutral to negative)."""
    marked = [i for i, text in enumerate(texts) if is_bare_problem(text)]
    if not marked:
        return encoding

    def move(proba: np.ndarray, rows) -> np.ndarray:
        proba[rows, 0] += proba[rows, 2] + proba[rows, 1] / 2
        proba[rows, 1] /= 2
        proba[rows, 2] = 0.0
        return proba

    return _reread(encoding, marked, move)


# A sentence that praises by the absence of a trouble ("No clicking noise at all", "no
# lag at all", "almost no false alarms", "zero ads"): the network reads the trouble's
# word ("No clicking noise ..." -0.79, "no lag at all" -0.69; a helper's smart-home
# reviews had a theme "Clicking noise" of 168 such praises at -97). Not a feature that
# is missing ("no noise cancelling", "no lag compensation"), nor in a sentence that also
# says something is wrong ("no lag but it crashes" is two sentences to the network).
ABSENT_TROUBLE = re.compile(
    r"(?i)\b(?:no|zero|without\s+any|almost\s+no|hardly\s+any|barely\s+any|never\s+any"
    r"|not\s+(?:a|one)(?:\s+single)?)\s+"
    r"(?:(?:annoying|loud|weird|strange|high-pitched|audible|noticeable|input|motor|fan"
    r"|clicking|buzzing|random|major|real)\s+)?"
    r"(?:lag|lags|noise|noises|whine|buzz|buzzing|hum|humming|clicking|rattle|rattling"
    r"|stutter|stuttering|glitch|glitches|bugs?|crash(?:es)?|ads|adverts|delays?"
    r"|hiccups?|pilling|shrinkage|fading|smell|odou?r|leaks?"
    r"|false\s+(?:alarms?|alerts?|positives?|triggers?))\b"
    # the trouble ends its phrase: "no bug fixes", "no noise suppression", "no crash
    # reporting" are features missing (a checking helper's)
    r"(?=\s*(?:$|[.,!;:)]|at\s+all|whatsoever|so\s+far|yet|either|any\s*more|since|when"
    r"|while|during|with|in|on|from|after|for|and|or|even|issues?|problems?|\w+ing\b))"
    r"(?!\s*(?:reporting|cancell?ing|filtering|blocking|tracking)\b)"
    # or by a trouble that never comes: "Never lets me down." -0.76 and "this brand has
    # never let me down." -0.55 (real clothing reviews of five stars), "The driver is
    # never late" -0.37 (not the writer's own lateness, :data:`_OWN_LATENESS`)
    r"|\bnever\s+(?:once\s+|ever\s+)?(?:been\s+)?(?:late|crash(?:ed|es)?|froze|freezes"
    r"|lag(?:s|ged)?|glitch(?:ed|es)?|lets?\s+(?:me|us)\s+down|disappoint(?:s|ed)?"
    r"|keeps?\s+(?:me|us)\s+waiting)"
    r"(?=\s*(?:$|[.,!;:)]|once|on\s+(?:me|us)\b|at\s+all|so\s+far|yet|since|when|while"
    r"|with|and|or|even|me\b|us\b|by\b|any\s*more|this\s+(?:week|month|year)|in\s+\d))"
)
_STILL_WRONG = re.compile(
    r"(?i)\b(?:but|however|though|except|still|not|never|wish|unfortunately|problems?"
    r"|issues?|broke|broken|fail|fails|failed|stopped|crashes|worse|worst|bad|terrible"
    r"|awful|horrible|disappoint\w*|\w+n't|if|whether|would|should|supposed|expect\w*"
    r"|impression|thought|anything|miss|missed|promis\w*|advertis\w*|claim\w*|said|told"
    r"|supposedly|hope|hoping)\b|\?"
)


# "I was never late on a payment", "we've never been late": the writer's innocence in a
# complaint, not praise.
_OWN_LATENESS = re.compile(
    r"(?i)\b(?:i|we)(?:\s+(?:was|were|am|are|have|had)|'m|'re|'ve|'d)\s+(?:\w+\s+)?never\s+"
    r"(?:once\s+|ever\s+)?(?:been\s+)?late\b"
)


def is_absent_trouble(segment: Any) -> bool:
    """``segment`` (a sentence or clause) praises by a trouble's absence
    (:data:`ABSENT_TROUBLE`) and says nothing else is wrong."""
    if not isinstance(segment, str) or len(segment) > 200 or not ABSENT_TROUBLE.search(segment):
        return False
    if _OWN_LATENESS.search(segment):
        return False
    return not _STILL_WRONG.search(ABSENT_TROUBLE.sub(" ", segment))


def praises_by_absence(text: Any) -> bool:
    """Every sentence of ``text`` praises by a trouble's absence (:func:`is_absent_trouble`):
    "No clicking noise at all when the heat kicks on." is praise, no bug."""
    if not isinstance(text, str) or not ABSENT_TROUBLE.search(text):
        return False
    segments = split_sentences(text)
    return bool(segments) and all(is_absent_trouble(segment) for segment in segments)


def read_absent_troubles(encoding: DocumentEncoding) -> DocumentEncoding:
    """``encoding`` with each sentence that praises by a trouble's absence
    (:func:`is_absent_trouble`) read as it means: its negative probability moved to
    positive, and the document's too when every sentence of it is such."""
    marked = np.array([is_absent_trouble(text) for text in encoding.segments], dtype=bool)
    if not marked.any():
        return encoding
    segment = encoding.segment_proba.copy()
    segment[marked, 2] += segment[marked, 0]
    segment[marked, 0] = 0.0
    docs = np.unique(encoding.segment_doc[marked])
    unmarked = np.unique(encoding.segment_doc[~marked])
    whole = np.setdiff1d(docs, unmarked)
    proba = encoding.doc_proba.copy()
    proba[whole, 2] += proba[whole, 0]
    proba[whole, 0] = 0.0
    return dataclasses.replace(encoding, doc_proba=proba, segment_proba=segment)


def frame_from_encoding(encoding: DocumentEncoding) -> pd.DataFrame:
    """Turn a :class:`DocumentEncoding` into the sentiment columns."""
    proba = encoding.doc_proba
    score = np.clip(proba[:, 2] - proba[:, 0], -1.0, 1.0)
    labels = np.asarray(SENTIMENT_LABELS, dtype=object)[proba.argmax(axis=1)]
    per_doc: list[list[float]] = [[] for _ in range(encoding.n_docs)]
    sentence_doc, sentence_score = _sentence_scores(encoding)
    for doc_index, value in zip(sentence_doc.tolist(), sentence_score.tolist(), strict=True):
        per_doc[doc_index].append(round(float(value), 4))
    frame = pd.DataFrame(
        {
            "sentiment": labels,
            "sentiment_score": score.astype(float),
            "sentiment_proba_negative": proba[:, 0].astype(float),
            "sentiment_proba_neutral": proba[:, 1].astype(float),
            "sentiment_proba_positive": proba[:, 2].astype(float),
            "sentence_scores": per_doc,
        }
    )
    return frame


def _sentence_scores(encoding: DocumentEncoding) -> tuple[np.ndarray, np.ndarray]:
    """Document index and score of each sentence, in order: one score per sentence.

    A sentence scored in several pieces (longer than one chunk) gets the mean of their
    probabilities, weighted like the document's, so ``sentence_scores`` stays aligned
    with :func:`split_sentences`.
    """
    doc, sentence = encoding.segment_doc, encoding.segment_sentence
    proba = encoding.segment_proba
    if not len(doc):
        return doc, np.zeros(0)
    starts = np.r_[True, (doc[1:] != doc[:-1]) | (sentence[1:] != sentence[:-1])]
    group = np.cumsum(starts) - 1
    weight = encoding.segment_weight
    pooled = np.zeros((int(group[-1]) + 1, proba.shape[1]), dtype=np.float64)
    np.add.at(pooled, group, proba * weight[:, None])
    pooled /= np.maximum(np.bincount(group, weights=weight), 1e-12)[:, None]
    score = pooled[:, 2] - pooled[:, 0]
    single = np.bincount(group) == 1
    # One piece: exactly that piece's score (no rounding drift from the pooling).
    score[single] = (proba[starts, 2] - proba[starts, 0])[single]
    return doc[starts], score


def net_sentiment(sentiments: Sequence[Any]) -> float:
    """Share positive minus share negative, times 100 (-100..+100; 0.0 for no labels).

    Missing labels (None/NaN, e.g. rows that could not be analysed) are not counted.
    """
    labels = [s for s in sentiments if isinstance(s, str) and s in SENTIMENT_LABELS]
    if not labels:
        return 0.0
    positive = sum(s == "positive" for s in labels)
    negative = sum(s == "negative" for s in labels)
    return 100.0 * (positive - negative) / len(labels)
