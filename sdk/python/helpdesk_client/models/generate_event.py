from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.generate_event_name import GenerateEventName

T = TypeVar("T", bound="GenerateEvent")


@_attrs_define
class GenerateEvent:
    """One server-sent event of a streamed generation, as an SSE parser reads it: `token`
    events carry `{"text": …}`; the last is `done` with `{"finish_reason", "usage"}` (as in
    `GenerateAnswer`) or `error` with a problem body.

        Attributes:
            data (str): JSON.
            event (GenerateEventName): The names of a streamed generation's events.
    """

    data: str
    event: GenerateEventName
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data

        event = self.event.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "event": event,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data = d.pop("data")

        event = GenerateEventName(d.pop("event"))

        generate_event = cls(
            data=data,
            event=event,
        )

        generate_event.additional_properties = d
        return generate_event

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
