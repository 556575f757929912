from enum import StrEnum


class GenerateEventName(StrEnum):
    DONE = "done"
    ERROR = "error"
    TOKEN = "token"

    def __str__(self) -> str:
        return str(self.value)
