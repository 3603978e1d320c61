"""Pages of the privacy app: the audit log's search (managers and administrators), and a
person's rights: their data export and erasure by four eyes."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from varig.core.documents import file_response, pdf_response, render_pdf
from varig.core.forms import add_service_errors
from varig.core.models import User
from varig.core.permissions import manager_required, staff_required
from varig.customers.selectors import can_see_health, job_customer_get_for_user

from . import export, selectors, services
from .audit import audit_read
from .forms import AuditFilterForm, ErasureApproveForm, ErasureRejectForm, ErasureRequestForm
from .models import ErasureRequest

INVALID = 400


@require_GET
@manager_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log, newest first: who read or changed what, searchable by person (reference
    or name), user, action and period; paginated without counting the whole log."""
    users = list(User.objects.only("pk", "name", "email").order_by("name", "email"))
    form = AuditFilterForm(request.GET or None, users=users)
    status = 200
    page = None
    persons: list = []
    too_many = False
    if form.is_bound and not form.is_valid():
        status = INVALID
    else:
        params = form.cleaned_data if form.is_bound else {}
        person_ids = None
        if params.get("job_customer"):
            person_ids = [params["job_customer"]]
        elif params.get("person"):
            persons = selectors.persons_matching(params["person"])
            too_many = len(persons) > selectors.PERSONS_MATCHED_MAX
            persons = persons[: selectors.PERSONS_MATCHED_MAX]
            person_ids = [p.pk for p in persons]
        entries = selectors.audit_entries(
            person_ids=person_ids,
            actor=params.get("actor"),
            action=form.action_code if form.is_bound else None,
            date_from=params.get("date_from"),
            date_to=params.get("date_to"),
        )
        page = selectors.audit_page(entries, page=request.GET.get("page"))
    context = {
        "nav_section": "audit",
        "form": form,
        "page": page,
        "persons": persons,
        "too_many": too_many,
        "searched_person": form.is_bound and form.is_valid() and form.cleaned_data.get("person"),
        "persons_max": selectors.PERSONS_MATCHED_MAX,
    }
    template = "privacy/audit_log.html"
    if request.htmx and not request.htmx.boosted:
        template += "#audit-results"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- A person's rights: export and erasure ------------------------------------------------------


def _person_for_rights(request: HttpRequest, pk: int):
    """The person, access-checked and audited; only those who may see their health (the
    responsible advisor, managers, administrators) see their whole record."""
    job_customer = job_customer_get_for_user(user=request.user, pk=pk)
    if not can_see_health(user=request.user, job_customer=job_customer):
        raise PermissionDenied
    return job_customer


def _person_page(request, job_customer, *, status=200, **forms):
    context = {
        "nav_section": "customers",
        "jc": job_customer,
        "is_manager": request.user.is_manager,
        "erasure": selectors.erasure_state(job_customer=job_customer),
        "request_form": forms.get("request_form") or ErasureRequestForm(),
        "approve_form": forms.get("approve_form") or ErasureApproveForm(),
        "reject_form": forms.get("reject_form") or ErasureRejectForm(),
        "erase_after_years": settings.VARIG_ERASE_AFTER_YEARS,
        # A refusal of the service (four eyes, already decided) shows above the forms.
        "refusals": [e for form in forms.values() for e in form.non_field_errors()],
    }
    template = "privacy/person.html"
    if request.htmx and not request.htmx.boosted:
        template += "#erasure"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
@staff_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's rights: their data export (JSON, PDF) and, for managers, erasure."""
    return _person_page(request, _person_for_rights(request, pk))


@require_GET
@staff_required
def export_json(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about the person as JSON (GDPR art. 15 and 20); audited."""
    job_customer = _person_for_rights(request, pk)
    data = export.person_export(job_customer=job_customer).as_json()
    audit_read(job_customer=job_customer, document="export_json", user=request.user)
    content = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return file_response(
        content,
        filename=export.export_filename(job_customer, "json"),
        content_type="application/json; charset=utf-8",
    )


@require_GET
@staff_required
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about the person as a readable PDF (GDPR art. 15); audited."""
    job_customer = _person_for_rights(request, pk)
    content = render_pdf(
        "privacy/pdf/export.html", {"export": export.person_export(job_customer=job_customer)}
    )
    audit_read(job_customer=job_customer, document="export_pdf", user=request.user)
    return pdf_response(content, filename=export.export_filename(job_customer, "pdf"))


@require_POST
@manager_required
def erasure_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the person's erasure (a second manager or administrator approves)."""
    job_customer = _person_for_rights(request, pk)
    form = ErasureRequestForm(request.POST)
    if form.is_valid():
        try:
            services.erasure_request(
                actor=request.user, job_customer=job_customer, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The erasure is requested: a second manager or administrator must approve it."),
            )
            return redirect("privacy:person", pk=job_customer.pk)
    return _person_page(request, job_customer, status=INVALID, request_form=form)


def _open_request(request: HttpRequest, pk: int) -> ErasureRequest:
    erasure = get_object_or_404(ErasureRequest.objects.select_related("job_customer"), pk=pk)
    # Access-checked and audited like every read of the person.
    job_customer_get_for_user(user=request.user, pk=erasure.job_customer_id)
    return erasure


@require_POST
@manager_required
def erasure_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve and carry out an erasure (not by the one who asked)."""
    erasure = _open_request(request, pk)
    form = ErasureApproveForm(request.POST)
    if form.is_valid():
        try:
            services.erasure_approve(actor=request.user, request=erasure)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The person is erased: what identified them is gone; the statistics keep their anonymous rows."
                ),
            )
            return redirect("privacy:person", pk=erasure.job_customer_id)
    return _person_page(request, erasure.job_customer, status=INVALID, approve_form=form)


@require_POST
@manager_required
def erasure_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Reject an erasure request (or, by the one who asked, withdraw it), saying why."""
    erasure = _open_request(request, pk)
    form = ErasureRejectForm(request.POST)
    if form.is_valid():
        try:
            services.erasure_reject(
                actor=request.user, request=erasure, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The erasure request is closed: nothing was erased."))
            return redirect("privacy:person", pk=erasure.job_customer_id)
    return _person_page(request, erasure.job_customer, status=INVALID, reject_form=form)


@require_GET
@manager_required
def erasure_list(request: HttpRequest) -> HttpResponse:
    """Erasure: the requests awaiting approval, and the persons due under the retention policy
    (association ended more than VARIG_ERASE_AFTER_YEARS years ago, not erased yet)."""
    cutoff = services.erasure_due_cutoff()
    due = Paginator(selectors.erasure_due(before=cutoff), settings.VARIG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "nav_section": "audit",
        "open_requests": selectors.erasure_requests_open(),
        "due": due,
        "cutoff": cutoff,
        "erase_after_years": settings.VARIG_ERASE_AFTER_YEARS,
    }
    template = "privacy/erasure_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#erasure-due"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
