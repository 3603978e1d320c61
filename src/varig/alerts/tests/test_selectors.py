import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from varig.alerts.selectors import flags_open, flags_open_newest
from varig.alerts.tests.factories import make_flag
from varig.customers.tests.factories import make_job_customer


@pytest.mark.django_db
def test_the_newest_open_warnings_are_those_of_the_full_ordering_in_one_query(advisor):
    mine = make_job_customer(advisor=advisor)
    day = datetime.date(2026, 11, 1)
    for n in range(14):
        whose = {"job_customer": mine} if n % 2 else {}
        flag = make_flag(raised_on=day + datetime.timedelta(n % 5), **whose)
        if n == 13:
            flag.lapsed_on = day
            flag.save()
    with CaptureQueriesContext(connection) as queries:
        newest = flags_open_newest(shown=5)
        names = [f.job_customer.full_name for f in newest]  # joined, no more queries
    assert len(queries.captured_queries) == 1 and len(names) == 5
    assert newest == list(flags_open()[:5])
    assert flags_open_newest(advisor=advisor, shown=10) == list(flags_open(advisor=advisor))
