import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

logger = logging.getLogger(__name__)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "down" to a load balancer; the log says why
        logger.exception("healthz: database check failed")
        return "error"
    return "ok"


def _broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER or settings.CELERY_BROKER_URL.startswith("memory://"):
        return "not configured"
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # as above: report, log, never raise
        logger.exception("healthz: broker check failed")
        return "error"
    return "ok"


def _cache_state() -> str:
    # Written and read back: while Redis is away the cache keeps nothing rather than raising
    # (multiply/cache.py), so a value that does not come back is the cache being down.
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        found = cache.get(key)
        cache.delete(key)
    except Exception:  # as above: report, log, never raise
        logger.exception("healthz: cache check failed")
        return "error"
    if found != "ok":
        logger.error("healthz: cache check failed: a value written was not read back")
        return "error"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """The state of the database, the cache and, when configured, the broker; 503 if one is
    down (with the cache down the portal still serves pages, but sign-in has no rate limits)."""
    state = {"database": _database_state(), "cache": _cache_state(), "broker": _broker_state()}
    healthy = all(value in ("ok", "not configured") for value in state.values())
    state["status"] = "ok" if healthy else "error"
    return JsonResponse(state, status=200 if healthy else 503)
