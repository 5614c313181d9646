"""A meeting's agenda in its admin form: one stacked row per session (issue 13, item 5).

The times are typed and shown in the meeting's own zone: the inline is handled inside the
meeting's change form, which ExchangeMeetingAdmin runs in that zone (OwnTimeZoneAdminMixin).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline

from access.admin import ScopedMixin

from ..models import Session
from .common import HTTPS_URLS


class SessionForm(forms.ModelForm):
    """Session.clean keeps a session within its meeting, but only once the meeting is saved:
    on the page that adds the meeting, the meeting typed above is checked here."""

    def clean(self):
        data = super().clean()
        meeting = data.get("meeting")
        if meeting is None or meeting.pk or not (meeting.start and meeting.end):
            return data
        for name in ("start", "end"):
            value = data.get(name)
            if value and not meeting.start <= value <= meeting.end:
                self.add_error(name, _("A session takes place during its meeting."))
        return data


class SessionInline(ScopedMixin, TranslationStackedInline):
    model = Session
    form = SessionForm
    formfield_overrides = HTTPS_URLS
    fields = [
        "title",
        ("start", "end"),
        ("room", "online_url"),
        "speakers",
        "other_speakers",
        "target_group",
        "materials",
        "description",
    ]
    autocomplete_fields = ["speakers", "materials"]
    # The search offers the meeting's own materials (the row's hidden link to its meeting).
    dependent_pickers = {"materials": {"meeting": "meeting"}}
    ordering = ["start", "pk"]
    extra = 0
    verbose_name_plural = _("Agenda (times in the meeting's time zone)")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Saving accepts only the meeting's own materials, whatever the search offered; a
        # meeting being added has none yet. (A reader's form has no field to narrow.)
        field = formset.form.base_fields.get("materials")
        if field is not None:
            field.queryset = field.queryset.filter(meeting=obj) if obj else field.queryset.none()
        return formset
