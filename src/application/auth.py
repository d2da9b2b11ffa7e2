"""Logging in and out, refreshing tokens, and telling who is calling.

A login is a session of its own: every token it issues, access and refresh, carries its id,
and ending the login ends them all at once (access tokens are checked against the login and
the user on every request). Deleting a user or changing their password ends their tokens too.

Refresh tokens rotate: each works exactly once. A second use within :data:`REUSE_GRACE` of the
first is refused (401) and changes nothing: that is a client racing itself (two tabs refreshing
at once), and the pair the first use got must keep working. A second use after the grace is a
replay (someone holds a copy): it is refused and ends the login, thief's tokens and owner's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Protocol, TypeVar
from uuid import uuid4

from application.errors import TooManyAttempts, Unauthenticated, WrongCredentials
from application.policy import Actor
from application.ports import (
    Callers,
    Clock,
    LoginThrottle,
    PasswordHasher,
    Quota,
    RefreshOutcome,
    Spending,
    TokenClaims,
    TokenKind,
    TokenService,
    UnitOfWork,
)
from domain.errors import InvalidValue
from domain.user import Email, User, email_key

#: How long after its first use a refresh token's second use is taken for a race, not a theft.
REUSE_GRACE: Final = timedelta(seconds=10)

_BAD_CREDENTIALS = "Invalid email or password."
_BAD_TOKEN = "The token is invalid or has expired."  # noqa: S105 - a message


@dataclass(frozen=True, slots=True)
class TokenPair:
    access: str
    refresh: str


@dataclass(frozen=True, slots=True)
class LoggedIn:
    tokens: TokenPair
    #: The throttle's quotas as the attempt left them, before its success gave them back.
    quotas: tuple[Quota, ...] = ()


class TokenIssuer:
    """Issues an access + refresh pair of a login (a new one unless given), and remembers the
    login and the refresh token in the open unit of work (the caller commits)."""

    def __init__(self, tokens: TokenService, clock: Clock) -> None:
        self._tokens = tokens
        self._clock = clock

    def issue(self, uow: UnitOfWork, user: User, login: str | None = None) -> TokenPair:
        now = self._clock.now()
        if login is None:
            login = uuid4().hex
            uow.logins.start(login, user.external_id, now)
        version = user.token_version
        access = self._tokens.issue(TokenKind.ACCESS, user.external_id, version, now, login)
        refresh = self._tokens.issue(TokenKind.REFRESH, user.external_id, version, now, login)
        uow.refresh_tokens.add(refresh.claims)
        return TokenPair(access=access.token, refresh=refresh.token)


class LogIn:
    """Email and password for a new login. The throttle counts the attempt before any password
    work, so throttled guessing costs the service almost nothing; an unknown email costs the
    same password work as a wrong password, so timing tells nothing."""

    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        issuer: TokenIssuer,
        throttle: LoginThrottle,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._issuer = issuer
        self._throttle = throttle
        self._clock = clock

    def __call__(self, email: str, password: str, address: str) -> LoggedIn:
        """``address``: the client's network address, as the throttle should count it. The
        quotas of the attempt go with every outcome, refusals included, so that a client
        learns its limits before it meets them."""
        account = email_key(email)
        admission = self._throttle.admit(account, address, self._clock.now())
        if admission.wait_seconds > 0:
            raise TooManyAttempts(admission.wait_seconds, admission.quotas)
        with self._uow:
            user = self._find(email)
            matches = self._hasher.verify(password, user.password_hash if user else None)
            if user is None or not matches:
                raise WrongCredentials(_BAD_CREDENTIALS, admission.quotas)
            if self._hasher.needs_rehash(user.password_hash):
                user.rehash_password(self._hasher.hash(password))
            pair = self._issuer.issue(self._uow, user)
            self._uow.commit()
        self._throttle.succeeded(account, address)
        return LoggedIn(pair, admission.quotas)

    def _find(self, email: str) -> User | None:
        try:
            address = Email(email)
        except InvalidValue:
            return None
        return self._uow.users.get_by_email(address)


class RefreshTokens:
    """A refresh token for the next pair of its login (see the module's rules)."""

    def __init__(
        self, uow: UnitOfWork, tokens: TokenService, issuer: TokenIssuer, clock: Clock
    ) -> None:
        self._uow = uow
        self._tokens = tokens
        self._issuer = issuer
        self._clock = clock

    def __call__(self, refresh_token: str) -> TokenPair:
        claims = self._tokens.decode(refresh_token, TokenKind.REFRESH)
        now = self._clock.now()
        with self._uow:
            spending = self._uow.refresh_tokens.spend(claims.token_id, now)
            if _is_replay(spending, now):
                self._uow.logins.end(claims.family, now)
                self._uow.commit()
                raise Unauthenticated(_BAD_TOKEN)
            user = self._uow.users.get(claims.user_id)
            if (
                spending.outcome is not RefreshOutcome.FRESH
                or user is None
                or user.token_version != claims.version
            ):
                raise Unauthenticated(_BAD_TOKEN)
            pair = self._issuer.issue(self._uow, user, login=claims.family)
            self._uow.commit()
        return pair


def _is_replay(spending: Spending, now: datetime) -> bool:
    """A spent token used again after the grace (a race loses within it, without harm)."""
    used = spending.first_used_at
    if spending.outcome is not RefreshOutcome.SPENT or used is None:
        return False
    return now - used > REUSE_GRACE


class Authenticate:
    """Turns an access token into the :class:`Actor` the other use cases take."""

    def __init__(self, callers: Callers, tokens: TokenService) -> None:
        self._callers = callers
        self._tokens = tokens

    def __call__(self, access_token: str) -> Actor:
        claims = self._tokens.decode(access_token, TokenKind.ACCESS)
        caller = _speaking_for(claims, self._callers.caller(claims.family, claims.user_id))
        return Actor(user_id=claims.user_id, is_admin=caller.is_admin)


class LogOut:
    """Ends the login of an access token: its refresh and access tokens stop working."""

    def __init__(self, uow: UnitOfWork, tokens: TokenService, clock: Clock) -> None:
        self._uow = uow
        self._tokens = tokens
        self._clock = clock

    def __call__(self, access_token: str) -> None:
        claims = self._tokens.decode(access_token, TokenKind.ACCESS)
        with self._uow:
            _caller(self._uow, claims)
            self._uow.logins.end(claims.family, self._clock.now())
            self._uow.commit()


def _caller(uow: UnitOfWork, claims: TokenClaims) -> User:
    return _speaking_for(claims, uow.logins.user_of(claims.family, claims.user_id))


class _Versioned(Protocol):
    @property
    def token_version(self) -> int: ...


_Holder = TypeVar("_Holder", bound=_Versioned)


def _speaking_for(claims: TokenClaims, holder: _Holder | None) -> _Holder:
    """The user an access token speaks for (``holder``: what its login found, if anything),
    while its login lasts and its version holds."""
    if holder is None or holder.token_version != claims.version:
        raise Unauthenticated(_BAD_TOKEN)
    return holder
