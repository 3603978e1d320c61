"""Fuzzing the forms with hypothesis, share 1 of 3 (the split lets pytest-xdist spread the
forms over its workers; the rules are in fuzzing.py)."""

import pytest

from .fuzzing import fuzz, fuzz_world, names_share

pytestmark = pytest.mark.django_db

__all__ = ["fuzz_world"]  # the module-scoped fixture


SHARE = names_share(0, 3)


@pytest.mark.parametrize("name", SHARE)
def test_the_form_takes_hostile_input_without_a_server_error(name, fuzz_world, client_for):
    fuzz(name, fuzz_world, client_for)


def test_every_skipped_url_still_exists_and_takes_a_post():
    from .fuzzing import SKIP
    from .pagewalk import posting_urls

    stale = sorted(set(SKIP) - posting_urls())
    assert not stale, f"SKIP in core/tests/fuzzing.py names URLs that take no POST: {stale}"
