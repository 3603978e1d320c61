"""Small daily jobs for the tests: each records its calls so a test can count them."""

import datetime

calls: list[tuple[str, datetime.date]] = []


def record(*, on: datetime.date) -> dict:
    calls.append(("record", on))
    return {"day": on.isoformat()}


def broken(*, on: datetime.date) -> None:
    calls.append(("broken", on))
    raise RuntimeError("this job always fails")


def counter_row(*, on: datetime.date) -> dict:
    """An idempotent job with a database effect: one DailyRun-like marker per day."""
    from varig.daily.models import DailyRun

    calls.append(("counter_row", on))
    return {"runs_known": DailyRun.objects.filter(day=on).count()}
