from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.person_export_chat_sessions_item import PersonExportChatSessionsItem
    from ..models.person_export_comments_on_other_tickets_item import PersonExportCommentsOnOtherTicketsItem
    from ..models.person_export_knowledge_gaps_item import PersonExportKnowledgeGapsItem
    from ..models.person_export_ratings_item import PersonExportRatingsItem
    from ..models.person_export_tickets_item import PersonExportTicketsItem
    from ..models.user_view import UserView


T = TypeVar("T", bound="PersonExport")


@_attrs_define
class PersonExport:
    """The records' shapes are in docs/privacy.md.

    Attributes:
        chat_sessions (list[PersonExportChatSessionsItem]):
        comments_on_other_tickets (list[PersonExportCommentsOnOtherTicketsItem]):
        exported_at (datetime.datetime):
        knowledge_gaps (list[PersonExportKnowledgeGapsItem]):
        person_id (UUID):
        ratings (list[PersonExportRatingsItem]): Their ratings of their chats and tickets, with their comments.
        tickets (list[PersonExportTicketsItem]):
        account (None | Unset | UserView):
    """

    chat_sessions: list[PersonExportChatSessionsItem]
    comments_on_other_tickets: list[PersonExportCommentsOnOtherTicketsItem]
    exported_at: datetime.datetime
    knowledge_gaps: list[PersonExportKnowledgeGapsItem]
    person_id: UUID
    ratings: list[PersonExportRatingsItem]
    tickets: list[PersonExportTicketsItem]
    account: None | Unset | UserView = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.user_view import UserView  # noqa: PLC0415

        chat_sessions = []
        for chat_sessions_item_data in self.chat_sessions:
            chat_sessions_item = chat_sessions_item_data.to_dict()
            chat_sessions.append(chat_sessions_item)

        comments_on_other_tickets = []
        for comments_on_other_tickets_item_data in self.comments_on_other_tickets:
            comments_on_other_tickets_item = comments_on_other_tickets_item_data.to_dict()
            comments_on_other_tickets.append(comments_on_other_tickets_item)

        exported_at = self.exported_at.isoformat()

        knowledge_gaps = []
        for knowledge_gaps_item_data in self.knowledge_gaps:
            knowledge_gaps_item = knowledge_gaps_item_data.to_dict()
            knowledge_gaps.append(knowledge_gaps_item)

        person_id = str(self.person_id)

        ratings = []
        for ratings_item_data in self.ratings:
            ratings_item = ratings_item_data.to_dict()
            ratings.append(ratings_item)

        tickets = []
        for tickets_item_data in self.tickets:
            tickets_item = tickets_item_data.to_dict()
            tickets.append(tickets_item)

        account: dict[str, Any] | None | Unset
        if isinstance(self.account, Unset):
            account = UNSET
        elif isinstance(self.account, UserView):
            account = self.account.to_dict()
        else:
            account = self.account

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chat_sessions": chat_sessions,
                "comments_on_other_tickets": comments_on_other_tickets,
                "exported_at": exported_at,
                "knowledge_gaps": knowledge_gaps,
                "person_id": person_id,
                "ratings": ratings,
                "tickets": tickets,
            }
        )
        if account is not UNSET:
            field_dict["account"] = account

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.person_export_chat_sessions_item import PersonExportChatSessionsItem  # noqa: PLC0415
        from ..models.person_export_comments_on_other_tickets_item import PersonExportCommentsOnOtherTicketsItem  # noqa: PLC0415
        from ..models.person_export_knowledge_gaps_item import PersonExportKnowledgeGapsItem  # noqa: PLC0415
        from ..models.person_export_ratings_item import PersonExportRatingsItem  # noqa: PLC0415
        from ..models.person_export_tickets_item import PersonExportTicketsItem  # noqa: PLC0415
        from ..models.user_view import UserView  # noqa: PLC0415

        d = dict(src_dict)
        chat_sessions = []
        _chat_sessions = d.pop("chat_sessions")
        for chat_sessions_item_data in _chat_sessions:
            chat_sessions_item = PersonExportChatSessionsItem.from_dict(chat_sessions_item_data)

            chat_sessions.append(chat_sessions_item)

        comments_on_other_tickets = []
        _comments_on_other_tickets = d.pop("comments_on_other_tickets")
        for comments_on_other_tickets_item_data in _comments_on_other_tickets:
            comments_on_other_tickets_item = PersonExportCommentsOnOtherTicketsItem.from_dict(
                comments_on_other_tickets_item_data
            )

            comments_on_other_tickets.append(comments_on_other_tickets_item)

        exported_at = datetime.datetime.fromisoformat(d.pop("exported_at"))

        knowledge_gaps = []
        _knowledge_gaps = d.pop("knowledge_gaps")
        for knowledge_gaps_item_data in _knowledge_gaps:
            knowledge_gaps_item = PersonExportKnowledgeGapsItem.from_dict(knowledge_gaps_item_data)

            knowledge_gaps.append(knowledge_gaps_item)

        person_id = UUID(d.pop("person_id"))

        ratings = []
        _ratings = d.pop("ratings")
        for ratings_item_data in _ratings:
            ratings_item = PersonExportRatingsItem.from_dict(ratings_item_data)

            ratings.append(ratings_item)

        tickets = []
        _tickets = d.pop("tickets")
        for tickets_item_data in _tickets:
            tickets_item = PersonExportTicketsItem.from_dict(tickets_item_data)

            tickets.append(tickets_item)

        def _parse_account(data: object) -> None | Unset | UserView:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                account_type_0 = UserView.from_dict(data)

                return account_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UserView, data)

        account = _parse_account(d.pop("account", UNSET))

        person_export = cls(
            chat_sessions=chat_sessions,
            comments_on_other_tickets=comments_on_other_tickets,
            exported_at=exported_at,
            knowledge_gaps=knowledge_gaps,
            person_id=person_id,
            ratings=ratings,
            tickets=tickets,
            account=account,
        )

        person_export.additional_properties = d
        return person_export

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
