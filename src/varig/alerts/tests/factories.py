import datetime

from varig.alerts.models import Flag, Period
from varig.customers.tests.factories import make_job_customer


def make_flag(**fields) -> Flag:
    fields.setdefault("kind", Flag.Kind.NO_CONTACT)
    if "job_customer" not in fields and "job_customer_id" not in fields:
        fields["job_customer"] = make_job_customer()
    fields.setdefault("key", f"test:{Flag.objects.count() + 1}")
    fields.setdefault("raised_on", datetime.date(2026, 12, 1))
    return Flag.objects.create(**fields)


def make_period(**fields) -> Period:
    fields.setdefault("kind", Period.Kind.SETBACK)
    fields.setdefault("started_on", datetime.date(2026, 11, 1))
    if "job_customer" not in fields:
        fields["job_customer"] = make_job_customer()
    return Period.objects.create(**fields)
