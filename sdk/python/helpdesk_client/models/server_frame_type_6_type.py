from enum import StrEnum


class ServerFrameType6Type(StrEnum):
    FORWARDED = "forwarded"

    def __str__(self) -> str:
        return str(self.value)
