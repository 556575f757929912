from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.abstain_reason import AbstainReason
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.source import Source


T = TypeVar("T", bound="SuggestedReply")


@_attrs_define
class SuggestedReply:
    """
    Attributes:
        answerability (float): 0–1: the chat's confidence that the pages answer the ticket: below
            `rag.min_answerability` there is neither draft nor suggestion. Whether a draft is
            given reads a confidence of its own (`rag.answer_threshold`, docs/chat.md).
        citations (list[Source]):
        outcome (str): `answered`, `suggested` or `abstained`.
        suggestions (list[Source]): Pages that may help when there is no confident draft (the `suggested` outcome).
        ticket_id (UUID):
        abstained (AbstainReason | None | Unset):
        draft (None | str | Unset): `null` unless the knowledge base answers the ticket with confidence.
    """

    answerability: float
    citations: list[Source]
    outcome: str
    suggestions: list[Source]
    ticket_id: UUID
    abstained: AbstainReason | None | Unset = UNSET
    draft: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        answerability = self.answerability

        citations = []
        for citations_item_data in self.citations:
            citations_item = citations_item_data.to_dict()
            citations.append(citations_item)

        outcome = self.outcome

        suggestions = []
        for suggestions_item_data in self.suggestions:
            suggestions_item = suggestions_item_data.to_dict()
            suggestions.append(suggestions_item)

        ticket_id = str(self.ticket_id)

        abstained: None | str | Unset
        if isinstance(self.abstained, Unset):
            abstained = UNSET
        elif isinstance(self.abstained, AbstainReason):
            abstained = self.abstained.value
        else:
            abstained = self.abstained

        draft: None | str | Unset
        if isinstance(self.draft, Unset):
            draft = UNSET
        else:
            draft = self.draft

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "answerability": answerability,
                "citations": citations,
                "outcome": outcome,
                "suggestions": suggestions,
                "ticket_id": ticket_id,
            }
        )
        if abstained is not UNSET:
            field_dict["abstained"] = abstained
        if draft is not UNSET:
            field_dict["draft"] = draft

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        answerability = d.pop("answerability")

        citations = []
        _citations = d.pop("citations")
        for citations_item_data in _citations:
            citations_item = Source.from_dict(citations_item_data)

            citations.append(citations_item)

        outcome = d.pop("outcome")

        suggestions = []
        _suggestions = d.pop("suggestions")
        for suggestions_item_data in _suggestions:
            suggestions_item = Source.from_dict(suggestions_item_data)

            suggestions.append(suggestions_item)

        ticket_id = UUID(d.pop("ticket_id"))

        def _parse_abstained(data: object) -> AbstainReason | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                abstained_type_0 = AbstainReason(data)

                return abstained_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AbstainReason | None | Unset, data)

        abstained = _parse_abstained(d.pop("abstained", UNSET))

        def _parse_draft(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        draft = _parse_draft(d.pop("draft", UNSET))

        suggested_reply = cls(
            answerability=answerability,
            citations=citations,
            outcome=outcome,
            suggestions=suggestions,
            ticket_id=ticket_id,
            abstained=abstained,
            draft=draft,
        )

        suggested_reply.additional_properties = d
        return suggested_reply

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
