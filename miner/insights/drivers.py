"""Score drivers: what each theme costs (or earns) the score, with bootstrap intervals.

The score is NPS (% promoters 9-10 - % detractors 0-6, -100..100) for an ``nps``
column, else the mean score. Each comment contributes ``y``: +100 promoter, -100
detractor, 0 passive for NPS (so NPS is the mean of ``y``), the score itself otherwise.

Two estimates per theme:

- **impact** (remove and recompute): the score of all comments minus the score of the
  comments that do not mention the theme. -3 means the theme's comments pull the score
  down by 3 points; without them it would be 3 points higher.
- **effect** (multivariable): least squares of ``y`` on an intercept and one 0/1
  column per theme (a comment mentioning several themes has several ones), so each
  coefficient is the theme's difference with the other themes held fixed. Reported as
  the coefficient minus the mention-weighted mean coefficient: how many points a
  comment mentioning the theme scores above or below one about an average theme. This
  contrast is estimable even when every comment has exactly one theme.

Both get percentile bootstrap 95% intervals: resampling customers (all of a customer's
comments together) when an id column is given, else comments; seeded. The resampling
is vectorised: comments are grouped by their set of themes ("pattern"); each
replicate's draw counts per unit (``bincount``) are multiplied with the sparse
unit x pattern matrix of counts and score sums, so a replicate costs one
sparse-dense product instead of a pass over the rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from miner import schema
from miner.insights.columns import customer_ids, parse_score
from miner.insights.stats import DEFAULT_MIN_N, analysed, mentions, themed
from miner.schema import DRIVER_COLUMNS

DEFAULT_N_BOOT = 1000
PROMOTER_MIN = 9
DETRACTOR_MAX = 6
# Resampling draws at most this many unit indices at once (bounds memory: 8 bytes each).
DRAW_BLOCK = 8_000_000
# Directions of the normal equations this much weaker than the strongest are treated
# as exactly flat (every comment with one theme leaves one), so rounding noise there
# is not blown up.
PINV_RTOL = 1e-10


def contributions(scores: np.ndarray, kind: str) -> np.ndarray:
    """Each comment's contribution to the score: NPS +100/0/-100, else the score; a
    missing score (NaN) stays missing, never a passive's 0."""
    scores = np.asarray(scores, dtype=np.float64)
    if kind != "nps":
        return scores
    nps = np.where(scores >= PROMOTER_MIN, 100.0, np.where(scores <= DETRACTOR_MAX, -100.0, 0.0))
    return np.where(np.isnan(scores), np.nan, nps)


def score_summary(
    documents: pd.DataFrame,
    score_col: str,
    kind: str = "nps",
    min_n: int = DEFAULT_MIN_N,
    every_row: bool = False,
) -> dict:
    """The overall score of the analysed comments with a valid score (``every_row``: of
    every row with a valid score, its comment empty or not, as a survey tool counts it).

    Keys: ``score`` (NPS or mean; NaN below min_n), ``n``, ``invalid``, ``too_few``
    and, for NPS, ``promoters``, ``passives``, ``detractors`` (shares, 0..1). The
    analysed comments are those in the language themes read (:func:`themed`), the base
    of the drivers; ``in_english`` says when comments in other languages were left out.
    """
    rows = documents if every_row else themed(documents)
    parsed = parse_score(rows[score_col], kind)
    values = parsed.values.dropna().to_numpy()
    n = len(values)
    y = contributions(values, kind)
    summary = {
        "score": float(y.mean()) if n >= max(min_n, 1) else float("nan"),
        "n": n,
        "invalid": parsed.invalid,
        "too_few": n < min_n,
    }
    if kind == "nps" and n:
        summary["promoters"] = float((values >= PROMOTER_MIN).mean())
        summary["detractors"] = float((values <= DETRACTOR_MAX).mean())
        summary["passives"] = float(((values > DETRACTOR_MAX) & (values < PROMOTER_MIN)).mean())
    if not every_row and len(rows) < len(analysed(documents)):
        summary["in_english"] = True
    return summary


def drivers(
    documents: pd.DataFrame,
    score_col: str,
    kind: str = "nps",
    id_col: str | None = None,
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = 0,
    min_n: int = DEFAULT_MIN_N,
    level: float = 0.95,
    areas: Mapping[int, int] | None = None,
    held: Sequence[str] = (),
) -> pd.DataFrame:
    """One row per theme, most negative impact first (see the module docstring); with
    ``areas`` (theme id -> area id) one per area, in column ``theme_id``.

    Columns: ``theme_id``, ``comments`` (analysed comments with a valid score that
    mention the theme), ``voices`` (their customers with ``id_col``, else comments),
    ``score`` (all analysed comments with a valid score; NaN when fewer than min_n),
    ``score_comments`` (their number: the score's n), ``score_without`` (without the theme's),
    ``impact`` = score - score_without, ``impact_low``/``impact_high`` (bootstrap
    interval), ``effect``, ``effect_low``/``effect_high``, ``too_few`` (comments <
    min_n: figures NaN) and ``rank`` (1 = most negative impact; NaN when too few).
    ``held``: columns of ``documents`` (segments: plan, region) the effect holds fixed
    beside the other themes (a value missing is a value of its own).

    Only the comments in the language themes read count (:func:`themed`): a comment in
    another language has no theme by design, and counted "without" every theme it had
    diluted each impact (by a tenth where a tenth of the reviews were French or German).
    """
    rows = themed(documents)
    scores = parse_score(rows[score_col], kind).values.to_numpy(dtype=np.float64)
    valid = ~np.isnan(scores)
    rows, y = rows[valid], contributions(scores[valid], kind)
    if not len(rows):
        return pd.DataFrame(columns=list(DRIVER_COLUMNS))
    units = _units(rows, id_col)
    themes, patterns, pattern_of = _patterns(rows, areas)
    model = _Model(*_cells(patterns, pattern_of, rows, held))
    by_unit = _unit_pattern_matrix(units, model.cell_of, y, model.cells)
    counts = np.asarray(by_unit[:, : model.cells].sum(axis=0)).ravel()
    sums = np.asarray(by_unit[:, model.cells :].sum(axis=0)).ravel()
    point = _estimates(counts[None], sums[None], model)
    boot = _bootstrap(by_unit, model, units.max() + 1 if len(units) else 0, n_boot, seed)
    tail = (1 - level) / 2 * 100
    mentioned = model.present.T @ counts
    voices = _voices(by_unit, model.present)
    too_few = (mentioned < min_n) | (len(y) < min_n)
    table = pd.DataFrame({"theme_id": themes, "comments": mentioned.astype(np.int64)})
    table["voices"] = voices
    table["score"] = point["score"][0] if len(y) >= max(min_n, 1) else np.nan
    table["score_comments"] = len(y)
    table["score_without"] = point["score_without"][0]
    for name in ("impact", "effect"):
        table[name] = point[name][0]
        low, high = _interval(boot[name], tail)
        table[f"{name}_low"], table[f"{name}_high"] = low, high
    figures = ["score_without", "impact", "impact_low", "impact_high"]
    figures += ["effect", "effect_low", "effect_high"]
    table.loc[too_few, figures] = np.nan
    table["too_few"] = too_few
    table = table.sort_values(["too_few", "impact", "theme_id"], kind="stable", na_position="last")
    ranked = (~table["too_few"]).cumsum()
    table["rank"] = ranked.where(~table["too_few"]).astype("Int64")
    return table[list(DRIVER_COLUMNS)].reset_index(drop=True)


def _units(rows: pd.DataFrame, id_col: str | None) -> np.ndarray:
    """The resampling unit of each row: its customer (with an id column) or itself."""
    if id_col is None:
        return np.arange(len(rows))
    codes, _ = pd.factorize(customer_ids(rows[id_col]))
    # A row without a customer id is its own unit.
    missing = codes < 0
    codes[missing] = codes.max() + 1 + np.arange(int(missing.sum()))
    return codes.astype(np.int64)


def _patterns(
    rows: pd.DataFrame, areas: Mapping[int, int] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Themes (sorted ids), distinct theme sets (patterns x themes, 0/1) and each row's set."""
    pairs = mentions(rows, "theme_id", areas)
    themes = np.sort(pairs["theme_id"].unique())
    indicator = np.zeros((len(rows), len(themes)), dtype=np.uint8)
    indicator[pairs["pos"].to_numpy(), np.searchsorted(themes, pairs["theme_id"].to_numpy())] = 1
    # Rows as packed bit keys: sorting 8-byte words is far faster than rows of bytes.
    packed = np.packbits(indicator, axis=1)
    width = -(-packed.shape[1] // 8) * 8
    packed = np.pad(packed, ((0, 0), (0, width - packed.shape[1])))
    keys = np.ascontiguousarray(packed).view(np.uint64)
    if keys.shape[1] == 1:
        distinct, pattern_of = np.unique(keys[:, 0], return_inverse=True)
        distinct = distinct[:, None]
    else:
        distinct, pattern_of = np.unique(keys, axis=0, return_inverse=True)
    bits = np.unpackbits(distinct.view(np.uint8).reshape(len(distinct), -1), axis=1)
    patterns = bits[:, : len(themes)]
    return themes, patterns, pattern_of.ravel()


def _unit_pattern_matrix(units, pattern_of, y, n_patterns) -> sparse.csr_matrix:
    """Sparse units x (2 x patterns): comment counts, then score sums, per unit and pattern."""
    n_units = int(units.max()) + 1 if len(units) else 0
    rows = np.concatenate([units, units])
    cols = np.concatenate([pattern_of, pattern_of + n_patterns])
    data = np.concatenate([np.ones(len(y)), y])
    matrix = sparse.coo_matrix((data, (rows, cols)), shape=(n_units, 2 * n_patterns))
    return matrix.tocsr()


def _voices(by_unit: sparse.csr_matrix, patterns: np.ndarray) -> np.ndarray:
    """Distinct units (customers or comments) mentioning each theme."""
    has_pattern = (by_unit[:, : len(patterns)] > 0).astype(np.float64)
    per_theme = has_pattern @ sparse.csr_matrix(patterns.astype(np.float64))
    return np.asarray((per_theme > 0).sum(axis=0)).ravel().astype(np.int64)


def _bootstrap(by_unit, model: _Model, n_units, n_boot, seed) -> dict[str, np.ndarray]:
    """Impact and effect of every theme in each of ``n_boot`` resamples of the units."""
    rng = np.random.default_rng(seed)
    n_patterns = model.cells
    if n_boot < 1 or n_units == 0:
        empty = np.full((0, model.present.shape[1]), np.nan)
        return {"impact": empty, "effect": empty}
    block = max(1, min(n_boot, DRAW_BLOCK // n_units, DRAW_BLOCK // (2 * n_patterns)))
    transposed = by_unit.T.tocsr()
    results: dict[str, list[np.ndarray]] = {"impact": [], "effect": []}
    for start in range(0, n_boot, block):
        size = min(block, n_boot - start)
        draws = rng.integers(0, n_units, size=(size, n_units))
        # Cell (unit, replicate): a C-ordered units x replicates matrix of draw counts.
        draws *= size
        draws += np.arange(size)[:, None]
        weights = np.bincount(draws.ravel(), minlength=size * n_units).astype(np.float64)
        del draws
        totals = (transposed @ weights.reshape(n_units, size)).T
        estimates = _estimates(totals[:, :n_patterns], totals[:, n_patterns:], model)
        for name in results:
            results[name].append(estimates[name])
    return {name: np.concatenate(parts) for name, parts in results.items()}


class _Model:
    """The least-squares design over cells (comments sharing a set of themes and the
    values of the held columns): theme indicators ``present`` (cells x themes), the
    held part ``design`` (cells x held: an intercept, then one 0/1 column per value
    of each held column but its first), and each cell's row-wise products of them
    (sparse), so a replicate's normal equations are one sparse product per block."""

    def __init__(self, present: np.ndarray, design: np.ndarray, cell_of: np.ndarray):
        self.present = present.astype(np.float64)
        self.design = design.astype(np.float64)
        self.cell_of = cell_of
        self.cells = len(present)
        self.themes, self.held = present.shape[1], design.shape[1]
        self.theme_theme = _row_products(self.present, self.present)
        self.theme_held = _row_products(self.present, self.design)
        self.held_held = _row_products(self.design, self.design)


def _row_products(left: np.ndarray, right: np.ndarray) -> sparse.csc_matrix:
    """Cells x (left columns * right columns): each cell's outer product, flattened."""
    a, b = sparse.csr_matrix(left), sparse.csr_matrix(right)
    n = a.shape[0]
    a_rows = np.repeat(np.arange(n), np.diff(a.indptr))
    repeat = np.diff(b.indptr)[a_rows]
    rows = np.repeat(a_rows, repeat)
    first = np.repeat(b.indptr[a_rows], repeat)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    at = first + offset
    cols = np.repeat(a.indices, repeat) * b.shape[1] + b.indices[at]
    values = np.repeat(a.data, repeat) * b.data[at]
    shape = (n, a.shape[1] * b.shape[1])
    return sparse.csc_matrix((values, (rows, cols)), shape=shape)


def _cells(
    patterns: np.ndarray, pattern_of: np.ndarray, rows: pd.DataFrame, held: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Theme indicators and held design per cell, and each row's cell (see :class:`_Model`);
    without ``held`` the cells are the theme sets."""
    if not held:
        return patterns, np.ones((len(patterns), 1)), pattern_of
    codes = [pattern_of]
    for column in held:
        values = rows[column].astype("string")
        codes.append(pd.factorize(values, use_na_sentinel=False)[0].astype(np.int64))
    distinct, cell_of = np.unique(np.column_stack(codes), axis=0, return_inverse=True)
    parts = [np.ones((len(distinct), 1))]
    for position, code in enumerate(codes[1:], start=1):
        dummies = np.zeros((len(distinct), max(int(code.max()), 0)))
        hit = np.flatnonzero(distinct[:, position] > 0)
        dummies[hit, distinct[hit, position] - 1] = 1
        parts.append(dummies)
    return patterns[distinct[:, 0]], np.hstack(parts), cell_of.ravel()


def _estimates(counts: np.ndarray, sums: np.ndarray, model: _Model) -> dict:
    """Score, score without each theme, impact and effect from per-cell totals.

    ``counts`` and ``sums``: (replicates, cells) comment counts and ``y`` sums.
    """
    present = model.present
    absent = 1 - present
    with np.errstate(invalid="ignore", divide="ignore"):
        score = sums.sum(axis=1) / counts.sum(axis=1)
        without = (sums @ absent) / (counts @ absent)
    return {
        "score": score,
        "score_without": without,
        "impact": score[:, None] - without,
        "effect": _effects(counts, sums, model),
    }


def _effects(counts: np.ndarray, sums: np.ndarray, model: _Model) -> np.ndarray:
    """Least-squares theme effects per replicate, as contrasts to the average theme.

    Weighted normal equations over cells (a cell's rows share one design row) of ``y``
    on the theme indicators T and the held design S (an intercept and the held
    columns' values), solved for the themes by partialling S out (Frisch-Waugh-Lovell):
    ``(T'WT - T'WS (S'WS)+ S'WT) b = T'Wy - T'WS (S'WS)+ S'Wy``. Pseudo-inverses give
    one solution; the reported contrast (coefficient minus the mention-weighted mean
    coefficient) is the same for every solution.
    """
    replicates, t, s = len(counts), model.themes, model.held

    def normal(products, rows, cols):
        flat = products.T @ counts.T  # (rows * cols, replicates)
        return np.ascontiguousarray(np.asarray(flat).T).reshape(replicates, rows, cols)

    theme_theme = normal(model.theme_theme, t, t)
    theme_held = normal(model.theme_held, t, s)
    held_held = normal(model.held_held, s, s)
    theme_y, held_y = sums @ model.present, sums @ model.design
    project = theme_held @ np.linalg.pinv(held_held, rtol=PINV_RTOL, hermitian=True)
    gram = theme_theme - project @ theme_held.transpose(0, 2, 1)
    rhs = theme_y - np.einsum("bts,bs->bt", project, held_y)
    coef = np.einsum("bij,bj->bi", np.linalg.pinv(gram, rtol=PINV_RTOL, hermitian=True), rhs)
    weights = counts @ model.present
    with np.errstate(invalid="ignore", divide="ignore"):
        weights = weights / weights.sum(axis=1, keepdims=True)
    return coef - (coef * weights).sum(axis=1, keepdims=True)


def _interval(samples: np.ndarray, tail: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval per column; NaN without replicates."""
    if samples.shape[0] == 0:
        nan = np.full(samples.shape[1], np.nan)
        return nan, nan
    low, high = np.nanpercentile(samples, [tail, 100 - tail], axis=0)
    return low, high


def overall_score(drivers_info: dict, key: str = "score") -> str:
    """The run's score as shown: NPS with its sign ("-44.6"; it runs -100..+100), a
    mean CSAT or rating without one ("4.31"), a share rated good in % ("81.5%"), "too
    few" below the minimum. ``key``
    ``all_score``: of every response with a valid score."""
    score = drivers_info["score"].get(key)
    if score is None or pd.isna(score):
        return schema.TOO_FEW
    kind = drivers_info["score_type"]
    if kind == "good_bad":  # a share, in %
        return f"{score:.1f}%"
    return f"{score:+.1f}" if kind == "nps" else f"{score:.2f}"


# A score whose agreement with the comments' sentiment is this or below (Spearman's rank
# correlation, over at least AGAINST_MIN_N comments) is said to run against them.
AGAINST_RHO = -0.2
AGAINST_MIN_N = 50


def sentiment_agreement(scores: pd.Series, sentiment_scores: pd.Series) -> dict | None:
    """Spearman's rank correlation of a score with the comments' sentiment scores, and
    its n (comments with both), or None below :data:`AGAINST_MIN_N`."""
    pairs = pd.DataFrame(
        {"score": pd.to_numeric(scores, errors="coerce").to_numpy(),
         "sentiment": pd.to_numeric(sentiment_scores, errors="coerce").to_numpy()}
    ).dropna()  # fmt: skip
    if len(pairs) < AGAINST_MIN_N or pairs["score"].nunique() < 2:
        return None
    rho = pairs["score"].rank().corr(pairs["sentiment"].rank())
    return None if pd.isna(rho) else {"rho": round(float(rho), 3), "n": len(pairs)}


def against_sentiment_line(drivers_info: Mapping) -> str:
    """A warning when the score runs against what its comments say (a survey whose 1 is
    the best answer, as the NHS Friends and Family Test's "very good": its praise
    themes had pulled the score down and A&E had been the best ward), else ""."""
    agreement = drivers_info.get("sentiment_agreement")
    if not agreement or agreement["rho"] > AGAINST_RHO:
        return ""
    return (
        f"The score runs against what the comments say: the higher it is, the more "
        f"negative they read (Spearman's rho {agreement['rho']:+.2f} over "
        f"{agreement['n']:,} comments). If its lowest value is the best answer (1 = very "
        "good), every driver, segment and roadmap impact reads the wrong way round: fit "
        "again with --score-reversed"
    )


def score_line(drivers_info: dict) -> str:
    """The run's score with its n: of every response with a valid score when some of
    them have no comment analysed (blank, "n/a", another language: a survey tool
    counts them), then of the analysed comments, the base of drivers and segments (the
    drivers' of those in English when some are in other languages)."""
    score = drivers_info["score"]
    name = schema.score_name(drivers_info["score_type"], capital=True)
    english = " in English" if score.get("in_english") else ""
    analysed_part = (
        f"{overall_score(drivers_info)} of the {score['n']:,} analysed comments{english}"
    )
    if drivers_info.get("score_unit") == "respondents":  # several questions each
        analysed_part = (
            f"{overall_score(drivers_info)} of the {score['n']:,} respondents with an "
            f"analysed answer{english}"
        )
    if score.get("all_n"):
        return (
            f"{name} {overall_score(drivers_info, 'all_score')} of all {score['all_n']:,} "
            f"responses with a valid score; {analysed_part} "
            f"({'the base of the drivers' if english else 'the base of drivers and segments'})"
        )
    return f"{name} {analysed_part} with a valid score"
