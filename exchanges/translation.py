from modeltranslation.translator import TranslationOptions, register

from .models import (
    ExchangeMeeting,
    MeetingMaterial,
    NationalNetwork,
    Programme,
    Question,
    QuestionChoice,
    Session,
    Theme,
    Topic,
)


@register(Programme)
class ProgrammeTranslationOptions(TranslationOptions):
    fields = (
        "name",
        "tagline",
        "description",
        "peer_learning",
        "pioneer_label",
        "engaged_label",
        "special_award_label",
        "mentor_label",
        "funding_statement",
        "signatory_title",
    )


@register(NationalNetwork)
class NationalNetworkTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(ExchangeMeeting)
class ExchangeMeetingTranslationOptions(TranslationOptions):
    fields = ("title", "description", "status_note")


@register(MeetingMaterial)
class MeetingMaterialTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Session)
class SessionTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Question)
class QuestionTranslationOptions(TranslationOptions):
    fields = ("label", "help_text")


@register(QuestionChoice)
class QuestionChoiceTranslationOptions(TranslationOptions):
    fields = ("label",)
