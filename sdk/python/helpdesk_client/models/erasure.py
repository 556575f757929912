from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.erasure_chat import ErasureChat
    from ..models.erasure_tickets import ErasureTickets


T = TypeVar("T", bound="Erasure")


@_attrs_define
class Erasure:
    """What an erasure removed or anonymised, counted.

    Attributes:
        account (bool):
        chat (ErasureChat):
        person_id (UUID):
        rating_comments (int): Rating comments blanked (the scores stay).
        tickets (ErasureTickets):
    """

    account: bool
    chat: ErasureChat
    person_id: UUID
    rating_comments: int
    tickets: ErasureTickets
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account = self.account

        chat = self.chat.to_dict()

        person_id = str(self.person_id)

        rating_comments = self.rating_comments

        tickets = self.tickets.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account": account,
                "chat": chat,
                "person_id": person_id,
                "rating_comments": rating_comments,
                "tickets": tickets,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.erasure_chat import ErasureChat  # noqa: PLC0415
        from ..models.erasure_tickets import ErasureTickets  # noqa: PLC0415

        d = dict(src_dict)
        account = d.pop("account")

        chat = ErasureChat.from_dict(d.pop("chat"))

        person_id = UUID(d.pop("person_id"))

        rating_comments = d.pop("rating_comments")

        tickets = ErasureTickets.from_dict(d.pop("tickets"))

        erasure = cls(
            account=account,
            chat=chat,
            person_id=person_id,
            rating_comments=rating_comments,
            tickets=tickets,
        )

        erasure.additional_properties = d
        return erasure

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
