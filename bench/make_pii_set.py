"""Write the labelled personal-data test set: tests/data/pii_labelled.jsonl.

Synthetic customer feedback (survey answers, support tickets, app reviews) built from
templates written for this set, filled with Faker values (names, e-mails, IBANs, card
numbers, some phone numbers) and with phone numbers formatted the way people write
them in the US, UK, France, Germany and a few other countries. Every item carries the
gold character spans of the personal data in it::

    {"id": "P0001", "source": "ticket", "text": "...",
     "spans": [{"start": 12, "end": 31, "type": "email"}],
     "decoys": [{"start": 40, "end": 52, "kind": "invoice"}]}

``type`` is one of ``email``, ``phone``, ``card``, ``iban``, ``account``. ``decoys``
mark look-alikes that must NOT be masked (order and invoice numbers, versions, dates,
times, prices, ZIP codes, ticket ids, @mentions, file names, ...); they let the
evaluation report false positives by kind. About a third of the items hold no
personal data at all.

The set was generated and committed before ``miner/pii.py`` was written, and is
frozen: regenerate only to reproduce it (same seed, same Faker version, same file).
Needs Faker (``pip install -e '.[dev]'``); tests read the committed file, not this.

    python bench/make_pii_set.py [--out tests/data/pii_labelled.jsonl] [--seed 20250601]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
from pathlib import Path

from faker import Faker

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "pii_labelled.jsonl"
PII_TYPES = ("email", "phone", "card", "iban", "account")


class Values:
    """Random values for every slot; one ``random.Random`` and seeded Faker instances."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fakers = {}
        for i, locale in enumerate(
            ["en_US", "en_GB", "fr_FR", "de_DE", "nl_NL", "es_ES", "it_IT", "en_IE"]
        ):
            fake = Faker(locale)
            fake.seed_instance(seed + i)
            self.fakers[locale] = fake
        self.en = self.fakers["en_US"]

    def digits(self, n: int, first: str = "0123456789") -> str:
        return self.rng.choice(first) + "".join(
            self.rng.choice(string.digits) for _ in range(n - 1)
        )

    # ---- personal data -------------------------------------------------------------

    def email(self) -> str:
        rng, fake = self.rng, self.fakers[self.rng.choice(list(self.fakers))]
        first, last = fake.first_name(), fake.last_name()
        first = re.sub(r"[^a-z]", "", first.lower()) or "sam"
        last = re.sub(r"[^a-z]", "", last.lower()) or "lee"
        local = rng.choice(
            [
                f"{first}.{last}",
                f"{first}{last[0]}",
                f"{first[0]}{last}",
                f"{first}_{last}{rng.randint(1, 99)}",
                f"{first}.{last}+{rng.choice(['ledgerbird', 'invoices', 'test', 'news', 'bank'])}",
                f"{first}+{rng.randint(1, 9)}",
                f"{last}-{first}",
                fake.user_name(),
                f"{first}.{last}{rng.randint(70, 99)}",
            ]
        )
        domain = rng.choice(
            [
                fake.free_email_domain(),
                fake.free_email_domain(),
                fake.domain_name(),
                f"mail.{fake.domain_name()}",
                f"{rng.choice(['eu', 'uk', 'us', 'corp', 'finance'])}.{fake.domain_name()}",
                f"{fake.domain_word()}.co.uk",
                f"{fake.domain_word()}-{rng.choice(['ltd', 'gmbh', 'sarl', 'llc'])}.com",
                f"{fake.domain_word()}.{rng.choice(['io', 'de', 'fr', 'nl', 'app', 'consulting'])}",
            ]
        )
        address = f"{local}@{domain}"
        if rng.random() < 0.08:
            address = address.upper() if rng.random() < 0.3 else address.capitalize()
        return address

    def phone(self) -> str:
        rng, d = self.rng, self.digits
        if rng.random() < 0.22:
            # Faker's own numbers for locales whose formats look real; no extensions.
            locale = rng.choice(["en_GB", "fr_FR", "nl_NL", "es_ES", "it_IT", "en_US"])
            number = self.fakers[locale].phone_number()
            return re.sub(r"x\d+$", "", number)
        area, exchange, line = d(3, "23456789"), d(3, "23456789"), d(4)
        formats = [
            # US / Canada
            f"({area}) {exchange}-{line}",
            f"({area}) {exchange}-{line}",
            f"{area}-{exchange}-{line}",
            f"{area}.{exchange}.{line}",
            f"+1 {area} {exchange} {line}",
            f"+1-{area}-{exchange}-{line}",
            f"+1 ({area}) {exchange}-{line}",
            f"1-800-{exchange}-{line}",
            f"{area}{exchange}{line}",
            # UK
            f"+44 20 7{d(3)} {d(4)}",
            f"020 7{d(3)} {d(4)}",
            f"07{d(3)} {d(6)}",
            f"07{d(3)} {d(3)} {d(3)}",
            f"+44 7{d(3)} {d(6)}",
            f"+44 (0)20 7{d(3)} {d(4)}",
            f"0161 {d(3)} {d(4)}",
            f"+447{d(9)}",
            # France
            f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}",
            f"+33 1 {d(2)} {d(2)} {d(2)} {d(2)}",
            f"06 {d(2)} {d(2)} {d(2)} {d(2)}",
            f"07.{d(2)}.{d(2)}.{d(2)}.{d(2)}",
            f"+336{d(8)}",
            # Germany
            f"+49 30 {d(8)}",
            f"030 {d(8)}",
            f"+49 151 {d(8)}",
            f"0151 {d(8)}",
            f"+49 (0)89 {d(7)}",
            f"030/{d(7)}",
            f"+49-89-{d(7)}",
            f"0049 40 {d(3)} {d(4)}",
            # elsewhere
            f"+31 6 {d(8)}",
            f"+91 98{d(3)} {d(5)}",
            f"+61 4{d(2)} {d(3)} {d(3)}",
            f"04{d(2)} {d(3)} {d(3)}",
            f"+353 87 {d(3)} {d(4)}",
        ]
        return rng.choice(formats)

    def card(self) -> str:
        rng = self.rng
        kind = rng.choice(["visa16", "visa16", "mastercard", "mastercard", "amex", "discover"])
        number = self.en.credit_card_number(card_type=kind)
        style = rng.choice(["space", "space", "dash", "plain"])
        if len(number) == 15:
            groups = [number[:4], number[4:10], number[10:]]
        else:
            groups = [number[i : i + 4] for i in range(0, len(number), 4)]
        if style == "plain":
            return number
        return (" " if style == "space" else "-").join(groups)

    def iban(self) -> str:
        locale = self.rng.choice(["en_GB", "de_DE", "fr_FR", "nl_NL", "es_ES", "it_IT", "en_IE"])
        number = self.fakers[locale].iban()
        if self.rng.random() < 0.55:
            number = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        return number

    def account(self) -> str:
        return self.digits(self.rng.choice([8, 8, 8, 9, 10, 11, 12]))

    # ---- look-alikes that are not personal data -----------------------------------

    def decoy(self, kind: str) -> str:
        rng, d = self.rng, self.digits
        if kind == "order":
            return rng.choice(
                [f"#{d(6, '123456789')}", f"A-{d(5)}", f"{d(7, '123456789')}", f"LB-{d(4)}-{d(4)}"]
            )
        if kind == "long_id":  # 12-20 digit ids that are neither cards nor accounts
            while True:
                number = d(rng.choice([12, 14, 16, 18, 20]), "123456789")
                if not _luhn(number):
                    return number
        if kind == "invoice":
            return rng.choice(
                [
                    f"INV-{rng.randint(2019, 2026)}-{d(4)}",
                    f"INV{d(6)}",
                    f"{rng.randint(2021, 2026)}/{d(5)}",
                ]
            )
        if kind == "version":
            return rng.choice(
                [
                    f"v{rng.randint(1, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
                    f"iOS {rng.randint(15, 18)}.{rng.randint(0, 6)}.{rng.randint(1, 3)}",
                    f"Android {rng.randint(11, 15)}",
                    f"version {rng.randint(2, 9)}.{rng.randint(0, 40)}.{rng.randint(0, 9)}"
                    f".{d(4, '123456789')}",
                    f"build {rng.randint(2023, 2026)}.{rng.randint(1, 12)}.{rng.randint(1, 9)}",
                ]
            )
        if kind == "date":
            y, m, day = rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28)
            return rng.choice(
                [
                    f"{y}-{m:02d}-{day:02d}",
                    f"{day:02d}/{m:02d}/{y}",
                    f"{m}/{day}/{y}",
                    f"{day:02d}.{m:02d}.{y}",
                    f"{day} March {y}",
                    f"{y}-{m:02d}-{day:02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00",
                ]
            )
        if kind == "time":
            h, mi = rng.randint(0, 23), rng.choice([0, 15, 30, 45, 5, 59])
            return rng.choice(
                [
                    f"{h:02d}:{mi:02d}",
                    f"{rng.randint(1, 12)}:{mi:02d}{rng.choice(['am', 'pm', ' AM', ' PM'])}",
                    f"{h:02d}:{mi:02d}-{(h + 2) % 24:02d}:{mi:02d}",
                ]
            )
        if kind == "price":
            return rng.choice(
                [
                    f"${rng.randint(1, 9)},{d(3)}.{d(2)}",
                    f"€{rng.randint(5, 99)}.99",
                    f"£{rng.randint(1, 3)},{d(3)}",
                    f"{rng.randint(1, 9)}.{d(3)},{d(2)} €",
                    f"USD {rng.randint(10, 99)},{d(3)}.{d(2)}",
                    f"{rng.randint(1, 9)} {d(3)} {d(3)} €",
                ]
            )
        if kind == "year":
            return str(rng.randint(2008, 2026))
        if kind == "percent":
            return rng.choice([f"{rng.randint(1, 99)}%", f"{rng.randint(1, 99)}.{d(1)}%"])
        if kind == "zip":
            return rng.choice(
                [
                    d(5, "123456789"),
                    f"{d(5, '123456789')}-{d(4)}",
                    f"SW{rng.randint(1, 9)}A {rng.randint(1, 9)}AA",
                    f"750{rng.randint(10, 20)}",
                    f"10{d(3)}",
                ]
            )
        if kind == "quantity":
            return rng.choice(
                [
                    f"{rng.randint(1, 9)},{d(3)}",
                    f"{rng.randint(2, 900)}",
                    f"{rng.randint(1, 9)},{d(3)},{d(3)}",
                    f"{rng.randint(2, 12)}x",
                ]
            )
        if kind == "ticket":
            return rng.choice([f"#{d(5, '123456789')}", f"case {d(6, '123456789')}"])
        if kind == "mention":
            fake = self.fakers[rng.choice(list(self.fakers))]
            name = re.sub(r"[^A-Za-z]", "", fake.first_name()) or "sam"
            return rng.choice(
                [f"@{name.lower()}_{rng.randint(1, 99)}", "@LedgerbirdHelp", f"@{name}"]
            )
        if kind == "file":
            return rng.choice(
                [
                    "report.csv",
                    f"export_{rng.randint(2022, 2026)}-{rng.randint(1, 12):02d}.xlsx",
                    "logo@2x.png",
                    f"invoice_{d(5)}.pdf",
                    "backup.tar.gz",
                    "Q3-figures.v2.xlsx",
                ]
            )
        if kind == "code":
            return rng.choice(
                [
                    f"error {rng.choice([400, 401, 403, 404, 500, 502, 503])}",
                    f"0x{rng.randint(0x10000000, 0xFFFFFFFF):08X}",
                    f"E{d(4)}",
                    f"{rng.randint(1, 254)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}"
                    f".{rng.randint(1, 254)}",
                ]
            )
        if kind == "last4":
            return d(4)
        if kind == "resolution":
            return rng.choice(["1920x1080", "2560 x 1440", "1366x768"])
        if kind == "range":
            a = rng.randint(1, 500)
            return rng.choice([f"{a}-{a + rng.randint(10, 500)}", f"{a}–{a + 50}"])
        if kind == "otp":
            return d(6)
        raise KeyError(kind)


def _luhn(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


DECOY_KINDS = (
    "order long_id invoice version date time price year percent zip quantity ticket mention"
    " file code last4 resolution range otp"
).split()

# Templates: {email} {phone} {card} {iban} {account} are personal data; {name} is a
# Faker name (not labelled: names are out of scope); every other {slot} is a decoy.
POSITIVE = {
    "ticket": [
        "Please call me back on {phone}, I have been waiting since {date}.",
        "Hi, my email is {email} and I still can't log in after the {version} update.",
        "You charged my card {card} twice for invoice {invoice}. Refund please.",
        "Best number to reach me is {phone} between {time}.",
        "Can you change the payout IBAN to {iban}? The old one is closed.",
        "Refund should go to account {account}, sort it out before {date}.",
        "My login email changed from {email} to {email}, please update ticket {ticket}.",
        "Order {order} was paid with {card} but shows as unpaid.",
        "{name} here, reach me at {email} or {phone}.",
        "The bank feed for IBAN {iban} stopped syncing on {date}.",
        "Direct debit from account number {account} failed again ({code}).",
        "Contact: {name}, {phone}, {email}",
        "Please send the VAT receipt to {email}; invoice {invoice} is missing it.",
        "I was told to email {email} but nobody answered for {quantity} days.",
        "Card number {card} expired, how do I update it before {date}?",
        "Our accountant ({email}) needs read access to the {year} books.",
        "Call {phone} and ask for {name}, she handles billing.",
        "Transfer the {price} refund to {iban} please.",
        "Wrong bank account on the invoice: should be acct {account} not the old one.",
        "My mobile is {phone}; SMS codes never arrive ({version}).",
        "Support asked for my card, it's {card} exp 08/27. Why is this needed?",
        "hi my acc number is {account} and the feed shows nothing since {date}",
        "Reply to {email} not to my work address please.",
        "Phone: {phone} / Email: {email} / Ticket {ticket}",
        "Payment to IBAN {iban} bounced, reference {invoice}.",
        "Emailed {email} on {date} about {file} and heard nothing.",
        "Please remove the card {card} from my profile.",
        "Charged {price} on {card} on {date} without asking!",
        "Payment failed on card {card} (exp 11/26), order {order}.",
        "new card is {card}",
        "IBAN {iban} is rejected as invalid but my bank says it's correct.",
        "refund to {iban} thx",
        "Feed for checking account {account} shows duplicates since {date}.",
        "Savings account {account} is not listed after the {version} update.",
        "account no. {account} - statements missing for {year}",
        "Account #{account} keeps disconnecting every {quantity} hours.",
    ],
    "survey": [
        "Happy to join a follow-up call: {phone}.",
        "Yes you can contact me at {email}.",
        "If you want more detail, email me ({email}).",
        "Good app overall. {name}, {phone}",
        "Reach me on {phone} or {phone} (office).",
        "Would love to be a beta tester! {email}",
        "Add Apple Pay please. My email for the beta list: {email}.",
        "Bank sync is {percent} reliable at best. Call {phone} if you want to know more.",
        "Contact {email}",
        "I use Ledgerbird for {quantity} invoices a month; ping me at {email} for a chat.",
        "tel {phone}",
        "my number {phone} text me anytime",
        "Sure, {email} or {phone} after {time}.",
        "Customer since {year}. The account {account} reconciliation is still wrong.",
        "Could invoices show our IBAN automatically? Ours is {iban}.",
        "Our IBAN: {iban}",
        "I typed {card} and the form says invalid, I know it is right.",
        "Business account number: {account}. Please fix the import.",
    ],
    "review": [
        "Support never replied to {email}. One star.",
        "They stored my full card number {card} in plain text in the {file} export!",
        "Called {phone} three times, no answer. Avoid.",
        "Great app but the reminder emails come from {email} which lands in spam.",
        "Linked my IBAN {iban} in seconds, love it.",
        "Worked fine until {version}; now it asks for account {account} every time.",
        "Devs: my email is {email}, happy to send logs.",
        "Their sales line {phone} is the only way to get help, {price} a month for this?",
        "CC: {card}. Saved it once and now it shows up in every {file}.",
        "Connected account {account} and IBAN {iban} without issues.",
    ],
}

NEGATIVE = {
    "ticket": [
        "Invoice {invoice} shows {price} but I paid {price} on {date}.",
        "Order {order} never synced; app {version} on {date}.",
        "Ticket {ticket} is still open after {quantity} days.",
        "The export {file} has {quantity} rows but only {quantity} invoices.",
        "Getting {code} when uploading {file} since {version}.",
        "Our office at {zip} gets a different VAT rate from {date}.",
        "Paid with the card ending in {last4}, order {order}, still pending.",
        "Please look at {ticket}, {mention} said it was fixed in {version}.",
        "Sync runs at {time} and takes {percent} of the battery.",
        "Order ID {long_id} was charged {price} on {date}.",
        "Reference {long_id} on the bank statement does not match invoice {invoice}.",
        "The verification code {otp} expired before it arrived at {time}.",
        "Tax year {year} report ({file}) is missing {quantity} entries.",
        "My account was locked at {time} on {date}, ticket {ticket}.",
        "I've had this account since {year} and it is now {percent} slower.",
        "Screen is cut off at {resolution} on {version}.",
        "Invoices {range} are missing from the {year} export.",
        "Tracking number {long_id} for the card reader, order {order}.",
        "The account settings page crashed on {version} at {time}.",
        "Customer number {order}, I've used the account for {quantity} years.",
    ],
    "survey": [
        "Price went from {price} to {price}, that's {percent} more.",
        "Been a customer since {year}, about {quantity} invoices a year.",
        "Bank feed broke on {date} and again on {date}.",
        "Rating {range}? I'd say 7 out of 10.",
        "Works on {version} but not on {version}.",
        "Please add support for {zip} postcodes in addresses.",
        "Shout out to {mention} for the quick help!",
        "Reminder emails go out at {time}, too early.",
        "Ask {mention} about the {file} bug.",
        "I run {quantity} clients from two accounts, 3 users each.",
        "We moved office to {zip} in {year}.",
    ],
    "review": [
        "Was great until {version}. Now it crashes on every {file} upload.",
        "{price} per month is too much for {quantity} invoices.",
        "Update on {date} broke the bank feed. {percent} of transactions missing.",
        "Love it! {mention} team rocks.",
        "Crashes at {time} every day, {code}.",
        "Five stars since {year}, except ticket {ticket}.",
        "Dark mode please. Using {version} on a {resolution} screen.",
        "Why does invoice {invoice} show a {price} late fee?",
    ],
}


def fill(template: str, values: Values) -> tuple[str, list[dict], list[dict]]:
    """The template with every slot filled, the personal-data spans and the decoys."""
    text, spans, decoys = "", [], []
    pos = 0
    for match in re.finditer(r"\{(\w+)\}", template):
        text += template[pos : match.start()]
        slot = match.group(1)
        if slot in PII_TYPES:
            value = getattr(values, slot)()
            spans.append({"start": len(text), "end": len(text) + len(value), "type": slot})
        elif slot == "name":
            value = values.fakers[values.rng.choice(list(values.fakers))].name()
        else:
            value = values.decoy(slot)
            decoys.append({"start": len(text), "end": len(text) + len(value), "kind": slot})
        text += value
        pos = match.end()
    text += template[pos:]
    return text, spans, decoys


def decorate(text: str, rng: random.Random) -> str:
    """Sometimes a trailing remark (appended, so spans keep their offsets)."""
    roll = rng.random()
    if roll < 0.08:
        return text + rng.choice([" Thanks.", " Cheers", " thx!!", " Regards"])
    return text


def make_set(seed: int = 20250601, positives: int = 430, negatives: int = 230) -> list[dict]:
    """Positive items are planned by the type they must contain (balanced across types);
    negatives hold decoys only."""
    values = Values(seed)
    rng = values.rng
    by_type = {
        kind: [(source, t) for source, ts in POSITIVE.items() for t in ts if "{" + kind + "}" in t]
        for kind in PII_TYPES
    }
    negative = [(source, t) for source, ts in NEGATIVE.items() for t in ts]
    plan = [PII_TYPES[i % len(PII_TYPES)] for i in range(positives)] + [None] * negatives
    rng.shuffle(plan)
    items = []
    for i, kind in enumerate(plan):
        source, template = rng.choice(by_type[kind] if kind else negative)
        text, spans, decoys = fill(template, values)
        text = decorate(text, rng)
        items.append(
            {
                "id": f"P{i + 1:04d}",
                "source": source,
                "text": text,
                "spans": spans,
                "decoys": decoys,
            }
        )
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--seed", type=int, default=20250601)
    args = parser.parse_args()
    items = make_set(args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    counts = {t: sum(s["type"] == t for i in items for s in i["spans"]) for t in PII_TYPES}
    decoys = sum(len(i["decoys"]) for i in items)
    print(f"wrote {len(items)} items to {args.out}; spans {counts}; decoys {decoys}")


if __name__ == "__main__":
    main()
