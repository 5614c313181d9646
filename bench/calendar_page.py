"""make bench: the meeting calendar against /healthz, with 100,000 synthetic meetings.

Both pages are served by the same gunicorn, loaded by the same client processes, in one run, so
the ratio between them means something on any machine; absolute figures depend on the machine.
Three loads besides /healthz: the calendar's first page as everyone opens it (its results
cached), and two where every request is a cache miss: a different "from" date each time (a
filter combination nobody asked for before), and a page deep among the past meetings, each
time another. The goal (issue 18) is the misses at 0.5 of /healthz or more, with the same
queries on the first page and the last. Uses DATABASE_URL when set (PostgreSQL), otherwise a
SQLite file; either way a database of its own.
"""

import argparse
import datetime as dt
import http.client
import multiprocessing
import os
import statistics
import sys
import time

from common import bench_env, fetch, free_port, manage, start_server

TARGET_RATIO = 0.5
FIRST_DAY = dt.date(2019, 1, 1)
DAYS = 12 * 365  # the synthetic meetings' years (demo.synthetic)


def prepare(env: dict, meetings: int) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_demo", "--scale", str(meetings))


def query_counts(env: dict) -> dict:
    """Queries per request for the calendar's first page and its last, counted in-process, and
    cursors for pages deep among the past meetings (the clients ask for them in turn)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from exchanges.calendar_pages import Cursor
    from exchanges.models import ExchangeMeeting

    now = timezone.now()
    oldest = ExchangeMeeting.objects.filter(programme__is_published=True).order_by("start", "pk")
    # Every 20th of the 10,000 oldest meetings: 500 pages nobody else asks for.
    deep = [
        Cursor.of(*row, now).encode()
        for row in oldest.values_list("start", "end", "pk")[20:10_000:20]
    ]
    client = Client()
    counts = {"meetings": ExchangeMeeting.objects.count(), "cursors": deep}
    for label, url in (("first page", "/meetings/"), ("last page", f"/meetings/?after={deep[0]}")):
        client.get(url)  # the second request of each is the one counted: a cache miss still
        with CaptureQueriesContext(connection) as context:
            assert client.get(url + "&x=1" if "?" in url else url + "?x=1").status_code == 200
        counts[label] = len(context)
    connection.close()
    return counts


def client_loop(args: tuple) -> tuple[list[float], int]:
    """One client process: requests back to back until the time is up; latencies in ms.

    A path with {n} asks for a new n each time; {date} is a different day each time, {cursor}
    another of `cursors`: in both, a request no cache has seen.
    """
    port, path, seconds, offset, cursors = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, errors = [], 0
    stop = time.monotonic() + seconds
    n = offset
    while time.monotonic() < stop:
        n += 1
        address = path.format(
            n=n,
            date=FIRST_DAY + dt.timedelta(days=n % DAYS),
            cursor=cursors[n % len(cursors)] if cursors else "",
        )
        started = time.perf_counter()
        try:
            status = fetch(port, address, conn)
        except (OSError, http.client.HTTPException):
            conn.close()
            status = 0
        latencies.append((time.perf_counter() - started) * 1000)
        errors += status != 200
    return latencies, errors


def measure(port: int, path: str, seconds: float, concurrency: int, cursors=()) -> dict:
    # Warm the workers' connections (and, for a path without placeholders, the cache).
    fetch(port, path.format(n=0, date=FIRST_DAY, cursor=cursors[0] if cursors else ""))
    # Each client its own stretch of days, pages or numbers: no two ask for the same one.
    step = 100_000 if not cursors else max(1, len(cursors) // concurrency)
    jobs = [(port, path, seconds, index * step, list(cursors)) for index in range(concurrency)]
    with multiprocessing.Pool(concurrency) as pool:
        started = time.perf_counter()
        results = pool.map(client_loop, jobs)
        elapsed = time.perf_counter() - started
    latencies = sorted(ms for result in results for ms in result[0])
    errors = sum(result[1] for result in results)
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p95": latencies[int(len(latencies) * 0.95) - 1],
        "requests": len(latencies),
        "errors": errors,
    }


def print_loads(rows, *, ratio: float, target: float, label: str, width: int) -> None:
    """The loads as a table, then the first one's ratio to /healthz against its target."""
    columns = f"{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'requests':>10}{'errors':>8}"
    print(f"{'address':<{width}}{columns}")
    for name, row in rows:
        print(
            f"{name:<{width}}{row['rps']:>10.1f}{row['p50']:>10.1f}{row['p95']:>10.1f}"
            f"{row['requests']:>10}{row['errors']:>8}"
        )
    verdict = "meets" if ratio >= target else "misses"
    print(f"{label} / healthz throughput: {ratio:.2f} ({verdict} the target of {target})")


def exit_status(counts: dict, *loads: dict) -> int:
    """0 when the first and the last page cost the same queries and no request failed."""
    constant = counts["first page"] == counts["last page"]
    print(f"constant query count: {'yes' if constant else 'NO'}")
    errors = sum(load["errors"] for load in loads)
    return 0 if constant and not errors else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--meetings", type=int, default=100_000, help="synthetic meetings")
    parser.add_argument("--seconds", type=float, default=10.0, help="load per page")
    parser.add_argument("--concurrency", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()

    env = bench_env("calendar_page")
    prepare(env, args.meetings)
    counts = query_counts(env)
    port = free_port()
    server = start_server(env, port, args.workers)
    try:
        health = measure(port, "/healthz", args.seconds, args.concurrency)
        calendar = measure(port, "/meetings/", args.seconds, args.concurrency)
        new_filter = measure(port, "/meetings/?date_from={date}", args.seconds, args.concurrency)
        deep = measure(
            port, "/meetings/?after={cursor}", args.seconds, args.concurrency, counts["cursors"]
        )
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(f"\nmeetings in the database: {counts['meetings']}")
    print(
        f"calendar queries per request (a cache miss): first page {counts['first page']}, "
        f"last page {counts['last page']}"
    )
    rows = (
        ("/healthz", health),
        ("/meetings/", calendar),
        ("new filter", new_filter),
        ("deep page", deep),
    )
    misses = min(new_filter["rps"], deep["rps"]) / health["rps"]
    print_loads(rows, ratio=misses, target=TARGET_RATIO, label="cache misses", width=12)
    print(
        f"cached first page / healthz throughput: {calendar['rps'] / health['rps']:.2f}; "
        f"new filter {new_filter['rps'] / health['rps']:.2f}, "
        f"deep page {deep['rps'] / health['rps']:.2f}"
    )
    return exit_status(counts, health, calendar, new_filter, deep)


if __name__ == "__main__":
    sys.exit(main())
