"""The demo's invented current cycle: alive whenever it is loaded, and stable when loaded again."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import TestCase

from calls.selectors import call_list
from exchanges.models import ExchangeMeeting, Invitation, Registration, RegistrationStatus
from exchanges.registrations import registration_closed_reason
from meetings.models import ActionItem, ConsortiumMeeting
from notifications.models import Message
from visits.models import ReviewRound

CURRENT = "exchange-2027"
DAY = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


def load_demo_on(moment: dt.datetime) -> str:
    out = io.StringIO()
    with time_machine.travel(moment, tick=False):
        call_command("load_demo", stdout=out)
    return out.getvalue()


def current(title: str) -> ExchangeMeeting:
    return ExchangeMeeting.objects.get(programme__slug=CURRENT, title_en=title)


EXCHANGE_2 = "National exchange 2 (Poland): Open session in Sztum"
EXCHANGE_3 = "National exchange 3 (Poland): Participation in Piastów"
EXCHANGE_4 = "National exchange 4 (Poland): Monitoring energy plans"


class TestTheCurrentCycle(TestCase):
    """Read-only checks share one load (setUpTestData), so the file runs in seconds."""

    @classmethod
    def setUpTestData(cls):
        load_demo_on(DAY)

    def test_there_is_something_to_register_for_and_a_full_meeting_with_an_offer(self):
        there_is_something_to_register_for_and_a_full_meeting_with_an_offer()

    def test_the_call_is_open_with_its_webinar_ahead_and_the_round_is_preparing(self):
        the_call_is_open_with_its_webinar_ahead_and_the_round_is_preparing()

    def test_the_consortium_meets_ahead_with_open_action_items(self):
        the_consortium_meets_ahead_with_open_action_items()

    def test_invitations_were_sent_some_opened_some_registered_and_none_is_mailed_again(self):
        invitations_were_sent_some_opened_some_registered_and_none_is_mailed_again()


def there_is_something_to_register_for_and_a_full_meeting_with_an_offer():
    with time_machine.travel(DAY, tick=False):
        almost_full, full, later = current(EXCHANGE_2), current(EXCHANGE_3), current(EXCHANGE_4)
        assert registration_closed_reason(meeting=almost_full) is None
        assert registration_closed_reason(meeting=full) is None
        assert "Registration opens on" in registration_closed_reason(meeting=later)

    held = almost_full.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    assert almost_full.capacity - held == 3
    statuses = list(full.registrations.values_list("status", "waiting_number"))
    assert statuses.count(("confirmed", None)) == 9
    assert ("offered", 1) in statuses
    assert sorted(n for status, n in statuses if status == "waiting") == [2, 3, 4]
    offer = full.registrations.get(status=RegistrationStatus.OFFERED)
    assert offer.contact.email == "magdalena.kaminska@ostroleka.example"
    assert offer.offer_expires_at > DAY


def the_call_is_open_with_its_webinar_ahead_and_the_round_is_preparing():
    with time_machine.travel(DAY, tick=False):
        open_calls = [call.slug for call in call_list()["open"]]
        review_round = ReviewRound.objects.get(programme__slug=CURRENT)
        phases = {row["phase"]: row for row in review_round.phases(today=DAY.date())}
    assert f"{CURRENT}-call" in open_calls
    call = next(call for call in call_list(now=DAY)["open"] if call.slug == f"{CURRENT}-call")
    assert DAY < call.webinar_start < DAY + dt.timedelta(days=7)
    assert phases["preparing"]["is_open"]
    visits = review_round.visits.all()
    assert all(visit.seats.count() == 2 for visit in visits)
    assert sum(visit.materials.count() for visit in visits) == 2


def the_consortium_meets_ahead_with_open_action_items():
    ahead = ConsortiumMeeting.objects.get(programme__slug=CURRENT, number=2)
    assert ahead.start_date > DAY.date()
    ahead.full_clean()
    items = ActionItem.objects.filter(meeting__programme__slug=CURRENT)
    assert items.filter(status=ActionItem.Status.OPEN).count() == 2


def invitations_were_sent_some_opened_some_registered_and_none_is_mailed_again():
    invitations = Invitation.objects.filter(meeting=current(EXCHANGE_2))
    assert invitations.count() == 17  # every contact of the Polish network's cities
    assert invitations.exclude(opened_at=None).count() == 4
    assert invitations.exclude(registered_at=None).count() == 15
    assert invitations.exclude(declined_at=None).count() == 1
    messages = Message.objects.filter(meeting__programme__slug=CURRENT)
    assert set(messages.values_list("status", flat=True)) == {Message.Status.SENT}


def snapshot_of_history() -> dict:
    """Every field of every row of the historical programmes' meetings and registrations."""
    meetings = ExchangeMeeting.objects.exclude(programme__slug=CURRENT).order_by("pk")
    return {meeting.pk: model_to_dict(meeting, exclude=["topics"]) for meeting in meetings}


@pytest.mark.django_db
def test_loading_a_month_later_keeps_history_and_moves_the_cycle_along():
    load_demo_on(DAY)
    history = snapshot_of_history()
    registrations = set(Registration.objects.values_list("pk", "status"))
    first = current(EXCHANGE_2).start

    later = DAY + dt.timedelta(days=30)
    load_demo_on(later)

    assert snapshot_of_history() == history
    assert set(Registration.objects.values_list("pk", "status")) == registrations
    moved = current(EXCHANGE_2)
    assert moved.start > first + dt.timedelta(days=25)
    # Twelve days on, or the Monday after when that is a weekend: a weekday, still ahead.
    days_ahead = moved.local_start.date() - later.date()
    assert dt.timedelta(days=12) <= days_ahead <= dt.timedelta(days=14)
    assert moved.local_start.weekday() < 5
    upcoming = ExchangeMeeting.objects.filter(programme__slug=CURRENT, start__gt=later)
    assert upcoming.count() == 5


@pytest.mark.django_db
def test_what_a_person_did_in_the_demo_survives_the_next_load():
    load_demo_on(DAY)
    offer = Registration.objects.get(status=RegistrationStatus.OFFERED)
    offer.status = RegistrationStatus.CONFIRMED
    offer.save()

    load_demo_on(DAY + dt.timedelta(days=1))

    offer.refresh_from_db()
    assert offer.status == RegistrationStatus.CONFIRMED
