from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Usefulness


class RegistrationForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the organisers"),
        help_text=_("Dietary needs, accessibility, anything we should know. Optional."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my registration is stored."),
        error_messages={"required": _("Please accept the privacy notice to register.")},
    )
    listed = forms.BooleanField(
        label=_("Other participants of this meeting may see my name and city."),
        required=False,
    )


class MeetingFeedbackForm(forms.Form):
    """Three questions, all optional."""

    usefulness = forms.ChoiceField(
        label=_("How useful was the meeting for your work?"),
        choices=Usefulness.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    will_apply = forms.CharField(
        label=_("What will you apply in your own work?"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    to_change = forms.CharField(
        label=_("What should we change next time?"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
