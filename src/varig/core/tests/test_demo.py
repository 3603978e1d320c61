import datetime
import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from stdnum.dk import cvr

from varig.core.demo import DEMO_PASSWORD, SCALES, cvr_with_check_digit
from varig.core.models import Role, User
from varig.customers.models import ContactKind, ContactNote, JobCustomer, Task
from varig.employers.models import Company, CompanyContact
from varig.placements.models import FollowUp, Placement


def _demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def _fingerprint() -> str:
    """A digest of what must not change between two runs with the same seed and day."""
    parts = [
        list(User.objects.filter(email__endswith="@demo.varig.dk").values_list("email", "name")),
        list(Company.objects.order_by("ref").values_list("ref", "name", "cvr", "postcode")),
        list(
            JobCustomer.objects.order_by("ref").values_list(
                "ref",
                "first_name",
                "last_name",
                "birth_date",
                "associated_from",
                "associated_until",
                "advisor__email",
            )
        ),
        list(
            Placement.objects.order_by("ref").values_list(
                "ref",
                "job_customer__ref",
                "company__ref",
                "kind",
                "started_on",
                "ended_on",
                "end_reason_category",
                "tier",
                "previous__ref",
            )
        ),
        list(
            FollowUp.objects.order_by("placement__ref", "due_on", "kind").values_list(
                "placement__ref", "kind", "due_on", "status", "held_on", "wellbeing"
            )
        ),
        list(Task.objects.order_by("job_customer__ref", "title").values_list("title", "due_on")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    _demo("--scale", "tiny", "--seed", "7")
    first = _fingerprint()
    _demo("--scale", "tiny", "--seed", "7", "--reset")
    assert _fingerprint() == first
    _demo("--scale", "tiny", "--seed", "8", "--reset")
    assert _fingerprint() != first


@pytest.mark.django_db
def test_tiny_demo_has_every_follow_up_state_and_valid_data():
    _demo("--scale", "tiny", "--seed", "3")
    today = timezone.localdate()
    followups = FollowUp.objects.all()
    assert followups.filter(status=FollowUp.Status.HELD).exists()
    assert followups.filter(status=FollowUp.Status.CANCELLED).exists()
    assert followups.overdue(today).exists()
    assert followups.planned().filter(window_end__gte=today).exists()
    # Held ones are in the past, with content; overdue ones are recent.
    held = followups.filter(status=FollowUp.Status.HELD)
    assert not held.filter(held_on__gt=today).exists()
    assert not held.filter(agreed_actions="").exists()
    oldest_overdue = followups.overdue(today).order_by("window_end").first().window_end
    assert (today - oldest_overdue).days <= 75
    # Cancelled ones belong to ended placements.
    assert not followups.filter(
        status=FollowUp.Status.CANCELLED, placement__ended_on__isnull=True
    ).exists()
    for number in Company.objects.exclude(cvr="").values_list("cvr", flat=True):
        assert cvr.is_valid(number), number
    kinds = set(Placement.objects.values_list("kind", flat=True))
    assert {"praktik", "skaanejob"} <= kinds
    assert Placement.objects.filter(previous__isnull=False, previous__kind="praktik").exists()
    assert Placement.objects.filter(ended_on__isnull=False).exclude(end_reason_category="").exists()
    assert CompanyContact.objects.filter(is_mentor=True).exists()
    assert set(ContactNote.objects.values_list("kind", flat=True)) == set(ContactKind.values)
    assert Task.objects.open().exists()


@pytest.mark.django_db
def test_small_demo_makes_the_promised_data_and_prints_the_logins():
    out = _demo("--scale", "small", "--seed", "1")
    scale = SCALES["small"]
    assert JobCustomer.objects.count() == scale.job_customers
    assert Company.objects.count() == scale.companies
    assert 200 <= Placement.objects.count() <= 420
    assert User.objects.filter(email__endswith="@demo.varig.dk").count() == 8
    today = timezone.localdate()
    first = User.objects.get(email="vejleder1@demo.varig.dk")
    assert first.has_role(Role.ADVISOR)
    assert JobCustomer.objects.associated_on(today).filter(advisor=first).count() == 35
    mine = FollowUp.objects.filter(job_customer__advisor=first)
    assert mine.overdue(today).count() >= 2
    assert mine.due_within(today, 14).count() >= 2
    assert Task.objects.open().filter(assigned_to=first).exists()
    for email in ("administrator@demo.varig.dk", "leder@demo.varig.dk", "vejleder1@demo.varig.dk"):
        assert email in out
    assert DEMO_PASSWORD in out
    assert User.objects.get(email="leder@demo.varig.dk").check_password(DEMO_PASSWORD)
    assert User.objects.get(email="administrator@demo.varig.dk").has_role(Role.ADMINISTRATOR)
    # Every demo user's authenticator app has the documented demo secret (two-factor login).
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from varig.core.twofactor import DEMO_TOTP_SECRET, demo_totp_key

    devices = TOTPDevice.objects.filter(user__email__endswith="@demo.varig.dk", confirmed=True)
    assert devices.count() == 8 and set(devices.values_list("key", flat=True)) == {demo_totp_key()}
    assert "otp_code" in out and DEMO_TOTP_SECRET in out
    # Some associations ended, and some job customers have two jobs at once.
    assert JobCustomer.objects.filter(associated_until__lt=today).exists()
    assert JobCustomer.objects.filter(
        associated_from__lt=today - datetime.timedelta(days=365 * 8)
    ).exists()


@pytest.mark.django_db
def test_if_empty_does_nothing_the_second_time():
    _demo("--scale", "tiny", "--seed", "2", "--if-empty")
    counts = (JobCustomer.objects.count(), Placement.objects.count(), FollowUp.objects.count())
    before = _fingerprint()
    out = _demo("--scale", "tiny", "--seed", "5", "--if-empty")
    assert "no demo data" in out
    assert (
        JobCustomer.objects.count(),
        Placement.objects.count(),
        FollowUp.objects.count(),
    ) == counts
    assert _fingerprint() == before


@pytest.mark.django_db
def test_without_reset_existing_data_is_refused():
    from django.core.management.base import CommandError

    _demo("--scale", "tiny", "--seed", "2")
    with pytest.raises(CommandError):
        _demo("--scale", "tiny", "--seed", "2")


def test_cvr_check_digit_is_computed():
    for seven in ("1358562", "2968117", "3006893", "1000000"):
        number = cvr_with_check_digit(seven)
        assert number is None or cvr.is_valid(number)
    assert cvr_with_check_digit("1358562") == "13585628"


@pytest.mark.django_db
def test_small_demo_has_the_long_history_and_the_company_with_many_past_placements():
    """The fixed points the benchmark opens: JK-000007 with 10 placements, 40 follow-ups and
    200 notes in vejleder1's caseload, and VIRK-00001 with many past placements."""
    _demo("--scale", "small", "--seed", "1")
    today = timezone.localdate()
    person = JobCustomer.objects.get(ref="JK-000007")
    assert person.advisor.email == "vejleder1@demo.varig.dk"
    assert person.placements.count() == 10
    assert person.placements.filter(ended_on__isnull=True).count() == 1
    assert FollowUp.objects.filter(job_customer=person).count() == 40
    assert not FollowUp.objects.filter(job_customer=person).overdue(today).exists()
    assert ContactNote.objects.filter(job_customer=person).count() == 200
    company = Company.objects.get(ref="VIRK-00001")
    assert Placement.objects.filter(company=company, ended_on__lt=today).count() >= 20


def test_national_scale_is_the_size_design_md_promises():
    scale = SCALES["national"]
    staff = scale.administrators + scale.managers + scale.advisors + scale.consultants
    assert (staff, scale.companies, scale.job_customers) == (500, 20_000, 100_000)
    assert scale.first_caseload == 60 and scale.flagship_past == 200


@pytest.mark.django_db
def test_hooks_write_instances_through_the_builder():
    """`builder.bulk_create` (what the apps' demo hooks use) writes at once, with ids."""
    from varig.core.demo import DemoBuilder

    _demo("--scale", "tiny", "--seed", "2")
    builder = DemoBuilder(scale="tiny", seed=2)
    person = JobCustomer.objects.first()
    notes = [
        ContactNote(
            job_customer_id=person.pk,
            kind=ContactKind.PHONE,
            occurred_at=timezone.now(),
            text=f"Hook-opkald {n}",
        )
        for n in range(3)
    ]
    builder.bulk_create(ContactNote, notes)
    assert all(note.pk for note in notes)
    stored = ContactNote.objects.filter(text__startswith="Hook-opkald ").order_by("pk")
    assert [n.text for n in stored] == ["Hook-opkald 0", "Hook-opkald 1", "Hook-opkald 2"]
    assert all(n.created_at is not None for n in stored)
