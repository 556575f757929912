from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ChatOutcomes")


@_attrs_define
class ChatOutcomes:
    """Chats opened in the range, by how they ended.

    Attributes:
        abstained (int): Not handed off; the bot abstained throughout.
        deflected (int): Answered by the bot and not handed off.
        handed_off (int):
        suggested (int): Not handed off; the bot only suggested pages.
        total (int): Chats in which the visitor asked something.
    """

    abstained: int
    deflected: int
    handed_off: int
    suggested: int
    total: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        abstained = self.abstained

        deflected = self.deflected

        handed_off = self.handed_off

        suggested = self.suggested

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "abstained": abstained,
                "deflected": deflected,
                "handed_off": handed_off,
                "suggested": suggested,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        abstained = d.pop("abstained")

        deflected = d.pop("deflected")

        handed_off = d.pop("handed_off")

        suggested = d.pop("suggested")

        total = d.pop("total")

        chat_outcomes = cls(
            abstained=abstained,
            deflected=deflected,
            handed_off=handed_off,
            suggested=suggested,
            total=total,
        )

        chat_outcomes.additional_properties = d
        return chat_outcomes

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
