"""Pages about job customers: the caseload list, the intake and the job-customer page.

The job-customer page is one template with a partial per card. Each small form on it posts to
its own view; an htmx post gets its card back (with errors beside the fields, or fresh), a plain
post is redirected back to the page (or gets the whole page with the errors, status 400).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from varig.core.forms import add_service_errors, versioned_kwargs
from varig.core.inputs import is_digits
from varig.core.models import Role
from varig.core.pagination import EitherEndPaginator
from varig.core.permissions import role_required, staff_required
from varig.core.sections import PERSON, sections_for

from . import services
from .forms import (
    AccommodationForm,
    CaseloadFilterForm,
    ConsentForm,
    ConsentWithdrawForm,
    ContactNoteForm,
    GoalForm,
    GuidanceSessionForm,
    HealthForm,
    JobCustomerForm,
    JobWishesForm,
    PlanForm,
    ReadinessForm,
    ShareForm,
    TaskForm,
)
from .models import Consent, Goal, Plan, Task
from .selectors import (
    DEFAULT_SORT,
    advisor_choices,
    attach_status,
    can_edit_job_customer,
    can_see_health,
    contact_companies_for,
    contact_companies_on_page,
    default_advisor_filter,
    guidance_session_page,
    job_customer_detail,
    job_customer_get_for_user,
    job_customer_list,
    plan_goals,
    plan_section,
)
from .sharing import share_candidates, shares_card

editor_required = role_required(Role.ADVISOR, Role.MANAGER, Role.ADMINISTRATOR)

LIST_PAGE_SIZE = 25
INVALID = 400


def _wants_fragment(request) -> bool:
    """An htmx swap wants a fragment; a boosted link or a history restore wants the page."""
    return bool(
        request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    )


def _render(request, template: str, context: dict, *, fragment: str | None, status: int = 200):
    if fragment and _wants_fragment(request):
        template += f"#{fragment}"
    response = render(request, template, context, status=status)
    # The same URL answers with a page or a fragment, so caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- Caseload list ------------------------------------------------------------------------------


@require_GET
@staff_required
def job_customer_list_view(request):
    advisors = advisor_choices()
    form = CaseloadFilterForm(request.GET or None, user=request.user, advisors=advisors)
    params = form.cleaned_data if form.is_valid() else {}
    advisor = params.get("advisor") or default_advisor_filter(user=request.user)
    sort = params.get("sort") or DEFAULT_SORT
    if not form.is_bound:
        form = CaseloadFilterForm(
            initial={"advisor": advisor}, user=request.user, advisors=advisors
        )
    customers = job_customer_list(
        user=request.user,
        search=params.get("q", ""),
        status=params.get("status", ""),
        advisor=advisor,
        sort=sort,
        with_status=False,
    )
    # The last pages of 100,000 rows are read from the end (no walk over every row before them).
    page = EitherEndPaginator(customers, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = attach_status(page.object_list)  # the shown rows' status: one query
    context = {
        "nav_section": "customers",
        "form": form,
        "page_obj": page,
        "sort": sort,
        "sort_columns": [
            ("name", _("Name")),
            ("ref", _("Reference")),
            (None, _("Status")),
            ("advisor", _("Advisor")),
            ("associated_from", _("Associated from")),
        ],
        "can_create": request.user.has_role(Role.ADVISOR, Role.MANAGER, Role.ADMINISTRATOR),
    }
    return _render(request, "customers/job_customer_list.html", context, fragment="results")


# --- Intake and edit ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@editor_required
def job_customer_create_view(request):
    form = JobCustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job_customer = services.job_customer_create(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": job_customer})
            return redirect("customers:detail", pk=job_customer.pk)
    status = INVALID if form.is_bound else 200
    return render(
        request,
        "customers/job_customer_form.html",
        {"nav_section": "customers", "form": form, "job_customer": None},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@editor_required
def job_customer_edit_view(request, pk: int):
    job_customer = job_customer_get_for_user(user=request.user, pk=pk)
    form = JobCustomerForm(request.POST or None, instance=job_customer)
    if request.method == "POST" and form.is_valid():
        try:
            services.job_customer_update(
                actor=request.user,
                job_customer=job_customer,
                expected_version=form.cleaned_data.get("version"),
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("customers:detail", pk=job_customer.pk)
    status = INVALID if form.is_bound else 200
    return render(
        request,
        "customers/job_customer_form.html",
        {"nav_section": "customers", "form": form, "job_customer": job_customer},
        status=status,
    )


# --- The job-customer page ----------------------------------------------------------------------

SECTIONS = {"readiness", "wishes", "accommodations", "consents", "health", "timeline", "tasks"}

# The small forms of the page and the card each lives on. The page builds none of them until
# someone opens one (`?open=<name>`: the card comes back with that form; htmx asks for it when
# the <details> opens), or a post failed and shows its errors. Building and rendering every
# form on every view cost the page most of its time and two queries for the staff lists
# (issue 9).
FORM_CARDS = {
    "task_form": "tasks",
    "readiness_form": "readiness",
    "wishes_form": "wishes",
    "accommodation_form": "accommodations",
    "consent_form": "consents",
    "health_form": "health",
    "note_form": "timeline",
    "share_form": "shares",
}


def _fresh_form(name: str, page, shares):
    """The empty form `name` of the page, or None when the user may not use it."""
    job_customer = page.job_customer
    if name == "share_form":
        if not shares.can_share:
            return None
        return ShareForm(candidates=share_candidates(job_customer=job_customer))
    if not page.can_edit or (name == "health_form" and not page.can_see_health):
        return None
    if name in ("consent_form", "note_form"):
        companies = contact_companies_on_page(page)
        return (ConsentForm if name == "consent_form" else ContactNoteForm)(companies=companies)
    return {
        "task_form": TaskForm,
        "readiness_form": ReadinessForm,
        "wishes_form": lambda: JobWishesForm(instance=page.job_wishes),
        "accommodation_form": AccommodationForm,
        "health_form": lambda: HealthForm(instance=page.health),
    }[name]()


def _render_detail(request, pk: int, *, section: str | None = None, forms=None, status=200):
    """The whole page, or one card of it for htmx; `forms` replace the fresh forms."""
    page = job_customer_detail(user=request.user, pk=pk, notes_page=request.GET.get("page"))
    job_customer = page.job_customer
    shares = shares_card(user=request.user, job_customer=job_customer)
    forms = forms or {}
    opened = forms.get("open_form") or request.GET.get("open")
    if opened not in FORM_CARDS:
        opened = None
    context = {
        "nav_section": "customers",
        "page": page,
        "job_customer": job_customer,
        "jc": job_customer,
        **dict.fromkeys(FORM_CARDS),
        "withdraw_form": None,
        "withdraw_consent_pk": None,
        "open_form": opened,
        "plan_section": plan_section(job_customer=job_customer),
        "shares": shares,
        "sections": sections_for(PERSON, user=request.user, job_customer=job_customer),
    }
    if opened and opened not in forms:
        context[opened] = _fresh_form(opened, page, shares)
    context.update(forms)
    if section == "shares" and _wants_fragment(request):
        return _render(request, "customers/_shares.html", context, fragment=None, status=status)
    return _render(
        request, "customers/job_customer_detail.html", context, fragment=section, status=status
    )


@require_GET
@staff_required
def job_customer_detail_view(request, pk: int):
    section = None
    if _wants_fragment(request) and request.htmx.target in {*SECTIONS, "shares"}:
        section = request.htmx.target  # a pager, or a form opened on its card
    return _render_detail(request, pk, section=section)


def _section_post(request, pk: int, *, section: str, form_name: str, form, save, extra=None):
    """Validate `form`, call `save(job_customer, cleaned_data)`, answer with the card or page."""
    job_customer = job_customer_get_for_user(user=request.user, pk=pk, audit=False)
    if form.is_valid():
        try:
            save(job_customer, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                return _render_detail(request, pk, section=section)
            return redirect(reverse("customers:detail", args=[pk]) + f"#{section}")
    status = 200 if request.htmx else INVALID  # htmx swaps only 2xx answers
    return _render_detail(
        request,
        pk,
        section=section,
        forms={form_name: form, "open_form": form_name, **(extra or {})},
        status=status,
    )


@require_POST
@editor_required
def readiness_add_view(request, pk: int):
    return _section_post(
        request,
        pk,
        section="readiness",
        form_name="readiness_form",
        form=ReadinessForm(request.POST),
        save=lambda jc, data: services.readiness_record(
            actor=request.user, job_customer=jc, **data
        ),
    )


@require_POST
@editor_required
def job_wishes_edit_view(request, pk: int):
    return _section_post(
        request,
        pk,
        section="wishes",
        form_name="wishes_form",
        form=JobWishesForm(request.POST),
        save=lambda jc, data: services.job_wishes_update(
            actor=request.user, job_customer=jc, **versioned_kwargs(data)
        ),
    )


@require_POST
@editor_required
def accommodation_add_view(request, pk: int):
    return _section_post(
        request,
        pk,
        section="accommodations",
        form_name="accommodation_form",
        form=AccommodationForm(request.POST),
        save=lambda jc, data: services.accommodation_record(
            actor=request.user, job_customer=jc, **data
        ),
    )


@require_POST
@editor_required
def consent_add_view(request, pk: int):
    job_customer = job_customer_get_for_user(user=request.user, pk=pk, audit=False)
    return _section_post(
        request,
        pk,
        section="consents",
        form_name="consent_form",
        form=ConsentForm(
            request.POST, companies=list(contact_companies_for(job_customer=job_customer))
        ),
        save=lambda jc, data: services.consent_give(actor=request.user, job_customer=jc, **data),
    )


@require_POST
@editor_required
def consent_withdraw_view(request, pk: int, consent_pk: int):
    consent = get_object_or_404(Consent, pk=consent_pk, job_customer_id=pk)
    return _section_post(
        request,
        pk,
        section="consents",
        form_name="withdraw_form",
        form=ConsentWithdrawForm(request.POST),
        save=lambda jc, data: services.consent_withdraw(
            actor=request.user, consent=consent, job_customer=jc, **data
        ),
        extra={"withdraw_consent_pk": consent.pk},
    )


@require_POST
@editor_required
def health_edit_view(request, pk: int):
    job_customer = job_customer_get_for_user(user=request.user, pk=pk, audit=False)
    if not can_see_health(user=request.user, job_customer=job_customer):
        raise PermissionDenied
    return _section_post(
        request,
        pk,
        section="health",
        form_name="health_form",
        form=HealthForm(request.POST),
        save=lambda jc, data: services.health_update(
            actor=request.user, job_customer=jc, **versioned_kwargs(data)
        ),
    )


@require_POST
@editor_required
def note_add_view(request, pk: int):
    job_customer = job_customer_get_for_user(user=request.user, pk=pk, audit=False)
    form = ContactNoteForm(
        request.POST, companies=list(contact_companies_for(job_customer=job_customer))
    )

    def save(jc, data):
        services.contact_note_create(
            actor=request.user,
            job_customer=jc,
            kind=data["kind"],
            text=data["text"],
            occurred_at=form.occurred_at(),
            company=data.get("company"),
            consent_override_reason=data.get("consent_override_reason", ""),
        )

    return _section_post(
        request, pk, section="timeline", form_name="note_form", form=form, save=save
    )


@require_POST
@editor_required
def task_add_view(request, pk: int):
    return _section_post(
        request,
        pk,
        section="tasks",
        form_name="task_form",
        form=TaskForm(request.POST),
        save=lambda jc, data: services.task_create(actor=request.user, job_customer=jc, **data),
    )


@require_POST
@editor_required
def task_done_view(request, pk: int, task_pk: int):
    task = get_object_or_404(Task, pk=task_pk, job_customer_id=pk)
    job_customer = job_customer_get_for_user(user=request.user, pk=pk, audit=False)
    try:
        services.task_complete(actor=request.user, task=task, job_customer=job_customer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.htmx:
        return _render_detail(request, pk, section="tasks")
    return redirect(reverse("customers:detail", args=[pk]) + "#tasks")


# --- The individual plan and guidance sessions --------------------------------------------------


def _render_page(request, template: str, context: dict, *, status: int = 200):
    """A page of its own, or its `page` partial for an htmx request."""
    context.setdefault("nav_section", "customers")
    return _render(request, template, context, fragment="page", status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def plan_view(request, pk: int):
    """The plan: what the person wants in their own words, the goals and sub-goals."""
    job_customer = job_customer_get_for_user(user=request.user, pk=pk)
    section = plan_section(job_customer=job_customer)
    can_edit = can_edit_job_customer(user=request.user, job_customer=job_customer)
    form = PlanForm(request.POST or None, instance=section.plan or Plan(job_customer=job_customer))
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.plan_update(
                    actor=request.user,
                    job_customer=job_customer,
                    own_words=form.cleaned_data["own_words"],
                    expected_version=form.cleaned_data.get("version"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The plan was saved."))
                return redirect("customers:plan", pk=pk)
        status = INVALID
    context = {"jc": job_customer, "section": section, "form": form, "can_edit": can_edit}
    return _render_page(request, "customers/plan.html", context, status=status)


@require_http_methods(["GET", "POST"])
@editor_required
def goal_create_view(request, pk: int):
    return _goal_form(request, pk, goal=None)


@require_http_methods(["GET", "POST"])
@editor_required
def goal_edit_view(request, pk: int, goal_pk: int):
    goal = get_object_or_404(Goal, pk=goal_pk, plan__job_customer_id=pk)
    return _goal_form(request, pk, goal=goal)


def _goal_form(request, pk: int, *, goal):
    job_customer = job_customer_get_for_user(user=request.user, pk=pk)
    main_goals = [
        g for g in plan_goals(job_customer=job_customer) if g.parent_id is None and g != goal
    ]
    initial = {}
    parent_pk = request.GET.get("parent")
    if goal is None and is_digits(parent_pk):
        initial["parent"] = int(parent_pk)
    form = GoalForm(request.POST or None, instance=goal, main_goals=main_goals, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in GoalForm.Meta.fields}
        try:
            if goal is None:
                services.goal_create(actor=request.user, job_customer=job_customer, **data)
            else:
                services.goal_update(
                    actor=request.user,
                    goal=goal,
                    job_customer=job_customer,
                    expected_version=form.cleaned_data.get("version"),
                    **data,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The goal was saved."))
            return redirect("customers:plan", pk=pk)
    status = INVALID if form.is_bound else 200
    context = {"jc": job_customer, "form": form, "goal": goal}
    return _render_page(request, "customers/goal_form.html", context, status=status)


@require_GET
@staff_required
def guidance_list_view(request, pk: int):
    """Every guidance session with the person, newest first, 20 a page."""
    job_customer = job_customer_get_for_user(user=request.user, pk=pk)
    context = {
        "jc": job_customer,
        "page_obj": guidance_session_page(job_customer=job_customer, page=request.GET.get("page")),
        "can_edit": can_edit_job_customer(user=request.user, job_customer=job_customer),
    }
    return _render_page(request, "customers/guidance_list.html", context)


@require_http_methods(["GET", "POST"])
@editor_required
def guidance_create_view(request, pk: int):
    """Log a guidance session and review the open goals in it."""
    job_customer = job_customer_get_for_user(user=request.user, pk=pk)
    goals = [g for g in plan_goals(job_customer=job_customer) if g.is_open]
    form = GuidanceSessionForm(request.POST or None, goals=goals)
    if request.method == "POST" and form.is_valid():
        try:
            services.guidance_session_record(
                actor=request.user,
                job_customer=job_customer,
                reviews=form.reviews(),
                **form.session_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The guidance session was saved."))
            return redirect("customers:guidance_list", pk=pk)
    status = INVALID if form.is_bound else 200
    context = {"jc": job_customer, "form": form}
    return _render_page(request, "customers/guidance_form.html", context, status=status)
