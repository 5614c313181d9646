from modeltranslation.translator import TranslationOptions, register

from .models import Country, TargetGroup


@register(Country)
class CountryTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(TargetGroup)
class TargetGroupTranslationOptions(TranslationOptions):
    fields = ("name", "description")
