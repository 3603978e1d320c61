"""Access through caseloads and explicit shares: the rules, the services and the shares card."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from varig.core.models import Role
from varig.core.tests.factories import make_user
from varig.customers import sharing
from varig.customers.models import CaseloadShare, JobCustomer
from varig.customers.selectors import (
    can_see_health,
    can_view_job_customer,
    job_customer_get_for_user,
    job_customers_visible_to,
)
from varig.customers.tests.factories import make_job_customer, make_share

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_an_advisor_sees_their_caseload_the_unassigned_and_what_is_shared(advisor, other_advisor):
    mine = make_job_customer(advisor=advisor)
    theirs = make_job_customer(advisor=other_advisor)
    unassigned = make_job_customer()
    assert set(job_customers_visible_to(user=advisor)) == {mine, unassigned}
    assert not can_view_job_customer(user=advisor, job_customer=theirs)
    make_share(job_customer=theirs, user=advisor)
    assert set(job_customers_visible_to(user=advisor)) == {mine, unassigned, theirs}
    assert can_view_job_customer(user=advisor, job_customer=theirs)
    # A share never opens the health information.
    assert not can_see_health(user=advisor, job_customer=theirs)


def test_a_consultant_sees_only_what_is_shared_with_them(consultant, advisor):
    shared = make_job_customer(advisor=advisor)
    make_job_customer(advisor=advisor)
    make_job_customer()
    make_share(job_customer=shared, user=consultant)
    assert list(job_customers_visible_to(user=consultant)) == [shared]


def test_managers_and_administrators_see_everyone(manager, administrator, advisor):
    people = {make_job_customer(advisor=advisor), make_job_customer()}
    for user in (manager, administrator):
        assert set(job_customers_visible_to(user=user)) == people
        assert all(can_see_health(user=user, job_customer=p) for p in people)


def test_a_user_without_a_role_sees_nobody(advisor):
    nobody = make_user(role=None)
    jc = make_job_customer(advisor=advisor)
    assert not job_customers_visible_to(user=nobody).exists()
    with pytest.raises(PermissionDenied):
        job_customer_get_for_user(user=nobody, pk=jc.pk)


def test_ended_and_expired_shares_give_no_access(advisor, other_advisor):
    jc = make_job_customer(advisor=other_advisor)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    make_share(job_customer=jc, user=advisor, until=yesterday)
    assert not can_view_job_customer(user=advisor, job_customer=jc)
    make_share(job_customer=jc, user=advisor, ended_at=timezone.now())
    assert not job_customers_visible_to(user=advisor).exists()


def test_the_getter_refuses_with_403_or_404_and_audits_each_read(advisor, other_advisor):
    jc = make_job_customer(advisor=advisor)
    theirs = make_job_customer(advisor=other_advisor)
    with pytest.raises(Http404):
        job_customer_get_for_user(user=advisor, pk=999999)
    with pytest.raises(PermissionDenied):
        job_customer_get_for_user(user=advisor, pk=theirs.pk)
    job_customer_get_for_user(user=advisor, pk=jc.pk)
    reads = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(jc.pk))
    assert reads.count() == 1
    assert not LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(theirs.pk)
    ).exists()


# --- services -----------------------------------------------------------------------------------


def test_the_responsible_advisor_shares_and_ends_a_share(advisor, other_advisor):
    jc = make_job_customer(advisor=advisor)
    until = timezone.localdate() + datetime.timedelta(days=14)
    share = sharing.share_create(
        actor=advisor, job_customer=jc, user=other_advisor, until=until, reason="Ferie"
    )
    assert share.shared_by == advisor and share.until == until
    assert can_view_job_customer(user=other_advisor, job_customer=jc)
    assert LogEntry.objects.get_for_object(share).filter(action=LogEntry.Action.CREATE).exists()
    sharing.share_end(actor=advisor, share=share)
    assert not can_view_job_customer(user=other_advisor, job_customer=jc)
    with pytest.raises(ValidationError) as exc:
        sharing.share_end(actor=advisor, share=share)
    assert exc.value.messages == [str(sharing.SHARE_ALREADY_ENDED)]


def test_only_the_responsible_advisor_and_managers_may_share(advisor, other_advisor, manager):
    jc = make_job_customer(advisor=advisor)
    consultant = make_user(role=Role.CONSULTANT)
    make_share(job_customer=jc, user=other_advisor)
    with pytest.raises(PermissionDenied):  # a colleague covering may not pass it on
        sharing.share_create(actor=other_advisor, job_customer=jc, user=consultant)
    assert sharing.share_create(actor=manager, job_customer=jc, user=consultant).user == consultant


def test_sharing_refuses_pointless_or_duplicate_shares(advisor, other_advisor, manager):
    jc = make_job_customer(advisor=advisor)
    inactive = make_user(role=Role.ADVISOR, is_active=False)
    cases = [
        (advisor, "user", sharing.SHARE_WITH_RESPONSIBLE),
        (manager, "user", sharing.SHARE_WITH_MANAGER),
        (inactive, "user", sharing.SHARE_NOT_STAFF),
        (make_user(role=None), "user", sharing.SHARE_NOT_STAFF),
    ]
    for user, field, message in cases:
        with pytest.raises(ValidationError) as exc:
            sharing.share_create(actor=advisor, job_customer=jc, user=user)
        assert exc.value.message_dict[field] == [str(message)]
    past = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        sharing.share_create(actor=advisor, job_customer=jc, user=other_advisor, until=past)
    assert exc.value.message_dict["until"] == [str(sharing.SHARE_UNTIL_PAST)]
    sharing.share_create(actor=advisor, job_customer=jc, user=other_advisor)
    with pytest.raises(ValidationError) as exc:
        sharing.share_create(actor=advisor, job_customer=jc, user=other_advisor)
    assert exc.value.message_dict["user"] == [str(sharing.SHARE_EXISTS)]
    assert CaseloadShare.objects.count() == 1


def test_the_colleague_may_hand_the_person_back(advisor, other_advisor):
    jc = make_job_customer(advisor=advisor)
    share = make_share(job_customer=jc, user=other_advisor)
    sharing.share_end(actor=other_advisor, share=share)
    third = make_user(role=Role.ADVISOR)
    share = make_share(job_customer=jc, user=third)
    with pytest.raises(PermissionDenied):
        sharing.share_end(actor=other_advisor, share=share)


def test_share_candidates_are_active_advisors_and_consultants_but_not_the_responsible(
    advisor, other_advisor, consultant, manager
):
    jc = make_job_customer(advisor=advisor)
    make_user(role=Role.ADVISOR, is_active=False)
    assert set(sharing.share_candidates(job_customer=jc)) == {other_advisor, consultant}


# --- pages --------------------------------------------------------------------------------------


def test_sharing_from_the_page_lets_the_colleague_in(
    advisor_client, advisor, other_advisor, client_for
):
    jc = make_job_customer(advisor=advisor, last_name="Holm")
    colleague = client_for(other_advisor)
    detail = reverse("customers:detail", args=[jc.pk])
    assert colleague.get(detail).status_code == 403
    page = advisor_client.get(detail).text
    assert 'id="shares"' in page and "Del med en kollega" in page
    response = advisor_client.post(
        reverse("customers:share_add", args=[jc.pk]),
        {"share-user": other_advisor.pk, "share-reason": "Ferie"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="card" id="shares"')
    assert "Ole Vejleder" in response.text and "Ferie" in response.text
    assert colleague.get(detail).status_code == 200
    share = CaseloadShare.objects.get()
    response = advisor_client.post(reverse("customers:share_end", args=[jc.pk, share.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#shares")
    assert colleague.get(detail).status_code == 403


def test_a_bad_share_gets_its_error_beside_the_field(advisor_client, advisor):
    jc = make_job_customer(advisor=advisor)
    response = advisor_client.post(
        reverse("customers:share_add", args=[jc.pk]),
        {"share-user": advisor.pk, "share-until": "31-02-2026"},
    )
    assert response.status_code == 400
    form = response.context["share_form"]
    assert form.errors["until"] and form.errors["user"]
    assert not CaseloadShare.objects.exists()


def test_a_refused_share_page_explains_how_to_get_access(advisor_client, other_advisor):
    jc = make_job_customer(advisor=other_advisor)
    response = advisor_client.get(reverse("customers:detail", args=[jc.pk]))
    assert response.status_code == 403
    assert "dele" in response.text and "<html" in response.text


def test_the_list_never_shows_persons_outside_the_users_access(advisor_client, other_advisor):
    make_job_customer(advisor=other_advisor, last_name="Skjultsen")
    for query in ({}, {"advisor": "all"}, {"advisor": str(other_advisor.pk)}, {"q": "Skjult"}):
        response = advisor_client.get(reverse("customers:list"), query)
        assert "Skjultsen" not in response.text, query
    assert JobCustomer.objects.count() == 1


def test_the_warnings_list_shows_only_persons_in_the_users_access(advisor_client, other_advisor):
    from varig.alerts.models import Flag

    theirs = make_job_customer(advisor=other_advisor, last_name="Skjultsen")
    Flag.objects.create(
        job_customer=theirs, kind=Flag.Kind.NO_CONTACT, key="x", raised_on=timezone.localdate()
    )
    response = advisor_client.get(reverse("alerts:list"), {"advisor": "all"})
    assert response.status_code == 200 and "Skjultsen" not in response.text
