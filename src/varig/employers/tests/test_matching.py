"""Matching: the postcode distance, the rules, and the order on a small hand-made example; the
pages; only persons the user may see; suggestions never contact anyone."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from varig.customers.models import JobWishes, LifeArea, ReadinessAssessment, ReadinessRating
from varig.customers.tests.factories import make_consent, make_job_customer
from varig.employers import matching
from varig.employers.matching import (
    company_parts,
    match_stats_refresh,
    postcode_km,
    rank_companies,
    rank_job_customers,
    stems,
)
from varig.employers.models import CompanyMatchStats
from varig.employers.tests.factories import make_company
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def days(n):
    return datetime.timedelta(days=n)


# --- pure rules -------------------------------------------------------------------------------


def test_postcode_distance_is_a_rough_but_sane_approximation():
    assert postcode_km("8000", "8000") == 0
    assert postcode_km("8000", "8030") == matching.SAME_AREA_KM
    assert 25 <= postcode_km("8000", "8700") <= 60  # Aarhus - Horsens, about 40 km
    assert 70 <= postcode_km("8000", "5000") <= 110  # Aarhus - Odense, about 85 km by air
    assert 140 <= postcode_km("1050", "8000") <= 180  # Copenhagen - Aarhus, about 155 by air
    assert postcode_km("8000", "") is None and postcode_km("8000", "0000") is None


def test_stems_let_danish_compounds_meet():
    assert stems("Lagerarbejde, butiksassistent") == {"lager", "butik"}
    assert "lager" in stems("Pluk og pak, lageroprydning")
    assert stems("Pak og IT") == set()  # short words do not count


@pytest.mark.parametrize(
    ("current", "past", "past_days", "expected"),
    [
        (0, 0, 0, []),
        (1, 1, 400, [("history", (1, 13), 13)]),
        (0, 3, 3 * 1000, [("history", (3, 32), 15)]),  # capped at 15
        (0, 2, 2 * 60, [("short", (2,), -5)]),  # two short ones
        (0, 1, 60, [("history", (1, 1), 1)]),  # one short one is no pattern
        (3, 0, 0, [("load", (3,), -16)]),
        (9, 0, 0, [("load", (9,), -32)]),  # capped
    ],
)
def test_the_companys_own_points(current, past, past_days, expected):
    assert company_parts(current, past, past_days) == expected


# --- the hand-made example --------------------------------------------------------------------


@pytest.fixture
def network(advisor):
    """Five companies for a person in Aarhus (8000) who wishes warehouse or shop work, 12 hours."""
    person = make_job_customer(first_name="Åse", last_name="Holm", postcode="8000", advisor=advisor)
    JobWishes.objects.create(
        job_customer=person,
        wished_jobs="Lagerarbejde, butiksassistent",
        wished_industries="Lager og logistik, Detailhandel",
        wished_hours_per_week=Decimal(12),
    )
    other = make_job_customer()

    def company(name, industry, offered, postcode):
        return make_company(name=name, industry=industry, offered_jobs=offered, postcode=postcode)

    # Wished industry and tasks, nearby, two long earlier placements at 12 hours: the best.
    lager = company("Aarhus Lager", "Lager og logistik", "Pluk og pak, lageroprydning", "8200")
    for start in (900, 700):
        make_placement(
            job_customer=other, company=lager, started_on=today() - days(start),
            ended_on=today() - days(start - 365), hours_per_week=Decimal(12),
        )  # fmt: skip
    # The same fit, but worn out: four current placements.
    busy = company("Travl Lager", "Lager og logistik", "Lager og pakning", "8000")
    for i in range(4):
        make_placement(
            job_customer=make_job_customer(), company=busy, started_on=today() - days(50 + i)
        )
    # The wished industry far away (Copenhagen).
    far = company("Butik København", "Detailhandel", "Kasse, varepåfyldning", "2300")
    # Not far (Horsens), but nothing wished.
    cafe = company("Café Horsens", "Café og restaurant", "Opvask", "8700")
    # Where the person works now: left out.
    current = company("Nuværende Lager", "Lager og logistik", "Lager", "8000")
    make_placement(job_customer=person, company=current, started_on=today() - days(10))
    match_stats_refresh()
    return person, {"lager": lager, "busy": busy, "far": far, "cafe": cafe, "current": current}


def test_the_order_on_a_small_hand_made_example(network):
    person, c = network
    ranked = rank_companies(job_customer=person)
    assert [s.pk for s in ranked] == [c["lager"].pk, c["busy"].pk, c["far"].pk, c["cafe"].pk]
    best = ranked[0]
    codes = {text: points for text, points in best.reasons}
    # industry 30 + tasks (lager) 8 + hours 10 + distance (4 km) 20 + history (365 days: 11
    # whole months) 11
    assert best.score == 30 + 8 + 10 + 20 + 11
    # Copenhagen, about 160 km: industry 30, distance -11; Horsens, about 40 km: +5 only.
    assert [s.score for s in ranked[2:]] == [19, 5]
    assert sum(codes.values()) == best.score
    assert any("Lager og logistik" in text for text in codes)
    assert any("km" in text for text in codes)
    busy = ranked[1]
    assert ("Har allerede 4 igangværende forløb: fordel belastningen", -24) in busy.reasons
    for suggestion in ranked:  # the SQL score and the reasons agree
        assert suggestion.score == sum(points for _, points in suggestion.reasons)


def test_suggestions_say_whether_there_is_consent_and_contact_no_one(network):
    person, c = network
    make_consent(job_customer=person, company=c["far"])
    from auditlog.models import LogEntry
    from django.core import mail

    before = LogEntry.objects.count()
    ranked = {s.pk: s for s in rank_companies(job_customer=person)}
    assert ranked[c["far"].pk].consent is True and ranked[c["lager"].pk].consent is False
    assert mail.outbox == [] and LogEntry.objects.count() == before


def test_stale_statistics_are_refreshed_before_ranking(network):
    person, c = network
    CompanyMatchStats.objects.update(computed_on=today() - days(1), points=0, current=0)
    rank_companies(job_customer=person)
    assert CompanyMatchStats.objects.get(company=c["busy"]).current == 4
    assert set(CompanyMatchStats.objects.values_list("computed_on", flat=True)) == {today()}


def test_the_daily_job_refreshes_the_statistics(network):
    _person, c = network
    CompanyMatchStats.objects.all().delete()
    assert matching.match_stats_daily(on=today()) == {"companies": 5}
    assert CompanyMatchStats.objects.get(company=c["lager"]).past == 2


def test_ranking_reads_a_fixed_number_of_queries(network):
    person, _c = network
    with CaptureQueriesContext(connection) as few:
        rank_companies(job_customer=person)
    for i in range(25):
        make_company(name=f"Ekstra {i}", industry="Detailhandel", postcode="8000")
    match_stats_refresh()  # the factory skips the services, which keep the profiles
    with CaptureQueriesContext(connection) as many:
        rank_companies(job_customer=person)
    assert len(few) == len(many) <= 7


# --- persons for a company ---------------------------------------------------------------------


def _ready(person, rating=ReadinessRating.CALM, on=None):
    ReadinessAssessment.objects.create(
        job_customer=person, area=LifeArea.PSYCHOLOGICAL, rating=rating, assessed_on=on or today()
    )


def _wishes(person, industries="", jobs="", hours=None):
    JobWishes.objects.create(
        job_customer=person, wished_industries=industries, wished_jobs=jobs,
        wished_hours_per_week=hours,
    )  # fmt: skip


def test_ready_persons_whose_wishes_fit_the_company(advisor, other_advisor):
    company = make_company(
        name="Genbrug Nord", industry="Genbrug", offered_jobs="Sortering, prismærkning",
        postcode="9000",
    )  # fmt: skip
    near = make_job_customer(
        first_name="Nær", last_name="Genbrug", postcode="9000", advisor=advisor
    )
    _wishes(near, industries="Genbrug")
    _ready(near)
    far = make_job_customer(
        first_name="Fjern", last_name="Sortering", postcode="2300", advisor=advisor
    )
    _wishes(far, jobs="Sorteringsarbejde")
    _ready(far)
    not_ready = make_job_customer(last_name="Ikke klar", postcode="9000", advisor=advisor)
    _wishes(not_ready, industries="Genbrug")
    _ready(not_ready, ReadinessRating.CALM, on=today() - days(30))
    _ready(not_ready, ReadinessRating.NOT_YET)  # the latest rating is "not yet"
    better_now = make_job_customer(last_name="Bedre nu", postcode="9000", advisor=advisor)
    _wishes(better_now, industries="Genbrug")
    _ready(better_now, ReadinessRating.NOT_YET, on=today() - days(30))
    _ready(better_now, ReadinessRating.ATTENTION)
    unassessed = make_job_customer(last_name="Ikke vurderet", advisor=advisor)
    _wishes(unassessed, industries="Genbrug")
    working = make_job_customer(last_name="I job", advisor=advisor)
    _wishes(working, industries="Genbrug")
    _ready(working)
    make_placement(job_customer=working, company=make_company(), started_on=today() - days(5))
    other_wish = make_job_customer(last_name="Andet ønske", advisor=advisor)
    _wishes(other_wish, industries="Bageri", jobs="Bager")
    _ready(other_wish)
    hidden = make_job_customer(last_name="Skjult", advisor=other_advisor)
    _wishes(hidden, industries="Genbrug")
    _ready(hidden)
    from varig.customers.selectors import job_customers_visible_to

    ranked = rank_job_customers(company=company, visible=job_customers_visible_to(user=advisor))
    assert [s.pk for s in ranked] == [near.pk, better_now.pk, far.pk]
    assert ranked[0].score > ranked[2].score
    assert all(s.score == sum(points for _, points in s.reasons) for s in ranked)


# --- pages ---------------------------------------------------------------------------------------


def test_the_person_page_lists_companies_with_reasons(advisor_client, network):
    person, _c = network
    response = advisor_client.get(reverse("employers:match_person", args=[person.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert (
        content.index("Aarhus Lager") < content.index("Travl Lager") < content.index("Café Horsens")
    )
    assert "Nuværende Lager" not in content
    assert "ingen er blevet kontaktet" in content
    person_page = advisor_client.get(reverse("customers:detail", args=[person.pk]))
    assert reverse("employers:match_person", args=[person.pk]) in person_page.content.decode()


def test_the_company_page_lists_persons_and_links_to_them(advisor_client, advisor):
    company = make_company(name="Genbrug Nord", industry="Genbrug", postcode="9000")
    person = make_job_customer(
        first_name="Nær", last_name="Genbrug", postcode="9000", advisor=advisor
    )
    _wishes(person, industries="Genbrug")
    _ready(person)
    response = advisor_client.get(reverse("employers:match_company", args=[company.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Nær Genbrug" in content
    assert reverse("customers:detail", args=[person.pk]) in content
    page = advisor_client.get(reverse("employers:detail", args=[company.pk])).content.decode()
    assert reverse("employers:match_company", args=[company.pk]) in page


def test_another_advisors_person_cannot_be_matched(client_for, other_advisor, network):
    person, _c = network
    response = client_for(other_advisor).get(reverse("employers:match_person", args=[person.pk]))
    assert response.status_code == 403


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_matching_pages_query_counts_do_not_grow(advisor_client, advisor, network):
    person, c = network
    company = c["lager"]
    for _i in range(2):
        p = make_job_customer(postcode="8000", advisor=advisor)
        _wishes(p, industries="Lager og logistik")
        _ready(p)
    urls = [
        reverse("employers:match_person", args=[person.pk]),
        reverse("employers:match_company", args=[company.pk]),
    ]
    few = [_count(advisor_client, url) for url in urls]
    for i in range(25):
        make_company(name=f"Ekstra {i}", industry="Detailhandel", postcode="8000")
        p = make_job_customer(postcode="8000", advisor=advisor)
        _wishes(p, industries="Lager og logistik", jobs="Lager")
        _ready(p)
    match_stats_refresh()  # the factory skips the services, which keep the profiles
    many = [_count(advisor_client, url) for url in urls]
    assert few == many
    assert max(many) <= 20


def test_a_company_made_or_changed_through_the_services_is_matched_at_once(network, advisor):
    from varig.employers import services

    person, _c = network
    made = services.company_create(
        name="Ny Butik", industry="Detailhandel", offered_jobs="Butiksarbejde", postcode="8000"
    )
    ranked = [s.pk for s in rank_companies(job_customer=person)]
    assert made.pk in ranked[:3]
    services.company_update(
        company=made, expected_version=None, name="Ny Butik", industry="Bageri", postcode="9000"
    )
    profile = CompanyMatchStats.objects.get(company=made)
    assert (profile.industry_lower, profile.area) == ("bageri", "90")


def test_companies_without_a_profile_are_added_before_ranking(network):
    person, _c = network
    late = make_company(name="Importeret Lager", industry="Lager og logistik", postcode="8000")
    assert not CompanyMatchStats.objects.filter(company=late).exists()
    assert late.pk in [s.pk for s in rank_companies(job_customer=person)]
    assert CompanyMatchStats.objects.filter(company=late).exists()
