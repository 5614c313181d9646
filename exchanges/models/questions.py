"""The questions a meeting asks: on its registration form, and on its feedback form afterwards.

A coordinator chooses them per meeting, from five kinds, each required or optional, ordered and
translated like other content. Answers are rows, one per question and registration (or feedback
answer), so that they can be validated, exported and counted per choice.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .meetings import ExchangeMeeting


class QuestionKind(models.TextChoices):
    TEXT = "text", _("short text")
    LONG_TEXT = "long_text", _("long text")
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    YES_NO = "yes_no", _("yes or no")


# The kinds answered by picking among the question's choices.
CHOICE_KINDS = [QuestionKind.SINGLE, QuestionKind.MULTIPLE]


class QuestionPurpose(models.TextChoices):
    REGISTRATION = "registration", _("registration form")
    FEEDBACK = "feedback", _("feedback form")


class Question(models.Model):
    meeting = models.ForeignKey(
        ExchangeMeeting,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("meeting"),
    )
    purpose = models.CharField(
        _("asked on"),
        max_length=20,
        choices=QuestionPurpose.choices,
        default=QuestionPurpose.REGISTRATION,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["meeting", "purpose", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="meeting_question_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=QuestionPurpose.values),
                name="meeting_question_purpose_valid",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS


class QuestionChoice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    label = models.CharField(_("choice"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "order", "pk"]

    def __str__(self):
        return self.label


class Answer(models.Model):
    """One answer to one question: text for the text kinds, yes_no for yes/no, choices for the
    choice kinds. exchanges.questions checks that an answer fits its question's kind."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="+", verbose_name=_("question")
    )
    text = models.TextField(_("text"), blank=True, max_length=3000)
    yes_no = models.BooleanField(_("yes or no"), null=True, blank=True)
    choices = models.ManyToManyField(
        QuestionChoice, blank=True, related_name="+", verbose_name=_("choices")
    )

    class Meta:
        abstract = True

    def display(self) -> str:
        """The answer as a coordinator reads it (exports, the registration page)."""
        if self.question.kind == QuestionKind.YES_NO:
            return "" if self.yes_no is None else str(_("yes") if self.yes_no else _("no"))
        if self.question.has_choices:
            return "; ".join(choice.label for choice in self.choices.all())
        return self.text


class RegistrationAnswer(Answer):
    registration = models.ForeignKey(
        "exchanges.Registration",
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("registration"),
    )

    class Meta:
        verbose_name = _("registration answer")
        verbose_name_plural = _("registration answers")
        ordering = ["registration", "question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "question"], name="registration_answer_once"
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.display()}"


class FeedbackAnswer(Answer):
    feedback = models.ForeignKey(
        "exchanges.MeetingFeedback",
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("feedback"),
    )

    class Meta:
        verbose_name = _("feedback answer")
        verbose_name_plural = _("feedback answers")
        ordering = ["feedback", "question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["feedback", "question"], name="feedback_answer_once"),
        ]

    def __str__(self):
        return f"{self.question}: {self.display()}"
