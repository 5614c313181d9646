"""The portal's first privacy notice, in every language the portal speaks: what a new
installation publishes as version 1, for coordinators to adapt (migration 0002)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def default_notice(language: str) -> tuple[str, str]:
    """The title and text of the default notice in `language`."""
    with translation.override(language):
        body = render_to_string(
            "privacy/default_notice.txt",
            {
                "unverified_days": settings.UNVERIFIED_ACCOUNT_DAYS,
                "message_days": settings.MESSAGE_BODY_RETENTION_DAYS,
            },
        )
        return str(translation.gettext("How the portal handles your data")), body.strip()
