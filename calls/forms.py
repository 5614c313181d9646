"""The application form: the municipality, its contact person, eligibility and the coordinator's
questions. Uploads are checked here - size and type - before anything is stored (docs/DESIGN.md,
"Uploads": Django has no per-file cap)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from cities.models import City, Country
from multiply.uploads import validate_upload

from .models import Application, Call, Question, QuestionKind
from .services import ApplicantData, cities_to_apply_for

YES_NO = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]


class CityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.country.name})"


class ApplicationForm(forms.Form):
    city = CityChoiceField(
        label=_("Municipality"),
        queryset=City.objects.none(),
        required=False,
        empty_label=_("— not in the list —"),
        error_messages={
            "invalid_choice": _(
                "You can apply only for a municipality whose contact you are. Name your "
                "municipality instead: the coordinators will confirm it."
            )
        },
    )
    new_city_name = forms.CharField(
        label=_("Or, if it is not in the list, the municipality's name"),
        max_length=200,
        required=False,
    )
    country = forms.ModelChoiceField(
        label=_("Country of that municipality"), queryset=Country.objects.all(), required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact person's e-mail address"))
    contact_phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    contact_position = forms.CharField(label=_("Position"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Language for our messages"), choices=settings.LANGUAGES, initial="en"
    )

    def __init__(self, *args, call: Call, user, application: Application | None = None, **kwargs):
        self.call = call
        self.application = application
        super().__init__(*args, **kwargs)
        # Only the cities this account speaks for (calls.services.cities_to_apply_for).
        self.fields["city"].queryset = cities_to_apply_for(user=user, call=call)
        if not self.fields["city"].queryset.exists():
            self.fields["city"].widget = forms.HiddenInput()
            self.fields["new_city_name"].label = _("Your municipality")
            self.fields["new_city_name"].help_text = _(
                "Your account is not linked to a municipality yet: name yours, and the "
                "coordinators confirm it with your application."
            )
        if call.eligibility:
            self.fields["eligibility"] = forms.BooleanField(
                label=_("We confirm: %(condition)s") % {"condition": call.eligibility},
                error_messages={
                    "required": _("Only municipalities that meet this condition may apply.")
                },
            )
        self.existing = {}
        if application is not None:
            self.existing = {answer.question_id: answer for answer in application.answers.all()}
        for question in call.questions.all():
            self.fields[self.key(question)] = self._question_field(question)
        if application is not None and not self.is_bound:
            self.initial.update(self._initial_from(application))

    @staticmethod
    def key(question: Question) -> str:
        return f"q{question.pk}"

    def _question_field(self, question: Question) -> forms.Field:
        common = {
            "label": question.text,
            "help_text": question.help_text,
            "required": question.required,
        }
        if question.kind == QuestionKind.SHORT_TEXT:
            return forms.CharField(max_length=300, **common)
        if question.kind == QuestionKind.LONG_TEXT:
            return forms.CharField(
                max_length=5000, widget=forms.Textarea(attrs={"rows": 6}), **common
            )
        if question.kind == QuestionKind.CHOICE:
            choices = [("", "—")] + [
                (str(number), label) for number, label in enumerate(question.choice_list, 1)
            ]
            return forms.ChoiceField(choices=choices, **common)
        if question.kind == QuestionKind.YES_NO:
            return forms.ChoiceField(choices=YES_NO, **common)
        answered = self.existing.get(question.pk)
        if answered is not None and answered.file:
            common["required"] = False  # the file sent before stays unless a new one comes
        field = forms.FileField(**common)
        field.widget.attrs["accept"] = ",".join(f".{ext}" for ext in question.extension_list)
        field.question = question
        field.current = answered.filename if answered is not None else ""
        return field

    def _initial_from(self, application: Application) -> dict:
        initial = {
            "city": application.city_id,
            "new_city_name": application.new_city_name,
            "country": application.country_id,
            "contact_name": application.contact_name,
            "contact_email": application.contact_email,
            "contact_phone": application.contact_phone,
            "contact_position": application.contact_position,
            "language": application.language,
            "eligibility": bool(application.eligibility_confirmed_at),
        }
        for question in self.call.questions.all():
            answer = self.existing.get(question.pk)
            if answer is not None and question.kind != QuestionKind.FILE:
                initial[self.key(question)] = answer.value
        return initial

    def clean(self):
        data = super().clean()
        for question in self.call.questions.all():
            upload = data.get(self.key(question))
            if question.kind == QuestionKind.FILE and upload:
                try:
                    validate_upload(
                        upload,
                        max_size=question.max_file_size,
                        extensions=question.extension_list,
                    )
                except ValidationError as error:
                    self.add_error(self.key(question), error)
        self._clean_municipality(data)
        return data

    def _clean_municipality(self, data) -> None:
        city, name, country = data.get("city"), data.get("new_city_name", ""), data.get("country")
        if city and name:
            self.add_error(
                "new_city_name",
                _("Choose your municipality from the list or name a new one, not both."),
            )
        elif not city and not name:
            self.add_error(
                "city", _("Choose your municipality, or give its name if it is not in the list.")
            )
        elif name and not country:
            self.add_error("country", _("Choose the country of the municipality."))
        elif name:
            # Among the cities this account speaks for: a stranger typing a real city's name
            # applies under that name, for a coordinator to confirm, and blocks nobody.
            known = (
                self.fields["city"]
                .queryset.filter(country=country)
                .annotate(lower=Lower("name"))
                .filter(lower=name.strip().lower())
                .first()
            )
            if known is not None:  # it was in the list after all
                data["city"], data["new_city_name"] = known, ""

    def applicant_data(self) -> ApplicantData:
        data = self.cleaned_data
        city = data.get("city")
        return ApplicantData(
            city=city,
            new_city_name=data.get("new_city_name", ""),
            country=city.country if city else data["country"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data.get("contact_phone", ""),
            contact_position=data.get("contact_position", ""),
            language=data["language"],
            eligibility_confirmed=bool(data.get("eligibility")),
        )

    def answers(self) -> dict[int, object]:
        """Question id -> text, or the uploaded file, or None for a file question left as it
        was."""
        return {
            question.pk: self.cleaned_data.get(self.key(question)) or None
            if question.kind == QuestionKind.FILE
            else self.cleaned_data.get(self.key(question), "")
            for question in self.call.questions.all()
        }

    def eligibility_field(self):
        return self["eligibility"] if "eligibility" in self.fields else None

    def question_fields(self):
        return [self[self.key(question)] for question in self.call.questions.all()]


class SlidesForm(forms.ModelForm):
    """The call's admin form: the webinar slides are checked like any upload. (The admin
    passes the fields of its fieldsets; these are the ones this form is about.)"""

    class Meta:
        model = Call
        fields = ["slides_file"]

    def clean_slides_file(self):
        upload = self.cleaned_data.get("slides_file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_upload(upload, max_size=settings.MAX_UPLOAD_SIZE, extensions=["pdf", "pptx"])
        return upload
