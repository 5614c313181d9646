"""The outbox against a real Celery worker, a real Redis, a real SMTP server and PostgreSQL.

Every e-mail arrives exactly once, through temporary SMTP failures, a worker killed mid-batch
(where the only duplicates allowed are the messages it had claimed) and a broker outage.
"""

import datetime as dt
import time
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.models import Message
from notifications.outbox import messages_sweep
from notifications.services import messages_enqueue

from .infra import wait_until

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def make(count: int, *, prefix: str) -> list[int]:
    messages = Message.objects.bulk_create(
        Message(
            key=f"{prefix}:{index}",
            kind="test",
            recipient_email=f"{prefix}-{index}@city.example",
            language="en",
            subject=f"Message {index}",
            body_text=f"Hello {index}",
        )
        for index in range(count)
    )
    return [message.pk for message in messages]


def expected(count: int, *, prefix: str) -> Counter:
    return Counter({f"{prefix}-{index}@city.example": 1 for index in range(count)})


def statuses() -> Counter:
    return Counter(Message.objects.values_list("status", flat=True))


def test_every_message_arrives_exactly_once(celery_worker, smtp_sink, redis_server):
    celery_worker()
    messages_enqueue(make(300, prefix="a"))

    smtp_sink.wait_for(300, timeout=30)
    redis_server.wait_idle(timeout=15)
    assert smtp_sink.per_recipient() == expected(300, prefix="a")
    assert statuses() == {"sent": 300}
    assert smtp_sink.received[0].message["Subject"].startswith("Message ")


def test_a_task_run_twice_sends_nothing_twice(celery_worker, smtp_sink, redis_server):
    celery_worker()
    ids = make(100, prefix="b")
    # Two tasks for the same ids at once, one in each pool process: the row lock decides.
    messages_enqueue(ids)
    messages_enqueue(ids)
    smtp_sink.wait_for(100, timeout=30)
    redis_server.wait_idle(timeout=15)
    # And once more when everything is sent.
    messages_enqueue(ids)
    redis_server.wait_idle(timeout=15)

    assert smtp_sink.per_recipient() == expected(100, prefix="b")
    assert statuses() == {"sent": 100}
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}


def test_a_temporary_smtp_failure_is_retried_with_backoff(celery_worker, smtp_sink, redis_server):
    celery_worker(OUTBOX_RETRY_BASE_SECONDS=3)
    smtp_sink.reject_next(5)
    messages_enqueue(make(20, prefix="c"))

    # The five refused go back to the queue, due in three seconds, the error on the row...
    wait_until(lambda: smtp_sink.rejected == 5, timeout=30, what="five refusals")
    waiting = Message.objects.filter(status="queued")
    wait_until(lambda: waiting.count() == 5, timeout=2, what="five messages back in the queue")
    for message in waiting:
        assert message.attempts == 1
        assert "SMTPDataError" in message.last_error and "451" in message.last_error
        assert message.next_attempt_at > message.created_at

    # ...and the retry task sends them.
    smtp_sink.wait_for(20, timeout=30)
    redis_server.wait_idle(timeout=15)
    assert smtp_sink.per_recipient() == expected(20, prefix="c")
    assert statuses() == {"sent": 20}
    attempts = Counter(Message.objects.values_list("attempts", flat=True))
    assert attempts == {1: 15, 2: 5}


def test_a_worker_killed_mid_batch_loses_nothing(celery_worker, smtp_sink, redis_server, settings):
    settings.OUTBOX_SENDING_TIMEOUT = 3  # as the workers have it (WORKER_SETTINGS)
    settings.OUTBOX_QUEUED_GRACE = 2
    count = 2000
    worker = celery_worker()
    messages_enqueue(make(count, prefix="d"))

    smtp_sink.wait_for(300, timeout=30)
    worker.kill()
    killed_at = time.monotonic()
    lost_tasks = redis_server.unacked()
    claimed = set(
        Message.objects.filter(status="sending").values_list("recipient_email", flat=True)
    )
    sent_before = statuses()["sent"]
    assert sent_before < count, "the worker finished before it could be killed"

    celery_worker()
    # The dead worker's claims are stale once OUTBOX_SENDING_TIMEOUT has passed; the tasks it
    # held unacknowledged come back only after Redis's visibility timeout: the sweeper's job.
    time.sleep(max(0.0, settings.OUTBOX_SENDING_TIMEOUT + 0.5 - (time.monotonic() - killed_at)))
    messages_sweep()
    wait_until(lambda: len(smtp_sink.per_recipient()) == count, timeout=60, what="every recipient")
    redis_server.wait_idle(timeout=30, ignore=lost_tasks)

    received = smtp_sink.per_recipient()
    assert set(received) == set(expected(count, prefix="d"))
    duplicates = {rcpt: n - 1 for rcpt, n in received.items() if n > 1}
    print(
        f"\nworker killed after {sent_before} sent, holding {len(lost_tasks)} tasks and "
        f"{len(claimed)} claimed messages; duplicates: {sum(duplicates.values())}"
    )
    # Only a message the dead worker had claimed may have gone out twice, and only once more.
    assert set(duplicates) <= claimed
    assert all(n == 1 for n in duplicates.values())
    assert sum(duplicates.values()) <= len(claimed)
    assert statuses() == {"sent": count}


def test_a_broker_outage_delays_messages_but_loses_none(
    celery_worker, smtp_sink, redis_server, settings
):
    celery_worker()
    redis_server.stop()

    started = time.monotonic()
    with transaction.atomic():  # as a request that causes 450 e-mails does
        ids = make(450, prefix="e")
        transaction.on_commit(lambda: messages_enqueue(ids))
    assert time.monotonic() - started < 5
    assert statuses() == {"queued": 450}

    redis_server.start()
    later = timezone.now() + dt.timedelta(seconds=settings.OUTBOX_QUEUED_GRACE + 1)
    assert messages_sweep(now=later) == 450
    smtp_sink.wait_for(450, timeout=60)
    redis_server.wait_idle(timeout=15)
    assert smtp_sink.per_recipient() == expected(450, prefix="e")
    assert statuses() == {"sent": 450}


def test_documents_waiting_on_their_queue_never_hold_up_an_e_mail(
    celery_worker, smtp_sink, redis_server
):
    # Work kept apart by queue (issue 18): fifty renders wait for a documents worker, and the
    # mail worker, which consumes its own queue alone, sends an invitation at once regardless.
    from reports.tasks import render_document

    celery_worker(queues="mail")
    for document_id in range(1, 51):
        render_document.delay(document_id=document_id)
    messages_enqueue(make(1, prefix="invitation"))

    smtp_sink.wait_for(1, timeout=15)
    assert smtp_sink.per_recipient() == expected(1, prefix="invitation")
    assert redis_server.client().llen("documents") == 50  # untouched, on their own queue
