"""Peer visits (docs/DESIGN.md rule 7, the Motiva model).

A peer-review round belongs to a programme. Every participant hosts one visit: a `Visit` row is
both the municipality's place in the round and the visit it hosts, so "every participant hosts
one visit" is the table's shape. Its interview group is two `InterviewerSeat` rows naming other
visits of the round (their hosts sit on the group), so "never itself" is a constraint on one row.

There is no numeric rating anywhere in a peer visit: municipalities are never scored or ranked.
"""

import datetime as dt
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.validators import validate_timezone
from multiply.filenames import upload_path


class Phase(models.TextChoices):
    """The six phases of a round, in order (seed 004)."""

    ORGANISING = "organising", _("organising the participants")
    PREPARING = "preparing", _("preparing the visits")
    VISIT = "visit", _("the visits")
    REPORT = "report", _("written reports")
    FINAL_EVENT = "final_event", _("final event")
    COMMENTS = "comments", _("comments on the results summary")


PHASES = list(Phase)


def _phase_fields(phase: str) -> tuple[str, str]:
    return f"{phase}_start", f"{phase}_end"


def _phase_constraints() -> list:
    constraints = []
    for phase in PHASES:
        start, end = _phase_fields(phase)
        constraints.append(
            models.CheckConstraint(
                condition=Q(**{f"{end}__gte": F(start)}),
                name=f"round_{phase}_ends_after_start",
                violation_error_message=_("A phase cannot end before it starts."),
            )
        )
    for earlier, later in zip(PHASES, PHASES[1:], strict=False):
        constraints.append(
            models.CheckConstraint(
                condition=Q(**{f"{later}_start__gte": F(f"{earlier}_start")}),
                name=f"round_{later}_starts_after_{earlier}",
                violation_error_message=_("The phases start in their order."),
            )
        )
    return constraints


class ReviewRound(models.Model):
    """A programme's round of peer visits: its themes and the date windows of its phases.

    Windows are whole days, both ends included, in the round's time zone.
    """

    programme = models.ForeignKey(
        "exchanges.Programme",
        on_delete=models.CASCADE,
        related_name="review_rounds",
        verbose_name=_("programme"),
    )
    name = models.CharField(_("name"), max_length=200)
    themes = models.ManyToManyField(
        "exchanges.Theme",
        related_name="review_rounds",
        verbose_name=_("themes"),
        help_text=_("The themes the self-assessments and feedback reports go through."),
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Helsinki", validators=[validate_timezone]
    )
    organising_start = models.DateField(_("organising starts"))
    organising_end = models.DateField(_("organising ends"))
    preparing_start = models.DateField(_("preparing starts"))
    preparing_end = models.DateField(_("preparing ends"))
    visit_start = models.DateField(_("visits start"))
    visit_end = models.DateField(_("visits end"))
    report_start = models.DateField(_("report writing starts"))
    report_end = models.DateField(_("report writing ends"))
    final_event_start = models.DateField(_("final event starts"))
    final_event_end = models.DateField(_("final event ends"))
    comments_start = models.DateField(_("comments start"))
    comments_end = models.DateField(_("comments end"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("peer-review round")
        verbose_name_plural = _("peer-review rounds")
        ordering = ["-organising_start", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="round_unique_name"),
            *_phase_constraints(),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("visits:round", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        for phase in PHASES:
            start, end = self.window(phase)
            if start and end and end < start:
                errors[f"{phase}_end"] = _("A phase cannot end before it starts.")
        for earlier, later in zip(PHASES, PHASES[1:], strict=False):
            first, second = self.window(earlier)[0], self.window(later)[0]
            if first and second and second < first and f"{later}_start" not in errors:
                errors[f"{later}_start"] = _("The phases start in their order.")
        if errors:
            raise ValidationError(errors)

    def window(self, phase: str) -> tuple[dt.date | None, dt.date | None]:
        start, end = _phase_fields(phase)
        return getattr(self, start), getattr(self, end)

    def today(self) -> dt.date:
        try:
            tz = zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder
            tz = zoneinfo.ZoneInfo("UTC")
        return timezone.now().astimezone(tz).date()

    def is_open(self, phase: str, today: dt.date | None = None) -> bool:
        start, end = self.window(phase)
        today = today or self.today()
        return start <= today <= end

    def phases(self, today: dt.date | None = None) -> list[dict]:
        """Each phase with its window and whether it is open, for the pages."""
        today = today or self.today()
        rows = []
        for phase in PHASES:
            start, end = self.window(phase)
            rows.append(
                {
                    "phase": phase,
                    "label": phase.label,
                    "start": start,
                    "end": end,
                    "is_open": start <= today <= end,
                    "is_past": end < today,
                }
            )
        return rows


class VisitFormat(models.TextChoices):
    VIRTUAL = "virtual", _("virtual")
    ON_SITE = "on_site", _("on site")


class Visit(models.Model):
    """A participating municipality of a round and the visit it hosts."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="visits", verbose_name=_("round")
    )
    host = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        related_name="hosted_visits",
        verbose_name=_("host municipality"),
    )
    responsible = models.ForeignKey(
        "cities.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_for_visits",
        verbose_name=_("person responsible"),
        help_text=_("The host's person responsible for the visit."),
    )
    date = models.DateField(_("date of the visit"), null=True, blank=True)
    format = models.CharField(
        _("format"), max_length=10, choices=VisitFormat.choices, default=VisitFormat.VIRTUAL
    )
    session_at = models.DateTimeField(
        _("feedback session"),
        null=True,
        blank=True,
        help_text=_("The closing feedback session, to which everyone interviewed is invited."),
    )
    session_place = models.CharField(
        _("where the feedback session is held"),
        max_length=300,
        blank=True,
        help_text=_("An online link or a room."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("peer visit")
        verbose_name_plural = _("peer visits")
        ordering = ["round", "host__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "host"],
                name="visit_one_per_host",
                violation_error_message=_("This municipality already hosts a visit in the round."),
            ),
            models.CheckConstraint(
                condition=Q(format__in=VisitFormat.values), name="visit_format_valid"
            ),
        ]

    def __str__(self):
        return f"{self.host} – {self.round}"

    def get_absolute_url(self):
        return reverse("visits:visit", kwargs={"pk": self.pk})

    @property
    def host_language(self) -> str:
        """The host's language, for its feedback report: its responsible person's."""
        if self.responsible_id and self.responsible.language:
            return self.responsible.language
        return settings.LANGUAGE_CODE


class InterviewerSeat(models.Model):
    """The host of `reviewer` sits on the interview group of `visit` (both of one round)."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="seats", verbose_name=_("visit")
    )
    reviewer = models.ForeignKey(
        Visit,
        on_delete=models.CASCADE,
        related_name="reviewing",
        verbose_name=_("municipality of the interview group"),
    )

    class Meta:
        verbose_name = _("interview-group seat")
        verbose_name_plural = _("interview-group seats")
        ordering = ["visit", "reviewer__host__name"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "reviewer"], name="seat_unique"),
            # docs/DESIGN.md rule 7: never its own interview group.
            models.CheckConstraint(
                condition=~Q(visit=F("reviewer")),
                name="seat_never_own_visit",
                violation_error_message=_("A municipality cannot sit on its own interview group."),
            ),
        ]

    def __str__(self):
        return f"{self.reviewer.host} → {self.visit.host}"


class Interview(models.Model):
    """One slot of a visit's interview schedule: when, which role, who."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("visit")
    )
    starts_at = models.DateTimeField(_("time"))
    role = models.CharField(_("role interviewed"), max_length=200)
    interviewee = models.CharField(_("interviewee"), max_length=200)
    email = models.EmailField(
        _("interviewee's e-mail address"),
        blank=True,
        help_text=_("For the invitation to the closing feedback session."),
    )

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["visit", "starts_at", "pk"]

    def __str__(self):
        return f"{self.interviewee} ({self.role})"


class SelfAssessment(models.Model):
    """The host's own account of one theme, written before the visit."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="self_assessments", verbose_name=_("visit")
    )
    theme = models.ForeignKey(
        "exchanges.Theme", on_delete=models.CASCADE, related_name="+", verbose_name=_("theme")
    )
    text = models.TextField(_("self-assessment"), blank=True, max_length=10000)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["visit", "theme__order", "theme__name"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "theme"], name="self_assessment_per_theme"),
        ]

    def __str__(self):
        return f"{self.visit.host} – {self.theme}"


def material_upload_to(instance, filename):
    # A random folder: the name alone never finds a file, and two uploads never collide.
    folder = f"visits/visit-{instance.visit_id}/{uuid.uuid4().hex}"
    return upload_path(folder, filename, max_length=BackgroundMaterial.file.field.max_length)


class BackgroundMaterial(models.Model):
    """A private file the host sends the interview group before the visit."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="materials", verbose_name=_("visit")
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=material_upload_to, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("background material")
        verbose_name_plural = _("background materials")
        ordering = ["visit", "uploaded_at", "pk"]

    def __str__(self):
        return self.title

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class FeedbackReport(models.Model):
    """The interview group's written feedback: strengths and development areas per theme and a
    summary. A draft until the group submits it; then the host reads it and may comment."""

    visit = models.OneToOneField(
        Visit, on_delete=models.CASCADE, related_name="report", verbose_name=_("visit")
    )
    summary = models.TextField(_("summary"), blank=True, max_length=10000)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    host_comment = models.TextField(
        _("the host's comments on the results summary"), blank=True, max_length=10000
    )
    host_commented_at = models.DateTimeField(_("commented"), null=True, blank=True)
    host_agrees_to_be_named = models.BooleanField(
        _("the host agrees to be named in the results summary"),
        default=False,
        help_text=_(
            "Without this, the results summary shows the report's observations without the "
            "municipality's name."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("feedback report")
        verbose_name_plural = _("feedback reports")
        ordering = ["visit"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="report_submitted_has_time",
            ),
        ]

    def __str__(self):
        return str(self.visit)

    @property
    def is_submitted(self) -> bool:
        return self.status == ReportStatus.SUBMITTED


class Finding(models.Model):
    """A report's strengths and development areas for one theme."""

    report = models.ForeignKey(
        FeedbackReport, on_delete=models.CASCADE, related_name="findings", verbose_name=_("report")
    )
    theme = models.ForeignKey(
        "exchanges.Theme", on_delete=models.CASCADE, related_name="+", verbose_name=_("theme")
    )
    strengths = models.TextField(_("strengths"), blank=True, max_length=10000)
    development_areas = models.TextField(_("development areas"), blank=True, max_length=10000)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["report", "theme__order", "theme__name"]
        constraints = [
            models.UniqueConstraint(fields=["report", "theme"], name="finding_per_theme"),
        ]

    def __str__(self):
        return f"{self.report} – {self.theme}"
