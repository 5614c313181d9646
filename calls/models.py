"""Calls for applications and their applications (docs/DESIGN.md rule 8); mentorships live in
the mentorships app."""

import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import City, Country
from cities.validators import validate_timezone
from exchanges.models import Membership, Programme, Role
from multiply.filenames import upload_path


def slides_upload_to(instance, filename):
    folder = f"calls/slides/{secrets.token_urlsafe(8)}"
    return upload_path(folder, filename, max_length=Call.slides_file.field.max_length)


class Call(models.Model):
    """A programme's open call for municipalities to apply (Motiva's pilots, docs/DESIGN.md
    rule 8)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="calls", verbose_name=_("programme")
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(
        _("closes"), help_text=_("Applications are accepted up to and including this minute.")
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Brussels",
        validators=[validate_timezone],
        help_text=_("The call's own time zone, e.g. Europe/Helsinki: its dates are shown in it."),
    )
    places_min = models.PositiveSmallIntegerField(
        _("places sought (at least)"), null=True, blank=True
    )
    places_max = models.PositiveSmallIntegerField(
        _("places sought (at most)"), null=True, blank=True
    )
    eligibility = models.TextField(
        _("eligibility"),
        blank=True,
        help_text=_(
            "A statement every applicant must confirm, e.g. “The municipality has joined the "
            "energy-efficiency agreement (KETS).” Empty: anyone may apply."
        ),
    )
    selection_criteria = models.TextField(_("selection criteria"), blank=True)
    webinar_title = models.CharField(_("info webinar title"), max_length=300, blank=True)
    webinar_start = models.DateTimeField(_("info webinar starts"), null=True, blank=True)
    webinar_end = models.DateTimeField(_("info webinar ends"), null=True, blank=True)
    slides_file = models.FileField(
        _("webinar slides (file)"), upload_to=slides_upload_to, blank=True
    )
    slides_url = models.URLField(_("webinar slides (link)"), blank=True)
    slides_size = models.PositiveIntegerField(
        _("slides size in bytes"),
        null=True,
        blank=True,
        help_text=_("For a link, the size to show next to it; an uploaded file knows its own."),
    )
    recording_url = models.URLField(_("webinar recording (link)"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-closes_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="call_closes_after_opening",
                violation_error_message=_("A call must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(places_min__isnull=True)
                | Q(places_max__isnull=True)
                | Q(places_max__gte=F("places_min")),
                name="call_places_max_not_below_min",
                violation_error_message=_("The most places sought cannot be fewer than the least."),
            ),
            models.CheckConstraint(
                condition=Q(webinar_end__isnull=True)
                | (Q(webinar_start__isnull=False) & Q(webinar_end__gte=F("webinar_start"))),
                name="call_webinar_end_not_before_start",
                violation_error_message=_("The webinar cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("calls:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("A call must close after it opens.")
        if self.places_min and self.places_max and self.places_max < self.places_min:
            errors["places_max"] = _("The most places sought cannot be fewer than the least.")
        if self.webinar_end and (not self.webinar_start or self.webinar_end < self.webinar_start):
            errors["webinar_end"] = _("The webinar cannot end before it starts.")
        if self.slides_file and self.slides_url:
            errors["slides_url"] = _("Upload the slides or give a link, not both.")
        if errors:
            raise ValidationError(errors)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder
            return zoneinfo.ZoneInfo("UTC")

    @property
    def local_opens_at(self):
        return self.opens_at.astimezone(self.tz)

    @property
    def local_closes_at(self):
        return self.closes_at.astimezone(self.tz)

    @property
    def local_webinar_start(self):
        return self.webinar_start and self.webinar_start.astimezone(self.tz)

    @property
    def local_webinar_end(self):
        return self.webinar_end and self.webinar_end.astimezone(self.tz)

    def is_open(self, now=None) -> bool:
        """Open from its opening to its closing instant, both included."""
        now = now or timezone.now()
        return self.opens_at <= now <= self.closes_at

    def has_closed(self, now=None) -> bool:
        return (now or timezone.now()) > self.closes_at

    @property
    def has_webinar(self) -> bool:
        return bool(self.webinar_start or self.slides_file or self.slides_url or self.recording_url)


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("short text")
    LONG_TEXT = "long_text", _("long text")
    CHOICE = "choice", _("choice")
    YES_NO = "yes_no", _("yes or no")
    FILE = "file", _("file")


DEFAULT_EXTENSIONS = "pdf, docx, odt, xlsx, ods, png, jpg"


class Question(models.Model):
    """One question of a call's application form, defined by its coordinator."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="questions", verbose_name=_("call")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=True)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For a choice question: one choice per line.")
    )
    max_file_size_mb = models.PositiveSmallIntegerField(
        _("largest file (MB)"),
        null=True,
        blank=True,
        help_text=_("For a file question. Empty: the site's limit."),
    )
    allowed_extensions = models.CharField(
        _("allowed file types"),
        max_length=200,
        blank=True,
        default=DEFAULT_EXTENSIONS,
        help_text=_("For a file question: extensions separated by commas, e.g. pdf, docx."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["call", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="question_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(max_file_size_mb__isnull=True) | Q(max_file_size_mb__gte=1),
                name="question_file_size_positive",
            ),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        if self.kind == QuestionKind.CHOICE and not self.choice_list:
            raise ValidationError({"choices": _("A choice question needs its choices.")})

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def choice_label(self, key: str) -> str:
        """Choices are stored by their number, so an answer reads well in every language."""
        choices = self.choice_list
        if key.isdigit() and 1 <= int(key) <= len(choices):
            return choices[int(key) - 1]
        return key

    @property
    def extension_list(self) -> list[str]:
        return [
            part.strip().lower().lstrip(".")
            for part in self.allowed_extensions.split(",")
            if part.strip()
        ]

    @property
    def max_file_size(self) -> int:
        """In bytes: the question's own limit, never above the site's."""
        site = settings.MAX_UPLOAD_SIZE
        if self.max_file_size_mb:
            return min(self.max_file_size_mb * 1024 * 1024, site)
        return site


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    SHORTLISTED = "shortlisted", _("shortlisted")
    SELECTED = "selected", _("selected")
    REJECTED = "rejected", _("not selected")


DECIDED = [ApplicationStatus.SELECTED, ApplicationStatus.REJECTED]


class Application(models.Model):
    """A municipality's application to a call: an existing city, or a new one named."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="applications", verbose_name=_("call")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="call_applications",
        verbose_name=_("applicant's account"),
    )
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_applications",
        verbose_name=_("municipality"),
    )
    new_city_name = models.CharField(
        _("new municipality"),
        max_length=200,
        blank=True,
        help_text=_("A municipality not yet in the portal: it is created if it is selected."),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="call_applications",
        verbose_name=_("country"),
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    contact_position = models.CharField(_("contact position"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    eligibility_confirmed_at = models.DateTimeField(
        _("eligibility confirmed"), null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    role = models.CharField(
        _("role when selected"), max_length=20, choices=Role.choices, blank=True
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("membership"),
    )
    criteria_notes = models.TextField(
        _("notes on the selection criteria"),
        blank=True,
        help_text=_("For the coordinators only; the applicant never sees them."),
    )
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(city__isnull=False) & Q(new_city_name=""))
                | (Q(city__isnull=True) & ~Q(new_city_name="")),
                name="application_city_or_new_name",
                violation_error_message=_("Choose a municipality or name a new one (not both)."),
            ),
            models.UniqueConstraint(
                fields=["call", "applicant"],
                name="application_one_per_account",
                violation_error_message=_("You have already applied to this call."),
            ),
            models.UniqueConstraint(
                fields=["call", "city"],
                name="application_one_per_city",
                violation_error_message=_("This municipality has already applied to this call."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="selected") | ~Q(role=""),
                name="application_selected_has_role",
            ),
        ]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self):
        return f"{self.municipality_name} – {self.call}"

    def get_absolute_url(self):
        return reverse("calls:application", kwargs={"pk": self.pk})

    @property
    def municipality_name(self) -> str:
        return self.city.name if self.city_id else self.new_city_name

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED


def answer_upload_to(instance, filename):
    # A random folder: even a leaked storage listing does not make a name guessable.
    folder = f"calls/applications/call-{instance.application.call_id}/{secrets.token_urlsafe(12)}"
    return upload_path(folder, filename, max_length=Answer.file.field.max_length)


class Answer(models.Model):
    """An applicant's answer to one question: text for most kinds, a private file for files."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="answers", verbose_name=_("application")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    value = models.TextField(_("answer"), blank=True)
    file = models.FileField(_("file"), upload_to=answer_upload_to, blank=True, max_length=300)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["application", "question__order", "question__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "question"], name="answer_one_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.display}"

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""

    @property
    def display(self) -> str:
        """The answer as a reader sees it, in the active language."""
        if self.question.kind == QuestionKind.YES_NO:
            return {"yes": _("Yes"), "no": _("No")}.get(self.value, "")
        if self.question.kind == QuestionKind.FILE:
            return self.filename
        if self.question.kind == QuestionKind.CHOICE:
            return self.question.choice_label(self.value)
        return self.value
