"""The outbox: every e-mail is a row first, sent by Celery, retried, swept, never sent twice.

The one window where a message can go out twice is documented in message_send_batch: the SMTP
server accepted it and the worker died before it could write "sent".
"""

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Message

logger = logging.getLogger(__name__)

BATCH_SIZE = 200  # small batches keep each task short (docs/DESIGN.md: Redis visibility timeout)
MAX_ATTEMPTS = 5
# SMTP errors a retry may cure; anything else is a bug and fails the message at once.
RETRYABLE = (smtplib.SMTPException, OSError)


def render_message(*, template: str, language: str, context: dict) -> tuple[str, str, str]:
    """Subject, text and HTML of emails/<template>-subject.txt, -body.txt, -body.html."""
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL, "LANGUAGE_CODE": language}
        subject = render_to_string(f"emails/{template}-subject.txt", context)
        body_text = render_to_string(f"emails/{template}-body.txt", context)
        body_html = render_to_string(f"emails/{template}-body.html", context)
    return " ".join(subject.split()), body_text, body_html


def message_queue(
    *,
    key: str,
    kind: str,
    email: str,
    name: str,
    language: str,
    template: str,
    context: dict,
    meeting=None,
    calendar: bytes | str = "",
) -> Message:
    """Put one e-mail in the outbox, in the recipient's language, and send it after commit.

    Call it inside the transaction that causes the message: if that rolls back, no message
    exists; if the broker is down when it commits, the sweeper sends it later.
    """
    message, created = message_build(
        key=key,
        kind=kind,
        email=email,
        name=name,
        language=language,
        template=template,
        context=context,
        meeting=meeting,
        calendar=calendar,
    )
    if created:
        transaction.on_commit(lambda: messages_enqueue([message.pk]))
    return message


def message_build(
    *, key, kind, email, name, language, template, context, meeting=None, calendar: bytes | str = ""
) -> tuple[Message, bool]:
    """The row alone, not yet enqueued: bulk senders enqueue their batches themselves."""
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    subject, body_text, body_html = render_message(
        template=template, language=language, context={**context, "recipient_name": name}
    )
    if isinstance(calendar, bytes):
        calendar = calendar.decode()
    return Message.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "meeting": meeting,
            "recipient_email": email,
            "recipient_name": name,
            "language": language,
            "subject": subject[:300],
            "body_text": body_text,
            "body_html": body_html,
            "calendar": calendar,
        },
    )


def messages_enqueue(message_ids: Iterable[int]) -> None:
    """Hand the messages to Celery in batches. A broker outage is logged, never raised: the
    rows are safe in the database and the sweeper enqueues them again."""
    # Imported here: notifications.tasks imports this module to send what it is handed.
    from .tasks import send_messages

    ids = list(message_ids)
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        try:
            send_messages.apply_async(kwargs={"message_ids": batch}, retry=False)
        except Exception:  # kombu raises several kinds when the broker is unreachable
            # Each attempt waits up to CELERY_BROKER_CONNECTION_TIMEOUT: trying the next
            # batches too would hold the request for seconds per 200 messages.
            logger.warning("broker unavailable: %d messages wait for the sweeper", len(ids) - start)
            return


def _claim(message_id: int, now) -> bool:
    """queued and due -> sending, in one UPDATE; True if this caller got the message.

    Two workers claiming the same row at once: the second waits for the first's row lock,
    then re-checks the WHERE against the committed row, which no longer matches. One
    statement instead of a locking SELECT, an UPDATE and a commit: the outbox's throughput.
    """
    return (
        Message.objects.filter(pk=message_id, status=Message.Status.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=Message.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        == 1
    )


def _email(message: Message, connection) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((message.recipient_name, message.recipient_email))],
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    if message.calendar:
        method = "CANCEL" if "METHOD:CANCEL" in message.calendar else "PUBLISH"
        email.attach("meeting.ics", message.calendar, f"text/calendar; method={method}")
    return email


def retry_delay(attempts: int) -> int:
    """Exponential backoff in seconds: 30, 60, 120, 240... capped at ten minutes.

    The base is OUTBOX_RETRY_BASE_SECONDS (30); the integration tests make it shorter.
    """
    return min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 600)


def _record_failure(message: Message, error: Exception) -> int | None:
    """Back to the queue with a later attempt, or failed for good; returns the delay."""
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    message.claimed_at = None
    if message.attempts >= MAX_ATTEMPTS or not isinstance(error, RETRYABLE):
        message.status = Message.Status.FAILED
        delay = None
    else:
        message.status = Message.Status.QUEUED
        delay = retry_delay(message.attempts)
        message.next_attempt_at = timezone.now() + dt.timedelta(seconds=delay)
    message.save(update_fields=["status", "last_error", "claimed_at", "next_attempt_at"])
    logger.warning("message %s: %s (attempt %s)", message.pk, message.last_error, message.attempts)
    return delay


def message_send_batch(*, message_ids: list[int]) -> dict[int, list[int]]:
    """Send the messages over one SMTP connection. Returns {delay: [ids]} to try again later.

    Each message is claimed, sent, then marked sent. If the worker dies between the SMTP
    server's acceptance and the mark, the sweeper sends that message again: the only duplicate
    this design allows, and it needs a crash inside a window of milliseconds.
    """
    retries: dict[int, list[int]] = {}
    # One read for the batch; each message is still claimed on its own just before it is
    # sent, so that a worker dying mid-batch leaves one message in doubt, not the batch.
    pending = Message.objects.filter(pk__in=message_ids, status=Message.Status.QUEUED).in_bulk()
    connection = get_connection()
    try:
        for message_id in message_ids:
            message = pending.get(message_id)
            if message is None or not _claim(message_id, timezone.now()):
                continue  # already sent, being sent, failed, or not yet due
            try:
                # Opened here, not by send(): a backend that opens its own connection closes
                # it after each message. After an error it is closed, so this opens anew.
                connection.open()
                _email(message, connection).send()
            except Exception as error:  # recorded on the row: visible and re-sendable
                message.refresh_from_db(fields=["attempts"])  # counted by the claim
                delay = _record_failure(message, error)
                if delay is not None:
                    retries.setdefault(delay, []).append(message.pk)
                connection.close()  # a broken connection is not reused for the next one
                continue
            Message.objects.filter(pk=message.pk).update(
                status=Message.Status.SENT, sent_at=timezone.now(), claimed_at=None
            )
    finally:
        connection.close()
    return retries


def messages_sweep(*, now=None) -> int:
    """Enqueue again what a broker outage or a dead worker left behind. Safe to run any time.

    - queued and due, but older than a grace period (its Celery message was lost);
    - sending for longer than the timeout (the worker that claimed it died).
    """
    now = now or timezone.now()
    grace = dt.timedelta(seconds=settings.OUTBOX_QUEUED_GRACE)
    stale = now - dt.timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT)
    stuck = Message.objects.filter(status=Message.Status.SENDING, claimed_at__lt=stale)
    stuck_ids = list(stuck.values_list("pk", flat=True)[:10_000])
    Message.objects.filter(pk__in=stuck_ids, status=Message.Status.SENDING).update(
        status=Message.Status.QUEUED, claimed_at=None, next_attempt_at=None
    )
    due = Message.objects.filter(status=Message.Status.QUEUED).filter(
        Q(next_attempt_at__isnull=True, created_at__lt=now - grace)
        | Q(next_attempt_at__lt=now - grace)
    )
    ids = sorted(set(stuck_ids) | set(due.values_list("pk", flat=True)[:10_000]))
    messages_enqueue(ids)
    return len(ids)


def messages_resend(*, message_ids: Iterable[int]) -> int:
    """A coordinator sends failed (or stuck) messages again, with a fresh count of attempts."""
    ids = list(
        Message.objects.filter(pk__in=list(message_ids))
        .exclude(status__in=[Message.Status.SENT, Message.Status.SENDING])
        .values_list("pk", flat=True)
    )
    Message.objects.filter(pk__in=ids).update(
        status=Message.Status.QUEUED, attempts=0, next_attempt_at=None, claimed_at=None
    )
    transaction.on_commit(lambda: messages_enqueue(ids))
    return len(ids)
