from django import forms
from django.utils.translation import gettext_lazy as _

from .questions import field_name, questions_add_fields


class QuestionsMixin:
    """A form that also asks a meeting's own questions (exchanges.questions), after its fields."""

    def add_questions(self, questions) -> None:
        self.questions = list(questions)
        questions_add_fields(self, self.questions)

    def question_fields(self):
        return [self[field_name(question)] for question in self.questions]

    def answers(self) -> dict:
        """{question id: value} of a valid form, as the services take them."""
        return {
            question.pk: self.cleaned_data.get(field_name(question)) for question in self.questions
        }


class RegistrationForm(QuestionsMixin, forms.Form):
    note = forms.CharField(
        label=_("Note for the organisers"),
        help_text=_("Dietary needs, accessibility, anything we should know. Optional."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The notice that applies is linked beside the box (the meeting's programme's, else the
    # portal's), and the version accepted is recorded with the registration (issue 15).
    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my registration is stored."),
        help_text=_("The version you accept is recorded with your registration."),
        error_messages={"required": _("Please accept the privacy notice to register.")},
        widget=forms.CheckboxInput(attrs={"aria-describedby": "privacy-consent-help"}),
    )
    listed = forms.BooleanField(
        label=_("Other participants of this meeting may see my name and city."),
        required=False,
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_questions(questions)


class MeetingFeedbackForm(QuestionsMixin, forms.Form):
    """The questions the meeting's coordinator chose for its feedback form."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_questions(questions)
