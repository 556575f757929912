from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.priced import Priced
    from ..models.prices import Prices
    from ..models.tenant_usage import TenantUsage


T = TypeVar("T", bound="PlatformUsage")


@_attrs_define
class PlatformUsage:
    """
    Attributes:
        from_ (datetime.date):
        prices (Prices): What usage costs, in the operator's currency: zero by default (local models).
        tenants (list[TenantUsage]):
        to (datetime.date):
        totals (Priced): Usage with its cost at the configured prices, as the API answers it.
    """

    from_: datetime.date
    prices: Prices
    tenants: list[TenantUsage]
    to: datetime.date
    totals: Priced
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        prices = self.prices.to_dict()

        tenants = []
        for tenants_item_data in self.tenants:
            tenants_item = tenants_item_data.to_dict()
            tenants.append(tenants_item)

        to = self.to.isoformat()

        totals = self.totals.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "prices": prices,
                "tenants": tenants,
                "to": to,
                "totals": totals,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.priced import Priced  # noqa: PLC0415
        from ..models.prices import Prices  # noqa: PLC0415
        from ..models.tenant_usage import TenantUsage  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))

        prices = Prices.from_dict(d.pop("prices"))

        tenants = []
        _tenants = d.pop("tenants")
        for tenants_item_data in _tenants:
            tenants_item = TenantUsage.from_dict(tenants_item_data)

            tenants.append(tenants_item)

        to = datetime.date.fromisoformat(d.pop("to"))

        totals = Priced.from_dict(d.pop("totals"))

        platform_usage = cls(
            from_=from_,
            prices=prices,
            tenants=tenants,
            to=to,
            totals=totals,
        )

        platform_usage.additional_properties = d
        return platform_usage

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
