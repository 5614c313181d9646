"""The coordinator's admin: every page answers, lists stay cheap, rules show as errors."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access import models as access
from exchanges.models import (
    ExchangeMeeting,
    MeetingKind,
    NationalNetwork,
    Registration,
    RegistrationStatus,
    Role,
    Theme,
)
from exchanges.services import network_rotation_propose
from meetings.models import ActionItem

from . import factories

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def build_world(country_code: str = "PL") -> NationalNetwork:
    """One of everything, so that every list and change page has something to show."""
    programme = factories.ProgrammeFactory(name="MULTIPLY", pioneer_label="forerunner city")
    network = factories.NetworkFactory(
        programme=programme, country=factories.CountryFactory(code=country_code)
    )
    pioneer = factories.MembershipFactory(network=network, role=Role.PIONEER, city__name="Sztum")
    factories.MembershipFactory(network=network, role=Role.ENGAGED)
    contact = factories.ContactFactory(city=pioneer.city, user=factories.UserFactory())
    contact.target_groups.add(factories.TargetGroupFactory())
    theme = factories.ThemeFactory(programme=programme)
    topic = factories.TopicFactory(theme=theme)
    meeting = factories.MeetingFactory(network=network, host_city=pioneer.city, theme=theme)
    meeting.topics.add(topic)
    factories.MaterialFactory(meeting=meeting)
    attendance = factories.AttendanceFactory(
        meeting__programme=programme, meeting__number=1, status="absent"
    )
    factories.ActionItemFactory(meeting=attendance.meeting, owner=attendance.partner)
    registration(meeting, contact, RegistrationStatus.CONFIRMED)
    return network


def registration(meeting, contact, status, **fields) -> Registration:
    return Registration.objects.create(
        meeting=meeting, contact=contact, status=status, privacy_consent_at=timezone.now(), **fields
    )


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize("model", REGISTERED, ids=[m._meta.label for m in REGISTERED])
def test_every_admin_list_add_and_change_page_answers(admin_client, coordinator, rf, world, model):
    request = rf.get("/admin/")
    request.user = coordinator

    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    # An admin may refuse additions on purpose (rows that only a service creates).
    if admin.site._registry[model].has_add_permission(request):
        assert admin_client.get(admin_url(model, "add")).status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_every_list_search_answers(admin_client, world):
    for model, model_admin in admin.site._registry.items():
        if model_admin.search_fields:
            response = admin_client.get(admin_url(model, "changelist"), {"q": "Sztum"})
            assert response.status_code == 200, model


OWN_MODELS = [m for m in REGISTERED if m._meta.app_label in {"cities", "exchanges", "meetings"}]


@pytest.mark.parametrize("model", OWN_MODELS, ids=[m._meta.label for m in OWN_MODELS])
def test_every_list_costs_the_same_for_one_and_two_of_everything(admin_client, model):
    url = admin_url(model, "changelist")
    build_world("PL")
    admin_client.get(url)  # the session and the content types are cached after this

    with CaptureQueriesContext(connection) as one:
        admin_client.get(url)
    build_world("SE")
    with CaptureQueriesContext(connection) as two:
        admin_client.get(url)

    assert len(two) == len(one), [query["sql"] for query in two]


def meeting_with_its_own_network(number: int) -> ExchangeMeeting:
    membership = factories.MembershipFactory(role=Role.PIONEER)
    theme = factories.ThemeFactory(programme=membership.network.programme)
    return factories.MeetingFactory(
        network=membership.network,
        host_city=membership.city,
        theme=theme,
        start=timezone.now() + dt.timedelta(days=number * 40),
    )


@pytest.mark.parametrize("meetings", [1, 30])
def test_the_meeting_list_costs_the_same_for_1_and_30_meetings(
    admin_client, django_assert_num_queries, meetings
):
    for number in range(meetings):
        meeting_with_its_own_network(number)
    url = admin_url(ExchangeMeeting, "changelist")
    admin_client.get(url)  # the session and the content types are cached after this

    with django_assert_num_queries(10):
        response = admin_client.get(url)

    assert response.status_code == 200


# National networks and rule 1


def test_the_network_page_shows_how_the_plan_deviates_from_rule_1(admin_client, world):
    response = admin_client.get(admin_url(NationalNetwork, "change", world.pk))

    assert "Sztum (forerunner city) hosts one national exchange; the rule is two." in (
        response.text
    )
    assert "Propose host rotation" in response.text


def test_the_network_page_says_when_the_plan_follows_the_rule(admin_client):
    network = factories.NetworkFactory()
    pioneers = [factories.MembershipFactory(network=network, role=Role.PIONEER) for _ in "ab"]
    engaged = factories.MembershipFactory(network=network, role=Role.ENGAGED)
    hosts = [pioneers[0], pioneers[1], engaged, None, pioneers[0], pioneers[1]]
    for number, host in enumerate(hosts, start=1):
        factories.MeetingFactory(network=network, number=number, host_city=host and host.city)

    response = admin_client.get(admin_url(NationalNetwork, "change", network.pk))

    assert "The plan follows the rule." in response.text


def test_the_check_action_reports_every_selected_network(admin_client, world):
    other = factories.NetworkFactory(country=factories.CountryFactory(code="SE"))

    response = admin_client.post(
        admin_url(NationalNetwork, "changelist"),
        {"action": "check_plans", "_selected_action": [world.pk, other.pk]},
        follow=True,
    )

    text = response.text
    assert "Sztum (forerunner city) hosts one national exchange; the rule is two." in text
    assert f"{other}: The network has no pioneer city" in text


def test_the_rotation_form_asks_for_the_period(admin_client, world):
    response = admin_client.get(admin_url(NationalNetwork, "rotation", world.pk))

    assert response.status_code == 200
    assert 'name="first_date"' in response.text and 'name="last_date"' in response.text


@pytest.fixture
def unplanned():
    network = factories.NetworkFactory()
    for role in (Role.PIONEER, Role.PIONEER, Role.ENGAGED, Role.SPECIAL_AWARD):
        factories.MembershipFactory(network=network, role=role)
    return network


PERIOD = {"first_date": "2020-02-26", "last_date": "2021-06-30"}


def rows_of(network, change=None) -> dict:
    """The rotation form's rows as proposed for PERIOD, with `change` ({number: (day, host)})
    applied: what a coordinator's browser posts back."""
    proposal = network_rotation_propose(
        network=network, first_date=dt.date(2020, 2, 26), last_date=dt.date(2021, 6, 30)
    )
    data = {**PERIOD, "form-TOTAL_FORMS": "6", "form-INITIAL_FORMS": "6"}
    for index, row in enumerate(proposal.rows):
        day, host = (change or {}).get(index + 1, (row.day, row.host_city))
        data[f"form-{index}-day"] = day.isoformat()
        data[f"form-{index}-host_city"] = host.pk if host else ""
    return data


def test_the_rotation_form_shows_bad_dates_and_creates_nothing(admin_client, unplanned):
    url = admin_url(NationalNetwork, "rotation", unplanned.pk)

    response = admin_client.post(
        url, {"first_date": "2021-06-30", "last_date": "2020-02-26", "propose": "1"}
    )

    assert response.status_code == 200
    assert "The last date (26 February 2020) is before the first date (30 June 2021)." in (
        response.text
    )
    assert not ExchangeMeeting.objects.exists()


def test_the_rotation_form_shows_a_missing_date(admin_client, unplanned):
    url = admin_url(NationalNetwork, "rotation", unplanned.pk)

    response = admin_client.post(url, {"first_date": "2020-02-26", "last_date": ""})

    assert "This field is required." in response.text
    assert not ExchangeMeeting.objects.exists()


def test_the_rotation_preview_shows_six_meetings_and_creates_none(admin_client, unplanned):
    url = admin_url(NationalNetwork, "rotation", unplanned.pk)

    response = admin_client.post(url, {**PERIOD, "propose": "1"})

    assert response.text.count('class="proposed-meeting"') == 6
    assert 'name="accept"' in response.text
    assert not ExchangeMeeting.objects.exists()


def test_the_rotation_preview_shows_each_meetings_weekday(admin_client, unplanned):
    url = admin_url(NationalNetwork, "rotation", unplanned.pk)

    response = admin_client.post(url, {**PERIOD, "propose": "1"})

    # 2020-02-26, the first day of the period, was a Wednesday.
    assert "<td>Wednesday</td>" in response.text
    assert "This rotation follows rule 1." in response.text


def test_a_changed_host_shows_the_deviation_before_anything_is_created(admin_client, unplanned):
    url = admin_url(NationalNetwork, "rotation", unplanned.pk)
    engaged = unplanned.memberships.get(role=Role.ENGAGED).city

    response = admin_client.post(
        url, {**rows_of(unplanned, {1: (dt.date(2020, 2, 26), engaged)}), "revise": "1"}
    )

    assert "Deviations from rule 1" in response.text
    assert f"{engaged.name} (engaged city) hosts two national exchanges; the rule is one." in (
        response.text
    )
    assert "Accept with these deviations" in response.text
    assert not ExchangeMeeting.objects.exists()


def test_a_network_without_an_engaged_city_gets_a_proposal_naming_it(admin_client):
    network = factories.NetworkFactory()
    factories.MembershipFactory(network=network, role=Role.PIONEER)

    response = admin_client.post(
        admin_url(NationalNetwork, "rotation", network.pk), {**PERIOD, "propose": "1"}
    )

    assert response.text.count('class="proposed-meeting') == 6
    assert "The network has no engaged city; under the rule one of them hosts a meeting." in (
        response.text
    )


def test_accepting_an_edited_rotation_creates_the_edited_meetings(admin_client, unplanned):
    url = admin_url(NationalNetwork, "rotation", unplanned.pk)

    response = admin_client.post(
        url, {**rows_of(unplanned, {4: (dt.date(2020, 11, 3), None)}), "accept": "1"}
    )

    assert response.status_code == 302
    fourth = ExchangeMeeting.objects.get(network=unplanned, number=4)
    assert fourth.host_city is None
    assert fourth.start.date() == dt.date(2020, 11, 3)


def test_a_row_with_a_bad_date_is_shown_to_correct(admin_client, unplanned):
    url = admin_url(NationalNetwork, "rotation", unplanned.pk)
    data = {**rows_of(unplanned), "form-2-day": "not a date", "accept": "1"}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Enter a valid date." in response.text
    assert not ExchangeMeeting.objects.exists()


def test_accepting_the_rotation_creates_six_meetings(admin_client, unplanned):
    url = admin_url(NationalNetwork, "rotation", unplanned.pk)

    response = admin_client.post(url, {**rows_of(unplanned), "accept": "1"})

    assert response.status_code == 302
    assert response.url == admin_url(NationalNetwork, "change", unplanned.pk)
    assert ExchangeMeeting.objects.filter(network=unplanned).count() == 6
    page = admin_client.get(response.url)
    assert "6 national exchanges were planned" in page.text
    assert "The plan follows the rule." in page.text


def test_a_planned_network_gets_no_second_rotation(admin_client, world):
    url = admin_url(NationalNetwork, "rotation", world.pk)

    response = admin_client.post(url, {**PERIOD, "propose": "1"})

    assert response.status_code == 200
    assert "already has 1 national exchange" in response.text
    assert ExchangeMeeting.objects.count() == 1


def with_role(kind, network):
    user = factories.UserFactory()
    access.Role.objects.create(
        user=user,
        kind=kind,
        programme=network.programme,
        network=network if kind == access.RoleKind.NATIONAL_COORDINATOR else None,
    )
    return user


def test_staff_without_a_role_cannot_plan_a_rotation(client, unplanned):
    client.force_login(factories.UserFactory(is_staff=True))

    response = client.post(admin_url(NationalNetwork, "rotation", unplanned.pk), PERIOD)

    assert response.status_code == 302  # to the admin's sign-in: no role, no admin
    assert not ExchangeMeeting.objects.exists()


def test_a_national_coordinator_reads_the_network_but_does_not_plan_it(client, unplanned):
    client.force_login(with_role(access.RoleKind.NATIONAL_COORDINATOR, unplanned))

    page = client.get(admin_url(NationalNetwork, "change", unplanned.pk))
    response = client.post(admin_url(NationalNetwork, "rotation", unplanned.pk), PERIOD)

    assert page.status_code == 200
    assert "Propose host rotation" not in page.text
    assert response.status_code == 403
    assert not ExchangeMeeting.objects.exists()


def test_the_programmes_coordinator_may_plan(client, unplanned):
    client.force_login(with_role(access.RoleKind.PROGRAMME_COORDINATOR, unplanned))

    page = client.get(admin_url(NationalNetwork, "change", unplanned.pk))
    response = client.post(
        admin_url(NationalNetwork, "rotation", unplanned.pk),
        {**rows_of(unplanned), "accept": "1"},
    )

    assert "Propose host rotation" in page.text
    assert response.status_code == 302
    assert ExchangeMeeting.objects.count() == 6


# Exchange meetings


def meeting_form(network, **changes) -> dict:
    start = timezone.localtime() + dt.timedelta(days=30)
    data = {
        "programme": network.programme_id,
        "network": network.pk,
        "kind": MeetingKind.NATIONAL_EXCHANGE,
        "number": "1",
        "title_en": "National exchange 1",
        "start_0": start.strftime("%Y-%m-%d"),
        "start_1": "10:00:00",
        "end_0": start.strftime("%Y-%m-%d"),
        "end_1": "16:00:00",
        "timezone": "Europe/Warsaw",
        "format": "in_person",
        "status": "planned",
        "materials-TOTAL_FORMS": "0",
        "materials-INITIAL_FORMS": "0",
        "materials-MIN_NUM_FORMS": "0",
        "materials-MAX_NUM_FORMS": "1000",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "wordings-TOTAL_FORMS": "0",
        "wordings-INITIAL_FORMS": "0",
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    return {**data, **changes}


def test_a_meeting_longer_than_31_days_is_refused_with_the_reason(admin_client):
    # The calendar's order relies on it (exchanges.calendar_pages): the database refuses it
    # too, and the form says why rather than failing.
    network = factories.NetworkFactory()
    later = (timezone.localtime() + dt.timedelta(days=62)).strftime("%Y-%m-%d")

    response = admin_client.post(
        admin_url(ExchangeMeeting, "add"), meeting_form(network, end_0=later)
    )

    assert response.status_code == 200
    assert "A meeting cannot last more than 31 days." in response.text
    assert not ExchangeMeeting.objects.exists()


def test_saving_a_meeting_with_a_host_outside_the_network_shows_the_error(admin_client):
    network = factories.NetworkFactory(country__name="Poland")
    outsider = factories.CityFactory(name="Warszawa")

    response = admin_client.post(
        admin_url(ExchangeMeeting, "add"), meeting_form(network, host_city=outsider.pk)
    )

    assert response.status_code == 200
    assert f"Warszawa is not a member of {network}" in response.text
    assert not ExchangeMeeting.objects.exists()


def test_saving_a_meeting_with_a_member_host_works(admin_client):
    membership = factories.MembershipFactory()

    response = admin_client.post(
        admin_url(ExchangeMeeting, "add"),
        meeting_form(membership.network, host_city=membership.city.pk),
    )

    assert response.status_code == 302
    assert ExchangeMeeting.objects.get().host_city == membership.city


def test_a_meeting_that_ends_before_it_starts_shows_the_error(admin_client):
    network = factories.NetworkFactory()

    response = admin_client.post(
        admin_url(ExchangeMeeting, "add"), meeting_form(network, end_1="09:00:00")
    )

    assert "A meeting cannot end before it starts." in response.text
    assert not ExchangeMeeting.objects.exists()


def test_meeting_times_are_typed_and_shown_in_the_meetings_time_zone(admin_client):
    membership = factories.MembershipFactory()
    form = meeting_form(membership.network, timezone="Europe/Helsinki")

    admin_client.post(admin_url(ExchangeMeeting, "add"), form)
    meeting = ExchangeMeeting.objects.get()
    page = admin_client.get(admin_url(ExchangeMeeting, "change", meeting.pk))

    assert meeting.start.astimezone(zoneinfo.ZoneInfo("Europe/Helsinki")).hour == 10
    assert 'name="start_1" value="10:00:00"' in page.text


def test_raising_a_meetings_capacity_gives_the_new_seat_to_the_first_person_waiting(
    admin_client,
):
    meeting = factories.MeetingFactory(number=1, capacity=1)
    first, second = factories.ContactFactory(), factories.ContactFactory()
    registration(meeting, first, RegistrationStatus.CONFIRMED)
    waiting = registration(meeting, second, RegistrationStatus.WAITING, waiting_number=1)

    response = admin_client.post(
        admin_url(ExchangeMeeting, "change", meeting.pk),
        meeting_form(meeting.network, capacity="2", waiting_list_enabled="on"),
    )

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_registrations_are_marked_attended_through_the_action(admin_client, world):
    confirmed = Registration.objects.get()
    waiting = registration(
        confirmed.meeting, factories.ContactFactory(), RegistrationStatus.WAITING, waiting_number=1
    )
    started = timezone.now() - dt.timedelta(hours=1)
    ExchangeMeeting.objects.filter(pk=confirmed.meeting_id).update(start=started)

    response = admin_client.post(
        admin_url(Registration, "changelist"),
        {"action": "mark_attended", "_selected_action": [confirmed.pk, waiting.pk]},
        follow=True,
    )

    assert "1 registration marked as “attended”" in response.text
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert (confirmed.status, waiting.status) == ("attended", "waiting")


# Themes: modeltranslation copies the unique name to every language's column


def test_two_themes_without_polish_names_can_be_added_to_a_programme(admin_client):
    programme = factories.ProgrammeFactory()
    url = admin_url(Theme, "add")
    base = {"programme": programme.pk, "order": "0", "_save": "Save"}
    inline = {f"topics-{key}": value for key, value in _empty_formset().items()}

    for name in ("Political leadership", "Citizen engagement"):
        response = admin_client.post(url, {**base, **inline, "name_en": name})
        assert response.status_code == 302, response.text

    assert Theme.objects.filter(programme=programme).count() == 2


def _empty_formset() -> dict:
    return {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1"}


# Consortium meetings and action items


def test_a_consortium_meeting_shows_the_items_carried_over(admin_client):
    first = factories.ConsortiumMeetingFactory(number=1, start_date=dt.date(2019, 1, 24))
    second = factories.ConsortiumMeetingFactory(
        programme=first.programme, number=2, start_date=dt.date(2019, 9, 30)
    )
    factories.ActionItemFactory(meeting=first, title="Organise the city competition")

    response = admin_client.get(admin_url(second, "change", second.pk))

    assert "Organise the city competition" in response.text
    assert "agreed at meeting 1" in response.text


def test_the_action_item_list_highlights_overdue_items(admin_client):
    factories.ActionItemFactory(title="Late", due_date=timezone.localdate() - dt.timedelta(1))
    factories.ActionItemFactory(title="In time", due_date=timezone.localdate() + dt.timedelta(1))

    response = admin_client.get(admin_url(ActionItem, "changelist"))
    overdue = admin_client.get(admin_url(ActionItem, "changelist"), {"overdue": "yes"})

    assert response.text.count("(overdue)") == 1
    assert "Late" in overdue.text and "In time" not in overdue.text
