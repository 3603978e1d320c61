"""The anniversary pages ("Godt Gået"): who has a 2-, 5- or 10-year anniversary in the next
90 days, and the celebration of each (who is invited, the date, held or not)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from varig.core.forms import add_service_errors, versioned_kwargs
from varig.core.models import Role
from varig.core.permissions import role_required, staff_required
from varig.customers.selectors import (
    advisor_choices,
    consent_allows_contact,
    job_customer_get_for_user,
)
from varig.employers.models import Company

from . import services
from .anniversaries import UPCOMING_DAYS, anniversaries_between, anniversary_find
from .anniversary_forms import AnniversaryFilterForm, CelebrationForm

editor_required = role_required(Role.ADVISOR, Role.MANAGER, Role.ADMINISTRATOR)


@require_GET
@staff_required
def anniversary_list(request):
    """Anniversaries in the next (or last) 90 days, an advisor's caseload by default."""
    advisors = advisor_choices()
    form = AnniversaryFilterForm(request.GET or None, advisors=advisors)
    params = form.cleaned_data if form.is_valid() else {}
    default = "mine" if request.user.is_advisor and not request.user.sees_all else "all"
    chosen = params.get("advisor") or default
    advisor = None
    if chosen == "mine":
        advisor = request.user
    elif chosen != "all":
        advisor = next((a.pk for a in advisors if str(a.pk) == chosen), None)
    if not form.is_bound:
        form = AnniversaryFilterForm(initial={"advisor": chosen}, advisors=advisors)
    today = timezone.localdate()
    when = params.get("when") or "upcoming"
    span = datetime.timedelta(days=UPCOMING_DAYS)
    first, last = (
        (today - span, today - datetime.timedelta(days=1))
        if when == "past"
        else (
            today,
            today + span,
        )
    )
    rows = anniversaries_between(first=first, last=last, advisor=advisor)
    if when == "past":
        rows.reverse()
    page = Paginator(rows, settings.VARIG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav_section": "today",
        "form": form,
        "page_obj": page,
        "when": when,
        "today": today,
        "show_advisor": advisor is None,
    }
    template = "placements/anniversary_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#anniversary-results"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_http_methods(["GET", "POST"])
@editor_required
def celebration_edit(request, job_customer: int, company: int, years: int):
    """Plan or record the celebration of one anniversary."""
    person = job_customer_get_for_user(user=request.user, pk=job_customer)
    company_obj = get_object_or_404(Company, pk=company)
    anniversary = anniversary_find(job_customer=person, company_id=company_obj.pk, years=years)
    if anniversary is None:
        raise Http404
    celebration = anniversary.celebration
    initial = {
        "status": "planned",
        "invite_company": True,
        "invite_colleagues": True,
        "invite_relatives": True,
        "version": 0,  # no celebration yet: one saved meanwhile is newer
    }
    if celebration is not None:
        initial = {
            name: getattr(celebration, name)
            for name in (
                "celebrate_on",
                "status",
                "invite_company",
                "invite_colleagues",
                "invite_relatives",
                "note",
                "version",
            )
        }
    form = CelebrationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.celebration_save(
                user=request.user,
                job_customer=person,
                company=company_obj,
                years=years,
                **versioned_kwargs(form.cleaned_data),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The celebration was saved."))
            return redirect("anniversaries:list")
    context = {
        "nav_section": "today",
        "form": form,
        "anniversary": anniversary,
        "jc": person,
        "consent_ok": consent_allows_contact(job_customer=person, company=company_obj),
    }
    status = 400 if form.is_bound else 200
    return render(request, "placements/celebration_form.html", context, status=status)
