"""Helpers for query-count tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def request_overhead(client) -> int:
    """The queries every logged-in request makes before its view does anything: the session,
    the user and the two-factor device (issue 7). Measured on the code page, which for a
    verified user only sends them on.

    Query-count tests assert the same count with 1 and with many rows, and bound the page's
    own queries on top of this: `assert one <= request_overhead(client) + 4`, so a change to
    how logging in works does not move every bound in the suite.
    """
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("core:otp_verify"))
    assert response.status_code == 302, "request_overhead needs a logged-in, verified client"
    return len(captured)
