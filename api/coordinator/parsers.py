"""JSON bodies, refused (400) when a text in them holds a NUL byte or a lone surrogate, as every
other part of a request is (multiply/hardening.py): JSON can carry them escaped ("\\u0000",
"\\ud800"), past the middleware, which reads forms, not JSON; and nesting too deep for Python's
json module is a 400 too, not the RecursionError it raises."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from multiply.hardening import UNREADABLE


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            unreadable = _unreadable(data)
        except RecursionError:  # nested deeper than Python's json reads (DRF expects ValueError)
            raise ParseError(_("The JSON body is nested too deeply.")) from None
        if unreadable:
            raise ParseError(_("A text in the JSON body holds a NUL byte or a lone surrogate."))
        return data


def _unreadable(value) -> bool:
    if isinstance(value, str):
        return UNREADABLE.search(value) is not None
    if isinstance(value, dict):
        return any(_unreadable(key) or _unreadable(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_unreadable(item) for item in value)
    return False
