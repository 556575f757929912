from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Bucket")


@_attrs_define
class Bucket:
    """One day or week.

    Attributes:
        backlog (int): Tickets open at the end of the bucket.
        chats (int):
        csat_bad (int):
        csat_good (int):
        deflected (int):
        handed_off (int):
        start (str): The first day of the bucket (a Monday for weeks).
        tickets_created (int):
        tickets_solved (int):
        first_response_p50_seconds (float | None | Unset):
        resolution_p50_seconds (float | None | Unset):
    """

    backlog: int
    chats: int
    csat_bad: int
    csat_good: int
    deflected: int
    handed_off: int
    start: str
    tickets_created: int
    tickets_solved: int
    first_response_p50_seconds: float | None | Unset = UNSET
    resolution_p50_seconds: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        backlog = self.backlog

        chats = self.chats

        csat_bad = self.csat_bad

        csat_good = self.csat_good

        deflected = self.deflected

        handed_off = self.handed_off

        start = self.start

        tickets_created = self.tickets_created

        tickets_solved = self.tickets_solved

        first_response_p50_seconds: float | None | Unset
        if isinstance(self.first_response_p50_seconds, Unset):
            first_response_p50_seconds = UNSET
        else:
            first_response_p50_seconds = self.first_response_p50_seconds

        resolution_p50_seconds: float | None | Unset
        if isinstance(self.resolution_p50_seconds, Unset):
            resolution_p50_seconds = UNSET
        else:
            resolution_p50_seconds = self.resolution_p50_seconds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "backlog": backlog,
                "chats": chats,
                "csat_bad": csat_bad,
                "csat_good": csat_good,
                "deflected": deflected,
                "handed_off": handed_off,
                "start": start,
                "tickets_created": tickets_created,
                "tickets_solved": tickets_solved,
            }
        )
        if first_response_p50_seconds is not UNSET:
            field_dict["first_response_p50_seconds"] = first_response_p50_seconds
        if resolution_p50_seconds is not UNSET:
            field_dict["resolution_p50_seconds"] = resolution_p50_seconds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        backlog = d.pop("backlog")

        chats = d.pop("chats")

        csat_bad = d.pop("csat_bad")

        csat_good = d.pop("csat_good")

        deflected = d.pop("deflected")

        handed_off = d.pop("handed_off")

        start = d.pop("start")

        tickets_created = d.pop("tickets_created")

        tickets_solved = d.pop("tickets_solved")

        def _parse_first_response_p50_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        first_response_p50_seconds = _parse_first_response_p50_seconds(d.pop("first_response_p50_seconds", UNSET))

        def _parse_resolution_p50_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        resolution_p50_seconds = _parse_resolution_p50_seconds(d.pop("resolution_p50_seconds", UNSET))

        bucket = cls(
            backlog=backlog,
            chats=chats,
            csat_bad=csat_bad,
            csat_good=csat_good,
            deflected=deflected,
            handed_off=handed_off,
            start=start,
            tickets_created=tickets_created,
            tickets_solved=tickets_solved,
            first_response_p50_seconds=first_response_p50_seconds,
            resolution_p50_seconds=resolution_p50_seconds,
        )

        bucket.additional_properties = d
        return bucket

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
