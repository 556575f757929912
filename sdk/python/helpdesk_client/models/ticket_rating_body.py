from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.score import Score
from ..types import UNSET, Unset

T = TypeVar("T", bound="TicketRatingBody")


@_attrs_define
class TicketRatingBody:
    """
    Attributes:
        score (Score):
        token (str): The token from the rating link.
        comment (None | str | Unset):
    """

    score: Score
    token: str
    comment: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        score = self.score.value

        token = self.token

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "score": score,
                "token": token,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        score = Score(d.pop("score"))

        token = d.pop("token")

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        ticket_rating_body = cls(
            score=score,
            token=token,
            comment=comment,
        )

        return ticket_rating_body
