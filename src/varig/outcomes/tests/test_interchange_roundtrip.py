"""Export → import → export gives identical files (CSV folder: bytes; xlsx: cell values)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from varig.customers.models import JobCustomer
from varig.customers.tests.factories import make_job_customer
from varig.employers.models import Company
from varig.employers.tests.factories import make_company
from varig.placements.models import Placement
from varig.placements.tests.factories import make_placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(advisor, other_advisor):
    bageri = make_company(ref="V-2", name="Bageriet = godt", cvr="13585628", employees=4)
    lager = make_company(ref="V-1", name="Lager, Nord", postcode="0800")
    anna = make_job_customer(
        ref="JK-2",
        first_name="Åse",
        last_name="Ørsted",
        advisor=advisor,
        birth_date=datetime.date(1980, 2, 29),
        associated_from=datetime.date(2016, 1, 1),
        associated_until=datetime.date(2020, 12, 31),
    )
    bo = make_job_customer(ref="JK-1", last_name="Bech", advisor=other_advisor)
    make_placement(
        ref="PL-2",
        job_customer=anna,
        company=bageri,
        kind="praktik",
        started_on=datetime.date(2016, 3, 1),
        ended_on=datetime.date(2016, 5, 31),
        hours_per_week=Decimal("12.5"),
        end_reason='Sagde "nej tak";\nflyttede',
    )
    make_placement(
        ref="PL-1",
        job_customer=bo,
        company=lager,
        kind="fleksjob",
        started_on=datetime.date(2019, 8, 1),
        hours_per_week=Decimal("20.0"),
        desired_job=True,
    )


def export(path) -> None:
    call_command("export", str(path), stdout=io.StringIO())


def wipe() -> None:
    Placement.objects.all().delete()
    JobCustomer.objects.all().delete()
    Company.objects.all().delete()


def read_folder(path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def test_csv_round_trip_is_byte_identical(tmp_path, data):
    export(tmp_path / "one")
    first = read_folder(tmp_path / "one")
    assert first["placements.csv"].startswith(b"ref,job_customer_ref,company_ref,kind,")
    assert b"PL-1,JK-1,V-1,fleksjob,2019-08-01,,20,ja,\n" in first["placements.csv"]
    assert not first["advisors.csv"].startswith(b"\xef\xbb\xbf")
    # Sorted by ref, whatever the insertion order.
    body = first["job_customers.csv"].decode().splitlines()
    assert [line.split(",")[0] for line in body[1:]] == ["JK-1", "JK-2"]

    wipe()
    call_command("import", str(tmp_path / "one"), stdout=io.StringIO())
    export(tmp_path / "two")
    assert read_folder(tmp_path / "two") == first
    # And importing onto the same data changes nothing.
    call_command("import", str(tmp_path / "two"), stdout=io.StringIO())
    export(tmp_path / "three")
    assert read_folder(tmp_path / "three") == first


def cell_values(path) -> dict[str, list[tuple]]:
    workbook = load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}
    finally:
        workbook.close()


def test_xlsx_round_trip_has_identical_cells(tmp_path, data):
    export(tmp_path / "one.xlsx")
    first = cell_values(tmp_path / "one.xlsx")
    assert list(first) == ["advisors", "job_customers", "companies", "placements"]
    header, *rows = first["job_customers"]
    assert header[3] == "birth_date"
    assert rows[1][3] == datetime.datetime(1980, 2, 29)  # a real date cell
    assert first["companies"][1][4] == "0800"  # postcodes stay text
    assert first["companies"][2][1] == "Bageriet = godt"

    wipe()
    call_command("import", str(tmp_path / "one.xlsx"), stdout=io.StringIO())
    export(tmp_path / "two.xlsx")
    assert cell_values(tmp_path / "two.xlsx") == first


def test_xlsx_export_imports_back_from_csv_equivalently(tmp_path, data):
    """The workbook and the folder describe the same data."""
    export(tmp_path / "book.xlsx")
    export(tmp_path / "folder")
    wipe()
    call_command("import", str(tmp_path / "book.xlsx"), stdout=io.StringIO())
    export(tmp_path / "again")
    assert read_folder(tmp_path / "again") == read_folder(tmp_path / "folder")


def test_text_that_looks_like_a_formula_is_exported_as_it_is_and_survives(tmp_path, advisor):
    """The interchange export is data for `varig import`, not a report: unlike the downloads
    (core/spreadsheets.py) it quotes nothing, so "-Anna" comes back as "-Anna"."""
    make_company(ref="V-1", name="@Lager")
    make_job_customer(ref="JK-1", first_name="-Anna", last_name="+Berg", advisor=advisor)
    export(tmp_path / "one")
    first = read_folder(tmp_path / "one")
    assert b"JK-1,-Anna,+Berg," in first["job_customers.csv"]
    assert b"V-1,@Lager," in first["companies.csv"]
    wipe()
    call_command("import", str(tmp_path / "one"), stdout=io.StringIO())
    assert JobCustomer.objects.get(ref="JK-1").first_name == "-Anna"
    export(tmp_path / "two")
    assert read_folder(tmp_path / "two") == first
