"""The rules at their edges: 25 %, three months (month ends, leap days), N days."""

import datetime
from decimal import Decimal

import pytest

from varig.alerts import rules
from varig.placements.continuity import continuous_runs

D = datetime.date


def h(value):
    return Decimal(str(value))


@pytest.mark.parametrize(
    ("after", "flagged"),
    [(25, False), (25.5, True), (24, False), (40, True)],
)
def test_more_than_25_percent_is_flagged_exactly_25_is_not(after, flagged):
    series = [(D(2026, 1, 1), h(20)), (D(2026, 11, 15), h(after))]
    result = rules.hours_increase(series, on=D(2026, 12, 1))
    assert (result is not None) is flagged
    if flagged:
        assert result == rules.HoursIncrease(lowest=h(20), current=h(after), since=D(2026, 11, 15))


def test_a_change_exactly_three_months_ago_is_no_longer_within_three_months():
    on = D(2026, 12, 1)
    assert rules.hours_increase([(D(2026, 1, 1), h(10)), (D(2026, 9, 1), h(20))], on=on) is None
    assert rules.hours_increase([(D(2026, 1, 1), h(10)), (D(2026, 9, 2), h(20))], on=on)


def test_three_months_back_from_the_end_of_may_is_the_end_of_february_in_a_leap_year():
    assert rules.hours_window_start(D(2024, 5, 31)) == D(2024, 2, 29)
    assert rules.hours_window_start(D(2025, 5, 31)) == D(2025, 2, 28)
    # A rise on 1 March 2024 is within the window from 29 February.
    assert rules.hours_increase([(D(2023, 1, 1), h(10)), (D(2024, 3, 1), h(15))], on=D(2024, 5, 31))
    assert (
        rules.hours_increase([(D(2023, 1, 1), h(10)), (D(2024, 2, 29), h(15))], on=D(2024, 5, 31))
        is None
    )


def test_small_steps_add_up_against_the_lowest_hours_in_the_window():
    series = [(D(2026, 1, 1), h(10)), (D(2026, 10, 1), h(12)), (D(2026, 11, 1), h(13))]
    result = rules.hours_increase(series, on=D(2026, 12, 1))
    assert result.lowest == h(10) and result.current == h(13)


def test_fewer_hours_or_unknown_hours_are_not_an_increase():
    on = D(2026, 12, 1)
    assert rules.hours_increase([(D(2026, 1, 1), h(20)), (D(2026, 11, 1), h(10))], on=on) is None
    assert rules.hours_increase([(D(2026, 11, 1), None)], on=on) is None
    assert rules.hours_increase([(D(2026, 11, 20), h(30))], on=on) is None  # a new start
    assert rules.hours_increase([], on=on) is None
    # Unknown earlier hours are skipped, not read as zero.
    assert rules.hours_increase([(D(2026, 10, 1), None), (D(2026, 11, 1), h(30))], on=on) is None


def test_a_future_change_does_not_count_yet():
    series = [(D(2026, 1, 1), h(10)), (D(2026, 12, 2), h(20))]
    assert rules.hours_increase(series, on=D(2026, 12, 1)) is None


@pytest.mark.parametrize(("days_ago", "due"), [(59, False), (60, True), (61, True)])
def test_no_contact_for_n_days(days_ago, due):
    on = D(2026, 12, 1)
    since = on - datetime.timedelta(days=days_ago)
    assert rules.no_contact_due(since=since, on=on, days=60) is due


def test_no_contact_counts_calendar_days_across_a_leap_day():
    assert rules.no_contact_due(since=D(2024, 1, 1), on=D(2024, 3, 1), days=60) is True
    assert rules.no_contact_due(since=D(2023, 1, 1), on=D(2023, 3, 1), days=60) is False


class P:
    _n = 0

    def __init__(self, start, end=None, company=1, person=1):
        P._n += 1
        self.pk = P._n
        self.job_customer_id, self.company_id = person, company
        self.started_on, self.ended_on = start, end


def test_runs_join_placements_without_a_gap_and_split_at_a_gap():
    a = P(D(2020, 1, 1), D(2020, 6, 30))
    b = P(D(2020, 7, 1), D(2021, 6, 30))  # the next day: no gap
    c = P(D(2021, 7, 2))  # one day's gap
    runs = continuous_runs([c, a, b])
    assert [[p.pk for p in run] for run in runs] == [[a.pk, b.pk], [c.pk]]


def test_runs_are_per_company_and_an_overlap_continues_the_run():
    a = P(D(2020, 1, 1), D(2020, 12, 31))
    b = P(D(2020, 6, 1), D(2020, 8, 1))  # inside a
    c = P(D(2021, 1, 1))  # the day after a's end, not b's
    other = P(D(2020, 7, 1), company=2)
    runs = continuous_runs([a, b, c, other])
    assert sorted(len(run) for run in runs) == [1, 3]


def test_an_open_placement_continues_every_later_one():
    a = P(D(2020, 1, 1))
    b = P(D(2024, 1, 1), D(2024, 2, 1))
    assert len(continuous_runs([a, b])) == 1
