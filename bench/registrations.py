"""make bench: 200 people register at the same moment for a 50-seat meeting that asks two
required questions and takes at most 2 people per city.

gunicorn serves the portal on PostgreSQL; 200 threads, each signed in as a different contact of
one of 67 cities (three per city, two in the last), POST the registration form with their
answers together. Prints registrations per second and latency, then checks the outcome in the
database: no city above its quota of 2 (so 66 people refused and 134 registered), exactly 50
confirmed and 84 waiting, numbered 1 to 84, and two answers stored for each.

Beside it, on the same server and just before, the same 200 people each POST a form that does
nothing (the language switch: session, user, CSRF and a redirect, no query of its own); the
registrations' throughput is measured against theirs, and the goal (issue 18) is 0.5 of it.

As in production, the web processes only queue the confirmations (a row, then a message to a
Redis of the benchmark's own); a Celery worker on the mail queue then delivers them to an SMTP
sink in this process, and the benchmark checks that every registered person got exactly one
e-mail. The worker starts after the burst: on this one machine it would otherwise take the web
processes' CPU, which in production is another machine's (README, "Running on several
machines"). Its delivery time is printed apart. Last, on a meeting of its own, 60 people
register one at a time in this process, and the time each holds the meeting's lock is printed.
"""

import argparse
import http.client
import os
import secrets
import statistics
import sys
import threading
import time

from common import VAR, bench_env, bench_meeting, free_port, manage, start_server

from tests.integration.infra import CeleryWorker, RedisServer, SmtpSink, worker_env

SEATS = 50
QUOTA = 2
PER_CITY = 3
TARGET_RATIO = 0.5
LOCK_SAMPLE = 60  # people registering one at a time, to time the lock


def prepare_people(count: int) -> tuple[int, list[str], str]:
    """A meeting with SEATS seats, a city quota and two required questions, and `count`
    signed-in contacts, PER_CITY to a city; returns the meeting, their session keys and the
    answers every one of them posts."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User
    from cities.models import City, Contact
    from exchanges.models import Membership

    meeting, first_city, stamp = bench_meeting(capacity=SEATS)
    meeting.city_quota = QUOTA
    meeting.save(update_fields=["city_quota"])
    answers = bench_questions(meeting)
    cities = [first_city]
    sessions = []
    for index in range(count):
        if index // PER_CITY >= len(cities):
            city = City.objects.create(
                name=f"Bench city {stamp} {index}", country=first_city.country
            )
            Membership.objects.create(network=meeting.network, city=city, role="engaged")
            cities.append(city)
        user = User.objects.create_user(email=f"bench-{stamp}-{index}@bench.example")
        Contact.objects.create(
            city=cities[index // PER_CITY],
            first_name="Bench",
            last_name=str(index),
            email=user.email,
            user=user,
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    return meeting.pk, sessions, answers


def bench_questions(meeting) -> str:
    """Two required questions, a single choice and a yes/no, and the form data answering them."""
    from exchanges.models import Question, QuestionChoice

    diet = Question.objects.create(
        meeting=meeting, kind="single", label="Dietary needs", required=True, order=0
    )
    vegetarian = QuestionChoice.objects.create(question=diet, label="Vegetarian", order=0)
    QuestionChoice.objects.create(question=diet, label="None", order=1)
    hotel = Question.objects.create(
        meeting=meeting, kind="yes_no", label="Do you need a hotel?", required=True, order=1
    )
    return f"question_{diet.pk}={vegetarian.pk}&question_{hotel.pk}=yes"


def post_form(port: int, path: str, session_key: str, fields: str) -> tuple[float, int]:
    """One signed-in POST of a form; its latency in ms and the status."""
    csrf = secrets.token_hex(16)  # a 32-character secret: Django accepts it as cookie and token
    body = f"csrfmiddlewaretoken={csrf}&{fields}".encode()
    headers = {
        "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    conn.request("POST", path, body=body, headers=headers)
    status = conn.getresponse().status
    return (time.perf_counter() - started) * 1000, status


def fire(port: int, path: str, sessions: list[str], fields: str) -> tuple[list, float]:
    """Every session POSTs the form at the same moment; the results and the time they took."""
    barrier = threading.Barrier(len(sessions))
    results = [None] * len(sessions)

    def worker(index: int) -> None:
        barrier.wait()
        results[index] = post_form(port, path, sessions[index], fields)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(sessions))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def lock_held(meeting_id: int, sessions: list[str], fields: str) -> list[float]:
    """How long each registration holds its meeting's lock, in ms: from its SELECT ... FOR
    UPDATE to the end of its commit, measured in this process, one registration at a time
    (those refused by the quota roll back and are not counted)."""
    from django.db import connection, transaction
    from django.test import Client

    held = []

    def timed(execute, sql, params, many, context):
        if "FOR UPDATE" in sql and "exchanges_exchangemeeting" in sql:
            locked = time.perf_counter()
            # Registered first in the transaction, so run first after its commit.
            transaction.on_commit(lambda: held.append((time.perf_counter() - locked) * 1000))
        return execute(sql, params, many, context)

    client = Client()
    with connection.execute_wrapper(timed):
        for key in sessions:
            client.cookies["sessionid"] = key
            response = client.post(
                f"/meetings/{meeting_id}/register/",
                data=f"privacy_consent=on&{fields}",
                content_type="application/x-www-form-urlencoded",
            )
            assert response.status_code == 302, response.status_code
    return held


def outcome(meeting_id: int) -> dict:
    from django.db.models import Count

    from exchanges.models import Registration, RegistrationAnswer

    rows = Registration.objects.filter(meeting_id=meeting_id)
    numbers = list(
        rows.filter(status="waiting")
        .order_by("waiting_number")
        .values_list("waiting_number", flat=True)
    )
    per_city = rows.values("contact__city").annotate(people=Count("pk"))
    return {
        "confirmed": rows.filter(status="confirmed").count(),
        "waiting": len(numbers),
        "in_order": numbers == list(range(1, len(numbers) + 1)),
        "largest_city": max((city["people"] for city in per_city), default=0),
        "cities_full": sum(city["people"] == QUOTA for city in per_city),
        "answers": RegistrationAnswer.objects.filter(registration__meeting_id=meeting_id).count(),
    }


def expected(people: int) -> dict:
    """What the rules give, whatever the order of arrival: each city registers min(its people,
    QUOTA); the first SEATS of those have seats, the rest wait."""
    cities = [min(PER_CITY, people - start) for start in range(0, people, PER_CITY)]
    registered = sum(min(size, QUOTA) for size in cities)
    return {
        "registered": registered,
        "confirmed": min(registered, SEATS),
        "waiting": max(registered - SEATS, 0),
        "cities_full": sum(size >= QUOTA for size in cities),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    args = parser.parse_args()

    env = bench_env("registrations", postgres=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    sink = SmtpSink().start()
    redis = RedisServer(directory=VAR).start()
    server = worker = None
    try:
        env = worker_env(
            database_url=env["DATABASE_URL"],
            broker_url=redis.url,
            smtp_port=sink.port,
            **{key: value for key, value in env.items() if key not in os.environ},
        )
        os.environ.update(env)
        meeting_id, sessions, answers = prepare_people(args.people)

        port = free_port()
        server = start_server(env, port, args.workers)
        # The same people, the same server, a form that does nothing: the baseline.
        baseline, baseline_elapsed = fire(
            port, "/i18n/setlang/", sessions, f"language=en&next=/meetings/{meeting_id}/"
        )
        results, elapsed = fire(
            port, f"/meetings/{meeting_id}/register/", sessions, f"privacy_consent=on&{answers}"
        )
        server.terminate()
        server.wait(timeout=10)
        server = None

        log_path = VAR / "registrations-worker.log"
        log_path.unlink(missing_ok=True)
        started = time.perf_counter()
        worker = CeleryWorker(env, concurrency=2, log_path=log_path, queues="mail").start()
        registered = expected(args.people)["registered"]
        sink.wait_for(registered, timeout=120)
        delivery = time.perf_counter() - started
        redis.wait_idle(timeout=60)
        mail = sink.per_recipient()
        # The seat lock alone, measured in this process on a meeting of its own.
        held = sorted(lock_held(*prepare_people(LOCK_SAMPLE)))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        if worker is not None:
            worker.stop()
        redis.stop()
        sink.stop()

    latencies = sorted(ms for ms, _ in results)
    redirects = sum(status == 302 for _, status in results)
    result, want = outcome(meeting_id), expected(args.people)
    print(
        f"\n{args.people} concurrent registrations for {SEATS} seats, two required questions, "
        f"at most {QUOTA} per city, gunicorn with {args.workers} workers on PostgreSQL"
    )
    throughput, nothing = args.people / elapsed, args.people / baseline_elapsed
    idle = sorted(ms for ms, _ in baseline)
    print(f"{'':<28}{'per second':>12}{'p50 ms':>10}{'p95 ms':>10}")
    for label, rate, times in (
        ("a POST that does nothing", nothing, idle),
        ("a registration", throughput, latencies),
    ):
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{label:<28}{rate:>12.1f}{statistics.median(times):>10.0f}{p95:>10.0f}")
    ratio = throughput / nothing
    verdict = "meets" if ratio >= TARGET_RATIO else "misses"
    print(f"registrations / do-nothing POSTs: {ratio:.2f} ({verdict} the target of {TARGET_RATIO})")
    print(f"answered with a redirect (success or refusal message): {redirects}/{args.people}")
    print(
        f"confirmed {result['confirmed']} (expected {want['confirmed']}), "
        f"waiting {result['waiting']} (expected {want['waiting']}), "
        f"waiting numbers in order: {result['in_order']}"
    )
    print(
        f"largest city delegation {result['largest_city']} (quota {QUOTA}), cities at their "
        f"quota {result['cities_full']} (expected {want['cities_full']}), refused by the quota "
        f"{args.people - result['confirmed'] - result['waiting']} "
        f"(expected {args.people - want['registered']})"
    )
    print(f"answers stored {result['answers']} (expected {2 * want['registered']})")
    once = len(mail) == want["registered"] and set(mail.values()) == {1}
    print(
        f"the meeting's lock held by a registration (one at a time, {len(held)} of them): "
        f"median {statistics.median(held):.1f} ms, p95 {held[int(len(held) * 0.95) - 1]:.1f} ms"
    )
    print(
        f"e-mails delivered afterwards by a worker: {sum(mail.values())} in {delivery:.1f} s "
        f"(started included), every registered person exactly once: {'yes' if once else 'NO'}"
    )
    ok = (
        result["confirmed"] == want["confirmed"]
        and result["waiting"] == want["waiting"]
        and result["in_order"]
        and result["largest_city"] <= QUOTA
        and result["cities_full"] == want["cities_full"]
        and result["answers"] == 2 * want["registered"]
        and once
        and redirects == args.people
        and all(status == 302 for _, status in baseline)
    )
    print("outcome: " + ("as expected" if ok else "NOT as expected"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
