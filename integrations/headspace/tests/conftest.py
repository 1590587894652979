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


# --- The `headspace` layout: a host with its own tables roles and personas ---
#
# The stand-in host of this layout is tests/standin with tests/standin-headspace
# laid over it: the host's own revisions (0462474af024 roles and personas,
# 77a46a29dc5e organisations, a3b8c1d2e4f5 positions, ed3c7ae48539 persona
# types; written from what they make, as Tests/IntegrationTests/Host/HostSchema.swift)
# and its models package. The shipped files of integrations/headspace/headspace-layout
# go in by plain copy: models/{role,persona,persona_type}.py replace the host's,
# the revisions join migrations/versions/.

HOST_KIT = KIT / "headspace-layout"
STANDIN_HEADSPACE = KIT / "tests" / "standin-headspace"
HOST_SQL_FILES = sorted((REPO / "migrations" / "headspace").glob("[0-9]*.sql"))
HOST_REVISION_FILES = sorted((HOST_KIT / "migrations" / "versions").glob("persona_registry_*.py"))
HOST_HEAD = "persona_registry_" + HOST_SQL_FILES[-1].name.split("_", 1)[0]
# The stand-in host's own revisions: the one making roles and personas, and its head.
HOST_TABLES_REVISION = "0462474af024"
HOST_OWN_HEAD = "ed3c7ae48539"
# The package name the headspace stand-in is imported by in this process
# (`claude_headspace` is the prd stand-in's here); alembic runs import it as
# claude_headspace, in their own processes.
HEADSPACE_PACKAGE = "headspace_layout_host"


def make_headspace_host(root: Path, registry_after: str | None) -> Host:
    """The headspace stand-in host in `root`, the shipped files copied in.

    registry_after: the revision the host sets as 1001's down_revision (its own
    head, as the revision's comment says), or None to copy 1001 unedited
    (it revises 0462474af024).
    """
    shutil.copytree(STANDIN, root)
    shutil.copytree(STANDIN_HEADSPACE, root, dirs_exist_ok=True)
    models = root / "src" / "claude_headspace" / "models"
    for name in ("role.py", "persona.py", "persona_type.py"):
        shutil.copy2(HOST_KIT / "models" / name, models / name)
    for revision in HOST_REVISION_FILES:
        text = revision.read_text(encoding="utf-8")
        if registry_after is not None and revision.name.startswith("persona_registry_1001_"):
            edited = text.replace(
                f'down_revision = "{HOST_TABLES_REVISION}"', f'down_revision = "{registry_after}"', 1
            )
            assert edited != text, "the down_revision line of 1001 was not found"
            text = edited
        (root / "migrations" / "versions" / revision.name).write_text(text, encoding="utf-8")
    return Host(root=root)


@pytest.fixture(scope="session")
def headspace_host(tmp_path_factory) -> Host:
    """A host that ran its own revisions: 1001 set to revise its head, ed3c7ae48539."""
    return make_headspace_host(tmp_path_factory.mktemp("headspace-host") / "claude-headspace", HOST_OWN_HEAD)


@pytest.fixture(scope="session")
def headspace_host_as_shipped(tmp_path_factory) -> Host:
    """The shipped revisions copied unedited: 1001 revises 0462474af024."""
    return make_headspace_host(tmp_path_factory.mktemp("headspace-host-shipped") / "claude-headspace", None)


@pytest.fixture(scope="session")
def headspace_package(headspace_host: Host):
    """The headspace stand-in's package, imported in this process as HEADSPACE_PACKAGE."""
    import importlib

    alias = headspace_host.root / "inprocess"
    alias.mkdir()
    (alias / HEADSPACE_PACKAGE).symlink_to(headspace_host.src / "claude_headspace", target_is_directory=True)
    sys.path.insert(0, str(alias))
    package = importlib.import_module(HEADSPACE_PACKAGE)
    importlib.import_module(HEADSPACE_PACKAGE + ".models")
    return package


HOST_ROWS = """
SELECT 'roles', to_jsonb(r)::text FROM roles r
UNION ALL SELECT 'personas', to_jsonb(p)::text FROM personas p
UNION ALL SELECT 'persona_types', to_jsonb(t)::text FROM persona_types t
UNION ALL SELECT 'organisations', to_jsonb(o)::text FROM organisations o
ORDER BY 1, 2
"""


def host_insert_persona(database: Database, name: str, role: str, type_id: int | None = 1) -> tuple[int, str]:
    """Inserts a persona by SQL the way the host's ORM does: a `_pending_<12 hex>`
    slug, then in the same transaction the UPDATE to slugify(role)-slugify(name)-id.
    Returns the id and the slug the host computed."""
    import re

    def slugify(text: str) -> str:
        return re.sub("[^a-z0-9]+", "-", text.lower().strip()).strip("-")

    with database.connect() as connection:  # one transaction, committed on exit
        type_column, type_value = ("", "") if type_id is None else (", persona_type_id", f", {int(type_id)}")
        persona_id = connection.execute(
            f"INSERT INTO personas (slug, name, description, status, role_id, created_at{type_column}) "
            f"VALUES (%s, %s, NULL, 'active', (SELECT id FROM roles WHERE name = %s), now(){type_value}) RETURNING id",
            ("_pending_" + uuid.uuid4().hex[:12], name, role),
        ).fetchone()[0]
        slug = f"{slugify(role)}-{slugify(name)}-{persona_id}"
        connection.execute("UPDATE personas SET slug = %s WHERE id = %s", (slug, persona_id))
    return persona_id, slug


@pytest.fixture
def host_database(database: Database, headspace_host: Host) -> Database:
    """A database the host's own revisions made (to its head, ed3c7ae48539), with
    rows the host's way: the operator Sam, two roles, two personas."""
    headspace_host.alembic(database, "upgrade", HOST_OWN_HEAD)
    database.run("INSERT INTO roles (name, description, created_at) VALUES "
                 "('developer', 'Backend Python development', now()), ('tester', NULL, now())")
    host_insert_persona(database, "Con", "developer")
    host_insert_persona(database, "Verner", "tester")
    return database


@pytest.fixture
def headspace_migrated(host_database: Database, headspace_host: Host) -> Database:
    """host_database with the shipped revisions 1001 and 1002 applied by Alembic."""
    headspace_host.alembic(host_database, "upgrade", "head")
    return host_database


@pytest.fixture
def headspace_app(headspace_migrated: Database, headspace_package):
    """The headspace stand-in's Flask app on headspace_migrated."""
    app = headspace_package.create_app(headspace_migrated.sqlalchemy_url)
    with app.app_context():
        yield app
        headspace_package.database.db.session.remove()
        headspace_package.database.db.engine.dispose()


@pytest.fixture(scope="session")
def registry_bin() -> Path:
    """The persona-registry binary (PERSONA_REGISTRY_BIN); without it the tests FAIL."""
    value = os.environ.get("PERSONA_REGISTRY_BIN")
    if not value:
        pytest.fail(
            "PERSONA_REGISTRY_BIN is not set: the persona-registry binary is needed to compare "
            "`persona-registry migrate up` with the Alembic revision (build it with `swift build`)",
            pytrace=False,
        )
    path = Path(value)
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"PERSONA_REGISTRY_BIN={value} is not an executable file", pytrace=False)
    return path
