from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.score import Score

T = TypeVar("T", bound="ThumbBody")


@_attrs_define
class ThumbBody:
    """
    Attributes:
        score (Score):
    """

    score: Score

    def to_dict(self) -> dict[str, Any]:
        score = self.score.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "score": score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        score = Score(d.pop("score"))

        thumb_body = cls(
            score=score,
        )

        return thumb_body
