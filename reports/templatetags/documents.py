from django import template
from django.utils.translation import get_language

from reports.plan import plan_link

register = template.Library()


@register.simple_tag
def programme_plan(programme):
    """None when the programme has no plan (reports.plan): the page offers no link. Else its
    newest ready file in the reader's language, or in English, if one is rendered yet."""
    return plan_link(programme=programme, language=get_language() or "en")
