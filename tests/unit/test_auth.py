"""LogIn, RefreshTokens and Authenticate."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from application.auth import REUSE_GRACE
from application.errors import TooManyAttempts, Unauthenticated, WrongCredentials
from application.ports import TokenKind
from unit.harness import HOME, PASSWORD, Core

EMAIL = "ada@example.com"
ATTACKER = "203.0.113.9"


@pytest.fixture
def ada(core: Core) -> Core:
    core.user("Ada", email=EMAIL)
    return core


class TestLogIn:
    def test_an_imported_hash_is_replaced_by_ours_at_the_first_login(self, core: Core) -> None:
        actor = core.user(email=EMAIL)
        with core.uow:
            imported = core.uow.users.get(actor.user_id)
            assert imported is not None
            imported.rehash_password(core.hasher.FOREIGN + PASSWORD)
            core.uow.commit()
        version = core.saved_user(actor.user_id).version

        core.log_in(EMAIL, PASSWORD)

        user = core.saved_user(actor.user_id)
        assert user.password_hash == core.hasher.hash(PASSWORD)
        assert user.version == version  # nothing a client sees has changed
        core.log_in(EMAIL, PASSWORD)  # and the new hash verifies

    def test_a_wrong_password_leaves_an_imported_hash_alone(self, core: Core) -> None:
        actor = core.user(email=EMAIL)
        with core.uow:
            imported = core.uow.users.get(actor.user_id)
            assert imported is not None
            imported.rehash_password(core.hasher.FOREIGN + PASSWORD)
            core.uow.commit()
        with pytest.raises(WrongCredentials):
            core.log_in(EMAIL, "not the password")
        assert core.saved_user(actor.user_id).password_hash == core.hasher.FOREIGN + PASSWORD

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

    def test_every_outcome_carries_the_quotas_left(self, ada: Core) -> None:
        """So that a client sees its limits coming, not only when it hits them."""
        allowed = ada.throttle.max_failures
        assert [q.remaining for q in ada.login(EMAIL, PASSWORD, HOME).quotas] == [
            ada.throttle.max_address_failures - 1,
            allowed - 1,
        ]
        left = []
        for _ in range(allowed):
            with pytest.raises(WrongCredentials) as refused:
                ada.login(EMAIL, "guess", HOME)
            left.append(refused.value.quotas[-1].remaining)
        assert left == list(range(allowed - 1, -1, -1))
        with pytest.raises(TooManyAttempts) as throttled:
            ada.login(EMAIL, PASSWORD, HOME)
        account = throttled.value.quotas[-1]
        assert (account.policy, account.remaining) == ("account", 0)
        assert account.reset_seconds == throttled.value.retry_after_seconds

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
        assert (EMAIL, HOME) not in ada.throttle.attempts  # the success forgot the failures

    def test_failures_from_elsewhere_do_not_lock_the_owner_out(self, ada: Core) -> None:
        for _ in range(ada.throttle.max_failures):
            with pytest.raises(Unauthenticated):
                ada.log_in(EMAIL, "guess", address=ATTACKER)
        with pytest.raises(TooManyAttempts):
            ada.log_in(EMAIL, PASSWORD, address=ATTACKER)
        ada.log_in(EMAIL, PASSWORD)

    def test_one_address_is_throttled_across_accounts_before_any_password_work(
        self, ada: Core
    ) -> None:
        for n in range(ada.throttle.max_address_failures):
            with pytest.raises(Unauthenticated):
                ada.log_in(f"victim{n}@example.com", PASSWORD, address=ATTACKER)
        checks = len(ada.hasher.checks)
        with pytest.raises(TooManyAttempts):
            ada.log_in(EMAIL, PASSWORD, address=ATTACKER)
        assert len(ada.hasher.checks) == checks
        ada.log_in(EMAIL, PASSWORD)

    def test_a_success_gives_the_address_its_attempt_back(self, core: Core) -> None:
        """Many people behind one address (an office) logging in do not throttle it."""
        for n in range(core.throttle.max_address_failures + 5):
            email = f"colleague{n}@example.com"
            core.user(email=email)
            core.log_in(email, PASSWORD)

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

    def test_a_replay_after_the_grace_ends_the_whole_login(self, ada: Core) -> None:
        stolen = ada.log_in(EMAIL, PASSWORD)
        other_login = ada.log_in(EMAIL, PASSWORD)
        rotated = ada.refresh_tokens(stolen.refresh)
        ada.clock.advance(REUSE_GRACE + timedelta(seconds=1))
        with pytest.raises(Unauthenticated):
            ada.refresh_tokens(stolen.refresh)
        for access in (stolen.access, rotated.access):
            with pytest.raises(Unauthenticated):
                ada.authenticate(access)
        with pytest.raises(Unauthenticated):
            ada.refresh_tokens(rotated.refresh)
        assert len(ada.uow.logins.ended()) == 1
        ada.refresh_tokens(other_login.refresh)

    def test_a_second_use_within_the_grace_is_refused_and_ends_nothing(self, ada: Core) -> None:
        first = ada.log_in(EMAIL, PASSWORD)
        rotated = ada.refresh_tokens(first.refresh)
        ada.clock.advance(REUSE_GRACE)
        with pytest.raises(Unauthenticated):
            ada.refresh_tokens(first.refresh)
        assert ada.uow.logins.ended() == set()
        ada.authenticate(rotated.access)
        ada.refresh_tokens(rotated.refresh)

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


class TestLogOut:
    def test_logging_out_ends_every_token_of_that_login_only(self, ada: Core) -> None:
        first = ada.log_in(EMAIL, PASSWORD)
        rotated = ada.refresh_tokens(first.refresh)
        elsewhere = ada.log_in(EMAIL, PASSWORD)
        ada.log_out(rotated.access)
        for access in (first.access, rotated.access):
            with pytest.raises(Unauthenticated):
                ada.authenticate(access)
        with pytest.raises(Unauthenticated):
            ada.refresh_tokens(rotated.refresh)
        ada.authenticate(elsewhere.access)

    def test_logging_out_needs_a_live_access_token(self, ada: Core) -> None:
        pair = ada.log_in(EMAIL, PASSWORD)
        with pytest.raises(Unauthenticated):
            ada.log_out(pair.refresh)
        ada.log_out(pair.access)
        with pytest.raises(Unauthenticated):
            ada.log_out(pair.access)


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

    def test_authenticating_asks_the_store_once(self, ada: Core) -> None:
        pair = ada.log_in(EMAIL, PASSWORD)
        lookups = ada.uow.logins.lookups
        ada.authenticate(pair.access)
        assert ada.uow.logins.lookups == lookups + 1

    @pytest.mark.parametrize("token", ["", "garbage", f"access-{uuid4().hex}"])
    def test_a_token_we_did_not_issue_is_refused(self, ada: Core, token: str) -> None:
        with pytest.raises(Unauthenticated):
            ada.authenticate(token)
