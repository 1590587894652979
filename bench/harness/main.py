"""persona-registry benchmark (issue 6). Run through scripts/bench, which builds
the binaries, prepares the Python venv and starts the PostgreSQL cluster."""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import time
import traceback

from database import Cluster
from report import machine, render
from scenarios import Bench, remove_later

SIZES = {
    "full": {"latency": 1000, "burst": 10000, "repeats": 5, "startup_repeats": 3, "startup": [1000, 10000, 100000],
             "startup_peer_max": 10000, "drift": [1000, 10000, 100000], "drift_repeats": 3,
             "idle_rows": 10000, "idle_seconds": 60, "fleet_latency": 300},
    "quick": {"latency": 300, "burst": 2000, "repeats": 2, "startup_repeats": 2, "startup": [1000, 10000],
              "startup_peer_max": 1000, "drift": [1000, 10000], "drift_repeats": 2,
              "idle_rows": 2000, "idle_seconds": 15, "fleet_latency": 100},
    "smoke": {"latency": 20, "burst": 200, "repeats": 1, "startup_repeats": 1, "startup": [100, 1000],
              "startup_peer_max": 100, "drift": [100, 1000], "drift_repeats": 1,
              "idle_rows": 100, "idle_seconds": 2, "fleet_latency": 10},
}
SCENARIOS = ["latency", "burst", "startup", "drift", "idle", "fleet"]


def wait_for_deletions(work_dir):
    """Waits for a deletion of an earlier run's trees that is still running, then a minute more:
    ext4 without a journal skips inodes freed in the last 60 s (5 minutes while their inode
    table block is dirty) when it allocates, which makes creating files several times slower."""
    def running():
        found = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as file:
                    argv = file.read().split(b"\0")
            except OSError:
                continue
            if argv[:2] == [b"rm", b"-rf"] and any(a.decode(errors="replace").startswith(work_dir) for a in argv[2:]):
                found.append(pid)
        return found
    if not running():
        return
    print("[bench] waiting for the deletion of an earlier run's trees to finish", flush=True)
    while running():
        time.sleep(2)
    time.sleep(60)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server-url", required=True)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--floor", required=True)
    parser.add_argument("--floor-swift", help="the minimal Swift + libpq daemon (bench/floor/floor_swift.swift), for idle")
    parser.add_argument("--peer", required=True)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--templates", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--scratch-fs", metavar="DESCRIPTION",
                        help="the work dir is on a file system made for this run and dropped after it: "
                             "nothing to wait for, nothing to delete")
    parser.add_argument("--results", required=True, help="Markdown results file to write")
    parser.add_argument("--mode", choices=sorted(SIZES), default="full")
    parser.add_argument("--only", default=",".join(SCENARIOS),
                        help="comma-separated scenarios (drift needs startup)")
    args = parser.parse_args()

    only = [name.strip() for name in args.only.split(",") if name.strip()]
    for name in only:
        if name not in SCENARIOS:
            parser.error(f"unknown scenario {name!r}; choose from {', '.join(SCENARIOS)}")
    if "drift" in only and "startup" not in only:
        only.insert(only.index("drift"), "startup")

    # Trees of an earlier run are moved aside and deleted only after this run has measured: on
    # this disk a mass deletion makes creating files slow for minutes afterwards (see RESULTS.md).
    if args.mode != "smoke" and not args.scratch_fs:  # the smoke run checks the harness, it measures nothing
        wait_for_deletions(args.work_dir)
    leftovers = [path for path in [args.work_dir] + glob.glob(args.work_dir + ".old-*") if os.path.exists(path)]
    for number, path in enumerate(leftovers):
        os.rename(path, args.work_dir + f".old-{int(time.time())}-{number}")
    os.makedirs(args.work_dir)
    cluster = Cluster(args.server_url, args.binary)
    bench = Bench(args, cluster, SIZES[args.mode])
    failed = False
    try:
        for name in SCENARIOS:
            if name not in only:
                continue
            started = time.monotonic()
            try:
                getattr(bench, name)()
            except Exception as error:  # one scenario failing must not lose the others' figures
                failed = True
                traceback.print_exc()
                bench.notes.append(f"{name}: FAILED: {str(error).splitlines()[0]}")
            bench.log(f"{name} took {time.monotonic() - started:.0f} s")
        info = machine(args.work_dir, cluster.version(), args.scratch_fs)
    finally:
        cluster.close()
        logs = os.path.join(os.path.dirname(os.path.abspath(args.results)), "logs")
        shutil.rmtree(logs, ignore_errors=True)
        if os.path.isdir(os.path.join(args.work_dir, "logs")):
            shutil.move(os.path.join(args.work_dir, "logs"), logs)
        if not args.scratch_fs:
            remove_later(args.work_dir)
            for path in glob.glob(args.work_dir + ".old-*"):
                remove_later(path)

    text = render(bench, args.mode, info)
    print()
    print(text)
    os.makedirs(os.path.dirname(os.path.abspath(args.results)), exist_ok=True)
    with open(args.results, "w") as file:
        file.write(text)
    with open(os.path.splitext(args.results)[0] + ".json", "w") as file:
        json.dump({"mode": args.mode, "machine": info, "results": bench.results, "notes": bench.notes},
                  file, indent=1, default=str)
    print(f"\nwritten: {args.results}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
