"""iCalendar files: one run's sessions, and a staff member's personal feed (their sessions,
network group meetings and the follow-ups of their caseload). Built with `icalendar`.

The feed leaves an organisation's systems for Outlook or Google Calendar, so it carries as
little about persons as possible: a follow-up names its kind and the person's reference, never
a name or anything about health; a session names the activity and the place.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from varig.placements.models import FollowUp

from .models import GroupMeeting, Run, Session

FEED_DAYS_BACK = 60
FEED_DAYS_AHEAD = 365
FEED_LIMIT = 2000  # per kind of entry: a feed stays small whatever the caseload
UID_DOMAIN = "varig"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.VARIG_ORGANISATION_NAME}//Varig//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _event(
    *, uid: str, start, end, summary: str, location: str = "", description: str = "", url: str = ""
):
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    return event


def _session_event(session: Session, run: Run) -> Event:
    topic = f" · {session.topic}" if session.topic else ""
    return _event(
        uid=f"session-{session.pk}",
        start=session.starts,
        end=session.ends,
        summary=f"{run}{topic}",
        location=session.place or run.place,
        url=settings.VARIG_BASE_URL.rstrip("/") + reverse("activities:run_detail", args=[run.pk]),
    )


def _finish(cal: Calendar) -> bytes:
    cal.add_missing_timezones()
    return cal.to_ical()


def run_ics(*, run: Run) -> bytes:
    """Every session of a run as an event (no names of participants)."""
    cal = _calendar(str(run))
    for session in run.sessions.order_by("date", "starts_at", "pk"):
        cal.add_component(_session_event(session, run))
    return _finish(cal)


def personal_feed_ics(*, user, today: datetime.date | None = None) -> bytes:
    """The sessions a staff member leads, the meetings of the groups they facilitate and the
    planned follow-ups of their caseload, from 60 days back to a year ahead (three queries)."""
    today = today or timezone.localdate()
    start, end = (
        today - datetime.timedelta(days=FEED_DAYS_BACK),
        today + datetime.timedelta(days=FEED_DAYS_AHEAD),
    )
    base = settings.VARIG_BASE_URL.rstrip("/")
    cal = _calendar(_("Varig: %(name)s") % {"name": user.name})
    sessions = (
        Session.objects.filter(date__range=(start, end))
        .filter(Q(leader=user) | Q(leader__isnull=True, run__leader=user))
        .select_related("run__activity")
        .order_by("date", "starts_at", "pk")[:FEED_LIMIT]
    )
    for session in sessions:
        cal.add_component(_session_event(session, session.run))
    meetings = (
        GroupMeeting.objects.filter(date__range=(start, end), group__facilitator=user)
        .select_related("group")
        .order_by("date", "starts_at", "pk")[:FEED_LIMIT]
    )
    for meeting in meetings:
        cal.add_component(
            _event(
                uid=f"groupmeeting-{meeting.pk}",
                start=meeting.starts,
                end=meeting.ends,
                summary=_("Network group: %(name)s") % {"name": meeting.group.name},
                location=meeting.place,
                url=base + reverse("activities:group_detail", args=[meeting.group_id]),
            )
        )
    followups = (
        FollowUp.objects.planned()
        .filter(job_customer__advisor=user, due_on__range=(start, end))
        .select_related("job_customer")
        .only("pk", "kind", "due_on", "window_start", "window_end", "job_customer__ref")
        .order_by("due_on", "pk")[:FEED_LIMIT]
    )
    for followup in followups:
        cal.add_component(
            _event(
                uid=f"followup-{followup.pk}",
                start=followup.due_on,
                end=followup.due_on + datetime.timedelta(days=1),
                summary=_("Follow-up: %(kind)s (%(ref)s)")
                % {"kind": followup.get_kind_display(), "ref": followup.job_customer.ref},
                description=_("Window %(start)s to %(end)s")
                % {
                    "start": followup.window_start.strftime("%d-%m-%Y"),
                    "end": followup.window_end.strftime("%d-%m-%Y"),
                },
                url=base + reverse("placements:followup_record", args=[followup.pk]),
            )
        )
    return _finish(cal)
