"""Sending the outbox: claimed, sent, recorded; retried for a day; never given up silently.

A message row is written by the code that causes it (notifications.services) and handed to
Celery after commit; a worker sends batches of them here over one SMTP connection.

- A temporary refusal (4xx, a dropped or refused connection, a timeout) is tried again on a
  widening schedule, 30 s doubling to an hour between attempts, until a day after the first
  refusal (OUTBOX_GIVE_UP_AFTER): an SMTP provider's outage of hours loses nothing.
- A permanent refusal for the recipient (5xx to the address or to the message) fails it at
  once, the server's words in last_error; the cockpit lists failed messages with "send again".
- The database going away mid-batch (a restart, a failover, a terminated backend) costs a
  reconnection: every write below is repeatable, so it is made again, and the batch goes on.
  Should the database stay away, the rest of the batch is handed back to Celery to be tried in
  OUTBOX_DB_RETRY_SECONDS, carrying what was sent but not yet recorded.

"sent" is written once per claim (CLAIM_SIZE messages, one UPDATE), not once per message:
the row write costs about as much as the SMTP exchange itself, and halved the throughput.

The one window where a message can go out twice: the SMTP server accepted it, and the worker's
process died (SIGKILL, out of memory; a warm shutdown lets the batch finish) or both the
database and the broker stayed unreachable, before its claim's "sent" was written: at most the
CLAIM_SIZE messages of that claim. The sweeper sends them again after OUTBOX_SENDING_TIMEOUT,
with the same Message-ID, which was fixed when the row was written: the recipient's mail client
shows one message. A database error alone sends nothing twice: what was accepted is kept in
memory and recorded after the reconnection, or carried to the retried task (sent_unrecorded).
"""

import contextlib
import datetime as dt
import logging
import smtplib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import formataddr

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Message
from .services import message_render_pending, messages_enqueue

logger = logging.getLogger(__name__)

# Claimed a few at a time: a worker that dies leaves these in doubt, not its whole batch, and
# a slow SMTP server cannot make a claim outlive OUTBOX_SENDING_TIMEOUT before it is used.
CLAIM_SIZE = 20
MAX_DELAY = 3600  # the widest gap between two attempts
# Reconnection attempts after the database went away, seconds apart: about 10 s in all.
RECONNECT_WAITS = (0.2, 0.5, 1, 2, 3, 3)
DATABASE_GONE = (OperationalError, InterfaceError)


@dataclass
class BatchOutcome:
    """What a batch leaves to do: {delay: ids} to try again, and what the database interrupted."""

    retries: dict[int, list[int]] = field(default_factory=dict)
    unfinished: list[int] = field(default_factory=list)
    sent_unrecorded: list[int] = field(default_factory=list)
    claim: str | None = None  # the batch's claim, for the retry to recognise its own rows


def retry_delay(attempts: int) -> int:
    """Seconds before the next attempt: 30, 60, 120 ... doubling, at most an hour.

    The base is OUTBOX_RETRY_BASE_SECONDS (30); the integration tests make it shorter.
    """
    return min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), MAX_DELAY)


def failure_reason(error: Exception) -> tuple[bool, str]:
    """(permanent, what went wrong) for an error while sending one message.

    Permanent: the recipient's server refused this address or this message for good (5xx). A
    refused sender or failed authentication is ours to fix, and tried again; so is anything
    that is not an answer from the server (a timeout, a refused connection).
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values())
        permanent = bool(answers) and all(code >= 500 for code, _text in answers)
        words = "; ".join(f"{code} {_decode(text)}" for code, text in answers)
        return permanent, f"the recipient's address was refused: {words}"
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPAuthenticationError):
        return False, f"{type(error).__name__}: {error.smtp_code} {_decode(error.smtp_error)}"
    if isinstance(error, smtplib.SMTPResponseException):
        permanent = error.smtp_code >= 500
        return permanent, f"{type(error).__name__}: {error.smtp_code} {_decode(error.smtp_error)}"
    if isinstance(error, smtplib.SMTPException | OSError):
        return False, f"{type(error).__name__}: {error}"
    # Not the server's answer: the message itself could not be made. Retrying cannot help.
    return True, f"{type(error).__name__}: {error}"


def _decode(text) -> str:
    return text.decode(errors="replace") if isinstance(text, bytes) else str(text)


def email_for(message: Message, smtp_connection) -> EmailMultiAlternatives:
    """The MIME message for a row, with the Message-ID it was given when it was written."""
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((message.recipient_name, message.recipient_email))],
        connection=smtp_connection,
        headers={"Message-ID": message.message_id, "Content-Language": message.language},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    if message.calendar:
        method = "CANCEL" if "METHOD:CANCEL" in message.calendar else "PUBLISH"
        email.attach("meeting.ics", message.calendar, f"text/calendar; method={method}")
    return email


def _database(write: Callable[[], object]):
    """Run one write; if the database connection is gone, reconnect and run it again.

    Every write given here is repeatable: it matches rows by their claim, so running it twice
    (the first run committed, its answer lost with the connection) changes nothing more.
    """
    for wait in (*RECONNECT_WAITS, None):
        try:
            return write()
        except DATABASE_GONE:
            if wait is None:
                raise
            logger.warning("outbox: database connection lost, reconnecting in %s s", wait)
            # Closing a dead connection may fail too; Django opens a new one for the next query.
            with contextlib.suppress(*DATABASE_GONE):
                connection.close()
            time.sleep(wait)
    raise AssertionError("unreachable")


def _claim(ids: list[int], token: dt.datetime) -> list[Message]:
    """queued and due -> sending, for these ids in one UPDATE; returns the rows claimed.

    The claim's time is its token: a second worker's UPDATE waits for the first's row locks,
    then re-checks the WHERE against the committed rows, which no longer match. The same call
    repeated after a lost connection recognises the rows it claimed itself.
    """
    due = Q(status=Message.Status.QUEUED) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=token)
    )
    ours = Q(status=Message.Status.SENDING, claimed_at=token)

    def claim():
        Message.objects.filter(due, pk__in=ids).update(
            status=Message.Status.SENDING, claimed_at=token, attempts=F("attempts") + 1
        )
        return list(Message.objects.filter(ours, pk__in=ids))

    claimed = {message.pk: message for message in _database(claim)}
    return [claimed[pk] for pk in ids if pk in claimed]


def _mine(message_ids: Iterable[int], token: dt.datetime):
    return Message.objects.filter(
        pk__in=list(message_ids), status=Message.Status.SENDING, claimed_at=token
    )


def _record_sent(message_ids: list[int], token: dt.datetime) -> None:
    _database(
        lambda: _mine(message_ids, token).update(
            status=Message.Status.SENT, sent_at=timezone.now(), claimed_at=None
        )
    )


def _record_failure(message: Message, error: Exception, token: dt.datetime) -> int | None:
    """Back to the queue with a later attempt, or failed; returns the delay (None: failed)."""
    permanent, reason = failure_reason(error)
    now = timezone.now()
    retry_until = message.retry_until or now + dt.timedelta(seconds=settings.OUTBOX_GIVE_UP_AFTER)
    if permanent or now >= retry_until:
        status, delay, next_attempt_at = Message.Status.FAILED, None, None
    else:
        delay = retry_delay(message.attempts)
        status, next_attempt_at = Message.Status.QUEUED, now + dt.timedelta(seconds=delay)
    _database(
        lambda: _mine([message.pk], token).update(
            status=status,
            last_error=reason[:2000],
            claimed_at=None,
            next_attempt_at=next_attempt_at,
            retry_until=retry_until,
        )
    )
    logger.warning("message %s: %s (attempt %s)", message.pk, reason, message.attempts)
    return delay


def _release(message_ids: list[int], token: dt.datetime) -> None:
    """Give back claimed messages this batch will not send (a time limit ended it)."""
    _database(
        lambda: _mine(message_ids, token).update(status=Message.Status.QUEUED, claimed_at=None)
    )


def message_send_batch(
    *, message_ids: list[int], claim: str | None = None, sent: Iterable[int] = ()
) -> BatchOutcome:
    """Send the due messages among these ids over one SMTP connection, recording each.

    `claim` and `sent` come from an earlier run of the same batch that the database
    interrupted: its claim (so that its rows are recognised) and the messages the SMTP server
    had accepted but that could not be recorded then.
    """
    token = dt.datetime.fromisoformat(claim) if claim else timezone.now()
    outcome = BatchOutcome(claim=token.isoformat())
    done: set[int] = set()  # sent, failed, retried later, or not this batch's to send
    accepted = list(sent)  # sent, not yet recorded
    smtp = get_connection()
    try:
        if accepted:
            _record_sent(accepted, token)
            done.update(accepted)
            accepted = []
        for start in range(0, len(message_ids), CLAIM_SIZE):
            chunk = message_ids[start : start + CLAIM_SIZE]
            claimed = _claim(chunk, token)
            done.update(set(chunk) - {message.pk for message in claimed})
            for position, message in enumerate(claimed):
                try:
                    # Written under a meeting's seat lock, rendered here once it is gone.
                    message_render_pending(message)
                    smtp.open()  # after an error the connection was closed: this opens anew
                    email_for(message, smtp).send()
                except SoftTimeLimitExceeded:
                    # The task ran out of time: what it sent is recorded, the rest goes back.
                    _record_sent(accepted, token)
                    done.update(accepted)
                    accepted = []
                    _release([m.pk for m in claimed[position:]], token)
                    outcome.unfinished = [pk for pk in message_ids if pk not in done]
                    return outcome
                except Exception as error:  # recorded on the row: visible and re-sendable
                    delay = _record_failure(message, error, token)
                    if delay is not None:
                        outcome.retries.setdefault(delay, []).append(message.pk)
                    done.add(message.pk)
                    smtp.close()  # a broken connection is not reused for the next one
                    continue
                accepted.append(message.pk)
            # One UPDATE per claim, not per message: the row write costs as much as the SMTP
            # exchange. Only a worker killed in between sends these again (see above).
            if accepted:
                _record_sent(accepted, token)
                done.update(accepted)
                accepted = []
    except DATABASE_GONE:
        # The database stayed away through the reconnections: the rest goes back to Celery.
        logger.exception("outbox: database unreachable, the batch is handed back")
        outcome.sent_unrecorded = accepted
        outcome.unfinished = [pk for pk in message_ids if pk not in done]
    finally:
        smtp.close()
    return outcome


def messages_sweep(*, now=None) -> int:
    """Enqueue again what a broker outage or a dead worker left behind. Safe to run any time.

    - queued and due, but older than a grace period (its Celery message was lost, or its next
      attempt is further off than a Celery countdown is kept: the sweeper is its timer);
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
    """A coordinator sends failed or delayed messages again, now, with another day of tries."""
    ids = list(
        Message.objects.filter(pk__in=list(message_ids), body_removed_at=None)
        .exclude(status__in=[Message.Status.SENT, Message.Status.SENDING])
        .values_list("pk", flat=True)
    )
    Message.objects.filter(pk__in=ids).update(
        status=Message.Status.QUEUED,
        attempts=0,
        next_attempt_at=None,
        claimed_at=None,
        retry_until=None,
    )
    transaction.on_commit(lambda: messages_enqueue(ids))
    return len(ids)
