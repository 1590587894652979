"""Fleet (issue 15): commit on the primary -> identity file complete on three hosts side by side:
`local` (the single-host set-up: the daemon beside the primary, over loopback), `link` (a host in a
network namespace of its own, over a veth link) and `replica` (a host on a local PostgreSQL
subscribed by logical replication). Then a 10,000-row burst on all three, and heal-to-in-step
after a silent partition of the link host (nftables drops its packets for longer than the
daemon's 30 s dead-connection bound).

The measuring process runs inside the primary's namespace (`ip netns exec`), so every address it
uses is one of the namespaces': 10.78.0.1 (primary's end) and 10.78.0.2 (host's end). The
namespaces and clusters are this run's only and are removed afterwards. Needs root."""
import json
import os
import subprocess
import sys
import time

ADDRESS_PRIMARY = "10.78.0.1"
ADDRESS_HOST = "10.78.0.2"
KINDS = ["local", "link", "replica"]


def run(bench):
    """Sets up the namespaces, runs the worker inside the primary's, returns its results."""
    tag = f"prb{os.getpid()}"
    ns_db, ns_host = f"{tag}-db", f"{tag}-h"
    out = os.path.join(bench.work, "fleet-results.json")

    def ip(*argv):
        subprocess.run(["ip", *argv], check=True)

    try:
        ip("netns", "add", ns_db)
        ip("netns", "add", ns_host)
        for ns in (ns_db, ns_host):
            ip("-n", ns, "link", "set", "lo", "up")
        ip("link", "add", f"{tag}-p", "netns", ns_db, "type", "veth", "peer", "name", f"{tag}-h", "netns", ns_host)
        ip("-n", ns_db, "addr", "add", f"{ADDRESS_PRIMARY}/30", "dev", f"{tag}-p")
        ip("-n", ns_host, "addr", "add", f"{ADDRESS_HOST}/30", "dev", f"{tag}-h")
        ip("-n", ns_db, "link", "set", f"{tag}-p", "up")
        ip("-n", ns_host, "link", "set", f"{tag}-h", "up")
        config = {"tag": tag, "ns_host": ns_host, "binary": bench.args.binary, "templates": bench.args.templates,
                  "work": bench.work, "root": os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                  "latency": bench.sizes["fleet_latency"], "burst": bench.sizes["burst"], "out": out}
        subprocess.run(["ip", "netns", "exec", ns_db, bench.args.python, os.path.abspath(__file__),
                        json.dumps(config)], check=True)
        with open(out) as file:
            return json.load(file)
    finally:
        for ns in (ns_host, ns_db):
            subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)


class Worker:
    def __init__(self, config):
        self.c = config
        self.clusters = []
        self.services = {}

    def log(self, message):
        print(f"[bench {time.strftime('%H:%M:%S')}] fleet: {message}", flush=True)

    def cluster(self, name, options):
        env = dict(os.environ, PG_THROWAWAY_DIR=os.path.join(self.c["root"], ".pg", f"fleet-{name}"),
                   PG_THROWAWAY_OPTIONS=options)
        url = subprocess.run([os.path.join(self.c["root"], "scripts", "pg-throwaway.sh"), "start"], env=env,
                             check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        self.clusters.append(env)
        return url, env["PG_THROWAWAY_DIR"]

    def cli(self, *argv):
        result = subprocess.run([self.c["binary"], *argv], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"persona-registry {' '.join(argv[:2])}: {result.stderr.strip()}")
        return result.stdout

    def serve(self, kind, url, prefix=()):
        from services import Service
        tree = os.path.join(self.c["work"], "trees", f"fleet-{kind}")
        os.makedirs(tree)
        argv = [*prefix, self.c["binary"], "serve", "--database-url", url, "--data-dir", tree,
                "--templates-dir", self.c["templates"]]
        service = Service(f"fleet-{kind}", argv, self.c["work"]).start()
        service.wait_ready(120)
        self.services[kind] = service
        return tree

    def main(self):
        import psycopg
        from scenarios import summary, wait_all_exist
        from watch import Watcher
        tag = self.c["tag"]
        try:
            # synchronous_commit on, as on a production primary: with it off (the throwaway default) a
            # walsender waits for the WAL writer (up to wal_writer_delay, 200 ms) before it sends a commit.
            primary, primary_dir = self.cluster(
                "primary", f"-c wal_level=logical -c synchronous_commit=on -c listen_addresses=127.0.0.1,{ADDRESS_PRIMARY}")
            with open(os.path.join(primary_dir, "data", "pg_hba.conf"), "a") as file:
                file.write(f"host all all {ADDRESS_HOST}/32 trust\n")
            replica, _ = self.cluster("replica", "")
            self.cli("migrate", "up", "--database-url", primary)
            self.cli("migrate", "up", "--database-url", replica)
            with psycopg.connect(primary, autocommit=True) as conn:
                conn.execute("SELECT pg_reload_conf()")
                conn.execute("INSERT INTO role (name) VALUES ('developer')")
            self.cli("replica", "publish", "--database-url", primary)
            self.cli("replica", "subscribe", "--database-url", replica, "--publisher", primary,
                     "--name", "persona_registry_bench")
            port = primary.rsplit(":", 1)[1].split("/")[0]
            link_url = f"postgresql://postgres@{ADDRESS_PRIMARY}:{port}/persona_registry"
            trees = {"local": self.serve("local", primary),
                     "link": self.serve("link", link_url, ("ip", "netns", "exec", self.c["ns_host"])),
                     "replica": self.serve("replica", replica)}
            results = {}

            count = self.c["latency"]
            self.log(f"latency: {count} personas, one per transaction, to {', '.join(KINDS)}")
            samples = {kind: [] for kind in KINDS}
            missed = {kind: 0 for kind in KINDS}
            watcher = Watcher()
            try:
                for tree in trees.values():
                    watcher.watch_root(tree)
                with psycopg.connect(primary) as conn:
                    for i in range(count):
                        slug = conn.execute("INSERT INTO persona (name, role_id) VALUES (%s, 1) RETURNING slug",
                                            (f"Fleet {i}",)).fetchone()[0]
                        conn.commit()
                        start = time.monotonic()
                        for kind in KINDS:
                            seen = watcher.wait_for(os.path.join(trees[kind], slug, "identity.yaml"), start + 10)
                            if seen is None:
                                missed[kind] += 1
                            else:
                                samples[kind].append(seen - start)
            finally:
                watcher.close()
            results["latency"] = {kind: dict(summary(samples[kind]), missed=missed[kind]) for kind in KINDS}

            count = self.c["burst"]
            self.log(f"burst: {count} personas in one transaction, to all three at once")
            with psycopg.connect(primary) as conn:
                slugs = [row[0] for row in conn.execute(
                    "INSERT INTO persona (name, role_id) SELECT 'Burst ' || g, 1 FROM generate_series(1, %s) g "
                    "RETURNING slug", (count,))]
                conn.commit()
                start = time.monotonic()
            results["burst"] = {"count": count}
            # The three trees polled side by side: each host's time is its own.
            pending = {kind: [os.path.join(trees[kind], slug, "identity.yaml") for slug in slugs] for kind in KINDS}
            index = {kind: 0 for kind in KINDS}
            while pending and time.monotonic() < start + 900:
                for kind in list(pending):
                    paths = pending[kind]
                    while index[kind] < len(paths) and os.path.exists(paths[index[kind]]):
                        index[kind] += 1
                    if index[kind] == len(paths):
                        results["burst"][kind] = time.monotonic() - start
                        del pending[kind]
                time.sleep(0.002)
            for kind in pending:
                results["burst"][kind] = None

            self.log("partition: the link host's packets dropped until its daemon notices, then healed")
            rules = (f'table inet {tag} {{\n chain input {{ type filter hook input priority 0; iifname "{tag}-p" drop; }}\n'
                     f' chain output {{ type filter hook output priority 0; oifname "{tag}-p" drop; }}\n}}\n')
            subprocess.run(["nft", "-f", "-"], input=rules, text=True, check=True)
            cut = time.monotonic()
            with psycopg.connect(primary) as conn:
                slugs = [row[0] for row in conn.execute(
                    "INSERT INTO persona (name, role_id) SELECT 'Cut ' || g, 1 FROM generate_series(1, 100) g "
                    "RETURNING slug")]
                conn.commit()
            log_path = self.services["link"].log_path
            noticed = None
            while time.monotonic() - cut < 120:
                with open(log_path, errors="replace") as file:
                    if "lost the connection" in file.read():
                        noticed = time.monotonic() - cut
                        break
                time.sleep(0.05)
            subprocess.run(["nft", "delete", "table", "inet", tag], check=True)
            healed = time.monotonic()
            seen = wait_all_exist([os.path.join(trees["link"], slug, "identity.yaml") for slug in slugs], healed + 120)
            results["partition"] = {"noticed_seconds": noticed,
                                    "heal_to_in_step_seconds": None if seen is None else seen - healed}
            with open(self.c["out"], "w") as file:
                json.dump(results, file)
        finally:
            for service in self.services.values():
                service.stop()
            for env in reversed(self.clusters):
                subprocess.run([os.path.join(self.c["root"], "scripts", "pg-throwaway.sh"), "stop"], env=env)
                subprocess.run(["rm", "-rf", env["PG_THROWAWAY_DIR"]])


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    Worker(json.loads(sys.argv[1])).main()
