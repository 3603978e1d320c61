"""No page runs script from a text field, share 2 of 2 (the rules are in xss.py)."""

import pytest

from .url_table import TABLE
from .world import build_world
from .xss import check_pages, seeded_world

pytestmark = pytest.mark.django_db

SHARE = sorted(TABLE)[1::2]


@pytest.fixture(scope="module")
def xss_world(django_db_setup, django_db_blocker):
    yield from seeded_world(django_db_blocker, build_world)


@pytest.mark.parametrize("name", SHARE)
def test_the_page_shows_script_in_text_fields_as_text(name, xss_world, client_for):
    world, _seeded = xss_world
    wrong, _shown = check_pages(world, {name}, client_for)
    assert not wrong, "\n".join(wrong)
