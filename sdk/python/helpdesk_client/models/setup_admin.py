from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SetupAdmin")


@_attrs_define
class SetupAdmin:
    """
    Attributes:
        display_name (str):
        email (str):
        password (str):
    """

    display_name: str
    email: str
    password: str

    def to_dict(self) -> dict[str, Any]:
        display_name = self.display_name

        email = self.email

        password = self.password

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "display_name": display_name,
                "email": email,
                "password": password,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        display_name = d.pop("display_name")

        email = d.pop("email")

        password = d.pop("password")

        setup_admin = cls(
            display_name=display_name,
            email=email,
            password=password,
        )

        return setup_admin
