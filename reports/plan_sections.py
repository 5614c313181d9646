"""The plan's own sections: what the exchanges and meetings apps hold (see reports.plan).

MULTIPLY's plan is made of these; calls and visits add theirs from their AppConfig.ready().
Orders leave room between them: 15 the calls, 25 the mentors, 35 the peer visits.
"""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from exchanges.models import ExchangeMeeting, MeetingKind, Membership, Theme, Topic
from exchanges.selectors import programme_conference, programme_networks
from meetings.models import Attendance, ConsortiumMeeting, Partner

from .plan import register_plan_section

# Meetings that have a section of their own; the others are listed together.
OWN_SECTION = Q(kind=MeetingKind.NATIONAL_EXCHANGE, network__isnull=False) | Q(
    kind=MeetingKind.INTERNATIONAL_CONFERENCE
)


def introduction(programme) -> dict | None:
    if programme.peer_learning or programme.description:
        return {"peer_learning": programme.peer_learning, "description": programme.description}
    return None


def networks(programme) -> dict | None:
    """The networks that have cities, by role. A programme of one network (Motiva's pilots)
    simply has participants, not a list of countries."""
    every = programme_networks(programme=programme)
    items = [item for item in every if item["groups"]]
    if not items:
        return None
    if len(every) == 1:
        return {"networks": items, "single": True, "title": _("Participating municipalities")}
    return {"networks": items}


def schedules(programme) -> dict | None:
    """Each network's national exchanges, networks by country, meetings by date."""
    meetings = (
        ExchangeMeeting.objects.filter(programme=programme, kind=MeetingKind.NATIONAL_EXCHANGE)
        .filter(network__isnull=False)
        .select_related("network__country", "host_city", "theme")
        .prefetch_related("theme__target_groups")
        .order_by("network__country__name", "network_id", "start")
    )
    by_network = {}
    for meeting in meetings:
        item = by_network.setdefault(meeting.network_id, {"network": meeting.network})
        item.setdefault("exchanges", []).append(meeting)
    return {"schedules": list(by_network.values())} if by_network else None


def themes(programme) -> dict | None:
    """Topics and target groups get a column when some theme has them, and themes that have
    neither are a plain list; without topics the heading does not promise any."""
    items = list(
        programme.themes.prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("order", "name")), "target_groups"
        ).order_by("order", "name")
    )
    if not items:
        return None
    with_topics = any(theme.topics.all() for theme in items)
    with_groups = any(theme.target_groups.all() for theme in items)
    data = {"themes": items, "with_topics": with_topics, "with_groups": with_groups}
    if not with_topics:
        data["title"] = _("Themes")
    return data


def conference(programme) -> dict | None:
    found = programme_conference(programme=programme)
    return {"conference": found} if found else None


def meetings(programme) -> dict | None:
    """Workshops, webinars, study visits...: the programme's meetings not shown above."""
    items = list(
        ExchangeMeeting.objects.filter(programme=programme)
        .exclude(OWN_SECTION)
        .select_related("host_city")
        .order_by("start", "pk")
    )
    return {"meetings": items} if items else None


def consortium(programme) -> dict | None:
    absences = Attendance.objects.filter(
        status__in=[Attendance.Status.ABSENT, Attendance.Status.EXCUSED]
    ).select_related("partner")
    items = list(
        ConsortiumMeeting.objects.filter(programme=programme)
        .prefetch_related(Prefetch("attendances", queryset=absences, to_attr="absences"))
        .order_by("number")
    )
    return {"consortium_meetings": items} if items else None


def contacts(programme) -> dict | None:
    partners = list(Partner.objects.filter(programme=programme).select_related("country"))
    return {"partners": partners} if partners else None


def _meetings_of(programme, condition: Q):
    return ExchangeMeeting.objects.filter(condition, programme=programme)


def register() -> None:
    section = register_plan_section
    section(
        "peer-learning",
        order=10,
        title=_("What peer learning is, and why"),
        template="reports/plan/introduction.html",
        context=introduction,
    )
    section(
        "networks",
        order=20,
        title=_("National networks"),
        template="reports/plan/networks.html",
        context=networks,
        rows=lambda programme: Membership.objects.filter(network__programme=programme),
    )
    section(
        "schedules",
        order=30,
        title=_("Schedules of the national exchanges"),
        template="reports/plan/schedules.html",
        context=schedules,
        rows=lambda programme: _meetings_of(
            programme, Q(kind=MeetingKind.NATIONAL_EXCHANGE, network__isnull=False)
        ),
    )
    section(
        "themes",
        order=40,
        title=_("Themes, topics and target groups"),
        template="reports/plan/themes.html",
        context=themes,
        rows=lambda programme: Theme.objects.filter(programme=programme),
    )
    section(
        "conference",
        order=50,
        title=_("International conference"),
        template="reports/plan/conference.html",
        context=conference,
        rows=lambda programme: _meetings_of(
            programme, Q(kind=MeetingKind.INTERNATIONAL_CONFERENCE)
        ),
    )
    section(
        "meetings",
        order=60,
        title=_("Meetings"),
        template="reports/plan/meetings.html",
        context=meetings,
        rows=lambda programme: _meetings_of(programme, ~OWN_SECTION),
    )
    section(
        "consortium",
        order=70,
        title=_("Consortium meetings"),
        template="reports/plan/consortium.html",
        context=consortium,
        rows=lambda programme: ConsortiumMeeting.objects.filter(programme=programme),
    )
    section(
        "contacts",
        order=90,
        title=_("Contacts"),
        template="reports/plan/contacts.html",
        context=contacts,
    )
