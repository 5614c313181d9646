from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from calls.models import ApplicationStatus
from exchanges.models import RegistrationStatus, Role


class SegmentKind(models.TextChoices):
    MEETING = "meeting", _("the registrants of a meeting")
    NETWORK = "network", _("the contacts of a network")
    CALL = "call", _("the applicants of a call")
    ROUND = "round", _("the participants of a peer-visit round")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SCHEDULED = "scheduled", _("scheduled")
    SENT = "sent", _("sent")
    CANCELLED = "cancelled", _("cancelled")


# The field that names each kind's segment: set for its kind, empty for the others.
SEGMENT_FIELDS = {
    SegmentKind.MEETING: ("meeting", _("Choose the meeting whose registrants you write to.")),
    SegmentKind.CALL: ("call", _("Choose the call whose applicants you write to.")),
    SegmentKind.ROUND: ("review_round", _("Choose the round whose participants you write to.")),
}


def _segment_constraints() -> list[models.CheckConstraint]:
    constraints = [
        models.CheckConstraint(
            condition=Q(segment=kind, **{f"{name}__isnull": False})
            | (~Q(segment=kind) & Q(**{f"{name}__isnull": True})),
            name=f"campaign_{kind}_segment_names_its_{name}",
            violation_error_message=message,
        )
        for kind, (name, message) in SEGMENT_FIELDS.items()
    ]
    # A network's contacts need the network; every other kind may be narrowed to one.
    constraints.append(
        models.CheckConstraint(
            condition=~Q(segment=SegmentKind.NETWORK) | Q(network__isnull=False),
            name="campaign_network_segment_names_its_network",
            violation_error_message=_("Choose the network whose contacts you write to."),
        )
    )
    return constraints


class Campaign(models.Model):
    """An e-mail a coordinator writes to a chosen group of people (a segment), sent through the
    outbox: each recipient's message is a notifications.Message row pointing here, which is
    where the delivery counts come from.

    The segment is one of SegmentKind with its filters; `network`, when set, also narrows a
    call's applicants to the network's country and a round's participants to its cities, and it
    is what makes the campaign a national coordinator's (access.rules). Who may be reached is
    decided when it is sent, for the person who sent it (campaigns.segments).
    """

    programme = models.ForeignKey(
        "exchanges.Programme",
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("programme"),
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("For the coordinators only; nobody receives it.")
    )
    segment = models.CharField(_("send to"), max_length=10, choices=SegmentKind.choices)
    meeting = models.ForeignKey(
        "exchanges.ExchangeMeeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("meeting"),
    )
    registration_statuses = models.JSONField(
        _("registration statuses"),
        default=list,
        blank=True,
        help_text=_("The registrants of the meeting with one of these statuses."),
    )
    network = models.ForeignKey(
        "exchanges.NationalNetwork",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("national network"),
    )
    roles = models.JSONField(
        _("city roles"),
        default=list,
        blank=True,
        help_text=_("The contacts of the network's cities with one of these roles."),
    )
    target_groups = models.ManyToManyField(
        "cities.TargetGroup",
        blank=True,
        related_name="campaigns",
        verbose_name=_("target groups"),
        help_text=_("Only contacts of these target groups; none chosen: every contact."),
    )
    call = models.ForeignKey(
        "calls.Call",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("call"),
    )
    application_states = models.JSONField(
        _("application states"),
        default=list,
        blank=True,
        help_text=_("The applicants to the call whose application is in one of these states."),
    )
    review_round = models.ForeignKey(
        "visits.ReviewRound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("peer-visit round"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CampaignStatus.choices,
        default=CampaignStatus.DRAFT,
    )
    scheduled_at = models.DateTimeField(
        _("send at"),
        null=True,
        blank=True,
        help_text=_("Empty: it is sent when you press “Send now”."),
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Who pressed "Send now" or "Schedule": the messages are theirs (requested_by), and the
    # group is read with their scope when a scheduled campaign goes out.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "scheduled_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CampaignStatus.values), name="campaign_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(segment__in=SegmentKind.values), name="campaign_segment_valid"
            ),
            *_segment_constraints(),
            models.CheckConstraint(
                condition=~Q(status=CampaignStatus.SCHEDULED) | Q(scheduled_at__isnull=False),
                name="campaign_scheduled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=CampaignStatus.SENT) | Q(sent_at__isnull=False),
                name="campaign_sent_has_time",
            ),
        ]

    def __str__(self):
        return self.title or f"{self.programme} #{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == CampaignStatus.DRAFT

    def segment_label(self) -> str:
        """The group in a few words, for the list and the confirmation page."""
        labels = {
            SegmentKind.MEETING: (self.meeting, self.registration_statuses, RegistrationStatus),
            SegmentKind.NETWORK: (self.network, self.roles, Role),
            SegmentKind.CALL: (self.call, self.application_states, ApplicationStatus),
            SegmentKind.ROUND: (self.review_round, [], None),
        }
        target, values, choices = labels.get(self.segment, (None, [], None))
        words = ", ".join(str(choices(value).label) for value in values if value in choices.values)
        if choices is None or not words:
            return f"{self.get_segment_display()}: {target}"
        return f"{self.get_segment_display()}: {target} ({words})"


class CampaignText(models.Model):
    """A campaign's subject and text in one language. The text in settings.LANGUAGE_CODE is
    required (campaigns.forms): a recipient whose language has no text of its own reads it."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="texts", verbose_name=_("campaign")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), max_length=20000)

    class Meta:
        verbose_name = _("text")
        verbose_name_plural = _("texts")
        ordering = ["campaign", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "language"],
                name="campaign_text_one_per_language",
                violation_error_message=_("The campaign has a text in this language already."),
            ),
        ]

    def __str__(self):
        return f"{self.campaign} ({self.language})"
