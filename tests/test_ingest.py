"""Reading every supported format into one row per input row, order and ids kept."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from miner.errors import ColumnNotFound, InputNotFound, NoUsableText, UnreadableInput
from miner.ingest import detect_text_column, iter_tables, load_corpus, read_table

ROWS = pd.DataFrame(
    {
        "respondent": ["007", "008", "009"],
        "plan": ["pro", "free", "pro"],
        "comment": [
            "The bank feed stops syncing every Monday morning",
            "Please add dark mode, my eyes hurt at night",
            "Exporting invoices to CSV loses the currency column",
        ],
        "nps": ["3", "8", "5"],
    }
)


def _write(frame: pd.DataFrame, path, kind: str) -> None:
    if kind == "csv":
        frame.to_csv(path, index=False)
    elif kind == "tsv":
        frame.to_csv(path, index=False, sep="\t")
    elif kind == "xlsx":
        frame.to_excel(path, index=False)
    elif kind == "json":
        path.write_text(json.dumps(frame.to_dict(orient="records")))
    elif kind == "jsonl":
        frame.to_json(path, orient="records", lines=True)
    elif kind == "parquet":
        frame.to_parquet(path, index=False)


@pytest.mark.parametrize("kind", ["csv", "tsv", "xlsx", "json", "jsonl", "parquet"])
def test_every_format_reads_the_same_rows(tmp_path, kind):
    path = tmp_path / f"survey.{kind}"
    _write(ROWS, path, kind)
    corpus = load_corpus(path)
    assert corpus.text_col == "comment"
    assert corpus.texts == ROWS["comment"].tolist()
    assert corpus.text_col_detected


@pytest.mark.parametrize("kind", ["csv", "tsv", "json", "jsonl"])
def test_a_gzip_compressed_export_reads_as_its_unpacked_file(tmp_path, kind):
    # A warehouse's nightly "feedback.csv.gz" had been refused as an unsupported format.
    import gzip

    plain = tmp_path / f"survey.{kind}"
    _write(ROWS, plain, kind)
    packed = tmp_path / f"survey.{kind}.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert load_corpus(packed).texts == load_corpus(plain).texts == ROWS["comment"].tolist()
    assert read_table(packed).equals(read_table(plain))


def test_a_gz_that_is_not_gzip_or_holds_another_format_says_so(tmp_path):
    import gzip

    fake = tmp_path / "survey.csv.gz"
    fake.write_text("comment\nhello there\n")
    with pytest.raises(UnreadableInput, match="not gzip-compressed"):
        load_corpus(fake)
    packed = tmp_path / "survey.parquet.gz"
    packed.write_bytes(gzip.compress(b"PAR1 whatever"))
    with pytest.raises(UnreadableInput, match="holds CSV, TSV, TXT, JSON or JSONL"):
        load_corpus(packed)
    cut = tmp_path / "cut.csv.gz"
    whole = gzip.compress(("comment\n" + "export fails again\n" * 5000).encode())
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(UnreadableInput, match="cut.csv.gz as CSV"):
        load_corpus(cut)


def test_a_header_cell_with_a_line_break_is_one_column_name(tmp_path):
    # Survey tools write a long question over lines ("Plan\nType" in quotes): the file had
    # been read as one column of raw CSV lines, and fitted into 42 themes without a word.
    path = tmp_path / "survey.csv"
    rows = [f'{i},pro,"the export fails on file {i}, again"' for i in range(30)]
    path.write_text('id,"Plan\nType",comment\n' + "\n".join(rows) + "\n")
    table = read_table(path)
    assert table.columns.tolist() == ["id", "Plan Type", "comment"]
    assert len(table) == 30 and table["comment"][3] == "the export fails on file 3, again"


def test_cells_are_kept_as_written(tmp_path):
    path = tmp_path / "survey.csv"
    ROWS.to_csv(path, index=False)
    frame = read_table(path)
    assert frame["respondent"].tolist() == ["007", "008", "009"]
    assert frame["nps"].tolist() == ["3", "8", "5"]


def test_txt_is_one_comment_per_line(tmp_path):
    path = tmp_path / "comments.txt"
    path.write_text("sync is broken\n\nlove the reports\n")
    corpus = load_corpus(path)
    assert corpus.texts == ["sync is broken", "", "love the reports"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-be"])
def test_encodings(tmp_path, encoding):
    path = tmp_path / "survey.csv"
    text = "id,comment\n1,Café prices – too high for what you get\n"
    if encoding == "utf-16-be":  # with its byte order mark, as Excel writes UTF-16
        text = "\ufeff" + text
    path.write_bytes(text.encode(encoding))
    corpus = load_corpus(path)
    assert corpus.frame.columns.tolist() == ["id", "comment"]
    assert corpus.texts == ["Café prices – too high for what you get"]


def test_semicolon_delimited_csv(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("id;comment\n1;The app crashes, then logs me out\n2;Great support\n")
    corpus = load_corpus(path, text_col="comment")
    assert corpus.texts == ["The app crashes, then logs me out", "Great support"]
    # Excel's delimiter line first: read as the delimiter, not as the header (its
    # ids, dates and scores had been lost in one column of raw lines).
    path.write_text("sep=;\nid;nps;comment\n007;2;The app crashes, then logs me out\n")
    corpus = load_corpus(path)
    assert corpus.text_col == "comment" and corpus.frame["id"].tolist() == ["007"]
    assert corpus.texts == ["The app crashes, then logs me out"]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_csv_whose_every_cell_spans_lines_keeps_its_columns(tmp_path, delimiter):
    # Tickets and e-mails: each body a quoted cell of many lines, so most lines of the
    # file hold no delimiter at all. It was read as one column named after the header.
    bodies = [
        f"Hi team,\n\nTicket {i}: the export fails, again.\nIt worked last week.\n\nThanks,\nAnna"
        for i in range(30)
    ]
    frame = pd.DataFrame({"ticket_id": range(30), "plan": ["pro"] * 30, "body": bodies})
    path = tmp_path / "tickets.csv"
    frame.to_csv(path, index=False, sep=delimiter)
    corpus = load_corpus(path, text_col="body", id_col="ticket_id")
    assert corpus.frame.columns.tolist() == ["ticket_id", "plan", "body"]
    assert corpus.texts == bodies
    # A one-column file whose answers hold commas and quoted line breaks stays one column.
    path.write_text('comment\n"Slow, and\nit crashes"\nfine, thanks\n"Good, but\npricey"\n')
    assert load_corpus(path).texts == ["Slow, and\nit crashes", "fine, thanks", "Good, but\npricey"]


def test_xlsx_sheet_choice(tmp_path):
    path = tmp_path / "survey.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="summary", index=False)
        ROWS.to_excel(writer, sheet_name="answers", index=False)
    assert load_corpus(path, sheet="answers").texts == ROWS["comment"].tolist()
    with pytest.raises(ColumnNotFound, match="sheets are: summary, answers"):
        load_corpus(path, sheet="nope")


def test_a_hand_kept_workbook_is_read_under_its_header_from_its_data_sheet(tmp_path):
    # A summary sheet first, a title and a blank row above the header, a totals row
    # closing the data: the summary had been read as the feedback ("Read 2 rows"), the
    # title as the header (every column "Unnamed: N"), "Total" as a comment.
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    summary.append(["Responses", 3])
    summary.append(["Average rating", 4.1])
    answers = book.create_sheet("Responses")
    answers.append(["Customer feedback export, Q1 2024 (confidential)"])
    answers.append([])
    answers.append(list(ROWS.columns))
    many = pd.concat([ROWS] * 10, ignore_index=True)
    for row in many.itertuples(index=False):
        answers.append(list(row))
    answers.append([])
    answers.append(["Total", None, "30 comments", None])
    path = tmp_path / "tracker.xlsx"
    book.save(path)
    table = iter_tables(path)
    first = next(table)
    assert list(first.frame.columns) == list(ROWS.columns)
    comments = first.frame["comment"].tolist()
    assert comments[:30] == many["comment"].tolist() and "30 comments" not in comments
    said = " ".join(first.notes)
    assert "read 'Responses'" in said and "header is row 3" in said and "totals row" in said
    # A sheet named is read as named; a plain sheet reads as before, nothing said.
    assert load_corpus(path, sheet="Summary").texts[0] == "Average rating"
    plain = tmp_path / "plain.xlsx"
    ROWS.to_excel(plain, index=False)
    read = next(iter_tables(plain))
    assert read.frame["comment"].tolist() == ROWS["comment"].tolist() and not read.notes
    # A short first sheet of comments before a long product list is the data; a last
    # row whose first cell is "Average" (a rating word) is a row, not a totals row.
    two = tmp_path / "two.xlsx"
    comments = ROWS.assign(rating=["Good", "Poor", "Average"])
    products = pd.DataFrame({"sku": [f"P{i}" for i in range(120)], "name": ["Blue mug"] * 120})
    with pd.ExcelWriter(two) as writer:
        comments[["rating", "comment"]].to_excel(writer, sheet_name="answers", index=False)
        products.to_excel(writer, sheet_name="products", index=False)
    read = next(iter_tables(two))
    assert read.frame["comment"].tolist() == ROWS["comment"].tolist()
    assert "read 'answers'" in " ".join(read.notes)


def test_text_column_detection_prefers_free_text():
    frame = pd.DataFrame(
        {
            "region": ["north america", "europe", "asia pacific"] * 10,
            "comment": [f"comment number {i} about slow invoice exports" for i in range(30)],
            "score": list(range(30)),
        }
    )
    assert detect_text_column(frame) == "comment"


def test_a_file_of_categories_and_codes_has_no_text_column():
    from miner.errors import NoUsableText

    # A plan of "A"/"B" had been taken as the comments (and the fit then failed saying
    # its rows were empty or symbols); ids such as "R00017" are codes, not text.
    frame = pd.DataFrame(
        {
            "review_id": [f"R{i:05d}" for i in range(100)],
            "plan": ["A", "B"] * 50,
            "platform": ["ios", "android", "web", "ios"] * 25,
            "rating": [str(i % 5 + 1) for i in range(100)],
        }
    )
    with pytest.raises(NoUsableText, match="no column holds text .the wordiest, 'platform'"):
        detect_text_column(frame)
    # Short answers are still text.
    words = "fast slow good ok pricey buggy great clunky simple confusing reliable cheap "
    words += "powerful laggy intuitive ugly clean dated solid flaky"
    answers = frame.assign(answer=words.split() * 5)
    assert detect_text_column(answers) == "answer"


def test_addresses_are_never_the_comment_column():
    # A ticket export with the body blank: the requester's e-mail had been taken as the
    # comments (its addresses became a theme's label); the short subject is the text.
    subjects = ["Login loop", "Export slow", "Charged twice", "App crash", "Sync stuck"]
    frame = pd.DataFrame(
        {
            "requester_email": [f"firstname.lastname{i}@customer-company.com" for i in range(50)],
            "profile": [f"https://example.com/users/{i}" for i in range(50)],
            "subject": subjects * 10,
            "description": [""] * 50,
        }
    )
    assert detect_text_column(frame) == "subject"


def test_unknown_column_lists_the_columns(tmp_path):
    path = tmp_path / "survey.csv"
    ROWS.to_csv(path, index=False)
    with pytest.raises(ColumnNotFound) as error:
        load_corpus(path, text_col="feedback")
    assert "respondent, plan, comment, nps" in str(error.value)
    assert str(error.value).startswith("E103")


def test_column_names_match_case_insensitively(tmp_path):
    path = tmp_path / "survey.csv"
    ROWS.to_csv(path, index=False)
    assert load_corpus(path, text_col="Comment").text_col == "comment"


def test_missing_unsupported_and_broken_files(tmp_path):
    with pytest.raises(InputNotFound):
        load_corpus(tmp_path / "nothing.csv")
    odd = tmp_path / "survey.docx"
    odd.write_text("hello")
    with pytest.raises(UnreadableInput, match="unsupported format"):
        load_corpus(odd)
    broken = tmp_path / "survey.xlsx"
    broken.write_bytes(b"this is not a zip file at all")
    with pytest.raises(UnreadableInput, match="Excel"):
        load_corpus(broken)
    bad_json = tmp_path / "survey.jsonl"
    bad_json.write_text('{"comment": broken\n{"comment": "fine"}\n')
    with pytest.raises(UnreadableInput, match="line 1"):
        load_corpus(bad_json)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(NoUsableText):
        load_corpus(empty)


def test_chunks_cover_every_row_in_order(tmp_path):
    path = tmp_path / "survey.csv"
    big = pd.concat([ROWS] * 7, ignore_index=True)
    big.to_csv(path, index=False)
    chunks = [table.frame for table in iter_tables(path, chunk_rows=5)]
    assert [len(c) for c in chunks] == [5, 5, 5, 5, 1]
    joined = pd.concat(chunks)
    assert joined.index.tolist() == list(range(21))
    assert joined["comment"].tolist() == big["comment"].tolist()


def test_a_utf16_tab_separated_export_with_line_breaks_in_cells(tmp_path):
    path = tmp_path / "export.tsv"
    text = 'id\tcomment\r\n1\t"two\r\nlines"\r\n2\tTrès lent\r\n'
    path.write_bytes(text.encode("utf-16"))  # Excel's "Unicode Text": UTF-16 LE, BOM
    corpus = load_corpus(path, text_col="comment")
    assert corpus.texts == ["two\nlines", "Très lent"]
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"\xff\xfe" + "comment\n".encode("utf-16-le") + b"\x00\xd8\x41")
    with pytest.raises(UnreadableInput, match="starts as UTF-16 text but is not"):
        load_corpus(broken)


def test_a_header_only_file_and_random_bytes_say_what_is_wrong(tmp_path):
    import random

    header = tmp_path / "header.csv"
    header.write_text("customer_id,date,comment\n")
    with pytest.raises(NoUsableText, match=r"no rows \(only the header: customer_id, date"):
        load_corpus(header)
    junk = tmp_path / "junk.csv"
    junk.write_bytes(random.Random(0).randbytes(2048))
    with pytest.raises(UnreadableInput, match="looks like a binary file, not text"):
        load_corpus(junk)


def test_nullable_columns_keep_their_missing_values_and_integers():
    from miner.clean import clean
    from miner.ingest import corpus_from_frame
    from miner.tables import attach_input

    frame = pd.DataFrame(
        {
            "comment": pd.array(["sync is broken", None, "love the reports"], dtype="string"),
            "cid": pd.array([82, None, 7], dtype="Int64"),
        }
    )
    corpus = corpus_from_frame(frame, text_col="comment", id_col="cid")
    assert corpus.texts == ["sync is broken", "", "love the reports"]  # not "<NA>"
    assert clean(corpus.texts).status[1] == "empty"
    kept = attach_input(pd.DataFrame({"row_id": [0, 1, 2]}), frame)
    assert str(kept["cid"].dtype) == "Int64" and kept["cid"].astype("string").tolist()[0] == "82"


def test_columns_joined_by_a_plus_are_read_as_one_comment(tmp_path):
    path = tmp_path / "reviews.csv"
    pd.DataFrame(
        {
            "title": ["Love it", "Crashes!", "", "Fees"],
            "body": ["Syncs fine", "Since 4.5 it won't open.", "Only a body", None],
            "rating": [5, 1, 3, 2],
        }
    ).to_csv(path, index=False)
    corpus = load_corpus(path, text_col="title+Body")  # parts match as columns do
    assert corpus.text_col == "title+Body" and corpus.questions is None
    assert corpus.texts == [
        "Love it. Syncs fine.",
        "Crashes! Since 4.5 it won't open.",
        "Only a body.",
        "Fees.",
    ]
    assert len(corpus) == 4 and list(corpus.frame["rating"]) == ["5", "1", "3", "2"]
    with pytest.raises(ColumnNotFound, match="text column 'summary' not found"):
        load_corpus(path, text_col="title+summary")


def test_joined_answers_leave_out_the_parts_that_say_nothing(tmp_path):
    # A survey's three questions joined: "N/A. See above. Nothing really." had been a
    # comment and such rows the largest theme ("NA").
    path = tmp_path / "survey.csv"
    pd.DataFrame(
        {
            "start": ["N/A", "More hybrid days", "nothing", "-"],
            "stop": ["See above", "n/a", "The weekly all-hands", "As above."],
            "other": ["Nothing really", "+1", "", "none"],
        }
    ).to_csv(path, index=False)
    corpus = load_corpus(path, text_col="start+stop+other")
    assert corpus.texts == ["", "More hybrid days.", "The weekly all-hands.", ""]
    # Each part loses its own furniture: a note's greeting after its title had stayed
    # in 65 of 65 joined notes ("API rate limits too low. Hi Rachel, ...").
    from miner.clean import analysed_text

    notes = pd.DataFrame(
        {
            "title": ["API rate limits too low"],
            "content": ["Hi Rachel,\n\nOur sync takes 9 hours now.\n\nKind regards,\nFreya"],
        }
    )
    notes.to_csv(tmp_path / "notes.csv", index=False)
    corpus = load_corpus(tmp_path / "notes.csv", text_col="title+content")
    assert analysed_text(corpus.texts[0]) == "API rate limits too low. Our sync takes 9 hours now."


def test_a_thread_title_joined_to_a_reply_that_says_nothing_is_no_comment(tmp_path):
    # A Reddit export a row per post or comment, the thread's title on each: joined as
    # "title+body", 104 "[deleted]" comments and 102 "+1" replies had each been read as
    # their thread's title, one more voice for it.
    path = tmp_path / "reddit.csv"
    rows = [
        ("Card declined in Japan with travel mode on?", "Declined at 3 stores in Tokyo."),
        ("Card declined in Japan with travel mode on?", "[deleted]"),
        ("Card declined in Japan with travel mode on?", "Same in France, every petrol station."),
        ("App stuck in a login loop since the update", "Loops back to the login page."),
        ("App stuck in a login loop since the update", "+1"),
        ("App stuck in a login loop since the update", "Reinstalling did not help."),
    ]
    pd.DataFrame(rows, columns=["title", "body"]).to_csv(path, index=False)
    texts = load_corpus(path, text_col="title+body").texts
    assert texts[1] == texts[4] == ""
    assert (
        texts[2]
        == "Card declined in Japan with travel mode on? Same in France, every petrol station."
    )
    # A review's own title stays its comment when its body is empty, however many
    # reviews share it.
    reviews = pd.DataFrame(
        {
            "title": ["Great app", "Great app", "Great app", "Too many ads", "Great app"],
            "body": ["Syncs fast.", "", "Love the widgets.", "", "n/a"],
        }
    )
    reviews.to_csv(tmp_path / "reviews.csv", index=False)
    texts = load_corpus(tmp_path / "reviews.csv", text_col="title+body").texts
    assert texts == [
        "Great app. Syncs fast.",
        "Great app.",
        "Great app. Love the widgets.",
        "Too many ads.",
        "Great app.",
    ]


def test_a_unicode_text_export_named_txt_is_read_as_its_table(tmp_path):
    # Excel's "Unicode Text" save: UTF-16, tab-separated, a header, always named .txt;
    # it had been read a line per comment (5,510 "comments" for 400 tickets).
    path = tmp_path / "tickets.txt"
    rows = 'id\tplan\tbody\n1\tPro\t"Export fails\nevery night"\n2\tFree\tLove the new charts\n'
    path.write_bytes(rows.encode("utf-16"))
    frame = read_table(path)
    assert list(frame.columns) == ["id", "plan", "body"]
    assert frame["body"].tolist() == ["Export fails\nevery night", "Love the new charts"]
    # A comment per line that holds a tab stays a comment per line.
    plain = tmp_path / "comments.txt"
    plain.write_text("The export is slow\tsometimes\nLove the app\nSync fails\n")
    assert read_table(plain)["text"].tolist() == [
        "The export is slow\tsometimes",
        "Love the app",
        "Sync fails",
    ]


# ------------------------------------------------------------ survey tools' exports
def _qualtrics_csv(path):
    """A Qualtrics export as the tool writes it: column ids, then the question texts,
    then import ids, then responses (two of them the survey's previews)."""
    rows = [
        ["StartDate", "Status", "ResponseId", "Q1", "Q2_TEXT"],
        ["Start Date", "Response Type", "Response ID", "How likely are you to recommend us?",
         "Why did you give that score?"],
        ['{"ImportId":"startDate"}', '{"ImportId":"status"}', '{"ImportId":"_recordId"}',
         '{"ImportId":"QID1"}', '{"ImportId":"QID2_TEXT"}'],
        ["2026-03-01 09:00:00", "Survey Preview", "R_prev1", "0", "Testing the flow, ignore"],
        ["2026-03-02 10:00:00", "IP Address", "R_a", "9", "Reports load in a second now."],
        ["2026-03-02 11:00:00", "IP Address", "R_b", "3", "The invoice export keeps failing."],
        ["2026-03-03 12:00:00", "Survey Preview", "R_prev2", "10", "test"],
        ["2026-03-04 13:00:00", "IP Address", "R_c", "7", "Fine, but the search is slow."],
    ]  # fmt: skip
    pd.DataFrame(rows[1:], columns=rows[0]).to_csv(path, index=False)


def test_a_qualtrics_export_reads_its_header_rows_as_the_header_and_drops_previews(tmp_path):
    # The question texts and {"ImportId": ...} rows had been analysed as two respondents
    # (a theme, a segment value in every table); previews as real answers.
    path = tmp_path / "qualtrics.csv"
    _qualtrics_csv(path)
    corpus = load_corpus(path)
    assert corpus.text_col == "Q2_TEXT"
    assert corpus.frame["ResponseId"].tolist() == ["R_a", "R_b", "R_c"]
    assert corpus.frame.index.tolist() == [0, 1, 2]  # row ids count the responses
    assert corpus.notes == [
        "The 2 rows under the header are the survey tool's (Qualtrics: the question texts "
        "and import ids), read as the header, not as answers",
        "2 rows left out: the survey tool's previews, tests or spam, not responses "
        "(Status 2 'Survey Preview')",
    ]
    # Exported with numeric values, the Status is a code: 1 is a preview.
    coded = tmp_path / "coded.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["Status"] = frame["Status"].replace({"Survey Preview": "1", "IP Address": "0"})
    frame.to_csv(coded, index=False)
    assert load_corpus(coded).frame["ResponseId"].tolist() == ["R_a", "R_b", "R_c"]
    # Previews only: said, not "the file has no rows".
    previews = tmp_path / "previews.csv"
    frame[frame["Status"] != "0"].to_csv(previews, index=False)
    with pytest.raises(NoUsableText, match="has no responses left to analyse: The 2 rows"):
        load_corpus(previews)
    # An export without its import-id row (older Qualtrics exports): the question row
    # is known by Qualtrics' own columns' titles; it had been read as a respondent.
    legacy = tmp_path / "legacy.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(index=1).to_csv(legacy, index=False)
    older = load_corpus(legacy)
    assert older.frame["ResponseId"].tolist() == ["R_a", "R_b", "R_c"]
    assert older.notes[0] == (
        "The 1 row under the header is the survey tool's (Qualtrics: the question texts), "
        "read as the header, not as answers"
    )
    # A column can be named by its question, as the question row gives it.
    by_question = load_corpus(path, text_col="why did you give  that score?")
    assert by_question.text_col == "Q2_TEXT"
    from miner.batch import _text_columns_line

    assert (
        _text_columns_line(by_question)
        == "text column 'Q2_TEXT' (\"Why did you give that score?\") (given)"
    )
    # Streamed in chunks (miner score), the same rows.
    chunks = list(iter_tables(path, chunk_rows=2))
    assert [r for t in chunks for r in t.frame["ResponseId"]] == ["R_a", "R_b", "R_c"]


def test_a_surveymonkey_export_names_its_choice_columns(tmp_path):
    rows = [
        ["Respondent ID", "What should we improve?", "Which tools do you use?", "", ""],
        ["", "Open-Ended Response", "Boards", "Calendar", "Other (please specify)"],
        ["101", "Faster sync between phone and laptop", "Boards", "", ""],
        ["102", "Cheaper plans for small teams", "", "Calendar", "Gantt"],
    ]
    path = tmp_path / "monkey.csv"
    path.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
    corpus = load_corpus(path)
    assert corpus.frame["Respondent ID"].tolist() == ["101", "102"]
    assert list(corpus.frame.columns[2:]) == [
        "Which tools do you use? - Boards",
        "Which tools do you use? - Calendar",
        "Which tools do you use? - Other (please specify)",
    ]
    assert "SurveyMonkey" in corpus.notes[0]


def test_a_repeated_column_name_is_said(tmp_path):
    path = tmp_path / "jira.csv"
    path.write_text(
        "Summary,Labels,Labels,Labels\nExport fails on big files,backend,regression,\n",
        encoding="utf-8",
    )
    table = load_corpus(path, text_col="Summary")
    assert table.notes == ["'Labels' heads 3 columns: read as 'Labels', 'Labels.1', 'Labels.2'"]


def test_nested_json_fields_are_columns_named_with_dots(tmp_path):
    # An Intercom-like export: the message sits in source.body (it had been "no column
    # holds text"); lists stay as they are.
    records = [
        {"id": i, "source": {"body": f"<p>The mobile app logs me out every {w}.</p>",
         "author": {"type": "user", "name": "Ana"}}, "tags": [{"name": "mobile"}]}
        for i, w in enumerate(["hour", "day", "time I switch apps"])
    ]  # fmt: skip
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps({"conversations": records}), encoding="utf-8")
    corpus = load_corpus(path)
    assert corpus.text_col == "source.body"
    assert {"source.author.type", "source.author.name", "tags"} <= set(corpus.frame.columns)
    assert corpus.frame["tags"].iloc[0] == [{"name": "mobile"}]
    lines = tmp_path / "conversations.jsonl"
    lines.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    assert load_corpus(lines).text_col == "source.body"


def test_other_columns_of_free_text_are_named_when_the_text_column_is_detected():
    from miner.batch import _text_columns_line
    from miner.ingest import corpus_from_frame, other_text_columns

    rng = np.random.default_rng(0)
    words = "sync export invoice calendar slow crash price team mobile report".split()

    def answers(n_words):
        return [" ".join(rng.choice(words, n_words)) + " please" for _ in range(40)]

    frame = pd.DataFrame(
        {
            "created": [f"0{1 + i % 9}/Jan/26 01:41 PM" for i in range(40)],
            "plan": ["Free", "Pro"] * 20,
            "why": answers(14),
            "improve": answers(6),
        }
    )
    assert other_text_columns(frame, ["why"]) == ["improve"]
    line = _text_columns_line(corpus_from_frame(frame))
    assert line.startswith("text column 'why' (detected) (other columns of free text: 'improve';")
    # Several questions: how they were chosen is said with them, not after the hint.
    both = _text_columns_line(corpus_from_frame(frame, text_col=["why", "improve"]))
    assert "questions ('why', 'improve'; given), each answer" in both
    assert both.endswith("give --text-col why+improve")
    assert "other columns" not in _text_columns_line(corpus_from_frame(frame, text_col="why"))
    assert "rows have no" not in line
    # A Reddit dump: submissions' words in title and selftext, comments' in body. The
    # 260 submissions had been read as empty comments, unsaid.
    posts = pd.DataFrame(
        {
            "title": [None] * 30 + answers(6)[:10],
            "selftext": [None] * 30 + answers(14)[:10],
            "body": answers(14)[:30] + [""] * 10,
        }
    )
    line = _text_columns_line(corpus_from_frame(posts))
    assert line.startswith("text column 'body'")
    assert "10 rows have no 'body' but words in another of these columns: --text-col " in line
    assert line.endswith("--text-col title+selftext+body reads every row's words")


def test_an_ordinary_export_is_not_taken_for_a_survey_tools(tmp_path):
    # A ticket export whose "type" says Response, and a help desk's Status "Spam": the
    # first ticket had been dropped as SurveyMonkey's header row (its comment made a
    # column name), and the spam tickets as Qualtrics' previews.
    rows = [["ticket", "type", "Status", "comment"]] + [
        [str(1000 + i), "Response", "Spam" if i % 4 == 0 else "Solved",
         f"The invoice export drops the VAT column on ticket {i}, please fix it soon."]
        for i in range(8)
    ]  # fmt: skip
    path = tmp_path / "tickets.csv"
    pd.DataFrame(rows[1:], columns=rows[0]).to_csv(path, index=False)
    corpus = load_corpus(path)
    assert len(corpus.frame) == 8 and corpus.notes == []
    assert list(corpus.frame.columns) == rows[0]


def test_a_jsonl_line_that_is_not_json_is_a_row_in_error_not_a_lost_file(tmp_path):
    # One broken line had refused the whole file ("line 51 is not JSON (Unterminated
    # string starting at)", the position cut off); a CSV row with broken quoting is
    # already a row of its own with status error.
    path = tmp_path / "thread.jsonl"
    path.write_text(
        '{"body": "Sync drops my calendar events every morning."}\n'
        '{"body": "broken line\n'
        '{"body": "Please add a dark theme for the web app."}\n',
        encoding="utf-8",
    )
    corpus = load_corpus(path)
    assert len(corpus.frame) == 3 and corpus.text_col == "body"
    problems = corpus.row_problems
    assert problems[0] is None and problems[2] is None
    assert (
        problems[1].startswith("line 2 is not JSON (Unterminated string")
        and "column" in problems[1]
    )
    path.write_text('{"body": oops}\n{"body": "fine"}\n', encoding="utf-8")
    with pytest.raises(UnreadableInput, match="line 1 is not JSON"):
        load_corpus(path)


def test_json_cells_a_run_cannot_hold_are_made_so(tmp_path):
    # A text cut inside an emoji (a lone surrogate escape) refused the file; a whole
    # number too large for 64 bits failed the save after the whole fit.
    path = tmp_path / "export.jsonl"
    rows = [
        {"id": 10**30, "body": "The export to CSV is cut short \\ud83d"},
        {"id": 2, "body": "Please add a dark theme for the web app \\ud83d\\ude00"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows).replace("\\\\u", "\\u") + "\n")
    corpus = load_corpus(path)
    assert corpus.frame["body"].tolist() == [
        "The export to CSV is cut short \ufffd",
        "Please add a dark theme for the web app 😀",
    ]
    assert corpus.frame["id"].tolist() == [str(10**30), 2]
    from miner.persist import write_parquet

    write_parquet(corpus.frame, tmp_path / "out.parquet")  # as a run saves it


def test_small_chunks_find_the_same_header_rows_and_columns(tmp_path):
    # Scored a row at a time, Qualtrics' question and import-id rows had been answers
    # (and two rows a chunk, "the file has no rows"); a JSONL chunk whose records had
    # no nested object lost the column the text was read from.
    path = tmp_path / "qualtrics.csv"
    _qualtrics_csv(path)
    whole = load_corpus(path).frame
    for rows in (1, 2):
        chunks = list(iter_tables(path, chunk_rows=rows))
        assert [r for t in chunks for r in t.frame["ResponseId"]] == whole["ResponseId"].tolist()
        assert [i for t in chunks for i in t.frame.index] == list(range(len(whole)))
    lines = tmp_path / "thread.jsonl"
    records = [{"id": i, "source": None if i in (2, 3) else {"body": f"Sync fails {i}"}}
               for i in range(6)]  # fmt: skip
    lines.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    chunks = list(iter_tables(lines, chunk_rows=2))
    assert len(chunks) > 1 and sum(len(t.frame) for t in chunks) == 6
    assert all(list(t.frame.columns) == ["id", "source.body"] for t in chunks)


def test_a_jsonl_line_of_a_list_or_number_is_a_row_in_error_and_a_string_is_a_comment(tmp_path):
    path = tmp_path / "lines.jsonl"
    path.write_text('{"text": "Sync fails every morning"}\n[1, 2, 3]\n"Please add dark mode"\n')
    corpus = load_corpus(path)
    assert corpus.texts[2] == "Please add dark mode" and corpus.row_problems[2] is None
    assert corpus.row_problems[1] == "line 2 is JSON but not a record or a text ([1, 2, 3])"


def test_a_chat_exports_bot_and_system_messages_are_left_out(tmp_path):
    # A community's bot posts ("GG, you just advanced to level 7!") had been its first
    # theme, welcome posts two thirds of a login theme, joins its largest theme.
    slack = tmp_path / "slack.json"
    messages = [
        {"type": "message", "subtype": "channel_join", "user": "U1", "ts": "1717200000.000100",
         "text": "<@U1> has joined the channel"},
        {"type": "message", "user": "U2", "ts": "1717200100.000200",
         "text": "the v3 build cache is broken, every build starts from scratch"},
        {"type": "message", "subtype": "bot_message", "bot_id": "B1", "ts": "1717200200.0003",
         "text": "Build #7891 passed on main"},
        {"type": "message", "user": "U3", "ts": "1717200300.000400",
         "text": "please add a terraform provider, clicking around the ui is slow"},
        {"type": "message", "bot_id": "B2", "ts": "1717200400.0005",
         "text": "Welcome! Please read the rules"},
    ]  # fmt: skip
    slack.write_text(json.dumps(messages))
    corpus = load_corpus(slack)
    assert corpus.frame["user"].tolist() == ["U2", "U3"]
    assert corpus.notes == [
        "3 rows left out: bot or system messages, not people's words (subtype channel_join "
        "1, subtype bot_message 1, bot_id given 1)"
    ]
    discord = tmp_path / "discord.json"
    export = {
        "guild": {"id": "1", "name": "Forge"},
        "messages": [
            {"id": "1", "type": "GuildMemberJoin", "content": "",
             "author": {"name": "ana", "isBot": False}},
            {"id": "2", "type": "Default", "content": "GG, you just advanced to level 7!",
             "author": {"name": "MEE6", "isBot": True}},
            {"id": "3", "type": "Reply", "content": "token refresh is broken since 3.2",
             "author": {"name": "tom", "isBot": False}},
            {"id": "4", "type": "Default", "content": "the new dashboard is great",
             "author": {"name": "lea", "isBot": False}},
        ],
    }  # fmt: skip
    discord.write_text(json.dumps(export))
    corpus = load_corpus(discord)
    assert corpus.frame["author.name"].tolist() == ["tom", "lea"]
    assert "author.isBot true 1" in corpus.notes[0] and "type GuildMemberJoin 1" in corpus.notes[0]
    # A board's own "type" (post, comment), a help desk's "Call", a survey's "Used_Bot"
    # or "team_bot_id" are no chat's: nothing is left out.
    board = tmp_path / "board.csv"
    pd.DataFrame(
        {
            "type": ["post", "Call"],
            "Used_Bot": ["yes", "no"],
            "team_bot_id": ["T1", "T2"],
            "text": ["Dark mode please", "Same, and on mobile"],
        }
    ).to_csv(board, index=False)
    assert len(load_corpus(board).frame) == 2 and not load_corpus(board).notes


def test_a_slack_export_is_read_as_slack_delivers_it(tmp_path):
    # A Slack export (a folder per channel of one JSON file a day, or its .zip) had been
    # "a folder; give a file", and its ts no date.
    import zipfile

    folder = tmp_path / "slack"
    days = {
        "help/2026-06-01.json": [
            {"type": "message", "user": "U1", "ts": "1780290000.000100",
             "text": "the v3 build cache is broken"},
            {"type": "message", "subtype": "channel_join", "user": "U2",
             "ts": "1780290100.000100", "text": "<@U2> has joined the channel"},
        ],
        "feedback/2026-06-02.json": [
            {"type": "message", "user": "U3", "ts": "1780376400.000200",
             "text": "please add a <https://forge.dev/tf|terraform provider>"},
        ],
    }  # fmt: skip
    (folder).mkdir()
    (folder / "channels.json").write_text("[]")
    for name, messages in days.items():
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_text(json.dumps(messages))
    archive = tmp_path / "slack.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name, messages in days.items():
            zipped.writestr(f"Forge Slack export/{name}", json.dumps(messages))
    for path in (folder, archive):
        corpus = load_corpus(path)
        assert corpus.frame["channel"].tolist() == ["feedback", "help"]  # day files sorted
        assert corpus.frame["user"].tolist() == ["U3", "U1"]
        assert corpus.notes[0] == (
            "A Slack export: 3 messages of 2 channels (2 day files), each with its channel"
        )
        assert "subtype channel_join 1" in corpus.notes[1]
    from miner.insights.columns import detect_columns

    found = detect_columns(load_corpus(folder).frame, exclude=("text",))
    assert found.date == "ts"
    # A day file cut short is said, not the whole export refused.
    (folder / "help" / "2026-06-03.json").write_text('[{"type": "message", "te')
    said = load_corpus(folder).notes
    assert said[1] == "1 day file not read (not a list of messages): help/2026-06-03.json"
    # Another folder is still no input.
    (tmp_path / "plain").mkdir()
    with pytest.raises(UnreadableInput, match="is a folder; give a file"):
        load_corpus(tmp_path / "plain")


def test_a_forums_bot_and_system_accounts_are_left_out(tmp_path):
    # A developer community: DiscordChatExporter's CSV (no bot flag: MEE6's level-ups had
    # made a theme, a GitHub webhook's release notes a "bug" theme), Discourse's
    # "system" closing notes (a third of its main bug theme) and Reddit's AutoModerator.
    discord = tmp_path / "discord.csv"
    pd.DataFrame(
        {
            "AuthorID": ["1", "2", "3", "4", "5", "6"],
            "Author": ["MEE6#4876", "ana#1234", "GitHub#0000", "Talbot#2211", "Carl-bot#1472",
                       "DealAlertsBot"],
            "Date": ["6/12/2025 2:03 PM"] * 6,
            "Content": [
                "GG @ana, you just advanced to level 7!",
                "token refresh is broken since 3.2",
                "fix: token refresh when the access token expires",
                "please ship a Windows ARM build of the CLI",
                "Welcome to the server, read the rules first",
                "50% off cloud credits today only!",
            ],
        }
    ).to_csv(discord, index=False)  # fmt: skip
    corpus = load_corpus(discord)
    assert corpus.frame["Author"].tolist() == ["ana#1234", "Talbot#2211"]
    assert "4 rows left out: bot or system messages" in corpus.notes[0]
    posts = tmp_path / "posts.json"
    rows = [
        {"id": 1, "username": "lea", "post_type": 1, "raw": "The docs rewrite is great"},
        {"id": 2, "username": "system", "post_type": 3,
         "raw": "This topic was automatically closed 30 days after the last reply."},
        {"id": 3, "username": "tom", "post_type": 4, "action_code": "closed.enabled",
         "raw": ""},
        {"id": 4, "username": "AutoModerator", "post_type": 1,
         "raw": "Your post was removed. I am a bot, and this action was performed "
                "automatically."},
        {"id": 5, "username": "kai", "post_type": 1,
         "raw": "Sorry, I am a bot fan and this theme was performed well"},
    ]  # fmt: skip
    posts.write_text(json.dumps({"latest_posts": rows}))
    corpus = load_corpus(posts)
    assert corpus.frame["username"].tolist() == ["lea", "kai"]


def test_a_posts_markdown_is_read_before_its_html_twin(tmp_path):
    # Discourse gives each post as "cooked" HTML and "raw" markdown; the HTML, longer,
    # had been the text and its tags' attributes ("aside class quote") themes.
    path = tmp_path / "posts.json"
    rows = [
        {
            "id": i,
            "cooked": f'<aside class="quote no-group" data-username="u{i}"><blockquote>'
            f"<p>old words {i}</p></blockquote></aside><p>The CLI login expires hourly, "
            f"case {i}.</p>",
            "raw": f'[quote="u{i}, post:1"]\nold words {i}\n[/quote]\nThe CLI login '
            f"expires hourly, case {i}.",
        }
        for i in range(20)
    ]
    path.write_text(json.dumps({"latest_posts": rows}))
    corpus = load_corpus(path)
    assert corpus.text_col == "raw"
    assert corpus.texts[0].endswith("The CLI login expires hourly, case 0.")
    # HTML alone (a help desk's body) is still the text.
    only = tmp_path / "tickets.json"
    only.write_text(json.dumps([{"id": r["id"], "body": r["cooked"]} for r in rows]))
    assert load_corpus(only).text_col == "body"


def test_a_forum_exports_posts_nested_in_topics_are_read_as_rows(tmp_path):
    # A Discourse export: topics, each with its posts in post_stream.posts. The topic
    # titles had been read as the comments and the posts left out unsaid.
    topics = [
        {
            "id": t,
            "title": f"Proxy question {t}",
            "category": "help",
            "created_at": "2026-01-01T10:00:00Z",
            "tags": ["cli"],
            "post_stream": {
                "posts": [
                    {"id": 10 * t + p, "username": f"u{p}", "raw": f"Behind a proxy the CLI "
                     f"cannot reach the API, post {p} of topic {t}, any idea how to set it?",
                     "created_at": f"2026-0{2 + p}-10T10:00:00Z"}
                    for p in range(3)
                ]
            },
        }
        for t in range(6)
    ]  # fmt: skip
    path = tmp_path / "discourse.json"
    path.write_text(json.dumps({"meta": {"version": 1}, "topics": topics}))
    corpus = load_corpus(path)
    assert len(corpus) == 18 and corpus.text_col == "raw"
    assert corpus.frame["topic.title"].tolist()[:4] == ["Proxy question 0"] * 3 + [
        "Proxy question 1"
    ]
    assert "read the 18 records nested in 'post_stream.posts' of its 6 topics" in corpus.notes[0]
    # Each post dated by its own date, not its topic's (the first date column is detected).
    assert list(corpus.frame.columns).index("created_at") < list(corpus.frame.columns).index(
        "topic.created_at"
    )
    # A ticket with its own description stays one row, whatever its comments hold.
    tickets = [
        {
            "id": t,
            "description": "The nightly export to the warehouse fails with a timeout after "
            "the last release, every single night since Monday, and we lose a day of data.",
            "comments": [{"author": "agent", "body": "Thanks, looking into it. " * 8}] * 3,
        }
        for t in range(6)
    ]
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps(tickets))
    corpus = load_corpus(path)
    assert len(corpus) == 6 and corpus.text_col == "description"
    # ... and says that its comments are not read (3,820 had been left out unsaid).
    assert corpus.notes == [
        "the 18 records nested in 'comments' are not read: each record's own text is its "
        "row (a ticket's description beside its comments); to read them, export one row "
        "per message"
    ]
    # Named as the text column, a list of messages is said to be one, not "all empty".
    from miner.pipeline import FeedbackMiner

    with pytest.raises(NoUsableText, match="column 'comments' holds lists or records"):
        FeedbackMiner(per_document=False).fit(load_corpus(path, text_col="comments"))


def test_a_chat_export_reads_the_customers_messages_not_the_agents(tmp_path):
    # Intercom's API shape: each conversation's first message in ``source``, the rest
    # in ``conversation_parts.conversation_parts`` (after a ``contacts`` list, which had
    # been read instead: 410 customer messages lost, unsaid), each part's author a
    # user, an admin or a bot; agents' replies, bots and internal notes had been
    # analysed as customers' words (1,910 of 2,650 rows). Each conversation is one
    # comment, its customer's messages joined: read a message a row, "still not
    # working" had lost what it was about.
    def part(n, who, kind="comment"):
        words = {
            "user": "the export still times out on big files",
            "admin": "Thanks for reaching out, I have logged that for our product team",
            "bot": "Did this article help? Resetting your export settings",
        }[who]
        return {
            "type": "conversation_part",
            "id": str(n),
            "part_type": kind,
            "body": f"<p>{words}, message {n}</p>",
            "created_at": 1792091600 + n,
            "author": {"type": who, "id": f"{who}{n % 3}"},
        }

    conversations = [
        {"type": "conversation", "id": str(c), "created_at": 1792091500 + c,
         "source": {"type": "conversation", "body": f"<p>csv export fails, chat {c}</p>",
                    "author": {"type": "user", "id": f"u{c}", "email": f"u{c}@x.com"}},
         "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": f"u{c}"}]},
         "conversation_rating": {"rating": 1 + c % 5, "remark": None},
         "conversation_parts": {"type": "conversation_part.list", "conversation_parts": [
             part(10 * c, "bot"), part(10 * c + 1, "admin"), part(10 * c + 2, "user"),
             part(10 * c + 3, "admin", "note")]}}
        for c in range(8)
    ]  # fmt: skip
    path = tmp_path / "intercom.json"
    path.write_text(json.dumps({"type": "conversation.list", "conversations": conversations}))
    corpus = load_corpus(path)
    assert corpus.text_col == "body" and len(corpus) == 8
    assert set(corpus.frame["author.type"]) == {"user"}
    first = corpus.frame["body"].iloc[0]
    assert "chat 0" in first and "the export still times out on big files" in first
    assert "logged that" not in " ".join(corpus.frame["body"])
    assert corpus.frame["created_at"].notna().all()  # each conversation's date
    assert corpus.frame["conversation_rating.rating"].tolist() == [1 + c % 5 for c in range(8)]
    assert corpus.notes == [
        "read each of the 8 conversations as one comment: its customer's 16 messages joined "
        "in order, the company's 24 left out (agents', bots' and internal notes: author.type "
        "admin 16, bot 8)"
    ]
    # Zendesk's comments: an internal note is public false.
    comments = [{"ticket_id": i // 2, "public": i % 2 == 0, "body": f"SSO fails again {i}"}
                for i in range(10)]  # fmt: skip
    path = tmp_path / "comments.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in comments))
    corpus = load_corpus(path)
    assert len(corpus) == 5 and "(public false 5)" in corpus.notes[0]
    # Its agents, known by an author_id alone, answer many tickets; customers one each.
    comments = [
        {"ticket_id": t, "author_id": who, "public": True, "body": f"{words} {t}"}
        for t in range(25)
        for who, words in ((1000 + t, "SSO fails again for us"), (7, "Thanks, I escalated it"))
    ]
    path.write_text("\n".join(json.dumps(c) for c in comments))
    corpus = load_corpus(path)
    assert len(corpus) == 25 and set(corpus.frame["author_id"]) == set(range(1000, 1025))
    assert "author_id: 1 author writing in 10 tickets or more, as agents do, 25" in corpus.notes[0]
    # A survey's respondent role ("Agent", "Admin", "End user") is theirs, and its
    # TRUE/FALSE "may we quote you" is consent, not an internal note: every row stays
    # (a contact centre's survey had lost 91 of 120 rows).
    survey = pd.DataFrame(
        {
            "role": ["Agent", "Admin", "End user", "Supervisor", "Agent"] * 2,
            "public": ["TRUE", "FALSE"] * 5,
            "comment": [f"Reports are slow {i}" for i in range(10)],
        }
    )
    survey.to_csv(tmp_path / "survey.csv", index=False)
    corpus = load_corpus(tmp_path / "survey.csv")
    assert len(corpus) == 10 and not corpus.notes
    # A column named only "sender" or "speaker" whose values are roles: a chat's
    # messages nested (its 1,200 agent messages had made the top themes), a call's
    # turns a row (agents' and the IVR's turns had been read as the callers'). A
    # "sender" of people's names stays a name.
    chats = [
        {"conversation_id": c, "messages": [
            {"sender": "bot", "text": "Hi, I'm Dash, what can I help with?"},
            {"sender": "customer", "text": f"my order {c} came cold"},
            {"sender": "agent", "text": "Sorry to hear that, let me have a look at your order"},
            {"sender": "customer", "text": "can i get a refund"}]}
        for c in range(4)
    ]  # fmt: skip
    (tmp_path / "chats.json").write_text(json.dumps(chats))
    corpus = load_corpus(tmp_path / "chats.json")
    assert corpus.frame[corpus.text_col].tolist() == [
        f"my order {c} came cold\ncan i get a refund" for c in range(4)
    ]
    turns = pd.DataFrame(
        {
            "call_id": [1, 1, 1, 2, 2, 2],
            "speaker": ["ivr", "agent", "customer", "IVR", "Agent", "Caller"],
            "text": ["please say your account number", "thanks for calling", "my wifi drops"] * 2,
        }
    )
    turns.to_csv(tmp_path / "turns.csv", index=False)
    corpus = load_corpus(tmp_path / "turns.csv")
    assert corpus.texts == ["my wifi drops"] * 2 and "speaker ivr 2, agent 2" in corpus.notes[0]
    turns["speaker"] = ["Ann Lee", "Agent", "Bo Chen", "Agent", "Customer", "Ann Lee"]
    turns.to_csv(tmp_path / "turns.csv", index=False)
    assert len(load_corpus(tmp_path / "turns.csv")) == 6
    # Amazon Connect's "participant_role", and a plain "role" in a file of calls.
    for column in ("participant_role", "role"):
        roles = ["ivr", "agent", "customer"] * 2
        frame = turns.drop(columns="speaker").assign(**{column: roles})
        frame.to_csv(tmp_path / "turns.csv", index=False)
        assert load_corpus(tmp_path / "turns.csv").texts == ["my wifi drops"] * 2


def test_an_interview_is_read_as_what_the_participant_said(tmp_path):
    # A helper's transcripts: the interviewer's words (under "Sam Patel  01:42", or in a
    # "role" column) had topped the themes, jobs and roadmap, and "Tom:" had opened
    # every quote.
    from miner.clean import clean

    otter = (
        "# Interview INT04\nDate: 2026-03-13\nInterviewer: Sam Patel (FieldFlow Research)\n\n"
        "Sam Patel  01:42\nIs it okay if I record this session?\n\n"
        "Jake Morrison  03:11\nyes, that's fine\n\n"
        "Sam Patel  05:27\nHow do you currently deal with cancellations?\n\n"
        "Jake Morrison  05:41\nI keep a spreadsheet on the side with every cancellation\n"
    )
    (tmp_path / "int04.txt").write_text(otter)
    read = load_corpus(tmp_path / "int04.txt")
    kept = [t for t, s in zip(read.texts, clean(read.texts).status, strict=True) if s == "ok"]
    assert kept == ["I keep a spreadsheet on the side with every cancellation"]
    assert "('the interviewer's turns' 2)" in read.notes[0]
    shorthand = (
        "I: How do you plan the week?\nTom: we use a whiteboard\nI: And then?\nTom: mm-hm.\n"
    )
    (tmp_path / "int02.txt").write_text(shorthand)
    read = load_corpus(tmp_path / "int02.txt")
    assert read.texts == [
        "I: How do you plan the week?",
        "we use a whiteboard",
        "I: And then?",
        "mm-hm.",
    ]
    assert clean(read.texts).status.tolist() == ["empty", "ok", "empty", "empty"]
    # A turn a row: the "role" column's interviewer rows are left out and said.
    turns = pd.DataFrame(
        {
            "participant": ["P3"] * 4,
            "speaker": ["Sam Patel", "Maria Gonzalez"] * 2,
            "role": ["interviewer", "participant"] * 2,
            "text": ["How do you plan?", "On a whiteboard", "And then?", "I redo it on Mondays"],
        }
    )
    turns.to_csv(tmp_path / "turns.csv", index=False)
    read = load_corpus(tmp_path / "turns.csv")
    assert read.texts == ["On a whiteboard", "I redo it on Mondays"]
    assert "interviewers' questions" in read.notes[0] and "(role interviewer 2)" in read.notes[0]


def test_markdown_notes_are_read_a_line_a_comment(tmp_path):
    # Meeting notes are usually .md: they had been refused (E102).
    path = tmp_path / "council.md"
    path.write_text("# Council\n\nAna (Acme): the export fails\n\tTom (Initech): SSO please\n")
    corpus = load_corpus(path)
    assert corpus.text_col == "text" and len(corpus) == 4
    # The team's own sections and its facilitator's turns are left out and said: a
    # council's agenda and action items had made the roadmap's first item ("Roadmap").
    notes = (
        "# Customer Advisory Council - March\nFacilitator: Rachel Green (OurCo). Attendees: "
        "Ana Ruiz (Acme), Tom Lee (Initech)\n## Agenda\n- Roadmap review\n- Open discussion\n"
        "## Open discussion\nAna Ruiz (Acme): the export fails on big files\nRachel Green "
        "(OurCo): Would you be open to a design session?\nTom Lee (Initech): SSO please\n"
        "## Action items\n- Rachel to share the roadmap\n"
    )
    path.write_text(notes)
    corpus = load_corpus(path)
    texts = corpus.frame["text"].tolist()
    assert "Ana Ruiz (Acme): the export fails on big files" in texts
    assert not any("Roadmap review" in t or "OurCo):" in t or "share the" in t for t in texts)
    assert corpus.notes == [
        "4 lines left out: the team's own words, its notes' agenda, attendees and follow-ups "
        "and its facilitator's or interviewer's turns ('Agenda' 2, 'the facilitator's turns' 1, "
        "'Action Items' 1)"
    ]


def test_a_streamed_chat_export_says_its_bot_rows_once(tmp_path):
    # Scored in chunks, every chunk had said its own "N rows left out" (146 lines).
    from miner.ingest import iter_tables

    path = tmp_path / "chat.jsonl"
    rows = [{"text": f"message {i} about the export", "is_bot": i % 3 == 0} for i in range(30)]
    path.write_text("\n".join(json.dumps(row) for row in rows))
    tables = list(iter_tables(path, chunk_rows=6))
    said = [note for table in tables for note in table.notes]
    assert said == [
        "2 rows left out: bot or system messages, not people's words (is_bot true 2); "
        "later chunks' are left out too"
    ]
    assert sum(len(t.frame) for t in tables) == 20
    whole = load_corpus(path)
    assert whole.notes == [
        "10 rows left out: bot or system messages, not people's words (is_bot true 10)"
    ]


def test_an_id_column_is_preferred_to_an_email_column():
    from miner.ingest import detect_id_column

    frame = pd.DataFrame(
        {
            "ticket_id": ["T1", "T2"],
            "customer_email": ["a@example.com", "b@example.com"],
            "customer_id": ["C1", "C2"],
            "feedback": ["slow export", "login fails"],
        }
    )
    assert detect_id_column(frame) == "customer_id"
    assert detect_id_column(frame.drop(columns="customer_id")) == "customer_email"


def test_merged_cells_are_read_with_the_value_shown_across_them(tmp_path):
    # A tracker's Region, one merged cell over each block of rows (under a title row),
    # had been read as blanks: no segment, and "Region 207" comments without a value.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Regional feedback tracker"])
    sheet.append(["Region", "comment", "rating"])
    for i in range(6):
        sheet.append([None, f"comment {i} about slow exports", i % 5 + 1])
    sheet["A3"], sheet["A6"] = "EMEA", "APAC"
    sheet.merge_cells("A1:C1")  # the title, above the header: left as it is
    sheet.merge_cells("A3:A5")
    sheet.merge_cells("A6:A8")
    path = tmp_path / "tracker.xlsx"
    book.save(path)
    read = next(iter_tables(path))
    assert read.frame["Region"].tolist() == ["EMEA"] * 3 + ["APAC"] * 3
    assert read.frame["comment"].tolist() == [f"comment {i} about slow exports" for i in range(6)]
    assert any("4 merged cells read with the value shown across them" in n for n in read.notes)


def test_formula_cells_without_a_saved_result_are_said(tmp_path):
    # A workbook written by a script holds "=B2&C2" with no result: its comments had
    # read as blanks, unsaid. A formula Excel saved with its result is read as it.
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(["Survey export"])
    sheet.append(["id", "first", "comment"])
    for row in range(3, 8):
        sheet.append([row, "export keeps failing", f'=B{row}&" again"'])
    path = tmp_path / "generated.xlsx"
    book.save(path)
    read = next(iter_tables(path))
    assert read.frame["comment"].tolist() == [""] * 5
    assert any(
        "5 formula cells hold no saved result and read as blank ('comment' 5)" in n
        for n in read.notes
    )
    # The same file as Excel saves it: each formula with its value.
    saved = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(saved, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb"(<c [^>]*?)>(<f>[^<]*</f>)<v\s*/>",
                    rb'\1 t="str">\2<v>export keeps failing again</v>',
                    data,
                )
                data = re.sub(
                    rb"(<c [^>]*?)>(<f>[^<]*</f>)</c>",
                    rb'\1 t="str">\2<v>export keeps failing again</v></c>',
                    data,
                )
            target.writestr(item, data)
    read = next(iter_tables(saved))
    assert read.frame["comment"].tolist() == ["export keeps failing again"] * 5
    assert not any("formula" in n for n in read.notes)


def test_a_header_repeated_by_joined_files_is_left_out_and_said(tmp_path):
    # Monthly exports joined with cat: the second file's header (with its byte order
    # mark) had been analysed as a review, its "App Version Name" a segment value.
    header = "\ufeffPackage Name,App Version Name,Star Rating,Review Text\n"
    october = header + "".join(
        f"com.app,4.{i % 3}.0,{1 + i % 5},The sync fails after the update in case {i}\n"
        for i in range(20)
    )
    november = header + "com.app,4.3.0,5,Love the new charts\n"
    path = tmp_path / "joined.csv"
    path.write_text(october + november, encoding="utf-8")
    corpus = load_corpus(path)
    assert len(corpus) == 21 and corpus.text_col == "Review Text"
    assert "Package Name" not in corpus.frame["Package Name"].tolist()
    assert corpus.notes == [
        "1 row left out: the header again (files joined one after another, each with its header)"
    ]
    # A comment that names a column is a comment.
    plain = tmp_path / "plain.csv"
    plain.write_text("Review Text,plan\nReview Text,Pro\nslow sync,Free\n")
    assert len(load_corpus(plain, text_col="Review Text")) == 2


def test_a_companys_reply_column_is_not_the_customers_text(tmp_path):
    # A review site's export: the company's canned reply, longer than the reviews, had
    # been read as the comments (one theme, the reply's, over every review).
    reviews = [f"Outlook sync double-booked my client on day {i}" for i in range(30)]
    reply = (
        "Hi {name}, thank you so much for taking the time to share your experience with "
        "us. Our support team would love to help, please write to us any time."
    )
    frame = pd.DataFrame(
        {
            "Review Title": ["Sync issue"] * 30,
            "Review Content": reviews,
            "Reply Content": [reply.format(name=f"Customer {i}") for i in range(30)],
        }
    )
    path = tmp_path / "trustpilot.csv"
    frame.to_csv(path, index=False)
    assert load_corpus(path).text_col == "Review Content"
    # A reply column alone is still read (the only text there is).
    frame[["Reply Content"]].to_csv(path, index=False)
    assert load_corpus(path).text_col == "Reply Content"
    # Nor is it offered to join: Steam's "developer_response", joined to the reviews as
    # the fit's hint said, had made themes of the studio's words ("Stay tuned").
    from miner.ingest import other_text_columns

    steam = frame.rename(columns={"Reply Content": "developer_response"})
    assert other_text_columns(steam, ["Review Content"]) == []
    # Joined all the same, it is said.
    steam.to_csv(path, index=False)
    joined = load_corpus(path, text_col="Review Content+developer_response")
    assert joined.notes == [
        "'developer_response' holds the company's replies: joined in 'Review Content+"
        "developer_response', its words are read as the customers' (their themes, jobs and "
        "sentiment)"
    ]
    assert other_text_columns(frame.drop(columns="Review Title"), ["Review Content"]) == []


def test_a_record_exported_twice_is_counted_once(tmp_path):
    # A Delighted export held 40 responses twice, every cell the same: the NPS had
    # counted them twice.
    rows = [
        {"Response ID": 1000 + i, "Score": i % 11, "Comment": f"Outlook sync failed on day {i}"}
        for i in range(30)
    ]
    path = tmp_path / "nps.csv"
    pd.DataFrame(rows + rows[:4]).to_csv(path, index=False)
    corpus = load_corpus(path)
    assert len(corpus) == 30
    assert corpus.notes == [
        "4 rows left out: the same record again, every cell the same ('Response ID' "
        "included); counted once"
    ]
    # Without an id naming each record, two equal rows may be two people: kept.
    pd.DataFrame(rows + rows[:4]).drop(columns="Response ID").to_csv(path, index=False)
    assert len(load_corpus(path)) == 34
    # The same id with another answer is no copy.
    changed = [{**rows[0], "Comment": "Sync works again"}]
    pd.DataFrame(rows + changed).to_csv(path, index=False)
    assert len(load_corpus(path)) == 31


def test_a_text_column_named_twice_is_refused_when_the_first_holds_no_free_text(tmp_path):
    # A header "...,comment,...,comment" whose first column held plan names: scored with
    # a model fitted on 'comment', every row had been read as "Pro" or "Starter", exit 0.
    plans = ["Pro", "Starter", "Free", "Enterprise"] * 10
    words = [f"the export to excel fails every night since monday ticket {i}" for i in range(40)]
    path = tmp_path / "dup.csv"
    lines = ["id,comment,nps,comment"] + [
        f"{i},{p},{i % 11},{w}" for i, (p, w) in enumerate(zip(plans, words, strict=True))
    ]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ColumnNotFound, match="give --text-col comment.1"):
        load_corpus(path, text_col="comment")
    assert load_corpus(path, text_col="comment.1").texts[0] == words[0]
    # Two open questions under one name: both text, the one named is read.
    lines = ["id,comment,comment"] + [f"{i},{w},{w} too" for i, w in enumerate(words)]
    path.write_text("\n".join(lines) + "\n")
    assert load_corpus(path, text_col="comment").texts[0] == words[0]


def test_a_leave_out_value_no_row_holds_is_said_with_the_columns_values(tmp_path):
    # "--leave-out plan=Internl" had left out nothing, unsaid but for a count of 0.
    path = tmp_path / "in.csv"
    pd.DataFrame(
        {"comment": ["export fails", "sso please", "dark mode"], "plan": ["Pro", "Internal", "Pro"]}
    ).to_csv(path, index=False)
    corpus = load_corpus(path, leave_out={"plan": ["Internl"]})
    assert len(corpus) == 3
    assert corpus.notes == [
        "0 rows left out as asked (--leave-out plan=Internl 0: no row holds it (its values "
        "include Pro, Internal))"
    ]
    assert len(load_corpus(path, leave_out={"PLAN": ["internal"]})) == 2


def test_a_brands_replies_in_a_social_export_are_its_own_side(tmp_path):
    # X/Twitter's export: the brand's account answers in every conversation. Its 489
    # replies had made 7 themes, the top emerging one its own holding reply.
    tweets = []
    for t in range(40):
        conversation = str(1000 + t)
        tweets.append(
            {
                "id": f"{t}a",
                "text": f"@NovaPay card declined abroad again {t}",
                "author_id": str(500 + t),
                "conversation_id": conversation,
            }
        )
        tweets.append({"id": f"{t}b", "text": "Hi there, sorry to hear that! Please DM us ^JK",
                       "author_id": "90001", "conversation_id": conversation,
                       "in_reply_to_user_id": str(500 + t)})  # fmt: skip
    path = tmp_path / "tweets.jsonl"
    path.write_text("\n".join(json.dumps(t) for t in tweets))
    corpus = load_corpus(path)
    assert len(corpus) == 40 and set(corpus.frame["author_id"]) == {str(500 + t) for t in range(40)}
    assert "author_id: 1 author writing in 10 conversations or more, as agents do, 40" in " ".join(
        corpus.notes
    )
    # A vocal customer posting in many threads, none a reply, is a customer (V6: 11 of
    # one's complaints had been left out as the company's).
    vocal = [{"id": f"{t}v", "text": f"still no joint accounts, day {t}", "author_id": "777",
              "conversation_id": str(2000 + t)} for t in range(20)]  # fmt: skip
    path.write_text("\n".join(json.dumps(t) for t in tweets + vocal))
    kept = load_corpus(path)
    assert len(kept) == 60 and (kept.frame["author_id"] == "777").sum() == 20
    # Without a reply column, customers' posts of a thread-less file stay as they are.
    plain = [{k: v for k, v in t.items() if k != "in_reply_to_user_id"} for t in tweets]
    path.write_text("\n".join(json.dumps(t) for t in plain))
    assert len(load_corpus(path)) == 80


def test_a_forums_threads_are_read_post_comment_and_reply_each_a_row(tmp_path):
    # A subreddit export: the 60 posts had been read and their 785 comments and replies
    # left out ("export one row per message"); a moderator's comments are the forum's
    # side, and a post's "score" (its upvotes) is no rating.
    from miner.insights.run import choose_columns

    threads = []
    for t in range(12):
        threads.append(
            {
                "title": f"Card declined abroad {t}",
                "selftext": "Landed in Tokyo and my card is declined at every shop, travel "
                f"mode is on and the balance is fine, anyone else? ({t})",
                "author": f"poster{t}",
                "score": 100 + 40 * t,
                "comments": [
                    {"author": f"a{t}", "body": f"Same in Lisbon last week ({t})", "score": -3,
                     "distinguished": None,
                     "replies": [{"author": f"b{t}", "body": f"Try travel mode again {t}",
                                  "distinguished": None, "replies": []}]},
                    {"author": "mod_jane", "body": f"Please read the pinned FAQ first {t}",
                     "distinguished": "moderator", "replies": []},
                ],
            }
        )  # fmt: skip
    path = tmp_path / "reddit.json"
    path.write_text(json.dumps(threads))
    corpus = load_corpus(path)
    assert corpus.text_col == "body" and len(corpus) == 36  # 12 posts, 12 comments, 12 replies
    texts = corpus.texts
    assert texts[:3] == [
        threads[0]["selftext"],
        "Same in Lisbon last week (0)",
        "Try travel mode again 0",
    ]
    assert not any("pinned FAQ" in text for text in texts)
    assert set(corpus.frame["post.title"]) == {f"Card declined abroad {t}" for t in range(12)}
    assert "read the 12 posts of the file and the 36 comments and replies" in corpus.notes[0]
    chosen = choose_columns(corpus.frame, text_col="body", detect=True)
    assert chosen.score_col is None


def test_a_forum_author_tagged_as_the_team_is_the_companys_side(tmp_path):
    # A Steam thread after a patch: the studio's "EmberColony_Dev [DEV]" had been read as
    # a customer, 13 of a theme's 33 posts and the first co-creator.
    rows = [
        {"post_id": i, "author": f"Player{i}", "text": f"Save corrupted after patch 1.3, run {i}"}
        for i in range(8)
    ]
    rows += [
        {"post_id": 8, "author": "EmberColony_Dev [DEV]", "text": "Hotfix 1.3.1 is live."},
        {"post_id": 9, "author": "Maya (Staff)", "text": "We are looking into saves."},
        {"post_id": 10, "author": "devious_gamer", "text": "Same, the save is gone."},
        {"post_id": 11, "author": "Kara [MOD]", "text": "Please keep to one thread."},
        {"post_id": 12, "author": "xX_Sniper [TEAM]", "text": "Lost my save too, 40 hours."},
    ]
    path = tmp_path / "thread.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    corpus = load_corpus(path)
    assert len(corpus) == 10 and "devious_gamer" in corpus.frame["author"].tolist()
    assert "xX_Sniper [TEAM]" in corpus.frame["author"].tolist()  # a clan's tag
    assert "author EmberColony_Dev [DEV] 1" in corpus.notes[0]


def test_a_json_lines_file_of_api_pages_is_read_as_their_records(tmp_path):
    # Steam's review API saved a page a line (100 reviews each, in "reviews"): the
    # 300 reviews had been 3 rows, the pages' "Mostly Positive" read as the text and its
    # review score as an NPS, exit 0.
    pages = [
        {
            "success": 1,
            "query_summary": {"review_score": 6, "review_score_desc": "Mostly Positive"},
            "reviews": [
                {"recommendationid": f"{p}{r}", "review": f"late game lag, save {p}-{r} broke",
                 "voted_up": r % 2 == 0}
                for r in range(4)
            ],
            "cursor": f"c{p}",
        }
        for p in range(3)
    ]  # fmt: skip
    path = tmp_path / "pages.jsonl"
    path.write_text("\n".join(json.dumps(page) for page in pages) + "\n")
    corpus = load_corpus(path)
    assert len(corpus) == 12 and corpus.text_col == "review"
    assert corpus.notes == [
        "read the 12 records nested in 'reviews' of its 3 records, each with its record's "
        "fields ('record.…'): they hold most of the file's text"
    ]
    # A file of one record a line stays as it is.
    plain = tmp_path / "plain.jsonl"
    plain.write_text("\n".join(json.dumps(r) for r in pages[0]["reviews"]) + "\n")
    assert len(load_corpus(plain)) == 4


def test_a_text_column_given_of_addresses_is_refused(tmp_path):
    # A beta program's export fitted with `--text-col 'Tester Email'`: one theme,
    # "[email]", of 741 comments, exit 0.
    frame = pd.DataFrame(
        {
            "Tester Email": [f"tester{i}@example.com" for i in range(10)],
            "Feedback": [f"Offline maps fail at {80 + i}% on every download" for i in range(10)],
        }
    )
    path = tmp_path / "beta.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(NoUsableText, match="'Tester Email' holds e-mail addresses.*'Feedback'"):
        load_corpus(path, text_col="Tester Email")
    assert len(load_corpus(path, text_col="Feedback")) == 10


def test_a_sellers_answers_in_product_questions_are_the_companys_side(tmp_path):
    # A shop's Q&A export: the seller's 269 answers ("Thank you for your interest ...")
    # had made the top "customer" theme, "Kettleworks team", 46.9%.
    seller = "Thank you for your interest! - The Kettleworks Team"
    questions = [
        {
            "question_id": f"Q{q}",
            "question_text": f"Is the {q}.7L kettle lid removable?",
            "answers": [
                {"answer_text": f"No, mine has a fixed lid {q}.", "answerer_type": "buyer"},
                {"answer_text": seller, "answerer_type": "seller"},
            ],
        }
        for q in range(6)
    ]
    path = tmp_path / "qa.json"
    path.write_text(json.dumps(questions))
    corpus = load_corpus(path)
    # Each question and each customer's answer a row (the questions are customers' words
    # too, a question without a customer's answer kept), the seller's left out.
    assert corpus.text_col == "answer_text" and len(corpus) == 12
    assert corpus.texts[:2] == ["Is the 0.7L kettle lid removable?", "No, mine has a fixed lid 0."]
    assert "read the 6 posts of the file and the 12 comments" in corpus.notes[0]
    assert "answerer_type seller 6" in corpus.notes[-1]
