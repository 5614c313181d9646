"""make bench: the API's meetings list against /healthz, on the demo data scaled to 100,000
meetings (issue 16: the goal is at least 0.5 of /healthz's throughput).

Both are served by the same gunicorn and loaded by the same client processes in one run, so the
ratio means something on any machine. Three loads: /healthz; the first page of /api/meetings/
as a partner site polls it (the same address again and again); and a new page number on every
request, which no cache has seen. Uses DATABASE_URL when set (PostgreSQL), otherwise a SQLite
file of its own under bench/var/.
"""

import argparse
import json
import os
import sys

from calendar_page import exit_status, measure, prepare, print_loads
from common import bench_env, free_port, start_server

TARGET_RATIO = 0.5
LIST = "/api/meetings/"


def query_counts(env: dict) -> dict[str, int]:
    """Queries per request of the list's first and last page, counted in-process with the
    cache emptied first (a cached page costs none)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    first = client.get(LIST)
    assert first.status_code == 200, first.content[:500]
    body = json.loads(first.content)
    last = max(1, -(-body["count"] // len(body["results"])))
    counts = {"meetings": body["count"], "pages": last}
    for label, url in (("first page", LIST), ("last page", f"{LIST}?page={last}")):
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts[label] = len(context)
    connection.close()
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--meetings", type=int, default=100_000, help="synthetic meetings to add")
    parser.add_argument("--seconds", type=float, default=10.0, help="load per address")
    parser.add_argument("--concurrency", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()

    # The bench's own clients must not be throttled as one anonymous visitor.
    env = bench_env("api_meetings") | {"API_ANON_RATE": "1000000/min"}
    prepare(env, args.meetings)
    counts = query_counts(env)
    port = free_port()
    server = start_server(env, port, args.workers)
    try:
        health = measure(port, "/healthz", args.seconds, args.concurrency)
        listed = measure(port, LIST, args.seconds, args.concurrency)
        # Every page in turn: each request one that no cache holds yet.
        pages = [str(number) for number in range(1, counts["pages"] + 1)]
        uncached = measure(port, LIST + "?page={cursor}", args.seconds, args.concurrency, pages)
    finally:
        server.terminate()
        server.wait(timeout=10)

    ratio = listed["rps"] / health["rps"]
    print(f"\nmeetings in the API: {counts['meetings']}")
    print(
        f"queries per request: first page {counts['first page']}, last page {counts['last page']}"
    )
    rows = (("/healthz", health), (LIST, listed), ("new page", uncached))
    print_loads(rows, ratio=ratio, target=TARGET_RATIO, label="list", width=16)
    print(
        f"new page / healthz throughput: {uncached['rps'] / health['rps']:.2f} "
        "(every request a page never asked for before)"
    )
    return exit_status(counts, health, listed, uncached)


if __name__ == "__main__":
    sys.exit(main())
