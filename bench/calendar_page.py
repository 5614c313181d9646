"""make bench: the meeting calendar against /healthz on the demo data scaled to 10,000 meetings.

Both pages are served by the same gunicorn, loaded by the same client processes, in one run, so
the ratio between them means something on any machine; absolute figures depend on the machine.
Uses DATABASE_URL when set (PostgreSQL), otherwise a SQLite file of its own under bench/var/.
"""

import argparse
import http.client
import multiprocessing
import os
import statistics
import sys
import time

from common import bench_env, fetch, free_port, manage, start_server

TARGET_RATIO = 0.25


def prepare(env: dict, meetings: int) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_demo", "--scale", str(meetings))


def query_counts(env: dict) -> dict[str, int]:
    """Queries per request for the calendar's first and last page, counted in-process."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from exchanges.models import ExchangeMeeting

    last = Paginator(ExchangeMeeting.objects.all(), 20).num_pages
    client = Client()
    counts = {"meetings": ExchangeMeeting.objects.count()}
    for label, url in (("first page", "/meetings/"), ("last page", f"/meetings/?page={last}")):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts[label] = len(context)
    connection.close()
    return counts


def client_loop(args: tuple[int, str, float, int, int | None]) -> tuple[list[float], int]:
    """One client process: requests back to back until the time is up; latencies in ms.

    A path with {n} asks for a new n each time (a different calendar page: never cached); with
    `pages`, n runs through 1..pages and starts again.
    """
    port, path, seconds, offset, pages = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, errors = [], 0
    stop = time.monotonic() + seconds
    n = offset
    while time.monotonic() < stop:
        n += 1
        started = time.perf_counter()
        try:
            status = fetch(port, path.format(n=n if pages is None else n % pages + 1), conn)
        except (OSError, http.client.HTTPException):
            conn.close()
            status = 0
        latencies.append((time.perf_counter() - started) * 1000)
        errors += status != 200
    return latencies, errors


def measure(port: int, path: str, seconds: float, concurrency: int, pages=None) -> dict:
    fetch(port, path.format(n=1))  # warm the workers' caches and connections
    step = 100_000 if pages is None else max(1, pages // concurrency)
    jobs = [(port, path, seconds, index * step, pages) for index in range(concurrency)]
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
    parser.add_argument("--meetings", type=int, default=10_000, help="synthetic meetings to add")
    parser.add_argument("--seconds", type=float, default=10.0, help="load per page")
    parser.add_argument("--concurrency", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()

    env = bench_env()
    prepare(env, args.meetings)
    counts = query_counts(env)
    port = free_port()
    server = start_server(env, port, args.workers)
    try:
        health = measure(port, "/healthz", args.seconds, args.concurrency)
        calendar = measure(port, "/meetings/", args.seconds, args.concurrency)
        # Every request a new filter combination: what a cache miss costs.
        uncached = measure(port, "/meetings/?q=&x={n}", args.seconds, args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=10)

    ratio = calendar["rps"] / health["rps"]
    print(f"\nmeetings in the database: {counts['meetings']}")
    print(
        f"calendar queries per request: first page {counts['first page']}, "
        f"last page {counts['last page']}"
    )
    rows = (("/healthz", health), ("/meetings/", calendar), ("uncached", uncached))
    print_loads(rows, ratio=ratio, target=TARGET_RATIO, label="calendar", width=12)
    print(
        f"uncached calendar / healthz throughput: {uncached['rps'] / health['rps']:.2f} "
        "(every request a filter combination never seen before)"
    )
    return exit_status(counts, health, calendar, uncached)


if __name__ == "__main__":
    sys.exit(main())
