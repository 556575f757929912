from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.page_hit import PageHit
    from ..models.signals import Signals


T = TypeVar("T", bound="SearchResults")


@_attrs_define
class SearchResults:
    """
    Attributes:
        answerability (float): 0–1: how likely the pages answer the question.
        answerable (bool): Whether `answerability` reaches `knowledge.answerable_threshold`.
        embed_ms (float):
        pages (list[PageHit]):
        query (str):
        search_ms (float):
        signals (Signals): What answerability is read from: the top page of the hybrid ranking.
    """

    answerability: float
    answerable: bool
    embed_ms: float
    pages: list[PageHit]
    query: str
    search_ms: float
    signals: Signals
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        answerability = self.answerability

        answerable = self.answerable

        embed_ms = self.embed_ms

        pages = []
        for pages_item_data in self.pages:
            pages_item = pages_item_data.to_dict()
            pages.append(pages_item)

        query = self.query

        search_ms = self.search_ms

        signals = self.signals.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "answerability": answerability,
                "answerable": answerable,
                "embed_ms": embed_ms,
                "pages": pages,
                "query": query,
                "search_ms": search_ms,
                "signals": signals,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.page_hit import PageHit  # noqa: PLC0415
        from ..models.signals import Signals  # noqa: PLC0415

        d = dict(src_dict)
        answerability = d.pop("answerability")

        answerable = d.pop("answerable")

        embed_ms = d.pop("embed_ms")

        pages = []
        _pages = d.pop("pages")
        for pages_item_data in _pages:
            pages_item = PageHit.from_dict(pages_item_data)

            pages.append(pages_item)

        query = d.pop("query")

        search_ms = d.pop("search_ms")

        signals = Signals.from_dict(d.pop("signals"))

        search_results = cls(
            answerability=answerability,
            answerable=answerable,
            embed_ms=embed_ms,
            pages=pages,
            query=query,
            search_ms=search_ms,
            signals=signals,
        )

        search_results.additional_properties = d
        return search_results

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
