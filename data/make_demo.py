"""Generate the demo corpus: a synthetic customer-feedback export with planted ground truth.

Ledgerbird is a fictional bookkeeping and invoicing app for small businesses, with a web
app and iOS/Android apps. This script writes what its product team might export from a
survey tool, the app stores, the help desk, the community forum and advisory-council
notes (``feedback.csv``), and, separately, the truth planted in every row (``truth.csv``):
theme, sentiment, kind of feedback and job-to-be-done.

All text is written compositionally from fragments in this file; nothing is copied from a
public dataset. The same ``--seed`` and ``--rows`` always give byte-identical files.

Usage::

    python data/make_demo.py --out data/demo [--rows 3000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

PRODUCT = "Ledgerbird"
START_DATE = "2025-12-01"
N_DAYS = 365  # 2025-12-01 .. 2026-11-30
RELEASE_DATE = "2026-06-15"  # "version 5" of the mobile app: crashes spike after it
NOISE_SHARE = 0.05  # rows with no usable text; truth theme "none"
POPULAR_RATE = 0.025  # chance that a row of a theme with popular lines repeats one verbatim

PLANS = ("free", "starter", "pro", "business")
PLAN_BASE = (0.30, 0.30, 0.28, 0.12)
REGIONS = ("North America", "UK & Ireland", "Europe", "Asia-Pacific", "Latin America")
REGION_BASE = (0.42, 0.18, 0.22, 0.12, 0.06)
CHANNELS = ("survey", "app_review", "support_ticket", "community", "advisory_council")
CHANNEL_BASE = (0.45, 0.18, 0.20, 0.12, 0.05)

# Length of a comment by channel: short (3-8 words), medium, long (60-150 words).
LENGTH_BY_CHANNEL = {
    "survey": (0.25, 0.55, 0.20),
    "app_review": (0.35, 0.50, 0.15),
    "support_ticket": (0.08, 0.50, 0.42),
    "community": (0.15, 0.50, 0.35),
    "advisory_council": (0.05, 0.45, 0.50),
}

# Sentiment of a medium or long comment given its kind (short ones take the kind's default).
SENTIMENT_BY_KIND = {
    "bug": {"negative": 0.88, "neutral": 0.12},
    "complaint": {"negative": 1.0},
    "feature_request": {"neutral": 0.70, "positive": 0.18, "negative": 0.12},
    "question": {"neutral": 0.85, "negative": 0.15},
    "praise": {"positive": 1.0},
    "other": {"neutral": 0.85, "positive": 0.15},
}
DEFAULT_SENTIMENT = {
    "bug": "negative",
    "complaint": "negative",
    "feature_request": "neutral",
    "question": "neutral",
    "praise": "positive",
    "other": "neutral",
}


@dataclass(frozen=True)
class Job:
    """A planted job-to-be-done: a canonical motivation and the many ways people say it."""

    job_id: str
    motivation: str
    phrasings: tuple[str, ...]  # bare verb phrases: "export all my invoices in one go"
    situations: tuple[str, ...]  # clauses that follow "when": "I close the month"
    outcomes: tuple[str, ...]  # "so I can hand them to my accountant"
    workarounds: tuple[str, ...]  # what they do today: "download every PDF one by one"
    failures: tuple[str, ...] = ()  # how it breaks: "the export stops halfway"
    weight: float = 1.0  # relative weight when a theme has several jobs


@dataclass(frozen=True)
class Theme:
    """A planted theme: its size, skews and the fragments its comments are built from."""

    name: str
    weight: float  # percent of the non-noise rows before trends
    kinds: dict[str, float]
    subjects: tuple[str, ...]
    bugs: tuple[str, ...] = ()
    complaints: tuple[str, ...] = ()
    requests: tuple[str, ...] = ()  # bare verb phrases: "add a bulk export"
    questions: tuple[str, ...] = ()
    praise: tuple[str, ...] = ()
    other: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()  # what users try to do: "reconnect my bank"
    failures: tuple[str, ...] = ()
    details: tuple[str, ...] = ()  # problem details, for bugs and complaints
    facts: tuple[str, ...] = ()  # neutral context that fits any kind
    praise_notes: tuple[str, ...] = ()
    consequences: tuple[str, ...] = ()  # negative
    short: dict[str, tuple[str, ...]] = field(default_factory=dict)  # terse answers by kind
    short_subjects: tuple[str, ...] = ()  # terse names for SHORT_FRAMES: "bank feed"
    short_generic: tuple[str, ...] = ()  # kinds whose short answers may use SHORT_FRAMES
    popular: tuple[tuple[str, str, str], ...] = ()  # (text, kind, sentiment), repeated verbatim
    jobs: tuple[Job, ...] = ()
    job_rate: float = 0.0  # chance that a medium/long comment of this theme carries a job
    plan_skew: dict[str, float] = field(default_factory=dict)
    region_skew: dict[str, float] = field(default_factory=dict)
    channel_skew: dict[str, float] = field(default_factory=dict)
    trend: str = "flat"  # "flat" | "release_spike" | "fading"


# --------------------------------------------------------------------------------------
# Themes
# --------------------------------------------------------------------------------------

BANK_SYNC = Theme(
    name="Bank sync failures",
    weight=16.5,
    kinds={
        "bug": 0.50,
        "complaint": 0.22,
        "question": 0.12,
        "feature_request": 0.08,
        "praise": 0.05,
        "other": 0.03,
    },
    subjects=(
        "bank sync",
        "the bank feed",
        "the bank connection",
        "syncing with my bank",
        "the bank import",
        "the automatic bank feed",
        "bank syncing",
        "the connection to {bank}",
        "the bank feeds",
    ),
    tasks=(
        "reconnect my bank",
        "sync my bank account",
        "refresh the bank feed",
        "import last month's bank transactions",
        "connect {bank}",
        "link a second bank account",
        "pull in transactions from {bank}",
        "reauthorise the bank connection",
    ),
    bugs=(
        "{subj} keeps disconnecting",
        "{subj} stopped working {n_days} ago",
        "{subj} hasn't updated since {weekday}",
        "transactions from {bank} show up twice",
        "half of my transactions are missing after the last sync",
        "I get error 500 every time I try to reconnect {bank}",
        "the feed says 'connected' but nothing new comes in",
        "{subj} imports the same payment three times",
        "I have to re-enter my bank login every couple of days",
        "the balance in the app doesn't match my actual bank balance",
        "pending transactions never clear and end up duplicated",
        "the sync fails with 'connection expired' no matter what I do",
        "{subj} is stuck on 'syncing' for hours",
        "card transactions from {bank} come in with the wrong dates",
        "it pulled in transactions from an account I disconnected months ago",
        "{subj} drops random transactions",
        "every morning the bank feed has disconnected again",
    ),
    complaints=(
        "{subj} breaks every other week",
        "I spend more time fixing {subj} than doing actual bookkeeping",
        "reconnecting my bank is a weekly chore at this point",
        "{subj} is the main reason I pay for this and it barely works",
        "{subj} is so unreliable I've stopped trusting the numbers",
        "every month I have to delete duplicate bank transactions by hand",
        "smaller banks and credit unions are basically unsupported",
        "you keep saying {subj} is fixed and it keeps breaking",
        "bank syncing has been flaky for as long as I've been a customer",
    ),
    requests=(
        "support more credit unions and smaller banks",
        "let me choose how far back to import bank transactions",
        "show a clear warning when {subj} stops working",
        "add a button to force a manual bank sync",
        "let me merge duplicate bank transactions in one click",
        "send me an email when the bank connection expires",
        "let me upload a bank statement file when the feed is down",
        "auto-match bank transactions to invoices by amount and reference",
    ),
    questions=(
        "How do I reconnect my bank after changing my online banking password?",
        "Why are some of my card transactions missing from the bank feed?",
        "Is there a way to import bank transactions older than 90 days?",
        "Is {bank} supported for automatic bank feeds?",
        "Why does the bank feed show transactions twice?",
        "How often is the bank feed supposed to refresh?",
        "Can I connect two accounts from the same bank?",
        "What does 'connection expired' mean on the bank feed?",
    ),
    praise=(
        "{subj} has been rock solid since the last update",
        "the new bank matching rules save me hours every month",
        "reconciling my bank account takes five minutes now",
        "connecting my bank took less than a minute",
        "auto-categorising bank transactions is brilliant",
        "the bank feed hasn't dropped once this month",
    ),
    other=(
        "we have three bank accounts connected",
        "we switched banks last month and reconnected the feed",
        "I reconcile the bank feed every Friday",
        "most of our bank transactions come through the business card",
    ),
    details=(
        "It happens with both of our bank accounts.",
        "I already tried disconnecting and reconnecting the bank twice.",
        "My online banking works fine, so it's not the bank.",
        "This started right after I changed my banking password.",
        "Support told me to wait 24 hours but it's been {n_days}.",
        "The last successful sync was on {weekday}.",
        "It's the same on the website and on my phone.",
        "It's the connection to {bank} that keeps failing, the other one is fine.",
        "I can see the transactions in my banking app, just not in Ledgerbird.",
        "The error just says 'Unable to connect to your bank, try again later'.",
        "The duplicates have the same amount and date, so they are a pain to delete.",
    ),
    facts=(
        "We reconcile the bank feed every week.",
        "Most of our payments go through the business card.",
        "We have a current account, a savings account and a credit card connected.",
        "We bank with a small regional bank.",
    ),
    praise_notes=(
        "Reconciling used to eat my whole Friday afternoon.",
        "I haven't had to upload a bank statement in months.",
    ),
    consequences=(
        "Now I'm reconciling everything by hand.",
        "My books haven't balanced in weeks.",
        "I had to download CSVs from my bank and import them manually.",
        "My accountant keeps asking why the numbers don't match the bank.",
        "Without the bank feed the whole app is pointless for me.",
    ),
    short={
        "bug": (
            "bank feed broken again",
            "bank sync down",
            "bank not syncing since {weekday}",
            "duplicate bank transactions",
            "bank keeps disconnecting",
            "transactions missing from bank feed",
            "bank connection error 500",
            "bank feed stuck on syncing",
            "sync with {bank} failing",
        ),
        "complaint": (
            "bank sync unreliable",
            "fix the bank feed already",
            "bank sync is a joke",
            "tired of reconnecting my bank",
        ),
        "feature_request": ("support credit unions pls", "need a manual bank sync button"),
        "praise": ("bank sync works great now", "love the bank matching"),
        "question": ("how do i reconnect my bank?", "is {bank} supported?"),
    },
    short_subjects=(
        "bank feed",
        "bank sync",
        "bank connection",
        "syncing",
        "bank import",
        "the bank feed",
    ),
    short_generic=("bug", "complaint", "praise"),
    popular=(
        ("bank sync is broken", "bug", "negative"),
        ("bank feed not updating", "bug", "negative"),
    ),
    jobs=(
        Job(
            job_id="J02",
            motivation="import bank transactions automatically",
            phrasings=(
                "import bank transactions automatically",
                "have my bank transactions come in by themselves",
                "see today's bank transactions without uploading statements",
                "keep the books in sync with my bank without lifting a finger",
                "get every bank transaction into the books automatically",
            ),
            situations=(
                "I reconcile at the end of the week",
                "I close the month",
                "I check my cash position",
                "I sit down to do the books",
            ),
            outcomes=(
                "so my books match the bank",
                "so I don't have to type anything in",
                "so I can see where the money is",
            ),
            workarounds=(
                "download statements and import them by hand",
                "type the transactions in from my banking app",
                "reconnect the bank feed and delete the duplicates",
            ),
            failures=(
                "the feed stops after a day",
                "it brings in every transaction twice",
                "the bank connection expires every few days",
            ),
        ),
    ),
    job_rate=0.30,
    channel_skew={"support_ticket": 1.8, "community": 1.2},
)

INVOICE_EXPORT = Theme(
    name="Invoice export",
    weight=10.0,
    kinds={
        "feature_request": 0.38,
        "bug": 0.22,
        "question": 0.17,
        "complaint": 0.13,
        "praise": 0.06,
        "other": 0.04,
    },
    subjects=(
        "the invoice export",
        "exporting invoices",
        "the PDF export",
        "the CSV export",
        "invoice downloads",
        "the export to Excel",
        "the invoice export",
    ),
    tasks=(
        "export my invoices to CSV",
        "download my invoices as PDFs",
        "export last quarter's invoices",
        "export invoices with the line items",
        "export only the paid invoices",
        "download a zip of all invoices",
    ),
    bugs=(
        "the CSV export leaves out the line items",
        "exporting more than 100 invoices times out",
        "the PDF export cuts off the last line of the invoice",
        "the exported file has all the dates in the wrong format",
        "exported invoices show the wrong tax amounts",
        "the Excel export opens with garbled characters",
        "clicking export does nothing in {browser}",
        "the zip download of my invoices is empty",
        "the invoice export ignores the date filter and gives me everything",
        "credit notes are missing from the invoice export",
        "customer names with accents come out broken in the CSV export",
        "the PDF export shows my old logo",
    ),
    complaints=(
        "I have to download every invoice PDF one at a time",
        "exporting a quarter of invoices takes me an entire afternoon",
        "the invoice export is so limited it's basically useless for my accountant",
        "there's no way to export invoices in bulk, which is crazy for accounting software",
        "the CSV export gives my accountant half of what she needs",
        "every export needs ten minutes of cleanup in Excel",
    ),
    requests=(
        "add a bulk export for invoices",
        "let me export all invoices for a date range as one zip",
        "include line items and tax in the CSV export",
        "add an invoice export format my accountant's software can import",
        "let me schedule a monthly invoice export to my email",
        "let me pick which columns go into the export",
        "add a 'select all' option on the invoice list so I can export them together",
        "let me give my accountant a direct export link",
    ),
    questions=(
        "How do I export all my invoices at once?",
        "Is there a way to export invoices with the line items?",
        "Can I export only the unpaid invoices?",
        "Where did the export button go after the redesign?",
        "Can I export invoices straight to Excel?",
        "What format does the CSV export use for dates?",
    ),
    praise=(
        "the new PDF export looks really professional",
        "the bulk invoice export finally landed and it's perfect",
        "exporting the year for my accountant took two clicks",
        "the CSV export is clean and my accountant loves it",
    ),
    other=(
        "our accountant uses the CSV export every quarter",
        "we export invoices once a month",
        "I mostly use the PDF export",
    ),
    details=(
        "I tried both CSV and Excel and it's the same.",
        "Exporting worked fine until the redesign.",
        "I've attached an example of what the exported file looks like.",
        "The date filter on the export seems to be ignored.",
        "I'm doing this in {browser} on a Mac.",
        "Smaller exports of ten or twenty invoices work fine.",
    ),
    facts=(
        "I send around {n_invoices} invoices a quarter.",
        "My accountant needs them in one file, not {n_invoices} separate PDFs.",
        "This is the one thing my accountant always asks about.",
        "Our accountant works in Excel.",
    ),
    praise_notes=(
        "My accountant actually said thank you this quarter.",
        "It used to take me an afternoon of clicking download.",
    ),
    consequences=(
        "So I'm stuck copying numbers by hand.",
        "My accountant charges me extra to tidy the export up.",
        "It eats up most of my month-end.",
        "I nearly missed the filing deadline because of it.",
    ),
    short={
        "feature_request": (
            "bulk invoice export pls",
            "need export with line items",
            "export to excel please",
            "let me export everything at once",
        ),
        "bug": (
            "export broken",
            "pdf export cuts off",
            "csv export missing line items",
            "invoice export times out",
        ),
        "complaint": ("exporting invoices is painful", "export is useless"),
        "question": ("how to export all invoices?", "export invoices to csv?"),
        "praise": ("new pdf export is great",),
    },
    short_subjects=("export", "invoice export", "csv export", "pdf export", "exporting"),
    short_generic=("bug", "complaint", "praise", "feature_request"),
    popular=(("need bulk export", "feature_request", "neutral"),),
    jobs=(
        Job(
            job_id="J01",
            motivation="export all invoices at once",
            phrasings=(
                "export all invoices at once",
                "export all my invoices at once",
                "download every invoice for the month in one go",
                "export the whole quarter's invoices in one file",
                "get all my invoices out in one click",
                "pull every invoice out in a single export",
            ),
            situations=(
                "I close the month",
                "the quarter ends",
                "I get ready for year end",
                "my accountant asks for the numbers",
                "I do my quarterly books",
            ),
            outcomes=(
                "so I can hand them to my accountant",
                "so my accountant can file everything",
                "so I don't spend an afternoon clicking download",
                "so I can archive them",
            ),
            workarounds=(
                "download every PDF one by one",
                "open each invoice and save it separately",
                "copy everything into a spreadsheet by hand",
            ),
            failures=(
                "the export stops halfway",
                "it times out after about 50 invoices",
                "the zip file is empty",
                "the export only gives me the first page",
            ),
        ),
    ),
    job_rate=0.55,
    plan_skew={"pro": 1.3, "business": 1.3},
    channel_skew={"advisory_council": 1.5, "community": 1.3},
)

MOBILE_CRASHES = Theme(
    name="Mobile app crashes",
    weight=8.0,
    kinds={
        "bug": 0.68,
        "complaint": 0.17,
        "question": 0.05,
        "feature_request": 0.03,
        "praise": 0.03,
        "other": 0.04,
    },
    subjects=(
        "the app",
        "the mobile app",
        "the app on my phone",
        "the phone app",
    ),
    tasks=(
        "open the app",
        "create an invoice on my phone",
        "take a photo of a receipt in the app",
        "switch between companies in the app",
        "open a client on the phone app",
        "log an expense on my phone",
    ),
    failures=(
        "the app crashes",
        "the app closes itself",
        "it crashes straight back to the home screen",
        "the app freezes and then shuts down",
    ),
    bugs=(
        "{subj} crashes as soon as I open it",
        "{subj} closes itself when I tap on an invoice",
        "{subj} crashes every time I try to add a line item",
        "{subj} freezes on the splash screen",
        "{subj} crashes when I rotate the phone",
        "{subj} crashes on my {device} since the {version} update",
        "{subj} force closes whenever I open a client",
        "{subj} quits when I attach a photo",
        "the app goes black and then closes",
        "{subj} crashes in the middle of saving and I lose everything I typed",
        "{subj} won't even start after updating to {version}",
        "tapping the plus button makes the app crash",
        "{subj} crashes when I switch companies",
    ),
    complaints=(
        "{subj} is basically unusable since the update",
        "every update makes the mobile app less stable",
        "I'm paying for an app that crashes ten times a day",
        "the mobile app is so unstable I've gone back to the website",
        "you clearly didn't test this release on real phones",
        "the phone app crashes more than it works",
    ),
    requests=(
        "roll back the last app update until the crashes are fixed",
        "let me go back to the old version of the app",
        "autosave drafts so an app crash doesn't lose my work",
        "add an offline mode so the app doesn't die with bad signal",
    ),
    questions=(
        "Is anyone else having the app crash after the update?",
        "Is there a fix coming for the app crashing on {device}?",
        "How do I reinstall the app without losing my data?",
        "Should I downgrade the app until the crash is fixed?",
    ),
    praise=(
        "the mobile app has been stable since the latest patch",
        "the crash on startup is fixed, thank you",
        "the phone app is fast and hasn't crashed once",
    ),
    other=(
        "I mostly use the app on my {device}",
        "I updated the app this morning",
        "we use the phone app on job sites",
    ),
    details=(
        "I already deleted and reinstalled the app twice.",
        "It started right after the {version} update.",
        "Restarting the phone doesn't help.",
        "It crashes about half the time.",
        "My colleague's phone does the same thing.",
        "The web version works fine, it's only the app.",
        "Cleared the cache, still crashes.",
        "It's a {device}, fully updated.",
    ),
    facts=(
        "My phone is a {device}.",
        "I do most of my invoicing from my phone.",
        "I'm out on jobs most of the day.",
    ),
    praise_notes=("I use the phone app every day on site.",),
    consequences=(
        "I lost a whole invoice I had typed out.",
        "I can't do anything when I'm away from my desk.",
        "I've had to wait until I get home to send invoices.",
        "One star until it's fixed.",
        "A client watched the app crash while I was trying to bill them. Embarrassing.",
    ),
    short={
        "bug": (
            "app keeps crashing",
            "crashes on startup",
            "crash after update",
            "app crashes every time",
            "won't open since {version}",
            "app crashes on {device}",
            "keeps force closing",
            "crashes when adding a receipt",
            "crashes when i open an invoice",
        ),
        "complaint": ("unusable since update", "fix the crashes!!", "new version is a disaster"),
        "question": ("crash fix coming?",),
    },
    short_subjects=("app", "mobile app", "phone app", "the app", "iphone app", "android app"),
    short_generic=("bug", "complaint"),
    popular=(
        ("app keeps crashing", "bug", "negative"),
        ("crashes on startup", "bug", "negative"),
    ),
    jobs=(
        Job(
            job_id="J08",
            motivation="send an invoice from my phone",
            phrasings=(
                "send an invoice from my phone",
                "invoice a client from my phone right after the job",
                "create and send an invoice on the go",
                "send an invoice from the app while I'm on site",
            ),
            situations=(
                "I finish a job at a client's place",
                "I'm on site",
                "I'm away from my desk",
                "I finish a delivery",
            ),
            outcomes=(
                "so I get paid faster",
                "so I don't forget to bill the job",
                "so the client has it before I leave",
            ),
            workarounds=(
                "write it on paper and type it up at night",
                "wait until I'm back at my laptop",
            ),
            failures=(
                "the app crashes before I can hit send",
                "the app closes as soon as I add the line items",
                "the app freezes on the send screen",
            ),
        ),
    ),
    job_rate=0.30,
    plan_skew={"free": 1.2, "starter": 1.2},
    channel_skew={"app_review": 4.0},
    trend="release_spike",
)

PRICING = Theme(
    name="Pricing and plans",
    weight=9.0,
    kinds={
        "complaint": 0.52,
        "question": 0.20,
        "feature_request": 0.12,
        "praise": 0.05,
        "other": 0.07,
        "bug": 0.04,
    },
    subjects=(
        "the price",
        "the new pricing",
        "the subscription",
        "the Pro plan",
        "the price increase",
        "the plans",
    ),
    bugs=(
        "I was charged twice for my subscription this month",
        "the upgrade didn't go through but I was billed anyway",
        "my subscription invoice from you shows the wrong plan",
    ),
    complaints=(
        "the price went up {pct} and I get nothing new",
        "it's too expensive for a one-person business",
        "I'm paying for features I never use",
        "the jump from Starter to Pro is way too big",
        "having to upgrade just to add one more user is a rip-off",
        "the free plan is so limited it's pointless",
        "the new pricing punishes small businesses",
        "you raised the price and removed features in the same month",
        "charging per user makes no sense for a tiny team",
        "other apps offer the same for half the price",
        "I got no warning before the price increase",
        "the subscription costs more than my phone bill now",
    ),
    requests=(
        "bring back the old Starter plan",
        "offer a cheaper plan for sole traders",
        "add a discount for annual billing",
        "let me pay for extra users without moving up a whole plan",
        "give a discount to non-profits",
        "let me downgrade without losing my data",
    ),
    questions=(
        "What's the difference between Starter and Pro?",
        "Can I switch to annual billing and get a discount?",
        "Will I lose my invoices if I downgrade to the free plan?",
        "Why did my subscription go up this month?",
        "Is there a discount for charities?",
        "How do I cancel my subscription?",
    ),
    praise=(
        "it's worth every penny",
        "the price is fair for what you get",
        "the annual plan is good value",
        "the free plan is generous for a new business",
    ),
    other=(
        "we moved to the Business plan in {month}",
        "I'm on the annual plan",
        "we're comparing a few tools at the moment",
    ),
    details=(
        "Half of the Pro features are things I'll never touch.",
        "My renewal is next month and I'm seriously thinking about it.",
        "The price went from {old_price} to {new_price} a month.",
        "Nothing about the product changed when the price went up.",
    ),
    facts=(
        "We're a team of two.",
        "I've been a customer for {years} years.",
        "I only send about {n_invoices} invoices a month.",
        "I'm on the {plan} plan.",
    ),
    praise_notes=("It pays for itself in saved accountant fees.",),
    consequences=(
        "I'm looking at alternatives.",
        "I'll probably cancel at renewal.",
        "It's hard to justify to my business partner.",
        "It's becoming one of my biggest monthly costs.",
    ),
    short={
        "complaint": (
            "too expensive",
            "way too pricey",
            "price hike not ok",
            "too expensive for what it is",
            "not worth the money",
            "price increase is too much",
            "pricing is getting silly",
        ),
        "praise": ("good value", "worth the money"),
        "question": ("student discount?", "how do i cancel?"),
        "feature_request": ("cheaper plan for sole traders pls",),
    },
    short_subjects=("pricing", "the price", "new pricing", "subscription price", "the plans"),
    short_generic=("complaint", "praise"),
    popular=(("too expensive", "complaint", "negative"),),
    plan_skew={"free": 1.6, "starter": 1.4, "business": 0.6},
    channel_skew={"survey": 1.4, "community": 1.1, "app_review": 0.7},
)

RECEIPTS = Theme(
    name="Receipt scanning",
    weight=8.0,
    kinds={
        "bug": 0.35,
        "feature_request": 0.25,
        "praise": 0.14,
        "complaint": 0.12,
        "question": 0.09,
        "other": 0.05,
    },
    subjects=(
        "receipt scanning",
        "the receipt scanner",
        "scanning receipts",
        "the receipt capture",
        "the receipt photo upload",
        "the receipt OCR",
    ),
    tasks=(
        "scan a receipt",
        "upload a receipt photo",
        "attach a receipt to an expense",
        "forward a receipt by email",
        "scan a long supermarket receipt",
    ),
    bugs=(
        "{subj} reads the total wrong about half the time",
        "{subj} picks up the date as the amount",
        "the receipt scanner can't read receipts in low light",
        "scanned receipts get attached to the wrong expense",
        "uploading a receipt photo fails with 'file too large'",
        "{subj} doesn't recognise the VAT on receipts",
        "receipts I email in never show up",
        "long receipts get cut off halfway",
        "the camera opens but the scan button does nothing",
        "it reads every supplier on my receipts as 'Unknown merchant'",
    ),
    complaints=(
        "fixing every scanned receipt by hand defeats the point",
        "{subj} is slower than typing the numbers in myself",
        "{subj} is the worst part of the app",
        "I still need a shoebox for receipts because the scanner is so bad",
    ),
    requests=(
        "let me scan several receipts in one go",
        "let me forward receipts from my email automatically",
        "read the VAT amount from receipts",
        "support PDF receipts, not just photos",
        "learn the expense category from the merchant on the receipt",
        "let me crop the receipt photo before it's scanned",
    ),
    questions=(
        "How do I attach a receipt to an existing expense?",
        "Can I email receipts straight into the app?",
        "Does receipt scanning work with foreign receipts?",
        "Where do scanned receipts go if they don't match anything?",
        "Is there a limit to how many receipts I can scan a month?",
    ),
    praise=(
        "{subj} is brilliant, it gets the total right every time",
        "snapping receipts in the car park is a lifesaver",
        "the receipt scanner saves me hours at tax time",
        "the new scanner reads even crumpled receipts",
        "the receipt matching is scarily accurate",
    ),
    other=(
        "I scan most receipts at the end of the week",
        "we collect all fuel receipts in the app",
        "my staff take photos of receipts on their phones",
    ),
    details=(
        "It's worse with thermal paper receipts.",
        "I tried with good lighting on a flat table, same result.",
        "The total is clear on the photo, the scanner just reads it wrong.",
        "Receipt scanning used to work better last year.",
        "Shorter receipts are fine, it's the long ones.",
    ),
    facts=(
        "I have about {n_receipts} receipts a month.",
        "I take the receipt photos with my {device}.",
        "Most of my receipts are for fuel and supplies.",
    ),
    praise_notes=(
        "My shoebox of receipts is finally gone.",
        "Tax time took half as long this year.",
    ),
    consequences=(
        "So I'm back to typing receipts in.",
        "My expenses are a mess at the end of the month.",
        "I end up keeping the paper receipts anyway.",
    ),
    short={
        "bug": (
            "receipt scan reads wrong total",
            "receipt scanner not working",
            "receipt upload fails",
            "ocr wrong again",
        ),
        "feature_request": ("batch receipt scanning pls", "let me email receipts in"),
        "praise": (
            "receipt scanner is amazing",
            "scanning receipts is so easy",
            "receipt capture is spot on",
        ),
        "complaint": ("receipt scanning is useless",),
    },
    short_subjects=(
        "receipt scanner",
        "receipt scanning",
        "scanner",
        "receipt capture",
        "ocr",
        "receipt upload",
    ),
    short_generic=("bug", "complaint", "praise", "feature_request"),
    popular=(("love the receipt scanner", "praise", "positive"),),
    jobs=(
        Job(
            job_id="J03",
            motivation="capture receipts from my phone",
            phrasings=(
                "capture receipts from my phone",
                "snap a receipt and be done with it",
                "scan receipts as soon as I get them",
                "photograph a receipt and have it filed automatically",
                "get receipts into the books straight from my phone",
            ),
            situations=(
                "I pay for fuel",
                "I buy supplies",
                "I'm out at a client lunch",
                "I pick up materials from the hardware store",
            ),
            outcomes=(
                "so I don't lose the paper",
                "so my expenses are done before the end of the month",
                "so I can throw the paper away",
            ),
            workarounds=(
                "keep a shoebox of receipts and type them up on Sunday",
                "type every receipt in by hand",
            ),
            failures=(
                "the receipt scan fails and I have to type it all in",
                "the receipt upload hangs",
                "the app crashes when I take the photo",
            ),
        ),
    ),
    job_rate=0.45,
    channel_skew={"app_review": 1.6},
)

SUPPORT = Theme(
    name="Customer support",
    weight=7.0,
    kinds={
        "complaint": 0.55,
        "praise": 0.30,
        "question": 0.05,
        "feature_request": 0.05,
        "other": 0.05,
    },
    subjects=("support", "customer support", "your support team", "the help desk", "live chat"),
    complaints=(
        "support took {n_days} to answer a simple question",
        "I keep getting copy-paste answers from support",
        "nobody at support actually read my ticket",
        "the support chat bot goes in circles and never gets me to a human",
        "my support ticket was closed without being solved",
        "there's no phone support at all",
        "support told me it was fixed and it wasn't",
        "I had to explain my problem to three different people at support",
        "support only answers during US office hours",
        "support sent me a link to a help article that doesn't exist anymore",
    ),
    requests=(
        "add phone support for paying customers",
        "let me talk to a human instead of the support bot",
        "offer support in the evenings and at weekends",
        "show me the status of my support ticket",
    ),
    questions=(
        "How do I reach a real person at support?",
        "Is there a phone number for customer support?",
        "What are your support hours?",
    ),
    praise=(
        "{agent} from support was fantastic",
        "support sorted my problem in ten minutes",
        "your support team is the best I've dealt with",
        "support actually followed up to check everything worked",
        "the live chat is fast and really friendly",
        "{agent} went above and beyond to fix my account",
        "{agent} on the support chat was patient and explained everything",
    ),
    other=(
        "I contacted support last week about my account",
        "I had a call with {agent} from support yesterday",
    ),
    details=(
        "My ticket number is {ticket}.",
        "I waited on the support chat for {minutes} minutes.",
        "This is the third time I've written in about it.",
        "The answer I got didn't even match my question.",
        "I'm in {timezone_place}, so by the time support answers I'm asleep.",
    ),
    facts=(
        "My ticket number is {ticket}.",
        "I contacted support through the chat.",
        "It was about a billing question.",
    ),
    praise_notes=(
        "{agent} even recorded a short video to show me how.",
        "That's the kind of service that keeps me here.",
        "I got a reply within the hour.",
    ),
    consequences=(
        "I've lost a week of work waiting.",
        "It's the reason I'm thinking of leaving.",
        "I've given up and worked around it myself.",
    ),
    short={
        "complaint": (
            "support never replies",
            "slow support",
            "support useless",
            "waited {n_days} for a reply",
            "support is a bot maze",
        ),
        "praise": (
            "support was super helpful",
            "{agent} is a star",
            "fast friendly support",
            "brilliant support team",
        ),
    },
    short_subjects=("support", "customer service", "support team", "live chat", "help desk"),
    short_generic=("complaint", "praise"),
    popular=(
        ("support is slow", "complaint", "negative"),
        ("great support", "praise", "positive"),
    ),
    channel_skew={"support_ticket": 1.5, "survey": 1.2, "app_review": 0.6},
)

SLOW = Theme(
    name="Slow performance",
    weight=6.0,
    kinds={
        "complaint": 0.45,
        "bug": 0.35,
        "question": 0.06,
        "feature_request": 0.06,
        "praise": 0.05,
        "other": 0.03,
    },
    subjects=(
        "the app",
        "the dashboard",
        "the reports page",
        "the invoice list",
        "the website",
        "the web app",
    ),
    bugs=(
        "the dashboard takes {secs} seconds to load",
        "the invoice list takes forever to open",
        "reports time out when I pick a full year",
        "searching for a customer takes ages",
        "every click on the web app takes a few seconds",
        "the reports page hangs and {browser} asks me to kill it",
        "saving an invoice spins for ages",
        "the whole web app lags once we have a few tabs open",
    ),
    complaints=(
        "{subj} is painfully slow",
        "the app gets slower every month",
        "waiting for pages to load is killing my productivity",
        "the web app is so sluggish I avoid opening it",
        "the web app feels like it's running on dial-up",
        "{subj} is slow as treacle",
    ),
    requests=(
        "make the reports load faster",
        "let me turn off the dashboard widgets to speed things up",
        "add pagination to the invoice list so it loads quicker",
    ),
    questions=(
        "Is the app slow for everyone today?",
        "Why does the dashboard take so long to load?",
        "Is there anything I can do to make the reports load faster?",
    ),
    praise=(
        "the app feels so much faster since the last update",
        "whatever you did to the dashboard, it loads instantly now",
        "reports load in a second now, huge improvement",
    ),
    other=("we have a few thousand invoices in the system", "we keep the web app open all day"),
    details=(
        "My internet is fast, everything else loads fine.",
        "It's slowest on Monday mornings.",
        "Tried {browser} and another browser, same slowness.",
        "It was fine a few months ago.",
        "The loading spinner just keeps going.",
    ),
    facts=(
        "We have a few thousand invoices in there.",
        "We keep the web app open all day.",
    ),
    praise_notes=("Month-end doesn't drag anymore.",),
    consequences=(
        "Month-end takes twice as long as it should.",
        "I've started doing things in a spreadsheet instead.",
        "My staff are sitting around waiting for pages to load.",
    ),
    short={
        "complaint": (
            "so slow",
            "sloooow",
            "too slow lately",
            "laggy and slow",
            "slow slow slow",
            "app is sluggish",
            "everything takes forever",
            "pages load so slowly",
            "loading takes ages",
            "web app is crawling",
            "dashboard super slow",
            "painfully slow today",
            "so laggy",
        ),
        "bug": ("dashboard takes forever", "reports time out", "invoice list wont load"),
        "praise": ("much faster now",),
    },
    short_subjects=(),
    short_generic=(),
    popular=(("very slow", "complaint", "negative"),),
    plan_skew={"business": 1.4, "pro": 1.2},
    trend="fading",
)

ONBOARDING = Theme(
    name="Onboarding and setup",
    weight=5.0,
    kinds={
        "complaint": 0.28,
        "question": 0.30,
        "praise": 0.18,
        "feature_request": 0.15,
        "bug": 0.05,
        "other": 0.04,
    },
    subjects=(
        "the setup",
        "getting started",
        "the onboarding",
        "the setup wizard",
        "importing my data",
    ),
    tasks=(
        "import my customers from a spreadsheet",
        "set up my chart of accounts",
        "add my opening balances",
        "set up my company details",
        "add my logo to invoices",
    ),
    bugs=(
        "the import wizard fails on my customer spreadsheet",
        "the setup wizard loops back to step one",
        "my opening balances don't save",
    ),
    complaints=(
        "setting everything up took me a whole weekend",
        "the setup wizard assumes I know accounting terms",
        "there's no help with moving over from my old software",
        "I had no idea what a chart of accounts was and nothing in the setup explained it",
        "the first week of getting started was confusing",
        "the data import only accepts a very specific CSV format",
    ),
    requests=(
        "add a guided tour for new users",
        "let me import everything from my old software in one go",
        "explain the accounting terms in plain English during setup",
        "offer a setup call for new accounts",
        "add a sample company so I can practise first",
    ),
    questions=(
        "How do I import my customers from a spreadsheet?",
        "Where do I enter my opening balances?",
        "Which chart of accounts should I pick for a small shop?",
        "Can someone help me set up my account?",
        "How do I add my logo to invoices?",
    ),
    praise=(
        "setup was really easy",
        "I was up and running in an afternoon",
        "the setup wizard made it painless",
        "the getting-started videos are excellent",
        "moving over from spreadsheets was easier than I expected",
    ),
    other=(
        "I just signed up this week",
        "we moved over from spreadsheets in {month}",
        "I'm still setting things up",
    ),
    details=(
        "The help articles assume you already know what you're doing.",
        "My accountant had to finish the setup for me in the end.",
        "The import kept rejecting my file without saying why.",
    ),
    facts=(
        "I'm not an accountant, I just run a {biz}.",
        "I had about {n_customers} customers to bring over.",
        "I've been using spreadsheets until now.",
    ),
    praise_notes=(
        "It saved me from hiring someone to set it up.",
        "I'm not a numbers person and I still managed.",
    ),
    consequences=(
        "I nearly gave up in the first week.",
        "I'm still not sure I set it up right.",
    ),
    short={
        "question": ("how do i import customers?", "where do opening balances go?"),
        "complaint": ("setup is confusing", "too hard to set up"),
        "praise": ("easy setup", "setup was painless", "easy to get started"),
    },
    short_subjects=("setup", "onboarding", "setup wizard", "getting started", "data import"),
    short_generic=("complaint", "praise"),
    jobs=(
        Job(
            job_id="J09",
            motivation="move my data from my old software",
            phrasings=(
                "move my data from my old software",
                "bring all my customers and invoices over from my old system",
                "import my history from the spreadsheet I used before",
                "switch over without retyping everything",
            ),
            situations=(
                "I switch from my old accounting software",
                "I move over from spreadsheets",
                "I start a new financial year in the app",
            ),
            outcomes=(
                "so I have everything in one place",
                "so I don't have to retype years of invoices",
                "so my reports include last year",
            ),
            workarounds=(
                "retype every customer by hand",
                "keep the old software running alongside",
            ),
            failures=(
                "the import stops at row 200",
                "the import wizard rejects my file",
                "half the customers come in without addresses",
            ),
        ),
    ),
    job_rate=0.45,
    plan_skew={"free": 1.6, "starter": 1.2},
    channel_skew={"survey": 1.3},
)

REMINDERS = Theme(
    name="Payment reminders",
    weight=5.0,
    kinds={
        "feature_request": 0.40,
        "bug": 0.22,
        "praise": 0.16,
        "question": 0.12,
        "complaint": 0.07,
        "other": 0.03,
    },
    subjects=(
        "payment reminders",
        "the automatic reminders",
        "the overdue reminders",
        "the reminder emails",
        "late payment reminders",
    ),
    tasks=(
        "set up automatic payment reminders",
        "change the reminder email text",
        "turn off reminders for one client",
        "send a reminder for an overdue invoice",
    ),
    bugs=(
        "payment reminders go out for invoices that are already paid",
        "the automatic reminders never actually send",
        "clients get the same payment reminder three times in one day",
        "the reminder email shows the wrong amount due",
        "reminders go to the wrong contact at the client",
        "turning off reminders for one client turns them off for everyone",
    ),
    complaints=(
        "I can't change the wording of the payment reminders and they sound rude",
        "a client got a reminder for an invoice they paid last week and was not amused",
        "the overdue reminders are far too basic",
    ),
    requests=(
        "let me set different reminder schedules per client",
        "let me customise the reminder email",
        "add a late fee automatically after 30 days",
        "send me a copy when a payment reminder goes out",
        "add SMS payment reminders",
        "let me pause reminders for a client",
    ),
    questions=(
        "How do I change when payment reminders are sent?",
        "Can I stop reminders for one specific invoice?",
        "Do clients see when I've sent a reminder?",
        "Can payment reminders include a pay-now link?",
    ),
    praise=(
        "the automatic reminders have cut my late payments in half",
        "payment reminders are the best feature in the app",
        "I don't have to chase clients for payment myself anymore",
        "the reminder emails are polite and they work",
    ),
    other=(
        "we send payment reminders after 14 days",
        "most of our clients pay on time anyway",
    ),
    details=(
        "I checked, the invoice was marked as paid before the reminder went out.",
        "The reminder template can't be edited.",
        "It happened to two clients this month.",
    ),
    facts=(
        "Most of my clients are on 30-day terms.",
        "I've got {n_overdue} invoices overdue right now.",
        "It's awkward chasing people I work with every week.",
    ),
    praise_notes=("My overdue list is the shortest it's ever been.",),
    consequences=(
        "Cash flow is tight enough as it is.",
        "I had to apologise to a client.",
        "I spend hours every month writing chasing emails.",
    ),
    short={
        "feature_request": ("custom reminder schedules please", "let me edit reminder emails"),
        "bug": ("reminders sent for paid invoices", "reminders not sending"),
        "praise": ("reminders work great", "love the auto reminders"),
    },
    short_subjects=("payment reminders", "reminders", "auto reminders", "reminder emails"),
    short_generic=("bug", "praise", "feature_request"),
    jobs=(
        Job(
            job_id="J04",
            motivation="chase late payments automatically",
            phrasings=(
                "chase late payments automatically",
                "have overdue clients reminded without lifting a finger",
                "stop chasing clients for money myself",
                "get paid on time without sending awkward emails",
            ),
            situations=(
                "invoices go past 30 days",
                "I check who owes me money",
                "I'm busy on jobs all week",
            ),
            outcomes=(
                "so my cash flow doesn't suffer",
                "so I don't have to send awkward emails",
                "so I can focus on the actual work",
            ),
            workarounds=(
                "write every reminder email myself",
                "keep a spreadsheet of who owes what and call them",
            ),
            failures=(
                "the reminders never go out",
                "it reminds clients who already paid",
            ),
        ),
    ),
    job_rate=0.50,
    channel_skew={"community": 1.2},
)

TAX = Theme(
    name="Tax reports",
    weight=5.0,
    kinds={
        "feature_request": 0.28,
        "question": 0.25,
        "bug": 0.22,
        "complaint": 0.13,
        "praise": 0.08,
        "other": 0.04,
    },
    subjects=(
        "the tax report",
        "the VAT report",
        "the sales tax report",
        "the tax reports",
        "the VAT return",
    ),
    tasks=(
        "run the VAT report",
        "file my quarterly VAT return",
        "see sales tax by state",
        "export the tax report for my accountant",
    ),
    bugs=(
        "the VAT report doesn't match the invoices",
        "the sales tax report double counts refunds",
        "the tax report ignores credit notes",
        "the VAT return shows zero for the last month of the quarter",
        "the tax report crashes when I select a custom date range",
        "reverse charge invoices end up in the wrong box on the VAT return",
    ),
    complaints=(
        "the tax reports are too basic for a real business",
        "every quarter I have to fix the VAT numbers by hand",
        "I don't trust the tax report after last quarter",
    ),
    requests=(
        "add a sales tax report by state",
        "let me submit the VAT return directly from the app",
        "show tax collected and tax paid side by side",
        "add cash-basis VAT reporting",
        "let me export the tax report in the format my accountant needs",
    ),
    questions=(
        "Which report do I use for my VAT return?",
        "Does the tax report use the invoice date or the payment date?",
        "Can I file my VAT return from Ledgerbird?",
        "How do I handle reverse charge VAT?",
        "Why is the tax report different from my sales total?",
    ),
    praise=(
        "the VAT return took me ten minutes this quarter",
        "the new tax summary is exactly what I needed",
        "filing sales tax is so much easier now",
    ),
    other=(
        "I file VAT quarterly",
        "my accountant does the tax return from the reports",
    ),
    details=(
        "The tax figures are off by a few hundred.",
        "My accountant spotted it before we filed, luckily.",
        "The individual invoices all have the right tax on them.",
    ),
    facts=(
        "I'm VAT registered and file every quarter.",
        "I sell to customers in {n_states} states.",
        "I'm on the flat rate VAT scheme.",
    ),
    praise_notes=("My accountant had nothing to correct this time.",),
    consequences=(
        "I'm scared of getting the tax return wrong.",
        "My accountant now double-checks every tax figure, which I pay for.",
        "The deadline is next week.",
    ),
    short={
        "question": ("which report for vat?", "vat return help?"),
        "bug": ("vat report wrong", "tax report doesnt match"),
        "feature_request": ("need sales tax by state",),
    },
    short_subjects=("vat report", "tax report", "sales tax report", "vat return"),
    short_generic=("bug", "complaint", "question"),
    jobs=(
        Job(
            job_id="J06",
            motivation="prepare the quarterly tax return",
            phrasings=(
                "prepare the quarterly tax return",
                "get my VAT return done from the numbers in the app",
                "file sales tax without rebuilding it in a spreadsheet",
                "have the quarterly VAT figures ready in one report",
            ),
            situations=(
                "the quarter ends",
                "my VAT return is due",
                "sales tax is due",
            ),
            outcomes=(
                "so I can file on time",
                "so I don't have to pay my accountant for it",
                "before the deadline sneaks up on me",
            ),
            workarounds=(
                "rebuild the numbers in a spreadsheet",
                "add up every invoice by hand",
            ),
            failures=(
                "the tax report shows the wrong totals",
                "the VAT report won't load for the full quarter",
            ),
        ),
    ),
    job_rate=0.50,
    region_skew={"UK & Ireland": 1.5, "Europe": 1.3},
)

CURRENCY = Theme(
    name="Multi-currency",
    weight=4.0,
    kinds={
        "feature_request": 0.45,
        "bug": 0.18,
        "question": 0.15,
        "complaint": 0.14,
        "praise": 0.05,
        "other": 0.03,
    },
    subjects=(
        "multi-currency",
        "currency support",
        "foreign currency invoices",
        "the exchange rates",
        "multiple currencies",
    ),
    bugs=(
        "invoices in {currency} get converted at the wrong exchange rate",
        "the exchange rate never updates",
        "foreign currency payments show up as a loss every time",
        "the currency symbol on the PDF is wrong for {currency} invoices",
        "reports mix {currency} and my home currency without converting",
    ),
    complaints=(
        "I can only invoice in one currency",
        "working with overseas clients is a nightmare with only one currency",
        "currency support is an afterthought",
        "I have to convert every foreign expense with a calculator",
    ),
    requests=(
        "let me invoice in {currency}",
        "add proper multi-currency support",
        "update the exchange rates daily",
        "let me have a bank account in {currency}",
        "show gains and losses from exchange rates",
    ),
    questions=(
        "Can I send an invoice in {currency}?",
        "Where does the exchange rate come from?",
        "How do I record a payment in a different currency?",
        "Is multi-currency only on the Business plan?",
    ),
    praise=(
        "multi-currency invoicing works perfectly for my overseas clients",
        "being able to bill in {currency} is a game changer",
    ),
    other=("about half our clients are abroad", "we bill in {currency} and euros"),
    details=(
        "The exchange rate it uses is from weeks ago.",
        "The amount on the PDF doesn't match what the client actually paid.",
    ),
    facts=(
        "Most of my clients are in {country}.",
        "I get paid in {currency} through {integration}.",
        "I travel a lot for work.",
    ),
    praise_notes=("My overseas clients stopped asking me to redo invoices.",),
    consequences=(
        "My books are off every month because of the currency conversion.",
        "I have to keep a separate spreadsheet for foreign clients.",
    ),
    short={
        "feature_request": (
            "need multi currency",
            "please support {currency}",
            "multi-currency pls",
        ),
        "complaint": ("only one currency??",),
    },
    short_subjects=("multi currency", "currency support", "exchange rates", "currency conversion"),
    short_generic=("feature_request", "complaint", "bug"),
    jobs=(
        Job(
            job_id="J05",
            motivation="invoice clients in their own currency",
            phrasings=(
                "invoice clients in their own currency",
                "bill my overseas clients in {currency}",
                "send invoices in the client's currency",
                "charge foreign clients in their own currency",
            ),
            situations=(
                "I work with clients abroad",
                "I take on a client in {country}",
                "I quote for an overseas project",
            ),
            outcomes=(
                "so they don't have to pay conversion fees",
                "so the amounts match what we agreed",
                "so I look professional",
            ),
            workarounds=(
                "make the invoice in a word processor",
                "convert the amounts myself and add a note",
            ),
            failures=(
                "the PDF still shows my home currency",
                "it converts the amount at the wrong rate",
            ),
            weight=1.3,
        ),
        Job(
            job_id="J12",
            motivation="record expenses in foreign currencies",
            phrasings=(
                "record expenses in foreign currencies",
                "log my expenses abroad in the local currency",
                "add foreign receipts without converting them myself",
                "track what I spend abroad in the currency I paid in",
            ),
            situations=(
                "I travel for work",
                "I go to trade fairs abroad",
                "I pay suppliers overseas",
            ),
            outcomes=(
                "so my expense report is right",
                "so I can claim it back properly",
            ),
            workarounds=(
                "convert every receipt by hand",
                "look up the exchange rate for each day",
            ),
            failures=(
                "it saves the amount in my home currency",
                "the expense gets the wrong exchange rate",
            ),
        ),
    ),
    job_rate=0.55,
    plan_skew={"pro": 1.3, "business": 1.3, "free": 0.7},
    region_skew={
        "Europe": 1.6,
        "UK & Ireland": 1.3,
        "Asia-Pacific": 1.4,
        "Latin America": 1.3,
        "North America": 0.5,
    },
)

PERMISSIONS = Theme(
    name="Team permissions",
    weight=3.5,
    kinds={
        "feature_request": 0.55,
        "complaint": 0.15,
        "question": 0.15,
        "bug": 0.10,
        "praise": 0.03,
        "other": 0.02,
    },
    subjects=(
        "user permissions",
        "team permissions",
        "user roles",
        "access levels",
        "the user roles",
    ),
    bugs=(
        "my bookkeeper can see payroll even though I turned it off",
        "invited users never get the invitation email",
        "a staff member with 'view only' can still delete invoices",
        "removing a user doesn't revoke their access straight away",
    ),
    complaints=(
        "everyone who logs in can see everything",
        "there are only two user roles, admin or nothing",
        "I can't let staff send invoices without showing them the bank balance",
        "sharing one login with my team is the only option",
    ),
    requests=(
        "add a read-only role for my accountant",
        "let me hide bank accounts from certain users",
        "let staff create invoices but not delete them",
        "add an approval step before invoices go out",
        "show a log of which user changed what",
        "let me set user permissions per client",
    ),
    questions=(
        "How do I give my accountant access?",
        "Can I stop a user from seeing payroll?",
        "Is there a view-only role?",
        "How many users can I add on the Pro plan?",
    ),
    praise=("the new user roles are exactly what we needed", "I love the audit log"),
    other=(
        "we have {n_users} people using the account",
        "our bookkeeper logs in once a week",
    ),
    details=(
        "I tested it with a dummy user and it's the same.",
        "The settings page says one thing and the user sees another.",
    ),
    facts=(
        "We're {n_users} people in the office.",
        "Our bookkeeper is external.",
        "Salaries are in here and not everyone should see them.",
        "We're on the {plan} plan.",
    ),
    praise_notes=("Finally I can add the whole team without worrying.",),
    consequences=(
        "I don't feel comfortable adding my team.",
        "So everyone shares my login, which I know is bad.",
    ),
    short={
        "feature_request": (
            "need read-only role",
            "more user roles please",
            "accountant access pls",
        ),
        "complaint": ("no proper permissions",),
    },
    short_subjects=("user roles", "permissions", "user permissions", "access levels"),
    short_generic=("feature_request", "complaint"),
    jobs=(
        Job(
            job_id="J07",
            motivation="give my bookkeeper limited access",
            phrasings=(
                "give my bookkeeper limited access",
                "let my accountant see the books without touching anything",
                "give staff access to invoices only",
                "share the account without exposing payroll",
            ),
            situations=(
                "I hire a part-time bookkeeper",
                "we bring on a new office manager",
                "my accountant does the year end",
            ),
            outcomes=(
                "so they can't see salaries",
                "so nothing gets deleted by accident",
                "without giving away my admin login",
            ),
            workarounds=("share my own login", "export everything and email it over"),
            failures=(
                "the view-only user can still edit invoices",
                "the invite email never arrives",
            ),
        ),
    ),
    job_rate=0.50,
    plan_skew={"business": 4.0, "pro": 1.5, "starter": 0.6, "free": 0.2},
    channel_skew={"advisory_council": 3.0, "community": 1.2, "app_review": 0.5},
)

LOGIN = Theme(
    name="Login and two-factor",
    weight=2.5,
    kinds={
        "bug": 0.55,
        "complaint": 0.20,
        "question": 0.15,
        "feature_request": 0.07,
        "praise": 0.03,
    },
    subjects=(
        "login",
        "two-factor",
        "the 2FA code",
        "signing in",
        "the login page",
        "the verification code",
    ),
    bugs=(
        "the two-factor code never arrives",
        "I get logged out every few minutes",
        "the login page says my password is wrong but it works after a reset",
        "the 2FA code is always rejected",
        "I'm stuck in a loop between the login page and the verification page",
        "password reset emails take an hour to arrive",
        "Sign in with Google gives an error",
    ),
    complaints=(
        "I have to log in again every single day",
        "two-factor by text message is unreliable abroad",
        "getting locked out of my own books is terrifying",
    ),
    requests=(
        "support authenticator apps for two-factor",
        "let me stay signed in on my own laptop",
        "add backup codes for 2FA",
        "add Face ID login on the app",
    ),
    questions=(
        "How do I turn on two-factor authentication?",
        "I changed phone numbers, how do I update my 2FA?",
        "How do I reset my password if I don't get the email?",
        "Why do I keep getting logged out?",
    ),
    praise=(
        "the Face ID login is so convenient",
        "love that you added authenticator app support",
    ),
    details=(
        "I'm travelling and don't have my usual SIM.",
        "I've reset my password twice already.",
        "The login problem happens in {browser} and in the app.",
        "The verification code arrives after it has already expired.",
    ),
    facts=("I log in from my laptop and my phone.", "I travel a lot for work."),
    praise_notes=("Logging in takes a second now.",),
    consequences=(
        "I was locked out of my account for two days.",
        "I couldn't send invoices on the day they were due.",
    ),
    short={
        "bug": (
            "2fa code not arriving",
            "keeps logging me out",
            "locked out again",
            "login broken",
        ),
        "complaint": ("login is a pain",),
    },
    short_subjects=("login", "2fa", "two factor", "sign in", "password reset"),
    short_generic=("bug", "complaint"),
    popular=(("cant log in", "bug", "negative"),),
    channel_skew={"support_ticket": 1.6},
)

DARK_MODE = Theme(
    name="Dark mode",
    weight=2.0,
    kinds={"feature_request": 0.80, "complaint": 0.08, "praise": 0.07, "question": 0.05},
    subjects=("dark mode", "a dark theme", "night mode"),
    complaints=(
        "the bright white screen hurts my eyes at night",
        "there's still no dark mode after years of requests",
        "every other app I use has a dark mode",
    ),
    requests=(
        "add dark mode",
        "add a dark theme to the web app",
        "let the app follow my system dark mode setting",
        "add a dark mode for the invoice editor",
        "bring dark mode to the website too",
    ),
    questions=(
        "Is dark mode on the roadmap?",
        "Is there a dark mode I'm missing somewhere?",
        "Will the web app get dark mode like the phone app?",
    ),
    praise=("dark mode on the phone app is gorgeous", "thank you for dark mode, finally"),
    details=(
        "The phone app has dark mode but the website doesn't.",
        "Browser extensions that force dark mode break the invoice editor.",
    ),
    facts=(
        "I do most of my admin late at night.",
        "My eyes are tired after a day of screens.",
        "The community thread asking for dark mode has hundreds of votes.",
    ),
    praise_notes=("My eyes thank you.",),
    consequences=(
        "I end up turning the brightness all the way down.",
        "I get headaches after a long session on the white screen.",
    ),
    short={
        "feature_request": (
            "dark mode pls",
            "dark mode for the website please",
            "night mode would be nice",
            "still hoping for dark mode",
            "add a dark theme",
            "pls pls dark mode",
            "dark mode!!",
            "we need dark mode",
            "dark theme please",
            "DARK MODE",
        ),
        "complaint": ("still no dark mode?",),
    },
    short_subjects=(),
    short_generic=(),
    popular=(("please add dark mode", "feature_request", "neutral"),),
    jobs=(
        Job(
            job_id="J11",
            motivation="work late at night without eye strain",
            phrasings=(
                "work late at night without eye strain",
                "do my books in the evening without a blinding white screen",
                "use the app at night without hurting my eyes",
            ),
            situations=(
                "I do my admin after the kids are in bed",
                "I catch up on invoices late at night",
                "I get home from a long day on site",
            ),
            outcomes=("so I don't get headaches", "without a glaring white screen"),
            workarounds=(
                "turn the brightness all the way down",
                "use a browser extension that breaks half the pages",
            ),
        ),
    ),
    job_rate=0.45,
    channel_skew={"community": 2.5, "app_review": 1.3},
)

MILEAGE = Theme(
    name="Mileage tracking",
    weight=1.6,
    kinds={
        "feature_request": 0.40,
        "bug": 0.25,
        "praise": 0.15,
        "question": 0.12,
        "complaint": 0.08,
    },
    subjects=(
        "mileage tracking",
        "the mileage tracker",
        "the trip log",
        "GPS trip tracking",
        "the mileage log",
    ),
    bugs=(
        "the mileage tracker stops recording after a few minutes",
        "trips show up as zero miles",
        "GPS trip tracking drains my battery in an hour",
        "the trip log doubles some journeys",
        "the mileage rate is still last year's",
    ),
    complaints=(
        "logging mileage is more work than doing it on paper",
        "the mileage tracker is basically broken",
    ),
    requests=(
        "track trips automatically in the background",
        "let me mark trips as business or personal with a swipe",
        "update the mileage rate for this year",
        "let me add a trip after the fact from a map",
    ),
    questions=(
        "Does the mileage tracker work when the app is closed?",
        "How do I change the mileage rate?",
        "Can I export my mileage log for taxes?",
    ),
    praise=(
        "the mileage tracker is brilliant for my deliveries",
        "automatic trip tracking saves me so much hassle",
    ),
    details=(
        "I have location access set to 'always' for the app.",
        "It worked for the first couple of weeks.",
    ),
    facts=(
        "I drive about {miles} miles a week for work.",
        "I'm a mobile hairdresser, so I'm driving between clients all day.",
    ),
    praise_notes=("I claimed far more mileage this year than before.",),
    consequences=(
        "I'm losing money on mileage I can't claim.",
        "I went back to a paper mileage logbook.",
    ),
    short={
        "feature_request": ("auto mileage tracking pls",),
        "bug": ("mileage tracker stops", "trips show 0 miles"),
        "praise": ("love the mileage log",),
    },
    short_subjects=("mileage tracker", "trip log", "mileage tracking", "gps tracking"),
    short_generic=("bug", "praise", "feature_request"),
    jobs=(
        Job(
            job_id="J10",
            motivation="log business mileage automatically",
            phrasings=(
                "log business mileage automatically",
                "have my trips recorded without starting anything",
                "track my driving for work without thinking about it",
                "get a mileage log I can claim from",
            ),
            situations=(
                "I drive between clients",
                "I do my deliveries",
                "I visit job sites",
            ),
            outcomes=(
                "so I can claim it at tax time",
                "so I don't lose money on trips I forgot",
                "without a paper logbook in the glovebox",
            ),
            workarounds=("write every trip in a notebook", "reconstruct trips from my calendar"),
            failures=(
                "the mileage tracker stops after ten minutes",
                "the trip comes out as zero miles",
            ),
        ),
    ),
    job_rate=0.60,
    channel_skew={"app_review": 1.4},
)

THEMES: tuple[Theme, ...] = (
    BANK_SYNC,
    INVOICE_EXPORT,
    PRICING,
    MOBILE_CRASHES,
    RECEIPTS,
    SUPPORT,
    SLOW,
    ONBOARDING,
    REMINDERS,
    TAX,
    CURRENCY,
    PERMISSIONS,
    LOGIN,
    DARK_MODE,
    MILEAGE,
)
NOISE_THEME = "none"

# --------------------------------------------------------------------------------------
# Shared fragments
# --------------------------------------------------------------------------------------

GENERIC_POOLS: dict[str, tuple[str, ...]] = {
    "bank": (
        "my credit union",
        "our business bank",
        "my second bank account",
        "the savings account",
        "my business credit card",
        "our main current account",
    ),
    "device": (
        "iPhone 13",
        "iPhone 15",
        "Pixel 7",
        "Galaxy S22",
        "Galaxy A54",
        "iPad",
        "old Android phone",
    ),
    "browser": ("Chrome", "Safari", "Firefox", "Edge"),
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "the weekend"),
    "n_days": ("2 days", "3 days", "four days", "a week", "over a week", "10 days", "5 days"),
    "n_weeks": ("two weeks", "three weeks", "a month", "six weeks", "weeks"),
    "years": ("2", "3", "4", "5", "six", "two"),
    "n_invoices": ("40", "60", "120", "200", "300", "80"),
    "n_receipts": ("50", "100", "150", "200"),
    "n_customers": ("150", "400", "900", "60"),
    "n_overdue": ("6", "11", "four", "a dozen"),
    "n_states": ("12", "20", "30", "five"),
    "n_users": ("4", "6", "8", "12", "15"),
    "n_staff": ("3", "5", "8", "12", "20"),
    "miles": ("200", "350", "500", "120"),
    "secs": ("20", "30", "45", "15", "60"),
    "minutes": ("40", "25", "55", "90"),
    "pct": ("30%", "40%", "25%", "50%"),
    "old_price": ("$19", "$25", "$29", "$15"),
    "new_price": ("$35", "$39", "$45", "$29"),
    "ticket": ("#48213", "#50119", "#47762", "#51034", "#49588"),
    "currency": ("EUR", "USD", "GBP", "CAD", "AUD", "CHF", "SEK", "NZD", "MXN", "JPY"),
    "country": ("Germany", "Canada", "the US", "Australia", "Spain", "Mexico", "Ireland", "Japan"),
    "integration": ("Stripe", "PayPal", "bank transfer", "Wise"),
    "timezone_place": ("Australia", "New Zealand", "Singapore", "the UK", "Germany"),
    "agent": ("Maya", "Tom", "Priya", "Luis", "Ana", "Sam", "Jordan", "Kwame", "Ines"),
    "month": ("January", "March", "April", "June", "September", "October"),
    "biz": (
        "bakery",
        "plumbing business",
        "cleaning company",
        "design studio",
        "coffee shop",
        "landscaping business",
        "physio practice",
        "small online shop",
        "bike repair shop",
        "catering company",
        "recruitment agency",
        "photography studio",
        "dog grooming business",
        "building firm",
        "yoga studio",
        "marketing agency",
        "florist",
        "removals company",
    ),
    "freelancer": (
        "graphic designer",
        "photographer",
        "translator",
        "web developer",
        "copywriter",
        "electrician",
        "personal trainer",
        "consultant",
        "wedding planner",
        "illustrator",
        "carpenter",
    ),
    "failure": (
        "I get an error 500",
        "it just spins forever",
        "the page goes blank",
        "nothing happens",
        "I get 'Something went wrong, please try again'",
        "everything freezes",
        "I get a timeout error",
    ),
    "year": ("2026",),
}

CONTEXTS = (
    "I run a small {biz}.",
    "We're a {biz} with {n_staff} staff.",
    "I'm a freelance {freelancer}.",
    "I've been using Ledgerbird for {years} years for my {biz}.",
    "We switched to Ledgerbird from spreadsheets last year.",
    "I do the books for my partner's {biz} in the evenings.",
    "I'm the office manager at a {biz} with {n_staff} people.",
    "Sole trader here, working as a {freelancer}.",
    "I use Ledgerbird for my {biz} and for my side business.",
    "Some background: we're a family-run {biz}.",
)

OPENERS = {
    "negative": (
        "Honestly,",
        "Ugh.",
        "Seriously,",
        "Not happy.",
        "I'm really frustrated.",
        "This is the third time I'm reporting this.",
        "Sorry but",
        "Come on.",
        "I've had enough.",
        "Getting really fed up here.",
        "Long-time user, first time complaining.",
        "Really disappointed.",
        "Not impressed.",
        "So annoying.",
        "I hate to say it but",
    ),
    "neutral": (
        "Quick one:",
        "Just a suggestion.",
        "FYI,",
        "Small thing:",
        "One thing:",
        "A couple of thoughts.",
        "Feedback:",
        "For what it's worth,",
        "Not sure if this is the right place but",
    ),
    "positive": (
        "Love Ledgerbird!",
        "Big fan of the app.",
        "Great product overall.",
        "Thanks for a great tool.",
        "Honestly the best bookkeeping app I've used.",
        "Been using it for {years} years and love it.",
        "Happy customer here.",
        "Wow.",
    ),
}
CHANNEL_OPENERS = {
    "community": ("+1.", "Same here.", "Bumping this thread.", "Adding my vote.", "Me too."),
    "advisory_council": (
        "As discussed at the last council session,",
        "Speaking for our firm,",
        "From the council call:",
        "One point from our team:",
        "Following up on the roadmap review,",
    ),
}
CLOSERS = {
    "negative": (
        "Please fix this.",
        "Fix it please!",
        "Not acceptable.",
        "Very disappointed.",
        "Considering switching.",
        "Sort it out.",
        "This needs fixing asap.",
        "Seriously considering cancelling.",
        "Come on guys.",
        "Thanks for nothing.",
        "Getting really tired of this.",
    ),
    "neutral": (
        "Thanks.",
        "Thanks!",
        "Cheers.",
        "Thanks in advance.",
        "Let me know if you need more info.",
        "Would appreciate a reply.",
        "Thank you.",
        "Any help appreciated.",
    ),
    "positive": (
        "Keep up the good work!",
        "Thank you!",
        "You guys rock.",
        "Great job, team.",
        "Really appreciate it.",
        "10/10.",
        "Highly recommend.",
    ),
}
APP_REVIEW_CLOSERS = {
    "negative": ("One star until it's fixed.", "2 stars.", "Deleting the app."),
    "positive": ("Five stars!", "5 stars from me."),
}
GREETINGS = ("Hi team,", "Hello,", "Hi there,", "Hi support,", "Good morning,", "Hey,", "Hi,")
SIGNOFFS = ("Thanks,", "Regards,", "Best,", "Cheers,", "Thanks")
# Prefixes that make a negative comment "mixed"; the label follows the main point.
MIXED_PREFIXES = (
    "Love the app but",
    "Overall a great product, however",
    "The invoicing side is great but",
    "Mostly happy, but",
    "Been a loyal customer for years, but",
    "Everything else works well but",
    "Nice design and all, but",
)
MIXED_SUFFIXES = (
    "A few rough edges here and there, but nothing major.",
    "Not perfect, but close.",
    "Still a couple of things I'd change, but overall very happy.",
)
# Sentences any theme can use to fill out a longer comment, by sentiment.
GENERIC_NOTES = {
    "negative": (
        "This has been going on for {n_weeks}.",
        "I checked the help centre and couldn't find anything.",
        "Last {weekday} I sat down to do the books and ran straight into this again.",
        "I only noticed because my accountant asked about it.",
        "I've mentioned this in the community forum before.",
        "It's not the first time either.",
        "I lost most of an afternoon to this.",
        "My business partner ran into the same thing.",
        "Screenshots available if you need them.",
        "I'm using {browser} on Windows.",
    ),
    "neutral": (
        "Happy to jump on a call if that helps.",
        "I've been a customer for {years} years.",
        "I'm on the {plan} plan.",
        "Otherwise the app does what we need.",
    ),
    "positive": (
        "Really happy with it overall.",
        "Made my week, honestly.",
        "My accountant noticed the difference too.",
        "I recommend you to every small business owner I meet.",
        "It's made the boring part of running a business a lot less painful.",
        "Best money I spend each month.",
    ),
}
REQUEST_NOTES = (
    "Not urgent, just something that would help.",
    "I know others in the community have asked for the same thing.",
    "Curious if this is on the roadmap.",
    "We'd happily pay a bit more for it.",
)
# Slots that keep one value within a comment (one device, one agent, one bank ...).
ROW_CONSTANT_SLOTS = (
    "agent",
    "bank",
    "biz",
    "browser",
    "country",
    "currency",
    "device",
    "freelancer",
    "integration",
    "n_days",
    "n_invoices",
    "n_staff",
    "weekday",
    "years",
)
# A second point of the same kind in a longer comment.
SECOND_POINT = {
    "bug": ("Also, {p}.", "On top of that, {p}.", "And another thing: {p}.", "Separately, {p}."),
    "complaint": ("On top of that, {c}.", "And {c}.", "Plus, {c}."),
    "feature_request": (
        "And while I'm at it, please {r}.",
        "Also, could you {r}?",
        "Second wish: {r}.",
    ),
    "question": ("Also, {ql}", "And one more: {ql}"),
    "praise": ("Also, {pr}.", "And {pr}."),
    "other": ("Also, {o}.",),
}

# Terse answers built on a theme's short subjects ("bank feed broken again").
SHORT_FRAMES = {
    "bug": (
        "{ss} broken",
        "{ss} broken again",
        "{ss} not working",
        "{ss} not working again",
        "{ss} still broken",
        "{ss} keeps failing",
        "{ss} down again",
        "{ss} stopped working",
        "{ss} failing since {weekday}",
        "{ss} buggy since the update",
        "{ss} doesnt work",
        "problem with {ss} again",
        "{ss} error every time",
    ),
    "complaint": (
        "{ss} is a joke",
        "{ss} is useless",
        "{ss} needs work",
        "{ss} so frustrating",
        "{ss} is a mess",
        "sick of {ss} problems",
        "disappointed with {ss}",
        "{ss} could be so much better",
    ),
    "praise": (
        "love {ss}",
        "{ss} is great",
        "{ss} works really well",
        "great {ss}",
        "{ss} is brilliant",
        "really like {ss}",
        "{ss} is spot on",
        "{ss} is a lifesaver",
    ),
    "feature_request": (
        "improve {ss} pls",
        "more options for {ss} please",
        "better {ss} please",
        "{ss} could do with an update",
        "{ss} improvements please",
    ),
    "question": ("help with {ss}?", "{ss} question", "how does {ss} work?"),
}
SHORT_PREFIXES = {
    "negative": ("ugh, ", "honestly ", "seriously, ", "argh ", "again: "),
    "neutral": ("pls ", "hi, ", "suggestion: "),
    "positive": ("honestly ", "really ", "wow, "),
}
SHORT_SUFFIXES = {
    "negative": (
        " again",
        " pls fix",
        " asap",
        " - fix it",
        ", really annoying",
        " every day",
        " for {n_days} now",
        " this week",
        ", not happy",
    ),
    "neutral": (" please", " pls", " thanks", " would help a lot", " if possible"),
    "positive": (" thanks!", ", great job", " - thank you", ", keep it up", " 10/10"),
    "question": (" thanks", " anyone?", " thx", " help pls", " cant find it anywhere"),
}

# Frames turn a theme fragment into a sentence; keyed by (kind, sentiment).
FRAMES: dict[tuple[str, str], tuple[str, ...]] = {
    ("bug", "negative"): (
        "{p}.",
        "{p}!",
        "{p}. Again.",
        "Since the last update {p}.",
        "For some reason {p}.",
        "Not sure if it's just me but {p}.",
        "Bug: {p}.",
        "{p} and it's driving me crazy.",
        "Love how {p}. Great work.",
        "Oh great, {p} again.",
        "It's been {n_days} and {p}.",
        "{p}, which makes no sense.",
        "Every single time, {p}.",
        "Help! {p}.",
    ),
    ("bug", "neutral"): (
        "Minor bug: {p}.",
        "FYI {p}.",
        "Small thing, {p}.",
        "Not urgent, but {p}.",
        "Bug report: {p}.",
        "Just flagging that {p}.",
        "Noticed that {p}.",
    ),
    ("complaint", "negative"): (
        "{c}.",
        "{c}!",
        "Honestly, {c}.",
        "It's frustrating that {c}.",
        "Really annoyed that {c}.",
        "The fact that {c} is a joke.",
        "Love that {c}. Brilliant.",
        "My biggest gripe: {c}.",
        "{c}, and nobody seems to care.",
        "Problem is, {c}.",
        "{c}. Ridiculous.",
    ),
    ("feature_request", "neutral"): (
        "Please {r}.",
        "Would love it if you could {r}.",
        "Can you {r}?",
        "Could you please {r}?",
        "Feature request: {r}.",
        "It would be great if you could {r}.",
        "Any chance you could {r}?",
        "Suggestion: {r}.",
        "My one ask: {r}.",
        "Would be nice if you could {r}.",
        "I'd really like you to {r}.",
        "Pls {r}.",
        "Idea: {r}.",
    ),
    ("feature_request", "positive"): (
        "Love the app, it would be even better if you could {r}.",
        "Really enjoying it so far. One idea: {r}.",
        "Great work lately! Next, please {r}.",
        "Huge fan. Would love it if you could {r}.",
        "Brilliant app, just please {r} and it's perfect.",
    ),
    ("feature_request", "negative"): (
        "I've asked before: please {r}.",
        "Still waiting for you to {r}.",
        "It's {year} and I'm still asking you to {r}.",
        "Why won't you {r}? Every competitor does.",
        "Honestly just {r} already.",
    ),
    ("question", "neutral"): (
        "{q}",
        "Quick question: {ql}",
        "{q} Thanks.",
        "{q} Couldn't find it in the help centre.",
        "{q} Thanks in advance.",
    ),
    ("question", "negative"): (
        "{q} This is driving me nuts.",
        "{q} I've been looking for an hour.",
        "Seriously, {ql}",
        "{q} Nobody at support could tell me.",
    ),
    ("praise", "positive"): (
        "{pr}!",
        "Just wanted to say {pr}.",
        "Honestly, {pr}.",
        "Big thanks: {pr}.",
        "{pr}. Keep it up!",
        "Have to say, {pr}.",
        "{pr}, thank you!",
        "Credit where it's due, {pr}.",
        "{pr}. Love it.",
    ),
    ("other", "neutral"): (
        "{o}.",
        "Just so you know, {o}.",
        "For context, {o}.",
        "{o}, nothing else to add.",
    ),
    ("other", "positive"): ("{o}, and it works fine.", "{o}. No complaints."),
}
# Extra frames built on a theme's tasks (only for themes that list tasks).
TASK_FRAMES: dict[tuple[str, str], tuple[str, ...]] = {
    ("bug", "negative"): (
        "When I try to {task}, {failure}.",
        "Trying to {task} and {failure}.",
        "Every time I {task}, {failure}.",
    ),
    ("bug", "neutral"): ("Heads up: when I try to {task}, {failure}.",),
    ("question", "neutral"): (
        "How do I {task}?",
        "Is it possible to {task}?",
        "Where do I go to {task}?",
        "What's the best way to {task}?",
    ),
    ("question", "negative"): ("Why is it so hard to {task}?", "Seriously, how do I {task}?"),
}
# Frames that express a job-to-be-done, keyed by kind.
JOB_FRAMES: dict[str, tuple[str, ...]] = {
    "feature_request": (
        "When {s}, I want to {m} {out}.",
        "When {s} I'd like to {m}.",
        "I need to be able to {m}.",
        "I need to be able to {m} {out}.",
        "It would be great if I could {m}.",
        "It would be really helpful to {m} {out}.",
        "Would love a way to {m}.",
        "Please make it possible to {m}.",
        "Every time {s} I have to {w}. I just want to {m}.",
        "Right now I have to {w}. Please let me {m} instead.",
        "Can you make it so I can {m}?",
        "All I want is to {m} {out}.",
        "Ideally I could {m} whenever {s}.",
        "When {s}, I need to {m}, {out}.",
    ),
    "bug": (
        "I was trying to {m} but {f}.",
        "When {s} I try to {m} and {f}.",
        "Tried to {m} today and {f}.",
        "I just want to {m} and {f}.",
        "Every time I try to {m}, {f}.",
        "I was trying to {m} when {s}, but {f}.",
    ),
    "complaint": (
        "Every time {s} I have to {w}.",
        "All I want is to {m}, and instead I have to {w}.",
        "Why can't I just {m}? Right now I have to {w}.",
        "It's ridiculous that I can't {m}.",
        "I have to {w} because there's no way to {m}.",
    ),
    "question": (
        "How do I {m}?",
        "Is there a way to {m}?",
        "When {s}, how can I {m}?",
        "Is it possible to {m} {out}?",
        "Any tips on how to {m}?",
    ),
    "praise": (
        "Finally I can {m}!",
        "Love that I can {m} now.",
        "Being able to {m} saves me hours every time {s}.",
        "It's great that I can {m} {out}.",
    ),
    "other": ("We mainly use it to {m}.", "I use it to {m} when {s}."),
}
JOB_KIND_FACTOR = {
    "feature_request": 1.2,
    "bug": 1.0,
    "question": 1.0,
    "complaint": 0.8,
    "praise": 0.6,
    "other": 0.5,
}

# Noise rows: (text, sentiment, weight). Truth theme "none", kind "other".
NOISE = (
    ("", "neutral", 6),
    (" ", "neutral", 2),
    ("   ", "neutral", 1),
    ("n/a", "neutral", 4),
    ("N/A", "neutral", 3),
    ("na", "neutral", 1),
    ("-", "neutral", 3),
    ("--", "neutral", 1),
    (".", "neutral", 2),
    ("?", "neutral", 1),
    ("...", "neutral", 1),
    ("10", "neutral", 2),
    ("7", "neutral", 1),
    ("0", "neutral", 1),
    ("5/10", "neutral", 2),
    ("8/10", "neutral", 1),
    ("no comment", "neutral", 3),
    ("No comment.", "neutral", 1),
    ("nothing", "neutral", 1),
    ("nothing to add", "neutral", 2),
    ("Nothing to add.", "neutral", 1),
    ("none", "neutral", 1),
    ("no", "neutral", 1),
    ("idk", "neutral", 1),
    ("asdf", "neutral", 1),
    ("asdfgh", "neutral", 1),
    ("test", "neutral", 1),
    ("xxx", "neutral", 1),
    ("ok", "neutral", 1),
    ("all good", "positive", 2),
    ("All good!", "positive", 1),
    ("fine", "neutral", 1),
)

COMMON_MISSPELLINGS = {
    "receipt": "reciept",
    "receipts": "reciepts",
    "definitely": "definately",
    "separate": "seperate",
    "really": "realy",
    "because": "becuase",
    "invoice": "invoce",
    "invoices": "invoces",
    "until": "untill",
    "accountant": "accountent",
    "transactions": "transations",
    "which": "wich",
    "annoying": "anoying",
    "currency": "currancy",
}
# First words whose capitalisation must survive being placed mid-sentence.
KEEP_CASE = {"I", "I'm", "I've", "I'd", "I'll", "Ledgerbird", "Sign", "Face", "Google"}

# --------------------------------------------------------------------------------------
# Text composition
# --------------------------------------------------------------------------------------


class _Slots(dict):
    """A format_map mapping that draws a fresh fragment on every lookup (nested allowed)."""

    def __init__(self, pools: dict[str, Sequence[str]], rnd: random.Random, fixed: dict):
        super().__init__(fixed)
        self._pools = pools
        self._rnd = rnd

    def __missing__(self, key: str) -> str:
        value = self._rnd.choice(self._pools[key])
        return value.format_map(self) if "{" in value else value


def _theme_pools(theme: Theme) -> dict[str, tuple[str, ...]]:
    pools = dict(GENERIC_POOLS)
    pools.update(
        subj=theme.subjects,
        p=theme.bugs,
        c=theme.complaints,
        r=theme.requests,
        q=theme.questions,
        ql=tuple(_decap(q) for q in theme.questions),
        pr=theme.praise,
        o=theme.other,
        task=theme.tasks,
        ss=theme.short_subjects,
    )
    if theme.failures:
        pools["failure"] = theme.failures + GENERIC_POOLS["failure"]
    return pools


def _job_pools(base: dict[str, tuple[str, ...]], job: Job) -> dict[str, tuple[str, ...]]:
    pools = dict(base)
    pools.update(
        m=job.phrasings,
        s=job.situations,
        out=job.outcomes,
        w=job.workarounds,
        f=job.failures + GENERIC_POOLS["failure"] if job.failures else GENERIC_POOLS["failure"],
    )
    return pools


KIND_POOL = {
    "bug": "bugs",
    "complaint": "complaints",
    "feature_request": "requests",
    "question": "questions",
    "praise": "praise",
    "other": "other",
}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _decap(text: str) -> str:
    """Lower-case the first letter unless the first word is a name, 'I' or an acronym."""
    first = text.split(" ", 1)[0]
    if first in KEEP_CASE or first.rstrip(",.:!?") in KEEP_CASE:
        return text
    if len(first) > 1 and any(ch.isupper() for ch in first[1:]):
        return text  # PDF, VAT, CSV, 2FA ...
    return text[:1].lower() + text[1:]


def _cap_sentences(text: str) -> str:
    """Capitalise sentences that start inside a fragment ("Help! the app ...")."""
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


_SENTENCE_START = re.compile(r"([.!?] +)([a-z])")


def _join(parts: list[str]) -> str:
    """Join sentences; a part that does not end a sentence runs into the next one."""
    out = ""
    for part in parts:
        if not out:
            out = _cap(part)
        elif out[-1] in ".!?":
            out = f"{out} {_cap(part)}"
        else:
            out = f"{out} {_decap(part)}"
    return out


def _words(parts: list[str]) -> int:
    return sum(len(p.split()) for p in parts)


def _typo(word: str, rnd: random.Random) -> str:
    lower = word.lower()
    if lower in COMMON_MISSPELLINGS and rnd.random() < 0.6:
        fixed = COMMON_MISSPELLINGS[lower]
        return _cap(fixed) if word[:1].isupper() else fixed
    i = rnd.randrange(1, len(word) - 1)
    op = rnd.random()
    if op < 0.45:  # swap two neighbouring letters
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op < 0.8:  # drop a letter
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]  # double a letter


def _roughen(text: str, sentiment: str, length: str, channel: str, rnd: random.Random) -> str:
    """Add the mess of real typing: typos, lower case, lost apostrophes, shouting."""
    typo_row = {"short": 0.25, "medium": 0.30, "long": 0.35}[length]
    if channel == "advisory_council":
        typo_row *= 0.3
    if rnd.random() < typo_row:
        words = text.split(" ")
        rate = 0.015 + 0.03 * rnd.random()
        for i, word in enumerate(words):
            if len(word) >= 4 and word.isalpha() and rnd.random() < rate:
                words[i] = _typo(word, rnd)
        text = " ".join(words)
    lower_rate = {"short": 0.45, "medium": 0.12, "long": 0.06}[length]
    if channel == "app_review":
        lower_rate += 0.1
    if rnd.random() < lower_rate:
        text = text.lower()
    if rnd.random() < 0.25:
        text = text.replace("'", "")
    if length != "long" and text[-1:] == "." and rnd.random() < 0.2:
        text = text[:-1]
    if sentiment == "negative":
        roll = rnd.random()
        if roll < 0.02 and length != "long":
            text = text.upper()
        elif roll < 0.10 and text[-1:] in ".!":
            text = text.rstrip(".!") + rnd.choice(("!!", "!!!", "!"))
    return text


@dataclass
class _Row:
    text: str
    kind: str
    sentiment: str
    job: Job | None


def _pick_weighted(options: dict[str, float], rnd: random.Random) -> str:
    keys = list(options)
    return rnd.choices(keys, weights=[options[k] for k in keys])[0]


def _core(theme: Theme, kind: str, sentiment: str, slots: _Slots, rnd: random.Random) -> str:
    frames = FRAMES[(kind, sentiment)]
    if theme.tasks and (kind, sentiment) in TASK_FRAMES and rnd.random() < 0.3:
        frames = TASK_FRAMES[(kind, sentiment)]
    return _cap_sentences(_cap(rnd.choice(frames).format_map(slots)))


def _short(theme: Theme, kind: str, sentiment: str, slots: _Slots, rnd: random.Random) -> str:
    """A terse answer: a theme line or a generic frame, sometimes with a prefix or suffix."""
    lines = theme.short.get(kind, ())
    if not lines or (kind in theme.short_generic and rnd.random() < 0.5):
        lines = SHORT_FRAMES[kind]
    text = rnd.choice(lines).format_map(slots)
    suffixes = SHORT_SUFFIXES["question" if kind == "question" else sentiment]
    if rnd.random() < 0.35:
        suffix = rnd.choice(suffixes).format_map(slots)
        if not ("pl" in suffix and ("pls" in text or "please" in text)):
            text += suffix
    if rnd.random() < 0.15:
        prefix = rnd.choice(SHORT_PREFIXES[sentiment])
        if not ("pl" in prefix and ("pls" in text or "please" in text)):
            text = prefix + text
    if rnd.random() < 0.4:
        text = _cap(text)
    if text[-1].isalnum() and rnd.random() < 0.3:
        text += rnd.choice(("!", ".", "!!")) if sentiment == "negative" else "."
    return text


def _notes(theme: Theme, kind: str, sentiment: str, slots: _Slots, rnd: random.Random) -> list[str]:
    """Supporting sentences that fit the comment's kind and sentiment, in random order."""
    if kind in ("bug", "complaint") or sentiment == "negative":
        notes = rnd.sample(theme.details, min(4, len(theme.details)))
        notes += rnd.sample(theme.facts, min(1, len(theme.facts)))
    elif kind == "praise":
        notes = rnd.sample(theme.praise_notes, min(2, len(theme.praise_notes)))
        notes += rnd.sample(theme.facts, min(1, len(theme.facts)))
    else:
        notes = rnd.sample(theme.facts, min(2, len(theme.facts)))
        if kind == "feature_request":
            notes += rnd.sample(REQUEST_NOTES, 2)
    # A request is not yet delivered: keep "positive" filler for praise and remarks.
    tone = "neutral" if sentiment == "positive" and kind not in ("praise", "other") else sentiment
    notes += rnd.sample(GENERIC_NOTES[tone], 3)
    rnd.shuffle(notes)
    return [n.format_map(slots) for n in notes]


def _compose(
    theme: Theme,
    pools: dict[str, tuple[str, ...]],
    fixed: dict[str, str],
    channel: str,
    length: str,
    rnd: random.Random,
) -> _Row:
    # Popular short lines, repeated verbatim by different customers (planted duplicates).
    if theme.popular and rnd.random() < POPULAR_RATE:
        text, kind, sentiment = rnd.choice(theme.popular)
        return _Row(text, kind, sentiment, None)

    kind = _pick_weighted(theme.kinds, rnd)
    if length == "short" and (theme.short.get(kind) or kind in theme.short_generic):
        sentiment = DEFAULT_SENTIMENT[kind]
        text = _short(theme, kind, sentiment, _Slots(pools, rnd, fixed), rnd)
        return _Row(_roughen(text, sentiment, length, channel, rnd), kind, sentiment, None)
    if length == "short":
        length = "medium"

    sentiment = _pick_weighted(SENTIMENT_BY_KIND[kind], rnd)
    job = None
    if theme.jobs and rnd.random() < theme.job_rate * JOB_KIND_FACTOR[kind]:
        job = rnd.choices(theme.jobs, weights=[j.weight for j in theme.jobs])[0]
        pools = _job_pools(pools, job)
    slots = _Slots(pools, rnd, fixed)

    core = _core(theme, kind, sentiment, slots, rnd)
    body = [core]
    if job:
        # Mostly the job *is* the point of the comment; sometimes it follows the main point.
        job_sentence = _cap_sentences(_cap(rnd.choice(JOB_FRAMES[kind]).format_map(slots)))
        body = [job_sentence] if rnd.random() < 0.6 else [core, job_sentence]
    # A core that opens with its own label ("Bug:", "Help!") takes no opener or prefix.
    labelled = any(w.endswith((":", "!", ",")) for w in body[0].split(" ", 3)[:3])
    if sentiment == "negative" and not labelled and rnd.random() < 0.10:
        body[0] = f"{rnd.choice(MIXED_PREFIXES)} {_decap(body[0])}"
    elif kind == "praise" and rnd.random() < 0.10:
        body.append(rnd.choice(MIXED_SUFFIXES))

    opener_pool = OPENERS[sentiment]
    if channel in CHANNEL_OPENERS and rnd.random() < 0.35:
        opener_pool = CHANNEL_OPENERS[channel]
    opener = rnd.choice(opener_pool).format_map(slots)
    closer_pool = CLOSERS[sentiment]
    if channel == "app_review" and sentiment in APP_REVIEW_CLOSERS and rnd.random() < 0.4:
        closer_pool = APP_REVIEW_CLOSERS[sentiment]
    closer = rnd.choice(closer_pool)
    notes = _notes(theme, kind, sentiment, slots, rnd)
    consequence = ""
    if sentiment == "negative" and theme.consequences:
        consequence = rnd.choice(theme.consequences)
    greeting_rate = {"support_ticket": 0.6 if length == "long" else 0.25, "app_review": 0.0}
    greeting = rnd.choice(GREETINGS) if rnd.random() < greeting_rate.get(channel, 0.04) else ""

    parts: list[str] = []
    if labelled:
        opener = ""
    if length == "medium":
        if opener and rnd.random() < 0.3:
            parts.append(opener)
        parts.extend(body)
        if rnd.random() < 0.4:
            parts.append(notes[0])
        if consequence and rnd.random() < 0.25:
            parts.append(consequence)
        if rnd.random() < 0.3:
            parts.append(closer)
        text = _join(parts)
        if greeting:
            text = f"{greeting} {_decap(text)}"
    else:
        target = rnd.randint(60, 140)
        if rnd.random() < 0.6:
            parts.append(rnd.choice(CONTEXTS).format_map(slots))
        if opener and rnd.random() < 0.4:
            parts.append(opener)
        parts.extend(body)
        tail = [consequence] if consequence and rnd.random() < 0.7 else []
        if rnd.random() < 0.6:
            tail.append(closer)
        fillers = notes
        if rnd.random() < 0.5:
            second = rnd.choice(SECOND_POINT[kind]).format_map(slots)
            said = " ".join(parts).lower()
            if second.rstrip(".?!")[-25:].lower() not in said:
                fillers.insert(rnd.randrange(len(fillers) + 1), second)
        for filler in fillers:
            if _words(parts + tail) >= target:
                break
            parts.append(filler)
        while _words(parts + tail) > 150 and len(parts) > 1:
            parts.pop()
        text = _join(parts + tail)
        if greeting:
            # Help-desk tickets often keep the e-mail's line breaks.
            if rnd.random() < 0.5:
                sep = "\n\n"
            else:
                sep, text = " ", _decap(text)
            text = f"{greeting}{sep}{text}"
            if rnd.random() < 0.5:
                text = f"{text}{sep}{rnd.choice(SIGNOFFS)}"
    return _Row(_roughen(text, sentiment, length, channel, rnd), kind, sentiment, job)


# --------------------------------------------------------------------------------------
# Rows: dates, themes, segments, customers, NPS
# --------------------------------------------------------------------------------------


def _trend_multiplier(trend: str, day: np.ndarray, release_day: int) -> np.ndarray:
    t = day / (N_DAYS - 1)
    if trend == "release_spike":
        after = np.maximum(day - release_day, 0)
        return np.where(day < release_day, 0.45, 1.7 + 0.8 * np.exp(-after / 30.0))
    if trend == "fading":
        return 1.8 - 1.5 * t
    return np.ones_like(t)


def _sample_rows(probs: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse-CDF sampling of one category per row from per-row probability rows."""
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    return np.minimum((u[:, None] > cum).sum(axis=1), probs.shape[1] - 1)


def _skewed(base: Sequence[float], names: Sequence[str], skew: dict[str, float]) -> np.ndarray:
    weights = np.array([b * skew.get(n, 1.0) for b, n in zip(base, names, strict=True)])
    return weights / weights.sum()


def _assign_customers(
    plan: np.ndarray, region: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, int]:
    """Give every row a customer, ~2/3 as many customers as rows, stable plan and region."""
    n = len(plan)
    local = np.zeros(n, dtype=np.int64)
    offset = 0
    for group in range(len(PLANS) * len(REGIONS)):
        idx = np.flatnonzero(plan * len(REGIONS) + region == group)
        if idx.size == 0:
            continue
        order = rng.permutation(idx)
        n_customers = max(1, round(idx.size * 2 / 3))
        local[order[:n_customers]] = offset + np.arange(n_customers)
        # Repeat answers lean towards a few very active customers.
        weights = 1.0 / np.arange(1, n_customers + 1) ** 0.7
        repeat = rng.choice(n_customers, size=idx.size - n_customers, p=weights / weights.sum())
        local[order[n_customers:]] = offset + repeat
        offset += n_customers
    return rng.permutation(offset)[local], offset


# NPS given sentiment: negatives mostly 0-6, positives mostly 9-10, with noise.
NPS_PROBS = {
    "negative": (8, 6, 8, 10, 10, 11, 9, 4, 3, 1, 0.5),
    "neutral": (1, 0.5, 1, 2, 3, 8, 12, 18, 16, 6, 3),
    "positive": (0.2, 0.1, 0.2, 0.3, 0.5, 1, 1.5, 4, 12, 30, 40),
}


def make_demo(rows: int = 3000, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate the demo corpus.

    Returns ``(feedback, truth)``: the export a product team would load, and the planted
    ground truth for each ``response_id`` (theme, sentiment, kind, job). Same arguments,
    same frames.
    """
    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}")
    rng = np.random.default_rng(seed)
    rnd = random.Random(seed)

    # Dates: volume grows over the year, quieter at weekends, busier after the release.
    days = np.arange(N_DAYS)
    calendar = pd.date_range(START_DATE, periods=N_DAYS, freq="D")
    release_day = int((pd.Timestamp(RELEASE_DATE) - calendar[0]).days)
    weekday_factor = np.where(calendar.day_of_week >= 5, 0.55, 1.0)
    after_release = (days >= release_day) & (days < release_day + 14)
    day_weight = (0.85 + 0.3 * days / (N_DAYS - 1)) * weekday_factor
    day_weight *= np.where(after_release, 1.25, 1.0)
    day = np.sort(rng.choice(N_DAYS, size=rows, p=day_weight / day_weight.sum()))

    # Theme per row: base weight x trend for that day, noise a fixed share.
    theme_weight = np.stack(
        [t.weight * _trend_multiplier(t.trend, days, release_day) for t in THEMES], axis=1
    )
    theme_weight = theme_weight / theme_weight.sum(axis=1, keepdims=True) * (1 - NOISE_SHARE)
    day_probs = np.concatenate([theme_weight, np.full((N_DAYS, 1), NOISE_SHARE)], axis=1)
    theme_idx = _sample_rows(day_probs[day], rng.random(rows))
    noise_idx = len(THEMES)

    # Segments skew per theme (noise rows follow the base mix).
    def segment(base: Sequence[float], names: Sequence[str], attr: str) -> np.ndarray:
        table = np.stack(
            [_skewed(base, names, getattr(t, attr)) for t in THEMES]
            + [np.asarray(base) / np.sum(base)]
        )
        return _sample_rows(table[theme_idx], rng.random(rows))

    plan = segment(PLAN_BASE, PLANS, "plan_skew")
    region = segment(REGION_BASE, REGIONS, "region_skew")
    channel = segment(CHANNEL_BASE, CHANNELS, "channel_skew")
    customer, _ = _assign_customers(plan, region, rng)

    length_table = np.array([LENGTH_BY_CHANNEL[c] for c in CHANNELS])
    length = _sample_rows(length_table[channel], rng.random(rows))

    # Text, kind, sentiment and job per row.
    pools = [_theme_pools(t) for t in THEMES]
    noise_texts = [n[0] for n in NOISE]
    noise_weights = [n[2] for n in NOISE]
    noise_sentiment = {n[0]: n[1] for n in NOISE}
    lengths = ("short", "medium", "long")
    texts, kinds, sentiments, job_ids, motivations = [], [], [], [], []
    nps_fixed = np.full(rows, -1)
    for i in range(rows):
        t = int(theme_idx[i])
        if t == noise_idx:
            text = rnd.choices(noise_texts, weights=noise_weights)[0]
            texts.append(text)
            kinds.append("other")
            sentiments.append(noise_sentiment[text])
            job_ids.append("")
            motivations.append("")
            if text in ("10", "7", "0"):
                nps_fixed[i] = int(text)
            elif text.endswith("/10"):
                nps_fixed[i] = int(text.split("/")[0])
            continue
        version_pool = ("5.0", "5.0.1", "5.1") if day[i] >= release_day else ("4.8", "4.9")
        fixed = {key: rnd.choice(GENERIC_POOLS[key]) for key in ROW_CONSTANT_SLOTS}
        fixed["version"] = rnd.choice(version_pool)
        fixed["plan"] = PLANS[plan[i]].capitalize()
        row = _compose(THEMES[t], pools[t], fixed, CHANNELS[channel[i]], lengths[length[i]], rnd)
        texts.append(row.text)
        kinds.append(row.kind)
        sentiments.append(row.sentiment)
        job_ids.append(row.job.job_id if row.job else "")
        motivations.append(row.job.motivation if row.job else "")

    sentiment_arr = np.array(sentiments)
    nps = np.zeros(rows, dtype=np.int64)
    for name, weights in NPS_PROBS.items():
        mask = sentiment_arr == name
        p = np.asarray(weights) / np.sum(weights)
        nps[mask] = rng.choice(11, size=int(mask.sum()), p=p)
    nps = np.where(nps_fixed >= 0, nps_fixed, nps)

    id_width = max(5, len(str(rows)))
    customer_width = max(5, len(str(int(customer.max()) + 1)))
    response_id = [f"R{i + 1:0{id_width}d}" for i in range(rows)]
    feedback = pd.DataFrame(
        {
            "response_id": response_id,
            "customer_id": [f"C{c + 1:0{customer_width}d}" for c in customer],
            "submitted_at": calendar[day].strftime("%Y-%m-%d"),
            "plan": np.array(PLANS)[plan],
            "region": np.array(REGIONS)[region],
            "channel": np.array(CHANNELS)[channel],
            "nps": nps,
            "comment": texts,
        }
    )
    theme_names = np.array([t.name for t in THEMES] + [NOISE_THEME])
    truth = pd.DataFrame(
        {
            "response_id": response_id,
            "theme": theme_names[theme_idx],
            "sentiment": sentiments,
            "kind": kinds,
            "job_id": job_ids,
            "job_motivation": motivations,
        }
    )
    return feedback, truth


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write ``feedback.csv`` and ``truth.csv`` into ``--out``."""
    parser = argparse.ArgumentParser(
        description=(
            f"Write a deterministic synthetic feedback export for {PRODUCT} "
            "(feedback.csv) and its planted ground truth (truth.csv)."
        )
    )
    parser.add_argument("--out", type=Path, default=Path("data/demo"), help="output folder")
    parser.add_argument("--rows", type=int, default=3000, help="number of responses (3000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (7)")
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be at least 1")

    started = time.perf_counter()
    feedback, truth = make_demo(rows=args.rows, seed=args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    feedback_path = args.out / "feedback.csv"
    truth_path = args.out / "truth.csv"
    feedback.to_csv(feedback_path, index=False, lineterminator="\n")
    truth.to_csv(truth_path, index=False, lineterminator="\n")
    n_themes = truth.loc[truth["theme"] != NOISE_THEME, "theme"].nunique()
    print(
        f"wrote {len(feedback):,} responses from {feedback['customer_id'].nunique():,} customers "
        f"({n_themes} themes, seed {args.seed}) to {feedback_path} and {truth_path} "
        f"in {time.perf_counter() - started:.1f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
