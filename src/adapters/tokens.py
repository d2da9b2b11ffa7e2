"""PyJWT behind the :class:`application.ports.TokenService` port."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Final
from uuid import UUID, uuid4

import jwt

from application.errors import Unauthenticated
from application.ports import IssuedToken, TokenClaims, TokenKind, TokenService

#: Pinned: a token never chooses how it is checked ("alg": "none", RS/HS confusion).
ALGORITHM: Final = "HS256"
_REQUIRED: Final = ["sub", "type", "exp", "iat", "jti", "ver", "fam"]
_INVALID: Final = "The token is invalid or has expired."
#: Token ids and logins (families) are ``uuid4().hex``: nothing else reaches the stores.
_IDENTIFIER: Final = re.compile(r"[0-9a-f]{32}")
#: The users table keeps the token version in a 32-bit column.
_MAX_VERSION: Final = 2**31 - 1
#: How many verified tokens a process remembers (a few hundred bytes each).
VERIFIED_TOKENS_KEPT: Final = 4096


class JwtTokenService(TokenService):
    """Signed, short-lived tokens. ``type`` keeps access and refresh tokens apart, ``ver`` ties
    a token to the user's token version, ``fam`` ties every token to its login."""

    def __init__(self, secret: str, access_ttl_seconds: int, refresh_ttl_seconds: int) -> None:
        if not secret:
            raise ValueError("A token secret is required.")
        self._secret = secret
        self._ttl = {
            TokenKind.ACCESS: timedelta(seconds=access_ttl_seconds),
            TokenKind.REFRESH: timedelta(seconds=refresh_ttl_seconds),
        }
        # A token's signature and claims never change: verified once, a token's claims serve
        # every later request it makes, and only its expiry is checked again. Refusals are
        # not remembered (an exception is never cached), and revocation is not a property of
        # the token: the caller's check reads it from the database on every request.
        self._verified = lru_cache(maxsize=VERIFIED_TOKENS_KEPT)(self._verify)

    def issue(
        self, kind: TokenKind, user_id: UUID, version: int, now: datetime, family: str
    ) -> IssuedToken:
        _identifier(family)
        # JWT times are whole seconds: round the expiry down so the claims say what the token does.
        issued_at = int(now.timestamp())
        expires_at = issued_at + int(self._ttl[kind].total_seconds())
        claims = TokenClaims(
            user_id=user_id,
            kind=kind,
            token_id=uuid4().hex,
            version=version,
            family=family,
            expires_at=datetime.fromtimestamp(expires_at, UTC),
        )
        payload: dict[str, Any] = {
            "sub": str(user_id),
            "type": kind.value,
            "iat": issued_at,
            "exp": expires_at,
            "jti": claims.token_id,
            "ver": version,
            "fam": family,
        }
        token = jwt.encode(payload, self._secret, algorithm=ALGORITHM)
        return IssuedToken(token=token, claims=claims)

    def decode(self, token: str, kind: TokenKind) -> TokenClaims:
        claims = self._verified(token, kind)
        # As PyJWT's own check: a token is good strictly before its ``exp``.
        if time.time() >= claims.expires_at.timestamp():
            raise Unauthenticated(_INVALID)
        return claims

    def _verify(self, token: str, kind: TokenKind) -> TokenClaims:
        try:
            payload = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                options={"require": _REQUIRED},
            )
            return self._claims(payload, kind)
        except (jwt.PyJWTError, ValueError, TypeError, OverflowError) as error:
            raise Unauthenticated(_INVALID) from error

    def _claims(self, payload: dict[str, Any], kind: TokenKind) -> TokenClaims:
        """The claims of a token of ``kind`` as we issue them; any other shape, however well
        signed, is a ValueError. PyJWT has checked that ``exp`` is in the future and ``iat``
        not; the lifetime check bounds ``exp`` from above, so it is a representable time."""
        if payload["type"] != kind.value:
            raise ValueError("A token of another kind.")
        issued_at, expires_at = _whole(payload["iat"]), _whole(payload["exp"])
        if not issued_at < expires_at <= issued_at + self._ttl[kind].total_seconds():
            raise ValueError("The token's lifetime is not that of its kind.")
        version = _whole(payload["ver"])
        if version > _MAX_VERSION:
            raise ValueError("The token version is out of range.")
        return TokenClaims(
            user_id=_user_id(payload["sub"]),
            kind=kind,
            token_id=_identifier(payload["jti"]),
            version=version,
            family=_identifier(payload["fam"]),
            expires_at=datetime.fromtimestamp(expires_at, UTC),
        )


def _identifier(value: object) -> str:
    if not isinstance(value, str) or not _IDENTIFIER.fullmatch(value):
        raise ValueError("An identifier must be 32 lowercase hex digits.")
    return value


def _whole(value: object) -> int:
    """A non-negative integer; ``true`` is not 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("Expected a non-negative integer.")
    return value


def _user_id(value: object) -> UUID:
    """The subject in the one spelling we issue: ``UUID()`` also takes braces, URNs and
    missing hyphens."""
    if not isinstance(value, str) or str(user_id := UUID(value)) != value:
        raise ValueError("The subject must be a UUID.")
    return user_id
