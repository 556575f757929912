from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.server_frame_type_0 import ServerFrameType0
    from ..models.server_frame_type_1 import ServerFrameType1
    from ..models.server_frame_type_2 import ServerFrameType2
    from ..models.server_frame_type_3 import ServerFrameType3
    from ..models.server_frame_type_4 import ServerFrameType4
    from ..models.server_frame_type_5 import ServerFrameType5
    from ..models.server_frame_type_6 import ServerFrameType6
    from ..models.server_frame_type_7 import ServerFrameType7
    from ..models.server_frame_type_8 import ServerFrameType8


T = TypeVar("T", bound="ChatReply")


@_attrs_define
class ChatReply:
    """The REST fallback's answer: the frames a WebSocket client would have received, minus
    the streamed tokens.

        Attributes:
            frames (list[ServerFrameType0 | ServerFrameType1 | ServerFrameType2 | ServerFrameType3 | ServerFrameType4 |
                ServerFrameType5 | ServerFrameType6 | ServerFrameType7 | ServerFrameType8]):
            session_id (UUID): One conversation of one visitor (or customer) with the bot and, after a handoff,
                with the agents working its ticket.
    """

    frames: list[
        ServerFrameType0
        | ServerFrameType1
        | ServerFrameType2
        | ServerFrameType3
        | ServerFrameType4
        | ServerFrameType5
        | ServerFrameType6
        | ServerFrameType7
        | ServerFrameType8
    ]
    session_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.server_frame_type_0 import ServerFrameType0  # noqa: PLC0415
        from ..models.server_frame_type_1 import ServerFrameType1  # noqa: PLC0415
        from ..models.server_frame_type_2 import ServerFrameType2  # noqa: PLC0415
        from ..models.server_frame_type_3 import ServerFrameType3  # noqa: PLC0415
        from ..models.server_frame_type_4 import ServerFrameType4  # noqa: PLC0415
        from ..models.server_frame_type_5 import ServerFrameType5  # noqa: PLC0415
        from ..models.server_frame_type_6 import ServerFrameType6  # noqa: PLC0415
        from ..models.server_frame_type_7 import ServerFrameType7  # noqa: PLC0415

        frames = []
        for frames_item_data in self.frames:
            frames_item: dict[str, Any]
            if isinstance(frames_item_data, ServerFrameType0):
                frames_item = frames_item_data.to_dict()
            elif isinstance(frames_item_data, ServerFrameType1):
                frames_item = frames_item_data.to_dict()
            elif isinstance(frames_item_data, ServerFrameType2):
                frames_item = frames_item_data.to_dict()
            elif isinstance(frames_item_data, ServerFrameType3):
                frames_item = frames_item_data.to_dict()
            elif isinstance(frames_item_data, ServerFrameType4):
                frames_item = frames_item_data.to_dict()
            elif isinstance(frames_item_data, ServerFrameType5):
                frames_item = frames_item_data.to_dict()
            elif isinstance(frames_item_data, ServerFrameType6):
                frames_item = frames_item_data.to_dict()
            elif isinstance(frames_item_data, ServerFrameType7):
                frames_item = frames_item_data.to_dict()
            else:
                frames_item = frames_item_data.to_dict()

            frames.append(frames_item)

        session_id = str(self.session_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "frames": frames,
                "session_id": session_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.server_frame_type_0 import ServerFrameType0  # noqa: PLC0415
        from ..models.server_frame_type_1 import ServerFrameType1  # noqa: PLC0415
        from ..models.server_frame_type_2 import ServerFrameType2  # noqa: PLC0415
        from ..models.server_frame_type_3 import ServerFrameType3  # noqa: PLC0415
        from ..models.server_frame_type_4 import ServerFrameType4  # noqa: PLC0415
        from ..models.server_frame_type_5 import ServerFrameType5  # noqa: PLC0415
        from ..models.server_frame_type_6 import ServerFrameType6  # noqa: PLC0415
        from ..models.server_frame_type_7 import ServerFrameType7  # noqa: PLC0415
        from ..models.server_frame_type_8 import ServerFrameType8  # noqa: PLC0415

        d = dict(src_dict)
        frames = []
        _frames = d.pop("frames")
        for frames_item_data in _frames:

            def _parse_frames_item(
                data: object,
            ) -> (
                ServerFrameType0
                | ServerFrameType1
                | ServerFrameType2
                | ServerFrameType3
                | ServerFrameType4
                | ServerFrameType5
                | ServerFrameType6
                | ServerFrameType7
                | ServerFrameType8
            ):
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_server_frame_type_0 = ServerFrameType0.from_dict(data)

                    return componentsschemas_server_frame_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_server_frame_type_1 = ServerFrameType1.from_dict(data)

                    return componentsschemas_server_frame_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_server_frame_type_2 = ServerFrameType2.from_dict(data)

                    return componentsschemas_server_frame_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_server_frame_type_3 = ServerFrameType3.from_dict(data)

                    return componentsschemas_server_frame_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_server_frame_type_4 = ServerFrameType4.from_dict(data)

                    return componentsschemas_server_frame_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_server_frame_type_5 = ServerFrameType5.from_dict(data)

                    return componentsschemas_server_frame_type_5
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_server_frame_type_6 = ServerFrameType6.from_dict(data)

                    return componentsschemas_server_frame_type_6
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_server_frame_type_7 = ServerFrameType7.from_dict(data)

                    return componentsschemas_server_frame_type_7
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_server_frame_type_8 = ServerFrameType8.from_dict(data)

                return componentsschemas_server_frame_type_8

            frames_item = _parse_frames_item(frames_item_data)

            frames.append(frames_item)

        session_id = UUID(d.pop("session_id"))

        chat_reply = cls(
            frames=frames,
            session_id=session_id,
        )

        chat_reply.additional_properties = d
        return chat_reply

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
