"""Roles: who runs what. A role is a row, given in the admin (docs/DESIGN.md, "Access").

A programme coordinator runs one programme; a national coordinator runs one national network of
a programme (the Polish partner runs the Polish network); a consortium partner reads the
consortium's meetings and minutes of its programme. A person with several roles has several rows.
What each role may see and do is decided in access.rules, and nowhere else.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exchanges.models import NationalNetwork, Programme


class RoleKind(models.TextChoices):
    PROGRAMME_COORDINATOR = "programme_coordinator", _("programme coordinator")
    NATIONAL_COORDINATOR = "national_coordinator", _("national coordinator")
    CONSORTIUM_PARTNER = "consortium_partner", _("consortium partner")


class Role(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("role"), max_length=30, choices=RoleKind.choices)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="roles", verbose_name=_("programme")
    )
    network = models.ForeignKey(
        NationalNetwork,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("national network"),
        help_text=_("For a national coordinator: the network they run."),
    )
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["programme", "kind", "user__email"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RoleKind.values), name="role_kind_valid"),
            # A national coordinator runs a network; the other roles are the whole programme's.
            models.CheckConstraint(
                condition=Q(kind="national_coordinator", network__isnull=False)
                | (~Q(kind="national_coordinator") & Q(network__isnull=True)),
                name="role_network_for_national_coordinators",
                violation_error_message=_(
                    "A national coordinator runs a national network; other roles have none."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "programme"],
                condition=Q(network__isnull=True),
                name="role_unique_in_programme",
                violation_error_message=_("This person already has this role."),
            ),
            models.UniqueConstraint(
                fields=["user", "network"],
                condition=Q(network__isnull=False),
                name="role_unique_in_network",
                violation_error_message=_("This person already coordinates this network."),
            ),
        ]

    def __str__(self):
        where = self.network or self.programme
        return f"{self.user} – {self.get_kind_display()} – {where}"

    def clean(self):
        if self.network_id and self.programme_id and self.network.programme_id != self.programme_id:
            raise ValidationError({"network": _("The network belongs to another programme.")})
        if self.kind == RoleKind.NATIONAL_COORDINATOR and not self.network_id:
            raise ValidationError({"network": _("Choose the network this person runs.")})
        if self.kind != RoleKind.NATIONAL_COORDINATOR and self.network_id:
            raise ValidationError({"network": _("Only a national coordinator runs a network.")})
