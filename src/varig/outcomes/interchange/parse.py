"""Validation of the whole input: raw cells → typed records, or a problem per bad cell.

Nothing here writes. Look-ups against the database are a handful of whole-table queries
(refs, e-mails, CVR numbers), never one per row.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone
from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import ValidationError as StdnumValidationError

from varig.core.models import Role, User
from varig.customers.models import JobCustomer
from varig.employers.models import Company
from varig.placements.models import Placement

from . import spec as S
from .problems import Problem
from .reader import ReadResult, Table

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DANISH = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_POSTCODE = re.compile(r"^\d{4}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_HOURS = Decimal(48)
PROGRESS_EVERY = 2000


class Bad(Exception):
    """A cell's value is wrong: carries the message and its parameters."""

    def __init__(self, message, **params):
        super().__init__(message)
        self.message = message
        self.params = params


# --- cell converters ---------------------------------------------------------------------------


def as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return S.TRUE_WORD if value else S.FALSE_WORD
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def parse_text(value: Any, max_length: int) -> str:
    text = as_text(value)
    if len(text) > max_length:
        raise Bad(S.TOO_LONG, max=max_length)
    return text


def parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = as_text(value)
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DANISH.match(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise Bad(S.NOT_A_DATE, value=text)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise Bad(S.IMPOSSIBLE_DATE, value=text) from None


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = as_text(value).lower()
    if text in S.TRUE_WORDS:
        return True
    if text in S.FALSE_WORDS:
        return False
    raise Bad(S.NOT_A_BOOLEAN, value=as_text(value))


def parse_hours(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise Bad(S.NOT_A_NUMBER, value=as_text(value))
    text = as_text(value).replace(",", ".") if isinstance(value, str) else str(value)
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise Bad(S.NOT_A_NUMBER, value=as_text(value)) from None
    if not hours.is_finite():
        raise Bad(S.NOT_A_NUMBER, value=as_text(value))
    if not (0 < hours <= MAX_HOURS):
        raise Bad(S.HOURS_RANGE)
    if hours != hours.quantize(Decimal("0.1")):
        raise Bad(S.HOURS_DECIMALS)
    return hours.quantize(Decimal("0.1"))


def parse_count(value: Any) -> int:
    if isinstance(value, bool):
        raise Bad(S.NOT_A_WHOLE_NUMBER, value=as_text(value))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = as_text(value)
        if not re.fullmatch(r"-?\d+", text):
            raise Bad(S.NOT_A_WHOLE_NUMBER, value=text)
        number = int(text)
    if number < 0:
        raise Bad(S.NEGATIVE)
    return number


def parse_email(value: Any) -> str:
    # Lenient on purpose: the app's own data may hold addresses with Danish letters, which
    # Django's EmailValidator refuses, and export → import must accept what export wrote.
    text = as_text(value)
    if not _EMAIL.match(text):
        raise Bad(S.INVALID_EMAIL, value=text)
    if len(text) > 254:
        raise Bad(S.TOO_LONG, max=254)
    return text


def parse_postcode(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = as_text(value).zfill(4)  # a spreadsheet drops the leading zero of 0800
    else:
        text = as_text(value)
    if not _POSTCODE.match(text):
        raise Bad(S.INVALID_POSTCODE, value=text)
    return text


def parse_cvr(value: Any) -> str:
    text = as_text(value)
    try:
        return stdnum_cvr.validate(text)
    except StdnumValidationError:
        raise Bad(S.INVALID_CVR, value=text) from None


_KIND_SPELLINGS = {
    "praktik": Placement.Kind.PRAKTIK,
    "skaanejob": Placement.Kind.SKAANEJOB,
    "skånejob": Placement.Kind.SKAANEJOB,
    "fleksjob": Placement.Kind.FLEKSJOB,
    "ordinaert": Placement.Kind.ORDINAERT,
    "ordinært": Placement.Kind.ORDINAERT,
}


def parse_kind(value: Any) -> str:
    text = as_text(value)
    kind = _KIND_SPELLINGS.get(text.lower())
    if kind is None:
        raise Bad(S.UNKNOWN_KIND, value=text, kinds=", ".join(Placement.Kind.values))
    return str(kind)


# --- records -----------------------------------------------------------------------------------


@dataclass
class Parsed:
    """The validated input: records by key, and the columns each file had."""

    advisors: dict[str, dict] = field(default_factory=dict)  # by lower-cased e-mail
    job_customers: dict[str, dict] = field(default_factory=dict)  # by ref
    companies: dict[str, dict] = field(default_factory=dict)
    placements: dict[str, dict] = field(default_factory=dict)
    columns: dict[str, set[str]] = field(default_factory=dict)  # by stem
    problems: list[Problem] = field(default_factory=list)


class _Rows:
    """Walks one table's rows, converting cells and collecting problems."""

    def __init__(self, table: Table, problems: list[Problem], tick: Callable[[], None]):
        self.table = table
        self.problems = problems
        self.tick = tick

    def __iter__(self):
        for line, cells in self.table.rows:
            self.line, self.cells, self.ok = line, cells, True
            yield line
            self.tick()

    def error(self, column: str, message, **params) -> None:
        self.problems.append(Problem(self.table.name, self.line, column, message, params))
        self.ok = False

    def get(self, column: str, convert: Callable[[Any], Any] | None = None, default=None):
        """The converted value; `default` when the cell is empty or the column is absent."""
        raw = self.cells.get(column, "")
        if raw == "":
            if column in self.table.spec.required:
                self.error(column, S.REQUIRED)
            return default
        if convert is None:
            return raw
        try:
            return convert(raw)
        except Bad as bad:
            self.error(column, bad.message, **bad.params)
            return default

    def text(self, column: str, max_length: int) -> str:
        return self.get(column, lambda v: parse_text(v, max_length), "")


def parse(read: ReadResult, *, progress: Callable[[int], None] | None = None) -> Parsed:
    """Validate every table of `read`; the returned `problems` list is empty when all is well."""
    parsed = Parsed(problems=list(read.problems))
    problems = parsed.problems
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)

    today = timezone.localdate()
    tables = read.tables
    for stem, table in tables.items():
        parsed.columns[stem] = table.columns

    # Users: one query for e-mails, one for the advisor role.
    users = {email.lower(): pk for pk, email in User.objects.values_list("pk", "email")}
    advisor_group = Group.objects.filter(name=Role.ADVISOR).first()
    advisor_ids = (
        set(advisor_group.user_set.values_list("pk", flat=True)) if advisor_group else set()
    )

    # advisors
    if table := tables.get("advisors"):
        seen: dict[str, int] = {}
        rows = _Rows(table, problems, tick)
        for line in rows:
            email = rows.get("email", parse_email)
            name = rows.text("name", 150)
            if email is None:
                continue
            key = email.lower()
            if key in seen:
                rows.error("email", S.DUPLICATE_EMAIL, value=email, line=seen[key])
                continue
            seen[key] = line
            if rows.ok:
                parsed.advisors[key] = {"_line": line, "email": key, "name": name}

    # job customers
    if table := tables.get("job_customers"):
        seen = {}
        rows = _Rows(table, problems, tick)
        for line in rows:
            ref = rows.text("ref", 40)
            record = {
                "_line": line,
                "ref": ref,
                "first_name": rows.text("first_name", 100),
                "last_name": rows.text("last_name", 100),
                "birth_date": rows.get("birth_date", parse_date),
                "email": rows.get("email", parse_email, ""),
                "phone": rows.text("phone", 30),
                "postcode": rows.get("postcode", parse_postcode, ""),
                "associated_from": rows.get("associated_from", parse_date),
                "associated_until": rows.get("associated_until", parse_date),
            }
            if record["birth_date"] and record["birth_date"] > today:
                rows.error("birth_date", S.DATE_IN_FUTURE)
            start, end = record["associated_from"], record["associated_until"]
            if start and end and end < start:
                rows.error(
                    "associated_until",
                    S.ASSOCIATION_ORDER,
                    end=end.isoformat(),
                    start=start.isoformat(),
                )
            advisor_email = rows.get("advisor_email", as_text, "")
            record["advisor_email"] = advisor_email.lower()
            if advisor_email and "advisors" not in read.unreadable:
                key = advisor_email.lower()
                if key not in parsed.advisors:
                    if key not in users:
                        rows.error("advisor_email", S.UNKNOWN_ADVISOR, value=advisor_email)
                    elif users[key] not in advisor_ids:
                        rows.error("advisor_email", S.NOT_AN_ADVISOR, value=advisor_email)
            if ref:
                if ref in seen:
                    rows.error("ref", S.DUPLICATE_REF, value=ref, line=seen[ref])
                    continue
                seen[ref] = line
            if rows.ok:
                parsed.job_customers[ref] = record

    # companies
    if table := tables.get("companies"):
        seen = {}
        cvr_owner = dict(Company.objects.exclude(cvr="").values_list("cvr", "ref"))
        file_refs = {cells.get("ref", "") for _, cells in table.rows}
        cvr_in_file: dict[str, str] = {}
        rows = _Rows(table, problems, tick)
        for line in rows:
            ref = rows.text("ref", 40)
            record = {
                "_line": line,
                "ref": ref,
                "name": rows.text("name", 200),
                "cvr": rows.get("cvr", parse_cvr, ""),
                "industry": rows.text("industry", 120),
                "postcode": rows.get("postcode", parse_postcode, ""),
                "employees": rows.get("employees", parse_count),
            }
            cvr = record["cvr"]
            if cvr:
                owner = cvr_in_file.get(cvr)
                if owner is None:
                    db_owner = cvr_owner.get(cvr)
                    if db_owner is not None and db_owner != ref and db_owner not in file_refs:
                        owner = db_owner
                if owner is not None and owner != ref:
                    rows.error("cvr", S.CVR_TAKEN, cvr=cvr, ref=owner)
                else:
                    cvr_in_file.setdefault(cvr, ref)
            if ref:
                if ref in seen:
                    rows.error("ref", S.DUPLICATE_REF, value=ref, line=seen[ref])
                    continue
                seen[ref] = line
            if rows.ok:
                parsed.companies[ref] = record

    # placements
    if table := tables.get("placements"):
        seen = {}
        customer_refs = _refs_known(JobCustomer, tables.get("job_customers"))
        company_refs = _refs_known(Company, tables.get("companies"))
        rows = _Rows(table, problems, tick)
        for line in rows:
            ref = rows.text("ref", 40)
            record = {
                "_line": line,
                "ref": ref,
                "job_customer_ref": rows.text("job_customer_ref", 40),
                "company_ref": rows.text("company_ref", 40),
                "kind": rows.get("kind", parse_kind),
                "started_on": rows.get("started_on", parse_date),
                "ended_on": rows.get("ended_on", parse_date),
                "hours_per_week": rows.get("hours_per_week", parse_hours),
                "desired_job": rows.get("desired_job", parse_bool, False),
                "end_reason": rows.get("end_reason", as_text, ""),
            }
            customer_ref = record["job_customer_ref"]
            unchecked = read.unreadable
            if (
                customer_ref
                and customer_ref not in customer_refs
                and "job_customers" not in unchecked
            ):
                rows.error("job_customer_ref", S.UNKNOWN_JOB_CUSTOMER, value=customer_ref)
            company_ref = record["company_ref"]
            if company_ref and company_ref not in company_refs and "companies" not in unchecked:
                rows.error("company_ref", S.UNKNOWN_COMPANY, value=company_ref)
            start, end = record["started_on"], record["ended_on"]
            if start and end and end < start:
                rows.error(
                    "ended_on", S.END_BEFORE_START, end=end.isoformat(), start=start.isoformat()
                )
            if ref:
                if ref in seen:
                    rows.error("ref", S.DUPLICATE_REF, value=ref, line=seen[ref])
                    continue
                seen[ref] = line
            if rows.ok:
                parsed.placements[ref] = record

    if progress is not None:
        progress(done)
    return parsed


def _refs_known(model, table: Table | None) -> set[str]:
    """The refs that exist after the import: in the database or in the file."""
    refs = set(model.objects.values_list("ref", flat=True))
    if table is not None:
        refs.update(as_text(cells.get("ref", "")) for _, cells in table.rows)
        refs.discard("")
    return refs
