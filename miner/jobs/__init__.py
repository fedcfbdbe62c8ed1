"""Jobs-to-be-done: find them in customer text, then group them across a corpus.

- :class:`Job` - one job with its parts and their character offsets.
- the ``jobs`` spaCy component (registered on import): ``nlp.add_pipe("jobs")``.
- :class:`JobExtractor` - fast batch extraction; :func:`to_frame` - per-document columns.
- :func:`cluster_jobs` - group near-duplicate motivations; opportunity scores.
"""

from __future__ import annotations

from miner.jobs.component import JobsComponent, make_jobs_component
from miner.jobs.extract import JOB_COLUMNS, JobExtractor, split_sentences, to_frame
from miner.jobs.record import TRIGGERS, Job

__all__ = [
    "JOB_COLUMNS",
    "TRIGGERS",
    "Job",
    "JobExtractor",
    "JobsComponent",
    "make_jobs_component",
    "split_sentences",
    "to_frame",
]
