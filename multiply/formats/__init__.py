"""Each language's own form of a date (FORMAT_MODULE_PATH).

Django looks up a format name in ``multiply.formats.<language>.formats`` first, then in its own
locale module, so each module here sets only what differs from Django's, plus the names the portal
adds. Templates use the names, never a pattern, so a date reads the same way on a page, in an
e-mail, in a calendar file and in a PDF:

- DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT, YEAR_MONTH_FORMAT, MONTH_DAY_FORMAT (Django's);
- WEEKDAY_DATE_FORMAT and WEEKDAY_DATETIME_FORMAT: a deadline or a meeting's day, with its weekday;
- MONTH_DAY_TIME_FORMAT: a time within the current year (check-in, agenda).

Genitive or partitive month names come from Django's ``E`` (Polish "4 grudnia", Finnish
"4. joulukuuta"); every clock has 24 hours. ``tests/test_date_formats.py`` checks that every
language of settings.LANGUAGES has a module here defining the portal's names.
"""

PORTAL_FORMATS = ("WEEKDAY_DATE_FORMAT", "WEEKDAY_DATETIME_FORMAT", "MONTH_DAY_TIME_FORMAT")
