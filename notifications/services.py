import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Message

logger = logging.getLogger(__name__)


def message_queue(
    *, key: str, kind: str, email: str, name: str, language: str, template: str, context: dict
) -> Message:
    """Put one e-mail in the outbox, in the recipient's language, and send it after commit.

    The message is rendered from emails/<template>-subject.txt, -body.txt and -body.html. Call it
    inside the transaction that causes the message: if that rolls back, no message exists.
    """
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL, "recipient_name": name}
        subject = render_to_string(f"emails/{template}-subject.txt", context).strip()
        body_text = render_to_string(f"emails/{template}-body.txt", context)
        body_html = render_to_string(f"emails/{template}-body.html", context)
    message, created = Message.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "recipient_email": email,
            "recipient_name": name,
            "language": language,
            "subject": " ".join(subject.split()),
            "body_text": body_text,
            "body_html": body_html,
        },
    )
    if created:
        from .tasks import send_message

        transaction.on_commit(lambda: send_message.delay(message_id=message.pk))
    return message


def message_send(*, message_id: int) -> bool:
    """Send one queued message; a message already sent is never sent again. True if sent now."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update().filter(pk=message_id).exclude(status="sent").first()
        )
        if message is None:
            return False
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient_email],
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        message.attempts += 1
        try:
            email.send()
        except Exception as error:  # any transport error is recorded on the row for the admin
            message.status = Message.Status.FAILED
            message.last_error = f"{type(error).__name__}: {error}"
            message.save(update_fields=["status", "attempts", "last_error"])
            logger.warning("message %s failed: %s", message.pk, message.last_error)
            return False
        message.status = Message.Status.SENT
        message.sent_at = timezone.now()
        message.save(update_fields=["status", "attempts", "sent_at"])
    return True
