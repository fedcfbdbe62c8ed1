"""Where `miner score` scores its chunks: in this process, or on a Dask cluster.

An engine maps :class:`miner.batch.ChunkJob`s to documents tables, in input order,
with ``score`` (:func:`miner.batch.score_chunk`). Everything that carries from one chunk to the
next (duplicates, segment bins, novelty, the output) stays with the caller, so both
engines write the same file.

    with open_engine(score_chunk, "dask", model, workers=2) as engine:
        for job, documents in engine.map(jobs): ...

The Dask engine needs the optional extra (``pip install 'miner[dask]'``); each worker
loads the model once (from a path that it can read) and keeps it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from miner.errors import InvalidConfig, MissingDependency

ENGINES = ("local", "dask")
DASK_HINT = "pip install 'miner[dask]'"


@contextmanager
def open_engine(
    score: Callable,
    engine: str = "local",
    model: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    say: Callable[[str], None] | None = None,
    job_gate: bool = False,
):
    """The engine named ``engine`` for ``model`` (None: no themes), ready to ``map``.

    ``score(model, analyser, job)`` scores one chunk; a module-level function, so that
    Dask workers import it by name. ``job_gate`` applies the learned job gate (a
    model fitted with it applies it anyway).
    """
    say = say or (lambda _: None)
    if engine not in ENGINES:
        raise InvalidConfig(f"engine '{engine}' is not one of {', '.join(ENGINES)}")
    if engine == "local":
        if workers is not None or scheduler is not None:
            raise InvalidConfig("--workers and --scheduler need --engine dask")
        yield LocalEngine(score, model, job_gate)
        return
    if workers is not None and scheduler is not None:
        raise InvalidConfig("give --scheduler (an existing cluster) or --workers, not both")
    dask_engine = DaskEngine(score, model, workers, scheduler, say, job_gate)
    try:
        yield dask_engine
    finally:
        dask_engine.close()


class LocalEngine:
    """Scores each chunk in this process, with the model loaded once."""

    def __init__(self, score: Callable, model: str | Path | None, job_gate: bool = False):
        self.score = score
        self.scorer = _load_scorer(None if model is None else str(model), job_gate)
        self.has_model = model is not None

    def map(self, jobs: Iterable) -> Iterator[tuple]:
        for job in jobs:
            yield job, self.score(*self.scorer, job)

    def model(self):
        """The fitted model (for the novelty summary)."""
        return self.scorer[0]


class DaskEngine:
    """Scores chunks on a Dask cluster: ``scheduler`` (``tcp://HOST:PORT``) or a
    ``LocalCluster`` of ``workers`` processes (default 2), one thread each.

    At most two chunks per worker are in flight, and results come back in input
    order, so memory stays bounded on the client as on the workers.
    """

    def __init__(
        self,
        score: Callable,
        model,
        workers: int | None,
        scheduler: str | None,
        say,
        job_gate: bool = False,
    ):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise MissingDependency(
                f"--engine dask needs Dask and its distributed scheduler: {DASK_HINT}"
            ) from exc
        self.score = score
        self.model_path = None if model is None else str(Path(model).absolute())
        self.has_model = model is not None
        self.job_gate = job_gate
        self._model = None
        self.cluster = None
        if scheduler is not None:
            try:
                self.client = Client(scheduler, timeout="30s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise InvalidConfig(
                    f"cannot reach the Dask scheduler at '{scheduler}' ({exc}); start it with "
                    "`dask scheduler` and give its address as --scheduler tcp://HOST:PORT"
                ) from exc
        else:
            if workers is not None and workers < 1:
                raise InvalidConfig(f"--workers must be at least 1, got {workers}")
            from miner.runtime import THREADS_ENV, default_threads

            n_workers = workers or 2
            # Each worker runs its networks on its share of this machine's CPUs.
            share = max(1, default_threads() // n_workers)
            self.cluster = LocalCluster(
                n_workers=n_workers,
                threads_per_worker=1,
                processes=True,
                env={THREADS_ENV: str(share)},
                dashboard_address=None,
                silence_logs=50,  # logging.CRITICAL: the CLI says what matters
            )
            self.client = Client(self.cluster)
        count = len(self.client.scheduler_info().get("workers", {}))
        say(f"Scoring on Dask: {self.client.scheduler.address}, {count} workers")
        self.window = 2 * max(count, 1)

    def map(self, jobs: Iterable) -> Iterator[tuple]:
        pending: deque = deque()
        for job in jobs:
            pending.append(
                (
                    job,
                    self.client.submit(
                        score_on_worker, self.score, self.model_path, job, self.job_gate
                    ),
                )
            )
            if len(pending) >= self.window:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()

    def model(self):
        """The fitted model, loaded here too (for the novelty summary)."""
        if self._model is None and self.model_path is not None:
            from miner.pipeline import load_model

            self._model = load_model(self.model_path)
        return self._model

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


# (model path or None, job gate) -> what _load_scorer gave, once per worker process.
_SCORERS: dict[tuple[str | None, bool], tuple] = {}


def _load_scorer(model: str | None, job_gate: bool = False) -> tuple:
    """(fitted model or None, per-document analyser or None) for ``model``."""
    if model is not None:
        from miner.pipeline import load_model

        fitted = load_model(model)
        fitted.job_gate = fitted.job_gate or job_gate
        return fitted, None
    from miner.analysis import DocumentAnalyser

    return None, DocumentAnalyser(job_gate=job_gate)


def score_on_worker(score: Callable, model: str | None, job, job_gate: bool = False):
    """Run on a Dask worker: ``score`` ``job`` with ``model``, loaded once per worker."""
    if (model, job_gate) not in _SCORERS:
        _SCORERS[model, job_gate] = _load_scorer(model, job_gate)
    return score(*_SCORERS[model, job_gate], job)
