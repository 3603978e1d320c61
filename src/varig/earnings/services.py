"""Writes for the earnings guide: rates (administrators only), kept with their history; saved
calculations and pension savings on a job customer's record (whoever may change the record).

Every service is keyword-only, validates before it saves, runs in one transaction and raises
`ValidationError` (messages are the constants below) or `PermissionDenied`. `actor=None` is the
system itself (migrations, demo data) and skips the role check.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varig.core.models import Role, User
from varig.customers.services import require_edit

from .models import Rate
from .rates import FIRST_YEAR, KEYS, LAST_YEAR, MUNICIPALITIES, Confidence, Unit

YEAR_RANGE = _("Choose a year from 2003 (when the current rules began) to 2100.")
RATE_EXISTS = _("There is already a figure for this rate and year. Open it and correct it instead.")
RATE_ALREADY_REPLACED = _(
    "This figure has been corrected or removed since you opened it. Open the newest one."
)
VALUE_NEGATIVE = _("The value cannot be negative.")
PERCENT_TOO_HIGH = _("A percentage is at most 100.")
AMOUNT_TOO_HIGH = _("That is more than 10,000,000 kr. Check the figure.")
MUNICIPALITY_REQUIRED = _("Choose the municipality the tax rate is for.")
MUNICIPALITY_UNKNOWN = _("Choose one of the 98 municipalities.")
MUNICIPALITY_NOT_USED = _("Only the municipal tax is per municipality.")
PUBLISHER_REQUIRED = _("Write who published the figure, e.g. Beskæftigelsesministeriet.")
RETRIEVED_REQUIRED = _("Write the date you found the figure.")
RETRIEVED_IN_FUTURE = _("The date retrieved cannot be in the future.")
URL_INVALID = _("Enter a full web address, starting with https://")
REASON_REQUIRED = _("Write why the figure is changed, so others can follow it.")
UNKNOWN_KEY = _("Choose one of the rates the guide uses.")

MAX_AMOUNT = Decimal(10_000_000)


def _require_administrator(actor: User | None) -> None:
    if actor is not None and not actor.has_role(Role.ADMINISTRATOR):
        raise PermissionDenied


def _validate(
    *,
    year: int,
    key: str,
    municipality: str,
    value: Decimal,
    source_url: str,
    publisher: str,
    retrieved_on: datetime.date | None,
    confidence: str,
) -> dict[str, list]:
    errors: dict[str, list] = {}
    if key not in KEYS:
        errors["key"] = [UNKNOWN_KEY]
        return errors
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = [YEAR_RANGE]
    info = KEYS[key]
    if value is None or value < 0:
        errors["value"] = [VALUE_NEGATIVE]
    elif info.unit == Unit.PERCENT and value > 100:
        errors["value"] = [PERCENT_TOO_HIGH]
    elif value > MAX_AMOUNT:
        errors["value"] = [AMOUNT_TOO_HIGH]
    if info.per_municipality:
        if not municipality:
            errors["municipality"] = [MUNICIPALITY_REQUIRED]
        elif municipality not in MUNICIPALITIES:
            errors["municipality"] = [MUNICIPALITY_UNKNOWN]
    elif municipality:
        errors["municipality"] = [MUNICIPALITY_NOT_USED]
    if not (publisher or "").strip():
        errors["publisher"] = [PUBLISHER_REQUIRED]
    if retrieved_on is None:
        errors["retrieved_on"] = [RETRIEVED_REQUIRED]
    elif retrieved_on > timezone.localdate():
        errors["retrieved_on"] = [RETRIEVED_IN_FUTURE]
    if source_url:
        try:
            URLValidator(schemes=["http", "https"])(source_url)
        except ValidationError:
            errors["source_url"] = [URL_INVALID]
    if confidence not in Confidence.values:
        errors["confidence"] = [_("Choose how sure the figure is.")]
    return errors


def _new_rate(*, actor, **fields) -> Rate:
    rate = Rate(unit=KEYS[fields["key"]].unit, recorded_by=actor, **fields)
    rate.full_clean(
        exclude=["recorded_by", "replaced_by", "replacement"], validate_constraints=False
    )
    try:
        with transaction.atomic():
            rate.save()
    except IntegrityError:
        # Another administrator entered the same figure at the same moment.
        raise ValidationError({"key": [RATE_EXISTS]}) from None
    return rate


@transaction.atomic
def rate_add(
    *,
    actor: User | None,
    year: int,
    key: str,
    value: Decimal,
    publisher: str,
    retrieved_on: datetime.date | None,
    confidence: str,
    municipality: str = "",
    source_title: str = "",
    source_url: str = "",
    note: str = "",
) -> Rate:
    """Enter a figure that is not there yet (a new year, a new municipality). Administrators.

    Refuses with RATE_EXISTS when the year already has a figure for the key (correct it
    instead). Audited.
    """
    _require_administrator(actor)
    municipality = (municipality or "").strip()
    errors = _validate(
        year=year,
        key=key,
        municipality=municipality,
        value=value,
        source_url=source_url,
        publisher=publisher,
        retrieved_on=retrieved_on,
        confidence=confidence,
    )
    if not errors and (
        Rate.objects.current().filter(year=year, key=key, municipality=municipality).exists()
    ):
        errors["key"] = [RATE_EXISTS]
    if errors:
        raise ValidationError(errors)
    return _new_rate(
        actor=actor,
        year=year,
        key=key,
        municipality=municipality,
        value=value,
        publisher=publisher.strip(),
        source_title=(source_title or "").strip(),
        source_url=(source_url or "").strip(),
        retrieved_on=retrieved_on,
        confidence=confidence,
        note=(note or "").strip(),
    )


def _lock_current(rate: Rate) -> Rate:
    locked = Rate.objects.select_for_update().get(pk=rate.pk)
    if locked.replaced_at is not None:
        raise ValidationError(RATE_ALREADY_REPLACED)
    return locked


@transaction.atomic
def rate_correct(
    *,
    actor: User | None,
    rate: Rate,
    value: Decimal,
    publisher: str,
    retrieved_on: datetime.date | None,
    confidence: str,
    reason: str,
    source_title: str = "",
    source_url: str = "",
    note: str = "",
) -> Rate:
    """Correct a figure: the old row is kept as history, marked replaced by the new one.

    Administrators. The year, rate and municipality stay the same. Refuses a figure that was
    corrected or removed since it was read (RATE_ALREADY_REPLACED).
    """
    _require_administrator(actor)
    rate = _lock_current(rate)
    errors = _validate(
        year=rate.year,
        key=rate.key,
        municipality=rate.municipality,
        value=value,
        source_url=source_url,
        publisher=publisher,
        retrieved_on=retrieved_on,
        confidence=confidence,
    )
    if not (reason or "").strip():
        errors["reason"] = [REASON_REQUIRED]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    rate.replaced_at = now
    rate.replaced_by = actor
    rate.replace_reason = reason.strip()
    rate.save(update_fields=["replaced_at", "replaced_by", "replace_reason"])
    new = _new_rate(
        actor=actor,
        year=rate.year,
        key=rate.key,
        municipality=rate.municipality,
        value=value,
        publisher=publisher.strip(),
        source_title=(source_title or "").strip(),
        source_url=(source_url or "").strip(),
        retrieved_on=retrieved_on,
        confidence=confidence,
        note=(note or "").strip(),
        recorded_at=now,
    )
    rate.replacement = new
    rate.save(update_fields=["replacement"])
    return new


@transaction.atomic
def rate_remove(*, actor: User | None, rate: Rate, reason: str) -> Rate:
    """Take a figure out of use (it was wrong and the right one is not known). Administrators.

    The row stays as history with the reason; the year then lacks the rate and the calculator
    says so. Refuses a figure already corrected or removed.
    """
    _require_administrator(actor)
    rate = _lock_current(rate)
    if not (reason or "").strip():
        raise ValidationError({"reason": [REASON_REQUIRED]})
    rate.replaced_at = timezone.now()
    rate.replaced_by = actor
    rate.replace_reason = reason.strip()
    rate.save(update_fields=["replaced_at", "replaced_by", "replace_reason"])
    return rate


# --- On a job customer's record ------------------------------------------------------------------

CALCULATION_REFUSED = _(
    "This calculation cannot be saved: the calculator could not answer it. Correct the year or "
    "the answers first."
)
TITLE_TOO_LONG = _("Write a title of at most 120 characters.")
SAVING_START_REQUIRED = _("Write the date they started saving.")
SAVING_START_IN_FUTURE = _("The start cannot be in the future.")
SAVING_STOP_IN_FUTURE = _("The stop cannot be in the future.")
SAVING_STOP_BEFORE_START = _("They cannot stop before they started.")
SAVING_ALREADY_OPEN = _(
    "They already save for a pension. Stop that saving first, or correct its start."
)
SAVING_OVERLAPS = _("The period overlaps another period of saving. Correct that one instead.")
SAVING_ALREADY_STOPPED = _("This saving has already been stopped.")
SAVING_STOP_REQUIRED = _("Write the date they stopped saving.")


@transaction.atomic
def calculation_save(
    *,
    actor: User | None,
    job_customer,
    inputs,
    pension_rules: str = "after_2003",
    title: str = "",
    now: datetime.datetime | None = None,
):
    """Calculate with the year's current rates and keep the inputs, the results and a copy of
    every rate used on the person's record. Refuses (CALCULATION_REFUSED) what the calculator
    refuses: a pension under the rules before 2003, a year that lacks a figure."""
    from . import saved
    from .calculator import inputs_to_dict
    from .models import SavedCalculation
    from .selectors import calculation

    require_edit(actor, job_customer)
    title = (title or "").strip()
    if len(title) > 120:
        raise ValidationError({"title": [TITLE_TOO_LONG]})
    page = calculation(inputs=inputs, pension_rules=pension_rules)
    if page.refused or page.result is None:
        raise ValidationError(CALCULATION_REFUSED)
    result = page.result
    record = SavedCalculation(
        job_customer=job_customer,
        title=title,
        year=inputs.year,
        pension_rules=pension_rules,
        inputs=inputs_to_dict(inputs),
        results=saved.result_to_dict(result),
        rates=[saved.rate_to_dict(rate) for rate in page.rates_used],
        hours_per_week=inputs.hours_per_week,
        hourly_wage=inputs.hourly_wage,
        kept_per_month=result.kept_per_month.quantize(Decimal("0.01")),
        created_by=actor,
        created_at=now or timezone.now(),
    )
    record.full_clean(exclude=["created_by"])
    record.save()
    return record


def _saving_errors(*, job_customer, started_on, stopped_on, exclude_pk=None) -> dict:
    from .models import PensionSaving

    today = timezone.localdate()
    errors: dict[str, list] = {}
    if started_on is None:
        errors["started_on"] = [SAVING_START_REQUIRED]
        return errors
    if started_on > today:
        errors["started_on"] = [SAVING_START_IN_FUTURE]
    if stopped_on is not None:
        if stopped_on > today:
            errors["stopped_on"] = [SAVING_STOP_IN_FUTURE]
        elif stopped_on < started_on:
            errors["stopped_on"] = [SAVING_STOP_BEFORE_START]
    if errors:
        return errors
    others = PensionSaving.objects.filter(job_customer=job_customer)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if stopped_on is None and others.filter(stopped_on__isnull=True).exists():
        errors["started_on"] = [SAVING_ALREADY_OPEN]
        return errors
    # Periods [start, stop) overlap when each starts before the other ends.
    overlap = others.filter(started_on__lt=stopped_on) if stopped_on else others
    overlap = overlap.filter(Q(stopped_on__isnull=True) | Q(stopped_on__gt=started_on))
    if overlap.exists():
        errors["started_on"] = [SAVING_OVERLAPS]
    return errors


@transaction.atomic
def pension_saving_start(
    *,
    actor: User | None,
    job_customer,
    started_on: datetime.date | None,
    stopped_on: datetime.date | None = None,
    note: str = "",
):
    """Record that the person saves for a pension (from `started_on`; a past period may be
    recorded with its stop). One open period at a time, periods never overlap."""
    from varig.customers.models import JobCustomer

    from .models import PensionSaving

    require_edit(actor, job_customer)
    # One person's periods are checked and written one writer at a time.
    JobCustomer.objects.select_for_update().filter(pk=job_customer.pk).first()
    errors = _saving_errors(job_customer=job_customer, started_on=started_on, stopped_on=stopped_on)
    if errors:
        raise ValidationError(errors)
    saving = PensionSaving(
        job_customer=job_customer,
        started_on=started_on,
        stopped_on=stopped_on,
        note=(note or "").strip(),
        created_by=actor,
    )
    saving.full_clean(exclude=["created_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            saving.save()
    except IntegrityError:
        raise ValidationError({"started_on": [SAVING_ALREADY_OPEN]}) from None
    return saving


@transaction.atomic
def pension_saving_stop(
    *,
    actor: User | None,
    saving,
    stopped_on: datetime.date | None,
    expected_version: int | None,
    note: str | None = None,
):
    """The person no longer saves for a pension from `stopped_on`. Refuses a stale form."""
    from varig.core.services import version_check_and_bump

    require_edit(actor, saving.job_customer)
    if stopped_on is None:
        raise ValidationError({"stopped_on": [SAVING_STOP_REQUIRED]})
    version_check_and_bump(
        saving, expected_version=expected_version, yours={"stopped_on": stopped_on}
    )
    fresh_stop = type(saving)._base_manager.values_list("stopped_on", flat=True).get(pk=saving.pk)
    if fresh_stop is not None:
        raise ValidationError(SAVING_ALREADY_STOPPED)
    errors = _saving_errors(
        job_customer=saving.job_customer,
        started_on=saving.started_on,
        stopped_on=stopped_on,
        exclude_pk=saving.pk,
    )
    if errors:
        raise ValidationError({"stopped_on": errors.get("stopped_on", errors.get("started_on"))})
    saving.stopped_on = stopped_on
    fields = ["stopped_on", "version"]
    if note is not None and note.strip():
        saving.note = f"{saving.note}\n{note.strip()}".strip()
        fields.append("note")
    saving.save(update_fields=fields)
    return saving


@transaction.atomic
def pension_saving_update(
    *,
    actor: User | None,
    saving,
    started_on: datetime.date | None,
    stopped_on: datetime.date | None,
    note: str,
    expected_version: int | None,
):
    """Correct a period of saving (its dates or note). Refuses a stale form (STALE_EDIT)."""
    from varig.core.services import version_check_and_bump

    require_edit(actor, saving.job_customer)
    note = (note or "").strip()
    version_check_and_bump(
        saving,
        expected_version=expected_version,
        yours={"started_on": started_on, "stopped_on": stopped_on, "note": note},
    )
    errors = _saving_errors(
        job_customer=saving.job_customer,
        started_on=started_on,
        stopped_on=stopped_on,
        exclude_pk=saving.pk,
    )
    if errors:
        raise ValidationError(errors)
    saving.started_on, saving.stopped_on, saving.note = started_on, stopped_on, note
    saving.full_clean(exclude=["created_by", "job_customer"], validate_constraints=False)
    saving.save(update_fields=["started_on", "stopped_on", "note", "version"])
    return saving
