"""Files a coordinator downloads for a spreadsheet: every export of the portal is written here,
so each one opens the same way and none can carry a formula."""

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise

# A cell starting with one of these runs as a formula in a spreadsheet program (CSV injection):
# a contact who names their city "=HYPERLINK(...)" must not reach the coordinator's machine.
# OWASP's list (tab, carriage return and, since 2025, line feed: a cell's formula may start on
# its second line).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


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


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's limits on a sheet's name: 31 characters, none of these.
SHEET_TITLE_LENGTH = 31
SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
COLUMN_WIDTH_MIN, COLUMN_WIDTH_MAX = 8, 60


def xlsx_response(filename: str, sheets: dict[str, list[list]]) -> HttpResponse:
    """An Excel workbook of these sheets, each a list of rows whose first is its header: the
    header bold and frozen, columns as wide as their text, dates as dates. Every text is a text
    cell, so a value starting with "=" is shown, never calculated."""
    from openpyxl import Workbook  # imported when an export is asked for, not by every page

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for title, rows in (sheets or {"": []}).items():
        _write_sheet(workbook.create_sheet(_sheet_title(title, used)), rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    return response


def _write_sheet(sheet, rows: list[list]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    values = [[_xlsx_value(value) for value in row] for row in rows]
    # A write-only sheet takes its column widths and panes before its first row.
    for index, width in enumerate(_column_widths(values), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    for number, row in enumerate(values):
        sheet.append([_cell(sheet, value, font=bold if number == 0 else None) for value in row])


def _cell(sheet, value, *, font=None):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
    elif isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    if font is not None:
        cell.font = font
    return cell


def _xlsx_value(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters Excel refuses
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        # A spreadsheet has no time zones: the portal's local time, as on its pages.
        return timezone.make_naive(value)
    return value


def _column_widths(rows: list[list]) -> list[int]:
    widths: list[int] = []
    for row in rows:
        for index, value in enumerate(row):
            length = 12 if isinstance(value, dt.date) else len(str("" if value is None else value))
            if index == len(widths):
                widths.append(COLUMN_WIDTH_MIN)
            widths[index] = max(widths[index], min(length + 2, COLUMN_WIDTH_MAX))
    return widths


def _sheet_title(title, used: set[str]) -> str:
    """A name Excel accepts, unique in the workbook (Excel compares them ignoring case)."""
    base = str(title).translate(SHEET_TITLE_FORBIDDEN).strip().strip("'")
    base = " ".join(base.split())[:SHEET_TITLE_LENGTH].strip() or "Sheet"
    candidate, number = base, 1
    while candidate.casefold() in used:
        number += 1
        suffix = f" ({number})"
        candidate = base[: SHEET_TITLE_LENGTH - len(suffix)].rstrip() + suffix
    used.add(candidate.casefold())
    return candidate
