"""The follow-up standard as pure date arithmetic, shared by the services, imports and demo data.

Work placements: a talk within 14 days of the start, then meetings at 3, 6 and 12 months
(calendar months; a day that does not exist in the target month becomes that month's last day,
so 31-01 + 3 months = 30-04 and 29-02 + 12 months = 28-02), optionally yearly after that.
A praktik gets a check-in after 14 days and a talk before its planned end.
All numbers come from settings.VARIG_FOLLOWUP.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings

from .models import WORK_KINDS, FollowUp


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole calendar months, clamped to the last day of the target month."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Step:
    kind: str
    months: int
    due_on: datetime.date
    window_start: datetime.date
    window_end: datetime.date


def _meeting(kind: str, started_on: datetime.date, months: int, window_days: int) -> Step:
    due = add_months(started_on, months)
    window = datetime.timedelta(days=window_days)
    return Step(kind, months, due, due - window, due + window)


def yearly_step(started_on: datetime.date, months: int) -> Step:
    return _meeting(
        FollowUp.Kind.YEARLY, started_on, months, settings.VARIG_FOLLOWUP["window_days"]
    )


def followup_schedule(
    *,
    kind: str,
    started_on: datetime.date,
    planned_end_on: datetime.date | None = None,
    yearly: bool = False,
    until: datetime.date | None = None,
) -> list[Step]:
    """The standard follow-ups for a placement of `kind` starting on `started_on`.

    With `yearly`, yearly meetings follow the 12-month one: the 24-month meeting, and further
    ones up to `until` (default: only the 24-month one; later ones are added as they come).
    """
    conf = settings.VARIG_FOLLOWUP
    window_days = conf["window_days"]
    if kind in WORK_KINDS:
        first_due = started_on + datetime.timedelta(days=conf["first_talk_days"])
        steps = [Step(FollowUp.Kind.FIRST_TALK, 0, first_due, started_on, first_due)]
        month_kinds = {
            3: FollowUp.Kind.MONTH_3,
            6: FollowUp.Kind.MONTH_6,
            12: FollowUp.Kind.MONTH_12,
        }
        for months in conf["meeting_months"]:
            steps.append(_meeting(month_kinds[months], started_on, months, window_days))
        if yearly:
            months = 24
            steps.append(yearly_step(started_on, months))
            while until is not None and add_months(started_on, months + 12) <= until:
                months += 12
                steps.append(yearly_step(started_on, months))
        return steps
    # Praktik: a check-in after N days and, when the end is planned, a talk before it.
    check_due = started_on + datetime.timedelta(days=conf["praktik_check_days"])
    steps = [Step(FollowUp.Kind.PRAKTIK_CHECK, 0, check_due, started_on, check_due)]
    if planned_end_on is not None:
        end_due = max(
            planned_end_on - datetime.timedelta(days=conf["praktik_end_days_before"]), started_on
        )
        if end_due > check_due:
            steps.append(Step(FollowUp.Kind.PRAKTIK_END, 0, end_due, check_due, planned_end_on))
    return steps
