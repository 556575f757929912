from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MentionView")


@_attrs_define
class MentionView:
    """An internal note that names someone (`@name`), as their console lists it.

    Attributes:
        body (str):
        created_at (datetime.datetime):
        event_id (UUID):
        ticket_id (UUID):
        ticket_number (int):
        ticket_subject (str):
        author_id (None | Unset | UUID):
    """

    body: str
    created_at: datetime.datetime
    event_id: UUID
    ticket_id: UUID
    ticket_number: int
    ticket_subject: str
    author_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        body = self.body

        created_at = self.created_at.isoformat()

        event_id = str(self.event_id)

        ticket_id = str(self.ticket_id)

        ticket_number = self.ticket_number

        ticket_subject = self.ticket_subject

        author_id: None | str | Unset
        if isinstance(self.author_id, Unset):
            author_id = UNSET
        elif isinstance(self.author_id, UUID):
            author_id = str(self.author_id)
        else:
            author_id = self.author_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "body": body,
                "created_at": created_at,
                "event_id": event_id,
                "ticket_id": ticket_id,
                "ticket_number": ticket_number,
                "ticket_subject": ticket_subject,
            }
        )
        if author_id is not UNSET:
            field_dict["author_id"] = author_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        body = d.pop("body")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        event_id = UUID(d.pop("event_id"))

        ticket_id = UUID(d.pop("ticket_id"))

        ticket_number = d.pop("ticket_number")

        ticket_subject = d.pop("ticket_subject")

        def _parse_author_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                author_id_type_0 = UUID(data)

                return author_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        author_id = _parse_author_id(d.pop("author_id", UNSET))

        mention_view = cls(
            body=body,
            created_at=created_at,
            event_id=event_id,
            ticket_id=ticket_id,
            ticket_number=ticket_number,
            ticket_subject=ticket_subject,
            author_id=author_id,
        )

        mention_view.additional_properties = d
        return mention_view

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
