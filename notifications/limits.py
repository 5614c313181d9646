"""How much e-mail one account's forms may cause (issue 14, item 4).

Every message a person causes by filling in a form (a registration, a call application, a
cancellation) records them as `requested_by`; counting those rows over the last window is the
limit, so it holds across web processes and restarts with nothing else to keep. The check runs
inside the transaction that writes the message, after a lock on the account's row, so that two
parallel requests of one account cannot both take the last message. A campaign is a
coordinator's decision to write to a group and is not counted.
"""

import datetime as dt
import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import ngettext

from multiply.refusals import Refused

from .models import Message

UNLIMITED_KINDS = ("campaign",)


class MailLimitReached(Refused):
    pass


def mail_allowance_check(user, *, now=None) -> None:
    """Raise MailLimitReached when `user` has caused MAIL_LIMIT_PER_ACCOUNT messages within the
    last MAIL_LIMIT_WINDOW seconds; the message says how long until the oldest drops out."""
    now = now or timezone.now()
    window = dt.timedelta(seconds=settings.MAIL_LIMIT_WINDOW)
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
    recent = (
        Message.objects.filter(requested_by=user, created_at__gt=now - window)
        .exclude(kind__in=UNLIMITED_KINDS)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[: settings.MAIL_LIMIT_PER_ACCOUNT]
    )
    recent = list(recent)
    if len(recent) < settings.MAIL_LIMIT_PER_ACCOUNT:
        return
    minutes = max(1, math.ceil((recent[-1] + window - now).total_seconds() / 60))
    raise MailLimitReached(
        ngettext(
            "You have caused many e-mails within the last hour. Nothing was changed: "
            "please try again in %(minutes)d minute.",
            "You have caused many e-mails within the last hour. Nothing was changed: "
            "please try again in %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes},
        "mail_limit",
    )
