"""Synthetic meetings for benchmarks (`manage.py load_demo --scale N`); all invented.

They are generated, not data: N meetings drawn at random (deterministically) from the networks
and themes of a programme of their own, written with bulk_create. That programme ("synthetic",
published, so that the public calendar and the API list the meetings the benchmarks measure)
has its own invented countries, cities, networks, themes and topics: no real programme or plan
counts a synthetic row. Every row is named "Synthetic ..." and the countries take ISO 3166's
user-assigned codes XA-XH, which no real country has; `--scale 0` removes all of it.

No national exchanges among them: the benchmarks need no network plan, and a plan of random
meetings would only break docs/DESIGN.md rule 1 (the synthetic networks simply have none).
"""

import datetime as dt
import random

from django.conf import settings
from django.db import connection
from django.utils import timezone

from cities.models import EVERYONE, City, Country, TargetGroup
from exchanges.models import (
    ExchangeMeeting,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    Membership,
    NationalNetwork,
    Programme,
    Role,
    Theme,
    Topic,
)

from .loader.fields import aware, tr

SYNTHETIC_PREFIX = "Synthetic exchange"
SYNTHETIC_PROGRAMME = "synthetic"
SYNTHETIC_NAME = "Synthetic programme (benchmark data)"
# Before the synthetic programme existed, --scale put its meetings into MULTIPLY; a database
# loaded then still has them, and any --scale removes them by the title that marked them.
LEGACY_PROGRAMME = "multiply"

# ISO 3166-1 leaves XA-XZ to users: no real country has them (XK, used for Kosovo, is not here).
SYNTHETIC_COUNTRIES = {
    "XA": "Europe/Lisbon",
    "XB": "Europe/Dublin",
    "XC": "Europe/Brussels",
    "XD": "Europe/Berlin",
    "XE": "Europe/Warsaw",
    "XF": "Europe/Helsinki",
    "XG": "Europe/Athens",
    "XH": "Europe/Bucharest",
}
# Each network as MULTIPLY's: a pioneer, engaged cities and a special-award city.
SYNTHETIC_ROLES = [Role.PIONEER] + [Role.ENGAGED] * 4 + [Role.SPECIAL_AWARD]
SYNTHETIC_THEMES = 5
SYNTHETIC_TOPICS = 3

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
# The columns of a synthetic meeting that are the same for all of them: the other languages are
# empty (they fall back to English).
EMPTY_TRANSLATIONS = {
    f"{field}_{lang}": None
    for field in ("title", "description", "status_note")
    for lang, _name in settings.LANGUAGES
    if lang != "en"
} | {"description": "", "description_en": ""}
SYNTHETIC_FIRST_DAY = dt.date(2019, 1, 1)
SYNTHETIC_LAST_DAY = dt.date(2030, 12, 31)
SYNTHETIC_DAYS = (SYNTHETIC_LAST_DAY - SYNTHETIC_FIRST_DAY).days


def set_synthetic_meetings(*, count: int, batch_size: int = 1000) -> Programme | None:
    """Keep exactly ``count`` synthetic meetings: top up the missing ones, delete the surplus.

    0 removes the synthetic programme with everything made for it, so that the database holds
    the demo alone again. Returns the synthetic programme (None when removed).
    """
    ExchangeMeeting.objects.filter(
        programme__slug=LEGACY_PROGRAMME, title_en__startswith=SYNTHETIC_PREFIX
    ).delete()
    if count == 0:
        synthetic_remove()
        _analyze()
        return None
    programme = synthetic_programme()
    synthetic = ExchangeMeeting.objects.filter(programme=programme).order_by("pk")
    existing = synthetic.count()
    if existing > count:
        last_kept = synthetic.values_list("pk", flat=True)[count - 1]
        _delete_in_chunks(synthetic.filter(pk__gt=last_kept))
    elif existing < count:
        _create_synthetic(programme, start=existing, count=count - existing, batch=batch_size)
    _analyze()
    return programme


def synthetic_programme() -> Programme:
    """The synthetic programme and its set-up, created or brought back to what this module
    says (a few hundred queries at most, whatever the number of meetings)."""
    programme, _ = Programme.objects.update_or_create(
        slug=SYNTHETIC_PROGRAMME,
        defaults={
            "start_date": SYNTHETIC_FIRST_DAY,
            "end_date": SYNTHETIC_LAST_DAY,
            "is_published": True,
            **tr("name", {"en": SYNTHETIC_NAME}),
            **tr(
                "description",
                {
                    "en": "Invented meetings for the benchmarks (manage.py load_demo --scale N). "
                    "None of them takes place."
                },
            ),
        },
    )
    for code, zone in SYNTHETIC_COUNTRIES.items():
        country = _synthetic_country(code, zone)
        network, _ = NationalNetwork.objects.get_or_create(programme=programme, country=country)
        for number, role in enumerate(SYNTHETIC_ROLES, start=1):
            city, _ = City.objects.get_or_create(
                country=country, name=f"Synthetic city {code}-{number}"
            )
            Membership.objects.update_or_create(network=network, city=city, defaults={"role": role})
    # Target groups are the portal's own, shared by every programme: the themes name them.
    groups = list(TargetGroup.objects.exclude(slug=EVERYONE).order_by("order", "slug"))
    for number in range(1, SYNTHETIC_THEMES + 1):
        name = f"Synthetic theme {number}"
        theme, _ = Theme.objects.update_or_create(
            programme=programme,
            name_en=name,
            defaults={"order": number, **tr("name", {"en": name})},
        )
        picked = [groups[i % len(groups)] for i in (number, number + 1)] if groups else []
        theme.target_groups.set(dict.fromkeys(picked))
        for order in range(1, SYNTHETIC_TOPICS + 1):
            topic = f"Synthetic topic {number}.{order}"
            Topic.objects.update_or_create(
                theme=theme, name_en=topic, defaults={"order": order, **tr("name", {"en": topic})}
            )
    return programme


def _synthetic_country(code: str, zone: str) -> Country:
    name = f"Synthetic country {code}"
    country, _ = Country.objects.get_or_create(
        code=code, defaults={"timezone": zone, **tr("name", {"en": name})}
    )
    if country.name_en != name:
        # Someone gave a real row a user-assigned code: refuse to mix synthetic rows into it.
        raise ValueError(f"country {code} is {country.name!r}, not synthetic")
    return country


def synthetic_remove() -> None:
    """Delete the synthetic programme (its networks, memberships, themes, topics and meetings go
    with it), then its cities and countries, unless something real has come to use them."""
    _delete_in_chunks(ExchangeMeeting.objects.filter(programme__slug=SYNTHETIC_PROGRAMME))
    Programme.objects.filter(slug=SYNTHETIC_PROGRAMME).delete()
    countries = Country.objects.filter(
        code__in=list(SYNTHETIC_COUNTRIES), name_en__startswith="Synthetic country "
    )
    cities = City.objects.filter(country__in=countries, name__startswith="Synthetic city ")
    cities.filter(memberships__isnull=True, hosted_meetings__isnull=True).delete()
    countries.filter(cities__isnull=True, networks__isnull=True).delete()


def _analyze() -> None:
    """On PostgreSQL, update the planner's statistics of the meetings before the transaction
    commits. Its foreign-key checks, one per row written or deleted, are deferred to the commit
    and planned from these statistics: with those from before the bulk write, the check of a
    meeting's id used the (start, id) index instead of the primary key and read it whole, and
    deleting 80,000 meetings had not committed after 15 minutes."""
    if connection.vendor != "postgresql":
        return
    tables = [ExchangeMeeting._meta.db_table, ExchangeMeeting.topics.through._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(map(connection.ops.quote_name, tables))}")


def _delete_in_chunks(meetings, chunk: int = 10_000) -> None:
    """Delete in slices of ``chunk`` meetings: Django's collector holds every row it deletes, and
    those deleted with it, in memory (100,000 meetings at once took 700 MB)."""
    meetings = meetings.order_by("pk")
    while pks := list(meetings.values_list("pk", flat=True)[:chunk]):
        meetings.filter(pk__lte=pks[-1]).delete()


def _create_synthetic(programme: Programme, *, start: int, count: int, batch: int) -> None:
    """bulk_create synthetic meetings and their topics in batches (100,000 in under a minute)."""
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
    """What synthetic meetings draw from: networks with members, themes with their topics, and
    the columns they share (the model's own defaults for those not drawn at random)."""
    networks = []
    for network in programme.networks.select_related("country"):
        members = list(network.memberships.values_list("city_id", flat=True))
        if members:
            networks.append((network, members))
    themes = [
        (theme, list(theme.topics.values_list("pk", flat=True))) for theme in programme.themes.all()
    ]
    template = ExchangeMeeting(**EMPTY_TRANSLATIONS, programme=programme, number=None)
    columns = [field.attname for field in ExchangeMeeting._meta.concrete_fields]
    return {
        "programme": programme,
        "networks": networks,
        "themes": themes,
        "now": timezone.now(),
        "columns": columns,
        "template": {column: getattr(template, column) for column in columns},
    }


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
    row = context["template"] | {
        "network_id": network.pk,
        "kind": kind,
        "title": title,
        "title_en": title,
        "status_note": note,
        "status_note_en": note,
        "theme_id": theme.pk,
        "host_city_id": rng.choice(members),
        "start": start,
        "end": start + dt.timedelta(hours=rng.choice([2, 3, 6])),
        "timezone": tz,
        "format": meeting_format,
        "status": status,
        "capacity": rng.choice([None, 30, 60, 120]),
        "engaged_only": rng.random() < 0.05,
        "venue": "" if meeting_format == ONLINE else "Synthetic venue",
    }
    # Every column, positionally, as Django's from_db() builds a row it read: keyword arguments
    # go through modeltranslation's rewriting one by one, which took five times as long and was
    # a quarter of the time of writing 100,000 meetings.
    meeting = ExchangeMeeting(*[row[column] for column in context["columns"]])
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
