from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Day")


@_attrs_define
class Day:
    """
    Attributes:
        abstained (int):
        answered (int):
        completion_tokens (int):
        embedding_inputs (int):
        handoffs (int):
        model_ms (int):
        prompt_tokens (int):
        suggested (int):
        cost (float):
        day (datetime.date):
    """

    abstained: int
    answered: int
    completion_tokens: int
    embedding_inputs: int
    handoffs: int
    model_ms: int
    prompt_tokens: int
    suggested: int
    cost: float
    day: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        abstained = self.abstained

        answered = self.answered

        completion_tokens = self.completion_tokens

        embedding_inputs = self.embedding_inputs

        handoffs = self.handoffs

        model_ms = self.model_ms

        prompt_tokens = self.prompt_tokens

        suggested = self.suggested

        cost = self.cost

        day = self.day.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "abstained": abstained,
                "answered": answered,
                "completion_tokens": completion_tokens,
                "embedding_inputs": embedding_inputs,
                "handoffs": handoffs,
                "model_ms": model_ms,
                "prompt_tokens": prompt_tokens,
                "suggested": suggested,
                "cost": cost,
                "day": day,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        abstained = d.pop("abstained")

        answered = d.pop("answered")

        completion_tokens = d.pop("completion_tokens")

        embedding_inputs = d.pop("embedding_inputs")

        handoffs = d.pop("handoffs")

        model_ms = d.pop("model_ms")

        prompt_tokens = d.pop("prompt_tokens")

        suggested = d.pop("suggested")

        cost = d.pop("cost")

        day = datetime.date.fromisoformat(d.pop("day"))

        day = cls(
            abstained=abstained,
            answered=answered,
            completion_tokens=completion_tokens,
            embedding_inputs=embedding_inputs,
            handoffs=handoffs,
            model_ms=model_ms,
            prompt_tokens=prompt_tokens,
            suggested=suggested,
            cost=cost,
            day=day,
        )

        day.additional_properties = d
        return day

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
