from enum import StrEnum


class ServerFrameType8Type(StrEnum):
    ERROR = "error"

    def __str__(self) -> str:
        return str(self.value)
