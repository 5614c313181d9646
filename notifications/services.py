"""The outbox: every e-mail is a row first, handed to Celery after commit (notifications.outbox
sends it, retries it and documents the one window where it can go out twice).
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from .kinds import message_render
from .limits import UNLIMITED_KINDS, mail_allowance_check
from .models import Message

logger = logging.getLogger(__name__)

BATCH_SIZE = 200  # small batches keep each task short (docs/DESIGN.md: Redis visibility timeout)


def message_queue(
    *,
    key: str,
    kind: str,
    email: str,
    name: str,
    language: str,
    values: dict,
    programme=None,
    meeting=None,
    requested_by=None,
    calendar: bytes | str = "",
    subject: str = "",
    render: bool = True,
    allowance_checked: bool = False,
) -> Message:
    """Put one e-mail of a registered kind in the outbox, in the recipient's language, and send
    it after commit.

    Call it inside the transaction that causes the message: if that rolls back, no message
    exists; if the broker is down when it commits, the sweeper sends it later. `values` fills
    the kind's placeholders (notifications.kinds), already in the recipient's language; a
    `subject` of the event's own (a meeting's wording) replaces the kind's.
    """
    message, created = message_build(
        key=key,
        kind=kind,
        email=email,
        name=name,
        language=language,
        values=values,
        programme=programme,
        meeting=meeting,
        requested_by=requested_by,
        calendar=calendar,
        subject=subject,
        render=render,
        allowance_checked=allowance_checked,
    )
    if created:
        transaction.on_commit(lambda: messages_enqueue([message.pk]))
    return message


def message_build(
    *,
    key: str,
    kind: str,
    email: str,
    name: str,
    language: str,
    values: dict,
    programme=None,
    meeting=None,
    requested_by=None,
    calendar: bytes | str = "",
    subject: str = "",
    render: bool = True,
    allowance_checked: bool = False,
) -> tuple[Message, bool]:
    """The row alone, not yet enqueued: bulk senders enqueue their batches themselves.

    Rendered with the programme's own text of the kind when it has one (message_render), once:
    a second call with the same key returns the first row unchanged. With render=False the row
    keeps its values and is rendered when it is sent (message_render_pending): for callers
    holding a lock that the templates should not hold up (a meeting's seats). A message caused
    by `requested_by`'s form counts towards their limit (notifications.limits): over it, this
    raises MailLimitReached and the caller's transaction writes nothing. `allowance_checked`:
    the caller has run mail_allowance_check(requested_by) in this transaction already (before
    taking a lock of its own, so that the check is not made under it).
    """
    if requested_by is not None and kind not in UNLIMITED_KINDS and not allowance_checked:
        mail_allowance_check(requested_by)
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    owner = programme or (meeting.programme if meeting else None)
    if owner is not None:
        # A programme writes only in its own languages (its callers render `values` so too).
        language = owner.language_for(language)
    subject = " ".join(subject.split())
    if render:
        rendered_subject, body_text, body_html = message_render(
            kind=kind,
            language=language,
            values={**values, "recipient_name": name},
            programme=programme,
        )
        rendered = {"subject": (subject or rendered_subject)[:300], "body_text": body_text}
        rendered["body_html"] = body_html
    else:
        # The subject of the event's own stays as given; the rest waits for the sender.
        rendered = {"subject": subject[:300], "values": values, "render_pending": True}
    if isinstance(calendar, bytes):
        calendar = calendar.decode()
    return Message.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "programme": owner,
            "meeting": meeting,
            "requested_by": requested_by,
            "recipient_email": email,
            "recipient_name": name,
            "language": language,
            "calendar": calendar,
            **rendered,
        },
    )


def message_render_pending(message: Message) -> Message:
    """Render a message written with render=False, once: its values give way to its text.

    Safe to call twice or from two workers: the row is written only while it is still pending,
    and the text is the same whoever renders it.
    """
    if not message.render_pending:
        return message
    subject, body_text, body_html = message_render(
        kind=message.kind,
        language=message.language,
        values={**message.values, "recipient_name": message.recipient_name},
        programme=message.programme,
    )
    message.subject = message.subject or subject[:300]
    message.body_text, message.body_html = body_text, body_html
    message.values, message.render_pending = {}, False
    Message.objects.filter(pk=message.pk, render_pending=True).update(
        subject=message.subject,
        body_text=body_text,
        body_html=body_html,
        values={},
        render_pending=False,
    )
    return message


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
