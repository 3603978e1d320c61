"""Page-shaped reads of companies. Each selector owns its joins, so templates never query.

The company page shows placements by name, kind and dates only: nothing from a job
customer's health information or accommodations is read here (GDPR art. 9).
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from stdnum.dk import cvr as stdnum_cvr

from varig.customers.models import Consent
from varig.placements.models import FollowUp, Placement

from .models import Company, CompanyContact, CompanyNote, Offer, OnboardingItem

# Sort keys the list accepts → the ordering they mean. Empty values sort last either way.
COMPANY_SORTS: dict[str, list] = {
    "name": [F("name").asc(), "pk"],
    "-name": [F("name").desc(), "-pk"],
    "postcode": [F("postcode").asc(), F("name").asc(), "pk"],
    "-postcode": [F("postcode").desc(), F("name").asc(), "pk"],
    "employees": [F("employees").asc(nulls_last=True), F("name").asc(), "pk"],
    "-employees": [F("employees").desc(nulls_last=True), F("name").asc(), "pk"],
    "placements": [F("active_placements").asc(), F("name").asc(), "pk"],
    "-placements": [F("active_placements").desc(), F("name").asc(), "pk"],
}
DEFAULT_SORT = "name"


def _count_subquery(queryset: QuerySet) -> Coalesce:
    """COUNT(*) of `queryset` rows for the outer company, as a correlated subquery."""
    counted = (
        queryset.filter(company=OuterRef("pk"))
        .order_by()
        .values("company")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def company_list(
    *,
    search: str = "",
    industry: str = "",
    sort: str = DEFAULT_SORT,
    on: datetime.date | None = None,
) -> QuerySet[Company]:
    """Companies for the list page, searched, filtered, sorted and annotated in SQL with
    `active_placements` and `active_contacts` (on `on`, default today)."""
    on = on or timezone.localdate()
    companies = Company.objects.annotate(
        active_placements=_count_subquery(Placement.objects.active_on(on)),
        active_contacts=_count_subquery(CompanyContact.objects.active_on(on)),
    ).only("pk", "ref", "name", "cvr", "industry", "postcode", "city", "employees")
    search = search.strip()
    if search:
        matches = (
            Q(name__icontains=search)
            | Q(industry__icontains=search)
            | Q(postcode__startswith=search)
            | Q(city__istartswith=search)
            | Q(ref__iexact=search)
        )
        digits = stdnum_cvr.compact(search)
        if digits.isdigit():
            matches |= Q(cvr__startswith=digits)
        companies = companies.filter(matches)
    if industry:
        companies = companies.filter(industry=industry)
    return companies.order_by(*COMPANY_SORTS.get(sort, COMPANY_SORTS[DEFAULT_SORT]))


def industry_choices() -> list[str]:
    """The industries in use, for the list's filter."""
    return list(
        Company.objects.exclude(industry="")
        .order_by("industry")
        .values_list("industry", flat=True)
        .distinct()
    )


def company_get(*, pk: int) -> Company:
    """One company (with its consultant) or 404. Companies are not confidential: every staff
    role may read them."""
    try:
        return Company.objects.select_related("consultant").get(pk=pk)
    except Company.DoesNotExist as exc:
        raise Http404 from exc


def company_get_for_page(*, pk: int) -> Company:
    """One company for its page, or 404, annotated in the same query with its last contact:
    `last_contact_note` (a contact with the company about a person, when it happened),
    `last_company_meeting` (a follow-up held with the company contact) and
    `last_company_request` (a support request from the company). Dates and times only,
    nothing about the persons."""
    from varig.customers.models import ContactNote

    from .models import SupportRequest

    note = (
        ContactNote.objects.filter(company=OuterRef("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    meeting = (
        FollowUp.objects.filter(
            placement__company=OuterRef("pk"),
            status=FollowUp.Status.HELD,
            with_company_contact=True,
        )
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    request = (
        SupportRequest.objects.filter(company=OuterRef("pk"))
        .order_by("-received_at")
        .values("received_at")[:1]
    )
    try:
        return (
            Company.objects.select_related("consultant")
            .annotate(
                last_contact_note=Subquery(note),
                last_company_meeting=Subquery(meeting),
                last_company_request=Subquery(request),
            )
            .get(pk=pk)
        )
    except Company.DoesNotExist as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class LastContact:
    day: datetime.date
    kind: str  # "note", "meeting" or "request"

    @property
    def days_ago(self) -> int:
        return (timezone.localdate() - self.day).days


def last_contact(company: Company) -> LastContact | None:
    """The most recent of the company's contacts annotated by `company_get_for_page`."""
    found = []
    if getattr(company, "last_contact_note", None):
        found.append(LastContact(timezone.localdate(company.last_contact_note), "note"))
    if getattr(company, "last_company_meeting", None):
        found.append(LastContact(company.last_company_meeting, "meeting"))
    if getattr(company, "last_company_request", None):
        found.append(LastContact(timezone.localdate(company.last_company_request), "request"))
    return max(found, key=lambda c: c.day, default=None)


def contact_get(*, pk: int) -> CompanyContact:
    """One contact person with its company, or 404."""
    try:
        return CompanyContact.objects.select_related("company").get(pk=pk)
    except CompanyContact.DoesNotExist as exc:
        raise Http404 from exc


def company_contacts(
    *, company: Company, on: datetime.date | None = None
) -> tuple[list[CompanyContact], list[CompanyContact]]:
    """The company's contact persons in one query: (current, former) on `on` (default today).

    Current ones are those who have not left (including those who start later); mentors and
    nearest leaders first. Former ones are newest-left first.
    """
    on = on or timezone.localdate()
    contacts = list(CompanyContact.objects.filter(company=company).order_by("name", "pk"))
    current = [c for c in contacts if c.active_until is None or c.active_until >= on]
    former = [c for c in contacts if c.active_until is not None and c.active_until < on]
    current.sort(key=lambda c: not c.is_mentor)
    former.sort(key=lambda c: c.active_until, reverse=True)
    return current, former


def company_placements(*, company: Company, on: datetime.date | None = None) -> QuerySet:
    """The company's placements, current first, then newest; with the job customer's name and
    the contact person. Loads no other field of the job customer."""
    on = on or timezone.localdate()
    return (
        Placement.objects.filter(company=company)
        .select_related("job_customer", "contact")
        .only(
            "pk",
            "kind",
            "started_on",
            "planned_end_on",
            "ended_on",
            "hours_per_week",
            "company_id",
            "job_customer__first_name",
            "job_customer__last_name",
            "contact__name",
            "contact__active_until",
        )
        .annotate(
            is_current=Case(
                When(
                    Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gte=on)), then=2
                ),
                When(started_on__gt=on, then=1),
                default=0,
                output_field=IntegerField(),
            )
        )
        .order_by("-is_current", "-started_on", "-pk")
    )


def company_notes(*, company: Company) -> QuerySet[CompanyNote]:
    """The company's notes, newest first, with their authors."""
    return (
        CompanyNote.objects.filter(company=company)
        .select_related("author")
        .order_by("-created_at", "-pk")
    )


def company_choices() -> QuerySet[Company]:
    """Companies for a select field (e.g. the placement form), by name."""
    return Company.objects.only("pk", "name", "city").order_by("name", "pk")


def contacts_for_company(
    company: Company | int, *, on: datetime.date | None = None
) -> QuerySet[CompanyContact]:
    """The company's active contact persons on `on` (default today), for a select field such
    as the placement form's contact person; mentors and nearest leaders first."""
    on = on or timezone.localdate()
    company_id = company.pk if isinstance(company, Company) else company
    return (
        CompanyContact.objects.active_on(on)
        .filter(company_id=company_id)
        .order_by("-is_mentor", "name", "pk")
    )


def company_search(*, q: str, limit: int = 20) -> list[Company]:
    """Up to `limit` companies matching `q` for the company picker, by name: the name
    contains it, or the CVR number, postcode or city starts with it (case-insensitive).
    An empty query matches nothing, so the picker never lists every company."""
    q = q.strip()
    if not q or limit <= 0:
        return []
    matches = Q(name__icontains=q) | Q(postcode__startswith=q) | Q(city__istartswith=q)
    digits = stdnum_cvr.compact(q)
    if digits.isdigit():
        matches |= Q(cvr__startswith=digits)
    return list(
        Company.objects.filter(matches)
        .only("pk", "name", "cvr", "postcode", "city")
        .order_by("name", "pk")[:limit]
    )


def companies_by_pk(pks: list[int], *, limit: int = 20) -> list[Company]:
    """The companies with these primary keys (at most `limit`), by name: the picker's
    suggestions. Unknown keys are skipped."""
    return list(
        Company.objects.filter(pk__in=pks[:limit])
        .only("pk", "name", "cvr", "postcode", "city")
        .order_by("name", "pk")
    )


# --- Onboarding ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OnboardingRow:
    """One offer of the checklist and, when the company has been told, the record of it."""

    offer: str
    label: str
    item: OnboardingItem | None

    @property
    def told(self) -> bool:
        return self.item is not None


def company_onboarding(*, company: Company) -> list[OnboardingRow]:
    """The onboarding checklist of a company, every offer in the standard order (one query)."""
    items = {
        item.offer: item
        for item in OnboardingItem.objects.filter(company=company).select_related("told_by")
    }
    return [OnboardingRow(offer, label, items.get(offer)) for offer, label in Offer.choices]


# --- The welcome pack ----------------------------------------------------------------------------

WELCOME_PACK_MEETINGS = 4


def _current_placements(company: Company, on: datetime.date) -> QuerySet[Placement]:
    """The company's placements not ended on `on` (running or starting later), annotated with
    `consented`: the person's active consent lets us contact the company about them."""
    consent = Consent.objects.active_on(on).filter(
        job_customer=OuterRef("job_customer_id"), company=company, may_contact=True
    )
    return (
        Placement.objects.filter(company=company)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .annotate(consented=Exists(consent))
    )


def welcome_pack_summary(*, company: Company, on: datetime.date | None = None) -> dict:
    """How many current placements the welcome pack names, and how many it leaves out for
    want of consent (one query)."""
    on = on or timezone.localdate()
    counts = _current_placements(company, on).aggregate(
        named=Count("pk", filter=Q(consented=True)),
        left_out=Count("pk", filter=Q(consented=False)),
    )
    return {"named": counts["named"] or 0, "left_out": counts["left_out"] or 0}


def welcome_pack_employees(*, company: Company, on: datetime.date | None = None) -> list:
    """The employees the welcome pack names: current placements whose person has consented to
    contact with the company, each with the next planned follow-up meetings. Reads the
    person's name and advisor only (three queries)."""
    from .documents import EmployeePlan

    on = on or timezone.localdate()
    placements = (
        _current_placements(company, on)
        .filter(consented=True)
        .select_related("job_customer", "job_customer__advisor")
        .only(
            "pk",
            "kind",
            "started_on",
            "job_customer__first_name",
            "job_customer__last_name",
            "job_customer__advisor__name",
            "job_customer__advisor__email",
        )
        .prefetch_related(
            Prefetch(
                "followups",
                queryset=FollowUp.objects.planned()
                .filter(window_end__gte=on)
                .order_by("due_on", "pk"),
                to_attr="planned_followups",
            )
        )
        .order_by("started_on", "pk")
    )
    employees = []
    for placement in placements:
        person = placement.job_customer
        advisor = person.advisor
        employees.append(
            EmployeePlan(
                job_customer=person,
                name=person.full_name,
                kind=placement.kind,
                started_on=placement.started_on,
                advisor_name=advisor.name if advisor else "",
                advisor_email=advisor.email if advisor else "",
                meetings=tuple(
                    (f.kind, f.due_on) for f in placement.planned_followups[:WELCOME_PACK_MEETINGS]
                ),
            )
        )
    return employees
