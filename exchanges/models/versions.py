from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """A number the database raises itself on every write to the tables a cache depends on:
    triggers keep it (exchanges.versions), so no write can leave the cache stale."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    number = models.BigIntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return f"{self.name} {self.number}"
