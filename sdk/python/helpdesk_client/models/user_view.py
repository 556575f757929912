from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role

T = TypeVar("T", bound="UserView")


@_attrs_define
class UserView:
    """
    Attributes:
        created_at (datetime.datetime):
        disabled (bool): An admin disabled the account: it can neither sign in nor refresh.
        display_name (str):
        email (str):
        id (UUID):
        role (Role):
        tenant_id (UUID): The tenant every service call is scoped to; only a verified token yields one.
    """

    created_at: datetime.datetime
    disabled: bool
    display_name: str
    email: str
    id: UUID
    role: Role
    tenant_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        disabled = self.disabled

        display_name = self.display_name

        email = self.email

        id = str(self.id)

        role = self.role.value

        tenant_id = str(self.tenant_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "disabled": disabled,
                "display_name": display_name,
                "email": email,
                "id": id,
                "role": role,
                "tenant_id": tenant_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        disabled = d.pop("disabled")

        display_name = d.pop("display_name")

        email = d.pop("email")

        id = UUID(d.pop("id"))

        role = Role(d.pop("role"))

        tenant_id = UUID(d.pop("tenant_id"))

        user_view = cls(
            created_at=created_at,
            disabled=disabled,
            display_name=display_name,
            email=email,
            id=id,
            role=role,
            tenant_id=tenant_id,
        )

        user_view.additional_properties = d
        return user_view

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
