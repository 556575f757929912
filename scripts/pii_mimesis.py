#!/usr/bin/env python3
"""Writes tests/fixtures/pii_mimesis.jsonl: ticket texts holding values made by Mimesis.

    python3 -m venv .mimesis && .mimesis/bin/pip install mimesis==22.2.0
    .mimesis/bin/python scripts/pii_mimesis.py            tests/fixtures/pii_mimesis.jsonl (tune on this)
    .mimesis/bin/python scripts/pii_mimesis.py --check    tests/fixtures/pii_mimesis_check.jsonl

Mimesis (MIT) is the other widely used fake-data library. Its locales format values
their own way, and not as Faker does: national phone numbers in each country's groups
with no trunk prefix ("986 731 385", "57 06 80 69", "+33 777020477"), streets of Nordic,
Dutch, German and Brazilian towns with their postcodes ("Torsångsvägen 105, 935 35
Klädesholmen", "Hesselterbrink 431, 1626 DV Ilpendam", "Rua Maranhão 487, 92943-678 São
Luís"), and names of thirteen languages. Addresses are written in each country's order
from Mimesis's parts. A sixth of the texts hold only look-alikes (order numbers, versions,
prices, years, plain dates). The check set has its own templates, written before either
set first ran, and its own seed: the rules are never fitted on it. A fixed seed: run it
again to reproduce the files exactly.
"""
import json
import os
import random
import re
import sys

from mimesis import Address, Internet, Payment, Person
from mimesis.locales import Locale

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECK = "--check" in sys.argv
OUT = os.path.join(ROOT, "tests", "fixtures",
                   "pii_mimesis_check.jsonl" if CHECK else "pii_mimesis.jsonl")
rng = random.Random(20261209 if CHECK else 20261208)
LOCALES = [Locale.EN, Locale.EN_GB, Locale.EN_CA, Locale.EN_AU, Locale.DE, Locale.FR, Locale.ES,
           Locale.IT, Locale.NL, Locale.PT_BR, Locale.PL, Locale.SV, Locale.DA]

DEV = [
    "Hi, I'm {PERSON} and I can't log in since the update.",
    "Please call me back on {PHONE}, thanks.",
    "My new address is {ADDRESS}. Please update the billing.",
    "Card {CREDIT_CARD} was charged twice for order {-order}.",
    "Reach me at {EMAIL} or {PHONE}.",
    "Ship the replacement to {ADDRESS}",
    "Regards,\n{PERSON}\n{PHONE}",
    "The VPN blocks {IP_ADDRESS} since version {-version}.",
    "Contact person: {PERSON}, tel. {PHONE}",
    "Deliver to: {PERSON}, {ADDRESS}",
    "Invoice {-order} for {-price} is still open, see ticket {-ticket}.",
    "We upgraded to {-version} on {-date}; nothing else changed since {-year}.",
]
CHECK_TEMPLATES = [
    "Hello, {PERSON} here from accounting - the printer on floor 3 is jammed again.",
    "You can ring me any time on {PHONE} before 6pm.",
    "Please send the new badge to {ADDRESS}, I moved last month.",
    "Refund the payment made with {CREDIT_CARD} please, order {-order}.",
    "My email is {EMAIL}, mobile {PHONE}.",
    "Billing address:\n{PERSON}\n{ADDRESS}",
    "Thanks,\n{PERSON}\n{EMAIL}\n{PHONE}",
    "Traffic from {IP_ADDRESS} was blocked by the firewall at {-time}.",
    "Our visitor {PERSON} needs a guest login for {-date}.",
    "The courier could not find {ADDRESS}. Can you confirm?",
    "Quote {-order}: {-price}, valid until {-date}, build {-version}.",
    "Please close ticket {-ticket}; fixed in release {-version} ({-year}).",
]


def address(locale, a):
    if locale == Locale.EN:
        return f"{a.address()}, {a.city()}, {a.state(abbr=True)} {a.zip_code()}"
    if locale == Locale.EN_CA:
        return f"{a.address()}, {a.city()}, {a.state(abbr=True).split('-')[-1]} {a.postal_code()}"
    if locale == Locale.EN_AU:
        return f"{a.address()}, {a.city()} {a.state(abbr=True)} {a.postal_code()}"
    if locale == Locale.EN_GB:
        return f"{a.address()}, {a.city()} {a.postal_code()}"
    return f"{a.address()}, {a.postal_code()} {a.city()}"


def negative(kind):
    if kind == "order":
        return rng.choice(["#", "ORD-", "INV-", ""]) + str(rng.randrange(10**5, 10**9))
    if kind == "ticket":
        return f"#{rng.randrange(1000, 99999)}"
    if kind == "version":
        return ".".join(str(rng.randrange(0, 30)) for _ in range(rng.choice([2, 3, 4])))
    if kind == "price":
        return rng.choice(["$", "€", "£"]) + f"{rng.randrange(5, 5000)}.{rng.randrange(100):02d}"
    if kind == "date":
        return f"{rng.randrange(2019, 2027)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    if kind == "year":
        return str(rng.randrange(1995, 2027))
    if kind == "time":
        return f"{rng.randrange(24):02d}:{rng.randrange(60):02d}"
    raise ValueError(kind)


def main():
    templates = CHECK_TEMPLATES if CHECK else DEV
    with open(OUT, "w", encoding="utf-8") as out:
        for n in range(400):
            locale = rng.choice(LOCALES)
            seed = rng.randrange(1 << 30)
            person, place = Person(locale, seed=seed), Address(locale, seed=seed)
            values = {
                "PERSON": person.full_name(),
                "PHONE": person.telephone(),
                "ADDRESS": address(locale, place),
                "CREDIT_CARD": Payment(seed=seed).credit_card_number(),
                "EMAIL": person.email(),
                "IP_ADDRESS": Internet(seed=seed).ip_v4(),
            }
            text, entities = "", []
            for part in re.split(r"(\{-?[A-Za-z_]+\})", templates[n % len(templates)]):
                if part.startswith("{-"):
                    text += negative(part[2:-1])
                elif part.startswith("{"):
                    start = len(text)
                    text += values[part[1:-1]]
                    entities.append({"type": part[1:-1], "start": start, "end": len(text)})
                else:
                    text += part
            prefix = "mc" if CHECK else "mm"
            out.write(json.dumps({"id": f"{prefix}{n:03d}", "text": text, "entities": entities},
                                 ensure_ascii=False) + "\n")
    print(f"400 texts → {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
