import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class User(AbstractUser):
    """A person who signs in: with an e-mail address, never a username.

    Coordinators hold roles (access.Role); city staff link to their cities.Contact.
    """

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    # The secret in the URL of the person's calendar feed; resetting it revokes old copies.
    calendar_token = models.CharField(
        _("calendar token"), max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    # The version of the portal's privacy notice the person accepted when they signed up.
    privacy_notice = models.ForeignKey(
        "privacy.PrivacyNotice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("privacy notice accepted"),
    )
    privacy_accepted_at = models.DateTimeField(
        _("privacy notice accepted on"), null=True, blank=True
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Two accounts must not differ only by the case of their e-mail.
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email


class LinkRequest(models.Model):
    """An account that speaks for no city yet asks to be linked to one (issue 15, item 5).

    The person names their municipality (chosen from the list, or typed when it is not there);
    the coordinators of the networks of that country are told, and one of them links the
    account to a contact of the city, or declines. Until then the account registers for
    nothing and applies only under a municipality's name.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for a coordinator")
        LINKED = "linked", _("linked")
        DECLINED = "declined", _("declined")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="link_requests", verbose_name=_("account")
    )
    country = models.ForeignKey(
        "cities.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
        help_text=_("Choose the city to link the account to; create it first if it is new."),
    )
    city_name = models.CharField(_("municipality as typed"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("request to link an account")
        verbose_name_plural = _("requests to link an account")
        ordering = ["status", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="open"),
                name="link_request_one_open_per_account",
                violation_error_message=_("Your request is already waiting for a coordinator."),
            ),
            models.CheckConstraint(
                condition=models.Q(city__isnull=False) | ~models.Q(city_name=""),
                name="link_request_names_a_municipality",
                violation_error_message=_("Choose your municipality or type its name."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "linked", "declined"]),
                name="link_request_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.city or self.city_name}"
