"""The all-or-nothing writer: validated records → rows, in one transaction, in bulk.

Records are matched by `ref` (advisors by e-mail, case-insensitively), so importing the same
data again updates and never duplicates. A column that is absent from a file leaves that field
of existing rows untouched; an empty cell clears it.

Follow-ups for imported placements (see docs/interchange.md): a NEW placement gets the standard
follow-ups only when it is open (no end, or an end today or later) and started within the last
12 months (or starts later), and only the steps whose window has not closed yet. When a
re-import changes an existing placement's kind, start or end, its follow-ups are brought in
step the way `placements.services` does it (planned ones move or are cancelled, held ones never
change), and missing steps are added under the same rule as for new placements.

Bulk writes bypass django-auditlog's signals, so the import writes one audit entry that
summarises what it did.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from varig.core.models import Role, User
from varig.customers.models import JobCustomer
from varig.employers.models import Company
from varig.outcomes.models import ImportJob
from varig.placements.models import FollowUp, Placement, TierChange
from varig.placements.schedule import Step, add_months, followup_schedule, yearly_step

from .parse import Parsed

BATCH = 2000
CHUNK = 900  # refs per `IN (…)` look-up

CUSTOMER_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "phone",
    "postcode",
    "advisor_email",
    "associated_from",
    "associated_until",
)
COMPANY_FIELDS = ("name", "cvr", "industry", "postcode", "employees")
PLACEMENT_FIELDS = (
    "job_customer_ref",
    "company_ref",
    "kind",
    "started_on",
    "ended_on",
    "hours_per_week",
    "desired_job",
    "end_reason",
)
# Interchange column → model attribute, where they differ.
ATTRIBUTE = {
    "advisor_email": "advisor_id",
    "job_customer_ref": "job_customer_id",
    "company_ref": "company_id",
}
SCHEDULE_FIELDS = ("kind", "started_on", "ended_on")
FOLLOWUP_WINDOW_MONTHS = 12


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _existing(model, refs: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for chunk in _chunks(refs):
        for obj in model.objects.filter(ref__in=chunk):
            found[obj.ref] = obj
    return found


def _counts() -> dict[str, int]:
    return {"created": 0, "updated": 0, "unchanged": 0}


# --- follow-up rule ----------------------------------------------------------------------------


def import_followup_steps(
    *,
    kind: str,
    started_on: datetime.date,
    ended_on: datetime.date | None,
    today: datetime.date,
) -> list[Step]:
    """The standard follow-ups an imported placement gets: none for a placement that ended
    before today or started more than 12 months ago; otherwise the steps of
    `followup_schedule` whose window has not closed and that fall before the end."""
    if ended_on is not None and ended_on < today:
        return []
    if started_on < add_months(today, -FOLLOWUP_WINDOW_MONTHS):
        return []
    return [
        step
        for step in followup_schedule(kind=kind, started_on=started_on)
        if step.window_end >= today and (ended_on is None or step.due_on <= ended_on)
    ]


def _new_followup(placement: Placement, step: Step) -> FollowUp:
    return FollowUp(
        placement_id=placement.pk,
        job_customer_id=placement.job_customer_id,
        kind=step.kind,
        months=step.months,
        due_on=step.due_on,
        window_start=step.window_start,
        window_end=step.window_end,
        updated_at=timezone.now(),
    )


def _resync_followups(placements: list[Placement], today: datetime.date, counts: dict) -> None:
    """Bring the standard follow-ups of existing placements whose kind, start or end changed
    in step (the rules of `placements.services._sync_followups`, in bulk)."""
    by_placement: dict[int, list[FollowUp]] = {p.pk: [] for p in placements}
    for chunk in _chunks([p.pk for p in placements]):
        rows = (
            FollowUp.objects.filter(placement_id__in=chunk)
            .exclude(kind=FollowUp.Kind.EXTRA)
            .exclude(status=FollowUp.Status.CANCELLED)
        )
        for followup in rows:
            by_placement[followup.placement_id].append(followup)
    now = timezone.now()
    changed: list[FollowUp] = []
    created: list[FollowUp] = []
    for placement in placements:
        current = by_placement[placement.pk]
        wanted = {
            (s.kind, s.months): s
            for s in followup_schedule(
                kind=placement.kind,
                started_on=placement.started_on,
                planned_end_on=placement.planned_end_on,
                yearly=placement.yearly_followups,
            )
        }
        if placement.yearly_followups:
            for followup in current:
                if followup.kind == FollowUp.Kind.YEARLY:
                    wanted.setdefault(
                        (followup.kind, followup.months),
                        yearly_step(placement.started_on, followup.months),
                    )
        seen = set()
        for followup in current:
            key = (followup.kind, followup.months)
            seen.add(key)
            if followup.status == FollowUp.Status.HELD:
                continue
            step = wanted.get(key)
            if step is None or (placement.ended_on and step.due_on > placement.ended_on):
                followup.status = FollowUp.Status.CANCELLED
                followup.updated_at = now
                changed.append(followup)
                counts["cancelled"] += 1
                continue
            dates = (step.due_on, step.window_start, step.window_end)
            if (followup.due_on, followup.window_start, followup.window_end) != dates:
                followup.due_on, followup.window_start, followup.window_end = dates
                followup.updated_at = now
                changed.append(followup)
                counts["moved"] += 1
        for step in import_followup_steps(
            kind=placement.kind,
            started_on=placement.started_on,
            ended_on=placement.ended_on,
            today=today,
        ):
            if (step.kind, step.months) not in seen:
                created.append(_new_followup(placement, step))
    FollowUp.objects.bulk_update(
        changed, ["status", "due_on", "window_start", "window_end", "updated_at"], batch_size=BATCH
    )
    FollowUp.objects.bulk_create(created, batch_size=BATCH)
    counts["created"] += len(created)


# --- the writer --------------------------------------------------------------------------------


def _upsert(
    *,
    model,
    records: dict[str, dict],
    fields: tuple[str, ...],
    columns: set[str],
    resolve: Callable[[str, Any], Any],
    now: datetime.datetime,
    counts: dict[str, int],
) -> tuple[dict[str, Any], list[Any], dict[int, dict]]:
    """Create the new rows and update the changed ones; return (objects by ref, the created
    objects, the old values of the updated objects by pk)."""
    present = [f for f in fields if f in columns]
    existing = _existing(model, list(records))
    to_create: list[Any] = []
    to_update: list[Any] = []
    old_values: dict[int, dict] = {}
    updated_attrs: set[str] = set()
    by_ref: dict[str, Any] = {}
    for ref, record in records.items():
        values = {ATTRIBUTE.get(f, f): resolve(f, record[f]) for f in present}
        obj = existing.get(ref)
        if obj is None:
            obj = model(ref=ref, created_at=now, updated_at=now, **values)
            to_create.append(obj)
        else:
            diff = {a: v for a, v in values.items() if getattr(obj, a) != v}
            if diff:
                old_values[obj.pk] = {a: getattr(obj, a) for a in diff}
                for attribute, value in diff.items():
                    setattr(obj, attribute, value)
                obj.version += 1
                obj.updated_at = now
                updated_attrs.update(diff)
                to_update.append(obj)
            else:
                counts["unchanged"] += 1
        by_ref[ref] = obj
    model.objects.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        model.objects.bulk_update(
            to_update, [*sorted(updated_attrs), "version", "updated_at"], batch_size=500
        )
    counts["created"] += len(to_create)
    counts["updated"] += len(to_update)
    return by_ref, to_create, old_values


def _ref_ids(model, records: dict[str, Any], wanted: set[str]) -> dict[str, int]:
    """ref → pk for `wanted`: from the rows just written, else one look-up per chunk."""
    ids = {ref: obj.pk for ref, obj in records.items()}
    missing = sorted(wanted - ids.keys())
    for chunk in _chunks(missing):
        ids.update(model.objects.filter(ref__in=chunk).values_list("ref", "pk"))
    return ids


def _write_advisors(parsed: Parsed, counts: dict) -> dict[str, int]:
    """Create new advisors (advisor role, unusable password), rename existing ones when the
    file names them, and give the advisor role to listed users who lack it."""
    users = {u.email.lower(): u for u in User.objects.only("pk", "email", "name")}
    advisor_group = Group.objects.get(name=Role.ADVISOR)
    has_role = set(advisor_group.user_set.values_list("pk", flat=True))
    new_users: list[User] = []
    renamed: list[User] = []
    name_given = "name" in parsed.columns.get("advisors", set())
    unusable = make_password(None)
    for key, record in parsed.advisors.items():
        user = users.get(key)
        if user is None:
            user = User(
                email=key,
                name=record["name"] or key.split("@", 1)[0],
                password=unusable,
                language="da",
            )
            new_users.append(user)
            users[key] = user
        elif name_given and record["name"] and user.name != record["name"]:
            user.name = record["name"]
            renamed.append(user)
        else:
            counts["unchanged"] += 1
    User.objects.bulk_create(new_users, batch_size=BATCH)
    User.objects.bulk_update(renamed, ["name"], batch_size=500)
    Membership = User.groups.through
    memberships = [
        Membership(user_id=users[key].pk, group_id=advisor_group.pk)
        for key in parsed.advisors
        if users[key].pk not in has_role
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    counts["created"] += len(new_users)
    counts["updated"] += len(renamed)
    counts["given_role"] = len(memberships) - len(new_users)
    return {email: user.pk for email, user in users.items()}


def write(
    parsed: Parsed,
    *,
    actor: User | None,
    job: ImportJob | None = None,
    file_names: str = "",
    today: datetime.date | None = None,
) -> dict[str, dict[str, int]]:
    """Write validated input in one transaction and return the counts per file.

    Call only with a `Parsed` without problems. Writes one audit entry (on `job`, or on a new
    ImportJob row recording a command-line import).
    """
    today = today or timezone.localdate()
    now = timezone.now()
    summary: dict[str, dict[str, int]] = {
        "advisors": _counts(),
        "job_customers": _counts(),
        "companies": _counts(),
        "placements": _counts(),
        "followups": {"created": 0, "moved": 0, "cancelled": 0},
    }
    with transaction.atomic():
        user_ids = _write_advisors(parsed, summary["advisors"]) if parsed.advisors else {}
        if not user_ids and parsed.job_customers:
            user_ids = {e.lower(): pk for pk, e in User.objects.values_list("pk", "email")}

        customers, _, _ = _upsert(
            model=JobCustomer,
            records=parsed.job_customers,
            fields=CUSTOMER_FIELDS,
            columns=parsed.columns.get("job_customers", set()),
            resolve=lambda f, v: (user_ids[v] if v else None) if f == "advisor_email" else v,
            now=now,
            counts=summary["job_customers"],
        )
        companies, _, _ = _upsert(
            model=Company,
            records=parsed.companies,
            fields=COMPANY_FIELDS,
            columns=parsed.columns.get("companies", set()),
            resolve=lambda f, v: v,
            now=now,
            counts=summary["companies"],
        )
        if parsed.placements:
            customer_ids = _ref_ids(
                JobCustomer, customers, {r["job_customer_ref"] for r in parsed.placements.values()}
            )
            company_ids = _ref_ids(
                Company, companies, {r["company_ref"] for r in parsed.placements.values()}
            )

            def resolve(field: str, value: Any) -> Any:
                if field == "job_customer_ref":
                    return customer_ids[value]
                if field == "company_ref":
                    return company_ids[value]
                return value

            placements, created, old_values = _upsert(
                model=Placement,
                records=parsed.placements,
                fields=PLACEMENT_FIELDS,
                columns=parsed.columns.get("placements", set()),
                resolve=resolve,
                now=now,
                counts=summary["placements"],
            )
            _placement_side_effects(
                placements=placements,
                created=created,
                old_values=old_values,
                actor=actor,
                today=today,
                counts=summary["followups"],
            )

        if job is None:
            job = ImportJob.objects.create(
                source=ImportJob.Source.COMMAND,
                created_by=actor,
                file_names=file_names,
                status=ImportJob.Status.SUCCEEDED,
                phase=ImportJob.Phase.DONE,
                finished_at=timezone.now(),
                summary=summary,
            )
        LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(ImportJob),
            object_pk=str(job.pk),
            object_id=job.pk,
            object_repr=str(job),
            action=LogEntry.Action.CREATE,
            changes={"import": summary},
            changes_text="",
            actor=actor,
            additional_data={"files": file_names, "source": job.source},
        )
    return summary


def _placement_side_effects(
    *,
    placements: dict[str, Placement],
    created: list[Placement],
    old_values: dict[int, dict],
    actor: User | None,
    today: datetime.date,
    counts: dict,
) -> None:
    """The first tier entry and the follow-ups of new placements; follow-ups of moved ones."""
    TierChange.objects.bulk_create(
        [
            TierChange(placement_id=p.pk, tier=p.tier, changed_on=p.started_on, changed_by=actor)
            for p in created
        ],
        batch_size=BATCH,
    )
    followups = [
        _new_followup(p, step)
        for p in created
        for step in import_followup_steps(
            kind=p.kind, started_on=p.started_on, ended_on=p.ended_on, today=today
        )
    ]
    FollowUp.objects.bulk_create(followups, batch_size=BATCH)
    counts["created"] += len(followups)
    moved = [
        p
        for p in placements.values()
        if p.pk in old_values and any(f in old_values[p.pk] for f in SCHEDULE_FIELDS)
    ]
    if moved:
        _resync_followups(moved, today, counts)
