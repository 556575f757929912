from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Prices")


@_attrs_define
class Prices:
    """What usage costs, in the operator's currency: zero by default (local models).

    Attributes:
        completion_per_1k_tokens (float | Unset):  Default: 0.0.
        embedding_per_1k_inputs (float | Unset):  Default: 0.0.
        per_model_second (float | Unset):  Default: 0.0.
        prompt_per_1k_tokens (float | Unset):  Default: 0.0.
    """

    completion_per_1k_tokens: float | Unset = 0.0
    embedding_per_1k_inputs: float | Unset = 0.0
    per_model_second: float | Unset = 0.0
    prompt_per_1k_tokens: float | Unset = 0.0

    def to_dict(self) -> dict[str, Any]:
        completion_per_1k_tokens = self.completion_per_1k_tokens

        embedding_per_1k_inputs = self.embedding_per_1k_inputs

        per_model_second = self.per_model_second

        prompt_per_1k_tokens = self.prompt_per_1k_tokens

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if completion_per_1k_tokens is not UNSET:
            field_dict["completion_per_1k_tokens"] = completion_per_1k_tokens
        if embedding_per_1k_inputs is not UNSET:
            field_dict["embedding_per_1k_inputs"] = embedding_per_1k_inputs
        if per_model_second is not UNSET:
            field_dict["per_model_second"] = per_model_second
        if prompt_per_1k_tokens is not UNSET:
            field_dict["prompt_per_1k_tokens"] = prompt_per_1k_tokens

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        completion_per_1k_tokens = d.pop("completion_per_1k_tokens", UNSET)

        embedding_per_1k_inputs = d.pop("embedding_per_1k_inputs", UNSET)

        per_model_second = d.pop("per_model_second", UNSET)

        prompt_per_1k_tokens = d.pop("prompt_per_1k_tokens", UNSET)

        prices = cls(
            completion_per_1k_tokens=completion_per_1k_tokens,
            embedding_per_1k_inputs=embedding_per_1k_inputs,
            per_model_second=per_model_second,
            prompt_per_1k_tokens=prompt_per_1k_tokens,
        )

        return prices
