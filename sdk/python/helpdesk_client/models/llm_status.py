from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.loaded import Loaded
    from ..models.model_names import ModelNames


T = TypeVar("T", bound="LlmStatus")


@_attrs_define
class LlmStatus:
    """
    Attributes:
        backend (str):
        loaded (Loaded):
        models (ModelNames):
        status (str):
        circuit (None | str | Unset):
    """

    backend: str
    loaded: Loaded
    models: ModelNames
    status: str
    circuit: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        backend = self.backend

        loaded = self.loaded.to_dict()

        models = self.models.to_dict()

        status = self.status

        circuit: None | str | Unset
        if isinstance(self.circuit, Unset):
            circuit = UNSET
        else:
            circuit = self.circuit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "backend": backend,
                "loaded": loaded,
                "models": models,
                "status": status,
            }
        )
        if circuit is not UNSET:
            field_dict["circuit"] = circuit

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.loaded import Loaded  # noqa: PLC0415
        from ..models.model_names import ModelNames  # noqa: PLC0415

        d = dict(src_dict)
        backend = d.pop("backend")

        loaded = Loaded.from_dict(d.pop("loaded"))

        models = ModelNames.from_dict(d.pop("models"))

        status = d.pop("status")

        def _parse_circuit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        circuit = _parse_circuit(d.pop("circuit", UNSET))

        llm_status = cls(
            backend=backend,
            loaded=loaded,
            models=models,
            status=status,
            circuit=circuit,
        )

        llm_status.additional_properties = d
        return llm_status

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
