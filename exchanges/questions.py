"""A meeting's own questions: the form fields they become, the answers they accept, the typical
questions offered as a starting set, and the answers counted for the feedback summary.

One module for both forms (registration and feedback), because a question is the same thing on
either: its kind decides the field, the validation and how its answers are counted.
"""

from collections import Counter
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from modeltranslation.utils import get_translation_fields

from .models import (
    ExchangeMeeting,
    Question,
    QuestionChoice,
    QuestionKind,
    QuestionPurpose,
)

TEXT_LIMIT = 3000


def field_name(question: Question) -> str:
    return f"question_{question.pk}"


def question_field(question: Question) -> forms.Field:
    """The form field that asks the question, with the validation its kind needs."""
    common = {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
    }
    choices = [(str(choice.pk), choice.label) for choice in question.choices.all()]
    if question.kind == QuestionKind.TEXT:
        return forms.CharField(max_length=300, **common)
    if question.kind == QuestionKind.LONG_TEXT:
        return forms.CharField(
            max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3}), **common
        )
    if question.kind == QuestionKind.SINGLE:
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    # Yes or no: two radio buttons, so that "no" is an answer and a required question can be
    # answered "no" (a checkbox could not tell "no" from "not answered").
    yes_no = [("yes", _("Yes")), ("no", _("No"))]
    return forms.TypedChoiceField(
        choices=yes_no, coerce=lambda value: value == "yes", widget=forms.RadioSelect, **common
    )


def questions_add_fields(form: forms.Form, questions) -> None:
    """Add a field per question to a form, in the questions' order."""
    for question in questions:
        form.fields[field_name(question)] = question_field(question)


@dataclass(frozen=True)
class AnswerValue:
    """One validated answer, ready to be stored: exactly one of its values is set."""

    question: Question
    text: str = ""
    yes_no: bool | None = None
    choice_ids: tuple[int, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.text and self.yes_no is None and not self.choice_ids


class AnswerRefused(ValueError):
    """An answer that does not fit its question; the message says which and why."""


def answers_from(questions, cleaned_data: dict) -> list[AnswerValue]:
    """The answers of a valid form as AnswerValues (the form already checked them)."""
    return answers_check(
        questions, {question.pk: cleaned_data.get(field_name(question)) for question in questions}
    )


def answers_check(questions, values: dict) -> list[AnswerValue]:
    """Check raw answers {question id: value} against the questions, for callers that do not
    go through a form (the services check again whatever reaches them). Raises AnswerRefused
    for a missing required answer, a choice the question does not offer, a value of the wrong
    kind or a text too long; an answer to a question that is not asked is refused too."""
    by_id = {question.pk: question for question in questions}
    unknown = set(values) - set(by_id)
    if unknown:
        raise AnswerRefused(_("An answer was given to a question this form does not ask."))
    answers = [_answer(question, values.get(question.pk)) for question in questions]
    for answer in answers:
        if answer.question.required and answer.is_empty:
            raise AnswerRefused(
                _("Please answer “%(question)s”.") % {"question": answer.question.label}
            )
    return answers


def _answer(question: Question, value) -> AnswerValue:
    if value in (None, "", [], ()):
        return AnswerValue(question)
    if question.kind == QuestionKind.YES_NO:
        if not isinstance(value, bool):
            raise AnswerRefused(_("“%(question)s” is answered yes or no.") % _named(question))
        return AnswerValue(question, yes_no=value)
    if question.has_choices:
        return AnswerValue(question, choice_ids=_choice_ids(question, value))
    text = str(value).strip()
    limit = 300 if question.kind == QuestionKind.TEXT else TEXT_LIMIT
    if len(text) > limit:
        raise AnswerRefused(_("The answer to “%(question)s” is too long.") % _named(question))
    return AnswerValue(question, text=text)


def _choice_ids(question: Question, value) -> tuple[int, ...]:
    picked = [value] if isinstance(value, (str, int)) else list(value)
    if question.kind == QuestionKind.SINGLE and len(picked) > 1:
        raise AnswerRefused(_("“%(question)s” takes one choice.") % _named(question))
    offered = {choice.pk for choice in question.choices.all()}
    try:
        ids = tuple(sorted({int(pk) for pk in picked}))
    except (TypeError, ValueError):
        ids = None
    if ids is None or not set(ids) <= offered:
        raise AnswerRefused(_("“%(question)s”: that choice is not offered.") % _named(question))
    return ids


def _named(question: Question) -> dict:
    return {"question": question.label}


def answers_save(*, owner, answers: list[AnswerValue], replace: bool = True) -> None:
    """Store the answers of a registration or a feedback (owner.answers), replacing earlier
    ones unless the owner is new; empty answers are not stored. Call inside the owner's
    transaction. Two inserts whatever the number of answers and choices: a registration
    stores them while it holds its meeting's lock."""
    if replace:
        owner.answers.all().delete()
    given = [value for value in answers if not value.is_empty]
    model = owner.answers.model
    field = owner.answers.field.name
    rows = model.objects.bulk_create(
        model(question=value.question, text=value.text, yes_no=value.yes_no, **{field: owner})
        for value in given
    )
    through = model.choices.through
    column = f"{model._meta.model_name}_id"
    through.objects.bulk_create(
        through(**{column: row.pk, "questionchoice_id": choice_id})
        for row, value in zip(rows, given, strict=True)
        for choice_id in value.choice_ids
    )


def answers_initial(owner) -> dict:
    """The stored answers as a form's initial data, to show an answer being changed."""
    initial = {}
    for answer in owner.answers.all():
        question = answer.question
        if question.kind == QuestionKind.YES_NO:
            value = None if answer.yes_no is None else ("yes" if answer.yes_no else "no")
        elif question.kind == QuestionKind.SINGLE:
            value = next((str(choice.pk) for choice in answer.choices.all()), None)
        elif question.kind == QuestionKind.MULTIPLE:
            value = [str(choice.pk) for choice in answer.choices.all()]
        else:
            value = answer.text
        initial[field_name(question)] = value
    return initial


# --- Starting sets ---------------------------------------------------------------------------

SESSIONS_QUESTION = gettext_noop("Which sessions will you attend?")

# (kind, label, choices): the questions coordinators most often ask, offered with one click and
# then edited like any other. Labels are translated into every language at creation.
REGISTRATION_STARTERS = [
    (QuestionKind.LONG_TEXT, gettext_noop("Do you need help with travel or accommodation?"), []),
    (
        QuestionKind.SINGLE,
        gettext_noop("Dietary needs"),
        [
            gettext_noop("None"),
            gettext_noop("Vegetarian"),
            gettext_noop("Vegan"),
            gettext_noop("Other (please tell us in your note)"),
        ],
    ),
    (QuestionKind.LONG_TEXT, gettext_noop("Accessibility needs"), []),
    # Its choices are the meeting's agenda sessions, when it has them (_sessions_as_choices).
    (QuestionKind.MULTIPLE, SESSIONS_QUESTION, []),
]
FEEDBACK_STARTERS = [
    (
        QuestionKind.SINGLE,
        gettext_noop("How useful was the meeting for your work?"),
        # The words of exchanges.models.Usefulness, the answers of the form before issue 13.
        [
            gettext_noop("very useful"),
            gettext_noop("quite useful"),
            gettext_noop("of little use"),
            gettext_noop("not useful"),
        ],
    ),
    (QuestionKind.LONG_TEXT, gettext_noop("What will you apply in your own work?"), []),
    (QuestionKind.LONG_TEXT, gettext_noop("What should we change next time?"), []),
]
STARTERS = {
    QuestionPurpose.REGISTRATION: REGISTRATION_STARTERS,
    QuestionPurpose.FEEDBACK: FEEDBACK_STARTERS,
}


def _in_every_language(text: str) -> dict:
    values = {"label": text}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values[f"label_{code}"] = _(text)
    return values


@transaction.atomic
def questions_add_starters(*, meeting: ExchangeMeeting, purpose: str) -> list[Question]:
    """Add the typical questions of a form to a meeting, after the ones it has, skipping any it
    already asks (by its English label): adding them twice adds nothing."""
    asked = set(meeting.questions.filter(purpose=purpose).values_list("label_en", flat=True))
    order = meeting.questions.filter(purpose=purpose).count()
    added = []
    for kind, label, choices in STARTERS[purpose]:
        if label in asked:
            continue
        question = Question.objects.create(
            meeting=meeting, purpose=purpose, kind=kind, order=order, **_in_every_language(label)
        )
        for index, choice in enumerate(choices):
            QuestionChoice.objects.create(
                question=question, order=index, **_in_every_language(choice)
            )
        if label == SESSIONS_QUESTION:
            _sessions_as_choices(meeting, question)
        added.append(question)
        order += 1
    return added


def _sessions_as_choices(meeting: ExchangeMeeting, question: Question) -> None:
    """One choice per agenda session, titled in every language as the session is."""
    fields = get_translation_fields("title")
    for index, session in enumerate(meeting.sessions.order_by("start", "pk")):
        titles = {field.replace("title", "label", 1): getattr(session, field) for field in fields}
        QuestionChoice.objects.create(question=question, order=index, label=session.title, **titles)


def meeting_questions(*, meeting: ExchangeMeeting, purpose: str) -> list[Question]:
    """A form's questions with their choices, in order: two queries. A choice question without
    choices yet is not asked: nobody could answer it."""
    questions = (
        meeting.questions.filter(purpose=purpose)
        .prefetch_related("choices")
        .order_by("order", "pk")
    )
    return [
        question for question in questions if not question.has_choices or question.choices.all()
    ]


def feedback_questions(*, meeting: ExchangeMeeting) -> list[Question]:
    """The feedback form's questions. A meeting whose coordinator chose none asks the typical
    three, added when first needed, so that every meeting can be asked for feedback."""
    questions = meeting_questions(meeting=meeting, purpose=QuestionPurpose.FEEDBACK)
    if questions:
        return questions
    questions_add_starters(meeting=meeting, purpose=QuestionPurpose.FEEDBACK)
    return meeting_questions(meeting=meeting, purpose=QuestionPurpose.FEEDBACK)


def answers_summary(*, questions, answers) -> list[dict]:
    """Per question, counts per choice (every choice listed, zero too) or yes/no, and the texts:
    what the feedback summary shows. `answers` are FeedbackAnswer rows with their choices."""
    by_question = {question.pk: [] for question in questions}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    return [_summary(question, by_question[question.pk]) for question in questions]


def _summary(question: Question, answers) -> dict:
    summary = {"question": question, "answered": len(answers), "counts": [], "texts": []}
    if question.has_choices:
        counts = Counter(choice.pk for answer in answers for choice in answer.choices.all())
        summary["counts"] = [(choice.label, counts[choice.pk]) for choice in question.choices.all()]
    elif question.kind == QuestionKind.YES_NO:
        counts = Counter(answer.yes_no for answer in answers)
        summary["counts"] = [(_("Yes"), counts[True]), (_("No"), counts[False])]
    else:
        summary["texts"] = [answer.text for answer in answers if answer.text]
    return summary
