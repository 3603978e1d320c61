"""Writes for the earnings guide: rates (administrators only), kept with their history.

Every service is keyword-only, validates before it saves, runs in one transaction and raises
`ValidationError` (messages are the constants below) or `PermissionDenied`. `actor=None` is the
system itself (migrations, demo data) and skips the role check.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varig.core.models import Role, User

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
