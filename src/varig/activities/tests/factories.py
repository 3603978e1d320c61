import datetime
import itertools
from importlib import import_module

from varig.activities.models import Activity, Run, Session

_seq = itertools.count(1)


def make_activity(**fields) -> Activity:
    n = next(_seq)
    fields.setdefault("name", f"Kursus {n}")
    fields.setdefault("strand", "opkvalificering")
    return Activity.objects.create(**fields)


def seed_catalogue() -> None:
    """The data migration's catalogue, again: a test after a transactional test (which
    empties the tables) finds it too. Idempotent, like the migration."""
    from django.apps import apps

    seed = import_module("varig.activities.migrations.0002_catalogue").seed
    seed(apps, None)


def catalogue_activity(name: str) -> Activity:
    seed_catalogue()
    return Activity.objects.get(name=name)


def klaedt_paa() -> Activity:
    """*Klædt på til job* as the catalogue seeds it (4 sessions of 3 hours, six topics)."""
    return catalogue_activity("Klædt på til job")


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
