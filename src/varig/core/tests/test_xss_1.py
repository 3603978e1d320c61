"""No page runs script from a text field, share 1 of 2 (the rules are in xss.py)."""

import pytest
from django.urls import reverse

from .url_table import OWN, TABLE
from .world import build_world
from .xss import ESCAPED_SCRIPT, TEMPLATE, check_pages, seeded_world

pytestmark = pytest.mark.django_db

SHARE = sorted(TABLE)[0::2]


@pytest.fixture(scope="module")
def xss_world(django_db_setup, django_db_blocker):
    yield from seeded_world(django_db_blocker, build_world)


@pytest.mark.parametrize("name", SHARE)
def test_the_page_shows_script_in_text_fields_as_text(name, xss_world, client_for):
    world, _seeded = xss_world
    wrong, _shown = check_pages(world, {name}, client_for)
    assert not wrong, "\n".join(wrong)


def test_the_payload_reaches_the_pages_and_shows_escaped(xss_world, client_for):
    """The test above would pass on pages that show nothing: the seeded text must be there,
    escaped (and `{{7*7}}` as text, never evaluated)."""
    world, seeded = xss_world
    assert {"customers.JobCustomer", "employers.Company", "core.User"} <= set(seeded)
    names = {"customers:detail", "customers:list", "employers:detail", "placements:detail"}
    wrong, shown = check_pages(world, names, client_for)
    assert not wrong
    assert all(shown.get(name) for name in names), shown
    url = reverse("customers:detail", kwargs={"pk": world.person[OWN].pk})
    page = client_for(world.users["advisor"]).get(url).content.decode()
    assert ESCAPED_SCRIPT in page and TEMPLATE in page


def test_the_check_sees_the_payload_as_markup_and_not_as_escaped_text():
    from .xss import IMG, SCRIPT, holes

    escaped = (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>"
    )
    assert holes(escaped) == []
    assert holes('<script type="application/json">"\\u003Cscript\\u003Ealert(1)"</script>') == []
    assert holes(f"<p>{SCRIPT}</p>")
    assert holes(f'<input value="{IMG}">')
    assert holes(f"<div class={IMG}></div>")  # an unquoted attribute
    assert holes(f"<textarea>{SCRIPT}</textarea>")  # raw, though parsed as text
    assert holes('<a href="javascript:alert(1)">x</a>')
