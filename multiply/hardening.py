"""Requests no page can read are refused before any view runs (issue 15, "no 500").

A NUL byte has no place in an address or a form: PostgreSQL refuses it in any text ("A string
literal cannot contain NUL"), so an invitation token or a calendar token that carried one
answered 500 as soon as it was looked up. A lone surrogate (half of a UTF-16 pair) cannot even be
written as UTF-8. Django decodes what a browser sends with replacement characters, so a surrogate
reaches us only through a server that decodes for us, but looking for it costs nothing.

Either is answered 400 Bad Request wherever it is: in the path, the query string, a form field's
name or value, or a cookie. In the path too, where a 404 ("no such invitation") would also be
true: the request itself is broken whatever exists, a 400 says so, and one answer for every place
is the simpler rule to read in a log. The middleware comes before everything that reads the
request (sessions, CSRF, whitenoise's files, the views), so none of them meets one. Uploaded
files' names need no check here: Django's multipart parser drops NUL from them, and
multiply/filenames.py makes the rest safe to store.
"""

import re

from django.core.exceptions import BadRequest
from django.http import UnreadablePostError

UNREADABLE = re.compile("[\x00\ud800-\udfff]")


class RefuseUnreadableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        part = unreadable_part(request)
        if part is not None:
            raise BadRequest(f"a NUL byte or a lone surrogate in the request's {part}")
        return self.get_response(request)


def unreadable_part(request) -> str | None:
    """The first part of the request that carries a character no page can read, or None."""
    parts = {
        "path": lambda: [request.path],
        "query string": lambda: _texts(request.GET),
        "cookies": lambda: [*request.COOKIES, *request.COOKIES.values()],
        "form": lambda: _texts(_form(request)),
    }
    for part, texts in parts.items():
        if any(UNREADABLE.search(text or "") for text in texts()):
            return part
    return None


def _form(request):
    # Parsed here rather than in the view: the form is read once either way, and Django keeps it.
    try:
        return request.POST
    except UnreadablePostError:  # the client went away mid-upload: nobody reads the answer
        raise BadRequest("the request's body could not be read") from None


def _texts(query) -> list[str]:
    return [text for name, values in query.lists() for text in (name, *values)]
