"""The public "Sådan har vi regnet" page and the administrators' rates pages."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from varig.earnings.models import Rate
from varig.earnings.rates import MUNICIPALITIES
from varig.earnings.tests.factories import TEST_YEAR, make_rate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_rates")]

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args, **query):
    base = reverse(f"earnings:{name}", args=args)
    if query:
        from urllib.parse import urlencode

        base += "?" + urlencode(query)
    return base


def add_post(**overrides):
    data = {
        "year": str(TEST_YEAR),
        "key": "municipal_tax",
        "municipality": "Aarhus",
        "value": "24,52",
        "publisher": "Skatteministeriet",
        "source_title": f"Kommuneskatter {TEST_YEAR}",
        "source_url": "https://skm.dk",
        "retrieved_on": "05-11-2026",
        "confidence": "official",
        "note": "",
    }
    data.update(overrides)
    return data


# --- Public page -------------------------------------------------------------------------------


def test_the_public_page_needs_no_login(client):
    response = client.get(url("methodology", year=2022))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Sådan har vi regnet" in text
    assert "Læs det her først" in text  # the caveats
    assert "232.320 kr. om året" in text  # 2022 full pension, single
    assert "borger.dk" in text
    assert "Officiel" in text
    assert "857.000 kr." in text  # the zero point, explained


def test_the_public_page_says_which_figures_are_unknown_and_unverified(client):
    text = client.get(url("methodology", year=2025)).content.decode()
    assert "Ikke kendt endnu" in text  # the full single pension 2025
    assert "Ikke bekræftet" in text  # the deduction for a single person 2025
    assert "90.000 kr. om året" in text


def test_the_public_page_changes_year_as_a_fragment(client):
    response = client.get(url("methodology", year=2024), **HTMX)
    text = response.content.decode()
    assert response.status_code == 200
    assert text.lstrip().startswith('<section class="card" id="rates"')
    assert "<html" not in text
    assert "244.440 kr. om året" in text


def test_a_nonsense_year_falls_back_to_the_default(client):
    assert client.get(url("methodology", year="abc")).status_code == 200


# --- Rates (administrators) --------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login_from_the_rates_pages(client):
    rate = make_rate()
    for path in (url("rates"), url("rate_add"), url("rate_detail", rate.pk)):
        response = client.get(path)
        assert response.status_code == 302 and reverse("core:login") in response["Location"]
    assert client.post(url("rate_add"), add_post()).status_code == 302
    assert not Rate.objects.filter(key="municipal_tax").exists()


def test_rates_pages_are_for_administrators_only(client_for, advisor, manager, consultant):
    rate = make_rate()
    for user in (advisor, manager, consultant):
        c = client_for(user)
        for path in (url("rates"), url("rate_add"), url("rate_detail", rate.pk)):
            assert c.get(path).status_code == 403
        assert c.post(url("rate_add"), add_post()).status_code == 403
        assert c.post(url("rate_correct", rate.pk), {}).status_code == 403
        assert c.post(url("rate_remove", rate.pk), {}).status_code == 403
    assert not Rate.objects.filter(key="municipal_tax").exists()


def test_the_rates_page_shows_a_year_with_add_and_correct_links(administrator_client):
    rate = make_rate(key="full_single")
    response = administrator_client.get(url("rates", year=TEST_YEAR))
    text = response.content.decode()
    assert response.status_code == 200
    assert reverse("earnings:rate_detail", args=[rate.pk]) in text
    assert f"{url('rate_add')}?year={TEST_YEAR}&amp;key=full_couple" in text
    fragment = administrator_client.get(url("rates", year=TEST_YEAR), **HTMX).content.decode()
    assert fragment.lstrip().startswith('<section class="card" id="year"')


def test_rates_page_query_count_is_the_same_with_1_and_25_municipalities(administrator_client):
    make_rate(key="municipal_tax", value="25", municipality="Aarhus")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert administrator_client.get(url("rates", year=TEST_YEAR)).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for municipality in [m for m in MUNICIPALITIES if m != "Aarhus"][:24]:
        make_rate(key="municipal_tax", value="25", municipality=municipality)
    assert count() == one


def test_an_administrator_adds_a_municipal_tax(administrator_client, administrator):
    form = administrator_client.get(url("rate_add", year=TEST_YEAR, key="municipal_tax"))
    assert form.status_code == 200
    response = administrator_client.post(url("rate_add"), add_post())
    assert response.status_code == 302
    rate = Rate.objects.get(year=TEST_YEAR, key="municipal_tax")
    assert rate.value == Decimal("24.52")
    assert rate.municipality == "Aarhus"
    assert rate.recorded_by == administrator


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"value": "abc"}, "Skriv et tal"),
        ({"value": "-3"}, "kan ikke være negativ"),
        ({"retrieved_on": "31-02-2026"}, "gyldig dato"),
        ({"municipality": ""}, "Vælg den kommune"),
        ({"year": "1999"}, "Vælg et år fra 2003"),
        ({"source_url": "skm"}, "https://"),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_saves_nothing(
    administrator_client, overrides, message
):
    response = administrator_client.post(url("rate_add"), add_post(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Rate.objects.filter(year=TEST_YEAR).exists()


def test_a_second_figure_for_the_same_year_is_refused(administrator_client):
    make_rate(key="municipal_tax", value="25", municipality="Aarhus")
    response = administrator_client.post(url("rate_add"), add_post())
    assert response.status_code == 400
    assert "Der er allerede et tal" in response.content.decode()
    assert Rate.objects.filter(year=TEST_YEAR).count() == 1


def test_an_administrator_corrects_a_figure_and_sees_the_history(administrator_client):
    rate = make_rate(key="full_single", value="244440", confidence="secondary")
    page = administrator_client.get(url("rate_detail", rate.pk))
    assert page.status_code == 200
    assert "Ret tallet" in page.content.decode()
    post = {**add_post(value="244.500", confidence="official"), "reason": "Officielt tal fra bm.dk"}
    response = administrator_client.post(url("rate_correct", rate.pk), post)
    assert response.status_code == 302
    new = Rate.objects.current().get(year=TEST_YEAR, key="full_single")
    assert new.value == Decimal("244500")
    history = administrator_client.get(url("rate_detail", new.pk)).content.decode()
    assert "244.440 kr. om året" in history and "244.500 kr. om året" in history
    assert "Officielt tal fra bm.dk" in history


def test_a_correction_without_a_reason_is_refused(administrator_client):
    rate = make_rate()
    response = administrator_client.post(url("rate_correct", rate.pk), add_post(value="1"))
    assert response.status_code == 400
    assert "Skriv, hvorfor" in response.content.decode()
    rate.refresh_from_db()
    assert rate.is_current and rate.value == Decimal("244440")


def test_an_administrator_removes_a_figure(administrator_client):
    rate = make_rate()
    bad = administrator_client.post(url("rate_remove", rate.pk), {"remove-reason": ""})
    assert bad.status_code == 400
    ok = administrator_client.post(url("rate_remove", rate.pk), {"remove-reason": "Forkert tal"})
    assert ok.status_code == 302
    rate.refresh_from_db()
    assert not rate.is_current
    page = administrator_client.get(url("rate_detail", rate.pk)).content.decode()
    assert "Forkert tal" in page
    assert "Ret tallet" not in page  # an old figure cannot be corrected
