"""Every URL x every role x one's own record or another's, against one table of expected
answers (`url_table.py`). The URLs come from the resolver, so a new page cannot be forgotten:
a URL without a row fails here and says where to add it."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .url_table import LOGIN, OTHER, OWN, ROLES, TABLE
from .world import build_world

pytestmark = pytest.mark.django_db


def url_names(resolver=None, namespace: str = "") -> list[str]:
    """Every named URL pattern reachable from the root URLconf, as "namespace:name"."""
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            names.extend(url_names(pattern, inner))
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                names.append(f"<unnamed {pattern.pattern}>")
            else:
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


ALL_URLS = url_names()


def test_every_row_names_a_url_that_exists():
    stale = sorted(set(TABLE) - set(ALL_URLS))
    assert not stale, f"rows in core/tests/url_table.py for URLs that no longer exist: {stale}"


def _expected(answers, role: str, record: str):
    value = answers[role] if isinstance(answers, dict) else answers
    if isinstance(value, tuple):
        return value[0] if record == OWN else value[1]
    return value


def _matches(response, expected) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(
            reverse("core:login")
        )
    return response.status_code == expected


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the whole module, in a transaction rolled back at its end; every test's
    own transaction (and each request's, below) is a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", ALL_URLS)
def test_url_answers_every_role_as_the_table_says(name, world, client_for):
    row = TABLE.get(name)
    if row is None:
        pytest.fail(
            f"The URL {name!r} has no row in src/varig/core/tests/url_table.py. Add one with the "
            "answer each role should get for GET and POST, for their own record and another's."
        )
    clients = {"anonymous": Client(), **{r: client_for(world.users[r]) for r in ROLES}}
    records = (OWN, OTHER) if row.scoped else (OWN,)
    wrong = []
    for role, client in clients.items():
        for record in records:
            kwargs = row.kwargs(world, record) if row.kwargs else {}
            url = reverse(name, kwargs=kwargs)
            for method in ("get", "post"):
                if role == "anonymous":
                    expected = row.anonymous[0 if method == "get" else 1]
                else:
                    expected = _expected(getattr(row, method), role, record)
                # Each request runs against the same world: undo whatever it changed.
                with transaction.atomic():
                    response = getattr(client, method)(url)
                    transaction.set_rollback(True)
                if not _matches(response, expected):
                    wrong.append(
                        f"{method.upper()} {url} as {role} ({record}): "
                        f"{response.status_code}, expected {expected}"
                    )
    assert not wrong, "\n".join(wrong)
