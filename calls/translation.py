"""Call texts are translated like the programmes' (django-modeltranslation): one call, read in the
reader's language with English as the fallback, and edited side by side in the admin."""

from modeltranslation.translator import TranslationOptions, register

from .models import Call, Question


@register(Call)
class CallTranslationOptions(TranslationOptions):
    fields = ("title", "text", "eligibility", "selection_criteria", "webinar_title")


@register(Question)
class QuestionTranslationOptions(TranslationOptions):
    fields = ("text", "help_text", "choices")
