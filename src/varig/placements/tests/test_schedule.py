import datetime

import pytest

from varig.placements.models import FollowUp
from varig.placements.schedule import add_months, followup_schedule

D = datetime.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 3, D(2026, 4, 30)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2025, 10, 15), 6, D(2026, 4, 15)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_work_placement_gets_first_talk_and_three_meetings():
    steps = followup_schedule(kind="skaanejob", started_on=D(2026, 1, 31))
    assert [(s.kind, s.due_on) for s in steps] == [
        (FollowUp.Kind.FIRST_TALK, D(2026, 2, 14)),
        (FollowUp.Kind.MONTH_3, D(2026, 4, 30)),
        (FollowUp.Kind.MONTH_6, D(2026, 7, 31)),
        (FollowUp.Kind.MONTH_12, D(2027, 1, 31)),
    ]
    first, month_3 = steps[0], steps[1]
    assert (first.window_start, first.window_end) == (D(2026, 1, 31), D(2026, 2, 14))
    assert (month_3.window_start, month_3.window_end) == (D(2026, 4, 16), D(2026, 5, 14))


def test_leap_day_start_has_its_12_month_meeting_on_28_february():
    steps = followup_schedule(kind="fleksjob", started_on=D(2024, 2, 29))
    assert steps[-1].due_on == D(2025, 2, 28)


def test_yearly_meetings_follow_the_12_month_meeting_up_to_the_given_day():
    steps = followup_schedule(
        kind="ordinaert", started_on=D(2020, 3, 1), yearly=True, until=D(2024, 6, 1)
    )
    yearly = [(s.months, s.due_on) for s in steps if s.kind == FollowUp.Kind.YEARLY]
    assert yearly == [(24, D(2022, 3, 1)), (36, D(2023, 3, 1)), (48, D(2024, 3, 1))]


def test_praktik_gets_check_in_and_talk_before_planned_end(settings):
    steps = followup_schedule(
        kind="praktik", started_on=D(2026, 3, 2), planned_end_on=D(2026, 5, 31)
    )
    assert [(s.kind, s.due_on) for s in steps] == [
        (FollowUp.Kind.PRAKTIK_CHECK, D(2026, 3, 16)),
        (FollowUp.Kind.PRAKTIK_END, D(2026, 5, 24)),
    ]
    assert steps[1].window_end == D(2026, 5, 31)


def test_praktik_without_planned_end_gets_only_the_check_in():
    steps = followup_schedule(kind="praktik", started_on=D(2026, 3, 2))
    assert [s.kind for s in steps] == [FollowUp.Kind.PRAKTIK_CHECK]


def test_schedule_follows_settings(settings):
    settings.VARIG_FOLLOWUP = {**settings.VARIG_FOLLOWUP, "first_talk_days": 10, "window_days": 7}
    steps = followup_schedule(kind="skaanejob", started_on=D(2026, 6, 1))
    assert steps[0].due_on == D(2026, 6, 11)
    assert steps[1].window_end - steps[1].due_on == datetime.timedelta(days=7)
