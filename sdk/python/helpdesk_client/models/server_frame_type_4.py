from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.abstain_reason import AbstainReason
from ..models.server_frame_type_4_type import ServerFrameType4Type

T = TypeVar("T", bound="ServerFrameType4")


@_attrs_define
class ServerFrameType4:
    """
    Attributes:
        message_id (UUID):
        offer_handoff (bool):
        reason (AbstainReason): Why there is no confident answer.
        text (str):
        type_ (ServerFrameType4Type):
    """

    message_id: UUID
    offer_handoff: bool
    reason: AbstainReason
    text: str
    type_: ServerFrameType4Type
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message_id = str(self.message_id)

        offer_handoff = self.offer_handoff

        reason = self.reason.value

        text = self.text

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message_id": message_id,
                "offer_handoff": offer_handoff,
                "reason": reason,
                "text": text,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        message_id = UUID(d.pop("message_id"))

        offer_handoff = d.pop("offer_handoff")

        reason = AbstainReason(d.pop("reason"))

        text = d.pop("text")

        type_ = ServerFrameType4Type(d.pop("type"))

        server_frame_type_4 = cls(
            message_id=message_id,
            offer_handoff=offer_handoff,
            reason=reason,
            text=text,
            type_=type_,
        )

        server_frame_type_4.additional_properties = d
        return server_frame_type_4

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
