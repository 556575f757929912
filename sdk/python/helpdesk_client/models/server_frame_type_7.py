from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.server_frame_type_7_type import ServerFrameType7Type

T = TypeVar("T", bound="ServerFrameType7")


@_attrs_define
class ServerFrameType7:
    """
    Attributes:
        created_at (datetime.datetime):
        message_id (UUID):
        text (str):
        type_ (ServerFrameType7Type):
    """

    created_at: datetime.datetime
    message_id: UUID
    text: str
    type_: ServerFrameType7Type
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        message_id = str(self.message_id)

        text = self.text

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "message_id": message_id,
                "text": text,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        message_id = UUID(d.pop("message_id"))

        text = d.pop("text")

        type_ = ServerFrameType7Type(d.pop("type"))

        server_frame_type_7 = cls(
            created_at=created_at,
            message_id=message_id,
            text=text,
            type_=type_,
        )

        server_frame_type_7.additional_properties = d
        return server_frame_type_7

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
