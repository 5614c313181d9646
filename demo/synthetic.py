"""Synthetic meetings for benchmarks (`manage.py load_demo --scale N`); all invented.

They are generated, not data: N meetings drawn at random (deterministically) from a programme's
networks and themes, written with bulk_create. No national exchanges among them: those are the
networks' plan, which docs/DESIGN.md rule 1 checks, and benchmark data must not make the real plans
look wrong.
"""

import datetime as dt
import random

from django.conf import settings
from django.utils import timezone

from exchanges.models import ExchangeMeeting, MeetingFormat, MeetingKind, MeetingStatus, Programme

from .loader.fields import aware

SYNTHETIC_PREFIX = "Synthetic exchange"
SYNTHETIC_PROGRAMME = "multiply"

ONLINE = MeetingFormat.ONLINE
IN_PERSON = MeetingFormat.IN_PERSON
HYBRID = MeetingFormat.HYBRID
HELD = MeetingStatus.HELD
MOVED = MeetingStatus.MOVED_ONLINE

SYNTHETIC_KINDS = [
    MeetingKind.STUDY_VISIT,
    MeetingKind.WORKSHOP,
    MeetingKind.STUDY_VISIT,
    MeetingKind.WORKSHOP,
    MeetingKind.WEBINAR,
    MeetingKind.PEER_VISIT,
]
# Passing every translation column saves modeltranslation from computing each default under a
# language override: a third of the time of building 10,000 meetings.
EMPTY_TRANSLATIONS = {
    f"{field}_{lang}": None
    for field in ("title", "description", "status_note")
    for lang, _name in settings.LANGUAGES
    if lang != "en"
} | {"description": "", "description_en": ""}
SYNTHETIC_FIRST_DAY = dt.date(2019, 1, 1)
SYNTHETIC_DAYS = (dt.date(2030, 12, 31) - SYNTHETIC_FIRST_DAY).days


def set_synthetic_meetings(*, programme: Programme, count: int, batch_size: int = 1000) -> None:
    """Keep exactly ``count`` synthetic meetings: top up the missing ones, delete the surplus."""
    synthetic = ExchangeMeeting.objects.filter(
        programme=programme, title_en__startswith=SYNTHETIC_PREFIX
    ).order_by("pk")
    existing = synthetic.count()
    if existing > count:
        if count == 0:
            synthetic.delete()
        else:
            last_kept = synthetic.values_list("pk", flat=True)[count - 1]
            synthetic.filter(pk__gt=last_kept).delete()
    elif existing < count:
        _create_synthetic(programme, start=existing, count=count - existing, batch=batch_size)


def _create_synthetic(programme: Programme, *, start: int, count: int, batch: int) -> None:
    """bulk_create synthetic meetings and their topics in batches (seconds for 10,000)."""
    context = _synthetic_context(programme)
    rng = random.Random(start)  # deterministic for a given starting point
    through = ExchangeMeeting.topics.through
    for offset in range(0, count, batch):
        size = min(batch, count - offset)
        pairs = [_synthetic_meeting(context, rng, start + offset + i + 1) for i in range(size)]
        meetings = ExchangeMeeting.objects.bulk_create([meeting for meeting, _ in pairs])
        through.objects.bulk_create(
            through(exchangemeeting_id=meeting.pk, topic_id=topic_id)
            for meeting, (_, topic_ids) in zip(meetings, pairs, strict=True)
            for topic_id in topic_ids
        )


def _synthetic_context(programme: Programme) -> dict:
    """What synthetic meetings draw from: networks with members, themes with their topics."""
    networks = []
    for network in programme.networks.select_related("country"):
        members = list(network.memberships.values_list("city_id", flat=True))
        if members:
            networks.append((network, members))
    themes = [
        (theme, list(theme.topics.values_list("pk", flat=True))) for theme in programme.themes.all()
    ]
    return {"programme": programme, "networks": networks, "themes": themes, "now": timezone.now()}


def _synthetic_meeting(context: dict, rng: random.Random, seq: int):
    """One synthetic meeting (not saved) and the ids of its topics."""
    network, members = rng.choice(context["networks"])
    theme, topic_ids = rng.choice(context["themes"])
    kind = rng.choice(SYNTHETIC_KINDS)
    tz = network.country.timezone
    day = SYNTHETIC_FIRST_DAY + dt.timedelta(days=rng.randrange(SYNTHETIC_DAYS))
    at = dt.time(rng.choice([9, 10, 13]), rng.choice([0, 30]))
    start = aware(dt.datetime.combine(day, at), tz)
    status, meeting_format = _synthetic_status(rng, kind, upcoming=start > context["now"])
    title = f"{SYNTHETIC_PREFIX} {seq}: {theme.name_en}"
    note = "Moved online (synthetic)." if status == MOVED else ""
    meeting = ExchangeMeeting(
        **EMPTY_TRANSLATIONS,
        programme=context["programme"],
        network=network,
        kind=kind,
        number=None,
        title=title,
        title_en=title,
        status_note=note,
        status_note_en=note,
        theme=theme,
        host_city_id=rng.choice(members),
        start=start,
        end=start + dt.timedelta(hours=rng.choice([2, 3, 6])),
        timezone=tz,
        format=meeting_format,
        status=status,
        capacity=rng.choice([None, 30, 60, 120]),
        engaged_only=rng.random() < 0.05,
        venue="" if meeting_format == ONLINE else "Synthetic venue",
    )
    return meeting, rng.sample(topic_ids, k=min(len(topic_ids), rng.randint(1, 2)))


def _synthetic_status(rng: random.Random, kind: str, *, upcoming: bool) -> tuple[str, str]:
    """A plausible (status, format): past meetings were mostly held, future ones planned."""
    if upcoming:
        status = rng.choice(
            [MeetingStatus.PLANNED] * 3
            + [MeetingStatus.CONFIRMED] * 2
            + [MeetingStatus.POSTPONED, MOVED, MeetingStatus.CANCELLED]
        )
    else:
        status = rng.choice([HELD] * 6 + [MOVED, MeetingStatus.CANCELLED])
    if status == MOVED or kind == MeetingKind.WEBINAR:
        return status, ONLINE
    return status, rng.choice([IN_PERSON, IN_PERSON, ONLINE, HYBRID])
