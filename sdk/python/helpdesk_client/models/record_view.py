from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.actor_view import ActorView
    from ..models.target_view import TargetView


T = TypeVar("T", bound="RecordView")


@_attrs_define
class RecordView:
    """
    Attributes:
        action (str):
        actor (ActorView):
        at (datetime.datetime):
        detail (Any):
        hash_ (str):
        seq (int):
        target (None | TargetView | Unset):
    """

    action: str
    actor: ActorView
    at: datetime.datetime
    detail: Any
    hash_: str
    seq: int
    target: None | TargetView | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.target_view import TargetView  # noqa: PLC0415

        action = self.action

        actor = self.actor.to_dict()

        at = self.at.isoformat()

        detail = self.detail

        hash_ = self.hash_

        seq = self.seq

        target: dict[str, Any] | None | Unset
        if isinstance(self.target, Unset):
            target = UNSET
        elif isinstance(self.target, TargetView):
            target = self.target.to_dict()
        else:
            target = self.target

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor": actor,
                "at": at,
                "detail": detail,
                "hash": hash_,
                "seq": seq,
            }
        )
        if target is not UNSET:
            field_dict["target"] = target

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor_view import ActorView  # noqa: PLC0415
        from ..models.target_view import TargetView  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        actor = ActorView.from_dict(d.pop("actor"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        detail = d.pop("detail")

        hash_ = d.pop("hash")

        seq = d.pop("seq")

        def _parse_target(data: object) -> None | TargetView | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                target_type_0 = TargetView.from_dict(data)

                return target_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TargetView | Unset, data)

        target = _parse_target(d.pop("target", UNSET))

        record_view = cls(
            action=action,
            actor=actor,
            at=at,
            detail=detail,
            hash_=hash_,
            seq=seq,
            target=target,
        )

        record_view.additional_properties = d
        return record_view

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
