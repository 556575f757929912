#!/usr/bin/env python3
"""Writes tests/fixtures/pii_dev.jsonl: the development set for `helpdesk eval pii`.

Every value is generated (cards pass Luhn, IBANs mod-97, from a fixed seed), placed in a
template, and labelled with its code-point offsets. About a third of the lines are hard
negatives: ids, versions, dates, prices and names that look like personal data and are not.
Run it again to reproduce the file exactly; never edit the output by hand.
"""
import json
import random
import string
import sys

rng = random.Random(20261129)


def luhn_digit(body):
    total = 0
    for i, d in enumerate(reversed(body)):
        n = int(d)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str((10 - total % 10) % 10)


def card():
    prefix = rng.choice(["4", "51", "52", "55", "37", "6011"])
    length = 15 if prefix == "37" else 16
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    number = body + luhn_digit(body)
    sep = rng.choice(["", " ", "-", ".", "  ", "/"])
    if length == 15:
        groups = [number[:4], number[4:10], number[10:]]
    else:
        groups = [number[i:i + 4] for i in range(0, 16, 4)]
    return sep.join(groups)


def not_luhn_16():
    while True:
        n = "".join(rng.choice(string.digits) for _ in range(16))
        if luhn_digit(n[:-1]) != n[-1]:
            return n


def iban():
    country, length = rng.choice([("DE", 22), ("FR", 27), ("GB", 22), ("NL", 18), ("ES", 24), ("IT", 27)])
    if country == "GB":
        bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + "".join(rng.choice(string.digits) for _ in range(14))
    elif country == "NL":
        bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + "".join(rng.choice(string.digits) for _ in range(10))
    elif country == "IT":
        bban = rng.choice(string.ascii_uppercase) + "".join(rng.choice(string.digits) for _ in range(22))
    else:
        bban = "".join(rng.choice(string.digits) for _ in range(length - 4))
    rearranged = bban + country + "00"
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    check = 98 - int(numeric) % 97
    value = f"{country}{check:02d}{bban}"
    if rng.random() < 0.5:
        value = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
    return value


def ssn():
    area = rng.randint(1, 665)
    group = rng.randint(1, 99)
    serial = rng.randint(1, 9999)
    sep = rng.choice(["-", "-", " ", ""])
    return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"


FIRST = ["Maria", "John", "Aisha", "Wei", "Lars", "Sofia", "Rahul", "Chloé", "Mateo", "Olga", "Kwame", "Yuki", "Fatima", "Liam", "Ingrid"]
LAST = ["Garcia", "Smith", "Khan", "Zhang", "Andersen", "Rossi", "Patel", "Dubois", "Fernández", "Ivanova", "Mensah", "Tanaka", "Haddad", "Murphy", "Johansson"]


def email():
    user = rng.choice([f"{rng.choice(FIRST).lower()}.{rng.choice(LAST).lower()}", f"{rng.choice(FIRST).lower()}{rng.randint(1, 99)}", f"{rng.choice(FIRST)[0].lower()}_{rng.choice(LAST).lower()}+help"])
    user = user.encode("ascii", "ignore").decode() or "user"
    domain = rng.choice(["example.com", "mail.example.org", "corp.example.co.uk", "Example.DE", "uni.example.edu"])
    value = f"{user}@{domain}"
    return value.upper() if rng.random() < 0.1 else value


def phone():
    return rng.choice([
        f"+1 ({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
        f"{rng.randint(201, 989)}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
        f"+44 20 {rng.randint(7000, 8999)} {rng.randint(1000, 9999)}",
        f"+49 30 {rng.randint(10000000, 99999999)}",
        f"+33 {rng.randint(1, 9)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        f"+91 {rng.randint(70000, 99999)} {rng.randint(10000, 99999)}",
        f"+81 3-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        f"+61 4{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        f"+1{rng.randint(2012000000, 9899999999)}",
        f"0{rng.randint(1500, 1799)} {rng.randint(100000, 999999)}",
    ])


def ip():
    if rng.random() < 0.6:
        return ".".join(str(rng.randint(1, 254)) for _ in range(4))
    groups = [f"{rng.randint(0, 65535):x}" for _ in range(8)]
    if rng.random() < 0.5:
        return f"2001:db8::{groups[0]}:{groups[1]}"
    return ":".join(groups)


def secret():
    alnum = string.ascii_letters + string.digits
    return rng.choice([
        "sk_live_" + "".join(rng.choice(alnum) for _ in range(24)),
        "ghp_" + "".join(rng.choice(alnum) for _ in range(36)),
        "AKIA" + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(16)),
        "xoxb-" + "-".join("".join(rng.choice(string.digits) for _ in range(12)) for _ in range(2)) + "-" + "".join(rng.choice(alnum) for _ in range(24)),
        "AIza" + "".join(rng.choice(alnum + "-_") for _ in range(35)),
        "sk-" + "".join(rng.choice(alnum) for _ in range(48)),
        "eyJhbGciOiJIUzI1NiJ9." + "".join(rng.choice(alnum) for _ in range(30)) + "." + "".join(rng.choice(alnum + "-_") for _ in range(43)),
    ])


def password_value():
    return "".join(rng.choice(string.ascii_letters + string.digits + "!#$%") for _ in range(rng.randint(8, 14)))


def birth_date():
    y, m, d = rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([f"{m:02d}/{d:02d}/{y}", f"{d:02d}.{m:02d}.{y}", f"{y}-{m:02d}-{d:02d}", f"{d} {['January','March','June','October'][m % 4]} {y}"])


def address():
    return rng.choice([
        f"{rng.randint(1, 9999)} {rng.choice(['Oak', 'Maple', 'Main', 'Cedar', 'Elm'])} {rng.choice(['Street', 'Avenue', 'Rd', 'Blvd'])}, {rng.choice(['Springfield', 'Portland', 'Austin'])}, {rng.choice(['IL', 'OR', 'TX'])} {rng.randint(10000, 99999)}",
        f"{rng.randint(1, 200)} {rng.choice(['High Street', 'Baker Street', 'Church Lane'])}, London {rng.choice(['SW1A 1AA', 'NW1 6XE', 'EC1A 1BB'])}",
        f"{rng.choice(['Hauptstraße', 'Bahnhofstraße', 'Lindenweg'])} {rng.randint(1, 120)}, {rng.randint(10000, 99999)} {rng.choice(['Berlin', 'München', 'Köln'])}",
        f"{rng.randint(1, 80)} rue {rng.choice(['de la Paix', 'Victor Hugo', 'du Moulin'])}, {rng.randint(75001, 75020)} Paris",
    ])


def person():
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


POSITIVE = {
    "SSN": (ssn, ["My SSN is {v}, please update my payroll record.", "ssn: {v}", "Social security number {v} was rejected by the HR portal", "pls fix my tax form, ssn {v} thx"]),
    "CREDIT_CARD": (card, ["I was charged twice on card {v} last week.", "card number: {v} exp 09/27", "Refund to {v} please", "my visa {v} got declined at checkout"]),
    "IBAN": (iban, ["Please send the refund to IBAN {v}.", "bank account {v} (business)", "Our new IBAN is {v}, update the vendor record", "iban:{v}"]),
    "EMAIL": (email, ["Contact me at {v} about the laptop.", "reset link never arrived at {v}", "From: {v}", "cc {v} on the ticket please"]),
    "PHONE": (phone, ["Call me back on {v} after 3pm.", "my mobile is {v}", "Phone: {v}", "reach the site manager at {v} for access"]),
    "IP_ADDRESS": (ip, ["VPN fails from {v} since Monday.", "blocked source ip {v} in the firewall log", "the printer sits at {v}", "ssh to {v} times out"]),
    "SECRET": (secret, ["I pasted our key {v} in the config, is that a problem?", "token={v}", "the build log shows {v}", "use api key {v} for the integration"]),
    "DATE_OF_BIRTH": (birth_date, ["My date of birth is {v}.", "DOB: {v}", "born on {v}, please verify my identity", "birthdate {v} is wrong in my profile"]),
    "ADDRESS": (address, ["Ship the replacement to {v}.", "my home address is {v}", "deliver the monitor to {v} please", "New office: {v}"]),
    "PERSON": (person, ["Hi, this is {v} from accounting.", "{v} cannot log in since the update", "please give {v} access to the shared drive", "Thanks, {v}"]),
}

PASSWORDS = ["my password is {v}", "My Password is {v} and it expired", "pw: {v}", "the password {v} does not work anymore"]

NEGATIVES = [
    "Ticket INC-{n} is still open after three days.",
    "Order #{n} shipped on 2024-03-15.",
    "Invoice 2024-{n} was paid in full.",
    "Please upgrade to version {v}.",
    "The build 19.21.0.0 broke the installer.",
    "Meeting moved to 12/03/2024 at 10:30.",
    "The renewal costs $1,249.99 per year.",
    "Device id {u} is not enrolled.",
    "Commit {h} fixed the crash.",
    "Reference number {l} (not a card) is on the receipt.",
    "My card ending in 4242 was charged.",
    "Mail to user@localhost bounces.",
    "Cron mails root@host every night.",
    "Microsoft Teams and Salesforce are down.",
    "We need 25 licences for Adobe Acrobat.",
    "Room 4-120, building B, floor 3.",
    "The SLA is 99.95% uptime for Q3 2024.",
    "Deadline is 31.12.2025 for the migration.",
    "Password policy: at least 12 characters.",
    "Our API rate limit is 1000 requests per minute.",
    "Error code 0x80070005 when installing updates.",
    "Port 8080 and 443 must be open.",
    "The backup from 2023-11-02 is corrupt.",
    "Model XPS 15 9530 has a loose hinge.",
    "Serial number 5CD1234XYZ on the sticker.",
]


def place(template, value):
    before, after = template.split("{v}")
    text = before + value + after
    start = len(before)
    return text, start, start + len(value)


def typo(text):
    if rng.random() < 0.15 and len(text) > 12:
        i = rng.randint(0, len(text) - 2)
        if text[i].isalpha() and text[i + 1].isalpha():
            return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text


def main(out):
    lines = []
    n = 0
    for kind, (make, templates) in POSITIVE.items():
        for _ in range(22):
            value = make()
            template = rng.choice(templates)
            text, start, end = place(template, value)
            lead = typo(text[:start]) if "{v}" in template else text[:start]
            text = lead + text[start:]
            if rng.random() < 0.1:
                text = text.upper() if kind in ("EMAIL",) else text
            n += 1
            lines.append({"id": f"{kind.lower()}-{n}", "text": text, "entities": [{"type": kind, "start": start, "end": end}]})
    for _ in range(12):
        text, start, end = place(rng.choice(PASSWORDS), password_value())
        n += 1
        lines.append({"id": f"password-{n}", "text": text, "entities": [{"type": "SECRET", "start": start, "end": end}]})
    # Texts with two kinds at once.
    for _ in range(20):
        a, b = rng.sample(["SSN", "CREDIT_CARD", "IBAN", "EMAIL", "PHONE", "IP_ADDRESS"], 2)
        va, vb = POSITIVE[a][0](), POSITIVE[b][0]()
        first = f"Details: {va}"
        text = f"{first} and also {vb} for the record."
        s2 = len(first) + len(" and also ")
        n += 1
        lines.append({"id": f"mixed-{n}", "text": text, "entities": [
            {"type": a, "start": len("Details: "), "end": len(first)},
            {"type": b, "start": s2, "end": s2 + len(vb)}]})
    negatives = 0
    while negatives < 130:
        template = rng.choice(NEGATIVES)
        text = template.format(
            n=rng.randint(10000, 999999),
            v=rng.choice(["1.2.3", "10.4.22", "2.0.0-beta.3", "19.21.0.0", "4.18.2"]),
            u="%08x-%04x-%04x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(48)),
            h="%040x" % rng.getrandbits(160),
            l=not_luhn_16(),
        )
        n += 1
        negatives += 1
        lines.append({"id": f"negative-{n}", "text": typo(text), "entities": []})
    rng.shuffle(lines)
    with open(out, "w", encoding="utf-8") as f:
        for line in lines:
            chars = line["text"]
            for e in line["entities"]:
                assert 0 <= e["start"] < e["end"] <= len(chars), line
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"{out}: {len(lines)} lines, {negatives} hard negatives")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/pii_dev.jsonl")
