"""Writes of the privacy app: erasure (GDPR art. 17) as anonymisation, by four eyes.

One manager or administrator asks, with a reason (`erasure_request`); a second, different one
approves (`erasure_approve`), and only then is the person anonymised (`job_customer_anonymise`):
names, contact details, birth date, every free text, the health information, notes and files
are blanked or replaced, in every table that hangs on the person (found from `_meta`, so new
apps are covered). What statistics count stays: the association dates, placements with their
kinds, dates and hours, follow-ups and their outcomes, choices, the advisor. So the retention
figures (`varig report retention`) are the same after an erasure as before.

The audit log keeps who did what, when (its append-only rule); what the entries *say* about the
person (the record's name, the changed values, free-text extras) is masked, in the same
transaction (`audit.audit_maintenance(ERASURE)`, which the PostgreSQL trigger checks).
"""

import datetime

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varig.core.models import Role, User
from varig.customers.models import JobCustomer
from varig.customers.status import refresh_statuses
from varig.placements.anniversaries import refresh_employed_since

from .audit import DOCUMENT_KEY, ERASURE, MASK, PERSON_KEY, audit_maintenance, person_path
from .models import ErasureRequest

REASON_REQUIRED = _("Give the reason for the erasure.")
ALREADY_REQUESTED = _("An erasure of this person is already waiting for approval.")
ALREADY_ERASED = _("This person has already been erased.")
FOUR_EYES = _("A second manager or administrator must approve: not the one who asked.")
NOT_OPEN = _("This request has already been decided.")
REJECT_NOTE_REQUIRED = _("Say why the request is rejected.")

# What an erased person is called, and the reference they keep (their row's pk, which means
# nothing outside Varig).
ANONYMOUS_LAST_NAME = "Anonymiseret"
ANONYMOUS_TEXT = "[anonymiseret]"
ANONYMOUS_REF = "ANON-{pk:06d}"
# Tables that hang on the person but are left as they are: the record of the erasure itself.
NOT_ANONYMISED = {"privacy.erasurerequest"}
TEXT_FIELDS = (
    models.CharField,
    models.TextField,
    models.EmailField,
    models.URLField,
    models.SlugField,
    models.GenericIPAddressField,
)


def _require_manager(actor: User) -> None:
    if not actor.has_role(Role.MANAGER, Role.ADMINISTRATOR):
        raise PermissionDenied


@transaction.atomic
def erasure_request(*, actor: User, job_customer: JobCustomer, reason: str) -> ErasureRequest:
    """Ask for the person's erasure (managers, administrators). Nothing is erased until a
    second one approves. Audited (the request is registered with the audit log)."""
    _require_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(REASON_REQUIRED, code="required")})
    JobCustomer.objects.select_for_update().filter(pk=job_customer.pk).first()
    requests = ErasureRequest.objects.filter(job_customer=job_customer)
    if requests.carried_out().exists():
        raise ValidationError(ALREADY_ERASED, code="erased")
    if requests.open().exists():
        raise ValidationError(ALREADY_REQUESTED, code="open")
    request = ErasureRequest(job_customer=job_customer, reason=reason, requested_by=actor)
    request.full_clean()
    request.save()
    return request


def _lock_open(request: ErasureRequest) -> ErasureRequest:
    request = (
        ErasureRequest.objects.select_for_update().select_related("job_customer").get(pk=request.pk)
    )
    if request.status != ErasureRequest.Status.REQUESTED:
        raise ValidationError(NOT_OPEN, code="decided")
    return request


@transaction.atomic
def erasure_approve(*, actor: User, request: ErasureRequest) -> ErasureRequest:
    """Approve an erasure request and carry it out (managers, administrators; never the one
    who asked: FOUR_EYES). Anonymises the person and masks the audit log's content about them."""
    _require_manager(actor)
    request = _lock_open(request)
    if request.requested_by_id == actor.pk:
        raise ValidationError(FOUR_EYES, code="four_eyes")
    request.status = ErasureRequest.Status.ERASED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.full_clean()
    request.save()
    job_customer_anonymise(job_customer=request.job_customer, actor=actor, request=request)
    return request


@transaction.atomic
def erasure_reject(*, actor: User, request: ErasureRequest, note: str) -> ErasureRequest:
    """Reject (or, by the one who asked, withdraw) an erasure request, saying why."""
    _require_manager(actor)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": ValidationError(REJECT_NOTE_REQUIRED, code="required")})
    request = _lock_open(request)
    request.status = ErasureRequest.Status.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.full_clean()
    request.save()
    return request


# --- Anonymisation --------------------------------------------------------------------------------


def _in_unique_constraint(model, name: str) -> bool:
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and name in (constraint.fields or ()):
            return True
    return any(name in together for together in model._meta.unique_together)


def blanked_values(model) -> dict:
    """The replacement for every field of `model` that can say who the person is or what they
    said: free texts and contact details blanked (or a marker where a value is required),
    files and JSON details emptied. Choices, dates, numbers, flags and relations are kept:
    they are what the statistics count."""
    values = {}
    for model_field in model._meta.concrete_fields:
        name = model_field.name
        if model_field.primary_key or model_field.is_relation or model_field.choices:
            continue
        if model_field.unique or _in_unique_constraint(model, name):
            continue
        if isinstance(model_field, models.FileField):
            values[name] = ""
        elif isinstance(model_field, models.JSONField):
            values[name] = None if model_field.null else {}
        elif isinstance(model_field, TEXT_FIELDS):
            if model_field.blank:
                values[name] = ""
            else:
                limit = getattr(model_field, "max_length", None) or len(ANONYMOUS_TEXT)
                values[name] = ANONYMOUS_TEXT[:limit]
    return values


def _delete_files(queryset, model) -> None:
    for model_field in model._meta.concrete_fields:
        if isinstance(model_field, models.FileField):
            for name in queryset.exclude(**{model_field.name: ""}).values_list(
                model_field.name, flat=True
            ):
                if name:
                    model_field.storage.delete(name)


def job_customer_anonymise(*, job_customer: JobCustomer, actor: User, request=None) -> dict:
    """Blank what identifies the person in every table that hangs on them and mask the audit
    log's content about them. Runs inside the approval's transaction; writes with queryset
    updates on purpose (a save would copy the old values into the change log). Returns the
    number of rows changed per table."""
    from django.apps import apps

    changed: dict[str, int] = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model is JobCustomer or model is LogEntry or label in NOT_ANONYMISED:
            continue
        path = person_path(model)
        if not path:
            continue
        rows = model._base_manager.filter(**{"__".join(path): job_customer})
        values = blanked_values(model)
        if not values:
            continue
        _delete_files(rows, model)
        if any(f.name == "version" for f in model._meta.concrete_fields):
            values["version"] = models.F("version") + 1  # an open edit form is stale now
        changed[label] = rows.update(**values)
    person_values = blanked_values(JobCustomer)
    person_values.update(
        ref=ANONYMOUS_REF.format(pk=job_customer.pk),
        first_name="",
        last_name=ANONYMOUS_LAST_NAME,
        birth_date=None,
        updated_at=timezone.now(),
        # An open edit form is stale now.
        version=models.F("version") + 1,
    )
    if job_customer.associated_until is None:
        # Whoever is forgotten is no longer in the organisation's course: their association
        # ends on the day of the erasure (the figures of earlier days do not change).
        person_values["associated_until"] = max(timezone.localdate(), job_customer.associated_from)
    changed["customers.jobcustomer"] = JobCustomer.objects.filter(pk=job_customer.pk).update(
        **person_values
    )
    refresh_statuses([job_customer.pk])  # the association may end with the erasure
    refresh_employed_since([job_customer.pk])  # unchanged: the placements keep their dates
    changed["auditlog.logentry"] = _mask_audit_entries(job_customer)
    job_customer.refresh_from_db()
    LogEntry.objects.log_create(
        job_customer,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=actor,
        changes={"erasure": [None, "anonymised"]},
        additional_data={
            PERSON_KEY: job_customer.pk,
            "erasure": {
                "request": getattr(request, "pk", None),
                "requested_by": getattr(request, "requested_by_id", None),
                "approved_by": actor.pk,
                "tables": changed,
            },
        },
    )
    return changed


def _masked_changes(changes):
    if not isinstance(changes, dict):
        return None
    return {
        name: [MASK, MASK] if isinstance(values, list) else MASK for name, values in changes.items()
    }


def _mask_audit_entries(job_customer: JobCustomer) -> int:
    """Keep who did what to which record and when; mask what the entries say about the person."""
    from .selectors import person_entries_q

    entries = list(
        LogEntry.objects.filter(person_entries_q([job_customer.pk])).only(
            "pk", "changes", "additional_data"
        )
    )
    for entry in entries:
        data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
        kept = {key: data[key] for key in (PERSON_KEY, DOCUMENT_KEY) if key in data}
        kept.update({key: MASK for key in data if key not in kept})
        entry.additional_data = kept
        entry.changes = _masked_changes(entry.changes)
        entry.changes_text = ""
        entry.serialized_data = None
        entry.object_repr = ANONYMOUS_TEXT
    with audit_maintenance(ERASURE):
        LogEntry.objects.bulk_update(
            entries,
            ["additional_data", "changes", "changes_text", "serialized_data", "object_repr"],
            batch_size=500,
        )
    return len(entries)


def erasure_due_cutoff(*, on: datetime.date | None = None) -> datetime.date:
    """Persons whose association ended before this day are due for erasure."""
    from django.conf import settings

    from varig.placements.schedule import add_months

    on = on or timezone.localdate()
    return add_months(on, -12 * int(settings.VARIG_ERASE_AFTER_YEARS))
