"""Pages of the public API's lists: `page` and `page_size` (25 by default, at most 100).

A value that is not a whole number from 1 is a 400 with the reason, where DRF would quietly use
its default; a page size above the cap is read as the cap, so a client asking for 1,000 gets 100
and the `next` link. A page number past the last page is a 404 (the page is not there).
"""

import re

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

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


class IdPagination(PublicPagination):
    """Sorts and slices on ids alone, then fetches the page's rows with their joins and
    prefetches: sorting 100,000 meetings with their joined rows costs several times as much
    as sorting ids."""

    def paginate_queryset(self, queryset: QuerySet, request, view=None):
        ids = super().paginate_queryset(
            queryset.prefetch_related(None).values_list("pk", flat=True), request, view
        )
        if not ids:
            return []
        by_id = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
        return [by_id[pk] for pk in ids]


def _whole_number(name: str, value: str) -> int:
    if not WHOLE_NUMBER.fullmatch(value) or not 1 <= int(value) <= LARGEST:
        raise ValidationError({name: [_("A whole number from 1.")]})
    return int(value)
