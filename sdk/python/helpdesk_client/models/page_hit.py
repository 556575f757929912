from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PageHit")


@_attrs_define
class PageHit:
    """
    Attributes:
        chunk_id (UUID):
        chunk_index (int):
        doc_id (UUID):
        headings (list[str]):
        score (float): The page's best chunk's score (fused rank score in hybrid mode).
        snippet (str):
        source (str):
        title (str):
        page (int | None | Unset):
    """

    chunk_id: UUID
    chunk_index: int
    doc_id: UUID
    headings: list[str]
    score: float
    snippet: str
    source: str
    title: str
    page: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chunk_id = str(self.chunk_id)

        chunk_index = self.chunk_index

        doc_id = str(self.doc_id)

        headings = self.headings

        score = self.score

        snippet = self.snippet

        source = self.source

        title = self.title

        page: int | None | Unset
        if isinstance(self.page, Unset):
            page = UNSET
        else:
            page = self.page

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chunk_id": chunk_id,
                "chunk_index": chunk_index,
                "doc_id": doc_id,
                "headings": headings,
                "score": score,
                "snippet": snippet,
                "source": source,
                "title": title,
            }
        )
        if page is not UNSET:
            field_dict["page"] = page

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        chunk_id = UUID(d.pop("chunk_id"))

        chunk_index = d.pop("chunk_index")

        doc_id = UUID(d.pop("doc_id"))

        headings = cast(list[str], d.pop("headings"))

        score = d.pop("score")

        snippet = d.pop("snippet")

        source = d.pop("source")

        title = d.pop("title")

        def _parse_page(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        page = _parse_page(d.pop("page", UNSET))

        page_hit = cls(
            chunk_id=chunk_id,
            chunk_index=chunk_index,
            doc_id=doc_id,
            headings=headings,
            score=score,
            snippet=snippet,
            source=source,
            title=title,
            page=page,
        )

        page_hit.additional_properties = d
        return page_hit

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
