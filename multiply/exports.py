"""Files a coordinator downloads for a spreadsheet: every export of the portal is written here,
so each one opens the same way and none can carry a formula."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.functional import Promise

# A cell starting with one of these runs as a formula in a spreadsheet program (CSV injection):
# a contact who names their city "=HYPERLINK(...)" must not reach the coordinator's machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """The value as a spreadsheet shows it and never runs: text that would start a formula gets
    a leading apostrophe, which spreadsheet programs hide."""
    if isinstance(value, Promise):  # a lazily translated label
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(filename: str, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download of these rows. UTF-8 with a byte-order mark, or Excel reads Łódź as
    mojibake; private, since every export holds people's names."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([spreadsheet_cell(value) for value in row])
    return response
