import datetime
import itertools

from varig.customers.models import JobCustomer

_seq = itertools.count(1)


def make_job_customer(**fields) -> JobCustomer:
    n = next(_seq)
    fields.setdefault("ref", f"JK-T{n:05d}")
    fields.setdefault("first_name", "Test")
    fields.setdefault("last_name", f"Jobkunde {n}")
    fields.setdefault("associated_from", datetime.date(2024, 1, 1))
    return JobCustomer.objects.create(**fields)
