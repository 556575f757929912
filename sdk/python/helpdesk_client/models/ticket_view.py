from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.priority import Priority
from ..models.status import Status
from ..types import UNSET, Unset

T = TypeVar("T", bound="TicketView")


@_attrs_define
class TicketView:
    """
    Attributes:
        body (str):
        created_at (datetime.datetime):
        id (UUID):
        number (int):
        priority (Priority):
        queue (str):
        requester_id (UUID):
        status (Status):
        subject (str):
        tenant_id (UUID): The tenant every service call is scoped to; only a verified token yields one.
        updated_at (datetime.datetime):
        version (int):
        assignee_id (None | Unset | UUID):
        category (None | str | Unset):
        category_confidence (float | None | Unset):
        closed_at (datetime.datetime | None | Unset):
        first_response_at (datetime.datetime | None | Unset): When staff first replied in public (a note does not
            count).
        resolution_due_at (datetime.datetime | None | Unset):
        sla_due_at (datetime.datetime | None | Unset):
    """

    body: str
    created_at: datetime.datetime
    id: UUID
    number: int
    priority: Priority
    queue: str
    requester_id: UUID
    status: Status
    subject: str
    tenant_id: UUID
    updated_at: datetime.datetime
    version: int
    assignee_id: None | Unset | UUID = UNSET
    category: None | str | Unset = UNSET
    category_confidence: float | None | Unset = UNSET
    closed_at: datetime.datetime | None | Unset = UNSET
    first_response_at: datetime.datetime | None | Unset = UNSET
    resolution_due_at: datetime.datetime | None | Unset = UNSET
    sla_due_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        body = self.body

        created_at = self.created_at.isoformat()

        id = str(self.id)

        number = self.number

        priority = self.priority.value

        queue = self.queue

        requester_id = str(self.requester_id)

        status = self.status.value

        subject = self.subject

        tenant_id = str(self.tenant_id)

        updated_at = self.updated_at.isoformat()

        version = self.version

        assignee_id: None | str | Unset
        if isinstance(self.assignee_id, Unset):
            assignee_id = UNSET
        elif isinstance(self.assignee_id, UUID):
            assignee_id = str(self.assignee_id)
        else:
            assignee_id = self.assignee_id

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        category_confidence: float | None | Unset
        if isinstance(self.category_confidence, Unset):
            category_confidence = UNSET
        else:
            category_confidence = self.category_confidence

        closed_at: None | str | Unset
        if isinstance(self.closed_at, Unset):
            closed_at = UNSET
        elif isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        first_response_at: None | str | Unset
        if isinstance(self.first_response_at, Unset):
            first_response_at = UNSET
        elif isinstance(self.first_response_at, datetime.datetime):
            first_response_at = self.first_response_at.isoformat()
        else:
            first_response_at = self.first_response_at

        resolution_due_at: None | str | Unset
        if isinstance(self.resolution_due_at, Unset):
            resolution_due_at = UNSET
        elif isinstance(self.resolution_due_at, datetime.datetime):
            resolution_due_at = self.resolution_due_at.isoformat()
        else:
            resolution_due_at = self.resolution_due_at

        sla_due_at: None | str | Unset
        if isinstance(self.sla_due_at, Unset):
            sla_due_at = UNSET
        elif isinstance(self.sla_due_at, datetime.datetime):
            sla_due_at = self.sla_due_at.isoformat()
        else:
            sla_due_at = self.sla_due_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "body": body,
                "created_at": created_at,
                "id": id,
                "number": number,
                "priority": priority,
                "queue": queue,
                "requester_id": requester_id,
                "status": status,
                "subject": subject,
                "tenant_id": tenant_id,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if assignee_id is not UNSET:
            field_dict["assignee_id"] = assignee_id
        if category is not UNSET:
            field_dict["category"] = category
        if category_confidence is not UNSET:
            field_dict["category_confidence"] = category_confidence
        if closed_at is not UNSET:
            field_dict["closed_at"] = closed_at
        if first_response_at is not UNSET:
            field_dict["first_response_at"] = first_response_at
        if resolution_due_at is not UNSET:
            field_dict["resolution_due_at"] = resolution_due_at
        if sla_due_at is not UNSET:
            field_dict["sla_due_at"] = sla_due_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        body = d.pop("body")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        number = d.pop("number")

        priority = Priority(d.pop("priority"))

        queue = d.pop("queue")

        requester_id = UUID(d.pop("requester_id"))

        status = Status(d.pop("status"))

        subject = d.pop("subject")

        tenant_id = UUID(d.pop("tenant_id"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        def _parse_assignee_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                assignee_id_type_0 = UUID(data)

                return assignee_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        assignee_id = _parse_assignee_id(d.pop("assignee_id", UNSET))

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        def _parse_category_confidence(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        category_confidence = _parse_category_confidence(d.pop("category_confidence", UNSET))

        def _parse_closed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        closed_at = _parse_closed_at(d.pop("closed_at", UNSET))

        def _parse_first_response_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                first_response_at_type_0 = datetime.datetime.fromisoformat(data)

                return first_response_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        first_response_at = _parse_first_response_at(d.pop("first_response_at", UNSET))

        def _parse_resolution_due_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolution_due_at_type_0 = datetime.datetime.fromisoformat(data)

                return resolution_due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        resolution_due_at = _parse_resolution_due_at(d.pop("resolution_due_at", UNSET))

        def _parse_sla_due_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sla_due_at_type_0 = datetime.datetime.fromisoformat(data)

                return sla_due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        sla_due_at = _parse_sla_due_at(d.pop("sla_due_at", UNSET))

        ticket_view = cls(
            body=body,
            created_at=created_at,
            id=id,
            number=number,
            priority=priority,
            queue=queue,
            requester_id=requester_id,
            status=status,
            subject=subject,
            tenant_id=tenant_id,
            updated_at=updated_at,
            version=version,
            assignee_id=assignee_id,
            category=category,
            category_confidence=category_confidence,
            closed_at=closed_at,
            first_response_at=first_response_at,
            resolution_due_at=resolution_due_at,
            sla_due_at=sla_due_at,
        )

        ticket_view.additional_properties = d
        return ticket_view

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
