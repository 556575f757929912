from enum import StrEnum


class ServerFrameType4Type(StrEnum):
    ABSTAINED = "abstained"

    def __str__(self) -> str:
        return str(self.value)
