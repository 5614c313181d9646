import logging

from celery import shared_task

from .notices import feedback_requests_send, reminders_send
from .registrations import offers_expire

logger = logging.getLogger(__name__)


@shared_task(name="exchanges.expire_offers")
def expire_offers() -> int:
    """Beat runs this every few minutes: expired seat offers pass to the next person waiting."""
    expired = offers_expire()
    if expired:
        logger.info("%d seat offers expired", expired)
    return expired


@shared_task(name="exchanges.send_reminders")
def send_reminders() -> int:
    """Beat, hourly: the 7-day and 1-day reminders that are due, each sent once."""
    return reminders_send()


@shared_task(name="exchanges.send_feedback_requests")
def send_feedback_requests() -> int:
    """Beat, hourly: feedback requests the day after a meeting, each sent once."""
    return feedback_requests_send()
