import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from varig.core import services
from varig.core.models import Role, User
from varig.core.tests.factories import make_user

LIST = reverse("core:user_list")
CREATE = reverse("core:user_create")
GOOD_PASSWORD = "Lyse-Bølger-2026"


def _edit_url(user):
    return reverse("core:user_edit", args=[user.pk])


def _form(**overrides):
    data = {
        "name": "Birthe Bruger",
        "email": "Birthe@Example.dk",
        "roles": [Role.ADVISOR],
        "language": "da",
        "password": GOOD_PASSWORD,
    }
    data.update(overrides)
    return data


# --- access ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_redirected(client, advisor):
    for url in (LIST, CREATE, _edit_url(advisor)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["advisor_client", "manager_client", "consultant_client"])
def test_only_administrators_manage_users(request, fixture, other_advisor):
    client = request.getfixturevalue(fixture)
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _form()).status_code == 403
    assert client.get(_edit_url(other_advisor)).status_code == 403
    assert client.post(_edit_url(other_advisor), _form(email="x@example.dk")).status_code == 403
    assert not User.objects.filter(email="birthe@example.dk").exists()


# --- list --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_name_email_roles_and_state(administrator_client, advisor, manager):
    advisor.is_active = False
    advisor.save()
    response = administrator_client.get(LIST)
    assert response.status_code == 200
    text = response.text
    assert "Vera Vejleder" in text and "vera@example.dk" in text
    assert "Vejleder" in text and "Leder" in text
    assert "Nej (deaktiveret)" in text
    assert "Aldrig" in text


@pytest.mark.django_db
def test_list_search_and_htmx_fragment(administrator_client, advisor, manager):
    response = administrator_client.get(LIST, {"q": "vera"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="user-table">')
    assert "Vera Vejleder" in response.text
    assert "Lone Leder" not in response.text


@pytest.mark.django_db
def test_list_is_paginated(administrator_client):
    for i in range(30):
        make_user(name=f"Person {i:02d}", email=f"p{i}@example.dk")
    response = administrator_client.get(LIST)
    assert len(response.context["page_obj"].object_list) == 25
    assert "Side 1 af 2" in response.text


@pytest.mark.django_db
def test_list_query_count_is_the_same_with_1_and_25_users(administrator_client):
    make_user(role=Role.MANAGER)
    with CaptureQueriesContext(connection) as one:
        administrator_client.get(LIST)
    for _ in range(23):
        make_user(role=Role.ADVISOR)
    with CaptureQueriesContext(connection) as many:
        response = administrator_client.get(LIST)
    assert len(response.context["page_obj"].object_list) == 25
    assert len(many.captured_queries) == len(one.captured_queries)


# --- create ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.argon2
def test_create_user(administrator_client):
    response = administrator_client.post(CREATE, _form(roles=[Role.ADVISOR, Role.MANAGER]))
    assert response.status_code == 302
    user = User.objects.get(email="birthe@example.dk")
    assert user.name == "Birthe Bruger"
    assert user.role_names == {Role.ADVISOR, Role.MANAGER}
    assert user.check_password(GOOD_PASSWORD)
    assert user.password.startswith("argon2")


@pytest.mark.django_db
def test_create_refuses_an_email_taken_in_another_case(administrator_client, advisor):
    response = administrator_client.post(CREATE, _form(email="VERA@example.DK"))
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [str(services.EMAIL_TAKEN)]
    assert 'id="id_email_error"' in response.text
    assert User.objects.filter(email__iexact="vera@example.dk").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["kort1", "1234567890123", "password123"])
def test_create_refuses_weak_passwords_beside_the_field(administrator_client, password):
    response = administrator_client.post(CREATE, _form(password=password))
    assert response.status_code == 400
    assert response.context["form"].errors["password"]
    assert 'id="id_password_error"' in response.text
    assert not User.objects.filter(email="birthe@example.dk").exists()


@pytest.mark.django_db
def test_create_needs_a_role_and_a_password(administrator_client):
    response = administrator_client.post(CREATE, _form(roles=[], password=""))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["roles"] == [str(services.ROLE_REQUIRED)]
    assert "password" in errors
    assert not User.objects.filter(email="birthe@example.dk").exists()


# --- edit --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_edit_changes_roles_language_and_deactivates(administrator_client, advisor):
    old_hash = advisor.password
    response = administrator_client.post(
        _edit_url(advisor),
        _form(
            name="Vera Ny",
            email="vera@example.dk",
            roles=[Role.CONSULTANT],
            language="en",
            password="",
            is_active="",
        ),
    )
    assert response.status_code == 302
    advisor = User.objects.get(pk=advisor.pk)
    assert advisor.name == "Vera Ny"
    assert advisor.language == "en"
    assert not advisor.is_active
    assert advisor.role_names == {Role.CONSULTANT}
    assert advisor.password == old_hash  # an empty password keeps the old one


@pytest.mark.django_db
def test_edit_sets_a_new_password(administrator_client, advisor):
    response = administrator_client.post(
        _edit_url(advisor), _form(email="vera@example.dk", is_active="on")
    )
    assert response.status_code == 302
    advisor.refresh_from_db()
    assert advisor.check_password(GOOD_PASSWORD)


@pytest.mark.django_db
def test_edit_form_shows_the_current_values(administrator_client, advisor):
    response = administrator_client.get(_edit_url(advisor))
    assert response.status_code == 200
    assert 'value="vera@example.dk"' in response.text
    assert f'value="{Role.ADVISOR}"' in response.text
    assert response.context["form"].initial["roles"] == [Role.ADVISOR]


@pytest.mark.django_db
def test_administrator_cannot_demote_or_deactivate_themselves(administrator_client, administrator):
    response = administrator_client.post(
        _edit_url(administrator),
        _form(name="Anders Admin", email="anders@example.dk", roles=[Role.MANAGER], is_active=""),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["roles"] == [str(services.CANNOT_REMOVE_OWN_ADMIN)]
    assert errors["is_active"] == [str(services.CANNOT_DEACTIVATE_SELF)]
    assert "Du kan ikke fjerne din egen administratorrolle." in response.text
    administrator.refresh_from_db()
    assert administrator.is_active
    assert administrator.groups.filter(name=Role.ADMINISTRATOR).exists()


@pytest.mark.django_db
def test_administrator_may_demote_another_administrator(administrator_client):
    other = make_user(role=Role.ADMINISTRATOR, email="other-admin@example.dk")
    response = administrator_client.post(
        _edit_url(other),
        _form(email="other-admin@example.dk", roles=[Role.MANAGER], password="", is_active="on"),
    )
    assert response.status_code == 302
    assert User.objects.get(pk=other.pk).role_names == {Role.MANAGER}


@pytest.mark.django_db
def test_edit_refuses_another_users_email(administrator_client, advisor, manager):
    response = administrator_client.post(
        _edit_url(advisor), _form(email="LONE@example.dk", password="", is_active="on")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [str(services.EMAIL_TAKEN)]


@pytest.mark.django_db
def test_edit_unknown_user_is_404(administrator_client):
    assert administrator_client.get(reverse("core:user_edit", args=[999999])).status_code == 404


# --- services ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_create_service_validates_everything():
    with pytest.raises(ValidationError) as exc:
        services.user_create(name="X", email="x@example.dk", roles=["boss"], password="123")
    assert set(exc.value.message_dict) == {"roles", "password"}
    assert not User.objects.filter(email="x@example.dk").exists()


@pytest.mark.django_db
def test_user_update_service_refuses_self_demotion(administrator):
    with pytest.raises(ValidationError) as exc:
        services.user_update(
            user=administrator, actor=administrator, name="A", email=administrator.email,
            roles=[Role.ADVISOR], language="da", is_active=True,
        )  # fmt: skip
    assert exc.value.message_dict["roles"] == [str(services.CANNOT_REMOVE_OWN_ADMIN)]


@pytest.mark.django_db
def test_self_deactivation_is_shown_even_when_other_fields_are_wrong(
    administrator_client, administrator
):
    response = administrator_client.post(
        _edit_url(administrator),
        _form(name="", email="anders@example.dk", roles=[], is_active=""),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["is_active"] == [str(services.CANNOT_DEACTIVATE_SELF)]
    assert errors["roles"] == [str(services.ROLE_REQUIRED)]
    assert "name" in errors
