"""Fuzzing the forms with hypothesis, share 2 of 3 (the split lets pytest-xdist spread the
forms over its workers; the rules are in fuzzing.py)."""

import pytest

from .fuzzing import fuzz, fuzz_world, names_share

pytestmark = pytest.mark.django_db

__all__ = ["fuzz_world"]  # the module-scoped fixture


SHARE = names_share(1, 3)


@pytest.mark.parametrize("name", SHARE)
def test_the_form_takes_hostile_input_without_a_server_error(name, fuzz_world, client_for):
    fuzz(name, fuzz_world, client_for)
