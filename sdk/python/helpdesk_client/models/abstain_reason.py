from enum import StrEnum


class AbstainReason(StrEnum):
    NOT_COVERED = "not_covered"
    NO_VALID_CITATION = "no_valid_citation"
    UNCERTAIN = "uncertain"
    UNSUPPORTED = "unsupported"

    def __str__(self) -> str:
        return str(self.value)
