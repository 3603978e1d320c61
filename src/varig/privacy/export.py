"""Everything Varig holds about one person, for GDPR articles 15 (access) and 20 (portability):
as JSON (machine-readable, every field by its name in code) and as a readable PDF.

The models are found, not listed: every model that points at JobCustomer, directly or through
another model (a goal through the plan, a review through the session; see
`varig.privacy.audit.person_path`), so whatever a new app adds about a person is in the export
without touching this file (a test fails if a model with a foreign key to JobCustomer is not).
The audit log's entries about the person (who read or changed what, and which documents went
to whom) come last, without the changed values (those are the data above).
"""

import datetime
import decimal
import uuid
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from varig.customers.models import JobCustomer

from .audit import DOCUMENT_KEY, document_label, person_path

EXPORT_FORMAT = "varig-person-export/1"
ACTION_NAMES = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
    LogEntry.Action.ACCESS: "read",
}
# Models whose rows hang on a person but are not data about them are left out here, each with
# the reason (none so far: the erasure requests are in, as the person may ask about them).
NOT_EXPORTED: dict[str, str] = {}


def export_models() -> list[tuple[type[models.Model], tuple[str, ...]]]:
    """(model, path to the person) for every model that holds data about a job customer,
    JobCustomer itself excluded, in a stable order (app, then model)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or model is JobCustomer or model is LogEntry:
            continue
        if model._meta.label_lower in NOT_EXPORTED:
            continue
        path = person_path(model)
        if path:
            found.append((model, path))
    return sorted(found, key=lambda item: (item[0]._meta.app_label, item[0]._meta.model_name))


def _rows(model, path, job_customer) -> list[models.Model]:
    related = [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is not None and _names_target(f.related_model)
    ]
    return list(
        model._base_manager.filter(**{"__".join(path): job_customer})
        .select_related(*related)
        .order_by("pk")
    )


def _names_target(model) -> bool:
    return model._meta.label_lower in {"core.user", "employers.company", "employers.companycontact"}


def _json_value(instance, model_field):
    if model_field.is_relation:
        target = model_field.related_model
        if target is JobCustomer:
            return getattr(instance, model_field.attname)
        if _names_target(target):
            related = getattr(instance, model_field.name)
            return None if related is None else {"id": related.pk, "name": str(related)}
        return getattr(instance, model_field.attname)
    value = getattr(instance, model_field.attname)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    return value


def _display_value(instance, model_field) -> str:
    if model_field.is_relation:
        related_id = getattr(instance, model_field.attname)
        if related_id is None:
            return ""
        if _names_target(model_field.related_model):
            return str(getattr(instance, model_field.name))
        if model_field.related_model is JobCustomer:
            return ""
        return f"#{related_id}"
    value = getattr(instance, model_field.attname)
    if value is None or value == "":
        return ""
    if model_field.choices:
        return str(getattr(instance, f"get_{model_field.name}_display")())
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, models.fields.files.FieldFile):
        return value.name
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _fields(model) -> list:
    # The version counter is bookkeeping, not data about the person.
    return [f for f in model._meta.concrete_fields if f.name != "version"]


@dataclass
class ExportSection:
    label: str
    model: str
    rows: list[dict]
    display: list[list[tuple[str, str]]] = field(default_factory=list)


@dataclass
class PersonExport:
    job_customer: JobCustomer
    person: dict
    person_display: list[tuple[str, str]]
    sections: list[ExportSection]
    audit: list[dict]
    audit_display: list[dict]
    generated_at: datetime.datetime

    def as_json(self) -> dict:
        return {
            "format": EXPORT_FORMAT,
            "generated_at": self.generated_at.isoformat(),
            "organisation": settings.VARIG_ORGANISATION_NAME,
            "job_customer": self.person,
            "data": {section.model: section.rows for section in self.sections},
            "audit_log": self.audit,
        }


def person_export(*, job_customer: JobCustomer) -> PersonExport:
    """Everything held about `job_customer` (health included: callers check `can_see_health`)."""
    person_fields = _fields(JobCustomer)
    audit = _audit_rows(job_customer)
    sections = []
    for model, path in export_models():
        rows = _rows(model, path, job_customer)
        model_fields = [f for f in _fields(model) if f.related_model is not JobCustomer]
        sections.append(
            ExportSection(
                label=str(model._meta.verbose_name_plural),
                model=model._meta.label_lower,
                rows=[{f.name: _json_value(row, f) for f in _fields(model)} for row in rows],
                display=[
                    [(str(f.verbose_name), _display_value(row, f)) for f in model_fields]
                    for row in rows
                ],
            )
        )
    return PersonExport(
        job_customer=job_customer,
        person={f.name: _json_value(job_customer, f) for f in person_fields},
        person_display=[
            (str(f.verbose_name), _display_value(job_customer, f))
            for f in person_fields
            if f.name not in {"id"}
        ],
        sections=sections,
        audit=[row for row, _shown in audit],
        audit_display=[shown for _row, shown in audit],
        generated_at=timezone.now(),
    )


def _audit_rows(job_customer: JobCustomer) -> list[tuple[dict, dict]]:
    """The audit log about the person, oldest first: (JSON row, row for the PDF)."""
    from .selectors import ACTION_LABELS, audit_entries

    rows = []
    for entry in audit_entries(person_ids=[job_customer.pk]).order_by("timestamp", "pk"):
        data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
        model = entry.content_type.model_class()
        document = document_label(data[DOCUMENT_KEY]) if data.get(DOCUMENT_KEY) else None
        by = (entry.actor.name or entry.actor.email) if entry.actor else None
        label = str(model._meta.verbose_name) if model else ""
        shown = {
            "when": entry.timestamp,
            "action": str(ACTION_LABELS.get(entry.action, entry.action)),
            "document": document,
            "by": by,
            "record": label,
        }
        rows.append(
            (
                {
                    "timestamp": entry.timestamp.isoformat(),
                    "action": ACTION_NAMES.get(entry.action, str(entry.action)),
                    "by": by,
                    "record": model._meta.label_lower if model else entry.content_type.model,
                    "record_label": label,
                    "record_id": entry.object_pk,
                    "document": document,
                },
                shown,
            )
        )
    return rows


def export_filename(job_customer: JobCustomer, extension: str) -> str:
    return f"dataudtraek-{job_customer.ref}.{extension}".replace("/", "-")
