from enum import StrEnum


class GetBreakdownBy(StrEnum):
    AGENT = "agent"
    QUEUE = "queue"

    def __str__(self) -> str:
        return str(self.value)
