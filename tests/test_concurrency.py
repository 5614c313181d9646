"""Capacity under load: the seat decision is made under the meeting's row lock (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from exchanges import registrations
from exchanges.models import Registration, RegistrationStatus, Role

from . import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"
    ),
]


def run_at_once(function, arguments):
    """Each call in its own thread with its own connection, released together by a barrier."""
    barrier = threading.Barrier(len(arguments))
    errors = []

    def worker(argument):
        try:
            barrier.wait()
            function(argument)
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_100_concurrent_registrations_for_30_seats_confirm_30_and_queue_70_in_order():
    meeting = factories.MeetingFactory(capacity=30)
    membership = factories.MembershipFactory(network=meeting.network, role=Role.ENGAGED)
    contacts = [factories.ContactFactory(city=membership.city) for _ in range(100)]

    errors = run_at_once(
        lambda contact: registrations.registration_create(
            meeting_id=meeting.pk, contact=contact, privacy_consent=True
        ),
        contacts,
    )

    assert errors == []
    rows = Registration.objects.filter(meeting=meeting)
    assert rows.filter(status=RegistrationStatus.CONFIRMED).count() == 30
    waiting = rows.filter(status=RegistrationStatus.WAITING).order_by("waiting_number")
    assert list(waiting.values_list("waiting_number", flat=True)) == list(range(1, 71))
    # The order is strict: whoever was queued earlier got the earlier number.
    created = list(waiting.values_list("created_at", flat=True))
    assert created == sorted(created)

    confirmed = list(rows.filter(status=RegistrationStatus.CONFIRMED).values_list("pk", flat=True))
    errors = run_at_once(
        lambda pk: registrations.registration_cancel(registration_id=pk), confirmed
    )

    assert errors == []
    assert rows.filter(status=RegistrationStatus.CANCELLED).count() == 30
    assert rows.filter(status=RegistrationStatus.CONFIRMED).count() == 30
    promoted = rows.filter(status=RegistrationStatus.CONFIRMED).values_list(
        "waiting_number", flat=True
    )
    assert sorted(promoted) == list(range(1, 31))  # exactly the first thirty in line
    assert rows.filter(status=RegistrationStatus.WAITING).count() == 40
