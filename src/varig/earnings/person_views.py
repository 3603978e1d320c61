"""The earnings guide on a job customer's record: the calculator for the person, their saved
calculations (with the one-page PDF to give them) and whether they save for a pension.

Every view fetches the person through `job_customer_get_for_user` (access rules and the audit
log); changing anything needs `can_edit_job_customer` (consultants only read).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from varig.core.documents import pdf_response, render_pdf
from varig.core.forms import add_service_errors, versioned_kwargs
from varig.core.permissions import staff_required
from varig.customers.selectors import can_edit_job_customer, job_customer_get_for_user
from varig.privacy.audit import audit_read

from . import selectors, services
from .forms import (
    CalculatorForm,
    PensionSavingEditForm,
    PensionSavingForm,
    PensionSavingStopForm,
    SaveCalculationForm,
)
from .models import PensionSaving
from .rates import municipality_match
from .views import INVALID, _calculation_for, _render, _wants_fragment


def _person(request, pk: int, *, edit: bool = False, audit: bool = True):
    person = job_customer_get_for_user(user=request.user, pk=pk, audit=audit)
    if edit and not can_edit_job_customer(user=request.user, job_customer=person):
        raise PermissionDenied
    return person


# --- The person's earnings page and card -------------------------------------------------------


def _stop_forms(earnings, bound=None) -> dict:
    forms = {}
    for saving in earnings.savings:
        if bound is not None and bound[0] == saving.pk:
            forms[saving.pk] = bound[1]
        elif saving.is_open:
            forms[saving.pk] = PensionSavingStopForm(
                initial={"version": saving.version, "stopped_on": timezone.localdate()}
            )
    return forms


def _edit_forms(earnings, bound=None) -> dict:
    forms = {}
    for saving in earnings.savings:
        if bound is not None and bound[0] == saving.pk:
            forms[saving.pk] = bound[1]
        else:
            forms[saving.pk] = PensionSavingEditForm(
                initial={
                    "version": saving.version,
                    "started_on": saving.started_on,
                    "stopped_on": saving.stopped_on,
                    "note": saving.note,
                }
            )
    return forms


def _person_page(request, person, *, add_form=None, stop=None, edit=None, status=200):
    fragment = _wants_fragment(request) and status == 200
    earnings = selectors.person_earnings(
        job_customer=person, limit=selectors.CARD_CALCULATIONS if fragment else None
    )
    can_edit = can_edit_job_customer(user=request.user, job_customer=person)
    rows = []
    if not fragment:
        stop_forms, edit_forms = _stop_forms(earnings, stop), _edit_forms(earnings, edit)
        rows = [
            {
                "saving": saving,
                "stop_form": stop_forms.get(saving.pk),
                "edit_form": edit_forms.get(saving.pk),
                "open_edit": edit is not None and edit[0] == saving.pk,
            }
            for saving in earnings.savings
        ]
    context = {
        "nav_section": "customers",
        "jc": person,
        "earnings": earnings,
        "can_edit": can_edit,
        "saving_rows": rows,
        "add_form": add_form or PensionSavingForm(),
        "open_add": add_form is not None,
        "full_page": not fragment,
    }
    return _render(request, "earnings/person.html", context, fragment="card", status=status)


@require_GET
@staff_required
def person_view(request, pk: int):
    """The person's saved calculations and pension savings. Asked by htmx (the card on the
    job customer's page loads itself from here) only the card; else the whole page."""
    person = _person(request, pk, audit=not _wants_fragment(request))
    return _person_page(request, person)


# --- The calculator for the person -------------------------------------------------------------


def _initial_for(person) -> dict:
    """Start from what the record knows: the pension rules, the municipality, the hours and
    wage of the current job (one query)."""
    from varig.placements.models import Placement

    initial = {}
    if person.pension_rules in ("after_2003", "before_2003", "unknown"):
        initial["pension_rules"] = person.pension_rules
    municipality = municipality_match(person.municipality or "")
    if municipality:
        initial["municipality"] = municipality
    job = (
        Placement.objects.active_on(timezone.localdate())
        .work()
        .filter(job_customer=person)
        .order_by("-started_on", "-pk")
        .values("hours_per_week", "hourly_wage")
        .first()
    )
    if job:
        if job["hours_per_week"]:
            initial["hours_per_week"] = job["hours_per_week"]
        if job["hourly_wage"]:
            initial["hourly_wage"] = job["hourly_wage"]
    return initial


def _calculator_page(request, person, *, form, save_form=None, status=200):
    calc = _calculation_for(form)
    if save_form is None and calc is not None and not calc.refused:
        save_form = SaveCalculationForm(years=[form.cleaned_data["year"]])
    context = {
        "nav_section": "customers",
        "jc": person,
        "form": form,
        "calc": calc,
        "save_form": save_form,
        "can_edit": can_edit_job_customer(user=request.user, job_customer=person),
        "action": reverse("earnings:person_calculator", args=[person.pk]),
    }
    if _wants_fragment(request):
        status = 200  # htmx swaps only 2xx answers
    return _render(
        request, "earnings/person_calculator.html", context, fragment="calculation", status=status
    )


@require_GET
@staff_required
def person_calculator_view(request, pk: int):
    """The calculator, for this person: it starts from their record, and a result can be
    saved on it."""
    person = _person(request, pk, audit=not _wants_fragment(request))
    choices = selectors.calculator_year_choices()
    start = {
        "year": choices.default,
        "working_weeks": 52,
        "children": 0,
        "pension_rules": "after_2003",
        "civil_status": "single",
        "partner": "none",
        **_initial_for(person),
    }
    data = request.GET if "hours_per_week" in request.GET else None
    form = CalculatorForm(data, initial=start, years=choices.years)
    status = INVALID if form.is_bound and not form.is_valid() else 200
    return _calculator_page(request, person, form=form, status=status)


@require_POST
@staff_required
def calculation_save_view(request, pk: int):
    person = _person(request, pk, edit=True)
    choices = selectors.calculator_year_choices()
    form = SaveCalculationForm(request.POST, years=choices.years)
    if form.is_valid():
        try:
            saved = services.calculation_save(
                actor=request.user,
                job_customer=person,
                inputs=form.inputs(),
                pension_rules=form.cleaned_data["pension_rules"],
                title=form.cleaned_data.get("title", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The calculation was saved on the record."))
            return redirect("earnings:saved_detail", pk=person.pk, calc_pk=saved.pk)
    calculator_form = CalculatorForm(request.POST, years=choices.years)
    return _calculator_page(request, person, form=calculator_form, save_form=form, status=INVALID)


# --- Saved calculations ------------------------------------------------------------------------


@require_GET
@staff_required
def saved_detail_view(request, pk: int, calc_pk: int):
    person = _person(request, pk)
    saved = selectors.saved_calculation_for(job_customer=person, pk=calc_pk)
    context = {
        "nav_section": "customers",
        "jc": person,
        "saved": saved,
        "calc": selectors.saved_calculation(saved),
        "can_edit": can_edit_job_customer(user=request.user, job_customer=person),
    }
    return _render(request, "earnings/saved_detail.html", context)


def pdf_filename(person, saved) -> str:
    day = timezone.localtime(saved.created_at).date().isoformat()
    return f"beregning-{slugify(person.ref) or person.pk}-{day}.pdf"


@require_GET
@staff_required
def saved_pdf_view(request, pk: int, calc_pk: int):
    """The one-page printout to give the person: what they keep, the figures, the rates used
    and the caveats. Nothing about their health. Audited."""
    person = _person(request, pk, audit=False)
    saved = selectors.saved_calculation_for(job_customer=person, pk=calc_pk)
    calc = selectors.saved_calculation(saved)
    rates, sources = selectors.rates_with_sources(calc.rates_used)
    content = render_pdf(
        "earnings/pdf/calculation.html",
        {
            "person_name": person.full_name,
            "advisor_name": person.advisor.name if person.advisor_id else "",
            "saved": saved,
            "calc": calc,
            "rates": rates,
            "sources": sources,
        },
    )
    audit_read(job_customer=person, document="earnings", user=request.user)
    return pdf_response(content, filename=pdf_filename(person, saved))


# --- Pension savings ---------------------------------------------------------------------------


def _saving(person, saving_pk: int) -> PensionSaving:
    return get_object_or_404(PensionSaving, pk=saving_pk, job_customer=person)


def _done(person):
    return redirect(reverse("earnings:person", args=[person.pk]) + "#pension")


@require_POST
@staff_required
def pension_add_view(request, pk: int):
    person = _person(request, pk, edit=True)
    form = PensionSavingForm(request.POST)
    if form.is_valid():
        try:
            services.pension_saving_start(
                actor=request.user, job_customer=person, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The pension saving was recorded."))
            return _done(person)
    return _person_page(request, person, add_form=form, status=INVALID)


@require_POST
@staff_required
def pension_stop_view(request, pk: int, saving_pk: int):
    person = _person(request, pk, edit=True)
    saving = _saving(person, saving_pk)
    form = PensionSavingStopForm(request.POST)
    if form.is_valid():
        try:
            services.pension_saving_stop(
                actor=request.user, saving=saving, **versioned_kwargs(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The pension saving was stopped."))
            return _done(person)
    return _person_page(request, person, stop=(saving.pk, form), status=INVALID)


@require_POST
@staff_required
def pension_edit_view(request, pk: int, saving_pk: int):
    person = _person(request, pk, edit=True)
    saving = _saving(person, saving_pk)
    form = PensionSavingEditForm(request.POST)
    if form.is_valid():
        try:
            services.pension_saving_update(
                actor=request.user, saving=saving, **versioned_kwargs(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The pension saving was corrected."))
            return _done(person)
    return _person_page(request, person, edit=(saving.pk, form), status=INVALID)
