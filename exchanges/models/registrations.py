"""A contact's place at a meeting (registrations and the waiting list) and the invitations that
ask them to take it."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .meetings import ExchangeMeeting


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    WAITING = "waiting", _("on the waiting list")
    OFFERED = "offered", _("seat offered")
    CANCELLED = "cancelled", _("cancelled")
    # Meetings that require approval (ExchangeMeeting.requires_approval): a pending registration
    # holds no seat; approval places it, in a seat or on the waiting list, under the lock.
    PENDING = "pending", _("awaiting approval")
    REJECTED = "rejected", _("not accepted")
    ATTENDED = "attended", _("attended")
    NO_SHOW = "no_show", _("no-show")


# A seat is held by these: an offer keeps its seat until accepted or expired.
SEAT_HOLDING = [
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.OFFERED,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.NO_SHOW,
]
# Everyone the meeting still counts on, or who still counts on the meeting: told of its changes,
# counted in a city's quota, unable to register twice.
ACTIVE = [*SEAT_HOLDING, RegistrationStatus.WAITING, RegistrationStatus.PENDING]


def new_registration_code() -> str:
    """The secret a registration's QR code carries: the coordinator's check-in page reads it."""
    return secrets.token_urlsafe(16)


def new_certificate_code() -> str:
    """The short code printed on a certificate, typed by whoever checks it: no 0/O or 1/I."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


class Registration(models.Model):
    """A contact's place at a meeting: confirmed, waiting in line, offered a freed seat, ...

    Seats are decided in exchanges.registrations under a lock on the meeting row.
    """

    meeting = models.ForeignKey(
        ExchangeMeeting,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("meeting"),
    )
    contact = models.ForeignKey(
        "cities.Contact",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("contact"),
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    # The place in the waiting list, handed out under the meeting's lock: strictly increasing.
    waiting_number = models.PositiveIntegerField(_("waiting-list number"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    note = models.TextField(
        _("note"), blank=True, max_length=1000, help_text=_("Dietary needs, accessibility.")
    )
    privacy_consent_at = models.DateTimeField(_("privacy notice accepted"))
    # The version the person accepted (issue 15): the meeting's programme's notice, or the
    # portal's. Empty only for registrations made before notices were versioned.
    privacy_notice = models.ForeignKey(
        "privacy.PrivacyNotice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("privacy notice version"),
    )
    listed_consent_at = models.DateTimeField(
        _("agreed to appear in the participant list"), null=True, blank=True
    )
    # Issue 13: who registered the person when it was not themselves (a coordinator taking a
    # phone call), who decided on a registration needing approval, and the check-in.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    decided_at = models.DateTimeField(_("approved or rejected"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or rejected by"),
    )
    code = models.CharField(
        _("check-in code"),
        max_length=32,
        unique=True,
        default=new_registration_code,
        editable=False,
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    certificate_code = models.CharField(
        _("certificate code"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["meeting", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "contact"],
                name="registration_one_per_person",
                violation_error_message=_("This person is already registered for the meeting."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "waiting_number"], name="registration_waiting_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values), name="registration_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(waiting_number__isnull=False),
                name="registration_waiting_has_number",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="registration_offer_has_expiry",
            ),
            # Checking in is attending: a checked-in person is recorded as attended.
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="attended"),
                name="registration_checked_in_attended",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "status"])]

    def __str__(self):
        return f"{self.contact.full_name} – {self.meeting.title} ({self.get_status_display()})"

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_HOLDING


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """One contact invited to one meeting, with a personal link (docs/DESIGN.md rules 2 and 3)."""

    meeting = models.ForeignKey(
        ExchangeMeeting,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("meeting"),
    )
    contact = models.ForeignKey(
        "cities.Contact",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("contact"),
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_invitation_token, editable=False
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    opened_at = models.DateTimeField(_("link opened"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "contact__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "contact"],
                name="invitation_one_per_contact",
                violation_error_message=_("This contact is already invited to the meeting."),
            ),
        ]

    def __str__(self):
        return f"{self.contact.full_name} → {self.meeting.title}"

    def get_absolute_url(self):
        return reverse("exchanges:invitation", kwargs={"token": self.token})
