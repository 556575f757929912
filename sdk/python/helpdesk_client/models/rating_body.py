from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.score import Score
from ..types import UNSET, Unset

T = TypeVar("T", bound="RatingBody")


@_attrs_define
class RatingBody:
    """
    Attributes:
        score (Score):
        comment (None | str | Unset): Optional; personal data in it is redacted when stored.
    """

    score: Score
    comment: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        score = self.score.value

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "score": score,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        score = Score(d.pop("score"))

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        rating_body = cls(
            score=score,
            comment=comment,
        )

        return rating_body
