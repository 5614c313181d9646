"""Exchange meetings of a programme, their materials and the wording of their messages."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import City
from cities.validators import validate_timezone
from multiply.filenames import upload_path

from .programmes import Membership, NationalNetwork, Programme, Theme, Topic

# The longest a meeting may last (a database constraint). The calendar relies on it: every
# meeting still running started within this time, so "upcoming" is a short index range
# (exchanges.calendar_pages). A peer visit or a conference lasts days, not weeks.
LONGEST_MEETING = dt.timedelta(days=31)


class MeetingKind(models.TextChoices):
    NATIONAL_EXCHANGE = "national_exchange", _("national exchange")
    INTERNATIONAL_CONFERENCE = "international_conference", _("international conference")
    STUDY_VISIT = "study_visit", _("study visit")
    WORKSHOP = "workshop", _("workshop")
    WEBINAR = "webinar", _("webinar")
    PEER_VISIT = "peer_visit", _("peer visit")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("hybrid")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    CONFIRMED = "confirmed", _("confirmed")
    MOVED_ONLINE = "moved_online", _("moved online")
    POSTPONED = "postponed", _("postponed")
    CANCELLED = "cancelled", _("cancelled")
    HELD = "held", _("held")


# A cancelled or postponed meeting did not take place at its dates, whatever they say.
DID_NOT_TAKE_PLACE = [MeetingStatus.CANCELLED, MeetingStatus.POSTPONED]


class ExchangeMeeting(models.Model):
    """A meeting of a programme: a national exchange, the international conference, a visit..."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("programme")
    )
    network = models.ForeignKey(
        NationalNetwork,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("national network"),
        help_text=_("Empty for meetings of the whole programme, such as its conference."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=MeetingKind.choices)
    number = models.PositiveSmallIntegerField(
        _("number"), null=True, blank=True, help_text=_("Its place in the network's series.")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("theme"),
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="meetings", verbose_name=_("topics")
    )
    host_city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host city"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Brussels",
        validators=[validate_timezone],
        help_text=_("The meeting's local time zone, e.g. Europe/Warsaw."),
    )
    format = models.CharField(
        _("format"), max_length=20, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Only confirmed participants and coordinators see it."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty means no limit.")
    )
    # Indico's and pretix's "registration opens": a meeting can be announced before people may
    # register for it. Empty means registration is open as soon as the meeting is published.
    registration_opens = models.DateTimeField(
        _("registration opens"),
        null=True,
        blank=True,
        help_text=_("Empty: people may register as soon as the meeting is in the calendar."),
    )
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    engaged_only = models.BooleanField(
        _("engaged cities only"),
        default=False,
        help_text=_("Only the network's engaged cities are invited (DESIGN.md rule 2)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    waiting_list_enabled = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When the meeting is full, new registrations join a waiting list."),
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept a freed seat"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: a freed seat goes at once to the first person waiting. A number: that "
            "person is offered the seat and has this many hours to accept it."
        ),
    )
    # pretix's "require approval", Indico's moderation (issue 13).
    requires_approval = models.BooleanField(
        _("registrations need approval"),
        default=False,
        help_text=_(
            "A coordinator approves or rejects each registration. A registration waiting for "
            "approval holds no seat: approval gives it a seat, or a place on the waiting list."
        ),
    )
    city_quota = models.PositiveSmallIntegerField(
        _("people per city"),
        null=True,
        blank=True,
        help_text=_("The most people one city may register (its delegation). Empty: no limit."),
    )
    # RFC 5545 SEQUENCE: raised whenever the time, place or status changes, so calendar
    # programs replace the event they already have.
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    status_note = models.CharField(
        _("status note"),
        max_length=300,
        blank=True,
        help_text=_("Why a meeting was moved online, postponed or cancelled."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("exchange meeting")
        verbose_name_plural = _("exchange meetings")
        ordering = ["start"]
        # (start, id) is the calendar's order, ties included (exchanges.calendar_pages).
        indexes = [
            models.Index(fields=["start", "id"], name="meeting_start_id"),
            models.Index(fields=["end"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="meeting_end_not_before_start",
                violation_error_message=_("A meeting cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(end__lte=F("start") + LONGEST_MEETING),
                name="meeting_at_most_31_days",
                violation_error_message=_("A meeting cannot last more than 31 days."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                name="meeting_capacity_not_negative",
                violation_error_message=_("Capacity cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__isnull=True)
                | Q(registration_deadline__lte=F("end")),
                name="meeting_deadline_before_end",
                violation_error_message=_("Registration must close before the meeting ends."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens__isnull=True)
                | Q(registration_deadline__isnull=True)
                | Q(registration_opens__lt=F("registration_deadline")),
                name="meeting_opens_before_deadline",
                violation_error_message=_("Registration must open before it closes."),
            ),
            # docs/DESIGN.md rule 5: one international conference per programme.
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(kind="international_conference"),
                name="meeting_one_conference_per_programme",
                violation_error_message=_(
                    "This programme already has an international conference."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind="national_exchange") | Q(network__isnull=False),
                name="meeting_national_exchange_has_network",
                violation_error_message=_("A national exchange belongs to a national network."),
            ),
            models.UniqueConstraint(
                fields=["network", "kind", "number"],
                name="meeting_number_unique_in_network",
                violation_error_message=_("The network already has a meeting with this number."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(format__in=MeetingFormat.values), name="meeting_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(offer_hours__isnull=True) | Q(offer_hours__gte=1),
                name="meeting_offer_hours_positive",
                violation_error_message=_("An offer lasts at least one hour."),
            ),
            models.CheckConstraint(
                condition=Q(city_quota__isnull=True) | Q(city_quota__gte=1),
                name="meeting_city_quota_positive",
                violation_error_message=_("A city may register at least one person."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.start:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("exchanges:meeting", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("A meeting cannot end before it starts.")
        if self.network_id and self.programme_id and self.network.programme_id != self.programme_id:
            errors["network"] = _("The network belongs to another programme.")
        if self.host_city_id:
            if self.network_id:
                if not self.network.memberships.filter(city_id=self.host_city_id).exists():
                    errors["host_city"] = _(
                        "%(city)s is not a member of %(network)s; the host must be one of "
                        "the network's cities."
                    ) % {"city": self.host_city, "network": self.network}
            elif (
                self.programme_id
                and not Membership.objects.filter(
                    network__programme_id=self.programme_id, city_id=self.host_city_id
                ).exists()
            ):
                errors["host_city"] = _("The host city does not take part in this programme.")
        if self.theme_id and self.programme_id and self.theme.programme_id != self.programme_id:
            errors["theme"] = _("The theme belongs to another programme.")
        if self.kind == MeetingKind.NATIONAL_EXCHANGE and not self.network_id:
            errors["network"] = _("A national exchange belongs to a national network.")
        if self.registration_deadline and self.end and self.registration_deadline > self.end:
            errors["registration_deadline"] = _("Registration must close before the meeting ends.")
        if (
            self.registration_opens
            and self.registration_deadline
            and self.registration_opens >= self.registration_deadline
        ):
            errors["registration_opens"] = _("Registration must open before it closes.")
        if errors:
            raise ValidationError(errors)

    # The labels of kind, format and status, for lists of meetings: get_kind_display() and
    # its kin hash every choice's lazy label on each call, a gettext each, which was a third
    # of a calendar row's time (issue 18). The constraints above keep the values among them.
    @property
    def kind_label(self) -> str:
        return MeetingKind(self.kind).label

    @property
    def format_label(self) -> str:
        return MeetingFormat(self.format).label

    @property
    def status_label(self) -> str:
        return MeetingStatus(self.status).label

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder
            return zoneinfo.ZoneInfo("UTC")

    # Wall-clock times in the meeting's own zone, without tzinfo on purpose: Django's `date`
    # filter converts aware datetimes to the reader's zone, and a meeting in Helsinki at 10:00
    # must read 10:00 wherever the server or the reader is.
    @property
    def local_start(self):
        return self.start.astimezone(self.tz).replace(tzinfo=None)

    @property
    def local_end(self):
        return self.end.astimezone(self.tz).replace(tzinfo=None)

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @property
    def has_taken_place(self) -> bool:
        """Started, and neither cancelled nor postponed (exchanges.selectors.taken_place)."""
        return self.start <= timezone.now() and self.status not in DID_NOT_TAKE_PLACE

    @property
    def is_disrupted(self) -> bool:
        """Cancelled, postponed or moved online: the page says so prominently."""
        return self.status in (
            MeetingStatus.CANCELLED,
            MeetingStatus.POSTPONED,
            MeetingStatus.MOVED_ONLINE,
        )


def material_upload_to(instance, filename):
    folder = f"materials/meeting-{instance.meeting_id}"
    return upload_path(folder, filename, max_length=MeetingMaterial.file.field.max_length)


class MeetingMaterial(models.Model):
    """Slides, a recording, a report: a file uploaded to the portal or a link elsewhere."""

    meeting = models.ForeignKey(
        ExchangeMeeting,
        on_delete=models.CASCADE,
        related_name="materials",
        verbose_name=_("meeting"),
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=material_upload_to, blank=True)
    url = models.URLField(_("link"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["meeting", "order", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="material_file_xor_link",
                violation_error_message=_("A material is either a file or a link, not both."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if bool(self.file) == bool(self.url):
            raise ValidationError(_("Upload a file or give a link (one of the two)."))


class MessageKind(models.TextChoices):
    INVITATION = "invitation", _("invitation")
    REMINDER = "reminder", _("reminder")


class MeetingWording(models.Model):
    """A coordinator's own subject and opening paragraph for a meeting's messages, per language."""

    meeting = models.ForeignKey(
        ExchangeMeeting,
        on_delete=models.CASCADE,
        related_name="wordings",
        verbose_name=_("meeting"),
    )
    kind = models.CharField(_("message"), max_length=20, choices=MessageKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    introduction = models.TextField(_("introductory paragraph"), blank=True, max_length=3000)

    class Meta:
        verbose_name = _("message wording")
        verbose_name_plural = _("message wordings")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "language"],
                name="wording_one_per_language",
                violation_error_message=_(
                    "This meeting already has wording for this message and language."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.language})"
