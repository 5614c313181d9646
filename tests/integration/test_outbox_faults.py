"""The faults issue 14 found the outbox losing or doubling mail under, against a real worker,
Redis, SMTP server and PostgreSQL: an SMTP outage longer than the old five attempts, and the
worker's database connection cut in the middle of a batch."""

import time
from collections import Counter, defaultdict

import pytest
from django.db import connection

from notifications.models import Message
from notifications.services import messages_enqueue

from .infra import wait_until
from .test_outbox_worker import expected, make, statuses

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_an_smtp_outage_longer_than_the_old_backoff_loses_nothing(
    celery_worker, smtp_sink, redis_server
):
    # With a base of 1 s, the old five attempts were over after 15 s: then failed for good.
    celery_worker(OUTBOX_RETRY_BASE_SECONDS=1)
    smtp_sink.refuse_for(30)  # past the old give-up at 15 s, with room for a slow machine
    messages_enqueue(make(100, prefix="outage"))

    smtp_sink.wait_for(100, timeout=120)
    redis_server.wait_idle(timeout=30)
    assert smtp_sink.rejected >= 500  # every message refused for the whole outage
    assert smtp_sink.per_recipient() == expected(100, prefix="outage")
    assert statuses() == {"sent": 100}
    assert min(Message.objects.values_list("attempts", flat=True)) > 5


def _cut_the_workers_database_connections() -> int:
    """What a restart or a failover does to the worker: its backends end mid-statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_a_database_connection_cut_mid_batch_doubles_at_most_one_message_per_cut(
    celery_worker, smtp_sink, redis_server
):
    count, cuts = 2000, 3
    celery_worker()
    messages_enqueue(make(count, prefix="cut"))

    terminated = 0
    for arrived in (200, 700, 1200):
        smtp_sink.wait_for(arrived, timeout=60)
        terminated += _cut_the_workers_database_connections()
    last_cut = time.monotonic()
    assert terminated >= 1, "the worker had no connection to cut"

    # No sweeper here: the worker reconnects and goes on by itself, well within a minute.
    wait_until(lambda: len(smtp_sink.per_recipient()) == count, timeout=60, what="every recipient")
    delivered_after = time.monotonic() - last_cut
    redis_server.wait_idle(timeout=30)

    received = smtp_sink.per_recipient()
    assert set(received) == set(expected(count, prefix="cut"))
    duplicates = {rcpt: n - 1 for rcpt, n in received.items() if n > 1}
    print(f"\n{cuts} cuts; delivered {delivered_after:.1f} s after the last; dups {duplicates}")
    assert sum(duplicates.values()) <= cuts
    # A copy carries the Message-ID of the first: the recipient's mail client shows one.
    ids = defaultdict(set)
    for item in smtp_sink.received:
        ids[item.recipients[0]].add(item.message["Message-ID"])
    assert all(len(ids[rcpt]) == 1 for rcpt in duplicates)
    assert Counter(statuses()) == {"sent": count}


def test_sign_up_and_password_reset_answer_at_once_while_smtp_refuses_and_deliver_later(
    celery_worker, smtp_sink, redis_server, client
):
    from allauth.account.models import EmailAddress

    from tests import factories

    celery_worker(OUTBOX_RETRY_BASE_SECONDS=1)
    user = factories.UserFactory(email="staff@kerava.example")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    smtp_sink.refuse_for(6)

    started = time.monotonic()
    password = "a sturdy passphrase 2026"
    signed_up = client.post(
        "/accounts/signup/",
        {
            "email": "newcomer@city.example",
            "password1": password,
            "password2": password,
            "privacy_consent": "on",
        },
    )
    reset = client.post("/accounts/password/reset/", {"email": "staff@kerava.example"})
    answered = time.monotonic() - started

    # Both requests answer as usual, at once: they wrote outbox rows and talked to no server.
    assert signed_up.status_code == 302 and reset.status_code == 302
    assert answered < 5
    wait_until(lambda: smtp_sink.rejected >= 2, timeout=30, what="the server refusing both")

    # The outage over, both arrive, once each.
    smtp_sink.wait_for(2, timeout=60)
    redis_server.wait_idle(timeout=30)
    assert smtp_sink.per_recipient() == {"newcomer@city.example": 1, "staff@kerava.example": 1}
    subjects = sorted(item.message["Subject"] for item in smtp_sink.received)
    assert subjects == [
        "[Multiply] Choose a new password",
        "[Multiply] Welcome to Multiply: please confirm your e-mail address",
    ]
