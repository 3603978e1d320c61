"""HTML and script in every text field are rendered inert on every page (used by
`test_xss_*.py`; the URL names are split over those files so pytest-xdist can spread them).

The URL matrix's world is seeded with script in every text column of every Varig model (names,
notes, titles, company names, goals, refs, e-mails …), then every page of the URL table is
fetched as every role that may see it. A page must never carry the payload as markup: not in
its raw HTML, not as a `<script>` element or an event-handler attribute once parsed; the
escaped text shows instead. Downloads that are not HTML (PDF, DOCX, ICS, CSV, JSON) are skipped.
"""

import contextlib

from django.apps import apps
from django.db import IntegrityError, models, transaction

from .pagewalk import is_html, pages, stub_pdfs

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{7*7}}"
PAYLOADS = (SCRIPT + IMG + TEMPLATE, IMG + TEMPLATE, SCRIPT, IMG, TEMPLATE)
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
RAW = ("<script>alert(1)", "<img src=x onerror")

# Columns that keep their value: what the code reads as a key rather than shows as text.
KEEP = {
    "password",
    "key",  # alerts' Flag.key: the rule that raised the flag
    "token_digest",
}


def _text_columns(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not f.primary_key
        and f.name not in KEEP
    ]


def _value(column, pk) -> str | None:
    """The longest payload that fits the column, with the row's pk to keep unique columns so."""
    suffix = f" {pk}" if column.unique or column.model._meta.unique_together else ""
    room = column.max_length or 10_000
    for payload in PAYLOADS:
        if len(payload) + len(suffix) <= room:
            return payload + suffix
    return None


def seed_payloads() -> dict[str, int]:
    """Write a payload into every text column of every row of every Varig model; returns the
    number of columns seeded per model."""
    seeded = {}
    for model in apps.get_models():
        if not model.__module__.startswith("varig."):
            continue
        columns = _text_columns(model)
        if not columns:
            continue
        for pk in model._base_manager.values_list("pk", flat=True):
            values = {c.attname: v for c in columns if (v := _value(c, pk)) is not None}
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**values)
            except IntegrityError:
                # A check constraint ties a column to another (a municipality only for the
                # municipal tax): seed the columns one by one, keeping what the row may hold.
                for column, value in values.items():
                    with contextlib.suppress(IntegrityError), transaction.atomic():
                        model._base_manager.filter(pk=pk).update(**{column: value})
        seeded[model._meta.label] = len(columns)
    return seeded


def holes(html: str) -> list[str]:
    """Where the payload became markup."""
    import lxml.html

    found = [f"raw {raw!r}" for raw in RAW if raw in html]
    if not html.strip():
        return found
    document = lxml.html.document_fromstring(html)
    for script in document.iter("script"):
        text = script.text or ""
        if "alert(1)" in text and not (
            (script.get("type") or "").endswith("json") and "<" not in text
        ):
            found.append(f"<script> with {text[:60]!r}")
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        handlers = [a for a in element.attrib if a.lower().startswith("on")]
        if handlers:
            found.append(f"<{element.tag}> with {handlers}")
        for attr in ("href", "src", "action", "hx-get", "hx-post"):
            if (element.get(attr) or "").strip().lower().startswith("javascript:"):
                found.append(f"<{element.tag} {attr}=javascript:…>")
    return found


def seeded_world(django_db_blocker, build_world):
    with django_db_blocker.unblock(), transaction.atomic(), stub_pdfs():
        world = build_world()
        seeded = seed_payloads()
        yield world, seeded
        transaction.set_rollback(True)


def check_pages(world, names, client_for) -> tuple[list[str], dict[str, int]]:
    """GET every page of `names` as every role that may see it; the holes found, and per URL
    name how many of its answers showed the escaped payload."""
    clients = {}
    wrong, shown = [], {}
    for name, role, record, url in pages(world):
        if name not in names:
            continue
        client = clients.get(role) or clients.setdefault(role, client_for(world.users[role]))
        with transaction.atomic():
            response = client.get(url)
            transaction.set_rollback(True)
        if response.status_code >= 500:
            wrong.append(f"GET {url} as {role} ({record}): {response.status_code}")
            continue
        if not is_html(response):
            continue
        html = response.content.decode()
        for hole in holes(html):
            wrong.append(f"GET {url} as {role} ({record}): {hole}")
        shown[name] = shown.get(name, 0) + (ESCAPED_SCRIPT in html)
    return wrong, shown
