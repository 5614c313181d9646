"""Factories for e-mail campaigns (campaigns app); built on tests.factories."""

import factory

from campaigns.models import Campaign, CampaignText, SegmentKind
from exchanges.models import Role as CityRole

from . import factories


class CampaignFactory(factory.django.DjangoModelFactory):
    """A draft to a network's engaged cities, with an English text."""

    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    network = factory.SubFactory(factories.NetworkFactory)
    meeting = call = review_round = None
    # The programme of whatever the group names.
    programme = factory.LazyAttribute(
        lambda o: (o.network or o.meeting or o.call or o.review_round).programme
    )
    title = factory.Sequence(lambda n: f"Campaign {n}")
    segment = SegmentKind.NETWORK
    roles = factory.LazyFunction(lambda: [CityRole.ENGAGED])

    @factory.post_generation
    def texts(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy passes the object
        if create:
            for language, (subject, body) in (extracted or ENGLISH).items():
                CampaignText.objects.create(
                    campaign=obj, language=language, subject=subject, body=body
                )


ENGLISH = {"en": ("News for {{ city_name }}", "Dear {{ recipient_name }},\n\nSee you soon.")}
