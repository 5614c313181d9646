"""Retention (issue 15, item 4): unconfirmed accounts go after 30 days, message bodies after the
configured period, by a daily task that records what it removed."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from notifications.models import Message
from notifications.outbox import messages_resend
from privacy.models import RemovalRecord
from privacy.retention import retention_apply
from privacy.tasks import apply_retention

from . import factories

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days_ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def account(*, joined: dt.datetime, verified: bool, **fields) -> User:
    user = factories.UserFactory(verified=verified, **fields)
    User.objects.filter(pk=user.pk).update(date_joined=joined)
    return user


def test_an_account_never_confirmed_goes_after_thirty_days_and_the_run_is_recorded():
    old = account(joined=days_ago(31), verified=False)
    EmailAddress.objects.create(user=old, email=old.email, verified=False, primary=True)
    young = account(joined=days_ago(29), verified=False)
    confirmed = account(joined=days_ago(400), verified=True)

    record = retention_apply(now=NOW)

    assert set(User.objects.values_list("pk", flat=True)) == {young.pk, confirmed.pk}
    assert not EmailAddress.objects.filter(email=old.email).exists()
    assert record.reason == RemovalRecord.Reason.RETENTION
    assert record.removed["accounts"] == 1


def test_an_unconfirmed_account_with_a_role_or_staff_status_is_kept():
    coordinator = account(joined=days_ago(90), verified=False)
    factories.RoleFactory(user=coordinator)
    staff = account(joined=days_ago(90), verified=False, is_staff=True)

    assert retention_apply(now=NOW) is None

    assert User.objects.filter(pk__in=[coordinator.pk, staff.pk]).count() == 2


def test_the_contact_of_a_removed_account_stays_for_its_city_nameless():
    user = account(joined=days_ago(31), verified=False)
    contact = factories.ContactFactory(user=user, first_name="Unconfirmed", last_name="Person")

    retention_apply(now=NOW)

    contact.refresh_from_db()
    assert contact.user is None and contact.erased_at is not None
    assert contact.first_name == ""


def sent(*, days: int, **fields) -> Message:
    return factories.MessageFactory(
        status="sent", sent_at=days_ago(days), body_html="<p>Hello</p>", **fields
    )


def test_message_bodies_go_after_the_configured_period_and_the_envelope_stays(settings):
    settings.MESSAGE_BODY_RETENTION_DAYS = 90
    old = sent(days=91, calendar="BEGIN:VCALENDAR")
    recent = sent(days=89)
    failed_long_ago = factories.MessageFactory(status="failed")
    Message.objects.filter(pk=failed_long_ago.pk).update(created_at=days_ago(100))
    waiting = factories.MessageFactory(status="queued")
    Message.objects.filter(pk=waiting.pk).update(created_at=days_ago(100))

    record = retention_apply(now=NOW)

    old.refresh_from_db()
    assert (old.body_text, old.body_html, old.calendar) == ("", "", "")
    assert old.body_removed_at is not None
    assert old.recipient_email and old.subject and old.status == "sent"
    assert Message.objects.get(pk=recent.pk).body_text == "Hello"
    assert Message.objects.get(pk=failed_long_ago.pk).body_text == ""
    assert Message.objects.get(pk=waiting.pk).body_text == "Hello"  # still to be sent
    assert record.removed == {"message_bodies": 2}


def test_a_second_run_finds_nothing_more():
    account(joined=days_ago(31), verified=False)
    sent(days=settings.MESSAGE_BODY_RETENTION_DAYS + 1)

    first = apply_retention()
    assert (first["accounts"], first["message_bodies"]) == (1, 1)
    assert apply_retention() == {}
    assert RemovalRecord.objects.count() == 1


def test_beat_runs_it_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert entry["task"] == apply_retention.name
    assert entry["schedule"] == 24 * 3600


def test_a_failed_message_whose_body_was_removed_is_not_offered_again():
    failed = factories.MessageFactory(status="failed")
    Message.objects.filter(pk=failed.pk).update(created_at=days_ago(400))
    retention_apply(now=NOW)

    assert messages_resend(message_ids=[failed.pk]) == 0
    assert Message.objects.get(pk=failed.pk).status == "failed"
