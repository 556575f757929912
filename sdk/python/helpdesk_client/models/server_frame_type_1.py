from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.server_frame_type_1_type import ServerFrameType1Type

T = TypeVar("T", bound="ServerFrameType1")


@_attrs_define
class ServerFrameType1:
    """A streamed piece of the answer being written; `answer` carries the final text.

    Attributes:
        text (str):
        type_ (ServerFrameType1Type):
    """

    text: str
    type_: ServerFrameType1Type
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "text": text,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        text = d.pop("text")

        type_ = ServerFrameType1Type(d.pop("type"))

        server_frame_type_1 = cls(
            text=text,
            type_=type_,
        )

        server_frame_type_1.additional_properties = d
        return server_frame_type_1

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
