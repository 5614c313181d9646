"""Meetings made and changed through the API with the meeting admin's own form
(ExchangeMeetingAdmin.get_form), so that the rules are the admin's, not a copy of them: the
same fields, the same choices (scoped by access.rules through ScopedMixin: a network outside
the person's scope is not a valid choice), the same checks (MeetingForm.clean,
ExchangeMeeting.clean, the field validators), and the same save (save_model: meeting_update,
which tells the registered people what a change calls for).

The admin types a meeting's times as wall-clock times in its time zone (OwnTimeZoneAdminMixin);
the API speaks ISO 8601 instants. A time the API is given (with its offset, or without one, in
the meeting's zone) is handed to the form as the wall-clock time it is in the meeting's zone,
so that a request that moves only the time zone keeps the meeting at the same instant.
"""

import zoneinfo
from collections.abc import Mapping

from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models, transaction
from modeltranslation.utils import get_translation_fields

from exchanges.meetings import meeting_update
from exchanges.models import ExchangeMeeting

from .audit import recorded_as_api

# The fields of the admin's meeting form (ExchangeMeetingAdmin.fieldsets, each translated field
# in every language), in its order; tests/test_api_coordinator.py keeps the two the same.
MEETING_FIELDS = [
    "programme",
    "network",
    "kind",
    "number",
    *get_translation_fields("title"),
    "theme",
    "topics",
    "timezone",
    "start",
    "end",
    "registration_opens",
    "registration_deadline",
    "format",
    "host_city",
    "venue",
    "address",
    "online_url",
    "capacity",
    "waiting_list_enabled",
    "offer_hours",
    "engaged_only",
    "requires_approval",
    "city_quota",
    "status",
    *get_translation_fields("status_note"),
    *get_translation_fields("description"),
]
# Not a field of the meeting: whether a change that is neither of time, place, format nor
# status is told to the registered people anyway (MeetingForm.announce_change).
ANNOUNCE = "announce_change"


class MeetingInvalid(Exception):
    """The admin's form refused the meeting: its errors, by field."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def zone_named(name) -> zoneinfo.ZoneInfo | None:
    """The IANA zone of that name, or None for anything else (a directory such as "Europe" and
    an overlong name make zoneinfo raise OSError, not the ValueError it raises for the rest)."""
    if not isinstance(name, str) or not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def meeting_zone(data, meeting: ExchangeMeeting | None) -> zoneinfo.ZoneInfo:
    """The zone a request's times are read in: the one it names, else the meeting's, else the
    default zone of a new meeting (as the admin reads its form, OwnTimeZoneAdminMixin)."""
    named = zone_named(data.get("timezone")) if isinstance(data, Mapping) else None
    return named or (meeting or ExchangeMeeting()).tz


def meeting_write(
    *, request, meeting: ExchangeMeeting | None, changes: dict, zone: zoneinfo.ZoneInfo
) -> ExchangeMeeting:
    """Make a meeting (`meeting` None) or change it with `changes` (field: value, the fields
    not named keep their value), through the admin's form for the request's user, recorded in
    the audit trail as the API's doing. `request` is DRF's, authenticated by a token; the
    caller has checked the person may add, or change this meeting (access.rules.may)."""
    values = {**_values(meeting or ExchangeMeeting()), **changes}
    model_admin = admin.site._registry[ExchangeMeeting]
    form_class = model_admin.get_form(request._request, meeting, change=meeting is not None)
    form = form_class(_form_data(values, zone), instance=meeting)
    if not form.is_valid():
        raise MeetingInvalid(_errors(form))
    with transaction.atomic(), recorded_as_api(request):
        return _save(form, change=meeting is not None)


def _values(meeting: ExchangeMeeting) -> dict:
    """The meeting's current value of each field of the form (a new meeting's defaults)."""
    values = {}
    for name in MEETING_FIELDS:
        field = ExchangeMeeting._meta.get_field(name)
        if field.many_to_many:
            related = getattr(meeting, name).all() if meeting.pk else []
            values[name] = [row.pk for row in related]
        else:
            values[name] = getattr(meeting, field.attname)
    return values


SPLIT = {
    name
    for name in MEETING_FIELDS
    if isinstance(ExchangeMeeting._meta.get_field(name), models.DateTimeField)
}


def _form_data(values: dict, zone: zoneinfo.ZoneInfo) -> dict:
    """The values as the admin's widgets read them back: a time as its date and its wall-clock
    time in the meeting's zone (AdminSplitDateTime's name_0 and name_1), to the second, as the
    form shows it (so that an untouched time is not a changed one)."""
    data = {}
    for name, value in values.items():
        if name not in SPLIT:
            data[name] = value
        elif value is None:
            data[f"{name}_0"] = data[f"{name}_1"] = ""
        else:
            local = value.astimezone(zone).replace(microsecond=0)
            data[f"{name}_0"], data[f"{name}_1"] = local.date(), local.time()
    return data


def _errors(form) -> dict[str, list[str]]:
    return {
        "non_field_errors" if name == NON_FIELD_ERRORS else name: [
            error["message"] for error in errors.get_json_data()
        ]
        for name, errors in form.errors.items()
    }


def _save(form, *, change: bool) -> ExchangeMeeting:
    """As ExchangeMeetingAdmin.save_model and save_related save: a new meeting as it is; a
    changed one through meeting_update, which tells the registered people of a new time, place,
    format or status (or of any change, when announced); then its topics."""
    meeting = form.save(commit=False)
    if change:
        changed = [name for name in form.changed_data if name != ANNOUNCE]
        announce = form.cleaned_data.get(ANNOUNCE, False)
        meeting_update(meeting=meeting, changed_fields=changed, announce=announce)
    else:
        meeting.save()
    form.save_m2m()
    return meeting
