"""The advisors' e-mail digest: once a day (a daily job), each advisor with work waiting gets
one e-mail in their own language with the follow-ups due and overdue, the anniversaries
coming up and the early warnings raised since the last digest.

E-mail is less safe than the system itself, so the digest says as little about a person as
lets the advisor recognise them (first name, initial and reference) and never anything about
health, setbacks' notes or diagnoses; the links lead into Varig, where access is checked.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from varig.core.models import User
from varig.placements.anniversaries import Anniversary, anniversaries_upcoming
from varig.placements.models import FollowUp
from varig.placements.selectors import followups_due_soon, followups_overdue

from .models import DigestSent, Flag

logger = logging.getLogger(__name__)

LIST_LIMIT = 10
DUE_SOON_DAYS = 14
ANNIVERSARY_DAYS = 30


@dataclass
class Digest:
    advisor: User
    day: datetime.date
    overdue: list[FollowUp] = field(default_factory=list)
    overdue_count: int = 0
    due_soon: list[FollowUp] = field(default_factory=list)
    due_soon_count: int = 0
    anniversaries: list[Anniversary] = field(default_factory=list)
    new_flags: list[Flag] = field(default_factory=list)
    new_flag_count: int = 0
    since: datetime.date | None = None
    limit: int = LIST_LIMIT

    @property
    def is_empty(self) -> bool:
        return not (
            self.overdue_count or self.due_soon_count or self.anniversaries or self.new_flag_count
        )

    def counts(self) -> dict:
        return {
            "overdue": self.overdue_count,
            "due_soon": self.due_soon_count,
            "anniversaries": len(self.anniversaries),
            "new_flags": self.new_flag_count,
        }


def digest_weekdays() -> set[int]:
    """ISO weekdays (1 = Monday) the digest goes out on, from VARIG_DIGEST_WEEKDAYS."""
    value = getattr(settings, "VARIG_DIGEST_WEEKDAYS", "1,2,3,4,5")
    return {int(part) for part in str(value).split(",") if part.strip()}


def digest_build(*, advisor: User, on: datetime.date) -> Digest:
    """What one advisor's digest for `on` holds (a fixed number of queries)."""
    since = (
        DigestSent.objects.filter(user=advisor, day__lt=on)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    overdue = followups_overdue(on=on, advisor=advisor)
    due_soon = followups_due_soon(on=on, days=DUE_SOON_DAYS, advisor=advisor)
    flags = (
        Flag.objects.open()
        .filter(job_customer__advisor=advisor)
        .filter(
            raised_on__gt=since if since else on - datetime.timedelta(days=1), raised_on__lte=on
        )
        .select_related(
            "job_customer",
            "placement__company",
            "followup",
            "consent__company",
            "contact",
            "period",
            "planned_followup",
        )
        .order_by("-raised_on", "-pk")
    )
    anniversaries = [
        a
        for a in anniversaries_upcoming(on=on, days=ANNIVERSARY_DAYS, advisor=advisor)
        if a.celebration is None
    ]
    return Digest(
        advisor=advisor,
        day=on,
        overdue=list(overdue[:LIST_LIMIT]),
        overdue_count=overdue.order_by().count(),
        due_soon=list(due_soon[:LIST_LIMIT]),
        due_soon_count=due_soon.order_by().count(),
        anniversaries=anniversaries[:LIST_LIMIT],
        new_flags=list(flags[:LIST_LIMIT]),
        new_flag_count=flags.order_by().count(),
        since=since,
    )


def digest_message(digest: Digest) -> EmailMultiAlternatives:
    """The e-mail for a digest, in the advisor's language (text and HTML)."""
    with translation.override(digest.advisor.language or settings.LANGUAGE_CODE):
        context = {
            "digest": digest,
            "base_url": settings.VARIG_BASE_URL.rstrip("/"),
            "organisation_name": settings.VARIG_ORGANISATION_NAME,
        }
        subject = _("%(organisation)s: your overview for %(date)s") % {
            "organisation": settings.VARIG_ORGANISATION_NAME,
            "date": formats.date_format(digest.day, "SHORT_DATE_FORMAT"),
        }
        text = render_to_string("alerts/email/digest.txt", context)
        html = render_to_string("alerts/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.advisor.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def digest_send(*, advisor: User, on: datetime.date) -> bool:
    """Send one advisor's digest for `on` unless it was sent already or there is nothing in it.

    The DigestSent row (unique per advisor and day) is written in the same transaction as the
    sending, so a failed send leaves no row and the next run tries again, and a second run the
    same day sends nothing. Returns True when an e-mail went out.
    """
    digest = digest_build(advisor=advisor, on=on)
    if digest.is_empty:
        return False
    try:
        with transaction.atomic():
            DigestSent.objects.create(user=advisor, day=on, counts=digest.counts())
            digest_message(digest).send()
    except IntegrityError:
        return False
    return True


def digest_daily(*, on: datetime.date) -> dict:
    """The daily job: every active advisor with an e-mail address gets the day's digest (on
    the weekdays in VARIG_DIGEST_WEEKDAYS). Idempotent. One advisor's failing e-mail does not
    stop the others; the job reports it and fails, so `varig daily` can send it again."""
    if on.isoweekday() not in digest_weekdays():
        return {"skipped": "weekday"}
    sent = skipped = 0
    failed: list[str] = []
    for advisor in User.objects.advisors().exclude(email=""):
        try:
            if digest_send(advisor=advisor, on=on):
                sent += 1
            else:
                skipped += 1
        except Exception:
            logger.exception("The digest to %s could not be sent", advisor.email)
            failed.append(advisor.email)
    if failed:
        raise RuntimeError(f"digest not sent to: {', '.join(failed)} (sent {sent})")
    return {"sent": sent, "nothing_to_send_or_already_sent": skipped}
