"""Helpers shared by the benchmarks: production-like settings, gunicorn, a tiny HTTP client."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var"
PYTHON = sys.executable
# The apps and tests.integration.infra (the SMTP sink, Redis and worker the invitations
# benchmark shares with the integration tests) are imported from the checkout.
sys.path.insert(0, str(ROOT))


def bench_env() -> dict:
    """Production-like settings: DEBUG off, cached templates, static files collected."""
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
    env.setdefault("DATABASE_URL", f"sqlite:///{VAR / 'bench.sqlite3'}")
    env.pop("CELERY_BROKER_URL", None)  # /healthz then checks the database alone
    return env


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

    name = url.rsplit("/", 1)[-1]
    conn = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
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
