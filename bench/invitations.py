"""make bench: 5,000 invitations through the outbox, against Django sending them directly.

On PostgreSQL (a database of its own: bench/common.py bench_env), with a Redis of its own, a
Celery worker (prefork, --concurrency=2) and an SMTP server (aiosmtpd) in this process:

1. outbox: exchanges.invitations.invitations_send() invites 5,000 contacts of one meeting (rows
   first, enqueued after commit), and the worker delivers them;
2. direct: a separate process sends the very same 5,000 e-mails with Django's
   get_connection().send_messages() over one connection: the floor for one sender.

Prints messages per second for both and their ratio (target >= 0.85); exits non-zero unless
every recipient got exactly one message in each run. The infrastructure is the integration
tests' own (tests/integration/infra.py).
"""

import argparse
import json
import os
import subprocess
import sys
import time

from common import PYTHON, VAR, bench_env, bench_meeting, manage

from tests.integration.infra import CeleryWorker, RedisServer, SmtpSink, worker_env

TARGET_RATIO = 0.85  # issue 14: at least 0.85 of one direct connection


def prepare_meeting(count: int) -> tuple[int, list[int], list[str]]:
    """A meeting and `count` contacts in one engaged city of its network: ids and e-mails."""
    from cities.models import Contact

    meeting, city, stamp = bench_meeting()
    languages = ["en", "pl", "sv", "fi"]
    contacts = Contact.objects.bulk_create(
        Contact(
            city=city,
            first_name="Bench",
            last_name=f"Person {index}",
            email=f"bench-{stamp}-{index}@city.example",
            language=languages[index % len(languages)],
        )
        for index in range(count)
    )
    return meeting.pk, [contact.pk for contact in contacts], [contact.email for contact in contacts]


def through_the_outbox(meeting_id: int, contact_ids: list[int], sink, timeout: float) -> dict:
    from exchanges.invitations import invitations_send

    started = time.perf_counter()
    invited = invitations_send(meeting_id=meeting_id, contact_ids=contact_ids)
    committed = time.perf_counter()
    sink.wait_for(invited, timeout=timeout)
    delivered = time.perf_counter()
    return {
        "invited": invited,
        "request": committed - started,
        "delivery": delivered - committed,
        "total": delivered - started,
    }


def send_directly(meeting_id: int) -> None:
    """In a process of its own (--direct): the meeting's messages over one connection."""
    import django

    django.setup()
    from django.core.mail import get_connection

    from notifications.models import Message
    from notifications.outbox import email_for  # the very same MIME message the worker sends

    connection = get_connection()
    messages = [
        email_for(message, connection)
        for message in Message.objects.filter(meeting_id=meeting_id).order_by("pk")
    ]
    started = time.perf_counter()
    sent = connection.send_messages(messages)
    elapsed = time.perf_counter() - started
    print(json.dumps({"sent": sent, "seconds": elapsed}))


def exactly_once(sink, emails: list[str]) -> bool:
    return sink.per_recipient() == dict.fromkeys(emails, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invitations", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=2, help="worker pool processes")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for delivery")
    parser.add_argument("--direct", type=int, metavar="MEETING", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.direct:
        send_directly(args.direct)
        return 0

    env = bench_env("invitations", postgres=True)
    manage(env, "migrate", "--noinput", "-v0")

    sink = SmtpSink().start()
    redis = RedisServer(directory=VAR).start()
    worker = None
    try:
        env = worker_env(
            database_url=env["DATABASE_URL"],
            broker_url=redis.url,
            smtp_port=sink.port,
            **{key: env[key] for key in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "LOG_LEVEL")},
        )
        os.environ.update(env)
        import django

        django.setup()
        log_path = VAR / "invitations-worker.log"
        log_path.unlink(missing_ok=True)
        worker = CeleryWorker(env, concurrency=args.concurrency, log_path=log_path).start()

        from notifications.models import Message

        meeting_id, contact_ids, emails = prepare_meeting(args.invitations)
        outbox = through_the_outbox(meeting_id, contact_ids, sink, args.timeout)
        redis.wait_idle(timeout=60)
        outbox_once = exactly_once(sink, emails)
        statuses = set(
            Message.objects.filter(meeting_id=meeting_id).values_list("status", flat=True)
        )

        sink.clear()
        result = subprocess.run(
            [PYTHON, __file__, "--direct", str(meeting_id)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        direct = json.loads(result.stdout.strip().splitlines()[-1])
        sink.wait_for(len(emails), timeout=args.timeout)
        direct_once = exactly_once(sink, emails)
    finally:
        if worker is not None:
            worker.stop()
        redis.stop()
        sink.stop()

    count = outbox["invited"]
    outbox_rate = count / outbox["total"]
    delivery_rate = count / outbox["delivery"]
    direct_rate = direct["sent"] / direct["seconds"]
    ratio = outbox_rate / direct_rate
    print(f"\n{count} invitations, worker --concurrency={args.concurrency}, PostgreSQL, Redis")
    print(f"invitations_send (rows, commit, enqueue): {outbox['request']:.2f} s")
    print(f"outbox, commit to last delivery: {outbox['delivery']:.2f} s ({delivery_rate:.0f}/s)")
    print(f"outbox, end to end: {outbox['total']:.2f} s ({outbox_rate:.0f} messages/s)")
    print(f"direct send_messages, one connection: {direct['seconds']:.2f} s ({direct_rate:.0f}/s)")
    verdict = "meets" if ratio >= TARGET_RATIO else "misses"
    print(f"outbox end to end / direct: {ratio:.2f} ({verdict} the target of {TARGET_RATIO})")
    print(f"outbox delivery alone / direct: {delivery_rate / direct_rate:.2f}")
    print(f"outbox: every recipient exactly once: {'yes' if outbox_once else 'NO'}")
    print(f"outbox: every row sent: {'yes' if statuses == {'sent'} else f'NO ({statuses})'}")
    print(f"direct: every recipient exactly once: {'yes' if direct_once else 'NO'}")
    return 0 if outbox_once and direct_once and statuses == {"sent"} else 1


if __name__ == "__main__":
    sys.exit(main())
