"""The shared ONNX runtime: work shared between threads, outputs independent of it."""

import os
import threading
import time

import numpy as np
import pytest

from miner.embed.onnx import OnnxEmbedder
from miner.encoder import encode_documents, load_encoder
from miner.errors import InvalidConfig
from miner.runtime import THREADS_ENV, default_threads, run_sharded

TEXTS = [
    "Love it",
    "The bank feed stopped syncing after the update. Support never answered my ticket.",
    "Please add a dark mode, the white screen hurts at night.",
    "How do I export my invoices to CSV?",
    "Great product overall, however the website is painfully slow and the reports time out "
    "every single month when we close the books, which is exactly when we need them most.",
    "",
    "ok",
    "Crashes every time I open a receipt; I lost most of an afternoon to this.",
] * 3


def test_run_sharded_runs_every_item_once_and_a_slow_worker_never_holds_the_rest():
    done: list[int] = []
    by_thread: dict[str, list[int]] = {}
    lock = threading.Lock()

    def work(part):
        for item in part:
            if item == 0:
                time.sleep(0.5)  # one worker is slowed down (a busy machine)
            with lock:
                done.append(int(item))
                by_thread.setdefault(threading.current_thread().name, []).append(int(item))

    run_sharded(work, np.arange(40), threads=2)
    assert sorted(done) == list(range(40))
    slowed = next(items for items in by_thread.values() if 0 in items)
    # The other worker took on the rest meanwhile (fixed shards would split 20/20).
    assert len(slowed) < 10, by_thread


def test_encoder_output_does_not_depend_on_the_number_of_threads():
    one, _ = load_encoder(threads=1)
    two, _ = load_encoder(threads=3)  # more threads than this machine's cores
    alone, shared = encode_documents(one, TEXTS), encode_documents(two, TEXTS)
    for name in ("doc_proba", "doc_embedding", "doc_embedding_mid", "segment_proba"):
        assert np.array_equal(getattr(alone, name), getattr(shared, name)), name
    # Each repeat of a text gets exactly its first copy's values (no neighbour effect).
    assert np.array_equal(shared.doc_proba[:8], shared.doc_proba[16:])


def test_threads_default_to_the_usable_cpus_or_miner_threads(monkeypatch):
    monkeypatch.delenv(THREADS_ENV, raising=False)
    assert default_threads() == len(os.sched_getaffinity(0))
    monkeypatch.setenv(THREADS_ENV, "3")
    assert default_threads() == 3
    assert load_encoder()[0].threads == 3  # what a model loads with when not told
    for bad in ("0", "-2", "two", "1.5"):
        monkeypatch.setenv(THREADS_ENV, bad)
        with pytest.raises(InvalidConfig, match=THREADS_ENV):
            default_threads()


def test_embedder_vectors_do_not_depend_on_the_number_of_threads():
    texts = [t for t in TEXTS[:8] if t]
    one = OnnxEmbedder(threads=1).encode(texts)
    three = OnnxEmbedder(threads=3).encode(texts)
    assert np.array_equal(one, three)
