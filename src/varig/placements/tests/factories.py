import datetime
import itertools

from varig.customers.status import refresh_statuses
from varig.customers.tests.factories import make_job_customer
from varig.employers.tests.factories import make_company
from varig.placements.anniversaries import refresh_employed_since
from varig.placements.models import Placement

_seq = itertools.count(1)


def make_placement(**fields) -> Placement:
    """A bare placement row, without follow-ups (use the services to get those)."""
    n = next(_seq)
    fields.setdefault("ref", f"PL-T{n:05d}")
    fields.setdefault("kind", Placement.Kind.SKAANEJOB)
    fields.setdefault("started_on", datetime.date(2025, 1, 6))
    if "job_customer" not in fields:
        fields["job_customer"] = make_job_customer()
    if "company" not in fields:
        fields["company"] = make_company()
    placement = Placement.objects.create(**fields)
    refresh_statuses([placement.job_customer_id])  # as the services do
    refresh_employed_since([placement.job_customer_id])
    placement.refresh_from_db(fields=["employed_since"])
    return placement
