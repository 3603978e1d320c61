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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from varig.core.models import Role, User
from varig.customers.models import JobCustomer
from varig.customers.status import refresh_statuses
from varig.employers.models import Company
from varig.outcomes.models import ImportJob
from varig.placements.anniversaries import refresh_employed_since
from varig.placements.models import (
    UNSCHEDULED_FOLLOWUP_KINDS,
    FollowUp,
    Placement,
    TierChange,
)
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
            .exclude(kind__in=UNSCHEDULED_FOLLOWUP_KINDS)
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


def _fast_prep(field) -> Callable[[Any], Any] | None:
    """A cheap value → database value conversion for the field types the import writes
    (Django's get_db_prep_save costs more than the INSERT itself at this volume)."""
    if connection.vendor == "sqlite":
        if isinstance(field, models.DateTimeField):
            return lambda v: field.get_db_prep_save(v, connection)
        if isinstance(field, models.DateField):
            return datetime.date.isoformat
        if isinstance(field, models.DecimalField):
            return str
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    return None  # strings, numbers, booleans and (on PostgreSQL) dates pass as they are


def _raw_insert(model, rows: list[dict[str, Any]], now: datetime.datetime) -> None:
    """INSERT plain rows (attname → value) with executemany, skipping model instances and the
    ORM's per-value SQL compilation: for 400,000 rows that is the difference between minutes
    and seconds. Absent fields get their model default; auto_now(_add) fields get `now`."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    plans = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default = f.get_db_prep_save(now, connection)
        else:
            default = f.get_db_prep_save(f.get_default(), connection)
        plans.append((f.attname, default, _fast_prep(f)))
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, 5000):
            params = []
            for row in chunk:
                values = []
                for attname, default, prep in plans:
                    if attname in row:
                        value = row[attname]
                        if prep is not None and value is not None:
                            value = prep(value)
                    else:
                        value = default
                    values.append(value)
                params.append(values)
            cursor.executemany(sql, params)


def _upsert(
    *,
    model,
    records: dict[str, dict],
    fields: tuple[str, ...],
    columns: set[str],
    resolve: Callable[[str, Any], Any],
    now: datetime.datetime,
    counts: dict[str, int],
) -> tuple[dict[str, int], set[str], dict[int, dict]]:
    """Create the new rows and update the changed ones; return (pk by ref, the created refs,
    the old values of the changed fields of updated rows by pk)."""
    present = [f for f in fields if f in columns]
    attrs = [ATTRIBUTE.get(f, f) for f in present]
    existing: dict[str, dict] = {}
    for chunk in _chunks(list(records)):
        for row in model.objects.filter(ref__in=chunk).values("pk", "ref", "version", *attrs):
            existing[row["ref"]] = row
    new_rows: list[dict] = []
    to_update: list[Any] = []
    old_values: dict[int, dict] = {}
    updated_attrs: set[str] = set()
    for ref, record in records.items():
        values = {ATTRIBUTE.get(f, f): resolve(f, record[f]) for f in present}
        row = existing.get(ref)
        if row is None:
            values["ref"] = ref
            new_rows.append(values)
            continue
        diff = {a: v for a, v in values.items() if row[a] != v}
        if not diff:
            counts["unchanged"] += 1
            continue
        old_values[row["pk"]] = {a: row[a] for a in diff}
        to_update.append(model(pk=row["pk"], version=row["version"] + 1, updated_at=now, **diff))
        updated_attrs.update(diff)
    _raw_insert(model, new_rows, now)
    if to_update:
        model.objects.bulk_update(
            to_update, [*sorted(updated_attrs), "version", "updated_at"], batch_size=500
        )
    counts["created"] += len(new_rows)
    counts["updated"] += len(to_update)
    ids = {ref: row["pk"] for ref, row in existing.items()}
    created = {row["ref"] for row in new_rows}
    if created:
        ids.update(_lookup_ids(model, created))
    return ids, created, old_values


def _lookup_ids(model, refs: set[str]) -> dict[str, int]:
    """ref → pk for `refs`: one query for the whole table when many are wanted."""
    if len(refs) > 20 * CHUNK:
        return {
            ref: pk for ref, pk in model.objects.values_list("ref", "pk").iterator() if ref in refs
        }
    ids: dict[str, int] = {}
    for chunk in _chunks(sorted(refs)):
        ids.update(model.objects.filter(ref__in=chunk).values_list("ref", "pk"))
    return ids


def _ref_ids(model, ids: dict[str, int], wanted: set[str]) -> dict[str, int]:
    """ref → pk for `wanted`: from the rows just written, else looked up."""
    missing = wanted - ids.keys()
    return {**ids, **_lookup_ids(model, missing)} if missing else ids


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


@contextmanager
def _large_page_cache() -> Iterator[None]:
    """On SQLite, let the connection cache 256 MB of pages while the import writes: with the
    default 2 MB, inserting hundreds of thousands of rows into indexed tables thrashes."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


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
    with transaction.atomic(), _large_page_cache():
        user_ids = _write_advisors(parsed, summary["advisors"]) if parsed.advisors else {}
        if not user_ids and parsed.job_customers:
            user_ids = {e.lower(): pk for pk, e in User.objects.values_list("pk", "email")}

        customers, new_customers, customer_changes = _upsert(
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
        # The persons whose stored status may change (customers/status.py).
        touched = {customers[ref] for ref in new_customers}
        touched.update(
            pk
            for pk, old in customer_changes.items()
            if "associated_from" in old or "associated_until" in old
        )
        if parsed.placements:
            customer_ids = _ref_ids(
                JobCustomer, customers, {r["job_customer_ref"] for r in parsed.placements.values()}
            )
            company_ids = _ref_ids(
                Company, companies, {r["company_ref"] for r in parsed.placements.values()}
            )

            for record in parsed.placements.values():
                record["_job_customer_id"] = customer_ids[record["job_customer_ref"]]

            def resolve(field: str, value: Any) -> Any:
                if field == "job_customer_ref":
                    return customer_ids[value]
                if field == "company_ref":
                    return company_ids[value]
                return value

            placement_ids, created, old_values = _upsert(
                model=Placement,
                records=parsed.placements,
                fields=PLACEMENT_FIELDS,
                columns=parsed.columns.get("placements", set()),
                resolve=resolve,
                now=now,
                counts=summary["placements"],
            )
            _placement_side_effects(
                parsed=parsed,
                created=created,
                old_values=old_values,
                actor=actor,
                today=today,
                counts=summary["followups"],
                now=now,
            )

            changed = {ref for ref, pk in placement_ids.items() if pk in old_values}
            touched.update(parsed.placements[ref]["_job_customer_id"] for ref in created | changed)
            touched.update(
                old["job_customer_id"] for old in old_values.values() if "job_customer_id" in old
            )
        refresh_statuses(touched, day=today)
        refresh_employed_since(touched)

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
    parsed: Parsed,
    created: set[str],
    old_values: dict[int, dict],
    actor: User | None,
    today: datetime.date,
    counts: dict,
    now: datetime.datetime,
) -> None:
    """The first tier entry and the follow-ups of new placements; follow-ups of moved ones."""
    new = _lookup_ids(Placement, created) if created else {}
    tier_rows = []
    followup_rows = []
    for ref, pk in new.items():
        record = parsed.placements[ref]
        tier_rows.append(
            {
                "placement_id": pk,
                "tier": Placement.Tier.MARGINAL.value,
                "changed_on": record["started_on"],
                "changed_by_id": actor.pk if actor else None,
            }
        )
        steps = import_followup_steps(
            kind=record["kind"],
            started_on=record["started_on"],
            ended_on=record.get("ended_on"),
            today=today,
        )
        customer_id = parsed.placements[ref]["_job_customer_id"]
        for step in steps:
            followup_rows.append(
                {
                    "placement_id": pk,
                    "job_customer_id": customer_id,
                    "kind": str(step.kind),
                    "months": step.months,
                    "due_on": step.due_on,
                    "window_start": step.window_start,
                    "window_end": step.window_end,
                }
            )
    _raw_insert(TierChange, tier_rows, now)
    _raw_insert(FollowUp, followup_rows, now)
    counts["created"] += len(followup_rows)
    moved_ids = [pk for pk, old in old_values.items() if any(f in old for f in SCHEDULE_FIELDS)]
    moved: list[Placement] = []
    for chunk in _chunks(moved_ids):
        moved.extend(Placement.objects.filter(pk__in=chunk))
    if moved:
        _resync_followups(moved, today, counts)
        _move_first_tier_changes(moved, old_values)
    # A placement given to another job customer takes its follow-ups along.
    reassigned = {pk: old for pk, old in old_values.items() if "job_customer_id" in old}
    new_owner: dict[int, int] = {}
    for chunk in _chunks(list(reassigned)):
        new_owner.update(
            Placement.objects.filter(pk__in=chunk).values_list("pk", "job_customer_id")
        )
    for pk, owner in new_owner.items():
        FollowUp.objects.filter(placement_id=pk).update(job_customer_id=owner, updated_at=now)
    # Persons whose placements came or changed: their own cadence follows their placements.
    persons = {parsed.placements[ref]["_job_customer_id"] for ref in new}
    persons.update(p.job_customer_id for p in moved)
    persons.update(new_owner.values())
    persons.update(old["job_customer_id"] for old in reassigned.values())
    _ensure_extra_followups(persons, today, counts)


def _move_first_tier_changes(placements: list[Placement], old_values: dict[int, dict]) -> None:
    """A moved start moves the tier history's start with it: the entries on the old start
    (the first tier entry) and any entry before the new start go to the new start, so the
    history never begins before the placement does (as `tier_change` requires)."""
    moved = {
        p.pk: (old_values[p.pk]["started_on"], p.started_on)
        for p in placements
        if "started_on" in old_values[p.pk]
    }
    changed: list[TierChange] = []
    for chunk in _chunks(list(moved)):
        for change in TierChange.objects.filter(placement_id__in=chunk).only(
            "pk", "placement_id", "changed_on"
        ):
            old_start, new_start = moved[change.placement_id]
            on_or_before = change.changed_on == old_start or change.changed_on < new_start
            if on_or_before and change.changed_on != new_start:
                change.changed_on = new_start
                changed.append(change)
    TierChange.objects.bulk_update(changed, ["changed_on"], batch_size=BATCH)


def _ensure_extra_followups(person_ids: set[int], today: datetime.date, counts: dict) -> None:
    """Plan the extra follow-up of persons with their own cadence (`extra_followup_weeks`)
    whose placements the import created or changed, as the app does when a placement starts or
    ends (`placements.services.extra_followup_ensure`: one planned extra follow-up, attached
    to the current work placement). Only persons with a cadence: a few per import."""
    from varig.placements.services import extra_followup_ensure

    with_cadence: list[JobCustomer] = []
    for chunk in _chunks(sorted(person_ids)):
        with_cadence.extend(JobCustomer.objects.filter(pk__in=chunk, extra_followup_weeks__gt=0))
    if not with_cadence:
        return
    had_one = set()
    for chunk in _chunks([p.pk for p in with_cadence]):
        had_one.update(
            FollowUp.objects.filter(
                job_customer_id__in=chunk,
                kind=FollowUp.Kind.EXTRA,
                status=FollowUp.Status.PLANNED,
            ).values_list("job_customer_id", flat=True)
        )
    for person in with_cadence:
        if extra_followup_ensure(job_customer=person, today=today) and person.pk not in had_one:
            counts["created"] += 1
