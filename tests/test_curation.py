"""Curation (miner.curation): rename, merge, split, move and hide themes, applied by
load_run (report, insights, app) and by `miner score --model`; undo; --previous."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from miner import curate, curation, schema
from miner.app_server import APP
from miner.persist import load_run
from miner.pipeline import FeedbackMiner

TABLES = ("documents", "pieces", "themes", "jobs", "trends", "emerging", "segment_lifts", "drivers")


@pytest.fixture
def run_dir(small_run, tmp_path):
    """A copy of the small run to curate."""
    return shutil.copytree(small_run[0], tmp_path / "run")


@pytest.fixture(scope="module")
def proposal(small_run, tmp_path_factory):
    """The split miner proposes for the small run's second theme, into 2 (made once)."""
    folder = shutil.copytree(small_run[0], tmp_path_factory.mktemp("split") / "run")
    return curate.propose_split(folder, _themes(load_run(folder))[1], k=2)


def _themes(run) -> list[int]:
    """Theme ids, largest first."""
    return run.themes.loc[run.themes["theme_id"] >= 0, "theme_id"].astype(int).tolist()


def _row(run, theme_id: int) -> dict:
    return run.themes.set_index("theme_id").loc[theme_id].to_dict()


def _unassigned(run) -> int:
    rows = run.themes.loc[run.themes["theme_id"] == -1, "comments"]
    return int(rows.iloc[0]) if len(rows) else 0


def test_rename_changes_only_the_name_everywhere(run_dir, cli):
    raw = load_run(run_dir)
    theme = _themes(raw)[2]
    old = _row(raw, theme)["theme_label"]
    code, out, _ = cli("curate", "rename", run_dir, theme, "Bank feeds (curated)")
    assert code == 0 and "saved in curation.json" in out
    run = load_run(run_dir)
    assert _row(run, theme)["theme_label"] == "Bank feeds (curated)"
    names = ["theme_label", "area_label"]
    pd.testing.assert_frame_equal(run.themes.drop(columns=names), raw.themes.drop(columns=names))
    # An area named after its themes ("A & B") follows the new name; no other changes.
    assert run.themes["area_label"].tolist() == [
        " & ".join("Bank feeds (curated)" if part == old else part for part in area.split(" & "))
        for area in raw.themes["area_label"]
    ]
    ours = run.documents["theme_id"] == theme
    assert (run.documents.loc[ours, "theme_label"] == "Bank feeds (curated)").all()
    for name in ("trends", "emerging", "segment_lifts", "drivers"):
        pd.testing.assert_frame_equal(getattr(run, name), getattr(raw, name))
    code, report, _ = cli("report", run_dir)
    assert "| Bank feeds (curated) |" in report and f"| {old} |" not in report


def test_merge_sums_the_themes_and_insights_follow(run_dir, cli):
    raw = load_run(run_dir)
    target, other = _themes(raw)[0], _themes(raw)[5]
    code, out, _ = cli("curate", "merge", run_dir, target, other, "--label", "Merged theme")
    assert code == 0, out
    run = load_run(run_dir)
    assert other not in _themes(run)
    merged = _row(run, target)
    assert merged["theme_label"] == "Merged theme"
    assert merged["comments"] == _row(raw, target)["comments"] + _row(raw, other)["comments"]
    assert merged["keywords"]  # c-TF-IDF of the merged comments
    assert not (run.documents["theme_id"] == other).any()
    assert not (run.pieces["theme_id"] == other).any()
    assert not run.documents["theme_ids"].map(lambda ids: other in ids).any()
    # Trends and drivers count the merged theme as one. Trends count the comments that
    # mention a theme, so a comment that mentioned both now counts once.
    trends = run.trends[run.trends["level"] == "theme"].set_index(["group_id", "period"])
    before = raw.trends[raw.trends["level"] == "theme"].set_index(["group_id", "period"])
    counted = raw.documents[raw.documents["status"].isin(schema.ANALYSED)]
    both = int(counted["theme_ids"].map(lambda ids: {target, other} <= set(ids)).sum())
    sums = before.loc[target, "comments"] + before.loc[other, "comments"]
    got = trends.loc[target, "comments"]
    larger = np.maximum(before.loc[target, "comments"], before.loc[other, "comments"])
    assert (got <= sums).all() and (got >= larger).all()
    assert int(sums.sum() - got.sum()) == both
    assert other not in set(run.drivers["theme_id"]) and other not in set(run.emerging["theme_id"])
    code, report, _ = cli("report", run_dir)
    assert f"| {target} | Merged theme | {merged['comments']:,} |" in report


def test_the_roadmap_follows_a_merge_and_a_rename(run_dir, cli):
    from miner.roadmap.feed import build_roadmap

    raw = load_run(run_dir)
    target, other = _themes(raw)[1], _themes(raw)[4]
    before = {item["theme_id"]: item for item in build_roadmap(raw)["themes"]}
    assert cli("curate", "merge", run_dir, target, other, "--label", "Roadmap merge")[0] == 0
    items = {item["theme_id"]: item for item in build_roadmap(load_run(run_dir))["themes"]}
    assert other in before and other not in items
    assert items[target]["label"] == "Roadmap merge" and items[target]["id"] == f"theme-{target}"
    assert items[target]["comments"] > before[target]["comments"]
    assert cli("curate", "undo", run_dir)[0] == 0


def test_split_into_proposed_sub_themes(run_dir, cli, proposal):
    raw = load_run(run_dir)
    theme = _themes(raw)[1]
    size = _row(raw, theme)["comments"]
    assert proposal["theme_id"] == theme
    subs = proposal["themes"]
    assert [s["comments"] for s in subs] == sorted((s["comments"] for s in subs), reverse=True)
    assert sum(s["comments"] for s in subs) == size
    assert min(s["theme_id"] for s in subs) > int(raw.themes["theme_id"].max())
    assert all(s["label"] and s["keywords"] for s in subs)
    assert len({s["label"] for s in subs}) == 2
    curate.accept_split(run_dir, proposal)
    run = load_run(run_dir)
    assert theme not in _themes(run)
    for sub in subs:
        row = _row(run, sub["theme_id"])
        assert row["theme_label"] == sub["label"] and row["comments"] == sub["comments"]
        rows = run.documents.set_index("row_id").loc[sub["row_ids"]]
        assert (rows["theme_id"] == sub["theme_id"]).all()
    trend_ids = set(run.trends.loc[run.trends["level"] == "theme", "group_id"])
    assert {s["theme_id"] for s in subs} <= trend_ids and theme not in trend_ids
    code, report, _ = cli("report", run_dir)
    assert all(f"| {s['theme_id']} | {s['label']} |" in report for s in subs)
    # A job lists the sub-themes that hold its comments, most first, not every one.
    sub_ids = {s["theme_id"] for s in subs}
    stated = run.documents[run.documents["job_id"] >= 0]
    for job in run.jobs.itertuples(index=False):
        listed = [t for t in job.theme_ids if t in sub_ids]
        mine = stated[stated["job_id"] == job.job_id]["theme_id"].value_counts()
        holding = [t for t in mine.index if t in sub_ids]
        assert set(listed) == set(holding), (job.job_id, listed, holding)
        assert [mine[t] for t in listed] == sorted((mine[t] for t in listed), reverse=True)


def test_compare_sees_the_curated_themes(run_dir, cli, proposal, small_run):
    raw = load_run(run_dir)
    ids = _themes(raw)
    target, other, hidden, renamed = ids[0], ids[5], ids[3], ids[2]
    split = proposal["theme_id"]
    for args in (
        ("merge", target, other),
        ("hide", hidden),
        ("rename", renamed, "Renamed for compare"),
    ):
        assert cli("curate", args[0], run_dir, *args[1:])[0] == 0
    curate.accept_split(run_dir, proposal)
    code, out, err = cli("compare", small_run[0], run_dir, "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    rows = {(t["status"], t["previous_id"]): t for t in payload["themes"]}
    previous = {t["previous_id"]: t["status"] for t in payload["themes"]}
    curated = load_run(run_dir).themes.set_index("theme_id")["comments"]
    assert rows[("merged", other)]["current_id"] == target
    assert rows[("matched", target)]["current_comments"] == curated[target]
    # Hidden: not a theme of the curated run (gone, or merged into its closest theme).
    assert hidden not in {t["current_id"] for t in payload["themes"]}
    assert previous[hidden] in ("gone", "merged")
    assert rows[("matched", renamed)]["current_label"] == "Renamed for compare"
    subs = {s["theme_id"] for s in proposal["themes"]}
    paired = [t for t in payload["themes"] if t["current_id"] in subs]
    assert {t["current_id"] for t in paired} == subs  # the sub-themes, matched or split
    assert all(t["previous_id"] == split for t in paired)
    # One theme merged away and one hidden; the split theme is paired with a sub-theme.
    assert payload["counts"]["matched"] == len(ids) - 2
    # Each run as its curation left it: the curated run is the earlier one too.
    code, out, _ = cli("compare", run_dir, run_dir)
    assert code == 0 and "Renamed for compare" in out and f"#{hidden} " not in out
    # A PM's name holding a phone number is masked, as the report shows it.
    assert cli("curate", "rename", run_dir, renamed, "Call back +44 20 7946 0958")[0] == 0
    code, out, _ = cli("compare", small_run[0], run_dir)
    assert code == 0 and "Call back [phone]" in out and "7946" not in out
    code, out, _ = cli("compare", small_run[0], run_dir, "--no-mask")
    assert code == 0 and "Call back +44 20 7946 0958" in out


def test_the_runs_list_counts_the_curated_themes(run_dir, cli, proposal):
    from miner.workspace import run_entry

    fitted = len(_themes(load_run(run_dir)))
    assert run_entry(run_dir).themes == fitted
    ids = _themes(load_run(run_dir))
    assert cli("curate", "merge", run_dir, ids[0], ids[4])[0] == 0
    assert cli("curate", "hide", run_dir, ids[3])[0] == 0
    curate.accept_split(run_dir, proposal)  # one theme into two
    assert run_entry(run_dir).themes == len(_themes(load_run(run_dir))) == fitted - 1


def test_a_hidden_sub_theme_is_listed_as_hidden(run_dir, cli, proposal):
    curate.accept_split(run_dir, proposal)
    sub = proposal["themes"][1]["theme_id"]
    assert cli("curate", "hide", run_dir, sub)[0] == 0
    run = load_run(run_dir)
    assert sub not in _themes(run) and run.meta["curation"]["hidden"] == [sub]
    code, report, _ = cli("report", run_dir)
    assert code == 0 and f"hidden themes: #{sub}." in report  # it said "none"


def test_themes_csv_of_a_curated_run_counts_a_batchs_sub_themes(
    run_dir, cli, proposal, demo_frames, tmp_path
):
    # A batch added to a run with a split is scored as curated: its rows hold the
    # sub-themes, which themes.csv (the fitted table) had left out of every count.
    curate.accept_split(run_dir, proposal)
    batch = tmp_path / "later.csv"
    demo_frames[0].iloc[400:640].to_csv(batch, index=False)
    code, _, err = cli("score", batch, "--model", run_dir / "model", "--into", run_dir)
    assert code == 0, err
    raw = load_run(run_dir, curated=False)
    themes = pd.read_csv(run_dir / schema.THEMES_FILE)
    analysed = int(raw.documents["status"].isin(schema.ANALYSED).sum())
    assert int(themes["comments"].sum()) == analysed
    subs = {s["theme_id"]: s["label"] for s in proposal["themes"]}
    held = set(raw.documents["theme_id"]) & set(subs)
    assert held  # the batch's rows of the split theme went to its sub-themes
    rows = themes.set_index("theme_id")
    for sub in held:
        assert rows.loc[sub, "theme_label"] == subs[sub]


def test_a_rename_to_the_name_a_theme_has_is_no_edit(run_dir):
    from miner.errors import CurationError

    theme = _themes(load_run(run_dir))[0]
    label = _row(load_run(run_dir), theme)["theme_label"]
    with pytest.raises(CurationError, match=f"already named '{label}'"):
        curate.rename_theme(run_dir, theme, label)
    assert not curation.read_curation(run_dir).edits  # nothing saved


def test_a_name_another_theme_has_is_refused(run_dir):
    # Two themes of one name cannot be told apart: a praise theme had been named
    # "Export problems" like a bug theme, by a merge box that kept the last name.
    from miner.errors import CurationError

    first, second, third = _themes(load_run(run_dir))[:3]
    taken = _row(load_run(run_dir), first)["theme_label"]
    with pytest.raises(CurationError, match=f"'{taken}' already names #{first}"):
        curate.rename_theme(run_dir, second, taken.upper())
    with pytest.raises(CurationError, match="already names"):
        curate.merge_themes(run_dir, [second, third], taken)
    # A plural aside, as the fit tells labels apart; "Unassigned" names no theme.
    plural = taken[:-1] if taken.endswith("s") else taken + "s"
    with pytest.raises(CurationError, match="already names"):
        curate.rename_theme(run_dir, second, plural)
    with pytest.raises(CurationError, match="'Unassigned' names the comments of no theme"):
        curate.rename_theme(run_dir, second, "unassigned")
    assert not curation.read_curation(run_dir).edits
    # A merge may keep a name its own themes have.
    own = _row(load_run(run_dir), third)["theme_label"]
    curate.merge_themes(run_dir, [second, third], own)
    assert _row(load_run(run_dir), second)["theme_label"] == own


def test_hide_makes_its_comments_unassigned(run_dir, cli):
    raw = load_run(run_dir)
    theme = _themes(raw)[3]
    label, size = _row(raw, theme)["theme_label"], _row(raw, theme)["comments"]
    assert cli("curate", "hide", run_dir, theme)[0] == 0
    run = load_run(run_dir)
    assert theme not in _themes(run) and run.meta["curation"]["hidden"] == [theme]
    assert _unassigned(run) == _unassigned(raw) + size
    assert not (run.documents["theme_id"] == theme).any()
    assert theme not in set(run.segment_lifts["theme_id"]) | set(run.drivers["theme_id"])
    code, report, _ = cli("report", run_dir)
    assert f"| {label} |" not in report and f"hidden themes: #{theme}" in report


def test_move_comments_and_undo_restores_the_fit_exactly(run_dir, cli):
    raw = load_run(run_dir)
    ids = _themes(raw)
    moved = raw.documents.loc[raw.documents["theme_id"] == ids[0], "row_id"].head(3).tolist()
    assert cli("curate", "move", run_dir, *moved, "--to", ids[1])[0] == 0
    assert cli("curate", "rename", run_dir, ids[1], "Renamed")[0] == 0
    assert cli("curate", "hide", run_dir, ids[2])[0] == 0
    run = load_run(run_dir)
    assert (run.documents.set_index("row_id").loc[moved, "theme_id"] == ids[1]).all()
    assert _row(run, ids[1])["comments"] == _row(raw, ids[1])["comments"] + 3
    for _ in range(3):
        assert cli("curate", "undo", run_dir)[0] == 0
    restored = load_run(run_dir)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(restored, name), getattr(raw, name))
    assert restored.meta == raw.meta
    code, log, _ = cli("curate", "log", run_dir)
    assert code == 0 and log.count("(undone ") == 3 and "move 3 comments" in log
    code, _, err = cli("curate", "undo", run_dir)
    assert code == 2 and "E111 nothing to undo" in err


def test_unknown_theme_or_row_is_a_clear_error(run_dir, cli):
    code, _, err = cli("curate", "rename", run_dir, 999, "x")
    assert code == 2 and "E111" in err and "no theme #999" in err
    code, _, err = cli("curate", "merge", run_dir, 0, 0)
    assert code == 2 and "two different themes" in err
    code, _, err = cli("curate", "move", run_dir, 10**6, "--to", 0)
    assert code == 2 and "not analysed comments" in err
    assert not (run_dir / schema.CURATION_FILE).exists()


def test_a_curation_that_cannot_be_written_whole_changes_nothing(run_dir, monkeypatch):
    # The run's folder unwritable, or the disk full as the model's manifest is written:
    # the model had kept the rename the run had not, "unexpected" exit 1.
    import miner.atomic
    from miner import curate
    from miner.errors import OutputNotWritable

    manifest = run_dir / schema.MODEL_DIR / schema.MODEL_MANIFEST_FILE
    before = manifest.read_bytes()
    write = miner.atomic.atomic_write_text

    def full_disk(path, text, *args, **kwargs):
        if Path(path).name == schema.MODEL_MANIFEST_FILE:
            raise OSError(28, "No space left on device")
        return write(path, text, *args, **kwargs)

    monkeypatch.setattr(miner.atomic, "atomic_write_text", full_disk)
    with pytest.raises(OutputNotWritable, match="E105.*No space left on device"):
        curate.rename_theme(run_dir, 0, "Bank feeds")
    assert not (run_dir / schema.CURATION_FILE).exists()
    assert not (run_dir / schema.MODEL_DIR / schema.CURATION_FILE).exists()
    assert manifest.read_bytes() == before
    monkeypatch.setattr(miner.atomic, "atomic_write_text", write)
    curate.rename_theme(run_dir, 0, "Bank feeds")
    assert (run_dir / schema.MODEL_DIR / schema.CURATION_FILE).exists()


def test_edits_survive_a_reload_and_score_follows_them(
    run_dir, small_feedback_csv, tmp_path, cli, proposal
):
    """Rename, merge, split and hide, read back from disk by `miner report` and followed
    by `miner score --model` on rows given as new data."""
    raw = load_run(run_dir)
    ids = _themes(raw)
    renamed, (target, merged), split, hidden = ids[2], (ids[0], ids[4]), ids[1], ids[3]
    curate.rename_theme(run_dir, renamed, "Renamed theme")
    curate.merge_themes(run_dir, [target, merged])
    curate.accept_split(run_dir, proposal)
    curate.hide_theme(run_dir, hidden)
    subs = [s["theme_id"] for s in proposal["themes"]]
    model_copy = json.loads((run_dir / "model" / schema.CURATION_FILE).read_text())
    assert model_copy == json.loads((run_dir / schema.CURATION_FILE).read_text())
    manifest = json.loads((run_dir / "model" / schema.MODEL_MANIFEST_FILE).read_text())
    assert manifest["curation"]["digest"] == curation.read_curation(run_dir).digest()

    code, out, _ = cli("report", run_dir, "--format", "json")
    shown = {t["theme_id"]: t for t in json.loads(out)["themes"]}
    assert shown[renamed]["theme_label"] == "Renamed theme"
    assert merged not in shown and hidden not in shown and split not in shown
    assert set(subs) <= set(shown) and json.loads(out)["curation"]["edits"] == 4

    # New rows: a few comments of each theme edited, and of two themes left alone.
    themes = raw.documents.loc[raw.documents["status"] == "ok"].groupby("theme_id")
    picked = pd.concat(
        [themes.get_group(t).head(6) for t in (renamed, target, merged, split, hidden, ids[5])]
    )["row_id"]
    new_rows = tmp_path / "new.csv"
    pd.read_csv(small_feedback_csv).iloc[sorted(picked)].to_csv(new_rows, index=False)
    out = tmp_path / "scored.parquet"
    code, _, err = cli(
        "score", new_rows, "--model", run_dir / "model", "--out", out, "--text-col", "comment"
    )
    assert code == 0, err
    scored = pd.read_parquet(out)
    baseline = FeedbackMiner.load(run_dir / "model")
    baseline.curation_, baseline.per_document = None, False
    before = baseline.transform(pd.read_csv(new_rows), text_col="comment")["theme_id"].to_numpy()
    after = scored["theme_id"].to_numpy()
    for was in (merged, hidden, split):
        assert (before == was).sum() >= 4, f"theme {was} is not among the new rows"
    assert (after[before == merged] == target).all()
    assert (after[before == hidden] == -1).all()
    assert not scored.loc[before == hidden, "theme_novel"].any()  # known noise, not new
    assert set(after[before == split]) == set(subs)
    assert (scored.loc[before == renamed, "theme_label"] == "Renamed theme").all()
    kept = ~np.isin(before, [merged, hidden, split])
    assert (after[kept] == before[kept]).all()
    assert not scored["theme_ids"].map(lambda t: bool({merged, hidden, split} & set(t))).any()
    # A new comment lands in the sub-theme the split put the same comment in.
    fitted = {r: s["theme_id"] for s in proposal["themes"] for r in s["row_ids"]}
    expected = np.array([fitted.get(r, -2) for r in sorted(picked)])
    assert (after[expected >= 0] == expected[expected >= 0]).mean() >= 0.85


def test_previous_run_carries_renames_and_hides_over(run_dir, small_feedback_csv, tmp_path):
    raw = load_run(run_dir)
    ids = _themes(raw)
    curate.rename_theme(run_dir, ids[0], "Kept name")
    curate.hide_theme(run_dir, ids[1])
    curate.move_comments(run_dir, [int(raw.documents["row_id"].iloc[0])], ids[2])
    miner = FeedbackMiner(seed=3, per_document=False, previous=run_dir)
    miner.fit(pd.read_csv(small_feedback_csv), text_col="comment", id_col="customer_id")
    again = miner.save_run(tmp_path / "again")
    carried = curation.read_curation(again)
    assert [e["op"] for e in carried.edits] == ["rename", "hide"]
    assert curation.read_curation(again / "model").edits == carried.edits
    notes = miner.run_.meta["curation_carried"]["not_carried"]
    assert len(notes) == 1 and notes[0].startswith("Not carried over: move 1 comment (rows")
    run = load_run(again)
    assert _row(run, ids[0])["theme_label"] == "Kept name"
    assert ids[1] not in _themes(run) and run.meta["curation"]["hidden"] == [ids[1]]
    # The comparison names the previous run's themes as the PM named them.
    pairs = {t["previous_id"]: t for t in run.meta["previous"]["themes"]}
    assert pairs[ids[0]]["previous_label"] == "Kept name"


def test_a_merge_whose_themes_the_refit_found_as_one_keeps_its_name(tmp_path):
    edits = [
        {"op": "merge", "theme_ids": [6, 9], "label": "Integrations"},
        {"op": "merge", "theme_ids": [5, 13]},  # no name of its own: nothing to keep
    ]
    curation.write_curation(tmp_path, curation.Curation(edits))
    carried, notes = curation.carry_over(tmp_path, kept_ids={0, 5, 9})
    assert [(e["op"], e["theme_id"], e["label"]) for e in carried.edits] == [
        ("rename", 9, "Integrations")
    ]
    assert notes[0].startswith("Carried over as a rename of #9: merge #9 into #6")
    assert notes[1].startswith("Not carried over: merge #13 into #5")


def test_a_refits_new_themes_take_ids_no_theme_of_the_previous_run_had(run_dir, proposal):
    import copy

    from miner.themes.compare import (
        ThemeSet,
        compare_themes,
        identity_mapping,
        load_theme_set,
        renumber_theme_model,
    )

    fitted = load_theme_set(run_dir)
    curate.accept_split(run_dir, proposal)
    subs = [s["theme_id"] for s in proposal["themes"]]
    assert min(subs) >= fitted.first_free  # the split's sub-themes take new ids
    curate.undo(run_dir)  # an undone split's ids stay used too
    previous = load_theme_set(run_dir)
    assert previous.first_free == max(subs) + 1
    # A refit finding the previous themes and one new one: the new one's id is after
    # the split's, not the previous largest fitted id + 1 (which the split had).
    extra = np.random.default_rng(0).normal(size=previous.centroids.shape[1])
    current = ThemeSet(
        ids=np.arange(len(previous.ids) + 1),
        labels=[*previous.labels, "New subject"],
        comments=np.full(len(previous.ids) + 1, 10),
        centroids=np.vstack([previous.centroids, extra / np.linalg.norm(extra)]),
    )
    ids, labels = identity_mapping(compare_themes(previous, current), previous)
    assert ids[len(previous.ids)] == max(subs) + 1 and labels[max(subs) + 1] == "New subject"
    # The refit's model keeps that bound for the run after it.
    model = copy.deepcopy(previous.model)
    renumber_theme_model(model, {int(i): int(i) for i in previous.ids}, {}, previous.first_free)
    assert ThemeSet.from_model(model).first_free == max(subs) + 1


def test_curate_page_renames_splits_hides_and_undoes(run_dir, monkeypatch, proposal):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("MINER_RUN", str(run_dir))
    raw = load_run(run_dir)
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.switch_page("app_pages/curate.py").run()
    assert not app.exception, app.exception
    theme = _picker(app).value
    assert theme == _themes(raw)[0]
    app.text_input(key=f"rename_{theme}_0").input("Curated name")
    app.button(key="rename").click().run()
    assert not app.exception, app.exception
    assert app.success[0].value.startswith(f"Saved: rename #{theme}")
    assert _row(load_run(run_dir), theme)["theme_label"] == "Curated name"
    # The picker stays on the renamed theme and shows its new name.
    assert _picker(app).value == theme
    assert _picker(app).format_func(theme).startswith(f"#{theme} Curated name (")
    # Every page shows the edit: the run is read again after it.
    app.switch_page("app_pages/themes.py").run()
    assert "Curated name" in app.dataframe[0].value["theme_label"].tolist()

    app.switch_page("app_pages/curate.py").run()
    split = proposal["theme_id"]
    _picker(app).set_value(split).run()
    app.number_input(key="split_k").set_value(2)
    app.button(key="propose_split").click().run()
    assert not app.exception, app.exception
    shown = app.dataframe[0].value
    assert shown["label"].tolist() == [s["label"] for s in proposal["themes"]]
    app.button(key="accept_split").click().run()
    assert app.success[0].value.startswith(f"Saved: split #{split}")
    assert split not in _themes(load_run(run_dir))
    assert _picker(app).value == proposal["themes"][0]["theme_id"]  # its first sub-theme

    # A merge, named: the next merge's box is empty again, and the comments to move are
    # listed with their words.
    target, other = _themes(raw)[4], _themes(raw)[5]
    _picker(app).set_value(target).run()
    version = 2
    app.multiselect(key=f"merge_{target}_{version}").set_value([other]).run()
    app.text_input(key=f"merge_label_{target}_{version}").input("Merged by hand")
    app.button(key="merge").click().run()
    assert not app.exception, app.exception
    assert app.success[0].value.startswith(f"Saved: merge #{other} into #{target}")
    assert app.text_input(key=f"merge_label_{target}_{version + 1}").value == ""
    move = app.multiselect(key=f"move_rows_{target}_{version + 1}")
    row = move.options[0]
    assert row.startswith("row ") and ": " in row and len(row) > len("row 1: ")

    _picker(app).set_value(_themes(raw)[3]).run()
    listed = list(_picker(app).options)
    after = listed[listed.index(_picker(app).format_func(_themes(raw)[3])) + 1]
    app.button(key="hide").click().run()
    assert _themes(raw)[3] not in _themes(load_run(run_dir))
    # The picker goes to the theme after the hidden one, not back to the first.
    assert _picker(app).format_func(_picker(app).value) == after
    log = app.dataframe[-1].value
    assert len(log) == 4 and log["what"].iloc[0].startswith("rename")
    app.button(key="undo").click().run()
    assert not app.exception, app.exception
    assert app.success[0].value.startswith(f"Undone: hide #{_themes(raw)[3]}")
    assert _themes(raw)[3] in _themes(load_run(run_dir))
    assert _picker(app).value == _themes(raw)[3]  # the theme the undone edit hid
    assert (app.dataframe[-1].value["undone_at"] != "").sum() == 1  # empty: not undone


def _picker(app):
    """The Curate page's theme picker (drawn anew after each edit)."""
    return next(s for s in app.selectbox if s.label == "Theme")


def test_a_new_fit_does_not_drop_a_curated_run_unasked(run_dir, small_feedback_csv, cli):
    curate.rename_theme(run_dir, _themes(load_run(run_dir))[0], "Kept name")
    before = (run_dir / schema.DOCUMENTS_FILE).read_bytes()
    code, _, err = cli("fit", small_feedback_csv, "--out", run_dir)
    assert code == 2 and "E105" in err and "holds a curated run (1 theme edits" in err, err
    assert f"--previous {run_dir}" in err
    assert (run_dir / schema.DOCUMENTS_FILE).read_bytes() == before
    assert len(curation.read_curation(run_dir).edits) == 1


def test_curate_log_marks_only_undone_edits_and_needs_a_run(run_dir, cli, tmp_path):
    ids = _themes(load_run(run_dir))
    curate.rename_theme(run_dir, ids[0], "First")
    curate.rename_theme(run_dir, ids[1], "Second")
    curate.undo(run_dir)
    code, out, _ = cli("curate", "log", run_dir)
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 2 and "nan" not in out
    assert "(undone" not in lines[0] and "(undone 20" in lines[1]
    for command in ("log", "undo"):
        code, _, err = cli("curate", command, tmp_path / "nothing")
        assert code == 2 and "E107" in err and "is not a miner run" in err


def test_a_theme_name_is_one_line_of_at_most_80_characters(run_dir):
    from miner.errors import CurationError
    from miner.report import to_markdown

    theme = _themes(load_run(run_dir))[0]
    for bad in ("Bank | feeds\nsecond line", "x" * 81):
        with pytest.raises(CurationError, match="one line of at most 80 characters"):
            curate.rename_theme(run_dir, theme, bad)
    curate.rename_theme(run_dir, theme, "Bank | feeds")
    text = to_markdown(load_run(run_dir))
    assert "| Bank \\| feeds |" in text and "### Bank \\| feeds (" in text


def test_curation_calls_with_the_wrong_types_are_clear_errors(run_dir):
    from miner.errors import CurationError

    theme = _themes(load_run(run_dir))[0]
    calls = [
        (lambda: curate.merge_themes(run_dir, "12"), "as a list of whole numbers"),
        (lambda: curate.merge_themes(run_dir, 1), "as a list of whole numbers"),
        (lambda: curate.rename_theme(run_dir, 0.9, "X"), "a theme id is a whole number"),
        (lambda: curate.rename_theme(run_dir, "abc", "X"), "a theme id is a whole number"),
        (lambda: curate.rename_theme(run_dir, theme, None), "a theme's name is text"),
        (lambda: curate.move_comments(run_dir, 5, theme), "row ids as a list"),
        (lambda: curate.propose_split(run_dir, theme, k="2"), "number of sub-themes is a whole"),
    ]
    for call, message in calls:
        with pytest.raises(CurationError, match=message):
            call()
    assert not curation.read_curation(run_dir).edits  # nothing was saved
    curate.rename_theme(run_dir, float(theme), "Named")  # 3.0 is theme 3
    assert curation.read_curation(run_dir).edits[0]["theme_id"] == theme


def test_an_area_named_after_its_themes_follows_their_curation():
    fitted = pd.DataFrame(
        {
            "theme_id": [0, 1, 2, 3, 4],
            "theme_label": ["Screens", "Loading the dashboard", "Bank feed", "Sync", "Export"],
            "comments": [50, 40, 30, 20, 10],
            "area_id": [0, 0, 1, 1, 1],
            "area_label": ["Screens & Loading the dashboard"] * 2 + ["Bank connections"] * 3,
        }
    )
    info = curation.theme_info(fitted)
    info[1]["label"] = "Slow app"  # renamed
    assert curation._curated_areas(fitted, info) == [
        {"parent_id": 0, "label": "Screens & Slow app"},
        {"parent_id": 1, "label": "Bank connections"},  # named from keywords: kept
    ]
    del info[0]  # merged away or hidden
    assert curation._curated_areas(fitted, info)[0]["label"] == "Slow app"
    # A split leaves the area more themes: named after the largest two and a count.
    for sub in (20, 21, 22):
        info[sub] = {**info[1], "label": f"Part {sub}"}
    sizes = {1: 5, 20: 30, 21: 2, 22: 9}
    assert curation._curated_areas(fitted, info, sizes)[0]["label"] == "Part 20, Part 22 and 2 more"
    # An area of three named "A, B and 1 more" follows its themes' curation too (an
    # engagement survey's merged themes had left "Hours & Office snacks" standing).
    three = fitted.assign(area_id=[0, 0, 0, 1, 1])
    three["area_label"] = ["Screens, Loading the dashboard and 1 more"] * 3 + ["Sync"] * 2
    info = curation.theme_info(three)
    del info[1]  # merged away
    assert curation._curated_areas(three, info)[0]["label"] == "Screens & Bank feed"
    # The fit names an area by its own sizes (pieces), not always the themes' comments:
    # "Price without adding features, Small business and 2 more" (165 and 169 comments)
    # had kept "Small business" after it was renamed.
    four = fitted.assign(area_id=[0, 0, 0, 0, 1], comments=[165, 169, 40, 30, 10])
    four["area_label"] = ["Screens, Loading the dashboard and 2 more"] * 4 + ["Export"]
    info = curation.theme_info(four)
    info[1]["label"] = "Pricing too expensive"
    assert curation._curated_areas(four, info)[0]["label"] == (
        "Pricing too expensive, Screens and 2 more"
    )


def test_an_area_named_after_its_themes_takes_the_names_a_refit_keeps():
    # A refit with --previous (or the app's "Keep the themes of") gave a theme its
    # carried name, "Pricing too expensive", but its area kept "..., Small business and
    # 2 more" in themes.csv, the report's trends, emerging and drivers.
    from types import SimpleNamespace

    from miner.themes.compare import renumber_theme_model
    from miner.themes.hierarchy import renamed_area

    labels = ["Price without adding features", "Small business", "Export", "Sync", "Login"]
    model = SimpleNamespace(
        themes_=pd.DataFrame({"theme_id": range(5), "label": labels}),
        centroids_=np.eye(5),
        train_labels_=np.array([0, 1, 2]),
        labels_=np.array([0, 1, 2]),
        parents_=[
            {"label": "Price without adding features, Small business and 2 more",
             "theme_ids": [0, 1, 2, 3]},
            {"label": "Sign-in problems", "theme_ids": [4]},
        ],
    )  # fmt: skip
    renumber_theme_model(model, {0: 0, 1: 4, 2: 2, 3: 3, 4: 1}, {4: "Pricing too expensive"})
    assert [area["label"] for area in model.parents_] == [
        "Price without adding features, Pricing too expensive and 2 more",
        "Sign-in problems",  # named from its keywords: kept
    ]
    assert model.parents_[0]["theme_ids"] == [0, 4, 2, 3]
    assert renamed_area("A & B", ["B", "A"], ["B2", "A"]) == "A & B2"
    assert renamed_area("Login", ["Login"], ["Sign-in"]) == "Sign-in"
