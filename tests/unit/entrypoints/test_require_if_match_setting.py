"""REQUIRE_IF_MATCH: off unless switched on, and a misspelling stops the service."""

from __future__ import annotations

import pytest

from entrypoints.settings import ConfigurationError, Settings

ENV = {"DATABASE_URL": "postgresql://db/app", "REDIS_URL": "redis://redis:6379/0"}


@pytest.mark.parametrize(
    ("raw", "required"), [(None, False), ("", False), ("0", False), ("1", True), ("true", True)]
)
def test_writes_need_if_match_only_when_switched_on(raw: str | None, required: bool) -> None:
    env = ENV if raw is None else {**ENV, "REQUIRE_IF_MATCH": raw}
    assert Settings.from_env(env).require_if_match is required


def test_a_value_that_is_not_a_switch_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="REQUIRE_IF_MATCH must be 1 or 0"):
        Settings.from_env({**ENV, "REQUIRE_IF_MATCH": "sometimes"})
