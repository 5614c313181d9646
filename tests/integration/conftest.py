"""Fixtures that start real infrastructure: an SMTP sink, a Redis of our own, Celery workers.

For tests marked both `celery_worker` and `django_db(transaction=True)`: the worker is another
process, so it must see committed rows, in the same test database. Skipped with a reason where
the infrastructure is missing: on SQLite (the worker cannot share an in-memory test database)
and without redis-server on PATH.
"""

import os
import shutil

import pytest

from .infra import (
    CeleryWorker,
    RedisServer,
    SmtpSink,
    database_url,
    drop_celery_connections,
    worker_env,
)

# What every worker gets unless a test says otherwise: a dead worker's claims go stale fast.
WORKER_SETTINGS = {"OUTBOX_SENDING_TIMEOUT": 3, "LOG_LEVEL": "INFO"}


def _skip(reason: str) -> None:
    """Skip, unless OUTBOX_INTEGRATION_REQUIRED is set (CI's PostgreSQL run): then fail, so
    that missing infrastructure cannot pass for a green run."""
    if os.environ.get("OUTBOX_INTEGRATION_REQUIRED"):
        pytest.fail(f"OUTBOX_INTEGRATION_REQUIRED is set, but this test {reason}", pytrace=False)
    pytest.skip(reason)


def _require_markers(request) -> None:
    db = request.node.get_closest_marker("django_db")
    if not request.node.get_closest_marker("celery_worker") or not (
        db and db.kwargs.get("transaction")
    ):
        pytest.fail(
            "integration fixtures need @pytest.mark.celery_worker and "
            "@pytest.mark.django_db(transaction=True)",
            pytrace=False,
        )


@pytest.fixture
def worker_database_url(request, transactional_db):
    """The test database as a DATABASE_URL, for processes other than this one."""
    from django.db import connection

    _require_markers(request)
    if connection.vendor != "postgresql":
        _skip(
            f"needs PostgreSQL (set DATABASE_URL): a worker process cannot share the "
            f"{connection.vendor} test database"
        )
    return database_url(connection.settings_dict)


@pytest.fixture
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        _skip("needs redis-server on PATH (apt-get install redis-server)")
    server = RedisServer(directory=tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def celery_app(redis_server, settings, monkeypatch):
    """This process's Celery app publishing to the test Redis, for real (not eagerly).

    The app read its configuration long ago and may hold a connection pool to another broker:
    both are replaced, and restored afterwards. Celery reads CELERY_BROKER_URL from the
    environment before its configuration, so that is replaced too.
    """
    from multiply.celery import app

    keys = ("broker_url", "broker_read_url", "broker_write_url", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}
    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url)
    monkeypatch.delenv("CELERY_BROKER_READ_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    settings.CELERY_BROKER_URL = redis_server.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(
        broker_url=redis_server.url,
        broker_read_url=None,
        broker_write_url=None,
        task_always_eager=False,
    )
    drop_celery_connections(app)
    broker = app.connection_for_write()
    assert (broker.hostname, broker.port) == ("127.0.0.1", redis_server.port)
    yield app
    drop_celery_connections(app)
    app.conf.update(saved)


@pytest.fixture
def celery_worker(request, worker_database_url, celery_app, redis_server, smtp_sink, tmp_path):
    """Start a worker with celery_worker(**settings); every one is stopped at teardown.

    Keyword arguments become the worker's environment on top of WORKER_SETTINGS, e.g.
    celery_worker(OUTBOX_RETRY_BASE_SECONDS=3); queues="mail" starts it on that queue only. The
    worker's log is in tmp_path and printed when the test fails.
    """
    workers: list[CeleryWorker] = []

    def start(*, queues: str | None = None, **settings) -> CeleryWorker:
        env = worker_env(
            database_url=worker_database_url,
            broker_url=redis_server.url,
            smtp_port=smtp_sink.port,
            **{**WORKER_SETTINGS, **settings},
        )
        log_path = tmp_path / f"worker-{len(workers)}.log"
        worker = CeleryWorker(env, log_path=log_path, queues=queues)
        workers.append(worker)
        return worker.start()

    yield start
    for worker in workers:
        worker.stop()
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        for worker in workers:
            print(f"--- {worker.log_path.name} ---\n{worker.log()[-5000:]}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
