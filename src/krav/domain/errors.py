"""One exception family for Krav.

Every error a user can see says what was wrong, where, and (where it helps) what to do::

    KravError
     ├── InputError              bad input from outside (a file, a request, a command line)
     │    ├── FieldError          one field of a record: names the field, the record and the value
     │    ├── FileFormatError     a file that is not what it claims: names the file and line or element
     │    └── ImportRefused       a file with bad rows: every problem, each naming file, line and field
     ├── RuleViolation           a business rule refused the operation
     │    ├── UnbalancedVoucher   R-LED-1
     │    ├── MatchingRefused     R-LED-4
     │    └── ActionRefused       R-ACT-1 … R-ACT-4
     ├── NotFound                an unknown id, number or company (or one of another tenant)
     └── Conflict                the thing exists already, or changed under us

Batch work does not raise for each bad row: it collects :class:`Problem` values and goes on.
"""

from __future__ import annotations

from dataclasses import dataclass


class KravError(Exception):
    """Root of every error Krav raises on purpose."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(KravError):
    """Input from outside is malformed or incomplete."""

    code = "invalid_input"


class FieldError(InputError):
    """One field of a record is wrong: names where (file/line or record), the field, and what is wrong."""

    code = "invalid_field"

    def __init__(self, field: str, problem: str, *, where: str | None = None) -> None:
        self.field = field
        self.problem = problem
        self.where = where
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}{field}: {problem}")


class FileFormatError(InputError):
    """A file is not what it claims to be, or is damaged; names the file and the line or element."""

    code = "invalid_file"

    def __init__(self, file: str, problem: str, *, line: int | None = None, element: str | None = None) -> None:
        self.file = file
        self.problem = problem
        self.line = line
        self.element = element
        where = file
        if line is not None:
            where += f", line {line}"
        if element is not None:
            where += f", {element}"
        super().__init__(f"{where}: {problem}")


class ImportRefused(InputError):
    """A file was refused whole because some rows are wrong; lists every problem found, not just the first."""

    code = "import_refused"

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{file}: nothing imported; {len(problems)} problem(s):\n{shown}{more}")


class RuleViolation(KravError):
    """A business rule refuses the operation."""

    code = "rule_violation"


class UnbalancedVoucher(RuleViolation):
    """R-LED-1: a voucher whose lines do not sum to zero in each currency."""

    code = "unbalanced_voucher"


class MatchingRefused(RuleViolation):
    """R-LED-4: items that may not be matched this way."""

    code = "matching_refused"


class ActionRefused(RuleViolation):
    """R-ACT-*: an action on a claim that its stage does not allow."""

    code = "action_refused"


class RunInProgress(KravError):
    """Another run (or the delivery worker) holds the database; one at a time."""

    code = "run_in_progress"


class DatabaseBusy(KravError):
    """The database stayed locked by another writer longer than Krav waits."""

    code = "database_busy"


class NotFound(KravError):
    """An id, number or company that does not exist for this tenant."""

    code = "not_found"


class Conflict(KravError):
    """The object exists already or changed concurrently."""

    code = "conflict"


@dataclass(frozen=True, slots=True)
class Problem:
    """A per-row failure in batch work, reported as a value instead of raised."""

    where: str
    field: str | None
    message: str

    def __str__(self) -> str:
        field = f"{self.field}: " if self.field else ""
        return f"{self.where}: {field}{self.message}"
