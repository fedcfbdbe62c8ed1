"""New topics: comments no fitted theme explains, clustered and described.

``miner score --model`` marks each comment far from everything the model was fitted
on (``theme_novel``: unassigned, or its nearest training comment is less similar than
the model's novelty threshold). :class:`NoveltyWatch` collects those comments while
scoring; :func:`find_new_topics` clusters them with miner's own theme model
(:class:`miner.themes.ThemeModel`: spectral clustering, c-TF-IDF labels) and keeps a
cluster as a **new topic** when

- it holds at least ``NEW_TOPIC_MIN_COMMENTS`` distinct comments, and
- most of its comments (``NEW_TOPIC_FAR_SHARE``) are far from every training comment,
  not merely close to comments the model saw and left unassigned ("ok", "n/a"):
  those are old noise, not a new topic.

Each topic has a label, keywords, its size and share of the analysed comments, and
example quotes (``masked_text``: personal data masked), most central first.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from miner.clean import duplicate_key
from miner.language import is_default_language
from miner.schema import ANALYSED, STATUS_OK, counted

# A cluster of novel comments is reported as a new topic from this many comments on.
NEW_TOPIC_MIN_COMMENTS = 20
# ... when at least this share of them is far from every training comment.
NEW_TOPIC_FAR_SHARE = 0.5
# Example quotes per topic.
NEW_TOPIC_EXAMPLES = 3
# Novel comments kept to describe them (a seeded reservoir beyond that): clustering
# them is the last step of a large `miner score`, and this bounds its memory. Beyond it
# the topics' sizes are estimates (the sample's counts scaled up to every novel comment).
# A topic holding 0.8% of the novel comments still has the 20 it needs in the sample.
# Clustering 2,519 took 76 MB (traced, 11.5 s) against 129 MB (16.6 s) for 5,000; at
# 50,000 rows of bench/score_scale.py about 2,500 are novel, so from there on the step
# costs the same.
NOVEL_KEEP = 2500


def find_new_topics(
    texts: Sequence[str],
    quotes: Sequence[str],
    row_ids: Sequence[int],
    vectors: np.ndarray,
    theme_model,
    analysed: int,
    seed: int = 42,
    embed: Callable[[list[str]], np.ndarray] | None = None,
    min_comments: int = NEW_TOPIC_MIN_COMMENTS,
    examples: int = NEW_TOPIC_EXAMPLES,
    scale: float = 1.0,
    weights: Sequence[float] | None = None,
) -> list[dict]:
    """New topics among novel comments, largest first (see the module).

    ``texts`` are the comments, ``quotes`` what may be shown of them (masked),
    ``row_ids`` their rows, ``vectors`` their embeddings; ``theme_model`` is the fitted
    model that found them novel; ``analysed`` the number of analysed comments scored
    (the share's denominator); ``scale`` the novel comments each of ``texts`` stands for
    (above 1 when they are a sample: sizes are then estimates, ``row_ids`` the sample's);
    ``weights`` the rows each text stands for (itself and its duplicates: a topic's size
    counts comments, as the share's denominator does; clustering reads each text once).
    Each topic: ``topic`` (0 = largest), ``label``, ``keywords``, ``comments``,
    ``share``, ``far_share``, ``examples``, ``row_ids``.
    """
    from miner.themes import ThemeModel

    texts = list(texts)
    if len(texts) < min_comments:
        return []
    weights = np.ones(len(texts)) if weights is None else np.asarray(weights, dtype=float)
    vectors = np.asarray(vectors, dtype=np.float32)
    if embed is not None:
        # A comment about two known themes is far from every training comment as a
        # whole, yet each of its sentences is close to one: no new topic.
        keep = ~explained_by_sentences(texts, theme_model, embed)
        if not keep.all():
            texts = [t for t, k in zip(texts, keep, strict=True) if k]
            quotes = [q for q, k in zip(quotes, keep, strict=True) if k]
            row_ids = [r for r, k in zip(row_ids, keep, strict=True) if k]
            vectors, weights = vectors[keep], weights[keep]
            if len(texts) < min_comments:
                return []
    # A cluster smaller than a topic is never one: clustered at that minimum size,
    # 31 comments on one new subject stay together (at the adaptive size they were
    # cut into clusters of 5-12, and no topic was reported).
    clusters = ThemeModel(seed=seed, min_theme_size=min_comments).fit(texts, vectors, embed=embed)
    _, _, nearest = theme_model.transform(vectors, return_nearest=True)
    far = nearest < theme_model.novelty_threshold_
    topics = []
    for theme in clusters.themes_.itertuples(index=False):
        members = np.flatnonzero(clusters.labels_ == theme.theme_id)
        comments = int(round(weights[members].sum() * scale))
        if comments < min_comments or far[members].mean() < NEW_TOPIC_FAR_SHARE:
            continue
        # ThemeModel lists representatives most central first.
        shown = [int(i) for i in theme.representatives][:examples]
        topics.append(
            {
                "topic": len(topics),
                "label": str(theme.label),
                "keywords": [str(k) for k in theme.keywords],
                "comments": comments,
                "share": comments / analysed if analysed else 0.0,
                "far_share": round(float(far[members].mean()), 4),
                "examples": [str(quotes[i]) for i in shown],
                "row_ids": sorted(int(row_ids[i]) for i in members),
            }
        )
    return topics


# Sentences with fewer content words than this ("Ugh.", "but it is not.") say no topic
# of their own.
MIN_TOPIC_WORDS = 2
# A run-on line joining two points with "also" ("engineer appointment cancelled on the
# day also i want to switch to a fixed tariff"): each side is read as a sentence (a
# night's false "new topic" had been 18 such lines of two known issues). Not after a
# subject or a verb's helper ("it also crashes", "I would also like").
RUN_ON_ALSO = re.compile(
    r"(?i)(?<!\bi)(?<!\bwe)(?<!\byou)(?<!\bthey)(?<!\bit)(?<!\bhe)(?<!\bshe)"
    r"(?<!\bis)(?<!\bare)(?<!\bwas)(?<!\bwere)(?<!\bcan)(?<!\bwould)(?<!\bwill)"
    r"(?<!\bshould)(?<!\bhave)(?<!\bhas)(?<!\bthat)(?<!\bwhich)"
    r"\s*[,;]?\s+(?:and\s+)?also\b[,]?\s+"
)


def explained_by_sentences(texts: Sequence[str], theme_model, embed) -> np.ndarray:
    """For each text, whether it has two or more sentences of ``MIN_TOPIC_WORDS`` content
    words or more and each is close to a training comment of ``theme_model`` (not
    novel): a comment that combines known themes."""
    from miner.sentences import split_sentences
    from miner.themes.labels import STOPWORDS

    def content(sentence: str) -> int:
        return sum(w.strip(".,!?;:'\"()").casefold() not in STOPWORDS for w in sentence.split())

    owners, sentences = [], []
    for index, text in enumerate(texts):
        pieces = [p for s in split_sentences(text) for p in RUN_ON_ALSO.split(s)]
        parts = [p for p in pieces if content(p) >= MIN_TOPIC_WORDS]
        if len(parts) >= 2:
            owners += [index] * len(parts)
            sentences += parts
    explained = np.zeros(len(texts), dtype=bool)
    if not sentences:
        return explained
    _, _, nearest = theme_model.transform(np.asarray(embed(sentences)), return_nearest=True)
    near = pd.Series(nearest >= theme_model.novelty_threshold_).groupby(owners).all()
    explained[near.index.to_numpy()] = near.to_numpy()
    return explained


def new_topics_since(
    theme_model,
    texts: Sequence[str],
    quotes: Sequence[str],
    row_ids: Sequence[int],
    vectors: np.ndarray,
    analysed: int,
    seed: int = 42,
    embed: Callable[[list[str]], np.ndarray] | None = None,
) -> dict:
    """What ``theme_model`` (an earlier run's) does not explain among these comments:
    the novelty counts and the new topics, as in the sidecar of ``miner score``.

    ``texts``, ``quotes``, ``row_ids`` and ``vectors`` are the distinct comments of the
    new data (one per analysed text); ``analysed`` counts every analysed comment.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    labels, _, nearest = theme_model.transform(vectors, return_nearest=True)
    novel = np.flatnonzero((labels < 0) | (nearest < theme_model.novelty_threshold_))
    topics = find_new_topics(
        [texts[i] for i in novel],
        [quotes[i] for i in novel],
        [int(row_ids[i]) for i in novel],
        vectors[novel],
        theme_model,
        analysed,
        seed=seed,
        embed=embed,
    )
    return new_topics_payload(analysed, len(novel), topics)


def new_topics_payload(
    analysed: int,
    novel: int,
    topics: list[dict],
    clustered: int | None = None,
    other_languages: dict[str, int] | None = None,
) -> dict:
    """Counts, the rules and the topics: the sidecar's and run.json's ``new_topics``.
    ``clustered``: the novel comments the topics were found in (fewer than the distinct
    novel ones when a large file's were sampled; every one when not given);
    ``other_languages``: analysed comments in languages themes do not read, per
    language (``novel_share`` is of the others, ``english``)."""
    read = analysed - sum((other_languages or {}).values())
    payload = {
        "analysed": int(analysed),
        "novel": int(novel),
        "novel_share": novel / read if read > 0 else 0.0,
        "clustered": int(novel if clustered is None else clustered),
        "min_comments": NEW_TOPIC_MIN_COMMENTS,
        "far_share": NEW_TOPIC_FAR_SHARE,
        "topics": topics,
    }
    if other_languages:
        payload["other_languages"] = {k: int(v) for k, v in other_languages.items()}
        payload["english"] = int(read)  # novel_share's n
    return payload


class NoveltyWatch:
    """Counts comments far from every theme while scoring; finds what is new.

    ``add`` each scored chunk (the documents table); ``summary`` gives the lines for
    the user and sets ``new_topics_`` (see :func:`find_new_topics`). Keeps at most
    ``keep`` novel comments (a seeded reservoir) to cluster.
    """

    def __init__(self, refit_share: float = 0.15, keep: int = NOVEL_KEEP, seed: int = 0):
        self.refit_share = refit_share
        self.keep = keep
        self.analysed = 0
        self.novel = 0
        self.kept: list[tuple[int, str, str]] = []  # (row_id, text, masked text)
        # Novel rows per distinct text (by a digest of its words), duplicates included: a
        # new topic's size counts comments (a subject said in 4,331 rows in 111 wordings
        # had been "111 comments (0.1%)").
        self.rows: Counter[str] = Counter()
        self._rows_offered = 0
        # Novel comments given a theme all the same (the nearest), per theme label.
        self.absorbed: Counter[str] = Counter()
        # Analysed comments in languages the themes do not read: no theme, never novel.
        self.languages: Counter[str] = Counter()
        self._offered = 0
        self._rng = random.Random(seed)

    def add(self, documents: pd.DataFrame, text_col: str) -> None:
        analysed = documents["status"].isin(ANALYSED)
        self.analysed += int(analysed.sum())
        if "language" in documents.columns:
            languages = documents.loc[analysed, "language"]
            other = ~is_default_language(languages)
            self.languages.update(languages[other].astype(str))
        if "theme_novel" not in documents.columns:
            return
        novel = analysed & documents["theme_novel"].astype(bool)
        self.novel += int(novel.sum())
        themed = documents.loc[novel & (documents["theme_id"] >= 0), "theme_label"]
        self.absorbed.update(themed.astype(str))
        said = documents.loc[novel & documents["status"].isin(ANALYSED)]
        words = said["masked_text"] if "masked_text" in said else said[text_col]
        keys = [_text_key(text) for text in words.astype(str).tolist()]
        self.rows.update(keys)
        self._rows_offered += len(keys)
        distinct = documents.loc[novel & (documents["status"] == STATUS_OK)]
        masked = distinct["masked_text"] if "masked_text" in distinct else distinct[text_col]
        for row_id, text, quote in zip(
            distinct["row_id"].tolist(),
            distinct[text_col].astype(str).tolist(),
            masked.astype(str).tolist(),
            strict=True,
        ):
            self._offered += 1
            if len(self.kept) < self.keep:
                self.kept.append((int(row_id), text, quote))
            else:
                slot = self._rng.randrange(self._offered)
                if slot < self.keep:
                    self.kept[slot] = (int(row_id), text, quote)

    def state(self) -> dict:
        """What was counted and kept so far, as JSON values (see :meth:`restore`)."""
        version, internal, gauss = self._rng.getstate()
        return {
            "analysed": self.analysed,
            "novel": self.novel,
            "kept": [list(item) for item in self.kept],
            "offered": self._offered,
            "absorbed": dict(self.absorbed),
            "languages": dict(self.languages),
            "rows": dict(self.rows),
            "rows_offered": self._rows_offered,
            "rng": [version, list(internal), gauss],
        }

    def restore(self, state: dict) -> NoveltyWatch:
        """Carry on from :meth:`state` (a resumed `miner score`); returns self."""
        self.analysed, self.novel = int(state["analysed"]), int(state["novel"])
        self.kept = [(int(row), str(text), str(quote)) for row, text, quote in state["kept"]]
        self._offered = int(state["offered"])
        self.absorbed = Counter({str(k): int(v) for k, v in state.get("absorbed", {}).items()})
        self.languages = Counter({str(k): int(v) for k, v in state.get("languages", {}).items()})
        self.rows = Counter({str(k): int(v) for k, v in state.get("rows", {}).items()})
        self._rows_offered = int(state.get("rows_offered", 0))
        version, internal, gauss = state["rng"]
        self._rng.setstate((version, tuple(internal), gauss))
        return self

    @property
    def read(self) -> int:
        """Analysed comments in the language themes read (the base of the shares)."""
        return self.analysed - sum(self.languages.values())

    @property
    def share(self) -> float:
        return self.novel / self.read if self.read > 0 else 0.0

    def new_topics(self, miner) -> list[dict]:
        """The new topics among the novel comments seen (``miner``: the scoring model)."""
        if len(self.kept) < NEW_TOPIC_MIN_COMMENTS:
            return []
        kept = sorted(self.kept)  # row order: the same topics however chunks came
        texts = [text for _, text, _ in kept]
        # Each kept text counts its rows; scaled up when the kept texts are a sample.
        weights = [max(self.rows.get(_text_key(quote), 1), 1) for _, _, quote in kept]
        offered = self._rows_offered or self._offered
        scale = offered / sum(weights)  # 1 unless the kept comments are a sample
        encode = miner._embedder().encode
        return find_new_topics(
            texts,
            [quote for _, _, quote in kept],
            [row for row, _, _ in kept],
            encode(texts),
            miner.theme_model_,
            self.read,
            seed=miner.seed,
            embed=encode,
            scale=scale,
            weights=weights,
        )

    def payload(self, topics: list[dict]) -> dict:
        """The sidecar's content: counts, the rules and the topics."""
        return new_topics_payload(
            self.analysed, self.novel, topics, len(self.kept), dict(self.languages)
        )

    def summary(self, topics: list[dict]) -> list[str]:
        """Lines for the user: the share far from every theme, the new topics, and
        whether to refit."""
        lines = []
        if self.languages:
            # They get no theme, sentiment or kind: "0 far from every theme" alone had
            # read as "everything fits" for a month of 140 of 180 in other languages.
            found = ", ".join(f"{lang} {n:,}" for lang, n in self.languages.most_common(5))
            if len(self.languages) > 5:
                found += f" and {len(self.languages) - 5} more"
            lines.append(
                f"{sum(self.languages.values()):,} of {self.analysed:,} analysed comments are "
                f"in other languages ({found}): kept, with no theme, sentiment or kind "
                "(miner's themes and heads read English)"
            )
        of = f" of the {self.read:,} in English" if self.languages else ""
        if self.languages and not self.read:
            lines.append("No comment is in English: none is compared with the themes")
        else:
            lines.append(
                f"{counted(self.novel, 'comment')} ({self.share:.1%}{of}) "
                f"{'is' if self.novel == 1 else 'are'} far from every theme"
            )
        themed = sum(self.absorbed.values())
        if themed:
            # Their theme is the nearest one's: it counts them unless told apart.
            most = ", ".join(f"{label} {n:,}" for label, n in self.absorbed.most_common(3))
            lines[-1] += (
                f"; {themed:,} of them still carry the nearest theme (most: {most}), "
                "marked in the theme_novel column: leave them out of theme counts by it"
            )
        lines += new_topic_lines(topics)
        if topics and len(self.kept) < self._offered:
            lines.append(
                f"  (sizes estimated from a sample of {len(self.kept):,} of the "
                f"{self._offered:,} distinct comments far from every theme)"
            )
        if self.share > self.refit_share:
            lines.append(
                f"That is more than {self.refit_share:.0%}: the data has moved on; refit the "
                "model with `miner fit` on recent data (--previous keeps theme ids)."
            )
        return lines


def _text_key(text: str) -> str:
    """A comment's duplicate key (:func:`miner.clean.duplicate_key`, case and spacing
    aside), as text for the resumable state."""
    return duplicate_key(" ".join(str(text).split())).hex()


def new_topic_lines(topics: list[dict], quotes: int = 1) -> list[str]:
    """One line per new topic (label, size, share) and its first example quotes."""
    if not topics:
        return []
    lines = [f"New topics (clusters of {NEW_TOPIC_MIN_COMMENTS}+ comments no theme explains):"]
    for topic in topics:
        lines.append(f"  - {topic['label']}: {topic['comments']:,} comments ({topic['share']:.1%})")
        for quote in topic["examples"][:quotes]:
            lines.append(f'      "{_shorten(quote)}"')
    return lines


def _shorten(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
