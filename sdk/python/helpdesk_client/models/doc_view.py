from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.visibility import Visibility

T = TypeVar("T", bound="DocView")


@_attrs_define
class DocView:
    """A document as listed to admins.

    Attributes:
        bytes_ (int):
        checksum (str):
        chunks (int):
        id (UUID):
        kind (str):
        source (str):
        title (str):
        updated_at (datetime.datetime):
        visibility (Visibility):
    """

    bytes_: int
    checksum: str
    chunks: int
    id: UUID
    kind: str
    source: str
    title: str
    updated_at: datetime.datetime
    visibility: Visibility
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bytes_ = self.bytes_

        checksum = self.checksum

        chunks = self.chunks

        id = str(self.id)

        kind = self.kind

        source = self.source

        title = self.title

        updated_at = self.updated_at.isoformat()

        visibility = self.visibility.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bytes": bytes_,
                "checksum": checksum,
                "chunks": chunks,
                "id": id,
                "kind": kind,
                "source": source,
                "title": title,
                "updated_at": updated_at,
                "visibility": visibility,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bytes_ = d.pop("bytes")

        checksum = d.pop("checksum")

        chunks = d.pop("chunks")

        id = UUID(d.pop("id"))

        kind = d.pop("kind")

        source = d.pop("source")

        title = d.pop("title")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        visibility = Visibility(d.pop("visibility"))

        doc_view = cls(
            bytes_=bytes_,
            checksum=checksum,
            chunks=chunks,
            id=id,
            kind=kind,
            source=source,
            title=title,
            updated_at=updated_at,
            visibility=visibility,
        )

        doc_view.additional_properties = d
        return doc_view

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
