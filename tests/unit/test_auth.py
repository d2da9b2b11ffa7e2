"""LogIn, RefreshTokens and Authenticate."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from application.errors import TooManyAttempts, Unauthenticated
from application.ports import TokenKind
from unit.harness import PASSWORD, Core

EMAIL = "ada@example.com"


@pytest.fixture
def ada(core: Core) -> Core:
    core.user("Ada", email=EMAIL)
    return core


class TestLogIn:
    def test_the_right_password_gives_a_token_pair_for_that_user(self, ada: Core) -> None:
        pair = ada.log_in("  ADA@example.com ", PASSWORD)
        [user] = ada.uow.users.saved_all()
        assert ada.authenticate(pair.access).user_id == user.external_id

    def test_an_unknown_email_and_a_wrong_password_are_told_apart_by_nothing(
        self, ada: Core
    ) -> None:
        with pytest.raises(Unauthenticated) as wrong_password:
            ada.log_in(EMAIL, "not the password")
        with pytest.raises(Unauthenticated) as unknown_email:
            ada.log_in("nobody@example.com", PASSWORD)
        assert wrong_password.value.message == unknown_email.value.message

    @pytest.mark.parametrize("email", ["nobody@example.com", "not an email"])
    def test_an_unknown_account_costs_the_same_hasher_work(self, ada: Core, email: str) -> None:
        with pytest.raises(Unauthenticated):
            ada.log_in(email, PASSWORD)
        assert ada.hasher.checks == [(PASSWORD, None)]

    def test_the_address_is_matched_casefolded(self, core: Core) -> None:
        user = core.user(email="Straße@example.com")
        assert core.authenticate(core.log_in("STRASSE@EXAMPLE.COM", PASSWORD).access) == user

    def test_failures_count_against_the_account_however_its_address_is_spelled(
        self, core: Core
    ) -> None:
        core.user(email="straße@example.com")
        for _ in range(core.throttle.max_failures):
            with pytest.raises(Unauthenticated):
                core.log_in("STRASSE@example.com", "guess")
        with pytest.raises(TooManyAttempts):
            core.log_in(" straße@Example.com", PASSWORD)

    def test_a_failed_login_commits_nothing(self, ada: Core) -> None:
        commits = ada.uow.commits
        with pytest.raises(Unauthenticated):
            ada.log_in(EMAIL, "not the password")
        assert ada.uow.commits == commits

    def test_too_many_failures_lock_the_account_for_a_while(self, ada: Core) -> None:
        for _ in range(ada.throttle.max_failures):
            with pytest.raises(Unauthenticated):
                ada.log_in(EMAIL, "guess")
        checks = len(ada.hasher.checks)
        with pytest.raises(TooManyAttempts) as locked:
            ada.log_in(" Ada@Example.com", PASSWORD)
        assert locked.value.retry_after_seconds == ada.throttle.lockout.total_seconds()
        assert len(ada.hasher.checks) == checks  # refused before any password work
        ada.clock.advance(ada.throttle.lockout)
        ada.log_in(EMAIL, PASSWORD)
        assert ada.throttle.failures == {}

    def test_a_success_forgets_earlier_failures(self, ada: Core) -> None:
        for _ in range(ada.throttle.max_failures - 1):
            with pytest.raises(Unauthenticated):
                ada.log_in(EMAIL, "guess")
        ada.log_in(EMAIL, PASSWORD)
        with pytest.raises(Unauthenticated):
            ada.log_in(EMAIL, "guess")


class TestRefreshTokens:
    def test_a_refresh_token_gives_a_new_pair_and_works_only_once(self, ada: Core) -> None:
        first = ada.log_in(EMAIL, PASSWORD)
        second = ada.refresh_tokens(first.refresh)
        assert {second.access, second.refresh}.isdisjoint({first.access, first.refresh})
        third = ada.refresh_tokens(second.refresh)
        assert ada.authenticate(third.access).user_id == ada.authenticate(first.access).user_id

    def test_a_replayed_refresh_token_revokes_its_whole_family(self, ada: Core) -> None:
        stolen = ada.log_in(EMAIL, PASSWORD)
        other_login = ada.log_in(EMAIL, PASSWORD)
        rotated = ada.refresh_tokens(stolen.refresh)
        with pytest.raises(Unauthenticated):
            ada.refresh_tokens(stolen.refresh)
        with pytest.raises(Unauthenticated):
            ada.refresh_tokens(rotated.refresh)
        assert len(ada.uow.refresh_tokens.revoked_families()) == 1
        ada.refresh_tokens(other_login.refresh)

    def test_an_access_token_is_not_a_refresh_token(self, ada: Core) -> None:
        pair = ada.log_in(EMAIL, PASSWORD)
        with pytest.raises(Unauthenticated):
            ada.refresh_tokens(pair.access)

    def test_an_expired_refresh_token_is_refused(self, ada: Core) -> None:
        pair = ada.log_in(EMAIL, PASSWORD)
        ada.clock.advance(timedelta(days=3))
        with pytest.raises(Unauthenticated):
            ada.refresh_tokens(pair.refresh)

    def test_a_refresh_token_never_stored_is_refused(self, ada: Core) -> None:
        [user] = ada.uow.users.saved_all()
        forged = ada.tokens.issue(
            TokenKind.REFRESH, user.external_id, user.token_version, ada.clock.now(), "family"
        )
        with pytest.raises(Unauthenticated):
            ada.refresh_tokens(forged.token)


class TestAuthenticate:
    def test_an_access_token_names_the_caller_and_their_rights(self, core: Core) -> None:
        core.user("Root", email="root@example.com", admin=True)
        actor = core.authenticate(core.log_in("root@example.com", PASSWORD).access)
        assert actor.is_admin

    def test_an_access_token_lasts_thirty_minutes(self, ada: Core) -> None:
        pair = ada.log_in(EMAIL, PASSWORD)
        ada.clock.advance(timedelta(minutes=29, seconds=59))
        ada.authenticate(pair.access)
        ada.clock.advance(timedelta(seconds=1))
        with pytest.raises(Unauthenticated):
            ada.authenticate(pair.access)

    @pytest.mark.parametrize("token", ["", "garbage", f"access-{uuid4().hex}"])
    def test_a_token_we_did_not_issue_is_refused(self, ada: Core, token: str) -> None:
        with pytest.raises(Unauthenticated):
            ada.authenticate(token)
