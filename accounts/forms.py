from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from cities.models import EVERYONE, City, Contact, Country
from privacy.notices import user_notice_accept

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "All" is what a meeting open to everyone names; as a group to belong to it says
        # nothing, so it is not offered.
        field = self.fields["target_groups"]
        field.queryset = field.queryset.exclude(slug=EVERYONE)


class LinkRequestForm(forms.Form):
    """An account that speaks for no city names its municipality (issue 15, item 5)."""

    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.none())
    city = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=City.objects.none(),
        required=False,
        empty_label=_("— not in the list —"),
    )
    city_name = forms.CharField(
        label=_("Or, if it is not in the list, its name"), max_length=200, required=False
    )
    position = forms.CharField(label=_("Your position"), max_length=200, required=False)
    note = forms.CharField(
        label=_("A note to the coordinators (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The countries that have a network: only their coordinators can link anyone.
        countries = Country.objects.filter(networks__isnull=False).distinct().order_by("name")
        self.fields["country"].queryset = countries
        self.fields["city"].queryset = (
            City.objects.filter(country__in=countries)
            .select_related("country")
            .order_by("country__name", "name")
        )
        self.fields["city"].label_from_instance = lambda city: f"{city.name} ({city.country})"

    def clean(self):
        data = super().clean()
        city, name, country = (
            data.get("city"),
            data.get("city_name", "").strip(),
            data.get("country"),
        )
        if city is None and not name:
            raise forms.ValidationError(_("Choose your municipality or type its name."))
        if city is not None and country is not None and city.country_id != country.pk:
            self.add_error("city", _("This municipality is not in the country chosen."))
        return data


class SignupForm(AllauthSignupForm):
    """allauth's sign-up (settings.ACCOUNT_FORMS) with the consent to the portal's privacy
    notice (issue 15, item 1): without the box ticked nobody is signed up, and the version
    accepted, with the moment, is recorded on the account."""

    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and accept it."),
        error_messages={"required": _("Please accept the privacy notice to sign up.")},
        widget=forms.CheckboxInput(attrs={"aria-describedby": "privacy-notice-help"}),
    )
    # allauth puts its password fields after the declared ones: the box comes last, before the
    # button, once the rest is filled in.
    field_order = ["email", "password1", "password2", "privacy_consent"]

    def save(self, request):
        user = super().save(request)
        user_notice_accept(user=user)
        return user
