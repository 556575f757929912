from enum import StrEnum


class ServerFrameType1Type(StrEnum):
    TOKEN = "token"

    def __str__(self) -> str:
        return str(self.value)
