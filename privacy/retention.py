"""Retention (issue 15, item 4): what the portal no longer needs, it removes by itself.

- An account whose e-mail address was never confirmed, UNVERIFIED_ACCOUNT_DAYS (30) after it
  was made, is erased as a person would erase it (privacy.erasure), so whatever it left behind
  goes with it. Staff and role holders are never removed this way.
- The body of a message (text, HTML, calendar) goes MESSAGE_BODY_RETENTION_DAYS after it was
  sent or failed; the envelope (kind, recipient, status, times) stays, so what was sent to whom
  is still known. A message still waiting to go is left alone.

Beat runs `retention_apply` daily (privacy.apply_retention). It is idempotent: a second run
the same day finds nothing more. Each run that removed something leaves a RemovalRecord.
"""

import datetime as dt
from collections import Counter

from allauth.account.models import EmailAddress
from auditlog.context import disable_auditlog
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from notifications.models import Message

from .erasure import erase
from .models import RemovalRecord
from .selectors import person_of


def retention_apply(*, now: dt.datetime | None = None) -> RemovalRecord | None:
    """Remove what is past its retention period; the record of what went, or None."""
    now = now or timezone.now()
    removed = Counter()
    for user in unverified_accounts(now=now):
        with transaction.atomic(), disable_auditlog():
            removed += erase(person_of(user=user))
    removed["message_bodies"] = message_bodies_remove(now=now)
    removed = +removed
    if not removed:
        return None
    return RemovalRecord.objects.create(
        reason=RemovalRecord.Reason.RETENTION, removed=dict(removed)
    )


def unverified_accounts(*, now: dt.datetime):
    """Accounts older than the period with no confirmed address, that hold no role."""
    before = now - dt.timedelta(days=settings.UNVERIFIED_ACCOUNT_DAYS)
    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    return (
        User.objects.filter(date_joined__lt=before, is_staff=False, is_superuser=False)
        .exclude(pk__in=verified)
        .exclude(roles__isnull=False)
        .order_by("pk")
    )


def message_bodies_remove(*, now: dt.datetime) -> int:
    """Empty the bodies of messages sent or failed before the period; how many."""
    before = now - dt.timedelta(days=settings.MESSAGE_BODY_RETENTION_DAYS)
    done = Q(status=Message.Status.SENT, sent_at__lt=before) | Q(
        status=Message.Status.FAILED, created_at__lt=before
    )
    return Message.objects.filter(done, body_removed_at__isnull=True).update(
        body_text="", body_html="", calendar="", values={}, body_removed_at=now
    )
