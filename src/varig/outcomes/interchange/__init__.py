"""Interchange format v1: import and export of job customers, companies and placements.

`run_import(read_result, actor=…)` validates the whole input and writes it all or nothing;
`export_path(path)` writes the same format. See docs/interchange.md.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from varig.core.db import refresh_planner_statistics
from varig.core.models import User
from varig.customers.models import JobCustomer
from varig.employers.models import Company
from varig.placements.models import FollowUp, Placement, TierChange

from .exporter import export_path
from .parse import parse
from .problems import Problem
from .reader import ReadResult, read_csv_files, read_path, read_workbook
from .writer import write

__all__ = [
    "ImportResult",
    "Problem",
    "export_path",
    "read_csv_files",
    "read_path",
    "read_workbook",
    "run_import",
]


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    summary: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def run_import(
    read: ReadResult,
    *,
    actor=None,
    job=None,
    file_names: str = "",
    on_validated: Callable[[int], None] | None = None,
    before_write: Callable[[], None] | None = None,
) -> ImportResult:
    """Validate everything in `read`; when nothing is wrong, write it in one transaction.

    Returns the problems (sorted by file and line; nothing written) or the counts per file.
    `on_validated(rows_done)` reports progress while rows are checked; `before_write()` is
    called once before the write transaction starts.
    """
    parsed = parse(read, progress=on_validated)
    if parsed.problems:
        return ImportResult(problems=sorted(parsed.problems, key=_problem_order))
    if before_write is not None:
        before_write()
    summary = write(parsed, actor=actor, job=job, file_names=file_names)
    refresh_planner_statistics(User, JobCustomer, Company, Placement, FollowUp, TierChange)
    return ImportResult(summary=summary)


_FILE_ORDER = {
    name: i for i, name in enumerate(("advisors", "job_customers", "companies", "placements"))
}


def _problem_order(problem: Problem) -> tuple:
    """Files in dependency order, then line, then the column's place in the file."""
    from .spec import BY_STEM

    stem = problem.file.rsplit(".", 1)[0].lower()
    spec = BY_STEM.get(stem)
    column = spec.columns.index(problem.column) if spec and problem.column in spec.columns else -1
    return (_FILE_ORDER.get(stem, -1), problem.file, problem.line, column)
