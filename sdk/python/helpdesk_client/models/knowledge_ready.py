from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="KnowledgeReady")


@_attrs_define
class KnowledgeReady:
    """
    Attributes:
        status (str): `ok` or `unavailable`.
        vector_store (None | str | Unset): `edge` or `qdrant`, when ready.
    """

    status: str
    vector_store: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        vector_store: None | str | Unset
        if isinstance(self.vector_store, Unset):
            vector_store = UNSET
        else:
            vector_store = self.vector_store

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if vector_store is not UNSET:
            field_dict["vector_store"] = vector_store

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = d.pop("status")

        def _parse_vector_store(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        vector_store = _parse_vector_store(d.pop("vector_store", UNSET))

        knowledge_ready = cls(
            status=status,
            vector_store=vector_store,
        )

        knowledge_ready.additional_properties = d
        return knowledge_ready

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
