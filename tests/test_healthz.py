import os

import pytest

pytestmark = pytest.mark.django_db


def test_it_reports_the_database_and_an_unconfigured_broker(client, settings):
    settings.CELERY_BROKER_URL = "memory://"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "not configured", "status": "ok"}
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
