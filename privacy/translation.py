"""A privacy notice is written in every language the portal speaks, side by side in the admin;
a reader sees their own, with English as the fallback."""

from modeltranslation.translator import TranslationOptions, register

from .models import PrivacyNotice


@register(PrivacyNotice)
class PrivacyNoticeTranslationOptions(TranslationOptions):
    fields = ("title", "body")
