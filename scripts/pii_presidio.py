#!/usr/bin/env python3
"""Microsoft Presidio's analyzer on a `helpdesk eval pii` set, scored the same way.

A detected span counts when it overlaps a labelled span of the same type; the final line
has the same shape as `helpdesk eval pii`'s. Presidio's entity names are mapped onto ours
(US_SSN → SSN, PHONE_NUMBER → PHONE, IBAN_CODE → IBAN, DATE_TIME → DATE_OF_BIRTH,
LOCATION → ADDRESS, CRYPTO/US_BANK_NUMBER → not counted…).

    python3 -m venv .presidio && .presidio/bin/pip install presidio-analyzer
    .presidio/bin/python scripts/pii_presidio.py tests/fixtures/pii_dev.jsonl [--model NAME]

Without --model it runs Presidio's pattern recognizers on a tokenizer-only spaCy pipeline
(`spacy.blank("en")`: context words work, there is no NER). With --model it loads that
installed spaCy model and adds Presidio's NER (PERSON, LOCATION, DATE_TIME).
"""
import argparse
import json
import sys
import time
from collections import defaultdict

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import SpacyNlpEngine

MAPPING = {
    "US_SSN": "SSN",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN",
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "IP_ADDRESS": "IP_ADDRESS",
    "PERSON": "PERSON",
    "LOCATION": "ADDRESS",
    "DATE_TIME": "DATE_OF_BIRTH",
}


def engine(model):
    if model:
        nlp = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": model}])
    else:
        import spacy

        class BlankEngine(SpacyNlpEngine):
            def load(self):
                self.nlp = {"en": spacy.blank("en")}

        nlp = BlankEngine(models=[{"lang_code": "en", "model_name": "blank"}])
    nlp.load()
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(nlp_engine=nlp)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("set")
    parser.add_argument("--model", default=None)
    parser.add_argument("--threshold", type=float, default=0.3)
    args = parser.parse_args()
    cases = [json.loads(line) for line in open(args.set, encoding="utf-8") if line.strip()]
    analyzer = engine(args.model)
    analyzer.analyze(text="warm up 202-555-0143", language="en")
    started = time.perf_counter()
    found = []
    for case in cases:
        results = analyzer.analyze(text=case["text"], language="en", score_threshold=args.threshold)
        found.append([(MAPPING[r.entity_type], r.start, r.end) for r in results if r.entity_type in MAPPING])
    per_sec = len(cases) / (time.perf_counter() - started)
    tally = defaultdict(lambda: {"detected": 0, "correct": 0, "labelled": 0, "found": 0})
    for case, spans in zip(cases, found):
        for e in case["entities"]:
            t = tally[e["type"]]
            t["labelled"] += 1
            if any(k == e["type"] and overlaps((s, x), (e["start"], e["end"])) for k, s, x in spans):
                t["found"] += 1
        for kind, s, x in spans:
            t = tally[kind]
            t["detected"] += 1
            if any(kind == e["type"] and overlaps((s, x), (e["start"], e["end"])) for e in case["entities"]):
                t["correct"] += 1
    total = {k: sum(t[k] for t in tally.values()) for k in ("detected", "correct", "labelled", "found")}
    ratio = lambda a, b: round(a / b, 4) if b else 1.0
    precision = ratio(total["correct"], total["detected"])
    recall = ratio(total["found"], total["labelled"])
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    per_type = {k: {"precision": ratio(t["correct"], t["detected"]), "recall": ratio(t["found"], t["labelled"])}
                for k, t in sorted(tally.items())}
    print(json.dumps({"cases": len(cases), "precision": precision, "recall": recall, "f1": f1,
                      "per_type": per_type, "per_sec": round(per_sec)}, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
