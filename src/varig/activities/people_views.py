"""Pages about one job customer's activities: recommending a course, and the external
upskilling of employed job customers with its certificate (served only through an
access-checked view, never from a public media URL)."""

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from varig.core.forms import add_service_errors
from varig.core.inputs import is_digits
from varig.core.permissions import staff_required
from varig.customers.selectors import can_edit_job_customer, job_customer_get_for_user

from . import selectors, services
from .forms import RecommendationForm, UpskillingForm
from .models import Upskilling
from .services import CERTIFICATE_TYPES
from .views import INVALID, _render, editor_required


def _editable_person(request, pk: int, *, audit: bool = True):
    person = job_customer_get_for_user(user=request.user, pk=pk, audit=audit)
    if not can_edit_job_customer(user=request.user, job_customer=person):
        raise PermissionDenied
    return person


@require_GET
@staff_required
def person_section_view(request, pk: int):
    """The activities card of the job customer's page (loaded by the page itself)."""
    person = job_customer_get_for_user(user=request.user, pk=pk, audit=False)
    context = {
        "activities": selectors.person_activities(job_customer=person),
        "can_edit": can_edit_job_customer(user=request.user, job_customer=person),
        "jc": person,
    }
    return render(request, "activities/_person_section.html", context)


@require_http_methods(["GET", "POST"])
@editor_required
def recommend_view(request, pk: int):
    """A vejleder recommends an activity (or one of its runs) to the job customer."""
    person = _editable_person(request, pk)
    runs = selectors.upcoming_runs()
    initial = {}
    activity_pk = request.GET.get("activity")
    if is_digits(activity_pk):
        initial["activity"] = int(activity_pk)
    form = RecommendationForm(request.POST or None, runs=runs, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_create(
                actor=request.user, job_customer=person, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The recommendation was saved."))
            return redirect("customers:detail", pk=person.pk)
    status = INVALID if form.is_bound else 200
    context = {"jc": person, "form": form, "nav_section": "customers"}
    return _render(request, "activities/recommend.html", context, status=status)


@require_http_methods(["GET", "POST"])
@editor_required
def upskilling_create_view(request, pk: int):
    person = _editable_person(request, pk)
    return _upskilling_form(request, person=person, upskilling=None)


@require_http_methods(["GET", "POST"])
@editor_required
def upskilling_edit_view(request, pk: int):
    upskilling = get_object_or_404(Upskilling, pk=pk)
    person = _editable_person(request, upskilling.job_customer_id)
    return _upskilling_form(request, person=person, upskilling=upskilling)


def _upskilling_form(request, *, person, upskilling):
    form = UpskillingForm(request.POST or None, request.FILES or None, instance=upskilling)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in UpskillingForm.Meta.fields}
        try:
            services.upskilling_save(
                actor=request.user,
                job_customer=person,
                upskilling=upskilling,
                certificate=form.cleaned_data.get("certificate") or None,
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The upskilling was saved."))
            return redirect("customers:detail", pk=person.pk)
    status = INVALID if form.is_bound else 200
    context = {"jc": person, "form": form, "upskilling": upskilling, "nav_section": "customers"}
    return _render(request, "activities/upskilling_form.html", context, status=status)


@require_GET
@staff_required
def upskilling_certificate_view(request, pk: int):
    """The certificate file, for those who may see the person (the read is audited)."""
    upskilling = get_object_or_404(Upskilling, pk=pk)
    job_customer_get_for_user(user=request.user, pk=upskilling.job_customer_id)
    if not upskilling.certificate:
        raise Http404
    suffix = PurePath(upskilling.certificate.name).suffix.lower()
    content_type = CERTIFICATE_TYPES.get(suffix, ("application/octet-stream",))[0]
    try:
        handle = upskilling.certificate.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = upskilling.certificate_name or f"bevis{suffix}"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
