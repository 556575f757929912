from enum import StrEnum


class UploadEventName(StrEnum):
    DONE = "done"
    ERROR = "error"
    PROGRESS = "progress"
    STORED = "stored"

    def __str__(self) -> str:
        return str(self.value)
