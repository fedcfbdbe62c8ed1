"""Jobs-to-be-done: find them in customer text, then group them across a corpus.

- :class:`Job` - one job with its parts and their character offsets.
- the ``jobs`` spaCy component (registered on import): ``nlp.add_pipe("jobs")``.
- :class:`JobExtractor` - fast batch extraction; :func:`to_frame` - per-document columns.
- :func:`cluster_jobs` - group near-duplicate jobs, with ODI-style opportunity scores.
"""

from __future__ import annotations

from miner.jobs.cluster import (
    JOB_TABLE_COLUMNS,
    ClusteredJobs,
    assign_jobs,
    cluster_jobs,
    embed_motivations,
    importance_scores,
    load_default_embedder,
    motivation_texts,
    opportunity_scores,
    satisfaction_scores,
)
from miner.jobs.component import JobsComponent, make_jobs_component
from miner.jobs.extract import JOB_COLUMNS, JobExtractor, to_frame
from miner.jobs.record import TRIGGERS, Job

__all__ = [
    "JOB_COLUMNS",
    "JOB_TABLE_COLUMNS",
    "TRIGGERS",
    "ClusteredJobs",
    "Job",
    "JobExtractor",
    "JobsComponent",
    "assign_jobs",
    "cluster_jobs",
    "embed_motivations",
    "importance_scores",
    "load_default_embedder",
    "make_jobs_component",
    "motivation_texts",
    "opportunity_scores",
    "satisfaction_scores",
    "to_frame",
]
