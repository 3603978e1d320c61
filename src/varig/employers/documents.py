"""The documents Varig hands to a company: the welcome pack, contract drafts and the
accommodation guide.

Each document is first built as a short list of plain blocks (headings, paragraphs, facts,
lists, check boxes, signature lines), then rendered by one PDF template
(`employers/pdf/document.html`, through `core.documents.render_pdf`) and, where the company
should edit it, as a DOCX (`core.documents.render_docx`). Both formats therefore always say the
same thing.

What a company may read is decided here, in one place: names, dates, the placement's facts and
the accommodations' `employer_text` when the person's consent covers that company. Nothing
else from a job customer's record (never the diagnosis or the health notes, nor the other
accommodation fields) is read by these builders.

Documents are written in Danish (`settings.LANGUAGE_CODE`) whatever language the user has
chosen: they go to Danish companies.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.utils import formats, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from varig.core.documents import render_docx, render_pdf
from varig.placements.models import FollowUp, Placement

from .models import Company, Offer

# --- Blocks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    kind: ClassVar[str] = "heading"
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str
    muted: bool = False


@dataclass(frozen=True)
class Note:
    """A paragraph set apart: what the reader should notice first."""

    kind: ClassVar[str] = "note"
    text: str


@dataclass(frozen=True)
class Facts:
    """Label/value rows, e.g. the parties of a contract."""

    kind: ClassVar[str] = "facts"
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Bullets:
    kind: ClassVar[str] = "bullets"
    items: tuple[str, ...]


@dataclass(frozen=True)
class Checklist:
    """Items with an empty box in front, to tick on paper."""

    kind: ClassVar[str] = "checklist"
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Signatures:
    """A line to sign on for each party, with the date."""

    kind: ClassVar[str] = "signatures"
    parties: tuple[str, ...]


@dataclass
class Document:
    title: str
    filename_stem: str
    lead: str = ""
    blocks: list = field(default_factory=list)

    def add(self, *blocks) -> None:
        self.blocks.extend(blocks)


def day(value: datetime.date | None) -> str:
    """A date as the reader writes it (dd-mm-åååå in Danish); "" for none."""
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def number(value: Decimal | float | int | None) -> str:
    """A number in the document's language ("12,5"), without needless decimals."""
    if value is None:
        return ""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    return formats.number_format(value, use_l10n=True)


def in_document_language(build: Callable[..., Document]) -> Callable[..., Document]:
    """Build the document in Danish (`settings.LANGUAGE_CODE`), whatever the user reads."""

    def wrapped(*args, **kwargs) -> Document:
        with translation.override(settings.LANGUAGE_CODE):
            return build(*args, **kwargs)

    wrapped.__doc__ = build.__doc__
    return wrapped


def as_pdf(document: Document) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf("employers/pdf/document.html", {"doc": document})


def as_docx(document: Document) -> bytes:
    """The document as an editable Word file (python-docx), block by block."""

    def build(docx) -> None:
        docx.add_heading(document.title, level=1)
        if document.lead:
            docx.add_paragraph(document.lead)
        for block in document.blocks:
            _docx_block(docx, block)

    with translation.override(settings.LANGUAGE_CODE):
        return render_docx(build, title=document.title)


def _docx_block(docx, block) -> None:
    from docx.shared import Pt

    if block.kind == "heading":
        docx.add_heading(block.text, level=block.level)
    elif block.kind == "paragraph":
        docx.add_paragraph(block.text)
    elif block.kind == "note":
        paragraph = docx.add_paragraph()
        paragraph.add_run(block.text).bold = True
    elif block.kind == "facts":
        table = docx.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in block.rows:
            cells = table.add_row().cells
            cells[0].text = label
            cells[0].paragraphs[0].runs[0].bold = True
            cells[1].text = value
        docx.add_paragraph()
    elif block.kind == "bullets":
        for item in block.items:
            docx.add_paragraph(item, style="List Bullet")
    elif block.kind == "checklist":
        for item in block.items:
            docx.add_paragraph(f"☐  {item}")
    elif block.kind == "table":
        table = docx.add_table(rows=1, cols=len(block.header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, block.header, strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for row in block.rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
        docx.add_paragraph()
    elif block.kind == "signatures":
        table = docx.add_table(rows=3, cols=len(block.parties))
        for column, party in enumerate(block.parties):
            table.cell(0, column).text = "\n\n"
            table.cell(1, column).text = "_" * 32
            label = table.cell(2, column).paragraphs[0]
            label.add_run(party).font.size = Pt(9)
            table.cell(2, column).add_paragraph(_("Date and signature")).runs[0].font.size = Pt(9)
    else:  # pragma: no cover - every block kind above
        raise ValueError(block.kind)


def filename(document: Document, extension: str) -> str:
    """An ASCII file name from the document's stem, e.g. "velkomstpakke-bageriet-oersted.pdf"
    (æ, ø and å written as ae, oe and aa, as Danes do without them)."""
    stem = document.filename_stem
    for letter, ascii_form in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        stem = stem.replace(letter, ascii_form).replace(letter.upper(), ascii_form.capitalize())
    return f"{slugify(stem)[:80] or 'dokument'}.{extension}"


# --- Shared pieces ---------------------------------------------------------------------------


def organisation_contact_rows() -> list[tuple[str, str]]:
    """The organisation's own phone, e-mail and address from settings (those that are set)."""
    rows = []
    for label, value in (
        (_("Phone"), settings.VARIG_ORGANISATION_PHONE),
        (_("E-mail"), settings.VARIG_ORGANISATION_EMAIL),
        (_("Address"), settings.VARIG_ORGANISATION_ADDRESS),
    ):
        if value:
            rows.append((label, value))
    return rows


def join_names(names: list[str]) -> str:
    """ "A", "A og B", "A, B og C" in the document's language."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def company_address(company: Company) -> str:
    place = " ".join(part for part in (company.postcode, company.city) if part)
    return ", ".join(part for part in (company.address, place) if part)


# --- The welcome pack ------------------------------------------------------------------------


def offer_text(offer: str) -> str:
    """What the welcome pack says about an offer, in plain words."""
    texts = {
        Offer.FOLLOWUP_STANDARD: _(
            "We follow up at fixed times: a talk within 14 days of the start, and then a "
            "meeting with you, your employee and us after 3, 6 and 12 months, and more "
            "often when it is needed. At each meeting we check that what was agreed is kept, and we "
            "talk about how the job can develop."
        ),
        Offer.OPEN_DOOR: _(
            "Our door is always open, for you and for your employee, for as long as the "
            "employment lasts. Call us when something is difficult. We answer quickly, and "
            "small problems are easier to solve early."
        ),
        Offer.PAPERWORK: _(
            "We help with contracts and paperwork. We can write a draft contract, so you only "
            "need to read it and approve it, and we answer questions about wages, hours, aids "
            "and refunds."
        ),
        Offer.MUNICIPALITY: _(
            "We help you register a praktik or a skånejob with the municipality (for example "
            "in Vitas), and we tell you what must be in place before the start."
        ),
        Offer.ACTIVITIES: _(
            "Your employee may take part in our network and sports activities. Many find that "
            "it gives energy and stability in their working life."
        ),
        Offer.COURSES: _(
            "Your employee can take courses with us or elsewhere, for example in IT, "
            "bookkeeping, a forklift certificate or a driving licence, so the job can grow "
            "over time."
        ),
        Offer.RECEIVING_COURSE: _(
            "We offer a short course for you and your colleagues on receiving a job customer: "
            "what to agree on at the start, how to work with the agreed considerations, and "
            "what to do when things go wrong."
        ),
        Offer.ANNIVERSARIES: _(
            "When your employee has been with you for 2, 5 and 10 years, we celebrate it "
            "together (“Godt Gået”) and invite you, the colleagues and the family."
        ),
    }
    return texts[Offer(offer)]


@dataclass(frozen=True)
class EmployeePlan:
    """One employee in the welcome pack: who, which placement, the meetings planned."""

    job_customer: object
    name: str
    kind: str  # Placement.Kind
    started_on: datetime.date
    advisor_name: str
    advisor_email: str
    meetings: tuple[tuple[str, datetime.date], ...]  # (FollowUp.Kind, due on)


@in_document_language
def welcome_pack(*, company: Company, employees: list[EmployeePlan]) -> Document:
    """The welcome pack for a company: the offers, the follow-up plan for its employees (those
    whose consent lets us contact the company about them) and whom to call."""
    organisation = settings.VARIG_ORGANISATION_NAME
    doc = Document(
        title=_("Welcome to the cooperation with %(organisation)s")
        % {"organisation": organisation},
        filename_stem=pgettext("file name", "welcome-pack-%(company)s") % {"company": company.name},
        lead=_(
            "For %(company)s. Thank you for working with us. Here you can read what we offer "
            "you and your employee, how we follow up, and whom to call."
        )
        % {"company": company.name},
    )
    doc.add(Heading(_("What we can help with")))
    for offer, label in Offer.choices:
        doc.add(Heading(str(label), level=3), Paragraph(offer_text(offer)))

    doc.add(Heading(_("Follow-up for your employee")))
    if employees:
        for employee in employees:
            doc.add(
                Heading(
                    _("%(name)s: %(kind)s from %(start)s")
                    % {
                        "name": employee.name,
                        "kind": Placement.Kind(employee.kind).label,
                        "start": day(employee.started_on),
                    },
                    level=3,
                )
            )
            if employee.meetings:
                doc.add(
                    Table(
                        header=(_("Meeting"), _("Around")),
                        rows=tuple(
                            (str(FollowUp.Kind(kind).label), day(when))
                            for kind, when in employee.meetings
                        ),
                    )
                )
            else:
                doc.add(Paragraph(_("No meetings are planned at the moment."), muted=True))
            if employee.advisor_name:
                doc.add(
                    Paragraph(
                        _("Advisor: %(name)s") % {"name": employee.advisor_name}
                        + (f", {employee.advisor_email}" if employee.advisor_email else "")
                    )
                )
        doc.add(
            Paragraph(
                _("We call you beforehand to agree on the exact time of each meeting."),
                muted=True,
            )
        )
    else:
        doc.add(
            Paragraph(
                _(
                    "When your employee starts, we agree on a talk within the first 14 days and "
                    "on meetings after 3, 6 and 12 months. You will hear from us with the dates."
                )
            )
        )

    doc.add(Heading(_("Whom to call")))
    rows: list[tuple[str, str]] = []
    if company.consultant_id:
        rows.append(
            (
                _("Your employer consultant"),
                ", ".join(
                    part for part in (company.consultant.name, company.consultant.email) if part
                ),
            )
        )
    # One row per advisor, naming every employee they follow.
    advisors: dict[tuple[str, str], list[str]] = {}
    for employee in employees:
        if employee.advisor_name:
            advisors.setdefault((employee.advisor_name, employee.advisor_email), []).append(
                employee.name
            )
    for (advisor_name, advisor_email), names in advisors.items():
        rows.append(
            (
                _("Advisor for %(names)s") % {"names": join_names(names)},
                ", ".join(part for part in (advisor_name, advisor_email) if part),
            )
        )
    rows += [
        (f"{organisation}: {label.lower()}", value) for label, value in organisation_contact_rows()
    ]
    if rows:
        doc.add(Facts(rows=tuple(rows)))
    doc.add(
        Note(_("Call us early rather than late, also about small things. It is never a bother."))
    )
    return doc
