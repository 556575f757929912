from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.server_frame_type_5_type import ServerFrameType5Type

if TYPE_CHECKING:
    from ..models.ticket_ref import TicketRef


T = TypeVar("T", bound="ServerFrameType5")


@_attrs_define
class ServerFrameType5:
    """
    Attributes:
        ticket (TicketRef): The part of a ticket a visitor is shown.
        type_ (ServerFrameType5Type):
    """

    ticket: TicketRef
    type_: ServerFrameType5Type
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ticket = self.ticket.to_dict()

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ticket": ticket,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ticket_ref import TicketRef  # noqa: PLC0415

        d = dict(src_dict)
        ticket = TicketRef.from_dict(d.pop("ticket"))

        type_ = ServerFrameType5Type(d.pop("type"))

        server_frame_type_5 = cls(
            ticket=ticket,
            type_=type_,
        )

        server_frame_type_5.additional_properties = d
        return server_frame_type_5

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
