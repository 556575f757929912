from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_outcomes import ChatOutcomes
    from ..models.gap_group import GapGroup


T = TypeVar("T", bound="ReportSummary")


@_attrs_define
class ReportSummary:
    """
    Attributes:
        answer_thumbs_down (int):
        answer_thumbs_up (int): Thumbs on single bot answers.
        backlog (int): Tickets open at the end of the range.
        business_hours (bool): Times above are counted in the tenant's business hours.
        chats (ChatOutcomes): Chats opened in the range, by how they ended.
        csat_responses (int):
        from_ (datetime.date):
        knowledge_gaps (list[GapGroup]): Questions the bot could not answer (or whose answer got a thumbs down),
            grouped.
        sla_met (int):
        sla_missed (int):
        tickets_created (int): Tickets opened in the range.
        tickets_solved (int): Tickets resolved or closed in the range.
        to (datetime.date):
        csat (float | None | Unset): Good ratings over all ratings of chats and tickets given in the range.
        deflection_rate (float | None | Unset): Deflected chats over chats: answered by the bot without a person.
        first_response_p50_seconds (float | None | Unset): Of tickets opened in the range: time to the first public
            reply by staff.
        first_response_p90_seconds (float | None | Unset):
        resolution_p50_seconds (float | None | Unset): Of tickets solved in the range: time from opening to solving.
        resolution_p90_seconds (float | None | Unset):
        sla_attainment (float | None | Unset): Of the first-response and resolution deadlines of tickets opened in the
            range that
            were met or have passed: the share met. `null` when none has.
    """

    answer_thumbs_down: int
    answer_thumbs_up: int
    backlog: int
    business_hours: bool
    chats: ChatOutcomes
    csat_responses: int
    from_: datetime.date
    knowledge_gaps: list[GapGroup]
    sla_met: int
    sla_missed: int
    tickets_created: int
    tickets_solved: int
    to: datetime.date
    csat: float | None | Unset = UNSET
    deflection_rate: float | None | Unset = UNSET
    first_response_p50_seconds: float | None | Unset = UNSET
    first_response_p90_seconds: float | None | Unset = UNSET
    resolution_p50_seconds: float | None | Unset = UNSET
    resolution_p90_seconds: float | None | Unset = UNSET
    sla_attainment: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        answer_thumbs_down = self.answer_thumbs_down

        answer_thumbs_up = self.answer_thumbs_up

        backlog = self.backlog

        business_hours = self.business_hours

        chats = self.chats.to_dict()

        csat_responses = self.csat_responses

        from_ = self.from_.isoformat()

        knowledge_gaps = []
        for knowledge_gaps_item_data in self.knowledge_gaps:
            knowledge_gaps_item = knowledge_gaps_item_data.to_dict()
            knowledge_gaps.append(knowledge_gaps_item)

        sla_met = self.sla_met

        sla_missed = self.sla_missed

        tickets_created = self.tickets_created

        tickets_solved = self.tickets_solved

        to = self.to.isoformat()

        csat: float | None | Unset
        if isinstance(self.csat, Unset):
            csat = UNSET
        else:
            csat = self.csat

        deflection_rate: float | None | Unset
        if isinstance(self.deflection_rate, Unset):
            deflection_rate = UNSET
        else:
            deflection_rate = self.deflection_rate

        first_response_p50_seconds: float | None | Unset
        if isinstance(self.first_response_p50_seconds, Unset):
            first_response_p50_seconds = UNSET
        else:
            first_response_p50_seconds = self.first_response_p50_seconds

        first_response_p90_seconds: float | None | Unset
        if isinstance(self.first_response_p90_seconds, Unset):
            first_response_p90_seconds = UNSET
        else:
            first_response_p90_seconds = self.first_response_p90_seconds

        resolution_p50_seconds: float | None | Unset
        if isinstance(self.resolution_p50_seconds, Unset):
            resolution_p50_seconds = UNSET
        else:
            resolution_p50_seconds = self.resolution_p50_seconds

        resolution_p90_seconds: float | None | Unset
        if isinstance(self.resolution_p90_seconds, Unset):
            resolution_p90_seconds = UNSET
        else:
            resolution_p90_seconds = self.resolution_p90_seconds

        sla_attainment: float | None | Unset
        if isinstance(self.sla_attainment, Unset):
            sla_attainment = UNSET
        else:
            sla_attainment = self.sla_attainment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "answer_thumbs_down": answer_thumbs_down,
                "answer_thumbs_up": answer_thumbs_up,
                "backlog": backlog,
                "business_hours": business_hours,
                "chats": chats,
                "csat_responses": csat_responses,
                "from": from_,
                "knowledge_gaps": knowledge_gaps,
                "sla_met": sla_met,
                "sla_missed": sla_missed,
                "tickets_created": tickets_created,
                "tickets_solved": tickets_solved,
                "to": to,
            }
        )
        if csat is not UNSET:
            field_dict["csat"] = csat
        if deflection_rate is not UNSET:
            field_dict["deflection_rate"] = deflection_rate
        if first_response_p50_seconds is not UNSET:
            field_dict["first_response_p50_seconds"] = first_response_p50_seconds
        if first_response_p90_seconds is not UNSET:
            field_dict["first_response_p90_seconds"] = first_response_p90_seconds
        if resolution_p50_seconds is not UNSET:
            field_dict["resolution_p50_seconds"] = resolution_p50_seconds
        if resolution_p90_seconds is not UNSET:
            field_dict["resolution_p90_seconds"] = resolution_p90_seconds
        if sla_attainment is not UNSET:
            field_dict["sla_attainment"] = sla_attainment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_outcomes import ChatOutcomes  # noqa: PLC0415
        from ..models.gap_group import GapGroup  # noqa: PLC0415

        d = dict(src_dict)
        answer_thumbs_down = d.pop("answer_thumbs_down")

        answer_thumbs_up = d.pop("answer_thumbs_up")

        backlog = d.pop("backlog")

        business_hours = d.pop("business_hours")

        chats = ChatOutcomes.from_dict(d.pop("chats"))

        csat_responses = d.pop("csat_responses")

        from_ = datetime.date.fromisoformat(d.pop("from"))

        knowledge_gaps = []
        _knowledge_gaps = d.pop("knowledge_gaps")
        for knowledge_gaps_item_data in _knowledge_gaps:
            knowledge_gaps_item = GapGroup.from_dict(knowledge_gaps_item_data)

            knowledge_gaps.append(knowledge_gaps_item)

        sla_met = d.pop("sla_met")

        sla_missed = d.pop("sla_missed")

        tickets_created = d.pop("tickets_created")

        tickets_solved = d.pop("tickets_solved")

        to = datetime.date.fromisoformat(d.pop("to"))

        def _parse_csat(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        csat = _parse_csat(d.pop("csat", UNSET))

        def _parse_deflection_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        deflection_rate = _parse_deflection_rate(d.pop("deflection_rate", UNSET))

        def _parse_first_response_p50_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        first_response_p50_seconds = _parse_first_response_p50_seconds(d.pop("first_response_p50_seconds", UNSET))

        def _parse_first_response_p90_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        first_response_p90_seconds = _parse_first_response_p90_seconds(d.pop("first_response_p90_seconds", UNSET))

        def _parse_resolution_p50_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        resolution_p50_seconds = _parse_resolution_p50_seconds(d.pop("resolution_p50_seconds", UNSET))

        def _parse_resolution_p90_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        resolution_p90_seconds = _parse_resolution_p90_seconds(d.pop("resolution_p90_seconds", UNSET))

        def _parse_sla_attainment(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        sla_attainment = _parse_sla_attainment(d.pop("sla_attainment", UNSET))

        report_summary = cls(
            answer_thumbs_down=answer_thumbs_down,
            answer_thumbs_up=answer_thumbs_up,
            backlog=backlog,
            business_hours=business_hours,
            chats=chats,
            csat_responses=csat_responses,
            from_=from_,
            knowledge_gaps=knowledge_gaps,
            sla_met=sla_met,
            sla_missed=sla_missed,
            tickets_created=tickets_created,
            tickets_solved=tickets_solved,
            to=to,
            csat=csat,
            deflection_rate=deflection_rate,
            first_response_p50_seconds=first_response_p50_seconds,
            first_response_p90_seconds=first_response_p90_seconds,
            resolution_p50_seconds=resolution_p50_seconds,
            resolution_p90_seconds=resolution_p90_seconds,
            sla_attainment=sla_attainment,
        )

        report_summary.additional_properties = d
        return report_summary

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
