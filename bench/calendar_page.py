"""make bench: the meeting calendar against /healthz, with 100,000 synthetic meetings.

Both pages are served by the same gunicorn, loaded by the same client processes, in one run, so
the ratio between them means something on any machine; absolute figures depend on the machine.
Three loads besides /healthz: the calendar's first page as everyone opens it (its results
cached), and two where every request is a cache miss: a different "from" date each time (a
filter combination nobody asked for before), and a page deep among the past meetings, each
time another. The goal (issue 18) is the misses at 0.5 of /healthz or more, with the same
queries on the first page and the last. The same misses are then measured on a database of
1,000 meetings: what the number of meetings costs. Uses DATABASE_URL when set (PostgreSQL),
otherwise a SQLite file; either way a database of its own for each number.
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
    # The pages after each of the 20,000 oldest meetings: more than a run asks for, so that
    # none is asked for twice (measure counts repeats).
    deep = [
        Cursor.of(*row, now).encode() for row in oldest.values_list("start", "end", "pk")[20:20_020]
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


def client_loop(args: tuple) -> tuple[list[float], int, list[str]]:
    """One client process: requests back to back until the time is up; latencies in ms, errors
    and, for a path with placeholders, the addresses asked for.

    A path with {n} asks for a new n each time; {date} is a different day each time, {cursor}
    another of `cursors`: in both, a request no cache has seen (unless the run outlasts them:
    measure counts the repeats).
    """
    port, path, seconds, offset, cursors = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, errors, addresses = [], 0, []
    stop = time.monotonic() + seconds
    n = offset
    while time.monotonic() < stop:
        n += 1
        address = path.format(
            n=n,
            date=FIRST_DAY + dt.timedelta(days=n % DAYS),
            cursor=cursors[n % len(cursors)] if cursors else "",
        )
        if "{" in path:
            addresses.append(address)
        started = time.perf_counter()
        try:
            status = fetch(port, address, conn)
        except (OSError, http.client.HTTPException):
            conn.close()
            status = 0
        latencies.append((time.perf_counter() - started) * 1000)
        errors += status != 200
    return latencies, errors, addresses


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
    addresses = [address for result in results for address in result[2]]
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p95": latencies[int(len(latencies) * 0.95) - 1],
        "requests": len(latencies),
        "errors": errors,
        # Requests for an address asked for before in the run: cache hits in a "miss" load.
        "repeats": len(addresses) - len(set(addresses)),
    }


def print_loads(rows, *, ratio: float, target: float, label: str, width: int) -> None:
    """The loads as a table, then the first one's ratio to /healthz against its target."""
    columns = f"{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'requests':>10}{'errors':>8}"
    print(f"{'address':<{width}}{columns}{'repeats':>9}")
    for name, row in rows:
        print(
            f"{name:<{width}}{row['rps']:>10.1f}{row['p50']:>10.1f}{row['p95']:>10.1f}"
            f"{row['requests']:>10}{row['errors']:>8}{row['repeats']:>9}"
        )
    verdict = "meets" if ratio >= target else "misses"
    print(f"{label} / healthz throughput: {ratio:.2f} ({verdict} the target of {target})")


def exit_status(counts: dict, *loads: dict) -> int:
    """0 when the first and the last page cost the same queries, no request failed and no
    load of new addresses asked for one twice (its figure would count cache hits)."""
    constant = counts["first page"] == counts["last page"]
    print(f"constant query count: {'yes' if constant else 'NO'}")
    errors = sum(load["errors"] for load in loads)
    repeats = sum(load["repeats"] for load in loads)
    if repeats:
        print(f"{repeats} requests asked for an address again: more cursors or days are needed")
    return 0 if constant and not errors and not repeats else 1


def counted_apart(env: dict) -> dict:
    """query_counts in a process of its own: Django is set up once per process, and each
    scale has its own database."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(query_counts, (env,))


def run_scale(name: str, meetings: int, args, *, cached: bool) -> tuple[dict, dict]:
    """The loads on a database of `meetings` synthetic meetings, on a gunicorn of its own:
    /healthz, the two misses and, when `cached`, the first page as everyone opens it."""
    env = bench_env(name)
    prepare(env, meetings)
    counts = counted_apart(env)
    port = free_port()
    server = start_server(env, port, args.workers)
    loads = {}
    try:
        loads["/healthz"] = measure(port, "/healthz", args.seconds, args.concurrency)
        if cached:
            loads["/meetings/"] = measure(port, "/meetings/", args.seconds, args.concurrency)
        loads["new filter"] = measure(
            port, "/meetings/?date_from={date}", args.seconds, args.concurrency
        )
        loads["deep page"] = measure(
            port, "/meetings/?after={cursor}", args.seconds, args.concurrency, counts["cursors"]
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    return counts, loads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--meetings", type=int, default=100_000, help="synthetic meetings")
    parser.add_argument(
        "--small", type=int, default=1_000, help="the same misses on this many, for the scale"
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="load per page")
    parser.add_argument("--concurrency", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()

    counts, loads = run_scale("calendar_page", args.meetings, args, cached=True)
    small_counts, small = run_scale("calendar_page_small", args.small, args, cached=False)

    print(f"\nmeetings in the database: {counts['meetings']}")
    print(
        f"calendar queries per request (a cache miss): first page {counts['first page']}, "
        f"last page {counts['last page']}; with {small_counts['meetings']} meetings "
        f"{small_counts['first page']} and {small_counts['last page']} (a first page that "
        "runs out of upcoming meetings reads past ones too)"
    )
    health = loads["/healthz"]
    misses = min(loads["new filter"]["rps"], loads["deep page"]["rps"]) / health["rps"]
    print_loads(loads.items(), ratio=misses, target=TARGET_RATIO, label="cache misses", width=12)
    print(
        f"cached first page / healthz throughput: {loads['/meetings/']['rps'] / health['rps']:.2f}"
        f"; new filter {loads['new filter']['rps'] / health['rps']:.2f}, "
        f"deep page {loads['deep page']['rps'] / health['rps']:.2f}"
    )
    # The same misses a hundred times smaller: what the indexed queries and keyset pages are
    # for is that the number of meetings does not show.
    print(f"\nthe same misses with {small_counts['meetings']} meetings (a database of its own):")
    for name in ("new filter", "deep page"):
        ratio = loads[name]["rps"] / small[name]["rps"]
        print(
            f"{name:<12}{small[name]['rps']:>10.1f} req/s; with {counts['meetings']}: "
            f"{loads[name]['rps']:.1f} req/s ({ratio:.2f} of it)"
        )
    small_constant = small_counts["first page"] == small_counts["last page"]
    print(f"constant query count with {small_counts['meetings']} meetings: ", end="")
    print("yes" if small_constant else "NO")
    return exit_status(counts, *loads.values(), *small.values()) or int(not small_constant)


if __name__ == "__main__":
    sys.exit(main())
