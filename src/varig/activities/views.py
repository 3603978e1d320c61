"""Pages of the activities app: the catalogue, runs with sessions, enrollment and attendance.

One view and one template per page; an htmx request gets the page's `page` partial. Invalid
input re-renders the form with status 400 and saves nothing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from varig.core.forms import add_service_errors
from varig.core.inputs import is_digits
from varig.core.permissions import role_required, staff_required
from varig.customers.models import JobCustomer
from varig.customers.selectors import (
    can_edit_job_customer,
    job_customer_get_for_user,
    job_customers_visible_to,
)

from . import selectors, services
from .forms import (
    ActivityForm,
    CompleteForm,
    EnrollByRefForm,
    EnrollRunForm,
    RunForm,
    SessionForm,
)
from .models import Activity, Enrollment, Session

INVALID = 400
editor_required = role_required(*selectors.EDITOR_ROLES)


def _render(request, template: str, context: dict, *, status: int = 200):
    """The page, or its `page` partial for an htmx request."""
    context.setdefault("nav_section", "activities")
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        template += "#page"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _person_by_ref(*, user, ref: str) -> JobCustomer | None:
    """A job customer the user may see, by reference (None when there is none)."""
    return job_customers_visible_to(user=user).filter(ref__iexact=ref).first()


# --- The catalogue ------------------------------------------------------------------------------


@require_GET
@staff_required
def catalogue_view(request):
    """The catalogue by strand and the runs open for enrollment."""
    context = {
        "strands": selectors.catalogue(include_inactive=request.GET.get("alle") == "1"),
        "runs": list(selectors.upcoming_runs()[:50]),
        "show_inactive": request.GET.get("alle") == "1",
    }
    return _render(request, "activities/catalogue.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def activity_create_view(request):
    return _activity_form(request, activity=None)


@require_http_methods(["GET", "POST"])
@staff_required
def activity_edit_view(request, pk: int):
    return _activity_form(request, activity=get_object_or_404(Activity, pk=pk))


def _activity_form(request, *, activity):
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in ActivityForm.Meta.fields}
        try:
            saved = services.activity_save(actor=request.user, activity=activity, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("activities:activity_detail", pk=saved.pk)
    status = INVALID if form.is_bound else 200
    return _render(
        request,
        "activities/activity_form.html",
        {"form": form, "activity": activity},
        status=status,
    )


@require_GET
@staff_required
def activity_detail_view(request, pk: int):
    page = selectors.activity_page(user=request.user, pk=pk)
    context = {"p": page, "can_create_run": selectors.can_create_run(user=request.user)}
    return _render(request, "activities/activity_detail.html", context)


# --- Runs -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@editor_required
def run_create_view(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    initial = {"capacity": activity.default_capacity, "leader": request.user.pk}
    form = RunForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_create(actor=request.user, activity=activity, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The run was created. Now add its sessions."))
            return redirect("activities:run_detail", pk=run.pk)
    status = INVALID if form.is_bound else 200
    context = {"form": form, "activity": activity, "run": None}
    return _render(request, "activities/run_form.html", context, status=status)


def _run_for_manager(request, pk: int):
    run = selectors.run_get(pk=pk)
    if not selectors.can_manage_run(user=request.user, run=run):
        raise PermissionDenied
    return run


@require_http_methods(["GET", "POST"])
@staff_required
def run_edit_view(request, pk: int):
    run = _run_for_manager(request, pk)
    form = RunForm(request.POST or None, instance=run)
    if request.method == "POST" and form.is_valid():
        try:
            promoted = services.run_update(actor=request.user, run=run, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The run was saved."))
            if promoted:
                messages.info(
                    request,
                    _("%(n)s moved up from the waitlist.") % {"n": len(promoted)},
                )
            return redirect("activities:run_detail", pk=run.pk)
    status = INVALID if form.is_bound else 200
    context = {"form": form, "activity": run.activity, "run": run}
    return _render(request, "activities/run_form.html", context, status=status)


def _run_context(request, run, **extra) -> dict:
    return {
        "p": selectors.run_page(user=request.user, run=run),
        "enroll_form": EnrollByRefForm(),
        "can_enroll": selectors.can_create_run(user=request.user),
        **extra,
    }


@require_GET
@staff_required
def run_detail_view(request, pk: int):
    """The run: sessions, roster, waitlist, the team's composition, recommended persons."""
    run = selectors.run_get(pk=pk)
    return _render(request, "activities/run_detail.html", _run_context(request, run))


@require_POST
@editor_required
def enroll_view(request, pk: int):
    """Enroll a person (by reference) on the run: a place, or the waitlist when it is full."""
    run = selectors.run_get(pk=pk)
    form = EnrollByRefForm(request.POST)
    if form.is_valid():
        person = _person_by_ref(user=request.user, ref=form.cleaned_data["ref"])
        if person is None or not can_edit_job_customer(user=request.user, job_customer=person):
            form.add_error("ref", services.NO_PERSON)
        else:
            try:
                enrollment = services.enrollment_create(
                    actor=request.user, run=run, job_customer=person
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                _enrolled_message(request, enrollment, person)
                return redirect("activities:run_detail", pk=run.pk)
    context = _run_context(request, run, enroll_form=form)
    return _render(request, "activities/run_detail.html", context, status=INVALID)


def _enrolled_message(request, enrollment: Enrollment, person: JobCustomer) -> None:
    name = person.full_name
    if enrollment.status == Enrollment.Status.ENROLLED:
        messages.success(request, _("%(name)s has a place on the run.") % {"name": name})
    else:
        messages.warning(
            request, _("The run is full: %(name)s is on the waitlist.") % {"name": name}
        )


@require_http_methods(["GET", "POST"])
@editor_required
def person_enroll_view(request, pk: int):
    """Enroll one job customer on one of the runs open for enrollment."""
    person = job_customer_get_for_user(user=request.user, pk=pk)
    if not can_edit_job_customer(user=request.user, job_customer=person):
        raise PermissionDenied
    runs = selectors.upcoming_runs()
    form = EnrollRunForm(request.POST or None, runs=runs)
    if request.method == "POST" and form.is_valid():
        try:
            enrollment = services.enrollment_create(
                actor=request.user, run=form.cleaned_data["run"], job_customer=person
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _enrolled_message(request, enrollment, person)
            return redirect("customers:detail", pk=person.pk)
    status = INVALID if form.is_bound else 200
    context = {"jc": person, "form": form, "nav_section": "customers"}
    return _render(request, "activities/person_enroll.html", context, status=status)


def _enrollment_for(request, pk: int) -> Enrollment:
    return get_object_or_404(Enrollment.objects.select_related("run", "job_customer"), pk=pk)


@require_POST
@staff_required
def enrollment_cancel_view(request, pk: int):
    """Cancel a place or a place on the waitlist; the first person waiting moves up."""
    enrollment = _enrollment_for(request, pk)
    if not (
        selectors.can_manage_run(user=request.user, run=enrollment.run)
        or can_edit_job_customer(user=request.user, job_customer=enrollment.job_customer)
    ):
        raise PermissionDenied
    try:
        promoted = services.enrollment_cancel(actor=request.user, enrollment=enrollment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The enrollment was cancelled."))
        if promoted is not None:
            label = selectors.person_label(
                user=request.user, run=enrollment.run, job_customer=promoted.job_customer
            )
            messages.info(
                request, _("%(name)s moved up from the waitlist and has a place.") % {"name": label}
            )
    return redirect("activities:run_detail", pk=enrollment.run_id)


@require_POST
@staff_required
def enrollment_complete_view(request, pk: int):
    """Mark that a person completed the run (a date), or undo it (no date)."""
    enrollment = _enrollment_for(request, pk)
    if not selectors.can_manage_run(user=request.user, run=enrollment.run):
        raise PermissionDenied
    form = CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the date as dd-mm-yyyy."))
    else:
        try:
            services.enrollment_complete(
                actor=request.user,
                enrollment=enrollment,
                completed_on=form.cleaned_data["completed_on"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Completion was saved."))
    return redirect("activities:run_detail", pk=enrollment.run_id)


# --- Sessions and attendance --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def session_create_view(request, pk: int):
    return _session_form(request, run=_run_for_manager(request, pk), session=None)


@require_http_methods(["GET", "POST"])
@staff_required
def session_edit_view(request, pk: int):
    session = get_object_or_404(Session, pk=pk)
    return _session_form(request, run=_run_for_manager(request, session.run_id), session=session)


def _session_form(request, *, run, session):
    initial = {}
    if session is None:
        initial = {"place": run.place, "date": timezone.localdate()}
    form = SessionForm(
        request.POST or None, instance=session, initial=initial, topics=run.activity.topic_list
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(actor=request.user, run=run, session=session, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("activities:run_detail", pk=run.pk)
    status = INVALID if form.is_bound else 200
    context = {"form": form, "run": run, "session": session}
    return _render(request, "activities/session_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def attendance_view(request, pk: int):
    """Who came to one session: a box per person with a place on the run."""
    session = get_object_or_404(Session.objects.select_related("run__activity"), pk=pk)
    run = session.run
    if not selectors.can_manage_run(user=request.user, run=run):
        raise PermissionDenied
    errors = []
    status = 200
    if request.method == "POST":
        ids = request.POST.getlist("enrollment")
        checked = set(request.POST.getlist("present"))
        if not ids or not all(is_digits(i) for i in ids):
            errors.append(_("No attendance was sent."))
        else:
            try:
                services.attendance_record(
                    actor=request.user,
                    session=session,
                    present={int(i): i in checked for i in ids},
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, _("Attendance was saved."))
                return redirect("activities:run_detail", pk=run.pk)
        status = INVALID
    page = selectors.run_page(user=request.user, run=run)
    context = {"session": session, "run": run, "rows": page.enrolled, "errors": errors}
    return _render(request, "activities/attendance.html", context, status=status)
