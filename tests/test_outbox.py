"""The outbox's promises, in process: one e-mail per row, retries with backoff, the sweeper."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services
from notifications.models import Message
from notifications.services import (
    MAX_ATTEMPTS,
    message_send_batch,
    messages_enqueue,
    messages_resend,
    messages_sweep,
)
from notifications.tasks import send_messages

pytestmark = pytest.mark.django_db


def make(count=1, **fields):
    return [
        Message.objects.create(
            key=f"test:{index}:{fields.get('kind', 'x')}",
            kind="test",
            recipient_email=f"person{index}@city.example",
            language="en",
            subject=f"Subject {index}",
            body_text="Hello",
            **fields,
        )
        for index in range(count)
    ]


def test_a_task_run_twice_sends_each_message_once():
    ids = [m.pk for m in make(3)]
    send_messages.delay(message_ids=ids)
    send_messages.delay(message_ids=ids)
    assert len(mail.outbox) == 3
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_a_batch_uses_one_smtp_connection(monkeypatch):
    opened = []
    real = services.get_connection

    def counting(*args, **kwargs):
        connection = real(*args, **kwargs)
        opened.append(connection)
        return connection

    monkeypatch.setattr(services, "get_connection", counting)
    message_send_batch(message_ids=[m.pk for m in make(5)])
    assert len(opened) == 1
    assert len(mail.outbox) == 5


class FlakySMTP:
    """A mail backend whose first `failures` sends raise a temporary SMTP error."""

    failures = 0

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def send_messages(self, messages):
        if FlakySMTP.failures > 0:
            FlakySMTP.failures -= 1
            raise smtplib.SMTPServerDisconnected("try again later")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.test_outbox.FlakySMTP"
    return FlakySMTP


def test_an_smtp_error_puts_the_message_back_with_a_growing_delay(flaky):
    flaky.failures = 2
    (message,) = make()

    retries = message_send_batch(message_ids=[message.pk])
    message.refresh_from_db()
    assert retries == {30: [message.pk]}
    assert message.status == "queued" and message.attempts == 1
    assert "SMTPServerDisconnected" in message.last_error
    assert message.next_attempt_at > timezone.now() + dt.timedelta(seconds=25)

    # Not due yet: nothing happens.
    assert message_send_batch(message_ids=[message.pk]) == {}
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert message_send_batch(message_ids=[message.pk]) == {60: [message.pk]}
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert message_send_batch(message_ids=[message.pk]) == {}
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 3
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_the_message_is_failed_and_can_be_sent_again(flaky):
    flaky.failures = MAX_ATTEMPTS
    (message,) = make()
    for _ in range(MAX_ATTEMPTS):
        Message.objects.filter(pk=message.pk).update(next_attempt_at=None)
        message_send_batch(message_ids=[message.pk])
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == MAX_ATTEMPTS

    assert messages_resend(message_ids=[message.pk]) == 1
    message_send_batch(message_ids=[message.pk])
    message.refresh_from_db()
    assert message.status == "sent"


def test_the_sweeper_rescues_messages_a_dead_worker_or_a_lost_task_left(settings):
    now = timezone.now()
    stuck, lost, fresh = make(3)
    Message.objects.filter(pk=stuck.pk).update(
        status="sending", claimed_at=now - dt.timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT + 1)
    )
    Message.objects.filter(pk__in=[lost.pk, fresh.pk]).update(
        created_at=now - dt.timedelta(seconds=settings.OUTBOX_QUEUED_GRACE + 1)
    )
    Message.objects.filter(pk=fresh.pk).update(created_at=now)

    assert messages_sweep(now=now) == 2
    assert {m.to[0] for m in mail.outbox} == {stuck.recipient_email, lost.recipient_email}


@pytest.fixture
def dead_broker(settings, monkeypatch):
    """Celery publishing, for real, to a broker nobody listens on."""
    from multiply.celery import app

    from .integration.infra import drop_celery_connections

    url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    keys = ("broker_url", "broker_read_url", "broker_write_url", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    app.conf.update(
        broker_url=url, broker_read_url=None, broker_write_url=None, task_always_eager=False
    )
    drop_celery_connections(app)
    assert app.connection_for_write().port == 1
    yield app
    drop_celery_connections(app)
    app.conf.update(saved)


def test_a_broker_outage_never_reaches_the_person_who_caused_the_message(dead_broker):
    started = timezone.now()
    messages_enqueue([m.pk for m in make(2)])
    assert timezone.now() - started < dt.timedelta(seconds=10)
    assert set(Message.objects.values_list("status", flat=True)) == {"queued"}


def test_the_admin_resends_failed_messages(admin_client, django_capture_on_commit_callbacks):
    (message,) = make(status="failed", attempts=MAX_ATTEMPTS, last_error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/notifications/message/",
            {"action": "resend", "_selected_action": [message.pk]},
        )
    message.refresh_from_db()
    assert message.status == "sent"
