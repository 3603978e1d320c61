"""The audit log: who read which person's record or document, and who changed what.

django-auditlog writes the entries (`auditlog.models.LogEntry`): every registered model's
create, update and delete, field by field with before and after, with the request's user as
the actor (its middleware), and a read (action ACCESS) whenever
`customers.selectors.job_customer_get_for_user` hands a person's record to a view. This module
adds what a case-management system for health data needs on top:

- **The person of every entry.** An entry about a job customer, or about anything that hangs on
  one (a note, a placement, a goal of their plan …, found through the foreign keys in `_meta`,
  so a new app's models are covered without registering anything here), carries the person's
  pk in `additional_data["job_customer"]`. The audit page filters on it (indexed on
  PostgreSQL, see migration 0001).
- **Document reads.** `audit_read(job_customer=…, document="…")` is the one line a view calls
  when it hands out a document about a person (PDF, DOCX, export).
- **Masked health values.** Fields registered with `mask_fields` (the diagnosis and health
  notes) are stored fully masked (`mask_value`, `AUDITLOG_MASK_CALLABLE`): only that they
  changed, never what they say, nor how long they are.
- **Append-only.** Nothing in the app updates or deletes an entry: a saved entry cannot be
  saved again, an entry cannot be deleted, and `LogEntry.objects` refuses `update()` and
  `delete()`. On PostgreSQL a trigger (migration 0001) refuses UPDATE and DELETE on the table
  too, whatever the client, unless the transaction says it is the retention job (DELETE) or
  an approved erasure (UPDATE of the content only). `audit_maintenance()` is the only way in.
- **Retention.** `audit_retention_daily` (a daily job) deletes entries older than
  `VARIG_AUDIT_RETENTION_YEARS` years.
"""

import contextvars
import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from auditlog.models import LogEntry
from auditlog.signals import pre_log
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models, transaction
from django.db.models.signals import pre_delete, pre_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERSON_KEY = "job_customer"
DOCUMENT_KEY = "document"
# A masked value: the same whatever the value was, so not even its length is kept.
MASK = "••••••"

# Documents about persons, by the key a view passes to `audit_read` (the audit page shows the
# label; an unknown key is shown as it is).
DOCUMENT_LABELS = {
    "welcome_pack": _("Welcome pack (PDF)"),
    "earnings": _("Earnings calculation (PDF)"),
    "contract": _("Contract draft (PDF or Word)"),
    "accommodation_guide": _("Accommodation guide (PDF)"),
    "export_json": _("Data export (JSON)"),
    "export_pdf": _("Data export (PDF)"),
}

RETENTION = "retention"
ERASURE = "erasure"
# The PostgreSQL settings the trigger checks (transaction-local, set by `audit_maintenance`).
PG_SETTINGS = {RETENTION: "varig.audit_retention", ERASURE: "varig.audit_erasure"}

APPEND_ONLY = "The audit log is append-only: entries are never changed or deleted."


class AuditLogAppendOnly(Exception):
    """An attempt to change or delete an audit entry outside the retention job or an erasure."""


def mask_value(value) -> str:
    """The value of a masked field as the change log keeps it (`AUDITLOG_MASK_CALLABLE`)."""
    return MASK


# --- The person of an entry ---------------------------------------------------------------------

MAX_PATH_DEPTH = 3
_PATHS: dict[type, tuple[str, ...] | None] = {}


def _job_customer_model():
    from varig.customers.models import JobCustomer

    return JobCustomer


def person_path(model) -> tuple[str, ...] | None:
    """The foreign keys from `model` to its job customer, e.g. `("job_customer",)` or
    `("plan", "job_customer")`; `()` for JobCustomer itself; None when it hangs on no person.

    Found from `_meta` (the shortest chain, up to three steps; a required key before a nullable
    one), so a new app's models need nothing here.
    """
    model = model._meta.concrete_model
    if model in _PATHS:
        return _PATHS[model]
    job_customer = _job_customer_model()
    path: tuple[str, ...] | None = None
    if model is job_customer:
        path = ()
    else:
        frontier: list[tuple[type, tuple[str, ...]]] = [(model, ())]
        seen = {model}
        for _depth in range(MAX_PATH_DEPTH):
            found: list[tuple[bool, tuple[str, ...]]] = []
            following: list[tuple[type, tuple[str, ...]]] = []
            for current, prefix in frontier:
                for field in sorted(current._meta.concrete_fields, key=lambda f: f.name):
                    if not (field.many_to_one or field.one_to_one) or field.related_model is None:
                        continue
                    target = field.related_model._meta.concrete_model
                    if target is job_customer:
                        found.append((field.null, (*prefix, field.name)))
                    elif target not in seen:
                        seen.add(target)
                        following.append((target, (*prefix, field.name)))
            if found:
                path = sorted(found)[0][1]
                break
            frontier = following
    _PATHS[model] = path
    return path


def person_id_of(instance) -> int | None:
    """The pk of the job customer `instance` is about (None when it is about no person)."""
    path = person_path(type(instance))
    if path is None:
        return None
    if path == ():
        return instance.pk
    obj = instance
    try:
        for name in path[:-1]:
            obj = getattr(obj, name)
            if obj is None:
                return None
        return getattr(obj, obj._meta.get_field(path[-1]).attname)
    except ObjectDoesNotExist:
        return None


# The instance django-auditlog is about to log (its `pre_log` signal carries it; the entry it
# then saves does not), so the entry can be given the person's pk.
_pending: contextvars.ContextVar = contextvars.ContextVar("varig_audit_pending", default=None)


def _remember_person(sender, instance, **kwargs) -> None:
    person = person_id_of(instance)
    if person is None:
        _pending.set(None)
    else:
        content_type = ContentType.objects.get_for_model(instance)
        _pending.set((content_type.pk, str(instance.pk), person))


def _link_person(sender, instance: LogEntry, **kwargs) -> None:
    """Give a new entry the pk of the person it is about (`additional_data["job_customer"]`)."""
    if not instance._state.adding:
        return
    data = instance.additional_data
    if data is None:
        data = {}
    if not isinstance(data, dict) or PERSON_KEY in data:
        return
    person = None
    pending = _pending.get()
    if pending and pending[0] == instance.content_type_id and pending[1] == str(instance.object_pk):
        person = pending[2]
    elif (
        instance.content_type_id == ContentType.objects.get_for_model(_job_customer_model()).pk
        and instance.object_id is not None
    ):
        person = instance.object_id
    if person is not None:
        instance.additional_data = {**data, PERSON_KEY: person}


# --- Document reads -----------------------------------------------------------------------------


def audit_read(*, job_customer, document: str = "", user=None) -> LogEntry:
    """Write to the audit log that `user` (default: the request's user) read `job_customer`'s
    record, or a `document` about them (a key of DOCUMENT_LABELS, e.g. "welcome_pack").

    Call it in every view that hands out a document naming a person:
    `audit_read(job_customer=jc, document="earnings")`.
    """
    data = {PERSON_KEY: job_customer.pk}
    if document:
        data[DOCUMENT_KEY] = str(document)
    extra = {"actor": user} if user is not None and user.is_authenticated else {}
    return LogEntry.objects.log_create(
        job_customer, force_log=True, action=LogEntry.Action.ACCESS, additional_data=data, **extra
    )


def audit_reads(*, job_customers: Iterable, document: str, user=None) -> None:
    """`audit_read` for each person named in one document (e.g. a company's welcome pack)."""
    for job_customer in job_customers:
        audit_read(job_customer=job_customer, document=document, user=user)


def document_label(key: str) -> str:
    return str(DOCUMENT_LABELS.get(key, key))


# --- Append-only ----------------------------------------------------------------------------------

_allowed: contextvars.ContextVar = contextvars.ContextVar(
    "varig_audit_maintenance", default=frozenset()
)


def _refuse_update(sender, instance, **kwargs) -> None:
    if not instance._state.adding and ERASURE not in _allowed.get():
        raise AuditLogAppendOnly(APPEND_ONLY)


def _refuse_delete(sender, instance, **kwargs) -> None:
    if RETENTION not in _allowed.get():
        raise AuditLogAppendOnly(APPEND_ONLY)


class AppendOnlyQuerySet(models.QuerySet):
    """LogEntry's queryset: `update()` and `delete()` only inside `audit_maintenance()`."""

    def update(self, **kwargs):
        if ERASURE not in _allowed.get():
            raise AuditLogAppendOnly(APPEND_ONLY)
        return super().update(**kwargs)

    def delete(self):
        if RETENTION not in _allowed.get():
            raise AuditLogAppendOnly(APPEND_ONLY)
        return super().delete()


def _pg_setting(purpose: str, value: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [PG_SETTINGS[purpose], value])


@contextmanager
def audit_maintenance(purpose: str) -> Iterator[None]:
    """A transaction in which audit entries may be deleted (`RETENTION`: the retention job, a
    demo reset) or their content masked (`ERASURE`: an approved erasure). The only way past the
    append-only guards; on PostgreSQL it sets the transaction-local setting the trigger checks."""
    if purpose not in PG_SETTINGS:
        raise ValueError(purpose)
    with transaction.atomic():
        token = _allowed.set(_allowed.get() | {purpose})
        _pg_setting(purpose, "on")
        try:
            yield
        finally:
            _allowed.reset(token)
        _pg_setting(purpose, "off")


# --- Retention ------------------------------------------------------------------------------------

RETENTION_BATCH = 5000


def retention_cutoff(*, on: datetime.date) -> datetime.datetime | None:
    """Entries before this moment are past the retention period (None: kept for ever)."""
    from varig.placements.schedule import add_months

    years = int(getattr(settings, "VARIG_AUDIT_RETENTION_YEARS", 10))
    if years <= 0:
        return None
    day = add_months(on, -12 * years)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_retention_daily(*, on: datetime.date) -> dict:
    """Daily job: delete the audit entries older than VARIG_AUDIT_RETENTION_YEARS years (in
    batches, each its own transaction; idempotent)."""
    cutoff = retention_cutoff(on=on)
    if cutoff is None:
        return {"deleted": 0, "before": None}
    deleted = 0
    while True:
        with audit_maintenance(RETENTION):
            ids = list(
                LogEntry.objects.filter(timestamp__lt=cutoff)
                .order_by()
                .values_list("pk", flat=True)[:RETENTION_BATCH]
            )
            if ids:
                batch = LogEntry.objects.filter(pk__in=ids)
                batch._raw_delete(batch.db)
        deleted += len(ids)
        if len(ids) < RETENTION_BATCH:
            break
    return {"deleted": deleted, "before": timezone.localdate(cutoff).isoformat()}


# --- Wiring ----------------------------------------------------------------------------------------


def connect() -> None:
    """Connect the receivers (PrivacyConfig.ready)."""
    pre_log.connect(_remember_person, dispatch_uid="varig.privacy.audit.remember_person")
    pre_save.connect(_link_person, sender=LogEntry, dispatch_uid="varig.privacy.audit.link")
    pre_save.connect(_refuse_update, sender=LogEntry, dispatch_uid="varig.privacy.audit.update")
    pre_delete.connect(_refuse_delete, sender=LogEntry, dispatch_uid="varig.privacy.audit.delete")
    LogEntry.objects._queryset_class = AppendOnlyQuerySet
