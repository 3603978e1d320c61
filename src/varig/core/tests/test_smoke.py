import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("core:today"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.django_db
def test_login_page_is_danish_by_default(client):
    response = client.get(reverse("core:login"))
    assert response.status_code == 200
    assert 'lang="da"' in response.text
