"""The earnings guide's rows in the URL x role matrix (core/tests/url_table.py). The rates'
rows are in the core table (they came first); new earnings URLs add their rows here."""

from varig.core.tests.url_table import STAFF, Row, ans

ROWS = {
    # The calculator: every staff role; it only reads (GET), nothing is saved.
    "earnings:calculator": Row(get=STAFF, post=ans(405)),
}


def extend_world(world) -> None:
    """A rate of the world's own (`world.rate`): the rows the data migration seeds are gone
    after a transactional test in the same worker has emptied the tables."""
    from .factories import make_rate

    world.rate = make_rate()
