from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.setup_admin import SetupAdmin


T = TypeVar("T", bound="SetupBody")


@_attrs_define
class SetupBody:
    """
    Attributes:
        admin (SetupAdmin):
        name (str):
        slug (str): The organisation's address in URLs (`/chat/<slug>`).
    """

    admin: SetupAdmin
    name: str
    slug: str

    def to_dict(self) -> dict[str, Any]:
        admin = self.admin.to_dict()

        name = self.name

        slug = self.slug

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "admin": admin,
                "name": name,
                "slug": slug,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.setup_admin import SetupAdmin  # noqa: PLC0415

        d = dict(src_dict)
        admin = SetupAdmin.from_dict(d.pop("admin"))

        name = d.pop("name")

        slug = d.pop("slug")

        setup_body = cls(
            admin=admin,
            name=name,
            slug=slug,
        )

        return setup_body
