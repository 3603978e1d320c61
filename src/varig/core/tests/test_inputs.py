"""Query parameters and form values that are not what they look like (core/inputs.py), and the
pages that answered them with a server error before (found by test_fuzz_queries.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from varig.core.inputs import is_digits, query_pk, query_text
from varig.customers.forms import POSTCODE_INVALID, JobCustomerForm
from varig.customers.models import ContactNote
from varig.customers.tests.factories import make_job_customer


def test_only_ascii_digits_are_digits():
    assert is_digits("0042") and query_pk("42") == 42
    for value in ("²", "١٢", "12²", "", " 1", "-1", None, 7):
        assert not is_digits(value) and query_pk(value) is None
    assert query_pk(str(2**63 - 1)) == 2**63 - 1 and query_pk(str(2**63)) is None


def test_a_search_text_has_no_nul_and_a_bounded_length():
    assert query_text(" a\x00b ") == "ab"
    assert query_text(None) == ""
    assert len(query_text("x" * 500)) == 100


def test_a_postcode_of_other_digits_is_refused():
    form = JobCustomerForm(data={"postcode": "²²²²"})
    form.is_valid()
    assert form.errors["postcode"] == [str(POSTCODE_INVALID)]


@pytest.mark.django_db
def test_links_with_a_digit_that_is_not_ascii_are_ignored(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    pages = [
        (reverse("placements:create"), {"job_customer": "²", "company": "²"}),
        (reverse("placements:contact_options"), {"company": "²"}),
        (reverse("customers:goal_create", args=[jc.pk]), {"parent": "²"}),
        (reverse("activities:recommend", args=[jc.pk]), {"activity": "²"}),
        (reverse("employers:support_create"), {"job_customer": "²"}),
        (reverse("employers:support_list"), {"job_customer": "²"}),
        (reverse("employers:support_list"), {"job_customer": "99999999999999999999"}),
        (reverse("employers:company_options"), {"suggested": "²,1"}),
    ]
    for url, query in pages:
        assert advisor_client.get(url, query).status_code == 200, url


@pytest.mark.django_db
def test_searches_with_a_nul_byte_find_nothing_instead_of_failing(administrator, client_for):
    # PostgreSQL refuses NUL in a query (DataError: a 500 before).
    client = client_for(administrator)
    assert client.get(reverse("core:user_list"), {"q": "Vera\x00"}).status_code == 200
    assert client.get(reverse("employers:company_options"), {"q": "a\x00b"}).status_code == 200


@pytest.mark.django_db
def test_a_notes_page_past_any_integer_is_the_last_page(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    ContactNote.objects.create(
        job_customer=jc, author=advisor, text="Første samtale", occurred_at=timezone.now()
    )
    # OFFSET (n - 1) * 20 is past PostgreSQL's bigint: a 500 before, on SQLite too.
    response = advisor_client.get(
        reverse("customers:detail", args=[jc.pk]), {"page": "99999999999999999999"}
    )
    assert response.status_code == 200
    assert "Første samtale" in response.content.decode()
