"""The coordinator's cockpit: what needs them now, scoped by their role, at a constant cost."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from access.models import Role, RoleKind
from exchanges.models import Invitation, Registration
from notifications.models import Message

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
        factories.MessageFactory(meeting=meeting, last_error=f"550 no such user in {code}")
    return programme


@pytest.mark.parametrize("networks", [1, 3])
def test_the_cockpit_costs_the_same_queries_for_1_and_3_networks(
    client, networks, django_assert_num_queries
):
    programme = programme_with_networks(networks)
    client.force_login(coordinator_of(programme))
    client.get("/")  # the session is warm
    # session, user, roles, programme, networks, memberships, exchanges, upcoming, ended,
    # action items, calls, visits, messages not delivered
    with django_assert_num_queries(13):
        response = client.get(f"/manage/{programme.slug}/")
    assert response.status_code == 200
    assert response.text.count("1 of 10 taken") == networks
    assert response.text.count("attendance not recorded for 1 person") == networks
    assert response.text.count("550 no such user") == networks


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


# --- Messages not delivered (issue 14, item 1) ----------------------------------------------


def stuck_world():
    programme = factories.ProgrammeFactory(slug="stuck")
    meeting = factories.MeetingFactory(network__programme=programme)
    old = timezone.now() - dt.timedelta(hours=2)
    failed = factories.MessageFactory(
        meeting=meeting, recipient_name="Ewa Nowak", last_error="550 5.1.1 mailbox unknown"
    )
    delayed = factories.MessageFactory(
        meeting=meeting, status="queued", attempts=4, last_error="451 4.3.0 try again later"
    )
    fresh = factories.MessageFactory(meeting=meeting, status="queued", attempts=1)
    sent = factories.MessageFactory(
        meeting=meeting, status="sent", last_error="", sent_at=timezone.now()
    )
    elsewhere = factories.MessageFactory(last_error="550 in another programme")
    Message.objects.filter(pk__in=[failed.pk, delayed.pk, sent.pk, elsewhere.pk]).update(
        created_at=old
    )
    return programme, meeting, {"failed": failed, "delayed": delayed, "fresh": fresh}


def test_the_cockpit_lists_failed_and_long_refused_messages_with_the_reason(client):
    programme, _meeting, rows = stuck_world()
    client.force_login(coordinator_of(programme))

    response = client.get(f"/manage/{programme.slug}/")

    assert "Messages not delivered" in response.text
    assert "Ewa Nowak" in response.text and "550 5.1.1 mailbox unknown" in response.text
    assert "refused 4 times, trying again" in response.text
    assert rows["fresh"].subject not in response.text  # refused once, minutes ago: not yet
    assert "another programme" not in response.text


def test_one_button_sends_them_all_again_and_they_arrive(
    client, django_capture_on_commit_callbacks
):
    programme, _meeting, rows = stuck_world()
    client.force_login(coordinator_of(programme))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/manage/{programme.slug}/messages/resend/", follow=True)

    assert "2 messages are being sent again." in response.text
    assert sorted(m.subject for m in mail.outbox) == sorted(
        [rows["failed"].subject, rows["delayed"].subject]
    )
    assert Message.objects.get(pk=rows["failed"].pk).status == "sent"
    assert Message.objects.get(last_error="550 in another programme").status == "failed"
    assert "Messages not delivered" not in response.text


def test_a_national_coordinator_resends_their_networks_messages_only(client):
    programme, meeting, rows = stuck_world()
    other_network = factories.NetworkFactory(programme=programme, country__code="SE")
    theirs = factories.MessageFactory(
        meeting=factories.MeetingFactory(network=other_network), last_error="550 Swedish"
    )
    client.force_login(coordinator_of(programme, meeting.network))

    page = client.get(f"/manage/{programme.slug}/")
    client.post(f"/manage/{programme.slug}/messages/resend/")

    assert "550 5.1.1 mailbox unknown" in page.text and "550 Swedish" not in page.text
    assert Message.objects.get(pk=theirs.pk).status == "failed"
    assert Message.objects.get(pk=rows["failed"].pk).status != "failed"


def test_sending_again_is_a_post_for_coordinators_only(client):
    programme, _meeting, _rows = stuck_world()
    client.force_login(factories.UserFactory())

    assert client.post(f"/manage/{programme.slug}/messages/resend/").status_code == 403
    client.force_login(coordinator_of(programme))
    assert client.get(f"/manage/{programme.slug}/messages/resend/").status_code == 405
    other = factories.ProgrammeFactory(slug="other")
    assert client.post(f"/manage/{other.slug}/messages/resend/").status_code == 404
