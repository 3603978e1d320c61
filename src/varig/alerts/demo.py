"""Demo data for issue 6 (early warnings, periods): one call from `core.demo`.

Some people get periods of progress, stability and setback (a few setbacks still open), and
then the daily job computes the early warnings, so "I dag" shows them at once.
"""

import datetime
import random

from django.utils import timezone

from varig.customers.models import ContactKind, ContactNote, JobCustomer

from .models import Flag, Period
from .services import flags_refresh

SETBACK_NOTES = [
    "Ny medicin; træt om morgenen.",
    "Dødsfald i den nære familie.",
    "Søvnproblemer; har meldt sig syg et par dage.",
    "Flytning og uro derhjemme.",
]
PROGRESS_NOTES = ["Mere overskud; taler om flere timer.", "Glad for opgaverne.", ""]


def demo_periods(*, today: datetime.date, rng: random.Random, share: float = 0.06) -> list[Period]:
    """Periods for a share of the associated people: a calm or good stretch, then for some a
    setback (open for the most recent ones)."""
    people = list(
        JobCustomer.objects.associated_on(today).order_by("pk").values_list("pk", flat=True)
    )
    rows: list[Period] = []
    for pk in people:
        if rng.random() >= share:
            continue
        start = today - datetime.timedelta(days=rng.randint(120, 400))
        first_kind = rng.choice([Period.Kind.PROGRESS, Period.Kind.STABLE])
        if rng.random() < 0.5:
            rows.append(
                Period(
                    job_customer_id=pk,
                    kind=first_kind,
                    started_on=start,
                    note=rng.choice(PROGRESS_NOTES),
                )
            )
            continue
        setback_start = today - datetime.timedelta(days=rng.randint(3, 100))
        rows.append(
            Period(
                job_customer_id=pk,
                kind=first_kind,
                started_on=start,
                ended_on=setback_start - datetime.timedelta(days=1),
                note=rng.choice(PROGRESS_NOTES),
            )
        )
        still_open = (today - setback_start).days < 40
        end = None if still_open else setback_start + datetime.timedelta(days=rng.randint(7, 30))
        length = ((end or today) - setback_start).days + 1
        rows.append(
            Period(
                job_customer_id=pk,
                kind=Period.Kind.SETBACK,
                started_on=setback_start,
                ended_on=end,
                sick_leave_days=rng.randint(0, min(length, 10)),
                note=rng.choice(SETBACK_NOTES),
            )
        )
        if end is not None:
            rows.append(
                Period(
                    job_customer_id=pk,
                    kind=Period.Kind.STABLE,
                    started_on=end + datetime.timedelta(days=1),
                )
            )
    return rows


RECENT_CONTACTS = [
    (ContactKind.PHONE, "Ringede for at høre, hvordan det går. Alt vel."),
    (ContactKind.CONVERSATION, "Vejledningssamtale om arbejdet og hverdagen."),
    (ContactKind.SMS, "Sms om næste møde."),
    (ContactKind.EMAIL, "Sendt materiale om kurset."),
]


def demo_recent_contacts(*, today: datetime.date, rng: random.Random, share: float = 0.85):
    """Most people have had contact with their advisor recently (the open door), so the
    "no contact for 60 days" warning picks out the few who have not."""
    people = JobCustomer.objects.associated_on(today).order_by("pk").values_list("pk", "advisor_id")
    rows = []
    for pk, advisor_id in people:
        if rng.random() >= share:
            continue
        kind, text = rng.choice(RECENT_CONTACTS)
        day = today - datetime.timedelta(days=rng.randint(0, 55))
        rows.append(
            ContactNote(
                job_customer_id=pk,
                kind=kind,
                occurred_at=timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(rng.randint(9, 15), 0))
                ),
                text=text,
                author_id=advisor_id,
            )
        )
    return rows


def demo_celebrations(*, today: datetime.date, rng: random.Random) -> list:
    """Celebrations for some anniversaries: held ones in the last 90 days, planned ones in the
    next 90 (about half of those still to be planned)."""
    from varig.placements.anniversaries import UPCOMING_DAYS, anniversaries_between
    from varig.placements.models import Celebration

    span = datetime.timedelta(days=UPCOMING_DAYS)
    rows = []
    for a in anniversaries_between(first=today - span, last=today + span):
        past = a.on < today
        if not past and rng.random() < 0.5:
            continue
        celebrate_on = a.on + datetime.timedelta(days=rng.randint(0, 14))
        held = past and celebrate_on < today
        rows.append(
            Celebration(
                job_customer=a.job_customer,
                company=a.company,
                years=a.years,
                anniversary_on=a.on,
                employed_since=a.employed_since,
                celebrate_on=celebrate_on,
                invite_company=True,
                invite_colleagues=True,
                invite_relatives=rng.random() < 0.7,
                status=Celebration.Status.HELD if held else Celebration.Status.PLANNED,
                note="Kage og taler i vores lokaler." if held else "",
            )
        )
    return rows


def demo_build(builder) -> None:
    """Add this issue's demo data to a `core.demo.DemoBuilder` run (after its people exist)."""
    rng = random.Random(builder.seed * 7919 + 6)
    builder._bulk(Period, demo_periods(today=builder.today, rng=rng))
    builder._bulk(ContactNote, demo_recent_contacts(today=builder.today, rng=rng))
    from varig.placements.models import Celebration

    builder._bulk(Celebration, demo_celebrations(today=builder.today, rng=rng))
    builder.log("  computing the early warnings")
    flags_refresh(on=builder.today)
    builder._count("Flag", Flag.objects.count())


def demo_tables() -> list:
    """This issue's tables, in the order a raw delete must clear them (before the people)."""
    from varig.placements.models import Celebration

    return [Flag, Period, Celebration]
