"""One system under a profiler, for counts per persona (issue 23): system calls, instructions,
allocations. Run through scripts/profile, which builds, starts PostgreSQL and picks the tools.

The system (ours, or the C floor's responder) is started on a fresh database, waited for
(READY=1), then given `--count` personas, one per transaction (`latency`, each waited for in the
tree as the benchmark does) or all in one transaction (`burst`), and stopped.

  --attach "CMD ..."   a profiler attached after READY=1 and detached (SIGINT) after the work:
                       `-p PID` is appended (strace -c -f -o FILE; perf stat ... ). Start-up
                       and stop are outside what it counts.
  --prefix "CMD ..."   the system is started under CMD (valgrind); with --callgrind-toggle its
                       instrumentation is switched on only for the work (callgrind_control -i).
  --rows N             the table holds N personas before the start (a start-up sweep of N).

Prints one line of JSON: the count, the seconds the work took (noisy), the daemon's CPU.
"""
import argparse
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time

import psycopg

from database import INSERT_MANY, INSERT_ONE, Cluster
from scenarios import wait_all_exist
from services import Service, memory_breakdown_kb
from watch import Watcher


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server-url", required=True)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--floor", required=True)
    parser.add_argument("--templates", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--floor-swift", help="the minimal Swift + libpq daemon (bench/floor/floor_swift.swift)")
    parser.add_argument("--system", choices=["ours", "floor", "floor-nosync", "floor-watched", "floor-job", "floor-swift"], default="ours")
    parser.add_argument("--scenario", choices=["latency", "burst", "idle", "drift"], required=True)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--attach")
    parser.add_argument("--prefix")
    parser.add_argument("--callgrind-toggle", action="store_true")
    parser.add_argument("--settle", type=float, default=1.5,
                        help="seconds to wait after the work (the flush, the status file's once-a-second write)")
    parser.add_argument("--idle-seconds", type=float, default=15)
    parser.add_argument("--smaps-out", help="idle: a copy of /proc/PID/smaps at the end")
    parser.add_argument("--drift-prefix", help="drift: `persona-registry drift` run under this (after /usr/bin/time -v)")
    args = parser.parse_args()

    os.makedirs(args.work_dir, exist_ok=True)
    cluster = Cluster(args.server_url, args.binary)
    name = f"profile_{args.system.replace('-', '_')}_{os.getpid()}"
    url = cluster.clone(name, args.rows)
    tree = os.path.join(args.work_dir, "trees", name)
    os.makedirs(tree)
    if args.system == "ours":
        argv = [args.binary, "serve", "--database-url", url, "--data-dir", tree, "--templates-dir", args.templates]
    elif args.system == "floor-swift":
        argv = [args.floor_swift, url]
    else:
        mode = {"floor-nosync": ["nosync"], "floor-watched": ["watched"], "floor-job": ["job"]}.get(args.system, [])
        argv = [args.floor, "respond", url, tree, args.templates] + mode
    if args.prefix:
        argv = shlex.split(args.prefix) + argv
    service = Service(name, argv, args.work_dir).start()
    attached = None
    result = {"system": args.system, "scenario": args.scenario, "count": args.count, "rows": args.rows, "tree": tree}
    try:
        service.wait_ready(3600)
        pid = service.process.pid
        if args.callgrind_toggle:
            subprocess.run(["callgrind_control", "-z", str(pid)], check=True, stdout=subprocess.DEVNULL)
            subprocess.run(["callgrind_control", "-i", "on", str(pid)], check=True, stdout=subprocess.DEVNULL)
        if args.attach:
            attached = subprocess.Popen(shlex.split(args.attach) + ["-p", str(pid)])
            time.sleep(1.0)  # the tracer is attached (strace prints that it is)
        cpu0 = service.cpu_seconds()
        start = time.monotonic()
        if args.scenario == "latency":
            watcher = Watcher()
            watcher.watch_root(tree)
            missed = 0
            with psycopg.connect(url) as conn:
                for i in range(args.count):
                    slug = conn.execute(INSERT_ONE, (f"Latency {i}", "Latency benchmark")).fetchone()[0]
                    conn.commit()
                    if watcher.wait_for(os.path.join(tree, slug, "identity.yaml"), time.monotonic() + 60) is None:
                        missed += 1
            watcher.close()
            result["missed"] = missed
        elif args.scenario == "burst":
            with psycopg.connect(url) as conn:
                slugs = [row[0] for row in conn.execute(INSERT_MANY, ("Burst", args.count))]
                conn.commit()
            if wait_all_exist([os.path.join(tree, s, "identity.yaml") for s in slugs], time.monotonic() + 3600) is None:
                raise RuntimeError("not every identity file within an hour")
        elif args.scenario == "drift":
            # The start-up sweep has made the tree in step; the daemon stops, `drift` reads it.
            result["startup_hwm_kb"] = service.status("VmHWM")
            service.stop(timeout=600)
            drift = ["/usr/bin/time", "-v"] + shlex.split(args.drift_prefix or "") + [
                args.binary, "drift", "--database-url", url, "--data-dir", tree, "--format", "porcelain"]
            done = subprocess.run(drift, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            result["drift_exit"] = done.returncode
            for line in done.stderr.splitlines():
                if "Maximum resident set size" in line or "Elapsed (wall" in line or "User time" in line:
                    result[line.split(":")[0].strip()] = line.rsplit(" ", 1)[-1]
        else:
            time.sleep(args.idle_seconds)
            if args.smaps_out:
                shutil.copyfile(f"/proc/{service.process.pid}/smaps", args.smaps_out)
            result["memory_kb"] = memory_breakdown_kb(service.process.pid)
            result["rss_kb"] = service.status("VmRSS")
            result["hwm_kb"] = service.status("VmHWM")
        result["seconds"] = time.monotonic() - start
        time.sleep(args.settle)
        result["cpu"] = service.cpu_seconds() - cpu0 if args.scenario != "drift" else None
        if attached:
            attached.send_signal(signal.SIGINT)
            attached.wait(120)
        if args.callgrind_toggle:
            subprocess.run(["callgrind_control", "-i", "off", str(pid)], check=True, stdout=subprocess.DEVNULL)
        result["pid"] = pid
    finally:
        if attached and attached.poll() is None:
            attached.send_signal(signal.SIGINT)
            attached.wait(120)
        service.stop(timeout=600)
        cluster.drop(name)
        cluster.close()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
