"""Guided themes: a PM's expected themes name and shape themes where the data has them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from miner import FeedbackMiner
from miner.errors import InputNotFound, InvalidConfig
from miner.themes.guided import (
    GuidedTheme,
    apply_guides,
    guided_themes_from,
    leanings,
    read_guided_themes,
)

GUIDES = [
    "Dark mode: dark, theme, night",
    "Mileage tracking: mileage, miles, car, trip",
    "Space travel: rocket, orbit, astronaut",
]


def test_reads_text_lines_and_both_json_shapes(tmp_path):
    lines = tmp_path / "guides.txt"
    lines.write_text("# expected\nDark mode: dark, night\n\nInvoice export\n", encoding="utf-8")
    assert read_guided_themes(lines) == [
        GuidedTheme("Dark mode", ("dark", "night")),
        GuidedTheme("Invoice export", ()),
    ]
    listed = tmp_path / "guides.json"
    listed.write_text(json.dumps([{"name": "Dark mode", "words": ["dark", "night"]}]))
    assert read_guided_themes(listed) == [GuidedTheme("Dark mode", ("dark", "night"))]
    mapped = tmp_path / "map.json"
    mapped.write_text(json.dumps({"Dark mode": "dark, night"}))
    assert read_guided_themes(mapped)[0].words == ("dark", "night")
    assert GuidedTheme("Dark mode", ("dark", "night")).query == "Dark mode: dark, night"


def test_bad_guide_files_say_what_is_wrong(tmp_path):
    with pytest.raises(InputNotFound, match="not found"):
        read_guided_themes(tmp_path / "missing.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n")
    with pytest.raises(InvalidConfig, match="no guided themes"):
        read_guided_themes(empty)
    broken = tmp_path / "broken.json"
    broken.write_text("[{")
    with pytest.raises(InvalidConfig, match="not valid JSON"):
        read_guided_themes(broken)
    with pytest.raises(InvalidConfig, match="repeated: Dark mode"):
        guided_themes_from(["Dark mode: dark", "dark mode: night"])
    with pytest.raises(InvalidConfig, match="needs a name"):
        guided_themes_from([{"words": ["dark"]}])


def test_cli_rejects_a_bad_guide_file_in_one_line(cli, tmp_path, small_feedback_csv):
    bad = tmp_path / "guides.json"
    bad.write_text('{"oops": 1')
    code, _, err = cli("fit", small_feedback_csv, "--guided-themes", bad, "--out", tmp_path / "r")
    assert code != 0
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("error: E108 ")


def test_matching_and_carving_follow_the_support():
    # Cluster 0 leans to guide 0; guide 1 has no cluster but 6 leaning comments
    # spread over clusters 1 and 2; guide 2 has only 2 comments leaning to it.
    labels = np.array([0] * 8 + [1] * 8 + [2] * 8)
    lean = np.array([0] * 7 + [-1] + [1] * 3 + [-1] * 5 + [1] * 3 + [2] * 2 + [-1] * 3)
    matches = apply_guides(labels, lean, min_size=5)
    assert matches[0] == 0
    carved = [c for c, g in matches.items() if g == 1]
    assert len(carved) == 1 and carved[0] not in (0, 1, 2)
    assert (labels[lean == 1] == carved[0]).all()
    assert 2 not in matches.values()  # too few comments: no theme for guide 2


def test_leanings_need_closeness():
    guides = np.eye(3)[:2]
    points = np.array([[0.9, 0.1, 0.0], [0.0, 0.2, 0.98], [0.1, 0.95, 0.0]])
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    assert leanings(points, guides).tolist() == [0, -1, 1]


@pytest.fixture(scope="module")
def guided_fit(demo_frames):
    feedback, truth = demo_frames
    miner = FeedbackMiner(seed=42, per_document=False, guided_themes=GUIDES)
    return miner.fit(feedback, text_col="comment"), truth


def test_supported_guides_name_their_theme_and_unsupported_ones_create_nothing(guided_fit):
    miner, truth = guided_fit
    themes = miner.theme_model_.themes_
    assert "Space travel" not in set(themes["label"])
    docs = miner.documents_
    for name in ("Dark mode", "Mileage tracking"):
        matched = themes.loc[themes["guided"] == name, "theme_id"].tolist()
        assert len(matched) == 1, themes[["label", "guided"]]
        assert themes.loc[themes["theme_id"] == matched[0], "label"].item() == name
        members = docs["theme_id"] == matched[0]
        planted = truth["theme"] == name
        precision = (truth.loc[members, "theme"] == name).mean()
        recall = (docs.loc[planted & docs["status"].eq("ok"), "theme_id"] == matched[0]).mean()
        assert precision >= 0.8 and recall >= 0.8, (name, precision, recall)


def test_guided_themes_survive_save_and_load(guided_fit, tmp_path):
    miner, _ = guided_fit
    miner.save(tmp_path / "model")
    loaded = FeedbackMiner.load(tmp_path / "model")
    assert loaded.guided_themes == miner.config.guided_themes
    assert loaded.theme_model_.themes_["guided"].tolist() == (
        miner.theme_model_.themes_["guided"].tolist()
    )


def test_themes_table_says_which_theme_a_guide_named(guided_fit):
    from miner.tables import theme_table

    miner, _ = guided_fit
    table = theme_table(miner.documents_, miner.theme_model_.themes_)
    named = table.loc[table["guided"].fillna("") != "", ["theme_label", "guided"]]
    assert sorted(named["guided"]) == ["Dark mode", "Mileage tracking"]
    assert (named["theme_label"] == named["guided"]).all()
    plain = miner.theme_model_.themes_.assign(guided="")
    assert "guided" not in theme_table(miner.documents_, plain).columns
