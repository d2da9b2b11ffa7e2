"""Where a webhook may be sent: the rule against server-side request forgery, in one place.

An endpoint's URL is https, and every address its host resolves to is a public one. With
``WEBHOOK_ALLOW_PRIVATE=1`` (development and tests) http is allowed too, and so are loopback
and private addresses. Link-local addresses (the cloud metadata services among them),
multicast, unspecified and reserved ones are refused always. The rule is checked when an
endpoint is registered and again at every delivery, on the addresses the delivery then
connects to, so that a name that resolved to a public address once cannot be pointed at an
internal one later.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from application.errors import InvalidInput
from application.webhooks.ports import Resolver

_PORTS: Final = {"https": 443, "http": 80}


@dataclass(frozen=True, slots=True)
class Destination:
    host: str
    port: int
    addresses: tuple[str, ...]


class Refused(Exception):
    """The URL may not be called; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _address_refusal(text: str, allow_private: bool) -> str | None:
    address = ipaddress.ip_address(text.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_link_local or address.is_multicast or address.is_unspecified:
        return f"{address} is a link-local, multicast or unspecified address"
    if address.is_reserved:
        return f"{address} is a reserved address"
    if not address.is_global and not allow_private:
        return f"{address} is not a public address"
    return None


def destination(url: str, resolver: Resolver, *, allow_private: bool) -> Destination:
    """The host, port and addresses to call for ``url``; :class:`Refused` if any rule fails."""
    parts = urlsplit(url)
    allowed = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in allowed:
        raise Refused(f"The URL must use {' or '.join(allowed)}.")
    try:
        port = parts.port or _PORTS[parts.scheme]
    except ValueError:
        raise Refused("The URL's port is not valid.") from None
    host = parts.hostname
    if not host or parts.username is not None or parts.password is not None:
        raise Refused("The URL must name a host, without credentials.")
    addresses = resolver.addresses(host, port)
    if not addresses:
        raise Refused(f"{host} does not resolve to any address.")
    for address in addresses:
        refusal = _address_refusal(address, allow_private)
        if refusal is not None:
            raise Refused(f"{host}: {refusal}.")
    return Destination(host, port, tuple(addresses))


def check_url(url: str, resolver: Resolver, *, allow_private: bool) -> str:
    """``url`` if it may be registered; otherwise an :class:`InvalidInput` naming the field."""
    try:
        destination(url, resolver, allow_private=allow_private)
    except Refused as refused:
        raise InvalidInput({"url": [refused.reason]}) from None
    return url
