"""Writes about job customers. Every change to a job customer's record goes through here.

Each service is keyword-only, validates before it saves, runs in one transaction and raises
`ValidationError` (messages are the constants below) or `PermissionDenied`. `actor` is the
user doing it; `None` means the system itself (imports, demo data) and skips the role check.
Writes are audited by django-auditlog's model registration (see apps.py).
"""

import datetime
import re
from decimal import Decimal
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varig.core.models import Role, User
from varig.core.refs import save_with_unique_ref
from varig.core.services import version_check_and_bump

from .models import (
    Accommodation,
    Consent,
    ContactNote,
    Goal,
    GoalReview,
    GoalStatus,
    GuidanceSession,
    HealthInfo,
    JobCustomer,
    JobWishes,
    Plan,
    ReadinessAssessment,
    Task,
)
from .selectors import can_edit_job_customer, can_see_health, consent_allows_contact
from .status import refresh_statuses

BIRTH_DATE_IN_FUTURE = _("The birth date cannot be in the future.")
ASSOCIATION_ORDER = _("The association cannot end before it starts.")
POSTCODE_INVALID = _("A postcode is four digits.")
ADVISOR_NOT_ADVISOR = _("The responsible advisor must be an active user with the advisor role.")
FOLLOWUP_WEEKS_RANGE = _("Choose a number of weeks from 1 to 52.")
REF_TAKEN = _("Another job customer already has this reference.")
DATE_IN_FUTURE = _("The date cannot be in the future.")
HOURS_PER_WEEK_RANGE = _("Hours per week must be more than 0 and at most 48.")
HOURS_PER_DAY_RANGE = _("Hours per day must be more than 0 and at most 24.")
DAY_ABOVE_WEEK = _("Hours per day cannot be more than hours per week.")
EXPIRES_BEFORE_GIVEN = _("A consent cannot expire before it was given.")
WITHDRAWN_BEFORE_GIVEN = _("A consent cannot be withdrawn before it was given.")
CONSENT_ALREADY_WITHDRAWN = _("This consent has already been withdrawn.")
# The consent rule (see consent_override_record), worded for a note on the timeline.
CONSENT_REQUIRED = _(
    "The person has not given consent to contact this company. Record the consent first, or "
    "give the reason for contacting the company anyway."
)
NOTE_TEXT_REQUIRED = _("Write what happened.")
TASK_ALREADY_DONE = _("This task is already done.")
ASSIGNEE_NOT_STAFF = _("A task can only be given to an active member of staff.")
WRONG_JOB_CUSTOMER = _("This record belongs to another job customer.")

REF_PREFIX = "JK-"
REF_DIGITS = 6

# The intake fields a caller may set with job_customer_create/job_customer_update.
INTAKE_FIELDS = (
    "ref",
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "phone",
    "address",
    "postcode",
    "municipality",
    "advisor",
    "associated_from",
    "associated_until",
    "referral_source",
    "pension_rules",
    "education",
    "work_experience",
    "competences",
    "extra_followup_weeks",
)


def require_edit(actor: User | None, job_customer: JobCustomer | None = None) -> None:
    """Refuse (PermissionDenied) an actor who may not change this job customer's record; every
    app's writes on a person's record call it (None: a system write, no check)."""
    if actor is not None and not can_edit_job_customer(user=actor, job_customer=job_customer):
        raise PermissionDenied


def _today() -> datetime.date:
    return timezone.localdate()


def _full_clean(instance, *, exclude: list[str] | None = None) -> None:
    instance.full_clean(exclude=exclude)


# --- Job customer -------------------------------------------------------------------------------


def _validate_intake(job_customer: JobCustomer) -> None:
    errors: dict[str, list] = {}
    if job_customer.birth_date and job_customer.birth_date > _today():
        errors.setdefault("birth_date", []).append(BIRTH_DATE_IN_FUTURE)
    if (
        job_customer.associated_until
        and job_customer.associated_from
        and job_customer.associated_until < job_customer.associated_from
    ):
        errors.setdefault("associated_until", []).append(ASSOCIATION_ORDER)
    if job_customer.postcode and not re.fullmatch(r"\d{4}", job_customer.postcode):
        errors.setdefault("postcode", []).append(POSTCODE_INVALID)
    if job_customer.advisor_id is not None and not (
        User.objects.advisors().filter(pk=job_customer.advisor_id).exists()
    ):
        errors.setdefault("advisor", []).append(ADVISOR_NOT_ADVISOR)
    weeks = job_customer.extra_followup_weeks
    if weeks is not None and not 1 <= weeks <= 52:
        errors.setdefault("extra_followup_weeks", []).append(FOLLOWUP_WEEKS_RANGE)
    if (
        job_customer.ref
        and JobCustomer.objects.filter(ref=job_customer.ref).exclude(pk=job_customer.pk).exists()
    ):
        errors.setdefault("ref", []).append(REF_TAKEN)
    if errors:
        raise ValidationError(errors)
    # The model's own checks (required fields, lengths, choices, e-mail format).
    _full_clean(job_customer, exclude=["ref"] if not job_customer.ref else None)


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(INTAKE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown job customer fields: {', '.join(sorted(unknown))}")


@transaction.atomic
def job_customer_create(*, actor: User | None, **fields: Any) -> JobCustomer:
    """Take in a new job customer (the intake). Advisors, managers and administrators.

    `fields` are the INTAKE_FIELDS; `last_name` and `associated_from` are required. A blank
    `ref` gets the next "JK-000123". Audited as a create. With an extra follow-up cadence
    the first extra follow-up is planned.
    """
    require_edit(actor)
    _check_fields(fields)
    job_customer = JobCustomer(
        **{k: ("" if v is None and k == "ref" else v) for k, v in fields.items()}
    )
    _validate_intake(job_customer)
    try:
        save_with_unique_ref(
            job_customer, prefix=REF_PREFIX, digits=REF_DIGITS, generate=not job_customer.ref
        )
    except IntegrityError:
        # Another intake took this reference at the same moment (or no free one was found).
        raise ValidationError({"ref": [REF_TAKEN]}) from None
    _refresh_status(job_customer)
    if job_customer.extra_followup_weeks:
        _extra_followup_ensure(job_customer)
    return job_customer


def _refresh_status(job_customer: JobCustomer) -> None:
    """Store the status again (the association's dates are part of it), on the instance too."""
    refresh_statuses([job_customer.pk])
    job_customer.refresh_from_db(
        fields=["current_status", "status_checked_on", "status_changes_on"]
    )


def _extra_followup_ensure(job_customer: JobCustomer) -> None:
    # The follow-up plan belongs to the placements app, which imports this module.
    from varig.placements.services import extra_followup_ensure

    extra_followup_ensure(job_customer=job_customer)


@transaction.atomic
def job_customer_update(
    *, actor: User | None, job_customer: JobCustomer, expected_version: int | None, **fields: Any
) -> JobCustomer:
    """Change the intake facts. Advisors, managers and administrators.

    Refuses with STALE_EDIT when someone saved the record after `expected_version` was read;
    then nothing changes. Bumps the version. Audited as an update with the changed fields.
    A changed extra follow-up cadence replans the person's extra follow-up.
    """
    require_edit(actor, job_customer)
    _check_fields(fields)
    version_check_and_bump(job_customer, expected_version=expected_version, yours=fields)
    cadence_before = job_customer.extra_followup_weeks
    for name, value in fields.items():
        if name == "ref" and not value:
            continue  # a blank reference keeps the existing one
        setattr(job_customer, name, value)
    _validate_intake(job_customer)
    job_customer.save()
    if "associated_until" in fields or "associated_from" in fields:
        _refresh_status(job_customer)
    if job_customer.extra_followup_weeks != cadence_before:
        # A new cadence replans (or with none, cancels) the extra follow-up.
        _extra_followup_ensure(job_customer)
    return job_customer


# --- Readiness, job wishes, accommodations ------------------------------------------------------


@transaction.atomic
def readiness_record(
    *,
    actor: User | None,
    job_customer: JobCustomer,
    area: str,
    rating: str,
    assessed_on: datetime.date,
    note: str = "",
) -> ReadinessAssessment:
    """Rate one life area on a date; adds to the history. Advisors, managers, administrators."""
    require_edit(actor, job_customer)
    if assessed_on and assessed_on > _today():
        raise ValidationError({"assessed_on": [DATE_IN_FUTURE]})
    assessment = ReadinessAssessment(
        job_customer=job_customer,
        area=area,
        rating=rating,
        assessed_on=assessed_on,
        note=note,
        assessed_by=actor,
    )
    _full_clean(assessment, exclude=["assessed_by"])
    assessment.save()
    return assessment


def _hours_error(value: Decimal | None, *, maximum: int) -> bool:
    return value is not None and not (0 < value <= maximum)


@transaction.atomic
def job_wishes_update(
    *,
    actor: User | None,
    job_customer: JobCustomer,
    wished_jobs: str = "",
    wished_industries: str = "",
    wished_hours_per_week: Decimal | None = None,
    preferred_job_type: str = JobWishes._meta.get_field("preferred_job_type").default,
    dream_job: str = "",
    expected_version: int | None = None,
) -> JobWishes:
    """Save the person's job wishes (one record per person). Advisors, managers, administrators.

    Refuses with STALE_EDIT (and what changed) when someone saved the wishes after
    `expected_version` was read; 0 means the form was shown before there were any wishes.
    """
    require_edit(actor, job_customer)
    if _hours_error(wished_hours_per_week, maximum=48):
        raise ValidationError({"wished_hours_per_week": [HOURS_PER_WEEK_RANGE]})
    fields = {
        "wished_jobs": wished_jobs,
        "wished_industries": wished_industries,
        "wished_hours_per_week": wished_hours_per_week,
        "preferred_job_type": preferred_job_type,
        "dream_job": dream_job,
    }
    wishes = JobWishes.objects.filter(job_customer=job_customer).first()
    wishes = wishes or JobWishes(job_customer=job_customer)
    version_check_and_bump(wishes, expected_version=expected_version, yours=fields)
    for name, value in fields.items():
        setattr(wishes, name, value)
    _full_clean(wishes, exclude=["job_customer"])
    wishes.save()
    return wishes


@transaction.atomic
def accommodation_record(
    *,
    actor: User | None,
    job_customer: JobCustomer,
    valid_from: datetime.date,
    max_hours_per_week: Decimal | None = None,
    max_hours_per_day: Decimal | None = None,
    tasks_to_avoid: str = "",
    environment: str = "",
    fixed_contact_person: bool = False,
    other: str = "",
    employer_text: str = "",
) -> Accommodation:
    """Record a new version of the accommodations; earlier versions stay as the history.

    Advisors, managers and administrators. Never put a diagnosis here: `employer_text` is what
    an employer may be told.
    """
    require_edit(actor, job_customer)
    errors: dict[str, list] = {}
    if _hours_error(max_hours_per_week, maximum=48):
        errors["max_hours_per_week"] = [HOURS_PER_WEEK_RANGE]
    if _hours_error(max_hours_per_day, maximum=24):
        errors["max_hours_per_day"] = [HOURS_PER_DAY_RANGE]
    elif (
        max_hours_per_day is not None
        and max_hours_per_week is not None
        and "max_hours_per_week" not in errors
        and max_hours_per_day > max_hours_per_week
    ):
        errors["max_hours_per_day"] = [DAY_ABOVE_WEEK]
    if errors:
        raise ValidationError(errors)
    accommodation = Accommodation(
        job_customer=job_customer,
        valid_from=valid_from,
        max_hours_per_week=max_hours_per_week,
        max_hours_per_day=max_hours_per_day,
        tasks_to_avoid=tasks_to_avoid,
        environment=environment,
        fixed_contact_person=fixed_contact_person,
        other=other,
        employer_text=employer_text,
        recorded_by=actor,
    )
    _full_clean(accommodation, exclude=["recorded_by"])
    accommodation.save()
    return accommodation


# --- Consent ------------------------------------------------------------------------------------


@transaction.atomic
def consent_give(
    *,
    actor: User | None,
    job_customer: JobCustomer,
    company,
    given_on: datetime.date,
    may_contact: bool = True,
    share_accommodations: bool = True,
    share_work_situation: bool = True,
    shared_details: str = "",
    expires_on: datetime.date | None = None,
) -> Consent:
    """Record the person's consent about one company. Advisors, managers, administrators."""
    require_edit(actor, job_customer)
    errors: dict[str, list] = {}
    if given_on and given_on > _today():
        errors["given_on"] = [DATE_IN_FUTURE]
    if expires_on and given_on and expires_on < given_on:
        errors["expires_on"] = [EXPIRES_BEFORE_GIVEN]
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        job_customer=job_customer,
        company=company,
        may_contact=may_contact,
        share_accommodations=share_accommodations,
        share_work_situation=share_work_situation,
        shared_details=shared_details,
        given_on=given_on,
        expires_on=expires_on,
        recorded_by=actor,
    )
    _full_clean(consent, exclude=["recorded_by"])
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(
    *,
    actor: User | None,
    consent: Consent,
    withdrawn_on: datetime.date,
    job_customer: JobCustomer | None = None,
) -> Consent:
    """Withdraw a consent from a date; it stays as history. Advisors, managers, administrators.

    Pass `job_customer` to refuse a consent that belongs to someone else.
    """
    require_edit(actor, consent.job_customer)
    if job_customer is not None and consent.job_customer_id != job_customer.pk:
        raise ValidationError(WRONG_JOB_CUSTOMER)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError(CONSENT_ALREADY_WITHDRAWN)
    if withdrawn_on > _today():
        raise ValidationError({"withdrawn_on": [DATE_IN_FUTURE]})
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": [WITHDRAWN_BEFORE_GIVEN]})
    consent.withdrawn_on = withdrawn_on
    consent.save(update_fields=["withdrawn_on"])
    return consent


# --- Health -------------------------------------------------------------------------------------


@transaction.atomic
def health_update(
    *,
    actor: User,
    job_customer: JobCustomer,
    diagnosis: str = "",
    health_notes: str = "",
    expected_version: int | None = None,
) -> HealthInfo:
    """Save the diagnosis and health notes. Only the responsible advisor, managers and
    administrators (PermissionDenied otherwise). The audit entry masks the text.

    Refuses with STALE_EDIT (and what changed) when someone saved them after
    `expected_version` was read; 0 means the form was shown before there was a record.
    """
    if not can_see_health(user=actor, job_customer=job_customer):
        raise PermissionDenied
    health = HealthInfo.objects.filter(job_customer=job_customer).first()
    health = health or HealthInfo(job_customer=job_customer)
    version_check_and_bump(
        health,
        expected_version=expected_version,
        yours={"diagnosis": diagnosis, "health_notes": health_notes},
    )
    health.diagnosis = diagnosis
    health.health_notes = health_notes
    health.updated_by = actor
    _full_clean(health, exclude=["job_customer", "updated_by"])
    health.save()
    return health


# --- Timeline -----------------------------------------------------------------------------------


@transaction.atomic
def contact_note_create(
    *,
    actor: User | None,
    job_customer: JobCustomer,
    kind: str,
    text: str,
    occurred_at: datetime.datetime | None = None,
    company=None,
    consent_override_reason: str = "",
) -> ContactNote:
    """Add a note or contact to the person's timeline. Advisors, managers, administrators.

    The consent rule: an entry with a company is refused (CONSENT_REQUIRED, on `company`) unless
    the person has an active consent that lets that company be contacted on the day, or a
    `consent_override_reason` is given. An override is kept on the note and written to the
    audit log as its own entry on the job customer.
    """
    require_edit(actor, job_customer)
    occurred_at = occurred_at or timezone.now()
    errors: dict[str, list] = {}
    if not (text or "").strip():
        errors["text"] = [NOTE_TEXT_REQUIRED]
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["occurred_at"] = [DATE_IN_FUTURE]
    reason = (consent_override_reason or "").strip()
    override = False
    if company is not None:
        day = timezone.localtime(occurred_at).date()
        if consent_allows_contact(job_customer=job_customer, company=company, on=day):
            reason = ""  # no override needed, so none is recorded
        elif reason:
            override = True
        else:
            errors["company"] = [CONSENT_REQUIRED]
    else:
        reason = ""
    if errors:
        raise ValidationError(errors)
    if override:
        return consent_override_record(
            actor=actor,
            job_customer=job_customer,
            company=company,
            reason=reason,
            kind=kind,
            text=text.strip(),
            occurred_at=occurred_at,
        )
    note = ContactNote(
        job_customer=job_customer,
        kind=kind,
        occurred_at=occurred_at,
        company=company,
        text=text.strip(),
        author=actor,
    )
    _full_clean(note, exclude=["author"])
    note.save()
    return note


def consent_override_record(
    *,
    actor: User | None,
    job_customer: JobCustomer,
    company,
    reason: str,
    kind: str,
    text: str,
    occurred_at: datetime.datetime,
) -> ContactNote:
    """The one trace of contacting a company about a person without their consent.

    The rule: an employer is not contacted about a person without that person's consent
    (`selectors.consent_allows_contact`) or a recorded override. Every path that overrides it
    (a note on the timeline, a follow-up with the company contact) records the override here, the
    same way: a contact note on the person's timeline that carries the reason, and an audit log
    entry on the job customer naming the company, the reason and the note. The caller has
    checked the rule and that `reason` is not blank.
    """
    reason = reason.strip()
    if not reason:
        raise ValueError("A consent override needs a reason.")
    note = ContactNote(
        job_customer=job_customer,
        kind=kind,
        occurred_at=occurred_at,
        company=company,
        text=text,
        consent_override_reason=reason,
        author=actor,
    )
    _full_clean(note, exclude=["author"])
    note.save()
    LogEntry.objects.log_create(
        job_customer,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=actor,
        changes={"consent_override": [None, f"{company}: {reason}"]},
        additional_data={
            "consent_override": {
                "note_id": note.pk,
                "company_id": company.pk,
                "company": str(company),
                "reason": reason,
            }
        },
    )
    return note


# --- Tasks --------------------------------------------------------------------------------------


@transaction.atomic
def task_create(
    *,
    actor: User | None,
    job_customer: JobCustomer,
    title: str,
    due_on: datetime.date | None = None,
    assigned_to: User | None = None,
    kind: str = Task._meta.get_field("kind").default,
) -> Task:
    """Add a task about the person. Advisors, managers, administrators.

    Unassigned tasks go to the responsible advisor (or the actor when there is none).
    """
    require_edit(actor, job_customer)
    assigned_to = assigned_to or job_customer.advisor or actor
    if assigned_to is not None and not (
        assigned_to.is_active
        and User.objects.filter(pk=assigned_to.pk, groups__name__in=Role.values).exists()
    ):
        raise ValidationError({"assigned_to": [ASSIGNEE_NOT_STAFF]})
    task = Task(
        job_customer=job_customer,
        title=(title or "").strip(),
        due_on=due_on,
        assigned_to=assigned_to,
        kind=kind,
        created_by=actor,
    )
    _full_clean(task, exclude=["created_by"])
    task.save()
    return task


@transaction.atomic
def task_complete(
    *, actor: User | None, task: Task, job_customer: JobCustomer | None = None
) -> Task:
    """Mark a task done now. Advisors, managers, administrators; refuses a task already done."""
    require_edit(actor, task.job_customer)
    if job_customer is not None and task.job_customer_id != job_customer.pk:
        raise ValidationError(WRONG_JOB_CUSTOMER)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.done_at is not None:
        raise ValidationError(TASK_ALREADY_DONE)
    task.done_at = timezone.now()
    task.save(update_fields=["done_at"])
    return task


# --- The individual plan and guidance sessions --------------------------------------------------

GOAL_TITLE_REQUIRED = _("Write the goal.")
GOAL_PARENT_OTHER_PLAN = _("The goal it is part of must be in the same person's plan.")
GOAL_PARENT_IS_SUB_GOAL = _(
    "A sub-goal cannot have sub-goals of its own. Choose one of the plan's main goals."
)
GOAL_HAS_SUB_GOALS = _("This goal has sub-goals, so it cannot itself become a sub-goal.")
GOAL_OWN_PARENT = _("A goal cannot be part of itself.")
SESSION_TOPIC_REQUIRED = _("Write the topic of the session.")
SESSION_IN_FUTURE = _("A guidance session cannot be recorded before it has been held.")
NEXT_SESSION_BEFORE = _("The next session cannot be before this one.")
REVIEW_GOAL_OTHER_PLAN = _("Only the person's own goals can be reviewed in the session.")


def plan_get_or_create(*, job_customer: JobCustomer) -> Plan:
    """The person's plan, made empty the first time it is needed (no audit entry)."""
    plan, _created = Plan.objects.get_or_create(job_customer=job_customer)
    return plan


@transaction.atomic
def plan_update(
    *,
    actor: User | None,
    job_customer: JobCustomer,
    own_words: str,
    expected_version: int | None = None,
) -> Plan:
    """Save what the job customer wants in their own words. Advisors, managers, administrators.

    Refuses with STALE_EDIT when someone saved the plan after `expected_version` was read
    (0: the form was shown before there was a plan, so a plan saved since is newer).
    """
    require_edit(actor, job_customer)
    plan, created = Plan.objects.get_or_create(job_customer=job_customer)
    if created and expected_version == 0:
        expected_version = None  # the first save; version 0 is "no plan yet"
    version_check_and_bump(
        plan, expected_version=expected_version, yours={"own_words": (own_words or "").strip()}
    )
    plan.own_words = (own_words or "").strip()
    plan.updated_by = actor
    _full_clean(plan, exclude=["job_customer", "updated_by"])
    plan.save()
    return plan


def _validate_goal(goal: Goal, *, parent: Goal | None) -> None:
    errors: dict[str, list] = {}
    if not (goal.title or "").strip():
        errors["title"] = [GOAL_TITLE_REQUIRED]
    if parent is not None:
        if goal.pk is not None and parent.pk == goal.pk:
            errors["parent"] = [GOAL_OWN_PARENT]
        elif parent.plan_id != goal.plan_id:
            errors["parent"] = [GOAL_PARENT_OTHER_PLAN]
        elif parent.parent_id is not None:
            errors["parent"] = [GOAL_PARENT_IS_SUB_GOAL]
        elif goal.pk is not None and Goal.objects.filter(parent_id=goal.pk).exists():
            errors["parent"] = [GOAL_HAS_SUB_GOALS]
    if errors:
        raise ValidationError(errors)
    _full_clean(goal, exclude=["plan", "recorded_by", "parent"])


@transaction.atomic
def goal_create(
    *,
    actor: User | None,
    job_customer: JobCustomer,
    title: str,
    description: str = "",
    parent: Goal | None = None,
    status: str = GoalStatus.NOT_STARTED,
    target_on: datetime.date | None = None,
    set_by: str = Goal._meta.get_field("set_by").default,
) -> Goal:
    """Add a goal, or a sub-goal of one of the plan's main goals. Advisors, managers, admins."""
    require_edit(actor, job_customer)
    plan = plan_get_or_create(job_customer=job_customer)
    goal = Goal(
        plan=plan,
        parent=parent,
        title=(title or "").strip(),
        description=(description or "").strip(),
        status=status,
        target_on=target_on,
        set_by=set_by,
        recorded_by=actor,
    )
    _validate_goal(goal, parent=parent)
    goal.save()
    return goal


@transaction.atomic
def goal_update(
    *,
    actor: User | None,
    goal: Goal,
    job_customer: JobCustomer | None = None,
    title: str,
    description: str = "",
    parent: Goal | None = None,
    status: str,
    target_on: datetime.date | None = None,
    set_by: str,
    expected_version: int | None = None,
) -> Goal:
    """Change a goal: its wording, status, target date, who set it, the goal it is part of.

    Advisors, managers, administrators. Pass `job_customer` to refuse someone else's goal.
    Refuses with STALE_EDIT (and what changed) when someone saved the goal, or reviewed it
    in a guidance session, after `expected_version` was read.
    """
    goal = Goal.objects.select_for_update().select_related("plan").get(pk=goal.pk)
    require_edit(actor, goal.plan.job_customer)
    if job_customer is not None and goal.plan.job_customer_id != job_customer.pk:
        raise ValidationError(WRONG_JOB_CUSTOMER)
    version_check_and_bump(
        goal,
        expected_version=expected_version,
        yours={
            "title": (title or "").strip(),
            "description": (description or "").strip(),
            "parent": parent.pk if parent is not None else None,
            "status": status,
            "target_on": target_on,
            "set_by": set_by,
        },
    )
    goal.title = (title or "").strip()
    goal.description = (description or "").strip()
    goal.parent = parent
    goal.status = status
    goal.target_on = target_on
    goal.set_by = set_by
    _validate_goal(goal, parent=parent)
    goal.save()
    return goal


@transaction.atomic
def guidance_session_record(
    *,
    actor: User | None,
    job_customer: JobCustomer,
    held_on: datetime.date,
    topic: str,
    notes: str = "",
    next_step: str = "",
    next_session_on: datetime.date | None = None,
    reviews: list[tuple[Goal, str, str]] = (),
    advisor: User | None = None,
) -> GuidanceSession:
    """Log a guidance session; each `(goal, status, comment)` in `reviews` reviews a goal in it.

    Advisors, managers, administrators. A reviewed goal takes the status given in the review,
    so the plan shows where each goal stands. `advisor` defaults to the actor.
    """
    require_edit(actor, job_customer)
    errors: dict[str, list] = {}
    if not (topic or "").strip():
        errors["topic"] = [SESSION_TOPIC_REQUIRED]
    if held_on and held_on > _today():
        errors["held_on"] = [SESSION_IN_FUTURE]
    if next_session_on and held_on and next_session_on < held_on:
        errors["next_session_on"] = [NEXT_SESSION_BEFORE]
    plan = plan_get_or_create(job_customer=job_customer)
    goal_ids = [goal.pk for goal, _status, _comment in reviews]
    if goal_ids and Goal.objects.filter(pk__in=goal_ids, plan=plan).count() != len(set(goal_ids)):
        errors.setdefault("__all__", []).append(REVIEW_GOAL_OTHER_PLAN)
    if errors:
        raise ValidationError(errors)
    session = GuidanceSession(
        job_customer=job_customer,
        held_on=held_on,
        topic=topic.strip(),
        notes=(notes or "").strip(),
        next_step=(next_step or "").strip(),
        next_session_on=next_session_on,
        advisor=advisor or actor,
    )
    _full_clean(session, exclude=["advisor"])
    session.save()
    for goal, status, comment in reviews:
        review = GoalReview(session=session, goal=goal, status=status, comment=comment.strip())
        _full_clean(review, exclude=["session", "goal"])
        review.save()
        if goal.status != status:
            # A new version: a goal form opened before the session is stale now.
            version_check_and_bump(goal, expected_version=None)
            goal.status = status
            goal.save(update_fields=["status", "version", "updated_at"])  # audited
    return session
