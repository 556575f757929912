from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.csat_patch import CsatPatch
    from ..models.privacy_patch import PrivacyPatch
    from ..models.settings_patch_business_hours_type_0 import SettingsPatchBusinessHoursType0
    from ..models.settings_patch_sla_minutes_type_0 import SettingsPatchSlaMinutesType0
    from ..models.theme_patch import ThemePatch
    from ..models.webhook_patch import WebhookPatch


T = TypeVar("T", bound="SettingsPatch")


@_attrs_define
class SettingsPatch:
    """A change to a tenant's settings; absent keys stay as they are, `null` clears the
    optional ones.

        Attributes:
            allowed_origins (list[str] | None | Unset): Replaces the list; `[]` clears it.
            business_hours (None | SettingsPatchBusinessHoursType0 | Unset): `{"timezone": "Europe/Berlin", "days": {"mon":
                ["09:00", "17:00"], …}}`.
            csat (CsatPatch | None | Unset):
            privacy (None | PrivacyPatch | Unset):
            sla_minutes (None | SettingsPatchSlaMinutesType0 | Unset):
            theme (None | ThemePatch | Unset):
            webhooks (None | Unset | WebhookPatch):
    """

    allowed_origins: list[str] | None | Unset = UNSET
    business_hours: None | SettingsPatchBusinessHoursType0 | Unset = UNSET
    csat: CsatPatch | None | Unset = UNSET
    privacy: None | PrivacyPatch | Unset = UNSET
    sla_minutes: None | SettingsPatchSlaMinutesType0 | Unset = UNSET
    theme: None | ThemePatch | Unset = UNSET
    webhooks: None | Unset | WebhookPatch = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.csat_patch import CsatPatch  # noqa: PLC0415
        from ..models.privacy_patch import PrivacyPatch  # noqa: PLC0415
        from ..models.settings_patch_business_hours_type_0 import SettingsPatchBusinessHoursType0  # noqa: PLC0415
        from ..models.settings_patch_sla_minutes_type_0 import SettingsPatchSlaMinutesType0  # noqa: PLC0415
        from ..models.theme_patch import ThemePatch  # noqa: PLC0415
        from ..models.webhook_patch import WebhookPatch  # noqa: PLC0415

        allowed_origins: list[str] | None | Unset
        if isinstance(self.allowed_origins, Unset):
            allowed_origins = UNSET
        elif isinstance(self.allowed_origins, list):
            allowed_origins = self.allowed_origins

        else:
            allowed_origins = self.allowed_origins

        business_hours: dict[str, Any] | None | Unset
        if isinstance(self.business_hours, Unset):
            business_hours = UNSET
        elif isinstance(self.business_hours, SettingsPatchBusinessHoursType0):
            business_hours = self.business_hours.to_dict()
        else:
            business_hours = self.business_hours

        csat: dict[str, Any] | None | Unset
        if isinstance(self.csat, Unset):
            csat = UNSET
        elif isinstance(self.csat, CsatPatch):
            csat = self.csat.to_dict()
        else:
            csat = self.csat

        privacy: dict[str, Any] | None | Unset
        if isinstance(self.privacy, Unset):
            privacy = UNSET
        elif isinstance(self.privacy, PrivacyPatch):
            privacy = self.privacy.to_dict()
        else:
            privacy = self.privacy

        sla_minutes: dict[str, Any] | None | Unset
        if isinstance(self.sla_minutes, Unset):
            sla_minutes = UNSET
        elif isinstance(self.sla_minutes, SettingsPatchSlaMinutesType0):
            sla_minutes = self.sla_minutes.to_dict()
        else:
            sla_minutes = self.sla_minutes

        theme: dict[str, Any] | None | Unset
        if isinstance(self.theme, Unset):
            theme = UNSET
        elif isinstance(self.theme, ThemePatch):
            theme = self.theme.to_dict()
        else:
            theme = self.theme

        webhooks: dict[str, Any] | None | Unset
        if isinstance(self.webhooks, Unset):
            webhooks = UNSET
        elif isinstance(self.webhooks, WebhookPatch):
            webhooks = self.webhooks.to_dict()
        else:
            webhooks = self.webhooks

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if allowed_origins is not UNSET:
            field_dict["allowed_origins"] = allowed_origins
        if business_hours is not UNSET:
            field_dict["business_hours"] = business_hours
        if csat is not UNSET:
            field_dict["csat"] = csat
        if privacy is not UNSET:
            field_dict["privacy"] = privacy
        if sla_minutes is not UNSET:
            field_dict["sla_minutes"] = sla_minutes
        if theme is not UNSET:
            field_dict["theme"] = theme
        if webhooks is not UNSET:
            field_dict["webhooks"] = webhooks

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.csat_patch import CsatPatch  # noqa: PLC0415
        from ..models.privacy_patch import PrivacyPatch  # noqa: PLC0415
        from ..models.settings_patch_business_hours_type_0 import SettingsPatchBusinessHoursType0  # noqa: PLC0415
        from ..models.settings_patch_sla_minutes_type_0 import SettingsPatchSlaMinutesType0  # noqa: PLC0415
        from ..models.theme_patch import ThemePatch  # noqa: PLC0415
        from ..models.webhook_patch import WebhookPatch  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_allowed_origins(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_origins_type_0 = cast(list[str], data)

                return allowed_origins_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        allowed_origins = _parse_allowed_origins(d.pop("allowed_origins", UNSET))

        def _parse_business_hours(data: object) -> None | SettingsPatchBusinessHoursType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                business_hours_type_0 = SettingsPatchBusinessHoursType0.from_dict(data)

                return business_hours_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SettingsPatchBusinessHoursType0 | Unset, data)

        business_hours = _parse_business_hours(d.pop("business_hours", UNSET))

        def _parse_csat(data: object) -> CsatPatch | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                csat_type_0 = CsatPatch.from_dict(data)

                return csat_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CsatPatch | None | Unset, data)

        csat = _parse_csat(d.pop("csat", UNSET))

        def _parse_privacy(data: object) -> None | PrivacyPatch | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                privacy_type_0 = PrivacyPatch.from_dict(data)

                return privacy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PrivacyPatch | Unset, data)

        privacy = _parse_privacy(d.pop("privacy", UNSET))

        def _parse_sla_minutes(data: object) -> None | SettingsPatchSlaMinutesType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sla_minutes_type_0 = SettingsPatchSlaMinutesType0.from_dict(data)

                return sla_minutes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SettingsPatchSlaMinutesType0 | Unset, data)

        sla_minutes = _parse_sla_minutes(d.pop("sla_minutes", UNSET))

        def _parse_theme(data: object) -> None | ThemePatch | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                theme_type_0 = ThemePatch.from_dict(data)

                return theme_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ThemePatch | Unset, data)

        theme = _parse_theme(d.pop("theme", UNSET))

        def _parse_webhooks(data: object) -> None | Unset | WebhookPatch:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                webhooks_type_0 = WebhookPatch.from_dict(data)

                return webhooks_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WebhookPatch, data)

        webhooks = _parse_webhooks(d.pop("webhooks", UNSET))

        settings_patch = cls(
            allowed_origins=allowed_origins,
            business_hours=business_hours,
            csat=csat,
            privacy=privacy,
            sla_minutes=sla_minutes,
            theme=theme,
            webhooks=webhooks,
        )

        return settings_patch
