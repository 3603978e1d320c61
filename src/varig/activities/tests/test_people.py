"""Recommendations, external upskilling with its certificate, and network groups."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from varig.activities import services
from varig.activities.models import GroupMembership, NetworkGroup, Recommendation, Upskilling
from varig.customers.tests.factories import make_job_customer

from .factories import klaedt_paa, make_activity, make_run

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def url(name, *args):
    return reverse(f"activities:{name}", args=args)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- recommendations ----------------------------------------------------------------------------


def test_a_vejleder_recommends_a_course_and_the_run_page_shows_it(advisor_client, advisor):
    person = make_job_customer(advisor=advisor, first_name="Mette", last_name="Holm")
    run = make_run(activity=klaedt_paa(), leader=advisor)
    response = advisor_client.post(
        url("recommend", person.pk), {"activity": run.activity_id, "run": run.pk, "note": "Godt"}
    )
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    assert recommendation.recommended_by == advisor and recommendation.run == run
    text = advisor_client.get(url("run_detail", run.pk)).text
    assert "Mette Holm" in text and "Anbefalet, men ikke på holdet endnu" in text


def test_a_run_of_another_activity_is_refused(advisor):
    with pytest.raises(ValidationError) as exc:
        services.recommendation_create(
            actor=advisor,
            job_customer=make_job_customer(),
            activity=make_activity(),
            run=make_run(activity=klaedt_paa()),
        )
    assert exc.value.message_dict["run"] == [str(services.RUN_OF_OTHER_ACTIVITY)]


# --- upskilling and the certificate -------------------------------------------------------------


def _post_upskilling(client, person, **extra):
    data = {"kind": "forklift", "title": "Truckcertifikat", "provider": "AMU Syd",
            "started_on": "01-02-2026", "ended_on": "05-02-2026", **extra}  # fmt: skip
    return client.post(url("upskilling_create", person.pk), data)


def test_upskilling_with_a_certificate_is_stored_under_media_and_served_only_with_access(
    advisor_client, advisor, client_for, other_advisor, settings
):
    person = make_job_customer(advisor=advisor)
    upload = SimpleUploadedFile("Mettes bevis.pdf", PDF, content_type="application/pdf")
    response = _post_upskilling(
        advisor_client, person, completed_on="05-02-2026", certificate=upload
    )
    assert response.status_code == 302
    upskilling = Upskilling.objects.get()
    assert upskilling.certificate_name == "Mettes bevis.pdf"
    assert "Mette" not in upskilling.certificate.name  # stored under a name of our own
    assert (settings.MEDIA_ROOT / upskilling.certificate.name).read_bytes() == PDF
    download = advisor_client.get(url("upskilling_certificate", upskilling.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert (
        client_for(other_advisor).get(url("upskilling_certificate", upskilling.pk)).status_code
        == 403
    )
    page = advisor_client.get(url("person_section", person.pk)).text
    assert "Truckcertifikat" in page and url("upskilling_certificate", upskilling.pk) in page


@pytest.mark.parametrize(
    ("name", "content"),
    [("bevis.exe", PDF), ("bevis.pdf", b"MZ not a pdf"), ("bevis.png", PDF), ("bevis", PDF)],
)
def test_a_certificate_of_the_wrong_type_is_refused_beside_the_field(
    advisor_client, advisor, name, content
):
    person = make_job_customer(advisor=advisor)
    upload = SimpleUploadedFile(name, content)
    response = _post_upskilling(advisor_client, person, certificate=upload)
    assert response.status_code == 400
    assert str(services.CERTIFICATE_TYPE) in response.context["form"].errors["certificate"]
    assert not Upskilling.objects.exists()


def test_a_certificate_too_large_is_refused(advisor_client, advisor, monkeypatch):
    monkeypatch.setattr(services, "CERTIFICATE_MAX_BYTES", 40)
    person = make_job_customer(advisor=advisor)
    response = _post_upskilling(
        advisor_client, person, certificate=SimpleUploadedFile("b.png", PNG + b"x" * 20)
    )
    assert response.status_code == 400
    assert "MB" in response.context["form"].errors["certificate"][0]
    assert not Upskilling.objects.exists()


def test_upskilling_ending_before_it_starts_is_refused(advisor_client, advisor):
    person = make_job_customer(advisor=advisor)
    response = _post_upskilling(
        advisor_client, person, started_on="05-02-2026", ended_on="01-02-2026"
    )
    assert response.status_code == 400
    assert response.context["form"].errors["ended_on"] == [
        str(services.UPSKILLING_END_BEFORE_START)
    ]


def test_a_new_certificate_replaces_the_old_file(
    advisor, settings, django_capture_on_commit_callbacks
):
    person = make_job_customer(advisor=advisor)
    first = services.upskilling_save(
        actor=advisor, job_customer=person, kind="it", title="IT", provider="AOF",
        certificate=SimpleUploadedFile("a.pdf", PDF),
    )  # fmt: skip
    old = settings.MEDIA_ROOT / first.certificate.name
    with django_capture_on_commit_callbacks(execute=True):
        services.upskilling_save(
            actor=advisor, job_customer=person, upskilling=first, kind="it", title="IT",
            provider="AOF", certificate=SimpleUploadedFile("b.png", PNG),
        )  # fmt: skip
    first.refresh_from_db()
    assert not old.exists()
    assert first.certificate.name.endswith(".png") and first.certificate_name == "b.png"


# --- network groups -----------------------------------------------------------------------------


def test_a_small_closed_group_refuses_the_member_too_many_and_doubles(advisor):
    group = services.group_save(actor=advisor, name="Lagerfolk", job_types="Lager", max_members=2)
    day = datetime.date(2026, 1, 5)
    a, b = make_job_customer(), make_job_customer()
    services.membership_add(actor=advisor, group=group, job_customer=a, joined_on=day)
    with pytest.raises(ValidationError) as exc:
        services.membership_add(actor=advisor, group=group, job_customer=a, joined_on=day)
    assert exc.value.messages == [str(services.ALREADY_MEMBER)]
    services.membership_add(actor=advisor, group=group, job_customer=b, joined_on=day)
    with pytest.raises(ValidationError):
        services.membership_add(
            actor=advisor, group=group, job_customer=make_job_customer(), joined_on=day
        )
    with pytest.raises(ValidationError):
        services.group_save(
            actor=advisor, group=group, name="Lagerfolk", job_types="Lager", max_members=1
        )
    membership = GroupMembership.objects.get(job_customer=a)
    with pytest.raises(ValidationError):
        services.membership_end(
            actor=advisor, membership=membership, left_on=day - datetime.timedelta(days=1)
        )
    services.membership_end(actor=advisor, membership=membership, left_on=day)
    services.membership_add(
        actor=advisor, group=group, job_customer=make_job_customer(), joined_on=day
    )


def test_a_meeting_ending_before_it_starts_is_refused(advisor_client, advisor):
    group = services.group_save(
        actor=advisor, name="Kontor", job_types="Kontor", facilitator=advisor
    )
    response = advisor_client.post(
        url("meeting_create", group.pk),
        {"date": "10-03-2026", "starts_at": "15:00", "ends_at": "14:00"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["ends_at"] == [str(services.MEETING_ENDS_BEFORE_START)]
    ok = advisor_client.post(
        url("meeting_create", group.pk),
        {"date": "10-03-2026", "starts_at": "14:00", "ends_at": "15:30", "topic": "Nyt job"},
    )
    assert ok.status_code == 302 and group.meetings.count() == 1


def test_group_members_are_named_only_to_those_who_may_see_them(client_for, advisor, other_advisor):
    group = services.group_save(
        actor=other_advisor, name="Butik", job_types="Detail", facilitator=other_advisor
    )
    mine = make_job_customer(advisor=advisor, first_name="Mette", last_name="Holm")
    theirs = make_job_customer(
        advisor=other_advisor, first_name="Hans", last_name="Berg", ref="JK-HB"
    )
    for person in (mine, theirs):
        services.membership_add(
            actor=other_advisor,
            group=group,
            job_customer=person,
            joined_on=datetime.date(2026, 1, 1),
        )
    text = client_for(advisor).get(url("group_detail", group.pk)).text
    assert "Mette Holm" in text and "Hans Berg" not in text and "JK-HB" in text
    assert "Hans Berg" in client_for(other_advisor).get(url("group_detail", group.pk)).text


def test_members_are_added_by_reference_through_the_page(advisor_client, advisor):
    group = NetworkGroup.objects.create(name="IT", job_types="IT", facilitator=advisor)
    make_job_customer(advisor=advisor, ref="JK-777")
    bad = advisor_client.post(
        url("member_add", group.pk), {"ref": "JK-000", "joined_on": "01-03-2026"}
    )
    assert bad.status_code == 400 and str(services.NO_PERSON) in bad.text
    ok = advisor_client.post(
        url("member_add", group.pk), {"ref": "jk-777", "joined_on": "01-03-2026"}
    )
    assert ok.status_code == 302 and group.memberships.count() == 1


def test_group_pages_query_counts_do_not_grow(advisor_client, advisor):
    group = NetworkGroup.objects.create(
        name="IT", job_types="IT", facilitator=advisor, max_members=30
    )
    services.membership_add(
        actor=advisor,
        group=group,
        job_customer=make_job_customer(),
        joined_on=datetime.date(2026, 1, 1),
    )
    services.meeting_create(actor=advisor, group=group, date=datetime.date(2026, 5, 1),
                            starts_at=datetime.time(10), ends_at=datetime.time(11))  # fmt: skip

    def counts():
        out = []
        for path in (url("group_list"), url("group_detail", group.pk)):
            with CaptureQueriesContext(connection) as ctx:
                assert advisor_client.get(path).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    counts()
    one = counts()
    for n in range(25):
        NetworkGroup.objects.create(name=f"G{n}", job_types="x", facilitator=advisor)
        services.membership_add(
            actor=advisor,
            group=group,
            job_customer=make_job_customer(advisor=advisor),
            joined_on=datetime.date(2026, 1, 1),
        )
        services.meeting_create(actor=advisor, group=group, date=datetime.date(2026, 6, 1) + datetime.timedelta(days=n),
                                starts_at=datetime.time(10), ends_at=datetime.time(11))  # fmt: skip
    assert counts() == one and max(one) < 20


def test_new_pages_answer_whole_and_as_their_fragment(manager_client, manager):
    person = make_job_customer()
    group = NetworkGroup.objects.create(name="IT", job_types="IT", facilitator=manager)
    u = Upskilling.objects.create(job_customer=person, kind="office", title="Excel", provider="AOF")
    for path in [url("recommend", person.pk), url("upskilling_create", person.pk), url("upskilling_edit", u.pk),
                 url("group_list"), url("group_create"), url("group_detail", group.pk), url("group_edit", group.pk),
                 url("meeting_create", group.pk), url("report"), url("calendar")]:  # fmt: skip
        page = manager_client.get(path)
        fragment = manager_client.get(path, HTTP_HX_REQUEST="true")
        assert page.status_code == fragment.status_code == 200, path
        assert "<html" in page.text and "<html" not in fragment.text, path
