"""Fakes of the ports around the use cases: a clock that stands still, a readable hasher,
opaque tokens, and a login throttle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from math import ceil
from uuid import UUID, uuid4

from application.errors import Unauthenticated
from application.passwords import MAX_BYTES, password_bytes
from application.ports import Admission, IssuedToken, Quota, TokenClaims, TokenKind

DEFAULT_NOW = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)


class FixedClock:
    """Time stands still until a test moves it."""

    def __init__(self, now: datetime = DEFAULT_NOW) -> None:
        self._now = DEFAULT_NOW
        self.set(now)

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("The clock keeps aware UTC time.")
        self._now = now.astimezone(UTC)

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now


class PlainPasswordHasher:
    """Readable "hashes"; remembers every check, so tests can see the work was done even when
    there was no hash to check against. Refuses what bcrypt refuses."""

    PREFIX = "plain$"

    def __init__(self) -> None:
        self.checks: list[tuple[str, str | None]] = []

    def hash(self, password: str) -> str:
        if len(password_bytes(password)) > MAX_BYTES:
            raise ValueError(f"bcrypt refuses passwords over {MAX_BYTES} bytes.")
        return self.PREFIX + password

    #: Stands for a hash another service made (the original's PBKDF2): it matches, and is
    #: replaced at the first login.
    FOREIGN = "foreign$"

    def verify(self, password: str, password_hash: str | None) -> bool:
        self.checks.append((password, password_hash))
        return password_hash in (self.PREFIX + password, self.FOREIGN + password)

    def needs_rehash(self, password_hash: str) -> bool:
        return password_hash.startswith(self.FOREIGN)


class FakeTokenService:
    """Opaque tokens with the claims kept aside; expiry is read from the clock it shares."""

    def __init__(
        self,
        clock: FixedClock,
        access_ttl: timedelta = timedelta(minutes=30),
        refresh_ttl: timedelta = timedelta(days=3),
    ) -> None:
        self._clock = clock
        self._ttl = {TokenKind.ACCESS: access_ttl, TokenKind.REFRESH: refresh_ttl}
        self._claims: dict[str, TokenClaims] = {}

    def issue(
        self, kind: TokenKind, user_id: UUID, version: int, now: datetime, family: str
    ) -> IssuedToken:
        claims = TokenClaims(
            user_id=user_id,
            kind=kind,
            token_id=uuid4().hex,
            version=version,
            family=family,
            expires_at=now + self._ttl[kind],
        )
        token = f"{kind.value}-{claims.token_id}"
        self._claims[token] = claims
        return IssuedToken(token=token, claims=claims)

    def decode(self, token: str, kind: TokenKind) -> TokenClaims:
        claims = self._claims.get(token)
        if claims is None or claims.kind is not kind or self._clock.now() >= claims.expires_at:
            raise Unauthenticated("The token is invalid or has expired.")
        return claims


class FakeLoginThrottle:
    """Per (account, address): ``max_failures`` attempts go ahead, then the pair waits
    ``lockout`` after the last. Per address: the same after ``max_address_failures``.
    A success forgets the pair and gives the address its attempt back."""

    def __init__(
        self,
        max_failures: int = 5,
        max_address_failures: int = 30,
        lockout: timedelta = timedelta(minutes=15),
    ) -> None:
        self.max_failures = max_failures
        self.max_address_failures = max_address_failures
        self.lockout = lockout
        self.attempts: dict[tuple[str, ...], list[datetime]] = {}

    def admit(self, account: str, address: str, now: datetime) -> Admission:
        limits = (
            ("address", (address,), self.max_address_failures),
            ("account", (account, address), self.max_failures),
        )
        quotas: list[Quota] = []
        for policy, key, allowed in limits:
            attempts = self.attempts.get(key, [])
            if len(attempts) >= allowed:
                wait = ceil((attempts[-1] + self.lockout - now).total_seconds())
                if wait > 0:
                    refused = self._quota(policy, allowed, wait, len(attempts))
                    return Admission(wait, (*quotas, refused))
            quotas.append(self._quota(policy, allowed, 0, len(attempts) + 1))
        for _, key, _ in limits:
            self.attempts.setdefault(key, []).append(now)
        return Admission(0, tuple(quotas))

    def _quota(self, policy: str, allowed: int, wait: int, attempts: int) -> Quota:
        window = int(self.lockout.total_seconds())
        return Quota(policy, allowed, window, max(0, allowed - attempts), wait or window)

    def prune(self, now: datetime) -> int:
        stale = [
            k for k, times in self.attempts.items() if not times or times[-1] + self.lockout < now
        ]
        for key in stale:
            del self.attempts[key]
        return len(stale)

    def succeeded(self, account: str, address: str) -> None:
        self.attempts.pop((account, address), None)
        if self.attempts.get((address,)):
            self.attempts[(address,)].pop()
