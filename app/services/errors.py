"""Errors a user can cause, as values with an Indonesian message and an HTTP status."""

from __future__ import annotations


class ServiceError(Exception):
    """A refused request. `field` names the offending input when there is one."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, object]:
        """The body of an API error response: bad input names its field, other refusals are a
        plain message."""
        if self.field and self.status == 400:
            return {"message": {self.field: [self.message]}}
        return {"message": self.message}


class InvalidInput(ServiceError):
    """Input that breaks a domain rule (400)."""


class Forbidden(ServiceError):
    """The actor may not do this (403)."""

    status = 403


class NotFound(ServiceError):
    """The object does not exist, or the actor may not know that it does (404)."""

    status = 404


class Conflict(ServiceError):
    """Someone else changed the object first (409)."""

    status = 409


class PreconditionRequired(ServiceError):
    """A change sent without the version it was based on (428): without it a concurrent edit
    would be silently overwritten."""

    status = 428
