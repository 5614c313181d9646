import os
import shutil

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


class CommittingClient:
    """A test client whose every request's on-commit work runs as after a real commit: the
    outbox hands its rows to (eager) Celery then, so mail.outbox holds what the request sent.
    A module overrides `client` with it: `return CommittingClient(client, capture)`."""

    def __init__(self, client, capture_on_commit_callbacks):
        self._client = client
        self._capture = capture_on_commit_callbacks

    def __getattr__(self, name):
        return getattr(self._client, name)

    def get(self, *args, **kwargs):
        with self._capture(execute=True):
            return self._client.get(*args, **kwargs)

    def post(self, *args, **kwargs):
        with self._capture(execute=True):
            return self._client.post(*args, **kwargs)


# Debian's Chromium, for the browser tests (each skips itself without it).
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def page():
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's event loop runs in this thread; the test's own ORM calls are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
