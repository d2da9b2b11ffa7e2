"""Ports the use cases need besides the repositories (which live in ``domain``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from domain.repositories import TaskRepository, UserRepository


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password: str, password_hash: str | None) -> bool:
        """Whether ``password`` matches; with no hash it does the same work and says no,
        so that an unknown account cannot be told from a wrong password by timing."""
        ...


class TokenKind(StrEnum):
    ACCESS = "access"
    REFRESH = "refresh"


@dataclass(frozen=True, slots=True)
class TokenClaims:
    user_id: UUID
    kind: TokenKind
    token_id: str
    #: The user's token_version when the token was issued; a different one kills it.
    version: int
    #: Refresh tokens descend from one login: a replay revokes the whole family.
    family: str | None
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    claims: TokenClaims


class TokenService(Protocol):
    def issue(
        self, kind: TokenKind, user_id: UUID, version: int, now: datetime, family: str | None
    ) -> IssuedToken: ...

    def decode(self, token: str, kind: TokenKind) -> TokenClaims:
        """The token's claims; raises :class:`application.errors.Unauthenticated` when it is
        malformed, forged, expired or of another kind."""
        ...


class RefreshOutcome(StrEnum):
    FRESH = "fresh"  # first use: accepted, now spent
    REPLAYED = "replayed"  # already spent, or its family was revoked
    UNKNOWN = "unknown"


class RefreshTokenStore(Protocol):
    """Remembers issued refresh tokens so that each one works exactly once."""

    def add(self, claims: TokenClaims) -> None: ...

    def spend(self, token_id: str, now: datetime) -> RefreshOutcome:
        """Mark the token used, atomically: of concurrent spends exactly one is FRESH."""
        ...

    def revoke_family(self, family: str, now: datetime) -> None: ...


class LoginThrottle(Protocol):
    """Slows down guessing at one account's password."""

    def retry_after(self, email: str, now: datetime) -> int:
        """Seconds to wait before another attempt for this account (0: go ahead)."""
        ...

    def failed(self, email: str, now: datetime) -> None: ...

    def succeeded(self, email: str) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: ``with uow: ...; uow.commit()``. Leaving without commit rolls back.

    The repositories are read-only members so that an implementation may hold its own
    repository classes (a protocol attribute that can be assigned would have to be typed
    exactly ``TaskRepository``)."""

    @property
    def tasks(self) -> TaskRepository: ...

    @property
    def users(self) -> UserRepository: ...

    @property
    def refresh_tokens(self) -> RefreshTokenStore: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...
