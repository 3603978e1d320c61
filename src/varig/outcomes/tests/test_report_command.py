import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from varig.customers.tests.factories import make_job_customer
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("report", "retention", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def data():
    a = make_job_customer(associated_from=datetime.date(2016, 6, 1))
    make_placement(
        job_customer=a,
        started_on=datetime.date(2017, 1, 1),
        ended_on=datetime.date(2018, 12, 31),
        desired_job=True,
    )
    make_job_customer(
        associated_from=datetime.date(2017, 1, 1), associated_until=datetime.date(2018, 12, 31)
    )


def test_json_years_gives_31_december_each_year_with_exact_keys(data):
    rows = json.loads(run("--years", "2016-2019", "--format", "json"))
    assert [r["reference_date"] for r in rows] == [
        "2016-12-31",
        "2017-12-31",
        "2018-12-31",
        "2019-12-31",
    ]
    for row in rows:
        assert list(row) == [
            "reference_date",
            "associated",
            "in_work",
            "in_desired_job",
            "coefficient",
        ]
        assert isinstance(row["coefficient"], float)
    assert [(r["associated"], r["in_work"], r["in_desired_job"]) for r in rows] == [
        (1, 0, 0),
        (2, 1, 1),
        (2, 1, 1),
        (1, 0, 0),
    ]
    assert [r["coefficient"] for r in rows] == [0.0, 0.5, 0.5, 0.0]


def test_json_at_one_date(data):
    rows = json.loads(run("--at", "2018-12-31", "--format", "json"))
    assert rows == [
        {
            "reference_date": "2018-12-31",
            "associated": 2,
            "in_work": 1,
            "in_desired_job": 1,
            "coefficient": 0.5,
        }
    ]


def test_coefficient_zero_when_none_associated():
    rows = json.loads(run("--at", "2010-01-01", "--format", "json"))
    assert rows[0]["associated"] == 0
    assert rows[0]["coefficient"] == 0.0


def test_csv(data):
    rows = list(csv.DictReader(io.StringIO(run("--years", "2017-2018", "--format", "csv"))))
    assert rows == [
        {
            "reference_date": "2017-12-31",
            "associated": "2",
            "in_work": "1",
            "in_desired_job": "1",
            "coefficient": "0.5",
        },
        {
            "reference_date": "2018-12-31",
            "associated": "2",
            "in_work": "1",
            "in_desired_job": "1",
            "coefficient": "0.5",
        },
    ]


def test_table_is_the_default(data):
    out = run("--years", "2017")
    lines = out.splitlines()
    assert "Coefficient" in lines[0]
    assert lines[2].split() == ["2017-12-31", "2", "1", "1", "0.500"]


@pytest.mark.parametrize(
    "args",
    [
        ("--years", "2019-2016"),
        ("--years", "abc"),
        ("--at", "2019-02-30"),
    ],
)
def test_bad_arguments(args):
    with pytest.raises(CommandError):
        run(*args)


def test_years_and_at_together_are_refused():
    with pytest.raises(CommandError):
        run("--years", "2016", "--at", "2016-01-01")
