"""The languages the language switcher offers on this page: the programme's on a programme's
pages (exchanges.languages.programme_speak), every language of the portal elsewhere."""

from django import template
from django.conf import settings
from django.utils.translation import get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def page_languages(context) -> list[dict]:
    request = context.get("request")
    codes = getattr(request, "page_languages", None) or [code for code, _ in settings.LANGUAGES]
    return [get_language_info(code) for code in codes]
