import datetime
import itertools

from varig.customers.models import JobCustomer
from varig.customers.status import refresh_statuses

_seq = itertools.count(1)


def make_job_customer(**fields) -> JobCustomer:
    n = next(_seq)
    fields.setdefault("ref", f"JK-T{n:05d}")
    fields.setdefault("first_name", "Test")
    fields.setdefault("last_name", f"Jobkunde {n}")
    fields.setdefault("associated_from", datetime.date(2024, 1, 1))
    job_customer = JobCustomer.objects.create(**fields)
    refresh_statuses([job_customer.pk])  # as the services do
    return job_customer


def make_consent(*, job_customer=None, company=None, **fields):
    from varig.customers.models import Consent
    from varig.employers.tests.factories import make_company

    fields.setdefault("given_on", datetime.date(2024, 1, 1))
    return Consent.objects.create(
        job_customer=job_customer or make_job_customer(),
        company=company or make_company(),
        **fields,
    )


def make_share(*, job_customer, user, **fields):
    """Share `job_customer` with `user` (a colleague covering, a consultant matching)."""
    from varig.customers.models import CaseloadShare

    return CaseloadShare.objects.create(job_customer=job_customer, user=user, **fields)
