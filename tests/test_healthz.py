import os
import shutil

import pytest

from multiply import cache as degrading_cache

pytestmark = pytest.mark.django_db


def redis_cache(location):
    return {"default": {"BACKEND": "multiply.cache.DegradingRedisCache", "LOCATION": location}}


def test_it_reports_the_database_the_cache_and_an_unconfigured_broker(client, settings):
    settings.CELERY_BROKER_URL = "memory://"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "broker": "not configured",
        "status": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert response.json()["database"] == "ok"


@pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL"), reason="needs a real broker (set CELERY_BROKER_URL)"
)
def test_it_reports_a_reachable_broker(client, settings):
    settings.CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_it_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405


def test_it_answers_503_when_the_cache_is_unreachable(client, settings):
    # The portal still serves pages then (multiply/cache.py), but without rate limits on
    # sign-in: whoever watches /healthz must know.
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0")  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error"
    assert response.json()["database"] == "ok"


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server on PATH")
def test_it_reports_a_real_redis_up_then_down_then_up(client, settings, tmp_path, monkeypatch):
    from .integration.infra import RedisServer

    monkeypatch.setattr(degrading_cache, "RETRY_AFTER", 0)
    server = RedisServer(directory=tmp_path).start()
    try:
        settings.CACHES = redis_cache(server.url)
        assert client.get("/healthz").json()["cache"] == "ok"
        server.stop()
        assert client.get("/healthz").status_code == 503
        server.start()
        assert client.get("/healthz").json()["cache"] == "ok"
    finally:
        server.stop()
