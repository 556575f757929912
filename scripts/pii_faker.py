#!/usr/bin/env python3
"""Writes tests/fixtures/pii_faker.jsonl: ticket texts holding values made by Faker.

    python3 -m venv .faker && .faker/bin/pip install faker==40.63.0
    .faker/bin/python scripts/pii_faker.py            tests/fixtures/pii_faker.jsonl (tune on this)
    .faker/bin/python scripts/pii_faker.py --check    tests/fixtures/pii_faker_check.jsonl

Every other labelled set here draws its values from this project's own generators or from
people writing by hand, so its names, streets and number formats are the ones the rules
were written against. Faker (MIT) is what many synthetic PII benchmarks are built with:
its locales bring names from other lists, street suffixes of the whole USPS table ("Anthony
Plains", "Rachel Burgs"), invented towns ("South Glendachester"), phone numbers with
extensions and trunk prefixes in brackets, and addresses in each country's order. The
templates are written for this set, in a ticket's voice; about a quarter of the texts hold
only values that are not personal data (ids, barcodes, hashes, plates, prices, ordinary
dates, companies). The check set has its own templates, written before either set first
ran, and its own seed: the rules are never fitted on it. A fixed seed: run it again to
reproduce the files exactly.
"""
import datetime
import json
import os
import random
import sys

from faker import Faker

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECK = "--check" in sys.argv
OUT = os.path.join(ROOT, "tests", "fixtures",
                   "pii_faker_check.jsonl" if CHECK else "pii_faker.jsonl")
rng = random.Random(20261205 if CHECK else 20261204)

LOCALES = [
    ("en_US", 40), ("en_GB", 14), ("en_CA", 6), ("en_AU", 6), ("en_IE", 4),
    ("de_DE", 7), ("fr_FR", 6), ("es_ES", 5), ("it_IT", 4), ("nl_NL", 4), ("pt_BR", 2),
    ("en_NZ", 2),
]
FAKERS = {}


def faker(locale):
    if locale not in FAKERS:
        f = Faker(locale)
        f.seed_instance(rng.randrange(1 << 30))
        FAKERS[locale] = f
    return FAKERS[locale]


def pick_locale():
    names, weights = zip(*LOCALES)
    return rng.choices(names, weights)[0]


def birth(f):
    d = f.date_of_birth(minimum_age=18, maximum_age=80)
    return rng.choice([
        d.strftime("%m/%d/%Y"), d.strftime("%d/%m/%Y"), d.isoformat(), d.strftime("%B %-d, %Y"),
        d.strftime("%-d %B %Y"), d.strftime("%d.%m.%Y"), d.strftime("%b %-d %Y"),
    ])


def grouped(value, size=4, sep=" "):
    return sep.join(value[i:i + size] for i in range(0, len(value), size))


def value(kind, f):
    """One value of `kind` from Faker `f`, as a person would type it."""
    if kind == "PERSON":
        return f"{f.first_name()} {f.last_name()}"
    if kind == "EMAIL":
        return rng.choice([f.email, f.free_email, f.company_email])()
    if kind == "PHONE":
        return f.phone_number()
    if kind == "ADDRESS":
        lines = f.address().split("\n")
        return rng.choice([", ", ", ", "\n"]).join(lines)
    if kind == "SSN":
        # Only the US format: other locales' "ssn" are tax ids the rules read only after a cue.
        return US.ssn()
    if kind == "CREDIT_CARD":
        number = f.credit_card_number()
        if len(number) == 16 and rng.random() < 0.5:
            return grouped(number, 4, rng.choice([" ", "-"]))
        return number
    if kind == "IBAN":
        iban = f.iban()
        return grouped(iban) if rng.random() < 0.5 else iban
    if kind == "IP_ADDRESS":
        return rng.choice([f.ipv4_public, f.ipv4_private, f.ipv4_public, f.ipv6])()
    if kind == "DATE_OF_BIRTH":
        return birth(f)
    if kind == "SECRET":
        return f.password(length=rng.choice([10, 12, 14, 16]))
    raise ValueError(kind)


US = Faker("en_US")
US.seed_instance(8 if CHECK else 7)


def negative(kind, f):
    """Values that look like personal data and are not."""
    if kind == "uuid":
        return f.uuid4()
    if kind == "isbn":
        return f.isbn13()
    if kind == "ean":
        return f.ean13()
    if kind == "sha1":
        return f.sha1()
    if kind == "plate":
        return f.license_plate()
    if kind == "company":
        return f.company()
    if kind == "date":
        return f.date_this_year().strftime(rng.choice(["%m/%d/%Y", "%Y-%m-%d", "%B %-d"]))
    if kind == "price":
        return f"{rng.randint(5, 4000)}.{rng.randint(0, 99):02d}"
    if kind == "order":
        return f"{rng.randint(10_000_000, 99_999_999)}"
    if kind == "version":
        return f"{rng.randint(1, 20)}.{rng.randint(0, 30)}.{rng.randint(0, 300)}"
    if kind == "port":
        return str(rng.choice([8080, 5432, 6379, 443, 3306, 9200]))
    if kind == "color":
        return f.hex_color()
    if kind == "job":
        return f.job()
    if kind == "city":
        return f.city()
    raise ValueError(kind)


# Templates: {KIND} is a labelled value; {-kind} an unlabelled look-alike.
TEMPLATES = [
    "Hi, this is {PERSON}. I can't log into the portal since this morning.",
    "Please update my phone number to {PHONE}, the old one is gone.",
    "My new mailing address is {ADDRESS}. Please send the replacement badge there.",
    "Can you reach me at {EMAIL}? I don't check the shared inbox.",
    "Ticket from {PERSON} ({EMAIL}): the VPN drops every ten minutes.",
    "Customer {PERSON} called from {PHONE} about invoice {-order}.",
    "Ship the laptop to {PERSON}, {ADDRESS}.",
    "For payroll: SSN {SSN}, date of birth {DATE_OF_BIRTH}.",
    "Refund the charge on card {CREDIT_CARD}, it was billed twice.",
    "Please wire the deposit back to {IBAN}.",
    "We see failed logins from {IP_ADDRESS} against the admin account.",
    "Temporary password for the kiosk is {SECRET} - change it after first login.",
    "DOB: {DATE_OF_BIRTH}\nName: {PERSON}\nPhone: {PHONE}",
    "Hello team, {PERSON} here from {-company}. Our office moved to {ADDRESS}.",
    "Could someone call {PERSON} back on {PHONE}? She is waiting since Tuesday.",
    "The printer at {IP_ADDRESS} keeps jamming, model {-version} firmware.",
    "Please remove the card {CREDIT_CARD} from my account, I closed it.",
    "My colleague {PERSON} cannot open the shared drive, her email is {EMAIL}.",
    "Bank details changed. New IBAN: {IBAN}. Account holder: {PERSON}.",
    "I was born on {DATE_OF_BIRTH} but the HR system shows a different date.",
    "Forwarded message from {EMAIL}: please reset my MFA, I got a new phone.",
    "Hi! It's {PERSON} again, the order {-order} still hasn't arrived at {ADDRESS}.",
    "Server log: connection refused from {IP_ADDRESS} on port {-port}.",
    "Employee record - name {PERSON}, social security number {SSN}, start date {-date}.",
    "login: {EMAIL}\npassword: {SECRET}\nit stopped working after the update",
    "Please add {PERSON} and {PERSON} to the finance distribution list.",
    "Our billing contact is {PERSON}, {PHONE}, {EMAIL}.",
    "Delivery failed: nobody at {ADDRESS} to sign for it.",
    "Paid with {CREDIT_CARD} on {-date}, amount {-price} EUR, but no receipt.",
    "Salary should go to {IBAN} from next month, not the old account.",
    "Regards,\n{PERSON}\n{-job}\n{PHONE}",
    "Thanks, {PERSON} | {-company} | {EMAIL} | {PHONE}",
    "Hi {PERSON}, your ticket {-order} is resolved. Reply if it comes back.",
    "New hire paperwork for {PERSON}: DOB {DATE_OF_BIRTH}, SSN {SSN}.",
    "The webhook posts from {IP_ADDRESS}, can you allow-list it?",
    "wifi password is {SECRET} if anyone in the meeting room asks",
    "Visitor {PERSON} arrives Thursday, parking plate {-plate}.",
    "Can {PERSON} get admin rights on the build server? Manager approved.",
    "I'm {PERSON}, date of birth {DATE_OF_BIRTH}, calling about my pension.",
    "Contact me on {PHONE} or {EMAIL}, whichever is easier.",
    "Return address: {ADDRESS}",
    "The card {CREDIT_CARD} expired, use the company card on file instead.",
    "SEPA mandate for {PERSON}, IBAN {IBAN}, signed {-date}.",
    "ssh from {IP_ADDRESS} was blocked by the firewall at {-date}.",
    "{PERSON} from accounting says the {-company} invoice is wrong.",
    "Please change the emergency contact to {PERSON}, phone {PHONE}.",
    "Invoice address: {-company}, {ADDRESS}",
    "my email changed to {EMAIL} - can you update it in the CRM?",
    "Patient {PERSON}, born {DATE_OF_BIRTH}, requests her records.",
    "db user admin / password {SECRET} on the staging box",
]

NEGATIVE_TEMPLATES = [
    "Order {-order} shipped on {-date}, total {-price} USD.",
    "The book with ISBN {-isbn} is out of stock at {-company}.",
    "Scan barcode {-ean} at the front desk to check in the parcel.",
    "Commit {-sha1} broke the build on version {-version}.",
    "Request id {-uuid} failed with a timeout, please retry.",
    "Company car plate {-plate} is due for service on {-date}.",
    "Theme color {-color} does not match the brand guide.",
    "We're hiring a {-job} for the {-city} office.",
    "{-company} renewed the support contract until {-date}.",
    "The Postgres port {-port} is closed on the new host, version {-version}.",
    "Product EAN {-ean}, price {-price}, stock 14 units.",
    "Trace {-uuid} shows the retry at {-date}.",
]

CHECK_TEMPLATES = [
    "Good morning, my name is {PERSON} and I started on Monday. No laptop yet.",
    "Reach me on my mobile {PHONE} after 5pm please.",
    "We moved! Update the account to {ADDRESS} from the first of the month.",
    "Send the quote to {EMAIL} and cc me.",
    "{PERSON} <{EMAIL}> wrote: the export button does nothing.",
    "Missed call from {PHONE}, caller said she is {PERSON}.",
    "Courier address for the monitor: {PERSON}, {ADDRESS}",
    "Verification: SSN {SSN}, born {DATE_OF_BIRTH}, last name on file differs.",
    "Customer paid with {CREDIT_CARD} but the order shows unpaid.",
    "Direct debit should use {IBAN} - the old bank closed.",
    "Brute force attempts from {IP_ADDRESS}, 300 tries in a minute.",
    "The shared admin password ({SECRET}) was posted in the channel, rotate it.",
    "Name: {PERSON}\nEmail: {EMAIL}\nDate of birth: {DATE_OF_BIRTH}",
    "I'm {PERSON}, the new office manager at {ADDRESS}.",
    "Please ring {PERSON} at {PHONE} to confirm the appointment.",
    "Device {IP_ADDRESS} is sending spam, please quarantine it.",
    "Charge card number {CREDIT_CARD} for the annual plan.",
    "{PERSON} asked for read access; her address is {EMAIL}.",
    "Account holder {PERSON}, IBAN {IBAN}, reference {-order}.",
    "My birthday is {DATE_OF_BIRTH}, the form rejects it as invalid.",
    "Auto-reply from {EMAIL}: I am out of office until {-date}.",
    "Hey, {PERSON} again. Still waiting on order {-order} to {ADDRESS}.",
    "nginx: client {IP_ADDRESS} closed connection while reading response",
    "HR file: {PERSON}, SSN {SSN}, hired {-date}, {-job}.",
    "username {EMAIL} pw {SECRET} - worked yesterday",
    "Remove {PERSON} and add {PERSON} as approvers on the PO.",
    "Escalate to {PERSON} ({PHONE}) if the outage lasts past noon.",
    "Package returned to sender: {ADDRESS} is incomplete.",
    "Duplicate payment of {-price} on card {CREDIT_CARD}, please refund one.",
    "Change my payout account to {IBAN}, effective immediately.",
    "Best,\n{PERSON}\n{-company}\nMobile: {PHONE}",
    "-- {PERSON}, {-job}, {-company}, {PHONE}",
    "Dear {PERSON}, we have received your request {-uuid}.",
    "Onboarding: {PERSON}, birth date {DATE_OF_BIRTH}, social security {SSN}.",
    "Please whitelist {IP_ADDRESS} for the payment provider's callbacks.",
    "guest wifi pass: {SECRET}",
    "Visitor badge for {PERSON} from {-company} on {-date}.",
    "Grant {PERSON} access to the finance folder, approved by {PERSON}.",
    "This is {PERSON}, DOB {DATE_OF_BIRTH}. I need my tax form again.",
    "Text me at {PHONE} or write to {EMAIL}.",
    "Billing address: {ADDRESS}",
    "Card {CREDIT_CARD} was declined three times today.",
    "Refund to IBAN {IBAN} in the name of {PERSON}.",
    "Failed VPN handshake from {IP_ADDRESS} at {-date}.",
    "{PERSON} in marketing can't install {-company}'s plugin.",
    "Next of kin: {PERSON}, {PHONE}.",
    "Ship invoices to {-company}, attention accounts payable, {ADDRESS}",
    "pls update my email to {EMAIL} thx",
    "Member {PERSON}, date of birth {DATE_OF_BIRTH}, asks to close the account.",
    "root password on the old NAS was {SECRET}, we are decommissioning it",
]

CHECK_NEGATIVE_TEMPLATES = [
    "Invoice {-order} from {-company} is due on {-date}, {-price} in total.",
    "Reorder ISBN {-isbn}, two copies for the library.",
    "Barcode {-ean} does not scan at the till.",
    "Hotfix {-sha1} ships in release {-version}.",
    "Correlation id {-uuid} appears in both logs.",
    "Fleet van {-plate} needs new tyres before {-date}.",
    "Use {-color} for the buttons, not the old blue.",
    "Open role: {-job}, based in {-city}.",
    "{-company} sent the signed NDA on {-date}.",
    "Redis on port {-port} refuses connections after upgrading to {-version}.",
    "Item EAN {-ean}, unit price {-price}.",
    "Job {-uuid} finished at {-date} with warnings.",
]

KINDS = ["PERSON", "EMAIL", "PHONE", "ADDRESS", "SSN", "CREDIT_CARD", "IBAN", "IP_ADDRESS",
         "DATE_OF_BIRTH", "SECRET"]


def fill(template, f):
    """The text and its labelled spans, with code-point offsets."""
    out, entities, i = "", [], 0
    while i < len(template):
        if template[i] == "{":
            j = template.index("}", i)
            key = template[i + 1:j]
            if key.startswith("-"):
                out += negative(key[1:], f)
            else:
                v = value(key, f)
                entities.append({"type": key, "start": len(out), "end": len(out) + len(v)})
                out += v
            i = j + 1
        else:
            out += template[i]
            i += 1
    return out, entities


def main():
    lines = []
    for n in range(300):
        f = faker(pick_locale())
        templates, negatives = (CHECK_TEMPLATES, CHECK_NEGATIVE_TEMPLATES) if CHECK else \
            (TEMPLATES, NEGATIVE_TEMPLATES)
        template = templates[n % len(templates)] if n < 240 else negatives[n % len(negatives)]
        text, entities = fill(template, f)
        lines.append({"id": f"{'fc' if CHECK else 'fk'}{n:03d}", "text": text,
                      "entities": entities})
    with open(OUT, "w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"{len(lines)} texts, {sum(len(x['entities']) for x in lines)} values -> {OUT}")


if __name__ == "__main__":
    main()
