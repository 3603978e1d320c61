"""Demo data for issue 6 (early warnings, periods, celebrations): one hook in `core.demo`.

Some people get periods of progress, stability and setback (a few setbacks still open; the
first advisor's caseload always has some), most get a recent contact with their advisor (the
open door, so "no contact for 60 days" picks out the few without), some anniversaries get their
celebration, and then the daily job computes the early warnings, so "I dag" shows them at once.
"""

import datetime
import random

from django.utils import timezone

from varig.core.demo import FORCED, LONG_HISTORY_INDEX
from varig.core.models import Role
from varig.customers.models import Consent, ContactKind, ContactNote

from .models import Flag, Period
from .services import flags_refresh

DAY = datetime.timedelta(days=1)
SETBACK_NOTES = [
    "Ny medicin; træt om morgenen.",
    "Dødsfald i den nære familie.",
    "Søvnproblemer; har meldt sig syg et par dage.",
    "Flytning og uro derhjemme.",
]
PROGRESS_NOTES = ["Mere overskud; taler om flere timer.", "Glad for opgaverne.", ""]
RECENT_CONTACTS = [
    (ContactKind.PHONE, "Ringede for at høre, hvordan det går. Alt vel."),
    (ContactKind.CONVERSATION, "Vejledningssamtale om arbejdet og hverdagen."),
    (ContactKind.SMS, "Sms om næste møde."),
    (ContactKind.EMAIL, "Sendt materiale om kurset."),
]
# Share of the associated people with periods; the first advisor's caseload (the demo login
# `vejleder1`) gets more, and always at least this many open setbacks.
PERIOD_SHARE = 0.06
FIRST_CASELOAD_PERIOD_SHARE = 0.25
FIRST_CASELOAD_OPEN_SETBACKS = 2
RECENT_CONTACT_SHARE = 0.85


def _periods(table, *, pk: int, today: datetime.date, rng: random.Random, open_setback=None):
    """A calm or good stretch, then for some a setback (open when recent), then stable."""
    start = today - datetime.timedelta(days=rng.randint(120, 400))
    first_kind = rng.choice([Period.Kind.PROGRESS, Period.Kind.STABLE])
    with_setback = rng.random() < 0.5 if open_setback is None else True
    if not with_setback:
        table.add(
            job_customer_id=pk, kind=first_kind, started_on=start, note=rng.choice(PROGRESS_NOTES)
        )
        return 1
    if open_setback:
        setback_start = today - datetime.timedelta(days=rng.randint(3, 30))
    else:
        setback_start = today - datetime.timedelta(days=rng.randint(3, 100))
    table.add(
        job_customer_id=pk,
        kind=first_kind,
        started_on=start,
        ended_on=setback_start - DAY,
        note=rng.choice(PROGRESS_NOTES),
    )
    still_open = open_setback or (today - setback_start).days < 40
    end = None if still_open else setback_start + datetime.timedelta(days=rng.randint(7, 30))
    length = ((end or today) - setback_start).days + 1
    table.add(
        job_customer_id=pk,
        kind=Period.Kind.SETBACK,
        started_on=setback_start,
        ended_on=end,
        sick_leave_days=rng.randint(0, min(length, 10)),
        note=rng.choice(SETBACK_NOTES),
    )
    if end is None:
        return 2
    table.add(job_customer_id=pk, kind=Period.Kind.STABLE, started_on=end + DAY)
    return 3


def demo_periods(builder, rng: random.Random) -> int:
    """Periods for a share of the associated people; returns how many rows were added."""
    today = builder.today
    advisors = builder.staff.get(Role.ADVISOR) or []
    first_advisor = advisors[0].pk if advisors else None
    table = builder.table(Period)
    forced = 0
    added = 0
    for i, person in enumerate(builder.people):
        if person.associated_until is not None:  # the demo only ends associations in the past
            continue
        first = person.advisor_id == first_advisor
        # Open setbacks for the first advisor's people after the fixed points (the overdue and
        # due-soon follow-ups, the long history), so their stories stay as core.demo tells them.
        open_setback = None
        fixed_point = i in FORCED or i == LONG_HISTORY_INDEX
        if first and forced < FIRST_CASELOAD_OPEN_SETBACKS and not fixed_point:
            open_setback = True
            forced += 1
        elif rng.random() >= (FIRST_CASELOAD_PERIOD_SHARE if first else PERIOD_SHARE):
            continue
        added += _periods(table, pk=person.pk, today=today, rng=rng, open_setback=open_setback)
    return added


def demo_recent_contacts(builder, rng: random.Random) -> int:
    """A recent contact with their advisor for most associated people (not the long-history
    person, whose 200 notes are a fixed point of core.demo)."""
    table = builder.table(ContactNote)
    added = 0
    for i, person in enumerate(builder.people):
        if person.associated_until is not None or rng.random() >= RECENT_CONTACT_SHARE:
            continue
        if i == LONG_HISTORY_INDEX:
            continue
        kind, text = rng.choice(RECENT_CONTACTS)
        day = builder.today - datetime.timedelta(days=rng.randint(0, 55))
        table.add(
            job_customer_id=person.pk,
            kind=kind,
            occurred_at=timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(rng.randint(9, 15), 0))
            ),
            text=text,
            author_id=person.advisor_id,
        )
        added += 1
    return added


def demo_celebrations(builder, rng: random.Random) -> int:
    """Celebrations for some anniversaries: held ones in the last 90 days, planned ones in the
    next 90 (about half of those still to be planned). The company is invited only where the
    person has consented to contact with it."""
    from varig.placements.anniversaries import UPCOMING_DAYS, anniversaries_between
    from varig.placements.models import Celebration

    today = builder.today
    span = datetime.timedelta(days=UPCOMING_DAYS)
    found = anniversaries_between(first=today - span, last=today + span)
    consented = set(
        Consent.objects.active_on(today)
        .filter(may_contact=True, job_customer_id__in={a.job_customer.pk for a in found})
        .values_list("job_customer_id", "company_id")
    )
    table = builder.table(Celebration)
    added = 0
    for a in found:
        past = a.on < today
        if not past and rng.random() < 0.5:
            continue
        celebrate_on = a.on + datetime.timedelta(days=rng.randint(0, 14))
        held = past and celebrate_on < today
        table.add(
            job_customer_id=a.job_customer.pk,
            company_id=a.company.pk,
            years=a.years,
            anniversary_on=a.on,
            employed_since=a.employed_since,
            celebrate_on=celebrate_on,
            invite_company=(a.job_customer.pk, a.company.pk) in consented,
            invite_colleagues=True,
            invite_relatives=rng.random() < 0.7,
            status=Celebration.Status.HELD if held else Celebration.Status.PLANNED,
            note="Kage og taler i vores lokaler." if held else "",
            created_by_id=a.job_customer.advisor_id,
        )
        added += 1
    return added


def demo_warning_stories(builder, rng: random.Random) -> None:
    """For the first advisor: a mentor who left a current job a week ago and a consent for a
    current employer that expires in three weeks, so every kind of warning is on "I dag"."""
    from varig.employers.models import CompanyContact

    advisors = builder.staff.get(Role.ADVISOR) or []
    if not advisors:
        return
    current = [
        placement
        for person in builder.people
        if person.advisor_id == advisors[0].pk and person.associated_until is None
        for placement in person.placements
        if placement.ended_on is None and placement.is_work
    ]
    with_contact = [p for p in current if p.contact_id]
    if with_contact:
        left = rng.choice(with_contact)
        CompanyContact.objects.filter(pk=left.contact_id).update(
            active_until=builder.today - datetime.timedelta(days=7)
        )
        current = [p for p in current if p.person is not left.person] or current
    if current:
        expiring = rng.choice(current)
        Consent.objects.filter(
            job_customer_id=expiring.person.pk,
            company_id=expiring.company.pk,
            withdrawn_on__isnull=True,
        ).update(expires_on=builder.today + datetime.timedelta(days=21))


def demo_build(builder) -> None:
    """Add this issue's demo data to a `core.demo.DemoBuilder` run (after its people exist),
    then compute the early warnings for the day."""
    rng = builder.rng_for("alerts")
    demo_periods(builder, rng)
    demo_recent_contacts(builder, rng)
    demo_celebrations(builder, rng)
    builder.flush()
    demo_warning_stories(builder, rng)  # the daily job reads them through the ORM
    builder.log("  computing the early warnings")
    flags_refresh(on=builder.today)
    builder.count("Flag", Flag.objects.count())
