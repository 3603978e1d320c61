"""The individual plan: goals and sub-goals, the person's own words, guidance sessions."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from varig.core.services import STALE_EDIT
from varig.customers import services
from varig.customers.models import Goal, GoalReview, GoalStatus, GuidanceSession, Plan
from varig.customers.tests.factories import make_job_customer

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def today():
    return timezone.localdate()


def bookshop_plan(actor, job_customer):
    """The report's example: a bookshop job, and first any retail job for the experience."""
    goal = services.goal_create(
        actor=actor, job_customer=job_customer, title="Job i en boghandel", set_by="job_customer"
    )
    sub = services.goal_create(
        actor=actor,
        job_customer=job_customer,
        title="Først et job i en anden butik for erfaringens skyld",
        parent=goal,
        target_on=today() + datetime.timedelta(days=90),
    )
    return goal, sub


# --- services -----------------------------------------------------------------------------------


def test_goal_and_sub_goal_make_the_plan(advisor):
    jc = make_job_customer(advisor=advisor)
    goal, sub = bookshop_plan(advisor, jc)
    assert Plan.objects.get(job_customer=jc).goals.count() == 2
    assert sub.parent == goal and goal.set_by == "job_customer" and sub.set_by == "together"
    assert goal.recorded_by == advisor and sub.status == GoalStatus.NOT_STARTED
    assert LogEntry.objects.get_for_object(goal).exists()


def test_a_sub_goal_cannot_have_sub_goals(advisor):
    jc = make_job_customer()
    _goal, sub = bookshop_plan(advisor, jc)
    with pytest.raises(ValidationError) as exc:
        services.goal_create(actor=advisor, job_customer=jc, title="Tredje niveau", parent=sub)
    assert exc.value.message_dict["parent"] == [services.GOAL_PARENT_IS_SUB_GOAL]
    assert Goal.objects.count() == 2


def test_a_goal_with_sub_goals_cannot_become_a_sub_goal(advisor):
    jc = make_job_customer()
    goal, _sub = bookshop_plan(advisor, jc)
    other = services.goal_create(actor=advisor, job_customer=jc, title="Kørekort")
    with pytest.raises(ValidationError) as exc:
        services.goal_update(
            actor=advisor,
            goal=goal,
            title=goal.title,
            parent=other,
            status=goal.status,
            set_by=goal.set_by,
        )
    assert exc.value.message_dict["parent"] == [services.GOAL_HAS_SUB_GOALS]
    assert Goal.objects.get(pk=goal.pk).parent is None


def test_parent_must_be_in_the_same_plan_and_not_itself(advisor):
    mine, theirs = make_job_customer(), make_job_customer()
    their_goal = services.goal_create(actor=advisor, job_customer=theirs, title="Deres mål")
    with pytest.raises(ValidationError) as exc:
        services.goal_create(actor=advisor, job_customer=mine, title="Mit", parent=their_goal)
    assert exc.value.message_dict["parent"] == [services.GOAL_PARENT_OTHER_PLAN]
    with pytest.raises(ValidationError) as exc:
        services.goal_update(
            actor=advisor,
            goal=their_goal,
            title="x",
            parent=their_goal,
            status="in_progress",
            set_by="advisor",
        )
    assert exc.value.message_dict["parent"] == [services.GOAL_OWN_PARENT]


def test_goal_needs_a_title_and_the_edit_role(advisor, consultant):
    jc = make_job_customer()
    with pytest.raises(ValidationError) as exc:
        services.goal_create(actor=advisor, job_customer=jc, title="   ")
    assert exc.value.message_dict["title"] == [services.GOAL_TITLE_REQUIRED]
    with pytest.raises(PermissionDenied):
        services.goal_create(actor=consultant, job_customer=jc, title="Mål")
    assert not Goal.objects.exists()


def test_goal_update_refuses_another_persons_goal(advisor):
    goal = services.goal_create(actor=advisor, job_customer=make_job_customer(), title="Mål")
    with pytest.raises(ValidationError) as exc:
        services.goal_update(
            actor=advisor,
            goal=goal,
            job_customer=make_job_customer(),
            title="Ændret",
            status="achieved",
            set_by="advisor",
        )
    assert exc.value.messages == [services.WRONG_JOB_CUSTOMER]
    assert Goal.objects.get(pk=goal.pk).title == "Mål"


def test_plan_own_words_and_stale_edit(advisor, other_advisor):
    jc = make_job_customer()
    plan = services.plan_update(actor=advisor, job_customer=jc, own_words="  Jeg vil gerne ... ")
    assert plan.own_words == "Jeg vil gerne ..." and plan.version == 2
    services.plan_update(actor=other_advisor, job_customer=jc, own_words="Ny", expected_version=2)
    with pytest.raises(ValidationError) as exc:
        services.plan_update(actor=advisor, job_customer=jc, own_words="Gammel", expected_version=2)
    # The refusal, then what changed in the meantime (issue 7: no lost updates).
    assert exc.value.messages[0] == str(STALE_EDIT)
    assert "»Ny«" in exc.value.messages[1] and "»Gammel«" in exc.value.messages[1]
    assert Plan.objects.get(job_customer=jc).own_words == "Ny"


def test_guidance_session_reviews_goals_and_updates_their_status(advisor):
    jc = make_job_customer()
    goal, sub = bookshop_plan(advisor, jc)
    session = services.guidance_session_record(
        actor=advisor,
        job_customer=jc,
        held_on=today(),
        topic="Jobsøgning i detailhandlen",
        notes="Har søgt to job.",
        next_step="Ringe til Føtex",
        next_session_on=today() + datetime.timedelta(days=14),
        reviews=[(sub, GoalStatus.IN_PROGRESS, "Søger aktivt"), (goal, GoalStatus.NOT_STARTED, "")],
    )
    assert session.advisor == advisor
    assert set(session.reviews.values_list("goal__title", "status")) == {
        (sub.title, "in_progress"),
        (goal.title, "not_started"),
    }
    assert Goal.objects.get(pk=sub.pk).status == GoalStatus.IN_PROGRESS
    assert LogEntry.objects.get_for_object(Goal.objects.get(pk=sub.pk)).count() == 2


def test_guidance_session_bad_input_saves_nothing(advisor):
    jc = make_job_customer()
    foreign = services.goal_create(actor=advisor, job_customer=make_job_customer(), title="Andet")
    with pytest.raises(ValidationError) as exc:
        services.guidance_session_record(
            actor=advisor,
            job_customer=jc,
            held_on=today() + datetime.timedelta(days=1),
            topic="",
            next_session_on=today(),
            reviews=[(foreign, "achieved", "")],
        )
    errors = exc.value.message_dict
    assert errors["topic"] == [services.SESSION_TOPIC_REQUIRED]
    assert errors["held_on"] == [services.SESSION_IN_FUTURE]
    assert errors["next_session_on"] == [services.NEXT_SESSION_BEFORE]
    assert errors["__all__"] == [services.REVIEW_GOAL_OTHER_PLAN]
    assert not GuidanceSession.objects.exists() and not GoalReview.objects.exists()
    assert Goal.objects.get(pk=foreign.pk).status == "not_started"


# --- pages --------------------------------------------------------------------------------------


def url(name, *args):
    return reverse(f"customers:{name}", args=args)


def test_anonymous_users_are_sent_to_login(client):
    jc = make_job_customer()
    goal = services.goal_create(actor=None, job_customer=jc, title="Mål")
    for target in [
        url("plan", jc.pk),
        url("goal_create", jc.pk),
        url("goal_edit", jc.pk, goal.pk),
        url("guidance_list", jc.pk),
        url("guidance_create", jc.pk),
    ]:
        response = client.get(target)
        assert response.status_code == 302 and reverse("core:login") in response["Location"]


def test_job_customer_page_shows_the_plan_section(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    goal, sub = bookshop_plan(advisor, jc)
    services.plan_update(actor=advisor, job_customer=jc, own_words="Jeg elsker bøger")
    services.guidance_session_record(
        actor=advisor, job_customer=jc, held_on=today(), topic="Første samtale", next_step="CV"
    )
    text = advisor_client.get(url("detail", jc.pk)).text
    assert 'id="plan"' in text and "Indsatsplan" in text
    assert "Jeg elsker bøger" in text and goal.title in text and sub.title in text
    assert "Første samtale" in text and "CV" in text
    assert url("guidance_create", jc.pk) in text


def test_plan_page_full_and_htmx_and_save(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    bookshop_plan(advisor, jc)
    page = advisor_client.get(url("plan", jc.pk))
    assert page.status_code == 200 and "<html" in page.text and "Job i en boghandel" in page.text
    fragment = advisor_client.get(url("plan", jc.pk), **HTMX)
    assert fragment.text.lstrip().startswith('<div id="page"') and "<html" not in fragment.text
    response = advisor_client.post(url("plan", jc.pk), {"own_words": "Arbejde med bøger"})
    assert response.status_code == 302
    assert Plan.objects.get(job_customer=jc).own_words == "Arbejde med bøger"


def test_plan_page_refuses_a_stale_save(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    services.plan_update(actor=advisor, job_customer=jc, own_words="Først")  # version 2
    services.plan_update(actor=advisor, job_customer=jc, own_words="Anden")  # version 3
    response = advisor_client.post(url("plan", jc.pk), {"own_words": "Min", "version": "2"})
    assert response.status_code == 400 and "Dine ændringer blev ikke gemt" in response.text
    assert Plan.objects.get(job_customer=jc).own_words == "Anden"


def test_consultant_reads_the_plan_but_cannot_change_it(consultant_client, consultant):
    from varig.customers.tests.factories import make_share

    jc = make_job_customer()
    make_share(job_customer=jc, user=consultant)  # the advisor asked for help with a job
    services.goal_create(actor=None, job_customer=jc, title="Kørekort")
    page = consultant_client.get(url("plan", jc.pk))
    assert page.status_code == 200 and "Kørekort" in page.text
    assert url("goal_create", jc.pk) not in page.text
    assert consultant_client.post(url("plan", jc.pk), {"own_words": "x"}).status_code == 403
    assert consultant_client.get(url("goal_create", jc.pk)).status_code == 403
    assert consultant_client.get(url("guidance_create", jc.pk)).status_code == 403
    assert not Plan.objects.filter(own_words="x").exists()


def test_goal_form_creates_a_sub_goal_and_shows_errors_beside_fields(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    goal = services.goal_create(actor=advisor, job_customer=jc, title="Job i en boghandel")
    form = advisor_client.get(url("goal_create", jc.pk) + f"?parent={goal.pk}")
    assert form.status_code == 200 and f'<option value="{goal.pk}" selected>' in form.text
    assert (
        advisor_client.get(url("goal_create", jc.pk), **HTMX)
        .text.lstrip()
        .startswith('<div id="page"')
    )
    bad = advisor_client.post(
        url("goal_create", jc.pk),
        {"title": "", "status": "not_started", "set_by": "together", "target_on": "31-02-2027"},
    )
    assert bad.status_code == 400
    assert 'id="id_title_error">Dette felt er påkrævet.' in bad.text
    assert 'id="id_target_on_error">Skriv en gyldig dato som dd-mm-åååå.' in bad.text
    assert not Goal.objects.exclude(pk=goal.pk).exists()
    ok = advisor_client.post(
        url("goal_create", jc.pk),
        {
            "title": "Butiksjob først",
            "parent": goal.pk,
            "status": "in_progress",
            "set_by": "job_customer",
            "target_on": "01-03-2027",
        },
    )
    assert ok.status_code == 302
    sub = Goal.objects.get(title="Butiksjob først")
    assert sub.parent == goal and sub.target_on == datetime.date(2027, 3, 1)


def test_goal_edit_form(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    goal = services.goal_create(actor=advisor, job_customer=jc, title="Mål")
    assert advisor_client.get(url("goal_edit", jc.pk, goal.pk)).status_code == 200
    response = advisor_client.post(
        url("goal_edit", jc.pk, goal.pk),
        {"title": "Mål nået", "status": "achieved", "set_by": "advisor"},
    )
    assert response.status_code == 302
    assert Goal.objects.get(pk=goal.pk).status == "achieved"
    other = make_job_customer()
    assert advisor_client.get(url("goal_edit", other.pk, goal.pk)).status_code == 404


def test_guidance_form_records_the_session_with_reviews(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    goal, sub = bookshop_plan(advisor, jc)
    form = advisor_client.get(url("guidance_create", jc.pk))
    assert form.status_code == 200 and sub.title in form.text
    response = advisor_client.post(
        url("guidance_create", jc.pk),
        {
            "held_on": today().strftime("%d-%m-%Y"),
            "topic": "Opfølgning på jobsøgning",
            "notes": "Godt humør",
            "next_step": "Søge hos Matas",
            f"goal_{sub.pk}_status": "achieved",
            f"goal_{sub.pk}_comment": "Fik job i Netto",
        },
    )
    assert response.status_code == 302
    session = GuidanceSession.objects.get()
    assert session.reviews.get().goal == sub
    assert Goal.objects.get(pk=sub.pk).status == "achieved"
    assert Goal.objects.get(pk=goal.pk).status == "not_started"  # not reviewed, not changed
    listing = advisor_client.get(url("guidance_list", jc.pk))
    assert "Opfølgning på jobsøgning" in listing.text and "Fik job i Netto" in listing.text


def test_guidance_form_bad_input(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    future = (today() + datetime.timedelta(days=3)).strftime("%d-%m-%Y")
    response = advisor_client.post(url("guidance_create", jc.pk), {"held_on": future, "topic": "x"})
    assert response.status_code == 400
    assert "En vejledningssamtale kan ikke registreres, før den er holdt." in response.text
    assert not GuidanceSession.objects.exists()


def test_guidance_list_paginates_and_htmx(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    for i in range(21):
        services.guidance_session_record(
            actor=advisor,
            job_customer=jc,
            held_on=today() - datetime.timedelta(days=i),
            topic=f"Samtale nr. {i:02d}",
        )
    first = advisor_client.get(url("guidance_list", jc.pk))
    assert "Samtale nr. 00" in first.text and "Samtale nr. 20" not in first.text
    second = advisor_client.get(url("guidance_list", jc.pk) + "?page=2", **HTMX)
    assert second.text.lstrip().startswith('<div id="page"') and "Samtale nr. 20" in second.text


def _fill(jc, advisor, n):
    for i in range(n):
        goal = services.goal_create(actor=advisor, job_customer=jc, title=f"Mål {i}")
        services.goal_create(actor=advisor, job_customer=jc, title=f"Delmål {i}", parent=goal)
        services.guidance_session_record(
            actor=advisor,
            job_customer=jc,
            held_on=today(),
            topic=f"Samtale {i}",
            reviews=[(goal, "in_progress", "")],
        )


@pytest.mark.parametrize(
    "name", ["plan", "guidance_list", "guidance_create", "goal_create", "detail"]
)
def test_plan_pages_query_count_does_not_grow(advisor_client, advisor, name):
    one, many = make_job_customer(advisor=advisor), make_job_customer(advisor=advisor)
    _fill(one, advisor, 1)
    _fill(many, advisor, 25)
    advisor_client.get(url(name, one.pk))  # warm caches
    counts = []
    for person in (one, many):
        with CaptureQueriesContext(connection) as ctx:
            response = advisor_client.get(url(name, person.pk))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
