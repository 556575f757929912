from enum import StrEnum


class Plan(StrEnum):
    BUSINESS = "business"
    ENTERPRISE = "enterprise"
    FREE = "free"
    TEAM = "team"

    def __str__(self) -> str:
        return str(self.value)
