import logging

from celery import shared_task
from django.conf import settings

from .outbox import message_send_batch, messages_sweep

logger = logging.getLogger(__name__)

# Redis redelivers a task held unacknowledged for its visibility timeout: a countdown longer
# than this would run twice. Later attempts are left to the sweeper, which runs every minute.
MAX_COUNTDOWN = 600


@shared_task(name="notifications.send_messages", bind=True)
def send_messages(self, *, message_ids: list[int], claim=None, sent=()) -> int:
    """Send a batch over one connection; what failed comes back later, with backoff.

    Run eagerly (no broker: a developer's machine), nothing is scheduled again: an eager
    countdown would run at once, over and over.
    """
    outcome = message_send_batch(message_ids=message_ids, claim=claim, sent=sent)
    if self.request.is_eager:
        return len(message_ids)
    for delay, ids in outcome.retries.items():
        if delay <= MAX_COUNTDOWN:
            send_messages.apply_async(kwargs={"message_ids": ids}, countdown=delay)
    if outcome.unfinished or outcome.sent_unrecorded:
        send_messages.apply_async(
            kwargs={
                "message_ids": outcome.unfinished,
                "claim": outcome.claim,
                "sent": outcome.sent_unrecorded,
            },
            countdown=settings.OUTBOX_DB_RETRY_SECONDS,
        )
    return len(message_ids) - len(outcome.unfinished)


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox() -> int:
    swept = messages_sweep()
    if swept:
        logger.info("outbox sweeper enqueued %d messages again", swept)
    return swept
