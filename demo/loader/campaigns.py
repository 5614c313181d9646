"""Sections for the campaigns app: an e-mail to a group, sent (issue 14, item 6).

As with invitations (people.py), the demo writes the state the campaign is in, not its history:
its messages are written by the real service (`campaign_deliver`, one per person of the group,
in each person's language), then recorded as sent at the entry's time, or as refused for the
addresses in ``failed``, instead of being sent again to invented addresses. A campaign that is
sent already is left as it is on later loads.
"""

from campaigns.models import Campaign, CampaignStatus, CampaignText, SegmentKind
from campaigns.segments import segment_everyone
from campaigns.services import campaign_deliver
from exchanges.models import Programme
from exchanges.models import Role as CityRole
from notifications.models import Message

from .fields import aware
from .files import LANGUAGES, Section, Shape

TEXT = Shape(required="language subject body", choices={"language": LANGUAGES})
# What the invented refusal says: a mailbox that no longer exists.
REFUSED = "550 5.1.1 <{address}>: mailbox unavailable (demo)"


def campaigns_load(values: dict) -> None:
    """A campaign to a network's cities of the given roles, sent at ``sent``."""
    unknown = [role for role in values["roles"] if role not in CityRole.values]
    if unknown:
        raise ValueError(f"roles: {unknown[0]!r} is not one of {', '.join(CityRole.values)}")
    programme = Programme.objects.get(slug=values["programme"])
    network = programme.networks.select_related("country").get(country__code=values["network"])
    campaign, _ = Campaign.objects.update_or_create(
        programme=programme,
        title=values["title"],
        defaults={"segment": SegmentKind.NETWORK, "network": network, "roles": values["roles"]},
    )
    if campaign.status == CampaignStatus.SENT:
        return
    for text in values["texts"]:
        CampaignText.objects.update_or_create(
            campaign=campaign,
            language=text["language"],
            defaults={"subject": text["subject"], "body": text["body"]},
        )
    sent = aware(values["sent"], network.country.timezone)
    recipients = segment_everyone(campaign=campaign)
    _check_failed(values.get("failed", []), recipients)
    campaign_deliver(campaign=campaign, recipients=recipients, by=None, now=sent)
    Campaign.objects.filter(pk=campaign.pk).update(created_at=sent)
    _record(campaign, sent, values.get("failed", []))


def _check_failed(failed: list[str], recipients) -> None:
    addresses = {recipient.email for recipient in recipients}
    unknown = [address for address in failed if address not in addresses]
    if unknown:
        raise ValueError(f"failed: {unknown[0]!r} is not in the campaign's group")


def _record(campaign: Campaign, sent, failed: list[str]) -> None:
    """The messages just written are history: sent at `sent`, or refused for good."""
    messages = Message.objects.filter(campaign=campaign, status=Message.Status.QUEUED)
    for address in failed:
        messages.filter(recipient_email=address).update(
            status=Message.Status.FAILED,
            attempts=1,
            last_error=REFUSED.format(address=address),
            created_at=sent,
            claimed_at=sent,
        )
    messages.exclude(recipient_email__in=failed).update(
        status=Message.Status.SENT, created_at=sent, sent_at=sent, claimed_at=sent
    )


SECTIONS = {
    "campaigns": Section(
        Shape(
            required="programme network title roles sent texts",
            optional="failed",
            datetimes="sent",
            nested={"texts": TEXT},
        ),
        campaigns_load,
    ),
}
