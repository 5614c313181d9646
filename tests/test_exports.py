"""The one CSV writer every export uses (multiply.exports)."""

import csv
import io

from django.utils.translation import gettext_lazy

from multiply.exports import csv_response


def read(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


def test_a_cell_that_would_run_as_a_formula_is_written_as_text():
    response = csv_response(
        "people.csv", [['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "Łódź", 3, -4]]
    )

    assert read(response) == [
        ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "Łódź", "3", "-4"]
    ]


def test_it_is_a_private_download_with_its_name():
    response = csv_response("applications.csv", [[gettext_lazy("call")]])

    assert response["Content-Disposition"] == 'attachment; filename="applications.csv"'
    assert response["Cache-Control"] == "private, no-cache"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert read(response) == [["call"]]


# --- XLSX (multiply.exports.xlsx_response) ---------------------------------------------------

# Imported here, below the CSV tests, so that this part of the file stands on its own.
from multiply.exports import xlsx_response  # noqa: E402


def open_xlsx(response):
    from openpyxl import load_workbook

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.content))


def test_an_xlsx_opens_with_a_bold_frozen_header_dates_as_dates_and_wide_enough_columns():
    import datetime as dt

    response = xlsx_response(
        "report.xlsx",
        {
            "Meetings": [
                [gettext_lazy("meeting"), "date", "attended"],
                ["Energy planning in Łódź and its surroundings", dt.date(2021, 3, 10), 4],
            ]
        },
    )

    assert response["Content-Disposition"] == 'attachment; filename="report.xlsx"'
    assert response["Cache-Control"] == "private, no-cache"
    sheet = open_xlsx(response)["Meetings"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [
        ("meeting", "date", "attended"),
        ("Energy planning in Łódź and its surroundings", dt.datetime(2021, 3, 10), 4),
    ]
    assert [cell.font.bold for cell in sheet[1]] == [True, True, True]
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].is_date
    assert sheet.column_dimensions["A"].width >= len(rows[1][0])


def test_a_cell_that_would_run_as_a_formula_is_text_in_xlsx():
    values = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)"]
    sheet = open_xlsx(xlsx_response("people.xlsx", {"People": [["name"] * 4, values]})).active

    assert [cell.value for cell in sheet[2]] == values
    assert [cell.data_type for cell in sheet[2]] == ["s"] * 4


def test_sheet_names_excel_refuses_are_made_acceptable_and_unique():
    long = "National exchange: energy planning / mobility [2021]"
    book = open_xlsx(xlsx_response("x.xlsx", {long: [["a"]], long.upper(): [["b"]], "": [["c"]]}))

    first, second, third = book.sheetnames
    assert len(first) <= 31 and not set("[]:*?/\\") & set(first)
    assert first.startswith("National exchange")
    assert second.endswith("(2)") and len(second) <= 31
    assert third == "Sheet"
