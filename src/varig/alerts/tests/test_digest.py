import datetime
import email
import socket

import pytest
from django.core import mail
from django.utils import timezone

from varig.alerts import digest
from varig.alerts.models import DigestSent, Flag
from varig.alerts.services import flags_refresh
from varig.core.tests.factories import make_user
from varig.customers.tests.factories import make_job_customer
from varig.daily.runner import daily_run
from varig.placements.models import FollowUp
from varig.placements.tests.factories import make_placement

DAY = datetime.timedelta(days=1)
MONDAY = datetime.date(2026, 11, 30)


def today():
    return timezone.localdate()


def _followup(person, due_on):
    return FollowUp.objects.create(
        placement=make_placement(job_customer=person),
        job_customer=person,
        kind=FollowUp.Kind.MONTH_3,
        months=3,
        due_on=due_on,
        window_start=due_on - 14 * DAY,
        window_end=due_on + 14 * DAY,
    )


def _work(advisor):
    """An overdue follow-up, one due soon and (from the daily job) new warnings."""
    late = make_job_customer(first_name="Anna", last_name="Andersen", advisor=advisor)
    _followup(late, today() - 30 * DAY)
    soon = make_job_customer(first_name="Bo", last_name="Berg", advisor=advisor)
    _followup(soon, today() + 3 * DAY)
    flags_refresh(on=today())
    return late, soon


@pytest.fixture(autouse=True)
def _every_day(settings):
    settings.VARIG_DIGEST_WEEKDAYS = "1,2,3,4,5,6,7"
    settings.VARIG_BASE_URL = "https://varig.example.dk"


@pytest.mark.django_db
def test_the_digest_lists_follow_ups_and_new_warnings_in_danish(advisor):
    late, soon = _work(advisor)
    result = digest.digest_daily(on=today())
    assert result["sent"] == 1
    (message,) = mail.outbox
    assert message.to == [advisor.email]
    assert message.subject.startswith("Varig: dit overblik for ")
    body = message.body
    assert "Hej Vera," in body
    assert "1 forsinket opfølgning" in body
    assert "1 opfølgning inden for de næste 14 dage" in body
    assert "Anna A. (" + late.ref + ")" in body
    assert "Bo B. (" + soon.ref + ")" in body
    assert "nye tidlige advarsler" in body and "Opfølgning forsinket" in body
    assert "https://varig.example.dk/forloeb/opfoelgning/" in body
    # Data minimisation: no last names in the e-mail.
    assert "Andersen" not in body and "Berg" not in body
    html = message.alternatives[0].content
    assert 'href="https://varig.example.dk/"' in html or "https://varig.example.dk/" in html


@pytest.mark.django_db
def test_the_digest_lists_anniversaries_in_30_days_without_a_celebration(advisor):
    from varig.placements.anniversaries import anniversary_date
    from varig.placements.models import Celebration

    def employed(first_name, days_ahead):
        person = make_job_customer(
            first_name=first_name,
            last_name="Holm",
            advisor=advisor,
            associated_from=today() - 900 * DAY,
        )
        start = anniversary_date(today() + days_ahead * DAY, -2)
        return make_placement(job_customer=person, started_on=start)

    soon = employed("Dina", 10)
    employed("Emil", 31)  # beyond 30 days: not in the digest yet
    planned = employed("Finn", 5)
    Celebration.objects.create(
        job_customer=planned.job_customer,
        company=planned.company,
        years=2,
        anniversary_on=today() + 5 * DAY,
        employed_since=planned.started_on,
    )
    result = digest.digest_daily(on=today())
    assert result["sent"] == 1
    body = mail.outbox[0].body
    assert "Godt Gået: jubilæer de næste 30 dage uden planlagt fejring" in body
    date = (today() + 10 * DAY).strftime("%d-%m-%Y")
    assert f"Dina H. ({soon.job_customer.ref}): 2 år den {date}" in body
    assert f"/jubilaeer/fejring/{soon.job_customer.pk}/{soon.company.pk}/2/" in body
    assert "Emil" not in body and "Finn" not in body


@pytest.mark.django_db
def test_an_advisor_who_chose_english_gets_it_in_english():
    advisor = make_user(name="Eva English", language="en")
    _work(advisor)
    digest.digest_daily(on=today())
    (message,) = mail.outbox
    assert message.subject.startswith("Varig: your overview for ")
    assert "Hello Eva," in message.body
    assert "1 overdue follow-up" in message.body


@pytest.mark.django_db
def test_the_digest_is_sent_once_a_day_and_not_when_there_is_nothing(advisor, other_advisor):
    _work(advisor)
    digest.digest_daily(on=today())
    second = digest.digest_daily(on=today())
    assert len(mail.outbox) == 1  # nothing for other_advisor, nothing twice for advisor
    assert second == {"sent": 0, "nothing_to_send_or_already_sent": 2}
    assert DigestSent.objects.get().user == advisor


@pytest.mark.django_db
def test_only_warnings_raised_since_the_last_digest_are_new(advisor):
    _work(advisor)
    DigestSent.objects.create(user=advisor, day=today() - DAY)
    Flag.objects.update(raised_on=today() - DAY)
    built = digest.digest_build(advisor=advisor, on=today())
    assert built.new_flag_count == 0
    Flag.objects.update(raised_on=today())
    assert digest.digest_build(advisor=advisor, on=today()).new_flag_count == Flag.objects.count()


@pytest.mark.django_db
def test_no_digest_on_the_weekend_by_default(settings, advisor):
    settings.VARIG_DIGEST_WEEKDAYS = "1,2,3,4,5"
    _work(advisor)
    assert digest.digest_daily(on=MONDAY + 5 * DAY) == {"skipped": "weekday"}
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_failed_send_leaves_no_record_so_the_next_run_sends_it(advisor, monkeypatch):
    _work(advisor)

    def broken(self, fail_silently=False):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    with pytest.raises(RuntimeError, match=r"vera@example\.dk"):
        digest.digest_daily(on=today())
    assert not DigestSent.objects.exists()
    monkeypatch.undo()
    digest.digest_daily(on=today())
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_daily_run_warns_first_and_then_sends(settings, advisor):
    settings.VARIG_DAILY_JOBS = [
        "varig.alerts.jobs.flags_daily",
        "varig.alerts.digest.digest_daily",
    ]
    person = make_job_customer(first_name="Cai", advisor=advisor)
    _followup(person, today() - 40 * DAY)
    daily_run(on=today())
    daily_run(on=today())
    (message,) = mail.outbox
    assert "Opfølgning forsinket" in message.body


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db
def test_the_digest_goes_through_a_real_smtp_server(settings, advisor):
    """Once against a real SMTP server (aiosmtpd) on this machine: settings → SMTP → inbox."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    class Inbox(Sink):
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.DEFAULT_FROM_EMAIL = "varig@example.dk"
        _work(advisor)
        assert digest.digest_daily(on=today())["sent"] == 1
    finally:
        controller.stop()
    (envelope,) = inbox.messages
    assert envelope.rcpt_tos == [advisor.email]
    assert envelope.mail_from == "varig@example.dk"
    parsed = email.message_from_bytes(envelope.content)
    assert "dit overblik" in str(
        email.header.make_header(email.header.decode_header(parsed["Subject"]))
    )
    text = next(p for p in parsed.walk() if p.get_content_type() == "text/plain")
    assert "1 forsinket opfølgning" in text.get_payload(decode=True).decode("utf-8")
