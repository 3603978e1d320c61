"""The earnings guide on a job customer's record: the card and its page, the calculator for
the person, saving, the saved calculation and its PDF, pension savings."""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from varig.core.services import STALE_EDIT
from varig.core.tests.pdf import pdf_page_count, pdf_text
from varig.customers.models import HealthInfo
from varig.customers.tests.factories import make_job_customer
from varig.earnings import services
from varig.earnings.models import PensionSaving, SavedCalculation
from varig.earnings.tests.factories import (
    TEST_YEAR,
    make_pension_saving,
    make_saved_calculation,
    make_year,
)
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = timezone.localdate()


@pytest.fixture
def person(advisor):
    return make_job_customer(
        advisor=advisor, first_name="Mette", last_name="Holm", municipality="Aarhus Kommune"
    )


@pytest.fixture
def rates():
    return make_year()


def answers(**overrides) -> dict:
    data = {
        "pension_rules": "after_2003",
        "year": str(TEST_YEAR),
        "civil_status": "single",
        "partner": "none",
        "hours_per_week": "15",
        "hourly_wage": "150",
        "working_weeks": "52",
        "other_income": "",
        "rent_per_month": "0",
        "children": "0",
        "municipality": "Aarhus",
    }
    data.update(overrides)
    return data


def text_of(response) -> str:
    return response.content.decode()


def count_queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- The card and the person's earnings page ----------------------------------------------------


def test_the_job_customers_page_has_a_card_that_loads_itself(advisor_client, person):
    response = advisor_client.get(reverse("customers:detail", args=[person.pk]))
    text = text_of(response)
    url = reverse("earnings:person", args=[person.pk])
    assert f'hx-get="{url}"' in text
    assert f'href="{url}"' in text  # a real link without script


def test_the_card_shows_the_newest_calculations_and_the_saving(
    advisor_client, advisor, person, rates
):
    for hours in (5, 10, 15, 20):
        make_saved_calculation(job_customer=person, actor=advisor, hours_per_week=Decimal(hours))
    make_pension_saving(job_customer=person, started_on=datetime.date(2025, 3, 1))
    response = advisor_client.get(reverse("earnings:person", args=[person.pk]), **HTMX)
    assert response.status_code == 200
    text = text_of(response)
    assert text.lstrip().startswith('<section class="card" id="earnings"')
    assert "<html" not in text
    assert text.count("saved-calculations") == 1
    assert text.count("/pdf/") == 3  # the newest three, each with its PDF
    assert 'muted">20 timer om ugen' in text and 'muted">5 timer om ugen' not in text
    assert "Vis alle 4" in text
    assert "01-03-2025" in text  # saving since
    assert reverse("earnings:person_calculator", args=[person.pk]) in text


def test_the_full_page_lists_every_calculation_and_the_saving_forms(
    advisor_client, advisor, person, rates
):
    for hours in (5, 10, 15, 20):
        make_saved_calculation(job_customer=person, actor=advisor, hours_per_week=Decimal(hours))
    make_pension_saving(job_customer=person)
    response = advisor_client.get(reverse("earnings:person", args=[person.pk]))
    assert response.status_code == 200
    text = text_of(response)
    assert "<html" in text
    assert 'muted">5 timer om ugen' in text and 'muted">20 timer om ugen' in text
    assert text.count("/pdf/") == 4
    assert reverse("earnings:pension_add", args=[person.pk]) in text
    saving = PensionSaving.objects.get()
    assert reverse("earnings:pension_stop", args=[person.pk, saving.pk]) in text
    assert reverse("earnings:pension_edit", args=[person.pk, saving.pk]) in text


def test_a_consultant_it_is_shared_with_reads_but_gets_no_forms(
    consultant_client, consultant, advisor, person, rates
):
    from varig.customers.models import CaseloadShare

    CaseloadShare.objects.create(job_customer=person, user=consultant, shared_by=advisor)
    make_pension_saving(job_customer=person)
    response = consultant_client.get(reverse("earnings:person", args=[person.pk]))
    assert response.status_code == 200
    assert reverse("earnings:pension_add", args=[person.pk]) not in text_of(response)


def test_another_advisors_person_is_refused(client_for, other_advisor, person, rates):
    saved = make_saved_calculation(job_customer=person)
    saving = make_pension_saving(job_customer=person)
    client = client_for(other_advisor)
    for url in (
        reverse("earnings:person", args=[person.pk]),
        reverse("earnings:person_calculator", args=[person.pk]),
        reverse("earnings:saved_detail", args=[person.pk, saved.pk]),
        reverse("earnings:saved_pdf", args=[person.pk, saved.pk]),
    ):
        assert client.get(url).status_code == 403, url
    for url in (
        reverse("earnings:calculation_save", args=[person.pk]),
        reverse("earnings:pension_add", args=[person.pk]),
        reverse("earnings:pension_stop", args=[person.pk, saving.pk]),
        reverse("earnings:pension_edit", args=[person.pk, saving.pk]),
    ):
        assert client.post(url, {"saving-started_on": "01-01-2025"}).status_code == 403, url
    assert SavedCalculation.objects.count() == 1
    assert PensionSaving.objects.get().stopped_on is None


def test_a_saved_calculation_of_another_person_is_not_found(advisor_client, advisor, rates):
    mine = make_job_customer(advisor=advisor)
    theirs = make_job_customer(advisor=advisor)
    saved = make_saved_calculation(job_customer=theirs)
    url = reverse("earnings:saved_detail", args=[mine.pk, saved.pk])
    assert advisor_client.get(url).status_code == 404
    assert advisor_client.get(url + "pdf/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, person):
    response = client.get(reverse("earnings:person", args=[person.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("htmx", [False, True])
def test_the_person_page_makes_the_same_queries_with_1_and_25_rows(
    advisor_client, advisor, person, rates, htmx
):
    extra = HTMX if htmx else {}
    url = reverse("earnings:person", args=[person.pk])
    make_saved_calculation(job_customer=person, actor=advisor)
    make_pension_saving(
        job_customer=person,
        started_on=datetime.date(2020, 1, 1),
        stopped_on=datetime.date(2020, 2, 1),
    )
    small = count_queries(advisor_client, url, **extra)
    for n in range(24):
        make_saved_calculation(job_customer=person, actor=advisor)
        make_pension_saving(
            job_customer=person,
            started_on=datetime.date(2021, 1, 1) + datetime.timedelta(days=10 * n),
            stopped_on=datetime.date(2021, 1, 5) + datetime.timedelta(days=10 * n),
        )
    assert count_queries(advisor_client, url, **extra) == small


# --- The calculator for the person --------------------------------------------------------------


def test_the_calculator_starts_from_the_record(advisor_client, person, rates):
    make_placement(
        job_customer=person,
        started_on=TODAY - datetime.timedelta(days=30),
        hours_per_week=Decimal(12),
        hourly_wage=Decimal("142.50"),
    )
    response = advisor_client.get(reverse("earnings:person_calculator", args=[person.pk]))
    assert response.status_code == 200
    text = text_of(response)
    assert "Mette Holm" in text
    assert 'value="12"' in text  # the job's hours
    assert 'value="142,5"' in text  # the job's wage, written the Danish way
    assert '<option value="Aarhus" selected>' in text  # "Aarhus Kommune" on the record


def test_a_calculation_for_the_person_offers_to_save_it(advisor_client, person, rates):
    url = reverse("earnings:person_calculator", args=[person.pk])
    response = advisor_client.get(url + "?" + urlencode(answers()))
    assert response.status_code == 200
    text = text_of(response)
    assert "5.583 kr." in text
    assert reverse("earnings:calculation_save", args=[person.pk]) in text
    assert 'type="hidden" name="hours_per_week" value="15"' in text
    fragment = advisor_client.get(url + "?" + urlencode(answers()), **HTMX)
    assert fragment.status_code == 200
    body = text_of(fragment)
    assert body.lstrip().startswith('<div class="calc-layout" id="calculation">')
    assert "5.583 kr." in body and reverse("earnings:calculation_save", args=[person.pk]) in body


def test_no_full_stop_after_an_amount_in_kroner(advisor_client, person, rates):
    url = reverse("earnings:person_calculator", args=[person.pk])
    text = text_of(advisor_client.get(url + "?" + urlencode(answers())))
    assert "kr.." not in text
    assert "kr.</strong>." not in text
    assert "beholder du ca. <strong>" in text


def test_a_consultant_calculates_but_does_not_save(
    consultant_client, consultant, advisor, person, rates
):
    from varig.customers.models import CaseloadShare

    CaseloadShare.objects.create(job_customer=person, user=consultant, shared_by=advisor)
    url = reverse("earnings:person_calculator", args=[person.pk])
    response = consultant_client.get(url + "?" + urlencode(answers()))
    assert response.status_code == 200
    assert reverse("earnings:calculation_save", args=[person.pk]) not in text_of(response)
    save = consultant_client.post(reverse("earnings:calculation_save", args=[person.pk]), answers())
    assert save.status_code == 403
    assert not SavedCalculation.objects.exists()


def test_saving_a_calculation(advisor_client, advisor, person, rates):
    response = advisor_client.post(
        reverse("earnings:calculation_save", args=[person.pk]), answers(title="Bageriet, 15 timer")
    )
    saved = SavedCalculation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("earnings:saved_detail", args=[person.pk, saved.pk])
    assert saved.job_customer == person and saved.created_by == advisor
    assert saved.title == "Bageriet, 15 timer"
    assert round(saved.kept_per_month) == 5583


@pytest.mark.parametrize(
    "bad",
    [
        {"hours_per_week": "0"},
        {"hours_per_week": "49"},
        {"hourly_wage": "abc"},
        {"year": "1999"},
        {"municipality": "Atlantis"},
        {"title": "x" * 121},
    ],
)
def test_bad_input_saves_nothing(advisor_client, person, rates, bad):
    response = advisor_client.post(
        reverse("earnings:calculation_save", args=[person.pk]), answers(**bad)
    )
    assert response.status_code == 400
    assert 'class="error"' in text_of(response)
    assert not SavedCalculation.objects.exists()


def test_a_year_without_figures_is_refused_on_save(advisor_client, person):
    make_year(skip=("deduction_single",))
    response = advisor_client.post(
        reverse("earnings:calculation_save", args=[person.pk]), answers()
    )
    assert response.status_code == 400
    assert "kan ikke gemmes" in text_of(response)  # CALCULATION_REFUSED, in Danish
    assert not SavedCalculation.objects.exists()


# --- The saved calculation and its PDF ------------------------------------------------------------


def test_the_saved_calculation_page(advisor_client, advisor, person, rates):
    saved = make_saved_calculation(job_customer=person, actor=advisor, title="Bageriet")
    url = reverse("earnings:saved_detail", args=[person.pk, saved.pk])
    response = advisor_client.get(url)
    assert response.status_code == 200
    text = text_of(response)
    assert "Bageriet" in text and "5.583 kr." in text
    assert "Beskæftigelsesministeriet" in text  # the rates' source
    assert reverse("earnings:saved_pdf", args=[person.pk, saved.pk]) in text
    again = reverse("earnings:person_calculator", args=[person.pk]) + "?"
    assert again in text and "hours_per_week=15" in text
    fragment = advisor_client.get(url, **HTMX)  # no partial: the whole page is the answer
    assert fragment.status_code == 200 and "5.583 kr." in text_of(fragment)


def test_the_saved_page_makes_the_same_queries_with_1_and_25_rates(
    advisor_client, advisor, person, rates
):
    one = make_saved_calculation(job_customer=person, actor=advisor)
    one.rates = one.rates[:1]
    one.save()
    many = make_saved_calculation(
        job_customer=person, actor=advisor, rent_per_month=Decimal(6000), children=2
    )
    many.rates = (many.rates * 2)[:25]
    many.save()
    small = count_queries(
        advisor_client, reverse("earnings:saved_detail", args=[person.pk, one.pk])
    )
    large = count_queries(
        advisor_client, reverse("earnings:saved_detail", args=[person.pk, many.pk])
    )
    assert small == large


def test_the_pdf_is_one_page_with_the_amount_the_rates_and_the_caveats(
    advisor_client, advisor, person, rates
):
    HealthInfo.objects.create(
        job_customer=person, diagnosis="Skizofreni paranoid", health_notes="Hører stemmer"
    )
    saved = make_saved_calculation(job_customer=person, actor=advisor, title="Bageriet")
    response = advisor_client.get(reverse("earnings:saved_pdf", args=[person.pk, saved.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="beregning-')
    assert pdf_page_count(response.content) == 1
    text = pdf_text(response.content)
    assert "Mette Holm" in text
    assert "5.583 kr." in text  # kept per month
    assert "Udbetaling Danmark" in text and "Pensionsberegner" in text  # the caveats
    assert "249 kr." in text
    assert "Beskæftigelsesministeriet" in text and "Officiel" in text  # source, confidence
    assert "kr.." not in text
    for secret in ("Skizofreni", "stemmer", "diagnose", "Diagnose"):
        assert secret not in text
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("pk")
    assert entry.additional_data["document"] == "earnings"
    assert entry.actor == advisor


def test_the_pdf_stays_one_page_for_a_couple_with_housing_benefit(
    advisor_client, advisor, person, rates
):
    """The longest printout: every kind of row in the table, the most rates, a full title."""
    saved = services.calculation_save(
        actor=advisor,
        job_customer=person,
        title=("Skånejob hos Bageriet Solsikken med boligsikring, partner og børn " * 2)[:120],
        inputs=make_inputs_couple(),
    )
    assert len(saved.rates) >= 17
    response = advisor_client.get(reverse("earnings:saved_pdf", args=[person.pk, saved.pk]))
    assert pdf_page_count(response.content) == 1
    text = pdf_text(response.content)
    assert "Boligsikring" in text or "boligsikring" in text


def make_inputs_couple():
    from varig.earnings.tests.factories import make_inputs

    return make_inputs(
        civil_status="married",
        partner="not_pensioner",
        partner_other_income=Decimal(300000),
        partner_work_income=Decimal(250000),
        other_income=Decimal(12000),
        pension_contribution_percent=Decimal(4),
        atp_per_month=Decimal(99),
        rent_per_month=Decimal(6500),
        children=2,
    )


# --- Pension savings --------------------------------------------------------------------------


def test_recording_a_pension_saving(advisor_client, person):
    response = advisor_client.post(
        reverse("earnings:pension_add", args=[person.pk]),
        {"saving-started_on": "01-03-2025", "saving-note": "4 % via jobbet"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("earnings:person", args=[person.pk]) + "#pension")
    saving = PensionSaving.objects.get()
    assert saving.started_on == datetime.date(2025, 3, 1) and saving.note == "4 % via jobbet"


@pytest.mark.parametrize(
    "bad",
    [
        {"saving-started_on": ""},
        {"saving-started_on": "31-02-2025"},
        {"saving-started_on": "01-03-2025", "saving-stopped_on": "01-01-2025"},
        {"saving-started_on": (TODAY + datetime.timedelta(days=2)).strftime("%d-%m-%Y")},
    ],
)
def test_a_bad_pension_saving_saves_nothing(advisor_client, person, bad):
    response = advisor_client.post(reverse("earnings:pension_add", args=[person.pk]), bad)
    assert response.status_code == 400
    assert 'class="error"' in text_of(response)
    assert not PensionSaving.objects.exists()


def test_stopping_a_pension_saving(advisor_client, person):
    saving = make_pension_saving(job_customer=person)
    response = advisor_client.post(
        reverse("earnings:pension_stop", args=[person.pk, saving.pk]),
        {"stop-version": "1", "stop-stopped_on": TODAY.strftime("%d-%m-%Y")},
    )
    assert response.status_code == 302
    saving.refresh_from_db()
    assert saving.stopped_on == TODAY


def test_a_stale_stop_is_refused_on_the_page(advisor_client, advisor, person):
    saving = make_pension_saving(job_customer=person)
    services.pension_saving_update(
        actor=advisor,
        saving=saving,
        started_on=datetime.date(2025, 2, 1),
        stopped_on=None,
        note="Rettet af en kollega",
        expected_version=1,
    )
    response = advisor_client.post(
        reverse("earnings:pension_stop", args=[person.pk, saving.pk]),
        {"stop-version": "1", "stop-stopped_on": TODAY.strftime("%d-%m-%Y")},
    )
    assert response.status_code == 400
    from django.utils import translation

    with translation.override("da"):
        assert str(STALE_EDIT)[:30] in text_of(response)
    saving.refresh_from_db()
    assert saving.stopped_on is None


def test_a_stale_correction_is_refused_on_the_page(advisor_client, advisor, person):
    saving = make_pension_saving(job_customer=person)
    services.pension_saving_stop(actor=advisor, saving=saving, stopped_on=TODAY, expected_version=1)
    response = advisor_client.post(
        reverse("earnings:pension_edit", args=[person.pk, saving.pk]),
        {"edit-version": "1", "edit-started_on": "01-01-2024", "edit-stopped_on": ""},
    )
    assert response.status_code == 400
    saving.refresh_from_db()
    assert saving.started_on == datetime.date(2025, 3, 1) and saving.stopped_on == TODAY


def test_correcting_a_pension_saving(advisor_client, person):
    saving = make_pension_saving(job_customer=person)
    response = advisor_client.post(
        reverse("earnings:pension_edit", args=[person.pk, saving.pk]),
        {
            "edit-version": "1",
            "edit-started_on": "01-02-2025",
            "edit-stopped_on": "01-04-2025",
            "edit-note": "Rettet",
        },
    )
    assert response.status_code == 302
    saving.refresh_from_db()
    assert (saving.started_on, saving.stopped_on, saving.note) == (
        datetime.date(2025, 2, 1),
        datetime.date(2025, 4, 1),
        "Rettet",
    )


def test_a_saving_of_another_person_is_not_found(advisor_client, advisor, person):
    other = make_pension_saving(job_customer=make_job_customer(advisor=advisor))
    response = advisor_client.post(
        reverse("earnings:pension_stop", args=[person.pk, other.pk]),
        {"stop-version": "1", "stop-stopped_on": TODAY.strftime("%d-%m-%Y")},
    )
    assert response.status_code == 404
