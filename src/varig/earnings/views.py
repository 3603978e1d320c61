"""Pages of the earnings guide: the calculator (staff), the public "Sådan har vi regnet", the
rates (administrators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from varig.core.forms import add_service_errors
from varig.core.permissions import administrator_required, staff_required

from . import selectors, services
from .forms import CalculatorForm, RateAddForm, RateCorrectForm, RateRemoveForm, YearChoiceForm
from .models import Rate
from .rates import KEYS

INVALID = 400


def _wants_fragment(request) -> bool:
    return bool(
        request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    )


def _render(request, template: str, context: dict, *, fragment: str | None = None, status=200):
    if fragment and _wants_fragment(request):
        template += f"#{fragment}"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _chosen_year(request) -> int:
    form = YearChoiceForm(request.GET)
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return selectors.default_year(selectors.rate_years())


# --- The calculator ----------------------------------------------------------------------------


def _calculator_form(request, *, initial: dict | None = None) -> CalculatorForm:
    """Bound to the query string once the person has asked (the hours are there)."""
    choices = selectors.calculator_year_choices()
    start = {
        "year": choices.default,
        "working_weeks": 52,
        "children": 0,
        "pension_rules": "after_2003",
        "civil_status": "single",
        "partner": "none",
        **(initial or {}),
    }
    data = request.GET if "hours_per_week" in request.GET else None
    return CalculatorForm(data, initial=start, years=choices.years)


def _calculation_for(form: CalculatorForm):
    if not form.is_bound or not form.is_valid():
        return None
    return selectors.calculation(
        inputs=form.inputs(), pension_rules=form.cleaned_data["pension_rules"]
    )


@require_GET
@staff_required
def calculator_view(request):
    """What a person keeps when they work X hours at Y kr.: for staff, and for a person sitting
    with their advisor. Nothing is saved (saving is on the person's own page)."""
    form = _calculator_form(request)
    context = {
        "nav_section": "earnings",
        "form": form,
        "calc": _calculation_for(form),
        "action": reverse("earnings:calculator"),
    }
    status = INVALID if form.is_bound and not form.is_valid() else 200
    if _wants_fragment(request):
        status = 200  # htmx swaps only 2xx answers
    return _render(
        request, "earnings/calculator.html", context, fragment="calculation", status=status
    )


# --- Public ------------------------------------------------------------------------------------


@login_not_required
@require_GET
def methodology_view(request):
    """How the guide calculates, and every rate it uses with its source and confidence.

    Public: a job customer, a relative or a caseworker can check the figures without a login.
    """
    sheet = selectors.year_sheet(year=_chosen_year(request))
    context = {"nav_section": "earnings", "sheet": sheet}
    return _render(request, "earnings/methodology.html", context, fragment="rates")


# --- Rates (administrators) --------------------------------------------------------------------


@require_GET
@administrator_required
def rates_view(request):
    sheet = selectors.year_sheet(year=_chosen_year(request))
    context = {"nav_section": "earnings", "sheet": sheet}
    return _render(request, "earnings/rates.html", context, fragment="year")


@require_http_methods(["GET", "POST"])
@administrator_required
def rate_add_view(request):
    initial = {}
    for name in ("year", "key", "municipality"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = RateAddForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rate = services.rate_add(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(rate)s was saved.") % {"rate": rate})
            return redirect(f"{_rates_url()}?year={rate.year}")
    key = form["key"].value() or initial.get("key")
    context = {
        "nav_section": "earnings",
        "form": form,
        "per_municipality": key in KEYS and KEYS[key].per_municipality,
    }
    return render(
        request, "earnings/rate_add.html", context, status=INVALID if form.is_bound else 200
    )


def _rates_url() -> str:
    return reverse("earnings:rates")


def _rate_page(request, rate: Rate, *, correct_form=None, remove_form=None, status=200):
    current = rate.is_current
    if correct_form is None and current:
        correct_form = RateCorrectForm(
            initial={
                "value": rate.value,
                "publisher": rate.publisher,
                "source_title": rate.source_title,
                "source_url": rate.source_url,
                "confidence": rate.confidence,
                "note": rate.note,
            }
        )
    context = {
        "nav_section": "earnings",
        "rate": rate,
        "history": selectors.rate_history(rate=rate),
        "correct_form": correct_form if current else None,
        "remove_form": (remove_form or RateRemoveForm()) if current else None,
        "open_remove": remove_form is not None,
    }
    return render(request, "earnings/rate_detail.html", context, status=status)


@require_GET
@administrator_required
def rate_detail_view(request, pk: int):
    rate = get_object_or_404(Rate.objects.select_related("recorded_by"), pk=pk)
    return _rate_page(request, rate)


@require_POST
@administrator_required
def rate_correct_view(request, pk: int):
    rate = get_object_or_404(Rate, pk=pk)
    form = RateCorrectForm(request.POST)
    if form.is_valid():
        try:
            new = services.rate_correct(actor=request.user, rate=rate, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The figure was corrected; the old one is kept below."))
            return redirect("earnings:rate_detail", pk=new.pk)
    return _rate_page(request, rate, correct_form=form, status=INVALID)


@require_POST
@administrator_required
def rate_remove_view(request, pk: int):
    rate = get_object_or_404(Rate, pk=pk)
    form = RateRemoveForm(request.POST)
    if form.is_valid():
        try:
            services.rate_remove(actor=request.user, rate=rate, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(rate)s was removed. The calculator now says it is missing.") % {"rate": rate},
            )
            return redirect(f"{_rates_url()}?year={rate.year}")
    return _rate_page(request, rate, remove_form=form, status=INVALID)
