from enum import StrEnum


class ServerFrameType0Type(StrEnum):
    SESSION = "session"

    def __str__(self) -> str:
        return str(self.value)
