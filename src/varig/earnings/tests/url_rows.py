"""The earnings guide's rows in the URL x role matrix (core/tests/url_table.py). The rates'
rows are in the core table (they came first); new earnings URLs add their rows here."""

from varig.core.tests.url_table import (
    GET_ONLY,
    PERSON_PAGE,
    PERSON_SECTION_POST,
    POST_ONLY,
    STAFF,
    Row,
    ans,
    person,
    person_and,
)

ROWS = {
    # The calculator: every staff role; it only reads (GET), nothing is saved.
    "earnings:calculator": Row(get=STAFF, post=ans(405)),
    # On a job customer's record: read like the person's page; saving and the pension saving
    # like the person's small forms (an empty POST is invalid: 400; consultants only read).
    "earnings:person": Row(get=PERSON_PAGE, post=GET_ONLY, kwargs=person, scoped=True),
    "earnings:person_calculator": Row(get=PERSON_PAGE, post=GET_ONLY, kwargs=person, scoped=True),
    "earnings:calculation_save": Row(
        get=POST_ONLY, post=PERSON_SECTION_POST, kwargs=person, scoped=True
    ),
    "earnings:saved_detail": Row(
        get=PERSON_PAGE,
        post=GET_ONLY,
        kwargs=person_and("saved_calculation", "calc_pk"),
        scoped=True,
    ),
    "earnings:saved_pdf": Row(
        get=PERSON_PAGE,
        post=GET_ONLY,
        kwargs=person_and("saved_calculation", "calc_pk"),
        scoped=True,
    ),
    "earnings:pension_add": Row(
        get=POST_ONLY, post=PERSON_SECTION_POST, kwargs=person, scoped=True
    ),
    "earnings:pension_stop": Row(
        get=POST_ONLY,
        post=PERSON_SECTION_POST,
        kwargs=person_and("pension_saving", "saving_pk"),
        scoped=True,
    ),
    "earnings:pension_edit": Row(
        get=POST_ONLY,
        post=PERSON_SECTION_POST,
        kwargs=person_and("pension_saving", "saving_pk"),
        scoped=True,
    ),
}


def extend_world(world) -> None:
    """A rate of the world's own (`world.rate`): the rows the data migration seeds are gone
    after a transactional test in the same worker has emptied the tables. And for each
    record (own, other) a saved calculation and an open pension saving on its person."""
    from varig.earnings.services import calculation_save

    from .factories import TEST_YEAR, make_inputs, make_pension_saving, make_rate, make_year

    world.rate = make_rate()
    year = TEST_YEAR + 1
    make_year(year=year)
    world.saved_calculation, world.pension_saving = {}, {}
    for record, job_customer in world.person.items():
        world.saved_calculation[record] = calculation_save(
            actor=None, job_customer=job_customer, inputs=make_inputs(year=year)
        )
        world.pension_saving[record] = make_pension_saving(job_customer=job_customer)
