"""Reading what a request gives (query parameters, form values) without trusting it.

Digits are ASCII digits: `"²".isdigit()` is True and `int("²")` fails, so `str.isdigit()`
alone let a link like `?company=²` reach `int()` and answer 500. Free text for a search has no
NUL character (PostgreSQL refuses it in a query) and a bounded length.
"""


def is_digits(value) -> bool:
    """True for a non-empty string of the digits 0-9 only."""
    return isinstance(value, str) and value.isascii() and value.isdigit()


# The largest primary key a database holds (a signed 64-bit integer): a bigger number is no
# record (and SQLite refuses it as a parameter).
MAX_PK = 2**63 - 1


def query_pk(value) -> int | None:
    """A primary key from a query parameter, or None."""
    return int(value) if is_digits(value) and int(value) <= MAX_PK else None


def query_text(value, *, max_length: int = 100) -> str:
    """A search text from a query parameter: trimmed, without NUL, at most `max_length`."""
    return (value or "").replace("\x00", "").strip()[:max_length]
