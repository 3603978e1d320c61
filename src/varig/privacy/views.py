"""Pages of the privacy app: the audit log's search (managers and administrators)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from varig.core.models import User
from varig.core.permissions import manager_required

from . import selectors
from .forms import AuditFilterForm

INVALID = 400


@require_GET
@manager_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log, newest first: who read or changed what, searchable by person (reference
    or name), user, action and period; paginated without counting the whole log."""
    users = list(User.objects.only("pk", "name", "email").order_by("name", "email"))
    form = AuditFilterForm(request.GET or None, users=users)
    status = 200
    page = None
    persons: list = []
    too_many = False
    if form.is_bound and not form.is_valid():
        status = INVALID
    else:
        params = form.cleaned_data if form.is_bound else {}
        person_ids = None
        if params.get("job_customer"):
            person_ids = [params["job_customer"]]
        elif params.get("person"):
            persons = selectors.persons_matching(params["person"])
            too_many = len(persons) > selectors.PERSONS_MATCHED_MAX
            persons = persons[: selectors.PERSONS_MATCHED_MAX]
            person_ids = [p.pk for p in persons]
        entries = selectors.audit_entries(
            person_ids=person_ids,
            actor=params.get("actor"),
            action=form.action_code if form.is_bound else None,
            date_from=params.get("date_from"),
            date_to=params.get("date_to"),
        )
        page = selectors.audit_page(entries, page=request.GET.get("page"))
    context = {
        "nav_section": "audit",
        "form": form,
        "page": page,
        "persons": persons,
        "too_many": too_many,
        "searched_person": form.is_bound and form.is_valid() and form.cleaned_data.get("person"),
        "persons_max": selectors.PERSONS_MATCHED_MAX,
    }
    template = "privacy/audit_log.html"
    if request.htmx and not request.htmx.boosted:
        template += "#audit-results"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response
