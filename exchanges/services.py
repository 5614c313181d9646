"""The rules of national networks: checking a network's plan and proposing a host rotation.

docs/DESIGN.md rule 1: a national network plans six national exchange meetings; every pioneer city
hosts two, one engaged city hosts one and, where the network has one, the special-award city
hosts one. Meetings held online have no host and fill the remaining places.
"""

import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from cities.models import City, Country

from .models import (
    ExchangeMeeting,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    Membership,
    NationalNetwork,
    Role,
)

MEETINGS_PER_NETWORK = 6
PIONEER_HOSTS = 2
SATURDAY = 5  # date.weekday(): Monday is 0
MEETING_START = dt.time(10)
MEETING_END = dt.time(16)

RoleLabel = Callable[[str], str]


@dataclass(frozen=True)
class ProposedMeeting:
    """One meeting of a proposed rotation; nothing is saved until the rotation is accepted."""

    number: int
    start: dt.datetime
    end: dt.datetime
    host_city: City | None
    title: str
    # The host's role in the network ("" for a meeting held online), for the coordinator's table.
    host_role: str = ""


def count_word(number: int) -> str:
    """Small counts as words ("hosts two"), the way the rule itself is written."""
    words = [
        # "no" alone is also the answer to a yes/no question; as a count it is another word.
        pgettext("count", "no"),
        _("one"),
        _("two"),
        _("three"),
        _("four"),
        _("five"),
        _("six"),
        _("seven"),
        _("eight"),
        _("nine"),
        _("ten"),
    ]
    return words[number] if 0 <= number < len(words) else str(number)


def network_plan_check(*, network: NationalNetwork) -> list[str]:
    """Every way the network's national exchanges deviate from docs/DESIGN.md rule 1.

    Returns one sentence per deviation, in the programme's own words for the roles, or an empty
    list when the plan follows the rule. Cancelled meetings do not count; meetings without a host
    (held online) count towards the six. Two queries whatever the size of the network, provided
    the network's programme is loaded with it (select_related("programme")).
    """
    meetings = list(_national_exchanges(network).select_related("host_city"))
    return plan_deviations(network=network, memberships=_memberships(network), meetings=meetings)


def plan_deviations(
    *, network: NationalNetwork, memberships: list[Membership], meetings: list[ExchangeMeeting]
) -> list[str]:
    """network_plan_check on rows already read: the network's memberships (with their cities)
    and its national exchanges (with their hosts), so that a page of many networks reads them
    all at once (the coordinator's cockpit)."""
    hosts = [
        meeting.host_city if meeting.host_city_id else None
        for meeting in meetings
        if meeting.status != MeetingStatus.CANCELLED
    ]
    return _deviations(network, memberships, hosts)


def _deviations(
    network: NationalNetwork, memberships: list[Membership], hosts: list[City | None]
) -> list[str]:
    """The deviations of a series whose meetings have these hosts (None: held online), planned
    or only proposed."""
    hosted = Counter(host for host in hosts if host is not None)
    label = network.programme.role_label
    return [
        *_composition_deviations(memberships, label),
        *_total_deviations(len(hosts)),
        *_pioneer_deviations(memberships, hosted, label),
        *_engaged_deviations(memberships, hosted, label),
        *_special_award_deviations(memberships, hosted, label),
        *_outsider_deviations(memberships, hosted, label),
    ]


def _memberships(network: NationalNetwork) -> list[Membership]:
    return list(
        Membership.objects.filter(network=network).select_related("city").order_by("city__name")
    )


def _national_exchanges(network: NationalNetwork) -> QuerySet[ExchangeMeeting]:
    return ExchangeMeeting.objects.filter(network=network, kind=MeetingKind.NATIONAL_EXCHANGE)


def _cities(memberships: list[Membership], role: str) -> list[City]:
    return [membership.city for membership in memberships if membership.role == role]


def _hosted_needed(memberships: list[Membership]) -> int:
    """Hosted meetings the roles call for: two per pioneer, one engaged, the special award."""
    pioneers = len(_cities(memberships, Role.PIONEER))
    specials = len(_cities(memberships, Role.SPECIAL_AWARD))
    return PIONEER_HOSTS * pioneers + 1 + specials


def _composition_deviations(memberships: list[Membership], label: RoleLabel) -> list[str]:
    deviations = []
    if not _cities(memberships, Role.PIONEER):
        deviations.append(_no_role_message(Role.PIONEER, label))
    if not _cities(memberships, Role.ENGAGED):
        deviations.append(_no_role_message(Role.ENGAGED, label))
    if _hosted_needed(memberships) > MEETINGS_PER_NETWORK:
        deviations.append(_too_many_hosts_message(memberships, label))
    return deviations


def _no_role_message(role: str, label: RoleLabel) -> str:
    if role == Role.PIONEER:
        return _("The network has no %(role)s; under the rule each one hosts two meetings.") % {
            "role": label(role)
        }
    return _("The network has no %(role)s; under the rule one of them hosts a meeting.") % {
        "role": label(role)
    }


def _too_many_hosts_message(memberships: list[Membership], label: RoleLabel) -> str:
    values = {
        "needed": count_word(_hosted_needed(memberships)),
        "pioneer": label(Role.PIONEER),
        "pioneers": count_word(len(_cities(memberships, Role.PIONEER))),
        "engaged": label(Role.ENGAGED),
        "special": label(Role.SPECIAL_AWARD),
    }
    if _cities(memberships, Role.SPECIAL_AWARD):
        message = _(
            "The network's roles need %(needed)s hosted meetings, more than the six the rule "
            "plans: two for each %(pioneer)s (it has %(pioneers)s), one for one %(engaged)s "
            "and one for the %(special)s."
        )
    else:
        message = _(
            "The network's roles need %(needed)s hosted meetings, more than the six the rule "
            "plans: two for each %(pioneer)s (it has %(pioneers)s) and one for one %(engaged)s."
        )
    return message % values


def _total_deviations(total: int) -> list[str]:
    if total == MEETINGS_PER_NETWORK:
        return []
    if total == 0:
        return [_("The network plans no national exchanges yet; the rule is six.")]
    message = ngettext(
        "The network plans %(count)s national exchange, not six.",
        "The network plans %(count)s national exchanges, not six.",
        total,
    )
    return [message % {"count": count_word(total)}]


def _hosts_message(city: City, role_label: str, count: int, rule: int) -> str:
    message = ngettext(
        "%(city)s (%(role)s) hosts %(count)s national exchange; the rule is %(rule)s.",
        "%(city)s (%(role)s) hosts %(count)s national exchanges; the rule is %(rule)s.",
        count,
    )
    return message % {
        "city": city.name,
        "role": role_label,
        "count": count_word(count),
        "rule": count_word(rule),
    }


def _pioneer_deviations(
    memberships: list[Membership], hosted: Counter, label: RoleLabel
) -> list[str]:
    return [
        _hosts_message(city, label(Role.PIONEER), hosted[city], PIONEER_HOSTS)
        for city in _cities(memberships, Role.PIONEER)
        if hosted[city] != PIONEER_HOSTS
    ]


def _engaged_deviations(
    memberships: list[Membership], hosted: Counter, label: RoleLabel
) -> list[str]:
    engaged = _cities(memberships, Role.ENGAGED)
    hosts = [city for city in engaged if hosted[city]]
    role = label(Role.ENGAGED)
    deviations = []
    if engaged and not hosts:
        deviations.append(
            _("No %(role)s hosts a national exchange; the rule is that one of them hosts one.")
            % {"role": role}
        )
    if len(hosts) > 1:
        deviations.append(
            _(
                "More than one %(role)s hosts a national exchange (%(cities)s); the rule is "
                "that exactly one does."
            )
            % {"role": role, "cities": ", ".join(city.name for city in hosts)}
        )
    deviations += [
        _hosts_message(city, role, hosted[city], 1) for city in hosts if hosted[city] > 1
    ]
    return deviations


def _special_award_deviations(
    memberships: list[Membership], hosted: Counter, label: RoleLabel
) -> list[str]:
    return [
        _hosts_message(city, label(Role.SPECIAL_AWARD), hosted[city], 1)
        for city in _cities(memberships, Role.SPECIAL_AWARD)
        if hosted[city] != 1
    ]


def _outsider_deviations(
    memberships: list[Membership], hosted: Counter, label: RoleLabel
) -> list[str]:
    """Hosts the rule does not name: mentors, and cities that are not in the network at all."""
    role_of = {membership.city: membership.role for membership in memberships}
    deviations = []
    for city in sorted(hosted, key=lambda city: city.name):
        values = {"city": city.name, "count": count_word(hosted[city])}
        if city not in role_of:
            message = ngettext(
                "%(city)s hosts %(count)s national exchange but is not a member of the network.",
                "%(city)s hosts %(count)s national exchanges but is not a member of the network.",
                hosted[city],
            )
            deviations.append(message % values)
        elif role_of[city] == Role.MENTOR:
            message = ngettext(
                "%(city)s (%(role)s) hosts %(count)s national exchange; under the rule, "
                "that role does not host.",
                "%(city)s (%(role)s) hosts %(count)s national exchanges; under the rule, "
                "that role does not host.",
                hosted[city],
            )
            deviations.append(message % {**values, "role": label(Role.MENTOR)})
    return deviations


@dataclass(frozen=True)
class RotationRow:
    """What a coordinator may change in a proposed meeting before accepting: its day and host
    (None: held online). The time, title and format follow from them."""

    day: dt.date
    host_city: City | None


@dataclass(frozen=True)
class Rotation:
    """A proposed series of national exchanges and every way it deviates from rule 1, so that a
    network whose cities cannot follow the rule still gets a plan, with the reason named."""

    meetings: list[ProposedMeeting]
    deviations: list[str]

    @property
    def rows(self) -> list[RotationRow]:
        return [RotationRow(m.start.date(), m.host_city) for m in self.meetings]


def network_rotation_propose(
    *, network: NationalNetwork, first_date: dt.date, last_date: dt.date
) -> Rotation:
    """A host rotation of six national exchanges that follows docs/DESIGN.md rule 1 where the
    network's cities allow it.

    The dates are spread evenly from first_date to last_date (both included), on weekdays where
    the period allows, 10:00 to 16:00 in the network country's time zone. Pioneers open and close
    the series, so that each one's two meetings lie far apart and no city hosts twice in a row;
    the engaged host (the first by name), the special-award city and any meeting held online come
    in between. A network whose roles cannot follow the rule (no pioneer, no engaged city, more
    hosts than six meetings) gets the nearest series, with its deviations. Raises
    ValidationError when the network already has national exchanges or the period cannot hold
    six meetings on different days.
    """
    _check_period(first_date, last_date)
    _check_not_planned(network)
    memberships = _memberships(network)
    hosts = _rotation_hosts(memberships)
    days = _spread_days(first_date, last_date, len(hosts))
    rows = [
        RotationRow(day, host.city if host else None) for day, host in zip(days, hosts, strict=True)
    ]
    return _rotation(network, memberships, rows)


def network_rotation_revise(*, network: NationalNetwork, rows: list[RotationRow]) -> Rotation:
    """The rotation with the days and hosts a coordinator changed in the proposal.

    Meetings are numbered in the order of their days. Raises ValidationError when the network
    already has national exchanges, two meetings share a day, or a host is not a city of the
    network; a series that deviates from rule 1 is returned with its deviations, for the
    coordinator to accept or change.
    """
    _check_not_planned(network)
    memberships = _memberships(network)
    _check_rows(rows, memberships)
    return _rotation(network, memberships, sorted(rows, key=lambda row: row.day))


def _check_rows(rows: list[RotationRow], memberships: list[Membership]) -> None:
    days = Counter(row.day for row in rows)
    shared = sorted(day for day, count in days.items() if count > 1)
    if shared:
        raise ValidationError(
            _("Two meetings are on %(day)s; each national exchange needs a day of its own."),
            code="same_day",
            params={"day": formats.date_format(shared[0])},
        )
    members = {membership.city for membership in memberships}
    outsiders = sorted(
        {row.host_city.name for row in rows if row.host_city and row.host_city not in members}
    )
    if outsiders:
        raise ValidationError(
            _("%(city)s is not a city of the network; choose a member city or online."),
            code="host_not_member",
            params={"city": outsiders[0]},
        )


def _rotation(
    network: NationalNetwork, memberships: list[Membership], rows: list[RotationRow]
) -> Rotation:
    country = network.country
    tz = zoneinfo.ZoneInfo(country.timezone)
    role_of = {membership.city: membership.role for membership in memberships}
    meetings = [
        ProposedMeeting(
            number=number,
            start=dt.datetime.combine(row.day, MEETING_START, tzinfo=tz),
            end=dt.datetime.combine(row.day, MEETING_END, tzinfo=tz),
            host_city=row.host_city,
            host_role=role_of.get(row.host_city, "") if row.host_city else "",
            title=_meeting_title(number, country),
        )
        for number, row in enumerate(rows, start=1)
    ]
    hosts = [meeting.host_city for meeting in meetings]
    return Rotation(meetings, _deviations(network, memberships, hosts))


def _check_period(first_date: dt.date, last_date: dt.date) -> None:
    if last_date < first_date:
        raise ValidationError(
            _("The last date (%(last)s) is before the first date (%(first)s)."),
            code="dates_reversed",
            params={
                "first": formats.date_format(first_date),
                "last": formats.date_format(last_date),
            },
        )
    days = (last_date - first_date).days + 1
    if days < MEETINGS_PER_NETWORK:
        raise ValidationError(
            ngettext(
                "The period has %(days)s day; six meetings need at least six different days.",
                "The period has %(days)s days; six meetings need at least six different days.",
                days,
            ),
            code="period_too_short",
            params={"days": days},
        )


def _check_not_planned(network: NationalNetwork) -> None:
    # Any national exchange, even a cancelled one, keeps its number, so a second series of six
    # would collide with it; the coordinator edits the existing plan instead.
    existing = _national_exchanges(network).count()
    if existing:
        raise ValidationError(
            ngettext(
                "%(network)s already has %(count)s national exchange; a rotation is proposed "
                "only for a network that has none.",
                "%(network)s already has %(count)s national exchanges; a rotation is proposed "
                "only for a network that has none.",
                existing,
            ),
            code="already_planned",
            params={"network": network, "count": existing},
        )


def _rotation_hosts(memberships: list[Membership]) -> list[Membership | None]:
    """The host of each of the six meetings in order; None is a meeting held online.

    Where the roles call for more hosted meetings than six, the series stops at six and the
    last pioneers host once; where they call for fewer, meetings held online fill the rest.
    """
    pioneers = [m for m in memberships if m.role == Role.PIONEER]
    engaged = [m for m in memberships if m.role == Role.ENGAGED]
    special = [m for m in memberships if m.role == Role.SPECIAL_AWARD]
    hosted_middle = [*engaged[:1], *special]
    online = max(MEETINGS_PER_NETWORK - PIONEER_HOSTS * len(pioneers) - len(hosted_middle), 0)
    # Online meetings alternate with the hosted ones in the middle, so they do not bunch up.
    middle: list[Membership | None] = []
    for host in hosted_middle:
        middle.append(host)
        if online:
            middle.append(None)
            online -= 1
    middle += [None] * online
    return [*pioneers, *middle, *pioneers][:MEETINGS_PER_NETWORK]


def _spread_days(first_date: dt.date, last_date: dt.date, count: int) -> list[dt.date]:
    """count days spread evenly over the period, a weekend day moved to the nearest free
    weekday within it (national exchanges are working days for city staff)."""
    # With at least `count` days in the period, the steps are at least a day: every day differs.
    span = (last_date - first_date).days
    days = [first_date + dt.timedelta(days=i * span // (count - 1)) for i in range(count)]
    for index, day in enumerate(days):
        if day.weekday() < SATURDAY:
            continue
        # Saturday tries Friday, then Monday; Sunday tries Monday, then Friday.
        shifts = (-1, 2) if day.weekday() == SATURDAY else (1, -2)
        for shift in shifts:
            moved = day + dt.timedelta(days=shift)
            if first_date <= moved <= last_date and moved not in days:
                days[index] = moved
                break
    return sorted(days)


def _meeting_title(number: int, country: Country) -> str:
    return _("National exchange %(number)s – %(country)s") % {
        "number": number,
        "country": country.name,
    }


def network_rotation_accept(
    *, network: NationalNetwork, rows: list[RotationRow]
) -> list[ExchangeMeeting]:
    """Create the national exchanges of a rotation: the proposal's rows as the coordinator
    left them (network_rotation_revise).

    Raises ValidationError, and creates nothing, for the same reasons the revision does. A
    rotation that deviates from rule 1 is created as it is: the coordinator saw its deviations,
    and the network's plan check goes on naming them.
    """
    with transaction.atomic():
        # Lock the network so that two coordinators accepting at once cannot both create a
        # series: the second waits here, then the revision finds the first one's meetings.
        locked = (
            NationalNetwork.objects.select_for_update(of=("self",))
            .select_related("programme", "country")
            .get(pk=network.pk)
        )
        rotation = network_rotation_revise(network=locked, rows=rows)
        return [
            _meeting_create(network=locked, proposed=proposed) for proposed in rotation.meetings
        ]


def _meeting_create(*, network: NationalNetwork, proposed: ProposedMeeting) -> ExchangeMeeting:
    # The title is stored in English, the fallback language; translators add the others.
    with translation.override("en"):
        title_en = _meeting_title(proposed.number, network.country)
    meeting = ExchangeMeeting(
        programme=network.programme,
        network=network,
        kind=MeetingKind.NATIONAL_EXCHANGE,
        number=proposed.number,
        title_en=title_en,
        host_city=proposed.host_city,
        start=proposed.start,
        end=proposed.end,
        timezone=network.country.timezone,
        format=MeetingFormat.IN_PERSON if proposed.host_city else MeetingFormat.ONLINE,
        status=MeetingStatus.PLANNED,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


def membership_country_warning(*, membership: Membership) -> str | None:
    """A warning when a city joins the network of another country than its own.

    A national network is one country's cities (docs/DESIGN.md, domain: one network per partner
    country), so a city of another country is most often a wrong pick; a programme may still
    include a neighbouring city, so this warns rather than refuses (issue 11, section 5).
    """
    city, network = membership.city, membership.network
    if city.country_id == network.country_id:
        return None
    return _(
        "%(city)s is in %(city_country)s, not in %(network_country)s like the rest of "
        "%(network)s. A neighbouring city may take part; otherwise choose the network of "
        "%(city_country)s."
    ) % {
        "city": city.name,
        "city_country": city.country,
        "network_country": network.country,
        "network": network,
    }
