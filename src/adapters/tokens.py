"""PyJWT behind the :class:`application.ports.TokenService` port."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Final
from uuid import UUID, uuid4

import jwt

from application.errors import Unauthenticated
from application.ports import IssuedToken, TokenClaims, TokenKind, TokenService

#: Pinned: a token never chooses how it is checked ("alg": "none", RS/HS confusion).
ALGORITHM: Final = "HS256"
_REQUIRED: Final = ["sub", "type", "exp", "iat", "jti", "ver", "fam"]
_INVALID: Final = "The token is invalid or has expired."


class JwtTokenService(TokenService):
    """Signed, short-lived tokens. ``type`` keeps access and refresh tokens apart, ``ver`` ties
    a token to the user's token version, ``fam`` ties a token to its login."""

    def __init__(self, secret: str, access_ttl_seconds: int, refresh_ttl_seconds: int) -> None:
        if not secret:
            raise ValueError("A token secret is required.")
        self._secret = secret
        self._ttl = {
            TokenKind.ACCESS: timedelta(seconds=access_ttl_seconds),
            TokenKind.REFRESH: timedelta(seconds=refresh_ttl_seconds),
        }

    def issue(
        self, kind: TokenKind, user_id: UUID, version: int, now: datetime, family: str
    ) -> IssuedToken:
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
        try:
            payload = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                options={"require": _REQUIRED},
            )
            return _claims(payload, kind)
        except (jwt.PyJWTError, ValueError, TypeError, OverflowError) as error:
            raise Unauthenticated(_INVALID) from error


def _claims(payload: dict[str, Any], kind: TokenKind) -> TokenClaims:
    """Claims of the expected kind with well-typed values; anything else is a ValueError."""
    if payload["type"] != kind.value:
        raise ValueError("A token of another kind.")
    version, family = payload["ver"], payload.get("fam")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValueError("The token version must be an integer.")
    if not isinstance(family, str):
        raise ValueError("A token must name its login (its family).")
    if not isinstance(payload["sub"], str) or not isinstance(payload["exp"], int):
        raise ValueError("Malformed subject or expiry.")
    return TokenClaims(
        user_id=UUID(payload["sub"]),
        kind=kind,
        token_id=payload["jti"],
        version=version,
        family=family,
        expires_at=datetime.fromtimestamp(payload["exp"], UTC),
    )
