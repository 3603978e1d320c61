"""Saved calculations and pension savings on a job customer's record: the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from varig.core.services import STALE_EDIT
from varig.customers.tests.factories import make_job_customer
from varig.earnings import services
from varig.earnings.models import PensionSaving, Rate, SavedCalculation
from varig.earnings.selectors import person_earnings, saved_calculation
from varig.earnings.tests.factories import (
    TEST_YEAR,
    make_inputs,
    make_pension_saving,
    make_saved_calculation,
    make_year,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def person(advisor):
    return make_job_customer(advisor=advisor)


def messages_of(exc) -> list[str]:
    return [str(m) for m in exc.value.messages]


# --- Saved calculations ------------------------------------------------------------------------


def test_a_saved_calculation_keeps_inputs_results_and_a_copy_of_the_rates(advisor, person):
    make_year()
    saved = make_saved_calculation(job_customer=person, actor=advisor, title="Bageriet")
    saved.refresh_from_db()
    assert saved.created_by == advisor
    assert saved.title == "Bageriet"
    assert saved.year == TEST_YEAR
    assert saved.inputs["hours_per_week"] == "15"
    assert saved.inputs["municipality"] == "Aarhus"
    # The hand-computed case of test_calculator: about 5.583 kr. more per month.
    assert round(saved.kept_per_month) == Decimal(5583)
    assert abs(Decimal(saved.results["kept"]) / 12 - saved.kept_per_month) < Decimal("0.01")
    keys = {rate["key"] for rate in saved.rates}
    assert {"full_single", "deduction_single", "reduction_rate", "municipal_tax"} <= keys
    full = next(rate for rate in saved.rates if rate["key"] == "full_single")
    assert full["value"] == "244440.0000"
    assert full["confidence"] == "official"
    assert full["publisher"] == "Beskæftigelsesministeriet"
    assert full["source_url"] == "https://bm.dk"
    assert full["year"] == TEST_YEAR


def test_a_later_correction_of_a_rate_does_not_change_a_saved_calculation(
    administrator, advisor, person
):
    make_year()
    saved = make_saved_calculation(job_customer=person, actor=advisor)
    before = saved_calculation(saved)
    full = Rate.objects.current().get(year=TEST_YEAR, key="full_single")
    services.rate_correct(
        actor=administrator,
        rate=full,
        value=Decimal(250000),
        publisher="Beskæftigelsesministeriet",
        retrieved_on=TODAY,
        confidence="secondary",
        reason="New figure",
    )
    saved.refresh_from_db()
    after = saved_calculation(saved)
    assert after.result.kept == before.result.kept
    assert after.result.with_work == before.result.with_work
    shown = next(rate for rate in after.rates_used if rate.key == "full_single")
    assert shown.value == Decimal(244440)
    assert shown.confidence == "official"
    # A new calculation uses the corrected figure.
    again = make_saved_calculation(job_customer=person, actor=advisor)
    assert next(r for r in again.rates if r["key"] == "full_single")["value"] == "250000.0000"


def test_the_snapshot_gives_back_the_same_answer_as_the_calculator(advisor, person):
    from varig.earnings.selectors import calculation

    make_year()
    inputs = make_inputs(rent_per_month=Decimal(6000), children=2)
    saved = services.calculation_save(actor=advisor, job_customer=person, inputs=inputs)
    fresh = calculation(inputs=inputs)
    page = saved_calculation(saved)
    assert page.result.kept == fresh.result.kept
    assert page.result.without_work == fresh.result.without_work
    assert page.result.zero == fresh.result.zero
    assert page.result.chart == fresh.result.chart
    assert [r.key for r in page.rates_used] == [r.key for r in fresh.rates_used]
    assert page.chart is not None and len(page.chart.points) == 38


def test_a_year_without_its_figures_is_refused_and_nothing_saved(advisor, person):
    make_year(skip=("deduction_single",))
    with pytest.raises(ValidationError) as exc:
        make_saved_calculation(job_customer=person, actor=advisor)
    assert messages_of(exc) == [str(services.CALCULATION_REFUSED)]
    assert not SavedCalculation.objects.exists()


def test_a_pension_under_the_old_rules_is_refused(advisor, person):
    make_year()
    with pytest.raises(ValidationError):
        services.calculation_save(
            actor=advisor, job_customer=person, inputs=make_inputs(), pension_rules="before_2003"
        )
    assert not SavedCalculation.objects.exists()


def test_a_too_long_title_is_refused(advisor, person):
    make_year()
    with pytest.raises(ValidationError) as exc:
        make_saved_calculation(job_customer=person, actor=advisor, title="x" * 121)
    assert exc.value.message_dict["title"] == [str(services.TITLE_TOO_LONG)]
    assert not SavedCalculation.objects.exists()


def test_only_who_may_change_the_record_saves(other_advisor, consultant, person):
    make_year()
    for user in (other_advisor, consultant):
        with pytest.raises(PermissionDenied):
            make_saved_calculation(job_customer=person, actor=user)
    assert not SavedCalculation.objects.exists()


def test_person_earnings_lists_the_newest_first_with_the_count(advisor, person):
    make_year()
    for hours in (5, 10, 15, 20):
        make_saved_calculation(job_customer=person, actor=advisor, hours_per_week=Decimal(hours))
    make_saved_calculation(job_customer=make_job_customer(), actor=None)  # another person's
    card = person_earnings(job_customer=person)
    assert card.calculation_count == 4
    assert [c.hours_per_week for c in card.calculations] == [20, 15, 10]
    assert len(person_earnings(job_customer=person, limit=None).calculations) == 4
    assert person_earnings(job_customer=make_job_customer()).calculation_count == 0


# --- Pension savings ---------------------------------------------------------------------------


def test_start_saving(advisor, person):
    saving = services.pension_saving_start(
        actor=advisor, job_customer=person, started_on=TODAY, note=" 4 % via the job "
    )
    assert saving.is_open and saving.note == "4 % via the job"
    assert saving.created_by == advisor
    assert person_earnings(job_customer=person).saving_now


@pytest.mark.parametrize(
    ("started_on", "stopped_on", "field", "message"),
    [
        (None, None, "started_on", services.SAVING_START_REQUIRED),
        (TODAY + datetime.timedelta(days=1), None, "started_on", services.SAVING_START_IN_FUTURE),
        (TODAY, TODAY + datetime.timedelta(days=1), "stopped_on", services.SAVING_STOP_IN_FUTURE),
        (
            TODAY,
            TODAY - datetime.timedelta(days=1),
            "stopped_on",
            services.SAVING_STOP_BEFORE_START,
        ),
    ],
)
def test_bad_dates_are_refused_and_nothing_saved(
    advisor, person, started_on, stopped_on, field, message
):
    with pytest.raises(ValidationError) as exc:
        services.pension_saving_start(
            actor=advisor, job_customer=person, started_on=started_on, stopped_on=stopped_on
        )
    assert exc.value.message_dict[field] == [str(message)]
    assert not PensionSaving.objects.exists()


def test_one_open_saving_at_a_time(advisor, person):
    make_pension_saving(job_customer=person, started_on=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.pension_saving_start(actor=advisor, job_customer=person, started_on=TODAY)
    assert exc.value.message_dict["started_on"] == [str(services.SAVING_ALREADY_OPEN)]
    assert PensionSaving.objects.count() == 1


def test_periods_do_not_overlap(advisor, person):
    make_pension_saving(
        job_customer=person,
        started_on=datetime.date(2025, 1, 1),
        stopped_on=datetime.date(2025, 6, 1),
    )
    with pytest.raises(ValidationError) as exc:
        services.pension_saving_start(
            actor=advisor,
            job_customer=person,
            started_on=datetime.date(2024, 6, 1),
            stopped_on=datetime.date(2025, 2, 1),
        )
    assert exc.value.message_dict["started_on"] == [str(services.SAVING_OVERLAPS)]
    with pytest.raises(ValidationError):  # an open period from inside the old one
        services.pension_saving_start(
            actor=advisor, job_customer=person, started_on=datetime.date(2025, 5, 1)
        )
    # Right after the stop is fine (they no longer save from the stop day).
    services.pension_saving_start(
        actor=advisor, job_customer=person, started_on=datetime.date(2025, 6, 1)
    )
    assert PensionSaving.objects.count() == 2


def test_stop_saving(advisor, person):
    saving = make_pension_saving(job_customer=person, started_on=datetime.date(2025, 1, 1))
    services.pension_saving_stop(
        actor=advisor, saving=saving, stopped_on=TODAY, expected_version=1, note="Left the job"
    )
    saving.refresh_from_db()
    assert saving.stopped_on == TODAY and saving.version == 2
    assert "Left the job" in saving.note
    assert not person_earnings(job_customer=person).saving_now
    with pytest.raises(ValidationError) as exc:
        services.pension_saving_stop(
            actor=advisor, saving=saving, stopped_on=TODAY, expected_version=2
        )
    assert messages_of(exc) == [str(services.SAVING_ALREADY_STOPPED)]


def test_a_stale_stop_is_refused(advisor, person):
    saving = make_pension_saving(job_customer=person, started_on=datetime.date(2025, 1, 1))
    services.pension_saving_update(
        actor=advisor,
        saving=saving,
        started_on=datetime.date(2025, 2, 1),
        stopped_on=None,
        note="",
        expected_version=1,
    )
    stale = PensionSaving.objects.get(pk=saving.pk)
    stale.version = 1
    with pytest.raises(ValidationError) as exc:
        services.pension_saving_stop(
            actor=advisor, saving=stale, stopped_on=TODAY, expected_version=1
        )
    assert str(STALE_EDIT) in messages_of(exc)
    assert PensionSaving.objects.get(pk=saving.pk).stopped_on is None


def test_a_stale_correction_is_refused(advisor, person):
    saving = make_pension_saving(job_customer=person, started_on=datetime.date(2025, 1, 1))
    services.pension_saving_stop(actor=advisor, saving=saving, stopped_on=TODAY, expected_version=1)
    with pytest.raises(ValidationError) as exc:
        services.pension_saving_update(
            actor=advisor,
            saving=PensionSaving.objects.get(pk=saving.pk),
            started_on=datetime.date(2024, 1, 1),
            stopped_on=None,
            note="",
            expected_version=1,
        )
    assert str(STALE_EDIT) in messages_of(exc)
    saving.refresh_from_db()
    assert saving.started_on == datetime.date(2025, 1, 1) and saving.stopped_on == TODAY


def test_a_correction_checks_the_dates(advisor, person):
    saving = make_pension_saving(job_customer=person, started_on=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.pension_saving_update(
            actor=advisor,
            saving=saving,
            started_on=datetime.date(2025, 1, 1),
            stopped_on=datetime.date(2024, 1, 1),
            note="",
            expected_version=1,
        )
    assert exc.value.message_dict["stopped_on"] == [str(services.SAVING_STOP_BEFORE_START)]
    services.pension_saving_update(
        actor=advisor,
        saving=saving,
        started_on=datetime.date(2024, 12, 1),
        stopped_on=datetime.date(2025, 4, 1),
        note="Corrected",
        expected_version=1,
    )
    saving.refresh_from_db()
    assert (saving.started_on, saving.stopped_on, saving.note, saving.version) == (
        datetime.date(2024, 12, 1),
        datetime.date(2025, 4, 1),
        "Corrected",
        2,
    )


def test_only_who_may_change_the_record_records_savings(other_advisor, consultant, person):
    saving = make_pension_saving(job_customer=person)
    for user in (other_advisor, consultant):
        with pytest.raises(PermissionDenied):
            services.pension_saving_start(actor=user, job_customer=person, started_on=TODAY)
        with pytest.raises(PermissionDenied):
            services.pension_saving_stop(
                actor=user, saving=saving, stopped_on=TODAY, expected_version=1
            )
        with pytest.raises(PermissionDenied):
            services.pension_saving_update(
                actor=user,
                saving=saving,
                started_on=TODAY,
                stopped_on=None,
                note="",
                expected_version=1,
            )
    assert PensionSaving.objects.get().stopped_on is None


def test_saving_on_a_day():
    saving = PensionSaving(
        started_on=datetime.date(2025, 1, 1), stopped_on=datetime.date(2025, 6, 1)
    )
    assert not saving.saving_on(datetime.date(2024, 12, 31))
    assert saving.saving_on(datetime.date(2025, 1, 1))
    assert saving.saving_on(datetime.date(2025, 5, 31))
    assert not saving.saving_on(datetime.date(2025, 6, 1))
