from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GapGroup")


@_attrs_define
class GapGroup:
    """Questions the bot could not answer that look alike.

    Attributes:
        count (int):
        examples (list[str]): Up to five distinct questions of the group, newest first.
        last_asked_at (datetime.datetime):
        question (str): The group's first question, as a label.
    """

    count: int
    examples: list[str]
    last_asked_at: datetime.datetime
    question: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        examples = self.examples

        last_asked_at = self.last_asked_at.isoformat()

        question = self.question

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "examples": examples,
                "last_asked_at": last_asked_at,
                "question": question,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        examples = cast(list[str], d.pop("examples"))

        last_asked_at = datetime.datetime.fromisoformat(d.pop("last_asked_at"))

        question = d.pop("question")

        gap_group = cls(
            count=count,
            examples=examples,
            last_asked_at=last_asked_at,
            question=question,
        )

        gap_group.additional_properties = d
        return gap_group

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
