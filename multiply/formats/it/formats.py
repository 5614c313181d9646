# Django's Italian formats pad the day and put the weekday in every date-time ("Sabato 04
# Dicembre 2021 23:59"); Italian writes "4 dicembre 2021, 23:59" (the lower case comes from the
# portal's catalogue: multiply/formats/names.py).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
WEEKDAY_DATE_FORMAT = "l j F Y"
WEEKDAY_DATETIME_FORMAT = "l j F Y, H:i"
MONTH_DAY_TIME_FORMAT = "j F, H:i"
