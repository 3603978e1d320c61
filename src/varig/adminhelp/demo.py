"""Demo data for the admin-help tasks (`varig demo`): after a job starts, the paperwork that
follows (housing benefit, the preliminary income assessment, Udbetaling Danmark), and now and
then the pension fund, a suspended pension or the way to a fleksjob. Some are due today or
overdue, so "I dag" has them; the first advisor's caseload always has a few.

Registered in core.demo.APP_DEMO. Draws from its own Random (`builder.rng_for("adminhelp")`);
rows go through the builder's bulk tables (no audit entries, as for all demo data), a few
thousand tasks at national scale.
"""

import datetime

from django.utils import timezone

from varig.core.models import Role

from .checklists import current_checklist
from .models import AdminTask, ChecklistItem, TaskKind, TaskStatus

# Of the persons in a job that started in the last two years, how many get a task.
SHARE = 0.3
MAX_TASKS = 4000
FIRST_CASELOAD_DUE = 4
KIND_WEIGHTS = [
    (TaskKind.HOUSING_BENEFIT, 30),
    (TaskKind.TAX, 25),
    (TaskKind.UDBETALING_DANMARK, 20),
    (TaskKind.PENSION_FUND, 10),
    (TaskKind.PENSION_SUSPENSION, 8),
    (TaskKind.FLEKSJOB, 7),
]
STATUS_WEIGHTS = [
    (TaskStatus.OPEN, 45),
    (TaskStatus.WAITING, 20),
    (TaskStatus.DONE, 30),
    (TaskStatus.CANCELLED, 5),
]
NOTES = {
    TaskKind.HOUSING_BENEFIT: "Ny løn fra næste måned; jobkunden bor alene.",
    TaskKind.TAX: "Forskudsopgørelsen regnede med 0 kr. i løn.",
    TaskKind.UDBETALING_DANMARK: "Har fået et brev om efterregulering og er bekymret.",
    TaskKind.PENSION_FUND: "Har en forsikring ved tab af erhvervsevne gennem en tidligere ansættelse.",
    TaskKind.PENSION_SUSPENSION: "Overvejer at lade pensionen hvile for at prøve fuld tid.",
    TaskKind.FLEKSJOB: "Virksomheden vil gerne ansætte i fleksjob; jobkunden er i tvivl.",
}


def make_demo_data(builder) -> None:
    rng = builder.rng_for("adminhelp")
    today = builder.today
    now = timezone.now()
    advisors = builder.staff.get(Role.ADVISOR) or []
    if not advisors:
        return
    first_advisor = advisors[0].pk
    since = today - datetime.timedelta(days=730)
    candidates = [
        p
        for p in builder.people
        if p.associated_until is None
        and any(
            pl.is_work and pl.ended_on is None and pl.started_on >= since for pl in p.placements
        )
    ]
    kinds = [k for k, _ in KIND_WEIGHTS]
    kind_weights = [w for _, w in KIND_WEIGHTS]
    statuses = [s for s, _ in STATUS_WEIGHTS]
    status_weights = [w for _, w in STATUS_WEIGHTS]
    tasks = builder.table(AdminTask)
    items = builder.table(ChecklistItem)
    first_due = 0
    chosen = [p for p in candidates if p.advisor_id == first_advisor][:FIRST_CASELOAD_DUE]
    chosen_pks = {p.pk for p in chosen}
    chosen += [p for p in candidates if p.pk not in chosen_pks and rng.random() < SHARE]
    for person in chosen[:MAX_TASKS]:
        kind = rng.choices(kinds, kind_weights)[0]
        if person.advisor_id == first_advisor and first_due < FIRST_CASELOAD_DUE:
            status = TaskStatus.OPEN
            due_on = today - datetime.timedelta(days=first_due * 3)  # today, then overdue
            first_due += 1
        else:
            status = rng.choices(statuses, status_weights)[0]
            if status in (TaskStatus.OPEN, TaskStatus.WAITING):
                due_on = today + datetime.timedelta(days=rng.randint(-21, 35))
            else:
                due_on = today - datetime.timedelta(days=rng.randint(5, 300))
        created = now - datetime.timedelta(days=rng.randint(3, 40))
        if status in (TaskStatus.DONE, TaskStatus.CANCELLED):
            created = timezone.make_aware(
                datetime.datetime.combine(due_on - datetime.timedelta(days=14), datetime.time(10))
            )
        closed_at = created + datetime.timedelta(days=rng.randint(1, 13))
        checklist = current_checklist(kind)
        responsible = person.advisor_id or first_advisor
        task_pk = tasks.add(
            job_customer_id=person.pk,
            kind=kind,
            status=status,
            due_on=due_on,
            responsible_id=responsible,
            notes=NOTES[kind] if rng.random() < 0.6 else "",
            checklist_version=checklist.version,
            closed_at=closed_at if status in (TaskStatus.DONE, TaskStatus.CANCELLED) else None,
            created_by_id=responsible,
            created_at=created,
        )
        steps = checklist.steps
        if status == TaskStatus.DONE:
            ticked = len(steps)
        elif status == TaskStatus.WAITING:
            ticked = max(1, len(steps) - 2)
        elif status == TaskStatus.CANCELLED:
            ticked = rng.randint(0, 2)
        else:
            ticked = rng.randint(0, len(steps) // 2)
        for position, step in enumerate(steps, start=1):
            done = position <= ticked
            items.add(
                task_id=task_pk,
                position=position,
                key=step.key,
                text=step.text,
                done_at=created + datetime.timedelta(hours=position * 5) if done else None,
                done_by_id=responsible if done else None,
            )
