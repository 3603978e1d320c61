import pytest
from django.core.paginator import Paginator

from varig.core.models import User
from varig.core.pagination import page_with_total
from varig.core.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    for i in range(7):
        make_user(email=f"u{i}@example.dk", name=f"User {i}")
    return User.objects.order_by("email")


@pytest.mark.parametrize("number", [None, "", 1, "2", 3, "nonsense", 4, 99, "0", -1])
def test_same_page_as_get_page(users, number):
    expected = Paginator(users, 3).get_page(number)
    page = page_with_total(users, 3, number)
    assert page.number == expected.number
    assert list(page.object_list) == list(expected.object_list)
    assert page.paginator.count == 7 and page.paginator.num_pages == 3
    assert page.has_next() == expected.has_next()


def test_one_query_for_a_page_with_rows(users, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = page_with_total(users, 3, 2)
        assert page.paginator.count == 7 and len(page.object_list) == 3


def test_empty_list_is_one_empty_page(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = page_with_total(User.objects.order_by("pk"), 3, 1)
    assert page.number == 1 and list(page.object_list) == [] and page.paginator.count == 0


def test_either_end_gives_every_page_as_paginator_does(db):
    from varig.core.pagination import EitherEndPaginator

    for i in range(23):
        make_user(email=f"p{i}@example.dk", name=f"Name {i % 4}")  # ties, broken by pk
    users = User.objects.order_by("-name", "pk")
    for per_page, orphans in ((5, 0), (4, 2), (25, 0)):
        plain = Paginator(users, per_page, orphans=orphans)
        either = EitherEndPaginator(users, per_page, orphans=orphans)
        assert either.num_pages == plain.num_pages
        for n in plain.page_range:
            assert list(either.page(n).object_list) == list(plain.page(n).object_list), n


def test_either_end_reads_the_last_page_from_the_end(db):
    from varig.core.pagination import EitherEndPaginator

    for i in range(9):
        make_user(email=f"q{i}@example.dk", name=f"N{i}")
    paginator = EitherEndPaginator(User.objects.order_by("name", "pk"), 4)
    page = paginator.page(3)
    assert [u.name for u in page.object_list] == ["N8"]
    assert page.has_previous() and not page.has_next()
