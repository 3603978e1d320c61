"""The admin-help services: creating a task with its checklist, editing, status, ticking."""

import datetime

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from varig.adminhelp import services
from varig.adminhelp.checklists import CHECKLISTS, Checklist, Step, current_checklist
from varig.adminhelp.models import AdminTask, ChecklistItem, TaskKind, TaskStatus
from varig.core.models import Role
from varig.core.services import STALE_EDIT
from varig.core.tests.factories import make_user
from varig.customers.tests.factories import make_job_customer, make_share

from .factories import make_admin_task

TODAY = timezone.localdate
pytestmark = pytest.mark.django_db


def _days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


@pytest.fixture
def person(advisor):
    return make_job_customer(advisor=advisor, first_name="Mette", last_name="Holm")


def _create(actor, person, **overrides):
    data = {
        "kind": TaskKind.HOUSING_BENEFIT,
        "due_on": _days(7),
        "responsible": actor,
        "notes": "",
    }
    data.update(overrides)
    return services.admin_task_create(actor=actor, job_customer=person, **data)


def _codes(exc: ValidationError, field: str) -> list[str]:
    return [e.code for e in exc.error_dict[field]]


# --- Creating -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", TaskKind.values)
def test_create_copies_the_newest_checklist_of_the_kind(advisor, person, kind):
    task = _create(advisor, person, kind=kind, notes="  Ringede 2. december.  ")
    checklist = current_checklist(kind)
    items = list(task.items.order_by("position"))
    assert [i.key for i in items] == [s.key for s in checklist.steps]
    assert [i.text for i in items] == [s.text for s in checklist.steps]
    assert [i.position for i in items] == list(range(1, len(checklist.steps) + 1))
    assert task.checklist_version == checklist.version
    assert task.status == TaskStatus.OPEN
    assert task.notes == "Ringede 2. december."
    assert task.created_by == advisor
    assert not any(i.is_done for i in items)


def test_every_kind_has_a_checklist_with_unique_keys():
    assert set(CHECKLISTS) == set(TaskKind.values)
    for versions in CHECKLISTS.values():
        for checklist in versions.values():
            keys = [s.key for s in checklist.steps]
            assert len(keys) == len(set(keys)) >= 5
            assert checklist.intro


def test_a_changed_checklist_does_not_rewrite_tasks_under_way(advisor, person, monkeypatch):
    """A new version of the checklist is used for new tasks; old tasks keep their steps."""
    old = _create(advisor, person)
    old_texts = list(old.items.values_list("text", flat=True))
    current = current_checklist(TaskKind.HOUSING_BENEFIT)
    newer = Checklist(
        kind=TaskKind.HOUSING_BENEFIT,
        version=current.version + 1,
        intro=current.intro,
        steps=(Step("only", "A single new step."),),
    )
    versions = {**CHECKLISTS[TaskKind.HOUSING_BENEFIT], newer.version: newer}
    monkeypatch.setitem(CHECKLISTS, TaskKind.HOUSING_BENEFIT, versions)
    new = _create(advisor, person)
    assert new.checklist_version == current.version + 1
    assert list(new.items.values_list("text", flat=True)) == ["A single new step."]
    old.refresh_from_db()
    assert old.checklist_version == current.version
    assert list(old.items.values_list("text", flat=True)) == old_texts


def test_checklist_steps_read_in_danish(advisor, person):
    task = _create(advisor, person, kind=TaskKind.TAX)
    first = task.items.order_by("position").first()
    assert first.text.startswith("Have ready")
    assert first.label.startswith("Hav klar")


def test_unknown_kind_is_refused(advisor, person):
    with pytest.raises(ValidationError) as exc:
        _create(advisor, person, kind="lottery")
    assert _codes(exc.value, "kind") == ["unknown_kind"]
    assert not AdminTask.objects.exists()


@pytest.mark.parametrize(
    ("due_on", "code"),
    [
        (None, "due_required"),
        ("2026-02-30", "due_required"),  # not a date: the form would not let it through
        (-1, "due_in_past"),
        (2 * 366 + 1, "due_too_far"),
    ],
)
def test_bad_due_dates_are_refused(advisor, person, due_on, code):
    if isinstance(due_on, int):
        due_on = _days(due_on)
    with pytest.raises(ValidationError) as exc:
        _create(advisor, person, due_on=due_on)
    assert _codes(exc.value, "due_on") == [code]
    assert not AdminTask.objects.exists()
    assert not ChecklistItem.objects.exists()


def test_due_today_and_two_years_ahead_are_accepted(advisor, person):
    assert _create(advisor, person, due_on=TODAY()).due_on == TODAY()
    assert _create(advisor, person, due_on=_days(2 * 366)).due_on == _days(2 * 366)


def test_responsible_must_be_active_staff_who_works_with_persons(advisor, person, consultant):
    inactive = make_user(role=Role.ADVISOR, name="Gammel", email="gammel@example.dk")
    inactive.is_active = False
    inactive.save()
    for responsible, code in (
        (None, "responsible_required"),
        (consultant, "responsible_not_advisor"),
        (inactive, "responsible_not_advisor"),
    ):
        with pytest.raises(ValidationError) as exc:
            _create(advisor, person, responsible=responsible)
        assert _codes(exc.value, "responsible") == [code]
    assert not AdminTask.objects.exists()


def test_several_errors_come_back_together(advisor, person):
    with pytest.raises(ValidationError) as exc:
        _create(advisor, person, kind="x", due_on=None, responsible=None)
    assert set(exc.value.error_dict) == {"kind", "due_on", "responsible"}


def test_a_manager_may_make_a_task_for_anyone_and_give_it_to_an_advisor(manager, advisor, person):
    task = _create(manager, person, responsible=advisor)
    assert task.responsible == advisor
    assert task.created_by == manager


def test_another_advisor_may_not_make_a_task(other_advisor, person):
    with pytest.raises(PermissionDenied):
        _create(other_advisor, person)
    assert not AdminTask.objects.exists()


def test_a_colleague_the_person_is_shared_with_may(other_advisor, person):
    make_share(job_customer=person, user=other_advisor)
    assert _create(other_advisor, person).job_customer == person


def test_a_consultant_only_reads(consultant, person, advisor):
    make_share(job_customer=person, user=consultant)
    with pytest.raises(PermissionDenied):
        _create(consultant, person, responsible=advisor)


# --- Editing ------------------------------------------------------------------------------------


def test_update_changes_due_date_responsible_and_notes(advisor, other_advisor, person):
    task = _create(advisor, person)
    services.admin_task_update(
        actor=advisor,
        task=task,
        due_on=_days(20),
        responsible=other_advisor,
        notes=" Venter på svar ",
        expected_version=task.version,
    )
    task.refresh_from_db()
    assert (task.due_on, task.responsible, task.notes, task.version) == (
        _days(20),
        other_advisor,
        "Venter på svar",
        2,
    )


def test_update_keeps_an_overdue_due_date_but_refuses_a_new_past_one(advisor, person):
    task = _create(advisor, person)
    AdminTask.objects.filter(pk=task.pk).update(due_on=_days(-10))
    task.refresh_from_db()
    services.admin_task_update(
        actor=advisor,
        task=task,
        due_on=_days(-10),
        responsible=advisor,
        notes="Stadig forsinket",
        expected_version=task.version,
    )
    task.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.admin_task_update(
            actor=advisor,
            task=task,
            due_on=_days(-3),
            responsible=advisor,
            notes="",
            expected_version=task.version,
        )
    assert _codes(exc.value, "due_on") == ["due_in_past"]
    task.refresh_from_db()
    assert task.notes == "Stadig forsinket"


def test_a_stale_edit_is_refused_with_what_changed(advisor, person):
    task = _create(advisor, person)
    shown = task.version
    with set_actor(advisor):
        services.admin_task_update(
            actor=advisor,
            task=AdminTask.objects.get(pk=task.pk),
            due_on=_days(9),
            responsible=advisor,
            notes="",
            expected_version=shown,
        )
    with pytest.raises(ValidationError) as exc:
        services.admin_task_update(
            actor=advisor,
            task=AdminTask.objects.get(pk=task.pk),
            due_on=_days(12),
            responsible=advisor,
            notes="",
            expected_version=shown,
        )
    messages = exc.value.messages
    assert messages[0] == str(STALE_EDIT)
    assert any("Vera Vejleder" in line and "Frist" in line for line in messages[1:])
    assert AdminTask.objects.get(pk=task.pk).due_on == _days(9)


def test_another_advisor_may_not_edit(advisor, other_advisor, person):
    task = _create(advisor, person)
    with pytest.raises(PermissionDenied):
        services.admin_task_update(
            actor=other_advisor, task=task, due_on=_days(3), responsible=other_advisor
        )


# --- Status -------------------------------------------------------------------------------------


def test_status_moves_and_closing_sets_closed_at(advisor, person):
    task = _create(advisor, person)
    services.admin_task_set_status(
        actor=advisor, task=task, status=TaskStatus.WAITING, expected_version=1
    )
    assert task.closed_at is None and task.is_open
    services.admin_task_set_status(
        actor=advisor, task=task, status=TaskStatus.DONE, expected_version=2
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.closed_at is not None and not task.is_open
    services.admin_task_set_status(
        actor=advisor, task=task, status=TaskStatus.OPEN, expected_version=3
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.closed_at is None and task.version == 4


@pytest.mark.parametrize(("status", "code"), [("lost", "unknown_status"), ("open", "same_status")])
def test_status_refuses_unknown_and_unchanged(advisor, person, status, code):
    task = _create(advisor, person)
    with pytest.raises(ValidationError) as exc:
        services.admin_task_set_status(actor=advisor, task=task, status=status, expected_version=1)
    assert _codes(exc.value, "status") == [code]
    assert AdminTask.objects.get(pk=task.pk).status == TaskStatus.OPEN


def test_stale_status_change_is_refused(advisor, manager, person):
    task = _create(advisor, person)
    services.admin_task_set_status(
        actor=manager,
        task=AdminTask.objects.get(pk=task.pk),
        status=TaskStatus.CANCELLED,
        expected_version=1,
    )
    with pytest.raises(ValidationError) as exc:
        services.admin_task_set_status(
            actor=advisor, task=task, status=TaskStatus.DONE, expected_version=1
        )
    assert exc.value.messages[0] == str(STALE_EDIT)
    assert AdminTask.objects.get(pk=task.pk).status == TaskStatus.CANCELLED


def test_other_advisor_may_not_change_the_status(advisor, other_advisor, person):
    task = _create(advisor, person)
    with pytest.raises(PermissionDenied):
        services.admin_task_set_status(actor=other_advisor, task=task, status=TaskStatus.DONE)


# --- Ticking ------------------------------------------------------------------------------------


def test_ticking_records_who_and_when_and_unticking_clears_it(advisor, person):
    task = _create(advisor, person)
    item = task.items.order_by("position").first()
    before = timezone.now()
    item = services.checklist_item_set(actor=advisor, item=item, done=True)
    assert item.done_by == advisor and item.done_at >= before
    again = services.checklist_item_set(actor=advisor, item=item, done=True)  # idempotent
    assert again.done_at == item.done_at
    item = services.checklist_item_set(actor=advisor, item=item, done=False)
    assert item.done_at is None and item.done_by is None


def test_ticking_does_not_bump_the_task_version(advisor, person):
    """Ticking a step while someone edits the notes must not make their edit stale."""
    task = _create(advisor, person)
    services.checklist_item_set(actor=advisor, item=task.items.first(), done=True)
    assert AdminTask.objects.get(pk=task.pk).version == task.version


def test_a_closed_task_cannot_be_ticked(advisor, person):
    task = _create(advisor, person)
    services.admin_task_set_status(actor=advisor, task=task, status=TaskStatus.DONE)
    with pytest.raises(ValidationError) as exc:
        services.checklist_item_set(actor=advisor, item=task.items.first(), done=True)
    assert exc.value.code == "task_closed"
    assert not ChecklistItem.objects.filter(done_at__isnull=False).exists()


def test_other_advisor_and_consultant_may_not_tick(advisor, other_advisor, consultant, person):
    task = _create(advisor, person)
    make_share(job_customer=person, user=consultant)
    for actor in (other_advisor, consultant):
        with pytest.raises(PermissionDenied):
            services.checklist_item_set(actor=actor, item=task.items.first(), done=True)
    assert not ChecklistItem.objects.filter(done_at__isnull=False).exists()


# --- Audit --------------------------------------------------------------------------------------


def test_every_change_is_in_the_audit_log_with_the_actor_and_notes_masked(advisor, person):
    with set_actor(advisor):
        task = _create(advisor, person, notes="Har det svært med økonomien")
        services.admin_task_set_status(actor=advisor, task=task, status=TaskStatus.WAITING)
        services.checklist_item_set(actor=advisor, item=task.items.first(), done=True)
    entries = LogEntry.objects.get_for_object(task).order_by("pk")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert all(e.actor == advisor for e in entries)
    assert "Har det svært" not in str(entries[0].changes)
    assert entries[1].changes["status"] == ["open", "waiting"]
    tick = LogEntry.objects.get_for_object(task.items.first()).get()
    assert tick.actor == advisor and "done_at" in tick.changes


def test_make_admin_task_factory(advisor, person):
    task = make_admin_task(job_customer=person)
    assert task.responsible == advisor and task.items.count() >= 5


def test_checklist_steps_read_in_english_for_an_english_user(advisor, person):
    from django.utils import translation

    task = _create(advisor, person, kind=TaskKind.FLEKSJOB)
    with translation.override("en"):
        assert task.items.order_by("position").first().label.startswith("Work out with")
