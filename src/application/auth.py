"""Logging in, refreshing tokens, and telling who is calling.

Access tokens are short-lived and checked against the user on every request, so deleting a
user or changing their password ends their tokens at once. Refresh tokens rotate: each works
exactly once, and a replay revokes every token descended from the same login."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from application.errors import TooManyAttempts, Unauthenticated
from application.policy import Actor
from application.ports import (
    Clock,
    LoginThrottle,
    PasswordHasher,
    RefreshOutcome,
    TokenKind,
    TokenService,
    UnitOfWork,
)
from domain.errors import InvalidValue
from domain.user import Email, User, email_key

_BAD_CREDENTIALS = "Invalid email or password."
_BAD_TOKEN = "The token is invalid or has expired."  # noqa: S105 - a message


@dataclass(frozen=True, slots=True)
class TokenPair:
    access: str
    refresh: str


class TokenIssuer:
    """Issues an access + refresh pair and remembers the refresh token in the open unit
    of work (the caller commits)."""

    def __init__(self, tokens: TokenService, clock: Clock) -> None:
        self._tokens = tokens
        self._clock = clock

    def issue(self, uow: UnitOfWork, user: User, family: str | None = None) -> TokenPair:
        now = self._clock.now()
        access = self._tokens.issue(
            TokenKind.ACCESS, user.external_id, user.token_version, now, None
        )
        refresh = self._tokens.issue(
            TokenKind.REFRESH, user.external_id, user.token_version, now, family or uuid4().hex
        )
        uow.refresh_tokens.add(refresh.claims)
        return TokenPair(access=access.token, refresh=refresh.token)


class LogIn:
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

    def __call__(self, email: str, password: str) -> TokenPair:
        key = email_key(email)
        wait = self._throttle.retry_after(key, self._clock.now())
        if wait > 0:
            raise TooManyAttempts(wait)
        with self._uow:
            user = self._find(email)
            # Same bcrypt work whether or not the account exists: timing tells nothing.
            matches = self._hasher.verify(password, user.password_hash if user else None)
            if user is None or not matches:
                self._throttle.failed(key, self._clock.now())
                raise Unauthenticated(_BAD_CREDENTIALS)
            self._throttle.succeeded(key)
            pair = self._issuer.issue(self._uow, user)
            self._uow.commit()
        return pair

    def _find(self, email: str) -> User | None:
        try:
            address = Email(email)
        except InvalidValue:
            return None
        return self._uow.users.get_by_email(address)


class RefreshTokens:
    def __init__(
        self, uow: UnitOfWork, tokens: TokenService, issuer: TokenIssuer, clock: Clock
    ) -> None:
        self._uow = uow
        self._tokens = tokens
        self._issuer = issuer
        self._clock = clock

    def __call__(self, refresh_token: str) -> TokenPair:
        claims = self._tokens.decode(refresh_token, TokenKind.REFRESH)
        assert claims.family is not None
        with self._uow:
            outcome = self._uow.refresh_tokens.spend(claims.token_id, self._clock.now())
            if outcome is RefreshOutcome.REPLAYED:
                # Someone holds a copy: end every token of this login, theirs and ours.
                self._uow.refresh_tokens.revoke_family(claims.family, self._clock.now())
                self._uow.commit()
                raise Unauthenticated(_BAD_TOKEN)
            user = self._uow.users.get(claims.user_id)
            if (
                outcome is RefreshOutcome.UNKNOWN
                or user is None
                or user.token_version != claims.version
            ):
                raise Unauthenticated(_BAD_TOKEN)
            pair = self._issuer.issue(self._uow, user, family=claims.family)
            self._uow.commit()
        return pair


class Authenticate:
    """Turns an access token into the :class:`Actor` the other use cases take."""

    def __init__(self, uow: UnitOfWork, tokens: TokenService) -> None:
        self._uow = uow
        self._tokens = tokens

    def __call__(self, access_token: str) -> Actor:
        claims = self._tokens.decode(access_token, TokenKind.ACCESS)
        with self._uow:
            user = self._uow.users.get(claims.user_id)
        if user is None or user.token_version != claims.version:
            raise Unauthenticated(_BAD_TOKEN)
        return Actor(user_id=user.external_id, is_admin=user.is_admin)
