from enum import StrEnum


class ServerFrameType2Type(StrEnum):
    ANSWER = "answer"

    def __str__(self) -> str:
        return str(self.value)
