"""Test harness for the host integration kit: a real PostgreSQL, a stand-in host.

The server comes from PERSONA_REGISTRY_TEST_DATABASE_URL (a superuser URL);
every test that needs a database gets its own, created here and dropped
after. Without the variable the tests FAIL: they never skip.

The stand-in host (tests/standin) receives the shipped files by plain copy,
exactly where a host developer puts them: models/role.py and models/persona.py
into src/claude_headspace/models/, the revisions into migrations/versions/.
"""

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

KIT = Path(__file__).resolve().parent.parent
REPO = KIT.parent.parent
STANDIN = KIT / "tests" / "standin"
SQL_FILE = REPO / "migrations" / "0001_role_persona.sql"
REVISION_FILE = (
    KIT / "migrations" / "versions" / "persona_registry_0001_add_role_persona_tables.py"
)
# Every migration and its revision, in order (revision NNNN revises NNNN-1).
SQL_FILES = sorted((REPO / "migrations").glob("[0-9]*.sql"))
REVISION_FILES = sorted((KIT / "migrations" / "versions").glob("persona_registry_*.py"))
HEAD = "persona_registry_" + SQL_FILES[-1].name.split("_", 1)[0]
SERVER_ENV = "PERSONA_REGISTRY_TEST_DATABASE_URL"


@dataclass(frozen=True)
class Database:
    name: str
    url: str  # libpq form: postgresql://...
    sqlalchemy_url: str  # postgresql+psycopg://...

    def connect(self, **kwargs) -> psycopg.Connection:
        return psycopg.connect(self.url, **kwargs)

    def scalar(self, query: str, params=None):
        with self.connect() as connection:
            row = connection.execute(query, params).fetchone()
            return None if row is None else row[0]

    def rows(self, query: str, params=None) -> list[tuple]:
        with self.connect() as connection:
            return connection.execute(query, params).fetchall()

    def run(self, script: str) -> None:
        with self.connect(autocommit=True) as connection:
            connection.execute(script)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def sqlalchemy_form(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("postgresql+psycopg",) + tuple(parts[1:]))


@pytest.fixture(scope="session")
def server_url() -> str:
    url = os.environ.get(SERVER_ENV)
    if not url:
        pytest.fail(
            f"{SERVER_ENV} is not set: these tests need a real PostgreSQL superuser URL "
            "(scripts/test-host.sh starts a throwaway cluster when it is unset)",
            pytrace=False,
        )
    try:
        with psycopg.connect(url, connect_timeout=10) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        pytest.fail(f"cannot connect to {SERVER_ENV}: {error}", pytrace=False)
    return url


@pytest.fixture
def new_database(server_url: str) -> Iterator[Callable[[], Database]]:
    """A factory of fresh, empty databases, all dropped when the test ends."""
    created: list[str] = []

    def make() -> Database:
        name = f"pr_host_{uuid.uuid4().hex[:16]}"  # pr_ prefix: scripts/test drops stale ones
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
        created.append(name)
        url = with_database(server_url, name)
        return Database(name=name, url=url, sqlalchemy_url=sqlalchemy_form(url))

    yield make
    with psycopg.connect(server_url, autocommit=True) as connection:
        for name in created:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def database(new_database) -> Database:
    return new_database()


@dataclass(frozen=True)
class Host:
    root: Path

    @property
    def src(self) -> Path:
        return self.root / "src"

    @property
    def ini(self) -> Path:
        return self.root / "alembic.ini"

    def run_alembic(self, database: Database, *args: str) -> subprocess.CompletedProcess:
        """Run the real `alembic` command line against `database`."""
        env = dict(os.environ, HOST_DATABASE_URL=database.sqlalchemy_url)
        return subprocess.run(
            [sys.executable, "-m", "alembic", "-c", str(self.ini), *args],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def alembic(self, database: Database, *args: str) -> str:
        """Run the real `alembic` command line against `database`; fail with its output."""
        result = self.run_alembic(database, *args)
        if result.returncode != 0:
            pytest.fail(
                f"alembic {' '.join(args)} exited {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}",
                pytrace=False,
            )
        return result.stdout


@pytest.fixture(scope="session")
def host(tmp_path_factory) -> Host:
    """The stand-in host with the shipped files copied in, importable as claude_headspace."""
    root = tmp_path_factory.mktemp("host") / "claude-headspace"
    shutil.copytree(STANDIN, root)
    models = root / "src" / "claude_headspace" / "models"
    shutil.copy2(KIT / "models" / "role.py", models / "role.py")
    shutil.copy2(KIT / "models" / "persona.py", models / "persona.py")
    for revision in REVISION_FILES:
        shutil.copy2(revision, root / "migrations" / "versions" / revision.name)
    sys.path.insert(0, str(root / "src"))
    return Host(root=root)


@pytest.fixture(scope="session")
def host_package(host: Host):
    import claude_headspace
    import claude_headspace.models

    return claude_headspace


@pytest.fixture
def migrated(database: Database, host: Host) -> Database:
    host.alembic(database, "upgrade", "head")
    return database


@pytest.fixture
def app(migrated: Database, host_package):
    """The stand-in Flask app on a database migrated by the shipped revision."""
    app = host_package.create_app(migrated.sqlalchemy_url)
    with app.app_context():
        yield app
        host_package.database.db.session.remove()
        host_package.database.db.engine.dispose()


def pg_tool(name: str) -> str:
    """pg_dump/psql: $PG_DUMP for pg_dump, else the newest /usr/lib/postgresql/*/bin, else PATH."""
    override = os.environ.get("PG_DUMP") if name == "pg_dump" else None
    if override:
        return override
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} not found (install the PostgreSQL client, or set PG_DUMP)", pytrace=False)
    return found


def pg_dump(database: Database, *args: str) -> str:
    """`pg_dump` of `database`, without the lines that differ between any two runs."""
    result = subprocess.run(
        [pg_tool("pg_dump"), "--no-owner", "--no-privileges", *args, "--dbname", database.url],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(f"pg_dump exited {result.returncode}: {result.stderr}", pytrace=False)
    kept = [
        line
        for line in result.stdout.splitlines()
        # \restrict/\unrestrict carry a random key; the version comments name the tools.
        if not line.startswith(("\\restrict", "\\unrestrict", "-- Dumped from", "-- Dumped by"))
    ]
    return "\n".join(kept) + "\n"
