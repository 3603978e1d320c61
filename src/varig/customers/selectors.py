"""Reads of job customers. `job_customer_get_for_user` is the only way a view gets one."""

import datetime

from auditlog.signals import accessed
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from varig.core.models import Role

from .models import Consent, JobCustomer

STAFF_ROLES = tuple(Role.values)


def can_view_job_customer(*, user, job_customer: JobCustomer) -> bool:
    """Every staff role may open a job customer's record (issue 7 narrows this to caseloads)."""
    return user.is_authenticated and user.has_role(*STAFF_ROLES)


def can_edit_job_customer(*, user, job_customer: JobCustomer) -> bool:
    """Advisors, managers and administrators change a record; consultants only read it."""
    return user.has_role(Role.ADVISOR, Role.MANAGER, Role.ADMINISTRATOR)


def can_see_health(*, user, job_customer: JobCustomer) -> bool:
    """Diagnosis and health notes: only the responsible advisor, managers and administrators."""
    if user.has_role(Role.MANAGER, Role.ADMINISTRATOR):
        return True
    return job_customer.advisor_id is not None and job_customer.advisor_id == user.pk


def job_customer_get_for_user(*, user, pk: int, queryset=None, audit: bool = True) -> JobCustomer:
    """Fetch a job customer the user may see, or raise 404/403; logs the read in the audit log."""
    qs = queryset if queryset is not None else JobCustomer.objects.select_related("advisor")
    try:
        job_customer = qs.get(pk=pk)
    except JobCustomer.DoesNotExist as exc:
        raise Http404 from exc
    if not can_view_job_customer(user=user, job_customer=job_customer):
        raise PermissionDenied
    if audit:
        accessed.send(sender=JobCustomer, instance=job_customer)
    return job_customer


def consent_allows_contact(
    *, job_customer: JobCustomer, company, on: datetime.date | None = None
) -> bool:
    """True when the person has an active consent that lets the company be contacted."""
    on = on or timezone.localdate()
    return (
        Consent.objects.active_on(on)
        .filter(job_customer=job_customer, company=company, may_contact=True)
        .exists()
    )
