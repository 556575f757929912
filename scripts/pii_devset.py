#!/usr/bin/env python3
"""Writes the labelled sets for `helpdesk eval pii`.

    scripts/pii_devset.py            tests/fixtures/pii_dev.jsonl   (tune on this one)
    scripts/pii_devset.py --check    tests/fixtures/pii_check.jsonl (never tune on this)
    scripts/pii_devset.py --census   tests/fixtures/pii_census.jsonl (names as a population has them)
                                     and pii_census_cased.jsonl (the same in lower case or shouted)

Every value is generated (cards pass Luhn, IBANs mod-97, from a fixed seed), placed in a
template, and labelled with its code-point offsets. Templates, given names and negative
sentences are split in two disjoint pools: the development set draws from one, the check
set from the other, so the check set estimates how the detectors do on wording they were
not written against. About a third of each set is hard negatives: ids, versions, dates,
prices, hashes and names of products that look like personal data and are not. Run it
again to reproduce the files exactly; never edit the output by hand.
"""
import json
import random
import string
import sys

CHECK = "--check" in sys.argv
rng = random.Random(20261201 if "--census" in sys.argv else 20261130 if CHECK else 20261129)


def pool(items):
    """The half of `items` this set draws from: even positions for dev, odd for check."""
    return [x for i, x in enumerate(items) if i % 2 == (1 if CHECK else 0)]


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


def digits(n):
    return "".join(rng.choice(string.digits) for _ in range(n))


def card():
    prefix = rng.choice(["4", "51", "52", "55", "37", "6011", "2221"])
    length = 15 if prefix == "37" else 16
    body = prefix + digits(length - len(prefix) - 1)
    number = body + luhn_digit(body)
    sep = rng.choice(["", " ", "-", ".", "  ", "/", " "])
    if length == 15:
        groups = [number[:4], number[4:10], number[10:]]
    else:
        groups = [number[i:i + 4] for i in range(0, 16, 4)]
    return sep.join(groups)


def not_luhn_16():
    while True:
        n = digits(16)
        if luhn_digit(n[:-1]) != n[-1]:
            return n


def iban():
    country, length = rng.choice([("DE", 22), ("FR", 27), ("GB", 22), ("NL", 18), ("ES", 24), ("IT", 27), ("BE", 16), ("CH", 21), ("AT", 20)])
    if country in ("GB", "NL"):
        bank = "".join(rng.choice(string.ascii_uppercase) for _ in range(4))
        bban = bank + digits(length - 8)
    elif country == "IT":
        bban = rng.choice(string.ascii_uppercase) + digits(length - 5)
    else:
        bban = digits(length - 4)
    rearranged = bban + country + "00"
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    check = 98 - int(numeric) % 97
    value = f"{country}{check:02d}{bban}"
    style = rng.random()
    if style < 0.45:
        value = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
    elif style < 0.55:
        value = value.lower()
    return value


def ssn():
    area = rng.choice([rng.randint(1, 665), rng.randint(667, 899)])
    group = rng.randint(1, 99)
    serial = rng.randint(1, 9999)
    sep = rng.choice(["-", "-", "-", " ", ""])
    return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"


GIVEN = ["Maria", "John", "Aisha", "Wei", "Lars", "Sofia", "Rahul", "Chloé", "Mateo", "Olga", "Kwame", "Yuki",
         "Fatima", "Liam", "Ingrid", "Daniel", "Priya", "Carlos", "Emma", "Hiroshi", "Anna", "Omar", "Lucía", "Peter",
         "Sarah", "Ahmed", "Elena", "Jonas", "Camille", "David", "Mohammed", "Julia", "Thomas", "Nadia", "Sven", "Laura"]
FAMILY = ["Garcia", "Smith", "Khan", "Zhang", "Andersen", "Rossi", "Patel", "Dubois", "Fernández", "Ivanova", "Mensah",
          "Tanaka", "Haddad", "Murphy", "Johansson", "Müller", "Nowak", "O'Brien", "Kowalski", "Silva", "Nguyen",
          "van der Berg", "Schmidt", "Lopez", "Okafor", "Novak", "Jensen", "Moreau", "Costa", "Walker"]
FIRST = pool(GIVEN)
LAST = FAMILY


def email():
    first = rng.choice(FIRST).lower().encode("ascii", "ignore").decode() or "user"
    last = rng.choice(LAST).lower().replace(" ", "").replace("'", "").encode("ascii", "ignore").decode() or "x"
    user = rng.choice([f"{first}.{last}", f"{first}{rng.randint(1, 99)}", f"{first[0]}_{last}+help", f"{last}.{first}", f"it-{first}"])
    domain = rng.choice(["example.com", "mail.example.org", "corp.example.co.uk", "Example.DE", "uni.example.edu", "example.io", "sub.dept.example.net"])
    value = f"{user}@{domain}"
    return value.upper() if rng.random() < 0.1 else value


def phone():
    return rng.choice([
        f"+1 ({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
        f"{rng.randint(201, 989)}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
        f"({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
        f"{rng.randint(201, 989)}.{rng.randint(200, 999)}.{rng.randint(1000, 9999)}",
        f"+44 20 {rng.randint(7000, 8999)} {rng.randint(1000, 9999)}",
        f"+44 7{rng.randint(400, 999)} {rng.randint(100000, 999999)}",
        f"+49 30 {rng.randint(10000000, 99999999)}",
        f"+49 151 {rng.randint(1000000, 9999999)}",
        f"+33 {rng.randint(1, 9)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        f"+34 6{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        f"+39 06 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
        f"+91 {rng.randint(70000, 99999)} {rng.randint(10000, 99999)}",
        f"+81 3-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        f"+61 4{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        f"+55 11 9{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        f"+1{rng.randint(2012000000, 9899999999)}",
        f"0{rng.randint(1500, 1799)} {rng.randint(1000000, 9999999)}",
        f"0044 20 {rng.randint(7000, 8999)} {rng.randint(1000, 9999)}",
    ])


def ip():
    r = rng.random()
    if r < 0.55:
        return ".".join(str(rng.randint(1, 254)) for _ in range(4))
    groups = [f"{rng.randint(0, 65535):x}" for _ in range(8)]
    if r < 0.75:
        return f"2001:db8::{groups[0]}:{groups[1]}"
    if r < 0.85:
        return f"fe80::{groups[2]}:{groups[3]}:{groups[4]}"
    return ":".join(groups)


def secret():
    alnum = string.ascii_letters + string.digits
    s = lambda n, chars=alnum: "".join(rng.choice(chars) for _ in range(n))
    return rng.choice([
        "sk_live_" + s(24),
        "rk_test_" + s(24),
        "ghp_" + s(36),
        "github_pat_" + s(22) + "_" + s(59),
        "AKIA" + s(16, string.ascii_uppercase + string.digits),
        "xoxb-" + digits(12) + "-" + digits(12) + "-" + s(24),
        "xoxp-" + digits(11) + "-" + digits(11) + "-" + digits(12) + "-" + s(32, "0123456789abcdef"),
        "AIza" + s(35, alnum + "-_"),
        "sk-" + s(48),
        "sk-proj-" + s(40, alnum + "-_"),
        "eyJhbGciOiJIUzI1NiJ9." + "eyJ" + s(30) + "." + s(43, alnum + "-_"),
    ])


def password_value():
    return "".join(rng.choice(string.ascii_letters + string.digits + "!#$%") for _ in range(rng.randint(8, 14)))


MONTHS = ["January", "February", "March", "April", "June", "July", "October", "December"]


def birth_date():
    y, m, d = rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([f"{m:02d}/{d:02d}/{y}", f"{d:02d}.{m:02d}.{y}", f"{y}-{m:02d}-{d:02d}",
                       f"{d} {rng.choice(MONTHS)} {y}", f"{rng.choice(MONTHS)} {d}, {y}", f"{m}/{d}/{y % 100:02d}"])


def address():
    return rng.choice([
        f"{rng.randint(1, 9999)} {rng.choice(['Oak', 'Maple', 'Main', 'Cedar', 'Elm', 'Lincoln', 'Park'])} {rng.choice(['Street', 'Avenue', 'Rd', 'Blvd', 'Drive', 'Lane'])}, {rng.choice(['Springfield', 'Portland', 'Austin', 'Columbus'])}, {rng.choice(['IL', 'OR', 'TX', 'OH'])} {rng.randint(10000, 99999)}",
        f"{rng.randint(1, 999)} {rng.choice(['Pine', 'Washington', 'Sunset'])} {rng.choice(['St', 'Ave', 'Way'])}, Apt {rng.randint(1, 40)}{rng.choice('ABC')}, {rng.choice(['Denver', 'Seattle'])}, {rng.choice(['CO', 'WA'])} {rng.randint(10000, 99999)}",
        f"{rng.randint(1, 200)} {rng.choice(['High Street', 'Baker Street', 'Church Lane', 'Station Road', 'Victoria Road'])}, {rng.choice(['London', 'Leeds', 'Bristol'])} {rng.choice(['SW1A 1AA', 'NW1 6XE', 'EC1A 1BB', 'LS1 4AP', 'BS1 5TR'])}",
        f"{rng.choice(['Hauptstraße', 'Bahnhofstraße', 'Lindenweg', 'Schillerstr.', 'Marktplatz'])} {rng.randint(1, 120)}, {rng.randint(10000, 99999)} {rng.choice(['Berlin', 'München', 'Köln', 'Hamburg'])}",
        f"{rng.randint(1, 80)} rue {rng.choice(['de la Paix', 'Victor Hugo', 'du Moulin', 'des Lilas'])}, {rng.randint(75001, 75020)} Paris",
        f"{rng.choice(['Keizersgracht', 'Prinsengracht', 'Damstraat'])} {rng.randint(1, 400)}, {rng.randint(1000, 1099)} {rng.choice(['AB', 'XK', 'LM'])} Amsterdam",
        f"Calle {rng.choice(['Mayor', 'de Alcalá', 'Serrano'])} {rng.randint(1, 150)}, {rng.randint(28001, 28050)} Madrid",
        f"Via {rng.choice(['Roma', 'Garibaldi', 'Dante'])} {rng.randint(1, 150)}, {rng.randint(10121, 10156)} Torino",
    ])


def person():
    return rng.choice([f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"{rng.choice(FIRST)} {rng.choice(LAST)}", rng.choice(FIRST)])


PERSON_TEMPLATES = ["Hi, this is {v} from accounting.", "{v} cannot log in since the update", "please give {v} access to the shared drive", "Thanks, {v}",
                    "My name is {v} and my laptop is broken", "Regards, {v}", "Can {v} approve the purchase?", "Dear {v}, your ticket is closed"]

POSITIVE = {
    "SSN": (ssn, pool(["My SSN is {v}, please update my payroll record.", "ssn: {v}", "Social security number {v} was rejected by the HR portal",
                       "pls fix my tax form, ssn {v} thx", "SSN {v} appears twice in the benefits tool", "my social security no. is {v}",
                       "W-2 shows the wrong SSN ({v})", "Employee SSN: {v}"])),
    "CREDIT_CARD": (card, pool(["I was charged twice on card {v} last week.", "card number: {v} exp 09/27", "Refund to {v} please",
                                "my visa {v} got declined at checkout", "CC {v} cvv 123", "use my mastercard {v} for the renewal",
                                "The payment with {v} failed", "billing card {v}, please update"])),
    "IBAN": (iban, pool(["Please send the refund to IBAN {v}.", "bank account {v} (business)", "Our new IBAN is {v}, update the vendor record",
                         "iban:{v}", "Wire it to {v} please", "IBAN {v} belongs to our Munich office", "payee account: {v}", "SEPA transfer to {v} bounced"])),
    "EMAIL": (email, pool(["Contact me at {v} about the laptop.", "reset link never arrived at {v}", "From: {v}", "cc {v} on the ticket please",
                           "my new address is {v}", "Forward the invoice to {v}.", "login {v} is locked", "<{v}> wrote:"])),
    "PHONE": (phone, pool(["Call me back on {v} after 3pm.", "my mobile is {v}", "Phone: {v}", "reach the site manager at {v} for access",
                           "tel. {v}", "You can text me at {v}", "my number changed to {v}", "whatsapp {v} if urgent"])),
    "IP_ADDRESS": (ip, pool(["VPN fails from {v} since Monday.", "blocked source ip {v} in the firewall log", "the printer sits at {v}", "ssh to {v} times out",
                             "DHCP gave me {v} again", "my home IP is {v}", "ping {v} loses packets", "allowlist {v} please"])),
    "SECRET": (secret, pool(["I pasted our key {v} in the config, is that a problem?", "token={v}", "the build log shows {v}", "use api key {v} for the integration",
                             "Authorization: Bearer {v}", "export API_TOKEN={v}", "slack bot token {v} stopped working", "secret: {v}"])),
    "DATE_OF_BIRTH": (birth_date, pool(["My date of birth is {v}.", "DOB: {v}", "born on {v}, please verify my identity", "birthdate {v} is wrong in my profile",
                                        "D.O.B. {v}", "I was born {v} and the form says otherwise", "birthday: {v}", "Date of birth {v} (per passport)"])),
    "ADDRESS": (address, pool(["Ship the replacement to {v}.", "my home address is {v}", "deliver the monitor to {v} please", "New office: {v}",
                               "Send the badge to {v}", "Address: {v}", "we moved to {v} last month", "courier pickup at {v}"])),
    "PERSON": (person, pool(PERSON_TEMPLATES)),
}

PASSWORDS = pool(["my password is {v}", "My Password is {v} and it expired", "pw: {v}", "the password {v} does not work anymore",
                  "password={v}", "I set the password to {v} yesterday", "temp password: {v}", "Passwort: {v}"])

NEGATIVES = pool([
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
    "Case {n} was escalated to tier 2.",
    "Firmware 10.2.1.4 is rolling out tonight.",
    "The quote is €3.499,00 excluding VAT.",
    "SHA-256 {h}{h2} matches the download.",
    "Tracking number 1Z{n}{n} is stuck in Memphis.",
    "Reset your password at the portal, not by email.",
    "Google Chrome and Mozilla Firefox both crash.",
    "Uptime was 1234567 seconds before the reboot.",
    "The contract runs from 01/01/2024 to 31/12/2026.",
    "Jenkins job 4521 failed on node build-07.",
    "PO 4500123456 is waiting for approval.",
    "Set the timeout to 300 seconds and retry 5 times.",
    "Account 'svc-backup' needs a new API key, ask security.",
    "Use the token endpoint /oauth/token for service logins.",
    "Windows 11 23H2 build 22631.3007 is installed.",
])


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
            # Typos and shouting only in the words around the value, so offsets hold.
            lead = typo(text[:start])
            if rng.random() < 0.08:
                lead = lead.upper()
            text = lead + text[start:]
            n += 1
            lines.append({"id": f"{kind.lower()}-{n}", "text": text, "entities": [{"type": kind, "start": start, "end": end}]})
    for _ in range(12):
        text, start, end = place(rng.choice(PASSWORDS), password_value())
        n += 1
        lines.append({"id": f"password-{n}", "text": text, "entities": [{"type": "SECRET", "start": start, "end": end}]})
    # Texts with two kinds at once.
    for _ in range(24):
        a, b = rng.sample(["SSN", "CREDIT_CARD", "IBAN", "EMAIL", "PHONE", "IP_ADDRESS", "PERSON", "SECRET"], 2)
        va, vb = POSITIVE[a][0](), POSITIVE[b][0]()
        first = f"{rng.choice(['Details', 'For the record', 'Update'])}: {va}"
        joint = rng.choice([" and also ", "; second one ", ", plus "])
        text = f"{first}{joint}{vb} for the ticket."
        s1 = first.index(va)
        s2 = len(first) + len(joint)
        n += 1
        lines.append({"id": f"mixed-{n}", "text": text, "entities": [
            {"type": a, "start": s1, "end": s1 + len(va)},
            {"type": b, "start": s2, "end": s2 + len(vb)}]})
    negatives = 0
    while negatives < 140:
        template = rng.choice(NEGATIVES)
        text = template.format(
            n=rng.randint(10000, 999999),
            v=rng.choice(["1.2.3", "10.4.22", "2.0.0-beta.3", "19.21.0.0", "4.18.2", "6.1.0.12"]),
            u="%08x-%04x-%04x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(48)),
            h="%040x" % rng.getrandbits(160),
            h2="%024x" % rng.getrandbits(96),
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


def census_set(out):
    """Names as a population has them: 400 texts, each with a name drawn by frequency from
    the whole 1990 US census lists (the `names` package on PyPI), in the PERSON templates
    of both pools. The detector's lists take the census's most common names
    (scripts/census_names.py), so this measures how much of a real population's names
    they cover, not wording the detector has not seen."""
    try:
        import names
    except ImportError:
        sys.exit("pii_devset.py: the census set needs the names package: pip install names==0.3.0")
    import os

    def weighted(file):
        with open(os.path.join(os.path.dirname(names.__file__), file), encoding="utf-8") as f:
            rows = [line.split() for line in f]
        return [r[0].capitalize() for r in rows], [float(r[1]) for r in rows]

    given = [weighted("dist.male.first"), weighted("dist.female.first")]
    family, family_weights = weighted("dist.all.last")
    lines = []
    for n in range(400):
        first_names, weights = rng.choice(given)
        first = rng.choices(first_names, weights)[0]
        value = first if rng.random() < 0.3 else f"{first} {rng.choices(family, family_weights)[0]}"
        text, start, end = place(rng.choice(PERSON_TEMPLATES), value)
        lines.append({"id": f"census-{n + 1}", "text": text, "entities": [{"type": "PERSON", "start": start, "end": end}]})
    write(out, lines)
    # The same texts typed in lower case or shouted, alternately (ASCII: offsets hold).
    cased = [dict(line, text=line["text"].lower() if i % 2 == 0 else line["text"].upper())
             for i, line in enumerate(lines)]
    assert all(line["text"].isascii() for line in lines)
    write(out.replace(".jsonl", "_cased.jsonl"), cased)


def write(out, lines):
    with open(out, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"{out}: {len(lines)} lines")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--census" in sys.argv:
        census_set(args[0] if args else "tests/fixtures/pii_census.jsonl")
        sys.exit(0)
    default = "tests/fixtures/pii_check.jsonl" if CHECK else "tests/fixtures/pii_dev.jsonl"
    main(args[0] if args else default)
