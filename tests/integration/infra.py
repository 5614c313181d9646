"""Real infrastructure for the outbox's integration tests and the invitations benchmark.

An SMTP sink (aiosmtpd, in a thread), a Redis server of our own (a subprocess on a free port)
and a Celery worker (a subprocess in its own process group, so that SIGKILL takes its pool
children with it). Plain Python: no pytest, no Django at import time, so that both
tests/integration/conftest.py and bench/invitations.py build on the same code.
"""

import contextlib
import email
import email.policy
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.05, what: str = "condition"):
    """Poll until predicate() is truthy and return its value; TimeoutError after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not reached within {timeout:g} s")
        time.sleep(interval)


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for dj-database-url naming the same PostgreSQL database as Django's."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


# --- SMTP -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    recipients: tuple[str, ...]
    content: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.content, policy=email.policy.default)


class SmtpSink:
    """An SMTP server on 127.0.0.1 that keeps every message it accepts.

    reject_next(k) answers the next k messages' DATA with a 451 (a temporary failure), as a
    busy mail server does. Messages are kept raw and parsed on demand: parsing 5,000 messages
    in the server thread would slow the very thing the benchmark measures.
    """

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.received: list[Received] = []
        self.rejected = 0
        self._to_reject = 0
        self._refuse_until = 0.0  # time.monotonic(): refuse every message until then
        self._changed = threading.Condition()
        # wait_for's target: the server thread wakes the waiter once, when it is reached, not
        # at every message (5,000 wake-ups would take the GIL from the very thread measured).
        self._awaited = 0
        self._controller = None

    def start(self) -> "SmtpSink":
        from aiosmtpd.controller import Controller

        # aiosmtpd logs every connection and command at INFO.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's name for the hook
        with self._changed:
            refusing = time.monotonic() < self._refuse_until
            if refusing or self._to_reject > 0:
                self._to_reject -= 0 if refusing else 1
                self.rejected += 1
                self._changed.notify_all()
                return "451 4.3.0 Temporarily unable to accept, try again later"
            content = envelope.original_content or envelope.content
            self.received.append(Received(tuple(envelope.rcpt_tos), bytes(content)))
            if len(self.received) >= self._awaited:
                self._changed.notify_all()
        return "250 2.0.0 OK"

    def reject_next(self, count: int) -> None:
        with self._changed:
            self._to_reject = count

    def refuse_for(self, seconds: float) -> None:
        """Answer every message with a 451 for this long, as a mail provider's outage does."""
        with self._changed:
            self._refuse_until = time.monotonic() + seconds

    def clear(self) -> None:
        with self._changed:
            self.received.clear()
            self.rejected = 0

    def count(self) -> int:
        with self._changed:
            return len(self.received)

    def wait_for(self, count: int, *, timeout: float) -> int:
        """Wait until at least `count` messages arrived; TimeoutError (saying how many did)."""
        with self._changed:
            self._awaited = count
            arrived = self._changed.wait_for(lambda: len(self.received) >= count, timeout)
            self._awaited = 0
            if not arrived:
                raise TimeoutError(
                    f"{len(self.received)} of {count} messages arrived within {timeout:g} s"
                )
            return len(self.received)

    def per_recipient(self) -> Counter:
        """How many messages each envelope recipient got."""
        with self._changed:
            return Counter(rcpt for item in self.received for rcpt in item.recipients)


# --- Redis ------------------------------------------------------------------------------------


class RedisServer:
    """A redis-server of our own on a free port, without persistence; stop() and start() keep
    the port, so a broker outage and its end can be staged."""

    def __init__(self, port: int | None = None, directory: str | os.PathLike | None = None):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise FileNotFoundError("redis-server is not on PATH")
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = str(directory or tempfile.mkdtemp(prefix="redis-"))
        self.process: subprocess.Popen | None = None

    def start(self, *, timeout: float = 10) -> "RedisServer":
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", self.directory],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.ping, timeout=timeout, what=f"redis-server on port {self.port}")
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()  # the broker's machine is gone: no shutdown courtesy
            self.process.wait(timeout=10)
            self.process = None

    def ping(self) -> bool:
        try:
            return self.client().ping()
        except Exception:  # any failure means "not up (yet)"
            return False

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=1)

    def unacked(self) -> set[bytes]:
        """Delivery tags of the tasks workers hold unacknowledged (running, or a countdown)."""
        return set(self.client().hkeys("unacked"))

    def tasks_pending(self, *, ignore: set[bytes] = frozenset()) -> int:
        """Celery tasks waiting in the queue or delivered but not yet acknowledged.

        With acks_late a task is acknowledged when it finished, and a countdown (a retry) is
        held unacknowledged by the worker until it runs: zero means the workers are idle.
        `ignore` names deliveries to a dead worker: Redis gives them back only after the
        visibility timeout.
        """
        from django.conf import settings

        client = self.client()
        # Every queue's list (settings.CELERY_TASK_QUEUES), with its priority variants.
        waiting = sum(
            client.llen(key)
            for queue in settings.CELERY_TASK_QUEUES
            for key in client.scan_iter(f"{queue.name}*")
            if client.type(key) == b"list"
        )
        return waiting + len(self.unacked() - ignore)

    def wait_idle(self, *, timeout: float, ignore: set[bytes] = frozenset()) -> None:
        wait_until(
            lambda: self.tasks_pending(ignore=ignore) == 0,
            timeout=timeout,
            interval=0.1,
            what="every task done",
        )


# --- Celery -----------------------------------------------------------------------------------


def worker_env(
    *, database_url: str, broker_url: str, smtp_port: int, **settings: str | int
) -> dict:
    """The environment of a worker process: our database, broker and SMTP sink, plain SMTP.

    Extra keyword arguments become environment variables (OUTBOX_SENDING_TIMEOUT=3, ...).
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("EMAIL_BACKEND", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="multiply.settings",
        # Not every app is in the editable install: the worker imports them from the checkout.
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="false",
        EMAIL_USE_SSL="false",
    )
    env.update({key: str(value) for key, value in settings.items()})
    return env


class CeleryWorker:
    """`celery -A multiply worker` with a prefork pool, in a process group of its own."""

    def __init__(
        self,
        env: dict,
        *,
        concurrency: int = 2,
        log_path: str | os.PathLike,
        queues: str | None = None,
    ):
        self.env = env
        self.concurrency = concurrency
        self.queues = queues  # -Q: these queues only (settings.CELERY_TASK_QUEUES); None: all
        self.log_path = Path(log_path)
        self.process: subprocess.Popen | None = None

    def start(self, *, timeout: float = 60) -> "CeleryWorker":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(CELERY), "-A", "multiply", "worker", "--pool=prefork"]
                + [f"--concurrency={self.concurrency}", "--loglevel=info"]
                + ["-n", f"outbox-{os.getpid()}-{id(self)}@%h"]
                + (["-Q", self.queues] if self.queues else [])
                # Alone on its broker: no need to wait for other workers to say hello.
                + ["--without-mingle", "--without-gossip"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until(self._ready, timeout=timeout, interval=0.1, what="the worker's 'ready'")
        except Exception:
            self.kill()
            raise RuntimeError(f"celery worker did not start:\n{self.log()[-3000:]}") from None
        return self

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"celery worker exited with {self.process.returncode}")
        return " ready." in self.log()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def kill(self) -> None:
        """SIGKILL the worker and its pool at once, as a machine dying would."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):  # the whole group is gone already
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self, *, timeout: float = 10) -> None:
        """Warm shutdown (SIGTERM: finish the running tasks), SIGKILL if it takes too long."""
        if self.process is None:
            return
        try:
            self.process.terminate()
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        self.kill()


def drop_celery_connections(app) -> None:
    """Forget the app's broker connections, so that the next publish connects to broker_url.

    Celery keeps no public way to do this: these are the two attributes it resets after a fork.
    """
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    # kombu also keeps producer pools per connection, globally: a closed one must not be reused.
    pools.reset()
