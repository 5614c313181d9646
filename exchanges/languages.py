"""A programme's pages, documents and e-mails speak only the programme's languages.

The portal speaks seven languages; a programme chooses some of them (Programme.languages). A
page of the programme is served in the visitor's language when the programme speaks it and in
the programme's first language otherwise, and its language switcher offers only the programme's
languages (the `page_languages` tag reads `request.page_languages`).
"""

from django.http import Http404
from django.utils import translation

from .models import Programme


def programme_speak(request, programme: Programme) -> str:
    """Serve this request in one of the programme's languages; return that language."""
    current = translation.get_language()
    language = programme.language_for(current)
    if language != current:
        translation.activate(language)  # LocaleMiddleware names it in Content-Language
        request.LANGUAGE_CODE = language
    request.page_languages = programme.language_codes
    return language


def document_language(request, programme: Programme) -> str:
    """?lang= of a document link: one of the programme's languages, its first by default (the
    URL alone decides, so a shared cache never serves one language for another). A language the
    programme does not speak has no document: 404."""
    language = request.GET.get("lang") or programme.language_codes[0]
    if not programme.speaks(language):
        raise Http404
    return language
