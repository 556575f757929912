from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.server_frame_type_2_type import ServerFrameType2Type

if TYPE_CHECKING:
    from ..models.source import Source


T = TypeVar("T", bound="ServerFrameType2")


@_attrs_define
class ServerFrameType2:
    """
    Attributes:
        citations (list[Source]):
        message_id (UUID):
        text (str):
        type_ (ServerFrameType2Type):
    """

    citations: list[Source]
    message_id: UUID
    text: str
    type_: ServerFrameType2Type
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        citations = []
        for citations_item_data in self.citations:
            citations_item = citations_item_data.to_dict()
            citations.append(citations_item)

        message_id = str(self.message_id)

        text = self.text

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "citations": citations,
                "message_id": message_id,
                "text": text,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        citations = []
        _citations = d.pop("citations")
        for citations_item_data in _citations:
            citations_item = Source.from_dict(citations_item_data)

            citations.append(citations_item)

        message_id = UUID(d.pop("message_id"))

        text = d.pop("text")

        type_ = ServerFrameType2Type(d.pop("type"))

        server_frame_type_2 = cls(
            citations=citations,
            message_id=message_id,
            text=text,
            type_=type_,
        )

        server_frame_type_2.additional_properties = d
        return server_frame_type_2

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
