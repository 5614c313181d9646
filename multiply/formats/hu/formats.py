# Django's Hungarian formats: year first ("2021. december 4. 23:59").
WEEKDAY_DATE_FORMAT = "Y. F j., l"
WEEKDAY_DATETIME_FORMAT = "Y. F j., l H:i"
MONTH_DAY_TIME_FORMAT = "F j. H:i"
