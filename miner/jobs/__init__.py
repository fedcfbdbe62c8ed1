"""Jobs-to-be-done: find them in customer text, then group them across a corpus.

- :class:`Job` - one job with its parts and their character offsets.
- the ``jobs`` spaCy component (registered when :mod:`miner.jobs.component` is
  imported, as :class:`JobExtractor` does): ``nlp.add_pipe("jobs")``.
- :class:`JobExtractor` - fast batch extraction; :func:`to_frame` - per-document columns.
- :func:`cluster_jobs` - group near-duplicate jobs, with ODI-style opportunity scores.
"""

from __future__ import annotations

import importlib

# Where each public name lives. Imported on first use, so that reading a run's jobs
# (miner.jobs.cluster: the roadmap, the app) does not load spaCy and its dependencies.
_WHERE = {
    "JOB_TABLE_COLUMNS": "cluster",
    "ClusteredJobs": "cluster",
    "assign_jobs": "cluster",
    "cluster_jobs": "cluster",
    "embed_motivations": "cluster",
    "importance_scores": "cluster",
    "load_default_embedder": "cluster",
    "motivation_key": "cluster",
    "motivation_texts": "cluster",
    "opportunity_scores": "cluster",
    "satisfaction_scores": "cluster",
    "JobsComponent": "component",
    "make_jobs_component": "component",
    "JOB_COLUMNS": "extract",
    "JobExtractor": "extract",
    "to_frame": "extract",
    "TRIGGERS": "record",
    "Job": "record",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'miner.jobs' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"miner.jobs.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
