"""The notification batch query's round trip, ours against the C floor's, on one database
(issue 23): the statement text of each as sent (unnamed, parsed and planned on every call, as
libpq's PQsendQueryParams and PQexecParams do), alternated, one id per call as in the latency
scenario; then EXPLAIN ANALYZE of each (planning and execution time on the server).

    PG_THROWAWAY_DIR=.pg/profile scripts/pg-throwaway.sh start   # prints SERVER_URL
    .venv-bench/bin/python bench/tools/query_timing.py SERVER_URL BINARY ROWS [CALLS]
"""
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import psycopg  # noqa: E402

from database import Cluster  # noqa: E402

COLUMNS = ("p.id, p.slug, p.name, r.name AS role, p.role_id, p.status, p.description,\n"
           "to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at,\n"
           "NULL::text AS persona_type FROM persona p JOIN role r ON r.id = p.role_id")
OURS = (f"SELECT {COLUMNS}\nWHERE p.id = ANY($1::integer[]) AND true\nUNION\nSELECT {COLUMNS}\n"
        "WHERE true AND p.role_id IN (SELECT k.id FROM unnest($2::integer[], $3::text[]) AS k(id, name)\n"
        "                    JOIN role renamed ON renamed.id = k.id AND renamed.name IS DISTINCT FROM k.name)\n"
        "ORDER BY id")
FLOOR = ("SELECT p.id::text, p.slug, p.name, r.name, p.status, p.description, "
         "to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
         "FROM persona p JOIN role r ON r.id = p.role_id WHERE p.id = ANY($1::int[])")


def main():
    server_url, binary, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    calls = int(sys.argv[4]) if len(sys.argv) > 4 else 500
    cluster = Cluster(server_url, binary)
    url = cluster.clone(f"query_timing_{rows}", rows)
    try:
        with psycopg.connect(url, autocommit=True, prepare_threshold=None) as conn:
            # psycopg sends %s as $n: the statements are given in its placeholder style.
            ours, floor = OURS.replace("$1", "%s").replace("$2", "%s").replace("$3", "%s"), FLOOR.replace("$1", "%s")
            samples = {"ours": [], "floor": []}
            for i in range(calls):
                ident = f"{{{1 + i % max(rows, 1)}}}"
                for kind, sql, params in (("ours", ours, (ident, "{}", "{}")), ("floor", floor, (ident,))):
                    start = time.perf_counter()
                    conn.execute(sql, params).fetchall()
                    samples[kind].append(time.perf_counter() - start)
            for kind in samples:
                values = sorted(samples[kind])
                print(f"{kind}: rows {rows}, {calls} calls, round trip median {statistics.median(values) * 1e3:.3f} ms, "
                      f"p90 {values[int(len(values) * 0.9)] * 1e3:.3f} ms")
            for kind, sql, params in (("ours", ours, ("{1}", "{}", "{}")), ("floor", floor, ("{1}",))):
                plan = [row[0] for row in conn.execute("EXPLAIN (ANALYZE, TIMING OFF) " + sql, params)]
                print(f"{kind}: " + "; ".join(line.strip() for line in plan if "Time" in line))
    finally:
        cluster.drop(f"query_timing_{rows}")
        cluster.close()


if __name__ == "__main__":
    main()
