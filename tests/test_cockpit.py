"""The coordinator's cockpit: what needs them now, scoped by their role, at a constant cost."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from access.models import Role, RoleKind
from exchanges.models import Invitation, Registration

from . import factories

pytestmark = pytest.mark.django_db


def coordinator_of(programme, network=None):
    user = factories.UserFactory()
    kind = RoleKind.NATIONAL_COORDINATOR if network else RoleKind.PROGRAMME_COORDINATOR
    Role.objects.create(user=user, kind=kind, programme=programme, network=network)
    return user


def programme_with_networks(count: int):
    programme = factories.ProgrammeFactory(slug=f"cockpit-{count}")
    for code in ["PL", "SE", "FI"][:count]:
        network = factories.NetworkFactory(programme=programme, country__code=code)
        membership = factories.MembershipFactory(network=network)
        contact = factories.ContactFactory(city=membership.city)
        meeting = factories.MeetingFactory(network=network, capacity=10)
        Registration.objects.create(
            meeting=meeting, contact=contact, status="confirmed", privacy_consent_at=meeting.start
        )
        Invitation.objects.create(meeting=meeting, contact=contact, opened_at=timezone.now())
        past = factories.MeetingFactory(
            network=network,
            title=f"Ended in {code}",
            start=timezone.now() - dt.timedelta(days=10),
            end=timezone.now() - dt.timedelta(days=10, hours=-5),
        )
        Registration.objects.create(
            meeting=past, contact=contact, status="confirmed", privacy_consent_at=past.start
        )
    return programme


@pytest.mark.parametrize("networks", [1, 3])
def test_the_cockpit_costs_the_same_queries_for_1_and_3_networks(
    client, networks, django_assert_num_queries
):
    programme = programme_with_networks(networks)
    client.force_login(coordinator_of(programme))
    client.get("/")  # the session is warm
    # session, user, roles, programme, networks, memberships, exchanges, upcoming, ended,
    # action items, calls, visits, failed messages
    with django_assert_num_queries(13):
        response = client.get(f"/manage/{programme.slug}/")
    assert response.status_code == 200
    assert response.text.count("1 of 10 taken") == networks
    assert response.text.count("attendance not recorded for 1 person") == networks


def test_a_national_coordinator_sees_their_network_only(client):
    programme = programme_with_networks(2)
    poland = programme.networks.get(country__code="PL")
    client.force_login(coordinator_of(programme, poland))

    response = client.get("/manage/", follow=True)

    assert response.redirect_chain[-1][0] == f"/manage/{programme.slug}/"
    assert "Ended in PL" in response.text
    assert "Ended in SE" not in response.text


def test_another_programme_is_not_there_and_people_without_a_role_are_refused(client):
    mine, theirs = programme_with_networks(1), factories.ProgrammeFactory(slug="theirs")
    client.force_login(coordinator_of(mine))
    assert client.get(f"/manage/{theirs.slug}/").status_code == 404

    client.force_login(factories.UserFactory(is_staff=True))
    assert client.get("/manage/").status_code == 403
    client.logout()
    assert client.get("/manage/").status_code == 302


def test_the_demo_cockpit_names_what_to_do_and_links_to_it(client, settings):
    call_command("load_demo", stdout=io.StringIO())
    from accounts.models import User

    client.force_login(User.objects.get(email="poland@pnec.example"))
    page = client.get("/manage/exchange-2027/").text

    assert "National exchange 2 (Poland): Open session in Sztum" in page
    assert "Helsingborg" not in page  # Sweden's exchange is not the Polish coordinator's
    assert "15 of 18 taken" in page
    assert "/admin/exchanges/registration/?meeting__id__exact=" in page
    assert "Call open: two to four new committed cities for 2027" in page
    assert "Peer visits 2027" in page
