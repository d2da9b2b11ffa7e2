"""The password rule: 8 to 72 bytes of UTF-8 (bcrypt's limit), never silently truncated, and
text a database could store like any other."""

from __future__ import annotations

import pytest

from application.errors import InvalidInput
from application.passwords import MAX_BYTES, MIN_BYTES, check_password


@pytest.mark.parametrize(
    "password",
    ["x" * MIN_BYTES, "x" * MAX_BYTES, "é" * 4, "😀" * 18, "pass word with spaces"],
    ids=["8 bytes", "72 bytes", "4 two-byte letters", "18 emoji (72 bytes)", "spaces"],
)
def test_a_password_of_8_to_72_bytes_is_accepted(password: str) -> None:
    assert check_password(password) == password


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("x" * 7, "at least 8 bytes"),
        ("", "at least 8 bytes"),
        ("x" * 73, "at most 72 bytes"),
        ("é" * 37, "at most 72 bytes"),
        ("😀" * 19, "at most 72 bytes"),
        ("😀" * 64, "at most 72 bytes"),
        ("nul\x00in the middle", "NUL"),
        ("lone \ud800 surrogate", "valid Unicode"),
    ],
    ids=[
        "7 bytes",
        "empty",
        "73 bytes",
        "74 bytes of é",
        "19 emoji",
        "64 emoji",
        "nul",
        "lone surrogate",
    ],
)
def test_a_password_outside_the_rule_is_refused(password: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as refused:
        check_password(password)
    assert list(refused.value.errors) == ["password"]


def test_the_refusal_names_the_field_it_was_given() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_password("short", field="new_password")
    assert list(refused.value.errors) == ["new_password"]
