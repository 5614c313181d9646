"""The demo loader itself: relative days, wall-clock times in their zone, and files that say
something the loader does not expect. What the real demo files load is in test_demo.py."""

import datetime as dt
import textwrap
import zoneinfo

import pytest
import time_machine

from demo.loader import FILES, DemoDataError, load_files, resolve_date
from exchanges.models import ExchangeMeeting, Programme

TODAY = dt.date(2024, 3, 1)
UTC = dt.UTC
HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")

PROGRAMME = """
[[countries]]
code = "FI"
timezone = "Europe/Helsinki"
name = { en = "Finland", fi = "Suomi" }

[[programmes]]
slug = "loader-test"
start_date = "today-30"
end_date = "today+60"
name = { en = "Loader test" }

[[networks]]
programme = "loader-test"
country = "FI"
"""


def write(tmp_path, text: str, name: str = "extra.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def meeting(title: str, day: str, *, zone: str = 'network = "FI"') -> str:
    return f"""
[[meetings]]
programme = "loader-test"
kind = "webinar"
title = {{ en = "{title}" }}
start = {{ day = {day}, time = 10:00:00 }}
end = {{ day = {day}, time = 11:30:00 }}
{zone}
format = "online"
status = "planned"
"""


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.date(2020, 2, 26), dt.date(2020, 2, 26)),
        ("today", TODAY),
        ("today+14", dt.date(2024, 3, 15)),
        ("today-3", dt.date(2024, 2, 27)),
        ("today-1", dt.date(2024, 2, 29)),  # a leap year
        ("today+0", TODAY),
        # TODAY is a Friday: a working day stays, a weekend day becomes the Monday after.
        ("workday", TODAY),
        ("workday+1", dt.date(2024, 3, 4)),
        ("workday+2", dt.date(2024, 3, 4)),
        ("workday+3", dt.date(2024, 3, 4)),
        ("workday-1", dt.date(2024, 2, 29)),
    ],
)
def test_a_date_is_absolute_or_counted_in_days_from_today(value, expected):
    assert resolve_date(value, TODAY) == expected


@pytest.mark.parametrize(
    "value",
    ["tomorrow", "today + 14", "today+1.5", "Today", "today+", "2020-02-26", 14, None],
)
def test_anything_else_is_not_a_date(value):
    with pytest.raises(ValueError, match="expected a date"):
        resolve_date(value, TODAY)


def test_a_date_and_time_is_not_a_date():
    with pytest.raises(ValueError, match="expected a date"):
        resolve_date(dt.datetime(2020, 2, 26, 10, 0), TODAY)


@pytest.mark.django_db
def test_relative_days_in_a_file_count_from_the_loaders_today(tmp_path):
    path = write(tmp_path, PROGRAMME + meeting("Next fortnight", '"today+14"'))

    load_files([path], today=TODAY)

    programme = Programme.objects.get(slug="loader-test")
    assert (programme.start_date, programme.end_date) == (
        dt.date(2024, 1, 31),
        dt.date(2024, 4, 30),
    )
    webinar = ExchangeMeeting.objects.get(title_en="Next fortnight")
    assert webinar.start == dt.datetime(2024, 3, 15, 10, 0, tzinfo=HELSINKI)


@pytest.mark.django_db
def test_a_wall_clock_time_keeps_its_hour_across_the_change_to_summer_time(tmp_path):
    # Finland moved its clocks forward on 27 March 2022: 10:00 was 08:00 UTC before, 07:00 after.
    text = PROGRAMME + meeting("Before", "2022-03-26") + meeting("After", "2022-03-28")
    load_files([write(tmp_path, text)], today=TODAY)

    before = ExchangeMeeting.objects.get(title_en="Before")
    after = ExchangeMeeting.objects.get(title_en="After")

    assert before.timezone == after.timezone == "Europe/Helsinki"  # the network's country's
    assert before.start.astimezone(UTC) == dt.datetime(2022, 3, 26, 8, 0, tzinfo=UTC)
    assert after.start.astimezone(UTC) == dt.datetime(2022, 3, 28, 7, 0, tzinfo=UTC)
    assert after.end - after.start == dt.timedelta(hours=1, minutes=30)


@pytest.mark.django_db
def test_a_zone_given_explicitly_wins_over_the_networks(tmp_path):
    text = PROGRAMME + meeting("In Lisbon", "2022-03-28", zone='timezone = "Europe/Lisbon"')

    load_files([write(tmp_path, text)], today=TODAY)

    lisbon = ExchangeMeeting.objects.get(title_en="In Lisbon")
    assert lisbon.start.astimezone(UTC) == dt.datetime(2022, 3, 28, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text, error",
    [
        (
            PROGRAMME.replace('name = { en = "Loader test" }', 'nme = { en = "Loader test" }'),
            r"extra\.toml, programmes #1 \(slug = 'loader-test'\): unknown key 'nme'",
        ),
        (
            PROGRAMME.replace('end_date = "today+60"\n', ""),
            r"extra\.toml, programmes #1 \(slug = 'loader-test'\): missing required key 'end_date'",
        ),
        (
            PROGRAMME + 'members = [{ city = "Turku", rol = "engaged" }]\n',
            r"extra\.toml, networks #1 \(country = 'FI'\), members #1: unknown key 'rol'",
        ),
        (
            PROGRAMME + 'members = [{ city = "Turku", role = "engagd" }]\n',
            r"networks #1 \(country = 'FI'\), members #1, role: 'engagd' is not one of",
        ),
        (
            PROGRAMME.replace('{ en = "Loader test" }', '{ en = "Loader test", fr = "Test" }'),
            r"programmes #1 \(slug = 'loader-test'\), name: unknown language 'fr'",
        ),
        (
            PROGRAMME.replace('"today-30"', '"yesterday"'),
            r"programmes #1 \(slug = 'loader-test'\), start_date: expected a date",
        ),
        (
            PROGRAMME + "[[programme]]\nslug = 'typo'\n",
            r"extra\.toml: unknown section 'programme'",
        ),
        (
            PROGRAMME + meeting("Late", "2022-03-28").replace("time = 10:00:00", 'time = "10:00"'),
            r"meetings #1 \(title = 'Late'\), start: time: expected a local time",
        ),
    ],
)
def test_a_file_that_says_something_unexpected_fails_naming_the_file_and_entry(
    tmp_path, text, error
):
    with pytest.raises(DemoDataError, match=error):
        load_files([write(tmp_path, text)], today=TODAY)


@pytest.mark.django_db
def test_a_name_that_matches_nothing_fails_naming_the_entry(tmp_path):
    text = PROGRAMME.replace(
        'programme = "loader-test"\ncountry', 'programme = "loader-tset"\ncountry'
    )

    with pytest.raises(
        DemoDataError, match=r"extra\.toml, networks #1 \(country = 'FI'\): DoesNotExist"
    ):
        load_files([write(tmp_path, text)], today=TODAY)


@pytest.mark.django_db
def test_a_mistake_in_any_file_writes_nothing(tmp_path):
    good = write(tmp_path, PROGRAMME, "good.toml")
    bad = write(tmp_path, PROGRAMME.replace("slug =", "slgu ="), "bad.toml")

    with pytest.raises(DemoDataError, match=r"bad\.toml"):
        load_files([good, bad], today=TODAY)

    assert not Programme.objects.exists()


@pytest.mark.django_db
def test_a_file_added_after_the_demo_files_builds_on_them(tmp_path):
    extra = write(
        tmp_path,
        """
        [[meetings]]
        programme = "motiva-pilot-2"
        kind = "workshop"
        network = "FI"
        title = { en = "Closing event", fi = "Päätöstilaisuus" }
        theme = "Procurement"
        start = { day = "today+7", time = 13:00:00 }
        end = { day = "today+7", time = 15:00:00 }
        format = "hybrid"
        status = "confirmed"
        """,
    )

    # The current cycle's invitations are sent by the real service, which reads the clock: the
    # clock and the loader's day agree, as they do when load_demo runs.
    with time_machine.travel(dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        load_files([*FILES, extra], today=TODAY)

    event = ExchangeMeeting.objects.get(title_en="Closing event")
    assert event.title_fi == "Päätöstilaisuus"
    assert event.title == "Closing event"  # the base column gets the English text
    assert event.local_start.date() == dt.date(2024, 3, 8)
    assert event.network.programme.slug == "motiva-pilot-2"
