"""Asking for coarser or finer themes: --themes N, --granularity coarser|auto|finer."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from miner import FeedbackMiner, schema


@pytest.fixture(scope="module")
def small_frame(small_feedback_csv, small_run) -> pd.DataFrame:
    """The small demo slice; ``small_run`` has already embedded it (the session cache)."""
    return pd.read_csv(small_feedback_csv, dtype=str, keep_default_na=False)


def _themes_only(frame, **count) -> FeedbackMiner:
    miner = FeedbackMiner(seed=3, per_document=False, comment_pieces=False, **count)
    return miner.fit(frame, text_col="comment")


def _found(miner: FeedbackMiner) -> int:
    return int((miner.themes_["theme_id"] >= 0).sum())


@pytest.fixture(scope="module")
def small_auto(small_frame) -> FeedbackMiner:
    return _themes_only(small_frame)


def test_coarser_and_finer_halve_and_double_the_automatic_count(small_frame, small_auto):
    auto = small_auto.run_.meta["theme_count"]
    assert auto["granularity"] == "auto" and auto["automatic"] == auto["cut"] >= 6
    coarser = _themes_only(small_frame, granularity="coarser")
    finer = _themes_only(small_frame, granularity="finer")
    assert _found(coarser) < _found(small_auto) < _found(finer)
    for miner, scale in ((coarser, 0.5), (finer, 2.0)):
        record = miner.run_.meta["theme_count"]
        assert record["automatic"] == auto["automatic"]  # relative to the same choice
        assert record["cut"] == round(auto["automatic"] * scale)
        assert record["themes"] == _found(miner) <= record["cut"]


def test_fewer_themes_are_the_automatic_themes_merged(small_frame, small_auto):
    # A fresh spectral cut into fewer pieces had made one theme of 75-89% of a helper's
    # long reviews; merged, each automatic theme lands whole in one broader theme.
    for count in ({"granularity": "coarser"}, {"n_themes": 4}):
        broad = _themes_only(small_frame, **count).documents_["theme_id"].to_numpy()
        fine = small_auto.documents_["theme_id"].to_numpy()
        both = (fine >= 0) & (broad >= 0)
        for theme in np.unique(fine[both]):
            _, counts = np.unique(broad[both & (fine == theme)], return_counts=True)
            assert counts.max() >= 0.9 * counts.sum(), (count, theme, counts)
    # Ward's rule on the centres, weighted by size: the two nearest groups join first.
    from miner.themes.cluster import merge_clusters

    centres = np.array([[1.0, 0.0], [0.98, 0.2], [0.0, 1.0], [0.2, 0.98]])
    labels = np.repeat(np.arange(4), [30, 5, 30, 5])
    points = centres[labels]
    merged = merge_clusters(points / np.linalg.norm(points, axis=1, keepdims=True), labels, 2)
    assert len(set(merged[:35])) == len(set(merged[35:])) == 1 and merged[0] != merged[-1]


def test_asking_for_the_automatic_count_gives_the_automatic_themes(small_frame, small_auto):
    count = small_auto.run_.meta["theme_count"]["automatic"]
    asked = _themes_only(small_frame, n_themes=count)
    assert asked.run_.meta["theme_count"]["automatic"] is None  # no count was chosen
    assert np.array_equal(asked.documents_["theme_id"], small_auto.documents_["theme_id"])


def test_the_default_fit_is_the_automatic_one(small_run, small_auto):
    """The CLI's fit without an option (the small_run fixture, heads included) and the
    API's automatic fit give the same themes, and say how the count was chosen."""
    folder, _ = small_run
    documents = pd.read_parquet(folder / schema.DOCUMENTS_FILE)
    assert np.array_equal(documents["theme_id"], small_auto.documents_["theme_id"])
    meta = json.loads((folder / schema.RUN_FILE).read_text())
    assert meta["theme_count"]["granularity"] == "auto"
    assert meta["theme_count"]["n_themes"] is None


def test_fit_themes_n_through_the_cli_is_recorded_and_refits(cli, small_frame, tmp_path):
    path = tmp_path / "first150.csv"
    small_frame.head(150).to_csv(path, index=False)  # heads on fewer rows: a faster test
    out = tmp_path / "six"
    code, _, err = cli(
        "fit", path, "--text-col", "comment", "--themes", "6", "--resamples", "0", "--out", out
    )  # fmt: skip
    assert code == 0, err
    record = json.loads((out / schema.RUN_FILE).read_text())["theme_count"]
    assert record["n_themes"] == 6 and record["cut"] == 6 and 4 <= record["themes"] <= 6
    kept = "" if record["themes"] == 6 else f": cut into 6, {record['themes']} kept"
    assert f"Found {record['themes']} themes (about 6 asked for{kept};" in err
    config = json.loads((out / schema.MODEL_DIR / schema.MODEL_CONFIG_FILE).read_text())
    assert config["n_themes"] == 6 and config["granularity"] == "auto"
    # A refit with --previous asks for its own granularity and keeps the matched ids.
    refit = FeedbackMiner(seed=3, per_document=False, granularity="finer", previous=out)
    refit.fit(small_frame.head(150), text_col="comment")
    assert refit.run_.meta["theme_count"]["granularity"] == "finer"
    assert len(refit.identity_.of("matched")) > 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--themes", "0"], r"--themes must be a whole number of 2 or more, got 0"),
        (["--themes", "1"], r"--themes must be a whole number of 2 or more, got 1"),
        (
            ["--themes", "500"],
            r"--themes 500 is more themes than [\d,]+ distinct comments \(a repeated "
            r"comment counts once\) allow",
        ),
        (["--granularity", "sideways"], r"granularity 'sideways' is not one of coarser, auto"),
        (["--themes", "8", "--granularity", "finer"], r"give --themes \(8\) or --granularity"),
        (["--min-theme-size", "100000"], r"--min-theme-size 100000 leaves room for one theme"),
    ],
)
def test_bad_counts_exit_2_with_the_reason(cli, small_feedback_csv, tmp_path, options, message):
    out = tmp_path / "run"
    code, _, err = cli("fit", small_feedback_csv, "--text-col", "comment", *options, "--out", out)
    assert code == 2
    assert re.search(f"E108 {message}", err) and "Traceback" not in err
    assert not (out / schema.RUN_FILE).exists()


def test_an_explicit_count_overrides_the_piece_floor(demo_frames):
    """Long feedback is themed on pieces with at least 20 themes; --themes 6 gives 6."""
    feedback, _ = demo_frames
    comments = feedback["comment"].fillna("")
    comments = comments[comments.str.split().str.len() >= 8].head(240).tolist()
    frame = pd.DataFrame({"comment": [" ".join(comments[i : i + 4]) for i in range(0, 240, 4)]})
    asked = FeedbackMiner(seed=42, per_document=False, n_themes=6).fit(frame, text_col="comment")
    assert asked.theme_unit_ == "piece"
    record = asked.run_.meta["theme_count"]
    assert record["cut"] == 6 and 4 <= record["themes"] <= 6 and record["range"] is None
    auto = FeedbackMiner(seed=42, per_document=False).fit(frame, text_col="comment")
    assert auto.run_.meta["theme_count"]["range"][0] == 20
    assert _found(auto) > _found(asked)


def test_the_count_note_says_when_fewer_themes_were_kept_than_cut():
    from miner.themes.count import count_note

    # "finer than the automatic 7" beside "Found 6 themes" had read as the option
    # doing nothing: the small themes of the finer cut were not kept.
    record = {"granularity": "finer", "n_themes": None, "automatic": 7, "cut": 14, "themes": 6}
    assert count_note(record) == "finer than the automatic 7: cut into 14, 6 kept; "
    record.update(cut=14, themes=14)
    assert count_note(record) == "finer than the automatic 7; "
    assert count_note({"n_themes": 6, "cut": 6, "themes": 5}) == (
        "about 6 asked for: cut into 6, 5 kept; "
    )
    assert count_note({"granularity": "auto", "automatic": 7, "cut": 7, "themes": 6}) == ""


def test_a_fit_of_few_themes_for_many_comments_says_how_to_ask_for_more():
    # A helper's 59 council notes of six topics gave two themes, and nothing said how to
    # ask for more (--themes 6 found the topics).
    import pandas as pd

    from miner.batch import few_themes_hint

    documents = pd.DataFrame({"status": ["ok"] * 59 + ["empty"] * 5})
    automatic = {"granularity": "auto", "n_themes": None, "automatic": 2, "themes": 2}
    hint = few_themes_hint({"theme_count": automatic}, documents)
    assert hint == (
        "Only 2 themes in 59 comments: if a theme holds topics that differ, ask for more "
        "with --themes 6 or --granularity finer"
    )
    asked = {**automatic, "n_themes": 2}
    assert few_themes_hint({"theme_count": asked}, documents) is None
    assert few_themes_hint({"theme_count": {**automatic, "themes": 5}}, documents) is None
    assert few_themes_hint({"theme_count": automatic}, documents.head(30)) is None
