from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CsatPatch")


@_attrs_define
class CsatPatch:
    """
    Attributes:
        reopen_on_bad (bool | None | Unset): A bad rating of a solved ticket opens it again.
    """

    reopen_on_bad: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        reopen_on_bad: bool | None | Unset
        if isinstance(self.reopen_on_bad, Unset):
            reopen_on_bad = UNSET
        else:
            reopen_on_bad = self.reopen_on_bad

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if reopen_on_bad is not UNSET:
            field_dict["reopen_on_bad"] = reopen_on_bad

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_reopen_on_bad(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        reopen_on_bad = _parse_reopen_on_bad(d.pop("reopen_on_bad", UNSET))

        csat_patch = cls(
            reopen_on_bad=reopen_on_bad,
        )

        return csat_patch
