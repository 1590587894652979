"""The benchmark's databases: one migrated template with the `developer` role,
one template per row count, and a fresh clone for every scenario and system."""
import subprocess
import urllib.parse

import psycopg

BASE = "bench_base"


def url_for(server_url, database):
    parts = urllib.parse.urlsplit(server_url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + database))


class Cluster:
    def __init__(self, server_url, binary):
        self.server_url = server_url
        self.binary = binary
        self.admin = psycopg.connect(url_for(server_url, "postgres"), autocommit=True)
        self.templates = set()

    def version(self):
        return self.admin.execute("SHOW server_version").fetchone()[0]

    def _recreate(self, name, template=None):
        self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        clause = f' TEMPLATE "{template}"' if template else ""
        self.admin.execute(f'CREATE DATABASE "{name}"{clause}')
        return url_for(self.server_url, name)

    def _base(self):
        if BASE in self.templates:
            return
        url = self._recreate(BASE)
        result = subprocess.run([self.binary, "migrate", "up", "--database-url", url],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"migrate up failed: {result.stderr.strip()}")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("INSERT INTO role (name, description) VALUES ('developer', 'Writes the code')")
        self.templates.add(BASE)

    def _rows_template(self, rows):
        """A template holding `rows` active personas (slug by the trigger, as in production)."""
        self._base()
        name = f"bench_rows_{rows}"
        if name in self.templates:
            return name
        url = self._recreate(name, BASE)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO persona (name, role_id, description) "
                "SELECT 'Persona ' || g, 1, CASE WHEN g %% 2 = 0 THEN 'Benchmark persona ' || g END "
                "FROM generate_series(1, %s) g", (rows,))
            conn.execute("VACUUM ANALYZE persona")
        self.templates.add(name)
        return name

    def clone(self, name, rows=0):
        """A fresh database `name` holding `rows` personas; returns its URL."""
        template = self._rows_template(rows) if rows else (self._base() or BASE)
        return self._recreate(name, template)

    def drop(self, name):
        self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self):
        for name in sorted(self.templates):
            self.drop(name)
        self.admin.close()


INSERT_ONE = ("INSERT INTO persona (name, role_id, description) VALUES (%s, 1, %s) RETURNING slug")
INSERT_MANY = ("INSERT INTO persona (name, role_id, description) "
               "SELECT %s || ' ' || g, 1, 'Burst persona ' || g FROM generate_series(1, %s) g RETURNING slug")
