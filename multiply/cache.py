"""The shared cache (Redis in production), and what the portal does while Redis is away.

Two things live in the cache: the public calendar's rendered results (exchanges.caching) and
allauth's rate-limit counts (sign-in, sign-up, password reset...). Neither is worth a failed page,
yet with Redis down both raised: the calendar and every sign-in answered 500 (issue 15). So when
Redis cannot be reached the cache behaves as Django's DummyCache: it keeps nothing and finds
nothing. The calendar is then rendered for every request, uncached; allauth's rate limits are
skipped (each attempt finds no earlier ones), and the log says so.

Skipped rather than counted elsewhere: counting in each process's memory would be a limit as many
times looser as there are processes (and would serve one process's stale calendar after another
process saw a change), and counting in the database would add a table and a write to every
sign-in for the minutes of an outage. Passwords stay protected by their hashing meanwhile, and
/healthz reports the cache as down, so the outage is seen and ended.

Only the errors of a server that cannot be reached (redis's ConnectionError and TimeoutError) are
answered so; any other error still raises. After one, this process leaves Redis alone for
RETRY_AFTER seconds, so that a server that does not answer costs one timeout, not one per call.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds


class DegradingRedisCacheClient(RedisCacheClient):
    """Django's Redis client; while the server cannot be reached, an empty cache."""

    _down_until = 0.0

    def _guarded(self, fallback, call, *args):
        if time.monotonic() < self._down_until:
            return fallback()
        try:
            return call(*args)
        except (self._lib.ConnectionError, self._lib.TimeoutError) as error:
            self._down_until = time.monotonic() + RETRY_AFTER
            logger.warning(
                "cache: Redis unreachable (%s); serving without it for %ss, rate limits skipped",
                error,
                RETRY_AFTER,
            )
            return fallback()

    def add(self, key, value, timeout):
        return self._guarded(lambda: True, super().add, key, value, timeout)

    def get(self, key, default):
        return self._guarded(lambda: default, super().get, key, default)

    def set(self, key, value, timeout):
        return self._guarded(lambda: None, super().set, key, value, timeout)

    def touch(self, key, timeout):
        return self._guarded(lambda: False, super().touch, key, timeout)

    def delete(self, key):
        return self._guarded(lambda: False, super().delete, key)

    def get_many(self, keys):
        return self._guarded(dict, super().get_many, keys)

    def has_key(self, key):
        return self._guarded(lambda: False, super().has_key, key)

    def incr(self, key, delta):
        return self._guarded(lambda: _missing(key), super().incr, key, delta)

    def set_many(self, data, timeout):
        return self._guarded(lambda: None, super().set_many, data, timeout)

    def delete_many(self, keys):
        return self._guarded(lambda: None, super().delete_many, keys)

    def clear(self):
        return self._guarded(lambda: False, super().clear)


class DegradingRedisCache(RedisCache):
    """settings.CACHES' backend when REDIS_URL is set (see the module docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = DegradingRedisCacheClient


def _missing(key):
    # What an empty cache answers to incr(), as Django's DummyCache and RedisCache do.
    raise ValueError(f"Key '{key}' not found.")
