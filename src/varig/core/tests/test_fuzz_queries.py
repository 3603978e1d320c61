"""Every page answers hostile query parameters without a server error.

The parameters are the ones the page itself uses, found in its HTML (the fields of its GET
forms, the query of its links and htmx requests to the same path) plus `page`; each is set to a
NUL byte, a digit that is not ASCII ("²".isdigit() is True, int("²") fails) and a number past
any integer column. Pages come from the URL table, so a new page is covered with its row.
"""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import transaction

from .pagewalk import ROLE_ORDER, expected, is_html, stub_pdfs, url_for
from .url_table import OWN, TABLE
from .world import build_world

pytestmark = pytest.mark.django_db

VALUES = ("a\x00b", "²", "99999999999999999999")


def parameters(html: str) -> dict[str, set[str]]:
    """Per path, the query parameters this page sends there: its GET forms' fields, and the
    query of its links and htmx requests."""
    import lxml.html

    found: dict[str, set[str]] = {}
    if not html.strip():
        return found
    document = lxml.html.fromstring(html)
    for form in document.iter("form"):
        if (form.get("method") or "get").lower() == "get":
            path = urlsplit(form.get("hx-get") or form.get("action") or "").path
            names = {c.get("name") for c in form.iter("input", "select") if c.get("name")}
            found.setdefault(path, set()).update(names)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for attr in ("href", "hx-get"):
            link = urlsplit(element.get(attr) or "")
            if link.query:
                found.setdefault(link.path, set()).update(n for n, _v in parse_qsl(link.query))
    return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), stub_pdfs():
        yield build_world()
        transaction.set_rollback(True)


def test_no_page_fails_on_hostile_query_parameters(world, client_for):
    clients, targets, used = {}, [], {}
    for name, row in sorted(TABLE.items()):
        role = next((r for r in ROLE_ORDER if expected(row.get, r, OWN) == 200), None)
        if role is None:
            continue
        client = clients.get(role) or clients.setdefault(role, client_for(world.users[role]))
        url = url_for(name, world)
        with transaction.atomic():
            response = client.get(url)
            transaction.set_rollback(True)
        if response.status_code != 200 or not is_html(response):
            continue
        targets.append((url, role))
        for path, names in parameters(response.content.decode()).items():
            used.setdefault(path or urlsplit(url).path, set()).update(names)
    wrong, tried = [], 0
    for url, role in targets:
        names = {"page"} | used.get(urlsplit(url).path, set())
        for value in VALUES:
            tried += 1
            with transaction.atomic():
                try:
                    answer = clients[role].get(url, dict.fromkeys(names, value)).status_code
                except Exception as error:
                    answer = repr(error)[:120]
                transaction.set_rollback(True)
            if not isinstance(answer, int) or answer >= 500:
                wrong.append(f"GET {url} with {sorted(names)} = {value!r} as {role}: {answer}")
    assert tried > 100
    assert not wrong, "\n".join(wrong)
