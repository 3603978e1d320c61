import datetime

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from varig.core.budgets import PAGE_MAX_QUERIES
from varig.core.models import Role
from varig.core.services import STALE_EDIT
from varig.customers import services
from varig.customers.models import (
    Accommodation,
    Consent,
    ContactNote,
    HealthInfo,
    JobCustomer,
    JobWishes,
    ReadinessAssessment,
    Task,
)
from varig.customers.tests.factories import make_consent, make_job_customer, make_share
from varig.employers.tests.factories import make_company
from varig.placements.models import FollowUp, Placement
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = datetime.date.today


def htmx_target(target: str) -> dict:
    return {**HTMX, "HTTP_HX_TARGET": target}


def url(name, *args, **query):
    base = reverse(f"customers:{name}", args=args)
    if query:
        from urllib.parse import urlencode

        base += "?" + urlencode(query)
    return base


def intake_post(**overrides):
    data = {
        "first_name": "Maja",
        "last_name": "Kristensen",
        "birth_date": "17-05-1988",
        "associated_from": "01-02-2024",
        "referral_source": "jobcenter",
        "pension_rules": "after_2003",
        "postcode": "2200",
        "municipality": "København",
    }
    data.update(overrides)
    return data


# --- access -------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login(client):
    jc = make_job_customer()
    for target in [
        url("list"),
        url("create"),
        url("detail", jc.pk),
        url("edit", jc.pk),
    ]:
        response = client.get(target)
        assert response.status_code == 302 and reverse("core:login") in response["Location"]
    for target in [url("note_add", jc.pk), url("readiness_add", jc.pk), url("health_edit", jc.pk)]:
        response = client.post(target, {})
        assert response.status_code == 302 and reverse("core:login") in response["Location"]
    assert not ContactNote.objects.exists()


def test_consultant_may_view_but_not_edit(consultant_client, consultant):
    jc = make_job_customer()
    make_share(job_customer=jc, user=consultant)
    assert consultant_client.get(url("list")).status_code == 200
    detail = consultant_client.get(url("detail", jc.pk))
    assert detail.status_code == 200
    assert url("edit", jc.pk) not in detail.text and url("note_add", jc.pk) not in detail.text
    assert consultant_client.get(url("create")).status_code == 403
    assert consultant_client.get(url("edit", jc.pk)).status_code == 403
    assert consultant_client.post(url("create"), intake_post()).status_code == 403
    for name in [
        "readiness_add",
        "job_wishes_edit",
        "accommodation_add",
        "consent_add",
        "note_add",
        "task_add",
        "health_edit",
    ]:
        assert consultant_client.post(url(name, jc.pk), {}).status_code == 403, name
    assert JobCustomer.objects.count() == 1


def test_unknown_job_customer_is_404(advisor_client):
    assert advisor_client.get(url("detail", 999999)).status_code == 404
    assert advisor_client.get(url("edit", 999999)).status_code == 404


# --- caseload list ------------------------------------------------------------------------------


def test_list_shows_the_advisors_own_caseload_by_default(advisor_client, advisor, other_advisor):
    mine = make_job_customer(advisor=advisor, last_name="Minsen")
    theirs = make_job_customer(advisor=other_advisor, last_name="Dinsen")
    response = advisor_client.get(url("list"))
    assert response.status_code == 200
    assert "<html" in response.text and 'id="results"' in response.text
    assert mine.last_name in response.text and theirs.last_name not in response.text
    # "All" is everyone the advisor may see: another advisor's person only once shared.
    everyone = advisor_client.get(url("list", advisor="all"))
    assert mine.last_name in everyone.text and theirs.last_name not in everyone.text
    make_share(job_customer=theirs, user=advisor)
    everyone = advisor_client.get(url("list", advisor="all"))
    assert mine.last_name in everyone.text and theirs.last_name in everyone.text


def test_list_row_has_name_link_ref_status_advisor_and_date(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor, ref="JK-777", associated_from=datetime.date(2023, 4, 5))
    make_placement(job_customer=jc, started_on=TODAY() - datetime.timedelta(days=3))
    text = advisor_client.get(url("list")).text
    assert url("detail", jc.pk) in text
    assert "JK-777" in text and advisor.name in text and "05-04-2023" in text
    assert "I job" in text or "In work" in text


def test_list_htmx_gets_only_the_results(advisor_client, advisor):
    make_job_customer(advisor=advisor, last_name="Fragmentsen")
    response = advisor_client.get(url("list", q="Fragment"), **htmx_target("results"))
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="results"')
    assert "<html" not in response.text and "Fragmentsen" in response.text


def test_list_filter_form_is_htmx_driven(advisor_client):
    text = advisor_client.get(url("list")).text
    assert 'hx-get="/jobkunder/"' in text
    assert 'hx-trigger="change, keyup changed delay:300ms from:input[type=search]"' in text
    assert 'hx-push-url="true"' in text


def test_manager_sees_all_and_filters_by_advisor(manager_client, advisor, other_advisor):
    a = make_job_customer(advisor=advisor, last_name="Aasen")
    b = make_job_customer(advisor=other_advisor, last_name="Beesen")
    c = make_job_customer(advisor=None, last_name="Ceesen")
    text = manager_client.get(url("list")).text
    assert all(x.last_name in text for x in (a, b, c))
    text = manager_client.get(url("list", advisor=other_advisor.pk)).text
    assert b.last_name in text and a.last_name not in text and c.last_name not in text
    text = manager_client.get(url("list", advisor="none")).text
    assert c.last_name in text and a.last_name not in text


def test_list_search_by_name_and_ref(manager_client):
    make_job_customer(first_name="Maja", last_name="Kristensen", ref="JK-100")
    make_job_customer(first_name="Bo", last_name="Hansen", ref="JK-200")
    assert "Kristensen" in manager_client.get(url("list", q="maja kri")).text
    text = manager_client.get(url("list", q="JK-200")).text
    assert "Hansen" in text and "Kristensen" not in text


def test_list_filters_by_derived_status(manager_client):
    in_work = make_job_customer(last_name="Arbejdsen")
    make_placement(job_customer=in_work, kind=Placement.Kind.FLEKSJOB, started_on=TODAY())
    praktik = make_job_customer(last_name="Praktiksen")
    make_placement(job_customer=praktik, kind=Placement.Kind.PRAKTIK, started_on=TODAY())
    ended = make_job_customer(
        last_name="Slutsen", associated_until=TODAY() - datetime.timedelta(days=1)
    )
    waiting = make_job_customer(last_name="Ventesen")
    expected = {"in_work": in_work, "in_praktik": praktik, "ended": ended, "not_in_work": waiting}
    for status, person in expected.items():
        text = manager_client.get(url("list", status=status)).text
        shown = {p.last_name for p in expected.values() if p.last_name in text}
        assert shown == {person.last_name}, status


def test_list_sorts_by_query_param(manager_client, advisor, other_advisor):
    make_job_customer(
        last_name="Bbb",
        ref="JK-2",
        associated_from=datetime.date(2020, 1, 1),
        advisor=other_advisor,
    )
    make_job_customer(
        last_name="Aaa", ref="JK-3", associated_from=datetime.date(2022, 1, 1), advisor=advisor
    )
    make_job_customer(
        last_name="Ccc", ref="JK-1", associated_from=datetime.date(2021, 1, 1), advisor=advisor
    )

    def order(**q):
        text = manager_client.get(url("list", **q)).text
        return sorted(["Aaa", "Bbb", "Ccc"], key=text.index)

    assert order() == ["Aaa", "Bbb", "Ccc"]
    assert order(sort="-name") == ["Ccc", "Bbb", "Aaa"]
    assert order(sort="ref") == ["Ccc", "Bbb", "Aaa"]
    assert order(sort="associated_from") == ["Bbb", "Ccc", "Aaa"]
    assert order(sort="advisor") == ["Bbb", "Aaa", "Ccc"]  # Ole before Vera
    assert order(sort="bogus") == ["Aaa", "Bbb", "Ccc"]


def test_list_paginates_by_25(manager_client):
    for n in range(30):
        make_job_customer(last_name=f"Person{n:02d}")
    first = manager_client.get(url("list"))
    assert first.context["page_obj"].object_list.__len__() == 25
    assert 'rel="next"' in first.text
    second = manager_client.get(url("list", page=2), **htmx_target("results"))
    assert len(second.context["page_obj"].object_list) == 5
    assert "Person29" in second.text and "Person00" not in second.text


def _list_queries(client, **query) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url("list", advisor="all", **query))
    assert response.status_code == 200
    return len(ctx.captured_queries)


# The variants `varig bench` measures: page 1, a name search, a filter, the last page.
LIST_VARIANTS = {
    "page 1": {},
    "search": {"q": "Person"},
    "filter": {"status": "in_work"},
    "last page": {"page": "3"},  # past the end with one row: the last page, as with many
    "sorted": {"sort": "-advisor"},
}


def test_list_query_count_does_not_grow_with_rows(manager_client, advisor, other_advisor):
    make_placement(job_customer=make_job_customer(advisor=advisor, last_name="Person"))
    manager_client.get(url("list"))  # warm caches (session, content types)
    one = {name: _list_queries(manager_client, **q) for name, q in LIST_VARIANTS.items()}
    for n in range(60):
        jc = make_job_customer(advisor=advisor if n % 2 else other_advisor, last_name="Person")
        make_placement(job_customer=jc)
    many = {name: _list_queries(manager_client, **q) for name, q in LIST_VARIANTS.items()}
    assert many == one
    assert max(many.values()) <= PAGE_MAX_QUERIES, many


# --- intake and edit ----------------------------------------------------------------------------


def test_create_form_renders_all_intake_fields(advisor_client):
    text = advisor_client.get(url("create")).text
    for name in [
        "first_name", "last_name", "birth_date", "email", "phone", "address", "postcode",
        "municipality", "advisor", "associated_from", "associated_until", "referral_source",
        "pension_rules", "education", "work_experience", "competences", "extra_followup_weeks", "ref",
    ]:  # fmt: skip
        assert f'name="{name}"' in text, name


def test_create_saves_and_redirects(advisor_client, advisor):
    response = advisor_client.post(url("create"), intake_post(advisor=advisor.pk))
    jc = JobCustomer.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", jc.pk)
    assert jc.ref.startswith("JK-") and jc.birth_date == datetime.date(1988, 5, 17)
    assert jc.advisor == advisor


def test_create_only_offers_active_advisors(advisor_client, advisor, consultant):
    text = advisor_client.get(url("create")).text
    assert f'<option value="{advisor.pk}"' in text
    assert f'<option value="{consultant.pk}"' not in text
    response = advisor_client.post(url("create"), intake_post(advisor=consultant.pk))
    assert response.status_code == 400 and not JobCustomer.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("birth_date", "31-02-2001"),
        ("birth_date", "(TOMORROW)"),
        ("associated_from", "32-01-2024"),
        ("associated_until", "01-01-2020"),
        ("postcode", "22"),
        ("extra_followup_weeks", "0"),
        ("extra_followup_weeks", "53"),
        ("email", "not-an-address"),
        ("last_name", ""),
    ],
)
def test_create_bad_input_shows_error_beside_field_and_saves_nothing(advisor_client, field, value):
    if value == "(TOMORROW)":
        value = (TODAY() + datetime.timedelta(days=1)).strftime("%d-%m-%Y")
    response = advisor_client.post(url("create"), intake_post(**{field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert f'id="id_{field}_error"' in response.text
    assert not JobCustomer.objects.exists()


def test_create_shows_every_field_error_at_once(advisor_client):
    response = advisor_client.post(
        url("create"), intake_post(birth_date="31-02-2001", postcode="22")
    )
    assert set(response.context["form"].errors) >= {"birth_date", "postcode"}


def test_edit_saves_with_the_version(advisor_client):
    jc = make_job_customer(last_name="Gammel")
    form = advisor_client.get(url("edit", jc.pk))
    assert 'name="version" value="1"' in form.text
    response = advisor_client.post(
        url("edit", jc.pk), intake_post(last_name="Ny", ref=jc.ref, version="1")
    )
    assert response.status_code == 302
    jc.refresh_from_db()
    assert (jc.last_name, jc.version) == ("Ny", 2)


def test_edit_refuses_a_stale_save(advisor_client):
    jc = make_job_customer(last_name="Gammel")
    JobCustomer.objects.filter(pk=jc.pk).update(version=5, last_name="Andens")
    response = advisor_client.post(
        url("edit", jc.pk), intake_post(last_name="Min", ref=jc.ref, version="4")
    )
    assert response.status_code == 400
    assert str(STALE_EDIT) in response.context["form"].non_field_errors()
    jc.refresh_from_db()
    assert (jc.last_name, jc.version) == ("Andens", 5)


# --- the job-customer page ----------------------------------------------------------------------


def _full_person(advisor):
    jc = make_job_customer(advisor=advisor, first_name="Maja", last_name="Kristensen")
    company = make_company(name="Bogcaféen ApS")
    services.readiness_record(
        actor=advisor, job_customer=jc, area="housing", rating="calm", assessed_on=TODAY()
    )
    services.job_wishes_update(actor=advisor, job_customer=jc, wished_jobs="Boghandel")
    services.accommodation_record(
        actor=advisor,
        job_customer=jc,
        valid_from=TODAY() - datetime.timedelta(days=100),
        tasks_to_avoid="Gammel version",
    )
    services.accommodation_record(
        actor=advisor,
        job_customer=jc,
        valid_from=TODAY(),
        max_hours_per_week=12,
        employer_text="Faste opgaver og én kontaktperson",
    )
    services.consent_give(actor=advisor, job_customer=jc, company=company, given_on=TODAY())
    services.health_update(actor=advisor, job_customer=jc, diagnosis="Hemmelig-F20")
    services.contact_note_create(actor=advisor, job_customer=jc, kind="phone", text="Ringede hjem")
    services.task_create(actor=advisor, job_customer=jc, title="Ring til jobcentret")
    placement = make_placement(job_customer=jc, company=company, kind=Placement.Kind.PRAKTIK)
    FollowUp.objects.create(
        placement=placement,
        job_customer=jc,
        kind=FollowUp.Kind.PRAKTIK_CHECK,
        due_on=TODAY() - datetime.timedelta(days=5),
        window_start=TODAY() - datetime.timedelta(days=5),
        window_end=TODAY() - datetime.timedelta(days=1),
    )
    return jc, placement


def test_detail_shows_every_section(advisor_client, advisor):
    jc, placement = _full_person(advisor)
    response = advisor_client.get(url("detail", jc.pk))
    assert response.status_code == 200
    text = response.text
    for region in [
        "readiness",
        "wishes",
        "accommodations",
        "consents",
        "health",
        "timeline",
        "tasks",
        "placements",
        "followups",
    ]:
        assert f'id="{region}"' in text, region
    assert "Maja Kristensen" in text and jc.ref in text and advisor.name in text
    assert "Boghandel" in text and "Faste opgaver og én kontaktperson" in text
    assert "Gammel version" in text  # the history of accommodations
    assert "Bogcaféen ApS" in text and "Ringede hjem" in text and "Ring til jobcentret" in text
    assert "Hemmelig-F20" in text
    assert reverse("placements:detail", args=[placement.pk]) in text
    assert reverse("placements:create") + f"?job_customer={jc.pk}" in text
    followup = FollowUp.objects.get()
    assert reverse("placements:followup_record", args=[followup.pk]) in text


def test_readiness_ratings_show_as_badges_in_their_tone(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    for area, rating in [("housing", "calm"), ("finances", "attention"), ("network", "not_yet")]:
        services.readiness_record(
            actor=advisor, job_customer=jc, area=area, rating=rating, assessed_on=TODAY()
        )
    response = advisor_client.get(url("detail", jc.pk), **htmx_target("readiness"))
    text = response.text
    assert '<span class="badge badge-ok">Rolig</span>' in text
    assert '<span class="badge badge-warn">Kræver opmærksomhed</span>' in text
    assert '<span class="badge badge-alert">Ikke endnu</span>' in text
    assert text.count('class="badge badge-') == 6  # the current ratings and the history


def test_detail_read_is_audited(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    advisor_client.get(url("detail", jc.pk))
    assert LogEntry.objects.get_for_object(jc).filter(action=LogEntry.Action.ACCESS).exists()


def test_accommodations_never_show_the_diagnosis(advisor_client, advisor):
    jc, _ = _full_person(advisor)
    response = advisor_client.get(url("detail", jc.pk), **htmx_target("accommodations"))
    text = advisor_client.get(url("detail", jc.pk)).text
    section = text[text.index('id="accommodations"') : text.index('id="consents"')]
    assert "Hemmelig-F20" not in section
    assert (
        "What an employer may be told" in section or "Hvad en arbejdsgiver må få at vide" in section
    )
    assert response.status_code == 200


def test_other_advisor_cannot_see_the_diagnosis(client_for, advisor, other_advisor):
    jc, _ = _full_person(advisor)
    make_share(job_customer=jc, user=other_advisor)  # a colleague covering
    client = client_for(other_advisor)
    response = client.get(url("detail", jc.pk))
    assert response.status_code == 200
    assert "Hemmelig-F20" not in response.text
    assert 'id="health"' not in response.text
    assert url("health_edit", jc.pk) not in response.text
    assert response.context["health_form"] is None
    forbidden = client.post(url("health_edit", jc.pk), {"health-diagnosis": "Ændret"})
    assert forbidden.status_code == 403
    assert HealthInfo.objects.get().diagnosis == "Hemmelig-F20"


def test_consultant_cannot_see_the_diagnosis(consultant_client, advisor):
    jc, _ = _full_person(advisor)
    assert "Hemmelig-F20" not in consultant_client.get(url("detail", jc.pk)).text


def test_manager_sees_and_edits_health(manager_client, advisor):
    jc, _ = _full_person(advisor)
    assert "Hemmelig-F20" in manager_client.get(url("detail", jc.pk)).text
    response = manager_client.post(
        url("health_edit", jc.pk),
        {"health-diagnosis": "Ny", "health-health_notes": "Noter"},
        **htmx_target("health"),
    )
    assert response.status_code == 200 and response.text.lstrip().startswith(
        '<section class="card health" id="health"'
    )
    assert HealthInfo.objects.get().diagnosis == "Ny"


def _add_rows(jc, advisor, n):
    for i in range(n):
        company = make_company()
        services.readiness_record(
            actor=advisor, job_customer=jc, area="housing", rating="calm", assessed_on=TODAY()
        )
        services.accommodation_record(actor=advisor, job_customer=jc, valid_from=TODAY())
        services.consent_give(actor=advisor, job_customer=jc, company=company, given_on=TODAY())
        services.contact_note_create(
            actor=advisor, job_customer=jc, kind="phone", text=f"Note {i}", company=company
        )
        services.task_create(actor=advisor, job_customer=jc, title=f"Opgave {i}")
        placement = make_placement(job_customer=jc, company=company)
        FollowUp.objects.create(
            placement=placement,
            job_customer=jc,
            kind=FollowUp.Kind.MONTH_3,
            months=3,
            due_on=TODAY(),
            window_start=TODAY(),
            window_end=TODAY(),
        )


# The job customer's page may make at most this many queries, whatever the data size (issue 9,
# `varig bench` at national scale). It made 26 before issue 9; 19 after it with every card
# filled (this test: a plan with goals and reviewed sessions adds 2). Other apps' sections
# (core/sections.py) may add 1-2 each, within this.
PERSON_PAGE_MAX_QUERIES = PAGE_MAX_QUERIES


def _add_plan_and_more(jc, advisor, n):
    """Rows of every other kind the page shows: plan, goals, guidance sessions with reviews,
    warnings open and closed, periods, celebrations and shares."""
    from varig.alerts.tests.factories import make_flag, make_period
    from varig.core.tests.factories import make_user
    from varig.placements.models import Celebration

    services.plan_update(actor=advisor, job_customer=jc, own_words="Et job med dyr.")
    for i in range(n):
        goal = services.goal_create(actor=advisor, job_customer=jc, title=f"Mål {i}")
        services.guidance_session_record(
            actor=advisor,
            job_customer=jc,
            held_on=TODAY() - datetime.timedelta(days=i),
            topic=f"Samtale {i}",
            reviews=[(goal, goal.status, "")],
        )
        make_flag(job_customer=jc, key=f"open:{jc.pk}:{i}")
        make_flag(job_customer=jc, key=f"closed:{jc.pk}:{i}", lapsed_on=TODAY())
        make_period(
            job_customer=jc,
            started_on=TODAY() - datetime.timedelta(days=300 - 10 * i),
            ended_on=TODAY() - datetime.timedelta(days=295 - 10 * i),
        )
        placement = jc.placements.order_by("pk")[i]  # _add_rows made one per company
        Celebration.objects.create(
            job_customer=jc,
            company=placement.company,
            years=2,
            anniversary_on=TODAY(),
            employed_since=TODAY() - datetime.timedelta(days=730),
        )
        make_share(job_customer=jc, user=make_user(role=Role.ADVISOR))


def test_detail_query_count_does_not_grow_with_rows(advisor_client, advisor):
    one = make_job_customer(advisor=advisor)
    many = make_job_customer(advisor=advisor)
    _add_rows(one, advisor, 1)
    _add_rows(many, advisor, 25)
    _add_plan_and_more(one, advisor, 1)
    _add_plan_and_more(many, advisor, 25)
    services.health_update(actor=advisor, job_customer=one, diagnosis="A")
    services.health_update(actor=advisor, job_customer=many, diagnosis="B")
    advisor_client.get(url("detail", one.pk))  # warm caches
    counts = []
    for person in (one, many):
        with CaptureQueriesContext(connection) as ctx:
            response = advisor_client.get(url("detail", person.pk))
        assert response.status_code == 200
        assert "Et job med dyr." in response.text and "Samtale 0" in response.text
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= PERSON_PAGE_MAX_QUERIES, (
        f"the job customer's page made {counts[0]} queries; its budget is "
        f"{PERSON_PAGE_MAX_QUERIES} whatever the data size (issue 9). A section may cost 1-2."
    )


def test_timeline_paginates_by_20_with_htmx(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    base = timezone.now() - datetime.timedelta(days=30)
    for i in range(21):
        services.contact_note_create(
            actor=advisor,
            job_customer=jc,
            kind="note",
            text=f"Note nr. {i:02d}",
            occurred_at=base + datetime.timedelta(hours=i),
        )
    first = advisor_client.get(url("detail", jc.pk))
    assert "Note nr. 20" in first.text and "Note nr. 00" not in first.text  # newest first
    assert 'hx-target="#timeline"' in first.text
    second = advisor_client.get(url("detail", jc.pk, page=2), **htmx_target("timeline"))
    assert second.status_code == 200
    assert second.text.lstrip().startswith('<section class="card" id="timeline"')
    assert (
        "<html" not in second.text
        and "Note nr. 00" in second.text
        and "Note nr. 20" not in second.text
    )


# --- the cards' forms ---------------------------------------------------------------------------


def test_readiness_add_htmx_returns_the_card(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    data = {
        "readiness-area": "finances",
        "readiness-rating": "attention",
        "readiness-assessed_on": TODAY().strftime("%d-%m-%Y"),
    }
    response = advisor_client.post(url("readiness_add", jc.pk), data, **htmx_target("readiness"))
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="card" id="readiness"')
    assert ReadinessAssessment.objects.get().rating == "attention"


def test_readiness_add_bad_date_shows_error_in_the_card(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    data = {
        "readiness-area": "finances",
        "readiness-rating": "calm",
        "readiness-assessed_on": "30-02-2025",
    }
    response = advisor_client.post(url("readiness_add", jc.pk), data, **htmx_target("readiness"))
    assert response.status_code == 200  # htmx swaps only 2xx
    assert 'id="id_readiness-assessed_on_error"' in response.text
    assert "<details open" in response.text
    plain = advisor_client.post(url("readiness_add", jc.pk), data)
    assert plain.status_code == 400 and "<html" in plain.text
    assert not ReadinessAssessment.objects.exists()


def test_plain_post_redirects_back_to_the_card(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    data = {
        "readiness-area": "network",
        "readiness-rating": "calm",
        "readiness-assessed_on": TODAY().isoformat(),
    }
    response = advisor_client.post(url("readiness_add", jc.pk), data)
    assert (
        response.status_code == 302 and response["Location"] == url("detail", jc.pk) + "#readiness"
    )


def test_job_wishes_edit(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    data = {
        "wishes-wished_jobs": "Boghandel",
        "wishes-wished_industries": "Detail",
        "wishes-wished_hours_per_week": "12",
        "wishes-preferred_job_type": "development",
        "wishes-dream_job": "Egen boghandel",
    }
    response = advisor_client.post(url("job_wishes_edit", jc.pk), data, **htmx_target("wishes"))
    assert response.status_code == 200 and "Egen boghandel" in response.text
    bad = advisor_client.post(
        url("job_wishes_edit", jc.pk),
        {**data, "wishes-wished_hours_per_week": "60", "wishes-dream_job": "Ændret"},
        **HTMX,
    )
    assert str(services.HOURS_PER_WEEK_RANGE) in bad.text
    assert JobWishes.objects.get().dream_job == "Egen boghandel"


def test_accommodation_add_new_version(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    data = {
        "accommodation-valid_from": TODAY().strftime("%d-%m-%Y"),
        "accommodation-max_hours_per_week": "15",
        "accommodation-max_hours_per_day": "4",
        "accommodation-fixed_contact_person": "on",
        "accommodation-employer_text": "Rolige omgivelser",
    }
    response = advisor_client.post(url("accommodation_add", jc.pk), data, **HTMX)
    assert response.status_code == 200 and "Rolige omgivelser" in response.text
    bad = advisor_client.post(
        url("accommodation_add", jc.pk), {**data, "accommodation-max_hours_per_week": "0"}, **HTMX
    )
    assert str(services.HOURS_PER_WEEK_RANGE) in bad.text
    assert Accommodation.objects.count() == 1


def test_consent_add_and_withdraw(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    company = make_company(name="Lagerhuset A/S")
    data = {
        "consent-company": company.pk,
        "consent-may_contact": "on",
        "consent-share_accommodations": "on",
        "consent-given_on": TODAY().strftime("%d-%m-%Y"),
    }
    response = advisor_client.post(url("consent_add", jc.pk), data, **htmx_target("consents"))
    assert response.status_code == 200 and "Lagerhuset A/S" in response.text
    consent = Consent.objects.get()
    assert consent.may_contact and not consent.share_work_situation
    bad = advisor_client.post(
        url("consent_withdraw", jc.pk, consent.pk), {"withdrawn_on": "01-01-2000"}, **HTMX
    )
    assert str(services.WITHDRAWN_BEFORE_GIVEN) in bad.text
    done = advisor_client.post(
        url("consent_withdraw", jc.pk, consent.pk),
        {"withdrawn_on": TODAY().strftime("%d-%m-%Y")},
        **HTMX,
    )
    assert done.status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY()


def test_consent_add_unknown_company_saves_nothing(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    response = advisor_client.post(
        url("consent_add", jc.pk), {"consent-company": 999999, "consent-given_on": "01-01-2025"}
    )
    assert response.status_code == 400 and response.context["consent_form"].errors["company"]
    assert not Consent.objects.exists()


def test_consent_withdraw_of_another_persons_consent_is_404(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    consent = make_consent()
    response = advisor_client.post(
        url("consent_withdraw", jc.pk, consent.pk), {"withdrawn_on": "01-01-2025"}
    )
    assert response.status_code == 404


def _note(company=None, **extra):
    data = {
        "note-kind": "phone",
        "note-occurred_on": TODAY().strftime("%d-%m-%Y"),
        "note-text": "Ringede til virksomheden",
    }
    if company:
        data["note-company"] = company.pk
    data.update(extra)
    return data


def test_note_add_htmx(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    response = advisor_client.post(url("note_add", jc.pk), _note(), **htmx_target("timeline"))
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="card" id="timeline"')
    assert "Ringede til virksomheden" in response.text


def test_note_with_company_without_consent_is_refused_beside_the_company(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    company = make_company()
    make_placement(job_customer=jc, company=company)  # listed in the form, but no consent
    response = advisor_client.post(url("note_add", jc.pk), _note(company), **HTMX)
    assert response.status_code == 200
    assert 'id="id_note-company_error"' in response.text
    assert str(services.CONSENT_REQUIRED) in response.text
    assert not ContactNote.objects.exists()


def test_note_with_override_is_saved_badged_and_audited(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    company = make_company()
    response = advisor_client.post(
        url("note_add", jc.pk),
        _note(company, **{"note-consent_override_reason": "Personen bad om det"}),
        **HTMX,
    )
    assert response.status_code == 200
    note = ContactNote.objects.get()
    assert note.consent_override_reason == "Personen bad om det"
    assert "badge-alert" in response.text and "Personen bad om det" in response.text
    entry = LogEntry.objects.get(additional_data__has_key="consent_override")
    assert entry.actor == advisor


def test_note_with_consent_is_saved(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    company = make_company()
    make_consent(job_customer=jc, company=company)
    response = advisor_client.post(url("note_add", jc.pk), _note(company))
    assert response.status_code == 302
    assert ContactNote.objects.get().company == company


def test_note_bad_date_saves_nothing(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    response = advisor_client.post(
        url("note_add", jc.pk), _note(**{"note-occurred_on": "31-04-2025"})
    )
    assert response.status_code == 400
    assert response.context["note_form"].errors["occurred_on"]
    assert not ContactNote.objects.exists()


def test_task_add_and_done_htmx(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    response = advisor_client.post(
        url("task_add", jc.pk),
        {"task-title": "Ring til jobcentret", "task-due_on": "01-12-2030"},
        **htmx_target("tasks"),
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="card" id="tasks"')
    task = Task.objects.get()
    assert task.assigned_to == advisor and task.due_on == datetime.date(2030, 12, 1)
    done = advisor_client.post(url("task_done", jc.pk, task.pk), **htmx_target("tasks"))
    assert done.status_code == 200 and "Ring til jobcentret" not in done.text
    task.refresh_from_db()
    assert task.done_at is not None


def test_task_add_without_title_saves_nothing(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    response = advisor_client.post(url("task_add", jc.pk), {"task-title": ""})
    assert response.status_code == 400 and not Task.objects.exists()


def test_pages_follow_the_users_language(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    assert "Skånehensyn" in advisor_client.get(url("detail", jc.pk)).text
    advisor.language = "en"
    advisor.save()
    text = advisor_client.get(url("detail", jc.pk)).text
    assert "Accommodations" in text and "Skånehensyn" not in text
    assert "New job customer" in advisor_client.get(url("list")).text


def test_list_keeps_the_sorting_when_filters_change(manager_client):
    text = manager_client.get(url("list", sort="-ref"), **htmx_target("results")).text
    assert '<input type="hidden" name="sort" value="-ref" form="caseload-filters">' in text


def _select(html: str, name: str) -> str:
    select = html[html.index(f'<select name="{name}"') :]
    return select[: select.index("</select>")]


@pytest.mark.parametrize("name", ["consent-company", "note-company"])
def test_company_pickers_offer_the_connected_companies_not_every_company(
    advisor_client, advisor, name
):
    """With many companies the consent and note forms list only the connected ones; any
    other company is found with the picker's search."""
    jc = make_job_customer(advisor=advisor)
    for _ in range(200):
        make_company()
    consented = make_company(name="Forbundet ApS")
    make_consent(job_customer=jc, company=consented)
    placed = make_company(name="Praktiksted ApS")
    make_placement(job_customer=jc, company=placed)
    make_company(name="Fremmed A/S")
    form_name = {"consent-company": "consent_form", "note-company": "note_form"}[name]
    html = advisor_client.get(url("detail", jc.pk, open=form_name)).text
    select = _select(html, name)
    assert select.count("<option") == 3  # the empty option and the two connected companies
    assert "Forbundet ApS" in select and "Praktiksted ApS" in select
    assert "Fremmed A/S" not in html
    assert f'id="id_{name}_search"' in html


def test_consent_form_shows_the_chosen_company_again_after_an_error(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    for _ in range(200):
        make_company()
    chosen = make_company(name="Valgt ApS")
    response = advisor_client.post(
        url("consent_add", jc.pk),
        {"consent-company": chosen.pk, "consent-given_on": "31-02-2025"},
    )
    assert response.status_code == 400
    assert response.context["consent_form"].errors["given_on"]
    select = _select(response.text, "consent-company")
    assert select.count("<option") == 2
    assert f'<option value="{chosen.pk}" selected>Valgt ApS</option>' in select
    assert not Consent.objects.exists()


def test_note_form_shows_the_chosen_company_again_after_an_error(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    for _ in range(200):
        make_company()
    chosen = make_company(name="Valgt ApS")
    response = advisor_client.post(url("note_add", jc.pk), _note(chosen, **{"note-text": ""}))
    assert response.status_code == 400
    select = _select(response.text, "note-company")
    assert select.count("<option") == 2
    assert f'<option value="{chosen.pk}" selected>Valgt ApS</option>' in select


def test_consent_and_note_accept_a_company_not_among_the_options(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    for _ in range(200):
        make_company()
    found = make_company(name="Fundet Ved Søgning ApS")
    assert "Fundet Ved Søgning" not in advisor_client.get(url("detail", jc.pk)).text
    response = advisor_client.post(
        url("consent_add", jc.pk),
        {
            "consent-company": found.pk,
            "consent-may_contact": "on",
            "consent-given_on": TODAY().strftime("%d-%m-%Y"),
        },
    )
    assert response.status_code == 302
    assert Consent.objects.get().company == found
    response = advisor_client.post(url("note_add", jc.pk), _note(found))
    assert response.status_code == 302
    assert ContactNote.objects.get().company == found


def test_htmx_history_restore_gets_the_whole_page(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    restore = {**HTMX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
    listing = advisor_client.get(url("list", page=1), **restore)
    assert "<html" in listing.text and listing["Vary"].count("HX-Request") == 1
    detail = advisor_client.get(url("detail", jc.pk), **{**restore, "HTTP_HX_TARGET": "timeline"})
    assert "<html" in detail.text


# --- Forms built when opened (issue 9) ----------------------------------------------------------


def test_the_page_builds_no_form_until_one_is_opened(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    response = advisor_client.get(url("detail", jc.pk))
    for name in ("task", "readiness", "wishes", "accommodation", "consent", "health", "note"):
        assert response.context[f"{name}_form"] is None
        assert f'name="{name}-' not in response.text, name
        # htmx fetches the form when the <details> opens; a link does without JavaScript
        assert f'hx-get="{url("detail", jc.pk)}?open={name}_form"' in response.text
        assert f'href="{url("detail", jc.pk)}?open={name}_form#' in response.text
    assert 'name="share-user"' not in response.text
    assert 'hx-trigger="toggle once"' in response.text


def test_an_opened_form_comes_back_on_its_card(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    response = advisor_client.get(
        url("detail", jc.pk, open="readiness_form"), **htmx_target("readiness")
    )
    assert response.status_code == 200
    text = response.text.lstrip()
    assert text.startswith('<section class="card" id="readiness"')
    assert "<details open" in text and 'name="readiness-area"' in text
    assert f'action="{url("readiness_add", jc.pk)}"' in text
    assert "<html" not in text


def test_without_javascript_the_link_opens_the_page_with_the_form(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    response = advisor_client.get(url("detail", jc.pk, open="note_form"))
    assert "<html" in response.text and 'name="note-text"' in response.text
    assert response.context["open_form"] == "note_form"
    assert response.context["task_form"] is None


def test_the_share_form_opens_on_the_shares_card(advisor_client, advisor, other_advisor):
    jc = make_job_customer(advisor=advisor)
    response = advisor_client.get(url("detail", jc.pk, open="share_form"), **htmx_target("shares"))
    text = response.text.lstrip()
    assert text.startswith('<section class="card" id="shares"')
    assert 'name="share-user"' in text and other_advisor.name in text


def test_an_opened_form_still_follows_the_rules(client_for, consultant, advisor, other_advisor):
    jc = make_job_customer(advisor=advisor)
    make_share(job_customer=jc, user=other_advisor)
    colleague = client_for(other_advisor)  # may edit, may not see health, may not share
    assert colleague.get(url("detail", jc.pk, open="health_form")).context["health_form"] is None
    assert colleague.get(url("detail", jc.pk, open="share_form")).context["share_form"] is None
    assert colleague.get(url("detail", jc.pk, open="task_form")).context["task_form"] is not None
    make_share(job_customer=jc, user=consultant)
    reader = client_for(consultant)  # reads only
    assert reader.get(url("detail", jc.pk, open="task_form")).context["task_form"] is None
    assert reader.get(url("detail", jc.pk, open="bogus")).context["open_form"] is None
