import pytest

from . import factories


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read English text unless they ask for another language."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def coordinator(db):
    return factories.CoordinatorFactory()


@pytest.fixture
def admin_client(client, coordinator):
    client.force_login(coordinator)
    return client
