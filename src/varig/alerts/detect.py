"""Which job customers each early warning applies to on a day: set-based queries that narrow
the rows, with the rules themselves in `rules.py`. Each rule yields `Candidate`s; the daily job
(`services.flags_refresh`) turns them into warnings and marks the ones no longer true."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from varig.customers.models import Consent, ContactKind, ContactNote, JobCustomer
from varig.placements.continuity import continuous_runs
from varig.placements.models import Agreement, FollowUp, HoursChange, Placement

from . import rules
from .models import Flag, Period

Kind = Flag.Kind


@dataclass
class Candidate:
    job_customer_id: int
    key: str
    fields: dict = field(default_factory=dict)


def no_contact_days() -> int:
    return int(getattr(settings, "VARIG_NO_CONTACT_DAYS", 60))


def consent_warning_days() -> int:
    return int(getattr(settings, "VARIG_CONSENT_EXPIRY_WARNING_DAYS", 30))


def _associated(on: datetime.date):
    return JobCustomer.objects.associated_on(on).values("pk")


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- one function per kind ------------------------------------------------------------------


def followup_overdue(on: datetime.date) -> list[Candidate]:
    rows = (
        FollowUp.objects.overdue(on)
        .filter(job_customer__in=_associated(on))
        .values_list("pk", "job_customer_id", "placement_id")
    )
    return [
        Candidate(person, f"followup:{pk}", {"followup_id": pk, "placement_id": placement})
        for pk, person, placement in rows
    ]


def _contact_notes():
    """Contacts with the person (not plain notes, not contacts with a company about them)."""
    return ContactNote.objects.filter(company__isnull=True).exclude(kind=ContactKind.NOTE)


def no_contact(on: datetime.date, days: int | None = None) -> list[Candidate]:
    days = no_contact_days() if days is None else days
    last_day = on - datetime.timedelta(days=days)  # contact on or before it is too long ago
    last_note = (
        _contact_notes()
        .filter(job_customer=OuterRef("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    last_followup = (
        FollowUp.objects.filter(
            job_customer=OuterRef("pk"), status=FollowUp.Status.HELD, with_job_customer=True
        )
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    rows = (
        JobCustomer.objects.associated_on(on)
        .filter(associated_from__lte=last_day)
        .annotate(last_note=Subquery(last_note), last_followup=Subquery(last_followup))
        .filter(Q(last_note__isnull=True) | Q(last_note__lt=_start_of(last_day + rules.ONE_DAY)))
        .filter(Q(last_followup__isnull=True) | Q(last_followup__lte=last_day))
        .values_list("pk", "associated_from", "last_note", "last_followup")
    )
    found = []
    for pk, associated_from, note_at, followup_on in rows:
        contacts = [associated_from, followup_on]
        if note_at is not None:
            contacts.append(timezone.localdate(note_at))
        since = max(day for day in contacts if day is not None)
        if rules.no_contact_due(since=since, on=on, days=days):
            found.append(
                Candidate(
                    pk,
                    f"since:{since.isoformat()}",
                    {"detail": {"since": since.isoformat(), "contacted": since != associated_from}},
                )
            )
    return found


def contact_left(on: datetime.date) -> list[Candidate]:
    rows = (
        Placement.objects.active_on(on)
        .filter(
            job_customer__in=_associated(on), contact__isnull=False, contact__active_until__lt=on
        )
        .values_list("pk", "job_customer_id", "contact_id", "contact__active_until")
    )
    return [
        Candidate(
            person,
            contact_key(pk, contact),
            {
                "placement_id": pk,
                "contact_id": contact,
                "detail": {"left_on": left.isoformat(), "replaced": False},
            },
        )
        for pk, person, contact, left in rows
    ]


def contact_key(placement_id: int, contact_id: int) -> str:
    return f"placement:{placement_id}:contact:{contact_id}"


def accommodations_not_kept(on: datetime.date) -> list[Candidate]:
    latest = (
        FollowUp.objects.filter(placement=OuterRef("pk"), status=FollowUp.Status.HELD)
        .order_by("-held_on", "-pk")
        .values("pk")[:1]
    )
    placements = (
        Placement.objects.active_on(on)
        .filter(job_customer__in=_associated(on))
        .annotate(last_followup=Subquery(latest))
        .filter(last_followup__isnull=False)
        .values("last_followup")
    )
    not_kept = Q(hours_kept=Agreement.NO) | Q(tasks_kept=Agreement.NO) | Q(other_kept=Agreement.NO)
    rows = (
        FollowUp.objects.filter(pk__in=placements)
        .filter(not_kept)
        .values_list(
            "pk", "job_customer_id", "placement_id", "hours_kept", "tasks_kept", "other_kept"
        )
    )
    found = []
    for pk, person, placement, hours, tasks, other in rows:
        which = [
            name
            for name, value in (("hours", hours), ("tasks", tasks), ("other", other))
            if value == Agreement.NO
        ]
        found.append(
            Candidate(
                person,
                f"followup:{pk}",
                {"followup_id": pk, "placement_id": placement, "detail": {"not_kept": which}},
            )
        )
    return found


def _hours_series(run: list[Placement], changes: dict[int, list[HoursChange]]):
    series = []
    for placement in run:
        rows = changes.get(placement.pk)
        if rows:
            series += [(row.changed_on, row.hours_per_week) for row in rows]
        else:
            series.append((placement.started_on, placement.hours_per_week))
    return series


def hours_up(on: datetime.date) -> list[Candidate]:
    start = rules.hours_window_start(on)
    recent = Q(started_on__gt=start, started_on__lte=on) | Exists(
        HoursChange.objects.filter(
            placement__job_customer=OuterRef("job_customer"),
            placement__company=OuterRef("company"),
            changed_on__gt=start,
            changed_on__lte=on,
        )
    )
    # Only persons with a placement active today where something changed within the window.
    people = set(
        Placement.objects.active_on(on)
        .filter(job_customer__in=_associated(on))
        .filter(
            Exists(
                Placement.objects.filter(
                    job_customer=OuterRef("job_customer"), company=OuterRef("company")
                ).filter(recent)
            )
        )
        .values_list("job_customer_id", flat=True)
    )
    if not people:
        return []
    placements = list(
        Placement.objects.filter(job_customer_id__in=people, started_on__lte=on).only(
            "pk", "job_customer_id", "company_id", "started_on", "ended_on", "hours_per_week"
        )
    )
    changes: dict[int, list[HoursChange]] = {}
    for row in HoursChange.objects.filter(placement__in=[p.pk for p in placements]).order_by(
        "changed_on", "pk"
    ):
        changes.setdefault(row.placement_id, []).append(row)
    found = []
    for run in continuous_runs(placements):
        current = [p for p in run if p.is_active_on(on)]
        if not current:
            continue
        increase = rules.hours_increase(_hours_series(run, changes), on=on)
        if increase is None:
            continue
        placement = max(current, key=lambda p: (p.started_on, p.pk))
        found.append(
            Candidate(
                placement.job_customer_id,
                f"placement:{placement.pk}:since:{increase.since.isoformat()}",
                {
                    "placement_id": placement.pk,
                    "detail": {
                        "lowest": str(increase.lowest),
                        "current": str(increase.current),
                        "since": increase.since.isoformat(),
                    },
                },
            )
        )
    return found


def setback(on: datetime.date) -> list[Candidate]:
    rows = (
        Period.objects.filter(kind=Period.Kind.SETBACK, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .filter(job_customer__in=_associated(on))
        .values_list("pk", "job_customer_id")
    )
    return [Candidate(person, period_key(pk), {"period_id": pk}) for pk, person in rows]


def period_key(period_id: int) -> str:
    return f"period:{period_id}"


def _renewed_or_withdrawn():
    """Consents replaced by another consent for the same company that lasts longer, or
    withdrawn: their expiry no longer matters."""
    longer = Consent.objects.filter(
        job_customer=OuterRef("job_customer"),
        company=OuterRef("company"),
        withdrawn_on__isnull=True,
    ).exclude(pk=OuterRef("pk"))
    longer = longer.filter(Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")))
    return Q(withdrawn_on__isnull=False) | Exists(longer)


def consent_expiring(on: datetime.date, days: int | None = None) -> list[Candidate]:
    days = consent_warning_days() if days is None else days
    first, last = rules.consent_expiry_window(on, days)
    current_placement = Placement.objects.filter(
        job_customer=OuterRef("job_customer"), company=OuterRef("company")
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
    rows = (
        Consent.objects.active_on(on)
        .filter(expires_on__gte=first, expires_on__lte=last, job_customer__in=_associated(on))
        .filter(Exists(current_placement))
        .exclude(_renewed_or_withdrawn())
        .values_list("pk", "job_customer_id", "expires_on")
    )
    return [
        Candidate(
            person,
            f"consent:{pk}",
            {"consent_id": pk, "detail": {"expires_on": expires.isoformat()}},
        )
        for pk, person, expires in rows
    ]


# --- which open warnings still hold -----------------------------------------------------------


def keep_candidates(flags: Iterable[Flag], candidates: list[Candidate], on) -> set[int]:
    """The usual rule: a warning holds while its reason is still found."""
    keys = {(c.job_customer_id, c.key) for c in candidates}
    return {f.pk for f in flags if (f.job_customer_id, f.key) in keys}


def keep_while_placement_active(flags: Iterable[Flag], candidates, on) -> set[int]:
    """Events (a new contact person, hours going up) hold until resolved, unless the
    placement has ended."""
    flags = list(flags)
    active = set(
        Placement.objects.active_on(on)
        .filter(pk__in={f.placement_id for f in flags if f.placement_id})
        .values_list("pk", flat=True)
    )
    return {f.pk for f in flags if f.placement_id in active}


def keep_unless_renewed(flags: Iterable[Flag], candidates, on) -> set[int]:
    """An expiring consent's warning holds after the expiry too, until renewed or withdrawn."""
    flags = list(flags)
    gone = set(
        Consent.objects.filter(pk__in={f.consent_id for f in flags if f.consent_id})
        .filter(_renewed_or_withdrawn())
        .values_list("pk", flat=True)
    )
    return {f.pk for f in flags if f.consent_id is not None and f.consent_id not in gone}


@dataclass(frozen=True)
class Rule:
    kind: str
    find: object
    keep: object = keep_candidates
    # Days after a person resolved it before the same reason may warn again (None: never).
    rearm_days: object = None


RULES = [
    Rule(Kind.FOLLOWUP_OVERDUE, followup_overdue),
    Rule(Kind.NO_CONTACT, no_contact, rearm_days=no_contact_days),
    Rule(Kind.CONTACT_LEFT, contact_left, keep=keep_while_placement_active),
    Rule(Kind.ACCOMMODATIONS_NOT_KEPT, accommodations_not_kept),
    Rule(Kind.HOURS_UP, hours_up, keep=keep_while_placement_active),
    Rule(Kind.SETBACK, setback),
    Rule(Kind.CONSENT_EXPIRING, consent_expiring, keep=keep_unless_renewed),
]
