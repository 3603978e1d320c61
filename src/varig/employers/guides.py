"""The accommodation guide: a PDF for the company about how to work well with the person.

It says what has been agreed (the accommodations' `employer_text`, the only part an employer may
be told), who the fixed contact person is, what to do when things go wrong and whom to call.
It is made only when the person's active consent for that company lets the company be contacted
about them and lets the accommodations be shared; otherwise `guide_facts` refuses with a message
that says what is missing. Never the diagnosis, never the health notes: nothing else from the
person's record is read.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from varig.placements.models import Placement

from .contracts import employer_text_in_force, sharing_consent
from .documents import (
    Bullets,
    Document,
    Facts,
    Heading,
    Note,
    Paragraph,
    day,
    in_document_language,
    number,
    organisation_contact_rows,
)

GUIDE_NO_CONSENT = gettext_lazy(
    "The accommodation guide cannot be made: %(person)s has no active consent for "
    "%(company)s. Record the person's consent first (on their page), if they want the company "
    "to have it."
)
GUIDE_NO_CONTACT = gettext_lazy(
    "The accommodation guide cannot be made: %(person)s's consent does not let us contact "
    "%(company)s about them."
)
GUIDE_NOT_SHARED = gettext_lazy(
    "The accommodation guide cannot be made: %(person)s's consent for %(company)s does not let "
    "the accommodations be shared."
)


class GuideRefused(PermissionDenied):
    """The person's consent does not cover giving this company the guide."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class GuideFacts:
    placement: Placement
    company_name: str
    first_name: str
    person_name: str
    employer_text: str
    contact_name: str
    contact_role: str
    contact_phone: str
    contact_email: str
    advisor_name: str
    advisor_email: str
    consultant_name: str
    consultant_email: str
    hours_per_week: Decimal | None
    tasks: str


def guide_facts(*, placement: Placement, on: datetime.date | None = None) -> GuideFacts:
    """What the guide for `placement` says (company, contact, job customer with advisor loaded;
    got through the access-checked getter), or `GuideRefused` when the person's consent does
    not cover the company. Two queries."""
    on = on or timezone.localdate()
    person = placement.job_customer
    company = placement.company
    names = {"person": person.full_name, "company": company.name}
    consent = sharing_consent(job_customer_id=person.pk, company_id=company.pk, on=on)
    if consent is None:
        raise GuideRefused(str(GUIDE_NO_CONSENT) % names)
    if not consent.may_contact:
        raise GuideRefused(str(GUIDE_NO_CONTACT) % names)
    if not consent.share_accommodations:
        raise GuideRefused(str(GUIDE_NOT_SHARED) % names)
    contact = placement.contact
    advisor = person.advisor
    consultant = company.consultant
    return GuideFacts(
        placement=placement,
        company_name=company.name,
        first_name=person.first_name or person.full_name,
        person_name=person.full_name,
        employer_text=employer_text_in_force(
            job_customer_id=person.pk, on=max(on, placement.started_on)
        ),
        contact_name=contact.name if contact else "",
        contact_role=contact.role if contact else "",
        contact_phone=contact.phone if contact else "",
        contact_email=contact.email if contact else "",
        advisor_name=advisor.name if advisor else "",
        advisor_email=advisor.email if advisor else "",
        consultant_name=consultant.name if consultant else "",
        consultant_email=consultant.email if consultant else "",
        hours_per_week=placement.hours_per_week,
        tasks=placement.tasks,
    )


def _joined(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


@in_document_language
def accommodation_guide(*, facts: GuideFacts) -> Document:
    """The guide for the company: what is agreed, the contact person, when things go wrong,
    whom to call. Written in Danish."""
    name = facts.first_name
    organisation = settings.VARIG_ORGANISATION_NAME
    doc = Document(
        title=_("Working well together with %(name)s") % {"name": name},
        filename_stem=pgettext("file name", "accommodation-guide-%(company)s-%(person)s")
        % {"company": facts.company_name, "person": facts.person_name},
        lead=_(
            "For %(company)s. %(person)s has agreed that we share this with you: how you can "
            "work well together, what has been agreed, and what to do when something is "
            "difficult."
        )
        % {"company": facts.company_name, "person": facts.person_name},
    )

    doc.add(Heading(_("What has been agreed")))
    if facts.employer_text:
        doc.add(Paragraph(facts.employer_text))
    else:
        doc.add(
            Paragraph(
                _(
                    "Nothing has been written down yet. Talk to the advisor about what helps "
                    "%(name)s at work."
                )
                % {"name": name},
                muted=True,
            )
        )
    rows = []
    if facts.hours_per_week:
        rows.append(
            (_("Hours"), _("%(hours)s hours a week") % {"hours": number(facts.hours_per_week)})
        )
    if facts.tasks:
        rows.append((_("Work tasks"), facts.tasks))
    rows.append((_("Start"), day(facts.placement.started_on)))
    doc.add(Facts(rows=tuple(rows)))

    doc.add(Heading(_("The fixed contact person")))
    if facts.contact_name:
        doc.add(
            Paragraph(
                _(
                    "%(contact)s is %(name)s's fixed contact person: the one who gives the tasks "
                    "and the one %(name)s goes to with questions. Agree who takes over when "
                    "%(contact)s is away."
                )
                % {"contact": facts.contact_name, "name": name}
            ),
            Facts(
                rows=(
                    (
                        _("Contact person"),
                        _joined(
                            facts.contact_name,
                            facts.contact_role,
                            facts.contact_phone,
                            facts.contact_email,
                        ),
                    ),
                )
            ),
        )
    else:
        doc.add(
            Paragraph(
                _(
                    "Agree who is %(name)s's fixed contact person at work, the one who gives the "
                    "tasks, and tell us who it is."
                )
                % {"name": name}
            )
        )

    doc.add(
        Heading(_("When something goes wrong")),
        Bullets(
            items=(
                _("Say it early and calmly. Talk with %(name)s about what you see, not about why.")
                % {"name": name},
                _("Call the advisor the same day, also about small things. It is never a bother."),
                _(
                    "If %(name)s has a hard time at work: offer a break somewhere quiet and ask "
                    "what helps."
                )
                % {"name": name},
                _(
                    "When %(name)s is absent: agree how you keep in touch, and tell the advisor "
                    "if the absence drags on."
                )
                % {"name": name},
                _(
                    "Do not change the hours or the tasks without talking with %(name)s and with "
                    "us first."
                )
                % {"name": name},
                _(
                    "If the contact person leaves or gets other duties, tell us in good time: a "
                    "new contact person is a known risk, and we plan an extra follow-up."
                ),
            )
        ),
    )

    doc.add(Heading(_("Whom to call")))
    rows = []
    if facts.advisor_name:
        rows.append(
            (
                _("Advisor for %(names)s") % {"names": name},
                _joined(facts.advisor_name, facts.advisor_email),
            )
        )
    if facts.consultant_name:
        rows.append(
            (_("Your employer consultant"), _joined(facts.consultant_name, facts.consultant_email))
        )
    rows += [
        (f"{organisation}: {label.lower()}", value) for label, value in organisation_contact_rows()
    ]
    if rows:
        doc.add(Facts(rows=tuple(rows)))
    doc.add(
        Note(
            _(
                "We never tell you about diagnoses, and you do not need to know them to work "
                "well together: what matters is written here."
            )
        )
    )
    return doc
