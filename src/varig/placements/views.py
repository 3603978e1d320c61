"""Pages of placements and follow-ups. Short views: check the role, call a selector or service.

Every view reaches the job customer through the access-checked getter (via
`placement_get_for_user` / `followup_get_for_user`), so each read of a person's record is
checked and audited. All staff may view; writing needs the placements permissions, which
advisors, employer consultants, managers and administrators have.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varig.core.forms import add_service_errors, versioned_kwargs
from varig.core.inputs import is_digits, query_pk
from varig.core.permissions import staff_required
from varig.customers.selectors import (
    consent_allows_contact,
    contact_companies_for,
    job_customer_get_for_user,
)

from . import services
from .forms import (
    FollowUpCancelForm,
    FollowUpRecordForm,
    PlacementCreateForm,
    PlacementEditForm,
    PlacementEndForm,
    PraktikConvertForm,
    TierChangeForm,
)
from .models import FollowUp, Placement
from .selectors import (
    accommodation_in_force,
    company_contacts_for_choice,
    followup_get_for_user,
    placement_detail,
    placement_get_for_user,
)

INVALID_STATUS = 400


def _render(request, template: str, context: dict, *, status: int = 200):
    """The full page, or only its `page` partial for an htmx request."""
    context.setdefault("nav_section", "customers")
    if request.htmx and not request.htmx.boosted:
        template += "#page"
    return render(request, template, context, status=status)


def _require_perm(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def followup_state(followup: FollowUp, today) -> tuple[str, str, str]:
    """(state, label, badge tone) of a follow-up on a day: held, cancelled, overdue, planned."""
    if followup.status == FollowUp.Status.HELD:
        return "held", _("Held"), "ok"
    if followup.status == FollowUp.Status.CANCELLED:
        return "cancelled", _("Cancelled"), "muted"
    if followup.window_end < today:
        return "overdue", _("Overdue"), "alert"
    if followup.window_start <= today:
        return "due", _("Due now"), "warn"
    return "planned", _("Planned"), "muted"


@staff_required
def placement_create(request):
    """Start a praktik or an employment; `?job_customer=<pk>` preselects the person."""
    _require_perm(request, "placements.add_placement")
    job_customer = None
    pk = request.GET.get("job_customer")
    if is_digits(pk):
        job_customer = job_customer_get_for_user(user=request.user, pk=int(pk))
    initial = {"started_on": None}
    if is_digits(request.GET.get("company", "")):
        initial["company"] = int(request.GET["company"])
    # The companies the person has consents or placements with are offered before any search.
    suggested = contact_companies_for(job_customer=job_customer) if job_customer else ()
    form = PlacementCreateForm(
        request.POST or None,
        job_customer=job_customer,
        initial=initial,
        suggested_companies=suggested,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            person = job_customer_get_for_user(user=request.user, pk=data.pop("job_customer").pk)
            try:
                placement = services.placement_create(
                    user=request.user, job_customer=person, **data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The placement was created with its follow-ups."))
                return redirect("placements:detail", pk=placement.pk)
        status = INVALID_STATUS
    return _render(
        request,
        "placements/placement_form.html",
        {"form": form, "job_customer": job_customer, "creating": True},
        status=status,
    )


@staff_required
def contact_options(request):
    """The `<option>`s of a company's active contacts (htmx, when the company changes)."""
    company = request.GET.get("company", "")
    contacts = company_contacts_for_choice(company_id=query_pk(company), on=timezone.localdate())
    return render(request, "placements/contact_options.html", {"contacts": contacts})


@staff_required
def placement_detail_view(request, pk: int):
    """The placement: facts, the follow-up plan, tier history and the way it continued."""
    placement = placement_detail(user=request.user, pk=pk)
    today = timezone.localdate()
    followups = list(placement.followups.all())
    for followup in followups:
        followup.state, followup.state_label, followup.state_tone = followup_state(followup, today)
    continuation = getattr(placement, "continuation", None)
    can_change = request.user.has_perm("placements.change_placement")
    return _render(
        request,
        "placements/placement_detail.html",
        {
            "placement": placement,
            "job_customer": placement.job_customer,
            "followups": followups,
            "tier_changes": list(placement.tier_changes.all()),
            "continuation": continuation,
            "can_change": can_change,
            "can_record": request.user.has_perm("placements.change_followup"),
            "can_convert": can_change
            and placement.kind == Placement.Kind.PRAKTIK
            and continuation is None
            and placement.end_reason_category != Placement.EndReason.CONVERTED,
            "today": today,
        },
    )


@staff_required
def placement_edit(request, pk: int):
    """Change a placement's facts; follow-ups not yet held move with the dates."""
    _require_perm(request, "placements.change_placement")
    placement = placement_get_for_user(user=request.user, pk=pk)
    form = PlacementEditForm(request.POST or None, placement=placement)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.placement_update(
                    user=request.user, placement=placement, **versioned_kwargs(form.cleaned_data)
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The placement was saved."))
                return redirect("placements:detail", pk=placement.pk)
        status = INVALID_STATUS
    return _render(
        request,
        "placements/placement_form.html",
        {
            "form": form,
            "placement": placement,
            "job_customer": placement.job_customer,
            "creating": False,
        },
        status=status,
    )


@staff_required
def placement_end(request, pk: int):
    """End a placement with its reason and what was learned."""
    _require_perm(request, "placements.change_placement")
    placement = placement_get_for_user(user=request.user, pk=pk)
    if placement.ended_on is not None:
        messages.warning(request, _("This placement has already ended."))
        return redirect("placements:detail", pk=placement.pk)
    form = PlacementEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.placement_end(user=request.user, placement=placement, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The placement was ended."))
                return redirect("placements:detail", pk=placement.pk)
        status = INVALID_STATUS
    return _render(
        request,
        "placements/placement_end.html",
        {"form": form, "placement": placement, "job_customer": placement.job_customer},
        status=status,
    )


@staff_required
def praktik_convert(request, pk: int):
    """Turn a praktik into employment: ends the praktik and creates the linked employment."""
    _require_perm(request, "placements.add_placement")
    praktik = placement_get_for_user(
        user=request.user,
        pk=pk,
        queryset=Placement.objects.select_related("company", "contact", "continuation"),
    )
    form = PraktikConvertForm(request.POST or None, praktik=praktik)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                employment = services.praktik_convert(
                    user=request.user, praktik=praktik, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("The praktik became employment. Its follow-ups are planned.")
                )
                return redirect("placements:detail", pk=employment.pk)
        status = INVALID_STATUS
    return _render(
        request,
        "placements/placement_convert.html",
        {"form": form, "placement": praktik, "job_customer": praktik.job_customer},
        status=status,
    )


@staff_required
def placement_tier(request, pk: int):
    """Record a move between marginal, peripheral and core employee."""
    _require_perm(request, "placements.change_placement")
    placement = placement_get_for_user(user=request.user, pk=pk)
    form = TierChangeForm(
        request.POST or None,
        initial={"tier": placement.tier, "changed_on": timezone.localdate()},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.tier_change(user=request.user, placement=placement, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The tier was recorded."))
                return redirect("placements:detail", pk=placement.pk)
        status = INVALID_STATUS
    return _render(
        request,
        "placements/placement_tier.html",
        {"form": form, "placement": placement, "job_customer": placement.job_customer},
        status=status,
    )


@staff_required
def followup_record(request, pk: int):
    """Record a follow-up meeting: participants, accommodations, wellbeing, development."""
    _require_perm(request, "placements.change_followup")
    followup = followup_get_for_user(user=request.user, pk=pk)
    today = timezone.localdate()
    consent_ok = followup.placement is None or consent_allows_contact(
        job_customer=followup.job_customer, company=followup.placement.company, on=today
    )
    form = FollowUpRecordForm(request.POST or None, followup=followup, consent_ok=consent_ok)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.followup_record(
                    user=request.user, followup=followup, **versioned_kwargs(form.cleaned_data)
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The follow-up was recorded."))
                if followup.placement_id:
                    return redirect("placements:detail", pk=followup.placement_id)
                return redirect("placements:followup_record", pk=followup.pk)
        status = INVALID_STATUS
    return _render_followup(request, followup, form=form, consent_ok=consent_ok, status=status)


def _render_followup(request, followup, *, form=None, cancel_form=None, consent_ok, status=200):
    """The follow-up page: the record form and, for a planned one, the form to drop it."""
    today = timezone.localdate()
    if form is None:
        form = FollowUpRecordForm(followup=followup, consent_ok=consent_ok)
    if cancel_form is None:
        cancel_form = FollowUpCancelForm()
    state = followup_state(followup, today)
    return _render(
        request,
        "placements/followup_record.html",
        {
            "form": form,
            "cancel_form": cancel_form,
            "can_cancel": followup.status == FollowUp.Status.PLANNED,
            "followup": followup,
            "placement": followup.placement,
            "job_customer": followup.job_customer,
            "accommodation": accommodation_in_force(job_customer=followup.job_customer, on=today),
            "consent_ok": consent_ok,
            "state_label": state[1],
            "state_tone": state[2],
        },
        status=status,
    )


@require_POST
@staff_required
def followup_cancel(request, pk: int):
    """Drop a planned follow-up that will not be held, with the reason why."""
    _require_perm(request, "placements.change_followup")
    followup = followup_get_for_user(user=request.user, pk=pk)
    form = FollowUpCancelForm(request.POST)
    if form.is_valid():
        try:
            services.followup_cancel(
                user=request.user, followup=followup, reason=form.cleaned_data["cancel_reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The follow-up was dropped."))
            if followup.placement_id:
                return redirect("placements:detail", pk=followup.placement_id)
            return redirect("placements:followup_record", pk=followup.pk)
    consent_ok = followup.placement is None or consent_allows_contact(
        job_customer=followup.job_customer,
        company=followup.placement.company,
        on=timezone.localdate(),
    )
    return _render_followup(
        request, followup, cancel_form=form, consent_ok=consent_ok, status=INVALID_STATUS
    )
