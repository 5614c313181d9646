"""The public calendar's results and the API's meeting list are cached for LIFETIME seconds, as
an optimisation: on a miss they cost a few indexed queries (exchanges.calendar_pages).

The key carries the calendar's data version, which database triggers raise on every write to
what they show (exchanges.versions), so no change, however it is written, is served stale. The
short lifetime keeps "upcoming first" in step with the clock.
"""

import hashlib

from django.utils.translation import get_language

from .versions import calendar_version

LIFETIME = 60  # seconds


def calendar_key(query: dict[str, list[str]], *, kind: str = "page") -> str:
    """One entry per kind (the page's HTML, the API's data), data version, language and filter
    combination (the same filters in any order share it)."""
    normalised = sorted((name, value) for name, values in query.items() for value in values)
    digest = hashlib.sha256(repr(normalised).encode()).hexdigest()[:32]
    return f"calendar:{kind}:{calendar_version()}:{get_language()}:{digest}"
