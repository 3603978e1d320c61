"""Rates as data: the seed from the source notes, the services with their history, the reads."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from varig.earnings import selectors, services
from varig.earnings.models import Rate
from varig.earnings.rates import KEYS, MUNICIPALITIES, municipality_match
from varig.earnings.tests.factories import TEST_YEAR, make_rate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_rates")]


def add_kwargs(**overrides):
    data = {
        "year": TEST_YEAR,
        "key": "deduction_single",
        "value": Decimal("91200"),
        "publisher": "Beskæftigelsesministeriet",
        "source_title": f"Satser for {TEST_YEAR}",
        "source_url": "https://bm.dk",
        "retrieved_on": datetime.date(2026, 11, 3),
        "confidence": "official",
        "note": "",
    }
    data.update(overrides)
    return data


def correct_kwargs(**overrides):
    data = add_kwargs()
    for name in ("year", "key"):
        data.pop(name)
    data["reason"] = "Det officielle tal fra bm.dk"
    data.update(overrides)
    return data


def errors_of(exc) -> dict:
    return {field: [str(m) for m in messages] for field, messages in exc.value.message_dict.items()}


# --- The seed ----------------------------------------------------------------------------------


def current(year, key, municipality=""):
    return Rate.objects.current().filter(year=year, key=key, municipality=municipality).first()


def test_seed_has_the_source_notes_figures_with_their_confidence():
    full_2022 = current(2022, "full_single")
    assert full_2022.value == Decimal("232320")
    assert full_2022.confidence == "official"
    assert full_2022.publisher == "borger.dk"
    assert current(2024, "full_single").confidence == "secondary"
    assert current(2025, "deduction_couple").value == Decimal("143000")
    assert current(2024, "am_contribution").value == Decimal("8")
    assert current(2024, "bottom_tax").value == Decimal("12.01")
    assert current(2024, "reduction_rate").value == Decimal("30")
    assert current(2024, "reduction_rate_both").value == Decimal("15")
    assert current(2026, "housing_income_limit").value == Decimal("171500")
    assert current(2023, "skaanejob_hourly_subsidy").value == Decimal("30.88")


def test_seed_enters_unverified_figures_as_unverified():
    rate = current(2025, "deduction_single")
    assert rate.value == Decimal("90000")
    assert rate.confidence == "unverified"
    assert "ikke bekræftet" in rate.note


def test_seed_leaves_unknown_figures_out():
    assert current(2025, "full_single") is None  # "unknown" in the notes
    assert current(2023, "deduction_single") is None
    assert current(2023, "deduction_couple") is None
    # Not given by the notes at all, so not made up:
    assert current(2025, "housing_income_limit") is None
    assert current(2024, "housing_maximum") is None
    assert not Rate.objects.filter(key="municipal_tax").exists()
    assert not Rate.objects.filter(year=2021).exists()


def test_seed_rows_have_a_unit_matching_their_key_and_a_publisher():
    for rate in Rate.objects.all():
        assert rate.unit == KEYS[rate.key].unit, rate
        assert rate.publisher, rate
        assert rate.retrieved_on is None  # the notes give no date retrieved


def test_municipalities_are_the_98():
    assert len(MUNICIPALITIES) == len(set(MUNICIPALITIES)) == 98
    assert municipality_match("aarhus kommune") == "Aarhus"
    assert municipality_match("Lyngby-Taarbæk") == "Lyngby-Taarbæk"
    assert municipality_match("Atlantis") == ""


# --- Services ----------------------------------------------------------------------------------


def test_rate_add_saves_the_figure_with_its_source(administrator):
    rate = services.rate_add(actor=administrator, **add_kwargs())
    assert rate.unit == "kr_year"
    assert rate.recorded_by == administrator
    assert rate.is_current
    assert selectors.rate_book(year=TEST_YEAR).values() == {"deduction_single": Decimal("91200")}


def test_only_an_administrator_changes_rates(advisor, manager):
    for user in (advisor, manager):
        with pytest.raises(PermissionDenied):
            services.rate_add(actor=user, **add_kwargs())
    rate = make_rate()
    with pytest.raises(PermissionDenied):
        services.rate_correct(actor=advisor, rate=rate, **correct_kwargs())
    with pytest.raises(PermissionDenied):
        services.rate_remove(actor=manager, rate=rate, reason="forkert")
    assert Rate.objects.filter(year=TEST_YEAR).count() == 1


def test_rate_add_refuses_a_second_figure_for_the_same_year_and_key(administrator):
    services.rate_add(actor=administrator, **add_kwargs())
    with pytest.raises(ValidationError) as exc:
        services.rate_add(actor=administrator, **add_kwargs(value=Decimal(1)))
    assert errors_of(exc) == {"key": [str(services.RATE_EXISTS)]}
    assert Rate.objects.filter(year=TEST_YEAR).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"year": 2002}, "year", services.YEAR_RANGE),
        ({"year": 2101}, "year", services.YEAR_RANGE),
        ({"value": Decimal(-1)}, "value", services.VALUE_NEGATIVE),
        ({"key": "bottom_tax", "value": Decimal("101")}, "value", services.PERCENT_TOO_HIGH),
        ({"value": Decimal("10000001")}, "value", services.AMOUNT_TOO_HIGH),
        (
            {"key": "municipal_tax", "value": Decimal(25)},
            "municipality",
            services.MUNICIPALITY_REQUIRED,
        ),
        (
            {"key": "municipal_tax", "value": Decimal(25), "municipality": "Atlantis"},
            "municipality",
            services.MUNICIPALITY_UNKNOWN,
        ),
        ({"municipality": "Aarhus"}, "municipality", services.MUNICIPALITY_NOT_USED),
        ({"publisher": "  "}, "publisher", services.PUBLISHER_REQUIRED),
        ({"retrieved_on": None}, "retrieved_on", services.RETRIEVED_REQUIRED),
        ({"source_url": "bm.dk/satser"}, "source_url", services.URL_INVALID),
        ({"key": "nonsense"}, "key", services.UNKNOWN_KEY),
    ],
)
def test_rate_add_refuses_bad_input_and_saves_nothing(administrator, overrides, field, message):
    before = Rate.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.rate_add(actor=administrator, **add_kwargs(**overrides))
    assert errors_of(exc)[field] == [str(message)]
    assert Rate.objects.count() == before


def test_rate_add_refuses_a_date_retrieved_in_the_future(administrator):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.rate_add(actor=administrator, **add_kwargs(retrieved_on=tomorrow))
    assert errors_of(exc) == {"retrieved_on": [str(services.RETRIEVED_IN_FUTURE)]}


def test_municipal_tax_is_one_figure_per_municipality(administrator):
    for municipality in ("Aarhus", "Odense"):
        services.rate_add(
            actor=administrator,
            **add_kwargs(key="municipal_tax", value=Decimal("24.52"), municipality=municipality),
        )
    book = selectors.rate_book(year=TEST_YEAR, municipality="Odense")
    assert book.values() == {"municipal_tax": Decimal("24.52")}
    assert book.rates["municipal_tax"].municipality == "Odense"


def test_rate_correct_keeps_the_old_figure_as_history(administrator):
    old = make_rate(key="full_single", value="244440", confidence="secondary")
    new = services.rate_correct(
        actor=administrator,
        rate=old,
        **correct_kwargs(value=Decimal("244500"), confidence="official"),
    )
    old.refresh_from_db()
    assert not old.is_current
    assert old.replacement == new
    assert old.replaced_by == administrator
    assert old.replace_reason == "Det officielle tal fra bm.dk"
    assert old.value == Decimal("244440")  # unchanged
    assert new.value == Decimal("244500") and new.confidence == "official"
    assert (new.year, new.key, new.municipality) == (old.year, old.key, old.municipality)
    assert selectors.rate_book(year=TEST_YEAR).values() == {"full_single": Decimal("244500")}
    assert [r.pk for r in selectors.rate_history(rate=new)] == [new.pk, old.pk]


def test_rate_correct_needs_a_reason_and_changes_nothing_without_one(administrator):
    rate = make_rate()
    with pytest.raises(ValidationError) as exc:
        services.rate_correct(actor=administrator, rate=rate, **correct_kwargs(reason=" "))
    assert errors_of(exc) == {"reason": [str(services.REASON_REQUIRED)]}
    rate.refresh_from_db()
    assert rate.is_current
    assert Rate.objects.filter(year=TEST_YEAR).count() == 1


def test_a_figure_corrected_since_it_was_read_is_refused(administrator):
    rate = make_rate()
    stale = Rate.objects.get(pk=rate.pk)
    services.rate_correct(actor=administrator, rate=rate, **correct_kwargs())
    with pytest.raises(ValidationError) as exc:
        services.rate_correct(actor=administrator, rate=stale, **correct_kwargs(value=Decimal(1)))
    assert exc.value.messages == [str(services.RATE_ALREADY_REPLACED)]
    assert Rate.objects.current().filter(year=TEST_YEAR).get().value == Decimal("91200")


def test_rate_remove_takes_the_figure_out_of_use_and_keeps_it(administrator):
    rate = make_rate()
    services.rate_remove(actor=administrator, rate=rate, reason="Tallet var forkert")
    rate.refresh_from_db()
    assert not rate.is_current
    assert rate.replacement is None
    assert rate.replace_reason == "Tallet var forkert"
    assert selectors.rate_book(year=TEST_YEAR).values() == {}
    with pytest.raises(ValidationError):
        services.rate_remove(actor=administrator, rate=rate, reason="igen")
    with pytest.raises(ValidationError) as exc:
        services.rate_remove(actor=administrator, rate=make_rate(key="full_couple"), reason="")
    assert errors_of(exc) == {"reason": [str(services.REASON_REQUIRED)]}


def test_the_database_allows_one_current_figure_per_year_and_key():
    make_rate()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_rate(value="1")


def test_rate_changes_are_audited(administrator):
    from auditlog.models import LogEntry

    rate = services.rate_add(actor=None, **add_kwargs())
    assert LogEntry.objects.get_for_object(rate).exists()


# --- Selectors ---------------------------------------------------------------------------------


def test_year_sheet_shows_every_key_and_the_gaps():
    make_rate(key="full_single")
    make_rate(key="municipal_tax", value="25", municipality="Aarhus")
    sheet = selectors.year_sheet(year=TEST_YEAR)
    pension = next(s for s in sheet.schemes if s.scheme == "pension")
    assert [row.key for row in pension.rows][:2] == ["full_single", "full_couple"]
    assert pension.rows[0].rate.value == Decimal("244440")
    assert pension.rows[1].rate is None
    assert pension.missing == 7
    assert [r.municipality for r in sheet.municipal_taxes] == ["Aarhus"]
    skaanejob = next(s for s in sheet.schemes if s.scheme == "skaanejob")
    assert skaanejob.missing == 0  # not used by the calculator, so never "missing"
    years = {row["year"]: row for row in sheet.years}
    assert years[TEST_YEAR]["missing"] == 19 and years[TEST_YEAR]["municipalities"] == 1


def test_rate_years_count_what_the_calculator_lacks():
    years = {row["year"]: row for row in selectors.rate_years()}
    # 2024 lacks the seven housing-benefit figures; 2025 lacks the full single pension and the
    # housing income limit and its per-child rise.
    assert years[2024]["missing"] == 7
    assert years[2025]["missing"] == 3


def test_year_sheet_query_count_does_not_grow_with_municipalities(django_assert_num_queries):
    make_rate(key="municipal_tax", value="25", municipality="Aarhus")
    with django_assert_num_queries(2):
        selectors.year_sheet(year=TEST_YEAR)
    for municipality in [m for m in MUNICIPALITIES if m != "Aarhus"][:24]:
        make_rate(key="municipal_tax", value="25", municipality=municipality)
    with django_assert_num_queries(2):
        sheet = selectors.year_sheet(year=TEST_YEAR)
    assert len(sheet.municipal_taxes) == 25
