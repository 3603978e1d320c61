import datetime

import pytest

from varig.employers import selectors
from varig.employers.tests.factories import make_company, make_contact
from varig.placements.models import Placement
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 1)


def names(queryset) -> list[str]:
    return [c.name for c in queryset]


def test_company_list_counts_active_placements_and_contacts_on_the_day():
    company = make_company(name="Tælles")
    make_placement(company=company, started_on=datetime.date(2025, 1, 1))  # active
    make_placement(company=company, started_on=datetime.date(2025, 1, 1), ended_on=DAY)  # last day
    make_placement(
        company=company, started_on=datetime.date(2024, 1, 1), ended_on=datetime.date(2025, 5, 31)
    )  # ended the day before
    make_placement(company=company, started_on=datetime.date(2025, 6, 2))  # starts later
    make_contact(company=company)
    make_contact(company=company, active_until=datetime.date(2025, 5, 31))
    make_contact(company=company, active_from=datetime.date(2025, 7, 1))
    make_company(name="Tom")

    rows = {c.name: c for c in selectors.company_list(on=DAY)}
    assert (rows["Tælles"].active_placements, rows["Tælles"].active_contacts) == (2, 1)
    assert (rows["Tom"].active_placements, rows["Tom"].active_contacts) == (0, 0)


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("bager", ["Bageriet"]),  # name, case-insensitive
        ("13 58 56 28", ["Bageriet"]),  # CVR with spaces
        ("1358", ["Bageriet"]),  # the start of a CVR
        ("transport", ["Fragt ApS"]),  # industry
        ("8000", ["Bageriet"]),  # postcode
        ("5", ["Fragt ApS"]),  # postcode start
        ("ingenting", []),
    ],
)
def test_company_list_search(search, expected):
    make_company(name="Bageriet", cvr="13585628", industry="Bageri", postcode="8000")
    make_company(name="Fragt ApS", cvr="10150817", industry="Transport", postcode="5000")
    assert names(selectors.company_list(search=search)) == expected


def test_company_list_filters_by_industry():
    make_company(name="A", industry="Bageri")
    make_company(name="B", industry="Transport")
    assert names(selectors.company_list(industry="Transport")) == ["B"]
    assert selectors.industry_choices() == ["Bageri", "Transport"]


def test_company_list_sorts():
    a = make_company(name="Alfa", postcode="9000", employees=5)
    make_company(name="Beta", postcode="1000", employees=None)
    c = make_company(name="Gamma", postcode="5000", employees=50)
    make_placement(company=c)
    make_placement(company=c)
    make_placement(company=a)
    on = datetime.date(2025, 2, 1)
    assert names(selectors.company_list(sort="name")) == ["Alfa", "Beta", "Gamma"]
    assert names(selectors.company_list(sort="-name")) == ["Gamma", "Beta", "Alfa"]
    assert names(selectors.company_list(sort="postcode")) == ["Beta", "Gamma", "Alfa"]
    assert names(selectors.company_list(sort="-postcode")) == ["Alfa", "Gamma", "Beta"]
    # Companies without a number of employees come last both ways.
    assert names(selectors.company_list(sort="employees")) == ["Alfa", "Gamma", "Beta"]
    assert names(selectors.company_list(sort="-employees")) == ["Gamma", "Alfa", "Beta"]
    assert names(selectors.company_list(sort="-placements", on=on)) == ["Gamma", "Alfa", "Beta"]
    assert names(selectors.company_list(sort="placements", on=on)) == ["Beta", "Alfa", "Gamma"]
    assert names(selectors.company_list(sort="nonsense")) == ["Alfa", "Beta", "Gamma"]


def test_company_contacts_splits_current_and_former_with_mentors_first():
    company = make_company()
    make_contact(company=company, name="Anna")
    make_contact(company=company, name="Bo", is_mentor=True)
    make_contact(company=company, name="Carl", active_from=datetime.date(2025, 9, 1))
    make_contact(company=company, name="Dorte", active_until=datetime.date(2025, 1, 1))
    make_contact(company=company, name="Erik", active_until=datetime.date(2025, 3, 1))
    make_contact(name="Fremmed")
    current, former = selectors.company_contacts(company=company, on=DAY)
    assert names(current) == ["Bo", "Anna", "Carl"]
    assert names(former) == ["Erik", "Dorte"]


def test_contacts_for_company_gives_only_active_contacts():
    company = make_company()
    make_contact(company=company, name="Aktiv")
    make_contact(company=company, name="Mentor", is_mentor=True)
    make_contact(company=company, name="Stoppet", active_until=DAY - datetime.timedelta(days=1))
    make_contact(company=company, name="Senere", active_from=DAY + datetime.timedelta(days=1))
    make_contact(name="Andet firma")
    assert names(selectors.contacts_for_company(company, on=DAY)) == ["Mentor", "Aktiv"]
    assert names(selectors.contacts_for_company(company.pk, on=DAY)) == ["Mentor", "Aktiv"]


def test_company_choices_are_by_name():
    make_company(name="Zulu")
    make_company(name="Alfa")
    assert names(selectors.company_choices()) == ["Alfa", "Zulu"]


def test_company_placements_current_first_then_later_then_ended():
    company = make_company()
    ended = make_placement(
        company=company, started_on=datetime.date(2024, 1, 1), ended_on=datetime.date(2024, 6, 1)
    )
    current_old = make_placement(company=company, started_on=datetime.date(2023, 1, 1))
    current_new = make_placement(company=company, started_on=datetime.date(2025, 1, 1))
    later = make_placement(
        company=company, started_on=datetime.date(2025, 8, 1), kind=Placement.Kind.PRAKTIK
    )
    rows = list(selectors.company_placements(company=company, on=DAY))
    assert rows == [current_new, current_old, later, ended]
    assert [p.is_current for p in rows] == [2, 2, 1, 0]


def test_company_placements_load_nothing_but_names_from_the_job_customer():
    placement = make_placement()
    row = selectors.company_placements(company=placement.company).get()
    deferred = row.job_customer.get_deferred_fields()
    assert {"birth_date", "email", "phone", "address", "competences"} <= deferred
    assert "first_name" not in deferred and "last_name" not in deferred


# --- company_search (the company picker) ---------------------------------------------------------


def test_company_search_matches_name_anywhere_case_insensitively_ordered_by_name():
    make_company(name="Zebra Bageri ApS")
    make_company(name="Bageriet Solsikken ApS")
    make_company(name="Grøn Have ApS")
    assert names(selectors.company_search(q="BAGERI")) == [
        "Bageriet Solsikken ApS",
        "Zebra Bageri ApS",
    ]


def test_company_search_matches_cvr_postcode_and_city_by_their_start():
    by_cvr = make_company(name="Efter CVR", cvr="13585628")
    by_postcode = make_company(name="Efter postnummer", postcode="8000", city="Aarhus C")
    by_city = make_company(name="Efter by", postcode="5000", city="Odense C")
    make_company(name="Ingen af dem", postcode="9000", city="Aalborg")
    assert selectors.company_search(q="1358 56") == [by_cvr]  # typed with a space
    assert selectors.company_search(q="DK13585628") == [by_cvr]
    assert selectors.company_search(q="80") == [by_postcode]
    assert selectors.company_search(q="odense") == [by_city]
    assert selectors.company_search(q="58562") == []  # the CVR only matches from its start


def test_company_search_is_bounded_and_an_empty_query_matches_nothing(
    django_assert_num_queries,
):
    for n in range(30):
        make_company(name=f"Firma {n:02d}")
    with django_assert_num_queries(1):
        found = selectors.company_search(q="firma", limit=20)
    assert names(found) == [f"Firma {n:02d}" for n in range(20)]
    assert len(selectors.company_search(q="firma", limit=5)) == 5
    assert selectors.company_search(q="") == []
    assert selectors.company_search(q="   ") == []


def test_companies_by_pk_skips_unknown_keys_and_is_bounded():
    b = make_company(name="B")
    a = make_company(name="A")
    assert selectors.companies_by_pk([b.pk, 999999, a.pk]) == [a, b]
    assert selectors.companies_by_pk([b.pk, a.pk], limit=1) == [b]
