"""Pages of the early warnings: the list, resolving one, and the periods on the person's page.

The job customer's page shows this app's section (`sections.person_section`) as a card that
loads itself from `person_section_view` (the page computes none of it); its forms post here, and
an htmx post gets the section back (with errors beside the fields, or fresh).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from varig.core.forms import add_service_errors
from varig.core.models import Role
from varig.core.permissions import role_required, staff_required
from varig.customers.selectors import (
    advisor_choices,
    job_customer_get_for_user,
    visible_job_customers_q,
)

from . import sections, selectors, services
from .forms import FlagFilterForm, FlagResolveForm, PeriodEndForm, PeriodForm
from .models import Flag, Period

editor_required = role_required(Role.ADVISOR, Role.MANAGER, Role.ADMINISTRATOR)
INVALID = 400
SECTION_TEMPLATE = "alerts/_person.html"


def _section_response(request, job_customer, *, status=200, **forms):
    section = sections.person_section(user=request.user, job_customer=job_customer, **forms)
    context = {"alerts_person": section, "jc": job_customer, "nav_section": "customers"}
    # Without htmx (no script; a boosted link or a history restore wants a page too) the section
    # comes back inside a page of its own.
    wants_card = (
        request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    )
    template = SECTION_TEMPLATE if wants_card else "alerts/section_page.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _person_url(job_customer_id: int) -> str:
    return reverse("customers:detail", args=[job_customer_id]) + "#early-warnings"


@require_GET
@staff_required
def flag_list_view(request):
    """All warnings the user looks after (an advisor's caseload by default), filterable."""
    advisors = advisor_choices()
    form = FlagFilterForm(request.GET or None, advisors=advisors)
    params = form.cleaned_data if form.is_valid() else {}
    default = "mine" if request.user.is_advisor and not request.user.sees_all else "all"
    chosen = params.get("advisor") or default
    advisor = None
    if chosen == "mine":
        advisor = request.user
    elif chosen != "all":
        advisor = next((a.pk for a in advisors if str(a.pk) == chosen), None)
    if not form.is_bound:
        form = FlagFilterForm(initial={"advisor": chosen}, advisors=advisors)
    status = params.get("status") or "open"
    flags = selectors.flag_list(status=status, kind=params.get("kind", ""), advisor=advisor)
    flags = flags.filter(visible_job_customers_q(user=request.user))  # only persons they may see
    page = Paginator(flags, settings.VARIG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav_section": "today",
        "form": form,
        "page_obj": page,
        "status": status,
        "show_advisor": advisor is None,
    }
    template = "alerts/flag_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#flag-results"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
@staff_required
def person_section_view(request, pk: int):
    """The early warnings, periods and "Godt Gået" of one job customer: the card the person's
    page loads with htmx, or a page of its own. Anyone may ask this URL directly, so it checks
    access and logs the read like the person's page does."""
    job_customer = job_customer_get_for_user(user=request.user, pk=pk)
    return _section_response(request, job_customer)


@require_http_methods(["GET", "POST"])
@editor_required
def flag_resolve_view(request, pk: int):
    """Resolve one warning: the person who does it is named, with what was done."""
    flag = get_object_or_404(Flag.objects.only("pk", "job_customer_id"), pk=pk)
    job_customer = job_customer_get_for_user(user=request.user, pk=flag.job_customer_id)
    flag = selectors.flag_get(pk=pk)
    from_section = request.POST.get("from") == "person"
    form = FlagResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_resolve(
                user=request.user, flag=flag, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if from_section and request.htmx:
                return _section_response(request, job_customer)
            messages.success(request, _("The warning was resolved."))
            next_url = request.POST.get("next", "")
            if next_url and url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}
            ):
                return redirect(next_url)
            return redirect(_person_url(job_customer.pk))
    if from_section and request.htmx:
        return _section_response(
            request, job_customer, resolve_form=form, resolve_pk=flag.pk, open_form="resolve"
        )
    status = INVALID if form.is_bound else 200
    context = {
        "nav_section": "today",
        "flag": flag,
        "jc": job_customer,
        "form": form,
        "next": request.GET.get("next") or request.POST.get("next", ""),
    }
    return render(request, "alerts/flag_resolve.html", context, status=status)


@require_POST
@editor_required
def period_add_view(request, pk: int):
    """Record a period of progress, stability or setback on the person's page."""
    job_customer = job_customer_get_for_user(user=request.user, pk=pk, audit=False)
    form = PeriodForm(request.POST)
    if form.is_valid():
        try:
            period = services.period_record(
                user=request.user, job_customer=job_customer, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                return _section_response(request, job_customer)
            if period.kind == Period.Kind.SETBACK:
                messages.warning(request, _("The setback was recorded and flagged."))
            else:
                messages.success(request, _("The period was recorded."))
            return redirect(_person_url(job_customer.pk))
    return _section_response(
        request,
        job_customer,
        status=200 if request.htmx else INVALID,
        period_form=form,
        open_form="period",
    )


@require_POST
@editor_required
def period_end_view(request, pk: int):
    """End the person's open period (its last day and the sick-leave days in all)."""
    period = get_object_or_404(Period, pk=pk)
    job_customer = job_customer_get_for_user(user=request.user, pk=period.job_customer_id)
    if period.ended_on is not None:
        raise Http404
    form = PeriodEndForm(request.POST)
    if form.is_valid():
        try:
            services.period_end(user=request.user, period=period, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                return _section_response(request, job_customer)
            messages.success(request, _("The period was ended."))
            return redirect(_person_url(job_customer.pk))
    return _section_response(
        request,
        job_customer,
        status=200 if request.htmx else INVALID,
        end_form=form,
        open_form="end",
    )
