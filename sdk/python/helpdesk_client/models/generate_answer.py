from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.token_usage import TokenUsage


T = TypeVar("T", bound="GenerateAnswer")


@_attrs_define
class GenerateAnswer:
    """
    Attributes:
        finish_reason (str): `stop`, `length` or `cancelled`.
        model (str):
        text (str):
        usage (TokenUsage): What a finished generation used.
    """

    finish_reason: str
    model: str
    text: str
    usage: TokenUsage
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        finish_reason = self.finish_reason

        model = self.model

        text = self.text

        usage = self.usage.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "finish_reason": finish_reason,
                "model": model,
                "text": text,
                "usage": usage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.token_usage import TokenUsage  # noqa: PLC0415

        d = dict(src_dict)
        finish_reason = d.pop("finish_reason")

        model = d.pop("model")

        text = d.pop("text")

        usage = TokenUsage.from_dict(d.pop("usage"))

        generate_answer = cls(
            finish_reason=finish_reason,
            model=model,
            text=text,
            usage=usage,
        )

        generate_answer.additional_properties = d
        return generate_answer

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
