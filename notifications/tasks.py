import logging

from celery import shared_task

from .services import message_send_batch, messages_sweep

logger = logging.getLogger(__name__)


@shared_task(name="notifications.send_messages")
def send_messages(*, message_ids: list[int]) -> int:
    """Send a batch over one connection; what failed comes back later, with backoff."""
    retries = message_send_batch(message_ids=message_ids)
    for delay, ids in retries.items():
        # Short countdowns only (at most ten minutes): far-future ETAs are redelivered by Redis.
        send_messages.apply_async(kwargs={"message_ids": ids}, countdown=delay)
    return len(message_ids) - sum(len(ids) for ids in retries.values())


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox() -> int:
    swept = messages_sweep()
    if swept:
        logger.info("outbox sweeper enqueued %d messages again", swept)
    return swept
