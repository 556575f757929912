from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.status import Status

T = TypeVar("T", bound="RatingTarget")


@_attrs_define
class RatingTarget:
    """What a rating link tells its page before the requester chooses.

    Attributes:
        rated (bool): The rating already given, if any: a link rates once.
        status (Status):
        subject (str):
        ticket_number (int):
    """

    rated: bool
    status: Status
    subject: str
    ticket_number: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        rated = self.rated

        status = self.status.value

        subject = self.subject

        ticket_number = self.ticket_number

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "rated": rated,
                "status": status,
                "subject": subject,
                "ticket_number": ticket_number,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        rated = d.pop("rated")

        status = Status(d.pop("status"))

        subject = d.pop("subject")

        ticket_number = d.pop("ticket_number")

        rating_target = cls(
            rated=rated,
            status=status,
            subject=subject,
            ticket_number=ticket_number,
        )

        rating_target.additional_properties = d
        return rating_target

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
