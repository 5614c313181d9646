from django import template
from django.utils.translation import get_language

from reports.models import Document
from reports.services import document_latest

register = template.Library()


@register.simple_tag
def latest_plan(programme):
    """The published plan in the reader's language, or in English; None before the first."""
    for language in dict.fromkeys([get_language(), "en"]):
        document = document_latest(kind=Document.Kind.PLAN, programme=programme, language=language)
        if document is not None:
            return document
    return None
