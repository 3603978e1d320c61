"""Interchange format v1: the import refuses bad input with `file:line: column: message` and
writes nothing; good input in every accepted spelling is written; re-import updates."""

import datetime
import io
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from varig.core.models import Role, User
from varig.customers.models import JobCustomer
from varig.customers.tests.factories import make_job_customer
from varig.employers.models import Company
from varig.employers.tests.factories import make_company
from varig.outcomes.models import ImportJob
from varig.placements.models import FollowUp, Placement, TierChange

pytestmark = pytest.mark.django_db

ADVISORS = "email,name\nvera@example.dk,Vera Vejleder\nny.vejleder@example.dk,Ny Vejleder\n"
CUSTOMERS = (
    "ref,first_name,last_name,birth_date,email,phone,postcode,advisor_email,associated_from,"
    "associated_until\n"
    "JK-1,Anna,Andersen,1980-05-01,anna@example.dk,12345678,8000,ny.vejleder@example.dk,"
    "2020-01-01,\n"
    "JK-2,Bo,Bech,,,,,,2021-02-03,2022-03-04\n"
)
COMPANIES = "ref,name,cvr,industry,postcode,employees\nV-1,Bageren ApS,13585628,Bageri,8000,12\n"
PLACEMENTS = (
    "ref,job_customer_ref,company_ref,kind,started_on,ended_on,hours_per_week,desired_job,"
    "end_reason\n"
    "PL-1,JK-1,V-1,praktik,2020-02-01,2020-03-31,10,nej,Blev til ansættelse\n"
    "PL-2,JK-1,V-1,skaanejob,2020-04-01,,12.5,ja,\n"
)


def write_folder(folder: Path, **files: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / f"{stem}.csv").write_bytes(data)
    return folder


def full_folder(tmp_path: Path, **overrides: str | bytes) -> Path:
    files = {
        "advisors": ADVISORS,
        "job_customers": CUSTOMERS,
        "companies": COMPANIES,
        "placements": PLACEMENTS,
    }
    files.update(overrides)
    return write_folder(tmp_path / "in", **files)


def run_import(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(path: Path) -> list[str]:
    """Run the import expecting a refusal; return the problem lines it printed."""
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), stdout=io.StringIO(), stderr=err)
    return err.getvalue().splitlines()


def domain_counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        JobCustomer.objects.count(),
        Company.objects.count(),
        Placement.objects.count(),
        FollowUp.objects.count(),
        TierChange.objects.count(),
        LogEntry.objects.count(),
        ImportJob.objects.count(),
    )


@pytest.fixture
def baseline(advisor):
    return domain_counts()


# --- good input --------------------------------------------------------------------------------


def test_import_creates_everything(tmp_path, advisor):
    """A full folder creates advisors, job customers, companies and placements."""
    run_import(full_folder(tmp_path))
    new_advisor = User.objects.get(email="ny.vejleder@example.dk")
    assert new_advisor.name == "Ny Vejleder"
    assert new_advisor.has_role(Role.ADVISOR)
    assert not new_advisor.has_usable_password()
    anna = JobCustomer.objects.get(ref="JK-1")
    assert anna.advisor == new_advisor
    assert anna.birth_date == datetime.date(1980, 5, 1)
    assert anna.postcode == "8000"
    bo = JobCustomer.objects.get(ref="JK-2")
    assert bo.advisor is None and bo.birth_date is None and bo.email == ""
    assert bo.associated_until == datetime.date(2022, 3, 4)
    company = Company.objects.get(ref="V-1")
    assert (company.cvr, company.employees) == ("13585628", 12)
    job = Placement.objects.get(ref="PL-2")
    assert job.hours_per_week == 12.5 and job.desired_job and job.ended_on is None
    praktik = Placement.objects.get(ref="PL-1")
    assert praktik.end_reason == "Blev til ansættelse"
    assert TierChange.objects.filter(placement=job, changed_on=job.started_on).exists()


def test_existing_advisor_matched_case_insensitively(tmp_path, advisor):
    """An advisor e-mail in another case is the existing user, not a new one."""
    folder = write_folder(
        tmp_path,
        job_customers="ref,last_name,advisor_email,associated_from\nJK-1,A,VERA@Example.DK,2020-01-01\n",
    )
    run_import(folder)
    assert JobCustomer.objects.get(ref="JK-1").advisor == advisor
    assert User.objects.filter(email__iexact="vera@example.dk").count() == 1


def test_accepts_bom_semicolon_danish_dates_upper_case_headers_and_empty_values(tmp_path, advisor):
    """BOM, `;`, DD-MM-YYYY, upper-case padded headers, Danish decimal comma, empty cells."""
    customers = (
        "\ufeff REF ;First_Name;LAST_NAME;Birth_Date;EMAIL;phone;postcode;advisor_email;"
        "ASSOCIATED_FROM;associated_until\r\n"
        "JK-9;;Jensen;01-02-1975;;;;;15-03-2019;\r\n"
    )
    placements = (
        "REF;JOB_CUSTOMER_REF;COMPANY_REF;KIND;STARTED_ON;ENDED_ON;HOURS_PER_WEEK;DESIRED_JOB;"
        "END_REASON\r\nPL-9;JK-9;V-9;Fleksjob;01-04-2019;;7,5;Ja;\r\n"
    )
    folder = write_folder(
        tmp_path,
        job_customers=customers.encode("utf-8"),
        companies="ref;name;cvr\nV-9;Firma;\n",
        placements=placements,
    )
    run_import(folder)
    person = JobCustomer.objects.get(ref="JK-9")
    assert person.birth_date == datetime.date(1975, 2, 1)
    assert person.associated_from == datetime.date(2019, 3, 15)
    assert person.first_name == "" and person.associated_until is None
    placement = Placement.objects.get(ref="PL-9")
    assert placement.kind == "fleksjob" and placement.desired_job
    assert str(placement.hours_per_week) == "7.5"


@pytest.mark.parametrize(
    ("word", "expected"),
    [("ja", True), ("nej", False), ("YES", True), ("no", False), ("true", True), ("0", False)],
)
def test_booleans(tmp_path, advisor, word, expected):
    folder = full_folder(
        tmp_path,
        placements=PLACEMENTS.replace("12.5,ja,", f"12.5,{word},"),
    )
    run_import(folder)
    assert Placement.objects.get(ref="PL-2").desired_job is expected


# --- bad input: one class each, exact line, nothing written ------------------------------------


@pytest.mark.parametrize(
    ("overrides", "line"),
    [
        pytest.param(
            {"job_customers": CUSTOMERS.replace("1980-05-01", "31-02-1980")},
            "job_customers.csv:2: birth_date: “31-02-1980” is not a real date",
            id="impossible-date",
        ),
        pytest.param(
            {"job_customers": CUSTOMERS.replace("1980-05-01", "1980/05/01")},
            "job_customers.csv:2: birth_date: “1980/05/01” is not a date; write YYYY-MM-DD or DD-MM-YYYY",
            id="not-a-date",
        ),
        pytest.param(
            {"placements": PLACEMENTS.replace("PL-2,JK-1", "PL-2,JK-404")},
            "placements.csv:3: job_customer_ref: no job customer with the reference “JK-404” in the files or the database",
            id="unknown-job-customer",
        ),
        pytest.param(
            {"placements": PLACEMENTS.replace("PL-2,JK-1,V-1", "PL-2,JK-1,V-404")},
            "placements.csv:3: company_ref: no company with the reference “V-404” in the files or the database",
            id="unknown-company",
        ),
        pytest.param(
            {"job_customers": CUSTOMERS.replace("ny.vejleder@", "ukendt@")},
            "job_customers.csv:2: advisor_email: no advisor with the e-mail “ukendt@example.dk” in advisors.csv or among the users",
            id="unknown-advisor",
        ),
        pytest.param(
            {"companies": COMPANIES.replace("13585628", "13585627")},
            "companies.csv:2: cvr: “13585627” is not a valid CVR number (8 digits with a valid check digit)",
            id="invalid-cvr",
        ),
        pytest.param(
            {"placements": PLACEMENTS.replace("skaanejob", "kontorjob")},
            "placements.csv:3: kind: unknown kind “kontorjob” (expected: praktik, skaanejob, fleksjob, ordinaert)",
            id="unknown-kind",
        ),
        pytest.param(
            {"placements": PLACEMENTS.replace("2020-03-31", "2020-01-31")},
            "placements.csv:2: ended_on: the end 2020-01-31 is before the start 2020-02-01",
            id="placement-end-before-start",
        ),
        pytest.param(
            {"job_customers": CUSTOMERS.replace("2022-03-04", "2020-03-04")},
            "job_customers.csv:3: associated_until: the association ends 2020-03-04, before it starts 2021-02-03",
            id="association-end-before-start",
        ),
        pytest.param(
            {"placements": PLACEMENTS.replace("12.5", "-3")},
            "placements.csv:3: hours_per_week: hours per week must be more than 0 and at most 48",
            id="negative-hours",
        ),
        pytest.param(
            {"placements": PLACEMENTS.replace("12.5", "49")},
            "placements.csv:3: hours_per_week: hours per week must be more than 0 and at most 48",
            id="too-many-hours",
        ),
        pytest.param(
            {"placements": PLACEMENTS.replace("12.5", "tolv")},
            "placements.csv:3: hours_per_week: “tolv” is not a number",
            id="non-numeric-hours",
        ),
        pytest.param(
            {"placements": PLACEMENTS.replace("PL-2,", "PL-1,")},
            "placements.csv:3: ref: “PL-1” is already used on line 2",
            id="duplicate-ref",
        ),
        pytest.param(
            {"job_customers": CUSTOMERS.replace("JK-1,Anna,Andersen", "JK-1,Anna,")},
            "job_customers.csv:2: last_name: a value is required",
            id="missing-required-value",
        ),
        pytest.param(
            {
                "job_customers": CUSTOMERS.replace("associated_until\n", "associated_until\n", 1)
                .replace(",associated_from,", ",")
                .replace(",2020-01-01,", ",")
                .replace(",2021-02-03,", ",")
            },
            "job_customers.csv:1: associated_from: required column is missing",
            id="missing-column",
        ),
        pytest.param(
            {"advisors": "email,name\nvera@example.dk,S\xf8ren\n".encode("latin-1")},
            "advisors.csv:2: name: the file is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in Excel)",
            id="not-utf8",
        ),
        pytest.param(
            {"companies": COMPANIES.replace("Bageri,8000,12", "Bageri,8000,-2")},
            "companies.csv:2: employees: cannot be negative",
            id="negative-employees",
        ),
        pytest.param(
            {"job_customers": CUSTOMERS.replace(",8000,", ",800,")},
            "job_customers.csv:2: postcode: “800” is not a postcode; a postcode is four digits",
            id="invalid-postcode",
        ),
    ],
)
def test_bad_input_refused_with_file_line_and_nothing_written(tmp_path, baseline, overrides, line):
    lines = refused(full_folder(tmp_path, **overrides))
    assert lines == [line]
    assert domain_counts() == baseline


def test_every_problem_is_reported(tmp_path, baseline):
    """All problems of all files, in file and line order, not just the first."""
    folder = full_folder(
        tmp_path,
        job_customers=CUSTOMERS.replace("1980-05-01", "1980-13-01").replace("2021-02-03", "i går"),
        companies=COMPANIES.replace("13585628", "1234"),
        placements=PLACEMENTS.replace("praktik", "kursus"),
    )
    assert refused(folder) == [
        "job_customers.csv:2: birth_date: “1980-13-01” is not a real date",
        "job_customers.csv:3: associated_from: “i går” is not a date; write YYYY-MM-DD or DD-MM-YYYY",
        "companies.csv:2: cvr: “1234” is not a valid CVR number (8 digits with a valid check digit)",
        "placements.csv:2: kind: unknown kind “kursus” (expected: praktik, skaanejob, fleksjob, ordinaert)",
    ]
    assert domain_counts() == baseline


def test_line_numbers_are_physical_lines(tmp_path, baseline):
    """A quoted value spanning two lines moves the next record's line number."""
    placements = PLACEMENTS.replace("Blev til ansættelse", '"Blev til\nansættelse"').replace(
        "12.5", "x"
    )
    assert refused(full_folder(tmp_path, placements=placements)) == [
        "placements.csv:4: hours_per_week: “x” is not a number"
    ]


def test_cvr_of_another_company_refused(tmp_path, advisor):
    make_company(ref="OLD", cvr="13585628")
    lines = refused(full_folder(tmp_path))
    assert lines == ["companies.csv:2: cvr: CVR number 13585628 already belongs to company OLD"]


def test_unknown_file_refused(tmp_path, baseline):
    folder = full_folder(tmp_path)
    (folder / "placement.csv").write_text("ref\n")
    assert refused(folder) == [
        "placement.csv:1: -: unknown file (expected: advisors.csv, job_customers.csv, "
        "companies.csv, placements.csv)"
    ]
    assert domain_counts() == baseline


def test_user_without_advisor_role_must_be_listed(tmp_path, manager, baseline):
    folder = write_folder(
        tmp_path,
        job_customers="ref,last_name,advisor_email,associated_from\nJK-1,A,lone@example.dk,2020-01-01\n",
    )
    assert refused(folder) == [
        "job_customers.csv:2: advisor_email: the user “lone@example.dk” does not have the "
        "advisor role; list them in advisors.csv"
    ]


def test_messages_in_danish_on_request(tmp_path, baseline):
    folder = full_folder(tmp_path, placements=PLACEMENTS.replace("12.5", "tolv"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(folder), "--language", "da", stderr=err)
    assert err.getvalue().startswith("placements.csv:3: hours_per_week: “tolv” er ikke et tal")


# --- re-import ---------------------------------------------------------------------------------


def test_reimport_is_idempotent_and_updates(tmp_path, advisor):
    folder = full_folder(tmp_path)
    run_import(folder)
    counts = domain_counts()[:6]
    version = JobCustomer.objects.get(ref="JK-1").version
    run_import(folder)
    assert domain_counts()[:6] == counts
    assert JobCustomer.objects.get(ref="JK-1").version == version  # nothing changed
    changed = full_folder(
        tmp_path,
        job_customers=CUSTOMERS.replace("Anna,Andersen", "Anne,Andersen"),
        placements=PLACEMENTS.replace("12.5,ja", "20,nej"),
    )
    output = run_import(changed)
    assert "job_customers: created 0, updated 1, unchanged 1" in output
    assert domain_counts()[:6] == counts
    anna = JobCustomer.objects.get(ref="JK-1")
    assert anna.first_name == "Anne" and anna.version == version + 1
    job = Placement.objects.get(ref="PL-2")
    assert job.hours_per_week == 20 and not job.desired_job


def test_absent_optional_column_leaves_field_alone(tmp_path, advisor):
    run_import(full_folder(tmp_path))
    folder = write_folder(
        tmp_path / "second",
        job_customers="ref,last_name,associated_from\nJK-1,Andersen,2020-01-01\n",
    )
    run_import(folder)
    anna = JobCustomer.objects.get(ref="JK-1")
    assert anna.email == "anna@example.dk" and anna.birth_date == datetime.date(1980, 5, 1)


def test_import_writes_one_audit_entry_with_actor_and_counts(tmp_path, administrator, advisor):
    run_import(full_folder(tmp_path), "--actor", "ANDERS@example.dk")
    entry = LogEntry.objects.get(content_type__model="importjob")
    assert entry.actor == administrator
    assert entry.changes["import"]["job_customers"]["created"] == 2
    assert entry.changes["import"]["placements"]["created"] == 2
    job = ImportJob.objects.get(pk=entry.object_pk)
    assert job.source == ImportJob.Source.COMMAND and job.status == ImportJob.Status.SUCCEEDED


def test_placements_may_refer_to_records_in_the_database(tmp_path, advisor):
    person = make_job_customer(ref="DB-1")
    company = make_company(ref="DB-V")
    folder = write_folder(
        tmp_path,
        placements="ref,job_customer_ref,company_ref,kind,started_on\nP-1,DB-1,DB-V,praktik,2019-01-01\n",
    )
    run_import(folder)
    placement = Placement.objects.get(ref="P-1")
    assert (placement.job_customer, placement.company) == (person, company)


# --- commands' exit codes ----------------------------------------------------------------------


def test_command_exit_code_non_zero_on_bad_input(tmp_path, baseline, capsys):
    from django.core.management import ManagementUtility

    from varig.__main__ import main  # noqa: F401  (the `varig` entry point is manage.py)

    folder = full_folder(tmp_path, placements=PLACEMENTS.replace("12.5", "tolv"))
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["varig", "import", str(folder)]).execute()
    assert exit_info.value.code != 0
    assert "placements.csv:3: hours_per_week:" in capsys.readouterr().err


def test_command_missing_path(tmp_path):
    with pytest.raises(CommandError, match="no such file or folder"):
        call_command("import", str(tmp_path / "nowhere"))


def test_export_command_writes_the_four_files(tmp_path, advisor):
    run_import(full_folder(tmp_path))
    out = io.StringIO()
    call_command("export", str(tmp_path / "out"), stdout=out)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "advisors.csv",
        "companies.csv",
        "job_customers.csv",
        "placements.csv",
    ]
    assert "placements: 2" in out.getvalue()


def test_today_is_used_for_birth_dates(tmp_path, baseline):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    folder = full_folder(
        tmp_path, job_customers=CUSTOMERS.replace("1980-05-01", tomorrow.isoformat())
    )
    assert refused(folder) == ["job_customers.csv:2: birth_date: the date is in the future"]


# --- workbooks ---------------------------------------------------------------------------------


def make_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def test_workbook_with_real_dates_and_numbers(tmp_path, advisor):
    path = make_workbook(
        tmp_path / "data.xlsx",
        {
            "Job_Customers": [
                ["REF", "last_name", "birth_date", "postcode", "associated_from"],
                ["JK-1", "Andersen", datetime.datetime(1980, 5, 1), 800, "01-01-2020"],
            ],
            "companies": [["ref", "name", "cvr", "employees"], ["V-1", "Firma", 13585628, 12.0]],
            "placements": [
                ["ref", "job_customer_ref", "company_ref", "kind", "started_on", "hours_per_week"],
                ["PL-1", "JK-1", "V-1", "fleksjob", datetime.date(2020, 2, 1), 7.5],
            ],
        },
    )
    run_import(path)
    person = JobCustomer.objects.get(ref="JK-1")
    assert person.birth_date == datetime.date(1980, 5, 1) and person.postcode == "0800"
    company = Company.objects.get(ref="V-1")
    assert (company.cvr, company.employees) == ("13585628", 12)
    assert str(Placement.objects.get(ref="PL-1").hours_per_week) == "7.5"


def test_workbook_problems_name_sheet_and_row(tmp_path, baseline):
    path = make_workbook(
        tmp_path / "data.xlsx",
        {
            "job_customers": [
                ["ref", "last_name", "associated_from"],
                ["JK-1", "Andersen", "2020-01-01"],
                ["JK-2", "Bech", "2020-02-30"],
            ],
            "Ark1": [["noget"]],
        },
    )
    assert refused(path) == [
        "Ark1:1: -: unknown file (expected: advisors, job_customers, companies, placements)",
        "job_customers:3: associated_from: “2020-02-30” is not a real date",
    ]
    assert domain_counts() == baseline


def test_not_a_workbook(tmp_path, baseline):
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"not a zip")
    assert refused(path) == ["data.xlsx:1: -: not a readable .xlsx workbook"]
