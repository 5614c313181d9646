"""The public calendar is read far more often than meetings change, so its rendered results are
cached. The key carries a version that every change to the data the calendar shows moves on;
a short lifetime keeps "upcoming first" in step with the clock.
"""

import hashlib

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from cities.models import City, Country, TargetGroup

from .models import ExchangeMeeting, NationalNetwork, Programme, Theme, Topic

VERSION_KEY = "calendar:version"
LIFETIME = 60  # seconds


def calendar_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def calendar_changed(**kwargs) -> None:
    """Any saved or deleted meeting, theme, city... makes every cached calendar page stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key was evicted or never set: start again
        cache.add(VERSION_KEY, 1, timeout=None)


def calendar_key(query: dict[str, list[str]], *, kind: str = "page") -> str:
    """One entry per kind (the page's HTML, the API's data), language and filter combination
    (the same filters in any order share it)."""
    normalised = sorted((name, value) for name, values in query.items() for value in values)
    digest = hashlib.sha256(repr(normalised).encode()).hexdigest()[:32]
    return f"calendar:{kind}:{calendar_version()}:{get_language()}:{digest}"


def connect_signals() -> None:
    for model in (
        ExchangeMeeting,
        Programme,
        NationalNetwork,
        Theme,
        Topic,
        City,
        Country,
        TargetGroup,
    ):
        uid = f"calendar-{model._meta.label_lower}"
        post_save.connect(calendar_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(calendar_changed, sender=model, dispatch_uid=f"{uid}-delete")
    for through in (ExchangeMeeting.topics.through, Theme.target_groups.through):
        m2m_changed.connect(calendar_changed, sender=through, dispatch_uid=f"calendar-{through}")
