"""UpdateUser and DeleteUser."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from application.errors import InvalidInput, NotFound, Unauthenticated
from application.read_models import UserFilter
from domain.errors import EmailAlreadyUsed
from domain.status import TaskEventType, TaskStatus
from unit.harness import PASSWORD, Core


class TestUpdateUser:
    def test_a_user_changes_their_name_email_and_password(self, core: Core) -> None:
        me = core.user("Ada", email="ada@example.com")
        core.clock.advance(timedelta(minutes=5))
        view = core.update_user(
            me, me.user_id, name="Ada L.", email="ADA.L@example.com", password="n3w secret"
        )
        assert (view.name, view.email, view.updated_at) == (
            "Ada L.",
            "ADA.L@example.com",
            core.clock.now(),
        )
        assert core.authenticate(core.log_in("ada.l@example.com", "n3w secret").access) == me

    def test_an_admin_grants_and_revokes_admin_rights(self, core: Core) -> None:
        admin, user = core.user(admin=True), core.user()
        assert core.update_user(admin, user.user_id, is_admin=True).is_admin
        assert not core.update_user(admin, user.user_id, is_admin=False).is_admin

    def test_a_taken_address_is_refused_and_nothing_else_changes(self, core: Core) -> None:
        core.user(email="taken@example.com")
        me = core.user("Ada", email="ada@example.com")
        with pytest.raises(EmailAlreadyUsed):
            core.update_user(me, me.user_id, name="Renamed", email="Taken@example.com")
        saved = core.saved_user(me.user_id)
        assert (saved.name, saved.email.value) == ("Ada", "ada@example.com")

    def test_respelling_ones_own_address_is_no_conflict(self, core: Core) -> None:
        me = core.user(email="strasse@example.com")
        view = core.update_user(me, me.user_id, email="Straße@Example.com")
        assert view.email == "Straße@example.com"

    def test_an_address_taken_in_another_spelling_is_refused(self, core: Core) -> None:
        core.user(email="straße@example.com")
        me = core.user(email="ada@example.com")
        with pytest.raises(EmailAlreadyUsed):
            core.update_user(me, me.user_id, email="STRASSE@example.com")

    @pytest.mark.parametrize("password", ["short", "x" * 73, "😀" * 64])
    def test_a_new_password_must_be_8_to_72_bytes(self, core: Core, password: str) -> None:
        me = core.user()
        with pytest.raises(InvalidInput):
            core.update_user(me, me.user_id, password=password)
        assert core.hasher.verify(PASSWORD, core.saved_user(me.user_id).password_hash)

    def test_a_new_password_ends_every_earlier_token(self, core: Core) -> None:
        core.user(email="ada@example.com")
        pair = core.log_in("ada@example.com", PASSWORD)
        me = core.authenticate(pair.access)
        core.update_user(me, me.user_id, password="n3w secret")
        with pytest.raises(Unauthenticated):
            core.authenticate(pair.access)
        with pytest.raises(Unauthenticated):
            core.refresh_tokens(pair.refresh)

    def test_an_unknown_or_deleted_user_is_not_found(self, core: Core) -> None:
        admin, gone = core.user(admin=True), core.user()
        core.delete_user(admin, gone.user_id)
        for user_id in (uuid4(), gone.user_id):
            with pytest.raises(NotFound):
                core.update_user(admin, user_id, name="Back")


class TestDeleteUser:
    def test_their_open_tasks_go_back_to_unassigned(self, core: Core) -> None:
        admin, creator, worker = core.user(admin=True), core.user(), core.user()
        pending = core.task(creator, assignee=worker)
        started = core.task(creator, assignee=worker, status=TaskStatus.IN_PROGRESS)
        core.delete_user(admin, worker.user_id)
        for task_id in (pending, started):
            saved = core.saved_task(task_id)
            assert (saved.status, saved.assigned_to) == (TaskStatus.UNASSIGNED, None)
            event = core.events(task_id)[-1]
            assert (event.type, event.actor_id) == (TaskEventType.UNASSIGNED, admin.user_id)
            assert event.changes["assigned_to"].old == str(worker.user_id)

    @pytest.mark.parametrize("status", [TaskStatus.COMPLETED, TaskStatus.FAILED])
    def test_their_finished_tasks_keep_them_as_assignee(
        self, core: Core, status: TaskStatus
    ) -> None:
        admin, creator, worker = core.user(admin=True), core.user(), core.user("Wanda")
        task_id = core.task(creator, assignee=worker, status=status)
        history = len(core.events(task_id))
        core.delete_user(admin, worker.user_id)
        saved = core.saved_task(task_id)
        assert (saved.status, saved.assigned_to) == (status, worker.user_id)
        assert len(core.events(task_id)) == history
        view = core.get_task(task_id)
        assert view.assigned_to is not None
        assert view.assigned_to.name == "Wanda"

    def test_their_overdue_open_work_fails_with_them_as_assignee(self, core: Core) -> None:
        """It failed while it was theirs; the sweep just had not run yet."""
        admin, creator, worker = core.user(admin=True), core.user(), core.user()
        task_id = core.task(creator, assignee=worker, due_in=timedelta(hours=1))
        core.clock.advance(timedelta(hours=1))
        core.delete_user(admin, worker.user_id)
        saved = core.saved_task(task_id)
        assert (saved.status, saved.assigned_to) == (TaskStatus.FAILED, worker.user_id)
        assert core.events(task_id)[-1].type is TaskEventType.EXPIRED
        assert core.saved_user(worker.user_id).is_deleted

    def test_their_tokens_stop_working_at_once(self, core: Core) -> None:
        admin = core.user(admin=True)
        pair = core.register_user(
            email="bo@example.com", name="Bo", password=PASSWORD, password2=PASSWORD
        )
        bo = core.authenticate(pair.access)
        version = core.saved_user(bo.user_id).token_version
        core.delete_user(admin, bo.user_id)
        assert core.saved_user(bo.user_id).token_version > version
        with pytest.raises(Unauthenticated):
            core.authenticate(pair.access)
        with pytest.raises(Unauthenticated):
            core.refresh_tokens(pair.refresh)
        with pytest.raises(Unauthenticated):
            core.log_in("bo@example.com", PASSWORD)

    def test_a_deleted_user_vanishes_from_reads_but_stays_stored(self, core: Core) -> None:
        admin, bo = core.user(admin=True), core.user()
        core.delete_user(admin, bo.user_id)
        with pytest.raises(NotFound):
            core.get_user(bo.user_id)
        assert [u.external_id for u in core.list_users(UserFilter()).items] == [admin.user_id]
        assert core.saved_user(bo.user_id).deleted_at == core.clock.now()
        with pytest.raises(NotFound):
            core.delete_user(admin, bo.user_id)

    def test_tasks_they_created_stay(self, core: Core) -> None:
        admin, creator = core.user(admin=True), core.user()
        task_id = core.task(creator)
        core.delete_user(admin, creator.user_id)
        assert core.get_task(task_id).created_by == creator.user_id
