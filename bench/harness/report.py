"""The results as Markdown tables, and the targets of issue 6 checked against them."""
import os
import platform
import statistics
import subprocess
import time


def machine(work_dir, pg_version, scratch_fs=None):
    def first(path, key):
        try:
            with open(path) as file:
                for line in file:
                    if line.startswith(key):
                        return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "?"

    df = subprocess.run(["df", "-hT", work_dir], capture_output=True, text=True).stdout.strip().splitlines()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "nproc": os.cpu_count(),
        "cpu": first("/proc/cpuinfo", "model name"),
        "memory": first("/proc/meminfo", "MemTotal"),
        "kernel": platform.release(),
        "disk": df[-1] if df else "?",
        "trees": scratch_fs or "the checkout's disk (.bench-work)",
        "postgresql": f"{pg_version} (throwaway cluster: fsync=off, synchronous_commit=off, full_page_writes=off)",
    }


def ms(seconds):
    return f"{seconds * 1000:.2f}"


def median(values):
    return statistics.median(values) if values else float("nan")


def fmt_list(values, digits=2):
    return ", ".join(f"{value:.{digits}f}" for value in values)


def render(bench, mode, info):
    r = bench.results
    out = [f"# persona-registry benchmark ({mode})", ""]
    out += ["| machine | |", "| --- | --- |"] + [f"| {key} | {value} |" for key, value in info.items()]
    out += ["", "Every ratio is taken within this run with the systems interleaved; absolute times on this",
            "shared machine swing from minute to minute. `ours` = `persona-registry serve`,",
            "`peer` = bench/peer/peer_daemon.py (psycopg + PyYAML), `floor` = bench/floor/floor.c",
            "(bare C: LISTEN, one fetch, the same file operations as ours (a staging directory, three",
            "files written in it, one rename to the slug), one syncfs per batch; `floor-nosync` the same",
            "without the syncfs); in the burst, `floor` is its bare loop alone and `floor-job` the responder",
            "doing ours' whole job (section 2).", ""]

    if "latency" in r:
        lat = r["latency"]
        out += ["## 1. Latency: commit of one insert -> identity file complete (ms)", "",
                "| system | n | p50 | p95 | p99 | max | missed | CPU ms/persona |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for kind in ("ours", "peer", "floor", "floor-nosync"):
            if kind not in lat:
                continue
            s = lat[kind]
            out.append(f"| {kind} | {s['n']} | {ms(s['p50'])} | {ms(s['p95'])} | {ms(s['p99'])} | {ms(s['max'])} "
                       f"| {s['missed']} | {s['cpu_per_persona'] * 1000:.3f} |")
        s = lat["listen"]
        out.append(f"| bare LISTEN round trip (commit -> notification) | {s['n']} | {ms(s['p50'])} | {ms(s['p95'])} "
                   f"| {ms(s['p99'])} | {ms(s['max'])} | | |")
        out += ["", f"Watcher: {lat['raced']} identity files were complete before their directory's watch was added "
                    f"(timed when found, an upper bound); {lat['overflows']} queue overflows.", ""]

    if "burst" in r:
        b = r["burst"]
        out += [f"## 2. Burst: {b['count']} personas in one transaction -> every identity file", "",
                "| system | seconds per round | personas/s (median) | daemon CPU s |", "| --- | --- | --- | --- |"]
        for kind in b["runs"]:
            runs = b["runs"][kind]
            seconds = [run["seconds"] for run in runs]
            cpu = fmt_list([run["cpu"] for run in runs]) if runs[0]["cpu"] is not None else \
                "loop alone: " + fmt_list([run["loop_seconds"] for run in runs], 3) + " s"
            out.append(f"| {kind} | {fmt_list(seconds, 3)} | {b['count'] / median(seconds):,.0f} | {cpu} |")
        out += ["", f"peer/ours per round: {fmt_list(b['peer_over_ours'])}; "
                    f"ours/floor per round: {fmt_list(b['ours_over_floor'])}", ""]
        if b.get("ours_over_floor_job"):
            out += ["`floor-job` is the floor doing the daemon's whole job: `floor respond ... job` (LISTEN, one "
                    "fetch per batch of notifications, the same file operations, the tree watched as ours "
                    "watches it, one syncfs per burst), timed from the commit as ours is; `floor` is its bare "
                    "loop alone (no database, nothing watched).", "",
                    f"ours/floor-job per round: {fmt_list(b['ours_over_floor_job'])}; "
                    f"floor-job/floor per round: {fmt_list(b['floor_job_over_floor'])}", ""]

    if "startup" in r:
        s = r["startup"]
        out += ["## 3. Start-up sweep: rows, empty tree -> READY=1", "",
                "| system | rows | seconds per round | personas/s | CPU s | peak RSS MiB |",
                "| --- | --- | --- | --- | --- | --- |"]
        for kind, by_rows in s["runs"].items():
            for rows, runs in by_rows.items():
                seconds = [run["seconds"] for run in runs]
                out.append(f"| {kind} | {rows:,} | {fmt_list(seconds, 3)} | {rows / median(seconds):,.0f} "
                           f"| {fmt_list([run['cpu'] for run in runs])} "
                           f"| {fmt_list([run['hwm_kb'] / 1024 for run in runs], 1)} |")
        out += [""] + [f"time ratio {pair} per round: {fmt_list(values)}" for pair, values in s["scaling"].items()]
        out.append("")

    if "drift" in r:
        d = r["drift"]
        out += ["## 4. `persona-registry drift` (warm page cache)", "",
                "| tree | personas | wall s per round | peak RSS MiB | exit | findings |",
                "| --- | --- | --- | --- | --- | --- |"]
        for state, by_rows in d["runs"].items():
            for rows, runs in by_rows.items():
                out.append(f"| {state} | {rows:,} | {fmt_list([run['seconds'] for run in runs], 3)} "
                           f"| {max(run['rss_kb'] for run in runs) / 1024:.1f} "
                           f"| {','.join(sorted({str(run['exit']) for run in runs}))} "
                           f"| {runs[0]['findings']} |")
        out += [""] + [f"in step, time ratio {pair} per round: {fmt_list(values)}" for pair, values in d["scaling"].items()]
        out.append("")

    if "idle" in r:
        i = r["idle"]
        out += [f"## 5. Idle: {i['seconds']} s with nothing happening, {i['rows']:,} personas", "",
                "| system | CPU s over the window | CPU s per minute | RSS MiB | peak RSS MiB | inotify watches |",
                "| --- | --- | --- | --- | --- | --- |"]
        for kind in ("ours", "peer", "floor", "floor-swift"):
            if kind not in i:
                continue
            s = i[kind]
            out.append(f"| {kind} | {s['cpu']:.2f} | {s['cpu'] * 60 / i['seconds']:.2f} | {s['rss_kb'] / 1024:.1f} "
                       f"| {s['hwm_kb'] / 1024:.1f} | {s['watches']} |")
        out += ["", "Resident memory at the end of the window (MiB): RSS split by what the pages belong to; PSS counts",
                "each shared page divided among the processes that map it; private is what only this process maps.",
                "`floor` is the bare C responder (libpq only); `floor-swift` the smallest Swift program on libpq",
                "(bench/floor/floor_swift.swift: connect, LISTEN, poll; the runtime linked in statically, as ours).",
                "The peer's interpreter is a shared library (libpython) on some builds: then it counts there.", "",
                "| system | RSS | program file | shared libraries | anonymous (heap, stacks) | PSS | private |",
                "| --- | --- | --- | --- | --- | --- | --- |"]
        for kind in ("ours", "peer", "floor", "floor-swift"):
            m = i.get(kind, {}).get("memory")
            if m:
                out.append(f"| {kind} | {m['Rss'] / 1024:.1f} | {m['program'] / 1024:.1f} | {m['libraries'] / 1024:.1f} "
                           f"| {m['anonymous'] / 1024:.1f} | {m['Pss'] / 1024:.1f} | {m['private'] / 1024:.1f} |")
        out.append("")

    if "burst" in r or "latency" in r:
        out += ["## 6. The floor", ""]
        if "burst" in r:
            loops = [run["loop_seconds"] for run in r["burst"]["runs"]["floor"]]
            count = r["burst"]["count"]
            out.append(f"- bare loop, {count} personas' directory and file operations + one syncfs: "
                       f"{fmt_list(loops, 3)} s ({median(loops) / count * 1e6:.0f} us per persona)")
            unpolled = [run.get("unpolled") for run in r["burst"]["runs"]["floor"]]
            if all(u is not None for u in unpolled):
                bare = [u["bare"] for u in unpolled]
                watched = [u["watched"] for u in unpolled]
                out.append(f"- the same loop with nothing polling it, bare / with the tree watched as ours watches it "
                           f"(an inotify watch on the root and on each new directory, the queue read every 256): "
                           f"{fmt_list(bare, 3)} / {fmt_list(watched, 3)} s; watched/bare per round "
                           f"{fmt_list([w / b for w, b in zip(watched, bare)])} (median {median(watched) / median(bare):.2f}x)")
                if all("two" in u for u in unpolled):
                    two = [u["two"] for u in unpolled]
                    out.append(f"- the bare loop on two processes at once, half the personas each (what two processors "
                               f"allow the same work; ours writes a burst's new directories on two threads): "
                               f"{fmt_list(two, 3)} s; two/one per round {fmt_list([t / b for t, b in zip(two, bare)])} "
                               f"(median {median(two) / median(bare):.2f}x)")
        if "latency" in r:
            out.append(f"- bare LISTEN round trip p50 {ms(r['latency']['listen']['p50'])} ms, "
                       f"p99 {ms(r['latency']['listen']['p99'])} ms; bare C responder: see `floor` rows above")
        out.append("")

    if "fleet" in r:
        out += fleet_section(r)

    targets = check_targets(r)
    if targets:
        out += ["## Targets", "", "| target | measured | met |", "| --- | --- | --- |"]
        out += [f"| {name} | {measured} | {'yes' if met else 'NO'} |" for name, measured, met in targets]
        out.append("")
    if bench.notes:
        out += ["## Not measured / notes", ""] + [f"- {note}" for note in bench.notes] + [""]
    return "\n".join(out)


def fleet_section(r):
    """Issue 15: one primary, a host beside it, one over a namespace link, one on a logical replica."""
    f = r["fleet"]
    out = ["## 7. Fleet: commit on the primary -> identity file on each host (ms)", "",
           "`local`: the daemon beside the primary over loopback (the single-host set-up); `link`: a host in a",
           "network namespace of its own, over a veth link; `replica`: a host on a local PostgreSQL subscribed",
           "by logical replication. All three at once, on the same commits. The fleet's primary runs with",
           "synchronous_commit=on (a walsender sends only flushed WAL).", "",
           "| host | n | p50 | p95 | p99 | max | missed | burst (s) |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for kind in ("local", "link", "replica"):
        s = f["latency"][kind]
        burst = f["burst"].get(kind)
        out.append(f"| {kind} | {s['n']} | {ms(s['p50'])} | {ms(s['p95'])} | {ms(s['p99'])} | {ms(s['max'])} "
                   f"| {s['missed']} | {'-' if burst is None else f'{burst:.2f}'} |")
    if "latency" in r and "ours" in r["latency"]:
        s = r["latency"]["ours"]
        out.append(f"| single host (section 1, ours) | {s['n']} | {ms(s['p50'])} | {ms(s['p95'])} | {ms(s['p99'])} "
                   f"| {ms(s['max'])} | {s['missed']} | |")
    p = f["partition"]
    def seconds(value):
        return "not seen" if value is None else f"{value:.2f} s"
    out += ["", f"Burst: {f['burst']['count']} personas in one transaction, to all three hosts at once.",
            f"Silent partition of the link host (nftables drop): dead connection noticed after "
            f"{seconds(p['noticed_seconds'])}; heal -> in step (100 rows inserted meanwhile) {seconds(p['heal_to_in_step_seconds'])}.",
            ""]
    return out


def check_targets(r):
    targets = []
    if "latency" in r and "ours" in r["latency"]:
        lat = r["latency"]
        ratio = lat["ours"]["p50"] / lat["peer"]["p50"]
        targets.append(("latency p50 no worse than the Python peer", f"ours/peer = {ratio:.2f}", ratio <= 1.0))
        ratio = lat["ours"]["p99"] / lat["floor"]["p99"]
        targets.append(("latency p99 within 2x of the floor", f"ours/floor = {ratio:.2f}", ratio <= 2.0))
        ratio = lat["ours"]["p99"] / lat["floor-nosync"]["p99"]
        targets.append(("(stricter) latency p99 within 2x of the floor without syncfs",
                        f"ours/floor-nosync = {ratio:.2f}", ratio <= 2.0))
    if "burst" in r and r["burst"]["peer_over_ours"]:
        ratio = median(r["burst"]["peer_over_ours"])
        targets.append(("burst at least 5x faster than the peer", f"peer/ours = {ratio:.1f} (median)", ratio >= 5.0))
        ratio = median(r["burst"]["ours_over_floor"])
        targets.append(("burst within 1.5x of the floor's bare loop", f"ours/floor = {ratio:.2f} (median)",
                        ratio <= 1.5))
        if r["burst"].get("ours_over_floor_job"):
            ratio = median(r["burst"]["ours_over_floor_job"])
            targets.append(("(context) burst within 1.2x of the floor doing the same job (floor-job)",
                            f"ours/floor-job = {ratio:.2f} (median)", ratio <= 1.2))
    if "idle" in r and "ours" in r["idle"]:
        i = r["idle"]
        ratio = i["ours"]["rss_kb"] / i["peer"]["rss_kb"]
        targets.append(("idle RSS at most a third of the peer's", f"ours/peer = {ratio:.2f}", ratio <= 1 / 3))
        per_minute = i["ours"]["cpu"] * 60 / i["seconds"]
        targets.append(("idle CPU 0.0 s per minute", f"{per_minute:.2f} s/min", per_minute < 0.005))
    if "startup" in r:
        for pair, values in r["startup"]["scaling"].items():
            kind, sizes = pair.split()
            large, small = (int(x) for x in sizes.split("/"))
            if kind == "ours" and large == 10 * small:
                ratio = median(values)
                targets.append((f"start-up sweep linear ({pair})", f"time ratio {ratio:.1f}", ratio <= 11.0))
    if "drift" in r:
        for pair, values in r["drift"]["scaling"].items():
            large, small = (int(x) for x in pair.split("/"))
            if large == 10 * small:
                ratio = median(values)
                targets.append((f"drift in step linear ({pair})", f"time ratio {ratio:.1f}", ratio <= 11.0))
        runs = r["drift"]["runs"]["in-step"]
        largest = max(runs)
        peak = max(run["rss_kb"] for run in runs[largest]) / 1024
        targets.append((f"drift at {largest:,} in step under 150 MB resident", f"{peak:.1f} MiB", peak < 150))
        clean = all(run["exit"] == 0 for by in runs.values() for run in by)
        targets.append(("drift exits 0 on every in-step tree (correctness)", "yes" if clean else "no", clean))
        drifted = all(run["exit"] == 2 for by in r["drift"]["runs"].get("1% drift", {}).values() for run in by)
        targets.append(("drift exits 2 on every 1% drifted tree (correctness)", "yes" if drifted else "no", drifted))
    return targets
