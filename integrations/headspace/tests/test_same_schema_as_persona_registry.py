"""The Alembic revision and `persona-registry migrate up` build the same schema,
and the two coexist on one database.

Needs the persona-registry binary: PERSONA_REGISTRY_BIN (scripts/test-host.sh
sets it to .build/debug/persona-registry when that exists). Without it these
tests FAIL; they never skip.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import HEAD, REPO, REVISION_FILES, Database, pg_dump

MIGRATIONS = REPO / "migrations"
MIGRATOR_SOURCE = REPO / "Sources" / "RegistryDatabase" / "Schema" / "Migrator.swift"
VERSION_TABLES = ("public.alembic_version", "public.persona_registry_schema_migrations")


@pytest.fixture(scope="session")
def registry_bin() -> Path:
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


def registry(registry_bin: Path, database: Database, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(registry_bin), *args, "--database-url", database.url, "--migrations-dir", str(MIGRATIONS)],
        capture_output=True, text=True, timeout=300,
        env={key: value for key, value in os.environ.items() if not key.startswith("PG") and key != "DATABASE_URL"},
    )


def migrate_up(registry_bin: Path, database: Database) -> None:
    result = registry(registry_bin, database, "migrate", "up")
    assert result.returncode == 0, f"persona-registry migrate up failed: {result.stderr}"


def schema(database: Database) -> str:
    args = ["--schema-only"] + [f"--exclude-table={table}" for table in VERSION_TABLES]
    return pg_dump(database, *args)


def test_migrate_up_and_alembic_upgrade_give_identical_schema_dumps(registry_bin, new_database, host):
    by_registry = new_database()
    by_alembic = new_database()
    migrate_up(registry_bin, by_registry)
    host.alembic(by_alembic, "upgrade", "head")

    # Both really ran: each has its own version table.
    assert by_registry.scalar("SELECT string_agg(version, ',' ORDER BY version) FROM persona_registry_schema_migrations") == "0001,0002,0003"
    assert by_alembic.scalar("SELECT version_num FROM alembic_version") == HEAD

    dumped = schema(by_registry)
    for expected in ("CREATE TABLE public.role", "CREATE TABLE public.persona", "ix_persona_role_id",
                     "CREATE TRIGGER persona_registry_slug", "FUNCTION public.persona_registry_slug_part",
                     "CREATE UNIQUE INDEX role_name_folded_key", "CONSTRAINT persona_name_no_bidi_control"):
        assert expected in dumped
    assert "alembic_version" not in dumped and "persona_registry_schema_migrations" not in dumped
    assert schema(by_alembic) == dumped


def test_revision_checksum_is_the_one_persona_registry_records(registry_bin, database, host):
    from test_revision_source import load_revision

    migrate_up(registry_bin, database)
    for path in REVISION_FILES:
        revision = load_revision(path)
        recorded = database.scalar("SELECT checksum FROM persona_registry_schema_migrations WHERE version = %s",
                                   (revision.SOURCE_VERSION,))
        assert recorded == revision.SOURCE_SHA256, path.name


def test_alembic_on_a_database_persona_registry_migrated_records_only_itself(registry_bin, database, host):
    migrate_up(registry_bin, database)
    database.run("INSERT INTO role (name) VALUES ('developer');"
                 "INSERT INTO persona (name, role_id) SELECT 'Con', id FROM role")
    before = pg_dump(database, "--exclude-table=public.alembic_version")

    host.alembic(database, "upgrade", "head")
    assert database.scalar("SELECT version_num FROM alembic_version") == HEAD
    assert pg_dump(database, "--exclude-table=public.alembic_version") == before  # rows kept, nothing re-created
    status = registry(registry_bin, database, "migrate", "status")
    assert status.returncode == 0, status.stdout + status.stderr

    database.run("DELETE FROM persona; DELETE FROM role")
    host.alembic(database, "downgrade", "base")
    assert database.scalar("SELECT to_regclass('persona') IS NULL AND to_regclass('role') IS NULL")
    # As `persona-registry migrate down` would: the record goes, and the table with the last one.
    assert database.scalar("SELECT to_regclass('persona_registry_schema_migrations') IS NULL")
    status = registry(registry_bin, database, "migrate", "status")
    assert status.returncode == 2, status.stdout + status.stderr  # 0001 to 0003 are pending again

    host.alembic(database, "upgrade", "head")  # and the revision creates it all itself now
    assert database.scalar("SELECT to_regclass('persona') IS NOT NULL")


def test_alembic_refuses_a_database_where_a_different_0001_was_applied(registry_bin, database, host):
    migrate_up(registry_bin, database)
    database.run("UPDATE persona_registry_schema_migrations SET checksum = repeat('0', 64)")
    result = host.run_alembic(database, "upgrade", "head")
    assert result.returncode != 0
    assert "persona-registry applied a different 0001_role_persona.sql" in result.stderr
    assert database.scalar("SELECT to_regclass('alembic_version') IS NULL")  # rolled back


def test_bookkeeping_names_agree_with_the_migrator_source():
    from test_revision_source import load_revision

    revision = load_revision()
    source = MIGRATOR_SOURCE.read_text(encoding="utf-8")
    table = re.search(r'static let versionTable = "([^"]+)"', source)
    key = re.search(r'static let lockKey = "(\d+)"', source)
    assert table and key, f"versionTable/lockKey not found in {MIGRATOR_SOURCE}"
    assert revision.REGISTRY_VERSION_TABLE == table.group(1)
    assert revision.REGISTRY_LOCK_KEY == int(key.group(1))
