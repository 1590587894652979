"""The six measurements of issue 6. Every comparison is taken in one run with
the systems interleaved (A, B, A, B ...), never from absolute times alone."""
import os
import shutil
import statistics
import subprocess
import time

import psycopg

from database import INSERT_MANY, INSERT_ONE
from services import Service, memory_breakdown_kb, run_measured
from watch import Watcher


def percentile(values, fraction):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(min(rank, len(ordered))) - 1]


def summary(values):
    return {"n": len(values), "p50": percentile(values, 0.50), "p95": percentile(values, 0.95),
            "p99": percentile(values, 0.99), "max": max(values), "mean": statistics.fmean(values)}


class Bench:
    def __init__(self, args, cluster, sizes):
        self.args = args
        self.cluster = cluster
        self.sizes = sizes
        self.work = args.work_dir
        self.trash = os.path.join(self.work, "trash")
        os.makedirs(self.trash, exist_ok=True)
        self.results = {}
        self.notes = []
        self.trees = {}   # rows -> (tree, url) in step, left by the start-up sweep
        self.counter = 0
        self.kinds = ["ours", "peer", "floor"] if has_subcommand(args.binary, "serve") else ["peer", "floor"]
        if "ours" not in self.kinds:
            self.notes.append("ours: not measured (`persona-registry serve` is not in this build)")

    def log(self, message):
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)

    def tree(self, name):
        path = os.path.join(self.work, "trees", name)
        if os.path.exists(path):
            self.discard(path)
        os.makedirs(path)
        return path

    def discard(self, path):
        """Moves a tree aside; trees are deleted after the run (deleting 100,000 directories takes minutes)."""
        self.counter += 1
        os.rename(path, os.path.join(self.trash, f"{self.counter}-{os.path.basename(path)}"))

    def service(self, kind, name, url, tree):
        templates = self.args.templates
        if kind == "ours":
            argv = [self.args.binary, "serve", "--database-url", url, "--data-dir", tree,
                    "--templates-dir", templates]
        elif kind == "peer":
            argv = [self.args.python, self.args.peer, "--database-url", url, "--data-dir", tree,
                    "--templates-dir", templates]
        elif kind == "floor":
            argv = [self.args.floor, "respond", url, tree, templates]
        elif kind == "floor-swift":
            argv = [self.args.floor_swift, url]
        elif kind == "floor-nosync":
            argv = [self.args.floor, "respond", url, tree, templates, "nosync"]
        elif kind == "floor-watched":
            argv = [self.args.floor, "respond", url, tree, templates, "watched"]
        elif kind == "floor-job":
            argv = [self.args.floor, "respond", url, tree, templates, "job"]
        else:
            raise ValueError(kind)
        return Service(name, argv, self.work)

    # 1. Latency -------------------------------------------------------------------
    def latency(self):
        count = self.sizes["latency"]
        # Not floor-watched (bench/RESULTS.md: watching costs the floor's latency nothing): a
        # fifth system in the rotation leaves each one idle longer between its inserts.
        kinds = self.kinds + ["floor-nosync"]
        self.log(f"latency: {count} personas, one per transaction, interleaved {', '.join(kinds)}, bare LISTEN")
        systems = []
        watcher = Watcher()
        try:
            for kind in kinds:
                url = self.cluster.clone(f"lat_{kind}")
                tree = self.tree(f"lat-{kind}")
                watcher.watch_root(tree)
                service = self.service(kind, f"lat-{kind}", url, tree).start()
                service.wait_ready(120)
                systems.append({"kind": kind, "service": service, "conn": psycopg.connect(url), "tree": tree,
                                "samples": [], "missed": 0, "cpu0": service.cpu_seconds()})
            listen_url = self.cluster.clone("lat_listen")
            listener = psycopg.connect(listen_url, autocommit=True)
            listener.execute("LISTEN persona_registry")
            notifier = psycopg.connect(listen_url)
            listen_samples = []
            for i in range(count):
                for system in systems:
                    slug = system["conn"].execute(INSERT_ONE, (f"Latency {i}", "Latency benchmark")).fetchone()[0]
                    system["conn"].commit()
                    start = time.monotonic()
                    seen = watcher.wait_for(os.path.join(system["tree"], slug, "identity.yaml"), start + 10)
                    if seen is None:
                        system["missed"] += 1
                    else:
                        system["samples"].append(seen - start)
                notifier.execute(INSERT_ONE, (f"Latency {i}", None))
                notifier.commit()
                start = time.monotonic()
                for _note in listener.notifies(timeout=10, stop_after=1):
                    listen_samples.append(time.monotonic() - start)
                    break
            result = {}
            for system in systems:
                cpu = system["service"].cpu_seconds() - system["cpu0"]
                result[system["kind"]] = dict(summary(system["samples"]), missed=system["missed"],
                                              cpu_per_persona=cpu / count,
                                              samples_ms=[round(x * 1000, 3) for x in system["samples"]])
            result["listen"] = summary(listen_samples)
            result["raced"] = watcher.raced
            result["overflows"] = watcher.overflows
            self.results["latency"] = result
            listener.close()
            notifier.close()
        finally:
            watcher.close()
            for system in systems:
                system["conn"].close()
                system["service"].stop()

    # 2. Burst ---------------------------------------------------------------------
    def burst(self):
        count = self.sizes["burst"]
        repeats = self.sizes["repeats"]
        # `floor-job`: the floor doing the daemon's whole job (notifications and rows read from
        # PostgreSQL, the tree watched, one syncfs per burst), timed as ours is: what the floor
        # itself pays beyond its bare loop.
        kinds = self.kinds + (["floor-job"] if "ours" in self.kinds else [])
        self.log(f"burst: {count} personas in one transaction, {repeats} rounds of {', '.join(kinds)}")
        runs = {kind: [] for kind in kinds}
        for round_ in range(repeats):
            # The order rotates each round, so no system always runs first after a pause.
            for kind in kinds[round_ % len(kinds):] + kinds[:round_ % len(kinds)]:
                tree = self.tree(f"burst-{kind}")
                # Polled, not watched: an inotify watcher on 10,000 new directories is slower
                # than the systems it times, and its events are charged to the writer's CPU.
                if kind == "floor":
                    start = time.monotonic()
                    process = subprocess.Popen([self.args.floor, "files", tree, str(count), self.args.templates],
                                               stdout=subprocess.PIPE, text=True)
                    paths = [os.path.join(tree, f"developer-floor-{i}", "identity.yaml") for i in range(1, count + 1)]
                    seen = wait_all_exist(paths, start + 900)
                    out, _ = process.communicate()
                    inner = float(out.strip().split("=")[1])
                    run = {"seconds": seen - start, "loop_seconds": inner, "cpu": None,
                           "unpolled": self.unpolled_loops(count, watched_first=round_ % 2 == 1)}
                else:
                    url = self.cluster.clone(f"burst_{kind}")
                    service = self.service(kind, f"burst-{kind}", url, tree).start()
                    try:
                        service.wait_ready(120)
                        cpu0 = service.cpu_seconds()
                        with psycopg.connect(url) as conn:
                            slugs = [row[0] for row in conn.execute(INSERT_MANY, ("Burst", count))]
                            conn.commit()
                            start = time.monotonic()
                        paths = [os.path.join(tree, slug, "identity.yaml") for slug in slugs]
                        seen = wait_all_exist(paths, start + 900)
                        if seen is None:
                            raise RuntimeError(f"burst {kind}: not every identity file after 900 s")
                        run = {"seconds": seen - start, "cpu": service.cpu_seconds() - cpu0}
                    finally:
                        service.stop()
                runs[kind].append(run)
                self.log(f"  burst {kind} round {round_ + 1}: {run['seconds']:.3f} s")
                self.discard(tree)
        ratios_peer = [p["seconds"] / o["seconds"] for o, p in zip(runs.get("ours", []), runs["peer"])]
        ratios_floor = [o["seconds"] / f["seconds"] for o, f in zip(runs.get("ours", []), runs["floor"])]
        ratios_job = [o["seconds"] / j["seconds"] for o, j in zip(runs.get("ours", []), runs.get("floor-job", []))]
        ratios_job_floor = [j["seconds"] / f["seconds"] for j, f in zip(runs.get("floor-job", []), runs["floor"])]
        self.results["burst"] = {"count": count, "runs": runs,
                                 "peer_over_ours": ratios_peer, "ours_over_floor": ratios_floor,
                                 "ours_over_floor_job": ratios_job, "floor_job_over_floor": ratios_job_floor}

    def unpolled_loops(self, count, watched_first):
        """The bare loop alone and with the tree watched as ours watches it (`floor
        files-watched`), one after the other, nothing polling either (the round's own loop
        shares the machine with the harness's polling): what watching costs the floor itself."""
        seconds = {}
        for mode in (["files-watched", "files"] if watched_first else ["files", "files-watched"]):
            tree = self.tree(f"burst-floor-{mode}")
            out = subprocess.run([self.args.floor, mode, tree, str(count), self.args.templates],
                                 stdout=subprocess.PIPE, text=True, check=True).stdout
            self.discard(tree)
            seconds["watched" if mode == "files-watched" else "bare"] = float(out.strip().split("=")[1])
        # The bare loop on two processes at once, half the personas each, into one tree: what the
        # kernel allows the same work on two processors (ours writes a burst's new directories
        # on two threads; bench/RESULTS.md). The slower half's time, its syncfs included as above.
        tree = self.tree("burst-floor-two")
        half = count // 2
        halves = [subprocess.Popen([self.args.floor, "files", tree, str(n), self.args.templates, str(first)],
                                   stdout=subprocess.PIPE, text=True)
                  for n, first in ((half, 1), (count - half, half + 1))]
        seconds["two"] = max(float(p.communicate()[0].strip().split("=")[1]) for p in halves)
        self.discard(tree)
        return seconds

    # 3. Start-up sweep ------------------------------------------------------------
    def startup(self):
        sizes = self.sizes["startup"]
        repeats = self.sizes["startup_repeats"]
        peer_max = self.sizes["startup_peer_max"]
        self.log(f"start-up sweep: {sizes} rows, empty tree, {repeats} rounds (peer up to {peer_max})")
        runs = {}
        for round_ in range(repeats):
            for rows in sizes:
                for kind in [k for k in self.kinds if k == "ours" or (k == "peer" and rows <= peer_max)]:
                    url = self.cluster.clone(f"start_{kind}_{rows}", rows)
                    tree = self.tree(f"start-{kind}-{rows}-r{round_}")
                    service = self.service(kind, f"start-{kind}-{rows}", url, tree).start()
                    try:
                        ready = service.wait_ready(1800)
                        run = {"seconds": ready - service.started, "cpu": service.cpu_seconds(),
                               "hwm_kb": service.status("VmHWM")}
                    finally:
                        service.stop()
                    runs.setdefault(kind, {}).setdefault(rows, []).append(run)
                    self.log(f"  start-up {kind} {rows}: {run['seconds']:.3f} s")
                    if kind == "ours":
                        previous = self.trees.get(rows)
                        if previous:
                            self.discard(previous[0])
                        self.trees[rows] = (tree, url)
                    else:
                        self.discard(tree)
        scaling = {}
        for small, large in zip(sizes, sizes[1:]):
            for kind in runs:
                if small in runs[kind] and large in runs[kind]:
                    scaling[f"{kind} {large}/{small}"] = [b["seconds"] / a["seconds"] for a, b in
                                                          zip(runs[kind][small], runs[kind][large])]
        self.results["startup"] = {"runs": runs, "scaling": scaling}

    # 4. Drift ---------------------------------------------------------------------
    def drift(self):
        sizes = [rows for rows in self.sizes["drift"] if rows in self.trees]
        if not sizes:
            self.notes.append("drift: not measured (no in-step trees; the start-up sweep did not run)")
            return
        help_text = subprocess.run([self.args.binary, "drift", "--help"], capture_output=True, text=True)
        if not has_subcommand(self.args.binary, "drift"):
            self.notes.append("drift: not measured (`persona-registry drift` is not in this build)")
            return
        porcelain = "porcelain" in help_text.stdout
        repeats = self.sizes["drift_repeats"]
        self.log(f"drift: {sizes} personas, in step and with 1% drift, {repeats} rounds each")
        runs = {}
        for state in ("in-step", "1% drift"):
            if state == "1% drift":
                for rows in sizes:
                    self.inject_drift(*self.trees[rows], rows)
            for _ in range(repeats):
                for rows in sizes:
                    tree, url = self.trees[rows]
                    argv = [self.args.binary, "drift", "--database-url", url, "--data-dir", tree]
                    if porcelain:
                        argv += ["--format", "porcelain"]
                    out = os.path.join(self.work, "logs", f"drift-{rows}.out")
                    code, wall, rss, cpu = run_measured(argv, out)
                    with open(out, "rb") as file:
                        findings = sum(1 for line in file if line.strip())
                    run = {"exit": code, "seconds": wall, "rss_kb": rss, "cpu": cpu,
                           "findings": findings if porcelain else None}
                    runs.setdefault(state, {}).setdefault(rows, []).append(run)
                    self.log(f"  drift {state} {rows}: {wall:.3f} s, {rss / 1024:.1f} MiB, exit {code}")
        scaling = {}
        for small, large in zip(sizes, sizes[1:]):
            scaling[f"{large}/{small}"] = [b["seconds"] / a["seconds"] for a, b in
                                           zip(runs["in-step"][small], runs["in-step"][large])]
        self.results["drift"] = {"runs": runs, "scaling": scaling}

    def inject_drift(self, tree, url, rows):
        """1% of personas drift: 40% lose their directory, 30% orphan directories appear, 30% hand-edited identity files."""
        total = max(3, rows // 100)
        missing, orphans = total * 4 // 10, total * 3 // 10
        edited = total - missing - orphans
        with psycopg.connect(url) as conn:
            slugs = [row[0] for row in conn.execute("SELECT slug FROM persona ORDER BY id")]
        step = max(1, len(slugs) // (missing + edited))
        chosen = slugs[::step][: missing + edited]
        gone = os.path.join(self.trash, f"drift-missing-{rows}")
        os.makedirs(gone, exist_ok=True)
        for slug in chosen[:missing]:
            os.rename(os.path.join(tree, slug), os.path.join(gone, slug))
        for slug in chosen[missing:]:
            path = os.path.join(tree, slug, "identity.yaml")
            with open(path) as file:
                text = file.read()
            with open(path, "w") as file:
                file.write(text.replace("\nname: ", "\nname: Edited "))
        for i in range(orphans):
            os.mkdir(os.path.join(tree, f"developer-ghost-{i}-{900000000 + i}"))

    # 5. Idle ----------------------------------------------------------------------
    def idle(self):
        rows = self.sizes["idle_rows"]
        seconds = self.sizes["idle_seconds"]
        kinds = self.kinds + (["floor-swift"] if self.args.floor_swift else [])
        self.log(f"idle: {', '.join(kinds)} side by side over the same {seconds} s, {rows} personas each")
        services = []
        try:
            for kind in kinds:
                url = self.cluster.clone(f"idle_{kind}", rows)
                tree = self.tree(f"idle-{kind}")
                service = self.service(kind, f"idle-{kind}", url, tree).start()
                services.append((kind, service, tree))
                service.wait_ready(900)
            time.sleep(3)
            before = {kind: service.cpu_seconds() for kind, service, _ in services}
            time.sleep(seconds)
            result = {"seconds": seconds, "rows": rows}
            for kind, service, tree in services:
                result[kind] = {"cpu": service.cpu_seconds() - before[kind], "rss_kb": service.status("VmRSS"),
                                "hwm_kb": service.status("VmHWM"),
                                "memory": memory_breakdown_kb(service.process.pid),
                                "watches": inotify_watches(service.process.pid)}
            self.results["idle"] = result
        finally:
            for _, service, tree in services:
                service.stop()
        for _, _, tree in services:
            self.discard(tree)

    # 7. Fleet (issue 15) ----------------------------------------------------------
    def fleet(self):
        import fleet
        self.log("fleet: a primary in a network namespace; hosts beside it, over a veth link, on a logical replica")
        self.results["fleet"] = fleet.run(self)


def wait_all_exist(paths, deadline, interval=0.002):
    """Monotonic time at which every path was found to exist (polled in order, each found
    path checked once; every system creates them in this order), or None at the deadline."""
    index = 0
    while index < len(paths):
        if os.path.exists(paths[index]):
            index += 1
            continue
        if time.monotonic() > deadline:
            return None
        time.sleep(interval)
    return time.monotonic()


def has_subcommand(binary, name):
    """Whether `binary --help` lists the subcommand `name`."""
    help_text = subprocess.run([binary, "--help"], capture_output=True, text=True).stdout
    return any(line.split()[:1] == [name] for line in help_text.splitlines() if line.startswith("  "))


def inotify_watches(pid):
    """How many inotify watches the process holds (from /proc/<pid>/fdinfo)."""
    count = 0
    fdinfo = f"/proc/{pid}/fdinfo"
    for fd in os.listdir(fdinfo):
        try:
            with open(os.path.join(fdinfo, fd)) as file:
                count += sum(1 for line in file if line.startswith("inotify wd:"))
        except OSError:
            pass
    return count


def remove_later(path):
    """Deletes a directory in a detached process (a tree of 100,000 directories takes minutes)."""
    if os.path.exists(path):
        subprocess.Popen(["rm", "-rf", path], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def remove_now(path):
    shutil.rmtree(path, ignore_errors=True)
