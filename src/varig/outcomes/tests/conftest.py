import pytest
from django.core.cache import cache

from varig.outcomes import results


@pytest.fixture(autouse=True)
def _no_results_cache(monkeypatch):
    """The figures' tests see every change at once: the Resultater page's cache is off
    (a timeout of 0 stores nothing) unless a test asks for `results_cache`."""
    cache.clear()
    monkeypatch.setattr(results, "CACHE_SECONDS", 0)
    yield
    cache.clear()


@pytest.fixture
def results_cache(monkeypatch):
    monkeypatch.setattr(results, "CACHE_SECONDS", 600)
