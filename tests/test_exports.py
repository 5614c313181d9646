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
