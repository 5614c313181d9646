"""A programme's set-up: the programme, its national networks and their member cities (with
their roles), its themes and topics."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cities.models import City, Country, TargetGroup


def portal_languages() -> list[str]:
    """Every language the portal speaks, in the order of settings.LANGUAGES."""
    return [code for code, _name in settings.LANGUAGES]


def validate_languages(value):
    known = set(portal_languages())
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one language."))
    unknown = [code for code in value if code not in known]
    if unknown:
        raise ValidationError(
            _("The portal does not speak %(codes)s."),
            params={"codes": ", ".join(map(str, unknown))},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("A language is chosen twice."))


class Programme(models.Model):
    """A peer-learning programme: MULTIPLY, MAYORS in ACTION, a Motiva pilot."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    peer_learning = models.TextField(
        _("what peer learning is"),
        blank=True,
        help_text=_("Shown on the programme page: what peer learning means in this programme."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    funding = models.CharField(_("funding"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    # Each programme names the roles in its own words (MULTIPLY: forerunner, committed,
    # special-award city); empty means the portal's generic wording.
    pioneer_label = models.CharField(_("word for pioneer cities"), max_length=80, blank=True)
    engaged_label = models.CharField(_("word for engaged cities"), max_length=80, blank=True)
    special_award_label = models.CharField(
        _("word for the special-award city"), max_length=80, blank=True
    )
    mentor_label = models.CharField(_("word for mentors"), max_length=80, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    # The languages the programme works in, from those the portal has: its pages offer only
    # these, its documents are rendered in these, and its e-mails fall back to the first.
    languages = models.JSONField(
        _("languages"),
        default=portal_languages,
        validators=[validate_languages],
        help_text=_(
            "The languages of this programme's pages, e-mails and documents. The first is used "
            "when a person's own language is not among them."
        ),
    )
    # What a certificate of attendance prints (issue 13); the issuer is the programme and its
    # coordinating partner (meetings.Partner.is_coordinator).
    logo = models.ImageField(_("logo"), upload_to="programmes/", blank=True)
    funding_statement = models.TextField(
        _("funding statement"),
        blank=True,
        max_length=1000,
        help_text=_(
            "Printed on certificates and reports, e.g. “This project has received funding from "
            "the European Union’s Horizon 2020 research and innovation programme under grant "
            "agreement No 785088”."
        ),
    )
    signatory_name = models.CharField(_("signatory"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory’s title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="programme_end_after_start"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("exchanges:programme", kwargs={"slug": self.slug})

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The programme cannot end before it starts.")})

    @property
    def language_codes(self) -> list[str]:
        """The programme's languages that the portal still has; every language if none is left,
        so that a language removed from the settings never leaves a programme speechless."""
        known = portal_languages()
        chosen = [code for code in self.languages or [] if code in known]
        return chosen or known

    def speaks(self, language: str | None) -> bool:
        return language in self.language_codes

    def language_for(self, language: str | None) -> str:
        """`language` if the programme speaks it, else the programme's first language."""
        return language if self.speaks(language) else self.language_codes[0]

    def role_label(self, role: str) -> str:
        """The programme's own word for a role, or the portal's generic one."""
        own = {
            Role.PIONEER: self.pioneer_label,
            Role.ENGAGED: self.engaged_label,
            Role.SPECIAL_AWARD: self.special_award_label,
            Role.MENTOR: self.mentor_label,
        }.get(role)
        return own or Role(role).label


class NationalNetwork(models.Model):
    """The cities of one country taking part in a programme."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="networks", verbose_name=_("programme")
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="networks", verbose_name=_("country")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    cities = models.ManyToManyField(
        City, through="Membership", related_name="networks", verbose_name=_("cities")
    )

    class Meta:
        verbose_name = _("national network")
        verbose_name_plural = _("national networks")
        ordering = ["programme", "country__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "country"], name="network_one_per_country"
            ),
        ]

    def __str__(self):
        return self.name or f"{self.programme} – {self.country}"


class Role(models.TextChoices):
    PIONEER = "pioneer", _("pioneer city")
    ENGAGED = "engaged", _("engaged city")
    SPECIAL_AWARD = "special_award", _("special-award city")
    MENTOR = "mentor", _("mentor")


class Membership(models.Model):
    """A city's place and role in a national network."""

    network = models.ForeignKey(
        NationalNetwork,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("network"),
    )
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("city")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["network", "role", "city__name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "city"], name="membership_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
            # A network has at most one special-award city (docs/DESIGN.md rule 1).
            models.UniqueConstraint(
                fields=["network"],
                condition=Q(role="special_award"),
                name="membership_one_special_award",
                violation_error_message=_("A network has at most one special-award city."),
            ),
        ]

    def __str__(self):
        return f"{self.city} – {self.get_role_display()} ({self.network})"


class Theme(models.Model):
    """What a meeting is about, with the topics it covers and the target groups it speaks to."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="themes", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="themes", verbose_name=_("target groups")
    )
    # The Open and European-exchange themes invite every contact (docs/DESIGN.md rule 3).
    open_to_all = models.BooleanField(
        _("open to all contacts"),
        default=False,
        help_text=_("Invitations go to every contact, whatever their target group."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["programme", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="theme_unique_name"),
        ]

    def __str__(self):
        return self.name


class Topic(models.Model):
    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, related_name="topics", verbose_name=_("theme")
    )
    name = models.CharField(_("name"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["theme", "order", "name"]

    def __str__(self):
        return self.name
