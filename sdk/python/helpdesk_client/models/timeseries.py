from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.grouping import Grouping

if TYPE_CHECKING:
    from ..models.bucket import Bucket


T = TypeVar("T", bound="Timeseries")


@_attrs_define
class Timeseries:
    """
    Attributes:
        buckets (list[Bucket]):
        business_hours (bool):
        from_ (datetime.date):
        group (Grouping):
        to (datetime.date):
    """

    buckets: list[Bucket]
    business_hours: bool
    from_: datetime.date
    group: Grouping
    to: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        buckets = []
        for buckets_item_data in self.buckets:
            buckets_item = buckets_item_data.to_dict()
            buckets.append(buckets_item)

        business_hours = self.business_hours

        from_ = self.from_.isoformat()

        group = self.group.value

        to = self.to.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "buckets": buckets,
                "business_hours": business_hours,
                "from": from_,
                "group": group,
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bucket import Bucket  # noqa: PLC0415

        d = dict(src_dict)
        buckets = []
        _buckets = d.pop("buckets")
        for buckets_item_data in _buckets:
            buckets_item = Bucket.from_dict(buckets_item_data)

            buckets.append(buckets_item)

        business_hours = d.pop("business_hours")

        from_ = datetime.date.fromisoformat(d.pop("from"))

        group = Grouping(d.pop("group"))

        to = datetime.date.fromisoformat(d.pop("to"))

        timeseries = cls(
            buckets=buckets,
            business_hours=business_hours,
            from_=from_,
            group=group,
            to=to,
        )

        timeseries.additional_properties = d
        return timeseries

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
