"""Writes of the early warnings and the periods (progress, stable, setback).

`flags_refresh` is the daily job: it raises the warnings that apply on the day and marks those
no longer true as lapsed. A person resolves a warning with `flag_resolve`. A setback raises its
warning at once (`period_record`), and so does a new contact person on a placement
(`contact_change_flag`, called by the placement services).
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from varig.customers.models import JobCustomer
from varig.customers.services import task_create
from varig.placements.models import FollowUp, Placement

from . import detect
from .models import Flag, Period

logger = logging.getLogger(__name__)

FLAG_NOT_OPEN = _("This warning has already been resolved or no longer applies.")
RESOLUTION_REQUIRED = _("Write what was done.")
PERIOD_KIND_INVALID = _("Choose progress, stable or setback.")
PERIOD_START_IN_FUTURE = _("A period cannot start in the future.")
PERIOD_END_BEFORE_START = _("The period cannot end before it starts.")
PERIOD_END_IN_FUTURE = _("The end cannot be in the future; leave it empty while it lasts.")
PERIOD_OVERLAP = _("Another period already covers some of these days.")
PERIOD_ALREADY_ENDED = _("This period has already ended.")
SICK_DAYS_TOO_MANY = _("The sick-leave days cannot be more than the days of the period.")

# The follow-up planned when the contact person or mentor left or was replaced.
CONTACT_FOLLOWUP_DUE_DAYS = 14
CONTACT_FOLLOWUP_WINDOW_AFTER = 7
# The task suggested after a setback is due this many days later.
SETBACK_CONTACT_DAYS = 7

FLAG_FIELDS = ("placement_id", "followup_id", "consent_id", "contact_id", "period_id", "detail")


def _raise(
    *, job_customer_id: int, kind: str, key: str, on: datetime.date, **fields
) -> Flag | None:
    """Create an open warning unless one is already open for the same reason (the database's
    partial unique constraint decides, so two runs at once cannot both create it)."""
    flag = Flag(job_customer_id=job_customer_id, kind=kind, key=key, raised_on=on, **fields)
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError:
        return None
    return flag


def _contact_followup(placement: Placement, on: datetime.date) -> FollowUp:
    due = on + datetime.timedelta(days=CONTACT_FOLLOWUP_DUE_DAYS)
    followup = FollowUp(
        placement=placement,
        job_customer_id=placement.job_customer_id,
        kind=FollowUp.Kind.CONTACT_CHANGE,
        due_on=due,
        window_start=on,
        window_end=due + datetime.timedelta(days=CONTACT_FOLLOWUP_WINDOW_AFTER),
    )
    followup.full_clean()
    followup.save()
    return followup


def _raise_with_followup(*, placement: Placement, key: str, on: datetime.date, **fields):
    """A contact-person warning and its extra follow-up, both or neither."""
    try:
        with transaction.atomic():
            followup = _contact_followup(placement, on)
            flag = Flag(
                job_customer_id=placement.job_customer_id,
                kind=Flag.Kind.CONTACT_LEFT,
                key=key,
                raised_on=on,
                planned_followup=followup,
                placement=placement,
                **fields,
            )
            flag.save()
    except IntegrityError:
        return None
    return flag


def _rearm_days(rule) -> int | None:
    value = rule.rearm_days
    return value() if callable(value) else value


def _refresh_rule(rule, on: datetime.date) -> dict:
    candidates = rule.find(on)
    people = {c.job_customer_id for c in candidates}
    known: dict[tuple[int, str], list[Flag]] = {}
    people_list = sorted(people)
    for i in range(0, len(people_list), 500):
        chunk = people_list[i : i + 500]
        for flag in Flag.objects.filter(kind=rule.kind, job_customer_id__in=chunk).only(
            "pk", "job_customer_id", "key", "resolved_at", "lapsed_on"
        ):
            known.setdefault((flag.job_customer_id, flag.key), []).append(flag)
    rearm = _rearm_days(rule)
    new: list[Flag] = []
    contact_new = []
    for candidate in candidates:
        earlier = known.get((candidate.job_customer_id, candidate.key), [])
        if any(f.is_open for f in earlier):
            continue
        resolved = [f.resolved_at for f in earlier if f.resolved_at is not None]
        if resolved:
            last = timezone.localdate(max(resolved))
            if rearm is None or (on - last).days < rearm:
                continue
        fields = {k: v for k, v in candidate.fields.items() if k in FLAG_FIELDS}
        if rule.kind == Flag.Kind.CONTACT_LEFT:
            contact_new.append((candidate, fields))
            continue
        new.append(
            Flag(
                job_customer_id=candidate.job_customer_id,
                kind=rule.kind,
                key=candidate.key,
                raised_on=on,
                **fields,
            )
        )
    # ignore_conflicts: a warning raised meanwhile by another run is kept, not duplicated.
    Flag.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    raised = len(new)
    if contact_new:
        placements = Placement.objects.in_bulk([c.fields["placement_id"] for c, _ in contact_new])
        for candidate, fields in contact_new:
            placement = placements[fields.pop("placement_id")]
            if _raise_with_followup(placement=placement, key=candidate.key, on=on, **fields):
                raised += 1
    open_flags = list(
        Flag.objects.open()
        .filter(kind=rule.kind)
        .only("pk", "job_customer_id", "key", "placement_id", "consent_id")
    )
    keep = rule.keep(open_flags, candidates, on)
    lapsed_ids = [f.pk for f in open_flags if f.pk not in keep]
    lapsed = 0
    for i in range(0, len(lapsed_ids), 500):
        lapsed += Flag.objects.filter(pk__in=lapsed_ids[i : i + 500]).update(lapsed_on=on)
    return {"found": len(candidates), "raised": raised, "lapsed": lapsed}


def flags_refresh(*, on: datetime.date) -> dict:
    """The daily job: raise each early warning that applies on `on`, once, and mark the open
    ones whose reason is gone as lapsed. Idempotent: a second run the same day changes nothing.

    A warning a person resolved is not raised again for the same reason (no contact for N days
    may warn again N days after it was resolved, if there still has been no contact).
    """
    return {rule.kind: _refresh_rule(rule, on) for rule in detect.RULES}


@transaction.atomic
def flag_resolve(*, user, flag: Flag, resolution: str) -> Flag:
    """A named person resolves an open warning, saying what was done. Advisors, managers and
    administrators (the view checks); the change is in the audit log."""
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if not flag.is_open:
        raise ValidationError(FLAG_NOT_OPEN)
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": [RESOLUTION_REQUIRED]})
    flag.resolved_at = timezone.now()
    flag.resolved_by = user
    flag.resolution = resolution
    flag.full_clean()
    flag.save()
    return flag


@transaction.atomic
def contact_change_flag(
    *, placement: Placement, contact, user=None, on: datetime.date | None = None
) -> Flag | None:
    """The placement's contact person or mentor was replaced (or left): warn and plan an extra
    follow-up, once per placement and former contact (a daily run that already warned about the
    same person leaving is not repeated). Returns the new warning or None."""
    on = on or timezone.localdate()
    key = detect.contact_key(placement.pk, contact.pk)
    if Flag.objects.filter(
        kind=Flag.Kind.CONTACT_LEFT, job_customer_id=placement.job_customer_id, key=key
    ).exists():
        return None
    if not placement.is_active_on(on):
        return None
    left = contact.active_until
    return _raise_with_followup(
        placement=placement,
        key=key,
        on=on,
        contact=contact,
        detail={"left_on": left.isoformat() if left else None, "replaced": True},
    )


# --- periods ------------------------------------------------------------------------------------


def _period_days(started_on: datetime.date, ended_on: datetime.date | None) -> int:
    last = ended_on or timezone.localdate()
    return (last - started_on).days + 1


def _validate_period(period: Period) -> None:
    today = timezone.localdate()
    errors: dict[str, list] = {}
    if period.kind not in Period.Kind.values:
        errors.setdefault("kind", []).append(PERIOD_KIND_INVALID)
    if period.started_on and period.started_on > today:
        errors.setdefault("started_on", []).append(PERIOD_START_IN_FUTURE)
    if period.ended_on and period.started_on and period.ended_on < period.started_on:
        errors.setdefault("ended_on", []).append(PERIOD_END_BEFORE_START)
    elif period.ended_on and period.ended_on > today:
        errors.setdefault("ended_on", []).append(PERIOD_END_IN_FUTURE)
    days = period.sick_leave_days or 0
    if period.started_on and not errors and days > _period_days(period.started_on, period.ended_on):
        errors.setdefault("sick_leave_days", []).append(SICK_DAYS_TOO_MANY)
    if errors:
        raise ValidationError(errors)


def _overlaps(period: Period, *, ignore: Period | None = None) -> bool:
    others = Period.objects.filter(job_customer_id=period.job_customer_id).exclude(pk=period.pk)
    if ignore is not None:
        others = others.exclude(pk=ignore.pk)
    end = period.ended_on or datetime.date.max
    others = others.filter(started_on__lte=end).exclude(ended_on__lt=period.started_on)
    return others.exists()


def _setback_flag(period: Period) -> None:
    today = timezone.localdate()
    if period.kind == Period.Kind.SETBACK and (period.ended_on is None or period.ended_on >= today):
        _raise(
            job_customer_id=period.job_customer_id,
            kind=Flag.Kind.SETBACK,
            key=detect.period_key(period.pk),
            on=today,
            period=period,
        )


@transaction.atomic
def period_record(
    *,
    user,
    job_customer: JobCustomer,
    kind: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    sick_leave_days: int | None = 0,
    note: str = "",
    plan_extra_contact: bool = False,
) -> Period:
    """Record a period of progress, stability or setback. Advisors, managers, administrators.

    The open period before it (if it started earlier) ends the day before; nothing else is
    closed. A setback raises its early warning at once, and with `plan_extra_contact` a task for
    the responsible advisor to get in touch within a week. Overlapping periods are refused.
    """
    job_customer = JobCustomer.objects.select_for_update().get(pk=job_customer.pk)
    period = Period(
        job_customer=job_customer,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        sick_leave_days=sick_leave_days or 0,
        note=(note or "").strip(),
        recorded_by=user,
    )
    _validate_period(period)
    current = Period.objects.filter(job_customer=job_customer, ended_on__isnull=True).first()
    ends_current = current is not None and current.started_on < started_on
    if _overlaps(period, ignore=current if ends_current else None):
        raise ValidationError({"started_on": [PERIOD_OVERLAP]})
    if ends_current:
        current.ended_on = started_on - datetime.timedelta(days=1)
        current.full_clean()
        current.save(update_fields=["ended_on", "updated_at"])
    period.full_clean()
    period.save()
    _setback_flag(period)
    if period.kind == Period.Kind.SETBACK and plan_extra_contact:
        task_create(
            actor=user,
            job_customer=job_customer,
            title=gettext("Get in touch: a setback from %(date)s")
            % {"date": period.started_on.strftime("%d-%m-%Y")},
            due_on=timezone.localdate() + datetime.timedelta(days=SETBACK_CONTACT_DAYS),
        )
    return period


@transaction.atomic
def period_end(
    *, user, period: Period, ended_on: datetime.date, sick_leave_days: int | None = None
) -> Period:
    """End an open period on `ended_on` (its last day), optionally with the final number of
    sick-leave days. The setback's warning lapses with the next daily run."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.ended_on is not None:
        raise ValidationError(PERIOD_ALREADY_ENDED)
    period.ended_on = ended_on
    if sick_leave_days is not None:
        period.sick_leave_days = sick_leave_days
    _validate_period(period)
    period.full_clean()
    period.save()
    if period.kind == Period.Kind.SETBACK and ended_on < timezone.localdate():
        Flag.objects.open().filter(period=period).update(lapsed_on=timezone.localdate())
    return period
