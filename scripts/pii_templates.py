#!/usr/bin/env python3
"""Renders Microsoft Presidio's evaluation templates with Faker as a `helpdesk eval pii` set.

    python3 -m venv .faker && .faker/bin/pip install faker==40.63.0
    .faker/bin/python scripts/pii_templates.py OUT.jsonl [--seed N] [--repeat K]
    helpdesk eval pii --set OUT.jsonl

Every other labelled set here was written by this project: its templates, and so the
voice around each value, are ours. presidio-evaluator (MIT) ships 200-odd templates that
other people wrote to test PII detection: bank and card requests, chat turns, signatures,
postal blocks behind quote marks, song reviews and news sentences full of names. This
script downloads that wheel with pip (pinned, checked against its SHA-256, cached under
~/.cache/helpdesk-pii), reads the templates from it and fills them with Faker, so the
texts are never stored in this repository.

Labels follow this project's ten types. Every name placeholder is a PERSON (a lone given or
family name too); `{{address}}` and a run of address parts that opens with a building
number (or a unit right before one) are one ADDRESS; cards, phones, e-mail addresses,
IBANs, SSNs and IPv4 addresses are labelled; a date of birth only where the template says
so ("born on", "date of birth"). Cities, countries, companies, a street's name alone, a ZIP
code alone, links, ages, years, jobs and driver's licences are not personal data of our
types and are left unlabelled. Locales: mostly en_US, as Presidio's own generator; some
British, Canadian, Australian, German, French and Spanish values.
"""
import argparse
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import zipfile

from faker import Faker

WHEEL = "presidio_evaluator-0.3.2-py3-none-any.whl"
SHA256 = "57614fe604e52b78e6de25b767c59265886b93bbcdc6c7e43ab2657d3f6302be"
CACHE = os.path.join(os.path.expanduser("~"), ".cache", "helpdesk-pii")
MEMBER = "presidio_evaluator/data_generator/raw_data/templates.txt"
LOCALES = [("en_US", 70), ("en_GB", 10), ("en_CA", 5), ("en_AU", 5), ("de_DE", 4),
           ("fr_FR", 3), ("es_ES", 3)]
PERSON = {"person", "name", "name_male", "name_female", "first_name", "first_name_male",
          "first_name_female", "first_name_nonbinary", "last_name", "last_name_male",
          "last_name_female"}
ADDRESS_PARTS = {"building_number", "street_name", "secondary_address", "city", "state_abbr",
                 "zipcode", "postcode", "country"}
LABEL = {"credit_card_number": "CREDIT_CARD", "phone_number": "PHONE", "email": "EMAIL",
         "iban": "IBAN", "ssn": "SSN", "ip_address": "IP_ADDRESS", "address": "ADDRESS"}
NATIONALITIES = ["Canadian", "French", "German", "Mexican", "Irish", "Japanese", "Italian"]


def templates():
    wheel = os.path.join(CACHE, WHEEL)
    if not os.path.exists(wheel):
        os.makedirs(CACHE, exist_ok=True)
        print("downloading presidio-evaluator 0.3.2 …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d",
                        CACHE, "presidio-evaluator==0.3.2"], check=True)
    with open(wheel, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != SHA256:
        sys.exit(f"{wheel}: SHA-256 {digest}, expected {SHA256}")
    with zipfile.ZipFile(wheel) as z:
        lines = z.read(MEMBER).decode("utf-8-sig").splitlines()
    # One template uses single braces ("The corner of {street_name} and …"): not a template.
    return [t for t in lines if t.strip() and not re.search(r"(?<!\{)\{\w+\}(?!\})", t)]


class Values:
    def __init__(self, rng):
        self.rng = rng
        self.fakers = {}

    def faker(self, locale):
        if locale not in self.fakers:
            f = Faker(locale)
            f.seed_instance(self.rng.randrange(1 << 30))
            self.fakers[locale] = f
        return self.fakers[locale]

    def value(self, name, f):
        rng = self.rng
        if name in ("person", "name"):
            return f.name()
        if name == "first_name_nonbinary":
            return f.first_name()
        if name == "date_of_birth":
            d = f.date_of_birth(minimum_age=18, maximum_age=90)
            return d.strftime(rng.choice(["%m/%d/%Y", "%Y-%m-%d", "%B %-d, %Y", "%-d %B %Y",
                                          "%d/%m/%Y", "%b %d, %Y"]))
        if name == "date_time":
            return f.date_time().strftime(rng.choice(["%Y-%m-%d %H:%M", "%B %d, %Y", "%d/%m/%Y"]))
        if name in ("nation_woman", "nation_plural", "nationality"):
            return rng.choice(NATIONALITIES)
        if name == "organization":
            return f.company()
        if name == "us_driver_license":
            return f.bothify("?#######").upper()
        if name == "age":
            return str(rng.randint(18, 90))
        if name == "year":
            return str(rng.randint(1950, 2023))
        if name == "ip_address":
            return f.ipv4()
        for provider in (f, self.faker("en_US")):
            for attr in ((name, "postcode") if name == "zipcode" else (name,)):
                try:
                    return str(getattr(provider, attr)())
                except AttributeError:
                    pass
        sys.exit(f"no Faker provider for {{{{{name}}}}}")

    def render(self, template, f):
        """The text and its labelled spans, with code-point offsets."""
        parts = re.split(r"\{\{(\w+)\}\}", template.replace("\\n", "\n").replace("\\,", ","))
        text, spans, opened, closed = "", [], None, None
        for i, part in enumerate(parts):
            if i % 2 == 0:
                # An address run goes on across separators, quote marks and "St.".
                if opened is not None and not re.fullmatch(r"[\s,>?]*(?:St\.?)?[\s,>?]*", part):
                    spans.append(("ADDRESS", opened, closed))
                    opened = None
                text += part
                continue
            start = len(text)
            text += self.value(part, f)
            unit_first = part == "secondary_address" and parts[i + 2:i + 3] == ["building_number"]
            if opened is None and (part == "building_number" or unit_first):
                opened = start
            if opened is not None and part in ADDRESS_PARTS:
                closed = len(text)
                continue
            if opened is not None:
                spans.append(("ADDRESS", opened, closed))
                opened = None
            if part in PERSON:
                spans.append(("PERSON", start, len(text)))
            elif part in LABEL:
                spans.append((LABEL[part], start, len(text)))
            elif part == "date_of_birth" and re.search(r"born|date of birth", template):
                spans.append(("DATE_OF_BIRTH", start, len(text)))
        if opened is not None:
            spans.append(("ADDRESS", opened, closed))
        return text, spans


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--repeat", type=int, default=3, help="renderings of each template")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    values = Values(rng)
    names, weights = zip(*LOCALES)
    count = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for _ in range(args.repeat):
            for template in templates():
                text, spans = values.render(template, values.faker(rng.choices(names, weights)[0]))
                entities = [{"type": k, "start": s, "end": e} for k, s, e in spans]
                out.write(json.dumps({"id": f"pt{count:04d}", "text": text, "entities": entities},
                                     ensure_ascii=False) + "\n")
                count += 1
    print(f"{count} texts → {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
