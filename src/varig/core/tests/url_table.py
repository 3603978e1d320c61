"""The expected answer of every URL for every role, for one's own record and another's.

`test_url_matrix.py` walks every named URL pattern in the resolver and looks it up here; a URL
without a row fails the test. **Whoever adds a URL adds its row**: a new app keeps its rows in
its own `varig/<app>/tests/url_rows.py` (a `ROWS` dict, merged into `TABLE` below, and
optionally `extend_world(world)` to add the records its URLs need to the test world, see
`world.py`), so parallel work does not collide in this file.

A row says how to fill the URL's arguments from the test world (`world.py`) for the "own" and
the "other" record, and the status code each role gets for GET and for an empty POST:

- "own" is a record the user may work with in the ordinary way: for an advisor, a person in
  their caseload; for an employer consultant, a person shared with them; for managers and
  administrators simply the first record. "other" belongs to another advisor's caseload and is
  not shared. Rows without person-scoped records have one answer per role.
- `ans(default, role=...)`: `default` for every role not named; a role's value is one status
  code, or `(own, other)`. Anonymous visitors are always sent to the login page unless the row
  says `anonymous=`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

OWN, OTHER = "own", "other"
ROLES = ("advisor", "consultant", "manager", "administrator")
LOGIN = "login"  # the expected answer "redirected to the login page"


def ans(default=None, **roles) -> dict:
    return {role: roles.get(role, default) for role in ROLES}


@dataclass(frozen=True)
class Row:
    get: dict | int
    post: dict | int
    kwargs: Callable | None = None  # (world, OWN|OTHER) -> URL kwargs; None: no arguments
    scoped: bool = False  # True when own and other records differ
    anonymous: tuple = (LOGIN, LOGIN)  # (GET, POST) for a visitor who is not logged in
    query: Callable | None = None  # (world, OWN|OTHER) -> query string dict
    extra: dict = field(default_factory=dict)


def person(w, r):
    return {"pk": w.person[r].pk}


def person_and(attr: str, kwarg: str):
    return lambda w, r: {"pk": w.person[r].pk, kwarg: getattr(w, attr)[r].pk}


def obj(attr: str):
    return lambda w, r: {"pk": getattr(w, attr)[r].pk}


def single(attr: str):
    return lambda w, r: {"pk": getattr(w, attr).pk}


STAFF = ans(200)
ADMIN_ONLY = ans(403, administrator=200)
MANAGERS = ans(403, manager=200, administrator=200)
POST_ONLY = ans(405)
GET_ONLY = ans(405)
# A person's page: their own advisor and a consultant they are shared with; managers see all.
PERSON_PAGE = ans(200, advisor=(200, 403), consultant=(200, 403))
# Changing a person's record: consultants only read.
PERSON_EDIT = ans(200, advisor=(200, 403), consultant=403)
# A small form on the person's page posted empty: refused as invalid (400) where allowed.
PERSON_SECTION_POST = ans(400, advisor=(400, 403), consultant=403)
# Placements and follow-ups: consultants work on them for the persons shared with them.
PLACEMENT_PAGE = ans(200, advisor=(200, 403), consultant=(200, 403))
PLACEMENT_POST = ans(400, advisor=(400, 403), consultant=(400, 403))

TABLE: dict[str, Row] = {
    # --- core -------------------------------------------------------------------------------
    "core:login": Row(get=ans(302), post=ans(302), anonymous=(200, 200)),
    "core:logout": Row(get=ans(405), post=ans(302), anonymous=(LOGIN, 302)),
    "core:set_language": Row(get=POST_ONLY, post=ans(302)),
    "core:set_language_anonymous": Row(get=ans(302), post=ans(302), anonymous=(302, 302)),
    # The second factor (every matrix client has given it: the code page sends them on, the
    # set-up page replaces their app; an empty POST is an unbound form).
    "core:otp_verify": Row(get=ans(302), post=ans(302)),
    "core:otp_setup": Row(get=STAFF, post=STAFF),
    "core:otp_settings": Row(get=STAFF, post=ans(302)),
    "core:user_otp_reset": Row(
        get=ans(405), post=ans(403, administrator=302), kwargs=single("advisor_user")
    ),
    "core:user_unlock": Row(
        get=ans(405), post=ans(403, administrator=302), kwargs=single("advisor_user")
    ),
    "core:today": Row(get=STAFF, post=STAFF),
    "core:user_list": Row(get=ADMIN_ONLY, post=ADMIN_ONLY),
    # An empty POST is an unbound form: the page again (200); invalid input gives 400.
    "core:user_create": Row(get=ADMIN_ONLY, post=ADMIN_ONLY),
    "core:user_edit": Row(get=ADMIN_ONLY, post=ADMIN_ONLY, kwargs=single("advisor_user")),
    # --- customers --------------------------------------------------------------------------
    "customers:list": Row(get=STAFF, post=ans(405)),
    "customers:create": Row(get=ans(200, consultant=403), post=ans(200, consultant=403)),
    "customers:detail": Row(get=PERSON_PAGE, post=ans(405), kwargs=person, scoped=True),
    "customers:edit": Row(get=PERSON_EDIT, post=PERSON_EDIT, kwargs=person, scoped=True),
    "customers:readiness_add": Row(
        get=POST_ONLY, post=PERSON_SECTION_POST, kwargs=person, scoped=True
    ),
    "customers:job_wishes_edit": Row(
        get=POST_ONLY, post=PERSON_SECTION_POST, kwargs=person, scoped=True
    ),
    "customers:accommodation_add": Row(
        get=POST_ONLY, post=PERSON_SECTION_POST, kwargs=person, scoped=True
    ),
    "customers:consent_add": Row(
        get=POST_ONLY, post=PERSON_SECTION_POST, kwargs=person, scoped=True
    ),
    "customers:consent_withdraw": Row(
        get=POST_ONLY,
        post=PERSON_SECTION_POST,
        kwargs=person_and("consent", "consent_pk"),
        scoped=True,
    ),
    # Health: only the responsible advisor (never a colleague it is shared with), managers.
    "customers:health_edit": Row(
        get=POST_ONLY, post=ans(302, advisor=(302, 403), consultant=403), kwargs=person, scoped=True
    ),
    "customers:note_add": Row(get=POST_ONLY, post=PERSON_SECTION_POST, kwargs=person, scoped=True),
    "customers:task_add": Row(get=POST_ONLY, post=PERSON_SECTION_POST, kwargs=person, scoped=True),
    "customers:task_done": Row(
        get=POST_ONLY,
        post=ans(302, advisor=(302, 403), consultant=403),
        kwargs=person_and("task", "task_pk"),
        scoped=True,
    ),
    # Sharing: the responsible advisor, managers and administrators; the colleague it is
    # shared with may end their own share (hand the person back).
    "customers:share_add": Row(
        get=POST_ONLY, post=ans(400, advisor=(400, 403), consultant=403), kwargs=person, scoped=True
    ),
    "customers:share_end": Row(
        get=POST_ONLY,
        post=ans(302, advisor=(302, 403), consultant=(302, 403)),
        kwargs=person_and("share", "share_pk"),
        scoped=True,
    ),
    # The plan, its goals and the guidance sessions (an empty POST is an unbound form: 200).
    "customers:plan": Row(get=PERSON_PAGE, post=PERSON_SECTION_POST, kwargs=person, scoped=True),
    "customers:goal_create": Row(get=PERSON_EDIT, post=PERSON_EDIT, kwargs=person, scoped=True),
    "customers:goal_edit": Row(
        get=PERSON_EDIT, post=PERSON_EDIT, kwargs=person_and("goal", "goal_pk"), scoped=True
    ),
    "customers:guidance_list": Row(get=PERSON_PAGE, post=ans(405), kwargs=person, scoped=True),
    "customers:guidance_create": Row(get=PERSON_EDIT, post=PERSON_EDIT, kwargs=person, scoped=True),
    # --- employers (companies are not person-scoped: every staff role) -----------------------
    "employers:list": Row(get=STAFF, post=STAFF),
    "employers:create": Row(get=STAFF, post=STAFF),
    "employers:company_options": Row(get=STAFF, post=GET_ONLY),
    "employers:detail": Row(get=STAFF, post=STAFF, kwargs=single("company")),
    "employers:edit": Row(get=STAFF, post=STAFF, kwargs=single("company")),
    "employers:contact_create": Row(get=STAFF, post=STAFF, kwargs=single("company")),
    "employers:note_create": Row(get=POST_ONLY, post=ans(400), kwargs=single("company")),
    # Recording what a company was told: an empty POST lacks the date (400).
    "employers:onboarding_record_gaps": Row(get=POST_ONLY, post=ans(400), kwargs=single("company")),
    "employers:onboarding_record": Row(
        get=POST_ONLY,
        post=ans(400),
        kwargs=lambda w, r: {"pk": w.company.pk, "offer": "open_door"},
    ),
    "employers:onboarding_undo": Row(
        get=POST_ONLY,
        post=ans(302),
        kwargs=lambda w, r: {"pk": w.company.pk, "offer": "open_door"},
    ),
    # The welcome pack (a PDF for the company: never a diagnosis).
    "employers:welcome_pack": Row(get=STAFF, post=GET_ONLY, kwargs=single("company")),
    "employers:contact_edit": Row(get=STAFF, post=STAFF, kwargs=single("contact")),
    "employers:contact_end": Row(get=STAFF, post=STAFF, kwargs=single("contact")),
    # --- placements -------------------------------------------------------------------------
    "placements:create": Row(get=STAFF, post=ans(400)),
    "placements:contact_options": Row(get=STAFF, post=STAFF),
    "placements:detail": Row(
        get=PLACEMENT_PAGE, post=PLACEMENT_PAGE, kwargs=obj("placement"), scoped=True
    ),
    "placements:edit": Row(
        get=PLACEMENT_PAGE, post=PLACEMENT_POST, kwargs=obj("placement"), scoped=True
    ),
    "placements:end": Row(
        get=PLACEMENT_PAGE, post=PLACEMENT_POST, kwargs=obj("placement"), scoped=True
    ),
    "placements:convert": Row(
        get=PLACEMENT_PAGE, post=PLACEMENT_POST, kwargs=obj("placement"), scoped=True
    ),
    "placements:tier": Row(
        get=PLACEMENT_PAGE, post=PLACEMENT_POST, kwargs=obj("placement"), scoped=True
    ),
    "placements:followup_record": Row(
        get=PLACEMENT_PAGE, post=PLACEMENT_POST, kwargs=obj("followup"), scoped=True
    ),
    "placements:followup_cancel": Row(
        get=POST_ONLY, post=PLACEMENT_POST, kwargs=obj("followup"), scoped=True
    ),
    # --- alerts -----------------------------------------------------------------------------
    "alerts:list": Row(get=STAFF, post=ans(405)),
    "alerts:person_section": Row(get=PERSON_PAGE, post=GET_ONLY, kwargs=person, scoped=True),
    "alerts:resolve": Row(get=PERSON_EDIT, post=PERSON_EDIT, kwargs=obj("flag"), scoped=True),
    "alerts:period_add": Row(get=POST_ONLY, post=PERSON_SECTION_POST, kwargs=person, scoped=True),
    "alerts:period_end": Row(
        get=POST_ONLY, post=PERSON_SECTION_POST, kwargs=obj("period"), scoped=True
    ),
    # --- anniversaries ("Godt Gået") ----------------------------------------------------------
    "anniversaries:list": Row(get=STAFF, post=ans(405)),
    "anniversaries:celebration": Row(
        get=PERSON_EDIT,
        post=PERSON_EDIT,
        kwargs=lambda w, r: {"job_customer": w.person[r].pk, "company": w.company.pk, "years": 2},
        scoped=True,
    ),
    # --- earnings (the guide is public; the rates are the administrators') -------------------
    "earnings:methodology": Row(get=STAFF, post=GET_ONLY, anonymous=(200, 405)),
    "earnings:rates": Row(get=ADMIN_ONLY, post=ans(405)),
    "earnings:rate_add": Row(get=ADMIN_ONLY, post=ADMIN_ONLY),
    "earnings:rate_detail": Row(get=ADMIN_ONLY, post=ans(405), kwargs=single("rate")),
    "earnings:rate_correct": Row(
        get=POST_ONLY, post=ans(403, administrator=400), kwargs=single("rate")
    ),
    "earnings:rate_remove": Row(
        get=POST_ONLY, post=ans(403, administrator=400), kwargs=single("rate")
    ),
    # --- outcomes ---------------------------------------------------------------------------
    "outcomes:results": Row(get=MANAGERS, post=GET_ONLY),
    # Without a table to download the answer is 404.
    "outcomes:results_download": Row(get=ans(403, manager=404, administrator=404), post=GET_ONLY),
    "outcomes:import_start": Row(get=ADMIN_ONLY, post=ans(403, administrator=400)),
    "outcomes:import_detail": Row(get=ADMIN_ONLY, post=ADMIN_ONLY, kwargs=single("import_job")),
    "outcomes:import_problems": Row(get=ADMIN_ONLY, post=ADMIN_ONLY, kwargs=single("import_job")),
}


def app_url_rows():
    """Each installed Varig app's `tests/url_rows.py` module, where it has one."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.conf import settings

    for app in settings.INSTALLED_APPS:
        if not app.startswith("varig.") or find_spec(f"{app}.tests") is None:
            continue
        if find_spec(f"{app}.tests.url_rows") is not None:
            yield import_module(f"{app}.tests.url_rows")


def _merge_app_rows() -> None:
    for module in app_url_rows():
        twice = set(module.ROWS) & set(TABLE)
        assert not twice, f"URL rows given twice: {sorted(twice)}"
        TABLE.update(module.ROWS)


_merge_app_rows()
