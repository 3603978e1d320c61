"""Demo data for the employer collaboration (`varig demo`): each company's employer consultant,
what it has been told about the offers, and support requests (the open door) from companies
and job customers with their answers.

Called by `core.demo.DemoBuilder` (listed in `APP_DEMO`) after the companies and placements
exist. Draws from `builder.rng_for("employers")`, so the rest of the demo data does not shift
when this module changes; rows go through `builder.table(Model).add(...)` (no audit entries, as
for all demo data).
"""

import datetime
import zoneinfo

from django.conf import settings

from varig.core.models import Role

from .models import Company, Offer, OnboardingItem, SupportRequest

DEMO_NOTES = ["Ved første møde", "I telefonen", "Med velkomstpakken", "Ved trepartsmødet", ""]
COMPANY_SUBJECTS = [
    "Spørgsmål om løntilskud til skånejob",
    "Hjælp til kontrakten",
    "Hvordan registrerer vi praktikken i Vitas?",
    "Medarbejderen er kommet for sent flere gange",
    "Ny leder: hvem skal være kontaktperson?",
    "Kan timetallet sættes op?",
    "Refusion ved sygdom",
    "Medarbejderen virker presset for tiden",
    "Spørgsmål om ferie og fridage",
]
PERSON_SUBJECTS = [
    "Spørgsmål om pension og løn",
    "Svært på arbejdet for tiden",
    "Vil gerne have flere timer",
    "Brev fra kommunen",
    "Konflikt med en kollega",
    "Vil gerne på kursus",
    "Skal jeg melde ændringen til Udbetaling Danmark?",
]
RESOLUTIONS = [
    "Ringede tilbage og aftalte et møde.",
    "Svarede på mail med vejledningen.",
    "Hjalp med at udfylde papirerne.",
    "Tog en snak med kontaktpersonen.",
    "Henviste til jobcentret og fulgte op.",
]
CHANNELS = ["phone"] * 6 + ["email"] * 3 + ["sms"] * 2 + ["in_person", "other"]
URGENCIES = ["urgent"] + ["normal"] * 5 + ["low"] * 2
# Minutes to the first answer: most within the hour, some the next day, a few later.
WAITS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 60 * 20, 60 * 26, 60 * 50, 60 * 96]
REQUEST_DAYS = 180


def make_demo(builder) -> None:
    """Consultants for the companies, their onboarding checklists and support requests."""
    rng = builder.rng_for("employers")
    consultants = builder.staff[Role.CONSULTANT] or builder.staff[Role.ADVISOR]
    companies = sorted(builder.companies, key=lambda c: c.pk)
    consultant_of = _assign_consultants(rng, companies, consultants)
    _onboarding(builder, rng, companies, consultant_of)
    _support_requests(builder, rng, companies, consultant_of)


def _assign_consultants(rng, companies, consultants) -> dict:
    by_consultant: dict[int, list[int]] = {}
    consultant_of: dict[int, object] = {}
    for company in companies:
        consultant = rng.choice(consultants)
        consultant_of[company.pk] = consultant
        by_consultant.setdefault(consultant.pk, []).append(company.pk)
    for consultant_pk, pks in by_consultant.items():
        for start in range(0, len(pks), 500):
            Company.objects.filter(pk__in=pks[start : start + 500]).update(
                consultant_id=consultant_pk
            )
    return consultant_of


def _onboarding(builder, rng, companies, consultant_of) -> None:
    today = builder.today
    history: dict[int, list] = {}
    for person in builder.people:
        for placement in person.placements:
            history.setdefault(placement.company.pk, []).append(placement.started_on)
    table = builder.table(OnboardingItem)
    made = 0
    for company in companies:
        starts = history.get(company.pk, [])
        # Companies with a longer history with us know more of the offers (the report).
        chance = 0.15 + 0.12 * min(len(starts), 6)
        earliest = min(starts) if starts else today - datetime.timedelta(days=rng.randint(30, 700))
        earliest = min(earliest, today)
        for offer in Offer.values:
            if rng.random() >= chance:
                continue
            span = max(0, (today - earliest).days)
            table.add(
                company_id=company.pk,
                offer=offer,
                told_on=earliest + datetime.timedelta(days=rng.randint(0, span)),
                told_by_id=consultant_of[company.pk].pk,
                note=rng.choice(DEMO_NOTES),
            )
            made += 1
    builder.count("OnboardingItem", made)


def _moment(rng, day: datetime.date) -> datetime.datetime:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime(
        day.year, day.month, day.day, rng.randint(8, 15), rng.randint(0, 59), tzinfo=zone
    )


def _support_requests(builder, rng, companies, consultant_of) -> None:
    """Requests over the last six months; most answered within the hour, most settled; a few
    open ones for the first advisor's "I dag" and the first company's page."""
    today = builder.today
    now = _moment(rng, today).replace(hour=16)
    table = builder.table(SupportRequest)
    advisors = builder.staff[Role.ADVISOR]
    first_advisor = advisors[0].pk if advisors else None
    placed_people = [p for p in builder.people if p.placements]
    n_company = max(8, len(companies) // 2)
    n_person = max(8, len(builder.people) // 4)
    made = 0

    def add(*, source, subject, responsible_id, company_id=None, contact_id=None,
            job_customer_id=None, days_ago=None, open_=False, answered=True):  # fmt: skip
        nonlocal made
        if days_ago is None:
            # Requests still waiting came in lately; answered ones over the last six months.
            days_ago = rng.randint(0, REQUEST_DAYS) if answered else rng.randint(0, 3)
        day = today - datetime.timedelta(days=days_ago)
        received = _moment(rng, day)
        if received > now:
            received = now - datetime.timedelta(hours=1)
        first = closed = None
        if answered:
            first = min(now, received + datetime.timedelta(minutes=rng.choice(WAITS)))
            if not open_ and rng.random() < 0.85:
                closed = min(now, first + datetime.timedelta(hours=rng.randint(0, 72)))
        table.add(
            source=source,
            company_id=company_id,
            contact_id=contact_id,
            job_customer_id=job_customer_id,
            channel=rng.choice(CHANNELS),
            urgency=rng.choice(URGENCIES),
            subject=subject,
            received_at=received,
            received_by_id=responsible_id,
            responsible_id=responsible_id,
            first_response_at=first,
            first_response_by_id=responsible_id if first else None,
            closed_at=closed,
            closed_by_id=responsible_id if closed else None,
            resolution=rng.choice(RESOLUTIONS) if closed else "",
        )
        made += 1

    for _ in range(n_company):
        company = rng.choice(companies)
        add(
            source=SupportRequest.Source.COMPANY,
            company_id=company.pk,
            contact_id=rng.choice(company.contacts) if company.contacts else None,
            subject=rng.choice(COMPANY_SUBJECTS),
            responsible_id=consultant_of[company.pk].pk,
            answered=rng.random() < 0.95,
        )
    for _ in range(n_person):
        person = rng.choice(placed_people or builder.people)
        add(
            source=SupportRequest.Source.JOB_CUSTOMER,
            job_customer_id=person.pk,
            subject=rng.choice(PERSON_SUBJECTS),
            responsible_id=person.advisor_id,
            answered=rng.random() < 0.95,
        )
    # Open ones to see at once: the first advisor's persons, the first company.
    mine = [p for p in builder.people if p.advisor_id == first_advisor][:3]
    for days_ago, person in enumerate(mine):
        add(
            source=SupportRequest.Source.JOB_CUSTOMER,
            job_customer_id=person.pk,
            subject=PERSON_SUBJECTS[days_ago % len(PERSON_SUBJECTS)],
            responsible_id=first_advisor,
            days_ago=days_ago,
            open_=True,
            answered=days_ago == 2,
        )
    if companies:
        first = companies[0]
        add(
            source=SupportRequest.Source.COMPANY,
            company_id=first.pk,
            subject=COMPANY_SUBJECTS[0],
            responsible_id=consultant_of[first.pk].pk,
            days_ago=1,
            open_=True,
            answered=False,
        )
    builder.count("SupportRequest", made)
