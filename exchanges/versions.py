"""The calendar's data version: a number the database raises on every write to what the public
calendar and the API's meeting list show, by triggers, so that their cache can never be stale.

Signals (what this replaced) missed every write that bypasses Model.save(): a QuerySet.update,
a bulk_create, a raw import, a migration, another process's write seen through a local cache.
A trigger misses none of them, in any process. The cache keys carry the number
(exchanges.caching), read with one indexed query per request.

The triggers are (re)installed after every migrate (post_migrate, as Django creates
permissions): SQLite rebuilds a table to alter it and drops its triggers with it.
"""

from django.db import connection as default_connection

from .models import DataVersion

CALENDAR = "calendar"

# Registrations are not among them: the API's seats taken may be a cache lifetime old
# (exchanges.caching.LIFETIME), where a trigger would make every registration in the portal
# wait on this one row.
CALENDAR_TABLES = (
    "exchanges_exchangemeeting",
    "exchanges_exchangemeeting_topics",
    "exchanges_programme",
    "exchanges_nationalnetwork",
    "exchanges_theme",
    "exchanges_theme_target_groups",
    "exchanges_topic",
    "cities_city",
    "cities_country",
    "cities_targetgroup",
)

# An upsert, so that a flushed table (tests, a restored dump) starts counting again.
RAISE = (
    "INSERT INTO exchanges_dataversion (name, number) VALUES ('{name}', 1) "
    "ON CONFLICT (name) DO UPDATE SET number = exchanges_dataversion.number + 1"
)

POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION exchanges_raise_calendar_version() RETURNS trigger AS $$
BEGIN
    {RAISE.format(name=CALENDAR)};
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def install_triggers(connection=default_connection) -> None:
    """Create, or replace, the calendar version's triggers on every table it watches."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_FUNCTION)
            for table in CALENDAR_TABLES:
                # One raise per statement: a bulk update of 100,000 rows is one write here.
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER calendar_version AFTER INSERT OR UPDATE OR "
                    f"DELETE OR TRUNCATE ON {table} FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION exchanges_raise_calendar_version()"
                )
        elif connection.vendor == "sqlite":
            # SQLite has row triggers only: a raise per row written.
            for table in CALENDAR_TABLES:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS calendar_version_{table}_{event.lower()} "
                        f"AFTER {event} ON {table} BEGIN {RAISE.format(name=CALENDAR)}; END"
                    )
        else:  # pragma: no cover - the portal runs on PostgreSQL or SQLite
            raise NotImplementedError(f"no calendar version triggers for {connection.vendor}")


def install_after_migrate(sender, *, using, **kwargs) -> None:
    """post_migrate: install the triggers once every table they name exists (a migrate back to
    before them, or a database being built, leaves them alone)."""
    from django.db import connections

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if tables.issuperset({*CALENDAR_TABLES, DataVersion._meta.db_table}):
        install_triggers(connection)


def calendar_version() -> int:
    """The number now; 0 before the first write."""
    row = DataVersion.objects.filter(name=CALENDAR).values_list("number", flat=True).first()
    return row or 0
