"""Who may see and do what (access.rules), the admin scoped by it: a permission matrix in the
manner of pretix's tests/control/test_permissions.py.

Personas: anonymous, city staff of a Polish city, the national coordinators of Poland and of
Sweden, a programme coordinator and a superuser, each with their real role (not a superuser with
a costume). Another network's object is a 404, never a 403: nothing leaks.
"""

import pytest
from django.contrib import admin

from access import rules
from access.admin import ScopedMixin
from access.models import Role, RoleKind
from cities.models import City, Contact
from exchanges.models import ExchangeMeeting, Registration

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    """One programme with a Polish and a Swedish network, a meeting and a registration in each,
    and another programme nobody here coordinates."""
    programme = factories.ProgrammeFactory(slug="exchange")
    poland = factories.NetworkFactory(programme=programme, country__code="PL")
    sweden = factories.NetworkFactory(programme=programme, country__code="SE")
    data = {"programme": programme, "PL": poland, "SE": sweden}
    for code, network in (("PL", poland), ("SE", sweden)):
        membership = factories.MembershipFactory(network=network)
        contact = factories.ContactFactory(city=membership.city)
        meeting = factories.MeetingFactory(network=network)
        registration = Registration.objects.create(
            meeting=meeting, contact=contact, status="confirmed", privacy_consent_at=meeting.start
        )
        data |= {
            f"{code}-city": membership.city,
            f"{code}-membership": membership,
            f"{code}-contact": contact,
            f"{code}-meeting": meeting,
            f"{code}-registration": registration,
        }
    data["other-meeting"] = factories.MeetingFactory()
    return data


def with_role(kind, programme, network=None, **user):
    person = factories.UserFactory(**user)
    Role.objects.create(user=person, kind=kind, programme=programme, network=network)
    return person


@pytest.fixture
def personas(world):
    staff_user = factories.UserFactory(email="staff@pl-city.example")
    world["PL-contact"].user = staff_user
    world["PL-contact"].save()
    programme = world["programme"]
    return {
        "anonymous": None,
        "city staff": staff_user,
        "national PL": with_role(RoleKind.NATIONAL_COORDINATOR, programme, world["PL"]),
        "national SE": with_role(RoleKind.NATIONAL_COORDINATOR, programme, world["SE"]),
        "programme": with_role(RoleKind.PROGRAMME_COORDINATOR, programme),
        "staff, no role": factories.UserFactory(is_staff=True),
        "superuser": factories.CoordinatorFactory(),
    }


PERSONAS = [
    "anonymous",
    "city staff",
    "staff, no role",
    "national PL",
    "national SE",
    "programme",
    "superuser",
]


def url(name, *args):
    from django.urls import reverse

    return reverse(f"admin:{name}", args=args)


# (url, {persona: status}); a persona missing from the dict expects the default of its column.
def matrix(world):
    pl, se = world["PL-meeting"], world["SE-meeting"]
    return [
        ("index", url("index"), {}),
        ("meetings", url("exchanges_exchangemeeting_changelist"), {}),
        ("PL meeting", url("exchanges_exchangemeeting_change", pl.pk), {"national SE": 404}),
        ("SE meeting", url("exchanges_exchangemeeting_change", se.pk), {"national PL": 404}),
        (
            "other programme's meeting",
            url("exchanges_exchangemeeting_change", world["other-meeting"].pk),
            {"national PL": 404, "national SE": 404, "programme": 404},
        ),
        ("add meeting", url("exchanges_exchangemeeting_add"), {}),
        (
            "PL registration",
            url("exchanges_registration_change", world["PL-registration"].pk),
            {"national SE": 404},
        ),
        (
            "SE contact",
            url("cities_contact_change", world["SE-contact"].pk),
            {"national PL": 404},
        ),
        (
            "PL membership",
            url("exchanges_membership_change", world["PL-membership"].pk),
            {"national SE": 404},
        ),
        # National coordinators read their programme; only its coordinators change it.
        ("programme", url("exchanges_programme_change", world["programme"].pk), {}),
        ("add programme", url("exchanges_programme_add"), {"national PL": 403, "national SE": 403}),
        (
            "consortium meetings",
            url("meetings_consortiummeeting_changelist"),
            {"national PL": 403, "national SE": 403},
        ),
        ("roles", url("access_role_changelist"), {"national PL": 403, "national SE": 403}),
        (
            "users",
            url("accounts_user_changelist"),
            {"national PL": 403, "national SE": 403, "programme": 403},
        ),
    ]


# What each persona gets where the row does not say otherwise: anonymous people are sent to
# sign in, people without a role are refused the admin, coordinators get the page.
DEFAULT = {
    "anonymous": 302,
    "city staff": 302,  # to the admin's sign-in, which refuses them (403)
    "staff, no role": 302,  # to the admin's sign-in, which says they may not enter
    "national PL": 200,
    "national SE": 200,
    "programme": 200,
    "superuser": 200,
}


def test_the_admin_permission_matrix(client, world, personas):
    got, expected = {}, {}
    for name, address, overrides in matrix(world):
        for persona in PERSONAS:
            client.logout()
            if personas[persona]:
                client.force_login(personas[persona])
            got[name, persona] = client.get(address).status_code
            expected[name, persona] = overrides.get(persona, DEFAULT[persona])
    wrong = {key: (got[key], expected[key]) for key in got if got[key] != expected[key]}
    assert wrong == {}


def test_a_national_coordinator_sees_only_their_networks_rows(world, personas):
    poland = personas["national PL"]
    meetings = rules.visible(poland, ExchangeMeeting.objects.all())
    assert list(meetings) == [world["PL-meeting"]]
    assert list(rules.visible(poland, City.objects.all())) == [world["PL-city"]]
    assert list(rules.visible(poland, Contact.objects.all())) == [world["PL-contact"]]


def test_a_national_coordinator_cannot_pick_another_countrys_city(client, world, personas):
    client.force_login(personas["national PL"])
    form = client.get(url("exchanges_membership_add")).context["adminform"].form
    assert list(form.fields["city"].queryset) == [world["PL-city"]]
    assert list(form.fields["network"].queryset) == [world["PL"]]


def test_a_national_coordinator_cannot_add_a_city_to_another_network(client, world, personas):
    client.force_login(personas["national PL"])
    sweden_city = factories.CityFactory(country=world["SE"].country)
    response = client.post(
        url("exchanges_membership_add"),
        {"network": world["SE"].pk, "city": sweden_city.pk, "role": "engaged"},
    )
    assert response.status_code == 200  # the form again, with errors
    assert not world["SE"].memberships.filter(city=sweden_city).exists()


def test_staff_without_a_role_coordinate_nothing(personas):
    assert not rules.is_coordinator(personas["staff, no role"])
    assert not rules.visible(personas["staff, no role"], ExchangeMeeting.objects.all()).exists()


def test_every_admin_and_inline_asks_the_access_rules():
    """A model admin or an inline that forgets its scope would show every network's rows."""
    unscoped = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in ("auth", "account", "sites"):
            continue
        classes = [type(model_admin), *model_admin.inlines]
        unscoped += [cls.__name__ for cls in classes if not issubclass(cls, ScopedMixin)]
    assert unscoped == []


def test_a_national_coordinator_has_the_applications_and_visits_of_their_country(world, personas):
    from calls.models import Application
    from visits.models import Visit

    from .factories_calls import ApplicationFactory, CallFactory
    from .factories_visits import RoundFactory, VisitFactory

    call = CallFactory(programme=world["programme"])
    polish = ApplicationFactory(call=call, city=factories.CityFactory(country=world["PL"].country))
    ApplicationFactory(call=call, city=factories.CityFactory(country=world["SE"].country))
    review_round = RoundFactory(programme=world["programme"])
    visit = VisitFactory(round=review_round, host=world["PL-city"])
    VisitFactory(round=review_round, host=world["SE-city"])

    poland = personas["national PL"]
    assert list(rules.visible(poland, Application.objects.all())) == [polish]
    assert list(rules.visible(poland, Visit.objects.all())) == [visit]
    assert rules.visible(personas["programme"], Visit.objects.all()).count() == 2
    assert not rules.may(poland, "change", type(review_round), review_round)
