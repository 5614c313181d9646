import pytest

from . import factories


@pytest.mark.django_db
def test_it_builds_a_meeting_with_a_host_in_its_network():
    membership = factories.MembershipFactory()
    meeting = factories.MeetingFactory(network=membership.network, host_city=membership.city)
    meeting.full_clean()
    assert meeting.host_city.networks.get() == meeting.network
