from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TicketEventView")


@_attrs_define
class TicketEventView:
    """A comment or another event in a ticket's history.

    Attributes:
        created_at (datetime.datetime):
        data (Any):
        id (UUID):
        internal (bool): Staff only: an internal note or a summary, never shown to the requester.
        kind (str):
        ticket_id (UUID):
        author_id (None | Unset | UUID):
        body (None | str | Unset):
    """

    created_at: datetime.datetime
    data: Any
    id: UUID
    internal: bool
    kind: str
    ticket_id: UUID
    author_id: None | Unset | UUID = UNSET
    body: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        data = self.data

        id = str(self.id)

        internal = self.internal

        kind = self.kind

        ticket_id = str(self.ticket_id)

        author_id: None | str | Unset
        if isinstance(self.author_id, Unset):
            author_id = UNSET
        elif isinstance(self.author_id, UUID):
            author_id = str(self.author_id)
        else:
            author_id = self.author_id

        body: None | str | Unset
        if isinstance(self.body, Unset):
            body = UNSET
        else:
            body = self.body

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "data": data,
                "id": id,
                "internal": internal,
                "kind": kind,
                "ticket_id": ticket_id,
            }
        )
        if author_id is not UNSET:
            field_dict["author_id"] = author_id
        if body is not UNSET:
            field_dict["body"] = body

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        data = d.pop("data")

        id = UUID(d.pop("id"))

        internal = d.pop("internal")

        kind = d.pop("kind")

        ticket_id = UUID(d.pop("ticket_id"))

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

        def _parse_body(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        body = _parse_body(d.pop("body", UNSET))

        ticket_event_view = cls(
            created_at=created_at,
            data=data,
            id=id,
            internal=internal,
            kind=kind,
            ticket_id=ticket_id,
            author_id=author_id,
            body=body,
        )

        ticket_event_view.additional_properties = d
        return ticket_event_view

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
