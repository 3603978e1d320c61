import datetime

from django.utils import timezone

from varig.adminhelp import services
from varig.adminhelp.models import AdminTask, TaskKind


def make_admin_task(
    *,
    job_customer,
    actor=None,
    responsible=None,
    kind=TaskKind.HOUSING_BENEFIT,
    due_on=None,
    **extra,
) -> AdminTask:
    """A task made through the service (with its checklist rows); `actor` defaults to the
    person's advisor and `responsible` to the actor."""
    actor = actor or job_customer.advisor
    return services.admin_task_create(
        actor=actor,
        job_customer=job_customer,
        kind=kind,
        due_on=due_on or timezone.localdate() + datetime.timedelta(days=7),
        responsible=responsible or actor,
        **extra,
    )


def make_due_task(
    *, job_customer, responsible, due_on, status=None, kind=TaskKind.HOUSING_BENEFIT
) -> AdminTask:
    """A task due on `due_on` (past dates allowed: written past the service's rule)."""
    task = make_admin_task(
        job_customer=job_customer, actor=responsible, responsible=responsible, kind=kind
    )
    AdminTask.objects.filter(pk=task.pk).update(
        due_on=due_on, **({"status": status} if status else {})
    )
    task.refresh_from_db()
    return task
