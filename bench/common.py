"""Helpers shared by the benchmarks: production-like settings, gunicorn, a tiny HTTP client."""

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var"
PYTHON = sys.executable
# The apps and tests.integration.infra (the SMTP sink, Redis and worker the invitations
# benchmark shares with the integration tests) are imported from the checkout.
sys.path.insert(0, str(ROOT))


# Where benchmarks that need PostgreSQL run when DATABASE_URL names none: the local server, in
# a database of their own derived from this name (see bench_database).
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/multiply"


def bench_env(name: str, *, postgres: bool = False) -> dict:
    """Production-like settings: DEBUG off, cached templates, static files collected, and the
    database of the benchmark `name` alone (bench_database), so that no benchmark measures the
    rows another one left. `postgres`: the benchmark needs PostgreSQL, whatever DATABASE_URL."""
    VAR.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(VAR / "static"),
        "MEDIA_ROOT": str(VAR / "media"),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "multiply.settings",
    }
    given = os.environ.get("DATABASE_URL", "")
    env["DATABASE_URL"] = bench_database(name, given, postgres=postgres)
    env.pop("CELERY_BROKER_URL", None)  # /healthz then checks the database alone
    return env


def bench_database(name: str, url: str, *, postgres: bool = False) -> str:
    """The database of the benchmark `name`, created if need be: on PostgreSQL (`url`, or the
    local server when `postgres` and `url` is not PostgreSQL) the same server's database
    `<url's database>_<name>`; otherwise the SQLite file bench/var/<name>.sqlite3."""
    if postgres and not url.startswith("postgres"):
        url = LOCAL_POSTGRES
    if not url.startswith("postgres"):
        return f"sqlite:///{VAR / f'{name}.sqlite3'}"
    parts = urllib.parse.urlsplit(url)
    database = parts.path.lstrip("/")
    # A URL already derived (a benchmark handing its env to another process) stays as it is.
    if not database.endswith(f"_{name}"):
        database = f"{database}_{name}"
    own = urllib.parse.urlunsplit(parts._replace(path=f"/{database}"))
    create_database(own)
    return own


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(PYTHON).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "multiply.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if fetch(port, "/healthz") == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def fetch(port: int, path: str, conn: http.client.HTTPConnection | None = None) -> int:
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response.status


def create_database(url: str) -> None:
    """Create the PostgreSQL database a benchmark runs on, unless it exists."""
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    conn = psycopg2.connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")))
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def bench_meeting(*, capacity: int | None = None):
    """A fresh programme with one network, one engaged city and a national exchange a month
    ahead, for benchmarks that need people to invite or register. Needs django.setup()."""
    import datetime as dt
    import secrets

    from django.utils import timezone

    from cities.models import City, Country
    from exchanges.models import ExchangeMeeting, Membership, NationalNetwork, Programme

    stamp = secrets.token_hex(4)
    country, _ = Country.objects.get_or_create(code="PL", defaults={"name": "Poland"})
    programme = Programme.objects.create(
        slug=f"bench-{stamp}",
        name=f"Bench {stamp}",
        start_date="2030-01-01",
        end_date="2030-12-31",
    )
    network = NationalNetwork.objects.create(programme=programme, country=country)
    city = City.objects.create(name=f"Bench city {stamp}", country=country)
    Membership.objects.create(network=network, city=city, role="engaged")
    start = timezone.now() + dt.timedelta(days=30)
    meeting = ExchangeMeeting.objects.create(
        programme=programme,
        network=network,
        kind="national_exchange",
        title="Bench national exchange",
        start=start,
        end=start + dt.timedelta(hours=6),
        venue="City hall",
        capacity=capacity,
    )
    return meeting, city, stamp
