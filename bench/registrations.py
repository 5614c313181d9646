"""make bench: 200 people register at the same moment for a 50-seat meeting.

gunicorn serves the portal on PostgreSQL; 200 threads, each signed in as a different contact,
POST the registration form together. Prints registrations per second and latency, then checks
the outcome in the database: exactly 50 confirmed and 150 waiting, numbered 1 to 150.
"""

import argparse
import http.client
import os
import secrets
import statistics
import sys
import threading
import time

from common import bench_env, bench_meeting, create_database, free_port, manage, start_server

SEATS = 50


def prepare_people(count: int) -> tuple[int, list[str]]:
    """A meeting with SEATS seats and `count` signed-in contacts; returns their session keys."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User
    from cities.models import Contact

    meeting, city, stamp = bench_meeting(capacity=SEATS)
    sessions = []
    for index in range(count):
        user = User.objects.create_user(email=f"bench-{stamp}-{index}@bench.example")
        Contact.objects.create(
            city=city, first_name="Bench", last_name=str(index), email=user.email, user=user
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    return meeting.pk, sessions


def post_registration(port: int, meeting_id: int, session_key: str) -> tuple[float, int]:
    csrf = secrets.token_hex(16)  # a 32-character secret: Django accepts it as cookie and token
    body = f"csrfmiddlewaretoken={csrf}&privacy_consent=on".encode()
    headers = {
        "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    conn.request("POST", f"/meetings/{meeting_id}/register/", body=body, headers=headers)
    status = conn.getresponse().status
    return (time.perf_counter() - started) * 1000, status


def fire(port: int, meeting_id: int, sessions: list[str]) -> tuple[list, float]:
    barrier = threading.Barrier(len(sessions))
    results = [None] * len(sessions)

    def worker(index: int) -> None:
        barrier.wait()
        results[index] = post_registration(port, meeting_id, sessions[index])

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(sessions))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def outcome(meeting_id: int) -> dict:
    from exchanges.models import Registration

    rows = Registration.objects.filter(meeting_id=meeting_id)
    numbers = list(
        rows.filter(status="waiting")
        .order_by("waiting_number")
        .values_list("waiting_number", flat=True)
    )
    return {
        "confirmed": rows.filter(status="confirmed").count(),
        "waiting": len(numbers),
        "in_order": numbers == list(range(1, len(numbers) + 1)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    args = parser.parse_args()

    env = bench_env()
    if not env["DATABASE_URL"].startswith("postgres"):
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/multiply_bench"
    env["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.update(env)
    create_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    meeting_id, sessions = prepare_people(args.people)

    port = free_port()
    server = start_server(env, port, args.workers)
    try:
        results, elapsed = fire(port, meeting_id, sessions)
    finally:
        server.terminate()
        server.wait(timeout=10)

    latencies = sorted(ms for ms, _ in results)
    redirects = sum(status == 302 for _, status in results)
    result = outcome(meeting_id)
    print(
        f"\n{args.people} concurrent registrations for {SEATS} seats, "
        f"gunicorn with {args.workers} workers on PostgreSQL"
    )
    print(f"registrations per second: {args.people / elapsed:.1f}")
    print(
        f"latency p50 {statistics.median(latencies):.0f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.0f} ms"
    )
    print(f"answered with a redirect (success or refusal message): {redirects}/{args.people}")
    print(
        f"confirmed {result['confirmed']} (expected {SEATS}), waiting {result['waiting']} "
        f"(expected {args.people - SEATS}), waiting numbers in order: {result['in_order']}"
    )
    ok = (
        result["confirmed"] == SEATS
        and result["waiting"] == args.people - SEATS
        and result["in_order"]
        and redirects == args.people
    )
    print("outcome: " + ("as expected" if ok else "NOT as expected"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
