"""E-mail to a chosen group (issue 14, item 6): the segments, scoped to the person sending; the
texts, checked when saved; sending now, twice, or on schedule by beat; and the admin's list,
preview, confirmation and delivery counts."""

import datetime as dt
from email.utils import parseaddr

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from access.models import Role, RoleKind
from campaigns.models import Campaign, CampaignStatus, CampaignText, SegmentKind
from campaigns.segments import campaign_recipients
from campaigns.selectors import campaigns_with_counts
from campaigns.services import (
    CampaignRefused,
    campaign_cancel,
    campaign_deliver,
    campaign_send,
)
from campaigns.tasks import send_due
from exchanges.models import Role as CityRole
from notifications.models import Message

from . import factories
from .conftest import CommittingClient
from .factories_calls import ApplicationFactory, CallFactory
from .factories_campaigns import ENGLISH, CampaignFactory
from .factories_visits import RoundFactory, VisitFactory

pytestmark = pytest.mark.django_db


POLISH = {
    **ENGLISH,
    "pl": ("Wiadomości dla {{ city_name }}", "Szanowni {{ recipient_name }},\n\nDo zobaczenia."),
}


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    return CommittingClient(client, django_capture_on_commit_callbacks)


@pytest.fixture
def world():
    """A programme with a Polish and a Swedish network. In Poland: Płock (engaged) with Ewa
    (Polish, energy) and Jan (inactive), Sztum (pioneer) with Anna (English, transport); in
    Sweden: Malmö (engaged) with Sven (Swedish)."""
    programme = factories.ProgrammeFactory(name="Energy Exchange")
    energy = factories.TargetGroupFactory(name="Energy managers")
    transport = factories.TargetGroupFactory(name="Transport planners")
    poland = factories.NetworkFactory(programme=programme, country__code="PL")
    sweden = factories.NetworkFactory(programme=programme, country__code="SE")
    plock = factories.MembershipFactory(network=poland, city__name="Płock").city
    sztum = factories.MembershipFactory(
        network=poland, city__name="Sztum", role=CityRole.PIONEER
    ).city
    malmo = factories.MembershipFactory(network=sweden, city__name="Malmö").city
    ewa = factories.ContactFactory(
        city=plock, first_name="Ewa", last_name="Nowak", language="pl", email="ewa@plock.example"
    )
    ewa.target_groups.set([energy])
    factories.ContactFactory(city=plock, first_name="Jan", is_active=False)
    anna = factories.ContactFactory(city=sztum, first_name="Anna", email="anna@sztum.example")
    anna.target_groups.set([transport])
    sven = factories.ContactFactory(
        city=malmo, first_name="Sven", language="sv", email="sven@malmo.example"
    )
    return {
        "programme": programme,
        "PL": poland,
        "SE": sweden,
        "energy": energy,
        "ewa": ewa,
        "anna": anna,
        "sven": sven,
        "national PL": _with_role(RoleKind.NATIONAL_COORDINATOR, programme, poland),
        "programme coordinator": _with_role(RoleKind.PROGRAMME_COORDINATOR, programme),
    }


def _with_role(kind, programme, network=None):
    person = factories.UserFactory()
    Role.objects.create(user=person, kind=kind, programme=programme, network=network)
    return person


def delivered() -> list[str]:
    """The addresses the outbox delivered to."""
    return sorted(parseaddr(to)[1] for message in mail.outbox for to in message.to)


def emails(campaign, user) -> list[str]:
    return sorted(r.email for r in campaign_recipients(campaign=campaign, user=user))


# --- Segments ------------------------------------------------------------------------------


def test_a_networks_contacts_by_city_role_are_the_active_ones(world):
    campaign = CampaignFactory(network=world["PL"], roles=[CityRole.ENGAGED])
    assert emails(campaign, world["programme coordinator"]) == ["ewa@plock.example"]

    campaign.roles = [CityRole.ENGAGED, CityRole.PIONEER]
    assert emails(campaign, world["programme coordinator"]) == [
        "anna@sztum.example",
        "ewa@plock.example",
    ]


def test_target_groups_narrow_a_networks_contacts(world):
    campaign = CampaignFactory(network=world["PL"], roles=[CityRole.ENGAGED, CityRole.PIONEER])
    campaign.target_groups.set([world["energy"]])

    assert emails(campaign, world["programme coordinator"]) == ["ewa@plock.example"]


def test_a_meetings_registrants_by_status(world):
    meeting = factories.MeetingFactory(network=world["PL"])
    factories.RegistrationFactory(meeting=meeting, contact=world["ewa"], status="confirmed")
    factories.RegistrationFactory(meeting=meeting, contact=world["anna"], status="cancelled")
    campaign = CampaignFactory(
        segment=SegmentKind.MEETING,
        meeting=meeting,
        network=world["PL"],
        roles=[],
        registration_statuses=["confirmed", "waiting"],
    )

    assert emails(campaign, world["national PL"]) == ["ewa@plock.example"]


def test_a_calls_applicants_by_state_each_address_once(world):
    call = CallFactory(programme=world["programme"])
    polish = factories.CityFactory(country=world["PL"].country)
    ApplicationFactory(call=call, city=polish, contact_email="Maria@Gmina.example")
    ApplicationFactory(call=call, contact_email="maria@gmina.example", city__country=polish.country)
    ApplicationFactory(call=call, status="rejected", contact_email="out@gmina.example")
    swedish = factories.CityFactory(country=world["SE"].country)
    ApplicationFactory(call=call, city=swedish, contact_email="lena@kommun.example")
    campaign = CampaignFactory(
        segment=SegmentKind.CALL,
        call=call,
        network=None,
        roles=[],
        application_states=["submitted", "shortlisted"],
    )

    assert emails(campaign, world["programme coordinator"]) == [
        "Maria@Gmina.example",
        "lena@kommun.example",
    ]
    # The national coordinator reaches the applicants of their country only.
    assert emails(campaign, world["national PL"]) == ["Maria@Gmina.example"]


def test_an_applicant_whose_address_is_an_inactive_contact_is_not_written_to(world):
    call = CallFactory(programme=world["programme"])
    gone = factories.ContactFactory(is_active=False, email="gone@gmina.example")
    ApplicationFactory(call=call, contact_email="GONE@gmina.example", city=gone.city)
    campaign = CampaignFactory(
        segment=SegmentKind.CALL,
        call=call,
        network=None,
        roles=[],
        application_states=["submitted"],
    )

    assert emails(campaign, world["programme coordinator"]) == []


def test_a_rounds_participants_narrowed_to_the_network(world):
    review_round = RoundFactory(programme=world["programme"])
    VisitFactory(round=review_round, host=world["ewa"].city)
    VisitFactory(round=review_round, host=world["sven"].city)
    campaign = CampaignFactory(
        segment=SegmentKind.ROUND, review_round=review_round, network=None, roles=[]
    )

    assert emails(campaign, world["programme coordinator"]) == [
        "ewa@plock.example",
        "sven@malmo.example",
    ]
    campaign.network = world["PL"]
    assert emails(campaign, world["programme coordinator"]) == ["ewa@plock.example"]


def test_a_national_coordinator_reaches_nobody_outside_their_networks(world):
    """A campaign naming the Swedish network (written by the programme's coordinator) read for
    Poland's coordinator: nobody, and sending it writes nothing."""
    campaign = CampaignFactory(network=world["SE"])
    campaign_meeting = CampaignFactory(
        segment=SegmentKind.ROUND,
        review_round=RoundFactory(programme=world["programme"]),
        network=None,
        roles=[],
    )
    VisitFactory(round=campaign_meeting.review_round, host=world["sven"].city)

    assert emails(campaign, world["national PL"]) == []
    assert emails(campaign_meeting, world["national PL"]) == []
    with pytest.raises(CampaignRefused):
        campaign_send(campaign=campaign, by=world["national PL"])
    assert not Message.objects.exists()
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.DRAFT


# --- Sending -------------------------------------------------------------------------------


def test_each_recipient_gets_one_message_in_their_language_with_the_placeholders_filled(world):
    campaign = CampaignFactory(
        network=world["PL"], roles=[CityRole.ENGAGED, CityRole.PIONEER], texts=POLISH
    )
    campaign_send(campaign=campaign, by=world["national PL"])

    ewa = Message.objects.get(recipient_email="ewa@plock.example")
    anna = Message.objects.get(recipient_email="anna@sztum.example")
    assert (ewa.language, ewa.subject) == ("pl", "Wiadomości dla Płock")
    assert "Szanowni Ewa Nowak," in ewa.body_text
    assert "Energy Exchange" in ewa.body_html and "Szanowni Ewa Nowak," in ewa.body_html
    assert (anna.language, anna.subject) == ("en", "News for Sztum")
    assert {ewa.kind, ewa.requested_by, ewa.campaign} == {
        "campaign",
        world["national PL"],
        campaign,
    }
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT and campaign.sent_at is not None


def test_a_campaign_is_not_held_back_by_the_per_account_mail_limit(world, settings):
    settings.MAIL_LIMIT_PER_ACCOUNT = 1  # the limit is for forms, not a coordinator's campaign
    campaign = CampaignFactory(network=world["PL"], roles=[CityRole.ENGAGED, CityRole.PIONEER])

    campaign_send(campaign=campaign, by=world["national PL"])

    assert Message.objects.filter(requested_by=world["national PL"]).count() == 2


def test_a_recipient_whose_language_has_no_text_reads_the_english_one(world):
    campaign = CampaignFactory(network=world["SE"], texts=POLISH)
    campaign_send(campaign=campaign, by=world["programme coordinator"])

    assert Message.objects.get().language == "en"


def test_sending_twice_sends_once(world, django_capture_on_commit_callbacks):
    campaign = CampaignFactory(network=world["PL"], roles=[CityRole.ENGAGED, CityRole.PIONEER])
    with django_capture_on_commit_callbacks(execute=True):
        campaign_send(campaign=campaign, by=world["national PL"])
        campaign_send(campaign=campaign, by=world["national PL"])
    # Even the writing itself, run again for the same people, adds nobody twice.
    recipients = campaign_recipients(campaign=campaign, user=world["national PL"])
    written = campaign_deliver(
        campaign=campaign, recipients=recipients, by=None, now=timezone.now()
    )

    assert written == 0
    assert Message.objects.count() == 2
    assert delivered() == ["anna@sztum.example", "ewa@plock.example"]
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_a_campaign_without_its_english_text_is_not_sent(world):
    campaign = CampaignFactory(network=world["PL"], texts={"pl": ("Temat", "Tekst")})

    with pytest.raises(CampaignRefused, match="English"):
        campaign_send(campaign=campaign, by=world["national PL"])
    assert not Message.objects.exists()


def test_a_scheduled_campaign_is_sent_by_beat_once_it_is_due(
    world, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory(network=world["PL"])
    at = timezone.now() + dt.timedelta(hours=2)
    campaign_send(campaign=campaign, by=world["national PL"], at=at)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.scheduled_at) == (CampaignStatus.SCHEDULED, at)

    assert send_due() == 0  # not yet due
    assert not Message.objects.exists()

    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due() == 1
        assert send_due() == 0
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT
    assert delivered() == ["ewa@plock.example"]
    assert Message.objects.get().requested_by == world["national PL"]


def test_a_cancelled_campaign_is_never_sent(world):
    campaign = CampaignFactory(network=world["PL"])
    campaign_send(campaign=campaign, by=world["national PL"], at=timezone.now() + dt.timedelta(1))

    assert campaign_cancel(campaign=campaign) is True
    assert campaign_cancel(campaign=campaign) is False
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now())
    assert send_due() == 0
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.CANCELLED
    assert not Message.objects.exists()


def test_a_scheduled_campaign_whose_sender_lost_their_role_is_cancelled(world):
    campaign = CampaignFactory(network=world["PL"])
    sender = world["national PL"]
    campaign_send(campaign=campaign, by=sender, at=timezone.now() + dt.timedelta(1))
    Role.objects.filter(user=sender).delete()
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now())

    assert send_due() == 0
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.CANCELLED
    assert not Message.objects.exists()


# --- The admin -----------------------------------------------------------------------------


def admin_url(view: str, *args) -> str:
    return reverse(f"admin:campaigns_campaign_{view}", args=args)


def add_form(world, **overrides) -> dict:
    """The add form as a coordinator fills it in: Poland's engaged cities, an English text."""
    data = {
        "title": "Spring news",
        "programme": world["programme"].pk,
        "segment": "network",
        "network": world["PL"].pk,
        "roles": ["engaged"],
        "scheduled_at_0": "",
        "scheduled_at_1": "",
        "texts-TOTAL_FORMS": "1",
        "texts-INITIAL_FORMS": "0",
        "texts-MIN_NUM_FORMS": "1",
        "texts-MAX_NUM_FORMS": "1000",
        "texts-0-language": "en",
        "texts-0-subject": "News for {{ city_name }}",
        "texts-0-body": "Dear {{ recipient_name }},\n\nSee you.",
        "_save": "Save",
    }
    return data | overrides


def test_a_coordinator_writes_a_campaign_in_the_admin(client, world):
    client.force_login(world["national PL"])
    response = client.post(admin_url("add"), add_form(world))

    assert response.status_code == 302, response.context["adminform"].form.errors
    campaign = Campaign.objects.get()
    assert (campaign.network, campaign.roles, campaign.created_by) == (
        world["PL"],
        ["engaged"],
        world["national PL"],
    )
    assert campaign.texts.get().subject == "News for {{ city_name }}"


def test_posting_another_networks_id_is_refused_and_writes_nothing(client, world):
    client.force_login(world["national PL"])
    response = client.post(admin_url("add"), add_form(world, network=world["SE"].pk))

    assert response.status_code == 200
    assert "network" in response.context["adminform"].form.errors
    assert not Campaign.objects.exists()


def test_a_national_coordinator_must_name_their_network(client, world):
    client.force_login(world["national PL"])
    call = CallFactory(programme=world["programme"])
    data = add_form(
        world, segment="call", call=call.pk, network="", application_states=["submitted"]
    )
    response = client.post(admin_url("add"), data)

    assert response.status_code == 200
    assert "Choose one of your networks" in str(response.context["adminform"].form.errors)
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"texts-0-body": "Hello {{ recipient.password }}"}, "Unknown placeholder"),
        ({"texts-0-subject": "{% include 'x.html' %}"}, "cannot be used in a message"),
        ({"texts-0-body": "{% if %}"}, "broken tag"),
        ({"texts-0-language": "pl"}, "Write the text in English"),
        ({"roles": []}, "Choose at least one city role."),
        ({"segment": "meeting", "network": ""}, "Choose the meeting"),
        ({"scheduled_at_0": "2020-01-01", "scheduled_at_1": "10:00"}, "in the future"),
    ],
)
def test_bad_input_is_a_form_error_and_writes_nothing(client, world, overrides, reason):
    client.force_login(world["programme coordinator"])
    response = client.post(admin_url("add"), add_form(world, **overrides))

    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not Campaign.objects.exists() and not CampaignText.objects.exists()


def test_another_programmes_meeting_is_refused(client, world):
    client.force_login(factories.CoordinatorFactory())
    other = factories.MeetingFactory()
    data = add_form(world, segment="meeting", meeting=other.pk, registration_statuses=["confirmed"])
    response = client.post(admin_url("add"), data)

    assert "is not of the programme" in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_drafts_page_previews_the_recipients_and_each_languages_text(client, world):
    campaign = CampaignFactory(
        network=world["PL"], roles=[CityRole.ENGAGED, CityRole.PIONEER], texts=POLISH
    )
    client.force_login(world["national PL"])
    html = client.get(admin_url("change", campaign.pk)).content.decode()

    assert "2 recipients" in html
    assert "Ewa Nowak" in html and "Płock" in html
    assert "Wiadomości dla Płock" in html and "Szanowni Ewa Nowak," in html
    assert "News for Sztum" in html
    assert "{{ recipient_name }}" in html  # the placeholders beside the texts
    assert admin_url("send", campaign.pk) + "?when=now" in html


def test_send_now_says_how_many_people_then_sends_and_shows_the_counts(client, world):
    campaign = CampaignFactory(
        network=world["PL"], roles=[CityRole.ENGAGED, CityRole.PIONEER], texts=POLISH
    )
    client.force_login(world["national PL"])
    confirm = client.get(admin_url("send", campaign.pk) + "?when=now").content.decode()
    assert "The campaign goes to 2 people now" in confirm
    assert "1 in Polish" in confirm and "1 in English" in confirm

    response = client.post(admin_url("send", campaign.pk) + "?when=now")

    assert response.status_code == 302
    assert len(mail.outbox) == 2
    page = client.get(admin_url("change", campaign.pk))
    assert "<td>0</td><td>2</td><td>0</td>" in page.content.decode()
    messages_url = reverse("admin:notifications_message_changelist")
    listed = client.get(f"{messages_url}?campaign__id__exact={campaign.pk}")
    assert listed.context["cl"].result_count == 2


def test_schedule_asks_for_a_time_in_the_future(client, world):
    campaign = CampaignFactory(network=world["PL"])
    client.force_login(world["national PL"])
    address = admin_url("send", campaign.pk) + "?when=later"

    refused = client.post(address, {"at_0": "2020-01-01", "at_1": "10:00"})
    assert "Choose a time in the future." in refused.content.decode()
    assert Campaign.objects.get().status == CampaignStatus.DRAFT

    later = timezone.localtime() + dt.timedelta(days=2)
    client.post(address, {"at_0": f"{later:%Y-%m-%d}", "at_1": f"{later:%H:%M:%S}"})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SCHEDULED
    assert not Message.objects.exists()

    client.post(admin_url("cancel", campaign.pk))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CANCELLED


def test_another_networks_campaign_is_not_there(client, world):
    campaign = CampaignFactory(network=world["SE"])
    client.force_login(world["national PL"])

    assert client.get(admin_url("change", campaign.pk)).status_code == 404
    assert client.post(admin_url("send", campaign.pk) + "?when=now").status_code == 404
    assert not Message.objects.exists()


def _sent_campaign(network, statuses):
    campaign = CampaignFactory(network=network, status="sent", sent_at=timezone.now())
    for n, status in enumerate(statuses):
        factories.MessageFactory(
            meeting=None,
            campaign=campaign,
            status=status,
            key=f"campaign:{campaign.pk}:{n}",
            sent_at=timezone.now(),
            claimed_at=timezone.now(),
        )
    return campaign


def test_the_list_shows_each_campaigns_delivery_counts(client, world):
    _sent_campaign(world["PL"], ["queued", "sending", "sent", "sent", "sent", "failed"])
    client.force_login(world["programme coordinator"])
    response = client.get(admin_url("changelist"))

    row = response.context["cl"].result_list[0]
    assert (row.queued_count, row.sent_count, row.failed_count) == (2, 3, 1)


@pytest.mark.parametrize("campaigns", [1, 3])
def test_the_list_costs_the_same_for_1_and_3_campaigns(
    client, world, django_assert_num_queries, campaigns
):
    for _n in range(campaigns):
        _sent_campaign(world["PL"], ["sent", "failed"])
    client.force_login(world["programme coordinator"])
    address = admin_url("changelist")
    client.get(address)  # the session and the content types are cached after this

    with django_assert_num_queries(7):
        response = client.get(address)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == campaigns


# --- The demo ------------------------------------------------------------------------------


def test_the_demo_has_a_sent_campaign_with_its_counts_and_loading_again_changes_nothing(
    django_capture_on_commit_callbacks,
):
    from demo.loader import load_files

    with django_capture_on_commit_callbacks(execute=True):
        load_files()
        load_files()

    campaign = campaigns_with_counts(Campaign.objects.all()).get()
    assert campaign.status == CampaignStatus.SENT
    assert campaign.programme.slug == "exchange-2027" and campaign.network.country.code == "PL"
    assert (campaign.queued_count, campaign.failed_count) == (0, 1)
    assert campaign.sent_count == campaign.messages.count() - 1 > 5
    polish = campaign.messages.filter(language="pl").first()
    assert "Ostrołęka" in "".join(campaign.messages.values_list("body_text", flat=True))
    assert polish.subject.startswith("Wymiana Energetyczna Miast 2027")
    assert mail.outbox == []  # history, not mail to send
