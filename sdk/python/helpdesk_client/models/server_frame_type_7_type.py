from enum import StrEnum


class ServerFrameType7Type(StrEnum):
    AGENT_MESSAGE = "agent_message"

    def __str__(self) -> str:
        return str(self.value)
