"""The outbox's promises, in process: one e-mail per row, retries with backoff, the sweeper."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from notifications import outbox
from notifications.models import Message
from notifications.outbox import (
    message_send_batch,
    messages_resend,
    messages_sweep,
    retry_delay,
)
from notifications.services import messages_enqueue
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
    real = outbox.get_connection

    def counting(*args, **kwargs):
        connection = real(*args, **kwargs)
        opened.append(connection)
        return connection

    monkeypatch.setattr(outbox, "get_connection", counting)
    message_send_batch(message_ids=[m.pk for m in make(5)])
    assert len(opened) == 1
    assert len(mail.outbox) == 5


class FlakySMTP:
    """A mail backend whose first `failures` sends raise `error` (a temporary one unless told)."""

    failures = 0
    error = smtplib.SMTPServerDisconnected("try again later")

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def send_messages(self, messages):
        if FlakySMTP.failures > 0:
            FlakySMTP.failures -= 1
            raise FlakySMTP.error
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.test_outbox.FlakySMTP"
    yield FlakySMTP
    FlakySMTP.failures = 0
    FlakySMTP.error = smtplib.SMTPServerDisconnected("try again later")


def test_an_smtp_error_puts_the_message_back_with_a_growing_delay(flaky):
    flaky.failures = 2
    (message,) = make()

    retries = message_send_batch(message_ids=[message.pk]).retries
    message.refresh_from_db()
    assert retries == {30: [message.pk]}
    assert message.status == "queued" and message.attempts == 1
    assert "SMTPServerDisconnected" in message.last_error
    assert message.next_attempt_at > timezone.now() + dt.timedelta(seconds=25)

    # Not due yet: nothing happens.
    assert message_send_batch(message_ids=[message.pk]).retries == {}
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert message_send_batch(message_ids=[message.pk]).retries == {60: [message.pk]}
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert message_send_batch(message_ids=[message.pk]).retries == {}
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 3
    assert len(mail.outbox) == 1


def test_the_gap_between_attempts_widens_to_an_hour():
    assert [retry_delay(n) for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]


def test_a_temporary_error_is_tried_for_a_day_then_failed_and_can_be_sent_again(flaky, settings):
    flaky.failures = 100
    (message,) = make()
    for _ in range(10):  # ten refusals within the day: still queued
        Message.objects.filter(pk=message.pk).update(next_attempt_at=None)
        message_send_batch(message_ids=[message.pk])
    message.refresh_from_db()
    assert message.status == "queued" and message.attempts == 10
    day = dt.timedelta(seconds=settings.OUTBOX_GIVE_UP_AFTER)
    assert message.retry_until == pytest.approx(timezone.now() + day, abs=dt.timedelta(minutes=1))

    # A day after the first refusal, the next refusal fails it.
    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=None, retry_until=timezone.now() - dt.timedelta(seconds=1)
    )
    message_send_batch(message_ids=[message.pk])
    message.refresh_from_db()
    assert message.status == "failed" and "try again later" in message.last_error

    flaky.failures = 0
    assert messages_resend(message_ids=[message.pk]) == 1
    message.refresh_from_db()
    assert message.retry_until is None  # another full day, should it be refused again
    message_send_batch(message_ids=[message.pk])
    message.refresh_from_db()
    assert message.status == "sent"


def test_a_permanent_refusal_of_the_address_fails_at_once_and_says_why(flaky):
    flaky.failures = 1
    flaky.error = smtplib.SMTPRecipientsRefused(
        {"person0@city.example": (550, b"5.1.1 No such user")}
    )
    (message,) = make()
    assert message_send_batch(message_ids=[message.pk]).retries == {}
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == 1
    assert "refused" in message.last_error and "550 5.1.1 No such user" in message.last_error


def test_a_temporary_refusal_of_the_address_is_tried_again(flaky):
    flaky.failures = 1
    flaky.error = smtplib.SMTPRecipientsRefused({"person0@city.example": (450, b"mailbox busy")})
    (message,) = make()
    assert message_send_batch(message_ids=[message.pk]).retries == {30: [message.pk]}
    message.refresh_from_db()
    assert message.status == "queued"


def test_a_rejected_message_body_fails_but_a_refused_sender_is_tried_again(flaky):
    flaky.failures = 1
    flaky.error = smtplib.SMTPDataError(554, b"5.7.1 Message rejected as spam")
    (rejected,) = make()
    message_send_batch(message_ids=[rejected.pk])
    rejected.refresh_from_db()
    assert rejected.status == "failed" and "554" in rejected.last_error

    flaky.failures = 1
    flaky.error = smtplib.SMTPSenderRefused(553, b"sender not allowed", "noreply@x")
    Message.objects.all().delete()
    (ours,) = make()
    message_send_batch(message_ids=[ours.pk])
    ours.refresh_from_db()
    assert ours.status == "queued"  # our configuration, not the recipient: fixed, it goes


def test_every_attempt_sends_the_message_id_written_with_the_row(flaky):
    flaky.failures = 1
    (message,) = make()
    assert message.message_id.startswith("<") and message.message_id.endswith(">")
    message_send_batch(message_ids=[message.pk])
    Message.objects.filter(pk=message.pk).update(next_attempt_at=None)
    message_send_batch(message_ids=[message.pk])
    (sent,) = mail.outbox
    assert sent.extra_headers["Message-ID"] == message.message_id


def test_messages_made_together_have_distinct_message_ids():
    messages = Message.objects.bulk_create(
        Message(key=f"bulk:{n}", kind="test", recipient_email="a@b.example", language="en")
        for n in range(3)
    )
    assert len({message.message_id for message in messages}) == 3


# Transactional: the outbox closes the lost connection, which a test transaction cannot survive.
@pytest.mark.django_db(transaction=True)
def test_a_lost_database_connection_mid_batch_sends_nothing_twice(monkeypatch):
    """The connection drops as "sent" is written, after the SMTP server accepted the message:
    the write is made again on a new connection, and the batch goes on."""
    monkeypatch.setattr(outbox, "RECONNECT_WAITS", (0,))
    real = outbox._record_sent
    cuts = iter([True, False, False])

    def cut_once(ids, token):
        if next(cuts, False):
            raise OperationalError("terminating connection due to administrator command")
        return real(ids, token)

    monkeypatch.setattr(
        outbox, "_record_sent", lambda ids, token: outbox._database(lambda: cut_once(ids, token))
    )
    ids = [m.pk for m in make(3)]
    outcome = message_send_batch(message_ids=ids)
    assert outcome.unfinished == [] and outcome.sent_unrecorded == []
    assert len(mail.outbox) == 3
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


# Transactional: the outbox closes the lost connection, which a test transaction cannot survive.
@pytest.mark.django_db(transaction=True)
def test_a_database_that_stays_away_hands_the_batch_back_with_what_was_sent(monkeypatch):
    monkeypatch.setattr(outbox, "RECONNECT_WAITS", (0,))

    def gone(ids, token):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(
        outbox, "_record_sent", lambda ids, token: outbox._database(lambda: gone(ids, token))
    )
    first, second = (m.pk for m in make(2))
    outcome = message_send_batch(message_ids=[first, second])
    # Both were accepted (the claim's "sent" is one write, at its end), then the write failed.
    assert len(mail.outbox) == 2
    assert outcome.sent_unrecorded == [first, second]
    assert outcome.unfinished == [first, second]

    # Celery's retry of the batch, the database back: both are recorded, neither sent again.
    monkeypatch.undo()
    message_send_batch(
        message_ids=outcome.unfinished, claim=outcome.claim, sent=outcome.sent_unrecorded
    )
    assert len(mail.outbox) == 2
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_an_eager_task_does_not_retry_in_a_loop(flaky):
    flaky.failures = 100
    (message,) = make()
    send_messages.delay(message_ids=[message.pk])
    message.refresh_from_db()
    assert message.status == "queued" and message.attempts == 1


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
    (message,) = make(status="failed", attempts=5, last_error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/notifications/message/",
            {"action": "resend", "_selected_action": [message.pk]},
        )
    message.refresh_from_db()
    assert message.status == "sent"
