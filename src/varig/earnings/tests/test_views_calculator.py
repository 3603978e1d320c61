"""The calculator page (staff): what a person keeps, the chart, the rates used, the refusals."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from varig.earnings.rates import MUNICIPALITIES
from varig.earnings.tests.factories import TEST_YEAR, make_rate, make_year

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_rates")]

HTMX = {"HTTP_HX_REQUEST": "true"}
URL = reverse("earnings:calculator")


def query(**overrides) -> dict:
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


def get(client, **overrides):
    return client.get(URL + "?" + urlencode(query(**overrides)))


def text_of(response) -> str:
    return response.content.decode()


def test_the_empty_calculator_asks_for_hours_and_wage(advisor_client):
    response = advisor_client.get(URL)
    assert response.status_code == 200
    text = text_of(response)
    assert "Hvad beholder jeg, når jeg arbejder?" in text
    assert "tryk »Beregn«" in text
    assert "Læs det her først" in text  # the caveats are always shown
    assert 'value="2024" selected' in text  # the newest year the seed can answer for


def test_a_calculation_shows_what_is_kept_per_month_and_year(advisor_client):
    make_year()  # 2024-like figures, Aarhus 25 %: the hand-computed case of test_calculator
    response = get(advisor_client)
    assert response.status_code == 200
    text = text_of(response)
    assert "5.583 kr." in text  # kept per month
    assert "66.998 kr." in text  # kept per year
    assert "43 kr." in text  # of each extra 100 kr.
    assert "Om måneden" in text and "Om året" in text
    assert "117.000 kr." in text  # the wage per year
    assert "19.852 kr." in text  # the pension per month with work (238,218 / 12)
    assert "901.700 kr." in text  # the income at which the pension reaches zero
    assert "125,6" in text or "125,7" in text  # hours a week for that
    assert "<svg" in text and "chart-line" in text  # the chart, drawn on the server
    assert "Op til ca. 12,1 timer om ugen" in text
    assert "Læs det her først" in text


def test_every_result_shows_the_rates_it_used_with_their_confidence(advisor_client):
    make_year()
    make_rate(
        year=TEST_YEAR,
        key="municipal_tax",
        municipality="Odense",
        value="25.5",
        confidence="unverified",
        publisher="En kommune",
    )
    text = text_of(get(advisor_client, municipality="Odense"))
    assert "Kommuneskat (kommuneskat) (Odense)" in text or "(Odense)" in text
    assert "25,5 %" in text
    assert "Ikke bekræftet" in text
    assert "Officiel" in text
    assert "Beskæftigelsesministeriet" in text
    assert "1 af tallene er ikke fra en officiel kilde endnu" in text


def test_the_2022_zero_point_from_the_seeded_rates_is_857000(advisor_client):
    """borger.dk's figure: a single person's pension reaches zero at 857,000 kr. in 2022."""
    for key, value in (
        ("am_contribution", "8"),
        ("personal_allowance", "46600"),
        ("bottom_tax", "12.1"),
        ("employment_deduction_rate", "10.65"),
        ("employment_deduction_max", "39400"),
        ("municipal_tax", "24.52"),
    ):
        make_rate(year=2022, key=key, value=value)
    text = text_of(get(advisor_client, year="2022"))
    assert "857.000 kr." in text


def test_a_missing_figure_is_refused_clearly_and_never_borrowed(advisor_client):
    """2026 has housing figures but no pension figures: the page names what is missing."""
    response = get(advisor_client, year="2026")
    assert response.status_code == 200
    text = text_of(response)
    assert "Vi kan ikke regne på 2026 endnu" in text
    assert "Fradraget for 2026 er ikke indtastet endnu." in text
    assert "Den fulde pension for enlige for 2026 er ikke indtastet endnu." in text
    assert "Kommuneskatten i Aarhus for 2026 er ikke indtastet endnu." in text
    assert "mere at leve for om måneden" not in text
    assert "<svg" not in text


def test_a_municipality_without_a_tax_rate_is_refused(advisor_client):
    make_year()
    text = text_of(get(advisor_client, municipality="Læsø"))
    assert f"Kommuneskatten i Læsø for {TEST_YEAR} er ikke indtastet endnu." in text


def test_an_administrator_is_offered_to_enter_the_missing_figures(administrator_client):
    text = text_of(get(administrator_client, year="2026"))
    assert reverse("earnings:rates") + "?year=2026" in text


def test_a_pension_from_before_2003_is_referred_to_the_pensionsberegner(advisor_client):
    make_year()
    text = text_of(get(advisor_client, pension_rules="before_2003"))
    assert "Pensionsberegner" in text
    assert "borger.dk" in text
    assert "mere at leve for om måneden" not in text


def test_unknown_pension_rules_calculate_with_a_warning(advisor_client):
    make_year()
    text = text_of(get(advisor_client, pension_rules="unknown"))
    assert "mere at leve for om måneden" in text
    assert "Vi regner med reglerne fra 2003" in text


def test_housing_benefit_before_and_after_is_shown(advisor_client):
    make_year()
    text = text_of(get(advisor_client, rent_per_month="6000", children="1"))
    assert "Boligsikring" in text
    assert "Boligstøtte om måneden" in text or "Boligsikring om måneden" in text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"hours_per_week": "0"}, "hours_per_week", "mere end 0 og højst 48"),
        ({"hours_per_week": "60"}, "hours_per_week", "mere end 0 og højst 48"),
        ({"hours_per_week": "mange"}, "hours_per_week", "Skriv et tal"),
        ({"hourly_wage": ""}, "hourly_wage", "Skriv timelønnen"),
        ({"hourly_wage": "-5"}, "hourly_wage", "Skriv timelønnen"),
        ({"working_weeks": "0"}, "working_weeks", "fra 1 til 52"),
        ({"rent_per_month": "90000"}, "rent_per_month", "fra 0 til 50.000 kr."),
        ({"children": "-1"}, "children", "fra 0 til 15"),
        ({"municipality": ""}, "municipality", "Vælg den kommune"),
        ({"municipality": "Atlantis"}, "municipality", "Vælg den kommune"),
        ({"year": "1999"}, "year", "Vælg"),
        ({"partner": "pensioner"}, "partner", "Du har valgt enlig"),
        ({"civil_status": "couple", "partner": "none"}, "partner", "om din partner er pensionist"),
        ({"partner_other_income": "50000"}, "partner_other_income", "Du har valgt enlig"),
        (
            {"civil_status": "couple", "partner": "not_pensioner", "partner_social_pension": "1"},
            "partner_social_pension",
            "Kun hvis din partner er pensionist",
        ),
    ],
)
def test_bad_input_is_refused_beside_the_field(advisor_client, overrides, field, message):
    make_year()
    response = get(advisor_client, **overrides)
    assert response.status_code == 400
    text = text_of(response)
    assert f'id="id_{field}_error"' in text
    assert message in text
    assert "mere at leve for om måneden" not in text


def test_amounts_are_read_the_danish_way(advisor_client):
    make_year()
    text = text_of(get(advisor_client, hourly_wage="150,00", rent_per_month="0", other_income="0"))
    assert "5.583 kr." in text


def test_a_couple_with_a_pensioner_partner_uses_the_15_percent_rate(advisor_client):
    make_year()
    text = text_of(
        get(
            advisor_client, civil_status="couple", partner="pensioner", partner_other_income="50000"
        )
    )
    assert "15 %" in text
    assert "mere at leve for om måneden" in text


def test_the_htmx_request_gets_the_calculation_only(advisor_client):
    make_year()
    response = advisor_client.get(URL + "?" + urlencode(query()), **HTMX)
    assert response.status_code == 200
    text = text_of(response)
    assert text.lstrip().startswith('<div class="calc-layout" id="calculation"')
    assert "<html" not in text
    assert "5.583 kr." in text
    invalid = advisor_client.get(URL + "?" + urlencode(query(hours_per_week="0")), **HTMX)
    assert invalid.status_code == 200  # htmx swaps only 2xx answers
    assert 'id="id_hours_per_week_error"' in text_of(invalid)


def test_the_calculator_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_calculator_runs_a_fixed_number_of_queries(advisor_client):
    make_year()
    with CaptureQueriesContext(connection) as few:
        assert get(advisor_client).status_code == 200
    for name in MUNICIPALITIES[:60]:
        if name != "Aarhus":
            make_rate(year=TEST_YEAR, key="municipal_tax", municipality=name, value="25")
    for year in range(2040, 2060):
        make_rate(year=year, key="full_single")
    with CaptureQueriesContext(connection) as many:
        assert get(advisor_client).status_code == 200
    assert len(many) == len(few)
    assert len(few) <= 8
