"""Demo data for the privacy app (one hook in `core.demo`): one person whose association
ended long ago has an erasure request waiting for a second manager, so the erasure list and the
person's privacy page show the four-eyes flow at once. The audit log fills as the demo is used."""

from django.utils import timezone

from varig.core.models import Role
from varig.customers.models import JobCustomer

from .models import ErasureRequest

REASON = "Tilknytningen sluttede for mere end 5 år siden (opbevaringsperioden)."


def demo_build(builder) -> None:
    asker = (builder.staff.get(Role.ADMINISTRATOR) or builder.staff.get(Role.MANAGER) or [None])[0]
    if asker is None:
        return
    oldest = (
        JobCustomer.objects.filter(associated_until__isnull=False)
        .order_by("associated_until", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if oldest is None:
        return
    builder.table(ErasureRequest).add(
        job_customer_id=oldest,
        status=ErasureRequest.Status.REQUESTED,
        reason=REASON,
        requested_by_id=asker.pk,
        requested_at=timezone.now(),
        decision_note="",
    )
