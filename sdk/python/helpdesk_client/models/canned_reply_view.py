from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CannedReplyView")


@_attrs_define
class CannedReplyView:
    """
    Attributes:
        body (str): The text as saved, placeholders and all.
        created_at (datetime.datetime):
        id (UUID):
        shared (bool): Shared by the tenant; otherwise personal to `owner_id`.
        title (str):
        updated_at (datetime.datetime):
        owner_id (None | Unset | UUID):
        rendered (None | str | Unset): `body` filled in for the ticket asked about (`?ticket_id=`).
    """

    body: str
    created_at: datetime.datetime
    id: UUID
    shared: bool
    title: str
    updated_at: datetime.datetime
    owner_id: None | Unset | UUID = UNSET
    rendered: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        body = self.body

        created_at = self.created_at.isoformat()

        id = str(self.id)

        shared = self.shared

        title = self.title

        updated_at = self.updated_at.isoformat()

        owner_id: None | str | Unset
        if isinstance(self.owner_id, Unset):
            owner_id = UNSET
        elif isinstance(self.owner_id, UUID):
            owner_id = str(self.owner_id)
        else:
            owner_id = self.owner_id

        rendered: None | str | Unset
        if isinstance(self.rendered, Unset):
            rendered = UNSET
        else:
            rendered = self.rendered

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "body": body,
                "created_at": created_at,
                "id": id,
                "shared": shared,
                "title": title,
                "updated_at": updated_at,
            }
        )
        if owner_id is not UNSET:
            field_dict["owner_id"] = owner_id
        if rendered is not UNSET:
            field_dict["rendered"] = rendered

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        body = d.pop("body")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        shared = d.pop("shared")

        title = d.pop("title")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_owner_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                owner_id_type_0 = UUID(data)

                return owner_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        owner_id = _parse_owner_id(d.pop("owner_id", UNSET))

        def _parse_rendered(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rendered = _parse_rendered(d.pop("rendered", UNSET))

        canned_reply_view = cls(
            body=body,
            created_at=created_at,
            id=id,
            shared=shared,
            title=title,
            updated_at=updated_at,
            owner_id=owner_id,
            rendered=rendered,
        )

        canned_reply_view.additional_properties = d
        return canned_reply_view

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
