"""E-mail furniture is cut before analysis; the customer's words are kept."""

from __future__ import annotations

import pytest

from miner.boilerplate import strip_boilerplate
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
    ],
)  # fmt: skip
def test_each_kind_of_furniture_is_cut(text, kept):
    assert strip_boilerplate(text) == kept


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


def test_clean_reads_the_stripped_text():
    result = clean([TICKET, TICKET.replace("Ana Lopez", "Bo Chen")])
    assert result.texts[0].startswith("The export to CSV")
    # Only the signature differed: the second ticket is the same feedback.
    assert result.status.tolist() == ["ok", "duplicate"]
