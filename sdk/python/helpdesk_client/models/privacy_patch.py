from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PrivacyPatch")


@_attrs_define
class PrivacyPatch:
    """
    Attributes:
        store_redacted (bool | None | Unset): Store tickets and comments redacted instead of as written.
    """

    store_redacted: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        store_redacted: bool | None | Unset
        if isinstance(self.store_redacted, Unset):
            store_redacted = UNSET
        else:
            store_redacted = self.store_redacted

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if store_redacted is not UNSET:
            field_dict["store_redacted"] = store_redacted

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_store_redacted(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        store_redacted = _parse_store_redacted(d.pop("store_redacted", UNSET))

        privacy_patch = cls(
            store_redacted=store_redacted,
        )

        return privacy_patch
