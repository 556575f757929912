from enum import StrEnum


class SessionStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"
    HANDED_OFF = "handed_off"

    def __str__(self) -> str:
        return str(self.value)
