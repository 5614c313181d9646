# Django's Polish formats already use the genitive ("4 grudnia 2021 23:59").
DATETIME_FORMAT = "j E Y, H:i"
WEEKDAY_DATE_FORMAT = "l, j E Y"
WEEKDAY_DATETIME_FORMAT = "l, j E Y, H:i"
MONTH_DAY_TIME_FORMAT = "j E, H:i"
