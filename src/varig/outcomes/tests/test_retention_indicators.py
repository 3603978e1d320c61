"""The Resultater indicators against small hand-made examples."""

import datetime

import pytest
from django.utils import timezone

from varig.customers.models import ContactNote
from varig.customers.tests.factories import make_job_customer
from varig.employers.tests.factories import make_company
from varig.outcomes.selectors import (
    caseload,
    employer_diversity,
    first_contact,
    followup_compliance,
    job_types,
    progression,
)
from varig.placements.models import FollowUp, TierChange
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db

REF = datetime.date(2024, 12, 31)
PERIOD = {"first_year": 2020, "last_year": 2024, "reference": REF}
D = datetime.date


def test_progression_within_12_and_24_months():
    a = make_placement(started_on=D(2021, 1, 1))
    TierChange.objects.create(placement=a, tier="peripheral", changed_on=D(2021, 6, 1))
    TierChange.objects.create(placement=a, tier="core", changed_on=D(2022, 6, 1))  # month 17
    b = make_placement(started_on=D(2021, 1, 1))
    TierChange.objects.create(placement=b, tier="peripheral", changed_on=D(2022, 3, 1))
    make_placement(started_on=D(2021, 1, 1))  # stays marginal
    p = make_placement(started_on=D(2021, 1, 1), kind="praktik")  # not work: ignored
    TierChange.objects.create(placement=p, tier="core", changed_on=D(2021, 2, 1))
    # Started less than 24 months before the reference date: only in the 12-month figure.
    late = make_placement(started_on=D(2023, 6, 1))
    TierChange.objects.create(placement=late, tier="core", changed_on=D(2023, 9, 1))
    twelve, twentyfour = progression(**PERIOD)
    assert (twelve.months, twelve.persons, twelve.to_peripheral, twelve.to_core) == (12, 4, 2, 1)
    assert (twentyfour.persons, twentyfour.to_peripheral, twentyfour.to_core) == (3, 2, 1)
    assert twentyfour.peripheral_share == pytest.approx(2 / 3)


def _followup(jc, *, window_end, status="planned", held_on=None):
    return FollowUp.objects.create(
        job_customer=jc,
        kind="extra",
        due_on=window_end - datetime.timedelta(days=5),
        window_start=window_end - datetime.timedelta(days=10),
        window_end=window_end,
        status=status,
        held_on=held_on,
    )


def test_followup_compliance_overall_and_per_advisor(advisor, other_advisor):
    a = make_job_customer(advisor=advisor)
    b = make_job_customer(advisor=other_advisor)
    end = D(2024, 3, 20)
    _followup(a, window_end=end, status="held", held_on=end)  # in window (last day)
    _followup(a, window_end=end, status="held", held_on=end + datetime.timedelta(days=1))  # late
    _followup(a, window_end=end)  # never held
    _followup(a, window_end=end, status="cancelled")  # not counted
    _followup(b, window_end=end, status="held", held_on=end - datetime.timedelta(days=10))
    _followup(b, window_end=D(2025, 3, 1))  # window not closed by the reference date
    overall, per_advisor = followup_compliance(**PERIOD)
    assert (overall.due, overall.held, overall.held_in_window) == (4, 3, 2)
    assert overall.share_of_due == pytest.approx(0.5)
    assert overall.share_of_held == pytest.approx(2 / 3)
    rows = {c.label: (c.due, c.held, c.held_in_window) for c in per_advisor}
    assert rows == {"Vera Vejleder": (3, 2, 1), "Ole Vejleder": (1, 1, 1)}
    _o, only_b = followup_compliance(**PERIOD, advisor=other_advisor)
    assert [(c.label, c.due) for c in only_b] == [("Ole Vejleder", 1)]


def test_caseload_counts_associated_persons_per_advisor(advisor, other_advisor):
    make_job_customer(advisor=advisor, associated_from=D(2024, 1, 1))
    make_job_customer(advisor=advisor, associated_from=D(2024, 1, 1), associated_until=REF)
    make_job_customer(advisor=advisor, associated_from=D(2025, 1, 1))  # after the date
    make_job_customer(advisor=other_advisor, associated_from=D(2023, 1, 1))
    assert caseload(reference=REF) == [
        {"advisor": "Ole Vejleder", "persons": 1},
        {"advisor": "Vera Vejleder", "persons": 2},
    ]


def test_first_employer_contact_median_days():
    tz = timezone.get_current_timezone()
    a = make_job_customer(associated_from=D(2024, 1, 1))
    ContactNote.objects.create(
        job_customer=a,
        occurred_at=datetime.datetime(2024, 1, 11, 12, tzinfo=tz),
        company=make_company(),
        text="x",
    )  # 10 days
    ContactNote.objects.create(  # a note without a company does not count
        job_customer=a, occurred_at=datetime.datetime(2024, 1, 2, 12, tzinfo=tz), text="y"
    )
    b = make_job_customer(associated_from=D(2024, 1, 1))
    ContactNote.objects.create(
        job_customer=b,
        occurred_at=datetime.datetime(2024, 3, 1, 12, tzinfo=tz),
        company=make_company(),
        text="x",
    )
    make_placement(job_customer=b, started_on=D(2024, 1, 31))  # earlier: 30 days
    make_job_customer(associated_from=D(2024, 1, 1))  # no contact yet
    result = first_contact(**PERIOD)
    assert result == {"persons": 3, "with_contact": 2, "median_days": 20.0}


def test_employer_and_job_type_diversity():
    companies = [make_company() for _ in range(11)]
    for _ in range(5):
        make_placement(company=companies[0], started_on=D(2023, 1, 1))
    for c in companies[1:]:
        make_placement(company=c, started_on=D(2023, 1, 1), kind="fleksjob")
    make_placement(company=companies[1], started_on=D(2019, 1, 1))  # before the period
    d = employer_diversity(**PERIOD)
    # 11 companies -> the top 10 % is 2 companies: 5 + 1 of 15 placements.
    assert d == {"placements": 15, "companies": 11, "top_companies": 2, "top_share": 6 / 15}
    kinds = {kind: n for kind, _label, n in job_types(**PERIOD)}
    assert kinds == {"praktik": 0, "skaanejob": 5, "fleksjob": 10, "ordinaert": 0}


def test_first_employer_contact_counts_the_danish_date():
    """A note at 00:30 Danish time on 11 January is stored as 10 January 23:30 UTC; the
    figure counts the day the advisor and the company talked: 11 January."""
    tz = timezone.get_current_timezone()
    a = make_job_customer(associated_from=D(2024, 1, 1))
    ContactNote.objects.create(
        job_customer=a,
        occurred_at=datetime.datetime(2024, 1, 11, 0, 30, tzinfo=tz),
        company=make_company(),
        text="x",
    )
    assert first_contact(**PERIOD)["median_days"] == 10.0
    # Summer time: 00:30 on 1 July is 30 June 22:30 UTC.
    b = make_job_customer(associated_from=D(2024, 6, 1))
    ContactNote.objects.create(
        job_customer=b,
        occurred_at=datetime.datetime(2024, 7, 1, 0, 30, tzinfo=tz),
        company=make_company(),
        text="y",
    )
    period = {**PERIOD, "first_year": 2024}
    assert first_contact(**period)["median_days"] == 20.0  # (10 + 30) / 2


def test_indicators_follow_the_advisor_filter(advisor, other_advisor):
    mine = make_job_customer(advisor=advisor, associated_from=D(2021, 1, 1))
    theirs = make_job_customer(advisor=other_advisor, associated_from=D(2021, 1, 1))
    a = make_placement(job_customer=mine, started_on=D(2021, 1, 11))
    TierChange.objects.create(placement=a, tier="core", changed_on=D(2021, 6, 1))
    make_placement(job_customer=theirs, started_on=D(2021, 2, 1))
    _followup(theirs, window_end=D(2024, 3, 20), status="held", held_on=D(2024, 3, 20))
    twelve, _ = progression(**PERIOD, advisor=advisor)
    assert (twelve.persons, twelve.to_core) == (1, 1)
    twelve, _ = progression(**PERIOD, advisor=other_advisor)
    assert (twelve.persons, twelve.to_core) == (1, 0)
    overall, rows = followup_compliance(**PERIOD, advisor=advisor)
    assert (overall.due, rows) == (0, [])
    assert first_contact(**PERIOD, advisor=advisor)["median_days"] == 10.0
    assert employer_diversity(**PERIOD, advisor=other_advisor)["placements"] == 1
    assert caseload(reference=REF, advisor=advisor) == [{"advisor": "Vera Vejleder", "persons": 1}]
