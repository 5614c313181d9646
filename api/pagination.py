"""Pages of the public API's lists: `page` and `page_size` (25 by default, at most 100).

A value that is not a whole number from 1 is a 400 with the reason, where DRF would quietly use
its default; a page size above the cap is read as the cap, so a client asking for 1,000 gets 100
and the `next` link. A page number past the last page is a 404 (the page is not there).
"""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from exchanges.calendar_pages import CalendarPaginator

WHOLE_NUMBER = re.compile(r"[0-9]{1,19}")
# The largest number the schema promises to read (a 64-bit integer, as the ids are).
LARGEST = 2**63 - 1


class PublicPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    # Only numbers: "last" would be one more value for the schema to describe.
    last_page_strings = ()
    page_query_description = _("A page number, from 1.")
    page_size_query_description = _("How many results per page: 25 by default, at most 100.")

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        return min(_whole_number(self.page_size_query_param, value), self.max_page_size)

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        return _whole_number(self.page_query_param, value)


class CalendarPagination(PublicPagination):
    """The meetings' pages in the calendar's order, sliced from its two index-ordered sections
    (exchanges.calendar_pages.CalendarPaginator) rather than one sort of every meeting."""

    django_paginator_class = CalendarPaginator


def _whole_number(name: str, value: str) -> int:
    if not WHOLE_NUMBER.fullmatch(value) or not 1 <= int(value) <= LARGEST:
        raise ValidationError({name: [_("A whole number from 1.")]})
    return int(value)
