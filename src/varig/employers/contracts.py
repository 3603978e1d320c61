"""Contract drafts for a placement, and what the company must register with the municipality.

A small company rarely writes contracts for a praktik or a skånejob ("Måske egentlig bare en
kontrakt, som jeg bare skulle gennemgå og godkende"): the draft is prefilled from the placement
(the parties, CVR, start, hours, tasks, wage and contact person) and from the accommodations the
employer may know, so the company only has to read it, correct it and sign.

What a draft may hold from the person's record is decided by `contract_facts` in one place:
name and address (a contract names its parties), the placement's facts, and the accommodations'
`employer_text` only when the person's active consent for that company lets accommodations be
shared. Nothing else from the accommodations, and never anything from the health information.

The municipality checklist depends on the kind of placement only; it is shown on the contract
page and printed in both formats of the draft.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from varig.customers.models import Accommodation, Consent
from varig.placements.models import Placement

from .documents import (
    Bullets,
    Checklist,
    Document,
    Facts,
    Heading,
    Note,
    Paragraph,
    Signatures,
    company_address,
    day,
    in_document_language,
    number,
    organisation_contact_rows,
)

BLANK = "________________________"

# What the company must see to with the municipality (the jobcentre in the person's
# municipality), by kind of placement. Lazy: shown in the user's language on the page and in
# Danish in the documents.
MUNICIPALITY_CHECKLISTS: dict[str, tuple] = {
    Placement.Kind.PRAKTIK: (
        gettext_lazy(
            "Agree the praktik with the jobcentre in the person's municipality before it starts."
        ),
        gettext_lazy(
            "Register the praktik in the municipality's system (Vitas): the period, the hours "
            "and the tasks. We can help you fill it in."
        ),
        gettext_lazy(
            "Check with the jobcentre who covers industrial injury insurance during the praktik."
        ),
        gettext_lazy(
            "Tell the jobcentre and us if the praktik is extended, changed or ends early."
        ),
    ),
    Placement.Kind.SKAANEJOB: (
        gettext_lazy(
            "Apply to the jobcentre in the employee's municipality for the wage subsidy for a "
            "skånejob before the employment starts (in Vitas). We can help you."
        ),
        gettext_lazy("Send the signed contract to the jobcentre."),
        gettext_lazy(
            "Report wages and hours as for other employees (eIndkomst), and keep the "
            "employee covered by your industrial injury insurance."
        ),
        gettext_lazy(
            "Tell the jobcentre and us about changes in hours or wages, and if the employment ends."
        ),
    ),
    Placement.Kind.FLEKSJOB: (
        gettext_lazy(
            "Make sure the municipality has approved the employee for fleksjob before the "
            "employment starts."
        ),
        gettext_lazy(
            "Send the signed contract with the agreed hours and wage to the jobcentre, so "
            "the flex wage subsidy can be calculated."
        ),
        gettext_lazy("Report the hours actually worked and the wage every month (eIndkomst)."),
        gettext_lazy(
            "Tell the jobcentre and us about changes in hours or wages, and if the employment ends."
        ),
    ),
    Placement.Kind.ORDINAERT: (
        gettext_lazy(
            "An ordinary job without a subsidy needs no registration with the municipality."
        ),
        gettext_lazy(
            "Report wages as for other employees (eIndkomst) and keep the employee covered by "
            "your industrial injury insurance."
        ),
        gettext_lazy(
            "The wage may affect the employee's pension: the employee reports the income to "
            "Udbetaling Danmark. We help them with it."
        ),
    ),
}


def municipality_checklist(kind: str) -> tuple:
    """What the company must register with (or tell) the municipality for this kind."""
    return MUNICIPALITY_CHECKLISTS[Placement.Kind(kind)]


@dataclass(frozen=True)
class ContractFacts:
    """Everything a contract draft says, read once (see the module docstring for what may be
    read from the person's record)."""

    placement: Placement
    company_name: str
    company_cvr: str
    company_address: str
    person_name: str
    person_address: str
    contact_name: str
    contact_role: str
    contact_phone: str
    contact_email: str
    advisor_name: str
    advisor_email: str
    # The accommodations' employer text, when consent lets it be shared; else None.
    accommodations: str | None
    # Why the accommodations are left out: "" (they are in), "no_consent", "not_shared", "none".
    accommodations_left_out: str

    @property
    def kind(self) -> str:
        return self.placement.kind


LEFT_OUT_REASONS = {
    "no_consent": gettext_lazy(
        "The accommodations are left out: the person has no active consent for this company."
    ),
    "not_shared": gettext_lazy(
        "The accommodations are left out: the person's consent for this company does not "
        "let accommodations be shared."
    ),
    "none": gettext_lazy(
        "No text for the employer has been written in the person's accommodations yet."
    ),
}


def sharing_consent(*, job_customer_id: int, company_id: int, on: datetime.date) -> Consent | None:
    """The person's active consent for the company on `on` (the newest), or None."""
    return (
        Consent.objects.active_on(on)
        .filter(job_customer_id=job_customer_id, company_id=company_id)
        .order_by("-given_on", "-pk")
        .first()
    )


def employer_text_in_force(*, job_customer_id: int, on: datetime.date) -> str:
    """The employer-visible text of the accommodations in force on `on` ("" for none). Reads
    that one column: the other accommodation fields never leave the organisation."""
    row = (
        Accommodation.objects.filter(job_customer_id=job_customer_id, valid_from__lte=on)
        .order_by("-valid_from", "-pk")
        .values_list("employer_text", flat=True)
        .first()
    )
    return (row or "").strip()


def contract_facts(*, placement: Placement, on: datetime.date | None = None) -> ContractFacts:
    """The facts of a contract draft for `placement` (its company, contact and job customer
    loaded; the caller got it through the access-checked getter). Two queries."""
    on = on or timezone.localdate()
    person = placement.job_customer
    company = placement.company
    contact = placement.contact
    consent = sharing_consent(job_customer_id=person.pk, company_id=company.pk, on=on)
    text = None
    if consent is None:
        left_out = "no_consent"
    elif not consent.share_accommodations:
        left_out = "not_shared"
    else:
        # A draft written before the start uses the accommodations agreed for the start.
        text = employer_text_in_force(job_customer_id=person.pk, on=max(on, placement.started_on))
        left_out = "" if text else "none"
        text = text or None
    place = " ".join(part for part in (person.postcode, person.municipality) if part)
    advisor = person.advisor
    return ContractFacts(
        placement=placement,
        company_name=company.name,
        company_cvr=company.cvr,
        company_address=company_address(company),
        person_name=person.full_name,
        person_address=", ".join(part for part in (person.address, place) if part),
        contact_name=contact.name if contact else "",
        contact_role=contact.role if contact else "",
        contact_phone=contact.phone if contact else "",
        contact_email=contact.email if contact else "",
        advisor_name=advisor.name if advisor else "",
        advisor_email=advisor.email if advisor else "",
        accommodations=text,
        accommodations_left_out=left_out,
    )


def contract_title(kind: str) -> str:
    titles = {
        Placement.Kind.PRAKTIK: _("Praktik agreement"),
        Placement.Kind.SKAANEJOB: _("Employment contract: skånejob"),
        Placement.Kind.FLEKSJOB: _("Employment contract: fleksjob"),
        Placement.Kind.ORDINAERT: _("Employment contract"),
    }
    return titles[Placement.Kind(kind)]


def _terms(kind: str) -> list[str]:
    """The standard terms of each kind, in plain words for the parties to check."""
    if kind == Placement.Kind.PRAKTIK:
        return [
            _(
                "The praktik is a period in which the company and the intern get to know each "
                "other and agree on expectations: tasks, hours and considerations."
            ),
            _(
                "The praktik is not an employment. The intern keeps their pension and is not "
                "paid a wage, unless otherwise agreed below."
            ),
            _("Either party may end the praktik at short notice; tell the advisor first."),
        ]
    terms = [
        _(
            "The employee is employed on the terms below. Other terms follow the law and any "
            "collective agreement that covers the workplace."
        ),
        _("Notice of termination follows the applicable rules for the employment."),
    ]
    if kind == Placement.Kind.SKAANEJOB:
        terms.insert(
            1,
            _(
                "The employment is a skånejob for a person on førtidspension. The company "
                "receives a wage subsidy from the municipality as agreed with the jobcentre."
            ),
        )
    elif kind == Placement.Kind.FLEKSJOB:
        terms.insert(
            1,
            _(
                "The employment is a fleksjob approved by the municipality. The wage is paid "
                "for the hours actually worked; the municipality pays the flex wage subsidy."
            ),
        )
    return terms


@in_document_language
def contract_draft(*, facts: ContractFacts) -> Document:
    """The contract draft for one placement: parties, the placement's facts, the agreed
    accommodations (employer text, with consent), follow-up, the municipality checklist and
    signature lines. Written in Danish."""
    placement = facts.placement
    kind = placement.kind
    is_praktik = kind == Placement.Kind.PRAKTIK
    organisation = settings.VARIG_ORGANISATION_NAME
    doc = Document(
        title=contract_title(kind),
        filename_stem=pgettext("file name", "contract-%(company)s-%(person)s")
        % {"company": facts.company_name, "person": facts.person_name},
        lead=_(
            "Draft prepared by %(organisation)s on %(day)s. Read it through, correct what "
            "does not fit, and sign it. Call us if anything is unclear."
        )
        % {"organisation": organisation, "day": day(timezone.localdate())},
    )
    person_label = _("Intern") if is_praktik else _("Employee")
    doc.add(
        Heading(_("The parties")),
        Facts(
            rows=(
                (_("Company"), facts.company_name),
                (_("CVR number"), facts.company_cvr or BLANK),
                (_("Company address"), facts.company_address or BLANK),
                (person_label, facts.person_name),
                (_("Address"), facts.person_address or BLANK),
                (_("CPR number"), BLANK),
            )
        ),
    )

    hours = (
        _("%(hours)s hours a week") % {"hours": number(placement.hours_per_week)}
        if placement.hours_per_week
        else BLANK
    )
    if placement.hourly_wage is not None:
        wage = _("%(wage)s kr. an hour") % {"wage": number(placement.hourly_wage)}
    elif is_praktik:
        wage = _("No wage (praktik)")
    else:
        wage = BLANK
    rows = [
        (_("Kind"), str(Placement.Kind(kind).label)),
        (_("Start"), day(placement.started_on)),
    ]
    if placement.planned_end_on:
        rows.append((_("Planned end"), day(placement.planned_end_on)))
    elif is_praktik:
        rows.append((_("Planned end"), BLANK))
    rows += [
        (_("Hours"), hours),
        (_("Work tasks"), placement.tasks or BLANK),
        (_("Wage"), wage),
    ]
    doc.add(
        Heading(_("The praktik") if is_praktik else _("The employment")), Facts(rows=tuple(rows))
    )

    contact = ", ".join(
        part
        for part in (
            facts.contact_name,
            facts.contact_role,
            facts.contact_phone,
            facts.contact_email,
        )
        if part
    )
    doc.add(
        Heading(_("Contact person at the company")),
        Paragraph(
            _(
                "%(person)s has one fixed contact person at the company, who gives the tasks "
                "and is the one to go to with questions."
            )
            % {"person": facts.person_name}
        ),
        Facts(rows=((_("Contact person"), contact or BLANK),)),
    )

    doc.add(Heading(_("Agreed considerations (skånehensyn)")))
    if facts.accommodations:
        doc.add(Paragraph(facts.accommodations))
    else:
        doc.add(
            Paragraph(_("To be agreed between the parties before the start:"), muted=True),
            Paragraph(BLANK + "\n" + BLANK),
        )

    doc.add(Heading(_("Terms")), Bullets(items=tuple(_terms(kind))))

    doc.add(
        Heading(_("Follow-up")),
        Paragraph(
            _(
                "%(organisation)s follows up with a talk within 14 days of the start and with "
                "meetings between the company, the %(role)s and us after 3, 6 and 12 months, and "
                "more often when needed."
            )
            % {"organisation": organisation, "role": person_label.lower()}
        ),
    )
    rows = []
    if facts.advisor_name:
        rows.append(
            (
                _("Advisor"),
                ", ".join(part for part in (facts.advisor_name, facts.advisor_email) if part),
            )
        )
    rows += [
        (f"{organisation}: {label.lower()}", value) for label, value in organisation_contact_rows()
    ]
    if rows:
        doc.add(Facts(rows=tuple(rows)))

    doc.add(
        Heading(_("What the company registers with the municipality")),
        Checklist(items=tuple(str(item) for item in municipality_checklist(kind))),
        Note(_("We are glad to help with the registration: call your advisor.")),
    )
    doc.add(Signatures(parties=(facts.company_name, facts.person_name)))
    return doc
