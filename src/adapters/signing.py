"""HMAC-SHA256 signatures for short texts handed to clients and taken back (list cursors).

The key is derived from the service's secret and a purpose, so that a signature made for one
purpose is worth nothing for another, and nothing signed here can pass for a JWT."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import Final

#: Tokens longer than this are refused unread: ours are far shorter.
MAX_TOKEN_LENGTH: Final = 512
_TAG_BYTES: Final = 16  # 128 bits: forging one is out of reach


class HmacSigner:
    def __init__(self, secret: str, purpose: str) -> None:
        self._key = hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()

    def sign(self, message: str) -> str:
        data = message.encode()
        return f"{_encode(data)}.{_encode(self._tag(data))}"

    def unsign(self, token: str) -> str | None:
        if len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
            return None
        body, tag = token.split(".")
        try:
            data, signature = _decode(body), _decode(tag)
        except (binascii.Error, ValueError):
            return None
        if not hmac.compare_digest(signature, self._tag(data)):
            return None
        try:
            return data.decode()
        except UnicodeDecodeError:
            return None

    def _tag(self, data: bytes) -> bytes:
        return hmac.new(self._key, data, hashlib.sha256).digest()[:_TAG_BYTES]


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _decode(text: str) -> bytes:
    if not text.isascii():
        raise ValueError("not base64")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
