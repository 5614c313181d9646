import logging

from celery import shared_task

from .services import campaigns_send_due

logger = logging.getLogger(__name__)


@shared_task(name="campaigns.send_due")
def send_due() -> int:
    """Beat, every minute: the scheduled campaigns whose time has come, each sent once."""
    written = campaigns_send_due()
    if written:
        logger.info("scheduled campaigns: %d messages written", written)
    return written
