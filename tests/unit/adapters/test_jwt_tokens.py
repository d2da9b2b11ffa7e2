"""The PyJWT adapter: the tokens it issues decode to their claims; nothing else does."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import jwt
import pytest

from adapters.tokens import JwtTokenService
from application.errors import Unauthenticated
from application.ports import TokenKind

SECRET = "s" * 64
USER = UUID("0b6f3c1e-9a55-4d1c-8c55-2f3c1f7c9a01")
FAMILY = uuid4().hex


@pytest.fixture
def tokens() -> JwtTokenService:
    return JwtTokenService(SECRET, access_ttl_seconds=1800, refresh_ttl_seconds=3 * 86400)


def now() -> datetime:
    return datetime.now(UTC)


def forge(payload: dict[str, Any], key: str = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(payload, key, algorithm=algorithm)


def valid_payload(**overrides: Any) -> dict[str, Any]:
    issued = int(now().timestamp())
    payload = {
        "sub": str(USER),
        "type": "access",
        "iat": issued,
        "exp": issued + 60,
        "jti": uuid4().hex,
        "ver": 0,
        "fam": FAMILY,
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not None}


def test_an_access_token_decodes_to_its_claims(tokens: JwtTokenService) -> None:
    issued = tokens.issue(TokenKind.ACCESS, USER, 3, now(), FAMILY)
    claims = tokens.decode(issued.token, TokenKind.ACCESS)
    assert claims == issued.claims
    assert (claims.user_id, claims.kind, claims.version, claims.family) == (
        USER,
        TokenKind.ACCESS,
        3,
        FAMILY,
    )


def test_a_refresh_token_carries_its_family(tokens: JwtTokenService) -> None:
    issued = tokens.issue(TokenKind.REFRESH, USER, 0, now(), FAMILY)
    assert tokens.decode(issued.token, TokenKind.REFRESH).family == FAMILY


@pytest.mark.parametrize("kind", list(TokenKind))
@pytest.mark.parametrize("family", ["fam-1", "", "A" * 32, "0" * 31 + "\x00"])
def test_no_token_is_issued_for_a_login_it_would_refuse(
    tokens: JwtTokenService, kind: TokenKind, family: str
) -> None:
    with pytest.raises(ValueError, match="hex"):
        tokens.issue(kind, USER, 0, now(), family)


def test_lifetimes_follow_the_settings(tokens: JwtTokenService) -> None:
    start = now()
    access = tokens.issue(TokenKind.ACCESS, USER, 0, start, FAMILY).claims
    refresh = tokens.issue(TokenKind.REFRESH, USER, 0, start, FAMILY).claims
    assert abs(access.expires_at - (start + timedelta(minutes=30))) < timedelta(seconds=1)
    assert abs(refresh.expires_at - (start + timedelta(days=3))) < timedelta(seconds=1)


def test_every_token_has_its_own_id(tokens: JwtTokenService) -> None:
    start = now()
    ids = {tokens.issue(TokenKind.ACCESS, USER, 0, start, FAMILY).claims.token_id for _ in range(5)}
    assert len(ids) == 5


def test_the_claims_are_those_of_the_design(tokens: JwtTokenService) -> None:
    token = tokens.issue(TokenKind.REFRESH, USER, 2, now(), FAMILY).token
    header = jwt.get_unverified_header(token)
    payload = jwt.decode(token, options={"verify_signature": False})
    assert header["alg"] == "HS256"
    assert set(payload) == {"sub", "type", "exp", "iat", "jti", "ver", "fam"}
    assert payload["sub"] == str(USER)
    assert payload["type"] == "refresh"


def test_access_and_refresh_are_never_interchangeable(tokens: JwtTokenService) -> None:
    access = tokens.issue(TokenKind.ACCESS, USER, 0, now(), FAMILY).token
    refresh = tokens.issue(TokenKind.REFRESH, USER, 0, now(), FAMILY).token
    with pytest.raises(Unauthenticated):
        tokens.decode(access, TokenKind.REFRESH)
    with pytest.raises(Unauthenticated):
        tokens.decode(refresh, TokenKind.ACCESS)


def test_an_expired_token_is_refused(tokens: JwtTokenService) -> None:
    issued = tokens.issue(TokenKind.ACCESS, USER, 0, now() - timedelta(hours=1), FAMILY).token
    with pytest.raises(Unauthenticated):
        tokens.decode(issued, TokenKind.ACCESS)


def test_a_token_signed_with_another_key_is_refused(tokens: JwtTokenService) -> None:
    with pytest.raises(Unauthenticated):
        tokens.decode(forge(valid_payload(), key="k" * 64), TokenKind.ACCESS)


def test_an_unsigned_token_is_refused(tokens: JwtTokenService) -> None:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    unsigned = f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(valid_payload())}."
    with pytest.raises(Unauthenticated):
        tokens.decode(unsigned, TokenKind.ACCESS)


def test_another_algorithm_with_the_right_key_is_refused(tokens: JwtTokenService) -> None:
    with pytest.raises(Unauthenticated):
        tokens.decode(forge(valid_payload(), algorithm="HS512"), TokenKind.ACCESS)


@pytest.mark.parametrize("claim", ["sub", "type", "exp", "iat", "jti", "ver"])
def test_a_token_missing_a_required_claim_is_refused(tokens: JwtTokenService, claim: str) -> None:
    with pytest.raises(Unauthenticated):
        tokens.decode(forge(valid_payload(**{claim: None})), TokenKind.ACCESS)


ISSUED = int(now().timestamp())


@pytest.mark.parametrize(
    "overrides",
    [
        {"sub": "not-a-uuid"},
        {"sub": 12},
        {"sub": str(USER).upper()},
        {"sub": "{" + str(USER) + "}"},
        {"sub": USER.hex},
        {"sub": f"urn:uuid:{USER}"},
        {"ver": "0"},
        {"ver": True},
        {"ver": -1},
        {"ver": 1.0},
        {"ver": 2**31},
        {"ver": 10**400},
        {"type": "admin"},
        {"type": ["access"]},
        {"jti": 5},
        {"jti": ""},
        {"jti": "a" * 31 + "\x00"},
        {"jti": "a" * 31 + "\ud800"},
        {"jti": "a" * 33},
        {"jti": "A" * 32},
        {"jti": str(USER)},
        {"iat": ISSUED + 3600},
        {"iat": float(ISSUED)},
        {"iat": "0"},
        {"iat": -(10**17)},
        {"exp": 10**17},
        {"exp": 2**63},
        {"exp": 10**400},
        {"exp": float(ISSUED + 60)},
        {"exp": True},
        {"iat": ISSUED, "exp": ISSUED + 1801},
        {"iat": ISSUED - 10, "exp": ISSUED - 20},
        {"fam": 7},
        {"fam": "f" * 31 + "\x00"},
        {"fam": "fam-1"},
    ],
)
def test_a_token_with_odd_claims_is_refused(
    tokens: JwtTokenService, overrides: dict[str, Any]
) -> None:
    with pytest.raises(Unauthenticated):
        tokens.decode(forge(valid_payload(**overrides)), TokenKind.ACCESS)


@pytest.mark.parametrize(
    "overrides",
    [
        {"fam": 7},
        {"fam": ""},
        {"fam": "f" * 31 + "\x00"},
        {"fam": "f" * 31 + "\udfff"},
        {"fam": "fam-1"},
        {"jti": "b" * 31 + "\x00"},
        {"jti": "b" * 31 + "\ud800"},
        {"exp": 10**17},
        {"iat": ISSUED, "exp": ISSUED + 3 * 86400 + 1},
    ],
)
def test_a_refresh_token_with_odd_claims_is_refused(
    tokens: JwtTokenService, overrides: dict[str, Any]
) -> None:
    refresh = valid_payload(type="refresh", fam=FAMILY, exp=ISSUED + 3 * 86400)
    with pytest.raises(Unauthenticated):
        tokens.decode(forge({**refresh, **overrides}), TokenKind.REFRESH)


def test_a_refresh_token_forged_with_the_right_key_decodes(tokens: JwtTokenService) -> None:
    """The control for the refusals above."""
    refresh = valid_payload(type="refresh", fam=FAMILY, exp=ISSUED + 3 * 86400)
    assert tokens.decode(forge(refresh), TokenKind.REFRESH).family == FAMILY


@pytest.mark.parametrize("kind", list(TokenKind))
def test_a_token_without_a_login_is_refused(tokens: JwtTokenService, kind: TokenKind) -> None:
    with pytest.raises(Unauthenticated):
        tokens.decode(forge(valid_payload(type=kind.value, fam=None)), kind)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "Bearer x", "ü.ü.ü"])
def test_garbage_is_refused(tokens: JwtTokenService, garbage: str) -> None:
    with pytest.raises(Unauthenticated):
        tokens.decode(garbage, TokenKind.ACCESS)


def test_a_token_forged_with_the_right_key_decodes(tokens: JwtTokenService) -> None:
    """The control for the refusals above: the hand-made payload is otherwise valid."""
    assert tokens.decode(forge(valid_payload()), TokenKind.ACCESS).user_id == USER


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="secret"):
        JwtTokenService("", access_ttl_seconds=1, refresh_ttl_seconds=1)


def test_a_token_is_verified_once_and_its_expiry_checked_every_time(
    tokens: JwtTokenService, monkeypatch: pytest.MonkeyPatch
) -> None:
    issued = tokens.issue(TokenKind.ACCESS, USER, 0, now(), FAMILY)
    verifications = []
    real_decode = jwt.decode

    def counted(*args: Any, **kwargs: Any) -> Any:
        verifications.append(args[0])
        return real_decode(*args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counted)
    assert tokens.decode(issued.token, TokenKind.ACCESS) == issued.claims
    assert tokens.decode(issued.token, TokenKind.ACCESS) == issued.claims
    assert verifications == [issued.token]

    expiry = issued.claims.expires_at.timestamp()
    monkeypatch.setattr("adapters.tokens.time.time", lambda: expiry - 0.001)
    assert tokens.decode(issued.token, TokenKind.ACCESS) == issued.claims
    monkeypatch.setattr("adapters.tokens.time.time", lambda: expiry)
    with pytest.raises(Unauthenticated):
        tokens.decode(issued.token, TokenKind.ACCESS)


def test_a_refused_token_is_checked_again_and_a_kind_is_never_taken_for_another(
    tokens: JwtTokenService,
) -> None:
    access = tokens.issue(TokenKind.ACCESS, USER, 0, now(), FAMILY).token
    assert tokens.decode(access, TokenKind.ACCESS).kind is TokenKind.ACCESS
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            tokens.decode(access, TokenKind.REFRESH)
    forged = forge(valid_payload(), key="k" * 64)
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            tokens.decode(forged, TokenKind.ACCESS)
