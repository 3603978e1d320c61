"""The admin-help pages through the test client: whole and as htmx fragments, access, bad
input, stale edits, query counts, the card on the person's page and the section on I dag."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from varig.adminhelp.models import AdminTask, ChecklistItem, TaskKind, TaskStatus
from varig.core.services import STALE_EDIT
from varig.customers.tests.factories import make_job_customer, make_share

from .factories import make_admin_task, make_due_task

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"adminhelp:{name}", args=args)


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _dk(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


@pytest.fixture
def person(advisor):
    return make_job_customer(advisor=advisor, first_name="Mette", last_name="Holm")


@pytest.fixture
def task(person):
    return make_admin_task(job_customer=person, kind=TaskKind.HOUSING_BENEFIT)


def _count(client, path, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **extra)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _same_count(client, path, grow, bound=20, **extra):
    client.get(path, **extra)  # warm caches (session, content types)
    one = _count(client, path, **extra)
    grow()
    many = _count(client, path, **extra)
    assert one == many, (one, many)
    assert many <= bound, many
    return many


# --- Whole pages and fragments ------------------------------------------------------------------


def test_pages_answer_whole_and_as_their_fragment(advisor_client, person, task):
    for path, region in [
        (url("person_tasks", person.pk), 'id="page"'),
        (url("create", person.pk), 'id="page"'),
        (url("detail", task.pk), 'id="page"'),
        (url("edit", task.pk), 'id="page"'),
    ]:
        page = advisor_client.get(path)
        fragment = advisor_client.get(path, **HTMX)
        assert page.status_code == fragment.status_code == 200, path
        assert "<html" in page.text and "<html" not in fragment.text, path
        assert region in page.text and fragment.text.lstrip().startswith(f"<div {region}"), path
        assert page["Vary"] and "HX-Request" in page["Vary"]


def test_anonymous_is_sent_to_login(client, person, task):
    item = task.items.first()
    for method, path in [
        ("get", url("person_tasks", person.pk)),
        ("get", url("person_section", person.pk)),
        ("get", url("create", person.pk)),
        ("get", url("detail", task.pk)),
        ("get", url("edit", task.pk)),
        ("post", url("status", task.pk)),
        ("post", url("item", item.pk)),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 302 and "/login/" in response["Location"], path
    assert not ChecklistItem.objects.filter(done_at__isnull=False).exists()


def test_another_advisor_is_refused_everywhere(client_for, other_advisor, person, task):
    client = client_for(other_advisor)
    item = task.items.first()
    for method, path, data in [
        ("get", url("person_tasks", person.pk), {}),
        ("get", url("person_section", person.pk), {}),
        ("get", url("create", person.pk), {}),
        ("post", url("create", person.pk), {"kind": "tax", "due_on": _dk(_days(3))}),
        ("get", url("detail", task.pk), {}),
        ("get", url("edit", task.pk), {}),
        ("post", url("status", task.pk), {"status": "done", "version": 1}),
        ("post", url("item", item.pk), {"done": "1"}),
    ]:
        assert getattr(client, method)(path, data).status_code == 403, path
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and AdminTask.objects.count() == 1
    assert not ChecklistItem.objects.filter(done_at__isnull=False).exists()


def test_unknown_task_and_item_are_404(advisor_client):
    assert advisor_client.get(url("detail", 999999)).status_code == 404
    assert advisor_client.post(url("item", 999999), {"done": "1"}).status_code == 404


def test_a_consultant_reads_a_shared_person_but_cannot_change(client_for, consultant, person, task):
    make_share(job_customer=person, user=consultant)
    client = client_for(consultant)
    page = client.get(url("detail", task.pk))
    assert page.status_code == 200
    assert "Sæt flueben" not in page.text and url("edit", task.pk) not in page.text
    assert client.get(url("edit", task.pk)).status_code == 403
    assert client.post(url("item", task.items.first().pk), {"done": "1"}).status_code == 403


# --- Creating -----------------------------------------------------------------------------------


def test_create_form_offers_every_kind_with_its_purpose(advisor_client, person):
    text = advisor_client.get(url("create", person.pk) + "?kind=tax").text
    for label in (
        "Boligstøtte: meld den nye indtægt",
        "Processen mod fleksjob",
        "Kontakt til pensionskassen",
    ):
        assert label in text
    assert 'value="tax" id="id_kind_4" required checked' in text
    assert "forskudsopgørelsen" in text  # the kind's purpose beside it
    assert _dk(_days(14)) in text  # the default due date


def test_create_makes_the_task_and_goes_to_its_page(advisor_client, advisor, person):
    response = advisor_client.post(
        url("create", person.pk),
        {
            "kind": "housing_benefit",
            "due_on": _dk(_days(10)),
            "responsible": advisor.pk,
            "notes": "Ny løn",
        },
    )
    task = AdminTask.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", task.pk)
    assert (task.kind, task.due_on, task.responsible, task.notes) == (
        "housing_benefit",
        _days(10),
        advisor,
        "Ny løn",
    )
    page = advisor_client.get(response["Location"]).text
    assert "Opgaven er oprettet med sin tjekliste." in page
    assert "Meld den nye indtægt til Udbetaling Danmark (boligstøtte)" in page
    assert "0 af 6 klaret" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"due_on": "30-02-2026"}, "due_on", "Indtast en gyldig dato."),
        ({"due_on": "31-12-2020"}, "due_on", "Fristen kan ikke ligge før i dag."),
        ({"due_on": ""}, "due_on", "Skriv datoen for opgavens frist."),
        ({"kind": "lottery"}, "kind", "Vælg, hvad opgaven drejer sig om."),
        ({"responsible": "999999"}, "responsible", ""),
    ],
)
def test_bad_input_is_refused_beside_the_field(
    advisor_client, advisor, person, data, field, message
):
    post = {"kind": "tax", "due_on": _dk(_days(3)), "responsible": advisor.pk, **data}
    response = advisor_client.post(url("create", person.pk), post)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    if message:
        assert message in response.text
    assert not AdminTask.objects.exists()


# --- The task's page: ticking, status, editing --------------------------------------------------


def test_ticking_with_htmx_returns_the_checklist(advisor_client, advisor, task):
    first, second = task.items.order_by("position")[:2]
    response = advisor_client.post(url("item", first.pk), {"done": "1"}, **HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="card" id="checklist"')
    assert "1 af 6 klaret" in response.text and "Afkrydset af Vera Vejleder" in response.text
    assert "5 punkter er ikke krydset af endnu." in response.text  # the hint moves with it
    first.refresh_from_db()
    assert first.done_by == advisor
    # Without htmx: back to the page.
    response = advisor_client.post(url("item", second.pk), {"done": "1"})
    assert response.status_code == 302 and response["Location"] == url("detail", task.pk)
    response = advisor_client.post(url("item", first.pk), {"done": "0"}, **HTMX)
    assert "1 af 6 klaret" in response.text
    assert ChecklistItem.objects.filter(done_at__isnull=False).get() == second


def test_ticking_a_closed_task_says_so(advisor_client, task):
    AdminTask.objects.filter(pk=task.pk).update(status=TaskStatus.DONE)
    response = advisor_client.post(url("item", task.items.first().pk), {"done": "1"}, **HTMX)
    assert response.status_code == 200  # htmx swaps only a 2xx answer
    assert "Opgaven er klaret eller annulleret" in response.text
    response = advisor_client.post(url("item", task.items.first().pk), {"done": "1"})
    assert response.status_code == 400
    assert not ChecklistItem.objects.filter(done_at__isnull=False).exists()


def test_status_buttons_move_the_task(advisor_client, task):
    page = advisor_client.get(url("detail", task.pk)).text
    assert "Venter på myndigheden" in page and "Markér som klaret" in page
    response = advisor_client.post(
        url("status", task.pk), {"status": "done", "version": task.version}
    )
    assert response.status_code == 302
    page = advisor_client.get(response["Location"]).text
    assert "Opgaven er nu: Klaret." in page and "Åbn igen" in page and "Sæt flueben" not in page
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.closed_at is not None


def test_a_stale_status_change_is_refused_on_the_page(advisor_client, client_for, manager, task):
    client_for(manager).post(url("status", task.pk), {"status": "cancelled", "version": 1})
    response = advisor_client.post(url("status", task.pk), {"status": "done", "version": 1})
    assert response.status_code == 400
    assert str(STALE_EDIT) in response.text
    assert "Lone Leder" in response.text
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED


def test_edit_saves_and_a_stale_edit_is_refused(advisor_client, client_for, manager, advisor, task):
    shown = task.version
    data = {"due_on": _dk(_days(5)), "responsible": advisor.pk, "notes": "Ringet", "version": shown}
    assert client_for(manager).post(url("edit", task.pk), data).status_code == 302
    data["notes"] = "Min version"
    response = advisor_client.post(url("edit", task.pk), data)
    assert response.status_code == 400
    assert "Lone Leder" in response.text
    task.refresh_from_db()
    assert task.notes == "Ringet" and task.version == shown + 1


def test_edit_refuses_an_impossible_date(advisor_client, advisor, task):
    data = {"due_on": "32-01-2027", "responsible": advisor.pk, "notes": "", "version": task.version}
    response = advisor_client.post(url("edit", task.pk), data)
    assert response.status_code == 400 and response.context["form"].errors["due_on"]
    assert AdminTask.objects.get(pk=task.pk).version == task.version


def test_the_pages_write_audit_entries_with_the_actor(advisor_client, advisor, person):
    advisor_client.post(
        url("create", person.pk),
        {"kind": "tax", "due_on": _dk(_days(4)), "responsible": advisor.pk},
    )
    task = AdminTask.objects.get()
    advisor_client.post(url("item", task.items.first().pk), {"done": "1"}, **HTMX)
    advisor_client.post(url("status", task.pk), {"status": "waiting", "version": 1})
    entries = list(LogEntry.objects.get_for_object(task)) + list(
        LogEntry.objects.get_for_object(task.items.first())
    )
    assert len(entries) == 3 and all(e.actor == advisor for e in entries)


# --- Query counts -------------------------------------------------------------------------------


def test_list_and_detail_cost_the_same_with_1_and_25_tasks(advisor_client, advisor, person, task):
    def grow():
        for n in range(24):
            t = make_admin_task(job_customer=person, kind=TaskKind.values[n % 6])
            for item in t.items.all()[:2]:
                item.done_at, item.done_by = timezone.now(), advisor
                item.save()

    _same_count(advisor_client, url("person_tasks", person.pk), grow)
    _same_count(advisor_client, url("person_section", person.pk), lambda: None)


def test_detail_costs_the_same_with_no_and_all_steps_ticked(
    advisor_client, advisor, other_advisor, task
):
    def tick():
        for n, item in enumerate(task.items.all()):
            item.done_at, item.done_by = timezone.now(), advisor if n % 2 else other_advisor
            item.save()

    _same_count(advisor_client, url("detail", task.pk), tick)


def test_card_costs_the_same_with_1_and_25_tasks(advisor_client, person, task):
    _same_count(
        advisor_client,
        url("person_section", person.pk),
        lambda: [make_admin_task(job_customer=person) for _ in range(24)],
    )


# --- The card on the job customer's page --------------------------------------------------------


def test_the_person_page_has_a_card_that_loads_itself_without_a_query(advisor_client, person, task):
    path = reverse("customers:detail", args=[person.pk])
    with CaptureQueriesContext(connection) as ctx:
        page = advisor_client.get(path).text
    assert not [q["sql"] for q in ctx.captured_queries if "adminhelp" in q["sql"]]
    assert f'hx-get="{url("person_section", person.pk)}"' in page
    assert f'href="{url("person_tasks", person.pk)}"' in page  # a real link for no-script use
    card = advisor_client.get(url("person_section", person.pk)).text
    assert "Boligstøtte: meld den nye indtægt" in card and "0 af 6 klaret" in card
    assert url("create", person.pk) in card


def test_the_card_counts_closed_tasks(advisor_client, person, task):
    AdminTask.objects.filter(pk=task.pk).update(status=TaskStatus.DONE)
    card = advisor_client.get(url("person_section", person.pk)).text
    assert "Ingen åbne myndighedsopgaver." in card and "1 lukket" in card


# --- "I dag" ------------------------------------------------------------------------------------

TODAY_URL = reverse("core:today")


def test_i_dag_lists_my_due_and_overdue_tasks_only(advisor_client, advisor, other_advisor, person):
    other = make_job_customer(advisor=other_advisor, first_name="Hans", last_name="Berg")
    make_due_task(job_customer=person, responsible=advisor, due_on=_days(0))
    make_due_task(job_customer=person, responsible=advisor, due_on=_days(-5), status="waiting")
    make_due_task(job_customer=person, responsible=advisor, due_on=_days(1))  # not yet due
    make_due_task(job_customer=person, responsible=advisor, due_on=_days(-2), status="done")
    make_due_task(job_customer=other, responsible=other_advisor, due_on=_days(-1))
    page = advisor_client.get(TODAY_URL).text
    assert "Myndighedsopgaver med frist nu" in page
    section = page[page.index('id="today-adminhelp"') :]
    section = section[: section.index("</section>")]
    assert section.count("<tr>") == 3  # the head and my two due ones
    assert "Mette Holm" in section and "Hans Berg" not in section
    assert "1 forsinket" in section


def test_i_dag_for_a_manager_shows_every_advisors_due_tasks(
    manager_client, advisor, other_advisor, person
):
    other = make_job_customer(advisor=other_advisor, first_name="Hans", last_name="Berg")
    make_due_task(job_customer=person, responsible=advisor, due_on=_days(0))
    make_due_task(job_customer=other, responsible=other_advisor, due_on=_days(-1))
    page = manager_client.get(TODAY_URL).text
    section = page[page.index('id="today-adminhelp"') :]
    assert "Mette Holm" in section and "Hans Berg" in section and "Ole Vejleder" in section
    filtered = manager_client.get(TODAY_URL, {"advisor": other_advisor.pk}).text
    assert (
        "Hans Berg" in filtered
        and "Mette Holm" not in filtered[filtered.index("today-adminhelp") :]
    )


def test_i_dag_has_no_section_when_nothing_is_due(advisor_client, person, task):
    assert 'id="today-adminhelp"' not in advisor_client.get(TODAY_URL).text


@pytest.mark.parametrize("who", ["advisor", "manager", "consultant"])
def test_i_dag_section_costs_the_same_with_1_and_25_due_tasks(
    client_for, advisor, manager, consultant, person, who
):
    user = {"advisor": advisor, "manager": manager, "consultant": consultant}[who]
    make_due_task(job_customer=person, responsible=advisor, due_on=_days(0))

    def grow():
        for n in range(24):
            make_due_task(job_customer=person, responsible=advisor, due_on=_days(-n))

    _same_count(client_for(user), TODAY_URL, grow)
    if who != "consultant":
        page = client_for(user).get(TODAY_URL).text
        assert "Viser de første 8 af 25." in page


@pytest.mark.parametrize("who", ["advisor", "manager", "consultant", "administrator"])
def test_i_dag_section_is_one_query_and_the_page_stays_in_budget(
    client_for, advisor, manager, consultant, administrator, person, who
):
    """The section owns one query (rows, total and overdue count together); I dag as a whole
    stays within its budget of 20 for every role."""
    user = {"advisor": advisor, "manager": manager, "consultant": consultant}.get(
        who, administrator
    )
    for n in range(25):
        make_due_task(job_customer=person, responsible=advisor, due_on=_days(-n))
    client = client_for(user)
    client.get(TODAY_URL)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(TODAY_URL).status_code == 200
    ours = [q["sql"] for q in ctx.captured_queries if "adminhelp_admintask" in q["sql"]]
    assert len(ours) == 1, ours
    assert len(ctx.captured_queries) <= 20


def test_the_page_says_how_many_steps_are_left_and_the_card_marks_overdue(
    advisor_client, advisor, person, task
):
    page = advisor_client.get(url("detail", task.pk)).text
    assert "6 punkter er ikke krydset af endnu." in page
    for item in task.items.all()[:5]:
        item.done_at, item.done_by = timezone.now(), advisor
        item.save()
    assert "1 punkt er ikke krydset af endnu." in advisor_client.get(url("detail", task.pk)).text
    AdminTask.objects.filter(pk=task.pk).update(due_on=_days(-2))
    card = advisor_client.get(url("person_section", person.pk)).text
    assert "forsinket" in card
