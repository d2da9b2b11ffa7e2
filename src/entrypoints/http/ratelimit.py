"""The login throttle's quotas as the IETF RateLimit fields (draft-ietf-httpapi-ratelimit-
headers): ``RateLimit-Policy`` names each limit with its quota and window, ``RateLimit`` says
what is left of it and when it is all back, both Structured Field lists:

    RateLimit-Policy: "address";q=30;w=900, "account";q=5;w=900
    RateLimit: "address";r=29;t=900, "account";r=4;t=900

A quota here counts the attempts that go ahead unslowed; past it attempts are not refused
outright but each waits (``Retry-After`` on the 429).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from application.ports import Quota

POLICY: Final = "RateLimit-Policy"
STATE: Final = "RateLimit"
RETRY_AFTER: Final = "Retry-After"


def rate_limit_headers(quotas: Sequence[Quota]) -> dict[str, str]:
    """The two fields for ``quotas``; none at all when there is no quota to tell of."""
    if not quotas:
        return {}
    return {
        POLICY: ", ".join(f'"{q.policy}";q={q.limit};w={q.window_seconds}' for q in quotas),
        STATE: ", ".join(f'"{q.policy}";r={q.remaining};t={q.reset_seconds}' for q in quotas),
    }


def _header(description: str) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string"}, "required": True}


#: The fields as the OpenAPI document describes them, on every answer the throttle counted.
DOCUMENTED: Final = {
    POLICY: _header(
        'The login limits: `"address";q=30;w=900, "account";q=5;w=900` — `q` attempts go '
        "ahead unslowed while each follows the last within `w` seconds; then each waits."
    ),
    STATE: _header(
        'What is left of each limit: `"account";r=4;t=900` — `r` attempts remain unslowed, '
        "all are back in `t` seconds."
    ),
}
DOCUMENTED_WITH_RETRY: Final = {
    **DOCUMENTED,
    RETRY_AFTER: {
        "description": "Seconds to wait before the next attempt.",
        "schema": {"type": "integer", "minimum": 1},
        "required": True,
    },
}
