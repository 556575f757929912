from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.server_frame_type_6_type import ServerFrameType6Type

T = TypeVar("T", bound="ServerFrameType6")


@_attrs_define
class ServerFrameType6:
    """After a handoff: the visitor's message was added to the ticket for its agents.

    Attributes:
        message_id (UUID):
        ticket_id (UUID):
        type_ (ServerFrameType6Type):
    """

    message_id: UUID
    ticket_id: UUID
    type_: ServerFrameType6Type
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message_id = str(self.message_id)

        ticket_id = str(self.ticket_id)

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message_id": message_id,
                "ticket_id": ticket_id,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        message_id = UUID(d.pop("message_id"))

        ticket_id = UUID(d.pop("ticket_id"))

        type_ = ServerFrameType6Type(d.pop("type"))

        server_frame_type_6 = cls(
            message_id=message_id,
            ticket_id=ticket_id,
            type_=type_,
        )

        server_frame_type_6.additional_properties = d
        return server_frame_type_6

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
