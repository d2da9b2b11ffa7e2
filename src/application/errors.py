"""Refusals that come from the application rather than from an aggregate's rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from application.ports import Quota


class ApplicationError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ApplicationError):
    """No such (non-deleted) task or user."""

    def __init__(self, kind: str, identifier: object) -> None:
        super().__init__(f"{kind} {identifier} was not found.")
        self.kind = kind
        self.identifier = identifier


class Unauthenticated(ApplicationError):
    """Credentials are missing, wrong, expired or revoked. Deliberately vague."""


class MissingCredentials(Unauthenticated):
    """No credentials were sent at all (rather than wrong ones)."""


class Forbidden(ApplicationError):
    """The caller is known but not allowed to do this."""


class InvalidInput(ApplicationError):
    """Input breaks a rule of the use case (not of an aggregate), per field."""

    def __init__(self, errors: Mapping[str, Sequence[str]]) -> None:
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))
        self.errors = {field: list(messages) for field, messages in errors.items()}


class WrongCredentials(Unauthenticated):
    """A login refused for its email or password; ``quotas`` (of the login throttle, as
    :class:`application.ports.Quota`) says how many attempts remain unslowed."""

    def __init__(self, message: str, quotas: Sequence[Quota] = ()) -> None:
        super().__init__(message)
        self.quotas = tuple(quotas)


class TooManyAttempts(ApplicationError):
    """Too many failed logins for one account in a short time; try again later."""

    def __init__(self, retry_after_seconds: int, quotas: Sequence[Quota] = ()) -> None:
        super().__init__(f"Too many failed attempts; try again in {retry_after_seconds} s.")
        self.retry_after_seconds = retry_after_seconds
        self.quotas = tuple(quotas)


class PreconditionFailed(ApplicationError):
    """The caller changes what it read, and that has changed since (its version moved on):
    nothing was done. ``current_version`` lets it see what it would overwrite."""

    def __init__(self, kind: str, identifier: object, current_version: int) -> None:
        super().__init__(f"{kind} {identifier} has changed since the version given; read it again.")
        self.kind = kind
        self.identifier = identifier
        self.current_version = current_version


def require_version(kind: str, identifier: object, current: int, expected: int | None) -> None:
    """Refuse a change made against another version than ``current`` (None: against any).

    Called under the row's lock, so that no change can slip in between the check and the
    change it guards."""
    if expected is not None and expected != current:
        raise PreconditionFailed(kind, identifier, current)
