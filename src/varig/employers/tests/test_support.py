"""Support requests (the open door): recording, the first answer, settling; who sees which;
the median time to first response overall and per advisor; the sections on shared pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from varig.core.models import Role
from varig.core.tests.factories import make_user
from varig.customers.tests.factories import make_job_customer
from varig.employers import services
from varig.employers.models import SupportRequest
from varig.employers.support import format_wait, open_door_measure, support_request_list
from varig.employers.tests.factories import make_company, make_contact

pytestmark = pytest.mark.django_db

Source, Channel, Urgency = SupportRequest.Source, SupportRequest.Channel, SupportRequest.Urgency
MIN = datetime.timedelta(minutes=1)


def ago(**kwargs) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**kwargs)


def company_request(company=None, **fields) -> SupportRequest:
    fields.setdefault("received_at", ago(hours=2))
    fields.setdefault("received_by", None)
    return services.support_request_create(
        source=Source.COMPANY,
        company=company or make_company(),
        channel=fields.pop("channel", Channel.PHONE),
        subject=fields.pop("subject", "Spørgsmål om løntilskud"),
        **fields,
    )


def person_request(person, **fields) -> SupportRequest:
    fields.setdefault("received_at", ago(hours=2))
    fields.setdefault("received_by", None)
    return services.support_request_create(
        source=Source.JOB_CUSTOMER,
        job_customer=person,
        channel=fields.pop("channel", Channel.SMS),
        subject=fields.pop("subject", "Brev fra kommunen"),
        **fields,
    )


def answered(request: SupportRequest, after: datetime.timedelta, by) -> SupportRequest:
    return services.support_request_answer(
        support_request=request, by=by, at=request.received_at + after
    )


# --- services ---------------------------------------------------------------------------------


def test_a_company_request_goes_to_the_companys_consultant(consultant, advisor):
    company = make_company(consultant=consultant)
    contact = make_contact(company=company)
    request = company_request(company, contact=contact, received_by=advisor, urgency=Urgency.URGENT)
    assert request.responsible == consultant
    assert request.first_response_at is None and request.is_open


def test_a_job_customers_request_goes_to_their_advisor(advisor, consultant):
    person = make_job_customer(advisor=advisor)
    assert person_request(person, received_by=consultant).responsible == advisor


def test_without_advisor_or_consultant_the_one_who_took_it_is_responsible(consultant):
    assert company_request(received_by=consultant).responsible == consultant


def test_answered_there_and_then_counts_the_moment_it_came_in(advisor):
    at = ago(minutes=30)
    request = company_request(received_by=advisor, received_at=at, answered=True)
    assert request.first_response_at == at and request.first_response_by == advisor
    assert request.response_time == datetime.timedelta()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"subject": " "}, "subject", services.SUPPORT_SUBJECT_REQUIRED),
        ({"company": None}, "company", services.SUPPORT_COMPANY_REQUIRED),
        ({"channel": "pigeon"}, "channel", services.SUPPORT_CHANNEL_INVALID),
        ({"urgency": "yesterday"}, "urgency", services.SUPPORT_URGENCY_INVALID),
        ({"received_at": None}, "received_at", services.SUPPORT_RECEIVED_REQUIRED),
        ({"received_at": "future"}, "received_at", services.SUPPORT_IN_FUTURE),
        ({"contact": "other"}, "contact", services.SUPPORT_CONTACT_OTHER_COMPANY),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_saves_nothing(fields, field, message):
    company = make_company()
    kwargs = {
        "source": Source.COMPANY,
        "company": company,
        "channel": Channel.PHONE,
        "subject": "Hjælp",
        "received_at": ago(hours=1),
        "received_by": None,
        **fields,
    }
    if kwargs["received_at"] == "future":
        kwargs["received_at"] = timezone.now() + datetime.timedelta(hours=1)
    if kwargs.get("contact") == "other":
        kwargs["contact"] = make_contact()
    with pytest.raises(ValidationError) as caught:
        services.support_request_create(**kwargs)
    assert caught.value.message_dict[field] == [str(message)]
    assert not SupportRequest.objects.exists()


def test_a_job_customer_request_needs_the_person():
    with pytest.raises(ValidationError) as caught:
        services.support_request_create(
            source=Source.JOB_CUSTOMER,
            channel=Channel.PHONE,
            subject="Hjælp",
            received_at=ago(hours=1),
            received_by=None,
        )
    assert "job_customer" in caught.value.message_dict


def test_the_first_answer_is_recorded_once_and_not_before_the_request(advisor, other_advisor):
    request = company_request(received_at=ago(hours=3))
    with pytest.raises(ValidationError) as caught:
        services.support_request_answer(
            support_request=request, by=advisor, at=request.received_at - MIN
        )
    assert caught.value.message_dict["at"] == [str(services.SUPPORT_ANSWER_BEFORE_RECEIVED)]
    with pytest.raises(ValidationError):
        services.support_request_answer(
            support_request=request, by=advisor, at=timezone.now() + datetime.timedelta(hours=1)
        )
    answered(request, datetime.timedelta(minutes=45), advisor)
    request.refresh_from_db()
    assert request.response_time == datetime.timedelta(minutes=45)
    assert request.first_response_by == advisor
    with pytest.raises(ValidationError) as caught:
        answered(request, datetime.timedelta(hours=1), other_advisor)
    assert caught.value.messages == [str(services.SUPPORT_ALREADY_ANSWERED)]


def test_settling_an_unanswered_request_answers_it_now(advisor):
    request = company_request(received_at=ago(hours=5))
    with pytest.raises(ValidationError):
        services.support_request_close(support_request=request, by=advisor, resolution=" ")
    services.support_request_close(support_request=request, by=advisor, resolution="Ringede op")
    request.refresh_from_db()
    assert request.closed_at is not None and request.first_response_by == advisor
    assert abs(request.response_time - datetime.timedelta(hours=5)) < MIN
    with pytest.raises(ValidationError) as caught:
        services.support_request_close(support_request=request, by=advisor, resolution="Igen")
    assert caught.value.messages == [str(services.SUPPORT_ALREADY_CLOSED)]


# --- the open-door measure ----------------------------------------------------------------------


def test_the_median_time_to_first_response_overall_and_per_advisor(advisor, other_advisor):
    waits_a = [10, 30, 120]  # minutes: median 30
    waits_b = [5, 20, 60, 24 * 60]  # median (20 + 60) / 2 = 40
    for minutes in waits_a:
        answered(
            company_request(received_at=ago(days=3)), datetime.timedelta(minutes=minutes), advisor
        )
    for minutes in waits_b:
        answered(
            company_request(received_at=ago(days=2)),
            datetime.timedelta(minutes=minutes),
            other_advisor,
        )
    company_request(received_at=ago(days=1), responsible=advisor)  # waiting: not in the median
    answered(company_request(received_at=ago(days=200)), datetime.timedelta(days=9), advisor)
    measure = open_door_measure(since=ago(days=90), until=timezone.now())
    assert measure.received == 8 and measure.answered == 7
    # All seven in order: 5, 10, 20, 30, 60, 120, 1440 → 30.
    assert measure.median == datetime.timedelta(minutes=30)
    rows = {row.advisor: row for row in measure.by_advisor}
    assert rows[advisor].median == datetime.timedelta(minutes=30)
    assert rows[advisor].answered == 3 and rows[advisor].waiting == 1
    assert rows[other_advisor].median == datetime.timedelta(minutes=40)
    assert rows[other_advisor].answered == 4 and rows[other_advisor].waiting == 0
    assert measure.waiting == 1 and measure.oldest_waiting is not None


def test_the_measure_with_no_requests_is_empty():
    measure = open_door_measure(since=ago(days=30), until=timezone.now())
    assert measure.median is None and measure.by_advisor == [] and measure.received == 0


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (datetime.timedelta(minutes=1), "1 minut"),
        (datetime.timedelta(minutes=45), "45 minutter"),
        (datetime.timedelta(hours=3), "3 timer"),
        (datetime.timedelta(hours=3, minutes=5), "3 t 5 min"),
        (datetime.timedelta(days=4, hours=2), "4 dage"),
        (None, ""),
    ],
)
def test_waits_are_said_as_people_say_them(delta, text):
    assert format_wait(delta) == text


# --- who sees which -----------------------------------------------------------------------------


def test_requests_about_persons_follow_the_persons_access(advisor, other_advisor):
    mine = person_request(make_job_customer(advisor=advisor), subject="Min")
    theirs = person_request(make_job_customer(advisor=other_advisor), subject="Deres")
    from_company = company_request(subject="Virksomhed")
    seen = set(support_request_list(user=advisor, status="all"))
    assert seen == {mine, from_company}
    assert theirs not in seen


def test_another_advisors_persons_request_is_refused(client_for, other_advisor, advisor):
    request = person_request(make_job_customer(advisor=advisor))
    response = client_for(other_advisor).get(reverse("employers:support_detail", args=[request.pk]))
    assert response.status_code == 403


# --- pages -------------------------------------------------------------------------------------


def test_the_list_shows_open_requests_first_and_as_an_htmx_fragment(advisor_client, advisor):
    urgent = company_request(
        subject="Akut: ny leder", urgency=Urgency.URGENT, received_at=ago(hours=1)
    )
    done = company_request(subject="Løst sag")
    services.support_request_close(support_request=done, by=advisor, resolution="Ok")
    response = advisor_client.get(reverse("employers:support_list"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Akut: ny leder" in content and "Løst sag" not in content
    fragment = advisor_client.get(
        reverse("employers:support_list"), {"status": "closed"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="results">')
    assert "Løst sag" in fragment and urgent.subject not in fragment


def test_a_request_from_a_company_is_recorded_through_the_form(advisor_client, advisor, consultant):
    company = make_company(name="Genbrug Nord", consultant=consultant)
    contact = make_contact(company=company, name="Jens")
    url = reverse("employers:support_create") + f"?company={company.pk}"
    page = advisor_client.get(url)
    assert page.status_code == 200 and "Genbrug Nord" in page.content.decode()
    response = advisor_client.post(
        url,
        {
            "company": company.pk,
            "contact": contact.pk,
            "channel": "phone",
            "urgency": "urgent",
            "subject": "Medarbejderen er ikke mødt",
            "received_at": timezone.localtime(ago(minutes=20)).strftime("%d-%m-%Y %H:%M"),
            "answered": "on",
        },
    )
    request = SupportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("employers:support_detail", args=[request.pk])
    assert request.contact == contact and request.responsible == consultant
    assert request.first_response_by == advisor and request.received_by == advisor


def test_an_invalid_request_form_is_400_and_saves_nothing(advisor_client):
    response = advisor_client.post(
        reverse("employers:support_create"),
        {"channel": "phone", "subject": "", "received_at": "31-02-2026 10:00"},
    )
    assert response.status_code == 400
    assert not SupportRequest.objects.exists()
    content = response.content.decode()
    assert "field-error" in content


def test_a_request_from_a_job_customer_is_recorded_from_their_page(advisor_client, advisor):
    person = make_job_customer(first_name="Åse", last_name="Holm", advisor=advisor)
    url = reverse("employers:support_create") + f"?job_customer={person.pk}"
    assert "Åse Holm" in advisor_client.get(url).content.decode()
    response = advisor_client.post(
        url,
        {
            "channel": "sms",
            "urgency": "normal",
            "subject": "Vil gerne have flere timer",
            "received_at": timezone.localtime(ago(hours=1)).strftime("%d-%m-%Y %H:%M"),
        },
    )
    assert response.status_code == 302
    request = SupportRequest.objects.get()
    assert request.source == Source.JOB_CUSTOMER and request.job_customer == person
    page = advisor_client.get(reverse("customers:detail", args=[person.pk])).content.decode()
    assert url in page
    listed = advisor_client.get(
        reverse("employers:support_list"), {"job_customer": person.pk, "status": "all"}
    ).content.decode()
    assert "Vil gerne have flere timer" in listed


def test_recording_for_another_advisors_person_is_refused(client_for, other_advisor, advisor):
    person = make_job_customer(advisor=advisor)
    url = reverse("employers:support_create") + f"?job_customer={person.pk}"
    assert client_for(other_advisor).get(url).status_code == 403


def test_answer_and_settle_through_the_detail_page(advisor_client, advisor):
    request = company_request(received_at=ago(hours=2))
    url = reverse("employers:support_detail", args=[request.pk])
    assert advisor_client.get(url).status_code == 200
    assert (
        advisor_client.get(url, HTTP_HX_REQUEST="true")
        .content.decode()
        .lstrip()
        .startswith('<div id="request">')
    )
    bad = advisor_client.post(reverse("employers:support_answer", args=[request.pk]), {"at": "x"})
    assert bad.status_code == 400
    at = timezone.localtime(ago(hours=1)).strftime("%d-%m-%Y %H:%M")
    response = advisor_client.post(
        reverse("employers:support_answer", args=[request.pk]), {"at": at}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.first_response_by == advisor
    assert (
        advisor_client.post(
            reverse("employers:support_close", args=[request.pk]), {"resolution": ""}
        ).status_code
        == 400
    )
    advisor_client.post(
        reverse("employers:support_close", args=[request.pk]), {"resolution": "Løst"}
    )
    request.refresh_from_db()
    assert request.resolution == "Løst" and request.closed_at is not None


def test_the_open_door_page_is_for_managers(client_for, manager, advisor):
    answered(company_request(received_at=ago(days=1)), datetime.timedelta(minutes=25), advisor)
    manager_client = client_for(manager)
    response = manager_client.get(reverse("employers:open_door"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "25 minutter" in content and advisor.name in content
    fragment = manager_client.get(
        reverse("employers:open_door"), {"days": "30"}, HTTP_HX_REQUEST="true"
    )
    assert fragment.content.decode().lstrip().startswith('<div id="measure">')
    assert client_for(advisor).get(reverse("employers:open_door")).status_code == 403


def test_open_requests_show_on_the_company_page(advisor_client):
    company = make_company()
    company_request(company, subject="Hvordan registrerer vi praktik i Vitas?")
    content = advisor_client.get(reverse("employers:detail", args=[company.pk])).content.decode()
    assert "Hvordan registrerer vi praktik i Vitas?" in content


def test_open_requests_show_on_i_dag_for_the_responsible_advisor(
    client_for, advisor, other_advisor
):
    person = make_job_customer(advisor=advisor)
    person_request(person, subject="Svært på arbejdet for tiden")
    assert (
        "Svært på arbejdet for tiden"
        in client_for(advisor).get(reverse("core:today")).content.decode()
    )
    assert (
        "Svært på arbejdet"
        not in client_for(other_advisor).get(reverse("core:today")).content.decode()
    )


# --- query counts ---------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _many(n: int, company, person, responder):
    for i in range(n):
        req = company_request(
            company, subject=f"Virksomhed {i}", contact=make_contact(company=company)
        )
        if i % 2:
            answered(req, datetime.timedelta(minutes=i + 1), responder)
        person_request(person, subject=f"Person {i}")


@pytest.mark.parametrize(
    "url",
    ["list", "open_door", "company", "today", "person"],
)
def test_the_pages_query_count_does_not_grow_with_the_requests(client_for, url, django_db_blocker):
    manager = make_user(role=Role.MANAGER)
    advisor = make_user(role=Role.ADVISOR)
    company = make_company(consultant=advisor)
    person = make_job_customer(advisor=advisor)
    urls = {
        "list": reverse("employers:support_list"),
        "open_door": reverse("employers:open_door"),
        "company": reverse("employers:detail", args=[company.pk]),
        "today": reverse("core:today"),
        "person": reverse("customers:detail", args=[person.pk]),
    }
    user = manager if url == "open_door" else advisor
    client = client_for(user)
    _many(1, company, person, advisor)
    one = _count(client, urls[url])
    _many(25, company, person, make_user(role=Role.ADVISOR))
    many = _count(client, urls[url])
    assert one == many
    assert many <= 30
