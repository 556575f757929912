from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.day import Day
    from ..models.priced import Priced
    from ..models.prices import Prices
    from ..models.storage import Storage


T = TypeVar("T", bound="Usage")


@_attrs_define
class Usage:
    """
    Attributes:
        days (list[Day]):
        from_ (datetime.date):
        prices (Prices): What usage costs, in the operator's currency: zero by default (local models).
        storage (Storage):
        to (datetime.date):
        totals (Priced): Usage with its cost at the configured prices, as the API answers it.
    """

    days: list[Day]
    from_: datetime.date
    prices: Prices
    storage: Storage
    to: datetime.date
    totals: Priced
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        days = []
        for days_item_data in self.days:
            days_item = days_item_data.to_dict()
            days.append(days_item)

        from_ = self.from_.isoformat()

        prices = self.prices.to_dict()

        storage = self.storage.to_dict()

        to = self.to.isoformat()

        totals = self.totals.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "days": days,
                "from": from_,
                "prices": prices,
                "storage": storage,
                "to": to,
                "totals": totals,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.day import Day  # noqa: PLC0415
        from ..models.priced import Priced  # noqa: PLC0415
        from ..models.prices import Prices  # noqa: PLC0415
        from ..models.storage import Storage  # noqa: PLC0415

        d = dict(src_dict)
        days = []
        _days = d.pop("days")
        for days_item_data in _days:
            days_item = Day.from_dict(days_item_data)

            days.append(days_item)

        from_ = datetime.date.fromisoformat(d.pop("from"))

        prices = Prices.from_dict(d.pop("prices"))

        storage = Storage.from_dict(d.pop("storage"))

        to = datetime.date.fromisoformat(d.pop("to"))

        totals = Priced.from_dict(d.pop("totals"))

        usage = cls(
            days=days,
            from_=from_,
            prices=prices,
            storage=storage,
            to=to,
            totals=totals,
        )

        usage.additional_properties = d
        return usage

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
