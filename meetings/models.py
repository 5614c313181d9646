from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import Country
from exchanges.models import Programme


class Partner(models.Model):
    """An organisation of a programme's consortium."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="partners", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="partners", verbose_name=_("country")
    )
    website = models.URLField(_("website"), blank=True)
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["programme", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="partner_unique_name"),
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(is_coordinator=True),
                name="partner_one_coordinator",
                violation_error_message=_("The programme already has a coordinator."),
            ),
        ]

    def __str__(self):
        return self.short_name or self.name


class ConsortiumMeeting(models.Model):
    """A meeting of the consortium's partners (docs/DESIGN.md rule 6)."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="consortium_meetings",
        verbose_name=_("programme"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    planned_place = models.CharField(_("planned place"), max_length=200, blank=True)
    held_place = models.CharField(
        _("where held"),
        max_length=200,
        blank=True,
        help_text=_("Empty when held online, or while the meeting is still to come."),
    )
    held_online = models.BooleanField(_("held online"), default=False)
    linked_event = models.CharField(
        _("linked event"),
        max_length=300,
        blank=True,
        help_text=_("An external event the meeting was combined with."),
    )
    linked_event_url = models.URLField(_("linked event link"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    partners_present = models.ManyToManyField(
        Partner, through="Attendance", related_name="consortium_meetings"
    )

    class Meta:
        verbose_name = _("consortium meeting")
        verbose_name_plural = _("consortium meetings")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="consortium_meeting_number_unique",
                violation_error_message=_("This programme already has a meeting with this number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="consortium_meeting_number_positive",
                violation_error_message=_("Meetings are numbered from 1."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="consortium_meeting_end_not_before_start",
                violation_error_message=_("A meeting cannot end before it starts."),
            ),
            # Only clean() knows today's date, so the database asks for some place at all and
            # clean() asks a meeting that has ended where it was held.
            models.CheckConstraint(
                condition=Q(held_online=True) | ~Q(held_place="") | ~Q(planned_place=""),
                name="consortium_meeting_has_a_place",
                violation_error_message=_(
                    "Say where the meeting is planned, where it was held, or that it was online."
                ),
            ),
        ]

    def __str__(self):
        return _("Consortium meeting %(number)s (%(date)s)") % {
            "number": self.number,
            "date": self.start_date.isoformat(),
        }

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("A meeting cannot end before it starts.")
        errors.update(self._place_errors())
        if self.programme_id and self.number and self.start_date:
            errors.update(self._order_errors())
        if errors:
            raise ValidationError(errors)

    def _place_errors(self) -> dict:
        """A meeting is planned somewhere; once it has ended, the record says where it was held."""
        if self.held_online or self.held_place:
            return {}
        if self.end_date and self.end_date < timezone.localdate():
            return {
                "held_place": _(
                    "The meeting has ended: say where it was held, or tick “held online”."
                )
            }
        if not self.planned_place:
            return {"planned_place": _("Give the planned place, or tick “held online”.")}
        return {}

    @property
    def is_held(self) -> bool:
        """The record says where it took place; a future meeting says only where it is planned."""
        return self.held_online or bool(self.held_place)

    def _order_errors(self) -> dict:
        """Numbers follow the dates: meeting n is after meeting n-1 and before meeting n+1."""
        others = ConsortiumMeeting.objects.filter(programme_id=self.programme_id).exclude(
            pk=self.pk
        )
        earlier = others.filter(number__lt=self.number, start_date__gt=self.start_date).first()
        if earlier:
            return {
                "start_date": _(
                    "Meeting %(other)s is earlier in the numbering but later in time "
                    "(%(date)s); numbers must follow the dates."
                )
                % {"other": earlier.number, "date": earlier.start_date.isoformat()}
            }
        later = others.filter(number__gt=self.number, start_date__lt=self.start_date).first()
        if later:
            return {
                "start_date": _(
                    "Meeting %(other)s is later in the numbering but earlier in time "
                    "(%(date)s); numbers must follow the dates."
                )
                % {"other": later.number, "date": later.start_date.isoformat()}
            }
        return {}

    @property
    def is_relocated(self) -> bool:
        """Planned in one place and held in another (or online), like Graz in 2020."""
        return (
            bool(self.planned_place)
            and self.is_held
            and (self.held_online or self.held_place.strip() != self.planned_place.strip())
        )


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        ONLINE = "online", _("joined online")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")

    meeting = models.ForeignKey(
        ConsortiumMeeting,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("meeting"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("partner")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PRESENT
    )
    representatives = models.CharField(_("representatives"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "partner__order", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "partner"], name="attendance_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["present", "online", "absent", "excused"]),
                name="attendance_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.partner}: {self.get_status_display()}"

    @property
    def is_absent(self) -> bool:
        return self.status in (self.Status.ABSENT, self.Status.EXCUSED)

    def clean(self):
        if (
            self.meeting_id
            and self.partner_id
            and self.partner.programme_id != self.meeting.programme_id
        ):
            raise ValidationError({"partner": _("The partner belongs to another programme.")})


class ActionItem(models.Model):
    """Something agreed at a consortium meeting.

    An open item stays on the agenda of every later meeting until it is closed, so that nothing
    agreed is forgotten between meetings (see meetings.selectors.action_items_for_meeting).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    meeting = models.ForeignKey(
        ConsortiumMeeting,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("agreed at"),
    )
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="open") & Q(closed_on__isnull=True))
                | (Q(status__in=["done", "dropped"]) & Q(closed_on__isnull=False)),
                name="action_item_closed_has_date",
                violation_error_message=_(
                    "A done or dropped item needs the date it was closed; an open one has none."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.status != self.Status.OPEN and not self.closed_on:
            raise ValidationError({"closed_on": _("Give the date the item was closed.")})
        if self.status == self.Status.OPEN and self.closed_on:
            raise ValidationError({"closed_on": _("An open item has no closing date.")})
        if (
            self.meeting_id
            and self.owner_id
            and self.owner.programme_id != self.meeting.programme_id
        ):
            raise ValidationError({"owner": _("The owner belongs to another programme.")})
