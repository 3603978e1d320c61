"""One problem in the input, reported as `file:line: column: message`."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    message: Any  # a lazy translation, formatted with `params` when shown
    params: dict = field(default_factory=dict, compare=False)

    @property
    def text(self) -> str:
        message = str(self.message)
        return message % self.params if self.params else message

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.text}"

    def as_list(self) -> list:
        return [self.file, self.line, self.column, self.text]
