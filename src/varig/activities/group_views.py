"""Network groups: small closed groups of peers in related job types, their members and
meetings. Names of members only for the facilitator, managers and those who may see them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from varig.core.forms import add_service_errors
from varig.core.permissions import staff_required
from varig.customers.selectors import can_edit_job_customer

from . import selectors, services
from .forms import MeetingForm, MemberAddForm, MemberEndForm, NetworkGroupForm
from .models import GroupMembership, NetworkGroup
from .views import INVALID, _person_by_ref, _render, editor_required


@require_GET
@staff_required
def group_list_view(request):
    context = {"groups": list(selectors.group_list())}
    return _render(request, "activities/group_list.html", context)


@require_http_methods(["GET", "POST"])
@editor_required
def group_create_view(request):
    return _group_form(request, group=None)


@require_http_methods(["GET", "POST"])
@staff_required
def group_edit_view(request, pk: int):
    group = get_object_or_404(NetworkGroup, pk=pk)
    if not selectors.can_manage_group(user=request.user, group=group):
        raise PermissionDenied
    return _group_form(request, group=group)


def _group_form(request, *, group):
    initial = {} if group else {"facilitator": request.user.pk}
    form = NetworkGroupForm(request.POST or None, instance=group, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in NetworkGroupForm.Meta.fields}
        try:
            saved = services.group_save(actor=request.user, group=group, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The group was saved."))
            return redirect("activities:group_detail", pk=saved.pk)
    status = INVALID if form.is_bound else 200
    return _render(
        request, "activities/group_form.html", {"form": form, "group": group}, status=status
    )


def _group_context(request, group, **extra) -> dict:
    return {
        "p": selectors.group_page(user=request.user, group=group),
        "member_form": MemberAddForm(),
        "end_form": MemberEndForm(),
        **extra,
    }


@require_GET
@staff_required
def group_detail_view(request, pk: int):
    group = get_object_or_404(NetworkGroup.objects.select_related("facilitator"), pk=pk)
    return _render(request, "activities/group_detail.html", _group_context(request, group))


def _managed_group(request, pk: int) -> NetworkGroup:
    group = get_object_or_404(NetworkGroup.objects.select_related("facilitator"), pk=pk)
    if not selectors.can_manage_group(user=request.user, group=group):
        raise PermissionDenied
    return group


@require_POST
@editor_required
def member_add_view(request, pk: int):
    """Add a member (by reference) who the user may change: the group is closed and small."""
    group = get_object_or_404(NetworkGroup.objects.select_related("facilitator"), pk=pk)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        person = _person_by_ref(user=request.user, ref=form.cleaned_data["ref"])
        if person is None or not can_edit_job_customer(user=request.user, job_customer=person):
            form.add_error("ref", services.NO_PERSON)
        else:
            try:
                services.membership_add(
                    actor=request.user,
                    group=group,
                    job_customer=person,
                    joined_on=form.cleaned_data["joined_on"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("%(name)s joined the group.") % {"name": person.full_name}
                )
                return redirect("activities:group_detail", pk=group.pk)
    context = _group_context(request, group, member_form=form)
    return _render(request, "activities/group_detail.html", context, status=INVALID)


@require_POST
@staff_required
def member_end_view(request, pk: int):
    """A member leaves the group (the facilitator, managers, or whoever may change the person)."""
    membership = get_object_or_404(
        GroupMembership.objects.select_related("group__facilitator", "job_customer"), pk=pk
    )
    group = membership.group
    if not (
        selectors.can_manage_group(user=request.user, group=group)
        or can_edit_job_customer(user=request.user, job_customer=membership.job_customer)
    ):
        raise PermissionDenied
    form = MemberEndForm(request.POST)
    if form.is_valid():
        try:
            services.membership_end(
                actor=request.user, membership=membership, left_on=form.cleaned_data["left_on"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The member left the group."))
            return redirect("activities:group_detail", pk=group.pk)
    context = _group_context(request, group, end_form=form, end_pk=membership.pk)
    return _render(request, "activities/group_detail.html", context, status=INVALID)


@require_http_methods(["GET", "POST"])
@staff_required
def meeting_create_view(request, pk: int):
    group = _managed_group(request, pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_create(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("activities:group_detail", pk=group.pk)
    status = INVALID if form.is_bound else 200
    context = {"form": form, "group": group}
    return _render(request, "activities/meeting_form.html", context, status=status)
