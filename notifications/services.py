"""The outbox: every e-mail is a row first, handed to Celery after commit (notifications.outbox
sends it, retries it and documents the one window where it can go out twice).
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import Message

logger = logging.getLogger(__name__)

BATCH_SIZE = 200  # small batches keep each task short (docs/DESIGN.md: Redis visibility timeout)


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


def message_store(*, key: str, kind: str, email: str, language: str, **fields) -> Message:
    """Put one message that is already rendered in the outbox; sent after commit.

    For mail made elsewhere (allauth renders its own); `fields` are further Message fields
    (name, subject, body_text, body_html, requested_by...).
    """
    fields["recipient_name"] = fields.pop("name", "")
    fields["subject"] = " ".join(fields.get("subject", "").split())[:300]
    message, created = Message.objects.get_or_create(
        key=key, defaults={"kind": kind, "recipient_email": email, "language": language, **fields}
    )
    if created:
        transaction.on_commit(lambda: messages_enqueue([message.pk]))
    return message


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
