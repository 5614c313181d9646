"""Reads of campaigns: their delivery counts, and the preview of a draft for the person sending."""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from notifications.models import Message

from .models import Campaign
from .segments import Recipient, campaign_recipients
from .services import campaign_render, campaign_texts, text_for

FIRST_RECIPIENTS = 10
Status = Message.Status


def campaigns_with_counts(queryset: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Each campaign with its messages counted by delivery, in the same query: queued (a
    message being sent counts as queued until it is), sent and failed."""
    return queryset.annotate(
        queued_count=Count(
            "messages", filter=Q(messages__status__in=[Status.QUEUED, Status.SENDING])
        ),
        sent_count=Count("messages", filter=Q(messages__status=Status.SENT)),
        failed_count=Count("messages", filter=Q(messages__status=Status.FAILED)),
    )


@dataclass(frozen=True)
class LanguagePreview:
    language: str
    count: int
    recipient: Recipient
    text_language: str | None  # the language of the text they read (None: no text yet)
    subject: str = ""
    body: str = ""


@dataclass(frozen=True)
class Preview:
    count: int
    first: list[Recipient]
    languages: list[LanguagePreview]


def campaign_preview(*, campaign: Campaign, user) -> Preview:
    """Who the campaign reaches if `user` sends it now, how many in each language, and the
    message each language reads, rendered for its first recipient."""
    recipients = campaign_recipients(campaign=campaign, user=user)
    counts = Counter(recipient.language for recipient in recipients)
    firsts: dict[str, Recipient] = {}
    for recipient in recipients:
        firsts.setdefault(recipient.language, recipient)
    texts = campaign_texts(campaign)
    order = [code for code, _name in settings.LANGUAGES]
    languages = [
        _language_preview(campaign, texts, language, counts[language], firsts[language])
        for language in sorted(counts, key=lambda code: order.index(code) if code in order else 99)
    ]
    return Preview(len(recipients), recipients[:FIRST_RECIPIENTS], languages)


def _language_preview(campaign, texts, language, count, recipient) -> LanguagePreview:
    text = text_for(texts, language)
    if text is None:
        return LanguagePreview(language, count, recipient, None)
    subject, body, _html = campaign_render(campaign=campaign, text=text, recipient=recipient)
    return LanguagePreview(language, count, recipient, text.language, subject, body)
