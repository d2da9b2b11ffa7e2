"""RegisterUser, CreateUser and CreateAdmin: who gets in, with which address and password."""

from __future__ import annotations

import pytest

from application.errors import InvalidInput
from domain.errors import EmailAlreadyUsed, InvalidValue
from domain.user import Email
from unit.harness import PASSWORD, Core


def register(
    core: Core, email: str, password: str = PASSWORD, password2: str | None = None
) -> None:
    core.register_user(
        email=email,
        name="Ada",
        password=password,
        password2=password if password2 is None else password2,
    )


class TestRegisterUser:
    def test_registering_returns_a_working_token_pair(self, core: Core) -> None:
        pair = core.register_user(
            email="ada@example.com", name="Ada", password=PASSWORD, password2=PASSWORD
        )
        actor = core.authenticate(pair.access)
        assert not actor.is_admin
        assert core.get_user(actor.user_id).email == "ada@example.com"
        assert core.refresh_tokens(pair.refresh).access != pair.access

    def test_the_email_is_stored_trimmed_with_its_domain_lowercased(self, core: Core) -> None:
        register(core, "  Ada.Lovelace@Example.COM ")
        [user] = core.uow.users.saved_all()
        assert user.email.value == "Ada.Lovelace@example.com"

    @pytest.mark.parametrize(
        ("first", "second"),
        [("ada@example.com", "ADA@Example.com"), ("straße@example.com", "STRASSE@example.com")],
        ids=["ascii", "sharp s"],
    )
    def test_an_email_is_unique_case_insensitively(
        self, core: Core, first: str, second: str
    ) -> None:
        register(core, first)
        with pytest.raises(EmailAlreadyUsed) as taken:
            register(core, second)
        assert taken.value.email == Email(second).value
        assert len(core.uow.users.saved_all()) == 1

    def test_a_deleted_users_address_is_free_again(self, core: Core) -> None:
        admin = core.user(admin=True)
        gone = core.user(email="ada@example.com")
        core.delete_user(admin, gone.user_id)
        register(core, "ada@example.com")
        assert len(core.uow.users.saved_all()) == 3

    @pytest.mark.parametrize(
        "email", ["", "ada", "ada@", "@example.com", "a da@example.com", "a@b@example.com"]
    )
    def test_an_invalid_address_is_refused(self, core: Core, email: str) -> None:
        with pytest.raises(InvalidValue) as refused:
            register(core, email)
        assert refused.value.field == "email"
        assert core.uow.users.saved_all() == []

    def test_the_two_passwords_must_match(self, core: Core) -> None:
        with pytest.raises(InvalidInput) as refused:
            register(core, "ada@example.com", PASSWORD, PASSWORD + "!")
        assert refused.value.errors == {"password2": ["Passwords do not match."]}
        assert core.uow.users.saved_all() == []

    @pytest.mark.parametrize(
        "password", ["x" * 7, "x" * 73, "😀" * 64], ids=["7 bytes", "73 bytes", "64 emoji"]
    )
    def test_a_password_outside_8_to_72_bytes_is_refused(self, core: Core, password: str) -> None:
        with pytest.raises(InvalidInput) as refused:
            register(core, "ada@example.com", password)
        assert list(refused.value.errors) == ["password"]
        assert core.uow.users.saved_all() == []

    def test_the_password_is_stored_only_as_a_hash(self, core: Core) -> None:
        register(core, "ada@example.com")
        [user] = core.uow.users.saved_all()
        assert user.password_hash != PASSWORD
        assert core.hasher.verify(PASSWORD, user.password_hash)


class TestCreateUser:
    def test_an_admin_creates_a_user_or_another_admin(self, core: Core) -> None:
        admin = core.user(admin=True)
        plain = core.create_user(admin, email="Bo@Example.com", name="Bo", password=PASSWORD)
        boss = core.create_user(
            admin, email="cy@example.com", name="Cy", password=PASSWORD, is_admin=True
        )
        assert (plain.email, plain.is_admin, boss.is_admin) == ("Bo@example.com", False, True)
        assert plain.stats.assigned == 0
        assert plain.stats.completion_percentage == 0.0

    def test_the_address_of_an_active_user_cannot_be_reused(self, core: Core) -> None:
        admin = core.user(admin=True, email="ada@example.com")
        with pytest.raises(EmailAlreadyUsed):
            core.create_user(admin, email="Ada@example.com", name="Ada", password=PASSWORD)

    def test_a_password_over_72_bytes_is_refused_not_truncated(self, core: Core) -> None:
        admin = core.user(admin=True)
        with pytest.raises(InvalidInput):
            core.create_user(admin, email="bo@example.com", name="Bo", password="é" * 37)


class TestCreateAdmin:
    def test_an_operator_creates_the_first_admin_without_an_actor(self, core: Core) -> None:
        view = core.create_admin(email="root@example.com", name="Root", password=PASSWORD)
        assert view.is_admin
        pair = core.log_in("root@example.com", PASSWORD)
        assert core.authenticate(pair.access).is_admin
