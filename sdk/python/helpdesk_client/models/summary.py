from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ticket_event_view import TicketEventView


T = TypeVar("T", bound="Summary")


@_attrs_define
class Summary:
    """
    Attributes:
        elapsed_ms (float): How long writing it took.
        event (TicketEventView): A comment or another event in a ticket's history.
        mode (str): `extractive` or `generated`.
        source (str): `chat` (the handed-off conversation) or `ticket` (its replies).
        text (str):
    """

    elapsed_ms: float
    event: TicketEventView
    mode: str
    source: str
    text: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        elapsed_ms = self.elapsed_ms

        event = self.event.to_dict()

        mode = self.mode

        source = self.source

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "elapsed_ms": elapsed_ms,
                "event": event,
                "mode": mode,
                "source": source,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ticket_event_view import TicketEventView  # noqa: PLC0415

        d = dict(src_dict)
        elapsed_ms = d.pop("elapsed_ms")

        event = TicketEventView.from_dict(d.pop("event"))

        mode = d.pop("mode")

        source = d.pop("source")

        text = d.pop("text")

        summary = cls(
            elapsed_ms=elapsed_ms,
            event=event,
            mode=mode,
            source=source,
            text=text,
        )

        summary.additional_properties = d
        return summary

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
