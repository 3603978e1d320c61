"""Reads of placements and follow-ups, each shaped for one page."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from varig.customers.models import Accommodation, JobCustomer
from varig.customers.selectors import job_customer_get_for_user
from varig.employers.models import CompanyContact

from .models import FollowUp, Placement, TierChange

FOLLOWUP_LIST_RELATED = ("job_customer", "job_customer__advisor", "placement__company")


def placement_get_for_user(*, user, pk: int, queryset: QuerySet | None = None) -> Placement:
    """A placement whose job customer the user may see (404/403 otherwise); audits the read.

    The job customer is loaded through `job_customer_get_for_user`, so the read of the person's
    record is access-checked and written to the audit log.
    """
    job_customer_id = (
        Placement.objects.filter(pk=pk).values_list("job_customer_id", flat=True).first()
    )
    if job_customer_id is None:
        raise Http404
    job_customer = job_customer_get_for_user(user=user, pk=job_customer_id)
    qs = queryset if queryset is not None else Placement.objects.select_related("company")
    placement = get_object_or_404(qs, pk=pk)
    placement.job_customer = job_customer
    return placement


def placement_detail_queryset() -> QuerySet:
    """Everything the placement page shows, in a fixed number of queries."""
    return Placement.objects.select_related(
        "company",
        "contact",
        "previous",
        "previous__company",
        "continuation",
        "continuation__company",
    ).prefetch_related(
        Prefetch(
            "followups",
            queryset=FollowUp.objects.select_related("recorded_by").order_by("due_on", "pk"),
        ),
        Prefetch(
            "tier_changes",
            queryset=TierChange.objects.select_related("changed_by").order_by("-changed_on", "-pk"),
        ),
    )


def placement_detail(*, user, pk: int) -> Placement:
    """The placement page: facts, follow-ups, tier history, predecessor and continuation."""
    return placement_get_for_user(user=user, pk=pk, queryset=placement_detail_queryset())


def followup_get_for_user(*, user, pk: int) -> FollowUp:
    """A follow-up whose job customer the user may see, with its placement; audits the read."""
    followup = get_object_or_404(
        FollowUp.objects.select_related("placement", "placement__company", "placement__contact"),
        pk=pk,
    )
    followup.job_customer = job_customer_get_for_user(user=user, pk=followup.job_customer_id)
    return followup


def accommodation_in_force(*, job_customer: JobCustomer, on: datetime.date) -> Accommodation | None:
    """The person's accommodations (skånehensyn) valid on the day: the newest version."""
    return (
        Accommodation.objects.filter(job_customer=job_customer, valid_from__lte=on)
        .order_by("-valid_from", "-pk")
        .first()
    )


def company_contacts_for_choice(
    *, company_id: int | None, on: datetime.date, include_pk: int | None = None
) -> QuerySet:
    """The company's active contacts (and the current one, if it has since left)."""
    if not company_id:
        return CompanyContact.objects.none()
    qs = CompanyContact.objects.filter(company_id=company_id)
    active = qs.active_on(on)
    if include_pk:
        return (active | qs.filter(pk=include_pk)).distinct().order_by("name", "pk")
    return active.order_by("name", "pk")


def followups_overdue(*, on: datetime.date, advisor=None) -> QuerySet:
    """Planned follow-ups whose window closed before `on`, oldest first ("I dag")."""
    qs = FollowUp.objects.overdue(on).select_related(*FOLLOWUP_LIST_RELATED)
    if advisor is not None:
        qs = qs.filter(job_customer__advisor=advisor)
    return qs.order_by("window_end", "due_on", "pk")


def followups_due_soon(*, on: datetime.date, days: int = 14, advisor=None) -> QuerySet:
    """Planned follow-ups not overdue and due within `days` days of `on`, soonest first."""
    qs = FollowUp.objects.due_within(on, days).select_related(*FOLLOWUP_LIST_RELATED)
    if advisor is not None:
        qs = qs.filter(job_customer__advisor=advisor)
    return qs.order_by("due_on", "pk")


def placements_for_job_customer(*, job_customer: JobCustomer) -> QuerySet:
    """A person's placements, newest first, with their company (for the person's page)."""
    return job_customer.placements.select_related("company").order_by("-started_on", "-pk")
