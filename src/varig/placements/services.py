"""Writes of placements and their follow-ups. Every change goes through one of these functions.

The follow-up standard itself (which meetings, on which dates) is `schedule.py`; these
functions keep the stored follow-ups in step with it: created with the placement, moved when the
start moves (held ones never move), cancelled when the placement ends.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from varig.core.refs import next_ref, save_with_unique_ref
from varig.core.services import version_check_and_bump
from varig.customers.models import ContactKind, JobCustomer, Task, TaskKind
from varig.customers.selectors import consent_allows_contact
from varig.customers.services import consent_override_record
from varig.customers.status import refresh_statuses
from varig.employers.models import Company, CompanyContact

from .anniversaries import refresh_employed_since
from .models import (
    UNSCHEDULED_FOLLOWUP_KINDS,
    WORK_KINDS,
    FollowUp,
    HoursChange,
    Placement,
    TierChange,
)
from .schedule import Step, followup_schedule, yearly_step

HOURS_RANGE = _("Hours per week must be more than 0 and at most 48.")
WAGE_NEGATIVE = _("The hourly wage cannot be negative.")
PLANNED_END_BEFORE_START = _("The planned end cannot be before the start.")
PLANNED_END_ONLY_PRAKTIK = _("Only a praktik has a planned end.")
CONTACT_OTHER_COMPANY = _("This contact person does not belong to the chosen company.")
KIND_INVALID = _("Choose a valid kind of placement.")
KIND_GROUP_CHANGE = _(
    "A praktik cannot be changed into employment here: use “Convert to employment”."
)
TIER_INVALID = _("Choose a valid tier.")
END_BEFORE_START = _("The end cannot be before the start.")
ALREADY_ENDED = _("This placement has already ended.")
END_REASON_REQUIRED = _("Choose why the placement ended.")
NOT_A_PRAKTIK = _("Only a praktik can be converted into employment.")
ALREADY_CONVERTED = _("This praktik has already been converted into employment.")
EMPLOYMENT_KIND_REQUIRED = _("Choose a kind of employment: skånejob, fleksjob or ordinary job.")
EMPLOYMENT_START_TOO_EARLY = _("The employment must start after the praktik started.")
EMPLOYMENT_START_AFTER_END = _(
    "The praktik ended before this date; the employment must start the day after it at the "
    "latest, or record it as a new placement."
)
TIER_CHANGE_BEFORE_START = _("The tier cannot change before the placement started.")
FOLLOWUP_IN_FUTURE = _("A follow-up cannot be recorded as held on a future date.")
FOLLOWUP_BEFORE_START = _("The follow-up cannot be held before the placement started.")
FOLLOWUP_CANCELLED = _("This follow-up was cancelled and cannot be recorded.")
# The consent rule (customers.services.consent_override_record), worded for the follow-up form.
CONSENT_REQUIRED = _(
    "The job customer has not given consent to contact this company. Record the meeting "
    "without the company contact, or give a reason for contacting the company anyway."
)
NO_PARTICIPANTS = _("Tick at least one participant.")
CANCEL_NOT_PLANNED = _("Only a planned follow-up can be dropped.")
CANCEL_REASON_REQUIRED = _("Write why the follow-up is dropped.")

REF_PREFIX = "PL-"
REF_DIGITS = 6

# The window around an extra follow-up's due date.
EXTRA_WINDOW_DAYS = 7
MAX_HOURS = Decimal(48)


# --- helpers -----------------------------------------------------------------------------------


def _validate_placement(placement: Placement) -> None:
    """The rules a placement must meet before it is saved; errors are keyed by field."""
    errors: dict[str, list] = {}
    if placement.kind not in Placement.Kind.values:
        errors.setdefault("kind", []).append(KIND_INVALID)
    if placement.tier not in Placement.Tier.values:
        errors.setdefault("tier", []).append(TIER_INVALID)
    hours = placement.hours_per_week
    if hours is not None and not (0 < Decimal(hours) <= MAX_HOURS):
        errors.setdefault("hours_per_week", []).append(HOURS_RANGE)
    if placement.hourly_wage is not None and Decimal(placement.hourly_wage) < 0:
        errors.setdefault("hourly_wage", []).append(WAGE_NEGATIVE)
    if placement.planned_end_on is not None:
        if placement.kind != Placement.Kind.PRAKTIK:
            errors.setdefault("planned_end_on", []).append(PLANNED_END_ONLY_PRAKTIK)
        elif placement.started_on and placement.planned_end_on < placement.started_on:
            errors.setdefault("planned_end_on", []).append(PLANNED_END_BEFORE_START)
    if placement.ended_on and placement.started_on and placement.ended_on < placement.started_on:
        errors.setdefault("ended_on", []).append(END_BEFORE_START)
    if placement.contact_id is not None and placement.contact.company_id != placement.company_id:
        errors.setdefault("contact", []).append(CONTACT_OTHER_COMPANY)
    if errors:
        raise ValidationError(errors)
    placement.full_clean(validate_constraints=True)


def _new_followup(placement: Placement, step: Step) -> FollowUp:
    return FollowUp(
        placement=placement,
        job_customer_id=placement.job_customer_id,
        kind=step.kind,
        months=step.months,
        due_on=step.due_on,
        window_start=step.window_start,
        window_end=step.window_end,
    )


def _wanted_steps(placement: Placement) -> dict[tuple[str, int], Step]:
    """The follow-ups the standard asks for now, keyed by (kind, months).

    Yearly meetings beyond the 24-month one are kept when they already exist (they are added
    one at a time as the previous one is held).
    """
    steps = followup_schedule(
        kind=placement.kind,
        started_on=placement.started_on,
        planned_end_on=placement.planned_end_on,
        yearly=placement.yearly_followups,
    )
    wanted = {(step.kind, step.months): step for step in steps}
    if placement.yearly_followups and placement.pk:
        existing_yearly = placement.followups.filter(kind=FollowUp.Kind.YEARLY).exclude(
            status=FollowUp.Status.CANCELLED
        )
        for months in existing_yearly.values_list("months", flat=True):
            wanted.setdefault(
                (FollowUp.Kind.YEARLY, months), yearly_step(placement.started_on, months)
            )
    return wanted


def _sync_followups(placement: Placement) -> None:
    """Bring the stored standard follow-ups in step with the placement's dates and options.

    Planned ones move to their new dates or are cancelled when no longer wanted; held ones never
    change; missing ones are created. Nothing is planned after the placement's end.
    """
    wanted = _wanted_steps(placement)
    current = placement.followups.exclude(kind__in=UNSCHEDULED_FOLLOWUP_KINDS).exclude(
        status=FollowUp.Status.CANCELLED
    )
    seen: set[tuple[str, int]] = set()
    for followup in current:
        key = (followup.kind, followup.months)
        seen.add(key)
        if followup.status == FollowUp.Status.HELD:
            continue
        step = wanted.get(key)
        if step is None or (placement.ended_on and step.due_on > placement.ended_on):
            followup.status = FollowUp.Status.CANCELLED
            followup.save(update_fields=["status", "updated_at"])
            continue
        dates = (step.due_on, step.window_start, step.window_end)
        if (followup.due_on, followup.window_start, followup.window_end) != dates:
            followup.due_on, followup.window_start, followup.window_end = dates
            followup.full_clean()
            followup.save(update_fields=["due_on", "window_start", "window_end", "updated_at"])
    for key, step in wanted.items():
        if key in seen or (placement.ended_on and step.due_on > placement.ended_on):
            continue
        followup = _new_followup(placement, step)
        followup.full_clean()
        followup.save()


def _cancel_planned_after(placement: Placement, day: datetime.date) -> int:
    """Cancel the placement's planned follow-ups due after `day`; returns how many."""
    return (
        placement.followups.planned()
        .filter(due_on__gt=day)
        .update(status=FollowUp.Status.CANCELLED, updated_at=timezone.now())
    )


def _cancel_all_planned(placement: Placement) -> int:
    """Cancel every planned follow-up of the placement, overdue ones too; returns how many."""
    return placement.followups.planned().update(
        status=FollowUp.Status.CANCELLED, updated_at=timezone.now()
    )


def _record_tier(*, user, placement: Placement, changed_on: datetime.date, note: str = "") -> None:
    change = TierChange(
        placement=placement,
        tier=placement.tier,
        changed_on=changed_on,
        note=note,
        changed_by=user,
    )
    change.full_clean()
    change.save()


def _record_hours(*, user, placement: Placement, changed_on: datetime.date) -> None:
    """Write the placement's hours from `changed_on` to its hours history (one row a day)."""
    HoursChange.objects.update_or_create(
        placement=placement,
        changed_on=changed_on,
        defaults={"hours_per_week": placement.hours_per_week, "changed_by": user},
    )


# --- placements --------------------------------------------------------------------------------


@transaction.atomic
def placement_create(
    *,
    user,
    job_customer: JobCustomer,
    company: Company,
    kind: str,
    started_on: datetime.date,
    planned_end_on: datetime.date | None = None,
    hours_per_week: Decimal | None = None,
    hourly_wage: Decimal | None = None,
    tasks: str = "",
    contact: CompanyContact | None = None,
    desired_job: bool = False,
    tier: str = Placement.Tier.MARGINAL,
    yearly_followups: bool = False,
    ref: str = "",
    previous: Placement | None = None,
) -> Placement:
    """Create a placement with its standard follow-ups and its first tier entry.

    Anyone who may add placements may call it. Raises ValidationError (keyed by field) and
    saves nothing on bad input.
    """
    placement = Placement(
        ref=ref.strip() or next_ref(Placement, prefix=REF_PREFIX, digits=REF_DIGITS),
        job_customer=job_customer,
        company=company,
        kind=kind,
        started_on=started_on,
        planned_end_on=planned_end_on,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        tasks=tasks,
        contact=contact,
        desired_job=desired_job,
        tier=tier,
        yearly_followups=yearly_followups,
        previous=previous,
    )
    _validate_placement(placement)
    save_with_unique_ref(placement, prefix=REF_PREFIX, digits=REF_DIGITS, generate=not ref.strip())
    _sync_followups(placement)
    _record_tier(user=user, placement=placement, changed_on=started_on)
    _record_hours(user=user, placement=placement, changed_on=started_on)
    refresh_statuses([job_customer.pk])
    refresh_employed_since([job_customer.pk])
    if job_customer.extra_followup_weeks:
        extra_followup_ensure(job_customer=job_customer)
    return placement


EDITABLE_FIELDS = (
    "kind",
    "started_on",
    "planned_end_on",
    "hours_per_week",
    "hourly_wage",
    "tasks",
    "contact",
    "desired_job",
    "tier",
    "yearly_followups",
)


@transaction.atomic
def placement_update(
    *, user, placement: Placement, expected_version: int | None, **fields
) -> Placement:
    """Change a placement's facts; moves the follow-ups not yet held when the dates change.

    Refuses a stale edit (STALE_EDIT). A new tier is written to the tier history. A praktik
    cannot become employment here (that is `praktik_convert`).
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"placement_update() got unexpected fields: {sorted(unknown)}")
    version_check_and_bump(placement, expected_version=expected_version, yours=fields)
    old = {name: getattr(placement, name) for name in EDITABLE_FIELDS}
    for name, value in fields.items():
        setattr(placement, name, value)
    if "contact" in fields:
        placement.contact = fields["contact"]
    was_praktik = old["kind"] == Placement.Kind.PRAKTIK
    if was_praktik != (placement.kind == Placement.Kind.PRAKTIK):
        raise ValidationError({"kind": [KIND_GROUP_CHANGE]})
    _validate_placement(placement)
    placement.save()
    schedule_fields = ("kind", "started_on", "planned_end_on", "yearly_followups")
    if any(old[name] != getattr(placement, name) for name in schedule_fields):
        _sync_followups(placement)
        refresh_statuses([placement.job_customer_id])
        refresh_employed_since([placement.job_customer_id])
    if old["tier"] != placement.tier:
        _record_tier(user=user, placement=placement, changed_on=timezone.localdate())
    if (
        old["hours_per_week"] != placement.hours_per_week
        or old["started_on"] != placement.started_on
    ):
        _hours_history_update(user=user, placement=placement, old=old)
    if old["contact"] is not None and old["contact"] != placement.contact:
        # A new contact person or mentor: the early warnings flag it and plan a follow-up.
        from varig.alerts.services import contact_change_flag

        contact_change_flag(placement=placement, contact=old["contact"], user=user)
    return placement


def _hours_history_update(*, user, placement: Placement, old: dict) -> None:
    """Keep the hours history true after an edit: the row in force at the start follows a
    moved start; a new number of hours counts from today (or from the start, if later)."""
    rows = list(placement.hours_changes.order_by("changed_on", "pk"))
    if not rows:
        rows = [
            HoursChange.objects.create(
                placement=placement,
                changed_on=old["started_on"],
                hours_per_week=old["hours_per_week"],
                changed_by=user,
            )
        ]
    start = placement.started_on
    if old["started_on"] != start:
        before = [row for row in rows if row.changed_on <= start]
        keep = before[-1] if before else rows[0]
        HoursChange.objects.filter(pk__in=[row.pk for row in before if row != keep]).delete()
        keep.changed_on = start
        keep.save(update_fields=["changed_on"])
    if old["hours_per_week"] != placement.hours_per_week:
        _record_hours(user=user, placement=placement, changed_on=max(timezone.localdate(), start))


@transaction.atomic
def placement_end(
    *,
    user,
    placement: Placement,
    ended_on: datetime.date,
    reason_category: str,
    reason: str = "",
    lessons_learned: str = "",
    replacement_wanted: bool = False,
) -> Placement:
    """End a placement: record why and what was learned, cancel its later follow-ups.

    With `replacement_wanted`, a re-placement task goes to the person's advisor.
    """
    version_check_and_bump(placement, expected_version=None)
    if placement.ended_on is not None:
        raise ValidationError({"ended_on": [ALREADY_ENDED]})
    if ended_on < placement.started_on:
        raise ValidationError({"ended_on": [END_BEFORE_START]})
    if reason_category not in Placement.EndReason.values:
        raise ValidationError({"reason_category": [END_REASON_REQUIRED]})
    placement.ended_on = ended_on
    placement.end_reason_category = reason_category
    placement.end_reason = reason
    placement.lessons_learned = lessons_learned
    placement.full_clean()
    placement.save()
    _cancel_planned_after(placement, ended_on)
    refresh_statuses([placement.job_customer_id])
    refresh_employed_since([placement.job_customer_id])
    job_customer = placement.job_customer
    if replacement_wanted:
        task = Task(
            job_customer=job_customer,
            assigned_to_id=job_customer.advisor_id,
            kind=TaskKind.REPLACEMENT,
            title=gettext("Find a new placement (after %(company)s)")
            % {"company": placement.company.name},
            due_on=max(ended_on, timezone.localdate()) + datetime.timedelta(days=7),
            created_by=user,
        )
        task.full_clean()
        task.save()
    if job_customer.extra_followup_weeks:
        extra_followup_ensure(job_customer=job_customer)
    return placement


@transaction.atomic
def praktik_convert(
    *,
    user,
    praktik: Placement,
    kind: str,
    started_on: datetime.date,
    hours_per_week: Decimal | None = None,
    hourly_wage: Decimal | None = None,
    tasks: str | None = None,
    contact: CompanyContact | None = None,
    desired_job: bool = False,
    tier: str = Placement.Tier.MARGINAL,
    yearly_followups: bool = False,
) -> Placement:
    """Turn a praktik into employment in one step and return the new employment.

    The praktik ends the day before the employment starts (reason: became employment) and ALL
    its still-planned follow-ups are cancelled, overdue ones included: the employment's own plan
    replaces them. The employment continues the praktik (`previous`) at the same company and
    gets the standard follow-ups.
    """
    version_check_and_bump(praktik, expected_version=None)
    if praktik.kind != Placement.Kind.PRAKTIK:
        raise ValidationError(NOT_A_PRAKTIK)
    if (
        praktik.end_reason_category == Placement.EndReason.CONVERTED
        or Placement.objects.filter(previous=praktik).exists()
    ):
        raise ValidationError(ALREADY_CONVERTED)
    if kind not in WORK_KINDS:
        raise ValidationError({"kind": [EMPLOYMENT_KIND_REQUIRED]})
    if started_on <= praktik.started_on:
        raise ValidationError({"started_on": [EMPLOYMENT_START_TOO_EARLY]})
    day_before = started_on - datetime.timedelta(days=1)
    if praktik.ended_on is not None and praktik.ended_on < day_before:
        raise ValidationError({"started_on": [EMPLOYMENT_START_AFTER_END]})
    praktik.ended_on = day_before
    praktik.end_reason_category = Placement.EndReason.CONVERTED
    praktik.full_clean()
    praktik.save()
    _cancel_all_planned(praktik)
    return placement_create(
        user=user,
        job_customer=praktik.job_customer,
        company=praktik.company,
        kind=kind,
        started_on=started_on,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        tasks=praktik.tasks if tasks is None else tasks,
        contact=contact if contact is not None else praktik.contact,
        desired_job=desired_job,
        tier=tier,
        yearly_followups=yearly_followups,
        previous=praktik,
    )


@transaction.atomic
def tier_change(
    *, user, placement: Placement, tier: str, changed_on: datetime.date, note: str = ""
) -> TierChange:
    """Record a move between marginal, peripheral and core employee.

    The placement's current tier is the newest change by date, so a late entry about an
    earlier change does not overwrite a later one.
    """
    if tier not in Placement.Tier.values:
        raise ValidationError({"tier": [TIER_INVALID]})
    if changed_on < placement.started_on:
        raise ValidationError({"changed_on": [TIER_CHANGE_BEFORE_START]})
    version_check_and_bump(placement, expected_version=None)
    change = TierChange(
        placement=placement, tier=tier, changed_on=changed_on, note=note, changed_by=user
    )
    change.full_clean()
    change.save()
    newest = placement.tier_changes.order_by("-changed_on", "-pk").first()
    placement.tier = newest.tier
    placement.save(update_fields=["tier", "version", "updated_at"])
    return change


# --- follow-ups --------------------------------------------------------------------------------


@transaction.atomic
def followup_record(
    *,
    user,
    followup: FollowUp,
    held_on: datetime.date,
    with_job_customer: bool = False,
    with_company_contact: bool = False,
    with_advisor: bool = False,
    hours_kept: str = "",
    tasks_kept: str = "",
    other_kept: str = "",
    accommodations_note: str = "",
    wellbeing: int | None = None,
    wants_more_hours: bool = False,
    wants_new_tasks: bool = False,
    wants_upskilling: bool = False,
    development_outcome: str = "",
    agreed_actions: str = "",
    consent_override_reason: str = "",
    expected_version: int | None = None,
) -> FollowUp:
    """Record a follow-up as held (or correct a held one).

    Refuses with STALE_EDIT (and what changed) when someone recorded, corrected or dropped the
    follow-up after `expected_version` was read.

    A meeting with the company contact is an employer contact about the person: it needs the
    person's active consent for that company on the day, or an override reason, recorded as
    every consent override is (`customers.services.consent_override_record`: a contact note on
    the person's timeline and an audit log entry on the person).
    """
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    placement = followup.placement
    version_check_and_bump(
        followup,
        expected_version=expected_version,
        yours={
            "status": FollowUp.Status.HELD,
            "held_on": held_on,
            "with_job_customer": with_job_customer,
            "with_company_contact": with_company_contact,
            "with_advisor": with_advisor,
            "hours_kept": hours_kept,
            "tasks_kept": tasks_kept,
            "other_kept": other_kept,
            "accommodations_note": accommodations_note,
            "wellbeing": wellbeing,
            "wants_more_hours": wants_more_hours,
            "wants_new_tasks": wants_new_tasks,
            "wants_upskilling": wants_upskilling,
            "development_outcome": development_outcome,
            "agreed_actions": agreed_actions,
        },
    )
    if followup.status == FollowUp.Status.CANCELLED:
        raise ValidationError(FOLLOWUP_CANCELLED)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": [FOLLOWUP_IN_FUTURE]})
    if placement is not None and held_on < placement.started_on:
        raise ValidationError({"held_on": [FOLLOWUP_BEFORE_START]})
    if not (with_job_customer or with_company_contact or with_advisor):
        raise ValidationError({"with_job_customer": [NO_PARTICIPANTS]})
    override_reason = consent_override_reason.strip()
    company = placement.company if placement is not None else None
    needs_override = (
        with_company_contact
        and company is not None
        and not consent_allows_contact(
            job_customer=followup.job_customer, company=company, on=held_on
        )
    )
    if needs_override and not override_reason:
        raise ValidationError({"consent_override_reason": [CONSENT_REQUIRED]})

    followup.status = FollowUp.Status.HELD
    followup.held_on = held_on
    followup.with_job_customer = with_job_customer
    followup.with_company_contact = with_company_contact
    followup.with_advisor = with_advisor
    followup.hours_kept = hours_kept
    followup.tasks_kept = tasks_kept
    followup.other_kept = other_kept
    followup.accommodations_note = accommodations_note
    followup.wellbeing = wellbeing
    followup.wants_more_hours = wants_more_hours
    followup.wants_new_tasks = wants_new_tasks
    followup.wants_upskilling = wants_upskilling
    followup.development_outcome = development_outcome
    followup.agreed_actions = agreed_actions
    followup.recorded_by = user
    followup.full_clean()
    followup.save()

    if needs_override:
        consent_override_record(
            actor=user,
            job_customer=followup.job_customer,
            company=company,
            reason=override_reason,
            kind=ContactKind.MEETING,
            occurred_at=timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(12))),
            text=gettext("%(followup)s with the company contact, without active consent.")
            % {"followup": followup.get_kind_display()},
        )

    if (
        placement is not None
        and placement.yearly_followups
        and followup.kind in (FollowUp.Kind.MONTH_12, FollowUp.Kind.YEARLY)
    ):
        _ensure_next_yearly(placement, after_months=followup.months or 12)

    if followup.job_customer.extra_followup_weeks:
        extra_followup_ensure(job_customer=followup.job_customer)
    return followup


@transaction.atomic
def followup_cancel(*, user, followup: FollowUp, reason: str) -> FollowUp:
    """Drop a planned follow-up that will not be held, with the reason why.

    Only a planned follow-up can be dropped (a held one is history; a cancelled one is already
    gone). The change is written to the audit log with the user as actor.
    """
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if followup.status != FollowUp.Status.PLANNED:
        raise ValidationError(CANCEL_NOT_PLANNED)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"cancel_reason": [CANCEL_REASON_REQUIRED]})
    version_check_and_bump(followup, expected_version=None)  # an open record form is stale now
    followup.status = FollowUp.Status.CANCELLED
    followup.cancel_reason = reason
    followup.full_clean()
    followup.save()
    return followup


def _ensure_next_yearly(placement: Placement, *, after_months: int) -> None:
    months = after_months + 12
    step = yearly_step(placement.started_on, months)
    if placement.ended_on is not None and step.due_on > placement.ended_on:
        return
    exists = (
        placement.followups.filter(kind=FollowUp.Kind.YEARLY, months=months)
        .exclude(status=FollowUp.Status.CANCELLED)
        .exists()
    )
    if not exists:
        followup = _new_followup(placement, step)
        followup.full_clean()
        followup.save()


@transaction.atomic
def extra_followup_ensure(
    *, job_customer: JobCustomer, today: datetime.date | None = None
) -> FollowUp | None:
    """Keep exactly one planned extra follow-up for a person with an extra cadence.

    Due N weeks after the last held follow-up (or after today when none was held), with a
    window of ±7 days, attached to the person's current work placement if any. Without a
    cadence the planned extra follow-up is cancelled. Idempotent; returns the planned one.
    Called after a follow-up is recorded, when a placement starts or ends, and by the
    customers app when the cadence changes.
    """
    today = today or timezone.localdate()
    job_customer = JobCustomer.objects.select_for_update().get(pk=job_customer.pk)
    planned = list(
        FollowUp.objects.filter(
            job_customer=job_customer, kind=FollowUp.Kind.EXTRA, status=FollowUp.Status.PLANNED
        ).order_by("due_on", "pk")
    )
    weeks = job_customer.extra_followup_weeks
    if not weeks:
        for followup in planned:
            followup.status = FollowUp.Status.CANCELLED
            followup.save(update_fields=["status", "updated_at"])
        return None

    last_held = FollowUp.objects.filter(
        job_customer=job_customer, status=FollowUp.Status.HELD
    ).aggregate(last=Max("held_on"))["last"]
    due_on = (last_held or today) + datetime.timedelta(weeks=weeks)
    window = datetime.timedelta(days=EXTRA_WINDOW_DAYS)
    placement = (
        Placement.objects.active_on(today)
        .work()
        .filter(job_customer=job_customer)
        .order_by("-started_on", "-pk")
        .first()
    )
    wanted = {
        "placement": placement,
        "due_on": due_on,
        "window_start": due_on - window,
        "window_end": due_on + window,
    }
    if planned:
        followup, extra = planned[0], planned[1:]
        for duplicate in extra:
            duplicate.status = FollowUp.Status.CANCELLED
            duplicate.save(update_fields=["status", "updated_at"])
        changed = [name for name, value in wanted.items() if getattr(followup, name) != value]
        if changed:
            for name in changed:
                setattr(followup, name, wanted[name])
            followup.full_clean()
            followup.save(update_fields=[*changed, "updated_at"])
        return followup
    followup = FollowUp(job_customer=job_customer, kind=FollowUp.Kind.EXTRA, **wanted)
    followup.full_clean()
    followup.save()
    return followup


# --- anniversaries ("Godt Gået") -----------------------------------------------------------

NO_SUCH_ANNIVERSARY = _("This person has no such anniversary at this company.")
CELEBRATION_HELD_NEEDS_DATE = _("Give the date the celebration was held.")
CELEBRATION_HELD_IN_FUTURE = _("A celebration cannot have been held on a future date.")
CELEBRATION_STATUS_INVALID = _("Choose planned, held or not held.")
# The consent rule, worded for inviting the company to a celebration.
CELEBRATION_CONSENT_REQUIRED = _(
    "The job customer has not given consent to contact this company. Do not invite the "
    "company, or give the reason for contacting it anyway."
)


@transaction.atomic
def celebration_save(
    *,
    user,
    job_customer: JobCustomer,
    company: Company,
    years: int,
    celebrate_on: datetime.date | None = None,
    invite_company: bool = True,
    invite_colleagues: bool = True,
    invite_relatives: bool = True,
    status: str = "planned",
    note: str = "",
    consent_override_reason: str = "",
    expected_version: int | None = None,
):
    """Record (or change) the celebration of a 2-, 5- or 10-year anniversary; one per
    anniversary (a database constraint). Advisors, managers, administrators.

    Refuses with STALE_EDIT (and what changed) when someone saved the celebration after
    `expected_version` was read (0: the form was shown before there was one).

    Inviting the company is contact with the employer about the person: it needs the person's
    active consent for the company, or a reason, recorded like every consent override.
    """
    from .anniversaries import anniversary_find
    from .models import Celebration

    anniversary = anniversary_find(job_customer=job_customer, company_id=company.pk, years=years)
    if anniversary is None:
        raise ValidationError(NO_SUCH_ANNIVERSARY)
    if status not in Celebration.Status.values:
        raise ValidationError({"status": [CELEBRATION_STATUS_INVALID]})
    if status == Celebration.Status.HELD:
        if celebrate_on is None:
            raise ValidationError({"celebrate_on": [CELEBRATION_HELD_NEEDS_DATE]})
        if celebrate_on > timezone.localdate():
            raise ValidationError({"celebrate_on": [CELEBRATION_HELD_IN_FUTURE]})
    celebration = (
        Celebration.objects.select_for_update()
        .filter(job_customer=job_customer, company=company, years=years)
        .first()
    ) or Celebration(job_customer=job_customer, company=company, years=years, created_by=user)
    version_check_and_bump(
        celebration,
        expected_version=expected_version,
        yours={
            "celebrate_on": celebrate_on,
            "status": status,
            "invite_company": invite_company,
            "invite_colleagues": invite_colleagues,
            "invite_relatives": invite_relatives,
            "note": (note or "").strip(),
        },
    )
    newly_invited = invite_company and not (celebration.pk and celebration.invite_company)
    override = consent_override_reason.strip()
    needs_override = newly_invited and not consent_allows_contact(
        job_customer=job_customer, company=company
    )
    if needs_override and not override:
        raise ValidationError({"consent_override_reason": [CELEBRATION_CONSENT_REQUIRED]})
    celebration.anniversary_on = anniversary.on
    celebration.employed_since = anniversary.employed_since
    celebration.celebrate_on = celebrate_on
    celebration.invite_company = invite_company
    celebration.invite_colleagues = invite_colleagues
    celebration.invite_relatives = invite_relatives
    celebration.status = status
    celebration.note = (note or "").strip()
    celebration.full_clean()
    celebration.save()
    if needs_override:
        consent_override_record(
            actor=user,
            job_customer=job_customer,
            company=company,
            reason=override,
            kind=ContactKind.EMAIL,
            occurred_at=timezone.now(),
            text=gettext("Invited the company to the %(years)s-year celebration (Godt Gået).")
            % {"years": years},
        )
    return celebration
