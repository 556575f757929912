from enum import StrEnum


class ListAuditAction(StrEnum):
    AUTH_SIGN_IN = "auth.sign_in"
    AUTH_SIGN_IN_FAILED = "auth.sign_in_failed"
    DOCUMENT_DELETED = "document.deleted"
    DOCUMENT_UPLOADED = "document.uploaded"
    DOCUMENT_VISIBILITY_CHANGED = "document.visibility_changed"
    PERSON_ERASED = "person.erased"
    PERSON_EXPORTED = "person.exported"
    SETTINGS_CHANGED = "settings.changed"
    TENANT_CREATED = "tenant.created"
    TICKET_ASSIGNEE_CHANGED = "ticket.assignee_changed"
    TICKET_STATUS_CHANGED = "ticket.status_changed"
    USER_CREATED = "user.created"
    USER_DISABLED = "user.disabled"
    USER_ENABLED = "user.enabled"
    USER_PASSWORD_CHANGED = "user.password_changed"
    USER_PASSWORD_RESET = "user.password_reset"
    USER_PASSWORD_RESET_ISSUED = "user.password_reset_issued"
    USER_ROLE_CHANGED = "user.role_changed"

    def __str__(self) -> str:
        return str(self.value)
