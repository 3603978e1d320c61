"""Writes of the crisis call-rounds: making a campaign and its shared-out call list, recording
each call's outcome (retries, escalation to a task), handing calls over, closing a campaign.

Access: managers and administrators make, hand over and close campaigns; a call's outcome is
recorded by its caller (or a manager), and only about a person the caller may see. A caller
outside the person's caseload sees the person through a share the campaign makes for them
(until the campaign's last day, without the health information, like every share), ended when
the campaign is closed or the call is handed to someone else.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from varig.core.models import Role, User
from varig.customers.models import CaseloadShare, ContactKind, ContactNote, JobCustomer, Task
from varig.customers.selectors import can_view_job_customer
from varig.customers.services import contact_note_create, task_create
from varig.placements.models import Placement

from .distribution import distribute
from .models import Call, CallAttempt, Campaign

NAME_REQUIRED = _("Give the call-round a name.")
AUDIENCE_INVALID = _("Choose everyone associated or everyone in work.")
ADVISOR_INVALID = _("Choose an active advisor.")
CALLERS_REQUIRED = _("Choose at least one member of staff to make the calls.")
CALLER_NOT_STAFF = _("Only active members of staff can make calls.")
ENDS_BEFORE_TODAY = _("The last day cannot be before today.")
ENDS_TOO_LATE = _("A call-round lasts at most 90 days.")
ATTEMPTS_RANGE = _("Between 1 and 10 attempts.")
RETRY_RANGE = _("Between 0 and 14 days.")
NO_PEOPLE = _("No job customers match this filter, so there is no one to call.")
CAMPAIGN_CLOSED = _("This call-round has been closed.")
CALL_DONE = _("The outcome of this call has already been recorded.")
OUTCOME_INVALID = _("Choose how the call went.")
NOTE_REQUIRED_FOR_HELP = _("Write what the person needs help with, so their advisor can act.")
SAME_CALLER = _("Choose another member of staff.")
NOTHING_TO_HAND_OVER = _("This member of staff has no calls left to make in this call-round.")

MAX_DAYS = 90
# A "needs help" or a person not reached at all becomes a task due this many days later.
ESCALATION_DUE_DAYS = 1
STAFF_ROLES = tuple(Role.values)
BATCH = 2000


def _today() -> datetime.date:
    return timezone.localdate()


def _require_manager(user: User) -> None:
    if not user.sees_all:
        raise PermissionDenied


def campaign_people(*, audience: str, advisor: User | None, on: datetime.date):
    """The job customers a campaign with this filter calls: associated on the day (and, for
    "in work", holding a work placement that day), optionally one advisor's caseload."""
    people = JobCustomer.objects.associated_on(on)
    if audience == Campaign.Audience.IN_WORK:
        work = Placement.objects.active_on(on).work().filter(job_customer=OuterRef("pk"))
        people = people.filter(Exists(work))
    if advisor is not None:
        people = people.filter(advisor=advisor)
    return people


def _sees_without_share(caller: User, advisor_id: int | None) -> bool:
    """Whether `caller` already sees a person with this advisor (see customers.selectors)."""
    if caller.sees_all or (advisor_id is not None and advisor_id == caller.pk):
        return True
    return advisor_id is None and caller.is_advisor


def _validate_campaign(
    *, name, audience, advisor, callers, ends_on, max_attempts, retry_after_days, today
) -> dict:
    errors: dict[str, list] = {}
    if not name:
        errors["name"] = [NAME_REQUIRED]
    if audience not in Campaign.Audience.values:
        errors["audience"] = [AUDIENCE_INVALID]
    if advisor is not None and not (advisor.is_active and advisor.has_role(Role.ADVISOR)):
        errors["advisor"] = [ADVISOR_INVALID]
    if not callers:
        errors["callers"] = [CALLERS_REQUIRED]
    elif any(not (c.is_active and c.has_role(*STAFF_ROLES)) for c in callers):
        errors["callers"] = [CALLER_NOT_STAFF]
    if ends_on is None or ends_on < today:
        errors["ends_on"] = [ENDS_BEFORE_TODAY]
    elif ends_on > today + datetime.timedelta(days=MAX_DAYS):
        errors["ends_on"] = [ENDS_TOO_LATE]
    if not (isinstance(max_attempts, int) and 1 <= max_attempts <= 10):
        errors["max_attempts"] = [ATTEMPTS_RANGE]
    if not (isinstance(retry_after_days, int) and 0 <= retry_after_days <= 14):
        errors["retry_after_days"] = [RETRY_RANGE]
    return errors


@transaction.atomic
def campaign_create(
    *,
    user: User,
    name: str,
    audience: str,
    callers: list[User],
    ends_on: datetime.date,
    advisor: User | None = None,
    purpose: str = "",
    max_attempts: int = 3,
    retry_after_days: int = 1,
) -> Campaign:
    """Make a call-round that starts today, with its call list shared out among `callers`
    (`distribution.distribute`: even, a person's own advisor first). Managers and
    administrators. Callers outside a person's caseload get a share of that person until the
    last day. Refuses a filter that matches no one; all or nothing."""
    _require_manager(user)
    today = _today()
    name = (name or "").strip()
    callers = list(
        User.objects.filter(pk__in=[c.pk for c in callers or []])
        .prefetch_related("groups")
        .order_by("name", "pk")
    )
    errors = _validate_campaign(
        name=name,
        audience=audience,
        advisor=advisor,
        callers=callers,
        ends_on=ends_on,
        max_attempts=max_attempts,
        retry_after_days=retry_after_days,
        today=today,
    )
    if errors:
        raise ValidationError(errors)
    people = list(
        campaign_people(audience=audience, advisor=advisor, on=today)
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "advisor_id")
    )
    if not people:
        raise ValidationError(NO_PEOPLE)
    campaign = Campaign(
        name=name,
        purpose=(purpose or "").strip(),
        audience=audience,
        advisor=advisor,
        starts_on=today,
        ends_on=ends_on,
        max_attempts=max_attempts,
        retry_after_days=retry_after_days,
        created_by=user,
    )
    campaign.full_clean()
    campaign.save()
    assigned = distribute(people, [c.pk for c in callers])
    by_pk = {c.pk: c for c in callers}
    advisor_of = dict(people)
    shares = _shares_for(
        campaign=campaign,
        pairs=[
            (person, caller)
            for person, caller in assigned.items()
            if not _sees_without_share(by_pk[caller], advisor_of[person])
        ],
        actor=user,
    )
    calls = [
        Call(
            campaign=campaign,
            job_customer_id=person,
            caller_id=assigned[person],
            next_try_on=today,
            share_id=shares.get((person, assigned[person])),
        )
        for person, _advisor in people
    ]
    Call.objects.bulk_create(calls, batch_size=BATCH)
    return campaign


def _shares_for(*, campaign: Campaign, pairs: list[tuple[int, int]], actor: User) -> dict:
    """Shares (person, caller) → share id for the pairs without a share in force already;
    those with one keep it (the database allows one open share per person and colleague). An
    open share whose last day has passed is ended and replaced."""
    if not pairs:
        return {}
    today = _today()
    people = {person for person, _ in pairs}
    callers = {caller for _, caller in pairs}
    existing = set()
    lapsed = []
    person_list = sorted(people)
    for start in range(0, len(person_list), BATCH):
        rows = CaseloadShare.objects.filter(
            ended_at__isnull=True,
            user_id__in=callers,
            job_customer_id__in=person_list[start : start + BATCH],
        ).values_list("pk", "job_customer_id", "user_id", "until")
        for pk, person, caller, until in rows:
            if until is not None and until < today:
                lapsed.append(pk)
            else:
                existing.add((person, caller))
    if lapsed:
        CaseloadShare.objects.filter(pk__in=lapsed).update(ended_at=timezone.now(), ended_by=actor)
    reason = gettext("Call-round: %(name)s") % {"name": campaign.name}
    new = [
        CaseloadShare(
            job_customer_id=person,
            user_id=caller,
            until=campaign.ends_on,
            reason=reason[:200],
            shared_by=actor,
        )
        for person, caller in pairs
        if (person, caller) not in existing
    ]
    created = CaseloadShare.objects.bulk_create(new, batch_size=BATCH)
    return {(s.job_customer_id, s.user_id): s.pk for s in created}


def can_record_call(*, user: User, call: Call) -> bool:
    """The call's caller, or a manager or administrator, about a person they may see."""
    if not (user.is_authenticated and (call.caller_id == user.pk or user.sees_all)):
        return False
    return can_view_job_customer(user=user, job_customer=call.job_customer)


def _escalation_assignee(call: Call) -> User:
    advisor = call.job_customer.advisor
    if advisor is not None and advisor.is_active:
        return advisor
    return call.campaign.created_by


def _escalate(call: Call, *, title: str) -> Task:
    """A task for the person's advisor (the campaign's maker when there is none). Made on the
    call-round's authority: the caller may be an employer consultant, who cannot add tasks."""
    return task_create(
        actor=None,
        job_customer=call.job_customer,
        title=title[:200],
        due_on=_today() + datetime.timedelta(days=ESCALATION_DUE_DAYS),
        assigned_to=_escalation_assignee(call),
    )


def _timeline_note(call: Call, *, user: User, text: str) -> None:
    """The call on the person's timeline as a phone contact (so "no contact" warnings see it),
    with the caller as its author."""
    note = contact_note_create(
        actor=None, job_customer=call.job_customer, kind=ContactKind.PHONE, text=text
    )
    ContactNote.objects.filter(pk=note.pk).update(author=user)


@transaction.atomic
def call_record(*, user: User, call: Call, outcome: str, note: str = "") -> Call:
    """Record one attempt at a call. Reached and fine, or reached and needing help (a task for
    the person's advisor), closes the call and puts the contact on the person's timeline; not
    reached counts an attempt and sets the next try, and after the campaign's last attempt
    closes the call as not reached, with a task to find another way. The call row is locked,
    so two people recording at once cannot both close it or lose an attempt."""
    call = (
        Call.objects.select_for_update(of=("self",))
        .select_related("campaign__created_by", "job_customer__advisor")
        .get(pk=call.pk)
    )
    if not can_record_call(user=user, call=call):
        raise PermissionDenied
    campaign = call.campaign
    if campaign.is_closed:
        raise ValidationError(CAMPAIGN_CLOSED)
    if call.is_done:
        raise ValidationError(CALL_DONE)
    note = (note or "").strip()
    if outcome not in CallAttempt.Outcome.values:
        raise ValidationError({"outcome": [OUTCOME_INVALID]})
    if outcome == CallAttempt.Outcome.NEEDS_HELP and not note:
        raise ValidationError({"note": [NOTE_REQUIRED_FOR_HELP]})
    attempt = CallAttempt(call=call, outcome=outcome, note=note, recorded_by=user)
    attempt.full_clean(exclude=["call", "recorded_by"])
    attempt.save()
    call.attempts += 1
    call.last_attempt_at = timezone.now()
    values = {"campaign": campaign.name}
    if outcome == CallAttempt.Outcome.FINE:
        call.status, call.next_try_on = Call.Status.FINE, None
        text = gettext('Call-round "%(campaign)s": reached, all is well.') % values
        _timeline_note(call, user=user, text=f"{text} {note}".strip())
    elif outcome == CallAttempt.Outcome.NEEDS_HELP:
        call.status, call.next_try_on = Call.Status.NEEDS_HELP, None
        text = gettext('Call-round "%(campaign)s": reached, needs help.') % values
        _timeline_note(call, user=user, text=f"{text} {note}")
        call.task = _escalate(
            call,
            title=gettext('Needs help (call-round "%(campaign)s"): %(note)s')
            % {**values, "note": note},
        )
    elif call.attempts >= campaign.max_attempts:
        call.status, call.next_try_on = Call.Status.UNREACHED, None
        call.task = _escalate(
            call,
            title=gettext(
                'Not reached in call-round "%(campaign)s" after %(n)s attempts: try another way'
            )
            % {**values, "n": call.attempts},
        )
    else:
        call.status = Call.Status.RETRY
        call.next_try_on = _today() + datetime.timedelta(days=campaign.retry_after_days)
    call.full_clean(exclude=["campaign", "job_customer", "caller", "task", "share"])
    call.save()
    return call


def _end_share(share_id: int | None, *, user: User) -> None:
    if share_id is not None:
        CaseloadShare.objects.filter(pk=share_id, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_by=user
        )


@transaction.atomic
def calls_hand_over(*, user: User, campaign: Campaign, from_caller: User, to_caller: User) -> int:
    """Move every call still to be made from one caller to another (someone fell ill).
    Managers and administrators. The share made for the first caller ends; the new caller
    gets one where they need it. Returns how many calls moved."""
    _require_manager(user)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.is_closed:
        raise ValidationError(CAMPAIGN_CLOSED)
    if to_caller.pk == from_caller.pk:
        raise ValidationError({"to_caller": [SAME_CALLER]})
    if not (to_caller.is_active and to_caller.has_role(*STAFF_ROLES)):
        raise ValidationError({"to_caller": [CALLER_NOT_STAFF]})
    calls = list(
        Call.objects.select_for_update(of=("self",))
        .filter(campaign=campaign, caller=from_caller)
        .to_do()
        .select_related("job_customer")
    )
    if not calls:
        raise ValidationError(NOTHING_TO_HAND_OVER)
    for call in calls:
        _end_share(call.share_id, user=user)
    shares = _shares_for(
        campaign=campaign,
        pairs=[
            (c.job_customer_id, to_caller.pk)
            for c in calls
            if not _sees_without_share(to_caller, c.job_customer.advisor_id)
        ],
        actor=user,
    )
    for call in calls:
        call.caller = to_caller
        call.share_id = shares.get((call.job_customer_id, to_caller.pk))
    Call.objects.bulk_update(calls, ["caller", "share"], batch_size=BATCH)
    return len(calls)


@transaction.atomic
def campaign_close(*, user: User, campaign: Campaign) -> Campaign:
    """Close a call-round (managers and administrators): its calls leave the callers' lists
    and the shares it made end. Calls not made stay as they are, for the record."""
    _require_manager(user)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.is_closed:
        raise ValidationError(CAMPAIGN_CLOSED)
    campaign.closed_at = timezone.now()
    campaign.closed_by = user
    campaign.save(update_fields=["closed_at", "closed_by"])
    CaseloadShare.objects.filter(
        pk__in=Call.objects.filter(campaign=campaign, share__isnull=False).values("share_id"),
        ended_at__isnull=True,
    ).update(ended_at=campaign.closed_at, ended_by=user)
    return campaign
