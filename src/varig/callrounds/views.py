"""Pages of the crisis call-rounds: the managers' campaign list, form and page (progress,
callers, calls, export, hand-over, close), and every caller's own list where outcomes are
recorded (an htmx post gets the call's row back)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from varig.core.forms import add_service_errors
from varig.core.models import User
from varig.core.permissions import manager_required, staff_required
from varig.customers.selectors import job_customer_get_for_user

from . import export, selectors, services
from .forms import CallFilterForm, CallOutcomeForm, CampaignForm, HandOverForm, active_staff
from .models import Call, Campaign

INVALID = 400


def _campaign_or_404(pk: int) -> Campaign:
    try:
        return selectors.campaign_get(pk=pk)
    except Campaign.DoesNotExist as exc:
        raise Http404 from exc


@require_GET
@manager_required
def campaign_list_view(request):
    """Every call-round with its progress; open ones first."""
    page = Paginator(selectors.campaign_list(), settings.VARIG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for campaign in page.object_list:
        campaign.progress = selectors.Progress.from_row(campaign)
    context = {"nav_section": "today", "page_obj": page, "today": timezone.localdate()}
    template = "callrounds/campaign_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#campaign-results"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_http_methods(["GET", "POST"])
@manager_required
def campaign_create_view(request):
    """Start a call-round: the filter, the callers, the last day and the retry rule."""
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                user=request.user,
                name=data["name"],
                purpose=data["purpose"],
                audience=data["audience"],
                advisor=data["advisor"],
                callers=list(data["callers"]),
                ends_on=data["ends_on"],
                max_attempts=data["max_attempts"],
                retry_after_days=data["retry_after_days"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            n = campaign.calls.count()
            messages.success(
                request,
                ngettext(
                    "The call-round was made: %(n)s call to make.",
                    "The call-round was made: %(n)s calls shared out among the callers.",
                    n,
                )
                % {"n": n},
            )
            return redirect("callrounds:detail", pk=campaign.pk)
    status = INVALID if form.is_bound else 200
    context = {"nav_section": "today", "form": form}
    return render(request, "callrounds/campaign_form.html", context, status=status)


@require_GET
@manager_required
def campaign_detail_view(request, pk: int):
    """A call-round's progress, each caller's part and the calls (filterable, paginated)."""
    campaign = _campaign_or_404(pk)
    page_data = selectors.campaign_page(campaign=campaign)
    callers = [row.caller for row in page_data.callers]
    form = CallFilterForm(request.GET or None, callers=callers)
    params = form.cleaned_data if form.is_valid() else {}
    calls = selectors.campaign_calls(
        campaign=campaign, status=params.get("status", ""), caller_id=params.get("caller")
    )
    page = Paginator(calls, settings.VARIG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav_section": "today",
        "campaign": campaign,
        "data": page_data,
        "form": form,
        "page_obj": page,
        "hand_over_form": _hand_over_form(page_data),
        "today": timezone.localdate(),
    }
    template = "callrounds/campaign_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#call-results"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _hand_over_form(page_data, data=None) -> HandOverForm | None:
    with_calls = [row.caller for row in page_data.callers if row.progress.to_do]
    if page_data.campaign.is_closed or not with_calls:
        return None
    return HandOverForm(data, callers=with_calls, staff=active_staff().order_by("name", "pk"))


@require_GET
@manager_required
def campaign_export_view(request, pk: int, fmt: str):
    """The call list as CSV or XLSX (no notes: they stay in Varig)."""
    campaign = _campaign_or_404(pk)
    filename = f"ringerunde-{campaign.pk}-{campaign.starts_on.isoformat()}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            export.campaign_csv(campaign), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(export.campaign_xlsx(campaign), content_type=export.XLSX_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@manager_required
def calls_hand_over_view(request, pk: int):
    """Move one caller's remaining calls to a colleague."""
    campaign = _campaign_or_404(pk)
    page_data = selectors.campaign_page(campaign=campaign)
    form = _hand_over_form(page_data, request.POST)
    if form is not None and form.is_valid():
        users = User.objects.in_bulk(
            [form.cleaned_data["from_caller"], form.cleaned_data["to_caller"]]
        )
        try:
            moved = services.calls_hand_over(
                user=request.user,
                campaign=campaign,
                from_caller=users[form.cleaned_data["from_caller"]],
                to_caller=users[form.cleaned_data["to_caller"]],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                ngettext("%(n)s call was handed over.", "%(n)s calls were handed over.", moved)
                % {"n": moved},
            )
            return redirect("callrounds:detail", pk=campaign.pk)
    elif form is not None:
        messages.error(request, _("Choose whose calls to hand over, and to whom."))
    else:
        messages.error(request, _("There are no calls left to hand over."))
    return redirect(reverse("callrounds:detail", args=[campaign.pk]) + "#hand-over")


@require_POST
@manager_required
def campaign_close_view(request, pk: int):
    """Close a call-round: its calls leave the lists and the shares it made end."""
    campaign = _campaign_or_404(pk)
    try:
        services.campaign_close(user=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The call-round was closed."))
    return redirect("callrounds:detail", pk=campaign.pk)


@require_GET
@staff_required
def my_calls_view(request):
    """The calls the user still has to make, about persons they may see: due ones first."""
    today = timezone.localdate()
    calls = selectors.my_calls(user=request.user, on=today)
    page = Paginator(calls, settings.VARIG_PAGE_SIZE).get_page(request.GET.get("page"))
    campaigns = {call.campaign_id: call.campaign for call in page.object_list}
    context = {
        "nav_section": "today",
        "page_obj": page,
        "campaigns": sorted(campaigns.values(), key=lambda c: (c.starts_on, c.pk)),
        "today": today,
    }
    template = "callrounds/my_calls.html"
    if request.htmx and not request.htmx.boosted:
        template += "#my-calls"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_POST
@staff_required
def call_record_view(request, pk: int):
    """Record how one attempt at a call went; htmx gets the call's row back."""
    try:
        call = selectors.call_for_record(pk=pk)
    except Call.DoesNotExist as exc:
        raise Http404 from exc
    job_customer_get_for_user(user=request.user, pk=call.job_customer_id)  # access, audited
    if not services.can_record_call(user=request.user, call=call):
        raise PermissionDenied
    form = CallOutcomeForm(request.POST)
    if form.is_valid():
        try:
            call = services.call_record(user=request.user, call=call, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                return _row(request, call)
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {"name": call.job_customer.full_name, "status": call.get_status_display()},
            )
            return redirect("callrounds:mine")
    if request.htmx:
        return _row(request, call, form=form)
    context = {"nav_section": "today", "call": call, "form": form, "today": timezone.localdate()}
    return render(request, "callrounds/call_record.html", context, status=INVALID)


def _row(request, call: Call, *, form: CallOutcomeForm | None = None):
    call = selectors.call_for_record(pk=call.pk)
    context = {
        "call": call,
        "form": form,
        "today": timezone.localdate(),
        "just_recorded": form is None,
    }
    return render(request, "callrounds/_call_row.html", context)
