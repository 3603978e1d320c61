"""Calendar downloads and the participation report.

The personal feed is the one page reachable without logging in: only with a valid, unrevoked
token in its URL (Outlook and Google Calendar cannot log in). Any other token answers 404.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from varig.core.permissions import manager_required, staff_required

from . import calendars, report, selectors, services
from .forms import ReportFilterForm
from .models import CalendarFeed
from .views import _render

ICS_TYPE = "text/calendar; charset=utf-8"
LAST_USED_EVERY = datetime.timedelta(hours=1)


def _ics_response(content: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@staff_required
def run_ics_view(request, pk: int):
    """A run's sessions as an .ics file for any calendar."""
    run = selectors.run_get(pk=pk)
    return _ics_response(calendars.run_ics(run=run), filename=f"hold-{run.pk}.ics")


def _feed_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("activities:calendar_feed", args=[token]))


@require_GET
@staff_required
def calendar_view(request):
    """The user's calendar feed: whether one is active, make a new URL, revoke it."""
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    return _render(request, "activities/calendar.html", {"feed": feed, "new_url": None})


@require_POST
@staff_required
def calendar_create_view(request):
    """A new secret feed URL (an old one stops working); shown once on the answer page."""
    feed, token = services.calendar_feed_create(user=request.user)
    context = {"feed": feed, "new_url": _feed_url(request, token)}
    response = _render(request, "activities/calendar.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@staff_required
def calendar_revoke_view(request):
    if services.calendar_feed_revoke(user=request.user):
        messages.success(request, _("The calendar feed was revoked: its URL no longer works."))
    return redirect("activities:calendar")


@login_not_required
@require_GET
def calendar_feed_view(request, token: str):
    """The personal feed, for a calendar program holding a valid token (no login)."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=services.token_digest(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > LAST_USED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    with translation.override(feed.user.language or "da"):
        content = calendars.personal_feed_ics(user=feed.user)
    response = HttpResponse(content, content_type=ICS_TYPE)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _report_year(request) -> tuple[ReportFilterForm, int]:
    form = ReportFilterForm(request.GET or {"year": timezone.localdate().year})
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    return form, year


@require_GET
@manager_required
def report_view(request):
    """Participation per strand and month, before and after employment."""
    form, year = _report_year(request)
    context = {"form": form, "table": report.participation_table(year=year), "year": year}
    return _render(
        request, "activities/report.html", context, status=200 if form.is_valid() else 400
    )


@require_GET
@manager_required
def report_csv_view(request):
    form, year = _report_year(request)
    if not form.is_valid():
        raise Http404
    response = HttpResponse(
        report.participation_csv(year=year), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="deltagelse-{year}.csv"'
    return response
