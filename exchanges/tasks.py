import logging

from celery import shared_task

from .registrations import offers_expire

logger = logging.getLogger(__name__)


@shared_task(name="exchanges.expire_offers")
def expire_offers() -> int:
    """Beat runs this every few minutes: expired seat offers pass to the next person waiting."""
    expired = offers_expire()
    if expired:
        logger.info("%d seat offers expired", expired)
    return expired
