from django.conf import settings
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from exchanges.content_gaps import languages_of, missing_languages


class TranslationGapsMixin:
    """The change page of a translated object says, above its fields, which of its texts are
    missing in its programme's languages: there readers see the English text instead.

    A fieldset of its own rather than a template, so that it composes with the admins that
    have their own change-form template."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and missing_languages(obj, languages_of(obj)):
            fieldsets.insert(0, (_("Missing translations"), {"fields": ["translation_gaps"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "translation_gaps"]

    @admin.display(description=_("missing in"))
    def translation_gaps(self, obj):
        if obj is None or obj.pk is None:
            return ""
        names = dict(settings.LANGUAGES)
        missing = missing_languages(obj, languages_of(obj))
        if not missing:
            return _("Nothing is missing.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {}</li>",
                ((names[code], ", ".join(fields)) for code, fields in missing.items()),
            ),
        )
