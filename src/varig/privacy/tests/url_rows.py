"""The privacy app's rows in the URL x role matrix (core/tests/url_table.py)."""

from varig.core.tests.url_table import GET_ONLY, MANAGERS, Row

ROWS = {
    # The audit log: managers and administrators only.
    "audit:log": Row(get=MANAGERS, post=GET_ONLY),
}
