# Django's Swedish formats: "4 december 2021 23:59".
WEEKDAY_DATE_FORMAT = "l j F Y"
WEEKDAY_DATETIME_FORMAT = r"l j F Y \k\l. H:i"
MONTH_DAY_TIME_FORMAT = "j F H:i"
