from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Source")


@_attrs_define
class Source:
    """A numbered passage shown to the model (or quoted), and what a citation of it shows.

    Attributes:
        chunk_id (UUID):
        doc_id (UUID):
        n (int): The marker number, from 1.
        snippet (str):
        source (str): The document's path in its knowledge base.
        title (str):
    """

    chunk_id: UUID
    doc_id: UUID
    n: int
    snippet: str
    source: str
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chunk_id = str(self.chunk_id)

        doc_id = str(self.doc_id)

        n = self.n

        snippet = self.snippet

        source = self.source

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chunk_id": chunk_id,
                "doc_id": doc_id,
                "n": n,
                "snippet": snippet,
                "source": source,
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        chunk_id = UUID(d.pop("chunk_id"))

        doc_id = UUID(d.pop("doc_id"))

        n = d.pop("n")

        snippet = d.pop("snippet")

        source = d.pop("source")

        title = d.pop("title")

        source = cls(
            chunk_id=chunk_id,
            doc_id=doc_id,
            n=n,
            snippet=snippet,
            source=source,
            title=title,
        )

        source.additional_properties = d
        return source

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
