"""What a classifier trained on the clothing aspect labels reaches: the ceiling for themes.

Themes are found without labels; a logistic regression trained on the labels is an
upper bound for what any grouping of the same vectors can reach on them. Nested,
stratified cross-validation on the 354 labelled sentences (``bench/aspects/``): the
outer 10 folds score, the inner 5 folds of each training part choose the regularisation
C, so no figure is tuned on the sentences it is measured on. Prints accuracy and ARI
of the out-of-fold predictions for the embedder's vectors, TF-IDF word n-grams, and both.

    .venv/bin/python bench/aspects_ceiling.py          (needs ../shared)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.aspects import load_set, reviews_available  # noqa: E402

GRID = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)


def features(kind: str, texts: list[str], vectors: np.ndarray, train, test):
    """Train and test matrices of one feature kind (TF-IDF fitted on the train part)."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    if kind == "embedding":
        return vectors[train], vectors[test]
    tfidf = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    a = tfidf.fit_transform([texts[i] for i in train])
    b = tfidf.transform([texts[i] for i in test])
    if kind == "tf-idf":
        return a, b
    return (
        hstack([a, csr_matrix(vectors[train])]).tocsr(),
        hstack([b, csr_matrix(vectors[test])]).tocsr(),
    )


def nested(kind: str, texts: list[str], vectors: np.ndarray, labels: np.ndarray, seed: int):
    """Out-of-fold predictions (outer 10 folds) with C chosen by inner 5-fold accuracy."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    predicted = np.empty(len(labels), dtype=object)
    chosen = []
    outer = StratifiedKFold(10, shuffle=True, random_state=seed)
    for train, test in outer.split(texts, labels):
        inner = StratifiedKFold(5, shuffle=True, random_state=seed)
        scores = []
        for c in GRID:
            right = 0
            for a, b in inner.split(train, labels[train]):
                x_a, x_b = features(kind, texts, vectors, train[a], train[b])
                model = LogisticRegression(C=c, max_iter=5000).fit(x_a, labels[train[a]])
                right += int((model.predict(x_b) == labels[train[b]]).sum())
            scores.append(right)
        c = GRID[int(np.argmax(scores))]
        chosen.append(c)
        x_train, x_test = features(kind, texts, vectors, train, test)
        model = LogisticRegression(C=c, max_iter=5000).fit(x_train, labels[train])
        predicted[test] = model.predict(x_test)
    return predicted, chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not reviews_available():
        sys.exit("the clothing reviews are not in ../shared/data; nothing to measure")
    from sklearn.metrics import accuracy_score, adjusted_rand_score

    from miner.embed.onnx import OnnxEmbedder

    frame = load_set()
    texts = frame["text"].tolist()
    labels = frame["aspect"].to_numpy()
    vectors = OnnxEmbedder().encode(texts)
    print(f"{len(texts)} labelled sentences, {len(set(labels))} aspects; nested 10 x 5-fold CV")
    print(f"{'features':<22}{'accuracy':>9}{'ARI':>7}  C chosen per outer fold")
    for kind in ("embedding", "tf-idf", "tf-idf + embedding"):
        predicted, chosen = nested(kind, texts, vectors, labels, args.seed)
        accuracy = accuracy_score(labels, predicted)
        ari = adjusted_rand_score(labels, predicted)
        print(f"{kind:<22}{accuracy:9.3f}{ari:7.3f}  {', '.join(f'{c:g}' for c in chosen)}")


if __name__ == "__main__":
    main()
