"""Pages of the admin-help tasks: a person's tasks, creating one, its page with the checklist
(ticked with htmx), editing it and changing its status; the card on the person's page.

One view and one template per page; an htmx request gets the page's partial. Invalid input
re-renders the form with status 400 and saves nothing. Every view reaches the job customer
through the access-checked getter (customers.selectors.job_customer_get_for_user).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from varig.core.forms import add_service_errors, versioned_kwargs
from varig.core.permissions import staff_required
from varig.customers.selectors import can_edit_job_customer, job_customer_get_for_user

from . import selectors, services
from .checklists import checklist, current_checklist
from .forms import ChecklistItemForm, TaskCreateForm, TaskEditForm, TaskStatusForm
from .models import ChecklistItem, TaskKind, TaskStatus

INVALID = 400


def _render(request, template: str, context: dict, *, status: int = 200, partial="page"):
    """The page, or its partial for an htmx request."""
    context.setdefault("nav_section", "customers")
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        template += f"#{partial}"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _person(request, pk: int, *, edit: bool = False, audit: bool = True):
    person = job_customer_get_for_user(user=request.user, pk=pk, audit=audit)
    if edit and not can_edit_job_customer(user=request.user, job_customer=person):
        raise PermissionDenied
    return person


def _task(request, pk: int, *, edit: bool = False, audit: bool = True):
    """The task with its person, after the access check on that person (audited)."""
    person = _person(request, selectors.task_job_customer_id(pk=pk), edit=edit, audit=audit)
    task = selectors.task_for_detail(pk=pk)
    task.job_customer = person
    return task


# --- A person's tasks ---------------------------------------------------------------------------


@require_GET
@staff_required
def person_tasks_view(request, pk: int):
    """Every admin-help task of the job customer, open ones first."""
    person = _person(request, pk)
    context = {
        "jc": person,
        "tasks": selectors.person_tasks(job_customer=person),
        "can_edit": can_edit_job_customer(user=request.user, job_customer=person),
        "today": timezone.localdate(),
    }
    return _render(request, "adminhelp/person_tasks.html", context)


@require_GET
@staff_required
def person_section_view(request, pk: int):
    """The card of the job customer's page (loaded by the page itself, which logged the read)."""
    person = _person(request, pk, audit=False)
    context = {
        "card": selectors.person_card(job_customer=person),
        "today": timezone.localdate(),
        "can_edit": can_edit_job_customer(user=request.user, job_customer=person),
        "jc": person,
    }
    return render(request, "adminhelp/_person_section.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def task_create_view(request, pk: int):
    """Open a task of one of the kinds; its checklist is copied from the kind's newest one."""
    person = _person(request, pk, edit=True)
    form = TaskCreateForm(
        request.POST or None,
        job_customer=person,
        actor=request.user,
        kind=request.GET.get("kind"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            task = services.admin_task_create(
                actor=request.user, job_customer=person, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The task was created with its checklist."))
            return redirect("adminhelp:detail", pk=task.pk)
    kinds = [
        {"value": value, "label": label, "intro": current_checklist(value).intro_label}
        for value, label in TaskKind.choices
    ]
    context = {"jc": person, "form": form, "kinds": kinds}
    return _render(
        request, "adminhelp/task_create.html", context, status=INVALID if form.is_bound else 200
    )


# --- One task -----------------------------------------------------------------------------------

STATUS_ACTIONS = {
    TaskStatus.OPEN: (TaskStatus.WAITING, TaskStatus.DONE, TaskStatus.CANCELLED),
    TaskStatus.WAITING: (TaskStatus.OPEN, TaskStatus.DONE, TaskStatus.CANCELLED),
    TaskStatus.DONE: (TaskStatus.OPEN,),
    TaskStatus.CANCELLED: (TaskStatus.OPEN,),
}


def _detail_context(request, task, *, status_form=None, checklist_error=None) -> dict:
    items = list(task.items.all())
    made_with = checklist(task.kind, task.checklist_version)
    n_done = sum(1 for item in items if item.is_done)
    return {
        "jc": task.job_customer,
        "task": task,
        "items": items,
        "n_done": n_done,
        "n_left": len(items) - n_done,
        "intro": made_with.intro_label if made_with else "",
        "can_edit": can_edit_job_customer(user=request.user, job_customer=task.job_customer),
        "status_actions": [
            (value, TaskStatus(value).label) for value in STATUS_ACTIONS[task.status]
        ],
        "status_form": status_form,
        "checklist_error": checklist_error,
    }


@require_GET
@staff_required
def task_detail_view(request, pk: int):
    """The task: what it is about, its checklist (ticked with htmx) and its status."""
    task = _task(request, pk)
    return _render(request, "adminhelp/task_detail.html", _detail_context(request, task))


@require_http_methods(["GET", "POST"])
@staff_required
def task_edit_view(request, pk: int):
    """Change the due date, the responsible advisor and the notes (refused when stale)."""
    task = _task(request, pk, edit=True)
    form = TaskEditForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            services.admin_task_update(
                actor=request.user, task=task, **versioned_kwargs(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The task was saved."))
            return redirect("adminhelp:detail", pk=task.pk)
    context = {"jc": task.job_customer, "task": task, "form": form}
    return _render(
        request, "adminhelp/task_edit.html", context, status=INVALID if form.is_bound else 200
    )


@require_POST
@staff_required
def task_status_view(request, pk: int):
    """Move the task to another status (refused when stale); back to the task's page."""
    task = _task(request, pk, edit=True)
    form = TaskStatusForm(request.POST)
    if form.is_valid():
        try:
            services.admin_task_set_status(
                actor=request.user, task=task, **versioned_kwargs(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The task is now: %(status)s.") % {"status": task.get_status_display()},
            )
            return redirect("adminhelp:detail", pk=task.pk)
    task = _task(request, pk, audit=False)  # as stored now, with the refusal beside it
    context = _detail_context(request, task, status_form=form)
    return _render(request, "adminhelp/task_detail.html", context, status=INVALID)


@require_POST
@staff_required
def item_set_view(request, pk: int):
    """Tick or untick one step; an htmx request gets the checklist again."""
    item = get_object_or_404(ChecklistItem.objects.only("pk", "task_id"), pk=pk)
    task = _task(request, item.task_id, edit=True)
    form = ChecklistItemForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Choose whether the step is done.")
    else:
        try:
            services.checklist_item_set(
                actor=request.user, item=item, done=form.cleaned_data["done"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if not error and not request.htmx:
        return redirect("adminhelp:detail", pk=task.pk)
    task = selectors.task_for_detail(pk=task.pk)
    context = _detail_context(request, task, checklist_error=error)
    if request.htmx:
        # The checklist again, its refusal inside it (htmx swaps only a 2xx answer).
        return _render(request, "adminhelp/task_detail.html", context, partial="checklist")
    return _render(request, "adminhelp/task_detail.html", context, status=INVALID)
