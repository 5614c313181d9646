import pytest

from . import factories


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read English text unless they ask for another language."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: no cached page or rate-limit count leaks between."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing strength is Django's business; tests need speed."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Tasks run in the test's own process, even when a broker is configured.

    Tests that need a real worker (with CELERY_BROKER_URL set) are marked `celery_worker`.
    """
    from multiply.celery import app

    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def coordinator(db):
    return factories.CoordinatorFactory()


@pytest.fixture
def admin_client(client, coordinator):
    client.force_login(coordinator)
    return client
