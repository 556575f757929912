from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SlaTargets")


@_attrs_define
class SlaTargets:
    """
    Attributes:
        first_response (float | None | Unset):
        resolution (float | None | Unset):
    """

    first_response: float | None | Unset = UNSET
    resolution: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        first_response: float | None | Unset
        if isinstance(self.first_response, Unset):
            first_response = UNSET
        else:
            first_response = self.first_response

        resolution: float | None | Unset
        if isinstance(self.resolution, Unset):
            resolution = UNSET
        else:
            resolution = self.resolution

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if first_response is not UNSET:
            field_dict["first_response"] = first_response
        if resolution is not UNSET:
            field_dict["resolution"] = resolution

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_first_response(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        first_response = _parse_first_response(d.pop("first_response", UNSET))

        def _parse_resolution(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        resolution = _parse_resolution(d.pop("resolution", UNSET))

        sla_targets = cls(
            first_response=first_response,
            resolution=resolution,
        )

        return sla_targets
