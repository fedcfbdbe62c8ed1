"""Row statuses: nothing is dropped, each row says why it was or was not analysed."""

from __future__ import annotations

import pytest

from miner.clean import FirstSeen, clean, seen_before


def test_statuses_and_duplicates():
    texts = [
        "Sync is broken",
        "",
        "   ",
        "n/a",
        "10",
        "5/10 !!",
        "sync  is   BROKEN",
        "Please add dark mode",
        None,
    ]
    result = clean(texts)
    assert result.status.tolist() == [
        "ok",
        "empty",
        "empty",
        "empty",
        "not_text",
        "not_text",
        "duplicate",
        "ok",
        "empty",
    ]
    assert result.duplicate_of.tolist()[6] == 0
    assert len(result.texts) == len(texts)
    assert result.texts[6] == "sync is BROKEN"


@pytest.mark.parametrize(
    "text",
    [
        *["Nothing", "Nothing.", "None so far", "nothing, really.", "Nothing to add :)", "Rien"],
        *["n/a.", "N/A!", "none.", "na thanks", "no comment"],  # a churn survey's
        *["[deleted]", "[removed]", "[deleted by user]"],  # Reddit's moderated posts
        # "What could be improved?" answered content (a hospital survey's 76 "Nothing,
        # all good" had made its largest theme)
        *["Nothing, all good", "Nothing. Everything was fine.", "None. All good."],
        # A survey's pointers to another answer and its other ways of saying nothing.
        *["See above", "As above.", "Please see my previous answer.", "as mentioned above"],
        *["Not applicable", "Nothing further", "I have nothing to add", "No suggestions"],
        *["None at this time", "Nothing more to say.", "No further comments", "dunno"],
        # other languages of a survey program
        *["k.A.", "keine Angabe", "sans objet", "no aplica", "nenhuma", "n.v.t.", "なし"],
        *["特にありません", "Niente.", "RAS"],
    ],
)
def test_an_answer_that_there_is_nothing_to_say_is_empty(text):
    # The commonest answer to "What do you dislike?": it became the largest complaint
    # theme of a review export's cons column.
    assert clean([text]).status.tolist() == ["empty"]


@pytest.mark.parametrize(
    "text",
    [
        *["Nothing works", "None of the exports work", "No complaints!", "not really"],
        *["No idea how", "Nothing. The app crashes.", "Nothing, all good except parking"],
        *["As above, the app crashes", "see above for the crash", "Nothing more frustrating"],
    ],
)
def test_an_answer_that_says_something_stays(text):
    assert clean([text]).status.tolist() == ["ok"]


@pytest.mark.parametrize(
    "text",
    ["+1", "+1 from our team", "Same here 😩", "Bump", "Any update on this?", "This!", "^ this",
     "me too!!", "Following", "+1000", "> Please let us post from Slack.\n\n+1000",
     "We need this too.", "Would love this!", "+1. Any update?", "Same here 😩.", "Ditto",
     "+1 — same for our team", "thanks +1", "Following this thread",
     # A chat's fillers and system lines (a community's "gm" and joins had made its
     # largest theme, "thank you so much!" half of a praise theme).
     "gm", "thank you so much!", "ty", "thanks a lot :pray:", "hi all",
     "has joined the channel", "Joined the server.", "good morning everyone", "GG"],
)  # fmt: skip
def test_a_reply_that_only_adds_a_voice_is_empty(text):
    # A board's "+1" replies had made its largest theme ("Upvoted bump"), 28 "Any update
    # on this?" an SSO theme, and a quoted parent with "+1000" its writer's job.
    assert clean([text]).status.tolist() == ["empty"]


@pytest.mark.parametrize(
    "text",
    ["Same issue here, the export fails", "Please add dark mode", "Following the update, sync "
     "broke", "Any update on the dark mode request?", "> Dark mode?\n\nYes, and on mobile too.",
     "Need this for invoices", "Great app", "Thank you so much for the quick fix!", "Nice",
     "hey, the export fails", ":fire: the new dashboard"],
)  # fmt: skip
def test_a_reply_with_words_of_its_own_stays(text):
    assert clean([text]).status.tolist() == ["ok"]


def test_a_chats_markup_is_read_as_its_words():
    # Slack's and Discord's markup had become keywords ("c024be7lrgeneral",
    # "kekw778899001122", "sob") and the end of a job ("... around the ui < here.").
    from miner.clean import analysed_text

    cases = {
        "see <https://docs.forge.dev/hooks|the webhook docs> please": (
            "see the webhook docs please"
        ),
        "<#C024BE7LR|general> <@U123> <!here> the build is red": "the build is red",
        "lol <:kekw:778899001122> <@!4455> it broke <t:1700000000:R>": "lol it broke",
        "this is :fire:, :thumbsup:": "this is 🔥, 👍",
        "thanks :pray::pray: works :+1::skin-tone-2:": "thanks 🙏🙏 works 👍",
        ":pepe_sad: again broken": "again broken",
        "meeting at 10:30:45, re:ticket:123, https://x.io/a:b:c": (
            "meeting at 10:30:45, re:ticket:123,"
        ),
    }
    for text, expected in cases.items():
        assert analysed_text(text) == expected, text
    assert clean([":thumbsup:"]).status.tolist() == ["not_text"]  # as "👍" alone


def test_a_research_transcripts_interviewer_and_fillers_are_not_the_customers_words():
    # Research highlights: the interviewer's "Q:" had been themed and quoted as the
    # customer's, "Interviewer: is it okay if I record this session?" made a theme, and
    # "um" or ", like," had dropped or cut the job of the answer.
    from miner.clean import analysed_text

    assert analysed_text(
        "Q: How does that work today? A: when I onboard a new teammate I want to, um, "
        "copy my workspace setup so I, like, don't have to redo it [laughs]."
    ) == (
        "when I onboard a new teammate I want to copy my workspace setup so I don't "
        "have to redo it."
    )
    assert analysed_text("Interviewer: how often?\nParticipant: weekly, uh, every Monday") == (
        "weekly every Monday"
    )
    session = "Interviewer: Is it okay if I record this session? It's only used internally."
    assert clean([session]).status.tolist() == ["empty"]
    # A customer's own "Q:" (a forum's question) and words that hold a filler's letters.
    for kept in [
        "Q: how do I export to CSV?",
        "The umbrella strap broke",
        "uh-oh, it crashed",
        "ERM, the risk tool, is slow",  # an acronym
        "um 10 Uhr kommt die Lieferung",  # German "um", Portuguese "um produto"
        "I like the app and the sync, like the old one",  # "like" as a word
    ]:
        assert analysed_text(kept) == kept


def test_a_transcripts_shorthand_labels_speaker_lines_and_back_channels():
    # A helper's interview transcripts: "I:" and "**Interviewer:**" turns had been
    # themed and made the top job ("I want to currently deal."); a highlight
    # "Interviewer: ... Participant: ..." had lost the answer; "Sam Patel  01:42",
    # "Date: 2026-03-04", "P3" labels and "mm-hm" had made themes of their own.
    from miner.clean import analysed_text

    answer = "half my day is customers calling and i have to call the tech back"
    for interviewer in [
        "I: How do you currently deal with that?",
        "**Interviewer:** How do you currently deal with that?",
        "[00:12:31] Moderator: What would make that easier?",
    ]:
        assert clean([interviewer]).status.tolist() == ["empty"], interviewer
    for line in [
        f"Interviewer: So what do you do when that happens? Participant: {answer}",
        f"Interviewer: So what do you do when that happens? P4: {answer}",
        f"I: So what happens then? **P4:** {answer}",
        f"[00:02:01] P3: {answer}",
        f"**P7:** {answer}",
        f"Participant 3: {answer}",
    ]:
        assert analysed_text(line) == answer, line
    furniture = ["Sam Patel  01:42", "Speaker 1  00:03:11", "Date: 2026-03-04"]
    furniture += ["Date: Tue 4 March 2026, 14:00 CET", "Duration: 45 min"]
    back_channels = ["mm-hm.", "Mmmhmmmm.", "right.", "yes, that's fine", "Yes!"]
    back_channels += ["[laughs] yeah exactly", "um, let me think", "uh-huh"]
    back_channels += ["no problem, happy to help. bye!", "sorry, can you repeat that?"]
    back_channels += ["... sorry, my connection"]
    assert set(clean(furniture + back_channels).status) == {"empty"}
    # The customer's words that look like them stay as written.
    for kept in [
        "Crashed at 10:30",
        "Login Page  10:30 every day it fails",
        "Date: 3 days late delivery, poor",
        "Date: the date picker is broken",
        "User interface: confusing",
        "Maria: the export fails",  # a name alone cannot be told apart
        "Right now the export fails",
        "not really",
        "sorry the app crashed",
        "no problem with the export",
    ]:
        assert analysed_text(kept) == " ".join(kept.split()), kept


def test_a_ticket_reference_alone_is_empty():
    # Help-desk subjects and reply lines: "Re: Ticket #40123" says nothing, and fifty
    # of them (each number its own text) had made one of two themes of ticket subjects.
    references = ["Re: Ticket #40123", "RE: FW: Case 00123456", "[INC-4521]", "Order 12345"]
    assert clean(references).status.tolist() == ["empty"] * 4
    kept = ["Issue 123 still broken", "Re: export fails", "Ticket", "v2.3.1 crashes", "1234"]
    assert clean(kept).status.tolist() == ["ok", "ok", "ok", "ok", "not_text"]


def test_duplicates_across_chunks():
    seen: dict[str, int] = {}
    first = clean(["sync is broken", "great app"], seen=seen, offset=0)
    second = clean(["Great app", "new text"], seen=seen, offset=2)
    assert first.status.tolist() == ["ok", "ok"]
    assert second.status.tolist() == ["duplicate", "ok"]
    assert second.duplicate_of.tolist() == [-2, -1]
    assert second.to_embed.tolist() == [True, True]


def test_a_file_store_of_first_texts_reads_back_what_a_dict_holds(tmp_path):
    """FirstSeen keeps texts on disk: interleaved adds and reads give back each entry
    (any Unicode, a lone surrogate too), and chunks cleaned with it match a dict."""
    store, plain = FirstSeen(tmp_path), {}
    chunks = [
        ["Café crashes", "great app", "\ud800 odd bytes", "Sync is broken"],
        ["GREAT APP", "新しい機能", "café CRASHES", "sync is broken"],
        ["新しい機能", "new text", "great app"],
    ]
    offset = 0
    for texts in chunks:
        a_seen, a_new = seen_before(texts, store, offset)
        b_seen, b_new = seen_before(texts, plain, offset)
        assert a_seen == b_seen and a_new == b_new
        a = clean(texts, seen=dict(a_seen), offset=offset)
        b = clean(texts, seen=b_seen, offset=offset)
        assert a.texts == b.texts and a.status.tolist() == b.status.tolist()
        offset += len(texts)
    assert len(store) == len(plain) == 6
    assert {key: store[key] for key in store} == plain
    assert plain[next(iter(plain))] == (0, "Café crashes")
    store.close()


def test_handles_and_links_are_not_analysed():
    # Messages to a company: the addressee and the link are not what is said. Left in,
    # "@AcmeBank" became a theme keyword and split Banking77's themes by bank (NMI 0.828
    # -> 0.728 with three banks addressed; bench figure in the README).
    result = clean(
        [
            "@AcmeBank where is my card? https://t.co/Ab12Cd34",
            "@ZetaBank where is my card?",
            "@united",
            "https://t.co/Ab12Cd34",
            "mail ana@example.com about icon@2x.png",
        ]
    )
    assert result.texts[0] == "where is my card?"
    assert result.status.tolist() == ["ok", "duplicate", "empty", "empty", "ok"]
    assert result.texts[4] == "mail ana@example.com about icon@2x.png"  # not a handle


def test_a_post_s_closing_hashtags_are_not_analysed():
    # Tweets end with tags as they begin with handles: left in, "#budgeting
    # #NovaPayDown" had named a theme of outage complaints and ended 118 of 650 jobs
    # ("I want to sort this out today #customerservice."), one job cluster per tag.
    result = clean(
        [
            "app is down again smh #budgeting #NovaPayDown",
            "I want to pay my rent today #NovaPayDown.",
            "Cant log in again 😡 #fail #help 😤",
            "It is going back. #returned",
            "my #budgeting tool is great",
            "hoped for more stretch so #returned!",
            "C# and F# support, issue #42 again",
            "#fail",
        ]
    )
    assert result.texts == [
        "app is down again smh",
        "I want to pay my rent today.",
        "Cant log in again 😡 😤",
        "It is going back.",
        "my budgeting tool is great",  # inside a sentence the word stays
        "hoped for more stretch so returned!",  # a lone tag the sentence needs
        "C# and F# support, issue #42 again",  # no tags
        "fail",
    ]


def test_html_character_references_are_read():
    # Web forms and help-desk exports write them (58 of the 22,641 clothing reviews).
    result = clean(["the fit wasn&#39;t right, the &quot;sky&quot; colour is teal", "R&D and AT&T"])
    assert result.texts == ['the fit wasn\'t right, the "sky" colour is teal', "R&D and AT&T"]


def test_quotes_read_html_character_references_as_the_analysis_does():
    from types import SimpleNamespace

    import pandas as pd

    from miner.insights.views import quote_text

    documents = pd.DataFrame({"masked_text": ["it wasn&#39;t [email]", None, "R&D and AT&T"]})
    run = SimpleNamespace(text_col="comment")
    assert quote_text(run, documents).tolist() == ["it wasn't [email]", "", "R&D and AT&T"]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        # Notes and lists: one point a line, no full stops.
        (
            "Acme Corp (Priya, Tom)\n- wants SCIM deprov\n- billing-only role for finance\n"
            "1) Higher cap for bulk exports",
            "Acme Corp (Priya, Tom). wants SCIM deprov. billing-only role for finance. "
            "Higher cap for bulk exports.",
        ),
        # A title line above its post.
        ("SSO loop\nAfter enabling SSO we land in a redirect loop",
         "SSO loop. After enabling SSO we land in a redirect loop"),
        # A line broken mid-sentence goes on in lower case: left as it is.
        ("I have been trying to export\nthe invoices all week",
         "I have been trying to export the invoices all week"),
        # Lines that end as sentences already.
        ("Great app.\nLove it!", "Great app. Love it!"),
        # One list item alone (council notes read a line a comment): its marker goes, as
        # a list's does ("- When I close the month I need ..." had lost its situation).
        ("- When I close the month I need every change.",
         "When I close the month I need every change."),
        ("3) burger came with cold buns.", "burger came with cold buns."),
        ("-1 star for the ads", "-1 star for the ads"),
    ],
)  # fmt: skip
def test_lines_end_as_sentences_where_the_writer_meant_them_to(text, read):
    from miner.clean import analysed_text

    assert analysed_text(text) == read


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Disappointed by the reports. Call me on +44 7700 790532", "Disappointed by the reports."),
        ("Really happy with logging in Call me on +44 7700 790532.",
         "Really happy with logging in"),
        ("Export fails. Email me at mo.489@example.com", "Export fails."),
        ("The app crashes. My phone number is 555-123-4567.", "The app crashes."),
        # With what it is for: 51 of a helper's beta reports had made a theme "Logs".
        ("The map is blank. Reach me at ana@x.com if you need more logs.", "The map is blank."),
        ("Map blank. Call me on 07700 900123 anytime!", "Map blank."),
        # About a booking, or signed after it (a helper's airline reviews: 300 such tails
        # had made a theme, 83 kept the writer's name).
        ("The food was cold. You can reach me at sj@example.com about PNR X7K2LM.",
         "The food was cold."),
        ("The seat was broken. Please contact me on sj@example.com. Thanks, Sarah Jenkins",
         "The seat was broken."),
        # Not a closing contact line: as written.
        ("Please email me at ana@x.com when the export is fixed",
         "Please email me at ana@x.com when the export is fixed"),
        ("Call me on 0800 123 456", "Call me on 0800 123 456"),
    ],
)  # fmt: skip
def test_a_closing_line_of_contact_details_is_not_analysed(text, read):
    # "Call me on [phone]" tails had made the first new topic of every scored file.
    from miner.clean import analysed_text

    assert analysed_text(text) == read


def test_a_shops_badge_and_a_free_product_disclosure_are_not_analysed():
    # A shop's reviews: "Verified Purchase" and incentive disclosures had named themes
    # ("Verified purchase gorgeous retro look", "Disclaimer", "Product at a discount").
    from miner.clean import analysed_text

    cases = {
        "Verified Purchase Wish it came in a larger size.": "Wish it came in a larger size.",
        "Lid cracked within a month. Disclaimer: I received this item for free in exchange "
        "for an unbiased review.": "Lid cracked within a month.",
        "Hinge snapped. [This review was collected as part of a promotion.]": "Hinge snapped.",
        "Great design. I received this product at a discount in exchange for my honest "
        "review. Would buy again.": "Great design. Would buy again.",
        "Verified Purchase": "Verified Purchase",  # nothing else: as written
        "VERIFIED PURCHASE Great kettle.": "Great kettle.",
        "Verified buyer here: the lid broke.": "Verified buyer here: the lid broke.",
        "Looks lovely. I received this item for free in exchange for an unbiased review, and "
        "honestly the hinge broke.": "Looks lovely. honestly the hinge broke.",
        "I received the item broken, no review of the packaging": (
            "I received the item broken, no review of the packaging"
        ),
    }
    for text, read in cases.items():
        assert analysed_text(text) == read, text


def test_whose_word_a_note_reports_is_not_analysed():
    # A CRM's notes: "price was the blocker per Owen Brady." had made a theme for each
    # contact ("Blocker per helen park", "Blocker per owen brady").
    from miner.clean import analysed_text

    assert analysed_text("Budget cut, price was the blocker per Owen Brady.") == (
        "Budget cut, price was the blocker."
    )
    for kept in ("We pay 10 USD per Active User.", "per Owen Brady", "3 per week"):
        assert analysed_text(kept) == kept


def test_a_widgets_tries_are_empty_and_links_in_capitals_are_not_analysed():
    # A feedback widget's "test", "testing 123" and "asdf" had been given themes; its
    # messages in capitals kept their page's link ("httpsapptrailheadiologin..." a
    # keyword), and "AWWWW..I" is no link.
    result = clean(["test", "Testing 123", "asdf", "test the export", "STUCK ON LOGIN "
                    "HTTPS://APP.TRAILHEAD.IO/LOGIN?REDIRECT=%2FROUTES", "AWWWW..I love it",
                    "see WWW.ACME.COM/help"])  # fmt: skip
    assert result.status.tolist()[:4] == ["empty", "empty", "empty", "ok"]
    assert result.texts[4:] == ["STUCK ON LOGIN", "AWWWW..I love it", "see"]


def test_a_chats_acknowledgements_are_empty():
    # "ok thanks", "will try", "no that's all" had made the largest theme of a helper's
    # Intercom chats; an "ok" with words of its own stays.
    from miner.clean import clean

    texts = ["ok thanks", "Ok, thanks!", "will try", "no that's all", "got it", "okay"]
    texts += ["ok but the sync still fails", "Great", "Perfect, the export works now"]
    assert list(clean(texts).status) == ["empty"] * 6 + ["ok"] * 3


def test_cleaning_says_how_far_it_is():
    # 120,000 comments take about a minute to clean: the app's bar had stayed empty.
    from miner import clean as cleaning

    texts = [f"the export fails on report {i}" for i in range(2 * cleaning.DONE_EVERY + 5)]
    told: list[tuple[int, int]] = []
    result = clean(texts, done=lambda done, total: told.append((done, total)))
    total = len(texts)
    assert told == [(cleaning.DONE_EVERY, total), (2 * cleaning.DONE_EVERY, total), (total, total)]
    assert result.status.tolist() == clean(texts).status.tolist()


def test_giveaway_spam_riding_a_brand_is_empty():
    # A helper's tweets: 70 giveaways ("RT + follow + tag 3 friends") had made the
    # largest theme, their senders co-creators. A customer's words about a giveaway stay.
    spam = [
        "🚨 GIVEAWAY 🚨 £500 to 5 lucky followers!! RT + follow @x + tag 3 friends #giveaway",
        "FREE MONEY 💰 first 100 people to DM 'NOVA' get £250 sent to their NovaPay!!",
        "Im blessing 20 followers with £1000 today, like & RT, drop your tag below",
    ]
    assert clean(spam).status.tolist() == ["empty"] * 3
    kept = [
        "won the giveaway but never got the prize, support ignores my DM",
        "the giveaway feature in the app is broken",
        "I follow the steps and the export still fails",
    ]
    assert clean(kept).status.tolist() == ["ok"] * 3
