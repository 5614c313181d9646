"""Sections for the exchanges app: programmes, themes, national networks and meetings.

A programme's national exchanges (docs/DESIGN.md rules 1, 2 and 4) are one ``national_exchanges``
entry: the agenda (theme, topics and description of meeting n, the same in every network), each
network's plan (host, day, format and status of its meetings, and their title in the network's
languages), and what follows from a meeting's format (hours, venue, link, capacity, deadline).
Other meetings are one ``meetings`` entry each, with their agenda and questions (agenda.py).
"""

import datetime as dt

from django.core.files import File

from cities.models import City, Country, TargetGroup
from exchanges.models import (
    ExchangeMeeting,
    MeetingFormat,
    MeetingKind,
    MeetingMaterial,
    MeetingStatus,
    Membership,
    NationalNetwork,
    Programme,
    Role,
    Theme,
    Topic,
)
from exchanges.models.programmes import portal_languages, validate_languages

from .agenda import QUESTION, SESSION, questions_load, sessions_load
from .fields import aware, aware_or_none, tr, trs
from .files import DATA_DIR, Section, Shape

PROGRAMME_TEXTS = (
    "name tagline description peer_learning "
    "pioneer_label engaged_label special_award_label mentor_label "
    "funding_statement signatory_title"
)
MEETING_TEXTS = "title description status_note"
FORMATS = {"format": MeetingFormat.values, "status": MeetingStatus.values}


def programme_load(values: dict) -> None:
    """A published programme keyed by slug, with its languages (the first: the fallback for a
    person whose language it does not speak; without the key, every language of the portal) and
    what its certificates print: the funder's statement, the signatory and the logo (a file of
    demo/data/files/)."""
    logo = DATA_DIR / "files" / values["logo"] if "logo" in values else None
    if logo is not None and not logo.is_file():
        raise ValueError(f"logo: no file {values['logo']!r} in demo/data/files/")
    programme, _ = Programme.objects.update_or_create(
        slug=values["slug"],
        defaults={
            "start_date": values["start_date"],
            "end_date": values["end_date"],
            "funding": values.get("funding", ""),
            "signatory_name": values.get("signatory_name", ""),
            "is_published": True,
            "languages": values.get("languages") or portal_languages(),
            **trs(values, PROGRAMME_TEXTS),
        },
    )
    if logo is not None and not programme.logo:
        _logo_save(programme, logo)


def _logo_save(programme: Programme, path) -> None:
    """Stored once, as a peer visit's background material is: later loads keep the stored file
    (or the one a coordinator uploaded instead) rather than piling up copies."""
    with path.open("rb") as handle:
        programme.logo.save(path.name, File(handle), save=False)
    programme.save(update_fields=["logo"])


def theme_load(values: dict, *, order: int) -> None:
    """A theme keyed by its English name in its programme, with its target groups and topics
    (shown in the order of the file)."""
    theme, _ = Theme.objects.update_or_create(
        programme=Programme.objects.get(slug=values["programme"]),
        name_en=values["name"]["en"],
        defaults={
            "order": order,
            "open_to_all": values.get("open_to_all", False),
            **tr("name", values["name"]),
        },
    )
    theme.target_groups.set(TargetGroup.objects.get(slug=slug) for slug in values.get("groups", []))
    for topic_order, topic in enumerate(values.get("topics", []), start=1):
        Topic.objects.update_or_create(
            theme=theme,
            name_en=topic["name"]["en"],
            defaults={"order": topic_order, **tr("name", topic["name"])},
        )


def network_load(values: dict) -> None:
    """A programme's national network in one country, with its member cities and their roles."""
    country = Country.objects.get(code=values["country"])
    network, _ = NationalNetwork.objects.update_or_create(
        programme=Programme.objects.get(slug=values["programme"]), country=country
    )
    for member in values.get("members", []):
        city, _ = City.objects.update_or_create(
            country=country, name=member["city"], defaults={"region": member.get("region", "")}
        )
        Membership.objects.update_or_create(
            network=network, city=city, defaults={"role": member["role"]}
        )


def programme_city(programme: Programme, name: str) -> City:
    """A city named in a programme's entry: the member of one of its networks with that name."""
    return City.objects.get(memberships__network__programme=programme, name=name)


def national_exchanges_load(values: dict) -> None:
    """Each network's plan: its meeting n takes item n of the agenda and is numbered n."""
    programme = Programme.objects.get(slug=values["programme"])
    agenda = values["agenda"]
    for plan in values["plans"]:
        network = programme.networks.select_related("country").get(country__code=plan["country"])
        meetings = plan["meetings"]
        if len(meetings) != len(agenda):
            raise ValueError(
                f"plan of {network}: {len(meetings)} meetings, {len(agenda)} on the agenda"
            )
        rules = {**values, "title": plan["title"]}
        for number, planned in enumerate(meetings, start=1):
            _national_exchange_load(network, number, planned, agenda[number - 1], rules=rules)


def _national_exchange_load(
    network, number: int, planned: dict, item: dict, *, rules: dict
) -> None:
    theme = network.programme.themes.get(name_en=item["theme"])
    host = network.memberships.select_related("city").get(city__name=planned["host"]).city
    meeting, _ = ExchangeMeeting.objects.update_or_create(
        network=network,
        kind=MeetingKind.NATIONAL_EXCHANGE,
        number=number,
        defaults=_exchange_fields(network, number, planned, rules)
        | _exchange_texts(number, planned, item, theme, rules)
        | {"programme": network.programme, "theme": theme, "host_city": host},
    )
    meeting.topics.set(_topics(theme, item.get("topics")))


def _exchange_fields(network, number: int, planned: dict, rules: dict) -> dict:
    """Where, when and how a national exchange meets, in its country's time zone."""
    tz = network.country.timezone
    online = planned["format"] == MeetingFormat.ONLINE
    start, end = rules["hours_online"] if online else rules["hours_in_person"]
    begins = aware(dt.datetime.combine(planned["day"], start), tz)
    link = rules["online_url"].format(code=network.country.code.lower(), number=number)
    venue = rules["venue"].format(host=planned["host"])
    closes_before = dt.timedelta(days=rules["registration_closes_days_before"])
    return {
        "start": begins,
        "end": aware(dt.datetime.combine(planned["day"], end), tz),
        "timezone": tz,
        "format": planned["format"],
        "status": planned["status"],
        "engaged_only": planned.get("engaged_only", False),
        "venue": "" if online else planned.get("venue") or venue,
        "online_url": "" if planned["format"] == MeetingFormat.IN_PERSON else link,
        "capacity": None if online else rules["capacity"],
        "registration_deadline": None if online else begins - closes_before,
    }


def _exchange_texts(number: int, planned: dict, item: dict, theme: Theme, rules: dict) -> dict:
    """Title, description and status note in the languages of the plan's title."""
    titles = {
        lang: template.format(number=number, theme=getattr(theme, f"name_{lang}"))
        for lang, template in rules["title"].items()
    }
    moved = planned["status"] == MeetingStatus.MOVED_ONLINE
    note = rules["moved_online_note"] if moved else {"en": ""}
    return (
        tr("title", titles)
        | tr("description", {lang: item["description"][lang] for lang in titles})
        | tr("status_note", {lang: note.get(lang, "") for lang in titles})
    )


def _topics(theme: Theme | None, names: list[str] | None) -> list[Topic]:
    """The named topics of the theme (English names), or all of them when none are named."""
    if theme is None:
        return []
    if names is None:
        return list(theme.topics.order_by("order"))
    return [theme.topics.get(name_en=name) for name in names]


def meeting_load(values: dict) -> None:
    """A meeting other than a national exchange, keyed by its English title in its programme;
    the international conference by its kind, since a programme has one (docs/DESIGN.md rule 5)."""
    programme = Programme.objects.get(slug=values["programme"])
    network, tz = _network_and_zone(programme, values)
    theme = programme.themes.get(name_en=values["theme"]) if "theme" in values else None
    if values["kind"] == MeetingKind.INTERNATIONAL_CONFERENCE:
        key = {"kind": values["kind"]}
    else:
        key = {"title_en": values["title"]["en"]}
    meeting, _ = ExchangeMeeting.objects.update_or_create(
        programme=programme, **key, defaults=_meeting_fields(values, network, theme, tz)
    )
    meeting.topics.set(_topics(theme, values.get("topics")))
    for material in values.get("materials", []):
        MeetingMaterial.objects.update_or_create(
            meeting=meeting,
            title_en=material["title"]["en"],
            defaults={"url": material["url"], **tr("title", material["title"])},
        )
    # The sessions first: a question may offer them as its choices.
    sessions_load(meeting, values.get("sessions", []))
    questions_load(meeting, values.get("questions", []))


def _network_and_zone(programme: Programme, values: dict) -> tuple[NationalNetwork | None, str]:
    """The meeting's network (named by its country) and its time zone: the one given, or else
    the network's country's."""
    network = None
    if "network" in values:
        network = programme.networks.select_related("country").get(country__code=values["network"])
    if "timezone" in values:
        return network, values["timezone"]
    if network is None:
        raise ValueError("timezone: needed by a meeting without a network")
    return network, network.country.timezone


def _meeting_fields(values: dict, network, theme, tz: str) -> dict:
    return {
        "kind": values["kind"],
        "network": network,
        "number": values.get("number"),
        "theme": theme,
        "host_city": _host(network, values),
        "start": aware(values["start"], tz),
        "end": aware(values["end"], tz),
        "timezone": tz,
        "format": values["format"],
        "status": values["status"],
        "venue": values.get("venue", ""),
        "online_url": values.get("online_url", ""),
        "capacity": values.get("capacity"),
        "offer_hours": values.get("offer_hours"),
        "requires_approval": values.get("requires_approval", False),
        "city_quota": values.get("city_quota"),
        "registration_opens": aware_or_none(values.get("registration_opens"), tz),
        "registration_deadline": aware_or_none(values.get("registration_deadline"), tz),
        **trs(values, MEETING_TEXTS),
    }


def _host(network, values: dict) -> City | None:
    """The host named by an entry: a city of its network, or of the programme for a meeting of
    the whole programme (the conference: docs/DESIGN.md rule 5)."""
    if "host" not in values:
        return None
    if network is not None:
        return network.memberships.select_related("city").get(city__name=values["host"]).city
    return programme_city(Programme.objects.get(slug=values["programme"]), values["host"])


AGENDA_ITEM = Shape(required="theme description", optional="topics", texts="description")
PLANNED = Shape(
    required="host day format status", optional="venue engaged_only", dates="day", choices=FORMATS
)
PLAN = Shape(required="country title meetings", texts="title", nested={"meetings": PLANNED})
MEMBER = Shape(required="city role", optional="region", choices={"role": Role.values})
TOPIC = Shape(required="name", texts="name")
MATERIAL = Shape(required="title url", texts="title")

SECTIONS = {
    "programmes": Section(
        Shape(
            required="slug start_date end_date name",
            optional="funding signatory_name logo",
            texts=PROGRAMME_TEXTS,
            dates="start_date end_date",
            validators={"languages": validate_languages},
        ),
        programme_load,
    ),
    "themes": Section(
        Shape(
            required="programme name",
            optional="groups open_to_all",
            texts="name",
            nested={"topics": TOPIC},
        ),
        theme_load,
        ordered=True,
    ),
    "networks": Section(
        Shape(required="programme country", nested={"members": MEMBER}), network_load
    ),
    "national_exchanges": Section(
        Shape(
            required="programme hours_online hours_in_person venue online_url capacity "
            "registration_closes_days_before moved_online_note agenda plans",
            texts="moved_online_note",
            nested={"agenda": AGENDA_ITEM, "plans": PLAN},
        ),
        national_exchanges_load,
    ),
    "meetings": Section(
        Shape(
            required="programme kind title start end format status",
            optional="network timezone theme topics online_url number host venue capacity "
            "offer_hours requires_approval city_quota",
            texts=MEETING_TEXTS,
            datetimes="start end registration_opens registration_deadline",
            choices={"kind": MeetingKind.values, **FORMATS},
            nested={"materials": MATERIAL, "sessions": SESSION, "questions": QUESTION},
        ),
        meeting_load,
    ),
}
