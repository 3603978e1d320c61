"""Sharing a job customer with a colleague outside their caseload (a colleague covering, an
employer consultant matching the person). Writes and the page-shaped read of the shares card.

A share gives access to the person's record except the health information (see
`selectors.can_view_job_customer`); the responsible advisor, managers and administrators
share and end shares. Both are audited (CaseloadShare is registered with django-auditlog).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varig.core.models import Role, User

from .models import CaseloadShare, JobCustomer
from .selectors import STAFF_ROLES, can_share_job_customer

SHARE_WITH_RESPONSIBLE = _("The responsible advisor already sees this person.")
SHARE_WITH_MANAGER = _("Managers and administrators already see every job customer.")
SHARE_NOT_STAFF = _("Share only with an active member of staff.")
SHARE_EXISTS = _("This person is already shared with this colleague.")
SHARE_UNTIL_PAST = _("The last day of the share cannot be in the past.")
SHARE_ALREADY_ENDED = _("This share has already ended.")


def share_candidates(*, job_customer: JobCustomer) -> QuerySet:
    """Active advisors and employer consultants a person can be shared with, by name."""
    return (
        User.objects.filter(
            is_active=True, groups__name__in=[Role.ADVISOR, Role.CONSULTANT], is_superuser=False
        )
        .exclude(groups__name__in=[Role.MANAGER, Role.ADMINISTRATOR])
        .exclude(pk=job_customer.advisor_id or 0)
        .distinct()
        .order_by("name", "pk")
    )


@transaction.atomic
def share_create(
    *,
    actor: User,
    job_customer: JobCustomer,
    user: User,
    until: datetime.date | None = None,
    reason: str = "",
) -> CaseloadShare:
    """Share `job_customer` with `user` until a day (inclusive) or with no end.

    The responsible advisor, managers and administrators only (PermissionDenied otherwise).
    Refuses sharing with the responsible advisor, a manager, an inactive user or one who
    already has an open share; audited as a create.
    """
    if not can_share_job_customer(user=actor, job_customer=job_customer):
        raise PermissionDenied
    errors: dict[str, list] = {}
    if user.pk == job_customer.advisor_id:
        errors.setdefault("user", []).append(SHARE_WITH_RESPONSIBLE)
    elif user.sees_all:
        errors.setdefault("user", []).append(SHARE_WITH_MANAGER)
    elif not user.is_active or not user.has_role(*STAFF_ROLES):
        errors.setdefault("user", []).append(SHARE_NOT_STAFF)
    if until is not None and until < timezone.localdate():
        errors.setdefault("until", []).append(SHARE_UNTIL_PAST)
    if errors:
        raise ValidationError(errors)
    share = CaseloadShare(
        job_customer=job_customer, user=user, until=until, reason=reason.strip(), shared_by=actor
    )
    share.full_clean(exclude=["shared_by", "job_customer", "user"])
    try:
        with transaction.atomic():
            share.save()
    except IntegrityError:
        raise ValidationError({"user": [SHARE_EXISTS]}) from None
    return share


@transaction.atomic
def share_end(*, actor: User, share: CaseloadShare) -> CaseloadShare:
    """End a share now (it stays as history). The responsible advisor, managers, administrators,
    and the colleague it was shared with (who may hand the person back)."""
    share = (
        CaseloadShare.objects.select_for_update().select_related("job_customer").get(pk=share.pk)
    )
    if actor.pk != share.user_id and not can_share_job_customer(
        user=actor, job_customer=share.job_customer
    ):
        raise PermissionDenied
    if share.ended_at is not None:
        raise ValidationError(SHARE_ALREADY_ENDED)
    share.ended_at = timezone.now()
    share.ended_by = actor
    share.save(update_fields=["ended_at", "ended_by"])
    return share


@dataclass
class SharesCard:
    """The shares card of the job-customer page: who it is shared with now, and the history."""

    active: list[CaseloadShare]
    ended: list[CaseloadShare]
    can_share: bool


def shares_card(*, user: User, job_customer: JobCustomer) -> SharesCard:
    """The shares of one person (one query), split into those in force and the rest."""
    today = timezone.localdate()
    rows = list(
        CaseloadShare.objects.filter(job_customer=job_customer)
        .select_related("user", "shared_by")
        .order_by("-created_at", "-pk")
    )
    return SharesCard(
        active=[s for s in rows if s.is_active_on(today)],
        ended=[s for s in rows if not s.is_active_on(today)],
        can_share=can_share_job_customer(user=user, job_customer=job_customer),
    )
