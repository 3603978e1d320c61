"""Every write of the admin-help tasks: create, edit, change status, tick a checklist step.

Each service checks that the actor may change the job customer (the same rule as the person's
page: a vejleder their own caseload and persons shared with them, managers and administrators
everyone, consultants only read), validates, and saves in one transaction. django-auditlog
records every change with the actor of the request.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varig.core.models import Role, User
from varig.core.services import version_check_and_bump
from varig.customers.models import JobCustomer
from varig.customers.selectors import can_edit_job_customer

from .checklists import current_checklist
from .models import OPEN_STATUSES, AdminTask, ChecklistItem, TaskKind, TaskStatus

UNKNOWN_KIND = _("Choose what the task is about.")
DUE_REQUIRED = _("Enter the date the task is due.")
DUE_IN_PAST = _("The due date cannot be before today.")
DUE_TOO_FAR = _("The due date cannot be more than two years ahead.")
RESPONSIBLE_REQUIRED = _("Choose the responsible advisor.")
RESPONSIBLE_NOT_ADVISOR = _(
    "The responsible person must be an active advisor, manager or administrator."
)
UNKNOWN_STATUS = _("Choose a status.")
SAME_STATUS = _("The task already has this status.")
TASK_CLOSED = _("The task is done or cancelled: open it again to change its checklist.")
NOT_ALLOWED = _("You may not change this job customer's tasks.")

RESPONSIBLE_ROLES = (Role.ADVISOR, Role.MANAGER, Role.ADMINISTRATOR)
MAX_DAYS_AHEAD = 2 * 366


def _check_may_change(*, actor: User, job_customer: JobCustomer) -> None:
    if not can_edit_job_customer(user=actor, job_customer=job_customer):
        raise PermissionDenied(NOT_ALLOWED)


def responsible_candidates():
    """The users a task may be given to: active advisors, managers and administrators."""
    return (
        User.objects.filter(is_active=True, groups__name__in=RESPONSIBLE_ROLES)
        .distinct()
        .order_by("name", "pk")
    )


def _validate(*, due_on, responsible, previous_due: datetime.date | None = None) -> dict[str, list]:
    errors: dict[str, list] = {}
    today = timezone.localdate()
    if not isinstance(due_on, datetime.date) or isinstance(due_on, datetime.datetime):
        errors["due_on"] = [ValidationError(DUE_REQUIRED, code="due_required")]
    elif due_on != previous_due:
        # An unchanged due date may lie in the past (the task is overdue); a new one may not.
        if due_on < today:
            errors["due_on"] = [ValidationError(DUE_IN_PAST, code="due_in_past")]
        elif due_on > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
            errors["due_on"] = [ValidationError(DUE_TOO_FAR, code="due_too_far")]
    if responsible is None:
        errors["responsible"] = [ValidationError(RESPONSIBLE_REQUIRED, code="responsible_required")]
    elif not (
        responsible.is_active and responsible_candidates().filter(pk=responsible.pk).exists()
    ):
        errors["responsible"] = [
            ValidationError(RESPONSIBLE_NOT_ADVISOR, code="responsible_not_advisor")
        ]
    return errors


@transaction.atomic
def admin_task_create(
    *,
    actor: User,
    job_customer: JobCustomer,
    kind: str,
    due_on: datetime.date | None,
    responsible: User | None,
    notes: str = "",
) -> AdminTask:
    """Open an admin-help task with the newest checklist of its kind copied into its rows.

    Raises PermissionDenied when the actor may not change the person, ValidationError per
    field: an unknown kind, no or a past due date (or more than two years ahead), no
    responsible advisor or one who is not active staff with an advisor's role.
    """
    _check_may_change(actor=actor, job_customer=job_customer)
    errors = _validate(due_on=due_on, responsible=responsible)
    if kind not in TaskKind.values:
        errors["kind"] = [ValidationError(UNKNOWN_KIND, code="unknown_kind")]
    if errors:
        raise ValidationError(errors)
    checklist = current_checklist(kind)
    task = AdminTask(
        job_customer=job_customer,
        kind=kind,
        due_on=due_on,
        responsible=responsible,
        notes=(notes or "").strip(),
        checklist_version=checklist.version,
        created_by=actor,
    )
    task.full_clean()
    task.save()
    items = [
        ChecklistItem(task=task, position=n, key=step.key, text=step.text)
        for n, step in enumerate(checklist.steps, start=1)
    ]
    for item in items:
        item.full_clean(exclude=["task"])
    # One INSERT for the steps: they are part of the task's creation (its audit entry says
    # so); each later tick or untick of a step has an audit entry of its own.
    ChecklistItem.objects.bulk_create(items)
    return task


@transaction.atomic
def admin_task_update(
    *,
    actor: User,
    task: AdminTask,
    due_on: datetime.date | None,
    responsible: User | None,
    notes: str = "",
    expected_version: int | None = None,
) -> AdminTask:
    """Change a task's due date, responsible advisor and notes.

    Refuses with STALE_EDIT (and what changed) when someone saved the task after
    `expected_version` was read. An unchanged due date may be in the past; a changed one not.
    """
    _check_may_change(actor=actor, job_customer=task.job_customer)
    notes = (notes or "").strip()
    version_check_and_bump(
        task,
        expected_version=expected_version,
        yours={"due_on": due_on, "responsible": responsible, "notes": notes},
    )
    stored_due = AdminTask.objects.values_list("due_on", flat=True).get(pk=task.pk)
    errors = _validate(due_on=due_on, responsible=responsible, previous_due=stored_due)
    if errors:
        raise ValidationError(errors)
    task.due_on = due_on
    task.responsible = responsible
    task.notes = notes
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def admin_task_set_status(
    *,
    actor: User,
    task: AdminTask,
    status: str,
    expected_version: int | None = None,
) -> AdminTask:
    """Move a task to open, waiting for the authority, done or cancelled.

    Done and cancelled close the task (closed_at is set); open and waiting reopen it. Refuses
    an unknown status, the status the task already has, and a stale version.
    """
    _check_may_change(actor=actor, job_customer=task.job_customer)
    version_check_and_bump(task, expected_version=expected_version, yours={"status": status})
    if status not in TaskStatus.values:
        raise ValidationError({"status": ValidationError(UNKNOWN_STATUS, code="unknown_status")})
    if status == task.status:
        raise ValidationError({"status": ValidationError(SAME_STATUS, code="same_status")})
    task.status = status
    task.closed_at = None if status in OPEN_STATUSES else timezone.now()
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def checklist_item_set(*, actor: User, item: ChecklistItem, done: bool) -> ChecklistItem:
    """Tick a step (who and when) or untick it. Idempotent: the request says the state it
    wants, so two people ticking at once cannot undo each other. Refused on a closed task."""
    task = AdminTask.objects.select_for_update().select_related("job_customer").get(pk=item.task_id)
    _check_may_change(actor=actor, job_customer=task.job_customer)
    if not task.is_open:
        raise ValidationError(TASK_CLOSED, code="task_closed")
    item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    if done == item.is_done:
        return item
    item.done_at = timezone.now() if done else None
    item.done_by = actor if done else None
    item.save(update_fields=["done_at", "done_by"])
    return item
