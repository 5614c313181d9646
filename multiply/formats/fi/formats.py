# Django's Finnish formats: the partitive month and the dotted clock ("4. joulukuuta 2021 kello
# 23.59").
WEEKDAY_DATE_FORMAT = "l j. E Y"
WEEKDAY_DATETIME_FORMAT = r"l j. E Y \k\l\o G.i"
MONTH_DAY_TIME_FORMAT = r"j. E \k\l\o G.i"
