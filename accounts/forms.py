from django import forms
from django.utils.translation import gettext_lazy as _

from cities.models import Contact

from .models import User


class NameForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class ContactProfileForm(forms.ModelForm):
    """What city staff may change about themselves; the city is the coordinators' to set."""

    class Meta:
        model = Contact
        fields = ["position", "language", "target_groups"]
        widgets = {"target_groups": forms.CheckboxSelectMultiple}
        help_texts = {
            "language": _("E-mails from the portal come in this language."),
            "target_groups": _("You are invited to the meetings of these groups."),
        }
