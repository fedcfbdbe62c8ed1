"""Personal data in customer text: find it and mask it before anything is shared.

Everything miner writes for people to read (reports, quotes in the app) masks these
by default; each kind becomes a placeholder:

================  =============  ====================================================
kind              placeholder    what is matched
================  =============  ====================================================
``secret``        ``[secret]``   a credential pasted in a message: GitHub tokens
                                 (``ghp_…``, ``github_pat_…``), Slack tokens
                                 (``xoxb-…``), Stripe / OpenAI-style keys (``sk_live_…``,
                                 ``sk-…``) and any key of Stripe's shape
                                 (``dtk_live_…``), AWS access key ids (``AKIA…``) and the 40
                                 characters after "secret", Google API keys (``AIza…``),
                                 JSON web tokens (``eyJ….eyJ….…``), a Bearer token, the
                                 value after "api_key", "token", "secret" or "password"
                                 with ``=`` or ``:`` (8 characters or more), and the
                                 password of a URL (``https://user:pw@host``).
``email``         ``[email]``    ``local@domain.tld``: local part of letters, digits and
                                 ``. _ % + -`` (plus-addressing kept in the match), one
                                 or more domain labels, a 2-24 letter top-level domain.
                                 A "domain" ending in a file extension (``logo@2x.png``)
                                 is not an address.
``iban``          ``[iban]``     two letters, two check digits, 11-30 letters/digits,
                                 compact or in groups of four, upper or lower case;
                                 kept only when the length is the country's (ISO 13616
                                 registry) and the mod-97 checksum holds.
``card``          ``[card]``     13-19 digits with a card issuer's prefix and length
                                 (Visa, Mastercard, Amex, Discover, JCB, Diners,
                                 UnionPay, Maestro), compact or grouped 4-4-4-4(-3) /
                                 4-6-5 / 4-6-4 with one kind of separator (space or
                                 dash); kept only when the Luhn checksum holds.
``account``       ``[account]``  6-17 digits right after "account", "acct", "acc",
                                 "a/c" (optionally "bank", "number", "no.", "nr", "#",
                                 ":", "is"); only the digits are masked. Bare digit
                                 runs without that word are left alone (order numbers).
``ssn``           ``[ssn]``      a US Social Security number: 3-2-4 digits with one kind
                                 of separator (dash or space), or 9 digits right after
                                 "SSN" or "social security (number)"; never a number no
                                 SSN can be (area 000, 666 or 900-999, group 00, serial
                                 0000).
``personal_id``   ``[personal_   identity, health and patient numbers after the words
                  id]``          that name them ("NHS (number)", "CHI", "MRN",
                                 "hospital/patient number", "National Insurance"/"NI
                                 number", "passport", "driving licence", "Medicare",
                                 "tax id", ...): 6-15 digits, grouped or not, letters
                                 around them as a National Insurance number has; a UK
                                 National Insurance number on its own (``AB123456C``).
``dob``           ``[dob]``      a date after "DOB", "date of birth", "born (on)",
                                 "birthday".
``phone``         ``[phone]``    international numbers (``+`` or ``00``, country code,
                                 8-15 digits in groups, an optional ``(0)``); national
                                 numbers with a trunk ``0`` (10-12 digits, e.g. UK
                                 ``07700 900123``, FR ``06 12 34 56 78``, DE
                                 ``030 12345678``); North American numbers
                                 ``(415) 555-2671``, ``415-555-2671``, ``415.555.2671``,
                                 ``1-800-555-0199`` and 10 bare digits, each with a valid
                                 area code and exchange (first digits 2-9: ``(555)
                                 123-4567`` is not a number that can exist). Anything that
                                 holds a date (``2025-06-01``, ``01/02/2025``) is not
                                 a phone number; ``(0)7700 900456`` (the trunk 0 in
                                 parentheses, the country code left off) is one, and
                                 so is ``0 7700 900 123`` (the trunk 0 spaced off).
``postcode``      ``[postcode]`` a full UK postcode in capitals with its space.
``address``       ``[address]``  a house number and a street ("14 Acacia Avenue").
``name``          ``[name]``     a person named with their title ("Nurse Kelly",
                                 "Dr. O'Neill", "Mr Hughes"): the name, not the title;
                                 a patient, resident, child, son or daughter named
                                 ("the patient is Ann Lee", "Patient: Ann Lee"), a
                                 name just before a birth date ("Ann Lee, DOB ...").
``handle``        ``[handle]``   an @mention of a person's account ("@li.wei",
                                 "@fatima_z"), not an e-mail's "@", not a chat's
                                 "@here", "@channel", "@everyone".
================  =============  ====================================================

A number right after "order", "invoice", "ref(erence)", "ticket", "case", "tracking",
"transaction", "PO", "id", "part", "model", "serial", "SKU", "item", "product",
"confirmation" or "booking" (optionally "no.", "number", "#", ":", then "is") is an
identifier: neither a card, an SSN nor a phone number.

When matches overlap, the order above decides (an IBAN's digits are not also a phone
number). Not masked: names without a title, postal addresses without a house number
and street, dates but a birth date, prices, order/invoice/ticket numbers, versions,
last four digits of a card, URLs, addresses written out to dodge filters
("anna at example dot com") and US numbers without an area code (``555-0132``).

``find_pii(text)`` returns the spans, ``mask_pii(text)`` one masked text and
``mask_texts(texts)`` many (distinct texts are masked once; texts with neither a digit
nor an ``@`` are skipped by a cheap test). Anything that is not a ``str`` (None, NaN)
is returned unchanged. Masking is idempotent: the placeholders match nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

KINDS = (
    "secret",
    "email",
    "iban",
    "card",
    "account",
    "booking",
    "ssn",
    "personal_id",
    "dob",
    "phone",
    "postcode",
    "address",
    "name",
    "handle",
)
PLACEHOLDERS = {kind: f"[{kind}]" for kind in KINDS}


class Span(NamedTuple):
    start: int
    end: int
    type: str


# ---------------------------------------------------------------- checksums


def luhn_valid(number: str) -> bool:
    """Luhn (mod 10) checksum of a digit string, as card numbers carry."""
    if not number.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        n = ord(ch) - 48
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


# ISO 13616 IBAN length by country (SWIFT IBAN registry); other countries: 15-34.
_IBAN_LENGTHS = dict(
    (entry[:2], int(entry[2:]))
    for entry in (
        "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 CH21 CR22 CY28 CZ24 DE22 DK18 "
        "DO28 EE20 EG29 ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 "
        "IL23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 "
        "MR27 MT31 MU30 NL18 NO15 PK24 PL28 PS29 PT25 QA29 RO24 RS22 SA24 SC31 SE24 SI19 "
        "SK24 SM27 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20"
    ).split()
)


def iban_valid(iban: str) -> bool:
    """ISO 13616 check: country letters, check digits, the country's length (15-34 for
    countries not in the table), one letter case, mod 97 == 1."""
    compact = re.sub(r"[\s-]", "", iban)
    if not (compact.isupper() or compact.islower()):
        return False
    compact = compact.upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    if len(compact) != _IBAN_LENGTHS.get(compact[:2], len(compact)):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


# ---------------------------------------------------------------- patterns

_FILE_EXTENSIONS = frozenset(
    "png jpg jpeg gif svg webp bmp pdf csv tsv xls xlsx doc docx txt json xml gz tar "
    "js css html htm py log".split()
)

_EMAIL = re.compile(
    r"(?<![\w.%+'-])[A-Za-z0-9][A-Za-z0-9._%+'-]*@"
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+([A-Za-z]{2,24}))(?![\w-])"
)

_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]{1,4}){3,8}(?![A-Za-z0-9])")

_CARD = re.compile(r"(?<![\d.,/+-])[2-6]\d{3}(?:[ -]?\d{1,6}){2,4}(?![\d/]|[.,]\d)")
_CARD_GROUPS = {(4, 4, 4, 4), (4, 4, 4, 4, 3), (4, 6, 5), (4, 6, 4), (4, 4, 4, 1)}
# Issuer prefixes and lengths: Visa, Mastercard (51-55, 2221-2720), Amex, Discover,
# JCB, Diners, UnionPay, Maestro.
_CARD_BRANDS = re.compile(
    r"4\d{12}(?:\d{3}){0,2}|(?:5[1-5]\d{2}|222[1-9]|22[3-9]\d|2[3-6]\d{2}|27[01]\d|2720)\d{12}"
    r"|3[47]\d{13}|(?:6011|64[4-9]\d|65\d{2})\d{12,15}|35\d{14,17}|3(?:0[0-5]|[68]\d)\d{11,16}"
    r"|62\d{14,17}|(?:50|5[6-9]|6\d)\d{10,17}"
)
# A number right after these words is an identifier, not a card or a phone number.
_ID_CONTEXT = re.compile(
    r"\b(?:order|invoice|inv|ref|reference|ticket|case|tracking|transaction|txn|po|id"
    r"|part|model|serial|sku|item|product|confirmation|booking|claim|policy|rma|build"
    r"|job|request|code)s?"
    r"(?:\s*(?:no\.?|numbers?|nr\.?|ids?|#))?\s*[:#]?\s*(?:is\s+|are\s+)?$",
    re.IGNORECASE,
)

_ACCOUNT = re.compile(
    r"\b(?:bank\s+)?(?:account|acct|acc|a/c)\.?"
    r"(?:\s*(?:number|num|no\.?|nr\.?|#|:|is))*\s*#?\s*(\d{6,17})(?![\d.,/-]?\d)",
    re.IGNORECASE,
)

_SEP = r"(?:[ ]?[.\-/][ ]?|[ ])?"
# Not inside a word of Latin letters or digits; beside Japanese or Chinese characters
# (written without spaces: "090-1234-5678までお電話ください") a number is one.
_PHONE = re.compile(
    r"(?<![A-Za-z0-9_+./-])(?:"
    # international: + or 00, country code, then groups; an optional (0) trunk
    r"(?:\+|00)[1-9]\d{0,3}(?:" + _SEP + r"\(0\))?(?:" + _SEP + r"\(?\d{1,6}\)?){1,6}"
    # national with a trunk 0, area code optionally in parentheses
    r"|\(0\d{1,5}\)" + r"(?:" + _SEP + r"\d{2,8}){1,4}"
    # the trunk 0 in parentheses, the country code left off: "(0)7700 900456"
    r"|\(0\)[ ]?\d{2,5}(?:" + _SEP + r"\d{2,8}){1,4}"
    r"|0\d{1,5}(?:" + _SEP + r"\d{2,8}){0,4}"
    # the trunk 0 spaced off, a four-digit group, then groups of three or four:
    # "0 7700 900 123" (a list of numbers, "0 10 20 30", is not one)
    r"|0[ ]\d{4}(?:[ ]\d{3,4}){1,2}"
    # North American
    r"|(?:1[ .-])?\(?[2-9]\d{2}\)?[ .-]?[2-9]\d{2}[ .-]?\d{4}"
    # an Italian mobile ("347 123 4567") and a Brazilian number ("(11) 98765-4321")
    r"|3\d{2}[ ]\d{3}[ ]\d{3,4}|\(\d{2}\)[ ]?9?\d{4}-\d{4}"
    r")(?![A-Za-z0-9_/]|[.,:-]\d)"
)
_IT_MOBILE = re.compile(r"3\d{2} \d{3} \d{3,4}")
# Not a year range in brackets' company: "(24) 2023-2024".
_BR_PHONE = re.compile(r"\([1-9]\d\) ?9?(?!(?:19|20)\d\d-(?:19|20)\d\d)\d{4}-\d{4}")
# An Italian mobile without its country code is told from three groups of figures (a
# price list "399 149 2999") by a word for a phone before it.
_PHONE_WORD = re.compile(
    r"(?i)\b(?:tel|phone|cell|cellulare|mobile|mobil|numero|number|chiama\w*|call|whatsapp"
    r"|text|sms|contatto|contact)\b\W{0,3}(?:\w+\W{1,3}){0,2}$"
)
_DATE_INSIDE = re.compile(
    r"(?:19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d{2}"
)
_NANP = re.compile(r"(?:\+?1[ .-]?)?\(?[2-9]\d{2}\)?[ .-]?[2-9]\d{2}[ .-]?\d{4}")

# What a person is to the writer: "my mum Margaret Pemberton", "my father, Harold Cole,".
_RELATIVE_WORDS = (
    "mum mom mother dad father husband wife nan nana nanna gran granny grandma grandmother "
    "grandad granddad grandpa grandfather brother sister aunt auntie uncle son daughter "
    "relative child baby fiance fiancee fiancé fiancée"
).split()
_RELATIVES = "|".join(_RELATIVE_WORDS)
_CHEAP = re.compile(
    r"@|\d\D{0,3}\d|(?i:\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Doctor|Nurse|Sister|Matron)\b)|"
    r"(?i:\b(?:patient|resident)\b)"
    r"|\b(?:gh[pousr]_|github_pat_|xox[abposr]-|[sr]k[-_])|(?i:eyj|aiza)"
    r"|(?i:(?:akia|asia)[a-z0-9]{16}|(?:key|token|secret|passw\w*|pwd)\b[\"']?\s*[:=]"
    r"|\bbearer\s|\bsecret\s|_(?:live|test|prod|sandbox)_)"
)

# Keys by their shape. AWS, Google and JSON web tokens are matched in any case: a theme
# label is lower case, and a key in it had been shown in masked reports.
_SECRET = re.compile(
    r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}"
    r"|[sr]k[-_](?:live|test)[-_][A-Za-z0-9]{12,}|sk-(?:proj-)?[A-Za-z0-9_-]{20,}"
    # any vendor's live or test key shaped like Stripe's: "dtk_live_77aa12bc..."
    r"|[a-z]{2,10}_(?:live|test|prod|sandbox)_(?=[A-Za-z]*\d)[A-Za-z0-9]{16,}"
    r"|(?i:(?:akia|asia)[a-z0-9]{16}|aiza[0-9a-z_-]{30,}"
    r"|eyj[a-z0-9_-]{8,}\.[a-z0-9_-]{8,}\.[a-z0-9_-]{8,}))(?![A-Za-z0-9_-])"
)
# The value after a name that says it is one ("api_key=…", "DB_PASSWORD=…",
# "client_secret: …", "Bearer …"), holding a digit (an error's "Password: Incorrect" is
# none); "secret wJalr…" (an AWS secret key's 40 characters); a URL's password.
_SECRET_VALUE = re.compile(
    r"(?i:(?<![a-z])(?:api[_-]?key|access[_-]?key|auth[_-]?token|token|secret(?:[_-]?key)?"
    r"|password|passwd|pwd)\b[\"']?\s*[:=]\s*[\"']?|\bbearer\s+"
    r"|\bsecret(?:\s+key)?\s+(?=[A-Za-z0-9/+]{40}\b))"
    r"((?=[^\s\"',;]*\d)[^\s\"',;]{8,})"
    r"|://[^\s/:@]+:([^\s/@]{3,})@"
)


def _secrets(text: str) -> Iterable[Span]:
    for match in _SECRET.finditer(text):
        yield Span(match.start(), match.end(), "secret")
    yield from _group_spans(_SECRET_VALUE, text, "secret")


def _group_spans(pattern: re.Pattern, text: str, kind: str, skip=None) -> Iterable[Span]:
    """The span of the group that matched (of a pattern of alternatives, each one
    group), unless ``skip(text, start, group)`` says otherwise."""
    for match in pattern.finditer(text):
        group = 1 if match.group(1) else 2
        if skip is None or not skip(text, match.start(group), group):
            yield Span(match.start(group), match.end(group), kind)


def _names_an_id(text: str, start: int) -> bool:
    """Whether the number at ``start`` follows a word that makes it an identifier
    ("order", "ticket #", "part number is"): no card, SSN or phone number."""
    return bool(_ID_CONTEXT.search(text, max(0, start - 30), start))


def _emails(text: str) -> Iterable[Span]:
    for match in _EMAIL.finditer(text):
        if match.group(2).lower() not in _FILE_EXTENSIONS:
            yield Span(match.start(), match.end(), "email")


def _ibans(text: str) -> Iterable[Span]:
    for match in _IBAN.finditer(text):
        candidate = match.group()
        # Greedy grouping may swallow a following number: keep the longest valid prefix.
        for end in range(len(candidate), 14, -1):
            if candidate[end - 1] != " " and iban_valid(candidate[:end]):
                yield Span(match.start(), match.start() + end, "iban")
                break


# A card named just before its number: a mistyped or made-up one ("My card 4111 1111
# 1111 8095 was charged twice") still leaks 15 of 16 digits, so the Luhn check is not
# asked of a number grouped as cards are printed (4-4-4-4) after these words.
_CARD_WORDS = re.compile(
    r"\b(?:card|visa|master\s?card|amex|debit|credit|cc|carte|karte|tarjeta|cart[aã]o)"
    r"(?:\s+(?:number|no\.?|nr\.?|#))?\s*[:#]?\s*(?:is\s+|was\s+|ending\s+)?$",
    re.IGNORECASE,
)


def _cards(text: str) -> Iterable[Span]:
    for match in _CARD.finditer(text):
        candidate = match.group()
        digits = re.sub(r"\D", "", candidate)
        if not _CARD_BRANDS.fullmatch(digits):
            continue
        named = bool(_CARD_WORDS.search(text[max(0, match.start() - 30) : match.start()]))
        printed = bool(re.fullmatch(r"\d{4}([ -])\d{4}\1\d{4}\1\d{4}", candidate))
        if not luhn_valid(digits) and not (named and printed):
            continue
        if _names_an_id(text, match.start()):
            continue
        separators = set(re.findall(r"\D", candidate))
        if len(separators) > 1:
            continue
        if separators:
            groups = tuple(len(g) for g in re.split(r"\D", candidate))
            if groups not in _CARD_GROUPS:
                continue
        yield Span(match.start(), match.end(), "card")


# A meter's number after its name ("my MPAN is 1200023456789", "MPRN: 1234567", "meter
# serial number E12Z345678"): it names a household's supply, and a utility's contacts had
# it in clear in the masked text. (A sort code names a bank's branch, not a person: kept.)
_METER = re.compile(
    r"\b(?:mpan|mprn|meter\s+point(?:\s+(?:number|no\.?|ref(?:erence)?))?"
    r"|meter\s+serial(?:\s+(?:number|no\.?))?)(?:\s+(?:is|was))?[\s:#-]*"
    r"((?=[A-Z]*\d)[A-Z0-9]{2,}(?:[ -](?=[A-Z]*\d)[A-Z0-9]+){0,5})\b",
    re.IGNORECASE,
)


def _accounts(text: str) -> Iterable[Span]:
    for pattern in (_ACCOUNT, _METER):
        for match in pattern.finditer(text):
            yield Span(match.start(1), match.end(1), "account")


# A booking's code after the words that name it ("PNR X7K2LM", "booking ref 48213377",
# "Booking Reference Number: 7M8JDK", "conf. number X5U8VQ", "Reservation #KL39XF",
# "record locator"): with a surname it opens the booking (a helper's airline reviews had
# shared 601 in clear and made a theme of them). An order's or a ticket's number stays
# (an identifier, no key).
_BOOKING = re.compile(
    r"(?i)\b(?:pnr(?:\s*(?:number|no\.?|code|ref))?|record\s+locator"
    r"|(?:booking|reservation)\s*(?:ref(?:erence)?\.?|code|number|no\.?|id|\#)"
    r"(?:\s*(?:number|no\.?|code|\#))?|conf(?:irmation)?\.?\s*(?:code"
    r"|number|no\.?|\#))(?:\s+(?:is|was))?\s*[:#=\-]?\s*\(?"
    r"(\d{3,5}[ -]\d{3,5}|[A-Za-z]{2,4}-\d{3,6}|[A-Za-z0-9]{5,10})\b"
)
# ... and a second code joined to the first ("X7K2LM and Y8L3MN")
_NEXT_CODE = re.compile(r"\s*(?:,|and|&|/|or)\s*([A-Za-z0-9]{5,10})\b")


def _booking_code(code: str) -> bool:
    """A code, not a word: a digit in it, or six letters that are no English word
    ("PNR WRONG again", "confirmation code EXPIRED", "pnr please" are no codes)."""
    if any(c.isdigit() for c in code):
        return True
    return len(code) == 6 and not _a_word(code.lower())


def _a_word(word: str) -> bool:
    """Whether ``word`` (or its stem) is a whole word of the packaged word-piece
    vocabulary (read once, when a code of letters alone is met; without it, letters
    alone are no code)."""
    from miner.runtime import vocabulary_words

    words = vocabulary_words()
    if not words:
        return True
    # "errors", "wronged", "failing"
    ends = ("s", "es", "ed", "d", "ing", "er")
    return bool(({word} | {word[: -len(end)] for end in ends if word.endswith(end)}) & words)


def _bookings(text: str) -> Iterable[Span]:
    for match in _BOOKING.finditer(text):
        if not _booking_code(match.group(1)):
            continue
        yield Span(match.start(1), match.end(1), "booking")
        following = _NEXT_CODE.match(text, match.end())
        if following and any(c.isdigit() for c in following.group(1)):
            yield Span(following.start(1), following.end(1), "booking")


_SSN_DIGITS = r"(?!000|666|9\d\d)\d{3}([- ]?)(?!00)\d{2}\2(?!0000)\d{4}"
_SSN = re.compile(
    r"(?<![\w./-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\w/]|[.,:-]\d)"
)
# After the word: "SSN 123456789", "SSN-345-67-8901", "social security no. 219 09 9999".
_SSN_WORDS = re.compile(
    r"\b(?:ssn|social\s+security)(?:\s+(?:number|no\.?|#))?(?:\s+is)?[\s:#-]*"
    r"(" + _SSN_DIGITS + r")(?!\d)",
    re.IGNORECASE,
)


def _ssns(text: str) -> Iterable[Span]:
    named = [Span(m.start(1), m.end(1), "ssn") for m in _SSN_WORDS.finditer(text)]
    yield from named
    for match in _SSN.finditer(text):
        if any(span.start <= match.start() < span.end for span in named):
            continue
        if _names_an_id(text, match.start()):
            continue  # "order 123-45-6789" is the order's number
        yield Span(match.start(), match.end(), "ssn")


# Identity, health and patient numbers, after the words that name them ("NHS number
# 943 476 5919", "MRN 00123456", "hospital no. 38237275", "NI number AB123456C",
# "passport 123456789"): six digits or more, optionally in groups, a letter or two
# before and one after (a UK National Insurance number).
_PERSONAL_ID = re.compile(
    r"(?i:\b(?:nhs|chi|mrn|hosp(?:ital)?|patient|medical\s+record|health\s+(?:card|insurance)"
    r"|national\s+insurance|ni|nino|passport|driv(?:er'?s?|ing)\s+licen[cs]e|medicare"
    r"|tax\s+(?:id|file)|tfn|bsn|personnummer|insurance\s+member)"
    r"(?:\s*(?:no\.?|numbers?|nr\.?|ids?|#))?\s*[:#]?\s*(?:is\s+|was\s+)?)"
    # the letters in either case ("mrn: rx1234567": a hospital survey's lower-case ones
    # had been left in its shared quotes)
    r"((?:[A-Za-z]{1,2}[ -]?)?\d(?:[ -]?\d){5,13}(?:[ -]?[A-Z])?)(?![\w/]|[.,:-]\d)"
    # a UK National Insurance number on its own: two letters, 6 digits, A-D
    r"|\b((?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r" ?\d{2} ?\d{2} ?\d{2} ?[A-D])\b"
)


# National identity numbers whose shape and check digit say what they are, with or
# without a word naming them: Spain's DNI ("12345678Z") and NIE ("X1234567L"), Brazil's
# CPF ("123.456.789-09"), Italy's codice fiscale ("RSSMRA85T10A562S"). A helper's
# eight-country NPS export had left every one of them in its shared downloads.
_DNI = re.compile(r"(?<![A-Za-z0-9])([XYZxyz]?\d{7,8})[- ]?([A-Za-z])(?![A-Za-z0-9])")
_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_CPF = re.compile(r"(?<![\d.])(\d{3})\.(\d{3})\.(\d{3})-(\d{2})(?![\d])")
_CODICE_FISCALE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{6}\d{2}[A-EHLMPR-Ta-ehlmpr-t]\d{2}[A-Za-z]\d{3}[A-Za-z]"
    r"(?![A-Za-z0-9])"
)


def _dni_valid(number: str, letter: str) -> bool:
    number = number.upper()
    if number[0] in "XYZ":
        if len(number) != 8:
            return False
        number = str("XYZ".index(number[0])) + number[1:]
    elif len(number) != 8:
        return False
    return _DNI_LETTERS[int(number) % 23] == letter.upper()


def _cpf_valid(digits: str) -> bool:
    if len(set(digits)) == 1:
        return False
    numbers = [int(d) for d in digits]
    for length in (9, 10):
        total = sum(n * (length + 1 - i) for i, n in enumerate(numbers[:length]))
        if (total * 10 % 11) % 10 != numbers[length]:
            return False
    return True


# An NHS number on its own: ten digits, in groups of 3-3-4 or not, the tenth the check
# digit of the other nine (modulus 11). A hospital survey's "(4770438303)" and "my number
# is 479 125 7561 (nhs)" had been in clear.
_NHS = re.compile(r"(?<![\w.,/+-])([1-9]\d{2})([ -]?)(\d{3})\2(\d{4})(?![\w/]|[.,:-]\d)")


def _nhs_valid(digits: str) -> bool:
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


# A phone's word before ten digits makes them a phone number, whatever their check digit.
_CALL_WORD = re.compile(
    r"(?i)\b(?:tel|phone|cell|mobile|call|ring|whatsapp|text|sms)\b\W{0,3}(?:\w+\W{1,3}){0,2}$"
)


def _national_ids(text: str) -> Iterable[Span]:
    found = [
        *(
            m
            for m in _NHS.finditer(text)
            if _nhs_valid(m.group(1) + m.group(3) + m.group(4))
            and not _CALL_WORD.search(text[max(0, m.start() - 40) : m.start()])
        ),
        *(m for m in _DNI.finditer(text) if _dni_valid(m.group(1), m.group(2))),
        *(m for m in _CPF.finditer(text) if _cpf_valid("".join(m.groups()))),
        # not a lower-case word salad
        *(m for m in _CODICE_FISCALE.finditer(text) if any(c.isupper() for c in m.group())),
    ]
    for match in found:
        if not _names_an_id(text, match.start()):  # "order 12345678Z" is an order's
            yield Span(match.start(), match.end(), "personal_id")


def _personal_ids(text: str) -> Iterable[Span]:
    # Not a number shaped like an NI number but named as a model's ("Model XY123456A").
    yield from _group_spans(
        _PERSONAL_ID,
        text,
        "personal_id",
        skip=lambda text, start, group: group == 2 and _names_an_id(text, start),
    )
    yield from _national_ids(text)


_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# A date after the words that make it a birth date ("DOB 03/07/1941", "date of birth:
# 14 February 1958", "born on 1958-02-14"); other dates are not personal data.
_DOB = re.compile(
    r"(?i)\b(?:dob|d\.o\.b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?|birthday)"
    r"\s*(?:is\s+|was\s+)?[:\-]?\s*\(?("
    r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r")(?!\d)"
)


def _dobs(text: str) -> Iterable[Span]:
    for match in _DOB.finditer(text):
        yield Span(match.start(1), match.end(1), "dob")


# A full UK postcode, in capitals and with its space, as written on a letter ("SW1A 1AA",
# "LS6 2AB"; a phone model "S20FE" is none).
_POSTCODE = re.compile(r"\b(?:GIR 0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2})\b")


# ... and in any case after the word ("postcode m1 1ae": a hospital survey's 17 lower-case
# ones had been in clear).
_NAMED_POSTCODE = re.compile(
    r"(?i)\bpost\s*code(?:\s+is)?\s*[:\-]?\s*"
    r"((?:gir 0aa|[a-pr-uwyz][a-hk-y]?\d[a-z\d]?\s?\d[abd-hjlnp-uw-z]{2}))\b"
)


def _postcodes(text: str) -> Iterable[Span]:
    for match in _POSTCODE.finditer(text):
        if not _names_an_id(text, match.start()):  # "part number LS6 2AB", "model UE55 7AB"
            yield Span(match.start(), match.end(), "postcode")
    for match in _NAMED_POSTCODE.finditer(text):
        yield Span(match.start(1), match.end(1), "postcode")


# A house number and a street ("14 Acacia Avenue", "61 Grove Road", "221B Baker St").
_STREET_TYPES = (
    "Road Street Avenue Lane Drive Close Crescent Terrace Gardens Grove Place Court Way Row "
    "Mews Rd St Ave Blvd Boulevard Walk Square Parade Rise"
).split()
_ADDRESS = re.compile(
    r"(?<![\w.,/-])\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][a-z'’]+\s+){1,3}"
    rf"(?:{'|'.join(_STREET_TYPES)})\b\.?"
    # in lower case, as patients type it, before a comma ("14 elm grove, leeds"); not
    # words a sentence ends on ("a 5 minute walk,", "a 2 hour drive,", "so close,")
    r"|(?<![\w.,/-])\d{1,4}[a-z]?,?\s+(?:[a-z][a-z'’]+\s+){1,2}"
    r"(?:road|street|avenue|lane|crescent|terrace|gardens|grove|mews)\b(?=\s*,)"
)


def _addresses(text: str) -> Iterable[Span]:
    for match in _ADDRESS.finditer(text):
        end = match.end() - (1 if match.group().endswith(".") else 0)
        yield Span(match.start(), end, "address")


# A person named with their title ("Nurse Kelly", "Dr Okafor", "Mr O'Neill", "Sister
# Bridget"): the name is masked, the title kept ("Nurse [name]"). A staff member's name
# had labelled a theme of noise complaints ("Mr hughes").
_NAME_WORD = r"(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:['’-][A-Z]?[a-z]+)?"
_NAME = re.compile(
    r"\b(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Doctor|Nurse|Sister|Matron)\.?"
    # or in lower case before a capitalised name ("nurse Patel", "dr Okafor"), without a
    # full stop ("my doctor. But", "every dr. At" end a sentence)
    r"|(?:mr|mrs|ms|dr|prof|professor|doctor|nurse|sister|matron))\s+"
    rf"({_NAME_WORD}(?:\s+{_NAME_WORD})?)\b"
)
# Brands, titles and words of the trade that read like one ("Dr Martens", "Doctor Who",
# "Nurse Practitioner", "Doctor Appointments", "Sister Ward", "saw the Dr Monday").
_NOT_A_NAME = frozenset(
    (
        "Martens Pepper Who Scholl Scholls Strange Act Office Drivers Oetker Google Muscle "
        "Kipling Selfridge Seuss Dre Word Bean Foster Men Motor Whippy Sheen Fixit Freeze "
        "Practitioner Practitioners Led Ward Wards Appointment Appointments Said Says Told "
        "Rounds Round Team Teams Staff Station Unit Units Clinic Clinics Surgery Visit Visits "
        "Note Notes Letter Letters Call Calls Line Service Services Desk Assistant Assistants "
        "Associate Associates Manager Managers Lead Leads Practice Reception Receptionist "
        "Appt Appts Referral Referrals Report Reports Prescribed Prescription Recommended "
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Yesterday Tomorrow "
        "January February March April May June July August September October November "
        "December Mon Tue Wed Thu Fri Sat Sun Christmas Easter Thanksgiving Halloween"
    ).split()
)


# A person named by what they are to the writer ("the affected patient is Margaret
# Ellison", "Patient: Jonathan Pike", "my son's name is Leo") or just before their date of
# birth ("Margaret Ellison, DOB 03/07/1941"): a clinic's support mail had the date masked
# and the patient's name beside it in every shared quote.
_ROLE_NAME = re.compile(
    r"\b(?i:(?:patient|resident|child|son|daughter)(?:(?:['’]s)?\s+name)?\s+(?:is|was)"
    r"|(?:patient|resident|child|son|daughter)(?:['’]s)?(?:\s+name)?\s*[:\-–]"
    r"|(?:patient|resident|child|son|daughter)\s+(?:named|called))"
    rf"\s*({_NAME_WORD}(?:\s+{_NAME_WORD})?)\b"
)
# A first and last name after what the person is to the writer ("my mum Margaret
# Pemberton", "my father, Harold Cole,") or after "on behalf of": a hospital survey's
# patients, named by their relatives, had been in clear in its shared quotes.
_RELATIVE_NAME = re.compile(
    rf"\b(?i:(?:my|our)\s+(?:{_RELATIVES})(?:\s*,)?|on\s+behalf\s+of(?:\s+my\s+(?:{_RELATIVES}))?"
    rf"(?:\s*,)?)\s+({_NAME_WORD}\s+{_NAME_WORD})\b"
)
# A company's or a place's last word ("on behalf of British Airways", "Acme Corp"): no
# person's name.
_ORGANISATION_WORDS = frozenset(
    "Airways Airlines Air Hotel Hotels Resort Resorts Corp Corporation Ltd Limited Inc Llc "
    "Plc Bank Group Company Co Services Council Trust Hospital Hospitals University College "
    "School Foundation Insurance Partners Holdings Solutions Systems Technologies Health "
    "Care Clinic Centre Center Club Association Society Agency Ministry Department".split()
)


def _relatives(text: str) -> tuple[re.Pattern, ...]:
    """The relatives' pattern, unless ``text`` is written in Title Case ("Our Son Liked The
    Pool": every word a capital, no name told by it)."""
    words = [w for w in text.split() if w[:1].isalpha()]
    capitalised = sum(w[:1].isupper() for w in words)
    return () if len(words) >= 4 and capitalised >= 0.6 * len(words) else (_RELATIVE_NAME,)


_NAME_BEFORE_DOB = re.compile(
    rf"\b({_NAME_WORD}\s+{_NAME_WORD})(?=\s*[,(]?\s*(?i:dob\b|d\.o\.b|date\s+of\s+birth|born\b))"
)
# Capitalised words that open a sentence, not a name ("Patient: The reminder ...").
_NOT_A_NAME_START = frozenset(
    "The This That These Those It Its I We They He She You Our Your My His Her Their No Not "
    "Yes A An All Any Some Every Each Please Thanks Hi Hello Dear When If Still Also Just "
    "New Missing Unknown None Same Test".split()
)


def _names(text: str) -> Iterable[Span]:
    for match in _NAME.finditer(text):
        if match.group(1).split()[0] not in _NOT_A_NAME:
            yield Span(match.start(1), match.end(1), "name")
    for pattern in (_ROLE_NAME, _NAME_BEFORE_DOB, *_relatives(text)):
        for match in pattern.finditer(text):
            words = match.group(1).split()
            said = match.group().casefold()
            if len(words) == 1 and "name" not in said:
                # "the patient is Happy now", "Patient: Great experience": a first and last
                # name, or a name said to be one ("son's name is Leo", "a patient named Ravi")
                continue
            if words[-1] in _ORGANISATION_WORDS:
                continue
            if words[0] not in _NOT_A_NAME and words[0] not in _NOT_A_NAME_START:
                yield Span(match.start(1), match.end(1), "name")


# An @mention of an account: a community's quotes had named its members ("thanks
# @li.wei") in reports shared outside it. Not an e-mail's "@" (a word before it), nor
# "@2x", nor a chat's broadcast.
_HANDLE = re.compile(r"(?<![\w@.+-])@([A-Za-z_][A-Za-z0-9_.-]{0,38}[A-Za-z0-9_]|[A-Za-z_])")
_BROADCAST = frozenset({"here", "channel", "everyone", "all"})


def _handles(text: str) -> Iterable[Span]:
    for match in _HANDLE.finditer(text):
        if match.group(1).lower() not in _BROADCAST:
            yield Span(match.start(), match.end(), "handle")


# Words that make a text worth reading for personal data beyond :data:`_CHEAP` (a
# relative or a booking named, a postcode), found by a set lookup of its words: in the
# cheap pattern they had doubled its time.
_WORTH_WORDS = frozenset(
    _RELATIVE_WORDS + "behalf pnr locator booking reservation confirmation conf postcode".split()
)
# ... and the streets a one-digit house number comes before ("8 Victoria Road")
_STREET_WORDS = frozenset(street.lower() for street in _STREET_TYPES)
_WORD = re.compile(r"[^\W\d_]+")


def _worth_reading(text: str) -> bool:
    """Whether ``text`` may hold personal data (most texts do not: the finders skip them)."""
    if _CHEAP.search(text):
        return True
    words = set(_WORD.findall(text.lower()))
    if words & _WORTH_WORDS:
        return True
    return bool(words & _STREET_WORDS) and any(ch.isdigit() for ch in text)


def titled_names(texts: Iterable) -> frozenset[str]:
    """The names ``texts`` give a title ("Nurse Kelly", "Sister Bridget") that they never
    write in lower case (so no "Will" or "Hope"), and the staff they describe as a
    person (:func:`staff_names`): a theme of a run's comments is not to be named with
    them where a comment writes them alone ("Bridget on ward 7")."""
    texts = [text for text in texts if isinstance(text, str)]
    found = {
        word
        for text in texts
        if _worth_reading(text)
        for span in _names(text)
        for word in text[span.start : span.end].split()
    }
    staff = staff_names(texts)
    if not found:
        return staff
    written = {word for text in texts for word in _LOWER_WORD.findall(text)}
    return frozenset(name for name in found if name.lower() not in written) | staff


_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")
# A member of staff described as a person ("Kwame was so kind", "huge thanks to shona who
# was patient", "Aoife on the phone was helpful", "I spoke to, Dale,", "agent Marek"): a
# utility's praise themes had been named after one of eight agents ("Kwame in customer
# services": 5,852 comments, 3% of them about Kwame).
_STAFF_BEFORE = re.compile(
    r"(?i:\b(?:thanks?|thank[ \t]+you|shout[ \t-]?out|kudos|credit|praise)[ \t]+(?:to[ \t]+)?"
    r"(?=[A-Za-z]+[ \t,]+(?:who|she|he|they)\b)"
    r"|\b(?:spoke|talked|chatted|dealt|speaking)[ \t]+(?:to|with)[ \t]*,?[ \t]*"
    r"|\b(?:agent|advisor|adviser|rep|representative|operator|engineer|technician)"
    r"[ \t]+(?:named[ \t]+|called[ \t]+)?)"
    r"([A-Za-z][a-z]{2,})\b"
)
# (thanks to a name only with a person after it, "huge thanks to shona who was patient":
# "thanks to Slack our team sees alerts" is a product, as "Xero is great" is)
_STAFF_AFTER = re.compile(
    r"\b([A-Za-z][a-z]{2,}),?\s+(?i:(?:in|from|at|on)\s+(?:the\s+)?(?:customer\s+servic\w*"
    r"|cu\w*\s+servic\w*|the\s+phone|the\s+call|call\s+cent(?:re|er))\b"
    r"(?=,?\s+(?:was|who|has|had|did|went|sorted|called|helped|explained|resolved|fixed)\b)"
    r"|(?:who\s+)?was\s+(?:so\s+|very\s+|really\s+|super\s+|extremely\s+|just\s+)?"
    r"(?:helpful|kind|friendly|patient|lovely|polite|professional|courteous|knowledgeable"
    r"|understanding|attentive)\b)"
)


def staff_names(texts: Sequence[str]) -> frozenset[str]:
    """Names of staff the ``texts`` describe as a person (``_STAFF_BEFORE``,
    ``_STAFF_AFTER``: words a person is described by, not a product), as written and in
    lower case: a word counts as a name when it is said so twice at least and written in
    lower case elsewhere at most half as often as it is said so or capitalised (so not
    "support" of "spoke to support", nor "Will")."""
    said: Counter = Counter()
    for text in texts:
        for pattern in (_STAFF_BEFORE, _STAFF_AFTER):
            for match in pattern.finditer(text):
                said[match.group(1).casefold()] += 1
    if not said:
        return frozenset()
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    capital: Counter = Counter()
    lower: Counter = Counter()
    for text in texts:
        for word in _ANY_WORD.findall(text):
            folded = word.casefold()
            if folded in said:
                (lower if word[0].islower() else capital)[folded] += 1
    names = {
        word
        for word in said
        if said[word] >= 2
        and capital[word] >= 1
        and word not in ENGLISH_STOP_WORDS
        and max(lower[word] - said[word], 0) * 2 <= capital[word] + said[word]
        and word.capitalize() not in _NOT_A_NAME_START
        and word.capitalize() not in _NOT_A_NAME
        and word not in _NOT_STAFF
    }
    return frozenset(form for name in names for form in (name.capitalize(), name))


_ANY_WORD = re.compile(r"\b[A-Za-z][a-z]+\b")
_NOT_STAFF = frozenset(
    "cheers kind regards best thanks thank hello everyone everybody all you guys team "
    "support staff god goodness heaven ive dont cant wont didnt".split()
)


def without_names(texts: Sequence, names: frozenset[str]) -> list:
    """``texts`` with each of ``names`` (as :func:`titled_names` gives them) cut out."""
    texts = list(texts)
    if not names:
        return texts
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{alternatives})\b")  # each name whole, as written
    return [pattern.sub(" ", text) if isinstance(text, str) else text for text in texts]


def _phones(text: str) -> Iterable[Span]:
    for match in _PHONE.finditer(text):
        candidate = match.group()
        if _DATE_INSIDE.search(candidate):
            continue
        if _names_an_id(text, match.start()):
            continue
        digits = re.sub(r"\D", "", candidate)
        if candidate.startswith("+"):
            ok = 8 <= len(digits) <= 15
        elif candidate.startswith("00"):
            ok = 10 <= len(digits) <= 17
        elif candidate.lstrip("(").startswith("0"):
            ok = 10 <= len(digits) <= 12
        elif _IT_MOBILE.fullmatch(candidate):
            # a US number of an area code 3xx written with spaces is one as any other
            # ("call me back at 312 468 9681" had been left in a masked roadmap)
            ok = bool(_NANP.fullmatch(candidate)) or bool(
                _PHONE_WORD.search(text[max(0, match.start() - 40) : match.start()])
            )
        else:
            ok = any(p.fullmatch(candidate) for p in (_NANP, _BR_PHONE))
        if ok:
            yield Span(match.start(), match.end(), "phone")


_FINDERS = {
    "secret": _secrets,
    "email": _emails,
    "iban": _ibans,
    "card": _cards,
    "account": _accounts,
    "booking": _bookings,
    "ssn": _ssns,
    "personal_id": _personal_ids,
    "dob": _dobs,
    "phone": _phones,
    "postcode": _postcodes,
    "address": _addresses,
    "name": _names,
    "handle": _handles,
}


def _check_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    kinds = tuple(kinds)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown personal-data kinds {sorted(unknown)}; known: {KINDS}")
    return kinds


def find_pii(text, kinds: Iterable[str] = KINDS) -> list[Span]:
    """Personal data in ``text`` as ``Span(start, end, type)``, in text order.

    Overlapping matches are resolved in the order of :data:`KINDS` (email first).
    Not a ``str`` → ``[]``.
    """
    if not isinstance(text, str) or not _worth_reading(text):
        return []
    wanted = _check_kinds(kinds)
    taken: list[Span] = []
    for kind in KINDS:
        if kind not in wanted:
            continue
        for span in _FINDERS[kind](text):
            if all(span.end <= t.start or span.start >= t.end for t in taken):
                taken.append(span)
    return sorted(taken)


def mask_pii(text, kinds: Iterable[str] = KINDS) -> str:
    """``text`` with each piece of personal data replaced by its placeholder
    (``[email]``, ``[phone]``, ``[card]``, ``[iban]``, ``[account]``, ``[ssn]``,
    ``[secret]``).

    Not a ``str`` (None, NaN) → returned unchanged.
    """
    return _replaced(text, find_pii(text, kinds), lambda span: PLACEHOLDERS[span.type])


def without_pii(text: str) -> str:
    """``text`` with each piece of personal data cut out (a space in its place): what
    theme keywords are read from, which lose the punctuation a mask would find an
    address by ("anna.dubois@gmail.com" became the keyword "annaduboisgmailcom")."""
    return _replaced(text, find_pii(text), lambda span: " ")


def _replaced(text, spans: list[Span], replacement) -> str:
    """``text`` with each of ``spans`` (in text order) replaced by ``replacement(span)``."""
    if not spans:
        return text
    pieces, pos = [], 0
    for span in spans:
        pieces += [text[pos : span.start], replacement(span)]
        pos = span.end
    pieces.append(text[pos:])
    return "".join(pieces)


def mask_texts(texts: Sequence, kinds: Iterable[str] = KINDS) -> list:
    """:func:`mask_pii` over many texts, in order; each distinct text is masked once."""
    kinds = _check_kinds(kinds)
    done: dict[str, str] = {}
    out = []
    for text in texts:
        if not isinstance(text, str):
            out.append(text)
            continue
        masked = done.get(text)
        if masked is None:
            masked = done[text] = mask_pii(text, kinds)
        out.append(masked)
    return out


_ACCOUNT_WORD = re.compile(r"acc|a/c", re.IGNORECASE)


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def mask_values(values: Sequence, kinds: Iterable[str] = KINDS, key: str | None = None) -> list:
    """:func:`mask_texts` for the values of an id or category column (a customer id, a
    segment): a value that is one piece of personal data as a whole ("anna@example.com")
    becomes its placeholder with a short digest of the value ("[email #3f9a1c]"), so
    two customers, or two account managers, stay two; personal data inside a longer
    value is masked as in text. The same value always gets the same digest.

    ``key`` (a run's ``mask_key``, :func:`run_mask_key`) makes the digest an HMAC of the
    value: without the run's data nobody can recompute it from a guessed address and
    so confirm that person answered (a plain SHA-256 prefix, as without a key, can)."""
    values = list(values)
    # Each kind needs an "@" or 8 digits (a phone), or 6 after "account" / "a/c": an id
    # such as "C012345" is none of them, and 150,000 of them are not scanned one by one.
    scan = [
        isinstance(v, str)
        and ("@" in v or _digits(v) >= 8 or (_digits(v) >= 6 and _ACCOUNT_WORD.search(v)))
        for v in values
    ]
    masked_values = iter(mask_texts([v for v, s in zip(values, scan, strict=True) if s], kinds))
    out = []
    for value, masked in zip(
        values,
        (next(masked_values) if s else v for v, s in zip(values, scan, strict=True)),
        strict=True,
    ):
        if isinstance(value, str) and masked != value:
            spans = find_pii(value, kinds)
            rest = value[: spans[0].start] + value[spans[0].end :] if len(spans) == 1 else "x"
            if not rest.strip():
                digest = _digest(value.strip(), key)
                masked = f"{PLACEHOLDERS[spans[0].type][:-1]} #{digest}]"
        out.append(masked)
    return out


def _digest(value: str, key: str | None) -> str:
    data = value.encode("utf-8")
    if key is None:  # a run saved before 2026-12-06 has no key
        return hashlib.sha256(data).hexdigest()[:6]
    return hmac.new(key.encode("ascii"), data, hashlib.sha256).hexdigest()[:6]


def run_mask_key(texts: Iterable, ids: Iterable = (), seed: int = 0) -> str:
    """A run's ``mask_key``: a digest of its own raw texts and ids (and seed), so the
    same input gives the same key (and the same masked ids), and only someone holding
    the data can compute it. Kept in run.json, which miner never shares."""
    digest = hashlib.sha256(f"miner mask key {seed}\n".encode())
    for value in (*texts, "\0", *ids):
        digest.update(str(value).encode("utf-8", "replace") + b"\n")
    return digest.hexdigest()
