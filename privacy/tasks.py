from celery import shared_task

from .retention import retention_apply


@shared_task(name="privacy.apply_retention")
def apply_retention() -> dict:
    record = retention_apply()
    return record.removed if record else {}
