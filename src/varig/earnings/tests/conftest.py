import importlib

import pytest


@pytest.fixture
def seeded_rates(db):
    """The rates the data migration seeds from the source notes.

    Tests that flush the database (browser tests, transaction=True) remove migration data for
    the tests after them, so a test that relies on the seed puts it back when it is gone.
    """
    from django.apps import apps

    from varig.earnings.models import Rate

    if not Rate.objects.filter(recorded_by__isnull=True, year=2022).exists():
        seed = importlib.import_module("varig.earnings.migrations.0002_seed_rates").seed
        seed(apps, None)
