"""The headspace layout's revisions on a host that ran its own revisions:
`alembic upgrade head` on top of the host's head, `downgrade` back to it, again;
existing rule-breaking rows refused or kept (`-x existing_rows=keep`); the
revisions as shipped (1001 right after 0462474af024) with the host's later
revisions on top; offline SQL; psycopg2.

Every test runs on its own database, built by the stand-in host's own
revisions (conftest: host_database).
"""

import dataclasses

from conftest import (
    HOST_HEAD,
    HOST_OWN_HEAD,
    HOST_REVISION_FILES,
    HOST_ROWS,
    HOST_TABLES_REVISION,
    Database,
    host_insert_persona,
    pg_dump,
)
from test_revision_source import load_revision

REGISTRY_OBJECTS = """
SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND p.proname LIKE 'persona\\_registry\\_%'
UNION ALL
SELECT 'trigger ' || t.tgname FROM pg_trigger t WHERE NOT t.tgisinternal
UNION ALL
SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public'
    AND indexname IN ('roles_name_folded_key', 'persona_registry_personas_role_id')
UNION ALL
SELECT 'constraint ' || conname FROM pg_constraint
    WHERE contype = 'c' AND conrelid IN ('roles'::regclass, 'personas'::regclass)
ORDER BY 1
"""

EXPECTED_REGISTRY_OBJECTS = sorted(
    ["function persona_registry_host_slugify", "function persona_registry_renders_blank",
     "function persona_registry_rule_breaks", "function persona_registry_has_invisible",
     "function persona_registry_host_persona",
     "function persona_registry_host_role", "function persona_registry_notify",
     "trigger persona_registry_slug", "trigger persona_registry_defaults", "trigger persona_registry_notify",
     "trigger persona_registry_notify_rename", "trigger persona_registry_notify_delete",
     "index roles_name_folded_key", "index persona_registry_personas_role_id"]
    + ["constraint roles_" + name for name in ("name_visible", "name_no_control", "name_no_bidi_control",
                                                "name_without_invisible", "description_length")]
    + ["constraint personas_" + name for name in ("name_visible", "name_no_control", "name_no_bidi_control",
                                                   "name_without_invisible", "description_length", "status_check")]
)


def registry_objects(database: Database) -> list[str]:
    return [row[0] for row in database.rows(REGISTRY_OBJECTS)]


def whole(database: Database) -> str:
    """Schema and rows of the whole database, apart from Alembic's own table."""
    return pg_dump(database, "--exclude-table=public.alembic_version")


def version(database: Database) -> str:
    return database.scalar("SELECT string_agg(version_num, ',' ORDER BY version_num) FROM alembic_version")


def test_upgrade_downgrade_upgrade_keeps_the_hosts_tables_and_rows(host_database, headspace_host):
    database = host_database
    before = whole(database)
    rows = database.rows(HOST_ROWS)
    assert ("personas", ) not in rows and len(rows) == 4 + 3 + 3 + 1  # 4 types, 3 roles, 3 personas, 1 org
    slugs = [row[0] for row in database.rows("SELECT slug FROM personas ORDER BY id")]
    assert slugs == ["operator-sam-1", "developer-con-2", "tester-verner-3"]
    assert registry_objects(database) == []

    headspace_host.alembic(database, "upgrade", "head")
    assert version(database) == HOST_HEAD
    assert registry_objects(database) == EXPECTED_REGISTRY_OBJECTS
    assert database.rows(HOST_ROWS) == rows  # adopted: no row changed
    # No table made or comment added: the tables are the host's.
    assert database.scalar("SELECT obj_description('roles'::regclass, 'pg_class')") is None
    assert database.scalar("SELECT to_regclass('persona_registry_schema_migrations')") is None

    headspace_host.alembic(database, "downgrade", HOST_OWN_HEAD)
    assert version(database) == HOST_OWN_HEAD
    assert registry_objects(database) == []
    assert whole(database) == before  # exactly the host's database again

    headspace_host.alembic(database, "upgrade", "head")
    assert registry_objects(database) == EXPECTED_REGISTRY_OBJECTS
    persona_id, slug = host_insert_persona(database, "Zoë Straße", "developer")
    assert slug == f"developer-zo-stra-e-{persona_id}"
    assert database.scalar("SELECT slug FROM personas WHERE id = %s", (persona_id,)) == slug
    with_new_row = database.rows(HOST_ROWS)

    headspace_host.alembic(database, "downgrade", HOST_OWN_HEAD)
    assert registry_objects(database) == []
    assert database.rows(HOST_ROWS) == with_new_row  # the rows made meanwhile stay too
    # And the host's own revisions still go down and up over it all.
    headspace_host.alembic(database, "downgrade", HOST_TABLES_REVISION)
    headspace_host.alembic(database, "upgrade", "head")
    assert registry_objects(database) == EXPECTED_REGISTRY_OBJECTS


def test_rule_breaking_rows_refuse_the_upgrade_and_change_nothing(host_database, headspace_host):
    database = host_database
    database.run("INSERT INTO roles (name, created_at) VALUES ('Developer', now()), ('qa' || chr(8238), now());"
                 "UPDATE personas SET status = 'retired' WHERE name = 'Verner'")
    before = whole(database)
    result = headspace_host.run_alembic(database, "upgrade", "head")
    assert result.returncode != 0
    assert "persona-registry 1001 cannot be applied: existing rows break its rules:" in result.stderr
    assert "roles id 4: its name slugifies to \"developer\", as role 2's does" in result.stderr
    assert "roles id 5: its name holds bidirectional controls" in result.stderr
    assert "personas id 3: its status \"retired\" is neither active nor archived" in result.stderr
    assert whole(database) == before
    assert version(database) == HOST_OWN_HEAD

    bad = headspace_host.run_alembic(database, "-x", "existing_rows=yes-please", "upgrade", "head")
    assert bad.returncode != 0 and "-x existing_rows=yes-please: expected refuse or keep" in bad.stderr
    assert whole(database) == before


def test_existing_rows_keep_keeps_them_and_the_rules_hold_for_new_rows(host_database, headspace_host):
    database = host_database
    database.run("INSERT INTO roles (name, created_at) VALUES ('Developer', now())")
    rows = database.rows(HOST_ROWS)
    headspace_host.alembic(database, "-x", "existing_rows=keep", "upgrade", "head")
    assert version(database) == HOST_HEAD
    assert database.rows(HOST_ROWS) == rows
    assert database.rows("SELECT * FROM persona_registry_rule_breaks()") == [
        ("roles", 4, 'its name slugifies to "developer", as role 2\'s does')]
    # The kept duplicate stays outside the folded index; a new one is refused.
    assert "WHERE (id <> ALL ('{4}'::integer[]))" in database.scalar(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'roles_name_folded_key'")
    with database.connect() as connection:
        try:
            connection.execute("INSERT INTO roles (name, created_at) VALUES ('DEVELOPER', now())")
        except Exception as error:  # psycopg.errors.UniqueViolation
            assert getattr(error, "diag").constraint_name == "roles_name_folded_key"
        else:
            raise AssertionError("a role name slugifying like developer was accepted")
    # The setting was transaction-local: nothing of it outlives the upgrade.
    assert database.scalar("SELECT current_setting('persona_registry.existing_rows', true)") in (None, "")


def test_as_shipped_1001_follows_0462474af024_and_the_hosts_later_revisions_run_on_top(
    database, headspace_host_as_shipped
):
    host = headspace_host_as_shipped
    heads = host.alembic(database, "heads")
    assert sorted(line.split()[0] for line in heads.splitlines()) == sorted([HOST_HEAD, HOST_OWN_HEAD])

    host.alembic(database, "upgrade", HOST_HEAD)  # 0462474af024, then 1001 and 1002: all they need
    assert version(database) == HOST_HEAD
    database.run("INSERT INTO roles (name, created_at) VALUES ('developer', now())")
    host_insert_persona(database, "Con", "developer", type_id=None)  # no persona_type_id column yet

    # The host's later revisions on top, with the registry's trigger in place:
    # ed3c7ae48539 adds persona_type_id and inserts Sam with a temporary slug it fixes up.
    host.alembic(database, "upgrade", "heads")
    assert version(database) == ",".join(sorted([HOST_HEAD, HOST_OWN_HEAD]))
    assert database.rows("SELECT name, slug, persona_type_id FROM personas ORDER BY id") == [
        ("Con", "developer-con-1", 1), ("Sam", "operator-sam-2", 3)]
    # A plain INSERT omitting persona_type_id gets the host's default type, 1.
    database.run("INSERT INTO personas (slug, name, role_id) SELECT 'x', 'Gavin', id FROM roles WHERE name = 'developer'")
    assert database.rows("SELECT slug, status, persona_type_id FROM personas WHERE name = 'Gavin'") == [
        ("developer-gavin-3", "active", 1)]

    host.alembic(database, "downgrade", f"{HOST_HEAD}@{HOST_TABLES_REVISION}")
    assert version(database) == HOST_OWN_HEAD
    assert registry_objects(database) == []
    assert database.scalar("SELECT count(*) FROM personas") == 3


def test_offline_sql_is_the_migrations_verbatim(database, headspace_host):
    up = headspace_host.alembic(database, "upgrade", f"{HOST_OWN_HEAD}:head", "--sql").replace("\r\n", "\n")
    kept = headspace_host.alembic(database, "-x", "existing_rows=keep", "upgrade", f"{HOST_OWN_HEAD}:head", "--sql")
    for path in HOST_REVISION_FILES:
        revision = load_revision(path)
        assert revision.UP_SQL.strip() in up
        down = headspace_host.alembic(database, "downgrade", f"{revision.revision}:{revision.down_revision}", "--sql")
        assert revision.DOWN_SQL.strip() in down
    assert "set_config('persona_registry.existing_rows', 'refuse', true)" in up
    assert "set_config('persona_registry.existing_rows', 'keep', true)" in kept
    assert database.scalar("SELECT to_regclass('roles')") is None  # offline mode touched nothing


def test_revisions_run_with_psycopg2_too(host_database, headspace_host):
    legacy = dataclasses.replace(
        host_database,
        sqlalchemy_url=host_database.sqlalchemy_url.replace("postgresql+psycopg://", "postgresql+psycopg2://", 1),
    )
    headspace_host.alembic(legacy, "upgrade", "head")
    assert registry_objects(host_database) == EXPECTED_REGISTRY_OBJECTS
    body = host_database.scalar("SELECT prosrc FROM pg_proc WHERE proname = 'persona_registry_host_persona'")
    assert "the slug of persona % is fixed once assigned" in body
    headspace_host.alembic(legacy, "downgrade", HOST_OWN_HEAD)
    assert registry_objects(host_database) == []
