from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ticket_event_view import TicketEventView
    from ..models.ticket_view import TicketView


T = TypeVar("T", bound="AppliedMacro")


@_attrs_define
class AppliedMacro:
    """
    Attributes:
        event (TicketEventView): A comment or another event in a ticket's history.
        ticket (TicketView):
        reply (None | TicketEventView | Unset):
    """

    event: TicketEventView
    ticket: TicketView
    reply: None | TicketEventView | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.ticket_event_view import TicketEventView  # noqa: PLC0415

        event = self.event.to_dict()

        ticket = self.ticket.to_dict()

        reply: dict[str, Any] | None | Unset
        if isinstance(self.reply, Unset):
            reply = UNSET
        elif isinstance(self.reply, TicketEventView):
            reply = self.reply.to_dict()
        else:
            reply = self.reply

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "ticket": ticket,
            }
        )
        if reply is not UNSET:
            field_dict["reply"] = reply

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ticket_event_view import TicketEventView  # noqa: PLC0415
        from ..models.ticket_view import TicketView  # noqa: PLC0415

        d = dict(src_dict)
        event = TicketEventView.from_dict(d.pop("event"))

        ticket = TicketView.from_dict(d.pop("ticket"))

        def _parse_reply(data: object) -> None | TicketEventView | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reply_type_0 = TicketEventView.from_dict(data)

                return reply_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TicketEventView | Unset, data)

        reply = _parse_reply(d.pop("reply", UNSET))

        applied_macro = cls(
            event=event,
            ticket=ticket,
            reply=reply,
        )

        applied_macro.additional_properties = d
        return applied_macro

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
