"""Survey exports with several open questions (issue 17, point 3): one row per
respondent × question, themes fitted across every answer, reported per question."""

from __future__ import annotations

import json

import pandas as pd
import pytest

QUESTIONS = ("like", "improve")
RESPONDENTS = 60


@pytest.fixture(scope="module")
def survey_csv(tmp_path_factory, small_feedback_csv):
    """60 respondents answering two open questions (demo comments), two blank answers."""
    demo = pd.read_csv(small_feedback_csv, dtype=str, keep_default_na=False)
    first, second = demo.iloc[:RESPONDENTS], demo.iloc[RESPONDENTS : 2 * RESPONDENTS]
    survey = first[["customer_id", "submitted_at", "plan", "nps"]].reset_index(drop=True)
    survey["like"] = first["comment"].to_numpy()
    survey["improve"] = second["comment"].to_numpy()
    survey.loc[[3, 10], "improve"] = ""
    path = tmp_path_factory.mktemp("survey") / "survey.csv"
    survey.to_csv(path, index=False)
    return path, survey


@pytest.fixture(scope="module")
def survey_run(tmp_path_factory, survey_csv):
    from miner import FeedbackMiner
    from miner.batch import fit_run

    path, _ = survey_csv
    out = tmp_path_factory.mktemp("runs") / "survey"
    miner = FeedbackMiner(seed=3, per_document=False, resamples=0)
    fit_run(path, out, text_col=list(QUESTIONS), id_col="customer_id", miner=miner)
    return out


def _check_survey_rows(documents: pd.DataFrame, survey: pd.DataFrame) -> None:
    assert len(documents) == RESPONDENTS * len(QUESTIONS)
    assert documents["row_id"].tolist() == [r for r in range(RESPONDENTS) for _ in QUESTIONS]
    assert documents["question"].tolist() == list(QUESTIONS) * RESPONDENTS
    # The respondent's other columns are carried to each of their answers.
    nps = documents["nps"].astype(str).tolist()
    assert nps == [v for v in survey["nps"].astype(str) for _ in QUESTIONS]
    answers = documents["answer"].fillna("").astype(str).tolist()
    assert answers == [
        a for pair in zip(survey["like"], survey["improve"], strict=True) for a in pair
    ]
    blank = documents[(documents["row_id"].isin([3, 10])) & (documents["question"] == "improve")]
    assert blank["status"].tolist() == ["empty", "empty"]


def test_fit_gives_one_row_per_respondent_and_question(survey_run, survey_csv):
    from miner.persist import load_run

    run = load_run(survey_run)
    _check_survey_rows(run.documents, survey_csv[1])
    assert run.meta["text_cols"] == list(QUESTIONS)
    # Themes are fitted across both questions: answers of each get themes.
    themed = run.documents[run.documents["theme_id"] >= 0]
    assert set(themed["question"]) == set(QUESTIONS)
    assert {"row_id", "question"} <= set(run.pieces.columns)
    assert run.map[["row_id", "question"]].merge(run.documents, how="left")["status"].notna().all()


def test_score_and_report_per_question(survey_run, survey_csv, tmp_path, cli):
    path, survey = survey_csv
    out = tmp_path / "scored.csv"
    code, _, err = cli(
        "score", path, "--model", survey_run / "model", "--out", out,
        "--text-col", "like", "--text-col", "improve", "--chunk-rows", "25",
    )  # fmt: skip
    assert code == 0, err
    scored = pd.read_csv(out, dtype={"nps": str}, keep_default_na=False)
    _check_survey_rows(scored.replace({"answer": {"": None}}), survey)
    fitted = pd.read_parquet(survey_run / "documents.parquet")
    assert scored["theme_id"].tolist() == fitted["theme_id"].tolist()

    code, report, err = cli("report", survey_run, "--format", "md")
    assert code == 0, err
    # Fitted without resamples: its drivers have no interval, and their header says none
    # (an audit's report had said "[95% CI]" over bare estimates).
    assert "| impact | effect |" in report and "impact [95% CI]" not in report
    assert "No intervals: fitted without resamples" in report and "0 resamples" not in report
    section = report.split("## Questions", 1)[1].split("\n## ", 1)[0]
    for question in QUESTIONS:
        assert f"| {question} |" in section
    code, text, _ = cli("report", survey_run, "--format", "json")
    listed = json.loads(text)["questions"]
    assert [q["question"] for q in listed] == list(QUESTIONS)
    assert listed[1]["empty"] >= 2 and all(q["top_themes"] for q in listed)
    analysed = fitted[fitted["status"].isin(["ok", "duplicate"])]
    assert sum(q["answers"] for q in listed) == len(analysed)


def test_the_apps_background_fit_reads_every_chosen_question(tmp_path, survey_csv):
    """Bring a file with two text columns chosen: the workspace fit has one row per
    respondent × question, like `miner fit --text-col like --text-col improve`."""
    from miner import schema, workspace
    from miner.persist import load_run

    path, survey = survey_csv
    ws = workspace.Workspace(tmp_path / "ws")
    upload = ws.save_upload("survey.csv", path.read_bytes())
    frame = workspace.read_upload(upload)
    mapping = workspace.ColumnMapping(text_cols=QUESTIONS, id_col="customer_id")
    notes = workspace.check_mapping(frame, mapping)
    assert "2 open questions (like, improve)" in notes[0]
    with pytest.raises(workspace.UnsafeName, match="chosen twice"):
        workspace.check_mapping(frame, workspace.ColumnMapping(text_cols=("like", "like")))
    run_dir = ws.run_dir(ws.run_id(upload, mapping, seed=3))
    run_dir.mkdir(parents=True)
    workspace._write_json(
        run_dir / schema.WORKSPACE_RUN_FILE,
        {"name": "Survey", "source": upload.name, "upload": upload.path.name,
         "mapping": mapping.to_dict(), "seed": 3},
    )  # fmt: skip
    assert workspace.fit_in_workspace(run_dir) == 0
    run = load_run(run_dir)
    _check_survey_rows(run.documents, survey)
    assert run.meta["text_cols"] == list(QUESTIONS)


def test_customers_page_opens_on_a_run_without_sentiment(survey_run, monkeypatch):
    """Fitted without the per-comment heads: a customer's comments are drawn by theme
    over time instead of by sentiment (the page used to fail on the missing column)."""
    from miner.persist import load_run
    from tests.conftest import open_page

    assert "sentiment_score" not in load_run(survey_run).documents
    at = open_page(survey_run, "app_pages/customers.py", monkeypatch)
    assert any("has no sentiment" in c.value for c in at.caption)
    assert len(at.get("vega_lite_chart")) == 1


def test_curating_a_run_of_two_questions_keeps_each_answers_themes(survey_run, tmp_path):
    # A respondent's two answers share a row id: a rename must not give each answer
    # the themes of both (it did: mentions and sentiment n grew by a third or more).
    import shutil

    from miner.curate import merge_themes, rename_theme
    from miner.persist import load_run

    run_dir = shutil.copytree(survey_run, tmp_path / "run")
    fitted = load_run(run_dir, curated=False)
    theme = int(fitted.themes.loc[fitted.themes["theme_id"] >= 0, "theme_id"].iloc[0])
    rename_theme(run_dir, theme, "Renamed")
    curated = load_run(run_dir)
    lists = [list(x) for x in fitted.documents["theme_ids"]]
    assert [list(x) for x in curated.documents["theme_ids"]] == lists
    columns = ["theme_id", "comments", "mentions"]
    pd.testing.assert_frame_equal(
        curated.themes[columns].sort_values("theme_id").reset_index(drop=True),
        fitted.themes[columns].sort_values("theme_id").reset_index(drop=True),
    )
    assert curated.themes.set_index("theme_id").loc[theme, "theme_label"] == "Renamed"
    # A merge joins the two themes in each answer's own list, no one else's.
    ids = fitted.themes.loc[fitted.themes["theme_id"] >= 0, "theme_id"].astype(int).tolist()
    merge_themes(run_dir, ids[:2])
    merged = load_run(run_dir)
    expected = [list(dict.fromkeys(ids[0] if t == ids[1] else t for t in x)) for x in lists]
    assert [list(x) for x in merged.documents["theme_ids"]] == expected


def test_scores_count_each_respondent_once(survey_run, survey_csv):
    # Each respondent's score is on each of their answers: the NPS had been "of all 120
    # responses" for 60 respondents, and a segment's n doubled (its interval narrowed).
    from miner.insights.drivers import score_line
    from miner.persist import load_run

    _, survey = survey_csv
    run = load_run(survey_run)
    score = run.meta["insights"]["drivers"]["score"]
    nps = pd.to_numeric(survey["nps"])
    assert score.get("all_n", score["n"]) == RESPONDENTS
    expected = 100 * ((nps >= 9).mean() - (nps <= 6).mean())
    assert score.get("all_score", score["score"]) == pytest.approx(expected)
    line = score_line(run.meta["insights"]["drivers"])
    assert f"of all {RESPONDENTS} responses with a valid score" in line or "of the " in line
    assert "respondents with an analysed answer" in line and "analysed comments" not in line
    from miner.insights import views

    method = views.methods(run)["drivers"]
    assert "each respondent's score" in method and "comment's" not in method
    plans = run.segment_summary[run.segment_summary["segment_column"] == "plan"]
    # A segment's score counts each respondent with an analysed answer once (respondent
    # 9 answered "10" and "test": none).
    docs = run.documents
    answered = docs.loc[docs["status"].isin(["ok", "duplicate"]), "row_id"].unique()
    assert 0 < len(answered) < RESPONDENTS
    by_plan = survey.loc[sorted(answered), "plan"].value_counts()
    for row in plans.itertuples():
        assert row.score_n == by_plan[row.segment]


def test_drivers_read_each_respondent_once_with_the_themes_of_all_their_answers(
    survey_run, survey_csv
):
    # A theme's impact had been the NPS of answers (each respondent once per answer)
    # without the theme's answers: diluted, about half the per-respondent figure.
    from miner.insights import drivers
    from miner.insights.run import _by_respondent
    from miner.persist import load_run

    run = load_run(survey_run)
    documents = run.documents
    by_respondent = _by_respondent(documents.assign(**{"comment score": documents["score"]}))
    assert by_respondent["row_id"].is_unique
    assert len(by_respondent) == documents.loc[documents["status"] == "ok", "row_id"].nunique()
    expected = drivers(by_respondent, "comment score", "nps", n_boot=0)
    table = run.drivers.set_index("theme_id").loc[expected["theme_id"]]
    assert table["comments"].tolist() == expected["comments"].tolist()
    assert table["score_comments"].tolist() == [len(by_respondent)] * len(table)
    # Each theme's count is of respondents who mention it in any answer.
    some = int(expected["theme_id"].iloc[0])
    mention = documents["theme_ids"].map(lambda ids: some in list(ids))
    assert expected["comments"].iloc[0] == documents.loc[mention, "row_id"].nunique()


def test_roadmap_impact_counts_each_respondent_once_as_the_drivers_do(survey_run):
    # The roadmap's impact had removed a theme's answers from the answers (each
    # respondent once per question): "pulls NPS down 0.9 points" beside the drivers'
    # interval of -3.8 to -0.6 for the same theme.
    from miner.insights import drivers
    from miner.insights.run import _by_respondent
    from miner.persist import load_run
    from miner.roadmap.priority import factor_table

    run = load_run(survey_run)
    table = factor_table(run, "theme").set_index("item")
    documents = run.documents
    by_respondent = _by_respondent(documents.assign(**{"comment score": documents["score"]}))
    expected = drivers(by_respondent, "comment score", "nps", n_boot=0, min_n=1)
    expected = expected.set_index("theme_id").loc[table.index]
    assert table["impact_points"].to_numpy() == pytest.approx(
        expected["impact"].to_numpy(), abs=1e-6
    )
    assert table["impact_n"].tolist() == expected["comments"].tolist()
    # Respondents, not answers: fewer than the theme's answers when one mentions it twice.
    assert (table["impact_n"] <= table["comments"]).all()


def test_the_shared_documents_say_which_question_each_answer_is(survey_run):
    # The documents download had given row_id alone: a respondent's "like" and "improve"
    # answers came out as two rows of one row_id, not told apart.
    from miner import schema
    from miner.persist import load_run
    from miner.share import document_view

    run = load_run(survey_run)
    view = document_view(run)
    assert list(view.columns[:2]) == ["row_id", "question"]
    assert not view.duplicated(["row_id", "question"]).any()
    analysed = run.documents[run.documents["status"].isin(schema.ANALYSED)]
    assert view["question"].tolist() == analysed["question"].tolist()


def test_the_score_said_to_be_the_drivers_base_is_the_drivers():
    # A respondent who answered the first question in Polish and the second in English
    # counts in the drivers (one row per respondent, English answers); the score said to
    # be their base had kept each score on the first answer in any language and then
    # dropped the Polish ones (954 respondents said, 992 in the drivers).
    from miner.insights.drivers import drivers, score_summary
    from miner.insights.run import _SCORE, _by_respondent, _score_once

    rows = []
    for respondent in range(40):
        polish_first = respondent % 4 == 0
        score = 10 if polish_first else respondent % 7
        for question, language in (("start", "pl" if polish_first else "en"), ("stop", "en")):
            rows.append(
                {
                    "row_id": respondent,
                    "question": question,
                    "status": "ok",
                    "language": language,
                    "theme_id": -1 if language == "pl" else respondent % 2,
                    "theme_ids": [] if language == "pl" else [respondent % 2],
                    _SCORE: float(score),
                }
            )
    work = pd.DataFrame(rows)
    table = drivers(_by_respondent(work), _SCORE, "nps", n_boot=0, min_n=5)
    summary = score_summary(_score_once(work, themed_only=True), _SCORE, "nps", min_n=5)
    assert summary["n"] == table["score_comments"].iloc[0] == 40
    assert summary["score"] == pytest.approx(table["score"].iloc[0])


def test_cocreators_are_quoted_from_the_answer_about_the_item(survey_run):
    # A respondent's answers share the row id: the co-creators CSV had quoted the last
    # answer of the row ("n/a" to "Anything else?") for an item of another answer.
    from miner.persist import load_run
    from miner.roadmap import export

    run = load_run(survey_run)
    texts = export.quote_texts(run)
    documents = run.documents
    row = documents.loc[documents["question"] == "like"].iloc[0]
    other = documents[(documents["row_id"] == row["row_id"]) & (documents["question"] != "like")]
    assert texts[(int(row["row_id"]), "like")] != texts[(int(row["row_id"]), "improve")]
    feed = {
        "themes": [
            {
                "level": "theme",
                "rank": 1,
                "id": "theme-1",
                "label": "A theme",
                "co_creators": [
                    {
                        "customer_id": "C1",
                        "score": 1.0,
                        "reasons": ["stated a job"],
                        "row_ids": [int(row["row_id"])],
                        "questions": ["like"],
                    }
                ],
            }
        ]
    }
    table = export.cocreators_frame(feed, texts)
    quoted = table["quotes"].iloc[0]
    assert quoted == f"[row {row['row_id']}] {texts[(int(row['row_id']), 'like')]}"
    assert texts[(int(row["row_id"]), str(other["question"].iloc[0]))] not in quoted


def test_a_move_refuses_a_row_that_holds_several_answers(survey_run, tmp_path):
    # "curate move 3" had moved both of respondent 3's answers and said "move 1 comment".
    import shutil

    from miner.curate import move_comments
    from miner.errors import CurationError
    from miner.persist import load_run

    run_dir = shutil.copytree(survey_run, tmp_path / "run")
    documents = load_run(run_dir).documents
    analysed = documents[documents["status"].isin(["ok", "duplicate"])]
    counts = analysed.groupby("row_id").size()
    both, one = int(counts[counts == 2].index[0]), int(counts[counts == 1].index[0])
    with pytest.raises(CurationError, match=rf"rows \[{both}\] each hold answers to several"):
        move_comments(run_dir, [both], -1)
    move_comments(run_dir, [one], -1)  # a respondent with one analysed answer moves
    moved = load_run(run_dir).documents
    assert (moved.loc[moved["row_id"] == one, "theme_id"] == -1).all()
