import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_timezone(value: str) -> None:
    """An IANA time zone name such as Europe/Warsaw."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder
        raise ValidationError(
            _("“%(value)s” is not a time zone; use a name such as Europe/Warsaw."),
            code="invalid_timezone",
            params={"value": value},
        ) from None
