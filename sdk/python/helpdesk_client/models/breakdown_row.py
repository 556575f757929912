from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BreakdownRow")


@_attrs_define
class BreakdownRow:
    """One queue's or agent's figures.

    Attributes:
        csat_bad (int):
        csat_good (int):
        open_ (int): Of those opened in the range, still open now.
        tickets_created (int):
        tickets_solved (int):
        first_response_p50_seconds (float | None | Unset):
        key (None | str | Unset): The queue's name, or the agent's id (`null`: unassigned).
        name (None | str | Unset): The agent's display name.
        resolution_p50_seconds (float | None | Unset):
    """

    csat_bad: int
    csat_good: int
    open_: int
    tickets_created: int
    tickets_solved: int
    first_response_p50_seconds: float | None | Unset = UNSET
    key: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    resolution_p50_seconds: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        csat_bad = self.csat_bad

        csat_good = self.csat_good

        open_ = self.open_

        tickets_created = self.tickets_created

        tickets_solved = self.tickets_solved

        first_response_p50_seconds: float | None | Unset
        if isinstance(self.first_response_p50_seconds, Unset):
            first_response_p50_seconds = UNSET
        else:
            first_response_p50_seconds = self.first_response_p50_seconds

        key: None | str | Unset
        if isinstance(self.key, Unset):
            key = UNSET
        else:
            key = self.key

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        resolution_p50_seconds: float | None | Unset
        if isinstance(self.resolution_p50_seconds, Unset):
            resolution_p50_seconds = UNSET
        else:
            resolution_p50_seconds = self.resolution_p50_seconds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "csat_bad": csat_bad,
                "csat_good": csat_good,
                "open": open_,
                "tickets_created": tickets_created,
                "tickets_solved": tickets_solved,
            }
        )
        if first_response_p50_seconds is not UNSET:
            field_dict["first_response_p50_seconds"] = first_response_p50_seconds
        if key is not UNSET:
            field_dict["key"] = key
        if name is not UNSET:
            field_dict["name"] = name
        if resolution_p50_seconds is not UNSET:
            field_dict["resolution_p50_seconds"] = resolution_p50_seconds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        csat_bad = d.pop("csat_bad")

        csat_good = d.pop("csat_good")

        open_ = d.pop("open")

        tickets_created = d.pop("tickets_created")

        tickets_solved = d.pop("tickets_solved")

        def _parse_first_response_p50_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        first_response_p50_seconds = _parse_first_response_p50_seconds(d.pop("first_response_p50_seconds", UNSET))

        def _parse_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        key = _parse_key(d.pop("key", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_resolution_p50_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        resolution_p50_seconds = _parse_resolution_p50_seconds(d.pop("resolution_p50_seconds", UNSET))

        breakdown_row = cls(
            csat_bad=csat_bad,
            csat_good=csat_good,
            open_=open_,
            tickets_created=tickets_created,
            tickets_solved=tickets_solved,
            first_response_p50_seconds=first_response_p50_seconds,
            key=key,
            name=name,
            resolution_p50_seconds=resolution_p50_seconds,
        )

        breakdown_row.additional_properties = d
        return breakdown_row

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
