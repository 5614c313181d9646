from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from multiply.filenames import upload_path


def document_upload_to(instance, filename):
    folder = f"documents/{instance.kind}"
    return upload_path(folder, filename, max_length=Document.file.field.max_length)


class Document(models.Model):
    """A generated PDF: a row first, rendered by Celery with WeasyPrint, served from storage.

    Downloads serve the newest ready row for the same subject (kind, programme, meeting,
    registration, language); a failed render leaves the previous ready one online.
    """

    class Kind(models.TextChoices):
        PLAN = "peer_learning_plan", _("peer-learning plan")
        MINUTES = "minutes", _("minutes and attendance")
        PARTICIPANTS = "participant_list", _("participant list")
        CERTIFICATE = "certificate", _("attendance certificate")
        FUNDER_REPORT = "funder_report", _("report for the funder")
        FEEDBACK_REPORT = "feedback_report", _("peer-visit feedback report")
        RESULTS_SUMMARY = "results_summary", _("results summary")
        MEETING_FEEDBACK = "meeting_feedback", _("meeting feedback summary")
        AGENDA = "agenda", _("meeting programme")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RENDERING = "rendering", _("rendering")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    programme = models.ForeignKey(
        "exchanges.Programme",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("programme"),
    )
    consortium_meeting = models.ForeignKey(
        "meetings.ConsortiumMeeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("consortium meeting"),
    )
    meeting = models.ForeignKey(
        "exchanges.ExchangeMeeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("meeting"),
    )
    registration = models.ForeignKey(
        "exchanges.Registration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("registration"),
    )
    # What else names the subject: a period for reports, or another object as "visit:12".
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(_("file"), upload_to=document_upload_to, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    data_hash = models.CharField(_("hash of the data"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "programme", "language", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "rendering", "ready", "failed"]),
                name="document_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & Q(rendered_at__isnull=False)),
                name="document_ready_has_file",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.programme} ({self.language})"


class FunderReport(models.Model):
    """A published version of the funder's attendance report: the figures of a programme over a
    period, frozen when a coordinator published them (issue 13, item 8). A later change of
    registrations makes a new version, never a different old one; `data` is the snapshot every
    page, spreadsheet and PDF of the version is made from (reports.funder)."""

    programme = models.ForeignKey(
        "exchanges.Programme",
        on_delete=models.CASCADE,
        related_name="funder_reports",
        verbose_name=_("programme"),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    # 1, 2, ... per programme and period, decided under the programme's row lock.
    version = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    data = models.JSONField(_("frozen figures"))
    note = models.TextField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("published funder report")
        verbose_name_plural = _("published funder reports")
        ordering = ["programme", "-period_end", "-period_start", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period_start", "period_end", "version"],
                name="funder_report_version_unique",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="funder_report_period_not_reversed",
            ),
        ]

    def __str__(self):
        return f"{self.programme} {self.period_start}–{self.period_end} v{self.version}"
