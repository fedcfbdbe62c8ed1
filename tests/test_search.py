"""Search and the comment map on the demo run: by words, by meaning, within filters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from miner import schema, search
from miner.persist import load_run
from miner.themes.layout import comment_map


@pytest.fixture(scope="module")
def demo(demo_fit):
    """The fitted demo miner, its run (float16 embeddings as saved) and the truth."""
    miner, _, truth = demo_fit
    return miner, miner.run_, truth.reset_index(drop=True)


def _truth_of(truth: pd.DataFrame, found: pd.DataFrame) -> pd.Series:
    return truth["theme"].iloc[found["row_id"].to_numpy()].reset_index(drop=True)


def test_the_map_places_every_distinct_comment_and_themes_apart(demo):
    miner, run, _ = demo
    documents = run.documents
    ok = documents.loc[documents["status"] == schema.STATUS_OK, "row_id"]
    assert set(run.map["row_id"]) == set(ok)
    keys = schema.OPTIONAL_KEY_COLUMNS  # one text column, one batch
    assert list(run.map.columns) == [c for c in schema.MAP_COLUMNS if c not in keys]
    assert np.isfinite(run.map[["x", "y"]].to_numpy()).all()
    assert run.embeddings.dtype == np.float16 and len(run.embeddings) == len(run.map)
    themes = documents.set_index("row_id").loc[run.map["row_id"], "theme_id"].to_numpy()
    vectors = run.embeddings.astype(np.float32)
    x, y = comment_map(vectors, themes, seed=42)
    again = comment_map(vectors, themes, seed=42)
    assert np.array_equal(x, again[0]) and np.array_equal(y, again[1])
    # A comment is nearer its own theme's centre on the map than any other theme's.
    xy = run.map[["x", "y"]].to_numpy()
    kept = themes >= 0
    ids = np.unique(themes[kept])
    centres = np.stack([xy[themes == t].mean(axis=0) for t in ids])
    nearest = ids[np.linalg.norm(xy[kept, None] - centres[None], axis=2).argmin(axis=1)]
    assert (nearest == themes[kept]).mean() > 0.9


def test_search_by_meaning_finds_the_planted_crash_comments(demo):
    miner, run, truth = demo
    vector = miner._embedder().encode(["the app crashes every time I open it on my phone"])[0]
    found = search.similar_rows(run, vector, run.embeddings, limit=30)
    assert len(found) == 30 and found["similarity"].is_monotonic_decreasing
    assert (_truth_of(truth, found) == "Mobile app crashes").mean() >= 0.8


def test_comments_like_this_one_share_its_theme_and_leave_it_out(demo):
    _, run, truth = demo
    documents = run.documents
    bank = documents["status"].eq("ok") & truth["theme"].eq("Bank sync failures").to_numpy()
    row_id = int(documents.loc[bank, "row_id"].iloc[0])
    vector = search.row_vector(run, run.embeddings, row_id)
    found = search.similar_rows(run, vector, run.embeddings, limit=20, exclude=row_id)
    assert row_id not in set(found["row_id"])
    assert (_truth_of(truth, found) == "Bank sync failures").mean() >= 0.7


def test_search_by_words_is_case_insensitive_and_takes_phrases(demo):
    _, run, _ = demo
    texts = search.search_text(run)
    hits = search.text_mask(texts, "CRASH")
    assert hits.sum() == texts.str.contains("crash", regex=False).sum() > 10
    both = search.text_mask(texts, "app crash")
    assert both.sum() < hits.sum() and all("app" in t and "crash" in t for t in texts[both])
    phrase = search.text_mask(texts, '"phone app"')
    assert phrase.any() and all("phone app" in t for t in texts[phrase])


def test_filters_combine_with_each_other_and_with_search(demo):
    miner, run, _ = demo
    documents = run.documents
    theme = int(run.themes.loc[run.themes["theme_id"] >= 0, "theme_id"].iloc[0])
    filters = search.Filters.of(
        theme_ids=[theme],
        segments={"plan": ["pro", "business"]},
        date_range=(pd.Timestamp("2026-03-01"), pd.Timestamp("2026-08-31")),
    )
    mask = search.filter_mask(run, filters)
    dates = pd.to_datetime(documents["submitted_at"])
    expected = (
        documents["status"].isin(schema.ANALYSED)
        & (documents["theme_id"] == theme)
        & documents["plan"].isin(["pro", "business"])
        & (dates >= "2026-03-01")
        & (dates < "2026-09-01")
    )
    assert mask.sum() > 0 and (mask == expected.to_numpy()).all()
    customer = str(documents.loc[mask, "customer_id"].iloc[0])
    one = search.filter_mask(run, search.Filters.of(customers=[customer]))
    assert set(documents.loc[one, "customer_id"].astype(str)) == {customer}
    # Meaning and words within the filters: every hit is inside them.
    vector = miner._embedder().encode(["bank feed stopped syncing"])[0]
    found = search.similar_rows(run, vector, run.embeddings, mask=mask, limit=10)
    assert set(found["row_id"]) <= set(documents.loc[mask, "row_id"])
    words = mask & search.text_mask(search.search_text(run), "the")
    assert 0 < words.sum() <= mask.sum()


def test_the_map_sample_keeps_each_themes_share(demo):
    _, run, _ = demo
    everything = search.map_sample(run, limit=100_000)
    sample = search.map_sample(run, limit=500)
    assert len(everything) == len(run.map) and len(sample) == 500
    assert sample.equals(search.map_sample(run, limit=500))  # seeded
    share = everything["theme_id"].value_counts(normalize=True)
    drawn = sample["theme_id"].value_counts(normalize=True).reindex(share.index, fill_value=0)
    assert (drawn - share).abs().max() <= 1 / 500  # largest remainders
    assert sample["quote"].str.len().max() <= 160


def test_theme_detail_has_keywords_kinds_jobs_and_trend(demo):
    _, run, _ = demo
    theme = run.themes[run.themes["theme_id"] >= 0].iloc[0]
    detail = search.theme_detail(run, int(theme["theme_id"]))
    assert detail.keywords == [k.strip() for k in theme["keywords"].split(";")]
    assert (
        detail.trend is not None and len(detail.trend) == run.meta["insights"]["trends"]["periods"]
    )
    assert detail.trend["share"].dropna().between(0, 1).all()


def test_a_fitted_run_saves_and_reads_its_map_and_embeddings(small_run):
    run = load_run(small_run[0], embeddings=True)
    assert run.map is not None and run.embeddings.dtype == np.float16
    assert run.embeddings.shape == (len(run.map), 384)
    norms = np.linalg.norm(run.embeddings.astype(np.float32), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-2)
    assert load_run(small_run[0]).embeddings is None  # read only when asked for
    detail = search.theme_detail(run, int(run.themes["theme_id"].max()))
    assert sum(detail.sentiment.values()) == detail.comments
    # Shares of the theme's comments by kind, each rounded to 4 decimals in themes.csv.
    assert detail.jobs is not None and abs(sum(detail.kinds.values()) - 1) <= 5e-5 * len(
        detail.kinds
    )
