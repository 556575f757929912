from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.abstain_reason import AbstainReason
from ..models.server_frame_type_3_type import ServerFrameType3Type

if TYPE_CHECKING:
    from ..models.source import Source


T = TypeVar("T", bound="ServerFrameType3")


@_attrs_define
class ServerFrameType3:
    """No confident answer, but pages that may help: titled links, no quote.

    Attributes:
        message_id (UUID):
        offer_handoff (bool):
        pages (list[Source]):
        reason (AbstainReason): Why there is no confident answer.
        text (str):
        type_ (ServerFrameType3Type):
    """

    message_id: UUID
    offer_handoff: bool
    pages: list[Source]
    reason: AbstainReason
    text: str
    type_: ServerFrameType3Type
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message_id = str(self.message_id)

        offer_handoff = self.offer_handoff

        pages = []
        for pages_item_data in self.pages:
            pages_item = pages_item_data.to_dict()
            pages.append(pages_item)

        reason = self.reason.value

        text = self.text

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message_id": message_id,
                "offer_handoff": offer_handoff,
                "pages": pages,
                "reason": reason,
                "text": text,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        message_id = UUID(d.pop("message_id"))

        offer_handoff = d.pop("offer_handoff")

        pages = []
        _pages = d.pop("pages")
        for pages_item_data in _pages:
            pages_item = Source.from_dict(pages_item_data)

            pages.append(pages_item)

        reason = AbstainReason(d.pop("reason"))

        text = d.pop("text")

        type_ = ServerFrameType3Type(d.pop("type"))

        server_frame_type_3 = cls(
            message_id=message_id,
            offer_handoff=offer_handoff,
            pages=pages,
            reason=reason,
            text=text,
            type_=type_,
        )

        server_frame_type_3.additional_properties = d
        return server_frame_type_3

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
