from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.upload_event_name import UploadEventName

T = TypeVar("T", bound="UploadEvent")


@_attrs_define
class UploadEvent:
    """One server-sent event of a streamed upload, as an SSE parser reads it.

    Attributes:
        data (str): JSON: a progress step, an `UploadedFile`, an `Uploaded` or a problem body.
        event (UploadEventName): The names of a streamed upload's events.
    """

    data: str
    event: UploadEventName
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

        event = UploadEventName(d.pop("event"))

        upload_event = cls(
            data=data,
            event=event,
        )

        upload_event.additional_properties = d
        return upload_event

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
