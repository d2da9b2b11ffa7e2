"""Ports the use cases need besides the repositories (which live in ``domain``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from domain.repositories import TaskRepository, UserRepository
from domain.user import User


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

    def needs_rehash(self, password_hash: str) -> bool:
        """Whether a matching ``password_hash`` should be replaced by a fresh hash (one
        imported from another service's scheme)."""
        ...


class Signer(Protocol):
    """Seals short texts so that they come back unchanged or not at all (list cursors)."""

    def sign(self, message: str) -> str:
        """``message`` and its signature, as one URL-safe token."""
        ...

    def unsign(self, token: str) -> str | None:
        """The message a token of ours seals; None for anything else (forged, altered,
        truncated, signed with another key, not a token at all)."""
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
    #: The login the token descends from (its family), access and refresh tokens alike:
    #: ending the login (a replay, a logout) ends every token it issued.
    family: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    claims: TokenClaims


class TokenService(Protocol):
    def issue(
        self, kind: TokenKind, user_id: UUID, version: int, now: datetime, family: str
    ) -> IssuedToken: ...

    def decode(self, token: str, kind: TokenKind) -> TokenClaims:
        """The token's claims; raises :class:`application.errors.Unauthenticated` when it is
        malformed, forged, expired or of another kind."""
        ...


class RefreshOutcome(StrEnum):
    FRESH = "fresh"  # first use: accepted, now spent
    SPENT = "spent"  # used before, at Spending.first_used_at
    ENDED = "ended"  # its login has ended
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Spending:
    outcome: RefreshOutcome
    #: When a SPENT token was used the first time.
    first_used_at: datetime | None = None


class RefreshTokenStore(Protocol):
    """Remembers issued refresh tokens so that each one works exactly once."""

    def add(self, claims: TokenClaims) -> None: ...

    def spend(self, token_id: str, now: datetime) -> Spending:
        """Mark the token used, atomically: of concurrent spends exactly one is FRESH, and a
        token of an ended login is never FRESH."""
        ...

    def prune_expired(self, now: datetime) -> int:
        """Forget the tokens that expired before ``now`` (none of them can be used or
        replayed any more); how many."""
        ...


@dataclass(frozen=True, slots=True)
class Caller:
    """What telling who calls needs of the user behind a token."""

    token_version: int
    is_admin: bool


class Callers(Protocol):
    """The read every authenticated request makes: who is behind its token, if anyone."""

    def caller(self, login_id: str, user_id: UUID) -> Caller | None:
        """The active user ``user_id`` if ``login_id`` is their login and has not ended. One
        statement, and no unit of work: it reads, and nothing it reads is changed here."""
        ...


class LoginStore(Protocol):
    """Logins (sessions). Every token carries its login's id; ending the login ends them."""

    def start(self, login_id: str, user_id: UUID, now: datetime) -> None: ...

    def user_of(self, login_id: str, user_id: UUID) -> User | None:
        """The active user ``user_id`` if ``login_id`` is their login and has not ended. One
        statement: every authenticated request asks."""
        ...

    def end(self, login_id: str, now: datetime) -> None: ...

    def prune_finished(self) -> int:
        """Forget the logins that have no refresh token left: every token they issued has
        expired (refresh tokens outlive the access tokens issued with them); how many."""
        ...


@dataclass(frozen=True, slots=True)
class Quota:
    """One limit of the login throttle as a client may see it: ``limit`` attempts go ahead
    unslowed while each comes less than ``window_seconds`` after the one before; after
    them each waits. ``remaining`` is what is left of them, ``reset_seconds`` the time until
    all of them are back."""

    policy: str
    limit: int
    window_seconds: int
    remaining: int
    reset_seconds: int


@dataclass(frozen=True, slots=True)
class Admission:
    """The throttle's answer to an attempt: go ahead (``wait_seconds`` 0, counted) or wait;
    and the quotas it was measured against, in the order they were checked."""

    wait_seconds: int
    quotas: tuple[Quota, ...] = ()


class LoginThrottle(Protocol):
    """Slows down password guessing: per client address, and per account from one address
    (so that failures elsewhere cannot lock the owner out)."""

    def admit(self, account: str, address: str, now: datetime) -> Admission:
        """Count an attempt at ``account`` (its email key) from ``address`` unless one of the
        two must wait first: then the seconds to wait, and nothing is counted. Checking and
        counting are one atomic step, so parallel guesses cannot slip past."""
        ...

    def succeeded(self, account: str, address: str) -> None:
        """Forget the failures of the pair, and give the address its attempt back."""
        ...

    def prune(self, now: datetime) -> int:
        """Forget the attempts too old to slow anyone down any more; how many keys."""
        ...


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

    @property
    def logins(self) -> LoginStore: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...
