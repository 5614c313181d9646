import zoneinfo

from django.contrib.admin.utils import unquote
from django.utils import timezone


class OwnTimeZoneAdminMixin:
    """Coordinators type and read an object's times in its own zone (10:00 in Helsinki), not
    the server's: the form is handled, and its response rendered, inside that zone.

    For a model with a `timezone` field naming an IANA zone.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with timezone.override(self._form_zone(request, object_id)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()
        return response

    def _form_zone(self, request, object_id) -> zoneinfo.ZoneInfo:
        name = request.POST.get("timezone")
        if not name and object_id:
            obj = self.get_object(request, unquote(object_id))
            name = obj.timezone if obj else None
        default = self.model._meta.get_field("timezone").default
        try:
            return zoneinfo.ZoneInfo(name or default)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder
            return zoneinfo.ZoneInfo(default)
