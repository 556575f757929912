from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Signals")


@_attrs_define
class Signals:
    """What answerability is read from: the top page of the hybrid ranking.

    Attributes:
        answer_question (float): The log-odds that the question is answerable, as a second probe reads the question's
            own vector and those sentences' best cosine; -10 when there is no sentence to read.
            The search's flag and the chat's answer gate read it (docs/knowledge.md,
            docs/chat.md).
        answer_sentence (float): The log-odds that one of the three sentences of the first pages closest to the
            question answers it, as a probe reads MiniLM's vector of the question and the
            sentence embedded together; -10 when there is no sentence to read.
        coverage (float): The share of the question's key terms in its top passages and title.
        dense (float): Its best chunk's cosine with the question.
        log_words (float): The natural log of the question's word count, counted up to 40 words. A fragment's
            cosines with a page run as high for what the page does not say as for what it does;
            with the length as an input, both logistics gave more confident answers and fewer
            harmful ones, each question set held out in turn (docs/chat.md). Since the
            question-level probe reads the third layer's vector, which carries much of what the
            length stood for, the gates that read that probe weigh the length down.
        margin (float): Its hybrid score minus the second page's.
        score (float): Its hybrid score.
        sentence (float): The best cosine of one of its sentences (of at least 25 characters) with the
            question, or with one of the question's own sentences when it has several; 0
            without sentence vectors.
        sentence_any (float): The best such cosine over the first three pages.
        sentence_second (float): The second-best such cosine on that page.
    """

    answer_question: float
    answer_sentence: float
    coverage: float
    dense: float
    log_words: float
    margin: float
    score: float
    sentence: float
    sentence_any: float
    sentence_second: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        answer_question = self.answer_question

        answer_sentence = self.answer_sentence

        coverage = self.coverage

        dense = self.dense

        log_words = self.log_words

        margin = self.margin

        score = self.score

        sentence = self.sentence

        sentence_any = self.sentence_any

        sentence_second = self.sentence_second

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "answer_question": answer_question,
                "answer_sentence": answer_sentence,
                "coverage": coverage,
                "dense": dense,
                "log_words": log_words,
                "margin": margin,
                "score": score,
                "sentence": sentence,
                "sentence_any": sentence_any,
                "sentence_second": sentence_second,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        answer_question = d.pop("answer_question")

        answer_sentence = d.pop("answer_sentence")

        coverage = d.pop("coverage")

        dense = d.pop("dense")

        log_words = d.pop("log_words")

        margin = d.pop("margin")

        score = d.pop("score")

        sentence = d.pop("sentence")

        sentence_any = d.pop("sentence_any")

        sentence_second = d.pop("sentence_second")

        signals = cls(
            answer_question=answer_question,
            answer_sentence=answer_sentence,
            coverage=coverage,
            dense=dense,
            log_words=log_words,
            margin=margin,
            score=score,
            sentence=sentence,
            sentence_any=sentence_any,
            sentence_second=sentence_second,
        )

        signals.additional_properties = d
        return signals

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
