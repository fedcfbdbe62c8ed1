"""E-mail furniture is cut before analysis; the customer's words are kept."""

from __future__ import annotations

import pytest

from miner.boilerplate import quoted_texts, strip_boilerplate
from miner.clean import clean

TICKET = """Hi team,

The export to CSV drops the last column every time since Monday.
Can you fix it?

Kind regards,
Ana Lopez
Head of Ops | Acme
+44 20 7946 0000

On Mon, 3 May 2026 at 10:00, Support <help@example.com> wrote:
> Thanks for reaching out
> What is the problem?

This e-mail is confidential and intended solely for the addressee."""


def test_a_ticket_keeps_only_what_the_customer_says():
    assert strip_boilerplate(TICKET) == (
        "The export to CSV drops the last column every time since Monday.\nCan you fix it?"
    )


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Sync broke again.\nSent from my iPhone", "Sync broke again."),
        ("The app logs me out.\n> earlier reply\n> more of it\nStill happening.",
         "The app logs me out.\nStill happening."),
        ("Great app, but the export is slow.\n-- \nAna", "Great app, but the export is slow."),
        ("Please add dark mode.\n\nTo unsubscribe from these emails click here",
         "Please add dark mode."),
        # A forum post's pasted stack trace between code fences.
        ("The app crashes on a photo.\n```\nFATAL EXCEPTION: main\n\tat com.x.Preview"
         "(Preview.kt:88)\n```\nPlease fix it.", "The app crashes on a photo.\nPlease fix it."),
        ("Look:\n```\nunclosed code", "Look:\n```\nunclosed code"),
    ],
)  # fmt: skip
def test_each_kind_of_furniture_is_cut(text, kept):
    assert strip_boilerplate(text) == kept


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # English written in a German, French or Dutch mail client: its quote headers.
        ("Still broken.\n\nAm Mo., 3. Nov. 2026 um 10:02 Uhr schrieb Support <s@x.io>:\n"
         "Hello, our engineers restarted the queue.", "Still broken."),
        ("Any news?\n\nLe lun. 3 nov. 2026 à 10:02, Support <s@x.io> a écrit :\n"
         "Bonjour, nous avons relancé la file.", "Any news?"),
        ("Any news?\n\nVon: Support <s@x.io>\nGesendet: Montag, 3. November 2026 10:02\n"
         "An: Ana\nBetreff: Re: Export\n\nHello, we escalated it.", "Any news?"),
        ("Still failing.\n\nVan: Support\nVerzonden: maandag 3 november 2026\n"
         "Our engineers restarted the queue.", "Still failing."),
        ("Still failing.\n-----Ursprüngliche Nachricht-----\nThe queue was restarted.",
         "Still failing."),
        # Mails in those languages: greeting, sign-off, signature, phone line, footer.
        ("Bonjour,\n\nLa TVA est fausse sur nos factures.\n\nCordialement,\nJean Dupont\n"
         "Comptable | Acme SAS\n\nEnvoyé de mon iPhone", "La TVA est fausse sur nos factures."),
        ("Sehr geehrte Damen und Herren,\n\nder Export bricht ab.\n\n"
         "Mit freundlichen Grüßen\nMax Muster\n\nDiese E-Mail enthält vertrauliche "
         "Informationen.", "der Export bricht ab."),
        ("Hola,\n\nLa sincronización no funciona.\n\nSaludos,\nLucía\n\n"
         "El lun, 3 nov 2026 a las 10:02, Soporte (<s@x.io>) escribió:\nHola ...",
         "La sincronización no funciona."),
        ("Buongiorno,\n\nL'app si chiude da sola.\n\nCordiali saluti\nGiulia\n\n"
         "Inviato da iPhone", "L'app si chiude da sola."),
        ("Olá,\n\nO painel não carrega.\n\nAtenciosamente,\nJoão\n\nEsta mensagem é "
         "confidencial.", "O painel não carrega."),
        ("Beste,\n\nDe export werkt niet.\n\nMet vriendelijke groet,\nSanne\n\n"
         "Verzonden vanaf mijn iPhone", "De export werkt niet."),
        # A reply that only thanks, above a sign-off that thanks too: the reply stays.
        ("Hi team,\n\nThanks.\n\nThanks,\nGiulia Rossi\nHead of Operations | Acme",
         "Thanks."),
    ],
)  # fmt: skip
def test_mail_furniture_in_other_languages_is_cut(text, kept):
    assert strip_boilerplate(text) == kept


@pytest.mark.parametrize(
    "text",
    [
        "De: Ana\nThe export is broken.",  # "De:" with no date line after it: no header
        "Merci !\nThe export works now.",  # a thanks that opens the comment stays
        "Le rapport ne charge pas.\nMerci de regarder rapidement, c'est urgent.",
    ],
)
def test_words_that_look_like_furniture_are_kept(text):
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Thanks!",  # a one-line answer is never cut
        "Hi team, the bank sync fails every morning.",  # a greeting inside the only line
        "Best app I have used for invoices",  # starts like a sign-off, is the feedback
    ],
)
def test_one_line_answers_are_left_alone(text):
    assert strip_boilerplate(text) == text


def test_a_text_that_would_lose_every_word_is_kept_whole():
    text = "Hi,\n\nThanks,\nAna"
    assert any(ch.isalpha() for ch in strip_boilerplate(text))
    assert strip_boilerplate("Sent from my iPhone\n").strip() == "Sent from my iPhone"


def test_a_sign_off_in_the_middle_of_feedback_is_kept():
    text = "Thanks for the update.\nBut the sync still fails every morning and I lose an hour."
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize(
    "sign_off", ["Yours faithfully,", "Yours sincerely,", "Respectfully,", "With best wishes,"]
)
def test_a_formal_letters_sign_off_and_signature_are_cut(sign_off):
    # A consultation's letters had kept "Yours faithfully, / Jane Whitaker / Chair, ..."
    # in the shared text, and the names had become themes.
    letter = (
        "We support better bus routes but ask the council to phase the changes.\n\n"
        f"{sign_off}\nJane Whitaker\nChair, Headingley Business Association\n"
        "Tel: 0113 496 0000 | Email: chair@example.org\n"
    )
    assert strip_boilerplate(letter) == (
        "We support better bus routes but ask the council to phase the changes."
    )
    # A line of its own that only looks like one stays: "Truly" is no sign-off; nor is
    # one followed by a sentence of feedback, not a signature.
    assert strip_boilerplate("I love it.\nTruly") == "I love it.\nTruly"
    request = (
        "Great service.\nWith best wishes\nThe only thing missing is dark mode, which I'd pay for."
    )
    assert strip_boilerplate(request) == request


def test_clean_reads_the_stripped_text():
    result = clean([TICKET, TICKET.replace("Ana Lopez", "Bo Chen")])
    assert result.texts[0].startswith("The export to CSV")
    # Only the signature differed: the second ticket is the same feedback.
    assert result.status.tolist() == ["ok", "duplicate"]


HTML_TICKET = (
    "<p>Hi team,</p><p>The CSV export fails every time with an error.</p>"
    "<p>Kind regards,<br>Fatima Garcia<br>Tel: +31 20 794 6123</p>"
    "<blockquote>Thank you for contacting support. We will get back to you.</blockquote>"
    "<p>Sent from my iPhone</p>"
)


def test_an_html_body_is_read_as_lines_and_stripped():
    assert strip_boilerplate(HTML_TICKET) == "The CSV export fails every time with an error."
    # Text that only mentions a tag, or uses angle brackets, is not HTML.
    assert strip_boilerplate("Price < 10 is fine > 5 is not") == "Price < 10 is fine > 5 is not"


FLAT = (
    "Dear Support, After the update the iPad app crashes on launch and the photo upload "
    "freezes. Is there any plan to release an API? We want our data in our warehouse."
)


@pytest.mark.parametrize(
    "furniture",
    [
        " Kind regards, Sofia Rossi Founder & CEO | Northwind Traders Ltd Tel: +31 20 794 6123",
        " Thanks, Henrik Rossi Customer Success Lead | Greenleaf Farms Inc.",
        " Best, Ana sofia.rossi@example.com",
        " Best regards, Olivia Walker On Thu, 23 Jul 2026 at 10:14, Acme Support "
        "<help@acme.io> wrote: > Hi Olivia, > Thank you for contacting us.",
        " CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and "
        "intended solely for the addressee.",
        " Registered in England and Wales, company number 01234567.",
        " Sent from my iPhone",
    ],
)
def test_a_flattened_ticket_loses_its_inline_furniture(furniture):
    # Exports that put a ticket on one line: no line to cut at, the furniture is inline,
    # and so is the letter's formal opening ("Dear Support,").
    assert strip_boilerplate(FLAT + furniture) == FLAT.removeprefix("Dear Support, ")


@pytest.mark.parametrize(
    "ending",
    [
        " Thanks, I will keep using it and recommend it to my whole team at work.",
        " Thanks! Keep it up",
        " Best app I have used for this, and the support team answered within an hour.",
    ],
)
def test_a_flattened_answer_keeps_a_closing_that_is_feedback(ending):
    assert strip_boilerplate(FLAT + ending) == FLAT.removeprefix("Dear Support, ") + ending


def test_a_letters_formal_opening_is_no_words_of_the_writer():
    # A helper's complaint letters had kept "To whom it may concern," in their quotes.
    for opening in ("To whom it may concern, ", "Dear Sir or Madam: ", "Dear customer service. "):
        assert strip_boilerplate(opening + "my card was charged twice.") == (
            "my card was charged twice."
        )
    letter = "To whom it may concern,\nmy card was charged twice.\n\nSincerely,\nJane Doe"
    assert strip_boilerplate(letter) == "my card was charged twice."
    # A friendly greeting inside the only line stays, and an opening alone is kept whole.
    for text in ("Hi team, my card was charged twice.", "To whom it may concern"):
        assert strip_boilerplate(text) == text
    # A pasted e-mail's header above it (a hospital's letters had kept "From: <sender>"
    # and "Subject: Formal complaint - <patient>" in every shared quote).
    pasted = (
        "From: Priya Mistry <p.m@example.com>\nSent: 11 March 2026 09:16\nTo: PALS\n"
        "Subject: Formal complaint - Stanley Ellis\n\nDear Sir/Madam,\n\n"
        "The discharge took three days.\n\nYours faithfully,\nPriya Mistry"
    )
    assert strip_boilerplate(pasted) == "The discharge took three days."
    # A subject line alone (no sender, no date) is the writer's, and a header alone stays;
    # so do lines of prose that open with "From:" (no address, no date).
    for text in (
        "Subject: app crashes\nit crashes on launch",
        "From: me\nDate: today",
        "From: the moment we landed it was chaos.\nSent: to the wrong gate.\nStaff were rude.",
    ):
        assert strip_boilerplate(text) == text
    # Forwarded: its marker above the header goes with it (the body had been taken for a
    # quoted reply and lost).
    for marker in ("---------- Forwarded message ---------", "-----Original Message-----"):
        forwarded = (
            f"{marker}\nFrom: Dan Holt <dan@example.com>\nDate: 2 Apr 2026\n\nRoom was dirty."
        )
        assert strip_boilerplate(forwarded) == "Room was dirty."


def test_a_sentence_about_sending_is_not_a_mail_apps_line():
    ending = " The invoice was sent from my account and still shows as unpaid."
    assert strip_boilerplate(FLAT + ending) == FLAT.removeprefix("Dear Support, ") + ending


def test_quotes_are_the_customers_words_and_the_input_keeps_the_ticket(small_run, tmp_path):
    import pandas as pd

    from miner.batch import score_file

    source = tmp_path / "tickets.csv"
    flat = FLAT + " Kind regards, Sofia Rossi Founder & CEO | Northwind Traders Ltd Tel: +31 20 794"
    pd.DataFrame({"body": [TICKET, HTML_TICKET, flat]}).to_csv(source, index=False)
    out = tmp_path / "scored.parquet"
    score_file(source, out, model=small_run[0] / "model", text_col="body")
    scored = pd.read_parquet(out)
    assert scored["body"].tolist() == [TICKET, HTML_TICKET, flat]  # the input, whole
    # What miner quotes and shares: no greeting, signature, quoted reply or footer.
    assert scored["masked_text"].tolist() == [
        "The export to CSV drops the last column every time since Monday.\nCan you fix it?",
        "The CSV export fails every time with an error.",
        FLAT.removeprefix("Dear Support, "),
    ]


def test_quotes_read_html_character_references():
    from miner.boilerplate import quoted_texts

    # A review export's "The Jira sync breaks &amp; we reconnect it" was quoted so in the
    # report (the analysis reads "&"); "R&D" is no reference and stays.
    assert quoted_texts(["It breaks &amp; we reconnect it. It wasn&#39;t fixed by R&D", None]) == [
        "It breaks & we reconnect it. It wasn't fixed by R&D",
        None,
    ]


CHAT = """Conversation started 14 Mar 2026, 09:12
[09:12] Support Bot: Hello Priya Shah! Welcome to Ledgerly chat. What brings you here?
[09:13] Visitor: our invoices page shows a blank screen since this morning
[09:13] Visitor: the team cannot send anything to clients
[09:14] Dana (Customer Success): So sorry Priya! Which browser are you on?
Could you also share a screenshot?
[09:15] Visitor: chrome, and we already cleared the cache
Dana has left the conversation"""


def test_a_chat_transcript_keeps_the_customers_turns_only():
    # The agent's turns (with the customer's name and its questions about browsers)
    # and the chat's own lines go; the customer's turns stay, without their labels.
    assert strip_boilerplate(CHAT).split("\n") == [
        "our invoices page shows a blank screen since this morning",
        "the team cannot send anything to clients",
        "chrome, and we already cleared the cache",
    ]


def test_a_calls_transcript_keeps_the_callers_words_only():
    from miner.clean import clean

    # A contact centre's speech-to-text: turns run together on one line (297 of a
    # helper's 600 calls had kept the agent's script and made it the top theme), the
    # phone menu's lines, "Speaker 1/2" with the agent known by its greeting, hold
    # markers, and the caller's closing thanks (which had read complaint calls positive).
    one_line = (
        "IVR: your call is important to us Agent: thanks for calling skyline how can i help "
        "Customer: the technician never came i took the day off Agent: is there anything "
        "else Customer: no that's it thanks bye"
    )
    numbered = (
        "Speaker 1: thank you for calling skyline this call may be recorded\n"
        "Speaker 2: my bill went up by twenty dollars <hold> [music]\n"
        "Speaker 1: let me check that\nSpeaker 2: okay thanks bye bye"
    )
    expected = ["the technician never came i took the day off", "my bill went up by twenty dollars"]
    assert clean([one_line, numbered]).texts == expected
    # On one line too, and a phone menu's line before numbered speakers.
    one_line_numbered = (
        "Speaker 1: thank you for calling skyline how can i help Speaker 2: my wifi drops "
        "Speaker 1: let me check Speaker 2: ok thanks bye"
    )
    menu = "IVR: please hold\nSpeaker 1: thank you for calling skyline\nSpeaker 2: my bill went up"
    assert clean([one_line_numbered, menu]).texts == ["my wifi drops", "my bill went up"]
    # A sentence that names an agent is no turn; speakers neither of whom greets, a CRM
    # note's "Client: / System:" fields, a note of two role labels on one line, a
    # caller's only words being thanks: kept.
    for text in (
        "The agent: rude. The customer: me.",
        "Speaker 1: the export fails\nSpeaker 2: since Monday",
        "Client: Acme Ltd\nSystem: SAP\nRequest: please add an export to csv",
        "Agent: did it work?\nCustomer: yes perfect thank you so much",
    ):
        assert any(c.isalpha() for c in strip_boilerplate(text))
    assert "Request: please add an export" in strip_boilerplate(
        "Client: Acme Ltd\nSystem: SAP\nRequest: please add an export to csv"
    )
    assert strip_boilerplate("Agent: did it work?\nCustomer: yes perfect thank you") == (
        "yes perfect thank you"
    )
    note = "Customer: Acme Corp. Rep: Dana. Summary: they want SSO for contractors"
    assert "they want SSO" in strip_boilerplate(note)
    assert clean(["[Hold] button is broken"]).texts == ["[Hold] button is broken"]


@pytest.mark.parametrize(
    "text",
    [
        # turns under names alone: who is the agent cannot be told
        "Maya: the sync broke again\nTom: which account?\nMaya: the business one",
        # a review that rates the support, with no customer turn
        "Support: slow and unhelpful\nProduct: great when it works",
        "Customer: me, a small bakery\nI love how quick the invoices are now",
    ],
)
def test_lines_that_look_like_turns_without_both_sides_are_kept(text):
    assert strip_boilerplate(text) == text


FORM = """Summary: Payroll run fails
What happened:
The payroll run stops at step 3 with "Something went wrong" for every employee.
Steps tried:
1. Re-entered the bank details
2. Ran it again the next day
Expected behaviour:
Payslips go out on Friday.
Operating system: macOS 14.4
Browser version: Edge 122
Workspace URL: https://acme.example.app
Attachments: none"""


def test_a_web_form_keeps_the_answers_without_labels_and_system_fields():
    kept = [line for line in strip_boilerplate(FORM).split("\n") if line.strip()]
    assert kept == [
        "Payroll run fails",
        'The payroll run stops at step 3 with "Something went wrong" for every employee.',
        "1. Re-entered the bank details",
        "2. Ran it again the next day",
        "Payslips go out on Friday.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Pros: soft fabric, true to size\nCons: the colour fades after two washes",
        "Status: still broken after three days\nPlease call me back.",
        "Browser: Firefox 123\nThe export button does nothing at all.",  # one field alone
    ],
)
def test_lines_that_look_like_form_fields_in_plain_feedback_are_kept(text):
    assert strip_boilerplate(text) == text


def test_a_line_of_non_breaking_spaces_is_an_empty_line():
    # "<p>&nbsp;</p>" between paragraphs had left lines that look blank but are not.
    quoted = quoted_texts(["<p>Export fails.</p><p>&nbsp;</p><p>Please fix.</p>"])[0]
    assert "\xa0" not in quoted and quoted.split("\n")[0] == "Export fails."


# ------------------------------------------------------------ issue trackers
JIRA_ISSUE = """h3. Summary
Exporting a report to CSV times out after 30 seconds when it has more than 10k rows.

*Steps to reproduce:*
# Open Reports
# Click *Export* and pick CSV

*Expected result:* the file downloads.
*Actual result:* a spinner, then "Gateway timeout".

{noformat}
java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null
\tat com.acme.export.Csv.write(Csv.java:88)
{noformat}
{code:java}
export.run(rows);
{code}
||Browser||Version||Result||
|Chrome|126|fails|
!screenshot.png|thumbnail!
[~mgarcia] can you take a look? See [the runbook|https://wiki.acme.io/x].
*This blocks our release.*"""

GITHUB_ISSUE = """<!-- Please fill in the template below -->
### Is your feature request related to a problem? Please describe.
I can never find archived projects when I search, which wastes time every week.

### Describe the solution you'd like
Search should include archived items, maybe behind a toggle.

**Environment**
- OS: Ubuntu 24.04
- planner-cli version: 1.4.0
- Node: 20.11.1

**Additional context**
- [x] I have searched the existing issues
- [ ] I would like to contribute a fix

cc @octocat"""


def test_jira_markup_leaves_what_the_reporter_wrote():
    # Jira's code and noformat blocks, headings, tables, images, mentions and the bold
    # labels of its template had made a fit's largest theme ("Noformat javalang") and a
    # top job ("I want to invoke." from the exception message).
    kept = strip_boilerplate(JIRA_ISSUE)
    for gone in ("noformat", "Exception", "Csv.java", "export.run", "h3.", "||", "Chrome",
                 "screenshot", "[~", "mgarcia", "Steps to reproduce", "Expected result",
                 "https://", "*"):  # fmt: skip
        assert gone not in kept, (gone, kept)
    for said in ("times out after 30 seconds", "Open Reports", "Click Export and pick CSV",
                 "the file downloads.", '"Gateway timeout"', "See the runbook.",
                 "This blocks our release."):  # fmt: skip
        assert said in kept, (said, kept)
    # Flattened onto one line, the blocks still go.
    assert strip_boilerplate("{noformat}at a.B(B.java:1){noformat} Export is slow") == (
        "Export is slow"
    )


def test_an_issue_template_leaves_the_answers():
    kept = strip_boilerplate(GITHUB_ISSUE)
    assert kept.split("\n\n") == [
        "I can never find archived projects when I search, which wastes time every week.",
        "Search should include archived items, maybe behind a toggle.",
    ]


def test_stack_traces_and_log_lines_outside_code_fences_go():
    text = (
        "The Python SDK leaks memory in long jobs.\n"
        "Traceback (most recent call last):\n"
        '  File "job.py", line 12, in <module>\n'
        "    client.fetch()\n"
        "MemoryError\n"
        "2026-01-03 10:15:22,123 ERROR [main] worker died\n"
        "Caused by: java.io.IOException: closed\n"
        "It grows to 4 GB in an hour, then *crashes*."
    )
    assert strip_boilerplate(text) == (
        "The Python SDK leaks memory in long jobs.\nIt grows to 4 GB in an hour, then crashes."
    )
    # A customer's own lines that mention errors, lists and emphasis stay.
    said = "Error: the upload failed twice.\n# first try\nIt is *really* slow - 5 * 3 rows."
    assert strip_boilerplate(said) == said.replace("*really*", "really")


def test_a_pasted_crash_report_console_log_and_device_line_go():
    # A beta program's feedback: crash reports, console logs and a device's line pasted
    # under the words had made 14 of 30 themes ("Hardware model", "Exception", "Crashed
    # thread", "Pixel 8 pro") and named the battery theme "Exception".
    ios = (
        "Battery drains 30% in one hour of recording a hike.\n"
        "iPhone 15, iOS 17.2.1, build 4.2.0 (812)\n\n"
        "Incident Identifier: 7B1780C7B3E495B9B08C689D1168AC97\n"
        "Hardware Model:      iPhone 15\n"
        "Process:             Trailhead [7147]\n"
        "Version:             4.2.0 (812)\n"
        "OS Version:          iPhone OS 17.2.1 (21C66)\n"
        "Exception Type:  EXC_BAD_ACCESS (SIGSEGV)\n"
        "Exception Codes: KERN_INVALID_ADDRESS at 0x0000000000000010\n"
        "Crashed Thread:  0\n\n"
        "Thread 0 Crashed:\n"
        "0   Trailhead                     0xc71e8fe05b BackgroundLocationTask.run() + 48\n"
        "3   libdispatch.dylib             0x00000001b0c1e4b4 _dispatch_call_block_and_release"
        " + 32\n"
        "Low power mode is off."
    )
    assert strip_boilerplate(ios) == (
        "Battery drains 30% in one hour of recording a hike.\n\nLow power mode is off."
    )
    android = (
        "GPS track wanders off the trail.\n"
        "Pixel 8 Pro, Android 14, build 4.1.0 (795)\n\n"
        "FATAL EXCEPTION: main\n"
        "Process: com.trailhead.app, PID: 29903\n"
        "java.lang.NullPointerException: Attempt to invoke virtual method on a null object\n"
        "    at com.trailhead.tracking.LocationFilter.smooth(LocationFilter.kt:41)\n"
        "10-05 07:18:25.223  1234  5678 E TileLoader: HTTP 503"
    )
    assert strip_boilerplate(android) == "GPS track wanders off the trail."
    console = (
        "Offline download restarts from zero when the phone locks.\n\n"
        "2026-10-05 07:18:25.223 Trailhead[300:48623] [Offline] retry 3/3 failed\n"
        "2026-10-05 07:18:25.912 Trailhead[864:15508] [Offline] download state -> failed\n"
        "_Environment_: iPad Air, iOS 17.1, app 4.1.0 (795)."
    )
    assert strip_boilerplate(console) == "Offline download restarts from zero when the phone locks."
    # A comment that is only a device's line or a crash's heading is no comment.
    from miner.clean import clean

    alone = clean(["iPhone 15, iOS 17.2.1, build 4.2.0 (812)", "FATAL EXCEPTION: main"])
    assert list(alone.status) == ["empty", "empty"]
    # A complaint naming a phone or quoting the crash's heading is the customer's.
    said = ["iPhone 15 crashes on launch, iOS 17.2", "FATAL EXCEPTION: main every time I open maps"]
    assert clean(said).texts == said
    # The customer's own lines about a device or a version, and one header word alone, stay.
    own = "Version: 4.2 broke sync on my iPhone 15.\nProcess: slow.\niPhone 15, sadly."
    assert strip_boilerplate(own) == own


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # A customer's bold line, their Markdown list, a line of theirs that starts with
        # a time, a bar, their own checklist: words of their own, kept (the first had
        # left only "Thanks", analysed as praise).
        ("Hi,\n**The export keeps failing**\nThanks", "The export keeps failing"),
        ("Top asks:\n## 1. Dark mode\n## 2. Sync", "Top asks:\n1. Dark mode\n2. Sync"),
        ("Sync broke.\n2026-03-01 10:15 error again\nplease fix", None),
        ("Compare:\n| plan |\nok", None),
        ("- [ ] CSV export works\n- [x] I searched the existing issues\n- [ ] PDF works",
         "CSV export works\nPDF works"),
    ],
)  # fmt: skip
def test_markup_rules_keep_the_customers_own_lines(text, kept):
    assert strip_boilerplate(text) == (text if kept is None else kept)


def test_a_forums_quotes_code_signature_and_solved_note_go():
    # A developer community's Discourse and Reddit posts: the quoted post (BBCode or
    # rendered HTML) had given 67 of 82 replies the quoted post's theme and a theme
    # the label "Quoteuser116 post1"; a signature under "---" had made the second theme;
    # "EDIT: solved ..." notes a negative theme of their own.
    bbcode = (
        '[quote="user017, post:1, topic:986"]\nThe price doubled our bill.\n[/quote]\n'
        "An ARM build for Windows would be great."
    )
    assert strip_boilerplate(bbcode) == "An ARM build for Windows would be great."
    cooked = (
        '<aside class="quote no-group" data-username="user017"><div class="title">'
        "user017:</div><blockquote><p>The price doubled.</p></blockquote></aside>\n"
        "<p>An ARM build would be great.</p><pre><code>AuthError: token expired\n"
        "  at refresh (auth.js:12)</code></pre><p>Use <code>--proxy</code> here.</p>"
    )
    assert strip_boilerplate(cooked).split() == (
        "An ARM build would be great. Use --proxy here.".split()
    )
    signed = "Login expires hourly since 3.2.\n\n---\n*Running devtool 3.2.0 on Ubuntu | he/him*"
    assert strip_boilerplate(signed) == "Login expires hourly since 3.2."
    solved = "Login expires hourly since 3.2.\n\n**EDIT 2:** solved, it was NO_PROXY."
    assert strip_boilerplate(solved) == "Login expires hourly since 3.2."
    # A post that is only such a note says nothing: status empty, no theme of its own.
    from miner.clean import clean

    alone = ["EDIT: solved, it was the proxy", "**Update 2:** fixed, thanks!\n\n"]
    longer = "Update: fixed, but the app should say that a proxy blocks sync, not fail silently"
    assert list(clean([*alone, longer]).status) == ["empty", "empty", "ok"]


@pytest.mark.parametrize(
    "text",
    [
        # A rule between two parts of a post, the second long: no signature.
        "Export is slow.\n\n---\n\nAlso the pricing page is confusing: the plans overlap in "
        "ways I cannot follow at all, which is frustrating when budgeting for twelve people.",
        # An edit that adds feedback stays.
        "Export is slow.\nEDIT: it also fails on files over 2 GB.",
        "Export is slow.\nUpdate: still broken after 3.3, please fix.",
    ],
)
def test_a_rule_or_an_edit_that_carries_feedback_is_kept(text):
    assert strip_boilerplate(text) == text


def test_a_help_desks_reply_marker_and_notification_go():
    # A Zendesk mail reply: the customer writes above "##- Please type your reply above
    # this line -##"; the notification, the agent's macro and "Delivered by Zendesk"
    # follow. None of it had been cut: the footer made a helper's largest theme and the
    # signature above it (name, title) reached the roadmap's quotes.
    reply = (
        "Hi Ben,\n\nThanks, but the CSV export still times out on the 40k row report.\n\n"
        "Best,\nCarlos\n\nCarlos Kowalski | Revenue Operations Lead\nGlobex | globex.com\n"
        "##- Please type your reply above this line -##\n\nYour request (#88001) has been "
        "updated. To add additional comments, reply to this email.\n\nBen Ortiz (Acme "
        "Support)\nNov 24, 2026, 09:45 GMT\n\nI have passed your feature request on to our "
        "product team.\n\nThis email is a service from Acme Support. Delivered by Zendesk"
    )
    assert (
        strip_boilerplate(reply)
        == "Thanks, but the CSV export still times out on the 40k row report."
    )
    opening = "##- Please type your reply above this line -##\nSAML login fails since the update."
    assert strip_boilerplate(opening) == "SAML login fails since the update."
    flat = (
        "the export keeps failing for every file over ten megabytes since Monday and we "
        "cannot send reports to our board ##- Please type your reply above this line -## "
        "Your request (#88001) has been updated. Ben Ortiz (Acme Support) I passed it on."
    )
    assert strip_boilerplate(flat).endswith("cannot send reports to our board")


def test_a_flattened_threads_two_spaces_still_end_a_sentence_before_a_signature():
    # An export that turns each line break into a space writes a blank line as two:
    # 37 of 60 flattened tickets had kept "Cheers, Sofia Haddad Head of Operations ...".
    text = (
        "Hi team, the export keeps failing for every file over ten megabytes since Monday "
        "and we cannot send reports to our board, please look into it.  Kind regards, Ana "
        "Lopez Head of Ops | Acme Tel: +44 20 7946 0958"
    )
    assert strip_boilerplate(text).endswith("please look into it.")


def test_a_calls_notes_keep_what_the_customer_said():
    # A Productboard note of a call: its opener, context, labels and the team's
    # "Action items:" had made the roadmap's top three ("Finance manager",
    # "Engineering on timeline", "Roadmap deck").
    note = (
        "Call with Zoe Jensen (Graz Dental), Head of Ops.\n\nContext: escalation after "
        "outage.\n\nCustomer said:\n- I need to prove who approved each change\n- Legal "
        "will not approve rollout without it\n\nAction items:\n- Carla to follow up with "
        "engineering on timeline\n- Send Zoe the roadmap deck\n"
    )
    assert strip_boilerplate(note).split("\n") == [
        "- I need to prove who approved each change",
        "- Legal will not approve rollout without it",
    ]
    # A customer's own text: an "Action items" list goes, their "Next steps" stay.
    own = "The export fails.\n\nNext steps:\n- we retry tomorrow\n\nAlso the API is slow."
    assert strip_boilerplate(own) == own
    assert strip_boilerplate(own.replace("Next steps", "Action items")) == (
        "The export fails.\n\nAlso the API is slow."
    )


def test_a_meetings_markdown_notes_keep_what_the_customer_said():
    # A CSM's QBR notes in a JSON export: the heading (account and date), the attendees
    # and the section heading had been analysed: one theme "Customer feedback" of 350
    # notes out of 350, and 15 themes named after the accounts.
    note = (
        "## QBR - Bluefin Ltd - 28 Jan 2026\nAttendees: Owen Brady (Finance), Nina "
        "Alvarez (CSM)\n\n### Customer feedback\n- they want custom reports for the "
        "board\n- bank feeds broke twice\n\n### Action items\n- I'll loop in product\n"
        "- Will share roadmap slides"
    )
    assert strip_boilerplate(note).split("\n") == [
        "- they want custom reports for the board",
        "- bank feeds broke twice",
    ]
    # An attendees' line of names goes however many there are (three had made themes of
    # their names); a heading that says something, and an attendees' line that goes on
    # to what was said, stay.
    three = note.replace("Nina Alvarez (CSM)", "Nina Alvarez (CSM), Yuki Tanaka (IT)")
    assert strip_boilerplate(three) == strip_boilerplate(note)
    said = (
        "## QBR - Acme - 1 Mar 2026\nAttendees: Owen (Finance), Nina (CSM) - Owen said the "
        "bank feed broke twice\n### Bank feeds keep breaking for Lloyds\n### Customer "
        "feedback\n- they want SSO"
    )
    assert strip_boilerplate(said).split("\n") == [
        "Attendees: Owen (Finance), Nina (CSM) - Owen said the bank feed broke twice",
        "Bank feeds keep breaking for Lloyds",
        "- they want SSO",
    ]
    # A customer's own Markdown keeps its headings: no attendees, no meeting.
    own = "## Export\nThe export fails on big files.\n## 1. Dark mode"
    assert strip_boilerplate(own) == "Export\nThe export fails on big files.\n1. Dark mode"


def test_meeting_notes_read_a_line_a_comment_keep_the_customers_words():
    # Advisory-council notes read as text: headings, the attendees' line and speakers'
    # names had made the roadmap's first and fifth items ("Customer advisory council",
    # "Ivanova") and begun 25 quotes of an anonymous feed with "Name (Company):".
    from miner.clean import clean

    lines = [
        "# Customer Advisory Council — January 2026",
        "## Agenda",
        "Attendees: Tariq Mensah (Wayne Retail), Aisha Fernandez (Stark Logistics)",
        "**Tomasz Ivanova (Hooli)**:",
        "Tariq Mensah (Wayne Retail): When I close the month I need every change logged.",
        "# of reports is wrong since the update",
        "Update (v3.2): the export crashes",
    ]
    found = clean(lines)
    assert list(found.status) == ["empty"] * 4 + ["ok"] * 3
    assert found.texts[4:] == [
        "When I close the month I need every change logged.",
        "# of reports is wrong since the update",
        "the export crashes",
    ]
    notes = "Tom Ruiz (Acme):\n- I need SSO for contractors\n- the export fails"
    assert strip_boilerplate(notes) == "- I need SSO for contractors\n- the export fails"
    # A bullet a speaker (a helper's council notes: 7 of 8 themes named after members).
    for bullet in ("- Tom Reilly (Reilly Chiro): ", "* **Priya Nair (KneeWorks)**: "):
        assert strip_boilerplate(bullet + "we need one calendar") == "we need one calendar"
    # A bulleted feature with its format in brackets is no speaker.
    assert strip_boilerplate("- Export (CSV): fails on big files") == (
        "- Export (CSV): fails on big files"
    )


def test_a_help_desks_notification_thread_keeps_the_customers_message():
    # Zendesk's notification: the marker opens it, the customer's message, then the
    # agent's, headed by their name, organisation and date; also flattened to one line.
    thread = (
        "##- Please type your reply above this line -##\n\nbilling charged our card twice "
        "on the 1st, please refund the duplicate charge.\n\nBest regards,\nCarlos\n\nCarlos "
        "Kowalski | Revenue Operations Lead\nAcme Foods\n\nBen Ortiz (Acme Support)\nTue, 24 "
        "Nov 2026 at 09:45\n\nI have passed your feature request on to our product team.\n\n"
        "This email is a service from Acme Support. Delivered by Zendesk"
    )
    expected = "billing charged our card twice on the 1st, please refund the duplicate charge."
    assert strip_boilerplate(thread) == expected
    flat = " ".join(thread.replace("\n\n", "  ").split("\n"))
    assert strip_boilerplate(flat) == expected
    # A flattened quoted reply ("  > ...") goes too.
    quoted = (
        "hello  the android app crashes on startup, i reinstalled it twice.  > Thanks for "
        "reaching out. Could you please clear your browser cache?"
    )
    assert (
        strip_boilerplate(quoted)
        == "hello the android app crashes on startup, i reinstalled it twice."
    )


@pytest.mark.parametrize(
    "tail",
    [
        "  Cheers, Dmitri Rossi Senior Analyst Cyberdyne Energy Sent from my iPhone",
        "  Mit freundlichen Grüßen Tom Schmidt Leiter IT | Vandelay Imports Tel.: 030 1234567",
        "  Best regards Ana Lopez Head of Ops | Acme",
    ],
)
def test_a_flattened_sign_off_goes_with_its_signature(tail):
    # 10 of 60 flattened tickets had kept one: "Sent from my iPhone" after it, or a
    # sign-off of several words without a comma.
    text = (
        "the android app crashes on startup every single time since the update, i "
        "reinstalled it twice and cleared the cache but nothing helps at all."
    )
    assert strip_boilerplate(text + tail) == text
    # Words after "Kind regards" that are a sentence stay.
    kept = text + " Kind regards to the team that built the old version, it was much better."
    assert strip_boilerplate(kept) == kept


def test_a_short_comment_signed_with_a_name_loses_the_name():
    # A helper's airline reviews had quoted 83 writers' names in the shared roadmap.
    for signed in (
        "The seat was broken. Thanks, Sarah Jenkins",
        "The seat was broken. Regards, Tove Oconnor (tove@example.com)",
        # a checking helper's: no full stop before, a note in brackets, a line of its own
        "The seat was broken. Thank you, Barry Kowalczyk (frequent flyer)",
        "The seat was broken. Many thanks\nFergus Thistlewood",
    ):
        assert strip_boilerplate(signed) == "The seat was broken."
    run_on = "The seat was broken Thanks, Gillian Achterberg"
    assert strip_boilerplate(run_on) == "The seat was broken"
    # Not thanks repeated, nor a sentence after it, nor a thanks alone, nor a brand thanked.
    for kept in (
        "Where do I enter my opening balances? Thanks. Thanks",
        "Love it. Thanks! Great app",
        "Thanks, Sarah Jenkins",
        "Great app. Thanks Samsung!",
        "Thanks, Apple Pay works now",
    ):
        assert strip_boilerplate(kept) == kept


def test_a_steam_reviews_bbcode_and_checklist_read_as_what_it_says():
    # Steam reviews: BBCode had made keywords "bprosb", "bconsb" and a theme "List" of
    # 230 reviews; a checklist's options left blank had made 84 checklists ticking
    # praise all negative, in a theme named after a blank option ("Minor bugs").
    essay = (
        "[h1]Honest review[/h1]\n[b]Pros[/b]\n[list]\n[*]Art style is gorgeous.\n[*]Deep "
        "colony management.\n[/list]\n[b]Cons[/b]\n[list][*]Please add mod support.[/list]\n"
        "[spoiler]Bjorn dies[/spoiler] [url=https://x.io]my guide[/url][img]a.png[/img]"
    )
    kept = strip_boilerplate(essay)
    assert "[" not in kept and "a.png" not in kept
    assert [line for line in kept.split("\n") if line] == [
        "Honest review",
        "Pros",
        "- Art style is gorgeous.",
        "- Deep colony management.",
        "Cons",
        "- Please add mod support.",
        "Bjorn dies my guide",
    ]
    checklist = (
        "---{ Graphics }---\n☑ Beautiful\n☐ Bad\n☐ MS-DOS\n\n---{ Bugs }---\n"
        "☑ Never heard of\n☐ Minor bugs\n☐ ARK: Survival Evolved\nGreat game."
    )
    # One sentence: a line each, a file of checklists had been tipped into piece themes.
    assert strip_boilerplate(checklist).split("\n") == [
        "Graphics: Beautiful; Bugs: Never heard of.",
        "",
        "Great game.",
    ]
    # A writer's own Markdown checklist keeps its lines (see above); two boxes are no
    # checklist, and boxes all blank are a to-do list of the writer's asks.
    assert strip_boilerplate("☐ export\n☑ import") == "☐ export\n☑ import"
    asks = "Still missing:\n☐ co-op\n☐ mod support\n☐ UI scaling"
    assert strip_boilerplate(asks) == asks


def test_a_forum_reply_quoting_another_post_keeps_its_own_words():
    # Steam discussions: 45 of a helper's 77 replies had been themed by the post they
    # quoted ("Originally posted by X:", "Quote from X:").
    for header in ("Originally posted by AshGamer131:\n", "Quote from AshGamer131: "):
        reply = (
            f"{header}Performance improved a bit but late game still stutters.\n\n"
            "Same here, save corrupted after updating to 1.3. Please hotfix."
        )
        assert strip_boilerplate(reply) == (
            "Same here, save corrupted after updating to 1.3. Please hotfix."
        )
    # Nothing after the quote: as written (whose words are whose is not known).
    alone = "Quote from Ana: the export fails"
    assert strip_boilerplate(alone) == alone


def test_a_reps_crm_note_keeps_what_the_customer_said():
    # A CRM's closed-lost notes: the rep's dated call opener, next step and initials had
    # been in every quote ("... Next steps: follow up Q3. AE: Alicia Gomez") and in 11
    # of 41 themes' keywords ("steps", "ae", "follow").
    notes = {
        "5/20: call w/ Marcus Lee (Fin Dir).\nRef call went badly - complained about slow "
        "support.\nNext steps: AE to check in after FY end.\n/PS": (
            "Ref call went badly - complained about slow support."
        ),
        "They need HubSpot + Shopify sync. Xero has both.\nNext steps: send deck to Owen "
        "Brady.\n-- Tom": "They need HubSpot + Shopify sync. Xero has both.",
        "5/16: call w/ Dana Whitfield (Controller). Champion left. New CFO froze all new "
        "tools. Next steps: nurture, revisit in 6 months.\nAE: Alicia Gomez": (
            "Champion left. New CFO froze all new tools."
        ),
        "POC failed - bank feeds didn't sync for Barclays.\nNext steps: AE to check in.\n"
        "- Alicia (AG)": "POC failed - bank feeds didn't sync for Barclays.",
        "They need multi-currency on invoices. Dealbreaker. Follow up 10/18.": (
            "They need multi-currency on invoices. Dealbreaker."
        ),
    }
    for note, said in notes.items():
        assert strip_boilerplate(note) == said, note
    # A customer's own next steps, in a list or inside their text, stay, and so do a
    # follow-up they ask for, a call they tell of and a list's last item.
    own = "The export fails.\n\nNext steps:\n- we retry tomorrow\n\nAlso the API is slow."
    assert strip_boilerplate(own) == own
    for kept in (
        "Next steps: nurture.",
        "Too expensive for what we use.\nNext steps: we are moving to Xero next month.",
        "Bank feeds broke weekly. Next steps: I need you to refund the last month.",
        "Support was useless. Follow up on my ticket 4432 please, it has been 2 weeks.",
        "Lost on price. Follow up in Q3 when their budget resets, they want a cheaper tier.",
        "5/20: call w/ Marcus Lee (Fin Dir), he said bank feeds are the blocker.",
        "Missing integrations we needed:\n- Stripe\n- HubSpot (CRM)",
    ):
        assert strip_boilerplate(kept) == kept, kept
