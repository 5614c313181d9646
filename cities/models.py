from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .validators import validate_timezone


class Country(models.Model):
    code = models.CharField(
        _("code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2, e.g. PL")
    )
    name = models.CharField(_("name"), max_length=100)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Brussels", validators=[validate_timezone]
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="country_code_iso2"
            ),
        ]

    def __str__(self):
        return self.name


# The slug of the target group that means everyone: a meeting's theme may name it, but a person
# does not pick it as a group of their own.
EVERYONE = "all"


class TargetGroup(models.Model):
    """Who a meeting speaks to: decision makers, planning staff, communication staff, or all."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class City(models.Model):
    """A city or municipality taking part in one or more programmes."""

    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="cities", verbose_name=_("country")
    )
    region = models.CharField(_("region"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="city_unique_per_country"),
        ]

    def __str__(self):
        return self.name


class Contact(models.Model):
    """A member of a city's staff: the person invited to meetings."""

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("city")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("Department or office, when it is not the city administration itself."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="contacts", verbose_name=_("target groups")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact",
        verbose_name=_("user account"),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive contacts are no longer invited.")
    )
    # Set when the person's data was erased (privacy.erasure): the row stays, nameless, so that
    # the attendance it took part in is still counted for the funder.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="contact_email_ci_unique"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.city})"

    @property
    def full_name(self) -> str:
        if self.erased_at is not None:
            return str(_("erased person"))
        return f"{self.first_name} {self.last_name}"
