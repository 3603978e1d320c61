"""Company pages: the list, the company page with its contacts, placements and notes, and
the forms. Every staff role may read and change companies.

htmx requests get the region they asked for (`template#region`). An invalid form is answered
with status 400 on a normal request; an htmx request gets 200 with HX-Retarget, because
htmx 2 does not swap 4xx responses and the errors must appear beside the fields.
"""

import datetime
import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from varig.core.documents import docx_response, pdf_response
from varig.core.forms import add_service_errors
from varig.core.inputs import is_digits, query_pk, query_text
from varig.core.permissions import manager_required, staff_required
from varig.customers.models import JobWishes
from varig.customers.selectors import job_customer_get_for_user, job_customers_visible_to
from varig.placements.models import Placement
from varig.placements.selectors import placement_get_for_user

from . import contracts, documents, guides, matching, selectors, services, support
from .forms import (
    PICKER_LIMIT,
    SUGGESTED_LABEL,
    CompanyFilterForm,
    CompanyForm,
    CompanyNoteForm,
    ContactEndForm,
    ContactForm,
    OnboardingForm,
    OpenDoorPeriodForm,
    SupportAnswerForm,
    SupportCloseForm,
    SupportFilterForm,
    SupportRequestForm,
    company_option_label,
    picker_empty_label,
    picker_ids,
)
from .models import Company, Offer

PLACEMENTS_PER_PAGE = 20
NOTES_PER_PAGE = 10
DETAIL_REGIONS = ("contacts", "placements", "notes", "onboarding")
SORTABLE_COLUMNS = ("name", "postcode", "employees", "placements")


def _page_with_links(request: HttpRequest, queryset, *, per_page: int, param: str) -> dict:
    """One page of `queryset` read from the `param` query parameter, with prev/next URLs that
    keep every other parameter (two lists on one page each need their own parameter)."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"{request.path}?{query.urlencode()}"

    return {
        "page": page,
        "prev_url": url(page.previous_page_number()) if page.has_previous() else "",
        "next_url": url(page.next_page_number()) if page.has_next() else "",
    }


# The list ------------------------------------------------------------------------------


@staff_required
def company_list(request: HttpRequest) -> HttpResponse:
    """Companies: search, filter by industry, sort, 25 a page; htmx gets only the results."""
    filter_form = CompanyFilterForm(request.GET, industries=selectors.industry_choices())
    values = filter_form.values()
    companies = selectors.company_list(**values)
    page = Paginator(companies, settings.VARIG_PAGE_SIZE).get_page(request.GET.get("page"))
    sort = values["sort"]
    columns = {}
    for key in SORTABLE_COLUMNS:
        # Counts are most useful largest first; names and postcodes A to Z.
        first = f"-{key}" if key in ("employees", "placements") else key
        columns[key] = {
            "next": first if sort not in (key, f"-{key}") else (f"-{key}" if sort == key else key),
            "aria_sort": {key: "ascending", f"-{key}": "descending"}.get(sort, ""),
        }
    context = {
        "nav_section": "employers",
        "filter_form": filter_form,
        "page_obj": page,
        "companies": page.object_list,
        "sort": sort,
        "columns": columns,
        "filtered": bool(values["search"] or values["industry"]),
    }
    template = "employers/company_list.html"
    # htmx restoring a page from history after a cache miss needs the whole page.
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    response = render(request, template, context)
    # The same URL answers with a fragment or a page: caches must tell them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


# Create and edit ---------------------------------------------------------------------------


def _company_form_response(
    request: HttpRequest, form: CompanyForm, company: Company | None
) -> HttpResponse:
    template = "employers/company_form.html"
    if request.htmx:
        template += "#form"
    status = 400 if form.is_bound and form.errors and not request.htmx else 200
    return render(
        request,
        template,
        {"nav_section": "employers", "form": form, "company": company},
        status=status,
    )


@staff_required
def company_create(request: HttpRequest) -> HttpResponse:
    """A new company: CVR optional but valid and unique; the reference is generated if blank."""
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_create(**form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The company %(name)s was created.") % {"name": company})
            return redirect("employers:detail", pk=company.pk)
    return _company_form_response(request, form, None)


@staff_required
def company_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a company; a save over someone else's newer save is refused (STALE_EDIT)."""
    company = selectors.company_get(pk=pk)
    form = CompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_update(
                company=company,
                expected_version=form.cleaned_data.get("version"),
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("employers:detail", pk=company.pk)
    return _company_form_response(request, form, selectors.company_get(pk=pk))


# The company page ----------------------------------------------------------------------------


def _contacts_context(company: Company) -> dict:
    current, former = selectors.company_contacts(company=company)
    return {"current_contacts": current, "former_contacts": former}


def _placements_context(request: HttpRequest, company: Company) -> dict:
    return {
        "placements": _page_with_links(
            request,
            selectors.company_placements(company=company),
            per_page=PLACEMENTS_PER_PAGE,
            param="placements_page",
        )
    }


def _notes_context(request: HttpRequest, company: Company, note_form=None) -> dict:
    return {
        "notes": _page_with_links(
            request,
            selectors.company_notes(company=company),
            per_page=NOTES_PER_PAGE,
            param="notes_page",
        ),
        "note_form": note_form or CompanyNoteForm(),
    }


def _onboarding_context(
    company: Company, *, form_offer: str = "", form=None, gaps_form=None, saved_message: str = ""
) -> dict:
    """The onboarding checklist: one row per offer, the told ones with who and when; a bound
    form with errors stays beside its own offer (`form_offer`, or "gaps" for all of them)."""
    rows = selectors.company_onboarding(company=company)
    return {
        # Each offer's form has its own prefix, so the field ids on the page stay unique.
        "onboarding_items": [
            (
                row,
                form
                if form is not None and row.offer == form_offer
                else OnboardingForm(prefix=row.offer),
            )
            for row in rows
        ],
        "onboarding_gaps": sum(1 for row in rows if not row.told),
        "onboarding_told": sum(1 for row in rows if row.told),
        "onboarding_form_offer": form_offer,
        "onboarding_gaps_form": gaps_form
        if gaps_form is not None
        else OnboardingForm(prefix="gaps"),
        "welcome_pack": selectors.welcome_pack_summary(company=company),
        "onboarding_message": saved_message,
    }


def _detail_context(request: HttpRequest, company: Company, **extra) -> dict:
    return {
        "nav_section": "employers",
        "company": company,
        "today": timezone.localdate(),
        **_contacts_context(company),
        **_onboarding_context(company, **extra.pop("onboarding", {})),
        **_placements_context(request, company),
        **_notes_context(request, company, extra.pop("note_form", None)),
        "support_open": support.company_open_requests(company=company, user=request.user),
        "last_contact": selectors.last_contact(company),
        **extra,
    }


@staff_required
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The company page: facts, contacts, placements past and present, notes.

    Placements show the job customer's name, the kind and the dates only, never anything
    from their health information or accommodations.
    """
    company = selectors.company_get_for_page(pk=pk)
    template = "employers/company_detail.html"
    target = request.htmx.target if request.htmx else None
    if target in DETAIL_REGIONS:
        context = {"company": company, "today": timezone.localdate()}
        if target == "contacts":
            context.update(_contacts_context(company))
        elif target == "onboarding":
            context.update(_onboarding_context(company))
        elif target == "placements":
            context.update(_placements_context(request, company))
        else:
            context.update(_notes_context(request, company))
        return render(request, f"{template}#{target}", context)
    return render(request, template, _detail_context(request, company))


# Contacts ------------------------------------------------------------------------------------


def _contacts_saved(request: HttpRequest, company: Company, message: str) -> HttpResponse:
    """After a contact change: htmx gets the refreshed contacts region, others a redirect."""
    if request.htmx:
        context = {"company": company, "saved_message": message, **_contacts_context(company)}
        return render(request, "employers/company_detail.html#contacts", context)
    messages.success(request, message)
    return redirect(reverse("employers:detail", args=[company.pk]) + "#contacts")


def _inline_form_response(
    request: HttpRequest, template: str, context: dict, *, form_id: str
) -> HttpResponse:
    """A contact form as a page, or as the htmx fragment that replaces itself on errors."""
    form = context["form"]
    invalid = form.is_bound and bool(form.errors)
    if request.htmx:
        response = render(request, f"{template}#form", context)
        if invalid:
            response["HX-Retarget"] = f"#{form_id}"
            response["HX-Reswap"] = "outerHTML"
        return response
    return render(
        request, template, {"nav_section": "employers", **context}, status=400 if invalid else 200
    )


@staff_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a contact person, mentor or nearest leader to the company."""
    company = selectors.company_get(pk=pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(company=company, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _contacts_saved(
                request, company, _("%(name)s was added as a contact.") % {"name": contact.name}
            )
    return _inline_form_response(
        request,
        "employers/contact_form.html",
        {"form": form, "company": company, "contact": None},
        form_id="contact-form",
    )


@staff_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a contact person."""
    contact = selectors.contact_get(pk=pk)
    company = contact.company
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_update(
                contact=contact,
                expected_version=form.cleaned_data.get("version"),
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _contacts_saved(
                request, company, _("The contact %(name)s was saved.") % {"name": contact.name}
            )
    return _inline_form_response(
        request,
        "employers/contact_form.html",
        {"form": form, "company": company, "contact": selectors.contact_get(pk=pk)},
        form_id="contact-form",
    )


@staff_required
def contact_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a contact person has left the company (their last day)."""
    contact = selectors.contact_get(pk=pk)
    company = contact.company
    form = ContactEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_end(
                contact=contact, active_until=form.cleaned_data["active_until"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _contacts_saved(
                request,
                company,
                _("%(name)s is recorded as having left.") % {"name": contact.name},
            )
    return _inline_form_response(
        request,
        "employers/contact_end.html",
        {"form": form, "company": company, "contact": contact},
        form_id="contact-form",
    )


# Notes ---------------------------------------------------------------------------------------


@staff_required
@require_POST
def note_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a note about the company; htmx gets the refreshed notes region."""
    company = selectors.company_get_for_page(pk=pk)
    form = CompanyNoteForm(request.POST)
    if form.is_valid():
        try:
            services.company_note_create(
                company=company, author=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                # The first page, where the new note is, with an empty form.
                request.GET = request.GET.copy()
                request.GET.pop("notes_page", None)
                context = {"company": company, **_notes_context(request, company)}
                return render(request, "employers/company_detail.html#notes", context)
            messages.success(request, _("The note was saved."))
            return redirect(reverse("employers:detail", args=[company.pk]) + "#notes")
    if request.htmx:
        context = {"company": company, **_notes_context(request, company, form)}
        return render(request, "employers/company_detail.html#notes", context)
    return render(
        request,
        "employers/company_detail.html",
        _detail_context(request, company, note_form=form),
        status=400,
    )


# Onboarding and the welcome pack -------------------------------------------------------------


def _onboarding_response(
    request: HttpRequest,
    company: Company,
    *,
    saved_message: str = "",
    invalid: bool = False,
    **forms,
) -> HttpResponse:
    """After an onboarding change: htmx gets the refreshed checklist (with errors beside the
    field when `invalid`), a normal request a redirect or, on errors, the whole page (400)."""
    if request.htmx:
        context = {
            "company": company,
            **_onboarding_context(company, saved_message=saved_message, **forms),
        }
        return render(request, "employers/company_detail.html#onboarding", context)
    if invalid:
        return render(
            request,
            "employers/company_detail.html",
            _detail_context(request, company, onboarding=forms),
            status=400,
        )
    messages.success(request, saved_message)
    return redirect(reverse("employers:detail", args=[company.pk]) + "#onboarding")


@staff_required
@require_POST
def onboarding_record(request: HttpRequest, pk: int, offer: str) -> HttpResponse:
    """Record that the company was told about one offer: the day and how."""
    company = selectors.company_get_for_page(pk=pk)
    if offer not in Offer.values:
        raise Http404
    form = OnboardingForm(request.POST, prefix=offer)
    if form.is_valid():
        try:
            services.onboarding_record(
                company=company, offer=offer, told_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            message = _("Recorded: the company knows about “%(offer)s”.") % {
                "offer": Offer(offer).label
            }
            return _onboarding_response(request, company, saved_message=message)
    return _onboarding_response(request, company, invalid=True, form=form, form_offer=offer)


@staff_required
@require_POST
def onboarding_record_gaps(request: HttpRequest, pk: int) -> HttpResponse:
    """Record every offer not told yet as told (e.g. the welcome pack was gone through)."""
    company = selectors.company_get_for_page(pk=pk)
    form = OnboardingForm(request.POST, prefix="gaps")
    if form.is_valid():
        try:
            items = services.onboarding_record_gaps(
                company=company, told_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            message = ngettext(
                "Recorded: one more offer is told.",
                "Recorded: %(count)s more offers are told.",
                len(items),
            ) % {"count": len(items)}
            return _onboarding_response(request, company, saved_message=message)
    return _onboarding_response(request, company, invalid=True, gaps_form=form, form_offer="gaps")


@staff_required
@require_POST
def onboarding_undo(request: HttpRequest, pk: int, offer: str) -> HttpResponse:
    """Take back a told offer recorded by mistake."""
    company = selectors.company_get(pk=pk)
    if offer not in Offer.values:
        raise Http404
    services.onboarding_undo(company=company, offer=offer)
    message = _("“%(offer)s” is marked as not told.") % {"offer": Offer(offer).label}
    return _onboarding_response(request, company, saved_message=message)


@staff_required
@require_GET
def welcome_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The company's welcome pack as a PDF, in Danish: the offers, the follow-up plan for the
    employees who consented to contact with the company, and whom to call. Naming a person
    in it is a disclosure, so each one named is written to the audit log."""
    company = selectors.company_get(pk=pk)
    employees = selectors.welcome_pack_employees(company=company)
    services.disclosure_record(
        job_customers=[e.job_customer for e in employees], document="welcome_pack"
    )
    document = documents.welcome_pack(company=company, employees=employees)
    return pdf_response(documents.as_pdf(document), filename=documents.filename(document, "pdf"))


# The select's HTML name, e.g. "company" or "note-company" (form prefixes use a hyphen).
PICKER_FIELD_NAME = re.compile(r"[A-Za-z][\w-]{0,99}")


@staff_required
@require_GET
def company_options(request: HttpRequest) -> HttpResponse:
    """The company picker's options (htmx): up to 20 companies matching `q` by name, CVR,
    postcode or city; with no query, the form's suggested companies again. The status line
    (how many matched) is swapped out of band beside the select named `field`."""
    field = request.GET.get("field", "")
    if not PICKER_FIELD_NAME.fullmatch(field):
        field = "company"
    q = query_text(request.GET.get("q"))
    found, suggested, status = [], [], ""
    if q:
        found = selectors.company_search(q=q, limit=PICKER_LIMIT + 1)
        if len(found) > PICKER_LIMIT:
            found = found[:PICKER_LIMIT]
            status = _(
                "More than %(limit)s companies match: the first %(limit)s are shown. "
                "Type more to narrow the search."
            ) % {"limit": PICKER_LIMIT}
        elif found:
            status = ngettext(
                "One company matches: choose it in the list.",
                "%(count)s companies match: choose one in the list.",
                len(found),
            ) % {"count": len(found)}
        else:
            status = _("No company matches “%(query)s”.") % {"query": q}
    else:
        pks = [int(pk) for pk in request.GET.get("suggested", "").split(",") if is_digits(pk)]
        suggested = selectors.companies_by_pk(pks, limit=PICKER_LIMIT)
    return render(
        request,
        "employers/company_options.html",
        {
            "empty_label": picker_empty_label(required=request.GET.get("required") == "1"),
            "found": [(c.pk, company_option_label(c)) for c in found],
            "suggested": [(c.pk, company_option_label(c)) for c in suggested],
            "suggested_label": SUGGESTED_LABEL,
            "status": status,
            "status_id": picker_ids(field)["status"],
        },
    )


# Contract drafts -----------------------------------------------------------------------------


def _contract_facts(request: HttpRequest, pk: int):
    """The placement (access-checked and audited through its job customer) and its draft's
    facts."""
    placement = placement_get_for_user(
        user=request.user,
        pk=pk,
        queryset=Placement.objects.select_related("company", "contact"),
    )
    return contracts.contract_facts(placement=placement)


@staff_required
@require_GET
def contract(request: HttpRequest, pk: int) -> HttpResponse:
    """The contract draft of a placement: what it will say, what is left out and why, the
    municipality checklist, and the downloads (DOCX to edit, PDF to read)."""
    facts = _contract_facts(request, pk)
    placement = facts.placement
    return render(
        request,
        "employers/contract.html",
        {
            "nav_section": "employers",
            "facts": facts,
            "placement": placement,
            "job_customer": placement.job_customer,
            "company": placement.company,
            "title": contracts.contract_title(placement.kind),
            "checklist": contracts.municipality_checklist(placement.kind),
            "left_out": contracts.LEFT_OUT_REASONS.get(facts.accommodations_left_out, ""),
        },
    )


def _contract_document(request: HttpRequest, pk: int):
    facts = _contract_facts(request, pk)
    # Handing a company a document about a person is a disclosure: audit it.
    services.disclosure_record(job_customers=[facts.placement.job_customer], document="contract")
    return contracts.contract_draft(facts=facts)


@staff_required
@require_GET
def contract_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The contract draft as an editable Word document (in Danish)."""
    document = _contract_document(request, pk)
    return docx_response(documents.as_docx(document), filename=documents.filename(document, "docx"))


@staff_required
@require_GET
def contract_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The contract draft as a PDF (in Danish)."""
    document = _contract_document(request, pk)
    return pdf_response(documents.as_pdf(document), filename=documents.filename(document, "pdf"))


# The accommodation guide ---------------------------------------------------------------------


@staff_required
@require_GET
def guide(request: HttpRequest, pk: int) -> HttpResponse:
    """The accommodation guide for the company of a placement, as a PDF in Danish; refused
    with a page saying why (403) when the person's consent does not cover that company."""
    placement = placement_get_for_user(
        user=request.user,
        pk=pk,
        queryset=Placement.objects.select_related("company", "company__consultant", "contact"),
    )
    try:
        facts = guides.guide_facts(placement=placement)
    except guides.GuideRefused as refused:
        return render(
            request,
            "employers/guide_refused.html",
            {
                "nav_section": "employers",
                "placement": placement,
                "job_customer": placement.job_customer,
                "company": placement.company,
                "message": refused.message,
            },
            status=403,
        )
    services.disclosure_record(
        job_customers=[placement.job_customer], document="accommodation_guide"
    )
    document = guides.accommodation_guide(facts=facts)
    return pdf_response(documents.as_pdf(document), filename=documents.filename(document, "pdf"))


# Support requests (the open door) ----------------------------------------------------------------


@staff_required
@require_GET
def support_list(request: HttpRequest) -> HttpResponse:
    """Support requests the user may see: open ones first (unanswered, most urgent, oldest),
    or the answered, settled or all; "only mine" shows those the user is responsible for."""
    form = SupportFilterForm(request.GET)
    form.is_valid()
    status = form.cleaned_data.get("status") or support.STATUS_OPEN
    mine = form.cleaned_data.get("mine", False)
    person = request.GET.get("job_customer", "")
    requests_ = support.support_request_list(
        user=request.user,
        status=status,
        responsible=request.user if mine else None,
        job_customer_id=query_pk(person),
    )
    page = Paginator(requests_, settings.VARIG_PAGE_SIZE).get_page(request.GET.get("page"))
    template = "employers/support_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    response = render(
        request,
        template,
        {
            "nav_section": "employers",
            "filter_form": form,
            "page_obj": page,
            "support_requests": page.object_list,
            "status": status,
            "now": timezone.now(),
        },
    )
    patch_vary_headers(response, ("HX-Request",))
    return response


@staff_required
def support_create(request: HttpRequest) -> HttpResponse:
    """Record a request: `?job_customer=<pk>` for one from a job customer (access-checked),
    else from a company (`?company=<pk>` preselects it)."""
    job_customer = None
    company = None
    person_pk = request.GET.get("job_customer", "")
    if is_digits(person_pk):
        job_customer = job_customer_get_for_user(user=request.user, pk=int(person_pk))
    elif is_digits(request.GET.get("company", "")):
        company = Company.objects.filter(pk=int(request.GET["company"])).first()
    form = SupportRequestForm(request.POST or None, job_customer=job_customer, company=company)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.support_request_create(
                    received_by=request.user, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The request was recorded."))
                return redirect("employers:support_detail", pk=created.pk)
        status = 400
    template = "employers/support_form.html"
    if request.htmx:
        template += "#form"
    return render(
        request,
        template,
        {
            "nav_section": "employers",
            "form": form,
            "job_customer": job_customer,
            "company": company,
        },
        status=status,
    )


def _support_detail_response(
    request: HttpRequest, item, *, answer_form=None, close_form=None, status: int = 200
) -> HttpResponse:
    template = "employers/support_detail.html"
    if request.htmx:
        template += "#request"
    return render(
        request,
        template,
        {
            "nav_section": "employers",
            "item": item,
            "answer_form": answer_form or SupportAnswerForm(),
            "close_form": close_form or SupportCloseForm(),
        },
        status=status,
    )


@staff_required
@require_GET
def support_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: who asked, how and how urgently, who answered first and when, and the
    forms to record the answer and settle it."""
    item = support.support_request_get_for_user(user=request.user, pk=pk)
    return _support_detail_response(request, item)


@staff_required
@require_POST
def support_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the first answer (by the user, at the time given)."""
    item = support.support_request_get_for_user(user=request.user, pk=pk)
    form = SupportAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.support_request_answer(
                support_request=item, by=request.user, at=form.cleaned_data["at"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The answer was recorded."))
            return redirect("employers:support_detail", pk=pk)
    return _support_detail_response(request, item, answer_form=form, status=400)


@staff_required
@require_POST
def support_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Settle the request, saying how."""
    item = support.support_request_get_for_user(user=request.user, pk=pk)
    form = SupportCloseForm(request.POST)
    if form.is_valid():
        try:
            services.support_request_close(
                support_request=item, by=request.user, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The request is settled."))
            return redirect("employers:support_detail", pk=pk)
    return _support_detail_response(request, item, close_form=form, status=400)


@manager_required
@require_GET
def open_door(request: HttpRequest) -> HttpResponse:
    """The open-door measure for managers: the median time to first response over a period,
    overall and per advisor who answered, and the requests still waiting."""
    form = OpenDoorPeriodForm(request.GET)
    days = form.cleaned_data.get("days") if form.is_valid() else None
    days = days or 90
    until = timezone.now()
    measure = support.open_door_measure(since=until - datetime.timedelta(days=days), until=until)
    template = "employers/open_door.html"
    if request.htmx:
        template += "#measure"
    return render(
        request,
        template,
        {"nav_section": "employers", "form": form, "measure": measure, "days": days, "now": until},
    )


# Matching --------------------------------------------------------------------------------------


@staff_required
@require_GET
def match_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Companies to suggest for a job customer, best first with their reasons. It suggests
    only: contacting a company about the person needs their consent."""
    job_customer = job_customer_get_for_user(user=request.user, pk=pk)
    suggestions = matching.rank_companies(job_customer=job_customer)
    return render(
        request,
        "employers/match_person.html",
        {
            "nav_section": "customers",
            "job_customer": job_customer,
            "suggestions": suggestions,
            "has_wishes": JobWishes.objects.filter(job_customer=job_customer).exists(),
        },
    )


@staff_required
@require_GET
def match_company(request: HttpRequest, pk: int) -> HttpResponse:
    """Job customers who are ready and whose wishes fit the company, among the persons the
    user may see; best first with their reasons."""
    company = selectors.company_get(pk=pk)
    suggestions = matching.rank_job_customers(
        company=company, visible=job_customers_visible_to(user=request.user)
    )
    return render(
        request,
        "employers/match_company.html",
        {"nav_section": "employers", "company": company, "suggestions": suggestions},
    )
