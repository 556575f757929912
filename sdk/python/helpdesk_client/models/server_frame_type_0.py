from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.server_frame_type_0_type import ServerFrameType0Type
from ..models.session_status import SessionStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.message_view import MessageView


T = TypeVar("T", bound="ServerFrameType0")


@_attrs_define
class ServerFrameType0:
    """The conversation this connection is in, with its history (on start and resume).

    Attributes:
        messages (list[MessageView]):
        session_id (UUID): One conversation of one visitor (or customer) with the bot and, after a handoff,
            with the agents working its ticket.
        status (SessionStatus):
        type_ (ServerFrameType0Type):
        ticket_id (None | Unset | UUID):
    """

    messages: list[MessageView]
    session_id: UUID
    status: SessionStatus
    type_: ServerFrameType0Type
    ticket_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        session_id = str(self.session_id)

        status = self.status.value

        type_ = self.type_.value

        ticket_id: None | str | Unset
        if isinstance(self.ticket_id, Unset):
            ticket_id = UNSET
        elif isinstance(self.ticket_id, UUID):
            ticket_id = str(self.ticket_id)
        else:
            ticket_id = self.ticket_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "messages": messages,
                "session_id": session_id,
                "status": status,
                "type": type_,
            }
        )
        if ticket_id is not UNSET:
            field_dict["ticket_id"] = ticket_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.message_view import MessageView  # noqa: PLC0415

        d = dict(src_dict)
        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = MessageView.from_dict(messages_item_data)

            messages.append(messages_item)

        session_id = UUID(d.pop("session_id"))

        status = SessionStatus(d.pop("status"))

        type_ = ServerFrameType0Type(d.pop("type"))

        def _parse_ticket_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ticket_id_type_0 = UUID(data)

                return ticket_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        ticket_id = _parse_ticket_id(d.pop("ticket_id", UNSET))

        server_frame_type_0 = cls(
            messages=messages,
            session_id=session_id,
            status=status,
            type_=type_,
            ticket_id=ticket_id,
        )

        server_frame_type_0.additional_properties = d
        return server_frame_type_0

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
