from enum import StrEnum


class ServerFrameType5Type(StrEnum):
    TICKET_CREATED = "ticket_created"

    def __str__(self) -> str:
        return str(self.value)
