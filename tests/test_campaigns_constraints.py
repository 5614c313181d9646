"""Every constraint of the campaigns app has a case the database refuses.

CASES has the shape of tests/test_constraints.py's: that file's
`test_every_constraint_of_the_domain_models_has_a_case` finds these constraints through the app
registry and needs `CASES.update(CAMPAIGN_CASES)` to count them."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from campaigns.models import Campaign, CampaignText

from .factories_campaigns import CampaignFactory

pytestmark = pytest.mark.django_db


def update(obj, **values):
    """Write straight to the row: no clean(), no field validation, only the database."""
    type(obj).objects.filter(pk=obj.pk).update(**values)


def campaign_status_valid():
    update(CampaignFactory(), status="posted")


def campaign_segment_valid():
    update(CampaignFactory(), segment="everyone")


def campaign_meeting_segment_names_its_meeting():
    update(CampaignFactory(), segment="meeting")


def campaign_call_segment_names_its_call():
    update(CampaignFactory(), segment="call")


def campaign_round_segment_names_its_review_round():
    update(CampaignFactory(), segment="round")


def campaign_network_segment_names_its_network():
    update(CampaignFactory(), network=None)


def campaign_scheduled_has_time():
    update(CampaignFactory(), status="scheduled", scheduled_at=None)


def campaign_sent_has_time():
    update(CampaignFactory(), status="sent", sent_at=None)


def campaign_text_one_per_language():
    campaign = CampaignFactory()  # has its English text
    CampaignText.objects.create(campaign=campaign, language="en", subject="Again", body="Hi.")


CAMPAIGN_CASES = {
    name: case
    for name, case in globals().copy().items()
    if name.startswith("campaign_") and callable(case)
}


def test_every_constraint_of_the_campaigns_app_has_a_case():
    constraints = {c.name for model in (Campaign, CampaignText) for c in model._meta.constraints}
    assert constraints == set(CAMPAIGN_CASES)


@pytest.mark.parametrize("constraint", CAMPAIGN_CASES)
def test_the_database_refuses(constraint):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        CAMPAIGN_CASES[constraint]()

    if connection.vendor == "postgresql":
        assert f'"{constraint}"' in str(error.value)


def test_a_sent_campaign_with_its_time_is_accepted():
    campaign = CampaignFactory()
    update(campaign, status="sent", sent_at=timezone.now())
    assert Campaign.objects.get().status == "sent"
