from modeltranslation.translator import TranslationOptions, register

from .models import ConsortiumMeeting


@register(ConsortiumMeeting)
class ConsortiumMeetingTranslationOptions(TranslationOptions):
    fields = ("summary", "minutes", "linked_event")
