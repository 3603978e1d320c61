import datetime
import itertools

from varig.activities.models import Activity, Run, Session

_seq = itertools.count(1)


def make_activity(**fields) -> Activity:
    n = next(_seq)
    fields.setdefault("name", f"Kursus {n}")
    fields.setdefault("strand", "opkvalificering")
    return Activity.objects.create(**fields)


def klaedt_paa() -> Activity:
    """The seeded *Klædt på til job* (the data migration puts it in every test database)."""
    return Activity.objects.get(name="Klædt på til job")


def make_run(*, activity=None, capacity=3, **fields) -> Run:
    return Run.objects.create(activity=activity or make_activity(), capacity=capacity, **fields)


def make_session(*, run, date=None, starts=(9, 0), ends=(12, 0), **fields) -> Session:
    return Session.objects.create(
        run=run,
        date=date or datetime.date(2026, 3, 2),
        starts_at=datetime.time(*starts),
        ends_at=datetime.time(*ends),
        **fields,
    )
