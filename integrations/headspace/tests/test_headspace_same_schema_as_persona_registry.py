"""The headspace layout's Alembic revisions and `persona-registry migrate up` build
the same schema on the host's tables, and recognise each other's work through
the checksums in persona_registry_schema_migrations.

Needs the persona-registry binary: PERSONA_REGISTRY_BIN (scripts/test-host.sh
sets it to .build/debug/persona-registry when that exists). Without it these
tests FAIL; they never skip.
"""

import os
import subprocess
from pathlib import Path

from conftest import HOST_HEAD, HOST_OWN_HEAD, HOST_REVISION_FILES, HOST_ROWS, REPO, Database, pg_dump
from test_revision_source import load_revision

HOST_MIGRATIONS = REPO / "migrations" / "headspace"
VERSION_TABLES = ("public.alembic_version", "public.persona_registry_schema_migrations")


def registry(registry_bin: Path, database: Database, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(registry_bin), *args, "--database-url", database.url, "--migrations-dir", str(HOST_MIGRATIONS)],
        capture_output=True, text=True, timeout=300,
        env={key: value for key, value in os.environ.items() if not key.startswith("PG") and key != "DATABASE_URL"},
    )


def migrate_up(registry_bin: Path, database: Database, *args: str) -> None:
    result = registry(registry_bin, database, "migrate", "up", *args)
    assert result.returncode == 0, f"persona-registry migrate up failed: {result.stdout}{result.stderr}"


def schema(database: Database) -> str:
    return pg_dump(database, "--schema-only", *[f"--exclude-table={table}" for table in VERSION_TABLES])


def test_migrate_up_and_alembic_upgrade_give_identical_schema_dumps(registry_bin, new_database, headspace_host):
    by_registry = new_database()
    by_alembic = new_database()
    for database in (by_registry, by_alembic):
        headspace_host.alembic(database, "upgrade", HOST_OWN_HEAD)
    migrate_up(registry_bin, by_registry)
    headspace_host.alembic(by_alembic, "upgrade", "head")

    assert by_registry.scalar(
        "SELECT string_agg(version, ',' ORDER BY version) FROM persona_registry_schema_migrations") == "1001,1002"
    assert by_registry.scalar("SELECT version_num FROM alembic_version") == HOST_OWN_HEAD
    assert by_alembic.scalar("SELECT version_num FROM alembic_version") == HOST_HEAD
    dumped = schema(by_registry)
    for expected in ("CREATE TABLE public.roles", "CREATE TABLE public.personas", "CREATE TABLE public.positions",
                     "CREATE TRIGGER persona_registry_slug", "FUNCTION public.persona_registry_host_slugify",
                     "CREATE UNIQUE INDEX roles_name_folded_key", "CONSTRAINT personas_status_check"):
        assert expected in dumped
    assert schema(by_alembic) == dumped


def test_revision_checksums_are_the_ones_persona_registry_records(registry_bin, host_database):
    migrate_up(registry_bin, host_database)
    for path in HOST_REVISION_FILES:
        revision = load_revision(path)
        recorded = host_database.scalar(
            "SELECT checksum FROM persona_registry_schema_migrations WHERE version = %s", (revision.SOURCE_VERSION,))
        assert recorded == revision.SOURCE_SHA256, path.name


def test_alembic_on_a_database_persona_registry_migrated_records_only_itself(
    registry_bin, host_database, headspace_host
):
    database = host_database
    migrate_up(registry_bin, database)
    before = pg_dump(database, "--exclude-table=public.alembic_version")
    rows = database.rows(HOST_ROWS)

    headspace_host.alembic(database, "upgrade", "head")
    assert database.scalar("SELECT version_num FROM alembic_version") == HOST_HEAD
    assert pg_dump(database, "--exclude-table=public.alembic_version") == before  # nothing re-created
    status = registry(registry_bin, database, "migrate", "status")
    assert status.returncode == 0, status.stdout + status.stderr
    assert "Layout: headspace" in status.stdout

    headspace_host.alembic(database, "downgrade", HOST_OWN_HEAD)
    # As `persona-registry migrate down` would: the records go, the table with the last one;
    # the host's tables and rows stay.
    assert database.scalar("SELECT to_regclass('persona_registry_schema_migrations') IS NULL")
    assert database.scalar("SELECT count(*) FROM pg_proc WHERE proname LIKE 'persona_registry%'") == 0
    assert database.rows(HOST_ROWS) == rows
    status = registry(registry_bin, database, "migrate", "status")
    assert status.returncode == 2, status.stdout + status.stderr  # 1001 and 1002 are pending again

    headspace_host.alembic(database, "upgrade", "head")  # and the revisions apply it all themselves now
    assert database.scalar("SELECT count(*) FROM pg_trigger WHERE tgname = 'persona_registry_slug'") == 1


def test_kept_rows_through_the_registry_then_alembic_records_only_itself(registry_bin, host_database, headspace_host):
    database = host_database
    database.run("INSERT INTO roles (name, created_at) VALUES ('Developer', now())")
    refused = registry(registry_bin, database, "migrate", "up")
    assert refused.returncode != 0
    migrate_up(registry_bin, database, "--existing-rows", "keep")
    headspace_host.alembic(database, "upgrade", "head")  # no -x needed: 1001 is persona-registry's already
    assert database.scalar("SELECT version_num FROM alembic_version") == HOST_HEAD
    assert database.scalar("SELECT count(*) FROM persona_registry_rule_breaks()") == 1


def test_alembic_refuses_a_database_where_a_different_1001_was_applied(registry_bin, host_database, headspace_host):
    migrate_up(registry_bin, host_database)
    host_database.run("UPDATE persona_registry_schema_migrations SET checksum = repeat('0', 64) WHERE version = '1001'")
    result = headspace_host.run_alembic(host_database, "upgrade", "head")
    assert result.returncode != 0
    assert "persona-registry applied a different 1001_host_tables.sql" in result.stderr
    assert host_database.scalar("SELECT version_num FROM alembic_version") == HOST_OWN_HEAD  # rolled back


def test_bookkeeping_names_are_the_prd_revisions():
    from test_revision_source import REVISION_FILE

    prd = load_revision(REVISION_FILE)
    for path in HOST_REVISION_FILES:
        revision = load_revision(path)
        assert (revision.REGISTRY_VERSION_TABLE, revision.REGISTRY_LOCK_KEY) == (
            prd.REGISTRY_VERSION_TABLE, prd.REGISTRY_LOCK_KEY)
