import pytest
from django.conf import settings
from django.urls import reverse

LOGIN = reverse("core:login")


@pytest.mark.django_db
def test_login_page_welcomes_in_danish_even_for_an_english_browser(client):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert 'lang="da"' in response.text
    assert "Velkommen" in response.text
    assert "Log ind" in response.text


@pytest.mark.django_db
def test_language_can_be_switched_before_login(client):
    response = client.post(
        reverse("core:set_language_anonymous"), {"language": "en", "next": LOGIN}
    )
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(LOGIN)
    assert 'lang="en"' in page.text
    assert "Welcome" in page.text


@pytest.mark.django_db
def test_logging_in_goes_to_today(client, advisor):
    from varig.core.tests.factories import PASSWORD

    response = client.post(LOGIN, {"username": "VERA@example.dk", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:today")


@pytest.mark.django_db
def test_wrong_password_is_refused_in_danish(client, advisor):
    response = client.post(LOGIN, {"username": "vera@example.dk", "password": "forkert-kode"})
    assert response.status_code == 200
    assert "E-mailadressen eller adgangskoden er forkert." in response.text


@pytest.mark.django_db
def test_a_logged_in_users_language_wins(advisor_client, advisor):
    advisor.language = "en"
    advisor.save()
    response = advisor_client.get(reverse("core:today"))
    assert 'lang="en"' in response.text
    assert "Today" in response.text
