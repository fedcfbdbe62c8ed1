"""Language detection: offline, English stays English, other languages get no English theme."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from miner.clean import clean
from miner.language import detect_languages

FOREIGN = [
    ("fr", "La synchronisation avec la banque ne fonctionne plus depuis la mise à jour."),
    ("fr", "Impossible d'exporter mes factures en PDF, le fichier est toujours vide."),
    ("fr", "J'aimerais pouvoir envoyer des relances automatiques à mes clients."),
    ("fr", "Le mot de passe ne se réinitialise pas, je ne reçois jamais le code."),
    ("es", "La aplicación se cierra cada vez que intento escanear un recibo."),
    ("es", "Me gustaría poder exportar las facturas a Excel para mi contador."),
    ("de", "Die Bankverbindung wird seit dem letzten Update nicht mehr synchronisiert."),
    ("de", "Bitte fügt eine Möglichkeit hinzu, Rechnungen in Fremdwährung zu schreiben."),
]


def test_detects_common_languages_and_keeps_short_english_english():
    texts = [text for _, text in FOREIGN] + ["Love it", "crashes on login", "ok thanks", "10/10"]
    expected = [lang for lang, _ in FOREIGN] + ["en"] * 4
    assert detect_languages(texts) == expected


def test_short_questions_made_of_english_words_stay_english():
    # The detector alone puts Norwegian and Spanish on top of these (and English under
    # 0.1); most of their words are ones only English spells so.
    texts = ["how long til my refund goes through?", "How do I get an actual statement?"]
    assert detect_languages(texts) == ["en", "en"]
    # Words of feedback about a product count too ("Ja, ..." had made it Finnish).
    assert detect_languages(["Ja, export fails again."]) == ["en"]
    # One English word in a French or Spanish comment does not make it English.
    texts = ["je ne peux pas me connecter to the app", "No funciona la app"]
    assert detect_languages(texts) == ["fr", "es"]


def test_demo_english_comments_stay_english(demo_frames):
    feedback, truth = demo_frames
    english = feedback.loc[truth["theme"] != "none", "comment"].tolist()
    languages = np.array(detect_languages(english))
    assert np.mean(languages != "en") <= 0.005, pd.Series(english)[languages != "en"].tolist()


def test_clean_gives_languages_to_text_rows_only():
    cleaned = clean(["Le paiement a échoué deux fois", "", "12", "le paiement a échoué deux fois"])
    assert cleaned.languages == ["fr", None, None, "fr"]


@pytest.mark.slow
def test_other_languages_are_kept_flagged_and_not_in_english_themes(demo_frames, tmp_path):
    from miner import FeedbackMiner, load_run
    from miner.report import to_json, to_markdown

    feedback, truth = demo_frames
    english = feedback.loc[truth["theme"] != "none", "comment"].head(250).tolist()
    texts = english + [text for _, text in FOREIGN]
    countries = ["US", "EU"] * (len(english) // 2) + ["EU"] * len(FOREIGN)
    frame = pd.DataFrame({"comment": texts, "country": countries})
    miner = FeedbackMiner(seed=42, per_document=False, resamples=0, min_n=5)
    miner.fit(frame, text_col="comment", segment_cols=["country"])
    docs = miner.documents_
    foreign = docs.iloc[len(english) :]
    assert foreign["language"].tolist() == [lang for lang, _ in FOREIGN]
    assert (foreign["status"] == "ok").all()  # kept
    assert (foreign["theme_id"] == -1).all()
    assert all(len(ids) == 0 for ids in foreign["theme_ids"])
    assert (docs.iloc[: len(english)]["theme_id"] >= 0).mean() > 0.9
    run = load_run(miner.save_run(tmp_path / "run"))
    assert "Languages: en 250, fr 4, es 2, de 2" in to_markdown(run)
    assert '"fr": 4' in to_json(run)
    # The unassigned row says what it holds: not themes that failed on them.
    loose = run.themes.set_index("theme_id").loc[-1, "theme_label"]
    assert loose == "Unassigned (8 in other languages)"
    # A theme's share in a segment is of the comments in English: the EU's 8 comments in
    # other languages (no theme by design) do not make it speak less of every theme.
    lifts = run.segment_lifts
    assert set(lifts.loc[lifts["segment"] == "EU", "segment_comments"]) == {len(english) // 2}

    scored = miner.transform([FOREIGN[0][1], english[0]])
    assert scored["language"].tolist() == ["fr", "en"]
    assert scored["theme_id"].tolist()[0] == -1 and scored["theme_id"].tolist()[1] >= 0
    assert not scored["theme_novel"].iloc[0]  # another language is not a new topic


def test_short_bilingual_app_reviews(shared_data):
    """Issue 18's bar on the 3-9-word rows of the Mini-BAR app reviews (en/fr)."""
    frame = pd.read_csv(
        shared_data / "minibar_app_review_kind" / "minibar_app_review_kind.csv",
        keep_default_na=False,
    )
    words = frame["text"].str.split().str.len()
    short = frame[(words >= 3) & (words <= 9)]
    predicted = np.array(detect_languages(short["text"].tolist()))
    assert np.mean(predicted == short["lang"].to_numpy()) >= 0.93


def test_the_english_heads_do_not_read_other_languages():
    from miner.analysis import DocumentAnalyser
    from miner.overview import headline
    from miner.persist import Run
    from miner.pipeline import analyse_rows
    from miner.tables import language_note

    english = [
        "The bank sync keeps failing, I want to export my invoices to PDF.",
        "Love the new dashboard, it is so quick!",
    ]
    texts = english + [text for _, text in FOREIGN]
    cleaned = clean(texts)
    rows, analysis, jobs = analyse_rows(DocumentAnalyser(), cleaned, np.arange(len(texts)))
    assert rows.tolist() == list(range(len(texts)))  # every row kept
    ours, other = analysis.iloc[:2], analysis.iloc[2:]
    assert ours["sentiment"].tolist() == ["negative", "positive"] and ours["kind"].notna().all()
    assert len(jobs[0]) >= 1 and ours["job_statement"].notna().iloc[0]
    for column in ("sentiment", "sentiment_score", "kind", "kind_confidence", "job_statement"):
        assert other[column].isna().all(), column
    assert all(found == [] for found in jobs[2:]) and all(s == [] for s in other["jobs"])
    # Figures built on the heads leave those comments out, and say so.
    documents = pd.concat([pd.DataFrame({"row_id": rows, "status": "ok"}), analysis], axis=1)
    documents["language"] = cleaned.languages
    documents["job_id"] = [0, -1, *[-1] * len(FOREIGN)]
    run = Run(documents, pd.DataFrame({"theme_id": [], "theme_label": []}), meta={})
    figures = {f.name: f for f in headline(run, min_n=1)}
    assert figures["net sentiment"].n == 2 and figures["net sentiment"].value == 0.0
    assert figures["with a job"].n == 2 and figures["with a job"].value == 0.5
    assert "not in English left out" in figures["net sentiment"].help
    assert "given no theme, sentiment, kind or job" in language_note(documents)


def test_a_comment_mostly_in_english_with_a_line_in_another_language_is_english():
    # A French tail had made an English bug report French, and left it without a theme.
    from miner.language import detect_languages

    texts = [
        "The mobile app crashes when I open the camera to scan a receipt. Très déçu, café über",
        "Très bien. I love it.",  # as much French as English: the model decides
        "L'application plante tout le temps. Vraiment nul. Bad app.",
    ]
    assert detect_languages(texts) == ["en", "fr", "fr"]


def test_a_text_of_latin_letters_is_never_a_language_of_another_script():
    # A chat's "pls add salck" had been Russian: kept out of the themes and the heads.
    from miner.language import detect_languages

    texts = ["pls add salck", "приложение падает после обновления", "la app no funciona"]
    assert detect_languages(texts) == ["en", "ru", "es"]


def test_a_text_mostly_in_another_script_is_never_english():
    # A helper's eight-language NPS export: "満足", "좋아요" and "满意" had come out
    # English (the model's prior on a short text it has no signal for), with a sentiment.
    from miner.language import detect_languages

    texts = ["満足", "좋아요", "满意", "特に問題ありません", "спасибо", "שלום"]
    assert detect_languages(texts) == ["zh", "ko", "zh", "ja", "ru", "he"]
    # Mostly Latin letters around a word of another script: as before.
    mixed = ["Crash on iOS 17 when I export — 崩溃", "Привет, the export fails again every day"]
    assert detect_languages(mixed) == ["en", "en"]


def test_short_answers_in_other_languages_are_not_english():
    # A multilingual NPS export's one-word answers "gut", "bom", "ótimo", "danke" had
    # been English (the model's prior) and "nul" Romanian: English sentiment, a
    # per-country net sentiment made of misread words.
    from miner.language import detect_languages

    texts = ["gut", "bom", "ótimo", "Péssimo!", "danke", "nul", "merci", "Super app", "muito bom"]
    assert detect_languages(texts) == ["de", "pt", "pt", "pt", "de", "fr", "fr", "en", "pt"]
    # Words English writes too, or an answer of more words, are left to the model.
    assert detect_languages(["gut feeling", "good", "Top", "ok thanks"]) == ["en"] * 4
