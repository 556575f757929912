#!/usr/bin/env python3
"""Fits the answer-sentence probe (src/knowledge/answer_sentence.rs) and measures it inside
scripts/fit_answers.py's cross-validation.

Input: the JSONL of `helpdesk eval chat --signals`, one file per question set, as for
fit_answers.py (every threshold open). Each row's `readings` are the sentences the search
read together with the question: their page, text, cosine and the unit MiniLM vector of
`question [SEP] sentence`. A reading is labelled an answer when its page is relevant and it
holds one of the question's key facts (the question sets' `key_facts`, read from
SETS_DIR/<set>.jsonl); answerable questions without a labelled reading teach nothing, every
reading of an unanswerable question is a non-answer.

The probe is an L2 logistic (scikit-learn, C below, classes balanced) on the joint vector
and the cosine; a question's `answer_sentence` is its best reading's log-odds. A second,
question-level probe is fitted the same way on each question's own vector (the row's
`query_vector`) and its readings' best cosine, labelled by whether the question is
answerable, so that every question teaches it; its log-odds are `answer_question`
(session 43; session 39's read the readings' joint vectors averaged). Inside every
fold of fit_answers.py the probe is fitted on the fitting questions only: the held-out
questions are scored by it, the fitting questions by an inner 3-fold cross-fit (so that the
logistics above it are fitted on scores the probe did not see the labels of), and the
held-out questions by the mean of those three probes. The fit on all questions works the
same way; with --write the mean of its three probes is written as Rust.

    HELPDESK_READINGS=3 scripts/fit_detector.py [--by-set] [--write FILE.rs]
        [--write-question FILE.rs] DIR [CHAT[/SEARCH[/ANSWER]] ...]

HELPDESK_READINGS (default 10) keeps each question's first readings only (closest first), to
measure fewer than the run wrote; the product reads READ_SENTENCES (3) and was fitted so:

    HELPDESK_READINGS=3 scripts/fit_detector.py --write src/knowledge/answer_detector.rs \
      --write-question src/knowledge/question_detector.rs DIR \
      score+coverage+log_words+answer_sentence/coverage+log_words+answer_sentence+answer_question/\
score+coverage+log_words+answer_sentence+answer_question

Needs numpy and scikit-learn (pip install numpy scikit-learn).
"""

import os
import re
import sys
import json

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fit_answers as fa  # noqa: E402

C = 0.03
SETS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")
INNER = 3
# The readings used per question, closest first (the search makes READ_SENTENCES of them).
READINGS = int(os.environ.get("HELPDESK_READINGS", "10"))
FEATURE = "answer_sentence"
QUESTION_FEATURE = "answer_question"


def words(text):
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def key_facts(base):
    facts = {}
    for name in sorted({r["set"] for r in base.values()}):
        path = os.path.join(SETS_DIR, name + ".jsonl")
        with open(path, encoding="utf-8-sig") as f:
            for line in f:
                if line.strip():
                    q = json.loads(line)
                    facts[f"{name}/{q['id']}"] = [words(k) for k in q.get("key_facts", [])]
    return facts


def matrix(r):
    """A question's first readings as rows of joint vector and cosine, or None."""
    rs = (r.get("readings") or [])[:READINGS]
    if not rs:
        return None, rs
    return np.array([list(x["joint"]) + [x["cosine"]] for x in rs], dtype=np.float64), rs


def readings(base):
    """{key: (features, labels, usable)}."""
    facts = key_facts(base)
    out = {}
    for k, r in base.items():
        x, rs = matrix(r)
        if x is None:
            out[k] = (None, [], False)
            continue
        kf = facts.get(k, [])
        labels = [int(bool(kf) and reading["source"] in r["relevant"]
                      and any(f in words(reading["text"]) for f in kf)) for reading in rs]
        usable = r["kind"] == "unanswerable" or any(labels)
        out[k] = (x, labels, usable)
    return out


def question_readings(base):
    """{key: (features, [answerable], usable)}: one row a question, its own vector and its
    readings' best cosine."""
    out = {}
    for k, r in base.items():
        x, _ = matrix(r)
        if x is None:
            out[k] = (None, [], False)
            continue
        row = np.concatenate([r["query_vector"], [x[:, -1].max()]])[None, :]
        out[k] = (row, [int(r["kind"] == "answerable")], True)
    return out


def fit_probe(keys, data):
    xs = [data[k][0] for k in keys if data[k][2]]
    ys = [y for k in keys if data[k][2] for y in data[k][1]]
    return LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(np.vstack(xs), ys)


def score(probe, k, data):
    x = data[k][0]
    if x is None:
        return -10.0  # NO_SENTENCE in answer_sentence.rs
    return float(probe.decision_function(x).max())


def cross_fit(keys, data):
    """The INNER probes, each fitted on all of `keys` but one part, and each key's score by
    the probe that did not see it."""
    probes, values = [], {}
    for j in range(INNER):
        part = keys[j::INNER]
        left = set(part)
        probe = fit_probe([k for k in keys if k not in left], data)
        probes.append(probe)
        for k in part:
            values[k] = score(probe, k, data)
    return probes, values


def mean_score(probes, k, data):
    """A question none of the probes saw is scored by their mean, the linear probe whose
    weights are theirs averaged: what ships. Its scores come from probes fitted on as many
    questions as those the logistics above it are fitted on; one probe fitted on all of
    them would score more confidently than the logistics expect."""
    return sum(score(p, k, data) for p in probes) / len(probes)


def install(base, runs, probes_data):
    """Replaces fit_answers.fit with one that fits the probes on the fitting keys first."""
    original = fa.fit

    def fit(runs_, keys, features, search_features, worst_set=False, answer_features=None):
        keys = list(keys)
        for feature, data in probes_data.items():
            probes, values = cross_fit(keys, data)
            for k in base:
                if k not in values:
                    values[k] = mean_score(probes, k, data)
            for run in runs_.values():
                for k in run:
                    run[k]["signals"][feature] = values[k]
        return original(runs_, keys, features, search_features, worst_set, answer_features)

    fa.fit = fit


def write_rust(probes, path, what="probe of\n//! [`super::answer_sentence`]",
               cosine="the sentence's cosine", vector=("the joint vector's", "JOINT")):
    w = np.mean([p.coef_[0] for p in probes], axis=0)
    bias = float(np.mean([p.intercept_[0] for p in probes]))
    weights, weight = w[:-1], w[-1]
    lines = ",\n".join(f"    {v:.6}" for v in weights)
    with open(path, "w") as f:
        f.write(
            f"//! Written by `scripts/fit_detector.py`; do not edit. The {what}:\n"
            f"//! its intercept, the weight of {cosine} and the weights of {vector[0]}\n"
            f"//! {len(weights)} dimensions (C {C}, fitted on every question set).\n\n"
            f"pub const BIAS: f32 = {bias:.6};\n"
            f"pub const COSINE: f32 = {weight:.6};\n"
            f"pub const {vector[1]}: [f32; {len(weights)}] = [\n{lines},\n];\n")


def main():
    args = sys.argv[1:]
    writes = {}
    for flag in ("--write", "--write-question"):
        if flag in args:
            i = args.index(flag)
            writes[flag] = args[i + 1]
            del args[i:i + 2]
    runs = fa.load([a for a in args if not a.startswith("--")][0])
    base = runs[min(runs)]
    data = readings(base)
    labelled = sum(1 for k in data if data[k][2] and any(data[k][1]))
    print(f"fit_detector: {labelled} questions with an answer among their readings, "
          f"{sum(1 for r in base.values() if r['kind'] == 'unanswerable')} unanswerable",
          file=sys.stderr)
    question = question_readings(base)
    if "--write" in writes:
        write_rust(cross_fit(sorted(base), data)[0], writes["--write"])
    if "--write-question" in writes:
        write_rust(cross_fit(sorted(base), question)[0], writes["--write-question"],
                   "question-level probe of\n//! [`super::answer_sentence::answer_question`]",
                   "the readings' best cosine", ("the question vector's", "QUESTION"))
    for path in writes.values():
        print(f"fit_detector: wrote {path}", file=sys.stderr)
    install(base, runs, {FEATURE: data, QUESTION_FEATURE: question})
    fa.load = lambda _folder: runs
    sys.argv = ["fit_answers.py"] + args
    fa.main()


if __name__ == "__main__":
    main()
