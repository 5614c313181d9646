"""The campaign's forms: the group and its filters, each language's text (checked when saved,
never at send time), and the time a campaign is scheduled for."""

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access import rules
from calls.models import ApplicationStatus
from exchanges.models import RegistrationStatus, Role
from notifications.rendering import template_errors

from .models import SEGMENT_FIELDS, Campaign, CampaignText, SegmentKind
from .services import PLACEHOLDERS

# Each kind's own filters: the statuses or roles it takes, and what it says when none is chosen.
FILTERS = {
    SegmentKind.MEETING: (
        "registration_statuses",
        gettext_lazy("Choose at least one registration status."),
    ),
    SegmentKind.NETWORK: ("roles", gettext_lazy("Choose at least one city role.")),
    SegmentKind.CALL: ("application_states", gettext_lazy("Choose at least one state.")),
}


def _choices(field: str, choices) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=Campaign._meta.get_field(field).verbose_name.capitalize(),
        help_text=Campaign._meta.get_field(field).help_text,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CampaignForm(forms.ModelForm):
    """Only the chosen kind's fields are kept: what was left in the others is cleared, so that
    the stored campaign says exactly whom it writes to."""

    user = None  # set per request by the admin

    registration_statuses = _choices("registration_statuses", RegistrationStatus.choices)
    roles = _choices("roles", Role.choices)
    application_states = _choices("application_states", ApplicationStatus.choices)

    class Meta:
        model = Campaign
        fields = [
            "title",
            "programme",
            "segment",
            "meeting",
            "registration_statuses",
            "network",
            "roles",
            "target_groups",
            "call",
            "application_states",
            "review_round",
            "scheduled_at",
        ]

    def clean_scheduled_at(self):
        at = self.cleaned_data.get("scheduled_at")
        if at is not None and at <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future."))
        return at

    def clean(self):
        data = super().clean()
        segment = data.get("segment")
        self._keep_only(segment, data)
        if segment == SegmentKind.MEETING and data.get("meeting") is not None:
            # A meeting's campaign is its network's (none for a programme's conference).
            data["network"] = data["meeting"].network
        self._check_programme(data)
        self._check_network_chosen(segment, data)
        return data

    def _keep_only(self, segment, data) -> None:
        for kind, (name, _message) in SEGMENT_FIELDS.items():
            if kind != segment:
                data[name] = None
        for kind, (name, message) in FILTERS.items():
            if kind != segment:
                data[name] = []
            elif not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        if segment != SegmentKind.NETWORK:
            data["target_groups"] = data["target_groups"].none() if "target_groups" in data else []

    def _check_programme(self, data) -> None:
        programme = data.get("programme")
        if programme is None:
            return
        for name in ("meeting", "network", "call", "review_round"):
            chosen = data.get(name)
            if chosen is not None and chosen.programme_id != programme.pk:
                self.add_error(
                    name if name in self.fields and name not in self.errors else None,
                    _("%(chosen)s is not of the programme %(programme)s.")
                    % {"chosen": chosen, "programme": programme},
                )

    def _check_network_chosen(self, segment, data) -> None:
        """A national coordinator writes to their network: a campaign without one would be
        the whole programme's, which is its coordinators' alone."""
        programme = data.get("programme")
        if programme is None or data.get("network") is not None or self.user is None:
            return
        if not rules.programmes_run(self.user).filter(pk=programme.pk).exists():
            field = "meeting" if segment == SegmentKind.MEETING else "network"
            self.add_error(
                field if field not in self.errors else None,
                _("Choose one of your networks: the whole programme is its coordinators’."),
            )


class CampaignTextForm(forms.ModelForm):
    """A subject and text that would not render are refused here, with the reason."""

    class Meta:
        model = CampaignText
        fields = ["language", "subject", "body"]

    def clean_subject(self):
        return self._checked("subject")

    def clean_body(self):
        return self._checked("body")

    def _checked(self, name: str) -> str:
        source = self.cleaned_data.get(name, "")
        errors = template_errors(source, PLACEHOLDERS)
        if errors:
            raise forms.ValidationError(errors)
        return source


class CampaignTextFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        languages = [
            form.cleaned_data.get("language")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if settings.LANGUAGE_CODE not in languages:
            raise forms.ValidationError(
                _(
                    "Write the text in %(language)s: everyone whose language has no text of "
                    "its own reads it."
                )
                % {"language": dict(settings.LANGUAGES)[settings.LANGUAGE_CODE]}
            )


class ScheduleForm(forms.Form):
    at = forms.SplitDateTimeField(
        label=gettext_lazy("Send at"), widget=AdminSplitDateTime, required=True
    )

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future."))
        return at
