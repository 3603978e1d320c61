"""Walking every page of the URL x role matrix (`url_table.py`, `world.py`) for the page-wide
tests: the forms on them for the fuzz tests (`test_fuzz_forms_*.py`) and their HTML for the XSS
test (`test_xss.py`).

Pages come from the URL table, so a new page is walked as soon as it has its row there; forms
are found in the pages' HTML (every `<form method="post">`, wherever it sits: a page of its own,
a card on the person's page, a partial loaded by htmx) and matched back to a URL name through
the resolver.
"""

import datetime
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import connection
from django.urls import Resolver404, resolve, reverse

from .url_table import OTHER, OWN, ROLES, TABLE

# The order a form is looked for: the roles that see the most first.
ROLE_ORDER = ("administrator", "manager", "advisor", "consultant")
REFUSED = (403, 404, 405)


def expected(answers, role: str, record: str):
    value = answers[role] if isinstance(answers, dict) else answers
    if isinstance(value, tuple):
        return value[0] if record == OWN else value[1]
    return value


def records(row) -> tuple[str, ...]:
    return (OWN, OTHER) if row.scoped else (OWN,)


def url_for(name: str, world, record: str = OWN) -> str:
    row = TABLE[name]
    return reverse(name, kwargs=row.kwargs(world, record) if row.kwargs else {})


def pages(world, roles=ROLES):
    """(name, role, record, url) of every page a role may GET (its row says 200)."""
    for name, row in sorted(TABLE.items()):
        for role in roles:
            for record in records(row):
                if expected(row.get, role, record) == 200:
                    yield name, role, record, url_for(name, world, record)


def may_post(name: str, role: str, record: str = OWN) -> bool:
    answer = expected(TABLE[name].post, role, record)
    return answer not in REFUSED and answer != "login"


def posting_urls() -> set[str]:
    """URL names whose row lets some role POST (anything but 403/404/405 or the login page)."""
    return {
        name
        for name, row in TABLE.items()
        if name != "core:login"
        and any(may_post(name, r, rec) for r in ROLES for rec in records(row))
    }


# --- Forms -----------------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: (
        str  # text, textarea, date, number, email, select, checkbox, radio, hidden, file, password
    )
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    required: bool = False


@dataclass
class Form:
    name: str  # the URL name it posts to
    url: str  # its action
    page: str  # the page it was found on
    role: str  # who saw it
    fields: list[Field]
    multipart: bool = False

    def valid(self) -> dict:
        """Every field at its shown value, or a plausible one where it is empty."""
        return {f.name: plausible(f) for f in self.fields}


def _kind(element) -> str:
    tag = element.tag
    if tag == "textarea":
        return "textarea"
    if tag == "select":
        return "select"
    kind = (element.get("type") or "text").lower()
    placeholder = element.get("placeholder") or ""
    if kind == "text" and ("yyyy" in placeholder or "åååå" in placeholder):
        return "date"  # core.forms.DateInput: dd-mm-åååå
    return kind


def parse_forms(html: str, page: str, role: str) -> list[Form]:
    """Every POST form in a page whose action (empty: the page itself) is one of our URLs."""
    import lxml.html

    if not html.strip():
        return []
    document = lxml.html.fromstring(html)
    found = []
    for element in document.iter("form"):
        if (element.get("method") or "get").lower() != "post":
            continue
        action = element.get("action") or element.get("hx-post") or page
        path = urlsplit(action).path or urlsplit(page).path
        try:
            match = resolve(path)
        except Resolver404:
            continue
        fields: dict[str, Field] = {}
        for control in element.iter("input", "select", "textarea"):
            name = control.get("name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            kind = _kind(control)
            if kind in ("submit", "button", "reset", "image"):
                continue
            if control.tag == "select":
                options = [o.get("value", o.text_content()) for o in control.iter("option")]
                chosen = [
                    o.get("value", o.text_content())
                    for o in control.iter("option")
                    if o.get("selected") is not None
                ]
                value = chosen[0] if chosen else next((o for o in options if o), "")
                current = Field(name, "select", value, options, control.get("multiple") is not None)
            elif control.tag == "textarea":
                current = Field(name, "textarea", control.text or "")
            elif kind in ("checkbox", "radio"):
                current = fields.get(name) or Field(name, kind, "", [], kind == "checkbox")
                current.options.append(control.get("value", "on"))
                if control.get("checked") is not None and not current.value:
                    current.value = control.get("value", "on")
            else:
                current = Field(name, kind, control.get("value", ""))
            current.required = current.required or control.get("required") is not None
            fields[name] = current
        found.append(
            Form(
                name=match.view_name,
                url=path,
                page=page,
                role=role,
                fields=list(fields.values()),
                multipart="multipart" in (element.get("enctype") or ""),
            )
        )
    return found


def plausible(f: Field) -> str | list[str]:
    if f.kind == "select":
        return [f.value] if f.multiple else f.value
    if f.kind in ("checkbox", "radio"):
        if f.multiple:
            return [f.value] if f.value else f.options[:1]
        return f.value or f.options[0]
    if f.value:
        return f.value
    if f.kind == "date":
        return datetime.date.today().strftime("%d-%m-%Y")
    if f.kind == "number":
        return "1"
    if f.kind == "email":
        return "fuzz@example.dk"
    if f.kind == "file":
        return ""
    return "Fuzz"


def _later_links(html: str, page: str) -> list[str]:
    """The page's links to itself with a form opened (`?open=…`, customers/_form_later.html):
    the forms a page builds only when someone opens them."""
    import lxml.html

    path = urlsplit(page).path
    links = set()
    for element in lxml.html.fromstring(html).iter("a"):
        href = urlsplit(element.get("href") or "")
        if href.path == path and "open=" in href.query:
            links.add(f"{path}?{href.query}")
    return sorted(links)


def _part(url: str) -> str:
    return url.strip("/").split("/")[0]


def posters(name: str) -> list[str]:
    return [r for r in ROLE_ORDER if may_post(name, r)]


def discover_forms(world, client_for, wanted: set[str]) -> dict[str, Form]:
    """A form for each wanted URL name, found on the world's pages as a role that may post it.

    The likely pages first: the URL itself and the pages above it (a note form posting to
    /jobkunder/1/noter/ny/ sits on /jobkunder/1/); then every page, role by role, until each
    wanted form is found (a form nobody can find costs a walk over every page, then fails)."""
    forms: dict[str, Form] = {}
    walked: set[tuple[str, str]] = set()
    clients: dict = {}
    by_role = {
        role: [url for _n, _r, record, url in pages(world, roles=(role,)) if record == OWN]
        for role in ROLE_ORDER
    }

    def walk(role: str, url: str) -> None:
        if (role, url) in walked:
            return
        walked.add((role, url))
        client = clients.get(role) or clients.setdefault(role, client_for(world.users[role]))
        response = client.get(url)
        if response.status_code != 200 or not is_html(response):
            return
        html = response.content.decode()
        if not html.strip():
            return
        for form in parse_forms(html, url, role):
            if form.name in wanted and may_post(form.name, role):
                forms.setdefault(form.name, form)
        for later in _later_links(html, url):
            walk(role, later)

    for name in sorted(wanted):
        target = url_for(name, world)
        for role in posters(name):
            above = [u for u in by_role[role] if u != "/" and target.startswith(u.split("?")[0])]
            for url in sorted(above, key=len, reverse=True):
                walk(role, url)
                if name in forms:
                    break
            if name in forms:
                break
    # Then the pages of the same part of the site (/ringerunder/… for a call form), as each role
    # in turn; then every page.
    for nearby in (True, False):
        for role in ROLE_ORDER:
            missing = {n for n in wanted - set(forms) if may_post(n, role)}
            parts = {_part(url_for(n, world)) for n in missing}
            for url in by_role[role]:
                if not {n for n in wanted - set(forms) if may_post(n, role)}:
                    break
                if (_part(url) in parts) == nearby:
                    walk(role, url)
    return forms


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


@contextmanager
def stub_pdfs():
    """PDFs are not HTML and take seconds to lay out: the walks get a stub (the template is
    still rendered)."""
    from weasyprint import HTML

    real = HTML.write_pdf
    HTML.write_pdf = lambda self, *args, **kwargs: b"%PDF-1.4 stub"
    try:
        yield
    finally:
        HTML.write_pdf = real


# --- The database ----------------------------------------------------------------------------

# Rows an invalid POST may still add: the audit trail of who read what, the session store and
# the login-attempt log.
UNCOUNTED = re.compile(r"^(auditlog_|django_session$|axes_|django_tasks)")


def counted_tables() -> list[str]:
    return sorted(
        t
        for t in connection.introspection.django_table_names(only_existing=True)
        if not UNCOUNTED.match(t)
    )


def row_counts(tables: list[str]) -> dict[str, int]:
    """Every table's row count in one query."""
    quote = connection.ops.quote_name
    parts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))
