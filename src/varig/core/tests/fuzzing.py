"""Fuzzing every form with hypothesis (used by `test_fuzz_forms_*.py`; the URL names are split
over those files so pytest-xdist can spread them over its workers).

Every URL that takes a POST (its row in the URL table lets some role post) must have its form
found on one of the world's pages (`pagewalk.discover_forms`) or be named in `SKIP` with the
reason. For each form, hypothesis draws inputs: every field at a plausible value but one, or
many fields hostile (unicode, huge strings, HTML and script, SQL-like text, NUL bytes, numbers
at the extremes, impossible dates) or missing, as a plain or an htmx request, multipart or
urlencoded. Each POST runs in a savepoint that is rolled back, against the same world.

Asserted for every example: never a 5xx; an invalid POST (400) adds or removes no row in any
table (the audit trail of reads, the sessions and the login attempts aside); the foreign keys
still hold (`check_constraints`, deferred ones too on PostgreSQL).
"""

import datetime
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .pagewalk import (
    ROLE_ORDER,
    counted_tables,
    discover_forms,
    may_post,
    posting_urls,
    row_counts,
    stub_pdfs,
)
from .world import build_world

# URLs that take a POST but have no form on the world's pages to fuzz, each with the reason.
# Their answers to a POST are still checked by the URL matrix (test_url_matrix.py).
SKIP = {
    # The login steps: the password page is anonymous (its lockout has tests of its own,
    # core/tests/test_login.py); the code page sends a verified session on; a fuzzed logout
    # would only end the session.
    "core:otp_verify": "a verified session is sent on; the code page has its own tests",
    "core:logout": "ends the session; no input",
    "core:set_language_anonymous": "the login page's language switch, for visitors",
    # Pages that answer a POST as a GET: no form posts to them (their filters are GET forms).
    "core:today": "answers a POST as a GET",
    "core:user_list": "answers a POST as a GET",
    "employers:list": "answers a POST as a GET",
    "employers:detail": "answers a POST as a GET",
    "placements:detail": "answers a POST as a GET",
    "placements:contact_options": "the placement form's contact options (htmx), read only",
    "outcomes:import_detail": "answers a POST as a GET",
    "outcomes:import_problems": "a text download",
    # Buttons without fields that the world's state does not show (their answers to a POST
    # are in the URL matrix): an unlock for a locked-out user, undoing a recorded offer,
    # revoking a calendar feed, asking to erase a person who has no open request.
    "core:user_unlock": "a button without fields, shown only for a locked-out user",
    "employers:onboarding_undo": "a button without fields, shown after an offer is recorded",
    "activities:calendar_revoke": "a button without fields, shown once a feed exists",
    "privacy:erasure_request": "the world's persons have an open request already",
    # The earnings guide's save form sits under a calculated answer (a GET with the answers in
    # the query string), which no page links to by itself; its bad input (impossible hours,
    # wages, years, municipalities, a too long title) is in earnings/tests/test_views_person.py.
    "earnings:calculation_save": "shown only under a calculated answer (the answers' GET)",
}

EXAMPLES = 8  # per form; the whole fuzz suite stays within about a minute on two cores

HOSTILE = [
    "",
    " ",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}}{% now 'Y' %}",
    "'; DROP TABLE customers_jobcustomer; --",
    "' OR '1'='1",
    '" OR ""="',
    "\x00",
    "a\x00b",
    "x" * 20_000,
    "ø" * 3000,
    "😀" * 500,
    "\u202eevil\u200b",
    "-1",
    "²",
    "١٢",
    "0",
    "-0",
    "1e308",
    "-1e308",
    "NaN",
    "inf",
    "99999999999999999999999",
    "-9223372036854775809",
    "2147483648",
    "0.000000000000000000001",
    "48.0001",
    "7,5",
    "31-02-2026",
    "2026-02-30",
    "00-00-0000",
    "29-02-2025",
    "31-12-9999",
    "01-01-0001",
    "01-01-10000",
    "99-99-9999",
    "2026-13-01",
    "%s%n%x",
    "../../etc/passwd",
    "JK-000001",
    "null",
    "[]",
    "{}",
]

FILES = [
    ("bevis.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
    ("billede.png", b"\x89PNG\r\n\x1a\nnot really"),
    ("tom.pdf", b""),
    ("<script>.exe", b"MZ\x90\x00"),
]

_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
_hostile = st.one_of(
    st.sampled_from(HOSTILE),
    _text,
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates(min_value=datetime.date(1, 1, 1)).map(lambda d: d.strftime("%d-%m-%Y")),
)


def _value(field):
    if field.kind == "file":
        return st.sampled_from(FILES).map(lambda f: SimpleUploadedFile(f[0], f[1]))
    one = _hostile
    if field.options:
        one = st.one_of(st.sampled_from(field.options), _hostile)
    if field.multiple:
        return st.lists(one, max_size=3)
    return one


@st.composite
def form_data(draw, form) -> dict:
    data = form.valid()
    data = {k: v for k, v in data.items() if v != ""}
    names = [f.name for f in form.fields]
    mode = draw(st.sampled_from(["one", "many", "valid"]))
    if mode == "one" and names:
        chosen = {draw(st.sampled_from(names))}
    elif mode == "many":
        chosen = {n for n in names if draw(st.booleans())}
    else:
        chosen = set()
    for f in form.fields:
        if f.name not in chosen:
            continue
        if draw(st.integers(0, 4)) == 0:
            data.pop(f.name, None)  # missing
        else:
            data[f.name] = draw(_value(f))
    return data


def poster(form) -> str | None:
    """The role that posts the form: whoever found it, or the first role allowed to post."""
    if may_post(form.name, form.role):
        return form.role
    return next((r for r in ROLE_ORDER if may_post(form.name, r)), None)


def names_share(index: int, of: int) -> list[str]:
    return sorted(posting_urls() - set(SKIP))[index::of]


@pytest.fixture(scope="module")
def fuzz_world(request, django_db_setup, django_db_blocker):
    """The URL matrix's world for the whole module (rolled back at its end); the module's forms
    (its `SHARE` of the URL names) are found on its pages by the first test that needs them."""
    with django_db_blocker.unblock(), transaction.atomic(), stub_pdfs():
        state = {
            "world": build_world(),
            "forms": None,
            "tables": counted_tables(),
            "wanted": set(request.module.SHARE),
        }
        yield state
        transaction.set_rollback(True)


def forms_of(state, client_for) -> dict:
    if state["forms"] is None:
        state["forms"] = discover_forms(state["world"], client_for, state["wanted"])
    return state["forms"]


def fuzz(name: str, state, client_for) -> None:
    form = forms_of(state, client_for).get(name)
    if form is None:
        pytest.fail(
            f"No form posting to {name!r} was found on any page of the URL matrix's world "
            "(core/tests/world.py). Give the world the record that shows the form, or list the "
            "URL in SKIP in core/tests/fuzzing.py with the reason."
        )
    role = poster(form)
    assert role, f"no role may post to {name}"
    client = client_for(state["world"].users[role])
    client.get(form.page)  # as a person would: the page first (it may set up what it shows)
    tables = state["tables"]

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(data=form_data(form), htmx=st.booleans(), urlencoded=st.booleans())
    def post(data, htmx, urlencoded):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        with transaction.atomic():
            before = row_counts(tables)
            if urlencoded and not form.multipart:
                response = client.post(
                    form.url,
                    urlencode(data, doseq=True),
                    content_type="application/x-www-form-urlencoded",
                    **headers,
                )
            else:
                response = client.post(form.url, data, **headers)
            assert response.status_code < 500, f"{response.status_code} for {form.url}"
            if response.status_code == 400:
                after = row_counts(tables)
                changed = {t: (before[t], after[t]) for t in tables if before[t] != after[t]}
                assert not changed, f"an invalid POST to {form.url} changed rows: {changed}"
            connection.check_constraints()
            transaction.set_rollback(True)

    post()
