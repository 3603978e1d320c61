"""Reads of the privacy app: the audit page's search."""

import datetime
import json
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varig.core.models import User
from varig.customers.models import JobCustomer

from .audit import MASK, PERSON_KEY, document_label
from .models import ErasureRequest

# The actions the audit page filters on, by the word in its URL.
ACTIONS = {
    "read": LogEntry.Action.ACCESS,
    "create": LogEntry.Action.CREATE,
    "update": LogEntry.Action.UPDATE,
    "delete": LogEntry.Action.DELETE,
}
ACTION_LABELS = {
    LogEntry.Action.ACCESS: gettext_lazy("Read"),
    LogEntry.Action.CREATE: gettext_lazy("Created"),
    LogEntry.Action.UPDATE: gettext_lazy("Changed"),
    LogEntry.Action.DELETE: gettext_lazy("Deleted"),
}
# A search by name finds at most this many persons (a more precise search narrows it down).
PERSONS_MATCHED_MAX = 50


def persons_matching(text: str) -> list[JobCustomer]:
    """The persons a search of the audit log means: the one with that reference, or else
    everyone whose name (or reference) contains every word; at most PERSONS_MATCHED_MAX + 1,
    so the page can tell there were more."""
    text = text.strip()
    if not text:
        return []
    only = ("pk", "ref", "first_name", "last_name")
    exact = list(JobCustomer.objects.filter(ref__iexact=text).only(*only))
    if exact:
        return exact
    qs = JobCustomer.objects.matching(text)
    return list(qs.only(*only).order_by("last_name", "first_name", "pk")[: PERSONS_MATCHED_MAX + 1])


def person_entries_q(person_ids) -> Q:
    """Entries about these persons, by the pk every entry about a person carries
    (`additional_data["job_customer"]`, see audit.py). One condition on purpose: on PostgreSQL
    it is the expression of the index `varig_audit_person_time_idx` (with an OR the planner
    scans the whole log by time: 140 ms instead of 0.1 ms over 300,000 entries)."""
    return Q(**{f"additional_data__{PERSON_KEY}__in": list(person_ids)})


def audit_entries(
    *,
    person_ids=None,
    actor: User | None = None,
    action: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
):
    """Audit entries, newest first, filtered (each filter optional; `person_ids` empty: none)."""
    qs = LogEntry.objects.select_related("actor", "content_type")
    if person_ids is not None:
        qs = qs.filter(person_entries_q(person_ids))
    if actor is not None:
        qs = qs.filter(actor=actor)
    if action is not None:
        qs = qs.filter(action=action)
    if date_from is not None:
        qs = qs.filter(timestamp__gte=_start_of(date_from))
    if date_to is not None:
        qs = qs.filter(timestamp__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return qs.order_by("-timestamp", "-pk")


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- Rows of the page ------------------------------------------------------------------------------


@dataclass
class Change:
    field: str
    before: str
    after: str
    hidden: bool = False


@dataclass
class AuditRow:
    entry: LogEntry
    action: str
    record: str
    person: JobCustomer | None
    person_id: int | None
    document: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class AuditPage:
    rows: list[AuditRow]
    number: int
    has_previous: bool
    has_next: bool

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), 10_000))
    except (TypeError, ValueError):
        return 1


def audit_page(entries, *, page=1, size: int | None = None) -> AuditPage:
    """One page of entries shaped for display, without counting them all (the log is large):
    a fixed number of queries whatever the page holds (the entries, the persons they are
    about, and the users and companies named in their changes)."""
    size = size or settings.VARIG_PAGE_SIZE
    number = _page_number(page)
    offset = (number - 1) * size
    batch = list(entries[offset : offset + size + 1])
    shown = batch[:size]
    person_ids = {_person_id(entry) for entry in shown} - {None}
    persons = {
        p.pk: p
        for p in JobCustomer.objects.filter(pk__in=person_ids).only(
            "pk", "ref", "first_name", "last_name"
        )
    }
    names = _names_for_foreign_keys(shown, persons)
    rows = [_row(entry, persons, names) for entry in shown]
    return AuditPage(rows=rows, number=number, has_previous=number > 1, has_next=len(batch) > size)


def _person_id(entry: LogEntry) -> int | None:
    data = entry.additional_data
    if isinstance(data, dict) and isinstance(data.get(PERSON_KEY), int):
        return data[PERSON_KEY]
    if entry.content_type.model_class() is JobCustomer:
        return entry.object_id
    return None


def _model_field(model, name: str):
    if model is None:
        return None
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return model_field if getattr(model_field, "concrete", False) else None


def _masked_fields(model) -> set[str]:
    if model is None or not auditlog.contains(model):
        return set()
    return set(auditlog.get_model_fields(model)["mask_fields"])


# Foreign keys whose values the page shows by name: the target model → the field shown.
NAMED_TARGETS = {
    "core.user": "name",
    "employers.company": "name",
    "employers.companycontact": "name",
}


def _names_for_foreign_keys(entries, persons) -> dict[tuple[str, str], str]:
    """Names for the foreign-key values in the entries' changes (one query per kind of target,
    at most len(NAMED_TARGETS)); persons by their reference."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in _changes(entry).items():
            target = _fk_target(model, name)
            if target is None or not isinstance(values, list):
                continue
            for value in values:
                if isinstance(value, str) and value.isdigit():
                    wanted.setdefault(target, set()).add(int(value))
    names: dict[tuple[str, str], str] = {}
    for label, pks in wanted.items():
        if label == "customers.jobcustomer":
            missing = pks - set(persons)
            found = dict(persons)
            if missing:
                found.update(
                    {p.pk: p for p in JobCustomer.objects.filter(pk__in=missing).only("pk", "ref")}
                )
            names.update({(label, str(pk)): p.ref for pk, p in found.items()})
            continue
        model = ContentType.objects.get_by_natural_key(*label.split(".")).model_class()
        attr = NAMED_TARGETS[label]
        for pk, value in model._base_manager.filter(pk__in=pks).values_list("pk", attr):
            names[(label, str(pk))] = value
    return names


def _fk_target(model, name: str) -> str | None:
    model_field = _model_field(model, name)
    if model_field is None or not (model_field.many_to_one or model_field.one_to_one):
        return None
    label = model_field.related_model._meta.label_lower
    if label in NAMED_TARGETS or label == "customers.jobcustomer":
        return label
    return None


def _changes(entry: LogEntry) -> dict:
    changes = entry.changes
    if isinstance(changes, str):
        try:
            changes = json.loads(changes)
        except ValueError:
            return {}
    return changes if isinstance(changes, dict) else {}


EMPTY = (None, "None", "", "[]", "{}")


def _display(model, name: str, value, names) -> str:
    if value is None or value == "None" or value == "":
        return "\u2013"  # an en dash: no value
    if not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False, default=str)
    model_field = _model_field(model, name)
    if model_field is None:
        return value
    target = _fk_target(model, name)
    if target is not None:
        return names.get((target, value), f"#{value}")
    if model_field.is_relation:
        return f"#{value}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    internal = model_field.get_internal_type()
    if internal == "BooleanField":
        return _("Yes") if value == "True" else _("No") if value == "False" else value
    if internal == "DateField" and (day := parse_date(value)):
        return formats.date_format(day, "SHORT_DATE_FORMAT")
    if internal == "DateTimeField":
        try:
            moment = parse_datetime(value.replace(" ", "T", 1))
        except ValueError:
            moment = None
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, datetime.UTC)
            return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    return value


def _row(entry: LogEntry, persons, names) -> AuditRow:
    model = entry.content_type.model_class()
    masked = _masked_fields(model)
    changes = []
    for name, values in _changes(entry).items():
        model_field = _model_field(model, name)
        label = str(model_field.verbose_name) if model_field is not None else name
        if name in masked or (isinstance(values, list) and MASK in values):
            changes.append(Change(field=label, before="", after="", hidden=True))
        elif isinstance(values, dict) and values.get("type") == "m2m":
            objects = ", ".join(str(o) for o in values.get("objects", []))
            added = values.get("operation") == "add"
            changes.append(
                Change(field=label, before="" if added else objects, after=objects if added else "")
            )
        elif isinstance(values, list) and len(values) == 2:
            if entry.action == LogEntry.Action.CREATE and (name == "id" or values[1] in EMPTY):
                continue  # a new record: only the values it was given
            changes.append(
                Change(
                    field=label,
                    before=_display(model, name, values[0], names),
                    after=_display(model, name, values[1], names),
                )
            )
        else:
            changes.append(
                Change(field=label, before="", after=_display(None, name, values, names))
            )
    person_id = _person_id(entry)
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    kind = str(model._meta.verbose_name) if model is not None else entry.content_type.model
    return AuditRow(
        entry=entry,
        action=str(ACTION_LABELS.get(entry.action, entry.action)),
        record=f"{kind[:1].upper()}{kind[1:]}: {entry.object_repr}",
        person=persons.get(person_id),
        person_id=person_id,
        document=document_label(data["document"]) if data.get("document") else "",
        changes=changes,
    )


# --- Erasure ------------------------------------------------------------------------------------

OPEN_REQUESTS_SHOWN = 100


@dataclass
class ErasureState:
    current: ErasureRequest | None  # the open request, or the carried-out one
    history: list

    @property
    def is_open(self) -> bool:
        return self.current is not None and self.current.status == "requested"

    @property
    def is_erased(self) -> bool:
        return self.current is not None and self.current.status == "erased"


def erasure_state(*, job_customer: JobCustomer) -> ErasureState:
    """The person's erasure requests, newest first, and the one that counts now (one query)."""
    history = list(
        ErasureRequest.objects.filter(job_customer=job_customer)
        .select_related("requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )
    current = next((r for r in history if r.status != ErasureRequest.Status.REJECTED), None)
    return ErasureState(current=current, history=history)


def erasure_requests_open() -> list:
    """Requests awaiting a second manager's approval, oldest first."""
    return list(
        ErasureRequest.objects.open()
        .select_related("job_customer", "requested_by")
        .order_by("requested_at", "pk")[:OPEN_REQUESTS_SHOWN]
    )


def erasure_due(*, before: datetime.date):
    """Persons whose association ended before `before` and who are not erased: the retention
    policy's list, longest ended first; each says whether a request is already open."""
    from django.db.models import Exists, OuterRef

    requests = ErasureRequest.objects.filter(job_customer=OuterRef("pk"))
    return (
        JobCustomer.objects.filter(associated_until__lt=before)
        .exclude(Exists(requests.filter(status=ErasureRequest.Status.ERASED)))
        .annotate(erasure_open=Exists(requests.filter(status=ErasureRequest.Status.REQUESTED)))
        .select_related("advisor")
        .only("pk", "ref", "first_name", "last_name", "associated_until", "advisor__name")
        .order_by("associated_until", "pk")
    )
