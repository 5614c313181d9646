"""Sending a campaign (issue 14, item 6): one outbox row per recipient, written under the
campaign's row lock, handed to Celery after commit (docs/DESIGN.md, "Architecture": rows first).

A draft is sent now or scheduled; beat (campaigns.send_due) sends the scheduled ones that are
due. Sending is idempotent: the lock lets one process decide, a campaign that is no longer a
draft (or no longer scheduled) is left alone, and each message's key
(``campaign:<id>:<address>``) makes a second row for the same person impossible.
"""

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access import rules
from notifications.models import Message
from notifications.rendering import html_from_text, render_source, subject_line
from notifications.services import messages_enqueue

from .models import Campaign, CampaignStatus, CampaignText
from .segments import Recipient, campaign_recipients

logger = logging.getLogger(__name__)

KIND = "campaign"
# What a coordinator may write in a campaign's subject and text, listed beside the editor.
PLACEHOLDERS = {
    "recipient_name": gettext_lazy("the recipient’s name"),
    "city_name": gettext_lazy("the recipient’s city"),
    "programme_name": gettext_lazy("the programme’s name"),
    "site_url": gettext_lazy("the portal’s address"),
}
KEY_MAX = 200  # Message.key


class CampaignRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- The text each recipient reads -------------------------------------------------------------


def campaign_texts(campaign: Campaign) -> dict[str, CampaignText]:
    return {text.language: text for text in campaign.texts.all()}


def text_for(texts: dict[str, CampaignText], language: str) -> CampaignText | None:
    """The recipient's language, else the portal's default (the text every campaign has)."""
    return texts.get(language) or texts.get(settings.LANGUAGE_CODE)


def campaign_render(
    *, campaign: Campaign, text: CampaignText, recipient: Recipient
) -> tuple[str, str, str]:
    """Subject, text and HTML of the message `recipient` gets: the placeholders filled in, in
    the text's language (the programme's name is translated)."""
    with translation.override(text.language):
        programme = str(campaign.programme.name)
    values = {
        "recipient_name": recipient.name,
        "city_name": recipient.city,
        "programme_name": programme,
        "site_url": settings.SITE_URL,
    }
    subject = subject_line(render_source(text.subject, values))
    body = render_source(text.body, values)
    html = html_from_text(body, language=text.language, title=subject, brand=programme)
    return subject, body, html


# --- Sending -----------------------------------------------------------------------------------


def campaign_send(*, campaign: Campaign, by, at: dt.datetime | None = None, now=None) -> Campaign:
    """Send a draft now, or schedule it for `at` when that is in the future.

    Under the campaign's row lock: a campaign that is not a draft any more (sent, scheduled or
    cancelled by another request) is returned as it is, so pressing Send twice sends once. The
    group is read for `by` (campaigns.segments): a national coordinator reaches their networks
    only. Refused (CampaignRefused, nothing written) without a text in the portal's default
    language, or, sending now, with nobody to send to.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(campaign.pk)
        if locked.status != CampaignStatus.DRAFT:
            return locked
        if settings.LANGUAGE_CODE not in campaign_texts(locked):
            raise CampaignRefused(
                _("Write the text in %(language)s first: it is what everyone else reads.")
                % {"language": _language_name(settings.LANGUAGE_CODE)}
            )
        locked.sent_by = by
        if at is not None and at > now:
            locked.status, locked.scheduled_at = CampaignStatus.SCHEDULED, at
            locked.save(update_fields=["status", "scheduled_at", "sent_by"])
            return locked
        if not _deliver(locked, by=by, now=now):
            raise CampaignRefused(_("Nobody in this group can be reached: nothing was sent."))
    return locked


def campaign_cancel(*, campaign: Campaign) -> bool:
    """Cancel a scheduled campaign before it goes out; True when this call cancelled it."""
    with transaction.atomic():
        locked = _lock(campaign.pk)
        if locked.status != CampaignStatus.SCHEDULED:
            return False
        locked.status = CampaignStatus.CANCELLED
        locked.save(update_fields=["status"])
    return True


def campaigns_send_due(*, now=None) -> int:
    """Send every scheduled campaign whose time has come (beat, every minute); the number of
    messages written. Each campaign in its own transaction, decided again under its lock."""
    now = now or timezone.now()
    due = Campaign.objects.filter(status=CampaignStatus.SCHEDULED, scheduled_at__lte=now)
    return sum(_send_scheduled(pk, now) for pk in due.values_list("pk", flat=True))


def _send_scheduled(campaign_id: int, now) -> int:
    with transaction.atomic():
        campaign = _lock(campaign_id)
        if campaign.status != CampaignStatus.SCHEDULED or campaign.scheduled_at > now:
            return 0  # sent or cancelled meanwhile
        sender = campaign.sent_by
        if sender is None or not rules.may(sender, "change", Campaign, campaign):
            # Nobody may send it any more (the account or its role is gone): the group would
            # be read for nobody, so it is not sent at all.
            logger.warning("campaign %s cancelled: its sender may no longer send it", campaign.pk)
            campaign.status = CampaignStatus.CANCELLED
            campaign.save(update_fields=["status"])
            return 0
        return _deliver(campaign, by=sender, now=now)


def campaign_deliver(*, campaign: Campaign, recipients: list[Recipient], by, now) -> int:
    """Write one message per recipient who has none yet and mark the campaign sent; the
    messages are enqueued after commit. Call it under the campaign's lock (campaign_send), or
    from the demo loader; the number of messages written."""
    texts = campaign_texts(campaign)
    existing = set(Message.objects.filter(campaign=campaign).values_list("key", flat=True))
    rows = []
    for recipient in recipients:
        key = message_key(campaign, recipient.email)
        text = text_for(texts, recipient.language)
        if key in existing or text is None:
            continue
        subject, body, html = campaign_render(campaign=campaign, text=text, recipient=recipient)
        rows.append(
            Message(
                key=key,
                kind=KIND,
                campaign=campaign,
                programme_id=campaign.programme_id,
                requested_by=by,
                recipient_email=recipient.email,
                recipient_name=recipient.name,
                language=text.language,
                subject=subject,
                body_text=body,
                body_html=html,
            )
        )
    ids = [message.pk for message in Message.objects.bulk_create(rows, batch_size=500)]
    campaign.status, campaign.sent_at = CampaignStatus.SENT, now
    campaign.save(update_fields=["status", "sent_at", "sent_by"])
    transaction.on_commit(lambda: messages_enqueue(ids))
    return len(ids)


def _deliver(campaign: Campaign, *, by, now) -> int:
    recipients = campaign_recipients(campaign=campaign, user=by)
    if not recipients:
        return 0 if campaign.status == CampaignStatus.DRAFT else _mark_sent(campaign, now)
    return campaign_deliver(campaign=campaign, recipients=recipients, by=by, now=now)


def _mark_sent(campaign: Campaign, now) -> int:
    # A scheduled campaign whose group has emptied meanwhile went out to nobody: it is done.
    campaign.status, campaign.sent_at = CampaignStatus.SENT, now
    campaign.save(update_fields=["status", "sent_at"])
    return 0


def message_key(campaign: Campaign, email: str) -> str:
    """The event of one recipient's message; a very long address is shortened to its hash."""
    address = email.strip().lower()
    key = f"campaign:{campaign.pk}:{address}"
    if len(key) <= KEY_MAX:
        return key
    return f"campaign:{campaign.pk}:sha256:{hashlib.sha256(address.encode()).hexdigest()}"


def _lock(campaign_id: int) -> Campaign:
    return (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=campaign_id)
    )


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))
