from enum import StrEnum


class ServerFrameType3Type(StrEnum):
    SUGGESTIONS = "suggestions"

    def __str__(self) -> str:
        return str(self.value)
