# Django's German formats: "4. Dezember 2021 23:59".
DATETIME_FORMAT = "j. F Y, H:i"
WEEKDAY_DATE_FORMAT = "l, j. F Y"
WEEKDAY_DATETIME_FORMAT = "l, j. F Y, H:i"
MONTH_DAY_TIME_FORMAT = "j. F, H:i"
