"""Interchange format v1: the files, their columns and the messages for bad input.

See DESIGN.md ("Interchange format v1") and docs/interchange.md.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileSpec:
    stem: str
    columns: tuple[str, ...]
    required: frozenset[str]

    @property
    def filename(self) -> str:
        return f"{self.stem}.csv"


ADVISORS = FileSpec("advisors", ("email", "name"), frozenset({"email"}))
JOB_CUSTOMERS = FileSpec(
    "job_customers",
    (
        "ref",
        "first_name",
        "last_name",
        "birth_date",
        "email",
        "phone",
        "postcode",
        "advisor_email",
        "associated_from",
        "associated_until",
    ),
    frozenset({"ref", "last_name", "associated_from"}),
)
COMPANIES = FileSpec(
    "companies",
    ("ref", "name", "cvr", "industry", "postcode", "employees"),
    frozenset({"ref", "name"}),
)
PLACEMENTS = FileSpec(
    "placements",
    (
        "ref",
        "job_customer_ref",
        "company_ref",
        "kind",
        "started_on",
        "ended_on",
        "hours_per_week",
        "desired_job",
        "end_reason",
    ),
    frozenset({"ref", "job_customer_ref", "company_ref", "kind", "started_on"}),
)

# In dependency order: advisors before the job customers that name them, and so on.
FILES: tuple[FileSpec, ...] = (ADVISORS, JOB_CUSTOMERS, COMPANIES, PLACEMENTS)
BY_STEM = {spec.stem: spec for spec in FILES}

# The exporter writes booleans as these words; the importer also reads yes/no/true/false/1/0.
TRUE_WORD, FALSE_WORD = "ja", "nej"
TRUE_WORDS = frozenset({"ja", "yes", "true", "1"})
FALSE_WORDS = frozenset({"nej", "no", "false", "0"})

# Messages (plain words; the CLI shows them in English unless told otherwise).
NOT_UTF8 = _("the file is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in Excel)")
EMPTY_FILE = _("the file is empty; the first line must name the columns")
MISSING_COLUMN = _("required column is missing")
UNKNOWN_COLUMN = _("unknown column (expected: %(columns)s)")
DUPLICATE_COLUMN = _("the column appears more than once")
UNKNOWN_FILE = _("unknown file (expected: %(files)s)")
DUPLICATE_FILE = _("the file is given more than once")
NO_FILES = _("no interchange files found (expected: %(files)s)")
NOT_A_WORKBOOK = _("not a readable .xlsx workbook")
MIXED_UPLOAD = _("upload either CSV files or one .xlsx workbook, not both")
REQUIRED = _("a value is required")
TOO_LONG = _("at most %(max)d characters")
NOT_A_DATE = _("“%(value)s” is not a date; write YYYY-MM-DD or DD-MM-YYYY")
IMPOSSIBLE_DATE = _("“%(value)s” is not a real date")
DATE_IN_FUTURE = _("the date is in the future")
NOT_A_BOOLEAN = _("“%(value)s” is not yes or no; write ja/nej, yes/no, true/false or 1/0")
NOT_A_NUMBER = _("“%(value)s” is not a number")
NOT_A_WHOLE_NUMBER = _("“%(value)s” is not a whole number")
NEGATIVE = _("cannot be negative")
HOURS_RANGE = _("hours per week must be more than 0 and at most 48")
HOURS_DECIMALS = _("hours per week take at most one decimal")
INVALID_EMAIL = _("“%(value)s” is not a valid e-mail address")
INVALID_POSTCODE = _("“%(value)s” is not a postcode; a postcode is four digits")
INVALID_CVR = _("“%(value)s” is not a valid CVR number (8 digits with a valid check digit)")
CVR_TAKEN = _("CVR number %(cvr)s already belongs to company %(ref)s")
UNKNOWN_KIND = _("unknown kind “%(value)s” (expected: %(kinds)s)")
DUPLICATE_REF = _("“%(value)s” is already used on line %(line)d")
DUPLICATE_EMAIL = _("“%(value)s” is already listed on line %(line)d")
END_BEFORE_START = _("the end %(end)s is before the start %(start)s")
ASSOCIATION_ORDER = _("the association ends %(end)s, before it starts %(start)s")
UNKNOWN_ADVISOR = _("no advisor with the e-mail “%(value)s” in advisors.csv or among the users")
NOT_AN_ADVISOR = _("the user “%(value)s” does not have the advisor role; list them in advisors.csv")
UNKNOWN_JOB_CUSTOMER = _(
    "no job customer with the reference “%(value)s” in the files or the database"
)
UNKNOWN_COMPANY = _("no company with the reference “%(value)s” in the files or the database")
