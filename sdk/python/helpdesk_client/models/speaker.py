from enum import StrEnum


class Speaker(StrEnum):
    AGENT = "agent"
    ASSISTANT = "assistant"
    SYSTEM = "system"
    VISITOR = "visitor"

    def __str__(self) -> str:
        return str(self.value)
