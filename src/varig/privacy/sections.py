"""The privacy app's section on the job customer's page: the links to the person's export,
the erasure and their audit trail, for those allowed (at most one query)."""

from varig.core.sections import Section
from varig.customers.selectors import can_see_health

from .models import ErasureRequest


def person_section(*, user, job_customer, **kwargs) -> Section | None:
    """Shown to whoever may see the person's health (the responsible advisor, managers and
    administrators); the erasure state and the audit trail only to managers (one query)."""
    if not can_see_health(user=user, job_customer=job_customer):
        return None
    erasure = None
    if user.is_manager:
        erasure = (
            ErasureRequest.objects.filter(job_customer=job_customer)
            .exclude(status=ErasureRequest.Status.REJECTED)
            .only("pk", "status", "requested_at")
            .order_by("-requested_at", "-pk")
            .first()
        )
    return Section(
        template="privacy/_person.html",
        data={"job_customer": job_customer, "is_manager": user.is_manager, "erasure": erasure},
    )
