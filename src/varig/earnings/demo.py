"""Demo data for the earnings guide (`varig demo`): pension savings for some of the persons in
work (started some months into their job, a few stopped again) and saved calculations for
the persons of the first caseload in work and a bounded number of others. Registered in
core.demo.APP_DEMO.

Draws from its own Random (`builder.rng_for("earnings")`); rows go through the bulk writer.
The calculator needs a municipal tax, which the seed does not have: for the demo year the
municipalities the demo's persons live in get one, marked unverified and as demo data.
Saved calculations with the same hours and wage share one computed snapshot (a few dozen
calculations whatever the scale).
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from varig.core.models import Role

from .models import PensionSaving, Rate, SavedCalculation
from .rates import KEYS, Confidence, RateKey

SAVING_SHARE = 0.35  # of the persons in work now
STOPPED_SHARE = 0.12  # of the savings
OTHER_CALCULATIONS = 250  # saved calculations beyond the first caseload, at most
DEMO_MUNICIPAL_TAX = Decimal("25.07")  # about the national average; not a municipality's own
NOTES = [
    "4 % gennem jobbets pensionsordning",
    "Arbejdsgiverens pensionsordning fra første dag",
    "Egen ratepension i banken, 500 kr. om måneden",
    "",
    "",
]
TITLES = ["", "", "Nuværende job", "Flere timer?", "Hvis lønnen stiger"]


def _demo_year():
    from .selectors import calculator_year_choices

    return calculator_year_choices().default


def _ensure_municipal_tax(year: int, municipalities: set[str]) -> None:
    have = set(
        Rate.objects.current()
        .filter(year=year, key=RateKey.MUNICIPAL_TAX, municipality__in=municipalities)
        .values_list("municipality", flat=True)
    )
    Rate.objects.bulk_create(
        [
            Rate(
                year=year,
                key=RateKey.MUNICIPAL_TAX,
                municipality=name,
                value=DEMO_MUNICIPAL_TAX,
                unit=KEYS[RateKey.MUNICIPAL_TAX].unit,
                publisher="Varig demodata",
                source_title="Eksempel til demo, ikke kommunens egen sats",
                retrieved_on=timezone.localdate(),
                confidence=Confidence.UNVERIFIED,
                note="Lagt ind af varig demo. Ret den til kommunens sats fra skat.dk.",
            )
            for name in sorted(municipalities - have)
        ]
    )


def make_demo_data(builder) -> None:
    rng = builder.rng_for("earnings")
    today = builder.today
    advisors = builder.staff.get(Role.ADVISOR) or []
    first_advisor = advisors[0].pk if advisors else None
    working = []  # (person, the current work placement)
    for person in builder.people:
        if person.associated_until is not None:
            continue
        current = [pl for pl in person.placements if pl.is_work and pl.ended_on is None]
        if current:
            working.append((person, current[-1]))

    savings = builder.table(PensionSaving)
    now = timezone.now()
    for person, job in working:
        if rng.random() >= SAVING_SHARE:
            continue
        room = (today - job.started_on).days
        if room < 30:
            continue
        started = job.started_on + datetime.timedelta(days=rng.randint(14, min(room, 400)))
        stopped = None
        if rng.random() < STOPPED_SHARE and (today - started).days > 60:
            stopped = started + datetime.timedelta(days=rng.randint(30, (today - started).days))
        savings.add(
            job_customer_id=person.pk,
            started_on=started,
            stopped_on=stopped,
            note=rng.choice(NOTES),
            created_at=now,
        )

    first = [(p, j) for p, j in working if p.advisor_id == first_advisor and j.hours_per_week]
    others = [(p, j) for p, j in working if p.advisor_id != first_advisor and j.hours_per_week]
    chosen = first + rng.sample(others, min(OTHER_CALCULATIONS, len(others)))
    if chosen:
        _saved_calculations(builder, rng, chosen, now)


def _saved_calculations(builder, rng, chosen, now) -> None:
    from varig.customers.models import JobCustomer

    from . import saved as snapshot
    from .calculator import Inputs, inputs_to_dict
    from .rates import municipality_match
    from .selectors import calculation, rate_book

    year = _demo_year()
    names = dict(
        JobCustomer.objects.filter(pk__in=[p.pk for p, _j in chosen]).values_list(
            "pk", "municipality"
        )
    )
    places = {pk: municipality_match(name) or "København" for pk, name in names.items()}
    _ensure_municipal_tax(year, set(places.values()))
    books: dict[str, dict] = {}
    answers: dict[tuple, tuple | None] = {}
    table = builder.table(SavedCalculation)

    for person, job in chosen:
        municipality = places.get(person.pk, "København")
        if municipality not in books:
            books[municipality] = rate_book(year=year, municipality=municipality).rates
        hours = Decimal(job.hours_per_week).quantize(Decimal(1)) or Decimal(1)
        wage = (Decimal(job.hourly_wage or 140) / 5).quantize(Decimal(1)) * 5
        key = (municipality, hours, wage)
        if key not in answers:
            inputs = Inputs(
                year=year, hours_per_week=hours, hourly_wage=wage, municipality=municipality
            )
            page = calculation(inputs=inputs, rates=books[municipality])
            answers[key] = (
                None
                if page.refused
                else (
                    inputs_to_dict(inputs),
                    snapshot.result_to_dict(page.result),
                    [snapshot.rate_to_dict(rate) for rate in page.rates_used],
                    page.result.kept_per_month.quantize(Decimal("0.01")),
                )
            )
        answer = answers[key]
        if answer is None:
            continue
        inputs, results, rates, kept = answer
        made = now - datetime.timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 600))
        table.add(
            job_customer_id=person.pk,
            title=rng.choice(TITLES),
            year=year,
            pension_rules="after_2003",
            inputs=inputs,
            results=results,
            rates=rates,
            hours_per_week=hours,
            hourly_wage=wage,
            kept_per_month=kept,
            created_by_id=person.advisor_id,
            created_at=made,
        )
