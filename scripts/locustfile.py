"""The load scenario (issue 7; a benchmark, not CI): staff working in Varig at the same time.

Run by `scripts/bench_load.sh`, which builds the database, starts gunicorn on 127.0.0.1 and
writes the staff accounts to the file named by VARIG_LOAD_USERS (one account per simulated
user, with the job customers that user may see). Each simulated user logs in the way a person
does: the login form (e-mail, password), then the two-factor code from their authenticator app
(computed here from the demo secret), and then works: "I dag", the caseload list and searches,
a person's page (audited), the plan, companies, warnings, now and then a note on a person.
"""

import base64
import hashlib
import hmac
import json
import os
import random
import re
import struct
import threading
import time
from pathlib import Path

from locust import HttpUser, between, events, task

USERS = json.loads(
    Path(os.environ.get("VARIG_LOAD_USERS", "var/bench-load/users.json")).read_text()
)
_next_user = iter(range(10**9))
_lock = threading.Lock()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def totp(secret_b32: str, at: float | None = None) -> str:
    """The current 6-digit TOTP code (RFC 6238, SHA-1, 30 s), as the authenticator app shows."""
    key = base64.b32decode(secret_b32)
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class Staff(HttpUser):
    """One member of staff: their own account, their own persons."""

    wait_time = between(1, 5)

    def on_start(self):
        with _lock:
            account = USERS["accounts"][next(_next_user) % len(USERS["accounts"])]
        self.account = account
        self.persons = account["persons"] or USERS["all_persons"][:50]
        self.log_in()

    def _csrf(self, html: str) -> str:
        match = CSRF.search(html)
        return match.group(1) if match else self.client.cookies.get("csrftoken", "")

    def log_in(self):
        """The login page, then the code page, as a person does; a refusal counts as an error."""
        page = self.client.get("/login/", name="login (form)")
        with self.client.post(
            "/login/",
            {
                "username": self.account["email"],
                "password": USERS["password"],
                "csrfmiddlewaretoken": self._csrf(page.text),
            },
            name="login (password)",
            catch_response=True,
        ) as response:
            if "/login/kode/" not in response.url:
                response.failure(f"password step refused for {self.account['email']}")
                return
        # A code that expired while the server was busy is refused (and counted as an error);
        # like a person, the user then types the next code.
        for _attempt in range(2):
            with self.client.post(
                "/login/kode/",
                {
                    "code": totp(USERS["totp_secret"]),
                    "csrfmiddlewaretoken": self._csrf(response.text),
                },
                name="login (code)",
                catch_response=True,
            ) as response:
                if "/login/" not in response.url:
                    return
                response.failure(f"code refused for {self.account['email']}")

    def page(self, url: str, name: str):
        """GET a page; being sent to the login page (a lost session) counts as an error."""
        with self.client.get(url, name=name, catch_response=True) as response:
            # No url: the request never got an answer (the run stopping mid-request, or a
            # refused connection, which locust already counts as an error).
            if response.url and "/login/" in response.url:
                response.failure("sent to the login page")
            return response

    @task(4)
    def today(self):
        self.page("/", "I dag")

    @task(4)
    def caseload(self):
        self.page("/jobkunder/", "jobkunder (list)")

    @task(2)
    def search(self):
        word = random.choice(USERS["search_words"])
        self.page(f"/jobkunder/?q={word}", "jobkunder (search)")

    @task(6)
    def person(self):
        pk = random.choice(self.persons)
        self.page(f"/jobkunder/{pk}/", "jobkunde (page)")

    @task(2)
    def plan(self):
        pk = random.choice(self.persons)
        self.page(f"/jobkunder/{pk}/plan/", "jobkunde (plan)")

    @task(2)
    def companies(self):
        self.page("/virksomheder/", "virksomheder (list)")

    @task(1)
    def company(self):
        pk = random.choice(USERS["companies"])
        self.page(f"/virksomheder/{pk}/", "virksomhed (page)")

    @task(1)
    def warnings(self):
        self.page("/advarsler/", "advarsler")

    @task(1)
    def note(self):
        if not self.account["may_edit"]:
            return
        pk = random.choice(self.persons)
        page = self.page(f"/jobkunder/{pk}/", "jobkunde (page)")
        self.client.post(
            f"/jobkunder/{pk}/noter/",
            {
                "note-kind": "phone",
                "note-occurred_on": time.strftime("%Y-%m-%d"),
                "note-text": "Belastningstest: kort opfølgning pr. telefon.",
                "csrfmiddlewaretoken": self._csrf(page.text),
            },
            headers={"HX-Request": "true"},
            name="jobkunde (add note)",
        )


# Every response time, to report the work apart from the logins (the login is slow on purpose:
# Argon2) in VARIG_LOAD_SUMMARY.
_times: dict[str, list[float]] = {"all": [], "work": []}


@events.request.add_listener
def _record(name, response_time, exception, **kwargs):
    _times["all"].append(response_time)
    if not name.startswith("login"):
        _times["work"].append(response_time)


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


@events.quitting.add_listener
def _summary(environment, **kwargs):
    total = environment.stats.total
    summary = {
        "requests": total.num_requests,
        "errors": total.num_failures,
        **{
            f"{kind}_{label}_ms": _percentile(values, share)
            for kind, values in _times.items()
            for label, share in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99))
        },
        "work_requests": len(_times["work"]),
        "requests_per_s": round(total.total_rps, 2),
    }
    path = os.environ.get("VARIG_LOAD_SUMMARY")
    if path:
        Path(path).write_text(json.dumps(summary, indent=2))
    if total.fail_ratio > 0:
        environment.process_exit_code = 1
