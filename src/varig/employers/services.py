"""Writes for companies, their contact persons and their notes.

Every function is keyword-only, validates before it saves and runs in one transaction: bad
input raises `ValidationError` (a dict keyed by field where a field is to blame) and changes
nothing. The error messages are module constants so views and tests use the same text. Writes
are audited by django-auditlog (the actor comes from the request).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import ValidationError as StdnumValidationError

from varig.core.models import User
from varig.core.permissions import STAFF_ROLES
from varig.core.refs import save_with_unique_ref
from varig.core.services import version_check_and_bump

from .models import Company, CompanyContact, CompanyNote, Offer, OnboardingItem, SupportRequest

REF_PREFIX = "VIRK-"
REF_DIGITS = 5

CVR_INVALID = _(
    "This is not a valid CVR number. A CVR number has 8 digits and a valid check digit."
)
CVR_TAKEN = _("This CVR number is already registered for the company “%(name)s”.")
REF_TAKEN = _("This reference is already used by the company “%(name)s”.")
NAME_REQUIRED = _("Enter the company's name.")
POSTCODE_INVALID = _("A postcode has exactly 4 digits.")
EMPLOYEES_NEGATIVE = _("The number of employees cannot be negative.")
CONTACT_NAME_REQUIRED = _("Enter the contact person's name.")
CONTACT_END_BEFORE_START = _("The last day cannot be before the day the contact person started.")
CONTACT_END_REQUIRED = _("Enter the contact person's last day.")
NOTE_EMPTY = _("Write the note before saving it.")
CONSULTANT_INVALID = _("Choose an active member of staff.")
OFFER_UNKNOWN = _("Choose one of the offers.")
TOLD_ON_REQUIRED = _("Enter the day the company was told.")
TOLD_ON_FUTURE = _("The day cannot be in the future.")
NOTHING_TO_RECORD = _("The company has already been told about every offer.")

_POSTCODE = re.compile(r"^\d{4}$")


def cvr_clean(value: str) -> str:
    """Return the compact CVR ("13 58 56 28" → "13585628"), "" for blank; raise on invalid."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return stdnum_cvr.validate(value)
    except StdnumValidationError as exc:
        raise ValidationError({"cvr": ValidationError(CVR_INVALID, code="cvr_invalid")}) from exc


def _unique_errors(*, company: Company, cvr: str, ref: str) -> dict[str, list[ValidationError]]:
    """CVR_TAKEN / REF_TAKEN naming the other company that holds the CVR or reference."""
    errors: dict[str, list[ValidationError]] = {}
    for field, value, message, code in (
        ("cvr", cvr, CVR_TAKEN, "cvr_taken"),
        ("ref", ref, REF_TAKEN, "ref_taken"),
    ):
        if not value:
            continue
        other = Company.objects.filter(**{field: value}).exclude(pk=company.pk).only("name")
        if (existing := other.first()) is not None:
            errors[field] = [ValidationError(message, code=code, params={"name": existing.name})]
    return errors


def _company_validate(
    *,
    company: Company,
    name: str,
    cvr: str,
    ref: str,
    postcode: str,
    employees: int | None,
    consultant: User | None = None,
) -> str:
    """Check every field the database cannot explain well, all at once; return the compact CVR."""
    errors: dict[str, list[ValidationError]] = {}
    if not name.strip():
        errors["name"] = [ValidationError(NAME_REQUIRED, code="required")]
    try:
        cvr = cvr_clean(cvr)
    except ValidationError as exc:
        errors["cvr"] = exc.error_dict["cvr"]
        cvr = ""
    if postcode and not _POSTCODE.match(postcode):
        errors["postcode"] = [ValidationError(POSTCODE_INVALID, code="postcode_invalid")]
    if employees is not None and employees < 0:
        errors["employees"] = [ValidationError(EMPLOYEES_NEGATIVE, code="employees_negative")]
    errors.update(_unique_errors(company=company, cvr=cvr, ref=ref))
    if consultant is not None and not (consultant.is_active and consultant.has_role(*STAFF_ROLES)):
        errors["consultant"] = [ValidationError(CONSULTANT_INVALID, code="consultant_invalid")]
    if errors:
        raise ValidationError(errors)
    return cvr


def _company_write(company: Company, *, cvr: str, ref: str, **fields) -> Company:
    """Validate, assign and save the fields shared by create and update.

    A blank `ref` keeps the company's reference, or generates one for a new company; a
    generated reference that a concurrent save took a moment ago is retried.
    """
    ref = ref.strip()
    fields = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    company.cvr = _company_validate(
        company=company,
        name=fields["name"],
        cvr=cvr,
        ref=ref if ref != company.ref else "",
        postcode=fields["postcode"],
        employees=fields["employees"],
        consultant=fields.get("consultant"),
    )
    for field, value in fields.items():
        setattr(company, field, value)
    generate_ref = not ref and not company.ref
    if ref:
        company.ref = ref
    company.full_clean(
        exclude=["ref"] if generate_ref else None, validate_unique=False, validate_constraints=False
    )

    def name_the_clash() -> None:
        # Someone saved the same CVR or reference a moment ago: say which (else retry).
        errors = _unique_errors(
            company=company, cvr=company.cvr, ref="" if generate_ref else company.ref
        )
        if errors:
            raise ValidationError(errors)

    save_with_unique_ref(
        company,
        prefix=REF_PREFIX,
        digits=REF_DIGITS,
        generate=generate_ref,
        on_conflict=name_the_clash,
    )
    return company


@transaction.atomic
def company_create(
    *,
    name: str,
    cvr: str = "",
    ref: str = "",
    industry: str = "",
    address: str = "",
    postcode: str = "",
    city: str = "",
    employees: int | None = None,
    offered_jobs: str = "",
    strengths: str = "",
    notes: str = "",
    consultant: User | None = None,
) -> Company:
    """Create a company in the network. Any staff member may call it.

    The CVR is optional; when given it must be valid (check digit) and not belong to another
    company, and it is stored compact. A blank `ref` gets the next "VIRK-00001" style number.
    """
    company = _company_write(
        Company(),
        name=name,
        cvr=cvr,
        ref=ref,
        industry=industry,
        address=address,
        postcode=postcode,
        city=city,
        employees=employees,
        offered_jobs=offered_jobs,
        strengths=strengths,
        notes=notes,
        consultant=consultant,
    )
    _matching_profile(company)
    return company


def _matching_profile(company: Company) -> None:
    """Matching reads the company's words from its profile: keep it up to date."""
    from .matching import match_profile_update

    match_profile_update(company=company)


@transaction.atomic
def company_update(
    *,
    company: Company,
    expected_version: int | None,
    name: str,
    cvr: str = "",
    ref: str = "",
    industry: str = "",
    address: str = "",
    postcode: str = "",
    city: str = "",
    employees: int | None = None,
    offered_jobs: str = "",
    strengths: str = "",
    notes: str = "",
    consultant: User | None = None,
) -> Company:
    """Save every field of a company's edit form. Any staff member may call it.

    Refuses with `core.services.STALE_EDIT` when someone saved the company after
    `expected_version` was read; a blank `ref` keeps the current reference. The row is read
    afresh (a model form may have changed the instance it was given).
    """
    company = Company.objects.select_for_update().get(pk=company.pk)
    fields = {
        "name": name,
        "cvr": cvr,
        "ref": ref,
        "industry": industry,
        "address": address,
        "postcode": postcode,
        "city": city,
        "employees": employees,
        "offered_jobs": offered_jobs,
        "strengths": strengths,
        "notes": notes,
        "consultant": consultant,
    }
    version_check_and_bump(company, expected_version=expected_version, yours=fields)
    company = _company_write(company, **fields)
    _matching_profile(company)
    return company


def _contact_validate(
    *, name: str, active_from: datetime.date | None, active_until: datetime.date | None
) -> None:
    errors: dict[str, list[ValidationError]] = {}
    if not name.strip():
        errors["name"] = [ValidationError(CONTACT_NAME_REQUIRED, code="required")]
    if active_from and active_until and active_until < active_from:
        errors["active_until"] = [
            ValidationError(CONTACT_END_BEFORE_START, code="end_before_start")
        ]
    if errors:
        raise ValidationError(errors)


def _contact_assign_and_save(contact: CompanyContact, **fields) -> CompanyContact:
    _contact_validate(
        name=fields["name"], active_from=fields["active_from"], active_until=fields["active_until"]
    )
    for field, value in fields.items():
        setattr(contact, field, value.strip() if isinstance(value, str) else value)
    contact.full_clean(validate_constraints=False)
    contact.save()
    return contact


@transaction.atomic
def contact_create(
    *,
    company: Company,
    name: str,
    role: str = "",
    phone: str = "",
    email: str = "",
    is_mentor: bool = False,
    active_from: datetime.date | None = None,
    active_until: datetime.date | None = None,
) -> CompanyContact:
    """Add a contact person (or mentor / nearest leader) to a company. Any staff member."""
    return _contact_assign_and_save(
        CompanyContact(company=company),
        name=name,
        role=role,
        phone=phone,
        email=email,
        is_mentor=is_mentor,
        active_from=active_from,
        active_until=active_until,
    )


@transaction.atomic
def contact_update(
    *,
    contact: CompanyContact,
    name: str,
    role: str = "",
    phone: str = "",
    email: str = "",
    is_mentor: bool = False,
    active_from: datetime.date | None = None,
    active_until: datetime.date | None = None,
    expected_version: int | None = None,
) -> CompanyContact:
    """Save every field of a contact person's edit form. Any staff member.

    Refuses with STALE_EDIT (and what changed) when someone saved the contact, or recorded
    that they left, after `expected_version` was read.
    """
    contact = CompanyContact.objects.get(pk=contact.pk)
    fields = {
        "name": name,
        "role": role,
        "phone": phone,
        "email": email,
        "is_mentor": is_mentor,
        "active_from": active_from,
        "active_until": active_until,
    }
    yours = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    version_check_and_bump(contact, expected_version=expected_version, yours=yours)
    return _contact_assign_and_save(contact, **fields)


@transaction.atomic
def contact_end(*, contact: CompanyContact, active_until: datetime.date | None) -> CompanyContact:
    """Record that a contact person has left: `active_until` is their last day (inclusive).

    The placements that name this person as contact keep the link (the history stays true);
    the company page flags current ones so a new contact person can be chosen.
    """
    if active_until is None:
        raise ValidationError(
            {"active_until": ValidationError(CONTACT_END_REQUIRED, code="required")}
        )
    contact = CompanyContact.objects.get(pk=contact.pk)
    _contact_validate(name=contact.name, active_from=contact.active_from, active_until=active_until)
    version_check_and_bump(contact, expected_version=None)  # an open edit form is stale now
    contact.active_until = active_until
    contact.full_clean(validate_constraints=False)
    contact.save(update_fields=["active_until", "version"])
    return contact


@transaction.atomic
def company_note_create(*, company: Company, author, text: str) -> CompanyNote:
    """Add a note about the company (never about a person's health). Any staff member."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ValidationError(NOTE_EMPTY, code="required")})
    note = CompanyNote(company=company, author=author, text=text)
    note.full_clean(exclude=["author"])
    note.save()
    return note


# --- Onboarding: the offers the company has been told about --------------------------------------


def _told_on_validate(told_on: datetime.date | None) -> None:
    if told_on is None:
        raise ValidationError({"told_on": ValidationError(TOLD_ON_REQUIRED, code="required")})
    if told_on > timezone.localdate():
        raise ValidationError({"told_on": ValidationError(TOLD_ON_FUTURE, code="future")})


@transaction.atomic
def onboarding_record(
    *,
    company: Company,
    offer: str,
    told_on: datetime.date | None,
    told_by: User | None,
    note: str = "",
) -> OnboardingItem:
    """Record that the company has been told about `offer` (on `told_on`, by `told_by`, and
    how). Telling it again replaces the date, the person and the note. Any staff member."""
    if offer not in Offer.values:
        raise ValidationError({"offer": ValidationError(OFFER_UNKNOWN, code="invalid")})
    _told_on_validate(told_on)
    item = OnboardingItem.objects.select_for_update().filter(
        company=company, offer=offer
    ).first() or OnboardingItem(company=company, offer=offer)
    item.told_on = told_on
    item.told_by = told_by
    item.note = (note or "").strip()
    item.full_clean(exclude=["told_by"], validate_unique=False, validate_constraints=False)
    item.save()
    return item


@transaction.atomic
def onboarding_record_gaps(
    *, company: Company, told_on: datetime.date | None, told_by: User | None, note: str = ""
) -> list[OnboardingItem]:
    """Record every offer the company has not been told about yet as told now (for example
    when the welcome pack was handed over and gone through). Any staff member."""
    _told_on_validate(told_on)
    # Lock the company row so two people recording at once cannot both create the same rows.
    Company.objects.select_for_update().filter(pk=company.pk).first()
    known = set(OnboardingItem.objects.filter(company=company).values_list("offer", flat=True))
    missing = [offer for offer in Offer.values if offer not in known]
    if not missing:
        raise ValidationError(NOTHING_TO_RECORD, code="nothing_to_record")
    note = (note or "").strip()
    items = []
    for offer in missing:
        item = OnboardingItem(
            company=company, offer=offer, told_on=told_on, told_by=told_by, note=note
        )
        item.full_clean(exclude=["told_by"], validate_unique=False, validate_constraints=False)
        item.save()
        items.append(item)
    return items


@transaction.atomic
def onboarding_undo(*, company: Company, offer: str) -> None:
    """Mark an offer as not told after all (a mistake). Any staff member; audited."""
    if offer not in Offer.values:
        raise ValidationError({"offer": ValidationError(OFFER_UNKNOWN, code="invalid")})
    for item in OnboardingItem.objects.filter(company=company, offer=offer):
        item.delete()


def disclosure_record(*, job_customers, document: str = "") -> None:
    """Write to the audit log that these persons' data went into a document for a company
    (`document`: a key of varig.privacy.audit.DOCUMENT_LABELS; the actor is the request's
    user, through auditlog's middleware)."""
    from varig.privacy.audit import audit_reads

    audit_reads(job_customers=job_customers, document=document)


# --- Support requests (the open door) -------------------------------------------------------------

SUPPORT_SUBJECT_REQUIRED = _("Write in a few words what the request is about.")
SUPPORT_SOURCE_INVALID = _("Choose whether a company or a job customer asked.")
SUPPORT_COMPANY_REQUIRED = _("Choose the company that asked.")
SUPPORT_JOB_CUSTOMER_REQUIRED = _("Choose the job customer who asked.")
SUPPORT_CONTACT_OTHER_COMPANY = _("This contact person does not belong to the company.")
SUPPORT_CHANNEL_INVALID = _("Choose how they asked.")
SUPPORT_URGENCY_INVALID = _("Choose how urgent it is.")
SUPPORT_RECEIVED_REQUIRED = _("Enter when the request came in.")
SUPPORT_IN_FUTURE = _("The time cannot be in the future.")
SUPPORT_ANSWER_BEFORE_RECEIVED = _("The answer cannot come before the request.")
SUPPORT_ALREADY_ANSWERED = _("The request has already been answered.")
SUPPORT_ALREADY_CLOSED = _("The request has already been settled.")
SUPPORT_RESOLUTION_REQUIRED = _("Write how the request was settled.")
SUPPORT_RESPONSIBLE_INVALID = _("Choose an active member of staff.")


def _support_time_check(field: str, value: datetime.datetime | None, *, message=None) -> None:
    if value is None:
        raise ValidationError({field: ValidationError(message or SUPPORT_RECEIVED_REQUIRED)})
    if value > timezone.now() + datetime.timedelta(minutes=1):
        raise ValidationError({field: ValidationError(SUPPORT_IN_FUTURE, code="future")})


def _default_responsible(*, company, job_customer, received_by):
    """Who should answer: the person's advisor, else the company's employer consultant, else
    whoever took the request."""
    if job_customer is not None and job_customer.advisor_id:
        return job_customer.advisor
    if company is not None and company.consultant_id:
        return company.consultant
    return received_by


@transaction.atomic
def support_request_create(
    *,
    source: str,
    channel: str,
    subject: str,
    received_at: datetime.datetime | None,
    received_by: User | None,
    urgency: str = SupportRequest.Urgency.NORMAL,
    description: str = "",
    company: Company | None = None,
    contact: CompanyContact | None = None,
    job_customer=None,
    responsible: User | None = None,
    answered: bool = False,
) -> SupportRequest:
    """Record a request for help from a company or a job customer. Any staff member (the view
    checks that the user may see the job customer). `answered`: the one who took it answered
    it there and then, so the first response is the moment it came in. The responsible
    defaults to the person's advisor, else the company's employer consultant, else the taker."""
    errors: dict[str, list] = {}
    subject = (subject or "").strip()
    if not subject:
        errors["subject"] = [ValidationError(SUPPORT_SUBJECT_REQUIRED, code="required")]
    if source not in SupportRequest.Source.values:
        errors["source"] = [ValidationError(SUPPORT_SOURCE_INVALID, code="invalid")]
    elif source == SupportRequest.Source.COMPANY and company is None:
        errors["company"] = [ValidationError(SUPPORT_COMPANY_REQUIRED, code="required")]
    elif source == SupportRequest.Source.JOB_CUSTOMER and job_customer is None:
        errors["job_customer"] = [ValidationError(SUPPORT_JOB_CUSTOMER_REQUIRED, code="required")]
    if contact is not None and (company is None or contact.company_id != company.pk):
        errors["contact"] = [ValidationError(SUPPORT_CONTACT_OTHER_COMPANY, code="invalid")]
    if channel not in SupportRequest.Channel.values:
        errors["channel"] = [ValidationError(SUPPORT_CHANNEL_INVALID, code="invalid")]
    if urgency not in SupportRequest.Urgency.values:
        errors["urgency"] = [ValidationError(SUPPORT_URGENCY_INVALID, code="invalid")]
    if responsible is not None and not (
        responsible.is_active and responsible.has_role(*STAFF_ROLES)
    ):
        errors["responsible"] = [ValidationError(SUPPORT_RESPONSIBLE_INVALID, code="invalid")]
    try:
        _support_time_check("received_at", received_at)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    request = SupportRequest(
        source=source,
        channel=channel,
        urgency=urgency,
        subject=subject,
        description=(description or "").strip(),
        company=company,
        contact=contact,
        job_customer=job_customer,
        received_at=received_at,
        received_by=received_by,
        responsible=responsible
        or _default_responsible(
            company=company, job_customer=job_customer, received_by=received_by
        ),
    )
    if answered:
        request.first_response_at = received_at
        request.first_response_by = received_by
    request.full_clean(exclude=["received_by", "responsible", "first_response_by"])
    request.save()
    return request


@transaction.atomic
def support_request_answer(
    *, support_request: SupportRequest, by: User, at: datetime.datetime | None
) -> SupportRequest:
    """Record the first answer to a request: who and when. Only once; not before the request
    came in, not in the future. Any staff member who may see the request."""
    support_request = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
    if support_request.first_response_at is not None:
        raise ValidationError(SUPPORT_ALREADY_ANSWERED, code="answered")
    _support_time_check("at", at, message=SUPPORT_RECEIVED_REQUIRED)
    if at < support_request.received_at:
        raise ValidationError(
            {"at": ValidationError(SUPPORT_ANSWER_BEFORE_RECEIVED, code="before_received")}
        )
    support_request.first_response_at = at
    support_request.first_response_by = by
    support_request.save(update_fields=["first_response_at", "first_response_by"])
    return support_request


@transaction.atomic
def support_request_close(
    *, support_request: SupportRequest, by: User, resolution: str
) -> SupportRequest:
    """Settle a request, saying how. A request settled before anyone recorded an answer is
    answered now, by the one who settles it."""
    support_request = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
    if support_request.closed_at is not None:
        raise ValidationError(SUPPORT_ALREADY_CLOSED, code="closed")
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError(
            {"resolution": ValidationError(SUPPORT_RESOLUTION_REQUIRED, code="required")}
        )
    now = max(timezone.now(), support_request.received_at)
    if support_request.first_response_at is None:
        support_request.first_response_at = now
        support_request.first_response_by = by
    support_request.closed_at = now
    support_request.closed_by = by
    support_request.resolution = resolution
    support_request.save(
        update_fields=[
            "first_response_at",
            "first_response_by",
            "closed_at",
            "closed_by",
            "resolution",
        ]
    )
    return support_request
