"""docs/DESIGN.md rule 1: a national network's six exchanges, checked and proposed."""

import datetime as dt
import threading
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from exchanges.models import (
    ExchangeMeeting,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    NationalNetwork,
    Role,
)
from exchanges.services import (
    RotationRow,
    network_plan_check,
    network_rotation_accept,
    network_rotation_propose,
    network_rotation_revise,
)

from . import factories

pytestmark = pytest.mark.django_db

POLAND = {
    Role.PIONEER: ["Bydgoszcz", "Sztum"],
    Role.SPECIAL_AWARD: ["Piastów"],
    Role.ENGAGED: ["Grodzisk Mazowiecki", "Mińsk Mazowiecki", "Ostrołęka"],
}
FIRST = dt.date(2020, 2, 26)
LAST = dt.date(2021, 6, 30)


def network_with(roles: dict[str, list[str]], **programme) -> tuple[NationalNetwork, dict]:
    """A network whose cities have these roles; returns it with its cities by name."""
    network = factories.NetworkFactory(programme=factories.ProgrammeFactory(**programme))
    cities = {}
    for role, names in roles.items():
        for name in names:
            cities[name] = factories.MembershipFactory(
                network=network, role=role, city__name=name
            ).city
    return network, cities


def plan(network, *hosts, status=MeetingStatus.PLANNED) -> list[ExchangeMeeting]:
    """National exchanges hosted by these cities in turn (None: held online)."""
    start = ExchangeMeeting.objects.filter(network=network).count() + 1
    return [
        factories.MeetingFactory(
            network=network,
            number=number,
            host_city=host,
            status=status,
            format=MeetingFormat.IN_PERSON if host else MeetingFormat.ONLINE,
        )
        for number, host in enumerate(hosts, start=start)
    ]


def check(network) -> list[str]:
    return network_plan_check(network=NationalNetwork.objects.get(pk=network.pk))


def conforming_plan(network, c):
    return plan(
        network,
        c["Bydgoszcz"],
        c["Sztum"],
        c["Ostrołęka"],
        c["Piastów"],
        c["Bydgoszcz"],
        c["Sztum"],
    )


# The checker


def test_it_accepts_two_pioneers_twice_one_engaged_once_and_the_special_award_once():
    network, c = network_with(POLAND)
    conforming_plan(network, c)

    assert check(network) == []


def test_it_accepts_five_hosted_and_one_online_without_a_special_award_city():
    network, c = network_with({Role.PIONEER: ["Bydgoszcz", "Sztum"], Role.ENGAGED: ["Ostrołęka"]})
    b, s, o = c["Bydgoszcz"], c["Sztum"], c["Ostrołęka"]
    plan(network, b, s, o, None, b, s)

    assert check(network) == []


def test_it_says_five_is_not_six_without_the_online_meeting():
    network, c = network_with({Role.PIONEER: ["Bydgoszcz", "Sztum"], Role.ENGAGED: ["Ostrołęka"]})
    b, s, o = c["Bydgoszcz"], c["Sztum"], c["Ostrołęka"]
    plan(network, b, s, o, b, s)

    assert check(network) == ["The network plans five national exchanges, not six."]


def test_it_says_when_nothing_is_planned_yet():
    network, _c = network_with(POLAND)

    deviations = check(network)

    assert deviations[0] == "The network plans no national exchanges yet; the rule is six."
    assert "Bydgoszcz (pioneer city) hosts no national exchanges; the rule is two." in deviations
    assert "Piastów (special-award city) hosts no national exchanges; the rule is one." in (
        deviations
    )


def test_it_names_a_pioneer_that_hosts_once_in_the_programmes_words():
    network, c = network_with(POLAND, pioneer_label="forerunner city")
    b, s, o, p = c["Bydgoszcz"], c["Sztum"], c["Ostrołęka"], c["Piastów"]
    plan(network, b, s, o, p, s, None)

    assert check(network) == [
        "Bydgoszcz (forerunner city) hosts one national exchange; the rule is two.",
    ]


def test_it_says_plainly_when_three_pioneers_need_more_than_six_hosted_meetings():
    roles = {**POLAND, Role.PIONEER: ["Bydgoszcz", "Sztum", "Toruń"]}
    network, c = network_with(roles)
    conforming_plan(network, c)

    deviations = check(network)

    assert deviations[0] == (
        "The network's roles need eight hosted meetings, more than the six the rule plans: two "
        "for each pioneer city (it has three), one for one engaged city and one for the "
        "special-award city."
    )
    assert "Toruń (pioneer city) hosts no national exchanges; the rule is two." in deviations


def test_it_flags_two_engaged_cities_hosting():
    network, c = network_with(POLAND, engaged_label="committed city")
    b, s, p = c["Bydgoszcz"], c["Sztum"], c["Piastów"]
    plan(network, b, s, c["Ostrołęka"], p, b, s, c["Mińsk Mazowiecki"])

    deviations = check(network)

    assert (
        "More than one committed city hosts a national exchange (Mińsk Mazowiecki, Ostrołęka); "
        "the rule is that exactly one does." in deviations
    )
    assert "The network plans seven national exchanges, not six." in deviations


def test_it_flags_a_plan_in_which_no_engaged_city_hosts():
    network, c = network_with(POLAND)
    b, s, p = c["Bydgoszcz"], c["Sztum"], c["Piastów"]
    plan(network, b, s, p, None, b, s)

    assert check(network) == [
        "No engaged city hosts a national exchange; the rule is that one of them hosts one."
    ]


def test_it_flags_an_engaged_city_hosting_twice():
    network, c = network_with(POLAND)
    b, s, o = c["Bydgoszcz"], c["Sztum"], c["Ostrołęka"]
    plan(network, b, s, o, o, b, s)

    assert check(network) == [
        "Ostrołęka (engaged city) hosts two national exchanges; the rule is one.",
        "Piastów (special-award city) hosts no national exchanges; the rule is one.",
    ]


def test_it_flags_a_mentor_hosting():
    roles = {**POLAND, Role.MENTOR: ["Kraków"]}
    network, c = network_with(roles, mentor_label="mentor city")
    b, s, o = c["Bydgoszcz"], c["Sztum"], c["Ostrołęka"]
    plan(network, b, s, o, c["Kraków"], b, s)

    assert check(network) == [
        "Piastów (special-award city) hosts no national exchanges; the rule is one.",
        "Kraków (mentor city) hosts one national exchange; under the rule, that role does not "
        "host.",
    ]


def test_it_flags_a_host_that_is_not_in_the_network():
    network, c = network_with(POLAND)
    b, s, o = c["Bydgoszcz"], c["Sztum"], c["Ostrołęka"]
    # The model's clean() refuses an outsider; factories skip clean(), as a data import might.
    plan(network, b, s, o, factories.CityFactory(name="Warszawa"), b, s)

    assert check(network) == [
        "Piastów (special-award city) hosts no national exchanges; the rule is one.",
        "Warszawa hosts one national exchange but is not a member of the network.",
    ]


def test_it_does_not_count_cancelled_meetings():
    network, c = network_with(POLAND)
    conforming_plan(network, c)
    plan(network, c["Bydgoszcz"], c["Mińsk Mazowiecki"], status=MeetingStatus.CANCELLED)

    assert check(network) == []


def test_it_ignores_meetings_other_than_national_exchanges():
    network, c = network_with(POLAND)
    conforming_plan(network, c)
    factories.MeetingFactory(network=network, kind=MeetingKind.STUDY_VISIT, host_city=c["Sztum"])

    assert check(network) == []


def test_it_says_when_the_network_has_no_pioneer_or_engaged_city():
    network, _c = network_with({Role.SPECIAL_AWARD: ["Piastów"]})

    deviations = check(network)

    assert deviations[:2] == [
        "The network has no pioneer city; under the rule each one hosts two meetings.",
        "The network has no engaged city; under the rule one of them hosts a meeting.",
    ]


def test_it_checks_a_plan_in_two_queries_whatever_its_size(django_assert_num_queries):
    small, _c = network_with({Role.PIONEER: ["Kerava"]})
    large, c = network_with(
        {**POLAND, Role.ENGAGED: [f"Engaged {n}" for n in range(20)], Role.MENTOR: ["Kraków"]}
    )
    conforming_plan(large, {**c, "Ostrołęka": c["Engaged 0"]})
    plan(large, *[c[f"Engaged {n}"] for n in range(1, 10)], None)

    for network in (small, large):
        network = NationalNetwork.objects.select_related("programme").get(pk=network.pk)
        with django_assert_num_queries(2):
            network_plan_check(network=network)


# The proposer


def propose(network, first_date=FIRST, last_date=LAST):
    """The proposal's meetings alone."""
    return network_rotation_propose(
        network=network, first_date=first_date, last_date=last_date
    ).meetings


def accept(network, first_date=FIRST, last_date=LAST):
    """Accept the proposal as it was made."""
    rotation = network_rotation_propose(network=network, first_date=first_date, last_date=last_date)
    return network_rotation_accept(network=network, rows=rotation.rows)


def hosts_of(proposal) -> list[str | None]:
    return [meeting.host_city.name if meeting.host_city else None for meeting in proposal]


def test_it_proposes_six_meetings_spread_evenly_over_the_period():
    network, _c = network_with(POLAND)

    proposal = propose(network)

    assert [meeting.number for meeting in proposal] == [1, 2, 3, 4, 5, 6]
    days = [meeting.start.date() for meeting in proposal]
    assert days[0] == FIRST and days[-1] == LAST
    # Evenly, give or take the two days that move a meeting off a weekend.
    step = (LAST - FIRST) / 5
    assert all(abs(day - (FIRST + i * step)) <= dt.timedelta(days=2) for i, day in enumerate(days))


def test_it_proposes_ten_to_four_in_the_countrys_time_zone():
    network, _c = network_with(POLAND)
    network.country.timezone = "Europe/Helsinki"
    network.country.save()

    proposal = propose(network)

    helsinki = zoneinfo.ZoneInfo("Europe/Helsinki")
    assert all(m.start.utcoffset() is not None for m in proposal)
    assert {m.start.astimezone(helsinki).time() for m in proposal} == {dt.time(10)}
    assert {m.end.astimezone(helsinki).time() for m in proposal} == {dt.time(16)}


def test_it_spreads_the_pioneers_and_never_lets_a_city_host_twice_in_a_row():
    network, _c = network_with(POLAND)

    proposal = propose(network)

    hosts = hosts_of(proposal)
    assert hosts == [
        "Bydgoszcz",
        "Sztum",
        "Grodzisk Mazowiecki",
        "Piastów",
        "Bydgoszcz",
        "Sztum",
    ]
    assert all(a != b for a, b in zip(hosts, hosts[1:], strict=False))


def test_it_proposes_an_online_meeting_when_there_is_no_special_award_city():
    network, _c = network_with({Role.PIONEER: ["Bydgoszcz", "Sztum"], Role.ENGAGED: ["Ostrołęka"]})

    proposal = propose(network)

    assert hosts_of(proposal) == ["Bydgoszcz", "Sztum", "Ostrołęka", None, "Bydgoszcz", "Sztum"]


def test_it_fills_a_one_pioneer_network_with_online_meetings_between_its_two():
    network, _c = network_with({Role.PIONEER: ["Sztum"], Role.ENGAGED: ["Ostrołęka"]})

    proposal = propose(network)

    hosts = hosts_of(proposal)
    assert hosts[0] == hosts[-1] == "Sztum"
    assert hosts.count(None) == 3


@pytest.mark.parametrize(
    "roles",
    [
        POLAND,
        {Role.PIONEER: ["Bydgoszcz", "Sztum"], Role.ENGAGED: ["Ostrołęka"]},
        {Role.PIONEER: ["Sztum"], Role.ENGAGED: ["Ostrołęka"], Role.SPECIAL_AWARD: ["Piastów"]},
        {**POLAND, Role.MENTOR: ["Kraków"]},
    ],
)
def test_an_accepted_proposal_follows_the_rule(roles):
    network, _c = network_with(roles)

    accept(network)

    assert check(network) == []


def test_it_refuses_a_network_that_already_has_national_exchanges():
    network, c = network_with(POLAND)
    plan(network, c["Sztum"], status=MeetingStatus.CANCELLED)

    with pytest.raises(ValidationError) as error:
        network_rotation_propose(network=network, first_date=FIRST, last_date=LAST)

    assert error.value.code == "already_planned"
    assert "already has 1 national exchange;" in error.value.messages[0]


def test_it_refuses_reversed_dates():
    network, _c = network_with(POLAND)

    with pytest.raises(ValidationError) as error:
        network_rotation_propose(network=network, first_date=LAST, last_date=FIRST)

    assert error.value.messages == [
        "The last date (26 February 2020) is before the first date (30 June 2021)."
    ]


def test_it_refuses_a_period_shorter_than_six_days():
    network, _c = network_with(POLAND)

    with pytest.raises(ValidationError) as error:
        network_rotation_propose(
            network=network, first_date=FIRST, last_date=FIRST + dt.timedelta(days=4)
        )

    assert error.value.messages == [
        "The period has 5 days; six meetings need at least six different days."
    ]


def test_it_proposes_six_meetings_on_six_consecutive_days():
    network, _c = network_with(POLAND)

    proposal = propose(network, last_date=FIRST + dt.timedelta(days=5))

    assert len({meeting.start.date() for meeting in proposal}) == 6


def rotation(network):
    return network_rotation_propose(network=network, first_date=FIRST, last_date=LAST)


def test_a_network_without_an_engaged_city_gets_a_proposal_with_the_deviation_named():
    network, _c = network_with(
        {Role.PIONEER: ["Bydgoszcz", "Sztum"]}, engaged_label="committed city"
    )

    proposed = rotation(network)

    assert hosts_of(proposed.meetings) == ["Bydgoszcz", "Sztum", None, None, "Bydgoszcz", "Sztum"]
    assert proposed.deviations == [
        "The network has no committed city; under the rule one of them hosts a meeting."
    ]


def test_a_network_without_a_pioneer_city_gets_a_proposal_with_the_deviation_named():
    network, _c = network_with({Role.ENGAGED: ["Ostrołęka"]})

    proposed = rotation(network)

    assert hosts_of(proposed.meetings) == ["Ostrołęka", None, None, None, None, None]
    assert proposed.deviations == [
        "The network has no pioneer city; under the rule each one hosts two meetings."
    ]


def test_roles_that_need_more_than_six_hosted_meetings_get_six_with_the_deviations_named():
    network, _c = network_with({**POLAND, Role.PIONEER: ["Bydgoszcz", "Sztum", "Toruń"]})

    proposed = rotation(network)

    assert hosts_of(proposed.meetings) == [
        "Bydgoszcz",
        "Sztum",
        "Toruń",
        "Grodzisk Mazowiecki",
        "Piastów",
        "Bydgoszcz",
    ]
    assert "need eight hosted meetings, more than the six" in proposed.deviations[0]
    assert proposed.deviations[1:] == [
        "Sztum (pioneer city) hosts one national exchange; the rule is two.",
        "Toruń (pioneer city) hosts one national exchange; the rule is two.",
    ]


def test_a_proposal_that_follows_the_rule_names_no_deviation():
    network, _c = network_with(POLAND)

    assert rotation(network).deviations == []


def test_it_moves_a_meeting_off_the_weekend():
    network, _c = network_with(POLAND)
    # Mondays to Sundays: spread evenly, 2027-01-04 (Mon) to 2027-01-31 (Sun) puts meetings on
    # a Sunday and a Saturday.
    first, last = dt.date(2027, 1, 4), dt.date(2027, 1, 29)

    days = [meeting.start.date() for meeting in propose(network, first, last)]

    assert days[0] == first and days[-1] == last
    assert all(day.weekday() < 5 for day in days)
    assert len(set(days)) == 6


def test_a_period_of_weekends_only_keeps_its_days():
    network, _c = network_with(POLAND)
    first = dt.date(2027, 1, 2)  # a Saturday; six consecutive days, no room to move

    days = [meeting.start.date() for meeting in propose(network, first, first + dt.timedelta(5))]

    assert days == [first + dt.timedelta(days=i) for i in range(6)]


# Changing the proposal before accepting it


def test_a_revised_rotation_names_the_deviation_a_change_makes():
    network, c = network_with(POLAND)
    rows = rotation(network).rows
    rows[1] = RotationRow(rows[1].day, c["Ostrołęka"])

    revised = network_rotation_revise(network=network, rows=rows)

    assert hosts_of(revised.meetings)[1] == "Ostrołęka"
    assert revised.deviations == [
        "Sztum (pioneer city) hosts one national exchange; the rule is two.",
        "More than one engaged city hosts a national exchange (Grodzisk Mazowiecki, "
        "Ostrołęka); the rule is that exactly one does.",
    ]


def test_a_revised_rotation_is_numbered_by_date():
    network, c = network_with(POLAND)
    rows = rotation(network).rows
    rows[0] = RotationRow(rows[-1].day + dt.timedelta(days=7), rows[0].host_city)

    revised = network_rotation_revise(network=network, rows=rows)

    assert [m.number for m in revised.meetings] == [1, 2, 3, 4, 5, 6]
    assert revised.meetings[-1].host_city == c["Bydgoszcz"]
    assert revised.meetings[-1].title.startswith("National exchange 6")


def test_a_revision_refuses_two_meetings_on_one_day():
    network, _c = network_with(POLAND)
    rows = rotation(network).rows
    rows[1] = RotationRow(rows[0].day, rows[1].host_city)

    with pytest.raises(ValidationError) as error:
        network_rotation_revise(network=network, rows=rows)

    assert error.value.code == "same_day"


def test_a_revision_refuses_a_host_outside_the_network():
    network, _c = network_with(POLAND)
    rows = rotation(network).rows
    rows[2] = RotationRow(rows[2].day, factories.CityFactory(name="Kraków"))

    with pytest.raises(ValidationError) as error:
        network_rotation_revise(network=network, rows=rows)

    assert error.value.messages == [
        "Kraków is not a city of the network; choose a member city or online."
    ]


def test_accepting_an_edited_rotation_creates_the_edited_meetings():
    network, c = network_with(POLAND)
    rows = rotation(network).rows
    rows[3] = RotationRow(rows[3].day, None)

    network_rotation_accept(network=network, rows=rows)

    fourth = ExchangeMeeting.objects.get(network=network, number=4)
    assert fourth.host_city is None and fourth.format == MeetingFormat.ONLINE
    assert check(network) == [
        "Piastów (special-award city) hosts no national exchanges; the rule is one."
    ]


# Accepting


def test_accepting_creates_the_six_proposed_meetings():
    network, _c = network_with({Role.PIONEER: ["Bydgoszcz", "Sztum"], Role.ENGAGED: ["Ostrołęka"]})
    proposal = propose(network)

    created = accept(network)

    meetings = list(ExchangeMeeting.objects.filter(network=network).order_by("number"))
    assert meetings == created
    assert [(m.number, m.start, m.end, m.host_city) for m in meetings] == [
        (p.number, p.start, p.end, p.host_city) for p in proposal
    ]
    third = meetings[2]
    assert third.title_en == f"National exchange 3 – {network.country.name}"
    assert third.kind == MeetingKind.NATIONAL_EXCHANGE
    assert third.status == MeetingStatus.PLANNED
    assert third.format == MeetingFormat.IN_PERSON
    assert third.timezone == network.country.timezone
    assert third.programme == network.programme
    assert meetings[3].host_city is None and meetings[3].format == MeetingFormat.ONLINE


def test_accepting_twice_creates_nothing_the_second_time():
    network, _c = network_with(POLAND)
    accept(network)

    with pytest.raises(ValidationError):
        accept(network)

    assert ExchangeMeeting.objects.filter(network=network).count() == 6


def test_accepting_bad_dates_creates_nothing():
    network, _c = network_with(POLAND)

    with pytest.raises(ValidationError):
        accept(network, first_date=LAST, last_date=FIRST)

    assert not ExchangeMeeting.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_coordinators_accepting_at_once_create_one_series():
    network, _c = network_with(POLAND)
    barrier = threading.Barrier(5)
    errors = []

    def coordinator_accepts():
        try:
            barrier.wait()
            accept(network)
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=coordinator_accepts) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # The losers waited for the network's lock and then found the series: a clear refusal,
    # never a unique-constraint crash.
    assert [getattr(error, "code", error) for error in errors] == ["already_planned"] * 4
    assert ExchangeMeeting.objects.filter(network=network).count() == 6
