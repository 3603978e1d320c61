"""Fixtures every app's tests share: one user per role and logged-in clients."""

import pytest

from varig.core.models import Role
from varig.core.tests.factories import make_user


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The manifest storage needs collectstatic; tests serve the source files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    # Argon2 is deliberately slow; tests that check the production hasher use
    # @pytest.mark.argon2 to keep it.
    if request.node.get_closest_marker("argon2") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def advisor(db):
    return make_user(role=Role.ADVISOR, name="Vera Vejleder", email="vera@example.dk")


@pytest.fixture
def other_advisor(db):
    return make_user(role=Role.ADVISOR, name="Ole Vejleder", email="ole@example.dk")


@pytest.fixture
def consultant(db):
    return make_user(role=Role.CONSULTANT, name="Karin Konsulent", email="karin@example.dk")


@pytest.fixture
def manager(db):
    return make_user(role=Role.MANAGER, name="Lone Leder", email="lone@example.dk")


@pytest.fixture
def administrator(db):
    return make_user(role=Role.ADMINISTRATOR, name="Anders Admin", email="anders@example.dk")


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def advisor_client(client, advisor):
    return _client_for(client, advisor)


@pytest.fixture
def manager_client(client, manager):
    return _client_for(client, manager)


@pytest.fixture
def administrator_client(client, administrator):
    return _client_for(client, administrator)


@pytest.fixture
def consultant_client(client, consultant):
    return _client_for(client, consultant)
