from django import forms
from django.utils.translation import gettext_lazy as _


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
