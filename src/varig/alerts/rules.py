"""The rules of the early warnings as pure functions, tested at their edges.

The database work (which rows might be affected) is in `detect.py`; what counts as a warning
is decided here, once.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from varig.placements.schedule import add_months

HOURS_MONTHS = 3
ONE_DAY = datetime.timedelta(days=1)
HOURS_THRESHOLD = Decimal("0.25")


@dataclass(frozen=True)
class HoursIncrease:
    lowest: Decimal  # the lowest weekly hours in effect during the window
    current: Decimal  # the weekly hours in effect on the day
    since: datetime.date  # the day the current hours took effect


def hours_window_start(on: datetime.date, months: int = HOURS_MONTHS) -> datetime.date:
    """The first day of the window: the same day `months` months earlier (31 → 30/28...)."""
    return add_months(on, -months)


def hours_in_effect(
    series: list[tuple[datetime.date, Decimal | None]], day: datetime.date
) -> Decimal | None:
    """The hours in effect on `day`: the newest entry from that day or before."""
    value = None
    for since, hours in sorted(series, key=lambda row: row[0]):
        if since > day:
            break
        value = hours
    return value


def hours_increase(
    series: list[tuple[datetime.date, Decimal | None]],
    *,
    on: datetime.date,
    months: int = HOURS_MONTHS,
    threshold: Decimal = HOURS_THRESHOLD,
) -> HoursIncrease | None:
    """More than 25 % more weekly hours on `on` than the lowest in effect on any day of the
    three months up to it ([same day three months earlier, on]); None when not.

    `series` is (from day, hours) for one unbroken run at one company; unknown hours (None) are
    ignored. Exactly 25 % is not more than 25 %. A change made exactly three months ago has been
    in effect for the whole window, so it is no longer "within three months".
    """
    rows = sorted((row for row in series if row[0] <= on), key=lambda row: row[0])
    if not rows:
        return None
    current_since, current = rows[-1]
    if current is None:
        return None
    start = hours_window_start(on, months)
    in_window = [hours for since, hours in rows if since > start]
    at_start = hours_in_effect(rows, start)
    values = [h for h in [at_start, *in_window] if h is not None]
    lowest = min(values)
    if Decimal(current) > Decimal(lowest) * (1 + threshold):
        return HoursIncrease(lowest=Decimal(lowest), current=Decimal(current), since=current_since)
    return None


def no_contact_due(*, since: datetime.date, on: datetime.date, days: int) -> bool:
    """True when `days` days or more have passed since the last contact (`since`) on `on`."""
    return (on - since).days >= days


def consent_expiry_window(on: datetime.date, days: int) -> tuple[datetime.date, datetime.date]:
    """Consents that expire from `on` to `days` days later (both inclusive) expire soon."""
    return on, on + datetime.timedelta(days=days)
