"""The User aggregate and its Email value: addresses that compare casefolded, and tokens that
die when a password changes or the user goes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import InvalidValue
from domain.user import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, Email, User, email_key

NOW = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


def new_user() -> User:
    return User.register(email=Email("ada@example.com"), name="Ada", password_hash="h", now=NOW)


def test_an_email_is_kept_as_given_but_trimmed_with_its_domain_lowercased() -> None:
    assert Email("  Ada.Lovelace@Example.COM\n").value == "Ada.Lovelace@example.com"
    assert str(Email("Ada@Example.com")) == "Ada@example.com"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("ADA@example.com", "ada@EXAMPLE.com"),
        ("straße@example.com", "STRASSE@example.com"),
        ("ǅemo@example.com", "ǆemo@example.com"),
    ],
    ids=["ascii", "sharp s", "title-case digraph"],
)
def test_addresses_that_differ_only_in_case_are_the_same(one: str, other: str) -> None:
    assert Email(one) == Email(other)
    assert hash(Email(one)) == hash(Email(other))
    assert Email(one).key == Email(other).key == email_key(other)
    assert Email(one).value != Email(other).value


def test_different_addresses_are_not_the_same() -> None:
    assert Email("ada@example.com") != Email("ada@example.org")
    assert len({Email("ada@example.com"), Email("ADA@example.com"), Email("bo@example.com")}) == 2


@pytest.mark.parametrize(
    "address",
    [
        "",
        "ada",
        "ada@example",
        "ada@@example.com",
        "a da@example.com",
        "ada@example.com\nbcc@example.com",
        "ada\x00@example.com",
        "\ud800@example.com",
        "a" * (EMAIL_MAX_LENGTH - len("@example.com") + 1) + "@example.com",
    ],
    ids=["empty", "no-at", "no-dot", "two-ats", "space", "newline", "nul", "surrogate", "long"],
)
def test_an_address_that_cannot_be_an_email_is_refused(address: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Email(address)
    assert refused.value.field == "email"


def test_the_longest_address_is_accepted() -> None:
    address = "a" * (EMAIL_MAX_LENGTH - len("@example.com")) + "@example.com"
    assert Email(address).value == address


def test_an_address_whose_casefolded_key_grows_too_long_is_refused() -> None:
    sharp = "ß" * ((EMAIL_MAX_LENGTH - len("@example.com")) // 2 + 1)  # each ß folds to "ss"
    address = f"{sharp}@example.com"
    assert len(address) <= EMAIL_MAX_LENGTH < len(address.casefold())
    with pytest.raises(InvalidValue) as refused:
        Email(address)
    assert refused.value.field == "email"


def test_a_new_user_is_not_an_admin_and_has_the_first_token_version() -> None:
    user = new_user()
    assert (user.is_admin, user.token_version, user.is_deleted) == (False, 0, False)
    assert "ada@example.com" in repr(user)


@pytest.mark.parametrize("name", ["", "  ", "x" * (NAME_MAX_LENGTH + 1), "A\x00da"])
def test_a_user_needs_a_storable_name(name: str) -> None:
    user = new_user()
    with pytest.raises(InvalidValue):
        user.rename(name, now=LATER)
    assert user.name == "Ada"


def test_renaming_and_changing_the_email_keep_the_tokens() -> None:
    user = new_user()
    user.rename(" Ada L. ", now=LATER)
    user.change_email(Email("ada.l@example.com"), now=LATER)
    user.set_admin(True, now=LATER)
    assert (user.name, user.email.value, user.is_admin) == ("Ada L.", "ada.l@example.com", True)
    assert (user.token_version, user.updated_at) == (0, LATER)


def test_a_new_password_ends_earlier_tokens() -> None:
    user = new_user()
    user.change_password("h2", now=LATER)
    assert (user.password_hash, user.token_version) == ("h2", 1)


def test_deleting_is_soft_ends_the_tokens_and_happens_once() -> None:
    user = new_user()
    user.delete(now=LATER)
    user.delete(now=LATER + timedelta(hours=1))
    assert (user.is_deleted, user.deleted_at, user.token_version) == (True, LATER, 1)
