"""The outcome definitions at every edge (DESIGN.md, "Outcome definitions (exact)")."""

import datetime

import pytest

from varig.customers.tests.factories import make_job_customer
from varig.outcomes.selectors import (
    job_gap,
    kaplan_meier,
    retention_curves,
    retention_on,
    retention_series,
    year_end_dates,
)
from varig.placements.models import Placement
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db

D = datetime.date(2024, 6, 30)
DAY = datetime.timedelta(days=1)


def counts(day=D, advisor=None):
    row = retention_on(day, advisor=advisor)
    return row.associated, row.in_work, row.in_desired_job


def test_association_ending_on_the_reference_date_counts():
    make_job_customer(associated_from=D - 10 * DAY, associated_until=D)
    assert counts() == (1, 0, 0)


def test_association_starting_on_the_reference_date_counts_and_the_day_after_does_not():
    make_job_customer(associated_from=D)
    make_job_customer(associated_from=D + DAY)
    make_job_customer(associated_from=D - 30 * DAY, associated_until=D - DAY)
    assert counts() == (1, 0, 0)


def test_placement_ending_on_the_reference_date_counts():
    jc = make_job_customer(associated_from=D - 100 * DAY)
    make_placement(job_customer=jc, started_on=D - 50 * DAY, ended_on=D)
    assert counts() == (1, 1, 0)


def test_placement_starting_the_day_after_does_not_count():
    jc = make_job_customer(associated_from=D - 100 * DAY)
    make_placement(job_customer=jc, started_on=D + DAY, desired_job=True)
    assert counts() == (1, 0, 0)


def test_placement_starting_on_the_reference_date_counts():
    jc = make_job_customer(associated_from=D - 100 * DAY)
    make_placement(job_customer=jc, started_on=D)
    assert counts() == (1, 1, 0)


def test_placement_ended_the_day_before_does_not_count():
    jc = make_job_customer(associated_from=D - 100 * DAY)
    make_placement(job_customer=jc, started_on=D - 50 * DAY, ended_on=D - DAY)
    assert counts() == (1, 0, 0)


def test_two_jobs_count_once():
    jc = make_job_customer(associated_from=D - 100 * DAY)
    make_placement(job_customer=jc, started_on=D - 50 * DAY, kind=Placement.Kind.FLEKSJOB)
    make_placement(job_customer=jc, started_on=D - 20 * DAY, kind=Placement.Kind.ORDINAERT)
    make_placement(job_customer=jc, started_on=D - 20 * DAY, desired_job=True)
    make_placement(job_customer=jc, started_on=D - 10 * DAY, desired_job=True)
    assert counts() == (1, 1, 1)


@pytest.mark.parametrize("kind", ["skaanejob", "fleksjob", "ordinaert"])
def test_every_work_kind_is_work(kind):
    jc = make_job_customer(associated_from=D - 100 * DAY)
    make_placement(job_customer=jc, started_on=D - 5 * DAY, kind=kind)
    assert counts() == (1, 1, 0)


def test_praktik_is_not_work_even_when_desired():
    jc = make_job_customer(associated_from=D - 100 * DAY)
    make_placement(job_customer=jc, started_on=D - 5 * DAY, kind="praktik", desired_job=True)
    assert counts() == (1, 0, 0)


def test_desired_job_only_via_a_work_placement_active_that_day():
    jc = make_job_customer(associated_from=D - 100 * DAY)
    # In work that day, but the desired job ended the day before.
    make_placement(job_customer=jc, started_on=D - 50 * DAY)
    make_placement(job_customer=jc, started_on=D - 90 * DAY, ended_on=D - DAY, desired_job=True)
    assert counts() == (1, 1, 0)


def test_work_outside_the_association_does_not_count():
    jc = make_job_customer(associated_from=D - 100 * DAY, associated_until=D - DAY)
    make_placement(job_customer=jc, started_on=D - 50 * DAY, desired_job=True)
    assert counts() == (0, 0, 0)


def test_coefficient_is_in_work_over_associated_and_zero_when_none():
    assert retention_on(D).coefficient == 0.0
    for i in range(4):
        jc = make_job_customer(associated_from=D - 100 * DAY)
        if i < 3:
            make_placement(job_customer=jc, started_on=D - 5 * DAY, desired_job=i == 0)
    row = retention_on(D)
    assert (row.associated, row.in_work, row.in_desired_job) == (4, 3, 1)
    assert row.coefficient == pytest.approx(0.75)
    assert row.as_dict() == {
        "reference_date": "2024-06-30",
        "associated": 4,
        "in_work": 3,
        "in_desired_job": 1,
        "coefficient": 0.75,
    }


def test_advisor_filter(advisor, other_advisor):
    jc = make_job_customer(associated_from=D - 100 * DAY, advisor=advisor)
    make_placement(job_customer=jc, started_on=D - 5 * DAY)
    make_job_customer(associated_from=D - 100 * DAY, advisor=other_advisor)
    assert counts(advisor=advisor) == (1, 1, 0)
    assert counts(advisor=other_advisor) == (1, 0, 0)
    assert counts() == (2, 1, 0)


def test_series_over_many_dates_matches_single_dates(django_assert_max_num_queries):
    jc = make_job_customer(associated_from=datetime.date(2015, 3, 1))
    make_placement(
        job_customer=jc, started_on=datetime.date(2017, 5, 1), ended_on=datetime.date(2019, 12, 31)
    )
    make_job_customer(
        associated_from=datetime.date(2018, 1, 1), associated_until=datetime.date(2020, 12, 31)
    )
    dates = year_end_dates(2014, 2025)
    with django_assert_max_num_queries(2):
        rows = retention_series(dates)
    got = [(r.reference_date.year, r.associated, r.in_work) for r in rows]
    assert got == [
        (2014, 0, 0),
        (2015, 1, 0),
        (2016, 1, 0),
        (2017, 1, 1),
        (2018, 2, 1),
        (2019, 2, 1),
        (2020, 2, 0),
        (2021, 1, 0),
        (2022, 1, 0),
        (2023, 1, 0),
        (2024, 1, 0),
        (2025, 1, 0),
    ]


def test_year_end_dates_are_31_december_and_today_for_the_current_year():
    assert year_end_dates(2016, 2019) == [datetime.date(y, 12, 31) for y in range(2016, 2020)]
    today = datetime.date(2026, 11, 27)
    assert year_end_dates(2024, 2027, today=today) == [
        datetime.date(2024, 12, 31),
        datetime.date(2025, 12, 31),
        today,
    ]


# --- Kaplan-Meier ---------------------------------------------------------------------------


def test_kaplan_meier_by_hand():
    # Durations (months): 2, 3+, 5, 5, 8+, 10  (+ = censored); n = 6.
    # t=2: 6 at risk, 1 event -> S = 5/6
    # t=3: censored one leaves -> 4 at risk
    # t=5: 4 at risk, 2 events -> S = 5/6 * 2/4 = 5/12
    # t=8: censored -> 1 at risk;  t=10: 1 event -> S = 0
    groups = [(2, 1, 0), (3, 0, 1), (5, 2, 0), (8, 0, 1), (10, 1, 0)]
    points = kaplan_meier(groups)
    assert points == [
        (0, 1.0),
        (2, pytest.approx(5 / 6)),
        (5, pytest.approx(5 / 12)),
        (10, 0.0),
    ]


def test_kaplan_meier_ties_events_before_censoring():
    # At t=4 one event and one censoring among 3: S = 2/3, then 1 at risk.
    points = kaplan_meier([(4, 1, 1), (6, 1, 0)])
    assert points == [(0, 1.0), (4, pytest.approx(2 / 3)), (6, 0.0)]


def test_retention_curve_from_placements_by_cohort():
    ref = datetime.date(2024, 12, 31)
    start = datetime.date(2023, 1, 1)
    # 2023 cohort: ends after ~2 months (event), ~5 months (event), open (censored at ref),
    # a praktik (ignored), one ending after the reference date (censored).
    make_placement(started_on=start, ended_on=datetime.date(2023, 2, 28))  # 59 days -> 1 month
    make_placement(started_on=start, ended_on=datetime.date(2023, 6, 1))  # 152 days -> 4 months
    make_placement(started_on=start)  # open: 731 days -> 24 months, censored
    make_placement(started_on=start, kind="praktik", ended_on=datetime.date(2023, 1, 5))
    make_placement(started_on=start, ended_on=datetime.date(2025, 3, 1))  # censored at ref
    make_placement(started_on=datetime.date(2024, 3, 1), ended_on=datetime.date(2024, 3, 31))
    curves = retention_curves(first_year=2023, last_year=2024, reference=ref)
    assert [c.label for c in curves] == ["2023", "2024"]
    c2023 = curves[0]
    assert c2023.placements == 4
    # 4 at risk: event at 1 -> 3/4; event at 4 -> 3/4 * 2/3 = 1/2; two censored at 24.
    assert c2023.points == [(0, 1.0), (1, pytest.approx(0.75)), (4, pytest.approx(0.5))]
    assert c2023.at(12) == pytest.approx(0.5)
    assert c2023.at(0) == 1.0
    assert c2023.max_followed == 24
    c2024 = curves[1]
    assert c2024.points == [(0, 1.0), (1, 0.0)]


def test_job_gap_median_in_days():
    jc = make_job_customer(associated_from=datetime.date(2020, 1, 1))
    make_placement(
        job_customer=jc, started_on=datetime.date(2021, 1, 1), ended_on=datetime.date(2021, 3, 31)
    )
    make_placement(job_customer=jc, started_on=datetime.date(2021, 4, 10))  # gap 10 days
    other = make_job_customer(associated_from=datetime.date(2020, 1, 1))
    make_placement(
        job_customer=other,
        started_on=datetime.date(2021, 1, 1),
        ended_on=datetime.date(2021, 6, 30),
    )
    make_placement(  # praktik is not the next job
        job_customer=other, kind="praktik", started_on=datetime.date(2021, 7, 1)
    )
    make_placement(job_customer=other, started_on=datetime.date(2021, 8, 30))  # gap 61 days
    make_placement(job_customer=other, started_on=datetime.date(2022, 1, 1))  # not the next
    third = make_job_customer(associated_from=datetime.date(2020, 1, 1))
    make_placement(
        job_customer=third, started_on=datetime.date(2021, 1, 1), ended_on=datetime.date(2021, 2, 1)
    )
    result = job_gap(first_year=2021, last_year=2021, reference=datetime.date(2024, 1, 1))
    assert result == {"ended": 3, "with_next": 2, "without_next": 1, "median_days": 35.5}


def test_a_job_that_continues_as_another_job_is_one_employment():
    """A skånejob that becomes a fleksjob (the fleksjob continues it) has not been left: the
    curve follows the employment from the first start to the last day."""
    ref = datetime.date(2024, 12, 31)
    jc = make_job_customer(associated_from=datetime.date(2022, 1, 1))
    first = make_placement(
        job_customer=jc,
        kind="skaanejob",
        started_on=datetime.date(2023, 1, 1),
        ended_on=datetime.date(2023, 3, 31),
    )
    second = make_placement(
        job_customer=jc,
        kind="fleksjob",
        started_on=datetime.date(2023, 4, 1),
        ended_on=datetime.date(2023, 8, 31),
        previous=first,
    )
    make_placement(  # a third link, still open: the employment is censored at the reference
        job_customer=jc, kind="ordinaert", started_on=datetime.date(2023, 9, 1), previous=second
    )
    # A praktik that became a job: the job is the employment's start.
    praktik = make_placement(
        kind="praktik", started_on=datetime.date(2023, 1, 1), ended_on=datetime.date(2023, 1, 31)
    )
    make_placement(
        job_customer=praktik.job_customer,
        started_on=datetime.date(2023, 2, 1),
        ended_on=datetime.date(2023, 4, 30),  # 89 days: an event at month 2
        previous=praktik,
    )
    [c2023] = retention_curves(first_year=2023, last_year=2024, reference=ref)
    assert c2023.placements == 2
    # Two employments: one ends at month 2 (S = 1/2), one runs 731 days (censored at 24).
    assert c2023.points == [(0, 1.0), (2, 0.5)]
    assert c2023.max_followed == 24

    # Ended by the reference date: the whole employment is one event.
    Placement.objects.filter(started_on=datetime.date(2023, 9, 1)).update(
        ended_on=datetime.date(2024, 6, 30)
    )
    [c2023] = retention_curves(first_year=2023, last_year=2024, reference=ref)
    # 2023-01-01 to 2024-06-30 = 547 days = 17 months.
    assert c2023.points == [(0, 1.0), (2, 0.5), (17, 0.0)]


def test_a_continued_job_is_no_end_before_the_next_job():
    jc = make_job_customer(associated_from=datetime.date(2020, 1, 1))
    first = make_placement(
        job_customer=jc, started_on=datetime.date(2021, 1, 1), ended_on=datetime.date(2021, 3, 31)
    )
    make_placement(  # continues the first: not a new job, and the first did not end
        job_customer=jc,
        kind="fleksjob",
        started_on=datetime.date(2021, 4, 1),
        ended_on=datetime.date(2021, 6, 30),
        previous=first,
    )
    make_placement(job_customer=jc, started_on=datetime.date(2021, 7, 20))  # 20 days later
    result = job_gap(first_year=2021, last_year=2021, reference=datetime.date(2024, 1, 1))
    assert result == {"ended": 1, "with_next": 1, "without_next": 0, "median_days": 20.0}


def test_curve_and_gap_follow_the_advisor_filter(advisor, other_advisor):
    mine = make_job_customer(advisor=advisor)
    theirs = make_job_customer(advisor=other_advisor)
    for jc, end in ((mine, datetime.date(2023, 2, 28)), (theirs, datetime.date(2023, 6, 1))):
        make_placement(job_customer=jc, started_on=datetime.date(2023, 1, 1), ended_on=end)
    make_placement(job_customer=mine, started_on=datetime.date(2023, 3, 10))
    ref = datetime.date(2024, 12, 31)
    [curve] = retention_curves(first_year=2023, last_year=2023, reference=ref, advisor=advisor)
    assert curve.placements == 2
    gap = job_gap(first_year=2023, last_year=2023, reference=ref, advisor=other_advisor)
    assert gap == {"ended": 1, "with_next": 0, "without_next": 1, "median_days": None}
    assert (
        job_gap(first_year=2023, last_year=2023, reference=ref, advisor=advisor)["median_days"]
        == 10.0
    )


def _by_definition(day, advisor=None):
    """The definition itself, one date at a time (DESIGN.md), for comparison."""
    from django.db.models import Exists, OuterRef

    from varig.customers.models import JobCustomer

    people = JobCustomer.objects.associated_on(day)
    if advisor is not None:
        people = people.filter(advisor=advisor)
    work = Placement.objects.active_on(day).work().filter(job_customer=OuterRef("pk"))
    return (
        people.count(),
        people.filter(Exists(work)).count(),
        people.filter(Exists(work.filter(desired_job=True))).count(),
    )


def test_series_matches_the_definition_on_overlapping_random_histories(advisor):
    """Overlapping, nested, adjacent, open and same-day placements, associations that end
    and start again around them: every date's figures equal the definition's."""
    import random

    rng = random.Random(7)
    base = datetime.date(2020, 1, 1)
    kinds = ["praktik", "skaanejob", "fleksjob", "ordinaert"]
    for i in range(30):
        start = base + rng.randint(0, 400) * DAY
        until = start + rng.randint(0, 500) * DAY if rng.random() < 0.5 else None
        jc = make_job_customer(
            associated_from=start, associated_until=until, advisor=advisor if i % 3 else None
        )
        day = base - rng.randint(0, 100) * DAY
        for _ in range(rng.randint(0, 5)):
            day += rng.randint(-40, 60) * DAY  # may start before the last one ended
            end = day + rng.randint(0, 200) * DAY if rng.random() < 0.8 else None
            make_placement(
                job_customer=jc,
                kind=rng.choice(kinds),
                started_on=day,
                ended_on=end,
                desired_job=rng.random() < 0.4,
            )
    dates = sorted({base + rng.randint(-30, 800) * DAY for _ in range(40)})
    dates = [dates[0] - DAY, *dates, dates[-1] + DAY]
    for who in (None, advisor):
        rows = retention_series(dates, advisor=who)
        assert [r.reference_date for r in rows] == dates
        for row in rows:
            expected = _by_definition(row.reference_date, who)
            assert (row.associated, row.in_work, row.in_desired_job) == expected, row
