"""CORS_ORIGINS: no page of another origin may call the API unless its origin is listed."""

from __future__ import annotations

import pytest

from entrypoints.devrun.environment import DEVELOPMENT_ORIGINS, development_environment
from entrypoints.settings import ConfigurationError, Settings

ENV = {"DATABASE_URL": "postgresql://db/app", "REDIS_URL": "redis://redis:6379/0"}


def test_no_origin_is_allowed_by_default() -> None:
    assert Settings.from_env(ENV).cors_origins == ()


def test_origins_are_comma_separated_and_trimmed() -> None:
    env = {**ENV, "CORS_ORIGINS": " https://app.example.com, http://localhost:8080 ,"}
    assert Settings.from_env(env).cors_origins == (
        "https://app.example.com",
        "http://localhost:8080",
    )


def test_any_origin_is_a_star() -> None:
    assert Settings.from_env({**ENV, "CORS_ORIGINS": "*"}).cors_origins == ("*",)


@pytest.mark.parametrize(
    "raw",
    ["app.example.com", "https://app.example.com/", "https://app.example.com/path", "ftp://x"],
)
def test_what_is_not_an_origin_stops_the_service(raw: str) -> None:
    with pytest.raises(ConfigurationError, match="CORS_ORIGINS must list origins"):
        Settings.from_env({**ENV, "CORS_ORIGINS": raw})


def test_the_development_run_allows_the_local_front_ends_unless_told_otherwise() -> None:
    assert development_environment({}).env["CORS_ORIGINS"] == ",".join(DEVELOPMENT_ORIGINS)
    chosen = development_environment({"CORS_ORIGINS": "https://mine.example"})
    assert chosen.env["CORS_ORIGINS"] == "https://mine.example"
